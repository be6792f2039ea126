"""The weight-free default condenser: picks each article's key sentences.

Salience combines what extractive news summarisation knows works:
- position: news leads with its most important facts;
- centrality within the article (similarity to the rest of the article, TextRank/PacSum style);
- centrality across the set: a fact that other outlets also report matters more;
- information: numbers and names;
- a redundancy penalty (maximal marginal relevance) when choosing, and near-duplicates never.
The lead bonus goes in full only to statements that are on the article's topic (at least as related
to the rest of the article and to the other articles as its median statement), in proportion below
that: a teaser for another story placed near the top of a page shares little with the rest, and
position alone must not carry it into a brief.
Sentences that depend on context to be understood (opening with a pronoun, a bare quote) are
marked down, since a brief shows them out of context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median

import numpy as np

from briefing.condense.base import Condensed, Condenser
from briefing.merge.similarity import TfidfSpace, sparse_rows, unit_rows
from briefing.model import Article, Sentence
from briefing.language import read
from briefing.text import HANGUL, names, numbers, strip_particle, word_list


@dataclass(frozen=True)
class SalienceWeights:
    lead: float = 1.0
    centrality: float = 1.0
    cross: float = 1.0
    info: float = 0.25
    redundancy: float = 0.7  # MMR: how much similarity to already chosen sentences costs
    duplicate: float = 0.5  # a statement this similar to a chosen one is never chosen


@dataclass(frozen=True)
class Scored:
    article: Article
    sentence: Sentence
    score: float
    vector_index: int


class ExtractiveCondenser(Condenser):
    name = "extractive"
    compares_articles = True

    def __init__(self, weights: SalienceWeights | None = None):
        self.weights = weights or SalienceWeights()

    def describe(self) -> str:
        return "extractive (weight-free: position, centrality, cross-source agreement)"

    def condense(self, articles: list[Article], per_article: int) -> Condensed:
        ranked = self.rank(articles)
        return Condensed({
            article.id: [self.point(article, s.sentence, s.score) for s in self.select(ranked[article.id], per_article)]
            for article in articles
        })

    def summarise(self, articles: list[Article], count: int) -> list[Scored]:
        """One summary of the whole set: the `count` best statements over all articles, in reading order."""
        ranked = self.rank(articles)
        pool = sorted((s for a in articles for s in ranked[a.id]), key=lambda s: -s.score)
        order = {a.id: k for k, a in enumerate(articles)}
        return sorted(self.select(pool, count), key=lambda s: (order[s.article.id], s.sentence.index))

    def rank(self, articles: list[Article]) -> dict[str, list[Scored]]:
        """Every statement of every article with its salience, best first (stable on ties)."""
        entries: list[tuple[Article, Sentence]] = [
            (a, s) for a in articles for s in a.sentences if not s.is_fragment
        ]
        space = TfidfSpace([s.text for _, s in entries])
        by_article: dict[str, list[int]] = {}
        for i, (article, _) in enumerate(entries):
            by_article.setdefault(article.id, []).append(i)
        raw = sparse_rows(space.vectors)
        unit = unit_rows(raw)
        w = self.weights
        ranked: dict[str, list[Scored]] = {a.id: [] for a in articles}
        for article in articles:
            own = by_article.get(article.id, [])
            others = [ids for aid, ids in by_article.items() if aid != article.id and ids]
            relevance = list(zip(_centrality(raw, own), _agreement(unit, own, others)))
            typical = median(c + x for c, x in relevance) if relevance else 0.0
            for position, (i, (centrality, cross)) in enumerate(zip(own, relevance)):
                sentence = entries[i][1]
                # The lead bonus in proportion to relevance, up to the article's median statement.
                on_topic = min(1.0, (centrality + cross) / typical) if typical > 0 else 1.0
                lead = on_topic / math.sqrt(1 + position)
                info = min(1.0, 0.15 * (len(numbers(sentence.text)) + _name_count(sentence.text)))
                # With no other outlet to agree with, position stands in for agreement: news puts
                # first what every outlet reports.
                agreement = cross if others else lead
                score = w.lead * lead + w.centrality * centrality + w.cross * agreement + w.info * info
                score *= _readability(sentence.text)
                ranked[article.id].append(Scored(article, sentence, score, i))
            ranked[article.id].sort(key=lambda s: (-s.score, s.sentence.index))
        self._unit = unit
        return ranked

    def select(self, candidates: list[Scored], count: int, word_budget: int | None = None) -> list[Scored]:
        """Maximal marginal relevance: salience minus similarity to what is already chosen.

        Each candidate's overlap (its highest cosine with a chosen statement) is updated with one
        sparse product per pick, so a pick costs one pass over the candidates.
        """
        chosen: list[Scored] = []
        if not candidates:
            return chosen
        vectors = self._unit[[c.vector_index for c in candidates]]
        scores = np.array([c.score for c in candidates])
        positions = np.array([c.sentence.index for c in candidates])
        overlap = np.zeros(len(candidates))
        open_ = np.ones(len(candidates), dtype=bool)
        words = 0
        while len(chosen) < count:
            eligible = np.flatnonzero(open_ & (overlap < self.weights.duplicate))
            if not eligible.size:
                break
            value = scores[eligible] - self.weights.redundancy * overlap[eligible]
            # The highest value; on a tie, the earlier statement.
            best = int(eligible[np.lexsort((positions[eligible], -value))[0]])
            open_[best] = False
            chosen.append(candidates[best])
            overlap = np.maximum(overlap, (vectors @ vectors[best].T).toarray().ravel())
            words += len(candidates[best].sentence.text.split())
            if word_budget is not None and words >= word_budget:
                break
        return chosen


def _centrality(raw, own: list[int]) -> list[float]:
    """Each statement's cosine with the sum of the article's other statements (its TF-IDF
    centroid), from one sum over the article: linear in its length, not quadratic."""
    if len(own) < 2:
        return [0.0] * len(own)
    rows = raw[own]
    total = np.asarray(rows.sum(axis=0)).ravel()
    dots = rows @ total
    squares = np.asarray(rows.multiply(rows).sum(axis=1)).ravel()
    rest_squares = np.clip(total @ total - 2 * dots + squares, 0.0, None)
    denominator = np.sqrt(squares * rest_squares)
    return np.divide(dots - squares, denominator, out=np.zeros_like(dots), where=denominator > 1e-12).tolist()


def _agreement(unit, own: list[int], others: list[list[int]]) -> list[float]:
    """For each statement, its best cosine in each other article, averaged over the other articles."""
    if not others or not own:
        return [0.0] * len(own)
    columns = unit[[j for ids in others for j in ids]].T.tocsc()
    starts = np.cumsum([0] + [len(ids) for ids in others[:-1]])
    found: list[float] = []
    for first in range(0, len(own), _ROWS_AT_ONCE):  # bounded memory for very long articles
        similarity = (unit[own[first : first + _ROWS_AT_ONCE]] @ columns).toarray()
        found += np.maximum.reduceat(similarity, starts, axis=1).mean(axis=1).tolist()
    return found


_ROWS_AT_ONCE = 256


_LONG_WORDS = 50  # past this, a sentence reads as a run-on (or two glued together)
# A Korean word (eojeol) carries its particles and endings: a Korean sentence has about two
# thirds as many words as the same sentence in English, so its length counts 1.5 times.
_KOREAN_WORD_WEIGHT = 1.5


def _name_count(text: str) -> int:
    """Names in a sentence: capitalised names, and in Korean (which has no capitals) the people
    and bodies named by a title or role noun ("김민수 본부장", "경찰청 관계자") and Latin names."""
    found = len(names(text))
    if HANGUL.search(text):
        roles = word_list("ko", "role_nouns")
        long_roles = tuple(r for r in roles if len(r) > 1)  # "씨" ends 날씨 too: one syllable only as a word
        for word in text.split():
            core = strip_particle(word.strip(",.\"“”'"))
            found += core in roles or (len(core) > 2 and core.endswith(long_roles))
    return found


def _readability(text: str) -> float:
    """How well a sentence stands on its own, out of context (1.0 = fully)."""
    factor = 1.0
    korean = bool(HANGUL.search(text))
    n = len(text.split()) * (_KOREAN_WORD_WEIGHT if korean else 1.0)
    if n < 8:
        factor *= 0.6
    elif n > _LONG_WORDS:
        factor *= math.sqrt(_LONG_WORDS / n)
    if read(text).opener is not None:
        factor *= 0.8
    if text.lstrip().startswith(("\"", "“", "'", "‘")):
        factor *= 0.85
    return factor
