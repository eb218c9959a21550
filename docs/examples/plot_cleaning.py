"""
Cleaning: remove noisy and borderline rows
==========================================

Cleaning methods do not aim at a class count: they remove the rows that a nearest-neighbour
rule finds ambiguous (near or across the class boundary), or, for the condensing methods, the
rows that are redundant far from it. By default (``ratio="auto"``) they clean every class but
the minority one, so the classes are only partly balanced; ``ratio="all"`` cleans every class.

All panels resample the same 2-D data set of three classes. Kept rows are dots and removed rows
are faded; ``return_indices=True`` tells which input row each output row is.
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

print("rows per class:", counts(y))

# %%
# Tomek links
# -----------
# Two rows of different classes form a *Tomek link* when each is the other's nearest
# neighbour. :func:`resamplekit.tomek_links` removes the row of each link that belongs to a
# class being cleaned (both rows when both classes are), which clears the boundary a little
# without changing the classes' shapes. It removes few rows, so it is mostly combined with an
# over-sampler (see :func:`resamplekit.smote_tomek`).
#
# To draw the links, find the mutual nearest neighbours of different classes with NumPy (a
# 400 x 400 distance matrix is fine here; resamplekit itself never builds one) and check that
# the removed rows are exactly the linked rows outside the minority class.
tomek = rk.tomek_links(X, y, return_indices=True)
distances = ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)
np.fill_diagonal(distances, np.inf)
nearest = distances.argmin(axis=1)
links = np.array([(i, j) for i, j in enumerate(nearest)
                  if i < j and nearest[j] == i and y[i] != y[j]])
linked = np.unique(links)
removed = np.setdiff1d(np.arange(len(y)), tomek[2])
assert np.array_equal(removed, linked[y[linked] != 0])
print(f"{len(links)} Tomek links, {len(removed)} rows removed")

fig = draw(("tomek_links", tomek))
ax = fig.axes[0]
ax.plot(*X[links.T].transpose(2, 0, 1), color="k", lw=1.5)
ax.scatter(*X[removed].T, s=70, facecolors="none", edgecolors="k", linewidths=0.8)
ax.set_title(f"tomek_links: {len(links)} links (lines), {len(removed)} rows removed (rings)"
             f"\nrows per class: {counts(tomek[1])}", fontsize=10)
# Zoom on the links.
low, high = X[linked].min(axis=0) - 0.5, X[linked].max(axis=0) + 0.5
ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]))

# %%
# Edited nearest neighbours, repeated, and all k-NN
# -------------------------------------------------
# :func:`resamplekit.edited_nearest_neighbours` (ENN) removes a row when its ``k`` nearest
# neighbours do not all share its class (``kind_sel="all"``; ``"mode"`` needs only a
# majority). :func:`resamplekit.repeated_edited_nearest_neighbours` repeats ENN until nothing
# changes, and :func:`resamplekit.all_knn` repeats it with k = 1, 2, ..., ``k``. Each cleans
# more of the boundary than the one before; use them to remove label noise and overlap before
# fitting a classifier that is sensitive to it.
draw(("edited_nearest_neighbours", rk.edited_nearest_neighbours(X, y, return_indices=True)),
     ("repeated_edited_nearest_neighbours",
      rk.repeated_edited_nearest_neighbours(X, y, return_indices=True)),
     ("all_knn", rk.all_knn(X, y, return_indices=True)))

# %%
# Neighbourhood cleaning rule
# ---------------------------
# :func:`resamplekit.neighbourhood_cleaning_rule` removes the rows ENN would remove, and also
# the rows of the cleaned classes that are among the ``k`` nearest neighbours of a
# misclassified minority row. It cleans around the minority class in particular, which is
# where a classifier needs the room.
draw(("neighbourhood_cleaning_rule",
      rk.neighbourhood_cleaning_rule(X, y, return_indices=True)))

# %%
# Condensed nearest neighbour and one-sided selection
# ---------------------------------------------------
# :func:`resamplekit.condensed_nearest_neighbour` does the opposite of ENN: it keeps a row
# only if a 1-NN classifier on the rows kept so far gets it wrong, so it keeps the boundary
# and drops the redundant interior of each class. It keeps few rows and is sensitive to
# noise. :func:`resamplekit.one_sided_selection` condenses in a single pass (it keeps every
# row that a 1-NN classifier on the minority class plus one random row of the class gets
# wrong, so it keeps more) and then removes the Tomek links among them. Both suit large
# classes whose interior is redundant.
draw(("condensed_nearest_neighbour",
      rk.condensed_nearest_neighbour(X, y, random_state=0, return_indices=True)),
     ("one_sided_selection",
      rk.one_sided_selection(X, y, random_state=0, return_indices=True)))

# sphinx_gallery_thumbnail_number = 1
plt.show()
