"""What a new user meets first: the install (scikit-learn comes with resamplekit but loads only
where it is used) and the pipelines the README promises."""
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

# every method that never fits a scikit-learn estimator
WITHOUT_SKLEARN = [
    "random_under", "random_over", "near_miss", "tomek_links", "edited_nearest_neighbours",
    "repeated_edited_nearest_neighbours", "all_knn", "neighbourhood_cleaning_rule",
    "condensed_nearest_neighbour", "one_sided_selection", "smote", "borderline_smote",
    "adasyn", "smotenc", "smoten", "smote_tomek", "smote_enn",
]


def _pyproject():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def test_scikit_learn_is_a_dependency():
    project = _pyproject()["project"]
    assert "scikit-learn>=1.6" in project["dependencies"]
    # the old extra installs nothing more (kept so that resamplekit[sklearn] still resolves)
    assert project["optional-dependencies"].get("sklearn", []) == []


def test_no_instructions_install_the_old_extra():
    pattern = re.compile(r"resamplekit\[sklearn\]|\.\[sklearn\]|\[sklearn,|,sklearn\]")
    files = [ROOT / "README.md", ROOT / ".ci" / "run"]
    for folder in ("resamplekit", "tests", "docs"):
        files += [p for p in (ROOT / folder).rglob("*")
                  if p.suffix in {".py", ".rst", ".md", ".txt"} and p.name != "test_first_use.py"]
    hits = [str(p) for p in files if p.is_file() and pattern.search(p.read_text("utf-8"))]
    assert not hits


def test_import_and_neighbour_methods_do_not_load_sklearn():
    code = f"""
import sys
import numpy as np
import resamplekit as rk
assert "sklearn" not in sys.modules, "import resamplekit loaded scikit-learn"
rng = np.random.default_rng(0)
X = rng.normal(size=(60, 3))
y = np.r_[np.zeros(45, int), np.ones(15, int)]
for name in {WITHOUT_SKLEARN!r}:
    kwargs, data = {{}}, X
    if name == "smotenc":
        kwargs, data = {{"categorical_features": [2]}}, np.c_[X[:, :2], rng.integers(0, 3, 60)]
    elif name == "smoten":
        data = rng.integers(0, 3, (60, 3))
    getattr(rk, name)(data, y, **kwargs)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "pandas"))
    assert not loaded, (name, loaded[:3])
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_a_broken_install_without_sklearn_says_so(monkeypatch):
    import resamplekit as rk

    monkeypatch.setitem(sys.modules, "sklearn", None)
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.raises(ImportError, match=r"svm_smote needs scikit-learn .*a dependency of "
                                          r"resamplekit that could not be imported"):
        rk.svm_smote(X, y)
    code = ("import sys; sys.modules['sklearn'] = None\n"
            "try:\n    import resamplekit.estimators\n"
            "except ImportError as exc:\n    print(exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.stdout.startswith("resamplekit.estimators needs scikit-learn >= 1.6, a dependency")


# ------------------------------------------------------------------------------ pipelines
E = pytest.importorskip("resamplekit.estimators")
imblearn_pipeline = pytest.importorskip("imblearn.pipeline")


def _data():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (160, 4)), rng.normal(1.5, 1, (40, 4))])
    return X, np.r_[np.zeros(160, int), np.ones(40, int)]


@pytest.mark.parametrize("name", ["SMOTE", "RandomUnderSampler", "EditedNearestNeighbours",
                                  "NearMiss", "SMOTEENN"])
def test_classes_work_in_imblearn_pipelines(name):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    X, y = _data()
    pipe = imblearn_pipeline.make_pipeline(StandardScaler(), getattr(E, name)(),
                                           LogisticRegression())
    assert pipe.fit(X, y).predict(X).shape == y.shape


def test_sklearn_pipeline_rejects_every_sampler_imblearns_too():
    # why the README says imbalanced-learn's Pipeline: scikit-learn's needs fit/transform
    from imblearn.over_sampling import SMOTE as ImblearnSMOTE
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X, y = _data()
    for sampler in (E.SMOTE(), E.RandomUnderSampler(), ImblearnSMOTE()):
        with pytest.raises(TypeError, match="should be transformers"):
            make_pipeline(sampler, LogisticRegression()).fit(X, y)
