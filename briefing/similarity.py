"""Lexical similarity between statements: TF-IDF over stemmed content words, plus character n-grams.

This is the weight-free "embedder": the condenser uses it for centrality, the merger for
clustering paraphrases. An embedding model can replace it behind the same `Embedder` interface.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import Counter

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

    def centroid(self, indices: list[int]) -> Vector:
        total: Counter[str] = Counter()
        for i in indices:
            for t, w in self.vectors[i].items():
                total[t] += w
        return dict(total)


class Embedder(ABC):
    """Similarity of statements; 1.0 = same statement."""

    name = ""

    @abstractmethod
    def similarity_matrix(self, texts: list[str], background: list[str] | None = None) -> list[list[float]]:
        """Pairwise similarity; `background` texts may inform term weights but are not compared."""


class LexicalEmbedder(Embedder):
    """Weight-free: TF-IDF cosine blended with character-trigram overlap.

    Character trigrams catch inflection and transliteration variants ("Woo Jong-soo" vs
    "Yoo Chong-soo", "investigating"/"investigation") that whole-word overlap misses.
    """

    name = "lexical"

    def __init__(self, word_weight: float = 0.7):
        self.word_weight = word_weight

    def similarity_matrix(self, texts: list[str], background: list[str] | None = None) -> list[list[float]]:
        space = TfidfSpace(texts, background)
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
