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
_KO_NUMERALS = "한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|일"
_KO_NUMERAL_VALUES = {"한": 1, "일": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
_KO_UNIT = {"일": "day", "주": "week", "주일": "week", "달": "month", "개월": "month", "년": "year"}

_PATTERNS = [
    ("day_range", re.compile(r"\b(?:from|between)\s+" + _MON + r"\s+(\d{1,2})\s+(?:to|and|-|through|until)\s+(?:" + _MON + r"\s+)?(\d{1,2})\b", re.I)),
    ("month_range", re.compile(r"\b(?:from\s+|over\s+|between\s+)?" + _MON + r"\s+(?:to|and|-|through|until)\s+" + _MON + r"(?!\s+\d)", re.I)),
    ("first_months", re.compile(r"\b(?:the\s+)?first\s+" + _N + r"\s+months\s+of\s+(?:this\s+year|(\d{4}))", re.I)),
    ("to_date", re.compile(r"\b(?:so\s+far\s+this\s+year|this\s+year\s+so\s+far|year\s+to\s+date|since\s+the\s+start\s+of\s+(?:this|the)\s+year)", re.I)),
    ("past", re.compile(r"\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+(?:" + _N + r"\s+)?" + _UNIT, re.I)),
    ("year", re.compile(r"\b(?:in|during|for|throughout)\s+(?:all\s+of\s+|the\s+whole\s+of\s+)?((?:19|20)\d{2})\b", re.I)),
    ("duration", re.compile(r"\b(?:over|in|during|within)\s+(?:the\s+)?" + _N + r"\s+" + _UNIT, re.I)),
    # Korean: "8월 26일부터 29일까지", "1~7월", "올해 들어", "지난 한 달 동안", "2021년 한 해 동안".
    ("ko_day_range", re.compile(r"(\d{1,2})월\s*(\d{1,2})일\s*(?:부터|~|-)\s*(?:(\d{1,2})월\s*)?(\d{1,2})일(?:까지)?")),
    ("ko_month_range", re.compile(r"(\d{1,2})월?\s*(?:부터|~|-)\s*(\d{1,2})월(?:까지)?")),
    ("ko_to_date", re.compile(r"(?:올해|올|금년)\s*들어|연초\s*(?:부터|이후)|올해\s*현재까지")),
    ("ko_past", re.compile(r"(?:지난|최근)\s*(?:(\d{1,2}|" + _KO_NUMERALS + r")\s*)?(일|주일|주|달|개월|년)\s*(?:동안|간|새|사이)")),
    ("ko_year", re.compile(r"(?<!\d)((?:19|20)\d{2})년(?!\s*\d{1,2}월)(?:\s*한\s*해)?\s*(?:동안|간|전체|에만|에는|에)")),
    ("ko_last_year", re.compile(r"(?:지난해|작년)\s*(?:한\s*해\s*)?(?:동안|전체|에만|에는|에)")),
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
        if kind.startswith("ko_"):
            return _resolve_korean(kind, m, ref)
        if kind == "day_range":
            month1 = _month(m.group(1))
            return _day_range(text, month1, int(m.group(2)), _month(m.group(3)) if m.group(3) else month1, int(m.group(4)), ref)
        if kind == "month_range":
            return _month_range(text, _month(m.group(1)), _month(m.group(2)), ref)
        if kind == "first_months":
            n = _number(m.group(1))
            year = int(m.group(2)) if m.group(2) else (ref.year if ref else None)
            if year is None or not 1 <= n <= 12:
                return Period(text, None, None, n * _UNIT_DAYS["month"])
            start, end = dt.date(year, 1, 1), _month_end(year, n)
            return Period(text, start, end, float((end - start).days + 1))
        if kind == "to_date":
            return _to_date(text, ref)
        if kind == "past":
            return _past(text, (_number(m.group(1)) if m.group(1) else 1) * _UNIT_DAYS[m.group(2).lower()], ref)
        if kind == "year":
            return _year(text, int(m.group(1)))
        if kind == "duration":
            return Period(text, None, None, _number(m.group(1)) * _UNIT_DAYS[m.group(2).lower()])
    except (KeyError, ValueError, OverflowError):  # OverflowError, ValueError: past the calendar's ends
        return None
    return None


def _day_range(text: str, month1: int, day1: int, month2: int, day2: int, ref: dt.date | None) -> Period:
    year = _year_for(month1, ref)
    if year is None:
        return Period(text, None, None, float((dt.date(2001, month2, day2) - dt.date(2001, month1, day1)).days + 1))
    start, end = dt.date(year, month1, day1), dt.date(year, month2, day2)
    return Period(text, start, end, float((end - start).days + 1))


def _month_range(text: str, month1: int, month2: int, ref: dt.date | None) -> Period:
    year = _year_for(month2, ref)
    if year is None:
        return Period(text, None, None, ((month2 - month1) % 12 + 1) * _UNIT_DAYS["month"])
    start, end = dt.date(year if month1 <= month2 else year - 1, month1, 1), _month_end(year, month2)
    return Period(text, start, end, float((end - start).days + 1))


def _to_date(text: str, ref: dt.date | None) -> Period:
    if ref is None:
        return Period(text, None, None, None, open_end=True)
    return Period(text, dt.date(ref.year, 1, 1), ref, None, open_end=True)


def _past(text: str, days: float, ref: dt.date | None) -> Period:
    if ref is None:
        return Period(text, None, None, days)
    return Period(text, ref - dt.timedelta(days=round(days)), ref, days)


def _year(text: str, year: int) -> Period:
    return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31), 365.0)


def _resolve_korean(kind: str, m: re.Match, ref: dt.date | None) -> Period | None:
    text = m.group(0)
    if kind == "ko_day_range":
        return _day_range(text, int(m.group(1)), int(m.group(2)), int(m.group(3) or m.group(1)), int(m.group(4)), ref)
    if kind == "ko_month_range":
        month1, month2 = int(m.group(1)), int(m.group(2))
        return _month_range(text, month1, month2, ref) if 1 <= month1 <= 12 and 1 <= month2 <= 12 else None
    if kind == "ko_to_date":
        return _to_date(text, ref)
    if kind == "ko_past":
        raw = m.group(1)
        n = 1 if raw is None else (int(raw) if raw.isdigit() else _KO_NUMERAL_VALUES[raw])
        return _past(text, n * _UNIT_DAYS[_KO_UNIT[m.group(2)]], ref)
    if kind == "ko_year":
        return _year(text, int(m.group(1)))
    if kind == "ko_last_year":
        return _year(text, ref.year - 1) if ref is not None else Period(text, None, None, 365.0)
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
            return (fixed.end - vague.end).days <= tol  # counted up to a day before the article
        return abs((a.end - b.end).days) <= tol
    if a.days is not None and b.days is not None and not (a.open_end or b.open_end):
        return abs(a.days - b.days) <= _tolerance(a, b)
    return True
