"""Sphinx configuration for resamplekit's documentation."""
import resamplekit

project = "resamplekit"
author = "the resamplekit developers"
copyright = "2026, the resamplekit developers"
release = resamplekit.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "numpydoc",
]
autosummary_generate = True
# The numpydoc docstrings document every parameter's type; signatures show names and defaults
# only. ("none" also keeps autodoc from listing the return_indices overloads one by one.)
autodoc_typehints = "none"
numpydoc_show_class_members = False
intersphinx_mapping = {
    "numpy": ("https://numpy.org/doc/stable/", None),
    "sklearn": ("https://scikit-learn.org/stable/", None),
    "imblearn": ("https://imbalanced-learn.org/stable/", None),
}
html_theme = "alabaster"
exclude_patterns = ["_build"]
