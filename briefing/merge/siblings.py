"""A point from one language's source, worded by the sentence that states it in the other language's source.

A story told by an English and a Korean article (a report and its translation, or two outlets)
gives the merge a few points from each; a Korean point whose English twin was not among the English
article's points reaches the English brief untranslated, beside English text that says the same
thing, or repeats what another point already shows. Here every point without a wording in a
language that some article of its story is written in looks for the sentence of those articles that
states the same fact: the embedder's cosine reaches the cross-language same-fact cut-off and the
sentence gives every number and date of the point (`briefing.merge.sameness`). The sentence becomes
the point's wording in that language, cited, when the point so worded can be listed. When it cannot
because the English sentence leans on the one before it ("He said …"), the Korean point is not
listed either: the parser's reading of English is the deeper one, and the fact leans on its context
in both. When another point of the story already cites the sentence, the two are one fact and the
point is folded into it (its sources cited there).

Without an embedder nothing is matched (words cannot be compared across languages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from briefing.language import reader
from briefing.merge.sameness import CROSS_LINGUAL_SAME, FactMatcher, facts_agree
from briefing.model import Article, Citation, Point


def word_in_every_language(points: list[Point], group: list[Article], matcher: FactMatcher,
                           stand_alone: Callable[[Point], Point | None]) -> list[Point]:
    """`points` (most important first) with their wordings in the story's other languages, and
    the points those wordings show to be repeats dropped into the point that cites the sentence.

    `stand_alone` edits a point as the brief lists it (None when it cannot be listed): a wording
    is given only when the point, so worded, can still be listed in that language."""
    if matcher.embedder is None or len({a.language for a in group}) < 2 or not points:
        return points
    for language in sorted({a.language for a in group}):
        points = _word_in(language, points, [a for a in group if a.language == language], matcher, stand_alone)
    return points


def _word_in(language: str, points: list[Point], articles: list[Article], matcher: FactMatcher,
             stand_alone: Callable[[Point], Point | None]) -> list[Point]:
    wanting = [k for k, p in enumerate(points) if p.text_in(language) is None]
    candidates = [(a, s) for a in articles for s in a.sentences if not s.is_fragment]
    if not wanting or not candidates:
        return points
    vectors = matcher.embedder.embed([points[k].text for k in wanting] + [s.text for _, s in candidates])
    cosines = vectors[: len(wanting)] @ vectors[len(wanting):].T
    pairs = sorted(((float(cosines[i, j]), i, j) for i, j in zip(*np.nonzero(cosines >= CROSS_LINGUAL_SAME))),
                   key=lambda pair: (-pair[0], pair[1], pair[2]))
    points = list(points)
    matched_point: set[int] = set()
    matched_sentence: set[int] = set()
    dropped: set[int] = set()
    for _, i, j in pairs:
        if i in matched_point or j in matched_sentence:
            continue
        point = points[wanting[i]]
        article, sentence = candidates[j]
        if not facts_agree(point.text, sentence.text):  # the sentence gives every number and date of the point
            continue
        matched_point.add(i)
        matched_sentence.add(j)
        citation = article.citation(sentence)
        host = next((k for k, other in enumerate(points)
                     if k != wanting[i] and k not in dropped and any(c.key == citation.key for c in other.citations)), None)
        if host is None:
            worded = stand_alone(_with(point, {language: sentence.text}, [citation], [article.id]))
            if worded is not None:
                points[wanting[i]] = worded
            elif language == "en" and reader() != "rules":
                # The fact as the English source words it leans on the sentence before ("He said …"),
                # and that reading (the parser's) is deeper than the Korean one: this point leans too.
                dropped.add(wanting[i])
            continue
        # One fact: the point citing the sentence keeps its place and wording, and cites this one's sources too.
        wordings = {lang: point.text_in(lang) for lang in (point.language, *point.alternates)
                    if points[host].text_in(lang) is None}
        # (Without this one's wording when that cannot stand alone in the host.)
        merged = (stand_alone(_with(points[host], wordings, point.citations, point.article_ids))
                  or stand_alone(_with(points[host], {}, point.citations, point.article_ids)))
        if merged is not None:
            points[host] = merged
        dropped.add(wanting[i])
    return [p for k, p in enumerate(points) if k not in dropped]


def _with(point: Point, wordings: dict[str, str], citations: list[Citation], article_ids: list[str]) -> Point:
    """A copy of `point` with more wordings, citations and articles."""
    keys = {c.key for c in point.citations}
    return replace(
        point,
        alternates={**point.alternates, **wordings},
        citations=sorted([*point.citations, *(c for c in citations if c.key not in keys)],
                         key=lambda c: (c.file, c.line_start)),
        article_ids=sorted(set(point.article_ids) | set(article_ids)),
    )
