"""
Under-sampling: keep fewer rows of the large classes
=====================================================

Under-samplers balance the classes by keeping only part of the rows of the classes that have
too many, until each has as many as the minority class (``ratio="auto"``). They differ in
*which* rows they keep: at random, the ones nearest to the minority class, cluster centres,
or the rows a classifier finds easy.

All panels resample the same 2-D data set of three classes (40, 80 and 280 rows, roughly).
Kept rows are dots, rows that were dropped are faded, and new rows (cluster centres) are
crosses; ``return_indices=True`` tells which input row each output row is (-1: a new row).
"""

# %%
# The data
# --------
# Three classes from :func:`sklearn.datasets.make_classification`, two informative features.
# The helper ``draw`` plots any number of results side by side on this data.

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from sklearn.datasets import make_classification

import resamplekit as rk

# One colour per class, the same in every example: minority, middle, majority.
COLORS = np.array(["#d95f02", "#7570b3", "#1b9e77"])

X, y = make_classification(
    n_samples=400, n_features=2, n_informative=2, n_redundant=0, n_classes=3,
    n_clusters_per_class=1, weights=[0.1, 0.2, 0.7], class_sep=0.8, random_state=0,
)


def counts(labels):
    """Rows per class, as 'a / b / c'."""
    return " / ".join(str(c) for c in np.bincount(labels, minlength=len(COLORS)))


def draw(*panels):
    """One figure, one panel per ``(title, (X_res, y_res, indices))``, on the data above.

    Input rows that were not kept are faded, kept rows are dots (larger when a row was drawn
    several times), new rows (index -1, or a moved copy) are crosses.
    """
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels) + 0.6, 4.6),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    for ax, (title, (X_res, y_res, idx)) in zip(axes[0], panels):
        # An output row is an input row when it has an index and is unchanged (a smoothed
        # bootstrap moves its copies: they count as new rows).
        copied = idx >= 0
        copied[copied] = np.all(X_res[copied] == X[idx[copied]], axis=1)
        kept, times = np.unique(idx[copied], return_counts=True)
        removed = np.setdiff1d(np.arange(len(y)), idx[idx >= 0])
        ax.scatter(*X[removed].T, s=16, c=COLORS[y[removed]], alpha=0.2, linewidths=0)
        ax.scatter(*X[kept].T, s=16 * times, c=COLORS[y[kept]], edgecolors="k",
                   linewidths=0.3)
        new = ~copied
        ax.scatter(*X_res[new].T, s=20, c=COLORS[y_res[new]], marker="x", linewidths=1)
        ax.set_title(f"{title}\nrows per class: {counts(y_res)}", fontsize=10)
        ax.set_xlabel("feature 0")
    axes[0, 0].set_ylabel("feature 1")
    handles = [Line2D([], [], ls="", marker="o", mfc=c, mec="k", mew=0.3, label=f"class {i}")
               for i, c in enumerate(COLORS)]
    handles += [Line2D([], [], ls="", marker="x", color="k", label="synthetic row"),
                Line2D([], [], ls="", marker="o", mfc="0.6", mec="none", alpha=0.3,
                       label="removed row")]
    ncol = 5 if len(panels) > 1 else 3
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, fontsize=9,
               frameon=False)
    return fig

original = (X, y, np.arange(len(y)))
print("rows per class:", counts(y))
draw(("original data", original))

# %%
# Random under-sampling
# ---------------------
# :func:`resamplekit.random_under` keeps a random subset of each large class. It is the
# fastest method and keeps the classes' shapes on average, but it discards information at
# random; a good baseline, and often enough when there is plenty of data.
draw(("random_under", rk.random_under(X, y, random_state=0, return_indices=True)))

# %%
# NearMiss 1, 2 and 3
# -------------------
# :func:`resamplekit.near_miss` keeps the rows of a large class that are *closest* to the
# minority class: version 1 keeps those with the smallest mean distance to their ``k``
# nearest minority rows, version 2 those with the smallest mean distance to the ``k``
# *farthest* minority rows, and version 3 first keeps the ``k_ver3`` nearest neighbours of
# every minority row, then the ones farthest on average from the minority. The kept rows
# crowd the class boundary, which helps a classifier draw it but loses the classes' overall
# shape; version 3 is usually the most robust. Version 3 may keep fewer rows than asked for
# (here in classes 1 and 2), and warns when it does, as imbalanced-learn's ``NearMiss`` does.
draw(*[(f"near_miss(version={v})", rk.near_miss(X, y, version=v, return_indices=True))
       for v in (1, 2, 3)])

# %%
# Cluster centroids
# -----------------
# :func:`resamplekit.cluster_centroids` replaces each large class by the centres of as many
# k-means clusters as the minority class has rows: the new rows are not input rows (crosses),
# but they summarise the whole class. Use it when a class is made of dense groups of similar
# rows.
draw(("cluster_centroids",
      rk.cluster_centroids(X, y, random_state=0, return_indices=True)))

# %%
# Instance hardness threshold
# ---------------------------
# :func:`resamplekit.instance_hardness_threshold` fits a classifier (a random forest by
# default) with cross-validation and keeps, in each large class, the rows it predicts with the
# highest probability of their own class: the hard, overlapping rows go first. It cannot
# always reach the exact target count when many rows share the same probability.
draw(("instance_hardness_threshold",
      rk.instance_hardness_threshold(X, y, random_state=0, return_indices=True)))

# sphinx_gallery_thumbnail_number = 3
plt.show()
