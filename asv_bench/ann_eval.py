"""Approximate nearest-neighbour indexes against resamplekit's exact search.

    python asv_bench/ann_eval.py --n 100000                 # every candidate, full exact answer
    python asv_bench/ann_eval.py --n 1000000 --set large    # exact answer on 20,000 sampled rows
    python asv_bench/ann_eval.py --n 100000 --only hnswlib  # one candidate
    python asv_bench/ann_eval.py --n 1000000 --prototype    # kneighbors(neighbors="approximate")
    python asv_bench/ann_eval.py --n 300000 --methods       # the samplers, approximate vs exact

Data: isotropic Gaussian float32 (seed 0), d=20; labels from a noisy linear rule, 90/10
(``X @ w + 0.3 * noise`` above its 90th percentile; w a random unit vector). The query is the
one of edited_nearest_neighbours (k=3) and tomek_links (k=1): every row of X against X, the
row itself excluded (each index is asked for k+1 and the row dropped from its own list; when
the index misses the row, the last neighbour is dropped).

Candidates (each in a subprocess of its own, so that its peak memory is its own):
  hnswlib  HNSW (compiled from source by pip: no wheel)   build parameters M, ef_construction
  faiss    IndexHNSWFlat, IndexIVFFlat (faiss-cpu wheel)  M, efConstruction / nlist
  pynndescent NNDescent (numba)                           n_neighbors of its graph
For each build: build time (CPU and wall, 1 thread), then for each query setting (ef,
efSearch, nprobe; pynndescent's answer is its graph, no query) the all-rows query with 1
thread (CPU, wall) and, for the middle setting, with 2 threads (wall). Times are CPU time
(time.process_time, the process's own) and wall time; the machine is shared, so CPU time is
the figure to compare. Memory: the index's resident size after the build and the process's
peak resident size above the data (ru_maxrss minus the resident size once the data are
loaded). Determinism: the answer asked twice; with 1 and with 2 query threads; a second
1-thread build (--rebuild); a 2-thread build against the 1-thread one.

Quality, against resamplekit's exact kneighbors (all rows for n <= --exact-max, else the
--sample rows): recall@3 (share of the exact 3 neighbours found), recall@1; and what the
samplers would do with the approximate lists: ENN (k=3, kind_sel='all', every class but the
minority cleaned) decisions that differ from the exact ones, as a share of the rows and of the
rows the exact ENN keeps; tomek_links (k=1, majority member removed; all rows only) removals
that differ. Results are printed as a table and appended as JSON lines to --out.

Last run (2026-12-02, 2 vCPU shared with other jobs, load average 5-12 on 2 cores: wall times
are inflated, CPU times +-30%; faiss-cpu 1.15.1 and pynndescent 0.7.0 (numba 0.68.1) wheels,
hnswlib 0.8.0 compiled from its sdist by pip). `python asv_bench/ann_eval.py --n 100000
--rebuild`, `--n 100000 --set sweep`, `--n 1000000 --set large --only pynndescent` (hnswlib and
faiss at 1,000,000 rows were stopped at this load; faiss's figure there is the end-to-end run
below). CPU seconds of one thread; "ENN diff/kept": ENN decisions that differ, per row /
per row the exact ENN keeps; tomek: removals that differ / exact removals; det: same answer
twice / 1 vs 2 query threads / 1-thread rebuild / 2-thread build vs 1-thread build.

  n=100,000   build               q  bld cpu  q cpu  idx MB  rec@3   ENN diff/kept  tomek   det
  hnswlib     M=12,efC=40        16      3.5    1.1      31  0.859  0.0224/0.0248  191/1143 yyyn
  hnswlib     M=16,efC=100        8      9.2    1.2      34  0.935  0.0098/0.0109   24/1143 -
  hnswlib     M=16,efC=100       16      9.2    1.8      34  0.965  0.0057/0.0063   12/1143 yyyn
  hnswlib     M=16,efC=100       32      9.2    2.8      34  0.984  0.0026/0.0029    8/1143 -
  faiss-hnsw  M=16,efC=40        32      4.1    3.1      22  0.933  0.0111/0.0123   92/1143 yyyy
  faiss-hnsw  M=16,efC=40        64      4.1    5.6      22  0.968  0.0058/0.0065   51/1143 -
  faiss-hnsw  M=16,efC=64        32      8.9    4.8      22  0.972  0.0043/0.0048   39/1143 yy-y
  faiss-hnsw  M=24,efC=48        32      8.4    5.6      28  0.971  0.0051/0.0056   47/1143 -
  faiss-hnsw  M=32,efC=80        16     10.0    2.1      34  0.978  0.0034/0.0038   16/1143 -
  faiss-hnsw  M=32,efC=80        32     10.0    3.9      34  0.991  0.0015/0.0016    7/1143 yyyy
  faiss-hnsw  M=32,efC=80        64     10.0    7.2      34  0.998  0.0005/0.0006    2/1143 -
  faiss-ivf   nlist=4 sqrt(n)    64      0.6    6.9      15  0.921  0.0119/0.0132  145/1143 yyyy
  faiss-ivf   nlist=4 sqrt(n)   128      0.6   10.8      15  0.980  0.0032/0.0036   21/1143 -
  pynndescent n_neighbors=10      -      1.7      -      43  0.763  0.0372/0.0412  311/1143 yyyn
  pynndescent n_neighbors=20      -      4.3      -      46  0.975  0.0041/0.0045   18/1143 yyyn
  n=1,000,000 (quality on 20,000 sampled rows)
  pynndescent n_neighbors=20      -     79.0      -     327  0.949  0.0077/0.0084         - yy-n
Peak resident memory above the data: 26-86 MB at 100,000 rows (IVF: 258 MB, its k-means);
pynndescent 730 MB at 1,000,000. pynndescent's numba compilation takes 40-85 s of wall time in
each new process (not in the table). hnswlib and pynndescent build different graphs on 2
threads than on 1; faiss >= 1.15 builds the same graph on any number of threads (its add() is
a batched, lock-free build; the graphs' bytes were compared too).

kneighbors(neighbors="approximate") end to end (faiss HNSW M=32, efConstruction=80,
efSearch=32, exact re-ranking; n_jobs=2), `python asv_bench/ann_eval.py --n N --prototype
--split`:

  n           cpu s   wall s  build alone (cpu)  recall@3  ENN diff/kept  peak above data
  100,000      15.6     15.8        11.6          0.9914      0.16%           48 MB
  300,000      74.1    109.4        49.3          0.9864      0.27%           99 MB
  1,000,000   373.9    918.0          -           0.9802      0.33%          438 MB
  1,000,000   363.5    367.1       264.6          0.9802      0.33%          394 MB
(the two 1,000,000-row runs: load average 9, then 4; the same recall and ENN figures). The
build is most of the cost, and its two threads gave little here (wall about equal to CPU time
under this load).
The cheaper graph M=16, efConstruction=40, efSearch=32 (`--tuning 16,40,32`) at 1,000,000 rows:
172.2 s CPU, 154.8 s wall, recall@3 0.8442, ENN differs on 2.27% of the kept rows (0.933 and
1.2% at 100,000): recall falls with n faster for small graphs.
CPU time grows as n**1.35-1.42 (the build as n**1.32-1.40; the graph outgrows the caches):
10,000,000 rows would take about 8,000-9,800 CPU seconds (the build alone about 6,600), 65-80
minutes on two free cores, far from 15 minutes; the exact search at 100,000 rows took
8.2 s of wall time on 2 threads in the same run (approximate pays from about a million rows).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

D = 20
SEED = 0

# (library, build parameters, query settings); the middle query setting is also run on 2
# threads. Query settings: hnswlib ef, faiss efSearch / nprobe, pynndescent none.
CANDIDATES = {
    "hnswlib": [
        ("hnswlib", {"M": 12, "ef_construction": 40}, [8, 16, 32]),
        ("hnswlib", {"M": 16, "ef_construction": 100}, [8, 16, 32]),
    ],
    "faiss-hnsw": [
        ("faiss-hnsw", {"M": 16, "efConstruction": 40}, [16, 32, 64]),
        ("faiss-hnsw", {"M": 32, "efConstruction": 80}, [16, 32, 64]),
    ],
    "faiss-ivf": [
        ("faiss-ivf", {"cells_per_sqrt_n": 4}, [32, 64, 128]),
    ],
    "pynndescent": [
        ("pynndescent", {"n_neighbors": 10}, [None]),
        ("pynndescent", {"n_neighbors": 20}, [None]),
    ],
}
# --set sweep: cheaper faiss graphs (the build dominates the all-rows self-query's cost).
SWEEP = {
    "faiss-hnsw": [
        ("faiss-hnsw", {"M": 12, "efConstruction": 40}, [32, 48, 64]),
        ("faiss-hnsw", {"M": 16, "efConstruction": 64}, [24, 32, 48]),
        ("faiss-hnsw", {"M": 24, "efConstruction": 48}, [16, 24, 32]),
    ],
}
# --set large (1,000,000 rows): the settings that reach recall@3 >= 0.95 at 100,000 rows.
LARGE = {
    "hnswlib": [("hnswlib", {"M": 16, "ef_construction": 100}, [8, 16])],
    "faiss-hnsw": [("faiss-hnsw", {"M": 32, "efConstruction": 80}, [16, 32])],
    "pynndescent": [("pynndescent", {"n_neighbors": 20}, [None])],
}


def make_data(n, d=D, seed=SEED):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d), dtype=np.float32)
    w = rng.standard_normal(d)
    w /= np.linalg.norm(w)
    s = X.astype(np.float64) @ w + 0.3 * rng.standard_normal(n)
    y = (s > np.quantile(s, 0.9)).astype(np.int8)  # 1: minority (10%)
    return X, y


def cache_paths(n):
    base = os.path.join(os.environ.get("ANN_EVAL_CACHE", "/tmp"), f"ann_eval_{n}x{D}")
    return base + "_X.npy", base + "_y.npy", base + "_exact.npz"


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(fn):
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c0, time.perf_counter() - w0


def drop_self(ind, k):
    """Rows' own index removed from their k+1 lists (the last neighbour when it is missing)."""
    n = ind.shape[0]
    own = ind == np.arange(n)[:, None]
    miss = ~own.any(axis=1)
    own[miss, -1] = True
    out = ind[~own].reshape(n, ind.shape[1] - 1)
    return np.ascontiguousarray(out[:, :k]).astype(np.int64)


