"""The one neighbour search of resamplekit.

Every sampler gets its neighbours from :func:`kneighbors`. (Placeholder implementation in NumPy,
chunked; replaced by the Cython kernel.)
"""
import numpy as np

__all__ = ["kneighbors"]


def kneighbors(X, k, *, Y=None, farthest=False, n_jobs=None):
    """Exact k nearest (or farthest) rows of ``X`` for each row of ``Y``.

    Returns ``(distances, indices)``, both of shape ``(n_queries, k)``, sorted by
    (distance, index); with ``Y=None`` the queries are the rows of ``X`` and each row is
    excluded from its own list by index.
    """
    X = np.asarray(X, dtype=np.float64)
    self_query = Y is None
    Yq = X if self_query else np.asarray(Y, dtype=np.float64)
    n, m = X.shape[0], Yq.shape[0]
    dist = np.empty((m, k))
    ind = np.empty((m, k), dtype=np.intp)
    for s in range(0, m, 256):
        e = min(m, s + 256)
        d2 = ((Yq[s:e, None, :] - X[None, :, :]) ** 2).sum(-1)
        if self_query:
            d2[np.arange(e - s), np.arange(s, e)] = np.inf if not farthest else -np.inf
        key = -d2 if farthest else d2
        for r in range(e - s):
            order = np.lexsort((np.arange(n), key[r]))[:k]
            ind[s + r] = order
            dist[s + r] = np.sqrt(d2[r, order])
    return dist, ind
