# Type stub of the compiled exact k-nearest-neighbour kernel (see _knn.pyx).
import numpy as np
import numpy.typing as npt

_Float = np.float32 | np.float64

def fused_scan_available() -> bool: ...

def fused_scan_isa() -> str | None: ...

def knn_brute(
    Q: npt.NDArray[_Float],
    R: npt.NDArray[_Float],
    Qo: npt.NDArray[_Float],
    Ro: npt.NDArray[_Float],
    lkey: npt.NDArray[_Float],
    ukey: npt.NDArray[_Float],
    qbound: npt.NDArray[_Float],
    exclude: npt.NDArray[np.intp],
    k: int,
    farthest: bool,
    chunk_q: int,
    chunk_r: int,
    n_threads: int,
    scan_overflow: bool,
    overflowed: npt.NDArray[np.uint8],
    dist: npt.NDArray[np.float64],
    ind: npt.NDArray[np.intp],
    q_orig: npt.NDArray[np.intp],
    r_orig: npt.NDArray[np.intp],
    q_proj: npt.NDArray[np.float64] | None = ...,
    r_proj: npt.NDArray[np.float64] | None = ...,
    q_norm: npt.NDArray[np.float64] | None = ...,
    Rp: npt.NDArray[np.float32] | None = ...,
    lkp: npt.NDArray[np.float32] | None = ...,
) -> None: ...

def knn_brute_sym(
    X: npt.NDArray[_Float],
    Xo: npt.NDArray[_Float],
    lkey: npt.NDArray[_Float],
    ukey: npt.NDArray[_Float],
    qbound: npt.NDArray[_Float],
    k: int,
    farthest: bool,
    block: int,
    n_threads: int,
    scan_overflow: bool,
    overflowed: npt.NDArray[np.uint8],
    dist: npt.NDArray[np.float64],
    ind: npt.NDArray[np.intp],
) -> None: ...

def rerank_candidates(
    Qo: npt.NDArray[_Float],
    Ro: npt.NDArray[_Float],
    cand: npt.NDArray[np.intp],
    cand_dist: npt.NDArray[np.float64],
    exclude: npt.NDArray[np.intp],
    k: int,
    n_threads: int,
    dist: npt.NDArray[np.float64],
    ind: npt.NDArray[np.intp],
    ok: npt.NDArray[np.uint8],
) -> None: ...

def sum_pairwise_distances(
    X: npt.NDArray[np.float64],
    sq: npt.NDArray[np.float64],
    block: int,
    n_threads: int,
) -> float: ...

def centre_rows(
    A: npt.NDArray[_Float],
    mean: npt.NDArray[_Float],
    order: npt.NDArray[np.intp] | None,
    out: npt.NDArray[_Float],
    norms: npt.NDArray[np.float64],
    n_threads: int,
) -> None: ...
