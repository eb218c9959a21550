# Cimportable pieces of the exact k-nearest-neighbour kernel (see _knn.pyx).
cimport numpy as cnp
from resamplekit._kernels._typedefs cimport floating

ctypedef cnp.intp_t intp_t

# A (key, row index) pair; lists of them are ordered by key, then by index.
ctypedef struct KeyIndex:
    double key
    intp_t index

cdef double exact_sqdist(const floating* a, const floating* b, Py_ssize_t d) noexcept nogil

cdef void sort_key_index(KeyIndex* items, Py_ssize_t n) noexcept nogil
