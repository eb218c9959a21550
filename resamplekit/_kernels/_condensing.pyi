# Type stub of the compiled _condensing kernels (see _condensing.pyx for what each computes).
import numpy as np
from numpy.typing import NDArray

def tomek_link_mask(
    nn: NDArray[np.intp], y: NDArray[np.intp], targeted: NDArray[np.uint8],
    remove: NDArray[np.uint8],
) -> None: ...
def store_init(
    X_cand: NDArray[np.floating], X_store: NDArray[np.floating], nbr: NDArray[np.intp],
    store_ids: NDArray[np.intp], heap_d2: NDArray[np.float64], heap_id: NDArray[np.intp],
) -> None: ...
def cnn_scan(
    X_cand: NDArray[np.floating], cand_ids: NDArray[np.intp], skip: NDArray[np.uint8],
    y: NDArray[np.intp], target: int, other: int, heap_d2: NDArray[np.float64],
    heap_id: NDArray[np.intp], added: NDArray[np.intp], n_threads: int,
) -> int: ...
def claim_nearest_unique(
    ind: NDArray[np.intp], order: NDArray[np.intp], start: int, claimed: NDArray[np.uint8],
    assigned: NDArray[np.intp],
) -> int: ...
