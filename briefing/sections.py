"""From merged points to the brief's sections.

Each point appears under exactly one heading (bottom line, key points, background, or policy
options and positions), so no content repeats across headings. The timeline and the key-figures
table are structured views: short quotes around a date or a figure, each with its citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.dates import find_dates, parse_iso
from briefing.model import Article, Citation, Figure, Point, Position, TimelineEvent
from briefing.support import check_support
from briefing.text import content_words, names, normalise

_POSITION = re.compile(
    r"\b(urged?|urging|called for|calls for|proposed?|proposing|plans? to|planned to|pledged?|"
    r"should|must|vowed?|demanded?|recommend\w*|considering|seeking|sought|stressed|condemned|"
    r"announced plans|is necessary|needs? to)\b",
    re.I,
)
_ATTRIBUTION = re.compile(r"\b(said|says|told|stated|added|according to|announced|mentioned|stressed|wrote)\b", re.I)
_BACKGROUND = re.compile(
    r"\b(since (19|20)\d\d|in (19|20)\d\d|back in|for years|previous(ly)?|first came under|"
    r"over the past|history|earlier (this|last)|long[- ]standing|had been)\b",
    re.I,
)
_ROLE_PREFIX = re.compile(
    r"^(?:(?:while|although|though|as|after|when|since|regarding|despite|because|if|south korean?|korean|french|u\.s\.|the|former|forensic|chief|head|president|commissioner|"
    r"chairman|minister|psychologist|mr|ms|mrs|dr)\s+)+",
    re.I,
)


@dataclass
class Sections:
    bottom_line: list[Point]
    key_points: list[Point]
    background: list[Point]
    positions: list[Position]


def partition(points: list[Point], articles: list[Article], bottom: int = 2) -> Sections:
    """Assign each point (most important first) to one section."""
    published = {a.path: parse_iso(a.published) for a in articles}
    bottom_line: list[Point] = []
    key_points: list[Point] = []
    background: list[Point] = []
    positions: list[Position] = []
    for point in points:
        actor = position_actor(point.text)
        if actor and len(bottom_line) >= bottom:
            positions.append(Position(actor, point))
        elif _is_background(point, published) and len(bottom_line) >= bottom:
            background.append(point)
        elif len(bottom_line) < bottom:
            bottom_line.append(point)
        else:
            key_points.append(point)
    return Sections(bottom_line, key_points, background, positions)


def position_actor(text: str) -> str | None:
    """Who proposes or holds a position in `text`, if it reports one."""
    if not _POSITION.search(text):
        return None
    found = names(text)
    # Prefer a person or body named near an attribution verb or at the start.
    subject = re.match(r"^[^,]*?(?:,\s*)?((?:[A-Z][\w.'-]*\s*){1,6})\b(?:has|have|had|is|was|will|plans|called|urged|stressed|condemned|told|said|mentioned|announced)", text)
    candidates = [subject.group(1).strip()] if subject else []
    said = re.search(r"\bsaid ((?:Mr |Ms |Dr )?[A-Z][\w-]+(?: [A-Z][\w-]+)*)", text)
    if said:
        candidates.insert(0, said.group(1))
    candidates += found
    for candidate in candidates:
        cleaned = _ROLE_PREFIX.sub("", candidate).strip(" ,")
        if cleaned and cleaned[0].isupper() and cleaned not in ("Telegram", "South Korea", "Korea"):
            return cleaned
    if _ATTRIBUTION.search(text) or re.search(r"\b(government|commission|police|agency|ministry)\b", text, re.I):
        match = re.search(r"\b(the [\w ]{0,30}?(government|commission|police|agency|ministry|regulator))\b", text, re.I)
        if match:
            return match.group(1)
    return None


def _is_background(point: Point, published: dict) -> bool:
    if _BACKGROUND.search(point.text):
        return True
    dates = [d for d in (published.get(c.file) for c in point.citations) if d]
    if not dates:
        return False
    reference = max(dates)
    return any(m.year is not None and m.year < reference.year and m.month is None for m in find_dates(point.text))


def timeline(points: list[Point], articles: list[Article]) -> list[TimelineEvent]:
    """Dated events from the points, with dates normalised against each source's date.

    The same date reported by several sources for the same event is one entry citing them all.
    """
    published = {a.path: parse_iso(a.published) for a in articles}
    events: list[tuple[TimelineEvent, str]] = []  # with the full sentence, for matching
    for point in points:
        citation = point.citations[0]
        reference = published.get(citation.file)
        for mention in find_dates(point.text, reference):
            if mention.month is None and mention.year is None:
                continue
            label = clause_around(point.text, mention.start, mention.end)
            same = next(
                (e for e, text in events if e.sortable == mention.sort_key and same_report(text, point.text)), None
            )
            if same is not None:
                _cite_if_supported(same.citations, same.label, _citations_with(point, label))
                continue
            event = TimelineEvent(
                date=mention.iso or mention.text,
                label=label,
                citations=list(_citations_with(point, label)),
                sortable=mention.sort_key,
            )
            events.append((event, point.text))
    return sorted((e for e, _ in events), key=lambda e: (e.sortable, e.label))


def _cite_if_supported(citations: list[Citation], statement: str, candidates: list[Citation]) -> bool:
    """Add the candidates whose text supports `statement`; True when any was (or already is) cited."""
    added = False
    for candidate in candidates:
        if candidate in citations:
            added = True
        elif check_support(statement, candidate.quote).supported:
            citations.append(candidate)
            added = True
    return added


def same_report(a: str, b: str, overlap: float = 0.3) -> bool:
    """Two sentences that share enough content words to be reports of one fact."""
    wa, wb = set(content_words(a)), set(content_words(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= overlap


def _citations_with(point: Point, quote: str) -> list[Citation]:
    """The point's citations whose text contains `quote` (at least the first one)."""
    holding = [c for c in point.citations if normalise(quote) in normalise(c.quote)]
    return holding or [point.citations[0]]


