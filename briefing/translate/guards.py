"""Guards on a translation: what a sentence states must survive translation unchanged.

Checked per sentence pair (source, output):
- every date in the source appears in the output as the same calendar date, whatever the form
  ("Sept. 2, 2024" == "2024년 9월 2일" == "2024-09-02");
- every number written in digits appears with the same value ("1,200" == "1200", "30%" ==
  "30 퍼센트", "12 million" == "1200만"); numbers written as words ("three") are not demanded,
  since a translation may rightly render them as words too;
- every URL appears verbatim;
- glossary terms (models/glossary.tsv and the user's own, see briefing.settings; English<TAB>Korean): where the source has a term, the
  output has its counterpart.

A failed guard becomes a flag string on the Translation; renderers show it (see markdown.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing import settings
from briefing.dates import MONTH_NAMES, find_dates
from briefing.text import HANGUL, normalise, numbers, words

# Month-only mentions ("from January to July", "1월부터 7월까지"), which find_dates leaves out.
_MONTH_ONLY = re.compile(
    r"(?<!\d)(?P<m>\d{1,2})\s*월(?!\s*\d)|\b(?P<name>" + "|".join(MONTH_NAMES[1:]) + r")\b"
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+")
_SCALED = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(thousand|million|billion|천|만|억)", re.I
)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "천": 1e3, "만": 1e4, "억": 1e8}


@dataclass(frozen=True, order=True)
class Date:
    """A calendar date as written: year and day may be absent ("Aug. 28", "January")."""

    year: int | None
    month: int
    day: int | None

    def satisfied_by(self, other: Date) -> bool:
        return (
            self.month == other.month
            and self.day == other.day
            and (self.year is None or self.year == other.year)
        )

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] if self.year else []
        parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def dates(text: str) -> tuple[list[Date], str]:
    """The dates in a text (briefing.dates.find_dates, plus month-only mentions), and the text
    with them blanked out, so that their digits are not counted again as plain numbers."""
    text = normalise(text)
    found: list[tuple[int, Date]] = []
    spans: list[tuple[int, int]] = []
    for mention in find_dates(text):  # no reference date: a year is never filled in
        if mention.month is None:
            continue  # a bare year ("in 2019") is checked as a number; weekdays carry no digits
        found.append((mention.start, Date(mention.year, mention.month, mention.day)))
        spans.append((mention.start, mention.end))
    for match in _MONTH_ONLY.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in spans):
            continue
        month = int(match["m"]) if match["m"] else MONTH_NAMES.index(match["name"])
        if 1 <= month <= 12:
            found.append((match.start(), Date(None, month, None)))
            spans.append(match.span())
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " + text[b:]
    return [date for _start, date in sorted(found)], text


def _number_keys(text: str) -> set[str]:
    """Every form a text's digit numbers can be matched by: as written (canonical) and, with a
    scale word, the scaled value ("12 million" -> {"12", "12000000"})."""
    text = text.replace("퍼센트", "%").replace("프로", "%")
    keys = {n.removesuffix("-fold") for n in numbers(text)}
    for raw, scale in _SCALED.findall(text):
        value = float(raw.replace(",", "")) * _SCALES[scale.lower()]
        keys.add(_fmt(value))
    return keys


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def digit_numbers(text: str) -> list[str]:
    """The numbers a text writes in digits (what numbers() finds, minus number words)."""
    text = text.replace("퍼센트", "%").replace("프로", "%")
    found = [n.removesuffix("-fold") for n in numbers(text)]
    for worded in numbers(" ".join(w for w in words(text) if not w[0].isdigit())):
        found.remove(worded)
    # "12 million" must be matched as 12 or 12000000, whichever form the translation uses.
    scaled = {raw.replace(",", ""): scale for raw, scale in _SCALED.findall(text)}
    return [n if n not in scaled else f"{n}|{_fmt(float(n) * _SCALES[scaled[n].lower()])}" for n in found]


def urls(text: str) -> list[str]:
    return [u.rstrip(".,;:!?") for u in _URL.findall(text)]


@dataclass(frozen=True)
class Term:
    en: str
    ko: str


def _term_pattern(term: str) -> re.Pattern[str]:
    """English: case-insensitive from a word start (plurals and possessives still match).
    Korean: not preceded by a Hangul syllable (경찰청 is not in 부산경찰청), any particle after."""
    if HANGUL.search(term):
        return re.compile(r"(?<![\uac00-\ud7a3])" + re.escape(term))
    return re.compile(r"(?<![A-Za-z])" + re.escape(term), re.I)


@dataclass
class Glossary:
    terms: list[Term]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Glossary:
        """The terms of `path` (none when it does not exist), or by default of the packaged
        glossary followed by the user's (briefing.settings.glossary_files)."""
        if path:
            files = [Path(path)] if Path(path).exists() else []
        else:
            files = settings.glossary_files()
        terms: list[Term] = []
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 2 or not all(p.strip() for p in parts):
                    raise ValueError(f"{file}:{number}: expected 'English<TAB>Korean', got {line!r}")
                terms.append(Term(parts[0].strip(), parts[1].strip()))
        return cls(terms)

    def required(self, source: str, source_lang: str) -> list[tuple[str, str]]:
        """(term in source, counterpart the output must have), longest terms first; a term
        inside a longer matched term is not demanded on its own."""
        pairs = [(t.en, t.ko) if source_lang == "en" else (t.ko, t.en) for t in self.terms]
        pairs.sort(key=lambda p: -len(p[0]))
        text = normalise(source)
        taken: list[tuple[int, int]] = []
        result: list[tuple[str, str]] = []
        for term, counterpart in pairs:
            for match in _term_pattern(term).finditer(text):
                if any(s <= match.start() and match.end() <= e for s, e in taken):
                    continue
                taken.append(match.span())
                if (term, counterpart) not in result:
                    result.append((term, counterpart))
        return result


@dataclass
class Guards:
    """Checks a translated sentence against its source; returns human-readable flags."""

    glossary: Glossary

    @classmethod
    def default(cls) -> Guards:
        return cls(Glossary.load())

    def check(self, source: str, output: str, source_lang: str, target_lang: str) -> list[str]:
        flags: list[str] = []
        src_dates, src_rest = dates(source)
        out_dates, out_rest = dates(output)
        for date in _unique(src_dates):
            if not any(date.satisfied_by(o) for o in out_dates):
                flags.append(f"date {date} missing")
        out_numbers = _number_keys(out_rest)
        for number in _unique(digit_numbers(src_rest)):
            if not out_numbers & set(number.split("|")):
                flags.append(f"number {number.split('|')[0]} missing")
        for url in _unique(urls(source)):
            if url not in output:
                flags.append(f"URL {url} missing")
        out_norm = normalise(output).lower()
        for term, counterpart in self.glossary.required(source, source_lang):
            # In the output a plain substring is enough: Korean attaches particles, English
            # inflects ("ministries"); what matters is that the agreed rendering is there.
            if counterpart.lower() not in out_norm:
                flags.append(f"term {term} -> {counterpart} missing")
        return flags


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))
