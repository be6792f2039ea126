"""Invisible format characters inside words and numbers, removed as a file is read.

A zero-width space, word joiner, soft hyphen, BOM or bidirectional control (Unicode category
Cf) between two letters or digits is invisible, but it splits the token: "2\u200b97" read as "2"
and "97", "2\u20604" as "2" and "4" (a false conflict "24 vs 2"). Removing them before anything
reads the text keeps the token whole. No line break is touched, so every line keeps its number
and a citation still points at the right line; review re-reads sources through the same code.
Format characters elsewhere (between words, around emoji) are left as they are.
"""

from __future__ import annotations

import re
import unicodedata

# A run of what is neither a word character nor a space, between two word characters; kept
# unless it is made of format characters (and the `.`/`,` of a number) only.
_BETWEEN = re.compile(r"(?<=[^\W_])[^\w\s]+(?=[^\W_])|(?<=\d)[^\w\s%]+(?=%)")


def _joined(match: re.Match) -> str:
    run = match.group()
    kinds = [unicodedata.category(c) == "Cf" for c in run]
    if any(kinds) and all(cf or c in ".," for c, cf in zip(run, kinds)):
        return "".join(c for c, cf in zip(run, kinds) if not cf)
    return run


def join_format_characters(text: str) -> str:
    """`text` with the format characters inside its words and numbers removed."""
    if text.isascii():
        return text
    return _BETWEEN.sub(_joined, text)