def clause_around(text: str, start: int, end: int, max_words: int = 22) -> str:
    """The clause of `text` that contains [start, end), as an exact substring."""
    left = max(text.rfind(sep, 0, start) for sep in (", ", "; ", " -- ", " — ", ": "))
    left = 0 if left < 0 else left + 2
    right_candidates = [i for i in (text.find(sep, end) for sep in (", ", "; ", " -- ", " — ")) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    clause = text[left:right].strip().rstrip(".")
    tokens = clause.split(" ")
    if len(tokens) > max_words:
        # Keep a window of words centred on the date.
        prefix = len(text[left:start].split())
        lo = max(0, prefix - max_words // 2)
        clause = " ".join(tokens[lo : lo + max_words])
    return clause


_FIGURE = re.compile(
    r"(?<![\w.,-])((?:more than |over |around |about |nearly |up to )?(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:%| percent|-fold)?)"
    r"((?:\s+[\w'’-]+){1,6})"
)
_STOP_AFTER = re.compile(r"\b(in|on|at|from|to|by|for|over|since|during|compared|with|and|which|that|who|as|of the)\b.*$")


def figures(points: list[Point]) -> list[Figure]:
    """Numbers that count something, with what they count.

    The same figure from several sources (same value, overlapping sentences) is one row.
    """
    rows: list[tuple[Figure, str, str]] = []  # (row, normalised value, sentence)
    for point in points:
        spans = [(m.start, m.end) for m in find_dates(point.text)]
        for match in _FIGURE.finditer(point.text):
            if any(a <= match.start(1) < b for a, b in spans):
                continue  # part of a date
            value = match.group(1).strip()
            raw_number = re.sub(r"[^\d.]", "", value.split()[-1])
            if re.fullmatch(r"(19|20)\d\d", raw_number):
                continue  # a year
            counts = _STOP_AFTER.sub("", match.group(2)).strip(" ,.;:")
            if not counts:
                continue
            normalised = re.sub(r"[^\d.%]", "", value)
            same = next((f for f, v, text in rows if v == normalised and same_report(text, point.text)), None)
            if same is not None and _cite_if_supported(same.citations, f"{same.value} {same.counts}", _citations_with(point, value)):
                continue
            rows.append((Figure(value=value, counts=counts, citations=list(_citations_with(point, value))), normalised, point.text))
    return [f for f, _, _ in rows]
