"""resamplekit.dask out of core: workers whose memory limit is below the size of X give exact
results (random_under, smote, edited_nearest_neighbours).

In a module of its own: its LocalCluster starts after tests/test_dask.py's module cluster is
closed, so the two clusters' lifetimes never overlap.
"""
import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import resamplekit as rk  # noqa: E402
from resamplekit import dask as rkd  # noqa: E402


def _random_block(block_id, n_rows, d, seed):
    """Block ``block_id`` of the out-of-core data (a seeded generator per block)."""
    return np.random.default_rng([seed, block_id]).normal(size=(n_rows, d))


@pytest.mark.slow
def test_out_of_core_results_are_exact():
    """X of 200 MB on two workers whose memory limit is 150 MB each: exact results.

    X is made block by block on the workers (never in this process until the in-memory
    comparison); the workers spill to disk (pausing and restarting on memory are off, so
    the limit only drives spilling). ENN cleans the 0.5% class (against all rows).
    """
    n_blocks, n_rows, d = 20, 50_000, 25  # 1,000,000 x 25 float64 = 200 MB
    X = da.concatenate([
        da.from_delayed(dask.delayed(_random_block)(b, n_rows, d, 5), (n_rows, d),
                        dtype=np.float64) for b in range(n_blocks)])
    y = (np.random.default_rng(1).random(n_blocks * n_rows) < 0.005).astype(np.int8)
    with dask.config.set({"distributed.worker.memory.pause": False,
                          "distributed.worker.memory.terminate": False}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           memory_limit="150MB", dashboard_address=None,
                                           silence_logs=50)
        with distributed.Client(cluster) as c:
            assert X.nbytes > 150e6
            under = c.compute(rkd.random_under(X, y, random_state=0, return_indices=True)[2],
                              sync=True)
            smoted = c.compute(rkd.smote(X, y, random_state=0)[0][-50_000:], sync=True)
            kept = c.compute(rkd.edited_nearest_neighbours(X, y, ratio=[1],
                                                           return_indices=True)[2], sync=True)
        cluster.close()
    X_mem = np.concatenate([_random_block(b, n_rows, d, 5) for b in range(n_blocks)])
    assert np.bincount(y[under]).tolist() == [int((y == 1).sum())] * 2
    np.testing.assert_array_equal(smoted, rk.smote(X_mem, y, random_state=0)[0][-50_000:])
    np.testing.assert_array_equal(kept, rk.edited_nearest_neighbours(
        X_mem, y, ratio=[1], return_indices=True)[2])
