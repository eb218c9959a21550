"""Progress reporting: resamplekit.report_progress and its Progress events.

The events of every long phase (well formed: done from 0 up to total, method names right),
identical answers with and without a callback (also when the neighbour search runs by slabs
of queries, for every kernel), cancelling by raising, the context variable's scope (outside
the block, nested blocks, other threads).
"""
import dataclasses
import threading

import numpy as np
import pytest

import resamplekit as rk
from resamplekit import _neighbors as nb
from resamplekit import _progress

from conftest import skewed_classes

SLABS = 5  # slabs of a search over more queries than the (lowered) threshold


@pytest.fixture
def slabbed(monkeypatch):
    """Searches over more than 60 queries run by slabs when a callback listens."""
    monkeypatch.setattr(nb, "_PROGRESS_MIN_QUERIES", 60)
    monkeypatch.setattr(nb, "_PROGRESS_SLABS", SLABS)


def recorded(call, *args, **kwargs):
    """(result of call, the events it reported)."""
    events = []
    with rk.report_progress(events.append):
        out = call(*args, **kwargs)
    return out, events


def check_well_formed(events):
    """Per phase name: segments that start at done=0, grow strictly, end at done == total
    (a known total only changes on a last event, a phase that stopped early); every phase
    ended. Returns {phase: number of segments}."""
    open_, count = {}, {}
    for e in events:
        assert isinstance(e, rk.Progress)
        assert isinstance(e.done, int) and (e.total is None or isinstance(e.total, int))
        last = open_.get(e.phase)
        if last is None:
            assert e.done == 0, e
            assert e.total is None or e.total >= 0
            count[e.phase] = count.get(e.phase, 0) + 1
        else:
            assert e.done > last.done, (last, e)
            # the total stays, except on a last event that ends the phase early
            assert last.total is None or e.total == last.total or e.done == e.total, (last, e)
        if e.total is not None and e.done == e.total and (last is not None or e.total == 0):
            open_.pop(e.phase, None)
        else:
            open_[e.phase] = e
            if e.total is not None:
                assert e.done < e.total or e.done == 0
    assert not open_, f"phases not ended: {open_}"
    return count


def assert_same(a, b):
    """Results of two calls (tuples of arrays or ints) are identical."""
    assert len(a) == len(b)
    for u, v in zip(a, b):
        u, v = np.asarray(u), np.asarray(v)
        assert u.dtype == v.dtype and u.shape == v.shape
        np.testing.assert_array_equal(u, v)


def data(n=300, seed=0):
    X, y = skewed_classes(2, n=n, d=4, seed=seed)
    return X, y


def _sklearn():
    return pytest.importorskip("sklearn")


# name -> (call(X, y), phases that must be reported)
def _cases():
    def iht(X, y):
        from sklearn.linear_model import LogisticRegression

        return rk.instance_hardness_threshold(X, y, estimator=LogisticRegression(), cv=3,
                                              random_state=0, return_indices=True)

    return {
        "edited_nearest_neighbours": (
            lambda X, y: rk.edited_nearest_neighbours(X, y, return_indices=True),
            {"neighbour search"}),
        "repeated_edited_nearest_neighbours": (
            lambda X, y: rk.repeated_edited_nearest_neighbours(X, y, return_indices=True,
                                                               return_n_iter=True),
            {"neighbour search", "editing round"}),
        "all_knn": (lambda X, y: rk.all_knn(X, y, k=4, return_indices=True),
                    {"neighbour search", "editing round"}),
        "condensed_nearest_neighbour": (
            lambda X, y: rk.condensed_nearest_neighbour(X, y, random_state=0,
                                                        return_indices=True),
            {"neighbour search", "CNN pass"}),
        "one_sided_selection": (
            lambda X, y: rk.one_sided_selection(X, y, random_state=0, return_indices=True),
            {"neighbour search", "CNN pass"}),
        "smote": (lambda X, y: rk.smote(X, y, random_state=0, return_indices=True),
                  {"neighbour search"}),
        "smote_enn": (lambda X, y: rk.smote_enn(X, y, random_state=0, return_indices=True),
                      {"neighbour search"}),
        "cluster_centroids": (
            lambda X, y: rk.cluster_centroids(X, y, random_state=0, voting="hard",
                                              return_indices=True),
            {"estimator fit", "neighbour search"}),
        "instance_hardness_threshold": (iht, {"estimator fit"}),
        "svm_smote": (lambda X, y: rk.svm_smote(X, y, random_state=0, return_indices=True),
                      {"estimator fit", "neighbour search"}),
    }


CASES = list(_cases())
NEEDS_SKLEARN = {"cluster_centroids", "instance_hardness_threshold", "svm_smote"}


