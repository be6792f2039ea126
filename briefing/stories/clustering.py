"""Average-linkage agglomerative clustering with a cut-off: the one clusterer of stories and merge.

Each step joins the pair of clusters with the highest average similarity (the first such pair in
index order on ties) until no pair reaches the cut-off. Cluster-to-cluster similarity sums are
kept in a matrix and updated in place, so a step is O(clusters^2) numpy work, not a Python pass
over all pairs of members. Pairs marked `apart` (and every cluster holding them) never join.
"""

from __future__ import annotations

import numpy as np


def average_linkage(similarity, threshold: float, apart: np.ndarray | None = None) -> list[list[int]]:
    """Clusters of indices (each sorted, in order of their first index)."""
    totals = np.array(similarity, dtype=np.float64)
    n = totals.shape[0]
    if n == 0:
        return []
    totals = totals.reshape(n, n)
    keep_apart = np.zeros((n, n), dtype=bool) if apart is None else np.array(apart, dtype=bool)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members: list[list[int]] = [[i] for i in range(n)]
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    while True:
        average = totals / np.outer(sizes, sizes)
        allowed = upper & np.outer(alive, alive) & ~keep_apart
        scores = np.where(allowed, np.round(average, 9), -np.inf)
        a, b = divmod(int(np.argmax(scores)), n)
        if not np.isfinite(scores[a, b]) or scores[a, b] < threshold:
            break
        totals[a, :] += totals[b, :]
        totals[:, a] += totals[:, b]
        sizes[a] += sizes[b]
        keep_apart[a, :] |= keep_apart[b, :]
        keep_apart[:, a] |= keep_apart[:, b]
        alive[b] = False
        members[a] = sorted(members[a] + members[b])
    return [members[i] for i in range(n) if alive[i]]
