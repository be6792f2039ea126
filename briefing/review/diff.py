"""What changed between two briefs (brief.json), point by point, for daily use.

Points (bottom line, key points, background, positions) of the old and the new brief are paired
by citation overlap and text similarity (the lexical embedder of `briefing.merge.similarity`). A
paired point whose text differs is *changed* (with the numbers that changed, when any); an
unpaired new point is *new*; an unpaired old point is *dropped*.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.brief.render import md_escape
from briefing.ingest.decode import DecodeError, read_file_bytes
from briefing.merge.sameness import RELATED, SAME_FACT
from briefing.merge.similarity import LexicalEmbedder
from briefing.paths import safe_path, shown_path
from briefing.text import normalise, numbers

SECTIONS = ("bottom_line", "key_points", "background", "positions", "previously_reported")
STATUSES = ("new", "continuing")  # a story's status in a brief made with an earlier one (briefing.history)
MATCH_SIMILARITY = SAME_FACT  # text similarity that pairs two points on its own: the same fact
MATCH_WITH_CITATION = RELATED  # text similarity that pairs two points sharing a citation


@dataclass(frozen=True)
class BriefPoint:
    section: str
    text: str
    citations: frozenset[tuple[str, int, int]]

    @property
    def numbers(self) -> list[str]:
        return numbers(self.text)


@dataclass(frozen=True)
class Change:
    kind: str  # "new" | "changed" | "dropped"
    old: BriefPoint | None
    new: BriefPoint | None
    detail: str = ""


@dataclass(frozen=True)
class StoryStatus:
    """A story of the new brief as its history marks it; "quiet": in the earlier brief, no report today."""

    title: str
    status: str  # "new" | "continuing" | "quiet"
    first_seen: str = ""


@dataclass
class BriefDiff:
    old_date: str
    new_date: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    stories: list[StoryStatus] = field(default_factory=list)  # empty: the new brief was made without history

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


class BriefFileError(ValueError):
    """A brief.json that cannot be compared; the message is one line naming the file."""


MAX_JSON_DEPTH = 32  # brief.json nests about six levels
_STORY_LISTS = ("stories", "also_reported", "no_new_reports")


def load_brief(path: Path) -> dict[str, Any]:
    """Read and validate a brief.json. Raises BriefFileError (one line) when it is not one."""
    where = shown_path(str(path))
    try:
        data = read_file_bytes(path)
    except DecodeError as exc:
        raise BriefFileError(f"{where}: cannot read: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BriefFileError(f"{where}: not UTF-8 text (a brief.json is written in UTF-8)") from None
    if not text.strip():
        raise BriefFileError(f"{where}: empty file, not a brief.json")
    try:
        loaded = json.loads(text)
    except RecursionError:
        raise BriefFileError(f"{where}: not a brief.json (nested too deeply)") from None
    except ValueError as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        line = f" at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise BriefFileError(f"{where}: not valid JSON ({message}{line})") from None
    problem = brief_shape_problem(loaded)
    if problem:
        raise BriefFileError(f"{where}: not a brief.json ({problem})")
    return loaded


def brief_shape_problem(data: Any) -> str | None:
    """What keeps `data` from being a brief (as `render_json` writes it), or None.

    Checks what comparing needs, whatever the layout of the sections: an object with a date;
    every list of points a list of objects; every point's text a string; every citation an
    object with a string `file` and whole-number `line_start` and `line_end`.
    """
    if not isinstance(data, dict):
        return f"the top level is {_json_kind(data)}, not an object"
    if "date" not in data:
        return 'no "date"'
    if not (isinstance(data["date"], str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["date"])):
        return '"date" is not a YYYY-MM-DD string'
    if not any(key in data for key in (*SECTIONS, *_STORY_LISTS)):
        return f"none of {', '.join((*SECTIONS, *_STORY_LISTS))}"
    if problem := _history_problem(data):
        return problem
    pending: list[tuple[Any, str, int]] = [(data, "", 0)]
    while pending:
        value, where, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return f"nested more than {MAX_JSON_DEPTH} levels at {where}"
        if isinstance(value, list):
            pending += [(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
            continue
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            at = f"{where}.{key}" if where else key
            listed = (*SECTIONS, "citations") + (_STORY_LISTS if not where else ())  # stats.* may count stories
            if key in listed and not (
                isinstance(item, list) and all(isinstance(entry, dict) for entry in item)
            ):
                return f"{at} is not a list of objects"
            if key == "statement" and not isinstance(item, dict):
                return f"{at} is {_json_kind(item)}, not an object"
            if key == "text" and not isinstance(item, str):
                return f"{at} is {_json_kind(item)}, not a string"
            if key == "citations":
                for i, citation in enumerate(item):
                    problem = _citation_problem(citation)
                    if problem:
                        return f"{at}[{i}] {problem}"
            pending.append((item, at, depth + 1))
    return None


def _history_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with the history fields of the stories (briefing.history), or None."""
    for key in _STORY_LISTS:
        stories = data.get(key)
        if not isinstance(stories, list):
            continue
        for i, story in enumerate(stories):
            if not isinstance(story, dict):
                continue
            status = story.get("status")
            if status is not None and status not in STATUSES:
                return f"{key}[{i}].status is {status!r}, not one of {', '.join(STATUSES)}"
            first_seen = story.get("first_seen")
            if first_seen is not None and not (isinstance(first_seen, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", first_seen)):
                return f"{key}[{i}].first_seen is not a YYYY-MM-DD string"
    return None


def _citation_problem(citation: dict[str, Any]) -> str | None:
    if not isinstance(citation.get("file"), str):
        return 'has no "file" string'
    for key in ("line_start", "line_end"):
        value = citation.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            return f'has no whole-number "{key}"'
    return None


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def brief_points(data: dict[str, Any]) -> list[BriefPoint]:
    """Every shown point of a brief.json: per story (`stories`, `also_reported`), or the
    single-story layout of briefs written before stories existed (sections at the top level)."""
    points = []
    stories = (data.get("stories") or []) + (data.get("also_reported") or [])
    for story in stories if "stories" in data else [data]:
        for section in SECTIONS:
            for item in story.get(section) or []:
                point = item.get("statement", item) if section == "positions" else item
                keys = frozenset((c["file"], int(c["line_start"]), int(c["line_end"])) for c in point.get("citations", []))
                points.append(BriefPoint(section, point.get("text", ""), keys))
    return points


def diff_briefs(old: dict[str, Any], new: dict[str, Any]) -> BriefDiff:
    old_points, new_points = brief_points(old), brief_points(new)
    result = BriefDiff(str(old.get("date", "")), str(new.get("date", "")))
    texts = [p.text for p in old_points] + [p.text for p in new_points]
    matrix = LexicalEmbedder().similarity_matrix(texts) if texts else []
    offset = len(old_points)
    candidates = []
    for i, a in enumerate(old_points):
        for j, b in enumerate(new_points):
            similarity = matrix[i][offset + j]
            shared = bool(a.citations & b.citations)
            same = normalise(a.text) == normalise(b.text)
            if same or similarity >= MATCH_SIMILARITY or (shared and similarity >= MATCH_WITH_CITATION):
                score = (2.0 if same else 0.0) + similarity + (0.5 if shared else 0.0)
                candidates.append((-score, i, j))
    paired_old: set[int] = set()
    paired_new: dict[int, int] = {}
    for _, i, j in sorted(candidates):
        if i in paired_old or j in paired_new:
            continue
        paired_old.add(i)
        paired_new[j] = i
    for j, b in enumerate(new_points):
        if j not in paired_new:
            result.changes.append(Change("new", None, b))
            continue
        a = old_points[paired_new[j]]
        if normalise(a.text) == normalise(b.text):
            result.unchanged += 1
        else:
            result.changes.append(Change("changed", a, b, _change_detail(a, b)))
    for i, a in enumerate(old_points):
        if i not in paired_old:
            result.changes.append(Change("dropped", a, None))
    result.stories = story_statuses(new)
    return result


def story_statuses(data: dict[str, Any]) -> list[StoryStatus]:
    """The stories of a brief made with history, as marked; empty for one made without."""
    found = [
        StoryStatus(str(story.get("title", "")), str(story["status"]), str(story.get("first_seen") or ""))
        for key in ("stories", "also_reported") for story in data.get(key) or [] if story.get("status")
    ]
    found += [StoryStatus(str(story.get("title", "")), "quiet", str(story.get("first_seen") or ""))
              for story in data.get("no_new_reports") or []]
    return found


def _change_detail(old: BriefPoint, new: BriefPoint) -> str:
    notes = []
    before, after = old.numbers, new.numbers
    if before != after:
        gone = [n for n in before if n not in after]
        came = [n for n in after if n not in before]
        if gone or came:
            notes.append(f"numbers changed: {', '.join(gone) or '—'} → {', '.join(came) or '—'}")
    if old.citations != new.citations:
        notes.append("citations changed")
    if old.section != new.section:
        notes.append(f"moved from {old.section.replace('_', ' ')} to {new.section.replace('_', ' ')}")
    return "; ".join(notes) or "reworded"


def diff_markdown(diff: BriefDiff) -> str:
    """The changes as a short Markdown report."""
    title = f"# Changes in the brief of {diff.new_date or 'the new brief'}"
    lines = [title + (f" since {diff.old_date}" if diff.old_date else ""), ""]
    if diff.stories:
        lines += _story_lines(diff.stories)
    for kind, heading in (("new", "New"), ("changed", "Changed"), ("dropped", "Dropped")):
        changes = diff.of_kind(kind)
        lines += [f"## {heading} ({len(changes)})", ""]
        if not changes:
            lines += ["_None._", ""]
            continue
        for change in changes:
            point = change.new or change.old
            assert point is not None
            line = f"- {md_escape(point.text)}{_cites(point)}"
            if change.kind == "changed" and change.old is not None:
                line += f"\n  - was: {md_escape(change.old.text)}\n  - {md_escape(change.detail)}"
            lines.append(line)
        lines.append("")
    lines.append(f"_{diff.unchanged} point(s) unchanged._")
    return "\n".join(lines) + "\n"


def _story_lines(stories: list[StoryStatus]) -> list[str]:
    """The new brief's own story marks: new, developing since a day, no new reports today."""
    lines = ["## Stories", ""]
    for story in stories:
        if story.status == "continuing":
            mark = f"developing since {story.first_seen}"
        elif story.status == "quiet":
            mark = "no new reports today"
        else:
            mark = "new"
        lines.append(f"- {md_escape(story.title)} ({mark})")
    return lines + [""]


def _cites(point: BriefPoint) -> str:
    if not point.citations:
        return ""
    cited = [(safe_path(file), a, b) for file, a, b in sorted(point.citations)]
    shown = [f"`{file}` line {a}" if a == b else f"`{file}` lines {a}–{b}" for file, a, b in cited]
    return " (" + "; ".join(shown) + ")"
