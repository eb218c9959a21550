# Type stub of the compiled _cleaning kernels (see _cleaning.pyx for what each computes).
import numpy as np
import numpy.typing as npt

def enn_keep(
    nbr: npt.NDArray[np.intp], rows: npt.NDArray[np.intp], y: npt.NDArray[np.intp],
    k: int, mode: bool, by_row: bool = ..., n_threads: int = ...,
) -> npt.NDArray[np.uint8]: ...
def ncr_a2_mark(
    nbr: npt.NDArray[np.intp], rows: npt.NDArray[np.intp], y: npt.NDArray[np.intp],
    k: int, clean_class: npt.NDArray[np.uint8], removed: npt.NDArray[np.uint8],
) -> None: ...
def compact_lists(
    nbr: npt.NDArray[np.intp], valid_len: npt.NDArray[np.intp], rows: npt.NDArray[np.intp],
    alive: npt.NDArray[np.uint8], n_threads: int = ...,
) -> None: ...
def tomek_link_mask(
    nn: npt.NDArray[np.intp], y: npt.NDArray[np.intp], targeted: npt.NDArray[np.uint8],
    remove: npt.NDArray[np.uint8],
) -> None: ...
def store_init(
    X_cand: npt.NDArray[np.floating], X_store: npt.NDArray[np.floating],
    nbr: npt.NDArray[np.intp], store_ids: npt.NDArray[np.intp],
    heap_d2: npt.NDArray[np.float64], heap_id: npt.NDArray[np.intp],
) -> None: ...
def cnn_scan(
    X_cand: npt.NDArray[np.floating], cand_ids: npt.NDArray[np.intp],
    skip: npt.NDArray[np.uint8], y: npt.NDArray[np.intp], target: int, other: int,
    heap_d2: npt.NDArray[np.float64], heap_id: npt.NDArray[np.intp],
    added: npt.NDArray[np.intp], n_threads: int,
) -> int: ...
def claim_nearest_unique(
    ind: npt.NDArray[np.intp], order: npt.NDArray[np.intp], start: int,
    claimed: npt.NDArray[np.uint8], assigned: npt.NDArray[np.intp],
) -> int: ...

def store_init_csr(
    c_data: npt.NDArray[np.floating],
    c_indices: npt.NDArray[np.integer],
    c_indptr: npt.NDArray[np.integer],
    s_data: npt.NDArray[np.floating],
    s_indices: npt.NDArray[np.integer],
    s_indptr: npt.NDArray[np.integer],
    nbr: npt.NDArray[np.intp],
    store_ids: npt.NDArray[np.intp],
    heap_d2: npt.NDArray[np.float64],
    heap_id: npt.NDArray[np.intp],
) -> None: ...
def cnn_scan_csr(
    data: npt.NDArray[np.floating],
    indices: npt.NDArray[np.integer],
    indptr: npt.NDArray[np.integer],
    cand_ids: npt.NDArray[np.intp],
    skip: npt.NDArray[np.uint8],
    y: npt.NDArray[np.intp],
    target: int,
    other: int,
    heap_d2: npt.NDArray[np.float64],
    heap_id: npt.NDArray[np.intp],
    added: npt.NDArray[np.intp],
    n_threads: int,
) -> int: ...
