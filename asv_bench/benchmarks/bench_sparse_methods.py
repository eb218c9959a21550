"""The resamplers on text-like scipy.sparse CSR data (issue: sparse end to end).

Data: ``sparse_data.make_sparse_dataset`` (TF-IDF-like rows, ~50 stored values a row drawn from
a Zipf law over the columns, 90/10 labels), written in ``setup_cache`` as ``.npz`` and read back in
``setup``, so that ``peakmem_`` sees the matrix and the method only. Two shapes, those of
asv_bench/compare.py's sparse workloads: 100,000 x 200,000 (about 5 million stored values,
60 MB) and 20,000 x 1,000,000. Their dense forms (149 GiB each) do not fit in memory:
a commit that densifies fails these benchmarks.

The side-by-side comparison with imbalanced-learn on the same matrices is
``python asv_bench/compare.py --workloads 100k_x_200k_sparse,20k_x_1m_sparse``.
"""
import os

from .common import get_function
from .sparse_data import make_sparse_dataset

SHAPES = {"100k_x_200k": (100_000, 200_000), "20k_x_1m": (20_000, 1_000_000)}
METHODS = {
    "smote": ("smote", {"k": 5, "random_state": 0}),
    "borderline_smote": ("borderline_smote", {"random_state": 0}),
    "adasyn": ("adasyn", {"k": 5, "random_state": 0}),
    "edited_nearest_neighbours": ("edited_nearest_neighbours", {"k": 3}),
    "tomek_links": ("tomek_links", {}),
    "near_miss_1": ("near_miss", {"version": 1, "k": 3}),
    "neighbourhood_cleaning_rule": ("neighbourhood_cleaning_rule", {"k": 3}),
}


class SparseMethods:
    """``time_resample`` and ``peakmem_resample`` per (method, shape)."""

    params = [list(METHODS), list(SHAPES)]
    param_names = ["method", "shape"]
    timeout = 600
    number = 1
    repeat = (1, 3, 60.0)
    warmup_time = 0

    def setup_cache(self):
        import numpy as np
        import scipy.sparse as sp

        files = {}
        for name, (n, d) in SHAPES.items():
            stem = f"sparse_{name}"
            if not os.path.exists(stem + "_X.npz"):
                X, y = make_sparse_dataset(n, d, nnz_per_row=50, seed=0)
                sp.save_npz(stem + "_X.npz", X, compressed=False)
                np.save(stem + "_y.npy", y)
            files[name] = stem
        return files

    def setup(self, files, method, shape):
        import numpy as np
        import scipy.sparse as sp

        name, self.kwargs = METHODS[method]
        self.func = get_function(name)
        self.X = sp.load_npz(files[shape] + "_X.npz")
        self.y = np.load(files[shape] + "_y.npy")

    def time_resample(self, files, method, shape):
        self.func(self.X, self.y, **self.kwargs)

    def peakmem_resample(self, files, method, shape):
        self.func(self.X, self.y, **self.kwargs)
