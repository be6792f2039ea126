"""Periods that a statistic is counted over: "from Aug. 26 to 29", "in the past month",
"January to July", "the first seven months of this year", "so far this year", "in 2021".

A period is resolved against the article's date where it needs one. What cannot be resolved
stays partly unknown (a length without a position, or nothing), and unknown never contradicts:
two periods are incompatible only when what is known of both differs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from briefing.dates import MONTHS, scan

_MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_N = r"(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(day|week|month|year)s?"
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}

_PATTERNS = [
    ("day_range", re.compile(r"\b(?:from|between)\s+" + _MON + r"\s+(\d{1,2})\s+(?:to|and|-|through|until)\s+(?:" + _MON + r"\s+)?(\d{1,2})\b", re.I)),
    ("month_range", re.compile(r"\b(?:from\s+|over\s+|between\s+)?" + _MON + r"\s+(?:to|and|-|through|until)\s+" + _MON + r"(?!\s+\d)", re.I)),
    ("first_months", re.compile(r"\b(?:the\s+)?first\s+" + _N + r"\s+months\s+of\s+(?:this\s+year|(\d{4}))", re.I)),
    ("to_date", re.compile(r"\b(?:so\s+far\s+this\s+year|this\s+year\s+so\s+far|year\s+to\s+date|since\s+the\s+start\s+of\s+(?:this|the)\s+year)", re.I)),
    ("past", re.compile(r"\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+(?:" + _N + r"\s+)?" + _UNIT, re.I)),
    ("year", re.compile(r"\b(?:in|during|for|throughout)\s+(?:all\s+of\s+|the\s+whole\s+of\s+)?((?:19|20)\d{2})\b", re.I)),
    ("duration", re.compile(r"\b(?:over|in|during|within)\s+(?:the\s+)?" + _N + r"\s+" + _UNIT, re.I)),
]


@dataclass(frozen=True)
class Period:
    text: str  # as written
    start: dt.date | None
    end: dt.date | None
    days: float | None  # length, when known
    open_end: bool = False  # "so far this year": counted up to some day before the article

    @property
    def positioned(self) -> bool:
        return self.start is not None and self.end is not None


def _month(raw: str) -> int:
    return MONTHS[raw.lower().rstrip(".")]


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() else _NUM_WORDS[raw.lower()]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_for(month: int, reference: dt.date | None) -> int | None:
    if reference is None:
        return None
    return reference.year if month <= reference.month else reference.year - 1


def find_periods(text: str, reference: dt.date | None = None) -> list[tuple[int, int, Period]]:
    """(start offset, end offset, Period) for each period expression, in order, non-overlapping."""
    found = scan(text, _PATTERNS, lambda kind, match: _resolve(kind, match, reference))
    return [(match.start(), match.end(), period) for match, period in found]


def _resolve(kind: str, m: re.Match, ref: dt.date | None) -> Period | None:
    text = m.group(0)
    try:
        if kind == "day_range":
            month1, day1 = _month(m.group(1)), int(m.group(2))
            month2, day2 = (_month(m.group(3)) if m.group(3) else month1), int(m.group(4))
            year = _year_for(month1, ref)
            if year is None:
                days = (dt.date(2001, month2, day2) - dt.date(2001, month1, day1)).days + 1
                return Period(text, None, None, float(days))
            start, end = dt.date(year, month1, day1), dt.date(year, month2, day2)
            return Period(text, start, end, float((end - start).days + 1))
        if kind == "month_range":
            month1, month2 = _month(m.group(1)), _month(m.group(2))
            length = (month2 - month1) % 12 + 1
            year = _year_for(month2, ref)
            if year is None:
                return Period(text, None, None, length * _UNIT_DAYS["month"])
            start_year = year if month1 <= month2 else year - 1
            start, end = dt.date(start_year, month1, 1), _month_end(year, month2)
            return Period(text, start, end, float((end - start).days + 1))
        if kind == "first_months":
            n = _number(m.group(1))
            year = int(m.group(2)) if m.group(2) else (ref.year if ref else None)
            if year is None or not 1 <= n <= 12:
                return Period(text, None, None, n * _UNIT_DAYS["month"])
            start, end = dt.date(year, 1, 1), _month_end(year, n)
            return Period(text, start, end, float((end - start).days + 1))
        if kind == "to_date":
            if ref is None:
                return Period(text, None, None, None, open_end=True)
            return Period(text, dt.date(ref.year, 1, 1), ref, None, open_end=True)
        if kind == "past":
            n = _number(m.group(1)) if m.group(1) else 1
            days = n * _UNIT_DAYS[m.group(2).lower()]
            if ref is None:
                return Period(text, None, None, days)
            return Period(text, ref - dt.timedelta(days=round(days)), ref, days)
        if kind == "year":
            year = int(m.group(1))
            return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31), 365.0)
        if kind == "duration":
            return Period(text, None, None, _number(m.group(1)) * _UNIT_DAYS[m.group(2).lower()])
    except (KeyError, ValueError):
        return None
    return None


def _tolerance(a: Period, b: Period) -> float:
    longest = max(a.days or 0.0, b.days or 0.0)
    return max(3.0, 0.15 * longest)


def compatible(a: Period | None, b: Period | None) -> bool:
    """Could the two expressions name the same period? Unknown parts never contradict."""
    if a is None or b is None:
        return True
    if a.positioned and b.positioned:
        tol = _tolerance(a, b)
        if abs((a.start - b.start).days) > tol:
            return False
        if a.open_end or b.open_end:
            fixed, vague = (b, a) if a.open_end else (a, b)
            return fixed.end <= vague.end + dt.timedelta(days=tol)  # counted up to a day before the article
        return abs((a.end - b.end).days) <= tol
    if a.days is not None and b.days is not None and not (a.open_end or b.open_end):
        return abs(a.days - b.days) <= _tolerance(a, b)
    return True