@pytest.mark.parametrize("name", CASES)
def test_events_and_same_results(name, slabbed):
    if name in NEEDS_SKLEARN:
        _sklearn()
    call, phases = _cases()[name]
    X, y = data()
    plain = call(X, y)
    out, events = recorded(call, X, y)
    assert_same(plain, out)
    assert events, "no events"
    assert {e.method for e in events} == {name}
    counts = check_well_formed(events)
    assert phases <= set(counts), counts
    assert set(counts) <= {"neighbour search", "editing round", "CNN pass", "estimator fit"}


def test_enn_events_exact(slabbed):
    X, y = data()
    (_, y_res), events = recorded(rk.edited_nearest_neighbours, X, y)
    n_q = int(np.count_nonzero(y != np.argmin(np.bincount(y))))  # 'auto': not minority
    bounds = np.linspace(0, n_q, SLABS + 1).astype(int)
    assert [(e.phase, e.done, e.total) for e in events] == \
        [("neighbour search", int(b), n_q) for b in bounds]


def test_renn_rounds():
    X, y = data()
    (*_, n_iter), events = recorded(rk.repeated_edited_nearest_neighbours, X, y,
                                    return_n_iter=True)
    rounds = [(e.done, e.total) for e in events if e.phase == "editing round"]
    assert n_iter >= 2
    assert rounds == [(i, None) for i in range(n_iter)] + [(n_iter, n_iter)]
    # one big search, then repairs, each inside its round
    searches = [e for e in events if e.phase == "neighbour search" and e.done == 0]
    assert searches[0].total == int(np.count_nonzero(y != np.argmin(np.bincount(y))))


def test_all_knn_rounds_and_early_stop():
    X, y = data()
    _, events = recorded(rk.all_knn, X, y, k=3, allow_minority=True)
    assert [(e.done, e.total) for e in events if e.phase == "editing round"] == \
        [(0, 3), (1, 3), (2, 3), (3, 3)]
    # rounds stop after the first when a class falls below the original minority
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    y = np.array([0] * 31 + [1] * 29)
    _, events = recorded(rk.all_knn, X, y, k=5, ratio="all")
    rounds = [(e.done, e.total) for e in events if e.phase == "editing round"]
    assert rounds[0] == (0, 5) and rounds[-1][0] == rounds[-1][1] < 5
    check_well_formed(events)


def test_cluster_centroids_counts_fits():
    _sklearn()
    X, y = skewed_classes(3, n=300, d=4)
    _, events = recorded(rk.cluster_centroids, X, y, random_state=0, ratio="all")
    fits = [(e.done, e.total) for e in events if e.phase == "estimator fit"]
    assert fits == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_single_fit_phases():
    _sklearn()
    X, y = data()
    for call in (lambda: rk.svm_smote(X, y, random_state=0),
                 lambda: rk.instance_hardness_threshold(X, y, random_state=0, cv=2)):
        _, events = recorded(call)
        assert [(e.done, e.total) for e in events if e.phase == "estimator fit"] == \
            [(0, 1), (1, 1)]


# --- the neighbour search by slabs: every kernel gives the same answer ----------------------


