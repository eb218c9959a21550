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
