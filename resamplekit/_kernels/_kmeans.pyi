# Type stub of the compiled _kmeans kernels (see _kmeans.pyx for what each computes).
import numpy as np
import numpy.typing as npt

def kmeanspp(
    X: npt.NDArray[np.float64], first: int, u: npt.NDArray[np.float64],
    centers: npt.NDArray[np.intp], label: npt.NDArray[np.intp], closest: npt.NDArray[np.float64],
    n_threads: int,
) -> None: ...
def hamerly_filter(
    X: npt.NDArray[np.float64], C: npt.NDArray[np.float64], half_gap: npt.NDArray[np.float64],
    label: npt.NDArray[np.intp], upper: npt.NDArray[np.float64],
    lower: npt.NDArray[np.float64], rescan: npt.NDArray[np.uint8], n_threads: int,
) -> int: ...
def cluster_sums(
    X: npt.NDArray[np.float64], label: npt.NDArray[np.intp], sums: npt.NDArray[np.float64],
    counts: npt.NDArray[np.float64],
) -> None: ...
