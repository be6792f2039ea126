"""Finding, normalising and formatting dates in news text.

A date whose year is not written is completed from the article's own date (the nearest such
date not after it); relative dates ("on Monday", "last Friday") are resolved against the article
date too. Without an article date, they stay as written: the year is never invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
MONTH_NAMES = [
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ("ko", re.compile(r"(?:(?P<year>(?:19|20)\d{2})년\s*)?(?P<month>\d{1,2})월\s*(?P<day>\d{1,2})일")),
    ("mdy", re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)),
    ("dmy", re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)),
    ("my", re.compile(r"\b" + _MONTH + r"\s+(?P<year>(?:19|20)\d{2})\b", re.I)),
    ("rel", re.compile(r"\b(?P<rel>(?:on|last|this|since|earlier on|late on)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|today)\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|from|of|by|until|back in)\s+(?P<year>(?:19|20)\d{2})\b", re.I)),
]


@dataclass(frozen=True)
class DateMention:
    text: str  # as written
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    relative: bool = False

    @property
    def iso(self) -> str | None:
        """YYYY-MM-DD, YYYY-MM or YYYY; None when the year is unknown."""
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def sort_key(self) -> str:
        if self.iso:
            return self.iso
        return f"????-{self.month or 0:02d}-{self.day or 0:02d}"


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _complete_year(month: int, day: int | None, reference: dt.date | None) -> int | None:
    if reference is None:
        return None
    year = reference.year
    try:
        candidate = dt.date(year, month, day or 1)
    except ValueError:
        return None
    if candidate > reference + dt.timedelta(days=7):
        year -= 1
    return year


def find_dates(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Every date mentioned in `text`, in order, non-overlapping."""
    return [mention for _, mention in scan(text, _PATTERNS, lambda kind, m: _mention(kind, m, reference))]


def scan(text: str, patterns, build) -> list:
    """(match, built) for each match of (kind, regex) `patterns`, earlier patterns first, that
    overlaps no earlier one and for which `build(kind, match)` is not None; in text order."""
    taken: list[tuple[int, int]] = []
    found: list = []
    for kind, regex in patterns:
        for match in regex.finditer(text):
            if any(match.start() < b and match.end() > a for a, b in taken):
                continue
            built = build(kind, match)
            if built is not None:
                taken.append((match.start(), match.end()))
                found.append((match, built))
    return sorted(found, key=lambda f: f[0].start())


def _mention(kind: str, match: re.Match, reference: dt.date | None) -> DateMention | None:
    groups = match.groupdict()
    text = match.group(0)
    if kind == "rel":
        if reference is None:
            return DateMention(text, match.start(), match.end(), None, None, None, relative=True)
        rel = groups["rel"].lower()
        if rel == "today":
            day = reference
        elif rel == "yesterday":
            day = reference - dt.timedelta(days=1)
        else:
            weekday = WEEKDAYS[groups["weekday"].lower()]
            back = (reference.weekday() - weekday) % 7
            if rel.startswith("last") and back == 0:
                back = 7
            day = reference - dt.timedelta(days=back)
        return DateMention(text, match.start(), match.end(), day.year, day.month, day.day, relative=True)
    year = int(groups["year"]) if groups.get("year") else None
    month_raw = groups.get("month")
    month = None
    if month_raw:
        month = int(month_raw) if month_raw.isdigit() else MONTHS.get(month_raw.lower().rstrip("."))
        if month is None or not 1 <= month <= 12:
            return None
    day = int(groups["day"]) if groups.get("day") else None
    if day is not None and not 1 <= day <= 31:
        return None
    if kind == "year":
        return DateMention(text, match.start(), match.end(), year, None, None)
    if month is not None and day is not None:
        try:
            dt.date(year or 2000, month, day)  # 2000 is a leap year: "Feb. 29" alone may be real
        except ValueError:
            return None  # "Feb. 30", "April 31": no such day
    if year is None and month is not None:
        year = _complete_year(month, day, reference)
    return DateMention(text, match.start(), match.end(), year, month, day)


def format_date(iso_or_text: str, language: str) -> str:
    """"2024-09-02" -> "2 September 2024" (en) or "2024년 9월 2일" (ko); other text unchanged."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso_or_text or "")
    if not match:
        return iso_or_text
    year, month, day = (int(g) if g else None for g in match.groups())
    if language == "ko":
        out = f"{year}년"
        if month:
            out += f" {month}월"
        if day:
            out += f" {day}일"
        return out
    if month and day:
        return f"{day} {MONTH_NAMES[month]} {year}"
    if month:
        return f"{MONTH_NAMES[month]} {year}"
    return str(year)


def format_partial(mention: DateMention, language: str) -> str:
    """A date whose year is unknown, formatted with that said plainly."""
    if mention.iso:
        return format_date(mention.iso, language)
    if mention.month and mention.day:
        if language == "ko":
            return f"{mention.month}월 {mention.day}일 (연도 미상)"
        return f"{mention.day} {MONTH_NAMES[mention.month]} (year not stated)"
    return mention.text
