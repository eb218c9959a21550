# The kernels' shared types and helpers, defined once (cimported by every kernel module).
#
# - intp_t: the index type of every row index (NumPy's intp).
# - floating: the precision of a scan (float32 or float64); data_floating: the precision of the
#   original rows, independent of it (exact re-ranking).
# - KeyIndex and sort_key_index: (key, row index) pairs in the library's total order of
#   neighbour lists, key first, then index.
# - exact_sqdist: the squared euclidean distance accumulated in float64 in index order, the
#   library's exact distance.
# - sorted_insert: insert (key, index) into a list of k kept sorted by (key, index), the first
#   comparison rejecting most candidates. O(k) worst case.
# - heap_replace_top: replace the top of a max-heap of k values. O(log k).
# - poll_signals / raise_pending: Ctrl-C in long kernels. Between two chunks of work, every
#   thread of a parallel loop calls poll_signals(&aborted): the calling thread (thread 0, where
#   Python runs signal handlers) takes the GIL and runs the pending handlers; if one raised, it
#   sets the shared flag and every thread skips its remaining chunks. After the loop (buffers
#   freed), the wrapper calls raise_pending() when the flag is set, which raises the handler's
#   exception (KeyboardInterrupt by default).
# - RK_DEBUG, check_rows: debug builds (RESAMPLEKIT_CYTHON_DEBUG=1 defines RK_DEBUG) check that
#   every row index a kernel returns is in range, and raise instead of returning; in release
#   builds RK_DEBUG is the constant 0 and the checks compile away.
cimport numpy as cnp
from cython.parallel cimport threadid
from libc.stdlib cimport qsort

ctypedef cnp.intp_t intp_t

ctypedef fused floating:
    float
    double

ctypedef fused data_floating:
    float
    double

ctypedef struct KeyIndex:
    double key
    intp_t index


cdef inline double exact_sqdist(const data_floating* a, const data_floating* b,
                                Py_ssize_t d) noexcept nogil:
    """Squared euclidean distance, accumulated in float64 in index order."""
    cdef double s = 0.0, t
    cdef Py_ssize_t j
    for j in range(d):
        t = <double>a[j] - <double>b[j]
        s += t * t
    return s


cdef inline int _cmp_key_index(const void* pa, const void* pb) noexcept nogil:
    cdef const KeyIndex* a = <const KeyIndex*>pa
    cdef const KeyIndex* b = <const KeyIndex*>pb
    if a.key < b.key:
        return -1
    if a.key > b.key:
        return 1
    if a.index < b.index:
        return -1
    if a.index > b.index:
        return 1
    return 0


cdef inline void sort_key_index(KeyIndex* items, Py_ssize_t n) noexcept nogil:
    """Sort by (key, index): the total order of the whole library's neighbour lists."""
    if n > 1:
        qsort(items, n, sizeof(KeyIndex), _cmp_key_index)


cdef inline void sorted_insert(double* keys, intp_t* ind, Py_ssize_t k, double key,
                               intp_t idx) noexcept nogil:
    """Insert (key, idx) into keys/ind (length k, sorted by (key, index)) if it comes before
    the last entry, which drops out."""
    cdef Py_ssize_t p
    if key > keys[k - 1] or (key == keys[k - 1] and idx >= ind[k - 1]):
        return
    p = k - 1
    while p > 0 and (key < keys[p - 1] or (key == keys[p - 1] and idx < ind[p - 1])):
        keys[p] = keys[p - 1]
        ind[p] = ind[p - 1]
        p -= 1
    keys[p] = key
    ind[p] = idx


cdef inline floating heap_replace_top(floating* h, Py_ssize_t k, floating x) noexcept nogil:
    """h: a max-heap of k values whose top exceeds x; replace the top by x, return the new
    top."""
    cdef Py_ssize_t i = 0, l, m
    while True:
        l = 2 * i + 1
        if l >= k:
            break
        m = l
        if l + 1 < k and h[l + 1] > h[l]:
            m = l + 1
        if h[m] <= x:
            break
        h[i] = h[m]
        i = m
    h[i] = x
    return h[0]


cdef extern from "Python.h":
    # The exception a handler raises stays set until raise_pending, hence no except clause.
    int _check_signals "PyErr_CheckSignals"() noexcept
    void* _error_occurred "PyErr_Occurred"() noexcept


cdef inline void poll_signals(int* aborted) noexcept nogil:
    """On the calling thread, run the pending signal handlers; if one raised, set *aborted."""
    if threadid() == 0 and not aborted[0]:
        with gil:
            if _check_signals() != 0:
                aborted[0] = 1


cdef inline int raise_pending() except -1:
    """Raise the exception a signal handler set during a kernel (KeyboardInterrupt if none)."""
    if _error_occurred() == NULL:
        raise KeyboardInterrupt
    return -1


cdef extern from *:
    """
    #ifndef RK_DEBUG
    #define RK_DEBUG 0
    #endif
    """
    const bint RK_DEBUG


cdef inline int check_rows(const intp_t[:, ::1] ind, Py_ssize_t n, str where) except -1:
    """Raise RuntimeError unless every entry of ind is a row index in [0, n)."""
    cdef Py_ssize_t i, j
    for i in range(ind.shape[0]):
        for j in range(ind.shape[1]):
            if ind[i, j] < 0 or ind[i, j] >= n:
                raise RuntimeError(f"{where}: row index {ind[i, j]} out of range [0, {n}) "
                                   f"(debug check)")
    return 0
