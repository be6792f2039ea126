"""Condensing with a seq2seq model (BART-CNN, FLAN-T5, mT5-XLSum ...), with provenance.

Per article, the statement sentences (not headings or labels) are the input. An article that
does not fit the model's input limit is split by token budget into chunks that overlap by
`overlap_sentences` sentences; each chunk is condensed (map) and the chunk summaries are condensed
again (reduce) until one summary remains. All chunks of all articles go through one batched,
cached Generator call per round.

Every generated sentence is then aligned to the source sentences that support it
(:mod:`briefing.condense.align`). A sentence with no supporting span is dropped and counted: after
``condense``, ``dropped_unsupported`` is the number dropped in that call and ``dropped`` lists
them (article id, text, reasons), for the brief's metadata. Points carry citations to the
supporting source lines and ``origin="seq2seq"``; merge and render see the same Point type as
from the extractive condenser.

Articles in a language with no generator (e.g. Korean with no multilingual model present) are
condensed by the `fallback` condenser (extractive); ``fallback_articles`` names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefing.condense.align import align_sentence, citations_for
from briefing.condense.base import Condensed, Condenser
from briefing.ingest.sentences import split_sentences
from briefing.model import Article, Point, Sentence
from briefing.text import content_words, jaccard


@dataclass
class Dropped:
    article_id: str
    text: str
    reasons: list[str]


@dataclass
class _Job:
    """One article's state through map-reduce."""

    article: Article
    generator: Any
    units: list[str]  # texts to condense in the current round (source sentences, then summaries)
    chunks: list[str] = field(default_factory=list)
    summary: str | None = None


def chunk_by_budget(lengths: list[int], budget: int, overlap: int) -> list[tuple[int, int]]:
    """Split units with token `lengths` into [start, end) chunks of at most `budget` tokens.

    Consecutive chunks share `overlap` units, so a fact that straddles a boundary is seen whole
    by one chunk. A unit longer than the budget is a chunk of its own (the tokenizer truncates it).
    """
    chunks: list[tuple[int, int]] = []
    start = 0
    n = len(lengths)
    while start < n:
        end, used = start, 0
        while end < n and (end == start or used + lengths[end] <= budget):
            used += lengths[end]
            end += 1
        chunks.append((start, end))
        if end >= n:
            break
        start = max(start + 1, end - overlap)
    return chunks


