"""The typed data model that flows from stage to stage.

ingest -> Article (with Sentence spans) -> stories (article ids per story) -> condense -> Point
(with Citation) -> merge, per story -> Point (clustered, several citations) -> Story sections
-> Brief (stories, also-reported) -> render.

Everything here is plain data: no stage logic, no heavy imports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    """Where a statement comes from: a file, an inclusive 1-based line span, and the exact source text."""

    file: str
    line_start: int
    line_end: int
    quote: str

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.file, self.line_start, self.line_end)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article with its position in the source file."""

    text: str
    line_start: int
    line_end: int
    index: int  # position among the article's sentences, 0-based
    paragraph: int  # which paragraph (block of text) it belongs to, 0-based
    is_fragment: bool = False  # a heading or label, not a statement


@dataclass
class Article:
    """A decoded, cleaned source file."""

    id: str  # file stem, unique within a run
    path: str  # path as cited in briefs (relative to the input folder's parent)
    language: str  # "en" or "ko"
    sentences: list[Sentence]
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date when the full date is stated
    published_text: str | None = None  # the date as written, also when partial
    byline: str | None = None
    encoding: str = "utf-8"
    boilerplate_lines: list[int] = field(default_factory=list)
    # Where the date was read: "page" (its markup or a date line), "byline", "dateline", "relative"
    # (counted back from a stamp such as "16 hours ago") or "crawl" (a crawler's "Created at" stamp).
    date_source: str | None = None

    @property
    def reported(self) -> str | None:
        """The ISO date its points count as reported on: `published`, unless only a crawler's
        stamp gives one (that says when the page was fetched, not when it was published)."""
        return None if self.date_source == "crawl" else self.published

    def citation(self, sentence: Sentence) -> Citation:
        return Citation(self.path, sentence.line_start, sentence.line_end, sentence.text)


@dataclass
class Point:
    """A statement for the brief, backed by one or more citations.

    `text` is in `language`. A merged point keeps the citations of every article that reports it.
    """

    text: str
    citations: list[Citation]
    language: str = "en"
    salience: float = 0.0
    article_ids: list[str] = field(default_factory=list)
    origin: str = "extractive"  # which condenser produced it
    variants: list[str] = field(default_factory=list)  # other wordings merged into this point
    # The same fact as a cited source words it in another language ({"ko": "..."}): shown in that
    # language's brief instead of a translation (it is source text, not a guess).
    alternates: dict[str, str] = field(default_factory=dict)
    # ISO date on which its earliest dated source published it, shown with the point so that
    # "so far this year" or "on Monday" reads against the right day (set when sections are built).
    reported: str | None = None
    # With a history (briefing.history): False when the last brief already reported this fact.
    new: bool | None = None

    def text_in(self, language: str) -> str | None:
        """The point's wording in `language` from its sources, if any."""
        return self.text if self.language == language else self.alternates.get(language)

    @property
    def outlets(self) -> int:
        return len(set(self.article_ids))


@dataclass
class TimelineEvent:
    date: str  # ISO (YYYY-MM-DD, YYYY-MM or YYYY), or the text as written when the year is unknown
    label: str  # short description, quoted from the source
    citations: list[Citation]
    sortable: str  # key used for ordering


@dataclass
class Figure:
    value: str  # the number as written ("88", "53%", "2,100")
    counts: str  # what it counts, quoted from the source
    citations: list[Citation]
    # The same figure as a source in another language writes it: {"ko": ["88건", "신고"]}.
    alternates: dict[str, list[str]] = field(default_factory=dict)
    # With a history: the value the last brief gave for the same counted thing, when it changed.
    previous: PreviousFigure | None = None

    def in_language(self, language: str, own: str) -> tuple[str, str]:
        """(value, what it counts) as a source in `language` words them; `own` is the row's language."""
        if language != own and language in self.alternates:
            value, counts = self.alternates[language]
            return value, counts
        return self.value, self.counts


@dataclass(frozen=True)
class PreviousFigure:
    """A figure's value in the last brief (`date`, ISO) when today's differs."""

    value: str
    date: str


