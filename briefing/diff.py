"""What changed between two briefs (brief.json), point by point, for daily use.

Points (bottom line, key points, background, positions) of the old and the new brief are paired
by citation overlap and text similarity (the lexical embedder of `briefing.similarity`). A
paired point whose text differs is *changed* (with the numbers that changed, when any); an
unpaired new point is *new*; an unpaired old point is *dropped*.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.render import md_escape
from briefing.similarity import LexicalEmbedder
from briefing.text import normalise, numbers

SECTIONS = ("bottom_line", "key_points", "background", "positions")
MATCH_SIMILARITY = 0.45  # text similarity that pairs two points on its own
MATCH_WITH_CITATION = 0.25  # text similarity that pairs two points sharing a citation


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


@dataclass
class BriefDiff:
    old_date: str
    new_date: str
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def load_brief(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def brief_points(data: dict[str, Any]) -> list[BriefPoint]:
    points = []
    for section in SECTIONS:
        for item in data.get(section) or []:
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
    return result


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


def _cites(point: BriefPoint) -> str:
    if not point.citations:
        return ""
    shown = [f"`{file}` line {a}" if a == b else f"`{file}` lines {a}–{b}" for file, a, b in sorted(point.citations)]
    return " (" + "; ".join(shown) + ")"
