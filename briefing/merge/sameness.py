"""When two statements report the same fact: the one definition merge, sections, diff and conflicts share.

Within one language, sameness is the lexical similarity of `briefing.merge.similarity` (TF-IDF cosine
blended with character n-grams, 0..1). Across languages, words cannot be compared, so it is
the multilingual embedder's cosine, rescaled so that its same-fact cut-off lands on the lexical
one; a statement in one language is backed by a span in the other only when that cosine is
reached and the numbers and dates agree (never on wording alone).

Two levels, used everywhere:
- SAME_FACT: one fact (merge clusters points; diff pairs yesterday's and today's points;
  timeline and figures fold the same report from several sources);
- RELATED: one subject, not necessarily one fact (conflicts compares what two such sentences
  say; diff pairs two points that share a citation).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from briefing.dates import find_dates
from briefing.embedding import SentenceEmbedder
from briefing.merge.similarity import LexicalEmbedder
from briefing.merge.support import check_support
from briefing.model import Point
from briefing.text import is_korean, quantities

#: Lexical similarity at which two statements in one language state the same fact.
SAME_FACT = 0.2
#: Lexical similarity at which two statements are about the same subject.
RELATED = 0.1
#: Embedder cosine at which statements in two languages state the same fact. On NTREX dev
#: (English sentences and their human Korean translations) 96% of translation pairs reach it,
#: and 1.7% of the other sentence pairs of the same article do.
CROSS_LINGUAL_SAME = 0.5

_KOREAN_DATE_PART = re.compile(r"\d+\s*(?:년|월|일|시|분)")


@lru_cache(maxsize=65536)
def language_of(text: str) -> str:
    return "ko" if is_korean(text) else "en"


def lexical_similarity(a: str, b: str) -> float:
    return LexicalEmbedder().similarity_matrix([a, b])[0][1]


def same_fact(a: str, b: str) -> bool:
    """Two same-language statements that report one fact."""
    return lexical_similarity(a, b) >= SAME_FACT


@lru_cache(maxsize=65536)
def _facts(text: str) -> tuple[frozenset[str], frozenset[tuple[int, int]]]:
    """The quantities that are not parts of dates, and the (month, day) dates, of a text in either language."""
    mentions = find_dates(text)
    spans = [(m.start, m.end) for m in mentions]
    spans += [(m.start(), m.end()) for m in _KOREAN_DATE_PART.finditer(text)]
    # Scaled as a reader takes them, so "150만" and "1.5 million" agree.
    values = frozenset(q.canonical for q in quantities(text) if not any(a <= q.start < b for a, b in spans))
    days = frozenset((m.month, m.day) for m in mentions if m.month is not None and m.day is not None)
    return values, days


def facts_agree(statement: str, span: str) -> bool:
    """Every number and every dated day of `statement` is in `span` (whatever their languages)."""
    values, days = _facts(statement)
    span_values, span_days = _facts(span)
    return values <= span_values and days <= span_days


class FactMatcher:
    """Same-fact similarity and support on one scale, in one language or across two.

    Without an embedder, statements in different languages are never the same fact (and a span
    in another language never supports a statement): nothing is merged on a guess.
    """

    def __init__(self, embedder: SentenceEmbedder | None = None):
        self.embedder = embedder

    def cross_lingual(self, a: str, b: str) -> float:
        """The embedder's cosine of two texts (0 without an embedder)."""
        if self.embedder is None:
            return 0.0
        vectors = self.embedder.embed([a, b])
        return float(vectors[0] @ vectors[1])

    def matrix(self, texts: list[str], background: list[str] | None = None) -> list[list[float]]:
        """Pairwise same-fact similarity: lexical within a language; across languages the
        embedder's cosine scaled so that CROSS_LINGUAL_SAME maps to SAME_FACT."""
        languages = np.array([language_of(t) for t in texts])
        matrix = LexicalEmbedder().similarity_matrix(texts, background)
        if len(set(languages.tolist())) < 2:
            return matrix
        across = languages[:, None] != languages[None, :]
        if self.embedder is None:
            cross = np.zeros((len(texts), len(texts)))
        else:
            vectors = self.embedder.embed(texts)
            cross = np.round(np.clip(vectors @ vectors.T, 0.0, None) * (SAME_FACT / CROSS_LINGUAL_SAME), 6)
        return np.where(across, cross, np.array(matrix)).tolist()

    def backs(self, point: Point, quote: str) -> bool:
        """Does a cited `quote` back `point`? Checked against the point's own wording in the
        quote's language where a source gives one (what that language's brief shows beside the
        footnote, and what review checks), else against its text across languages."""
        return self.supports(point.text_in(language_of(quote)) or point.text, quote)

    def supports(self, statement: str, span: str) -> bool:
        """Does `span` back `statement`? The support checker in one language; across languages,
        the embedder's cosine and agreeing numbers and dates."""
        if language_of(statement) == language_of(span):
            return check_support(statement, span).supported
        return self.cross_lingual(statement, span) >= CROSS_LINGUAL_SAME and facts_agree(statement, span)
