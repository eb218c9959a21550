import numpy as np
from numpy.typing import NDArray

def vdm_kneighbors(
    codes_t: NDArray[np.int32],
    queries: NDArray[np.intp],
    proba: NDArray[np.float64],
    proba_offsets: NDArray[np.intp],
    n_categories: NDArray[np.intp],
    n_classes: int,
    k: int,
    out_dist: NDArray[np.float64],
    out_ind: NDArray[np.intp],
    n_threads: int,
) -> None: ...
def mixed_kneighbors(
    Xc: NDArray[np.floating],
    codes: NDArray[np.int32],
    cat_weight: float,
    k: int,
    out_dist: NDArray[np.float64],
    out_ind: NDArray[np.intp],
    n_threads: int,
) -> None: ...
def mode_vote(
    codes: NDArray[np.int32], nbrs: NDArray[np.intp], out: NDArray[np.int32], n_threads: int
) -> None: ...
def count_max_ties(
    codes: NDArray[np.int32],
    nbrs: NDArray[np.intp],
    rows: NDArray[np.intp],
    f: int,
    out: NDArray[np.intp],
    n_threads: int,
) -> None: ...
def pick_max_tie(
    codes: NDArray[np.int32],
    nbrs: NDArray[np.intp],
    rows: NDArray[np.intp],
    f: int,
    offsets: NDArray[np.intp],
    position: NDArray[np.intp],
    out: NDArray[np.int32],
    n_threads: int,
) -> None: ...
def vdm_kneighbors_csr(
    indptr: NDArray[np.integer],
    indices: NDArray[np.integer],
    codes: NDArray[np.int32],
    zero_code: NDArray[np.int32],
    cat_offsets: NDArray[np.intp],
    proba: NDArray[np.float64],
    n_classes: int,
    queries: NDArray[np.intp],
    k: int,
    out_dist: NDArray[np.float64],
    out_ind: NDArray[np.intp],
    n_threads: int,
) -> None: ...
def mode_vote_csr(
    indptr: NDArray[np.integer],
    indices: NDArray[np.integer],
    codes: NDArray[np.int32],
    zero_code: NDArray[np.int32],
    voters: NDArray[np.intp],
    out_indptr: NDArray[np.int64],
    out_cols: NDArray[np.int64],
    out_codes: NDArray[np.int32],
    fill: bool,
    n_threads: int,
) -> None: ...
