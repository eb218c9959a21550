import numpy as np
from numpy.typing import NDArray

def interpolate(
    X: NDArray[np.floating],
    rows: NDArray[np.intp],
    Xn: NDArray[np.floating],
    nbrs: NDArray[np.intp],
    gaps: NDArray[np.float64],
    out: NDArray[np.floating],
    n_threads: int,
    scales: NDArray[np.float64] | None = ...,
) -> None: ...

def interpolate_csr_counts(
    data: NDArray[np.floating],
    indices: NDArray[np.integer],
    indptr: NDArray[np.integer],
    rows: NDArray[np.intp],
    nbrs: NDArray[np.intp],
    gaps: NDArray[np.float64],
    scales: NDArray[np.float64],
    counts: NDArray[np.int64],
    n_threads: int,
) -> None: ...
def interpolate_csr(
    data: NDArray[np.floating],
    indices: NDArray[np.integer],
    indptr: NDArray[np.integer],
    rows: NDArray[np.intp],
    nbrs: NDArray[np.intp],
    gaps: NDArray[np.float64],
    scales: NDArray[np.float64],
    out_indptr: NDArray[np.integer],
    out_data: NDArray[np.floating],
    out_indices: NDArray[np.integer],
    n_threads: int,
) -> None: ...
