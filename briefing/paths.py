"""How a file path is shown in a brief, and read back from one.

A path can hold anything a file system allows: a newline, a backtick, a `|`, `<`, a control or
bidirectional-override character, bytes that are not UTF-8. Written as is into a footnote or a
table row, such a name could end the code span, split the table cell, or start a forged
footnote definition on a new line. So the brief shows every path percent-encoded (as in a URL)
for exactly those characters, and for letters that only look Latin inside a word that is
otherwise Latin (a Cyrillic "е" in "rерort.txt", which would look the same as "report.txt" in
the Sources table); every other character, Korean included, stays as it is, and a plain name
such as `seeds/001_x.txt` is shown unchanged. `read_path` undoes `shown_path` exactly,
so review finds the very file ingest read.
"""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import unquote

# Characters with a meaning in Markdown code spans, tables, footnote references or HTML, and `%`.
_SPECIAL = frozenset("%`|<>[]\\")
# Control, format (bidi overrides, zero-width), line/paragraph separators, surrogates.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters
_LATIN_LOOK_ALIKES = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"})


def _encode(char: str) -> str:
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"%{ord(char) - 0xDC00:02X}"
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def _unsafe(char: str) -> bool:
    return char in _SPECIAL or unicodedata.category(char) in _UNSAFE_CATEGORIES


def _look_alikes(path: str) -> set[int]:
    """Where `path` has letters of a script that looks like Latin (Cyrillic, Greek, Armenian,
    Cherokee) inside a word that also has Latin letters: "rерort" (Cyrillic е, р) beside
    "report". A name in one script ("отчёт", "기사") or Korean beside Latin is left alone."""
    marked: set[int] = set()
    for word in _WORD.finditer(path):
        scripts = [_script(c) for c in word.group()]
        if "LATIN" in scripts and any(s in _LATIN_LOOK_ALIKES for s in scripts):
            marked.update(word.start() + k for k, s in enumerate(scripts) if s in _LATIN_LOOK_ALIKES)
    return marked


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def shown_path(path: str) -> str:
    """`path` as a brief shows it: `%`, `` ` ``, `|`, `<`, `>`, `[`, `]`, `\\`, invisible characters
    and look-alike letters in a mixed-script word (visibly: "r%D0%B5%D1%80ort.txt") encoded."""
    marked = _look_alikes(path)
    return "".join(_encode(c) if _unsafe(c) or k in marked else c for k, c in enumerate(path))


def safe_path(text: str) -> str:
    """Encode what is still unsafe, leaving `%` alone: a no-op on what `shown_path` returns.

    For paths of unknown origin at display time (a hand-built citation, an old brief.json):
    the result is always safe to show, and equal to the input when that was already shown.
    """
    marked = _look_alikes(text)
    return "".join(_encode(c) if (_unsafe(c) and c != "%") or k in marked else c for k, c in enumerate(text))


def read_path(shown: str) -> str:
    """The path that `shown` stands for (the inverse of `shown_path`), as this process names it
    (`os_name`)."""
    if not _ESCAPE.search(shown):
        return os_name(shown)
    return os_name(unquote(shown, encoding="utf-8", errors="surrogateescape"))


def os_name(path: str) -> str:
    """`path` as the os functions of this process take it: unchanged, unless the file-system
    encoding cannot write it (`LC_ALL=C` without UTF-8 mode: ASCII); then the name's UTF-8 bytes,
    which is how a brief's Korean file name lies on disk, as `os.fsdecode` gives them."""
    try:
        os.fsencode(path)
    except UnicodeEncodeError:
        return os.fsdecode(path.encode("utf-8", "surrogateescape"))
    return path

