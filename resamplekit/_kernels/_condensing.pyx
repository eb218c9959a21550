# Condensing kernels: Tomek links, the incremental k-NN store of the condensed nearest
# neighbour rule (CNN), and the one-to-one choice of real rows for cluster centroids.
#
# Neighbour *searches* are not done here: the callers get them from
# resamplekit._neighbors.kneighbors. What lives here are the typed loops over neighbour-index
# arrays, and CNN's store update, which is a different computation (the distance of every
# remaining candidate to ONE new store row, O(n * d) per addition) and so has its own loop.
# Distances are exact squared Euclidean distances accumulated in float64; ties in distance
# are broken by the lower row index.
from cython.parallel cimport prange

from ._typedefs cimport floating

cdef extern from "Python.h":
    const Py_ssize_t PY_SSIZE_T_MAX

# Below this many multiply-adds an OpenMP region costs more than it saves.
cdef Py_ssize_t _PARALLEL_WORK = 131072
# Candidates scanned between two sweeps of the store update, and per parallel task of a sweep.
cdef Py_ssize_t _BLOCK = 256
cdef Py_ssize_t _CHUNK = 256


# tomek_link_mask: remove[i] = 1 when i and nn[i] are each other's nearest neighbour, their
# labels differ and the class of i is targeted. O(n) time, no allocation.
def tomek_link_mask(
    const Py_ssize_t[::1] nn,
    const Py_ssize_t[::1] y,
    const unsigned char[::1] targeted,
    unsigned char[::1] remove,
):
    cdef Py_ssize_t i, j, n = nn.shape[0]
    with nogil:
        for i in range(n):
            j = nn[i]
            remove[i] = (targeted[y[i]] != 0 and y[j] != y[i] and nn[j] == i)


cdef inline double _sqdist(const floating* a, const floating* b, Py_ssize_t d) noexcept nogil:
    cdef double s = 0.0, t
    cdef Py_ssize_t f
    for f in range(d):
        t = <double>a[f] - <double>b[f]
        s += t * t
    return s


cdef inline void _push(double* hd, Py_ssize_t* hi, Py_ssize_t k, double d2,
                       Py_ssize_t idx) noexcept nogil:
    # Insert (d2, idx) into the row (hd, hi) of length k, sorted by (distance, index), if it
    # beats the last entry; the first comparison rejects most candidates.
    cdef Py_ssize_t p
    if d2 > hd[k - 1] or (d2 == hd[k - 1] and idx >= hi[k - 1]):
        return
    p = k - 1
    while p > 0 and (d2 < hd[p - 1] or (d2 == hd[p - 1] and idx < hi[p - 1])):
        hd[p] = hd[p - 1]
        hi[p] = hi[p - 1]
        p -= 1
    hd[p] = d2
    hi[p] = idx


# store_init: given, for each candidate row, the positions (in the store) of its k nearest
# store rows, fill heap_d2/heap_id with their exact squared distances and global row ids,
# sorted by (distance, id). O(n * k * d) time; the heaps are the caller's (n, k) arrays.
def store_init(
    const floating[:, ::1] X_cand,
    const floating[:, ::1] X_store,
    const Py_ssize_t[:, ::1] nbr,
    const Py_ssize_t[::1] store_ids,
    double[:, ::1] heap_d2,
    Py_ssize_t[:, ::1] heap_id,
):
    cdef Py_ssize_t n = nbr.shape[0], k = nbr.shape[1], d = X_cand.shape[1]
    cdef Py_ssize_t i, t, p
    with nogil:
        for i in range(n):
            for t in range(k):
                heap_d2[i, t] = 1.0 / 0.0
                heap_id[i, t] = PY_SSIZE_T_MAX
            for t in range(k):
                p = nbr[i, t]
                _push(&heap_d2[i, 0], &heap_id[i, 0], k,
                      _sqdist(&X_cand[i, 0], &X_store[p, 0], d), store_ids[p])


cdef inline void _push_additions(const floating* x, const floating* Xc, Py_ssize_t d,
                                const Py_ssize_t* added, Py_ssize_t m,
                                const Py_ssize_t* cand_ids, double* hd, Py_ssize_t* hi,
                                Py_ssize_t k) noexcept nogil:
    # Push the candidates added[0..m-1] (new store rows) into the heap (hd, hi) of row x.
    # Four new rows at a time, each distance summed in feature order as _sqdist does.
    cdef Py_ssize_t a = 0, f
    cdef double s0, s1, s2, s3, t, xf
    cdef const floating* r0
    cdef const floating* r1
    cdef const floating* r2
    cdef const floating* r3
    while a + 4 <= m:
        r0 = Xc + added[a] * d
        r1 = Xc + added[a + 1] * d
        r2 = Xc + added[a + 2] * d
        r3 = Xc + added[a + 3] * d
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        s3 = 0.0
        for f in range(d):
            xf = <double>x[f]
            t = xf - <double>r0[f]
            s0 += t * t
            t = xf - <double>r1[f]
            s1 += t * t
            t = xf - <double>r2[f]
            s2 += t * t
            t = xf - <double>r3[f]
            s3 += t * t
        _push(hd, hi, k, s0, cand_ids[added[a]])
        _push(hd, hi, k, s1, cand_ids[added[a + 1]])
        _push(hd, hi, k, s2, cand_ids[added[a + 2]])
        _push(hd, hi, k, s3, cand_ids[added[a + 3]])
        a += 4
    while a < m:
        _push(hd, hi, k, _sqdist(x, Xc + added[a] * d, d), cand_ids[added[a]])
        a += 1


