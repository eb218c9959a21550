"""Sphinx configuration for resamplekit's documentation.

Build (offline, warnings as errors)::

    pip install -e ".[docs]" && sphinx-build -W -b html docs docs/_build/html

The gallery (``docs/examples/plot_*.py``) is run at build time by sphinx-gallery: its figures
are drawn then, with matplotlib's Agg backend, into ``docs/auto_examples/``. Links to the
numpy, scikit-learn and imbalanced-learn documentation (intersphinx) need the network, so they
are made only with ``RESAMPLEKIT_DOCS_INTERSPHINX=1``.
"""
import os

import matplotlib

import resamplekit

# Figures are files: no display is needed, or used.
matplotlib.use("Agg")
os.environ["MPLBACKEND"] = "Agg"

project = "resamplekit"
author = "the resamplekit developers"
copyright = "2026, the resamplekit developers"
release = resamplekit.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
# The numpydoc docstrings document every parameter's type; signatures show names and defaults
# only. ("none" also keeps autodoc from listing the return_indices overloads one by one.)
autodoc_typehints = "none"
numpydoc_show_class_members = False

if os.environ.get("RESAMPLEKIT_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "numpy": ("https://numpy.org/doc/stable/", None),
        "sklearn": ("https://scikit-learn.org/stable/", None),
        "imblearn": ("https://imbalanced-learn.org/stable/", None),
    }

sphinx_gallery_conf = {
    # Paths are relative to this directory.
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    # Every plot_*.py is run and its figures kept; an example that fails fails the build.
    "filename_pattern": r"/plot_",
    "plot_gallery": "True",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "thumbnail_size": (400, 280),
    "remove_config_comments": True,
    # No links to other projects' galleries (they would need the network).
    "reference_url": {"resamplekit": None},
}

html_theme = "alabaster"
# Wide enough for the tables and the examples' code lines.
html_theme_options = {"page_width": "1180px"}
# The gallery sources are read by sphinx-gallery, not as pages.
exclude_patterns = ["_build", "examples"]
