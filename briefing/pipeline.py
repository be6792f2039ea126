"""The whole run: ingest -> condense -> merge -> sections -> translate -> render -> write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.conflicts import find_conflicts
from briefing.engines import Engines, select_engines
from briefing.ingest import IngestResult, ingest_folder
from briefing.merge import merge_points
from briefing.model import Article, Brief, Point, SourceInfo, Translation
from briefing.outputs import write_atomically
from briefing.render import render_json, render_markdown
from briefing.sections import figures, partition, timeline
from briefing.support import check_support
from briefing.text import content_words

LANGUAGES = ("en", "ko")


def translation_hint() -> str:
    """The command that installs the default English-to-Korean model."""
    from briefing.registry import load_registry

    return f"briefing models pull {load_registry().default('translate-en-ko').key}"


class BriefingError(RuntimeError):
    """A run that cannot produce a brief; the message is a one-line reason."""


@dataclass
class RunOptions:
    input_dir: Path = Path("seeds")
    out_dir: Path = Path("outputs")
    date: str | None = None  # ISO date naming the output folder; today when not given
    languages: tuple[str, ...] = LANGUAGES
    max_points: int = 12
    per_article: int = 5
    summariser: str = "auto"
    translator: str = "auto"
    model: str | None = None  # --model: path or id of the summarisation model
    device: str | None = None  # --device: cpu, cuda, cuda:1 ...; automatic when None
    quantize: str | None = None  # --quantize auto (None) | int8 | none: int8 on CPU by default
    cache_dir: Path | None = None
    no_cache: bool = False
    ray: str | None = None  # --ray: local | auto | a cluster address (briefing.distributed)


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
        dt.date.fromisoformat(date)
    except ValueError:
        raise BriefingError(f"invalid --date {date!r} (expected YYYY-MM-DD)") from None

    say("reading articles")
    try:
        ingested = ingest_folder(options.input_dir)
    except FileNotFoundError as exc:
        raise BriefingError(str(exc)) from None
    if not ingested.articles:
        reason = "; ".join(ingested.warnings) or "no .txt, .md or .html files"
        raise BriefingError(f"no readable articles in {options.input_dir} ({reason})")

    if engines is None:
        from briefing.loading import ModelError

        try:
            engines = select_engines(
                options.summariser,
                options.translator,
                model=options.model,
                device=options.device,
                quantize=options.quantize,
                cache_dir=options.cache_dir,
                no_cache=options.no_cache,
            )
        except ModelError as exc:
            raise BriefingError(str(exc)) from None
    brief, translations = build_brief(ingested, engines, date, options, say)

    say("writing briefs")
    outputs: dict[str, str] = {}
    for lang in options.languages:
        outputs[f"brief.{lang}.md"] = render_markdown(brief, lang, translations.get(lang))
    outputs["brief.json"] = render_json(brief, translations)
    folder = options.out_dir / date
    files = write_atomically(folder, outputs)
    return RunResult(brief, folder, files, brief.warnings, engines.notes)


def build_brief(
    ingested: IngestResult,
    engines: Engines,
    date: str,
    options: RunOptions,
    say: Progress,
) -> tuple[Brief, dict[str, dict[str, Translation]]]:
    articles = ingested.articles
    say("condensing")
    per_article = engines.condenser.condense(articles, options.per_article)
    # Every condensed point keeps its own citation: the timeline and figures draw on all of them.
    condensed_points = [p for article_id in sorted(per_article) for p in per_article[article_id]]
    condensed = len(condensed_points)
    say("merging")
    background = [s.text for a in articles for s in a.sentences if not s.is_fragment]
    merged = merge_points(per_article, background=background)
    paths = {a.path: a.id for a in articles}
    verified, unsupported = _verified([m.point for m in merged], paths)
    points = verified[: options.max_points]

    sections = partition(points, articles)
    shown = sections.bottom_line + sections.key_points + sections.background + [p.statement for p in sections.positions]
    languages_needed = {(p.language, lang) for p in points for lang in options.languages if p.language != lang}
    warnings = engines.notes_for({a.language for a in articles}, languages_needed) + ingested.warnings
    if unsupported:
        warnings.append(f"{unsupported} point(s) dropped because their cited lines did not support them")
    dropped_generated = getattr(engines.condenser, "dropped_unsupported", 0)
    if dropped_generated:
        warnings.append(f"{dropped_generated} generated sentence(s) dropped: no source lines support them")

    brief = Brief(
        date=date,
        title=_title(articles, sections.bottom_line),
        bottom_line=sections.bottom_line,
        key_points=sections.key_points,
        background=sections.background,
        timeline=timeline(condensed_points, articles),
        figures=figures(condensed_points),
        conflicts=find_conflicts(articles),
        positions=sections.positions,
        sources=[_source_info(a) for a in articles],
        engines={**engines.describe(), "merger": "lexical (TF-IDF and character n-grams)"},
        warnings=warnings,
        stats={
            "articles": len(articles),
            "skipped_files": len(ingested.skipped),
            "points_condensed": condensed,
            "points_after_merge": len(merged),
            "points_shown": len(shown),
            "multi_source_points": sum(1 for p in shown if p.outlets > 1),
            "unsupported_dropped": unsupported,
            "generated_unsupported_dropped": dropped_generated,
            "boilerplate_lines_removed": sum(len(a.boilerplate_lines) for a in articles),
            "translation_install_hint": translation_hint(),
        },
    )
    say("translating")
    translations = translate_points(shown, options.languages, engines)
    return brief, translations


def _verified(points: list[Point], article_of_path: dict[str, str]) -> tuple[list[Point], int]:
    """Keep each point only with the citations whose text supports it; drop unsupported points."""
    kept: list[Point] = []
    dropped = 0
    for point in points:
        citations = [c for c in point.citations if check_support(point.text, c.quote).supported]
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
            if point.language != lang and point.text not in by_source.setdefault(point.language, []):
                by_source[point.language].append(point.text)
        for source_lang, texts in sorted(by_source.items()):
            for translation in engines.translator.translate(texts, source_lang, lang):
                table[translation.source] = translation
        if table:
            tables[lang] = table
    return tables


def _title(articles: list[Article], lead: list[Point]) -> str:
    """The source headline closest to the brief's bottom line (never an invented one)."""
    titles = [a.title for a in articles if a.title]
    if not titles:
        return "News brief"
    lead_words = set(content_words(" ".join(p.text for p in lead)))
    return max(titles, key=lambda t: (len(set(content_words(t)) & lead_words), -titles.index(t)))


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
    )

