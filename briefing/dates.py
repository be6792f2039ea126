"""Finding, normalising and formatting dates in news text.

A date whose year is not written is completed from the article's own date (the nearest such
date not after it); relative dates ("on Monday", "last Friday") are resolved against the article
date too. Without an article date, they stay as written: the year is never invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

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
# A month named alone ("in August"): capitalised and after a preposition, so "may" stays a verb.
_MONTH_ALONE = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
_NOT_HANGUL_BEFORE = r"(?<![\uac00-\ud7a3])"
# A Korean day written without its month, unless it is a length of time ("3일간", "30일 동안").
_KO_DURATION_AFTER = r"(?!\s*(?:간|동안|만에|만|이내|안에|째|이상|넘|가량|여|치|분))"
KO_WEEKDAYS = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
# Relative days, months and years: (unit, offset from the article's date).
_RELATIVE = {
    "today": ("day", 0), "yesterday": ("day", -1), "오늘": ("day", 0), "어제": ("day", -1), "그제": ("day", -2),
    "그저께": ("day", -2), "내일": ("day", 1),
    "this year": ("year", 0), "last year": ("year", -1), "next year": ("year", 1), "올해": ("year", 0),
    "금년": ("year", 0), "지난해": ("year", -1), "작년": ("year", -1), "내년": ("year", 1),
    "this month": ("month", 0), "last month": ("month", -1), "next month": ("month", 1), "이달": ("month", 0),
    "이번달": ("month", 0), "지난달": ("month", -1), "다음달": ("month", 1),
}
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ("dotted", re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d{2})\.\s?(?P<month>\d{1,2})\.\s?(?P<day>\d{1,2})(?![\d])\.?")),
    ("ko", re.compile(r"(?:(?P<year>(?:19|20)\d{2})년\s*)?(?P<month>\d{1,2})월\s*(?P<day>\d{1,2})일")),
    ("ko_month", re.compile(r"(?<![\d.])(?:(?P<year>(?:19|20)\d{2})년\s*)?(?P<month>\d{1,2})월(?!\s*\d)")),
    ("ko_year", re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d{2})년(?!\s*\d{1,2}월)(?!\s*(?:간|동안|대|만에))")),
    ("ko_day", re.compile(r"(?<![\d.,])(?<!월)(?<!월 )(?P<day>\d{1,2})일" + _KO_DURATION_AFTER)),
    ("ko_rel", re.compile(_NOT_HANGUL_BEFORE + r"(?P<rel>오늘(?!날)|어제|그저께|그제|내일|올해|금년|지난해|지난\s해(?=[에의는도와]|[^\uac00-\ud7a3]|$)|작년|내년|지난\s?달|이달|이번\s?달|다음\s?달)")),
    ("ko_weekday", re.compile(r"(?:(?P<dir>지난|이번|오는|다음)\s*(?:주\s*)?)?(?P<weekday>[월화수목금토일])요일")),
    ("time", re.compile(r"(?:(?P<ampm>오전|오후|새벽|아침|저녁|밤)\s*)?(?<![\d.])(?P<hour>\d{1,2})시(?:\s*(?P<minute>\d{1,2})분)?(?!간)")),
    ("time", re.compile(r"(?P<ampm>오전|오후)\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?!\d)")),
    ("time", re.compile(r"\b(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)", re.I)),
    ("time", re.compile(r"(?<![\d:.])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?![\d:])")),
    ("decade", re.compile(r"\b(?P<year>(?:19|20)\d0)(?:s\b|년대)")),
    ("mdy", re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)),
    ("dmy", re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)),
    ("my", re.compile(r"\b" + _MONTH + r"\s+(?P<year>(?:19|20)\d{2})\b", re.I)),
    ("month", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]hrough|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?|[Ll]ast|[Tt]his|[Nn]ext|[Oo]f|[Tt]o)\s+" + _MONTH_ALONE + r"(?!\s*\d)")),
    # The second day of an English range: "Aug. 26 to 29", "Aug. 26-29" (kept only right after a date).
    ("range_end", re.compile(r"(?:(?<=\sto\s)|(?<=\sand\s)|(?<=\sthrough\s)|(?<=\suntil\s)|(?<=\d[-–]))(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?![.,:]?\d|\s*(?:%|percent|[a-z]))")),
    ("rel", re.compile(r"\b(?P<rel>(?:on|last|this|since|earlier on|late on)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|today)\b", re.I)),
    ("weekday", re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("rel_unit", re.compile(r"\b(?P<rel>(?:this|last|next)\s+(?:year|month))\b", re.I)),
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
    weekday: int | None = None  # 0 = Monday, when a weekday is named
    time: str | None = None  # "14:30", for a time of day
    anchor: str | None = None  # a relative expression's meaning ("year-1", "weekday5"), resolved or not

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
    def written(self) -> str:
        """`iso`, or with the year unknown ISO 8601's year-less form ("--08-24", "--11"), or else
        the text as written."""
        if self.iso:
            return self.iso
        if self.month is not None:
            return f"--{self.month:02d}" + (f"-{self.day:02d}" if self.day is not None else "")
        return self.text

    @property
    def sort_key(self) -> str:
        if self.iso:
            return self.iso
        return f"????-{self.month or 0:02d}-{self.day or 0:02d}"


def shifted(day: dt.date, days: float) -> dt.date | None:
    """`day` moved by `days`, or None past the calendar's ends (0001-01-01, 9999-12-31): every
    relative date is counted through here, so a brief dated at either end never overflows."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _real_year(year: int | None) -> int | None:
    """`year` when the calendar has it (1 to 9999), else None (unknown)."""
    return year if year is not None and dt.MINYEAR <= year <= dt.MAXYEAR else None


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
    if candidate > (shifted(reference, 7) or dt.date.max):
        year -= 1
    return _real_year(year)


