"""
Over-sampling then cleaning: SMOTE-Tomek and SMOTE-ENN
======================================================

SMOTE fills the small classes, but some of its new rows land among other classes. The
combined methods run SMOTE and then a cleaning rule over the result (every class, original
and new rows alike), which removes the ambiguous rows SMOTE created or left.

Both panels resample the same 2-D data set of three classes as the other examples. Input rows
are dots, synthetic rows crosses, removed input rows faded.
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
# SMOTE alone, SMOTE + Tomek links, SMOTE + ENN
# ---------------------------------------------
# :func:`resamplekit.smote_tomek` removes both rows of every Tomek link after SMOTE: a light
# cleaning that keeps the classes almost balanced. :func:`resamplekit.smote_enn` removes every
# row whose ``enn_k`` nearest neighbours are not all of its class: a much stronger cleaning
# that leaves clear gaps between the classes and unequal counts. Prefer SMOTE-Tomek when the
# classes overlap little, SMOTE-ENN when they overlap a lot or labels are noisy.
smote = rk.smote(X, y, random_state=0, return_indices=True)
smote_tomek = rk.smote_tomek(X, y, random_state=0, return_indices=True)
smote_enn = rk.smote_enn(X, y, random_state=0, return_indices=True)
draw(("smote", smote), ("smote_tomek", smote_tomek), ("smote_enn", smote_enn))

# %%
# What the cleaning removed: the rows SMOTE added, minus the rows left after cleaning, per
# class (synthetic rows have index -1 in every result, so count them by class).
for name, (_, y_res, idx) in [("smote_tomek", smote_tomek), ("smote_enn", smote_enn)]:
    removed_new = np.bincount(smote[1][smote[2] < 0], minlength=3) - np.bincount(
        y_res[idx < 0], minlength=3)
    removed_input = np.bincount(y, minlength=3) - np.bincount(y_res[idx >= 0], minlength=3)
    print(f"{name}: removed synthetic rows {removed_new}, removed input rows {removed_input}")

plt.show()