cdef inline void _push_block(const floating* Xc, Py_ssize_t d, Py_ssize_t start,
                             Py_ssize_t stop, const Py_ssize_t* added, Py_ssize_t m,
                             const Py_ssize_t* cand_ids, const unsigned char* skip,
                             double* heap_d2, Py_ssize_t* heap_id, Py_ssize_t k) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(start, stop):
        if not skip[i]:
            _push_additions(Xc + i * d, Xc, d, added, m, cand_ids, heap_d2 + i * k,
                            heap_id + i * k, k)


# cnn_scan: one pass of the condensed nearest neighbour rule over the candidates, in order.
# A candidate that is not skipped is classified by a majority vote of its k nearest store rows
# (a tied vote goes to the smaller class code, as scikit-learn's KNeighborsClassifier); when
# the vote is not `target`, the candidate joins the store. The heaps must hold each
# candidate's k nearest rows of the initial store (store_init); a new store row is pushed
# into the heap of every later candidate, so each candidate's vote sees exactly the store
# of its turn. The scan runs in blocks of _BLOCK candidates: inside a block a new row is
# pushed at once to the rest of the block; at the end of the block all of the block's new
# rows are pushed to all later candidates in one parallel sweep (same heaps, as the k
# smallest (distance, row) keys do not depend on the order of the pushes).
# Time O(n * d) per addition, O(n * d * n_added) in all, against scikit-learn's refit and
# re-predict of every candidate on each addition; memory: the (n, k) heaps only. Returns the
# number of additions, whose positions are added[:n_added] in scan order.
def cnn_scan(
    const floating[:, ::1] X_cand,
    const Py_ssize_t[::1] cand_ids,
    const unsigned char[::1] skip,
    const Py_ssize_t[::1] y,
    Py_ssize_t target,
    Py_ssize_t other,
    double[:, ::1] heap_d2,
    Py_ssize_t[:, ::1] heap_id,
    Py_ssize_t[::1] added,
    int n_threads,
):
    cdef Py_ssize_t n = X_cand.shape[0], d = X_cand.shape[1], k = heap_d2.shape[1]
    cdef Py_ssize_t j, j0, j1, i, c, t, votes, g, m0, m, n_chunks, n_added = 0
    cdef bint wrong
    cdef const floating* Xc
    if n == 0:
        return 0
    Xc = &X_cand[0, 0]
    with nogil:
        j0 = 0
        while j0 < n:
            j1 = min(n, j0 + _BLOCK)
            m0 = n_added
            for j in range(j0, j1):
                if skip[j]:
                    continue
                votes = 0
                for t in range(k):
                    votes += (y[heap_id[j, t]] == target)
                wrong = 2 * votes < k or (2 * votes == k and other < target)
                if not wrong:
                    continue
                added[n_added] = j
                n_added += 1
                g = cand_ids[j]
                for i in range(j + 1, j1):
                    if not skip[i]:
                        _push(&heap_d2[i, 0], &heap_id[i, 0], k,
                              _sqdist(Xc + i * d, Xc + j * d, d), g)
            m = n_added - m0
            if m == 0 or j1 == n:
                j0 = j1
                continue
            if n_threads > 1 and (n - j1) * m * d >= _PARALLEL_WORK:
                n_chunks = (n - j1 + _CHUNK - 1) // _CHUNK
                for c in prange(n_chunks, schedule="dynamic", num_threads=n_threads):
                    _push_block(Xc, d, j1 + c * _CHUNK, min(n, j1 + (c + 1) * _CHUNK),
                                &added[m0], m, &cand_ids[0], &skip[0],
                                &heap_d2[0, 0], &heap_id[0, 0], k)
            else:
                _push_block(Xc, d, j1, n, &added[m0], m, &cand_ids[0], &skip[0],
                            &heap_d2[0, 0], &heap_id[0, 0], k)
            j0 = j1
    return n_added


# claim_nearest_unique: visit the queries in `order` from position `start`; each takes the
# first row of its candidate list ind[q] (nearest first) that no earlier query took. Stops at
# the first query whose whole list is taken and returns its position in `order` (the caller
# widens that query's list and resumes after it), or len(order) when every query has a row.
# O(m * k) time, no allocation.
def claim_nearest_unique(
    const Py_ssize_t[:, ::1] ind,
    const Py_ssize_t[::1] order,
    Py_ssize_t start,
    unsigned char[::1] claimed,
    Py_ssize_t[::1] assigned,
):
    cdef Py_ssize_t m = order.shape[0], k = ind.shape[1], a, q, t, r, stop = m
    cdef bint found
    with nogil:
        for a in range(start, m):
            q = order[a]
            found = False
            for t in range(k):
                r = ind[q, t]
                if not claimed[r]:
                    claimed[r] = 1
                    assigned[q] = r
                    found = True
                    break
            if not found:
                stop = a
                break
    return stop
