import numpy as np
import numpy.typing as npt

def column_lists(
    cols: npt.NDArray[np.intp],
    indptr: npt.NDArray[np.intp],
    data: npt.NDArray[np.float64],
    n_cols: int,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.float64]]: ...
def kneighbors_csr(
    x_data: npt.NDArray[np.float64],
    x_indices: npt.NDArray[np.intp],
    x_indptr: npt.NDArray[np.intp],
    x_norms: npt.NDArray[np.float64],
    col_ptr: npt.NDArray[np.intp],
    col_rows: npt.NDArray[np.intp],
    col_vals: npt.NDArray[np.float64],
    norm_order: npt.NDArray[np.intp],
    xh: npt.NDArray[np.float32],
    x_rnorms: npt.NDArray[np.float64],
    heavy_slot: npt.NDArray[np.intp],
    slack_unit: float,
    q_data: npt.NDArray[np.float64],
    q_indices: npt.NDArray[np.intp],
    q_cols: npt.NDArray[np.intp],
    q_indptr: npt.NDArray[np.intp],
    q_norms: npt.NDArray[np.float64],
    own: npt.NDArray[np.intp],
    k: int,
    max_nnz: int,
    farthest: bool,
    sqdist: npt.NDArray[np.float64],
    ind: npt.NDArray[np.intp],
    n_threads: int = ...,
    chunk: int = ...,
) -> None: ...