def _search_cases():
    inf = float("inf")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    X2 = rng.normal(size=(400, 2))
    Y = rng.normal(size=(250, 5))
    rows = np.sort(rng.choice(400, 300, replace=False))
    far = X.copy()
    far *= 2.0**200
    far[7] *= 2.0**40  # a row far from the others: searched as a block of its own
    huge = X * 2.0**200  # rescaled into float64, no far rows
    tight = rng.normal(size=(6000, 3)) * 0.01
    tight[::2] += 1e5
    cases = {
        "self brute": (X, dict(plan={"kernel": "brute"})),
        "self brute float64 scan": (X, dict(plan={"kernel": "brute", "scan_dtype": "float64"})),
        "self pruned": (X, dict(plan={"kernel": "brute", "prune": True, "prune_limit": inf})),
        "self symmetric pruned": (X, dict(plan={"kernel": "symmetric", "prune": True,
                                                "prune_limit": inf})),
        "self farthest": (X, dict(farthest=True, plan={"kernel": "brute"})),
        "Y brute": (X, dict(Y=Y, plan={"kernel": "brute"})),
        "Y pruned": (X, dict(Y=Y, plan={"kernel": "brute", "prune": True,
                                        "prune_limit": inf})),
        "rows": (X, dict(rows=rows, plan={"kernel": "brute"})),
        "rows via self-query": (X, dict(rows=rows, plan={"kernel": "brute",
                                                         "via_self_query": True})),
        "float32": (X.astype(np.float32), dict(plan={"kernel": "brute"})),
        "float32 pruned": (X.astype(np.float32), dict(plan={"kernel": "brute", "prune": True,
                                                            "prune_limit": inf})),
        "kd_tree": (X2, dict(algorithm="kd_tree")),
        "kd_tree Y": (X2, dict(Y=Y[:, :2], algorithm="kd_tree")),
        "kd_tree ties": (np.round(X2, 1), dict(algorithm="kd_tree")),
        "rescaled": (huge, dict(plan={"kernel": "brute"})),
        "threads": (X, dict(n_jobs=2, plan={"kernel": "brute", "n_threads": 2})),
        "duplicates": (np.repeat(X[:100], 4, axis=0), dict(plan={"kernel": "brute"})),
        # float32 cannot separate the candidates (norms 1e10, distances 1): the overflowed
        # queries of each slab are redone by a float64 pass
        "tight clusters redone": (tight, dict(plan={"kernel": "brute", "fused": False})),
        "tight clusters redone Y": (tight, dict(Y=tight[::7] + 1e-3,
                                                plan={"kernel": "brute", "fused": False})),
        # all rows equal: every list overflows the float64 scan too (exact scans)
        "massive ties": (np.zeros((300, 1)), dict(plan={"kernel": "brute"})),
    }
    if nb.fused_scan_enabled():
        cases["fused"] = (X, dict(plan={"kernel": "brute", "fused": True}))
        cases["fused pruned"] = (X, dict(plan={"kernel": "brute", "fused": True,
                                               "prune": True, "prune_limit": inf}))
    start_end_only = {
        "symmetric": (X, dict(plan={"kernel": "symmetric", "prune": False})),
        "far rows": (far, dict()),
        "few queries": (X, dict(Y=Y[:50])),
    }
    return cases, start_end_only


SEARCHES, START_END_ONLY = _search_cases()


@pytest.mark.parametrize("name", list(SEARCHES))
@pytest.mark.parametrize("k", [1, 4])
def test_search_by_slabs_same_answer(name, k, slabbed):
    X, kwargs = SEARCHES[name]
    plain = nb.kneighbors(X, k, **kwargs)
    out, events = recorded(nb.kneighbors, X, k, **kwargs)
    assert_same(plain, out)
    n_q = plain[0].shape[0]
    assert n_q > 60
    assert [e.done for e in events][0] == 0 and events[-1].done == n_q
    assert len(events) == SLABS + 1, events
    assert {(e.method, e.phase, e.total) for e in events} == {
        ("kneighbors", "neighbour search", n_q)}
    check_well_formed(events)


def test_slabs_redo_overflowed_queries(slabbed, monkeypatch):
    # the float64 redo of overflowed queries runs in every slab, on rows prepared once
    passes = []
    real = nb._brute_pass

    def spy(*args, **kwargs):
        passes.append(np.dtype(args[8]))
        return real(*args, **kwargs)
    monkeypatch.setattr(nb, "_brute_pass", spy)
    X, kwargs = SEARCHES["tight clusters redone Y"]
    recorded(nb.kneighbors, X, 3, **kwargs)
    assert passes == [np.float32, np.float64] * SLABS


@pytest.mark.parametrize("name", list(START_END_ONLY))
def test_search_start_end_only(name, slabbed):
    X, kwargs = START_END_ONLY[name]
    plain = nb.kneighbors(X, 3, **kwargs)
    out, events = recorded(nb.kneighbors, X, 3, **kwargs)
    assert_same(plain, out)
    n_q = plain[0].shape[0]
    assert [(e.done, e.total) for e in events] == [(0, n_q), (n_q, n_q)]


def test_default_threshold_is_large():
    # without the fixture, searches of a few hundred rows report start and end only
    X, _ = data()
    _, events = recorded(nb.kneighbors, X, 3)
    assert [e.done for e in events] == [0, X.shape[0]]
    assert nb._PROGRESS_MIN_QUERIES == 50_000


# --- cancelling ------------------------------------------------------------------------------


class Stop(Exception):
    pass


def _stop_at(phase, done_above=0):
    def callback(event):
        if event.phase == phase and event.done > done_above:
            raise Stop(event)
    return callback


@pytest.mark.parametrize("name,phase", [
    ("edited_nearest_neighbours", "neighbour search"),
    ("repeated_edited_nearest_neighbours", "editing round"),
    ("all_knn", "editing round"),
    ("condensed_nearest_neighbour", "CNN pass"),
    ("kneighbors", "neighbour search"),
])
def test_callback_exception_cancels_cleanly(name, phase, slabbed):
    X, y = data()
    X.setflags(write=False)
    y.setflags(write=False)
    X_before, y_before = X.copy(), y.copy()
    call = (lambda: nb.kneighbors(X, 3, plan={"kernel": "brute"})) if name == "kneighbors" \
        else (lambda: _cases()[name][0](X, y))
    expected = call()
    threads = threading.active_count()
    with pytest.raises(Stop) as info:
        with rk.report_progress(_stop_at(phase)):
            call()
    event = info.value.args[0]
    assert event.method == name and event.phase == phase and event.done > 0
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    assert threading.active_count() == threads
    assert _progress._LISTENER.get() is None
    assert_same(call(), expected)  # the library is usable again, same answer


