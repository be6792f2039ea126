"""The day after: a brief that knows the earlier one (issue 21).

`continue_from(brief, ...)` finds the earlier brief (`briefing.history.locate`), matches today's
stories to its stories (`briefing.history.match`) and marks the brief: each story and "also
reported" item `new` or `continuing` with the day it first appeared (following the earlier
brief's own `first_seen`, so a chain of briefs keeps the first day) and its id there; each point
`new` or not; each figure whose value moved with the earlier value. A continuing story's points
that the earlier brief already gave leave its sections for its `previously_reported` list, so the
story opens with what is new. Stories of the earlier brief that no article of today reports are
listed in `no_new_reports`.

Without an earlier brief the brief is returned as it was built (a fresh OUT, `--no-history`);
one that cannot be read adds one note to the brief's warnings and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from briefing.embedding import SentenceEmbedder
from briefing.history.locate import PreviousBrief, PreviousStory, find_previous
from briefing.history.match import already_reported, match_stories, previous_value
from briefing.merge.sameness import FactMatcher
from briefing.model import Article, Brief, HistoryInfo, PreviousFigure, QuietStory, Story
from briefing.paths import shown_path
from briefing.stories.grouping import lead_text

#: Days back that `briefing run` looks for an earlier brief by default.
HISTORY_DAYS = 7

NEW, CONTINUING = "new", "continuing"


def continue_from(brief: Brief, articles: list[Article], out_dir: Path, days: int = HISTORY_DAYS,
                  since: Path | None = None, embedder: SentenceEmbedder | None = None) -> Brief:
    """`brief` (made from `articles`) marked against the earlier brief found in `out_dir` (or
    `since`); changed in place."""
    found = find_previous(out_dir, brief.date, days, since)
    if found.note:
        brief.warnings.append(found.note)
    if found.brief is None:
        return brief
    mark(brief, articles, found.brief, embedder)
    return brief


def mark(brief: Brief, articles: list[Article], previous: PreviousBrief, embedder: SentenceEmbedder | None = None) -> None:
    """Mark `brief` against `previous` (see the module docstring)."""
    brief.history = HistoryInfo(previous.date, previous.shown or shown_path(str(previous.path)))
    everything = brief.stories + brief.also_reported
    by_id = {a.id: a for a in articles}
    leads = [[lead_text(by_id[i]) for i in story.article_ids if i in by_id] or [story.title] for story in everything]
    matches = match_stories(everything, leads, previous.stories, embedder)
    matcher = FactMatcher(embedder)
    for k, (story, index) in enumerate(zip(everything, matches)):
        if index is None:
            story.status, story.first_seen = NEW, brief.date
            for point in story.shown_points:
                point.new = True
            continue
        earlier = previous.stories[index]
        story.status, story.first_seen, story.previous_id = CONTINUING, earlier.first_seen, earlier.id
        _mark_points(story, earlier, matcher)
        for row in story.figures:
            value = previous_value(row, earlier)
            row.previous = PreviousFigure(value, previous.date) if value is not None else None
        if k < len(brief.stories):  # an "also reported" item is one line: nothing to reorder
            _lead_with_what_is_new(story)
    reported = {i for i in matches if i is not None}
    brief.no_new_reports = [
        QuietStory(s.id, s.title, s.titles, s.first_seen, previous.date)
        for k, s in enumerate(previous.stories) if k not in reported
    ]


def _mark_points(story: Story, earlier: PreviousStory, matcher: FactMatcher) -> None:
    points = story.shown_points
    for point, old in zip(points, already_reported(points, earlier, matcher)):
        point.new = not old


def _lead_with_what_is_new(story: Story) -> None:
    """Points already reported move to `previously_reported` (in the order the story showed them);
    the bottom line is today's news: its new points, else the first new key point, else (nothing
    new at all) the bottom line as it was."""
    fresh = [p for p in story.bottom_line if p.new]
    old = [p for p in story.bottom_line if not p.new]
    keys = [p for p in story.key_points if p.new]
    if not fresh and keys:
        fresh, keys = keys[:1], keys[1:]
    if not fresh:
        fresh, old = story.bottom_line, []
    story.previously_reported = old + [p for p in story.key_points if not p.new]
    story.previously_reported += [p for p in story.background if not p.new]
    story.previously_reported += [p.statement for p in story.positions if not p.statement.new]
    story.bottom_line, story.key_points = fresh, keys
    story.background = [p for p in story.background if p.new]
    story.positions = [p for p in story.positions if p.statement.new]
