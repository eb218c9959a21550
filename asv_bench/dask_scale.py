"""Time resamplekit.dask on data larger than one worker's memory, and its overhead.

Not an asv suite (it starts its own dask.distributed cluster): a script that prints one line
per measurement. Two parts:

- ``scale``: X of N x D float32 made lazily on the workers by dask's seeded generator (never in
  this process), labels with a 1% minority class; a LocalCluster of W worker processes (one
  thread each) with a memory limit each. random_under, random_over and smote are computed to a
  small reduction (the column sums of X_res, so every output row is made but none is sent
  back); ``--clean N`` adds edited_nearest_neighbours and tomek_links on N rows sorted along
  one coordinate (where the block bounds prune; isotropic random rows would make every search
  quadratic, in memory too). Each method gets a fresh cluster, so
  the peak RSS reported per worker is that method's.
- ``overhead``: the same methods on 1,000,000 x 20 float64 (ENN on a smaller n: its search is
  quadratic on isotropic data) with one worker of one thread, against the in-memory function
  with ``n_jobs=1`` on the same values (made block by block by the same seeded function). X is
  persisted in the worker's memory before the timings (as the in-memory X is in this
  process), so both times are the resampling and a reduction of its output (column sums).
  The same call on dask's threaded scheduler with one thread (X a dask array over the
  in-memory array) is timed too: the cost of the graph without the distributed round trips.
- ``oversample``: smote, borderline_smote (both kinds) and adasyn on N x D float32 in memory,
  then over dask (threaded scheduler) with the classes gathered and with
  ``max_gather_bytes=0`` (every class block-wise), same rows checked.
- ``blockwise``: the block-wise neighbour rules (by default near_miss,
  neighbourhood_cleaning_rule, repeated_edited_nearest_neighbours) on N x D float64 with one
  worker of one thread: the block-wise function against gathering X and y into this process
  and running the in-memory function with ``n_jobs=1`` (possible when X fits one process),
  same rows checked.

Usage (from the repository root, PYTHONPATH at it)::

    OPENBLAS_NUM_THREADS=1 python asv_bench/dask_scale.py scale --n 5000000 --workers 2 \\
        --memory 1.5GB
    OPENBLAS_NUM_THREADS=1 python asv_bench/dask_scale.py overhead --n 1000000
    OPENBLAS_NUM_THREADS=1 python asv_bench/dask_scale.py overhead --n 1000000 --chunk auto
    OPENBLAS_NUM_THREADS=1 python asv_bench/dask_scale.py blockwise --n 200000
    python asv_bench/dask_scale.py oversample --n 200000
"""
import argparse
import resource
import sys
import time

import numpy as np

import dask
import dask.array as da
import distributed

import resamplekit as rk
from resamplekit import dask as rkd


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _labels(n, chunk, seed=1, minority=0.01):
    return (da.random.default_rng(seed).random(n, chunks=chunk) < minority).astype(np.int8)


def _lazy_X(n, d, chunk, seed=0, sort=False):
    X = da.random.default_rng(seed).standard_normal((n, d), chunks=(chunk, d),
                                                    dtype=np.float32)
    if sort:
        # column 0 increasing over the rows (blocks are slabs along it: the bounds prune),
        # the other columns narrow (about 1,000 rows within a row's typical neighbour
        # distance: low intrinsic dimension, as in data sorted by time or place)
        offset = da.arange(n, chunks=chunk, dtype=np.float32)[:, None] * np.float32(0.001)
        X = da.concatenate([X[:, :1] * np.float32(0.001) + offset,
                            X[:, 1:] * np.float32(0.16)], axis=1)
    return X


def _reduce(out):
    X_res, y_res = out[0], out[1]
    return dask.compute(X_res.sum(axis=0), y_res.sum(), X_res.shape[0])


def _warm():
    import resamplekit.dask  # noqa: F401  (imports on the worker, outside the timings)


def _cluster(n_workers, memory="auto"):
    cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                       processes=True, memory_limit=memory,
                                       dashboard_address=None, silence_logs=50)
    client = distributed.Client(cluster)
    client.run(_warm)
    return cluster, client


