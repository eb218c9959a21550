"""
How resampling moves a classifier's decision boundary
=====================================================

A classifier fitted on imbalanced classes draws its boundaries close to the small classes: a
row in the overlap is most likely of the large class, and the loss rewards predicting it.
Resampling the *training* rows changes the class proportions the classifier sees, and so moves
the boundaries into the large classes. This example fits the same logistic regression after
each method and scores it on a held-out test set that keeps the real proportions, with
balanced accuracy (the mean recall over the classes).
"""

# %%
# Data and classifier
# -------------------
# Three classes of 2-D data (about 10%, 20% and 70% of the rows), split in half, stratified.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

import resamplekit as rk

# One colour per class, the same in every example: minority, middle, majority.
COLORS = np.array(["#d95f02", "#7570b3", "#1b9e77"])

X, y = make_classification(
    n_samples=1200, n_features=2, n_informative=2, n_redundant=0, n_classes=3,
    n_clusters_per_class=1, weights=[0.1, 0.2, 0.7], class_sep=0.6, random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, stratify=y,
                                                    random_state=0)
print("training rows per class:", np.bincount(y_train), " test:", np.bincount(y_test))

# %%
# The methods
# -----------
# Each entry resamples the training set; ``None`` fits on it as it is. Over-samplers add rows
# to the small classes, under-samplers and cleaning rules remove rows from the large ones.
methods = {
    "no resampling": None,
    "random_under": lambda X, y: rk.random_under(X, y, random_state=0),
    "near_miss(version=1)": lambda X, y: rk.near_miss(X, y, version=1),
    "cluster_centroids": lambda X, y: rk.cluster_centroids(X, y, random_state=0),
    "tomek_links": rk.tomek_links,
    "edited_nearest_neighbours": rk.edited_nearest_neighbours,
    "neighbourhood_cleaning_rule": rk.neighbourhood_cleaning_rule,
    "random_over": lambda X, y: rk.random_over(X, y, random_state=0),
    "smote": lambda X, y: rk.smote(X, y, random_state=0),
    "borderline_smote": lambda X, y: rk.borderline_smote(X, y, random_state=0),
    "svm_smote": lambda X, y: rk.svm_smote(X, y, random_state=0),
    "adasyn": lambda X, y: rk.adasyn(X, y, random_state=0),
    "kmeans_smote": lambda X, y: rk.kmeans_smote(X, y, random_state=0),
    "smote_tomek": lambda X, y: rk.smote_tomek(X, y, random_state=0),
    "smote_enn": lambda X, y: rk.smote_enn(X, y, random_state=0),
}

# %%
# Decision regions
# ----------------
# Each panel shades the class the classifier predicts at each point of the plane and shows the
# training rows it was fitted on (after resampling). Without resampling, the regions of the
# small classes (orange, purple) are narrow; the methods that balance the counts widen them,
# the cleaning rules only a little.
low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
grid_0, grid_1 = np.meshgrid(np.linspace(low[0], high[0], 200),
                             np.linspace(low[1], high[1], 200))
grid = np.column_stack([grid_0.ravel(), grid_1.ravel()])
regions = ListedColormap(COLORS)

scores = {}
fig, axes = plt.subplots(5, 3, figsize=(11, 17), sharex=True, sharey=True,
                         layout="constrained")
for ax, (name, resample) in zip(axes.flat, methods.items()):
    X_fit, y_fit = (X_train, y_train) if resample is None else resample(X_train, y_train)
    model = LogisticRegression().fit(X_fit, y_fit)
    scores[name] = balanced_accuracy_score(y_test, model.predict(X_test))
    ax.contourf(grid_0, grid_1, model.predict(grid).reshape(grid_0.shape),
                levels=[-0.5, 0.5, 1.5, 2.5], cmap=regions, alpha=0.25)
    ax.scatter(*X_fit.T, s=6, c=COLORS[y_fit], linewidths=0)
    ax.set_title(f"{name}: {' / '.join(map(str, np.bincount(y_fit, minlength=3)))} rows\n"
                 f"balanced accuracy {scores[name]:.3f}", fontsize=10)
axes[0, 0].set(xlim=(low[0], high[0]), ylim=(low[1], high[1]))  # shared by every panel
for ax in axes[-1]:
    ax.set_xlabel("feature 0")
for ax in axes[:, 0]:
    ax.set_ylabel("feature 1")

# %%
# Balanced accuracy on the test set
# ---------------------------------
# On these overlapping classes, most methods that balance the counts beat no resampling
# (dashed line) clearly, and the cleaning rules, which leave the classes imbalanced, gain
# less. KMeans-SMOTE adds rows only in clusters where the class is well represented, which
# such overlapping classes barely have. The ranking varies with the data and the classifier:
# compare methods by cross-validation on your own data.
order = sorted(scores, key=scores.get)
fig, ax = plt.subplots(figsize=(8, 5.5), layout="constrained")
bars = ax.barh(order, [scores[name] for name in order],
               color=["0.6" if name == "no resampling" else "#7570b3" for name in order])
ax.bar_label(bars, fmt="%.3f", padding=3, fontsize=8)
ax.axvline(scores["no resampling"], color="0.3", ls="--", lw=1)
ax.set(xlabel="balanced accuracy on the test set (logistic regression)",
       xlim=(min(scores.values()) - 0.05, max(scores.values()) + 0.04))
for name in order:
    print(f"{name:>28}: {scores[name]:.3f}")

plt.show()
