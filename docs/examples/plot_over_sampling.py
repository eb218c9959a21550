"""
Over-sampling: add rows to the small classes
============================================

Over-samplers balance the classes by adding rows to every class smaller than the largest one
(``ratio="auto"``): copies of existing rows, or synthetic rows on the segments between a row
and one of its nearest neighbours of the same class (SMOTE and its variants). The variants
differ in *where* they put the new rows: everywhere, near the class boundary, near a support
vector machine's support vectors, in sparse clusters, or where the class is hardest to learn.

All panels resample the same 2-D data set of three classes. Input rows are dots, synthetic rows
are crosses: ``return_indices=True`` gives -1 for a synthetic row.
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
# Random over-sampling
# --------------------
# :func:`resamplekit.random_over` draws rows of the small classes again, with replacement
# (bigger dots: rows drawn several times). Nothing new is invented, so a flexible classifier
# may over-fit the repeated rows. With ``shrinkage`` it draws a smoothed bootstrap instead:
# each copy is moved by Gaussian noise scaled by the class's spread, which gives new rows
# (crosses; their index is the row they were copied from).
draw(("random_over", rk.random_over(X, y, random_state=0, return_indices=True)),
     ("random_over(shrinkage=0.3)",
      rk.random_over(X, y, shrinkage=0.3, random_state=0, return_indices=True)))

# %%
# SMOTE
# -----
# :func:`resamplekit.smote` picks a row of a small class, one of its ``k`` nearest neighbours
# of the same class, and puts a new row at a random point of the segment between them. The
# new rows fill the class's region; they also land in the overlap with other classes when the
# class has rows there. It is the standard choice and a strong baseline.
draw(("smote", rk.smote(X, y, random_state=0, return_indices=True)))

# %%
# Borderline-SMOTE 1 and 2
# ------------------------
# :func:`resamplekit.borderline_smote` interpolates only from the rows "in danger": those with
# at least half, but not all, of their ``m`` nearest neighbours in other classes. Kind
# ``"borderline-1"`` interpolates towards neighbours of the same class; ``"borderline-2"``
# also towards neighbours of other classes (with a gap of at most 0.5). Use it to strengthen
# the boundary rather than the interior of a class.
draw(*[(f"borderline_smote(kind='{kind}')",
        rk.borderline_smote(X, y, kind=kind, random_state=0, return_indices=True))
       for kind in ("borderline-1", "borderline-2")])

# %%
# SVM-SMOTE
# ---------
# :func:`resamplekit.svm_smote` fits a support vector machine and interpolates from the
# class's support vectors: inwards when most of a support vector's neighbours are of other
# classes, outwards (extrapolating, ``out_step``) when most are its own. It places rows
# where a margin-based classifier decides.
draw(("svm_smote", rk.svm_smote(X, y, random_state=0, return_indices=True)))

# %%
# KMeans-SMOTE
# ------------
# :func:`resamplekit.kmeans_smote` clusters all rows with k-means, keeps the clusters where
# the class is well represented, and runs SMOTE inside them, with more new rows in the
# sparser clusters. New rows stay away from regions dominated by other classes, which helps
# when the small class is made of several separated groups.
draw(("kmeans_smote", rk.kmeans_smote(X, y, random_state=0, return_indices=True)))

# %%
# ADASYN
# ------
# :func:`resamplekit.adasyn` is SMOTE with more new rows from the rows that have more
# neighbours of other classes (the hard-to-learn ones) and none from rows surrounded by their
# own class. It concentrates on the boundary, and over-fits noisy rows more easily.
draw(("adasyn", rk.adasyn(X, y, random_state=0, return_indices=True)))

# %%
# SMOTE-NC: continuous and categorical columns
# --------------------------------------------
# :func:`resamplekit.smotenc` is SMOTE for tables with categorical columns: neighbours are
# found with the continuous columns plus a fixed penalty for each category that differs, the
# continuous columns are interpolated, and each categorical column takes the most frequent
# category among the neighbours. Here a third column holds a category (0, 1 or 2, drawn as
# the marker's shape) whose distribution depends on the class; the new rows (hollow markers)
# take the categories that are common in their neighbourhood.
rng = np.random.default_rng(0)
category_odds = np.array([[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]])
category = np.array([rng.choice(3, p=category_odds[label]) for label in y])
X_mixed = np.column_stack([X, category])
X_nc, y_nc, idx_nc = rk.smotenc(X_mixed, y, categorical_features=[2], random_state=0,
                                return_indices=True)

fig, axes = plt.subplots(1, 2, figsize=(9, 4.6), sharex=True, sharey=True,
                         layout="constrained")
markers = ["o", "s", "^"]
for ax, (title, data, labels, new) in zip(axes, [
        ("original data", X_mixed, y, np.zeros(len(y), bool)),
        ("smotenc(categorical_features=[2])", X_nc, y_nc, idx_nc < 0)]):
    for c, marker in enumerate(markers):
        real = (data[:, 2] == c) & ~new
        ax.scatter(*data[real, :2].T, s=18, marker=marker, c=COLORS[labels[real]],
                   edgecolors="k", linewidths=0.3)
        synthetic = (data[:, 2] == c) & new
        ax.scatter(*data[synthetic, :2].T, s=18, marker=marker, facecolors="none",
                   edgecolors=COLORS[labels[synthetic]], linewidths=0.8)
    ax.set_title(f"{title}\nrows per class: {counts(labels)}", fontsize=10)
    ax.set_xlabel("feature 0")
axes[0].set_ylabel("feature 1")
handles = [Line2D([], [], ls="", marker="o", mfc=c, mec="k", mew=0.3, label=f"class {i}")
           for i, c in enumerate(COLORS)]
handles += [Line2D([], [], ls="", marker=m, mfc="0.5", mec="k", mew=0.3,
                   label=f"category {i}") for i, m in enumerate(markers)]
handles += [Line2D([], [], ls="", marker="o", mfc="none", mec="k", label="synthetic row")]
fig.legend(handles=handles, loc="outside lower center", ncol=7, fontsize=9, frameon=False)

# %%
# Each class's share of each category, before and after: the new rows follow each class's
# mix of categories, with its most frequent category a little more frequent (a new row takes
# the most frequent category of its neighbours).
for label in range(3):
    before = np.bincount(category[y == label], minlength=3) / np.sum(y == label)
    after = np.bincount(X_nc[y_nc == label, 2].astype(int), minlength=3) / np.sum(y_nc == label)
    print(f"class {label}: categories {np.round(before, 2)} -> {np.round(after, 2)}")

# %%
# SMOTE-N: categorical columns only
# ---------------------------------
# :func:`resamplekit.smoten` is for tables whose columns are all categorical: neighbours are
# found with the value difference metric (two categories are close when they occur in the
# classes in similar proportions) and each column of a new row takes the most frequent
# category among the neighbours. It accepts strings. Here, two columns of strings.
colours = np.array(["red", "green", "blue"])[category]
sizes = np.where(X[:, 0] > 0, "large", "small")
table = np.column_stack([colours, sizes])
table_res, y_res, idx_res = rk.smoten(table, y, random_state=0, return_indices=True)
print("rows per class:", counts(y), "->", counts(y_res))
for label in np.unique(y_res[idx_res < 0]):  # the classes that got new rows
    new = table_res[(idx_res < 0) & (y_res == label)]
    combos, times = np.unique([" ".join(row) for row in new], return_counts=True)
    print(f"class {label}: {len(new)} new rows, most frequent:",
          ", ".join(f"{combo} ({n})" for combo, n in sorted(zip(combos, times),
                                                              key=lambda t: -t[1])[:3]))

# sphinx_gallery_thumbnail_number = 2
plt.show()
