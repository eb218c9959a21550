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
