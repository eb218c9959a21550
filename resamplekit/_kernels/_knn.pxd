# Cimportable pieces of the exact k-nearest-neighbour kernel (see _knn.pyx).
cimport numpy as cnp

ctypedef cnp.intp_t intp_t

# Precision of the original rows, independent of the precision of the candidate pass.
ctypedef fused data_floating:
    float
    double

# A (key, row index) pair; lists of them are ordered by key, then by index.
ctypedef struct KeyIndex:
    double key
    intp_t index

cdef double exact_sqdist(const data_floating* a, const data_floating* b,
                         Py_ssize_t d) noexcept nogil

cdef void sort_key_index(KeyIndex* items, Py_ssize_t n) noexcept nogil