def test_callback_exception_in_a_search_slab(slabbed):
    # stopped between two slabs of a slabbed search, inside ENN
    X, y = data()
    X_before = X.copy()
    seen = []

    def callback(event):
        seen.append(event)
        if event.done > 0:
            raise Stop
    with pytest.raises(Stop):
        with rk.report_progress(callback):
            rk.edited_nearest_neighbours(X, y)
    assert len(seen) == 2 and 0 < seen[-1].done < seen[-1].total
    np.testing.assert_array_equal(X, X_before)


# --- scope: outside the block, nesting, threads, arguments ------------------------------------


def test_nothing_reported_outside_the_block():
    X, y = data()
    events = []
    rk.edited_nearest_neighbours(X, y)
    with rk.report_progress(events.append):
        pass
    rk.edited_nearest_neighbours(X, y)
    nb.kneighbors(X, 2)
    assert events == []
    with rk.report_progress(events.append):
        rk.edited_nearest_neighbours(X, y)
    n = len(events)
    assert n == 2
    rk.repeated_edited_nearest_neighbours(X, y)
    assert len(events) == n
    assert _progress._LISTENER.get() is None


def test_nested_blocks_innermost_wins():
    X, y = data()
    outer, inner = [], []
    with rk.report_progress(outer.append):
        rk.edited_nearest_neighbours(X, y)
        n_outer = len(outer)
        with rk.report_progress(inner.append):
            rk.tomek_links(X, y)
        assert len(outer) == n_outer  # the inner block took them
        rk.all_knn(X, y)
    assert n_outer == 2
    assert {e.method for e in inner} == {"tomek_links"}
    assert {e.method for e in outer} == {"edited_nearest_neighbours", "all_knn"}


def test_block_inside_a_callback_keeps_the_method_name():
    # a callback may itself use report_progress (here around a direct kneighbors call)
    X, y = data()
    inner = []

    def callback(event):
        if event.done == 0 and event.phase == "neighbour search" and not inner:
            with rk.report_progress(inner.append):
                nb.kneighbors(X[:20], 2)
    with rk.report_progress(callback):
        rk.edited_nearest_neighbours(X, y)
    assert [e.method for e in inner] == ["edited_nearest_neighbours"] * 2


def test_threads_are_isolated():
    X, y = data()
    _, alone = recorded(rk.edited_nearest_neighbours, X, y)
    results = {}
    barrier = threading.Barrier(2)

    def listening():
        events = []
        barrier.wait()
        with rk.report_progress(events.append):
            for _ in range(5):
                rk.edited_nearest_neighbours(X, y)
        results["listening"] = events

    def other():
        barrier.wait()
        for _ in range(5):
            rk.all_knn(X, y)
            rk.smote(X, y, random_state=0)
        results["other"] = True

    threads = [threading.Thread(target=listening), threading.Thread(target=other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["other"]
    assert results["listening"] == alone * 5  # none of the other thread's events


def test_threads_started_inside_the_block_do_not_report():
    X, y = data()
    events = []
    with rk.report_progress(events.append):
        t = threading.Thread(target=rk.edited_nearest_neighbours, args=(X, y))
        t.start()
        t.join()
    assert events == []


def test_bad_callback():
    with pytest.raises(TypeError, match="callback must be callable, got 3"):
        with rk.report_progress(3):
            pass


def test_progress_is_a_frozen_slotted_dataclass():
    e = rk.Progress("smote", "neighbour search", 1, None)
    assert [f.name for f in dataclasses.fields(e)] == ["method", "phase", "done", "total"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.done = 2
    assert not hasattr(e, "__dict__")
    # package attributes, not resampling methods: outside resamplekit.__all__
    assert rk.Progress is _progress.Progress and rk.report_progress is _progress.report_progress
    assert "Progress" not in rk.__all__ and "report_progress" not in rk.__all__


def test_wrapped_functions_keep_their_identity():
    # the public functions keep their name, module, docstring and signature
    import inspect

    f = rk.edited_nearest_neighbours
    assert f.__name__ == "edited_nearest_neighbours" and f.__module__ == "resamplekit.cleaning"
    assert "k" in inspect.signature(f).parameters and f.__doc__.startswith("Edited")
