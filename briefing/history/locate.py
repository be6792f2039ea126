"""Find and read the earlier brief a run continues from.

`briefing run DIR --out OUT --date D` looks in OUT for the dated folders (YYYY-MM-DD) before D,
at most `days` back, and takes the most recent one that holds a brief.json; `--since PATH` names
one instead. What is read is the brief as `render_json` writes it, validated by the one
brief.json reader (`briefing.review.diff.load_brief`), then taken apart into `PreviousBrief`.

A brief that cannot be used (missing where named, damaged, or of the older single-story layout)
is one note and no history, never a failure. A fresh OUT (no earlier brief) is no note at all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.dates import shifted
from briefing.paths import shown_path

_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")
SECTIONS = ("bottom_line", "key_points", "background", "previously_reported")
LEAD_WORDS = 24


@dataclass
class PreviousStory:
    """A story (or "also reported" item) of the earlier brief, as matching needs it."""

    id: str
    title: str
    titles: dict[str, str]
    first_seen: str  # ISO: its own first_seen, else the earlier brief's date
    points: list[str]  # every shown point's text (and its wordings in other languages), bottom line first
    figures: list[tuple[str, str]] = field(default_factory=list)  # (value, what it counts) in the source's words

    @property
    def lead(self) -> str:
        """What the story is about: its title and the start of its bottom line, LEAD_WORDS words
        in all (embedding a whole bottom line costs twice as much and matches no better)."""
        return " ".join(" ".join([self.title, *self.points[:1]]).split()[:LEAD_WORDS])


@dataclass
class PreviousBrief:
    date: str
    path: Path
    stories: list[PreviousStory]
    shown: str = ""  # as the brief names it: DATE/brief.json under OUT, else the path as given


@dataclass
class Found:
    """The earlier brief, or the note saying why there is none (both None: a fresh OUT)."""

    brief: PreviousBrief | None = None
    note: str | None = None


def find_previous(out_dir: Path, date: str, days: int, since: Path | None = None) -> Found:
    """The brief to continue from: `since` when given, else the latest dated brief in `out_dir`
    from `days` days before `date` up to the day before."""
    if since is not None:
        if not since.is_file():
            return Found(note=f"history: {shown_path(str(since))} not found; this brief is made without history")
        return read_previous(since)
    if days < 1:
        return Found()
    today = dt.date.fromisoformat(date)
    start = shifted(today, -days)  # None before 0001-01-01: every earlier day counts
    earliest = start.isoformat() if start is not None else "0001-01-01"
    try:
        entries = sorted(os.listdir(out_dir), reverse=True)
    except OSError:  # no OUT yet, or not a folder: nothing earlier
        return Found()
    for name in entries:
        if not _DATED.fullmatch(name) or not earliest <= name < date or not _is_date(name):
            continue
        candidate = out_dir / name / "brief.json"
        if os.path.lexists(candidate):
            found = read_previous(candidate)
            if found.brief is not None:  # named the same whichever OUT holds it
                found.brief.shown = f"{name}/brief.json"
            return found
    return Found()


def read_previous(path: Path) -> Found:
    """The brief at `path`, or one note naming it and why it cannot be used."""
    from briefing.review.diff import BriefFileError, load_brief

    unusable = "; this brief is made without history"
    try:
        data = load_brief(path)
    except BriefFileError as exc:
        return Found(note=f"history: {exc}{unusable}")
    where = shown_path(str(path))
    if "stories" not in data:
        return Found(note=f"history: {where} is of an older format (no stories){unusable}")
    try:
        stories = [_story(item, data["date"]) for key in ("stories", "also_reported") for item in data.get(key) or []]
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        return Found(note=f"history: {where}: not a brief this version can read ({type(exc).__name__}: {exc}){unusable}")
    return Found(PreviousBrief(data["date"], path, stories, where))


def _story(item: dict[str, Any], date: str) -> PreviousStory:
    texts: list[str] = []
    for section in SECTIONS:
        for point in item.get(section) or []:
            texts += _wordings(point)
    for position in item.get("positions") or []:
        texts += _wordings(position["statement"])
    figures = [(str(row["value"]), str(row["counts"])) for row in item.get("figures") or []]
    for row in item.get("figures") or []:
        figures += [(str(value), str(counts)) for value, counts in (row.get("alternates") or {}).values()]
    first_seen = item.get("first_seen") or date
    if not (isinstance(first_seen, str) and _is_date(first_seen)):
        raise ValueError(f"first_seen {first_seen!r} is not a date")
    titles = {str(k): str(v) for k, v in (item.get("titles") or {}).items()}
    return PreviousStory(str(item["id"]), str(item["title"]), titles, first_seen, texts, figures)


def _wordings(point: dict[str, Any]) -> list[str]:
    text = point["text"]
    if not isinstance(text, str):
        raise ValueError("a point's text is not a string")
    return [text, *(str(v) for _, v in sorted((point.get("alternates") or {}).items()))]


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(_DATED.fullmatch(text))
