"""Lexical similarity between statements: TF-IDF over stemmed content words, plus character n-grams.

This is the weight-free "embedder": the condenser uses it for centrality, the merger for
clustering paraphrases. An embedding model can replace it behind the same `Embedder` interface.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import Counter

import numpy as np

from briefing.text import char_ngrams, content_words, jaccard

Vector = dict[str, float]


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if dot == 0.0:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)


class TfidfSpace:
    """TF-IDF vectors for a fixed collection of texts (each text is one "document")."""

    def __init__(self, texts: list[str], background: list[str] | None = None):
        """`background`: extra texts that only inform the IDF (e.g. all sentences of the articles)."""
        self.tokens = [content_words(t) for t in texts]
        df: Counter[str] = Counter()
        for toks in self.tokens:
            df.update(set(toks))
        for text in background or []:
            df.update(set(content_words(text)))
        n = max(1, len(texts) + len(background or []))
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.vectors = [self.vector(toks) for toks in self.tokens]

    def vector(self, tokens: list[str]) -> Vector:
        counts = Counter(tokens)
        return {t: (1 + math.log(c)) * self.idf.get(t, 1.0) for t, c in counts.items()}


class Embedder(ABC):
    """Similarity of statements; 1.0 = same statement."""

    name = ""

    @abstractmethod
    def similarity_matrix(self, texts: list[str], background: list[str] | None = None) -> list[list[float]]:
        """Pairwise similarity; `background` texts may inform term weights but are not compared."""


class LexicalEmbedder(Embedder):
    """Weight-free: TF-IDF cosine blended with character-trigram overlap.

    Character trigrams catch inflection and transliteration variants ("Park Ji-hoon" vs
    "Pak Chi-hun", "investigating"/"investigation") that whole-word overlap misses.
    """

    name = "lexical"

    def __init__(self, word_weight: float = 0.7):
        self.word_weight = word_weight

    def similarity_matrix(self, texts: list[str], background: list[str] | None = None) -> list[list[float]]:
        """All pairs at once as sparse matrix products (the same values as `cosine` and `jaccard`
        pair by pair, without a Python loop over the pairs)."""
        n = len(texts)
        if n == 0:
            return []
        space = TfidfSpace(texts, background)
        if n <= _PAIRWISE_UP_TO:
            return self._pairwise(space, texts)
        words = unit_rows(sparse_rows(space.vectors))
        grams = sparse_rows([dict.fromkeys(char_ngrams(t, 4), 1.0) for t in texts])
        shared = (grams @ grams.T).toarray()
        sizes = np.diag(shared).copy()
        union = sizes[:, None] + sizes[None, :] - shared
        overlap = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        matrix = self.word_weight * (words @ words.T).toarray() + (1 - self.word_weight) * overlap
        np.fill_diagonal(matrix, 1.0)
        return matrix.tolist()

    def _pairwise(self, space: TfidfSpace, texts: list[str]) -> list[list[float]]:
        """The same values pair by pair: cheaper than building sparse matrices for a few texts."""
        grams = [char_ngrams(t, 4) for t in texts]
        n = len(texts)
        matrix = [[1.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                value = self.word_weight * cosine(space.vectors[i], space.vectors[j]) + (
                    1 - self.word_weight
                ) * jaccard(grams[i], grams[j])
                matrix[i][j] = matrix[j][i] = value
        return matrix


#: Up to this many texts, similarities are computed pair by pair (sparse products cost more set-up).
_PAIRWISE_UP_TO = 12


def sparse_rows(rows: list[dict[str, float]]):
    """A CSR matrix with one row per {feature: weight} mapping (features in sorted order)."""
    from scipy.sparse import csr_matrix

    columns = {f: k for k, f in enumerate(sorted({f for row in rows for f in row}))}
    indptr, indices, data = [0], [], []
    for row in rows:
        for feature, weight in row.items():
            indices.append(columns[feature])
            data.append(weight)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), max(1, len(columns))), dtype=np.float64)


def unit_rows(matrix):
    """Rows scaled to unit length (empty rows stay zero)."""
    from scipy.sparse import diags

    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ matrix