# ---------------------------------------------------------------- the candidates
class Hnswlib:
    def __init__(self, X, params, threads):
        import hnswlib

        self.index = hnswlib.Index(space="l2", dim=X.shape[1])
        self.index.init_index(max_elements=X.shape[0], ef_construction=params["ef_construction"],
                              M=params["M"], random_seed=SEED)
        self.index.add_items(X, np.arange(X.shape[0]), num_threads=threads)
        self.X = X

    def query(self, setting, threads, k):
        self.index.set_ef(max(setting, k + 1))
        ind, _ = self.index.knn_query(self.X, k=k + 1, num_threads=threads)
        return ind


def _faiss_threads(threads):
    import faiss

    faiss.omp_set_num_threads(threads)
    return faiss


class FaissHnsw:
    def __init__(self, X, params, threads):
        faiss = _faiss_threads(threads)
        self.index = faiss.IndexHNSWFlat(X.shape[1], params["M"])
        self.index.hnsw.efConstruction = params["efConstruction"]
        self.index.add(X)
        self.X = X

    def query(self, setting, threads, k):
        _faiss_threads(threads)
        self.index.hnsw.efSearch = max(setting, k + 1)
        _, ind = self.index.search(self.X, k + 1)
        return ind


class FaissIvf:
    def __init__(self, X, params, threads):
        faiss = _faiss_threads(threads)
        n, d = X.shape
        nlist = int(params["cells_per_sqrt_n"] * np.sqrt(n))
        quantizer = faiss.IndexFlatL2(d)
        self.index = faiss.IndexIVFFlat(quantizer, d, nlist)
        self.index.cp.seed = SEED
        self.index.train(X)  # k-means on a sample of 256 rows per cell (faiss's default)
        self.index.add(X)
        self.X = X
        self.quantizer = quantizer

    def query(self, setting, threads, k):
        _faiss_threads(threads)
        self.index.nprobe = setting
        _, ind = self.index.search(self.X, k + 1)
        return ind