@dataclass
class Position:
    """A statement of someone's position. `actor` names them as the statement's own language
    does; `alternates` as a cited source in another language does ({"en": "Kim Dae-ho"})."""

    actor: str
    statement: Point
    alternates: dict[str, str] = field(default_factory=dict)

    def actor_in(self, language: str) -> str | None:
        return self.actor if self.statement.language == language else self.alternates.get(language)


@dataclass
class ConflictSide:
    value: str
    citation: Citation
    article_id: str


@dataclass
class Conflict:
    kind: str  # "date" | "figure" | "name" | "period"
    subject: str  # what the sources disagree about
    sides: list[ConflictSide]
    note: str = ""


@dataclass
class Translation:
    """A translated text and what the guards found."""

    source: str
    text: str
    translated: bool
    flags: list[str] = field(default_factory=list)


@dataclass
class SourceInfo:
    id: str
    path: str
    title: str | None
    outlet: str | None
    published: str | None
    published_text: str | None
    byline: str | None
    language: str
    encoding: str
    date_source: str | None = None  # as Article.date_source


@dataclass
class Story:
    """One story of the day: the articles that report it and its sections, built only from them.

    A story reported by one article only has a title and a one-point bottom line (the brief's
    "also reported" list).
    """

    id: str
    title: str
    article_ids: list[str]
    outlets: list[str]  # distinct outlets the articles state, sorted
    latest: str | None  # the most recent publication date (ISO) of its articles, when stated
    bottom_line: list[Point]
    key_points: list[Point] = field(default_factory=list)
    background: list[Point] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # a source headline per language ("en", "ko")
    # With a history (briefing.history): "new" or "continuing", the day the story first appeared
    # (ISO), its id in the last brief, and today's points of facts the last brief already gave.
    status: str | None = None
    first_seen: str | None = None
    previous_id: str | None = None
    previously_reported: list[Point] = field(default_factory=list)

    @property
    def shown_points(self) -> list[Point]:
        """Every point shown as text (each appears under one heading)."""
        return (self.bottom_line + self.key_points + self.background + [p.statement for p in self.positions]
                + self.previously_reported)


@dataclass
class QuietStory:
    """A story of the last brief that no article of today reports ("No new reports today")."""

    previous_id: str
    title: str
    titles: dict[str, str]
    first_seen: str  # ISO
    last_reported: str  # ISO: the date of the last brief


@dataclass(frozen=True)
class HistoryInfo:
    """The earlier brief a brief was compared with."""

    date: str  # ISO
    path: str  # DATE/brief.json under the output folder, or the --since path as given


@dataclass
class Brief:
    """The structured brief: what every renderer and brief.json are made from.

    `stories` are the stories reported by two or more articles, most reported first;
    `also_reported` the one-article stories, one cited line each.
    """

    date: str
    title: str
    stories: list[Story]
    also_reported: list[Story]
    sources: list[SourceInfo]
    engines: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    history: HistoryInfo | None = None  # None: made without an earlier brief
    no_new_reports: list[QuietStory] = field(default_factory=list)

    @property
    def shown_points(self) -> list[Point]:
        return [p for story in self.stories + self.also_reported for p in story.shown_points]

    def to_dict(self) -> dict[str, Any]:
        """The brief as plain data; one made without history carries none of the history fields
        (it is exactly the brief of the day), one made with it carries all of them."""
        data = asdict(self)
        if self.history is None:
            _drop(data, BRIEF_HISTORY_FIELDS)
            for story in data["stories"] + data["also_reported"]:
                _drop(story, STORY_HISTORY_FIELDS)
                for point in _points_of(story):
                    _drop(point, POINT_HISTORY_FIELDS)
                for row in story["figures"]:
                    _drop(row, FIGURE_HISTORY_FIELDS)
        return data


BRIEF_HISTORY_FIELDS = ("history", "no_new_reports")
STORY_HISTORY_FIELDS = ("status", "first_seen", "previous_id", "previously_reported")
POINT_HISTORY_FIELDS = ("new",)
FIGURE_HISTORY_FIELDS = ("previous",)


def _drop(data: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        data.pop(key, None)


def _points_of(story: dict[str, Any]) -> list[dict[str, Any]]:
    points = story["bottom_line"] + story["key_points"] + story["background"] + story.get("previously_reported", [])
    return points + [position["statement"] for position in story["positions"]]
