"""Merge: points from different articles that state the same fact become one point.

Clustering is agglomerative (average linkage) over the same-fact similarity of
`briefing.merge.sameness` (lexical within a language, the multilingual embedder across languages),
with two rules:
a cluster holds at most one point per article (two sentences of one article are two facts), and
a merged point cites another article only when that article's sentence supports the merged
text (a source that reports the fact with a different date or figure is kept aside as a
disagreement, not cited for a figure it does not give).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from briefing.merge.sameness import SAME_FACT, FactMatcher
from briefing.model import Point
from briefing.stories.clustering import average_linkage
from briefing.text import content_words, numbers


@dataclass
class MergedPoint:
    point: Point  # the emitted point: representative text, citations of all supporting sources
    members: list[Point]  # every point clustered here, representative first
    disagreeing: list[Point] = field(default_factory=list)  # same fact, different figures
    related: list[Point] = field(default_factory=list)  # same story, wording its source does not back


@dataclass
class MergeSettings:
    threshold: float = SAME_FACT  # average similarity needed to join two clusters
    novelty: float = 0.5  # a point must add this share of new content words to the point it resembles most


def merge_points(
    per_article: dict[str, list[Point]],
    matcher: FactMatcher | None = None,
    settings: MergeSettings | None = None,
    background: list[str] | None = None,
) -> list[MergedPoint]:
    """Cluster the points of all articles; return merged points, most important first."""
    matcher = matcher or FactMatcher()
    settings = settings or MergeSettings()
    points = [p for article_id in sorted(per_article) for p in per_article[article_id]]
    if not points:
        return []
    sim = matcher.matrix([p.text for p in points], background)
    clusters = _cluster(points, sim, settings.threshold)
    merged = [_merge_cluster([points[i] for i in members], matcher) for members in clusters]
    merged.sort(key=_importance)
    return _drop_repeats(merged, settings.novelty, matcher)


def _drop_repeats(merged: list[MergedPoint], novelty: float, matcher: FactMatcher) -> list[MergedPoint]:
    """Fold a point that mostly restates one more important point into it.

    A point with a figure that its host does not have is never a repeat. Each point is compared
    with one host at a time, never with everything kept before it: with many candidates, the
    union of earlier points holds most words of any later one, and distinct facts would be lost.
    (Which of the distinct facts a brief shows is `briefing.brief.selection`'s job.)

    Its sources are cited there when they support that point; otherwise the repeat is kept only
    as a related report, so that no two emitted points say the same thing.
    """
    kept: list[MergedPoint] = []
    kept_words: list[set[str]] = []
    for candidate in merged:
        words = set(content_words(candidate.point.text))
        figures = set(numbers(candidate.point.text))
        host = None
        for k, known in zip(kept, kept_words):
            new = len(words - known) / len(words) if words else 0.0
            if new < novelty and not figures - set(numbers(k.point.text)):
                host = k
                break
        if host is not None:
            for citation in candidate.point.citations:
                if citation not in host.point.citations and matcher.backs(host.point, citation.quote):
                    host.point.citations.append(citation)
                    host.point.article_ids = sorted(set(host.point.article_ids) | set(candidate.point.article_ids))
            host.related.append(candidate.point)
            continue
        kept.append(candidate)
        kept_words.append(words)
    return kept


def _cluster(points: list[Point], sim: list[list[float]], threshold: float) -> list[list[int]]:
    """Average-linkage clusters, never two points of one article in a cluster."""
    article_ids = sorted({a for p in points for a in p.article_ids})
    column = {a: k for k, a in enumerate(article_ids)}
    owns = np.zeros((len(points), max(1, len(article_ids))), dtype=np.int32)
    for i, point in enumerate(points):
        for a in point.article_ids:
            owns[i, column[a]] = 1
    return average_linkage(sim, threshold, apart=(owns @ owns.T) > 0)


def _completeness(point: Point) -> float:
    """Prefer the clearest, most complete wording: salient, informative, not overlong."""
    words = len(point.text.split())
    info = len(set(content_words(point.text))) + 2 * len(numbers(point.text))
    length_penalty = 0.0 if words <= 40 else (words - 40) * 0.05
    return point.salience + 0.02 * min(info, 30) - length_penalty


def _merge_cluster(members: list[Point], matcher: FactMatcher) -> MergedPoint:
    """Pick the wording most sources support (then the most complete) and cite every supporter.

    A member whose source does not support that wording is not cited for it: when its numbers
    differ it is kept aside as a disagreement, otherwise as a related report.
    """

    def supports(source: Point, statement: Point) -> bool:
        return all(matcher.supports(statement.text, c.quote) for c in source.citations)

    def rank(candidate: Point) -> tuple:
        backers = sum(1 for other in members if other is not candidate and supports(other, candidate))
        first = candidate.citations[0]
        return (-backers, -_completeness(candidate), first.file, first.line_start)

    ordered = sorted(members, key=rank)
    head = ordered[0]
    citations = list(head.citations)
    article_ids = list(head.article_ids)
    variants: list[str] = []
    alternates: dict[str, str] = {}
    disagreeing: list[Point] = []
    related: list[Point] = []
    for other in ordered[1:]:
        if supports(other, head):
            citations.extend(c for c in other.citations if c not in citations)
            article_ids.extend(a for a in other.article_ids if a not in article_ids)
            variants.append(other.text)
            if other.language != head.language:
                alternates.setdefault(other.language, other.text)
        elif set(numbers(other.text)) != set(numbers(head.text)) and numbers(other.text) and numbers(head.text):
            disagreeing.append(other)
        else:
            related.append(other)
    point = Point(
        text=head.text,
        citations=sorted(citations, key=lambda c: (c.file, c.line_start)),
        language=head.language,
        salience=max(p.salience for p in members),
        article_ids=sorted(article_ids),
        origin=head.origin,
        variants=variants,
        alternates=alternates,
    )
    return MergedPoint(point, ordered, disagreeing, related)


def _importance(merged: MergedPoint) -> tuple:
    point = merged.point
    first = point.citations[0]
    return (-point.outlets, -round(point.salience, 6), first.file, first.line_start)