def find_dates(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Every date mentioned in `text`, in order, non-overlapping.

    A Korean day written alone ("29일", as in "8월 26일부터 29일까지") takes its month from the
    date written before it in the same text, else from the reference date."""
    return list(_find_dates(text, reference))


@lru_cache(maxsize=65536)
def _find_dates(text: str, reference: dt.date | None) -> tuple[DateMention, ...]:
    """`find_dates`, remembered: one statement is read for dates by several stages (support,
    sections, conflicts, selection), and the mentions are immutable."""
    found = scan(text, _PATTERNS, lambda kind, m: _mention(kind, m, reference))
    mentions: list[DateMention] = []
    for match, mention in found:
        if mention.anchor == "range-end":
            previous = mentions[-1] if mentions else None
            if previous is None or previous.day is None or previous.month is None or mention.start - previous.end > 10:
                continue  # a number after "to", not the end of a date range
            mention = replace(mention, anchor=None)
        if mention.day is not None and mention.month is None and mention.weekday is None:
            mention = _day_alone(mention, mentions, reference)
        mentions.append(mention)
    return tuple(mentions)


def _day_alone(mention: DateMention, before: list[DateMention], reference: dt.date | None) -> DateMention:
    previous = next((m for m in reversed(before) if m.month is not None and not m.relative), None)
    if previous is not None:
        return replace(mention, year=previous.year, month=previous.month)
    if reference is None:
        return mention
    year, month = reference.year, reference.month
    try:
        candidate = dt.date(year, month, mention.day)
    except ValueError:
        candidate = None
    if candidate is None or candidate > (shifted(reference, 7) or dt.date.max):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return replace(mention, year=_real_year(year), month=month)


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


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _relative(text: str, start: int, end: int, reference: dt.date | None, unit: str, offset: int) -> DateMention:
    anchor = f"{unit}{offset:+d}"
    if reference is None:
        return DateMention(text, start, end, None, None, None, relative=True, anchor=anchor)
    if unit == "day":
        day = shifted(reference, offset)
        if day is None:
            return DateMention(text, start, end, None, None, None, relative=True, anchor=anchor)
        return DateMention(text, start, end, day.year, day.month, day.day, relative=True, anchor=anchor)
    if unit == "month":
        year, month = _shift_month(reference, offset)
        known = _real_year(year) is not None
        return DateMention(text, start, end, year if known else None, month if known else None, None, relative=True, anchor=anchor)
    return DateMention(text, start, end, _real_year(reference.year + offset), None, None, relative=True, anchor=anchor)


def _weekday(text: str, start: int, end: int, reference: dt.date | None, weekday: int, direction: str) -> DateMention:
    """A named weekday: the last such day up to the article's date ("on Monday", "지난 토요일"), or
    the next one ("오는 토요일", "다음 주")."""
    anchor = f"weekday{weekday}"
    if reference is None:
        return DateMention(text, start, end, None, None, None, relative=True, weekday=weekday, anchor=anchor)
    if direction in ("next", "this"):
        ahead = (weekday - reference.weekday()) % 7
        day = shifted(reference, ahead + (7 if direction == "next" and ahead == 0 else 0))
    else:
        back = (reference.weekday() - weekday) % 7
        if direction == "last" and back == 0:
            back = 7
        day = shifted(reference, -back)
    if day is None:
        return DateMention(text, start, end, None, None, None, relative=True, weekday=weekday, anchor=anchor)
    return DateMention(text, start, end, day.year, day.month, day.day, relative=True, weekday=weekday, anchor=anchor)


_KO_DIRECTION = {"지난": "last", "이번": "this", "오는": "next", "다음": "next"}


def _mention(kind: str, match: re.Match, reference: dt.date | None) -> DateMention | None:
    groups = match.groupdict()
    text = match.group(0)
    start, end = match.start(), match.end()
    if kind == "time":
        hour, minute = int(groups["hour"]), int(groups.get("minute") or 0)
        ampm = (groups.get("ampm") or "").lower()
        if ampm in ("오후", "저녁", "밤", "p.m.", "pm") and hour < 12:
            hour += 12
        if ampm in ("오전", "새벽", "a.m.", "am") and hour == 12:
            hour = 0
        if hour > 24 or minute > 59:
            return None
        return DateMention(text, start, end, None, None, None, time=f"{hour:02d}:{minute:02d}")
    if kind == "ko_rel" or kind == "rel_unit" or (kind == "rel" and not groups.get("weekday")):
        written = groups["rel"].lower()
        key = written.replace(" ", "") if kind == "ko_rel" else re.sub(r"\s+", " ", written)
        unit, offset = _RELATIVE[key]
        return _relative(text, start, end, reference, unit, offset)
    if kind == "rel":
        rel = groups["rel"].lower()
        direction = "last" if rel.startswith("last") else "back"
        return _weekday(text, start, end, reference, WEEKDAYS[groups["weekday"].lower()], direction)
    if kind == "weekday":
        return _weekday(text, start, end, reference, WEEKDAYS[groups["weekday"].lower()], "back")
    if kind == "ko_weekday":
        direction = _KO_DIRECTION.get(groups.get("dir") or "", "back")
        return _weekday(text, start, end, reference, KO_WEEKDAYS[groups["weekday"]], direction)
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
    if kind in ("year", "ko_year"):
        return DateMention(text, start, end, year, None, None)
    if kind == "range_end":
        return DateMention(text, start, end, None, None, day, anchor="range-end") if day is not None else None
    if kind == "decade":
        return DateMention(text, start, end, year, None, None, anchor="decade")
    if month is not None and day is not None:
        try:
            dt.date(year or 2000, month, day)  # 2000 is a leap year: "Feb. 29" alone may be real
        except ValueError:
            return None  # "Feb. 30", "April 31": no such day
    if year is None and month is not None:
        year = _complete_year(month, day, reference)
    return DateMention(text, start, end, year, month, day)


def format_date(iso_or_text: str, language: str) -> str:
    """"2024-09-02" -> "2 September 2024" (en) or "2024년 9월 2일" (ko); a year-less "--08-24" ->
    "24 August" / "8월 24일" (the caller says the year is not stated); other text unchanged."""
    match = re.fullmatch(r"(\d{4}|-)(?:-(\d{2}))?(?:-(\d{2}))?", iso_or_text or "")
    if not match or (match.group(1) == "-" and not match.group(2)):
        return iso_or_text
    year, month, day = (int(g) if g and g != "-" else None for g in match.groups())
    if language == "ko":
        parts = [f"{year}년"] if year else []
        parts += [f"{month}월"] if month else []
        parts += [f"{day}일"] if day else []
        return " ".join(parts)
    if month and day:
        return f"{day} {MONTH_NAMES[month]}" + (f" {year}" if year else "")
    if month:
        return MONTH_NAMES[month] + (f" {year}" if year else "")
    return str(year)