def scale(args):
    chunk = args.chunk
    X = _lazy_X(args.n, args.d, chunk)
    y = _labels(args.n, chunk)
    print(f"# scale: X {args.n:,} x {args.d} float32 ({X.nbytes / 1e9:.2f} GB, chunks of "
          f"{chunk:,} rows), 1% minority; {args.workers} workers x 1 thread, memory_limit "
          f"{args.memory}")
    runs = [
        ("generate (X.sum)", lambda: dask.compute(X.sum(axis=0), y.sum())),
        ("random_under", lambda: _reduce(rkd.random_under(X, y, random_state=0))),
        ("random_over", lambda: _reduce(rkd.random_over(X, y, random_state=0))),
        ("smote", lambda: _reduce(rkd.smote(X, y, random_state=0))),
    ]
    if args.clean:
        Xs = _lazy_X(args.clean, args.d, chunk, sort=True)
        ys = _labels(args.clean, chunk, minority=0.1)
        runs += [
            (f"edited_nearest_neighbours (n={args.clean:,}, sorted)",
             lambda: _reduce(rkd.edited_nearest_neighbours(Xs, ys))),
            (f"tomek_links (n={args.clean:,}, sorted)",
             lambda: _reduce(rkd.tomek_links(Xs, ys))),
        ]
    for name, run in runs:
        cluster, client = _cluster(args.workers, args.memory)  # fresh workers: their own peak
        t0 = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - t0
        peaks = sorted(client.run(_peak_rss_mb).values())
        rows = f", {result[2]:,} rows out" if len(result) > 2 else ""
        print(f"{name}: {seconds:.1f} s{rows}; peak worker RSS "
              f"{', '.join(f'{p:.0f}' for p in peaks)} MB; driver peak "
              f"{_peak_rss_mb():.0f} MB", flush=True)
        client.close()
        cluster.close()


def _block(b, rows, d, seed):
    return np.random.default_rng([seed, b]).standard_normal((rows, d))


