"""Title, outlet, publication date and byline, taken only from what the page states.

Unknown stays unknown: nothing is guessed from the article's content (a quote "told The Daily
Ledger" does not make the page a Daily Ledger page).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefing.dates import find_dates, parse_iso, shifted
from briefing.text import is_korean

_OUTLET_WORDS = r"(News|Times|Herald|Post|Journal|Daily|Agency|Tribune|Gazette|Telegraph|Guardian|Review|Insider|Wire|Today|Press|Chronicle|Observer|Economist|Ilbo|Shinbun)"
_OUTLET_LINE = re.compile(r"^(?:The\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4}\s+" + _OUTLET_WORDS + r"$")
_BYLINE = re.compile(r"^By\s*(?P<who>[A-Z][^|\n]{1,80}?)\s*(?:\|(?P<rest>.*))?$")
_CREATED = re.compile(r"\b(?P<word>created|published|posted|updated)\s*(?:at|on|:)?\s*(?P<date>\d{4}-\d{2}-\d{2})", re.I)
# A page's relative stamp: "16 hours ago", "Updated 3 days ago", "yesterday", "3시간 전", "어제".
# Months and years ago are too vague to date a page by, and "today" alone is too often a heading.
_STAMP = (
    r"(?P<stamp>(?P<count>\d{1,3}|an?|one)\s+(?P<unit>min(?:ute)?|hour|hr|day|week)s?\s+ago"
    r"|(?P<count_ko>\d{1,3})\s*(?P<unit_ko>분|시간|일|주)\s*전|(?P<word>yesterday|어제))"
)
_RELATIVE_LINE = re.compile(r"(?:(?:last\s+)?(?:updated|published|posted)\s*:?\s*)?" + _STAMP + r"\.?", re.I)
_RELATIVE_PART = re.compile(_STAMP, re.I)
_UNIT_HOURS = {"min": 1 / 60, "minute": 1 / 60, "hour": 1, "hr": 1, "day": 24, "week": 168,
               "분": 1 / 60, "시간": 1, "일": 24, "주": 168}
_DATE_PREFIX = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+", re.I)
_STANDALONE_DATE = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?|\d{4}년\s*\d{1,2}월\s*\d{1,2}일)"
    r"(?:\s*\([월화수목금토일]\))?(?:\s+(?:오전|오후)?\s*\d{1,2}:\d{2}.*)?$"
)
# Korean page stamps: "입력 2024.08.30 14:05 수정 2024.08.30 16:00", "기사입력 2024-08-30".
_KO_STAMP = re.compile(
    r"(?:기사\s?입력|입력|등록|게재|작성|발행|송고)\s*(?:일시|시간)?\s*[:：]?\s*"
    r"(?P<date>\d{4}[.-]\s?\d{1,2}[.-]\s?\d{1,2}|\d{4}년\s*\d{1,2}월\s*\d{1,2}일)"
)
_KO_UPDATED = re.compile(r"(?:수정|최종\s?수정|업데이트)\s*[:：]?\s*\d{4}[.-]")
# A Korean byline line: "홍길동 기자", "홍길동·김철수 기자 gildong@example.com".
_KO_BYLINE = re.compile(
    r"^(?P<who>[\uac00-\ud7a3]{2,4}(?:\s*[·,]\s*[\uac00-\ud7a3]{2,4})*)\s*(?:선임|수석|객원|전문)?(?:기자|특파원)"
    r"(?:\s*[=:]?\s*\S+@\S+)?\s*$"
)


class _Datelines:
    """The opening of a first paragraph that names the place, outlet, reporter or date rather than
    the news: "NAIROBI, September 2 — ", "NAIROBI (AFP) -- ", "(부산=가상통신) 홍길동 기자 = ",
    "[가상경제] ". Its match has `place`, `date`, `outlet` and `byline` groups (unused ones None)."""

    english = re.compile(
        r"^(?P<place>[A-Z][A-Z .]{2,30})(?:\s*\([^)]{2,30}\))?,?\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
        r"(?:\s*\([^)]{2,30}\))?\s*[—–-]{1,2}\s+(?P<outlet>(?!))?(?P<byline>(?!))?"
    )
    korean = re.compile(
        r"^\s*(?:[(\[](?P<place>[\uac00-\ud7a3]{1,12})\s*=\s*(?P<outlet>[^)\]=]{2,20}?)[)\]]|\[(?P<outlet2>[\uac00-\ud7a3A-Za-z0-9 ]{2,15})\])"
        r"\s*(?:(?P<byline>[\uac00-\ud7a3]{2,4}(?:\s*[·,]\s*[\uac00-\ud7a3]{2,4})*)\s*(?:선임|수석|객원)?(?:기자|특파원)\s*=?\s*)?(?P<date>(?!))?"
    )

    def match(self, text: str) -> re.Match | None:
        return self.english.match(text) or self.korean.match(text)


DATELINE = _Datelines()


def _dateline_outlet(match: re.Match) -> str | None:
    groups = match.groupdict()
    return (groups.get("outlet") or groups.get("outlet2") or "").strip() or None
_OUTLET_IN_TAIL = re.compile(r"\b(?:latest )?news from (?P<outlet>(?:the )?[A-Z][\w]*(?:\s+[A-Z][\w]*){0,4})", re.I)


@dataclass
class Metadata:
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_text: str | None = None
    byline: str | None = None
    # Where the date was read (see model.Article.date_source): "page", "byline", "dateline",
    # "relative" or "crawl"; None when no date is read.
    date_source: str | None = None


def overlay(stated: Metadata, found: Metadata) -> Metadata:
    """`stated` (a page's markup) where it has a value, else `found` (read from the text)."""
    dated = stated if stated.published else found
    return Metadata(
        title=stated.title or found.title,
        outlet=stated.outlet or found.outlet,
        published=dated.published,
        published_text=dated.published_text,
        byline=stated.byline or found.byline,
        date_source=dated.date_source,
    )


def is_metadata_line(text: str) -> bool:
    """Lines that carry page metadata rather than content (bylines, date stamps)."""
    stripped = text.strip()
    byline = _BYLINE.match(stripped)
    return bool(
        byline and _is_byline(stripped, byline)
        or _STANDALONE_DATE.match(stripped)
        or _CREATED.search(stripped) and len(stripped) < 160
        or _relative_stamp(stripped) is not None
        or (_KO_STAMP.search(stripped) or _KO_UPDATED.search(stripped)) and len(stripped) < 120
        or _KO_BYLINE.match(stripped)
    )


def names_byline(text: str, byline: str | None) -> bool:
    """Whether a block only names the page's stated author: "Jane Doe", "By Jane Doe", "By 홍길동"."""
    if not byline:
        return False
    stripped = re.sub(r"^(?:by|von|par|글|written by)\s*[:|]?\s*", "", text.strip(), flags=re.I)
    return stripped.rstrip(" .|") == byline.strip()


def _is_byline(line: str, match: re.Match) -> bool:
    """"By Name" / "By Outlet | Created at ...": short, and the name part is a name, not a clause."""
    who = match.group("who").strip()
    return len(who.split()) <= 6 and not line.endswith(".") and not re.search(r"\b[a-z]{4,}\b", who)


def _byline_rest(rest: str, meta: Metadata) -> None:
    """What follows the name in "By Kim Min-ji | The Daily Ledger | November 27, 2026": each
    part is a full date (the publication date), else an outlet's name."""
    for part in (p.strip() for p in rest.split("|")):
        if not part:
            continue
        mentions = find_dates(part)
        if mentions and mentions[0].iso and len(mentions[0].iso) == 10 and len(mentions[0].text) >= len(part) - 12:
            if not meta.published:
                meta.published, meta.published_text, meta.date_source = mentions[0].iso, part, "byline"
        elif re.fullmatch(r"(?:The\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,5}", part) and not meta.outlet:
            meta.outlet = part


def is_outlet_line(text: str) -> bool:
    return bool(_OUTLET_LINE.match(text.strip()))


def _relative_stamp(line: str) -> re.Match | None:
    """A line that is only a relative time stamp ("Updated 16 hours ago"), or a byline whose last
    part is one ("By Jane Doe | 3 days ago")."""
    whole = _RELATIVE_LINE.fullmatch(line)
    if whole:
        return whole
    byline = _BYLINE.match(line)
    if byline and byline.group("rest") and _is_byline(line, byline):
        return _RELATIVE_PART.fullmatch(byline.group("rest").split("|")[-1].strip())
    return None


def resolve_relative(stamp: re.Match, reference: dt.date) -> str | None:
    """The day a relative stamp names, counted back from `reference` (the day the page was read):
    "16 hours ago" is that day, "3 days ago" three days before, "yesterday" one day before;
    None when that is before the calendar's first day."""
    word = (stamp.group("word") or "").lower()
    if word:
        days = 1 if word in ("yesterday", "어제") else 0
    else:
        count_text = (stamp.group("count") or stamp.group("count_ko") or "1").lower()
        count = int(count_text) if count_text.isdigit() else 1
        unit = (stamp.group("unit") or stamp.group("unit_ko")).lower()
        days = int(count * _UNIT_HOURS[unit] // 24)
    day = shifted(reference, -days)
    return day.isoformat() if day is not None else None


def extract(blocks: list[str], header_size: int = 8, reference: str | None = None) -> Metadata:
    """Read metadata from a page's blocks (before boilerplate removal).

    `reference` (ISO date; the brief's date) is the day a relative stamp ("16 hours ago") is
    counted back from; without it such a stamp gives no date.
    """
    meta = Metadata()
    header = blocks[:header_size]
    relative: tuple[re.Match, str] | None = None
    for text in header:
        stripped = text.strip()
        prefix = _DATE_PREFIX.match(stripped)
        if prefix and not meta.published:
            meta.published = meta.published_text = prefix.group("date")
            meta.date_source = "page"
        created = _CREATED.search(stripped)
        if created and not meta.published:
            meta.published = meta.published_text = created.group("date")
            # "Created at" is a crawler's stamp (when the page was saved), not the outlet's date.
            meta.date_source = "crawl" if created.group("word").lower() == "created" else "page"
        relative_stamp = _relative_stamp(stripped)
        if relative_stamp and relative is None:
            relative = (relative_stamp, relative_stamp.group("stamp"))
        byline = _BYLINE.match(stripped)
        if byline and _is_byline(stripped, byline):
            who = byline.group("who").strip()
            if who.startswith("The ") or is_outlet_line(who):
                meta.outlet = meta.outlet or who
            else:
                meta.byline = meta.byline or who
            _byline_rest(byline.group("rest") or "", meta)
        if _STANDALONE_DATE.match(stripped) and not meta.published:
            mentions = find_dates(stripped)
            if mentions and mentions[0].iso and len(mentions[0].iso) == 10:
                meta.published = mentions[0].iso
                meta.published_text = stripped
                meta.date_source = "page"
        if is_outlet_line(stripped) and not meta.outlet and stripped is header[0].strip():
            meta.outlet = stripped
        stamp = _KO_STAMP.search(stripped)
        if stamp and not meta.published:
            mentions = find_dates(stamp.group("date"))
            if mentions and mentions[0].iso and len(mentions[0].iso) == 10:
                meta.published, meta.published_text = mentions[0].iso, stamp.group("date")
                meta.date_source = "page"
        ko_byline = _KO_BYLINE.match(stripped)
        if ko_byline and not meta.byline:
            meta.byline = ko_byline.group("who")
    for text in header:
        korean = DATELINE.korean.match(text)
        if korean:
            meta.outlet = meta.outlet or _dateline_outlet(korean)
            meta.byline = meta.byline or korean.group("byline")
            break
    if not meta.published:
        for text in header:
            dateline = DATELINE.match(text.strip())
            if dateline and dateline.group("date"):
                mention = find_dates(dateline.group("date"))
                meta.published_text = dateline.group("date")
                meta.date_source = "dateline"
                if mention and mention[0].iso and len(mention[0].iso) == 10:
                    meta.published = mention[0].iso
                break
    if not meta.published_text and relative is not None and parse_iso(reference):
        meta.published = resolve_relative(relative[0], parse_iso(reference))
        meta.published_text, meta.date_source = relative[1], "relative"
    if not meta.outlet:
        for text in blocks[-4:]:
            found = _OUTLET_IN_TAIL.search(text)
            if found:
                meta.outlet = found.group("outlet").strip().rstrip(".")
                break
    return meta


# A heading is short; a longer unpunctuated block is body text (e.g. a truncated last paragraph).
_TITLE_MAX_WORDS = 30


def find_title(blocks: list[tuple[str, bool]]) -> str | None:
    """The first heading-like block before the article's first full sentence.

    `blocks` is (text, is_prose) for the content blocks in order, metadata already removed.
    """
    for text, is_prose in blocks[:6]:
        if is_prose:
            return None
        # A Korean word (eojeol) carries particles: "경찰, 딥페이크 수사 착수" is a full headline.
        shortest = 2 if is_korean(text) and len(text.strip()) >= 8 else 4
        if shortest <= len(text.split()) <= _TITLE_MAX_WORDS and not is_outlet_line(text):
            return text.strip()
    return None