class Pynndescent:
    def __init__(self, X, params, threads):
        import numba
        from pynndescent import NNDescent

        numba.set_num_threads(threads)
        self.index = NNDescent(X, n_neighbors=params["n_neighbors"], random_state=SEED,
                               n_jobs=threads, compressed=True)
        self.graph = self.index.neighbor_graph[0]

    def query(self, setting, threads, k):
        return self.graph[:, : k + 1]


KINDS = {"hnswlib": Hnswlib, "faiss-hnsw": FaissHnsw, "faiss-ivf": FaissIvf,
         "pynndescent": Pynndescent}


def warm_up(kind, params):
    """JIT compilation and library loading outside the measurement (pynndescent: numba)."""
    X, _ = make_data(3000)
    return timed(lambda: KINDS[kind](X, params, 1).query(8, 1, 4))[2]


def worker(kind, params, settings, n, k, rebuild, build_2t):
    """One build configuration: returns its measurements and answers (saved by the parent)."""
    import threadpoolctl

    threadpoolctl.threadpool_limits(1)
    warm = warm_up(kind, params)
    xp, yp, _ = cache_paths(n)
    X = np.load(xp)
    rss0 = rss_bytes()
    peak0 = peak_rss_bytes()
    index, build_cpu, build_wall = timed(lambda: KINDS[kind](X, params, 1))
    index_bytes = rss_bytes() - rss0
    build_peak = peak_rss_bytes() - max(rss0, 0)
    res = {"kind": kind, "params": params, "n": n, "warm_up_wall": warm,
           "build_cpu_1t": build_cpu, "build_wall_1t": build_wall,
           "index_mb": index_bytes / 2**20, "build_peak_mb": build_peak / 2**20,
           "peak_before_mb": peak0 / 2**20, "queries": []}
    answers = {}
    mid = settings[len(settings) // 2]
    for s in settings:
        ind, qc, qw = timed(lambda: index.query(s, 1, k))
        q = {"setting": s, "query_cpu_1t": qc, "query_wall_1t": qw}
        ind = drop_self(ind, k)
        answers[str(s)] = ind
        if s == mid:
            again = drop_self(index.query(s, 1, k), k)
            ind2, qc2, qw2 = timed(lambda: index.query(s, 2, k))
            ind2 = drop_self(ind2, k)
            q.update(query_cpu_2t=qc2, query_wall_2t=qw2,
                     same_twice=bool(np.array_equal(ind, again)),
                     same_1t_2t_query=bool(np.array_equal(ind, ind2)))
        res["queries"].append(q)
    del index
    if rebuild:
        index = KINDS[kind](X, params, 1)
        res["same_rebuild_1t"] = bool(np.array_equal(drop_self(index.query(mid, 1, k), k),
                                                     answers[str(mid)]))
        del index
    if build_2t:
        index, bc2, bw2 = timed(lambda: KINDS[kind](X, params, 2))
        res.update(build_cpu_2t=bc2, build_wall_2t=bw2)
        res["same_build_1t_2t"] = bool(np.array_equal(drop_self(index.query(mid, 1, k), k),
                                                      answers[str(mid)]))
    res["peak_mb"] = (peak_rss_bytes() - rss0) / 2**20
    return res, answers


# ---------------------------------------------------------------- quality
def enn_keep(y_rows, y_neighbours):
    """ENN's decision (kind_sel='all'; the minority, label 1, is never cleaned)."""
    return (y_neighbours[:, :3] == y_rows[:, None]).all(axis=1) | (y_rows == 1)


def quality(y, rows, exact, approx, full):
    """Recall and sampler agreement on the query rows ``rows`` (their exact and approximate
    lists, k=3, own row excluded)."""
    e, a = exact[:, :3], approx[rows, :3]
    hits = sum((a == e[:, [j]]).any(axis=1).sum() for j in range(3))
    out = {"recall3": hits / e.size, "recall1": float(np.mean(a[:, 0] == e[:, 0]))}
    yr = y[rows]
    ke, ka = enn_keep(yr, y[e]), enn_keep(yr, y[a])
    diff = int((ke != ka).sum())
    out["enn_diff_rows"] = diff / len(rows)
    out["enn_diff_of_kept"] = diff / max(int(ke.sum()), 1)
    out["enn_kept_share"] = float(ke.mean())
    if full:  # tomek links need every row's nearest neighbour
        out["tomek_diff"] = tomek_diff(y, e[:, 0], a[:, 0])
    return out


def tomek_removed(y, nn):
    n = len(nn)
    mutual = nn[nn] == np.arange(n)
    link = mutual & (y != y[nn])
    return link & (y == 0)


def tomek_diff(y, nn_exact, nn_approx):
    re, ra = tomek_removed(y, nn_exact), tomek_removed(y, nn_approx)
    return {"exact_removed": int(re.sum()), "differ": int((re != ra).sum())}


def exact_answer(n, k, sample, exact_max):
    """resamplekit's exact lists (all rows, or a seeded sample), cached on disk."""
    xp, yp, ep = cache_paths(n)
    if not os.path.exists(xp):
        X, y = make_data(n)
        np.save(xp, X)
        np.save(yp, y)
    X, y = np.load(xp), np.load(yp)
    full = n <= exact_max
    if os.path.exists(ep):
        z = np.load(ep)
        if bool(z["full"]) == full and z["ind"].shape[1] >= k:
            return X, y, z["rows"], z["ind"], full
    from resamplekit._neighbors import kneighbors

    rows = (np.arange(n) if full else
            np.sort(np.random.default_rng(1).choice(n, sample, replace=False)))
    t = time.perf_counter()
    _, ind = kneighbors(X, k, rows=None if full else rows, n_jobs=2)
    print(f"# exact answer for {len(rows)} rows of {n}: {time.perf_counter() - t:.1f}s wall "
          "(2 threads)", flush=True)
    np.savez(ep, rows=rows, ind=ind, full=full)
    return X, y, rows, ind, full


def prototype(a):
    """kneighbors(neighbors='approximate') end to end (build, search, exact re-ranking)."""
    X, y, rows, exact, full = exact_answer(a.n, a.k, a.sample, a.exact_max)
    from resamplekit._neighbors import kneighbors

    for threads in a.threads:
        if a.split:  # the graph alone, as kneighbors builds it
            import faiss

            from resamplekit._neighbors import APPROXIMATE_TUNING as T

            faiss.omp_set_num_threads(threads)
            index = faiss.IndexHNSWFlat(X.shape[1], T.m)
            index.hnsw.efConstruction = T.ef_construction
            _, bc, bw = timed(lambda: index.add(X))
            del index
            print(f"faiss HNSW build alone (M={T.m}, efConstruction={T.ef_construction}, "
                  f"{threads} threads): cpu {bc:.1f}s wall {bw:.1f}s", flush=True)
        rss0 = rss_bytes()
        if a.tuning:  # M, efConstruction, efSearch
            import dataclasses

            from resamplekit import _neighbors as nb

            m_, efc, efs = (int(v) for v in a.tuning.split(","))
            tuning = dataclasses.replace(nb.APPROXIMATE_TUNING, m=m_, ef_construction=efc,
                                         ef_search=efs)
            s = nb._validate(X, a.k, None, None, False, threads, None, "auto")
            (_, ind), cpu, wall = timed(lambda: nb._approximate_kneighbors(s, tuning))
        else:
            (_, ind), cpu, wall = timed(lambda: kneighbors(X, a.k, neighbors="approximate",
                                                           n_jobs=threads))
        q = quality(y, rows, exact, ind, full)
        q.update(n=a.n, threads=threads, cpu=cpu, wall=wall,
                 peak_mb=(peak_rss_bytes() - rss0) / 2**20)
        print(f"kneighbors(neighbors='approximate') n={a.n} k={a.k} n_jobs={threads} "
              f"{a.tuning or 'default'}: "
              f"cpu {cpu:.1f}s wall {wall:.1f}s, peak above the data {q['peak_mb']:.0f} MB, "
              f"recall@3 {q['recall3']:.4f}, ENN differs on {q['enn_diff_of_kept']:.4%} of the "
              f"kept rows", flush=True)
        with open(a.out, "a") as f:
            f.write(json.dumps({"prototype": q}, default=str) + "\n")


def methods(a):
    """The samplers with neighbors='approximate' against 'exact', end to end: time and the
    share of the exact rule's kept rows the approximate rule keeps too."""
    import resamplekit as rk

    X, y = make_data(a.n)
    cases = [("edited_nearest_neighbours", {}), ("tomek_links", {}),
             ("neighbourhood_cleaning_rule", {}), ("near_miss", {"version": 1})]
    for name, kwargs in cases:
        fn = getattr(rk, name)
        exact, _, w_exact = timed(lambda: fn(X, y, **kwargs, return_indices=True)[2])
        approx, _, w_approx = timed(lambda: fn(X, y, **kwargs, neighbors="approximate",
                                               return_indices=True)[2])
        common = np.intersect1d(exact, approx).size
        row = dict(method=name, n=a.n, exact_s=w_exact, approximate_s=w_approx,
                   kept_exact=int(exact.size), kept_approximate=int(approx.size),
                   agreement=common / max(exact.size, 1))
        print(f"{name}{kwargs or ''} n={a.n:,}: exact {w_exact:.1f} s, approximate "
              f"{w_approx:.1f} s (wall); kept {exact.size:,} / {approx.size:,}, the approximate "
              f"rule keeps {row['agreement']:.4%} of the exact rule's rows", flush=True)
        with open(a.out, "a") as f:
            f.write(json.dumps({"methods": row}) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--exact-max", type=int, default=200_000)
    ap.add_argument("--set", choices=("small", "sweep", "large"), default="small")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--rebuild", action="store_true", help="second 1-thread build")
    ap.add_argument("--no-build-2t", nargs="*", default=[],
                    help="candidates whose 2-thread build is skipped")
    ap.add_argument("--out", default=os.path.join(os.environ.get("ANN_EVAL_CACHE", "/tmp"),
                                                  "ann_eval_results.jsonl"))
    ap.add_argument("--prototype", action="store_true",
                    help="time kneighbors(neighbors='approximate') instead of the candidates")
    ap.add_argument("--threads", type=int, nargs="*", default=[2])
    ap.add_argument("--split", action="store_true", help="--prototype: also time the build alone")
    ap.add_argument("--tuning",
                    help="--prototype: M,efConstruction,efSearch instead of the default")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--methods", action="store_true",
                    help="the samplers with neighbors='approximate' against 'exact'")
    a = ap.parse_args()
    if a.methods:
        return methods(a)
    if a.prototype:
        return prototype(a)
    if a.worker:
        kind, params, settings, ans_path = json.loads(a.worker)
        res, answers = worker(kind, params, settings, a.n, a.k, a.rebuild,
                              kind not in a.no_build_2t)
        np.savez(ans_path, **answers)
        print(json.dumps(res))
        return
    X, y, rows, exact, full = exact_answer(a.n, a.k, a.sample, a.exact_max)
    del X
    print(f"# n={a.n} d={D} k={a.k}; quality on {'all' if full else len(rows)} rows; "
          "times in s (cpu: process CPU time), memory in MB", flush=True)
    head = (f"{'index':12} {'build':26} {'q':>4} {'bld cpu':>8} {'q cpu1':>7} {'q wall2':>7} "
            f"{'idx MB':>7} {'peak':>6} {'rec@3':>6} {'rec@1':>6} {'ENN diff/kept':>13} "
            f"{'tomek':>9} det")
    print(head, flush=True)
    candidates = {"small": CANDIDATES, "sweep": SWEEP, "large": LARGE}[a.set]
    for name in a.only or list(candidates):
        for kind, params, settings in candidates[name]:
            ans_path = f"/tmp/ann_eval_answers_{os.getpid()}.npz"
            cmd = [sys.executable, os.path.abspath(__file__), "--n", str(a.n), "--k", str(a.k),
                   "--worker", json.dumps([kind, params, settings, ans_path])]
            if a.rebuild:
                cmd.append("--rebuild")
            if kind in a.no_build_2t:
                cmd += ["--no-build-2t", kind]
            env = dict(os.environ, OMP_NUM_THREADS="2", NUMBA_NUM_THREADS="2",
                       OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if p.returncode:
                print(f"{kind} {params}: failed\n{p.stderr[-2000:]}", flush=True)
                continue
            res = json.loads(p.stdout.strip().splitlines()[-1])
            answers = np.load(ans_path)
            for q in res["queries"]:
                q.update(quality(y, rows, exact, answers[str(q["setting"])], full))
                det = "".join("y" if res.get(f, q.get(f)) else ("n" if f in res or f in q
                                                                else "-")
                              for f in ("same_twice", "same_1t_2t_query", "same_rebuild_1t",
                                        "same_build_1t_2t"))
                tom = (f"{q['tomek_diff']['differ']}/{q['tomek_diff']['exact_removed']}"
                       if "tomek_diff" in q else "")
                bp = ",".join(f"{k}={v}" for k, v in params.items())
                print(f"{kind:12} {bp:26} {str(q['setting']):>4} {res['build_cpu_1t']:8.1f} "
                      f"{q['query_cpu_1t']:7.1f} {q.get('query_wall_2t', float('nan')):7.1f} "
                      f"{res['index_mb']:7.0f} {res['peak_mb']:6.0f} {q['recall3']:6.4f} "
                      f"{q['recall1']:6.4f} {q['enn_diff_rows']:6.4f}/{q['enn_diff_of_kept']:6.4f} "
                      f"{tom:>9} {det}", flush=True)
            print(f"#   {kind} {params}: build wall 1t {res['build_wall_1t']:.1f}s, 2t "
                  f"{res.get('build_wall_2t', float('nan')):.1f}s (cpu "
                  f"{res.get('build_cpu_2t', float('nan')):.1f}s); warm-up "
                  f"{res['warm_up_wall']:.1f}s", flush=True)
            with open(a.out, "a") as f:
                f.write(json.dumps(res) + "\n")
            os.remove(ans_path)


if __name__ == "__main__":
    main()
