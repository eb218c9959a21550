"""Ctrl-C stops a long neighbour search promptly and cleanly.

A child Python starts a search that runs for many seconds on 2 threads, gets SIGINT about 2 s
in, and must end with KeyboardInterrupt raised from the kernel (not a crash, not a hang until
the search is over).
"""
import os
import signal
import subprocess
import sys
import time

import pytest

import resamplekit

pytestmark = pytest.mark.kernel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(resamplekit.__file__)))

CHILD = r"""
import signal, sys
import numpy as np
from resamplekit._neighbors import kneighbors
signal.signal(signal.SIGINT, signal.default_int_handler)
rng = np.random.default_rng(0)
X = rng.standard_normal((200_000, 64))
Y = None if sys.argv[1] == "self" else rng.standard_normal((100_000, 64))
print("ready", flush=True)
kneighbors(X, 5, Y=Y, n_jobs=2, algorithm="brute")
print("finished", flush=True)
"""


# Kernels that are not neighbour searches, called directly with inputs that keep them busy for
# a minute: CNN's scan (every candidate joins the store and is pushed to every later heap) and
# KMeans-SMOTE's sum of pairwise distances.
CHILD_OTHER = r"""
import signal, sys
import numpy as np
from resamplekit._kernels import _cleaning, _knn
signal.signal(signal.SIGINT, signal.default_int_handler)
rng = np.random.default_rng(0)
if sys.argv[1] == "cnn_scan":
    n, k = 150_000, 1
    X = rng.standard_normal((n, 32))
    heap_d2, heap_id = np.full((n, k), np.inf), np.zeros((n, k), dtype=np.intp)
    args = (X, np.arange(n, dtype=np.intp), np.zeros(n, dtype=np.uint8),
            np.zeros(n, dtype=np.intp), 1, 0, heap_d2, heap_id, np.empty(n, dtype=np.intp), 2)
    print("ready", flush=True)
    _cleaning.cnn_scan(*args)
else:
    X = rng.standard_normal((200_000, 64))
    sq = np.einsum("ij,ij->i", X, X)
    print("ready", flush=True)
    _knn.sum_pairwise_distances(X, sq, 256, 2)
print("finished", flush=True)
"""


def _interrupt(script, arg, where):
    """Run script with arg in a child, send SIGINT 2 s in; it must stop in where, promptly."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    # (BLAS single-threaded as resamplekit runs it: the kernels call GEMM from their threads)
    child = subprocess.Popen([sys.executable, "-c", script, arg], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(2.0)
        assert child.poll() is None, "the call ended before the signal: make it longer"
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = child.communicate(timeout=30)
        waited = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert "finished" not in out
    assert child.returncode != 0
    assert child.returncode not in (-signal.SIGSEGV, -signal.SIGABRT)
    assert "KeyboardInterrupt" in err
    assert where in err  # raised by the kernel call, not between two calls
    assert waited < 8.0, f"the child took {waited:.1f} s to stop"


@pytest.mark.parametrize("kernel", ["cnn_scan", "sum_pairwise_distances"])
def test_sigint_stops_other_kernels(kernel):
    _interrupt(CHILD_OTHER, kernel, kernel)


@pytest.mark.parametrize("query", ["self", "other"])  # knn_brute_sym, knn_brute
def test_sigint_stops_the_kernel(query):
    _interrupt(CHILD, query, "_brute_pass")
