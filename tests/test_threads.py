"""n_jobs=None follows the OpenMP limits (OMP_NUM_THREADS, threadpoolctl), as scikit-learn's
kernels do; an explicit n_jobs is used as given. Each check runs in a fresh interpreter, since
OMP_NUM_THREADS is read once when the OpenMP runtime starts."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Records the thread count the neighbour search is handed (threads_for's first argument) in a
# smote call, and what check_n_jobs resolves, with and without a threadpool_limits context.
CHILD = textwrap.dedent("""
    import json, os
    import numpy as np
    from threadpoolctl import threadpool_limits
    import resamplekit as rk
    from resamplekit import _neighbors
    from resamplekit._validation import check_n_jobs

    seen = []
    original = _neighbors.threads_for
    def spy(n_threads, work, *args, **kwargs):
        seen.append(int(n_threads))
        return original(n_threads, work, *args, **kwargs)
    _neighbors.threads_for = spy

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = np.r_[np.zeros(250, int), np.ones(50, int)]

    def search_threads(**kw):
        seen.clear()
        rk.smote(X, y, random_state=0, **kw)
        return sorted(set(seen))

    out = {"none": check_n_jobs(None), "search_none": search_threads(),
           "explicit": check_n_jobs(2), "search_explicit": search_threads(n_jobs=2),
           "minus_one": check_n_jobs(-1), "cpu": os.cpu_count()}
    with threadpool_limits(1, user_api="openmp"):
        out["limited"] = check_n_jobs(None)
        out["search_limited"] = search_threads()
        out["limited_explicit"] = check_n_jobs(2)
    out["after"] = check_n_jobs(None)
    print(json.dumps(out))
""")


def _run(omp_num_threads):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("OMP_NUM_THREADS", None)
    if omp_num_threads is not None:
        env["OMP_NUM_THREADS"] = str(omp_num_threads)
    proc = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_omp_num_threads_1_limits_n_jobs_none():
    out = _run(1)
    assert out["none"] == 1
    assert out["search_none"] == [1]
    # explicit values are used as given
    assert out["explicit"] == 2
    assert out["search_explicit"] == [2]
    assert out["minus_one"] == out["cpu"]


def test_threadpool_limits_context_is_honoured():
    out = _run(None)
    assert out["limited"] == 1
    assert out["search_limited"] == [1]
    assert out["limited_explicit"] == 2
    # outside the context: all the cores again
    assert out["none"] == out["after"] == out["cpu"]
    if out["cpu"] > 1:
        assert out["search_none"] == [out["cpu"]]


@pytest.mark.parametrize("value", [0, 1.5, "2", True])
def test_bad_n_jobs_names_parameter_and_value(value):
    from resamplekit._validation import check_n_jobs

    with pytest.raises((TypeError, ValueError), match=rf"n_jobs.*{value!r}".replace("(", "\\(")):
        check_n_jobs(value)
