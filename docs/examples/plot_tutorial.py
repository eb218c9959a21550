"""
Tutorial: why accuracy misleads on imbalanced classes, and what resampling changes
==================================================================================

A walk through the classic imbalanced-learn tutorial with resamplekit: a data set where one
class has 5% of the rows, a classifier trained without and with resampling, and the metrics
that tell them apart. resamplekit's functions (``rk.smote(X, y)``) resample arrays;
its classes in :mod:`resamplekit.estimators` carry imbalanced-learn's names and parameters, so
they drop into imbalanced-learn's ``Pipeline`` unchanged.
"""

# %%
# An imbalanced data set
# ----------------------
# Two informative features, two classes, 95% of the rows in class 0.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score, balanced_accuracy_score
from sklearn.model_selection import train_test_split

import resamplekit as rk

COLORS = np.array(["#1b9e77", "#d95f02"])  # majority, minority

X, y = make_classification(
    n_samples=4000, n_features=2, n_informative=2, n_redundant=0, n_clusters_per_class=1,
    weights=[0.95, 0.05], class_sep=0.3, flip_y=0, random_state=1,
)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, stratify=y,
                                                    random_state=0)


def class_counts(labels):
    """Rows per class, as {class: count}."""
    return dict(enumerate(np.bincount(labels).tolist()))


print("whole data:", class_counts(y))
print("training set:", class_counts(y_train), " test set:", class_counts(y_test))

fig, ax = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
for label in (0, 1):
    rows = y_train == label
    ax.scatter(*X_train[rows].T, s=8, c=COLORS[label], alpha=0.6 if label == 0 else 1,
               label=f"class {label} ({rows.sum()} rows)")
ax.set(xlabel="feature 0", ylabel="feature 1", title="training set")
ax.legend()

# %%
# Accuracy rewards ignoring the minority class
# --------------------------------------------
# A "classifier" that always answers class 0 is right 95% of the time. *Balanced accuracy*,
# the mean of the recall of each class, gives it 50%: the score of a coin toss. It is the
# metric to watch here (along with the confusion matrix).
results = {}


def evaluate(name, model, X_fit=X_train, y_fit=y_train):
    """Fit on (X_fit, y_fit), score on the untouched test set, remember the scores."""
    model.fit(X_fit, y_fit)
    predicted = model.predict(X_test)
    results[name] = (accuracy_score(y_test, predicted),
                     balanced_accuracy_score(y_test, predicted), predicted)
    print(f"{name:>32}: accuracy {results[name][0]:.3f}, "
          f"balanced accuracy {results[name][1]:.3f}")


evaluate("always class 0", DummyClassifier(strategy="most_frequent"))

# %%
# A logistic regression trained on the data as it is does little better on the minority class:
# its accuracy is high, its balanced accuracy is not, because the loss it minimises is
# dominated by class 0.
evaluate("logistic regression", LogisticRegression())

# %%
# Resampling the training set by hand
# -----------------------------------
# :func:`resamplekit.smote` adds synthetic minority rows until both classes have as many rows;
# :func:`resamplekit.random_under` drops majority rows instead. Only the *training* set is
# resampled: the test set keeps the real class proportions.
X_smote, y_smote = rk.smote(X_train, y_train, random_state=0)
X_under, y_under = rk.random_under(X_train, y_train, random_state=0)
print("after smote:", class_counts(y_smote), " after random_under:", class_counts(y_under))
evaluate("smote + logistic regression", LogisticRegression(), X_smote, y_smote)
evaluate("random_under + logistic regression", LogisticRegression(), X_under, y_under)

# %%
# The same in a pipeline
# ----------------------
# The classes of :mod:`resamplekit.estimators` (``SMOTE``, ``RandomUnderSampler``,
# ``SMOTEENN``, ...) take imbalanced-learn's parameters, so code written for
# imbalanced-learn changes one import. imbalanced-learn's ``Pipeline`` calls the sampler's
# ``fit_resample`` while fitting only: predicting and scoring see the data unchanged, which is
# what makes cross-validation of a resampled model honest.
from imblearn.pipeline import make_pipeline
from sklearn.model_selection import cross_validate

from resamplekit.estimators import SMOTE, RandomUnderSampler, SMOTEENN

# The class and the function give the same rows for the same seed.
X_class, y_class = SMOTE(random_state=0).fit_resample(X_train, y_train)
assert np.array_equal(X_class, X_smote) and np.array_equal(y_class, y_smote)

pipelines = {
    "no resampling": make_pipeline(LogisticRegression()),
    "RandomUnderSampler": make_pipeline(RandomUnderSampler(random_state=0),
                                        LogisticRegression()),
    "SMOTE": make_pipeline(SMOTE(random_state=0), LogisticRegression()),
    "SMOTEENN": make_pipeline(SMOTEENN(random_state=0), LogisticRegression()),
}
print("5-fold cross-validation on the training set:")
for name, pipeline in pipelines.items():
    scores = cross_validate(pipeline, X_train, y_train, cv=5,
                            scoring=["accuracy", "balanced_accuracy"])
    accuracy, balanced = scores["test_accuracy"], scores["test_balanced_accuracy"]
    print(f"{name:>20}: accuracy {accuracy.mean():.3f} +- {accuracy.std():.3f}, "
          f"balanced accuracy {balanced.mean():.3f} +- {balanced.std():.3f}")

evaluate("SMOTEENN pipeline", pipelines["SMOTEENN"])

# %%
# Confusion matrices
# ------------------
# On the test set, the model trained on the data as it is misses most minority rows; after
# SMOTE it finds most of them, at the price of more majority rows predicted as minority. Which
# trade-off is right depends on what a missed minority row costs; resampling moves the
# decision boundary into the majority class's region.
fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
for ax, name in zip(axes, ["logistic regression", "smote + logistic regression"]):
    ConfusionMatrixDisplay.from_predictions(y_test, results[name][2], ax=ax,
                                            colorbar=False, cmap="Blues")
    ax.set_title(f"{name}\nbalanced accuracy {results[name][1]:.3f}", fontsize=10)

# %%
# Accuracy against balanced accuracy
# ----------------------------------
# Accuracy ranks the models almost the other way round from balanced accuracy: the model that
# ignores the minority class has the best accuracy and the worst balanced accuracy.
names = list(results)
positions = np.arange(len(names))
fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
ax.barh(positions + 0.2, [results[n][0] for n in names], height=0.4, color="0.6",
        label="accuracy")
ax.barh(positions - 0.2, [results[n][1] for n in names], height=0.4, color="#7570b3",
        label="balanced accuracy")
for position, name in zip(positions, names):
    ax.text(results[name][0] + 0.01, position + 0.2, f"{results[name][0]:.3f}",
            va="center", fontsize=8)
    ax.text(results[name][1] + 0.01, position - 0.2, f"{results[name][1]:.3f}",
            va="center", fontsize=8)
ax.set(yticks=positions, yticklabels=names, xlim=(0, 1.12), xlabel="score on the test set")
fig.get_layout_engine().set(w_pad=0.15)
ax.invert_yaxis()
fig.legend(loc="outside upper center", ncol=2, frameon=False)

# sphinx_gallery_thumbnail_number = 3
plt.show()
