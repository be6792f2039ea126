"""Stories: group the day's articles so that each story is briefed on its own.

Every article lands in exactly one story. Two articles belong together when their leads say the
same thing (the multilingual embedder, so a Korean and an English report of one event meet)
and their vocabularies overlap (TF-IDF over stemmed content words of the whole text). The two
similarities are averaged, and stories are the clusters of average-linkage agglomerative
clustering cut at a fixed similarity. Without the embedder, the lexical similarity alone is
used with its own cut-off, and the brief says so.

An English and a Korean article share no words, so their lexical similarity says nothing (it is
about 0 even for a text and its translation): such a pair is judged by the embedder alone, put on
the averaged scale by the ratio of the two cut-offs (the embedder alone groups best at 0.5). An
English report and its Korean translation used to land in two stories whenever either had
gathered a third article: the averaged similarity of a translation pair is about 0.35, just over
the cut-off, and one unrelated member pulled the clusters' average under it.

Measured on the stories development days (`briefing eval stories`): B-cubed F1 stays within one
point of its best over cut-offs 0.27 to 0.33 (embedder) and 0.13 to 0.18 (lexical); the values
below are the middle of those ranges, rounded. Reading three lead sentences scores as well as
four (96.6 either way) at three quarters of the embedding time; two lose 0.4. Judging
cross-language pairs by the embedder alone: 96.6 -> 97.1 (worst day 93.2 -> 95.3), and within
0.3 of that for the embedder's cut-off anywhere from 0.46 to 0.55.

Grouping is deterministic and does not depend on the order in which files are listed: articles
are clustered in the order of a hash of their text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from briefing.embedding import SentenceEmbedder
from briefing.merge.similarity import TfidfSpace, sparse_rows, unit_rows
from briefing.model import Article
from briefing.stories.clustering import average_linkage

#: Average similarity (0..1) at which two groups of articles are one story.
STORY_SIMILARITY = 0.3
#: The same, when only the lexical similarity is available.
STORY_SIMILARITY_LEXICAL = 0.15
#: The embedder's similarity at which two articles are one story, when it alone can judge them
#: (an English and a Korean article); B-cubed F1 of the embedder alone peaks here on the dev days.
STORY_SIMILARITY_EMBEDDER = 0.5
#: Weight of the embedder's similarity against the lexical one.
EMBEDDING_WEIGHT = 0.5
#: Sentences of an article's lead that the embedder reads (after the title).
LEAD_SENTENCES = 3


@dataclass
class StoryGrouping:
    """Article ids per story (each list sorted by path), and how they were grouped."""

    groups: list[list[str]]
    method: str


def lead_text(article: Article, sentences: int = LEAD_SENTENCES) -> str:
    """The title and the first statements: what the article is about."""
    lead = [s.text for s in article.sentences if not s.is_fragment][:sentences]
    parts = ([article.title] if article.title else []) + lead
    return " ".join(parts) or " ".join(s.text for s in article.sentences[:sentences])


def lexical_similarity(texts: list[str]) -> np.ndarray:
    """Cosine of sublinear TF-IDF vectors over stemmed content words (sparse products, no pair loop)."""
    vectors = unit_rows(sparse_rows(TfidfSpace(texts).vectors))
    return (vectors @ vectors.T).toarray()


def group_stories(articles: list[Article], embedder: SentenceEmbedder | None = None) -> StoryGrouping:
    """Put each article into exactly one story."""
    method = (
        f"{embedder.name} leads + TF-IDF of the text, average linkage"
        if embedder is not None
        else "lexical (TF-IDF of the text), average linkage"
    )
    if len(articles) < 2:
        return StoryGrouping([[a.id] for a in articles], method)
    ordered = sorted(articles, key=_fingerprint)
    similarity = lexical_similarity([_full_text(a) for a in ordered])
    threshold = STORY_SIMILARITY_LEXICAL
    if embedder is not None:
        vectors = embedder.embed([lead_text(a) for a in ordered])
        semantic = vectors @ vectors.T
        languages = np.array([a.language for a in ordered])
        across = languages[:, None] != languages[None, :]
        similarity = np.where(across, semantic * (STORY_SIMILARITY / STORY_SIMILARITY_EMBEDDER),
                              EMBEDDING_WEIGHT * semantic + (1 - EMBEDDING_WEIGHT) * similarity)
        threshold = STORY_SIMILARITY
    labels = _average_linkage(similarity, threshold)
    by_label: dict[int, list[Article]] = {}
    for article, label in zip(ordered, labels):
        by_label.setdefault(int(label), []).append(article)
    groups = sorted(sorted(a.id for a in group) for group in by_label.values())
    return StoryGrouping(groups, method)


#: Up to this many articles, briefing.stories.clustering joins them (no scipy import: a quick start for
#: a small folder); above it scipy's O(n^2) linkage does the same, where ours would be cubic.
_SMALL_FOLDER = 200


def _average_linkage(similarity: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster labels: groups joined while their average similarity is at least `threshold`."""
    # Rounded so that float noise in the last bits cannot change a decision between machines.
    similarity = np.round((similarity + similarity.T) / 2, 6)
    n = similarity.shape[0]
    if n <= _SMALL_FOLDER:
        labels = np.zeros(n, dtype=int)
        for label, members in enumerate(average_linkage(similarity, threshold), start=1):
            labels[members] = label
        return labels
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance")


def _full_text(article: Article) -> str:
    return " ".join(([article.title] if article.title else []) + [s.text for s in article.sentences])


def _fingerprint(article: Article) -> tuple[str, str]:
    return hashlib.sha256(_full_text(article).encode("utf-8")).hexdigest(), article.path