class Seq2SeqCondenser(Condenser):
    name = "seq2seq"

    def __init__(
        self,
        generators: dict[str, Any],
        *,
        fallback: Condenser | None = None,
        overlap_sentences: int = 1,
        max_span: int = 3,
        min_overlap: float | None = None,
        reduce_rounds: int = 4,
        duplicate: float = 0.8,
    ):
        """`generators` maps an article language ("en", "ko") to a briefing.seq2seq.generation.Generator."""
        if not generators:
            raise ValueError("Seq2SeqCondenser needs at least one generator")
        self.generators = generators
        self.fallback = fallback
        self.overlap_sentences = overlap_sentences
        self.max_span = max_span
        self.min_overlap = min_overlap
        self.reduce_rounds = reduce_rounds
        self.duplicate = duplicate
        self.dropped: list[Dropped] = []
        self.dropped_duplicate = 0
        self.fallback_articles: list[str] = []
        self.chunks = 0

    @property
    def dropped_unsupported(self) -> int:
        """Generated sentences dropped in the last condense() because no source span supports them."""
        return len(self.dropped)

    def describe(self) -> str:
        models = ", ".join(f"{lang}: {g.loaded.describe()}" for lang, g in sorted(self.generators.items()))
        return f"seq2seq ({models})"

    def stats(self) -> dict[str, Any]:
        """Counts for the brief's metadata."""
        return {
            "dropped_unsupported": self.dropped_unsupported,
            "dropped_duplicate": self.dropped_duplicate,
            "chunks": self.chunks,
            "fallback_articles": list(self.fallback_articles),
            "generation": {lang: g.stats.as_dict() for lang, g in sorted(self.generators.items())},
        }

    # ------------------------------------------------------------------ condensing

    def condense(self, articles: list[Article], per_article: int) -> Condensed:
        self.dropped = []
        self.dropped_duplicate = 0
        self.fallback_articles = []
        self.chunks = 0
        result: dict[str, list[Point]] = {a.id: [] for a in articles}
        jobs: list[_Job] = []
        orphans: list[Article] = []
        for article in articles:
            generator = self.generators.get(article.language)
            statements = [s.text for s in article.sentences if not s.is_fragment]
            if generator is None:
                orphans.append(article)
            elif statements:
                jobs.append(_Job(article, generator, statements))
        if orphans:
            self.fallback_articles = [a.id for a in orphans]
            if self.fallback is not None:
                # The fallback sees every article so that cross-source evidence still counts.
                fallback_points = self.fallback.condense(articles, per_article).points
                for article in orphans:
                    result[article.id] = fallback_points.get(article.id, [])

        self._map_reduce(jobs)
        for job in jobs:
            result[job.article.id] = self._points(job.article, job.summary or "", per_article)
        return Condensed(result, self.dropped_unsupported)

    def _map_reduce(self, jobs: list[_Job]) -> None:
        """Condense each job's units until one summary remains (batched across jobs per round)."""
        active = list(jobs)
        for round_no in range(self.reduce_rounds + 1):
            if not active:
                return
            requests: dict[int, list[tuple[_Job, str]]] = {}
            for job in active:
                gen = job.generator
                budget = max(16, gen.max_input_tokens - gen.prompt_overhead)
                lengths = gen.count_tokens(job.units)
                overlap = self.overlap_sentences if round_no == 0 else 0
                spans = chunk_by_budget(lengths, budget, overlap)
                if round_no == 0:
                    self.chunks += len(spans)
                job.chunks = [" ".join(job.units[a:b]) for a, b in spans]
                requests.setdefault(id(gen), []).extend((job, text) for text in job.chunks)
            outputs: dict[int, list[str]] = {}
            for key, items in requests.items():
                gen = items[0][0].generator
                outputs[key] = gen([text for _, text in items])
            still: list[_Job] = []
            cursor: dict[int, int] = {k: 0 for k in requests}
            for job in active:
                key = id(job.generator)
                n = len(job.chunks)
                summaries = outputs[key][cursor[key] : cursor[key] + n]
                cursor[key] += n
                if n == 1 or round_no == self.reduce_rounds:
                    job.summary = " ".join(s for s in summaries if s)
                else:
                    job.units = [s for s in summaries if s]
                    if not job.units:
                        job.summary = ""
                        continue
                    still.append(job)
            active = still

    def _points(self, article: Article, summary: str, per_article: int) -> list[Point]:
        source: list[Sentence] = [s for s in article.sentences if not s.is_fragment]
        kept: list[tuple[str, list[Sentence], float]] = []
        for text in split_sentences(summary):
            text = " ".join(text.split())
            if not text:
                continue
            alignment = align_sentence(
                text, source, max_span=self.max_span, **({"min_overlap": self.min_overlap} if self.min_overlap else {})
            )
            if not alignment.supported:
                self.dropped.append(Dropped(article.id, text, alignment.reasons))
                continue
            words = set(content_words(text))
            if any(
                [s.index for s in span] == [s.index for s in alignment.sentences]
                or jaccard(words, set(content_words(other))) >= self.duplicate
                for other, span, _ in kept
            ):
                self.dropped_duplicate += 1
                continue
            kept.append((text, alignment.sentences, alignment.score))
        points = []
        n = len(kept)
        for rank, (text, span, score) in enumerate(kept[:per_article]):
            # The model orders a summary by importance; support strength breaks near-ties.
            salience = (1.0 - rank / (n + 1)) * (0.5 + 0.5 * score)
            points.append(
                Point(
                    text=text,
                    citations=citations_for(article, span),
                    language=article.language,
                    salience=round(salience, 6),
                    article_ids=[article.id],
                    origin=self.name,
                )
            )
        return points
