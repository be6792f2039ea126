"""How much of what the sources report a brief states, and how much it repeats itself.

For each multi-article item of a summarisation set (NeuS clusters: three outlets on one story),
the whole pipeline builds the brief from the item's articles, and two figures are taken:

- coverage: the share of the sources' distinct numbers and named entities (`briefing.text`'s
  `numbers` and `names`) that the brief's shown points state;
- redundancy: the lexical similarity (`briefing.merge.sameness`' scale) of the most similar pair of
  shown points, 0 when a brief has fewer than two points.

Both are averaged over items. Coverage rewards stating more distinct facts; redundancy shows
whether that was bought by saying the same thing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.engines import select_engines
from briefing.eval.summaries import EvalItem
from briefing.ingest.folder import IngestResult
from briefing.merge.similarity import LexicalEmbedder
from briefing.model import Article, Brief
from briefing.text import names, numbers


@dataclass
class CoverageReport:
    items: int = 0
    coverage: list[float] = field(default_factory=list)
    redundancy: list[float] = field(default_factory=list)
    points: list[int] = field(default_factory=list)

    def as_json(self, name: str) -> dict:
        def mean(values: list[float]) -> float:
            return sum(values) / len(values) if values else float("nan")

        return {
            "name": name,
            "items": self.items,
            "fact_coverage": round(100 * mean(self.coverage), 2),
            "max_pair_similarity": round(100 * mean(self.redundancy), 2),
            "points": round(mean(self.points), 2),
        }


def facts(texts: list[str]) -> set[str]:
    """Distinct numbers and named entities, case-folded."""
    found: set[str] = set()
    for text in texts:
        found |= {f"#{n}" for n in numbers(text)}
        found |= {n.casefold() for n in names(text)}
    return found


def brief_texts(brief: Brief) -> list[str]:
    return [p.text for p in brief.shown_points]


def score_brief(articles: list[Article], brief: Brief) -> tuple[float, float, int]:
    source = facts([s.text for a in articles for s in a.sentences if not s.is_fragment])
    texts = brief_texts(brief)
    stated = facts(texts) & source
    coverage = len(stated) / len(source) if source else 1.0
    redundancy = 0.0
    if len(texts) > 1:
        matrix = LexicalEmbedder().similarity_matrix(texts)
        redundancy = max(matrix[i][j] for i in range(len(texts)) for j in range(i + 1, len(texts)))
    return coverage, redundancy, len(texts)


def evaluate_coverage(items: list[EvalItem], embedder=None) -> CoverageReport:
    """Brief every multi-article item with the weight-free engines and score it."""
    from briefing.pipeline import RunOptions, build_brief

    engines = select_engines("extractive", "none")
    options = RunOptions(languages=("en",))
    report = CoverageReport()
    for item in items:
        if not item.multi or len(item.articles) < 2:
            continue
        brief, _ = build_brief(IngestResult(item.articles), engines, "2026-01-01", options, lambda _: None, embedder)
        coverage, redundancy, count = score_brief(item.articles, brief)
        report.items += 1
        report.coverage.append(coverage)
        report.redundancy.append(redundancy)
        report.points.append(count)
    return report