def _row_chunks(n, d, chunk):
    """Row counts of the blocks: ``chunk`` rows each (the last one shorter), or dask's own
    choice for ``chunk="auto"`` (blocks of about ``array.chunk-size``, 128 MiB by default)."""
    if chunk == "auto":
        return da.core.normalize_chunks(("auto", -1), (n, d), dtype=np.float64)[0]
    chunk = min(int(chunk), n)
    return (chunk,) * (n // chunk) + ((n % chunk,) if n % chunk else ())


def _chunk_arg(text):
    return text if text == "auto" else int(text)


def _same_data(n, d, chunk, seed=0):
    rows = _row_chunks(n, d, chunk)
    lazy = da.concatenate([da.from_delayed(dask.delayed(_block)(b, m, d, seed), (m, d),
                                           dtype=np.float64) for b, m in enumerate(rows)])
    return lazy, lambda: np.concatenate([_block(b, m, d, seed) for b, m in enumerate(rows)])


def overhead(args):
    cluster, client = _cluster(1)
    rows = "dask's auto chunks" if args.chunk == "auto" else f"chunks of {args.chunk:,} rows"
    print(f"# overhead: 1 worker x 1 thread vs in-memory n_jobs=1; float64, {rows}, "
          f"10% minority")
    cases = [
        ("random_under", args.n, lambda X, y: rkd.random_under(X, y, random_state=0),
         lambda X, y: rk.random_under(X, y, random_state=0)),
        ("smote", args.n, lambda X, y: rkd.smote(X, y, random_state=0, n_jobs=1),
         lambda X, y: rk.smote(X, y, random_state=0, n_jobs=1)),
        ("edited_nearest_neighbours", args.n_enn,
         lambda X, y: rkd.edited_nearest_neighbours(X, y),
         lambda X, y: rk.edited_nearest_neighbours(X, y, n_jobs=1)),
    ]
    wanted = set(args.methods.split(",")) if args.methods else None
    for name, n, lazy_fn, mem_fn in cases:
        if wanted is not None and name not in wanted:
            continue
        X, make = _same_data(n, args.d, args.chunk)
        y = (np.random.default_rng(1).random(n) < 0.1).astype(np.int8)
        X_mem = make()
        # X held in the worker's memory first, as X_mem is in this process: the timings
        # compare the resampling, not making the data.
        X = X.persist()
        distributed.wait(X)
        X_local = da.from_array(X_mem, chunks=X.chunks)
        times_dask, times_local, times_mem = [], [], []
        for _ in range(args.repeat):  # alternate, report medians
            t0 = time.perf_counter()
            _reduce(lazy_fn(X, y))
            times_dask.append(time.perf_counter() - t0)
            with dask.config.set(scheduler="threads", num_workers=1):
                t0 = time.perf_counter()
                _reduce(lazy_fn(X_local, y))
                times_local.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            out = mem_fn(X_mem, y)
            out[0].sum(axis=0)
            times_mem.append(time.perf_counter() - t0)
        blocks = ",".join(f"{m:,}" for m in X.chunks[0])
        del X
        t_dask = float(np.median(times_dask))
        t_local = float(np.median(times_local))
        t_mem = float(np.median(times_mem))
        print(f"{name} (n={n:,}, d={args.d}, blocks of {blocks} rows): in memory "
              f"{t_mem:.3f} s; dask, distributed worker {t_dask:.3f} s ({t_dask / t_mem:.2f}x); "
              f"dask, threaded scheduler with 1 thread {t_local:.3f} s "
              f"({t_local / t_mem:.2f}x) (medians of {args.repeat})",
              flush=True)
    client.close()
    cluster.close()


def blockwise(args):
    cluster, client = _cluster(1)
    print(f"# block-wise vs gathered: 1 worker x 1 thread, n_jobs=1; float64, chunks of "
          f"{args.chunk:,} rows, 10% minority; wall time (s)")
    X, make = _same_data(args.n, args.d, min(args.chunk, args.n))
    y = (np.random.default_rng(1).random(args.n) < 0.1).astype(np.int8)
    for name in args.methods.split(","):
        blockwise_fn = getattr(rkd, name)
        in_memory = getattr(rk, name)
        t0 = time.perf_counter()
        idx_dask = blockwise_fn(X, y, n_jobs=1, return_indices=True)[2].compute()
        t_dask = time.perf_counter() - t0
        t0 = time.perf_counter()
        X_mem = X.compute()  # the gathering path: X and y into this process, then in memory
        idx_mem = in_memory(X_mem, y, n_jobs=1, return_indices=True)[2]
        t_mem = time.perf_counter() - t0
        del X_mem
        same = bool(np.array_equal(idx_dask, idx_mem))
        print(f"{name} (n={args.n:,}, d={args.d}): block-wise {t_dask:.1f} s, gathered "
              f"{t_mem:.1f} s, ratio {t_dask / t_mem:.2f}x; same rows: {same}", flush=True)
    client.close()
    cluster.close()


def oversample(args):
    print(f"# over-samplers: gathered vs max_gather_bytes=0 vs in memory; {args.n:,} x {args.d} "
          f"float32, 10% minority shifted by 0.5, chunks of {args.chunk:,} rows, dask's "
          f"threaded scheduler; wall time of the call and its compute (s)")
    rng = np.random.default_rng(0)
    y = (rng.random(args.n) < 0.1).astype(np.int64)
    X = rng.normal(size=(args.n, args.d)).astype(np.float32)
    X[y == 1] += np.float32(0.5)
    Xd = da.from_array(X, chunks=(args.chunk, -1))
    cases = [("borderline_smote", {}), ("borderline_smote", {"kind": "borderline-2"}),
             ("adasyn", {}), ("smote", {})]
    for name, kwargs in cases:
        t0 = time.perf_counter()
        expected = getattr(rk, name)(X, y, random_state=0, **kwargs)
        times = [time.perf_counter() - t0]
        for budget in (None, 0):
            t0 = time.perf_counter()
            got = dask.compute(*getattr(rkd, name)(Xd, y, random_state=0,
                                                   max_gather_bytes=budget, **kwargs))
            times.append(time.perf_counter() - t0)
            assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])
        label = f"{name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
        print(f"{label}: in memory {times[0]:.2f} s; gathered {times[1]:.2f} s; block-wise "
              f"(max_gather_bytes=0) {times[2]:.2f} s; same rows", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("scale")
    p.add_argument("--n", type=int, default=5_000_000)
    p.add_argument("--d", type=int, default=20)
    p.add_argument("--chunk", type=int, default=500_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--memory", default="1.5GB")
    p.add_argument("--clean", type=int, default=0,
                   help="rows for edited_nearest_neighbours and tomek_links (0: skip)")
    p = sub.add_parser("overhead")
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--n-enn", type=int, default=200_000)
    p.add_argument("--d", type=int, default=20)
    p.add_argument("--chunk", type=_chunk_arg, default=250_000,
                   help="rows per block, or 'auto' (dask's choice: blocks of about 128 MiB)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--methods", default="",
                   help="comma-separated subset of random_under,smote,edited_nearest_neighbours")
    p = sub.add_parser("blockwise")
    p.add_argument("--n", type=int, default=200_000)
    p.add_argument("--d", type=int, default=20)
    p.add_argument("--chunk", type=int, default=50_000)
    p.add_argument("--methods", default="near_miss,neighbourhood_cleaning_rule,"
                   "repeated_edited_nearest_neighbours")
    p = sub.add_parser("oversample")
    p.add_argument("--n", type=int, default=200_000)
    p.add_argument("--d", type=int, default=20)
    p.add_argument("--chunk", type=int, default=25_000)
    args = parser.parse_args(argv)
    {"scale": scale, "overhead": overhead, "blockwise": blockwise,
     "oversample": oversample}[args.what](args)


if __name__ == "__main__":
    sys.exit(main())
