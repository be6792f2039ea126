"""The words of a brief, one table per language: `briefing/data/lang/<language>/labels.toml`.

The brief template (prompts/brief.md.j2, given the table as `labels`), `briefing.brief.render` and
`briefing.review.draft` (which reads a brief back and so must know its headings and line spans in every
language) all take their words from here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

LANGUAGES = ("en", "ko")


class Labels(Mapping[str, Any]):
    """One language's table, read-only: `labels["headings"]["timeline"]`; in a template
    `labels.headings.timeline` (Jinja falls back to items) and `labels.count("sources", n)`."""

    def __init__(self, language: str, table: dict[str, Any]):
        self.language = language
        self._table = table

    def __getitem__(self, key: str) -> Any:
        return self._table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def count(self, noun: str, n: int) -> str:
        """`n` of a counted noun: "1 source", "3 sources", "출처 3건"."""
        forms = self._table["counts"][noun]
        return forms["one" if n == 1 else "other"].format(n=n)

    def line_span(self, start: int, end: int) -> str:
        """A footnote's cited lines: "line 3", "lines 3–5", "3행", "3–5행"."""
        if start == end:
            return self._table["lines"]["one"].format(n=start)
        return self._table["lines"]["span"].format(a=start, b=end)


@lru_cache(maxsize=None)
def labels(language: str) -> Labels:
    """The label table of `language` ("en" or "ko")."""
    if language not in LANGUAGES:
        raise ValueError(f"no labels for language {language!r} (have {', '.join(LANGUAGES)})")
    path = resources.files("briefing").joinpath("data", "lang", language, "labels.toml")
    return Labels(language, tomllib.loads(path.read_text(encoding="utf-8")))


def in_every_language(*keys: str) -> frozenset[str]:
    """One label in every language, by its keys (`in_every_language("headings", "timeline")`):
    the reader of a draft does not know its language."""
    found = set()
    for language in LANGUAGES:
        value: Any = labels(language)
        for key in keys:
            value = value[key]
        found.add(value)
    return frozenset(found)


def headings(key: str) -> frozenset[str]:
    """A section heading in every language."""
    return in_every_language("headings", key)


@lru_cache(maxsize=1)
def line_span_pattern() -> re.Pattern[str]:
    """Any language's line span ("line 3", "lines 3–5", "3행", "3–5행"), leniently: a range
    after either word, any dash, any spacing. Groups: first and (when a range) last line."""
    number = r"\s*(\d+)(?:\s*[–—-]\s*(\d+))?\s*"
    forms = set()
    for language in LANGUAGES:
        for form in labels(language)["lines"].values():
            pieces = re.split(r"\{a\}–\{b\}|\{n\}", form)
            forms.add(number.join(r"\s*".join(map(re.escape, piece.split())) for piece in pieces))
    alternatives = "|".join(f"(?:{form})" for form in sorted(forms))
    return re.compile(f"^(?:{alternatives})$")


def parse_line_span(text: str) -> tuple[int, int] | None:
    """(first, last) line of a written line span in any language; None when it is not one."""
    match = line_span_pattern().match(text.strip())
    if not match:
        return None
    found = [int(g) if g else None for g in match.groups()]
    for i in range(0, len(found), 2):
        if found[i] is not None:
            return found[i], found[i + 1] or found[i]
    return None
