"""imbalanced-learn compatible classes over resamplekit's functions.

One class per method, named, parameterised and defaulted as in imbalanced-learn 0.14, so that
``from imblearn.over_sampling import SMOTE`` becomes ``from resamplekit.estimators import SMOTE``
in a pipeline, a grid search or a tutorial. The classes hold no algorithm: ``fit_resample``
validates the parameters (scikit-learn's constraint machinery, with imbalanced-learn's
constraints), translates them through the one table ``_PARAMETERS`` and calls the public
function, e.g. ``SMOTE(k_neighbors=3).fit_resample(X, y)`` is ``resamplekit.smote(X, y, k=3)``.

This module imports scikit-learn (for ``BaseEstimator``, ``clone``, parameter validation and
tags); ``import resamplekit`` and its functions do not (scikit-learn is a dependency, loaded only
where it is used: here and in the methods that fit one of its estimators).

Differences from imbalanced-learn's classes:

- Where imbalanced-learn accepts a nearest-neighbours object for ``k_neighbors``,
  ``n_neighbors`` or ``m_neighbors``, only its ``n_neighbors`` is read (resamplekit computes
  exact Euclidean neighbours itself), with imbalanced-learn's reading of it (an object's
  neighbour count includes the query row where imbalanced-learn drops column 0); objects with
  another metric are rejected.
- ``sample_indices_`` is set by every class: the input row of each output row, -1 for a
  synthetic row (imbalanced-learn sets it for the row-selecting classes only); beside it
  ``provenance_``, one record per output row (the functions' ``return_provenance=True``).
- The over-samplers that imbalanced-learn runs single-threaded take ``n_jobs`` (threads).
- ``SMOTETomek``/``SMOTEENN`` take this module's ``SMOTE``, ``TomekLinks`` and
  ``EditedNearestNeighbours`` for ``smote``/``tomek``/``enn``, and their ``sampling_strategy_``
  is the resolved dict (imbalanced-learn stores the raw value).
"""
from __future__ import annotations

import importlib
import inspect
import numbers
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal, TypeVar

import numpy as np

try:
    from sklearn.base import BaseEstimator, OneToOneFeatureMixin, _fit_context, clone
    from sklearn.preprocessing import label_binarize
    from sklearn.utils import InputTags as _SklearnInputTags
    from sklearn.utils import Tags as _SklearnTags
    from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
    from sklearn.utils.multiclass import check_classification_targets, type_of_target
    from sklearn.utils.validation import _check_feature_names, _check_n_features, column_or_1d
except ImportError as exc:  # no scikit-learn, or one older than 1.6 (no Tags dataclasses)
    raise ImportError(
        "resamplekit.estimators needs scikit-learn >= 1.6, a dependency of resamplekit that "
        f"could not be imported ({exc}); reinstall it: pip install 'scikit-learn>=1.6'"
    ) from exc


# scikit-learn's metadata routing knows the methods in these lists; a sampler's is fit_resample
# (imbalanced-learn registers it the same way when imported). With it, the classes get
# set_fit_resample_request(sample_weight=...) and pipelines can route weights to them.
try:
    from sklearn.utils import _metadata_requests as _requests
except ImportError:  # pragma: no cover - scikit-learn without metadata routing
    _requests = None
else:
    for _methods in (_requests.SIMPLE_METHODS, _requests.METHODS):
        if "fit_resample" not in _methods:
            _methods.append("fit_resample")

import resamplekit

from ._strategy import target_counts
from ._typing import (
    ArrayLike,
    CleanRatio,
    Estimator,
    MatrixLike,
    Neighbors,
    OverRatio,
    Resampled,
    SklearnRandomState,
    UnderRatio,
)
from ._validation import check_X_y, encode_labels, is_polars_frame, keyword_hints

__all__ = [
    "RandomUnderSampler",
    "NearMiss",
    "TomekLinks",
    "EditedNearestNeighbours",
    "RepeatedEditedNearestNeighbours",
    "AllKNN",
    "NeighbourhoodCleaningRule",
    "CondensedNearestNeighbour",
    "OneSidedSelection",
    "ClusterCentroids",
    "InstanceHardnessThreshold",
    "RandomOverSampler",
    "SMOTE",
    "BorderlineSMOTE",
    "SVMSMOTE",
    "KMeansSMOTE",
    "ADASYN",
    "SMOTENC",
    "SMOTEN",
    "SMOTETomek",
    "SMOTEENN",
]


# ---------------------------------------------------------------------------------------------
# The one table: class -> (module, function, sampling kind, {class parameter: function keyword}).
# A keyword written ("k", n) takes an int as it is, or reads a nearest-neighbours object's
# n_neighbors minus n (imbalanced-learn's reading: 1 where it drops the query row itself).
# A keyword None is translated by the class's _special_kwargs (objects standing for steps).
# ---------------------------------------------------------------------------------------------
_RATIO = {"sampling_strategy": "ratio"}
_PARAMETERS = {
    "RandomUnderSampler": ("under_sampling", "random_under", "under", {
        **_RATIO, "random_state": "random_state", "replacement": "replacement"}),
    "NearMiss": ("under_sampling", "near_miss", "under", {
        **_RATIO, "version": "version", "n_neighbors": ("k", 0),
        "n_neighbors_ver3": ("k_ver3", 0), "n_jobs": "n_jobs", "neighbors": "neighbors"}),
    "TomekLinks": ("cleaning", "tomek_links", "clean", {
        **_RATIO, "n_jobs": "n_jobs", "neighbors": "neighbors"}),
    "EditedNearestNeighbours": ("cleaning", "edited_nearest_neighbours", "clean", {
        **_RATIO, "n_neighbors": ("k", 1), "kind_sel": "kind_sel", "n_jobs": "n_jobs",
        "neighbors": "neighbors"}),
    "RepeatedEditedNearestNeighbours": ("cleaning", "repeated_edited_nearest_neighbours", "clean", {
        **_RATIO, "n_neighbors": ("k", 1), "max_iter": "max_iter", "kind_sel": "kind_sel",
        "n_jobs": "n_jobs"}),
    "AllKNN": ("cleaning", "all_knn", "clean", {
        **_RATIO, "n_neighbors": ("k", 1), "kind_sel": "kind_sel",
        "allow_minority": "allow_minority", "n_jobs": "n_jobs"}),
    "NeighbourhoodCleaningRule": ("cleaning", "neighbourhood_cleaning_rule", "clean", {
        **_RATIO, "edited_nearest_neighbours": None, "n_neighbors": ("k", 1),
        "threshold_cleaning": "threshold_cleaning", "n_jobs": "n_jobs",
        "neighbors": "neighbors"}),
    "CondensedNearestNeighbour": ("cleaning", "condensed_nearest_neighbour", "clean", {
        **_RATIO, "random_state": "random_state", "n_neighbors": ("k", 0),
        "n_seeds_S": "n_seeds_S", "n_jobs": "n_jobs"}),
    "OneSidedSelection": ("cleaning", "one_sided_selection", "clean", {
        **_RATIO, "random_state": "random_state", "n_neighbors": ("k", 0),
        "n_seeds_S": "n_seeds_S", "n_jobs": "n_jobs"}),
    "ClusterCentroids": ("under_sampling", "cluster_centroids", "under", {
        **_RATIO, "random_state": "random_state", "estimator": "estimator",
        "voting": "voting"}),
    "InstanceHardnessThreshold": ("under_sampling", "instance_hardness_threshold", "under", {
        "estimator": "estimator", **_RATIO, "random_state": "random_state", "cv": "cv",
        "n_jobs": "n_jobs"}),
    "RandomOverSampler": ("over_sampling", "random_over", "over", {
        **_RATIO, "random_state": "random_state", "shrinkage": "shrinkage"}),
    "SMOTE": ("over_sampling", "smote", "over", {
        **_RATIO, "random_state": "random_state", "k_neighbors": ("k", 1), "n_jobs": "n_jobs"}),
    "BorderlineSMOTE": ("over_sampling", "borderline_smote", "over", {
        **_RATIO, "random_state": "random_state", "k_neighbors": ("k", 1),
        "m_neighbors": ("m", 1), "kind": "kind", "n_jobs": "n_jobs"}),
    "SVMSMOTE": ("over_sampling", "svm_smote", "over", {
        **_RATIO, "random_state": "random_state", "k_neighbors": ("k", 1),
        "m_neighbors": ("m", 1), "svm_estimator": "svm_estimator", "out_step": "out_step",
        "n_jobs": "n_jobs"}),
    "KMeansSMOTE": ("over_sampling", "kmeans_smote", "over", {
        **_RATIO, "random_state": "random_state", "k_neighbors": ("k", 1), "n_jobs": "n_jobs",
        "kmeans_estimator": "kmeans_estimator",
        "cluster_balance_threshold": "cluster_balance_threshold",
        "density_exponent": "density_exponent"}),
    "ADASYN": ("over_sampling", "adasyn", "over", {
        **_RATIO, "random_state": "random_state", "n_neighbors": ("k", 1), "n_jobs": "n_jobs"}),
    "SMOTENC": ("over_sampling", "smotenc", "over", {
        "categorical_features": "categorical_features",
        "categorical_encoder": "categorical_encoder", **_RATIO,
        "random_state": "random_state", "k_neighbors": ("k", 1), "n_jobs": "n_jobs"}),
    "SMOTEN": ("over_sampling", "smoten", "over", {
        "categorical_encoder": "categorical_encoder", **_RATIO,
        "random_state": "random_state", "k_neighbors": ("k", 1), "n_jobs": "n_jobs"}),
    "SMOTETomek": ("combine", "smote_tomek", "over", {
        **_RATIO, "random_state": "random_state", "smote": None, "tomek": None,
        "n_jobs": "n_jobs"}),
    "SMOTEENN": ("combine", "smote_enn", "over", {
        **_RATIO, "random_state": "random_state", "smote": None, "enn": None,
        "n_jobs": "n_jobs"}),
}


def _public_function(module, name):
    """The public function ``name`` of ``resamplekit.<module>``."""
    return getattr(importlib.import_module(f"resamplekit.{module}"), name)


# ---------------------------------------------------------------------------------------------
# Tags: imbalanced-learn's sampler tags, without importing imbalanced-learn.
# ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class InputTags(_SklearnInputTags):
    """scikit-learn's input tags plus imbalanced-learn's ``dataframe`` tag."""

    dataframe: bool = False


@dataclass(slots=True)
class SamplerTags:
    """imbalanced-learn's sampler tags: ``sample_indices`` says ``sample_indices_`` is set."""

    sample_indices: bool = False


@dataclass(slots=True)
class Tags(_SklearnTags):
    """scikit-learn's tags plus imbalanced-learn's ``sampler_tags``."""

    sampler_tags: SamplerTags | None = None


# ---------------------------------------------------------------------------------------------
# Shared parameter constraints, copied from imbalanced-learn 0.14's classes.
# ---------------------------------------------------------------------------------------------
_STRATEGY = {
    "over": [
        Interval(numbers.Real, 0, 1, closed="right"),
        StrOptions({"auto", "minority", "not minority", "not majority", "all"}),
        Mapping,
        callable,
    ],
    "under": [
        Interval(numbers.Real, 0, 1, closed="right"),
        StrOptions({"auto", "majority", "not minority", "not majority", "all"}),
        Mapping,
        callable,
    ],
    "clean": [
        Interval(numbers.Real, 0, 1, closed="right"),
        StrOptions({"auto", "majority", "not minority", "not majority", "all"}),
        list,
        callable,
    ],
}
_NEIGHBORS = [Interval(numbers.Integral, 1, None, closed="left"),
              HasMethods(["kneighbors", "kneighbors_graph"])]
_N_JOBS = [numbers.Integral, None]
_RANDOM_STATE = ["random_state"]
_KIND_SEL = [StrOptions({"all", "mode"})]
_NEIGHBOR_MODE = [StrOptions({"exact", "approximate"})]

_MULTILABEL = (
    "Imbalanced-learn currently supports binary, multiclass and binarized encoded "
    "multiclasss targets. Multilabel and multioutput targets are not supported."
)


def _neighbour_count(value, name, self_included):
    """k for the function: an int as it is, or a nearest-neighbours object's n_neighbors.

    imbalanced-learn queries an object's own n_neighbors and, for the parameters where it
    drops the query row itself, that count includes the row (``self_included=1``).
    """
    if value is None or isinstance(value, numbers.Integral):
        return value
    n = getattr(value, "n_neighbors", None)
    metric = getattr(value, "metric", "minkowski")
    p = getattr(value, "p", 2)
    euclidean = (metric in ("euclidean", "l2") or (metric == "minkowski" and p in (2, None)))
    if not isinstance(n, numbers.Integral) or not euclidean or getattr(
        value, "metric_params", None
    ):
        raise ValueError(
            f"{name}: resamplekit computes exact Euclidean neighbours itself and reads only "
            "n_neighbors from a nearest-neighbours object, which must then use the Euclidean "
            f"metric; got {value!r}. Pass {name} as an integer."
        )
    k = int(n) - self_included
    if k < 1:
        raise ValueError(
            f"{name}={value!r} leaves {k} neighbours besides the row itself; its n_neighbors "
            f"must be at least {1 + self_included}."
        )
    return k


def _check_target(y):
    """imbalanced-learn's target check: the 1-d y for the function, and how y came in.

    A one-hot (one-vs-all) y becomes class indices (argmax); an (n, 1) y becomes 1-d.
    """
    try:
        check_classification_targets(y)
    except ValueError as exc:
        if getattr(y, "ndim", np.ndim(y)) == 1:
            try:
                encode_labels(y)  # says what is wrong (missing labels: which rows)
            except ValueError as why:
                raise ValueError(f"{why} ({exc})") from exc
            except TypeError:
                pass  # complex or structured labels: scikit-learn's message says it
        raise ValueError(f"y: {exc}") from exc
    kind = type_of_target(y)
    if kind == "multilabel-indicator":
        y_arr = np.asarray(y)
        if np.any(y_arr.sum(axis=1) > 1):
            raise ValueError(f"y of shape {y_arr.shape}: {_MULTILABEL}")
        return y_arr.argmax(axis=1), True
    if kind.endswith("multioutput"):
        raise ValueError(f"y of shape {np.shape(y)}: {_MULTILABEL}")
    if is_polars_frame(y):
        return column_or_1d(y.to_numpy()), False
    if getattr(y, "ndim", None) == 2 or (
        isinstance(y, (list, tuple)) and np.asarray(y, dtype=object).ndim == 2
    ):
        return column_or_1d(y), False
    return y, False


def _restore_containers(X, y, X_res, y_res, one_hot, y_fn):
    """Output containers as imbalanced-learn's: lists, (n, 1) DataFrames, one-hot y."""
    if one_hot:
        y_res = label_binarize(np.asarray(y_res), classes=np.unique(y_fn))
    if isinstance(X, list) and not isinstance(X_res, list):
        X_res = np.asarray(X_res).tolist()
    if isinstance(y, list) and not isinstance(y_res, list):
        y_res = np.asarray(y_res).tolist()
    if is_polars_frame(y):
        import polars as pl

        values = np.asarray(y_res).reshape(len(y_res), -1)
        y_res = pl.from_numpy(values, schema=y.columns, orient="row")
        if not one_hot:
            y_res = y_res.cast(y.schema)
    elif type(y).__name__ == "DataFrame" and type(y_res).__name__ != "DataFrame":
        import pandas as pd

        index = X_res.index if isinstance(X_res, pd.DataFrame) else None
        y_res = pd.DataFrame(np.asarray(y_res).reshape(len(y_res), -1), columns=y.columns,
                             index=index)
        if not one_hot:
            y_res = y_res.astype(y.dtypes.to_dict())
    return X_res, y_res


# ---------------------------------------------------------------------------------------------
# Old spellings: a constructor given a name from an older imbalanced-learn release, or a
# keyword of resamplekit's functions, raises a TypeError saying what to write instead.
# ---------------------------------------------------------------------------------------------
_OLD_NAMES = {  # old imbalanced-learn name -> its parameter now
    "ratio": "sampling_strategy",
    "size_ngh": "n_neighbors",
    "ver3_samp_ngh": "n_neighbors_ver3",
}
_SMOTE_VARIANTS = {
    "kind": (
        "SMOTE has no kind: imbalanced-learn's old SMOTE(kind='regular') is SMOTE() (drop "
        "kind), kind='borderline1'/'borderline2' is BorderlineSMOTE(kind='borderline-1'/"
        "'borderline-2') and kind='svm' is SVMSMOTE()."
    ),
    **dict.fromkeys(("m_neighbors", "m"), (
        "the danger-set neighbour count belongs to BorderlineSMOTE and SVMSMOTE, as "
        "m_neighbors= (imbalanced-learn's old SMOTE(kind=..., m_neighbors=...))."
    )),
    **dict.fromkeys(("svm_estimator", "out_step"), (
        "it belongs to SVMSMOTE (imbalanced-learn's old SMOTE(kind='svm', ...))."
    )),
}


def _constructor_hints(name, parameters):
    """{unknown keyword: what to use instead} for the class ``name`` (see _OLD_NAMES)."""
    _, function, _, table = _PARAMETERS[name]
    renamed = {old: new for old, new in _OLD_NAMES.items() if new in parameters}
    for param, keyword in table.items():
        keyword = keyword[0] if isinstance(keyword, tuple) else keyword
        if keyword is not None and keyword != param and keyword not in parameters:
            renamed.setdefault(keyword, param)

    def said_as(old):
        if old == "ratio":
            return f"imbalanced-learn's old name, and the keyword of resamplekit.{function}"
        if old in _OLD_NAMES:
            return "imbalanced-learn's old name"
        return f"the keyword of resamplekit.{function}"

    hints = {old: f"use {new}=... ({old} is {said_as(old)})." for old, new in renamed.items()}
    hints["return_indices"] = (
        "imbalanced-learn's old return_indices is gone; after fit_resample(X, y), the fitted "
        "attribute sample_indices_ holds the input row of each output row (-1 for a "
        "synthetic row)."
    )
    if name == "SMOTE":
        hints.update(_SMOTE_VARIANTS)
    if "smote" in parameters:
        for old in ("k_neighbors", "k"):
            hints[old] = "give the SMOTE step: smote=SMOTE(k_neighbors=...)."
    if "enn" in parameters:
        for old in ("n_neighbors", "enn_k"):
            hints[old] = ("give the editing step: "
                          "enn=EditedNearestNeighbours(sampling_strategy='all', n_neighbors=...).")
    if name == "NeighbourhoodCleaningRule":
        hints["kind_sel"] = ("imbalanced-learn removed NeighbourhoodCleaningRule's kind_sel "
                             "(deprecated in 0.12); its editing step votes with kind_sel='mode'.")
    return hints


_Sampler = TypeVar("_Sampler", bound="_BaseSampler")
_Method = TypeVar("_Method", bound=Callable[..., Any])


def _fit_method(method: _Method) -> _Method:
    """scikit-learn's ``_fit_context`` (parameter validation on each fit), keeping the
    method's type for type checkers (scikit-learn's decorator is untyped)."""
    return _fit_context(prefer_skip_nested_validation=True)(method)


class _BaseSampler(OneToOneFeatureMixin, BaseEstimator):
    """The shared adapter: validate, translate through _PARAMETERS, call the function."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__ in _PARAMETERS:  # a public class: wrap its (maybe inherited) __init__,
            # keeping the signature that scikit-learn reads (get_params, clone)
            init = inspect.unwrap(cls.__init__)
            parameters = frozenset(inspect.signature(init).parameters)
            cls.__init__ = keyword_hints(  # type: ignore[method-assign]
                _constructor_hints(cls.__name__, parameters), owner=cls.__name__, renames={}
            )(init)

    _estimator_type = "sampler"
    # Input kinds, as imbalanced-learn's tags for the class (see __sklearn_tags__).
    _accepts = {"sparse": True, "dataframe": True, "string": False, "allow_nan": False}
    # Whether X must be numeric (distance-based) for fit's validation.
    _numeric = True

    # -- translation -------------------------------------------------------------------------
    @classmethod
    def _spec(cls):
        return _PARAMETERS[cls.__name__]

    @property
    def _sampling_kind(self):
        return self._spec()[2]

    @property
    def _sampling_type(self):
        # imbalanced-learn's name for the kind; its BalancedBaggingClassifier reads it.
        return {"over": "over-sampling", "under": "under-sampling",
                "clean": "clean-sampling"}[self._sampling_kind]

    def _function_kwargs(self):
        """The function's keyword arguments for the current parameters (no return flags)."""
        kwargs = {}
        for param, keyword in self._spec()[3].items():
            value = getattr(self, param)
            if keyword is None:
                continue
            if isinstance(keyword, tuple):
                keyword, self_included = keyword
                value = _neighbour_count(value, param, self_included)
            elif isinstance(value, BaseEstimator):
                value = clone(value)  # the function may fit it; our parameter stays unfitted
            elif isinstance(value, Mapping) and not isinstance(value, dict):
                value = dict(value)
            kwargs[keyword] = value
        kwargs.update(self._special_kwargs())
        return kwargs

    def _special_kwargs(self):
        """Keywords for parameters standing for whole steps (see the table's None entries)."""
        return {}

    def _effective_ratio(self, kwargs):
        return kwargs["ratio"]

    # -- fitted state ------------------------------------------------------------------------
    def _set_fitted(self, X, y, ratio):
        _check_n_features(self, X, reset=True)
        _check_feature_names(self, X, reset=True)
        classes, codes = np.unique(np.asarray(y), return_inverse=True)
        counts = target_counts(ratio, codes.reshape(-1), classes, self._sampling_kind)
        self.sampling_strategy_ = OrderedDict(
            (classes[code], int(n)) for code, n in sorted(counts.items())
        )

    # -- public API --------------------------------------------------------------------------
    @_fit_method
    def fit(self: _Sampler, X: MatrixLike, y: ArrayLike) -> _Sampler:
        """Validate the data and parameters and set ``sampling_strategy_``.

        Use ``fit_resample`` to resample; ``fit`` computes nothing else.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data.
        y : array-like of shape (n_samples,)
            Labels (a one-hot y is also accepted).

        Returns
        -------
        self : object
        """
        y_fn, _ = _check_target(y)
        kwargs = self._function_kwargs()
        check_X_y(X, y_fn, numeric=self._numeric)
        try:
            self._set_fitted(X, y_fn, self._effective_ratio(kwargs))
        except (ValueError, TypeError) as exc:
            raise self._in_class_terms(exc)
        return self

    @_fit_method
    def fit_resample(
        self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
    ) -> Resampled:
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data to resample.
        y : array-like of shape (n_samples,)
            Labels of ``X`` (a one-hot y is also accepted and returned one-hot).
        sample_weight : array-like of shape (n_samples,), default=None
            One weight >= 0 per row. The weights of the output rows are stored in
            ``sample_weight_`` (kept rows keep theirs, new rows get a mix of their parents';
            rows of weight 0 are left out, as if absent: see the user guide's "Sample weights").
            In a :class:`resamplekit.pipeline.Pipeline` with scikit-learn's metadata routing,
            request it with ``set_fit_resample_request(sample_weight=True)``: the pipeline then
            gives the later steps these resampled weights.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix, list} of shape (n_samples_new, n_features)
            Resampled data, in the container of ``X``.
        y_resampled : {ndarray, series, dataframe, list} of shape (n_samples_new,)
            Labels of ``X_resampled``, in the container of ``y``.
        """
        module, name, _, _ = self._spec()
        function = _public_function(module, name)
        y_fn, one_hot = _check_target(y)
        kwargs = self._function_kwargs()
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        try:
            out = self._call(function, X, y_fn, kwargs)
        except (ValueError, TypeError) as exc:
            raise self._in_class_terms(exc)
        weights, y_counted = None, y_fn
        if sample_weight is not None:  # (X_res, y_res, weights, indices, ...)
            weights, out = out[2], out[:2] + out[3:]
            # rows of weight 0 took no part: the counts are those of the others
            y_counted = np.asarray(y_fn)[np.asarray(sample_weight) > 0]
        X_res, y_res, indices = out[:3]
        self._set_fitted(X, y_counted, self._effective_ratio(kwargs))
        self.sample_indices_ = np.asarray(indices, dtype=np.intp)
        self.provenance_ = out[-1]
        self.sample_weight_ = weights
        if len(out) > 4:
            self.n_iter_ = int(out[3])
        return _restore_containers(X, y, X_res, y_res, one_hot, y_fn)

    def fit_sample(
        self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
    ) -> Resampled:
        """Alias of ``fit_resample`` (imbalanced-learn's name before 0.8)."""
        return self.fit_resample(X, y, sample_weight=sample_weight)

    def _call(self, function, X, y, kwargs):
        return function(X, y, **kwargs, return_indices=True, return_provenance=True)

    def _class_terms(self):
        """{function keyword: this class's parameter} for the keywords named differently."""
        names = {}
        for param, keyword in self._spec()[3].items():
            keyword = keyword[0] if isinstance(keyword, tuple) else keyword
            if keyword is not None and keyword != param:
                names[keyword] = param
        return names

    def _in_class_terms(self, exc):
        """``exc`` with the function's keyword names (k, ratio, ...) as this class's
        parameter names (k_neighbors, sampling_strategy, ...), so that errors name what the
        caller set.

        The functions' messages name a keyword either as a value, ``k=5`` (also in advice:
        ``use k=9 or less``), or as the subject of a sentence, ``k must ...``, ``ratio asks
        ...``: those are the tokens renamed here (tests/test_estimator_messages.py provokes
        every such error of every class). A neighbour count given as a nearest-neighbours
        object is shown as that object.
        """
        names = self._class_terms()
        if not names:
            return exc
        message = str(exc)
        for param, keyword in self._spec()[3].items():
            value = getattr(self, param, None)
            if isinstance(keyword, tuple) and value is not None and not isinstance(
                value, numbers.Integral
            ):
                k = _neighbour_count(value, param, keyword[1])
                message = re.sub(
                    rf"(?<![\w.'\"]){keyword[0]}={k}(?!\d)",
                    lambda m, param=param, value=value, k=k: f"{param}={value!r} ({k} neighbours)",
                    message,
                )
        pattern = re.compile(
            r"(?<![\w.'\"])(" + "|".join(map(re.escape, names)) + r")"
            r"(?=\s*=|\s+(?:must|can|cannot|names|asks|as an?|has|counts)\b)"
        )
        message = pattern.sub(lambda m: names[m.group(1)], message)
        if message == str(exc):
            return exc
        new = type(exc)(message)
        new.__cause__ = exc
        return new

    def __sklearn_tags__(self) -> Tags:
        base = super().__sklearn_tags__()
        input_tags = InputTags(
            **{f.name: getattr(base.input_tags, f.name) for f in fields(base.input_tags)}
        )
        input_tags.two_d_array = True
        for key, value in self._accepts.items():
            setattr(input_tags, key, value)
        tags = Tags(**{f.name: getattr(base, f.name) for f in fields(base)},
                    sampler_tags=SamplerTags(sample_indices=True))
        tags.estimator_type = "sampler"
        tags.target_tags.required = True
        tags.transformer_tags = tags.classifier_tags = tags.regressor_tags = None
        tags.input_tags = input_tags
        return tags


# ---------------------------------------------------------------------------------------------
# Docstrings: one template, per-class parameters.
# ---------------------------------------------------------------------------------------------
_P = {
    "sampling_strategy_over": """sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size, as imbalanced-learn's
        ``sampling_strategy`` (resamplekit's ``ratio``): a float (binary only) for the
        minority/majority ratio after resampling; 'minority', 'not minority', 'not majority',
        'all' or 'auto' (= 'not majority'); a dict {label: final count}; a callable y -> dict.""",
    "sampling_strategy_under": """sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to under-sample and to what size, as imbalanced-learn's
        ``sampling_strategy`` (resamplekit's ``ratio``): a float (binary only) for the
        minority/majority ratio after resampling; 'majority', 'not minority', 'not majority',
        'all' or 'auto' (= 'not minority'); a dict {label: final count}; a callable y -> dict.""",
    "sampling_strategy_clean": """sampling_strategy : str or list, default='auto'
        Which classes to clean: 'majority', 'not minority', 'not majority', 'all' or 'auto'
        (= 'not minority'), or a list of labels. (Floats, dicts and callables pass the type
        check, as in imbalanced-learn, and are then rejected.)""",
    "random_state": """random_state : int, RandomState instance or None, default=None
        Seed of the draws. An int gives the same draws as imbalanced-learn where the
        function promises it.""",
    "n_jobs": """n_jobs : int or None, default=None
        Number of threads; None or -1 means all cores. Results do not depend on it.""",
    "neighbors": """neighbors : {'exact', 'approximate'}, default='exact'
        The neighbour search (not an imbalanced-learn parameter). 'approximate' uses an
        HNSW graph index with exact re-ranking (the ``ann`` extra, faiss-cpu) for data of
        a million rows and more; see the function's ``neighbors``.""",
    "k": """{name} : int or nearest-neighbours object, default={default}
        Number of nearest neighbours (resamplekit's ``{keyword}``). Of an object only
        ``n_neighbors`` is read (Euclidean metric only){note}.""",
}


def _doc(cls, summary, function, params, example_args="", extra=""):
    """Assemble a numpydoc docstring for an adapter class."""
    attributes = """sampling_strategy_ : OrderedDict
        {label: count}, sorted by label: rows to generate per class (over-sampling), rows
        to keep (under-sampling), or the targeted classes (cleaning).
    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output row, the input row it comes from; -1 for a synthetic row.
    provenance_ : structured ndarray of shape (n_samples_new,)
        For each output row, where it comes from: the record of the function's
        ``return_provenance=True`` (fields ``row``, ``neighbor``, ``gap``, ``scale``,
        ``step``; see the user guide's "Provenance" section)."""
    if cls.__name__ == "RepeatedEditedNearestNeighbours":
        attributes += """
    n_iter_ : int
        Number of editing rounds run."""
    attributes += """
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in ``fit_resample``; only when X had string column names."""
    cls.__doc__ = f"""{summary}

    Drop-in for imbalanced-learn 0.14's ``{cls.__name__}`` (same parameters and defaults);
    the work is done by :func:`resamplekit.{function}`.{extra}

    Parameters
    ----------
    {params}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    resamplekit.{function} : the function doing the work.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from resamplekit.estimators import {cls.__name__}
    >>> X, y = make_classification(n_samples=300, weights=[0.8, 0.2], class_sep=2,
    ...                            random_state=0)
    >>> sampler = {cls.__name__}({example_args})
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape[0] == len(y_res) == len(sampler.sample_indices_)
    True
    """
    return cls


def _k_doc(name, default, keyword, self_included):
    note = (",\n        counting the row itself as imbalanced-learn does: k = n_neighbors - 1"
            if self_included else "")
    return _P["k"].format(name=name, default=default, keyword=keyword, note=note)


# ---------------------------------------------------------------------------------------------
# Under-sampling
# ---------------------------------------------------------------------------------------------
class RandomUnderSampler(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["under"],
        "replacement": ["boolean"],
        "random_state": _RANDOM_STATE,
    }
    _accepts = {"sparse": True, "dataframe": True, "string": True, "allow_nan": True}
    _numeric = False

    def __init__(
        self, *, sampling_strategy: UnderRatio = "auto", random_state: SklearnRandomState = None,
        replacement: bool = False,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement


_doc(RandomUnderSampler, "Random under-sampling: keep a random subset of each targeted class.",
     "random_under", "\n    ".join([
         _P["sampling_strategy_under"], _P["random_state"],
         """replacement : bool, default=False
        Draw with replacement."""]), "random_state=0",
     "\n\n    Rows are only picked, so any column type and NaN pass through.")


class NearMiss(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["under"],
        "version": [Interval(numbers.Integral, 1, 3, closed="both")],
        "n_neighbors": _NEIGHBORS,
        "n_neighbors_ver3": _NEIGHBORS,
        "n_jobs": _N_JOBS,
        "neighbors": _NEIGHBOR_MODE,
    }

    def __init__(
        self, *, sampling_strategy: UnderRatio = "auto", version: Literal[1, 2, 3] = 1,
        n_neighbors: int | Estimator = 3, n_neighbors_ver3: int | Estimator = 3,
        n_jobs: int | None = None, neighbors: Neighbors = "exact",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs
        self.neighbors = neighbors


_doc(NearMiss, "NearMiss under-sampling (versions 1, 2 and 3).", "near_miss", "\n    ".join([
    _P["sampling_strategy_under"],
    """version : int, default=1
        NearMiss version: 1, 2 or 3.""",
    _k_doc("n_neighbors", 3, "k", 0),
    _k_doc("n_neighbors_ver3", 3, "k_ver3", 0), _P["n_jobs"], _P["neighbors"]]))


class ClusterCentroids(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["under"],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "voting": [StrOptions({"auto", "hard", "soft"})],
        "random_state": _RANDOM_STATE,
    }

    def __init__(
        self, *, sampling_strategy: UnderRatio = "auto", random_state: SklearnRandomState = None,
        estimator: Estimator | None = None, voting: Literal["auto", "hard", "soft"] = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting


_doc(ClusterCentroids, "Under-sampling by replacing each targeted class with cluster centroids.",
     "cluster_centroids", "\n    ".join([
         _P["sampling_strategy_under"], _P["random_state"],
         """estimator : estimator object, default=None
        A clusterer with ``n_clusters`` and ``cluster_centers_``; None means scikit-learn's
        ``KMeans(random_state=random_state)``, computed by resamplekit on dense X (the same
        centres to rounding).""",
         """voting : {'auto', 'hard', 'soft'}, default='auto'
        'soft': the centroids; 'hard': the real row nearest each centroid; 'auto': hard
        for sparse X, soft otherwise.""", ]), "random_state=0")


class InstanceHardnessThreshold(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["under"],
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "cv": ["cv_object"],
        "n_jobs": _N_JOBS,
        "random_state": _RANDOM_STATE,
    }

    def __init__(
        self, *, estimator: Estimator | None = None, sampling_strategy: UnderRatio = "auto",
        random_state: SklearnRandomState = None, cv: int | Estimator = 5, n_jobs: int | None = None,
    ) -> None:
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs


_doc(InstanceHardnessThreshold,
     "Under-sampling by removing the rows a classifier finds hardest (lowest class probability).",
     "instance_hardness_threshold", "\n    ".join([
         """estimator : estimator object, default=None
        A classifier with ``predict_proba``; None means a random forest.""",
         _P["sampling_strategy_under"], _P["random_state"],
         """cv : int, cross-validation generator or iterable, default=5
        Cross-validation for the out-of-fold probabilities.""", _P["n_jobs"]]),
     "random_state=0")


# ---------------------------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------------------------
class TomekLinks(_BaseSampler):
    _parameter_constraints = {"sampling_strategy": _STRATEGY["clean"], "n_jobs": _N_JOBS,
                              "neighbors": _NEIGHBOR_MODE}

    def __init__(
        self, *, sampling_strategy: CleanRatio = "auto", n_jobs: int | None = None,
        neighbors: Neighbors = "exact",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs
        self.neighbors = neighbors


_doc(TomekLinks, "Remove Tomek links (pairs of mutual nearest neighbours of different classes).",
     "tomek_links", "\n    ".join([_P["sampling_strategy_clean"], _P["n_jobs"],
                                    _P["neighbors"]]))


class EditedNearestNeighbours(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["clean"],
        "n_neighbors": _NEIGHBORS,
        "kind_sel": _KIND_SEL,
        "n_jobs": _N_JOBS,
        "neighbors": _NEIGHBOR_MODE,
    }

    def __init__(
        self, *, sampling_strategy: CleanRatio = "auto", n_neighbors: int | Estimator = 3,
        kind_sel: Literal["all", "mode"] = "all", n_jobs: int | None = None,
        neighbors: Neighbors = "exact",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs
        self.neighbors = neighbors


_KIND_SEL_DOC = """kind_sel : {'all', 'mode'}, default='all'
        'all': remove a row unless all its neighbours share its class; 'mode': unless most
        do."""
_doc(EditedNearestNeighbours,
     "Edited nearest neighbours: remove rows that disagree with their neighbours.",
     "edited_nearest_neighbours", "\n    ".join([
         _P["sampling_strategy_clean"], _k_doc("n_neighbors", 3, "k", 1), _KIND_SEL_DOC,
         _P["n_jobs"], _P["neighbors"]]))


class RepeatedEditedNearestNeighbours(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["clean"],
        "n_neighbors": _NEIGHBORS,
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "kind_sel": _KIND_SEL,
        "n_jobs": _N_JOBS,
    }

    def __init__(
        self, *, sampling_strategy: CleanRatio = "auto", n_neighbors: int | Estimator = 3,
        max_iter: int = 100, kind_sel: Literal["all", "mode"] = "all", n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _call(self, function, X, y, kwargs):
        return function(X, y, **kwargs, return_indices=True, return_n_iter=True,
                        return_provenance=True)


_doc(RepeatedEditedNearestNeighbours, "Edited nearest neighbours, repeated until stable.",
     "repeated_edited_nearest_neighbours", "\n    ".join([
         _P["sampling_strategy_clean"], _k_doc("n_neighbors", 3, "k", 1),
         """max_iter : int, default=100
        Maximum number of editing rounds.""", _KIND_SEL_DOC, _P["n_jobs"]]))


class AllKNN(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["clean"],
        "n_neighbors": _NEIGHBORS,
        "kind_sel": _KIND_SEL,
        "allow_minority": ["boolean"],
        "n_jobs": _N_JOBS,
    }

    def __init__(
        self, *, sampling_strategy: CleanRatio = "auto", n_neighbors: int | Estimator = 3,
        kind_sel: Literal["all", "mode"] = "all", allow_minority: bool = False,
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs


_doc(AllKNN, "All-k-NN: edited nearest neighbours with k = 1, 2, ..., n_neighbors.", "all_knn",
     "\n    ".join([
         _P["sampling_strategy_clean"], _k_doc("n_neighbors", 3, "k", 1), _KIND_SEL_DOC,
         """allow_minority : bool, default=False
        Keep going when a class becomes smaller than the minority.""", _P["n_jobs"]]))


class NeighbourhoodCleaningRule(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["clean"],
        "edited_nearest_neighbours": [HasMethods(["fit_resample"]), None],
        "n_neighbors": _NEIGHBORS,
        "threshold_cleaning": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_jobs": _N_JOBS,
        "neighbors": _NEIGHBOR_MODE,
    }

    def __init__(
        self, *, sampling_strategy: CleanRatio = "auto",
        edited_nearest_neighbours: EditedNearestNeighbours | None = None,
        n_neighbors: int | Estimator = 3, threshold_cleaning: float = 0.5,
        n_jobs: int | None = None, neighbors: Neighbors = "exact",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _special_kwargs(self):
        # The function runs imbalanced-learn's default first step itself:
        # ENN(sampling_strategy, n_neighbors, kind_sel="mode"). An object equal to it is fine.
        enn = self.edited_nearest_neighbours
        if enn is not None:
            params = enn.get_params() if hasattr(enn, "get_params") else {}
            same = (
                params.get("kind_sel") == "mode"
                and _same_k(params.get("n_neighbors"), self.n_neighbors, 1)
                and params.get("sampling_strategy") == self.sampling_strategy
            )
            if not same:
                raise ValueError(
                    "edited_nearest_neighbours: resamplekit's neighbourhood_cleaning_rule runs "
                    "its own first step, EditedNearestNeighbours(sampling_strategy="
                    f"{self.sampling_strategy!r}, n_neighbors={self.n_neighbors!r}, "
                    f"kind_sel='mode'); got {enn!r}. Pass None."
                )
        return {}


def _same_k(a, b, self_included):
    try:
        return _neighbour_count(a, "n_neighbors", self_included) == _neighbour_count(
            b, "n_neighbors", self_included)
    except ValueError:
        return False


_doc(NeighbourhoodCleaningRule,
     "Neighbourhood cleaning rule: ENN, then the neighbours of misclassified minority rows.",
     "neighbourhood_cleaning_rule", "\n    ".join([
         _P["sampling_strategy_clean"],
         """edited_nearest_neighbours : None or EditedNearestNeighbours, default=None
        The first step. Only None (or an object equal to the default step,
        ``EditedNearestNeighbours(sampling_strategy, n_neighbors, kind_sel='mode')``) is
        supported.""",
         _k_doc("n_neighbors", 3, "k", 1),
         """threshold_cleaning : float, default=0.5
        A class is cleaned in the second step when it has more than
        ``threshold_cleaning`` times the minority count.""", _P["n_jobs"],
         _P["neighbors"]]))


_CNN_PARAMS = "\n    ".join([
    _P["sampling_strategy_clean"], _P["random_state"],
    """n_neighbors : int, KNeighborsClassifier or None, default=None
        Neighbours of the k-NN rule; None means 1. Of an object only ``n_neighbors`` is
        read (Euclidean metric only).""",
    """n_seeds_S : int, default=1
        Number of rows drawn from each targeted class to start the store.""", _P["n_jobs"]])


class _CondensedBase(_BaseSampler):
    """CondensedNearestNeighbour and OneSidedSelection share their parameters."""

    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["clean"],
        "n_neighbors": _NEIGHBORS + [None],
        "n_seeds_S": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": _N_JOBS,
        "random_state": _RANDOM_STATE,
    }

    def __init__(
        self, *, sampling_strategy: CleanRatio = "auto", random_state: SklearnRandomState = None,
        n_neighbors: int | Estimator | None = None, n_seeds_S: int = 1, n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _function_kwargs(self):
        kwargs = super()._function_kwargs()
        if kwargs["k"] is None:
            kwargs["k"] = 1  # imbalanced-learn's default: KNeighborsClassifier(n_neighbors=1)
        return kwargs


class CondensedNearestNeighbour(_CondensedBase):
    pass


_doc(CondensedNearestNeighbour, "Condensed nearest neighbour (one pass, as imbalanced-learn).",
     "condensed_nearest_neighbour", _CNN_PARAMS, "random_state=0")


class OneSidedSelection(_CondensedBase):
    pass


_doc(OneSidedSelection, "One-sided selection: condensed nearest neighbour, then Tomek links.",
     "one_sided_selection", _CNN_PARAMS, "random_state=0")


# ---------------------------------------------------------------------------------------------
# Over-sampling
# ---------------------------------------------------------------------------------------------
class RandomOverSampler(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["over"],
        "random_state": _RANDOM_STATE,
        "shrinkage": [Interval(numbers.Real, 0, None, closed="left"), dict, None],
    }
    _accepts = {"sparse": True, "dataframe": True, "string": True, "allow_nan": True}
    _numeric = False

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        shrinkage: float | Mapping[Any, float] | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage


_doc(RandomOverSampler, "Random over-sampling: repeat random rows of each targeted class.",
     "random_over", "\n    ".join([
         _P["sampling_strategy_over"], _P["random_state"],
         """shrinkage : float, dict or None, default=None
        None: plain bootstrap; a float (or a dict per class): a smoothed bootstrap, each
        new row a drawn row plus Gaussian noise scaled by the class's feature spread.
        New rows of a smoothed bootstrap are synthetic (-1 in ``sample_indices_``) when the
        function marks them so."""]), "random_state=0",
     "\n\n    Rows are only picked (without shrinkage), so any column type and NaN pass\n"
     "    through.")


_SMOTE_CONSTRAINTS = {
    "sampling_strategy": _STRATEGY["over"],
    "random_state": _RANDOM_STATE,
    "k_neighbors": _NEIGHBORS,
    "n_jobs": _N_JOBS,
}


class SMOTE(_BaseSampler):
    _parameter_constraints = dict(_SMOTE_CONSTRAINTS)

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        k_neighbors: int | Estimator = 5, n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs


_doc(SMOTE, "SMOTE: synthetic minority rows interpolated between a row and a neighbour.",
     "smote", "\n    ".join([
         _P["sampling_strategy_over"], _P["random_state"], _k_doc("k_neighbors", 5, "k", 1),
         _P["n_jobs"]]), "random_state=0")


class BorderlineSMOTE(_BaseSampler):
    _parameter_constraints = {
        **_SMOTE_CONSTRAINTS,
        "m_neighbors": _NEIGHBORS,
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        k_neighbors: int | Estimator = 5, m_neighbors: int | Estimator = 10,
        kind: Literal["borderline-1", "borderline-2"] = "borderline-1", n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.n_jobs = n_jobs


_M_DOC = """m_neighbors : int or nearest-neighbours object, default=10
        Neighbours (in all of X) that decide whether a minority row is in danger
        (resamplekit's ``m``); an object's ``n_neighbors`` - 1 as in imbalanced-learn."""
_doc(BorderlineSMOTE, "Borderline-SMOTE: SMOTE from the minority rows in danger.",
     "borderline_smote", "\n    ".join([
         _P["sampling_strategy_over"], _P["random_state"], _k_doc("k_neighbors", 5, "k", 1),
         _M_DOC,
         """kind : {'borderline-1', 'borderline-2'}, default='borderline-1'
        Borderline-2 also interpolates towards other-class neighbours (half gap).""",
         _P["n_jobs"]]), "random_state=0")


class SVMSMOTE(_BaseSampler):
    _parameter_constraints = {
        **_SMOTE_CONSTRAINTS,
        "m_neighbors": _NEIGHBORS,
        "svm_estimator": [HasMethods(["fit", "predict"]), None],
        "out_step": [Interval(numbers.Real, 0, 1, closed="both")],
    }

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        k_neighbors: int | Estimator = 5, m_neighbors: int | Estimator = 10,
        svm_estimator: Estimator | None = None, out_step: float = 0.5, n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step
        self.n_jobs = n_jobs


_doc(SVMSMOTE, "SVM-SMOTE: SMOTE from the support vectors of an SVM.", "svm_smote",
     "\n    ".join([
         _P["sampling_strategy_over"], _P["random_state"], _k_doc("k_neighbors", 5, "k", 1),
         _M_DOC,
         """svm_estimator : estimator object, default=None
        The SVM (with ``support_``); None means ``sklearn.svm.SVC``.""",
         """out_step : float, default=0.5
        Step size when extrapolating away from the majority class.""", _P["n_jobs"]]),
     "random_state=0")


class KMeansSMOTE(_BaseSampler):
    _parameter_constraints = {
        **_SMOTE_CONSTRAINTS,
        "kmeans_estimator": [HasMethods(["fit", "predict"]),
                             Interval(numbers.Integral, 1, None, closed="left"), None],
        "cluster_balance_threshold": [StrOptions({"auto"}), numbers.Real],
        "density_exponent": [StrOptions({"auto"}), numbers.Real],
    }

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        k_neighbors: int | Estimator = 2, n_jobs: int | None = None,
        kmeans_estimator: int | Estimator | None = None,
        cluster_balance_threshold: Literal["auto"] | float = "auto",
        density_exponent: Literal["auto"] | float = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent


_doc(KMeansSMOTE, "KMeans-SMOTE: SMOTE inside the clusters where the class is dense enough.",
     "kmeans_smote", "\n    ".join([
         _P["sampling_strategy_over"], _P["random_state"], _k_doc("k_neighbors", 2, "k", 1),
         _P["n_jobs"],
         """kmeans_estimator : int, estimator object or None, default=None
        The clusterer (an int: the number of clusters of MiniBatchKMeans; None:
        MiniBatchKMeans).""",
         """cluster_balance_threshold : 'auto' or float, default='auto'
        Smallest share of the class in a cluster for the cluster to be used.""",
         """density_exponent : 'auto' or float, default='auto'
        Exponent of the cluster density (imbalanced-learn's 'auto' rule)."""]),
     "random_state=0, kmeans_estimator=3, cluster_balance_threshold=0.1")


class ADASYN(_BaseSampler):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["over"],
        "random_state": _RANDOM_STATE,
        "n_neighbors": _NEIGHBORS,
        "n_jobs": _N_JOBS,
    }

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        n_neighbors: int | Estimator = 5, n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs


_doc(ADASYN, "ADASYN: SMOTE weighted towards minority rows with many other-class neighbours.",
     "adasyn", "\n    ".join([
         _P["sampling_strategy_over"], _P["random_state"], _k_doc("n_neighbors", 5, "k", 1),
         _P["n_jobs"]]), "random_state=0")


_ENCODER = [HasMethods(["fit_transform", "inverse_transform"]), None]
_ENCODER_DOC = """categorical_encoder : estimator object, default=None
        Encoder of the categorical columns (``fit_transform``/``inverse_transform``); None
        means ``sklearn.preprocessing.OneHotEncoder``/``OrdinalEncoder`` as
        imbalanced-learn."""


class SMOTENC(_BaseSampler):
    _parameter_constraints = {
        **_SMOTE_CONSTRAINTS,
        "categorical_features": ["array-like", StrOptions({"auto"})],
        "categorical_encoder": _ENCODER,
    }
    _accepts = {"sparse": True, "dataframe": True, "string": True, "allow_nan": False}
    _numeric = False

    def __init__(
        self, categorical_features: Literal["auto"] | ArrayLike, *,
        categorical_encoder: Estimator | None = None, sampling_strategy: OverRatio = "auto",
        random_state: SklearnRandomState = None, k_neighbors: int | Estimator = 5,
        n_jobs: int | None = None,
    ) -> None:
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs


_doc(SMOTENC, "SMOTE-NC: SMOTE for mixed numeric and categorical columns.", "smotenc",
     "\n    ".join([
         """categorical_features : array-like or 'auto'
        Indices, names or a boolean mask of the categorical columns; 'auto' reads them from
        a DataFrame's categorical dtypes.""", _ENCODER_DOC,
         _P["sampling_strategy_over"], _P["random_state"], _k_doc("k_neighbors", 5, "k", 1),
         _P["n_jobs"]]), "[0], random_state=0")


class SMOTEN(_BaseSampler):
    _parameter_constraints = {
        **_SMOTE_CONSTRAINTS,
        "categorical_encoder": _ENCODER,
    }
    _accepts = {"sparse": True, "dataframe": True, "string": True, "allow_nan": False}
    _numeric = False

    def __init__(
        self, categorical_encoder: Estimator | None = None, *,
        sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        k_neighbors: int | Estimator = 5, n_jobs: int | None = None,
    ) -> None:
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs


_doc(SMOTEN, "SMOTE-N: SMOTE for categorical columns (value difference metric).", "smoten",
     "\n    ".join([
         _ENCODER_DOC, _P["sampling_strategy_over"], _P["random_state"],
         _k_doc("k_neighbors", 5, "k", 1), _P["n_jobs"]]), "random_state=0")


# ---------------------------------------------------------------------------------------------
# Combinations
# ---------------------------------------------------------------------------------------------
def _check_all_targeted(step, name, default, extra=()):
    """A cleaning step object is supported when it is the default step (targets 'all')."""
    params = step.get_params()
    bad = params.get("sampling_strategy") != "all" or any(
        params.get(key) != value for key, value in extra)
    if bad:
        raise ValueError(
            f"{name}: resamplekit's combination cleans with {default}; other settings are not "
            f"supported, got {step!r}. Pass None or {default}."
        )


class _Combination(_BaseSampler):
    """SMOTE, then a cleaning step; a user's SMOTE replaces this object's own settings."""

    def _smote_kwargs(self):
        if self.smote is None:
            return {}
        smote = self.smote
        smote._validate_params()
        # As imbalanced-learn: the given SMOTE's strategy and seed replace this object's.
        return {"ratio": smote.sampling_strategy, "random_state": smote.random_state,
                "k": _neighbour_count(smote.k_neighbors, "smote.k_neighbors", 1)}

    def _special_kwargs(self):
        kwargs = {"k": 5}
        kwargs.update(self._smote_kwargs())
        return kwargs

    def _effective_ratio(self, kwargs):
        ratio = kwargs["ratio"]
        return dict(ratio) if isinstance(ratio, Mapping) else ratio

    # function keywords set through the step objects
    _step_terms = {"k": "smote.k_neighbors"}

    def _class_terms(self):
        return {**super()._class_terms(), **self._step_terms}


class SMOTETomek(_Combination):
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["over"],
        "random_state": _RANDOM_STATE,
        "smote": [SMOTE, None],
        "tomek": [TomekLinks, None],
        "n_jobs": _N_JOBS,
    }

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        smote: SMOTE | None = None, tomek: TomekLinks | None = None, n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs

    def _special_kwargs(self):
        if self.tomek is not None:
            _check_all_targeted(self.tomek, "tomek", "TomekLinks(sampling_strategy='all')")
        return super()._special_kwargs()


_COMBINE_PARAMS = [
    _P["sampling_strategy_over"].replace("over-sample", "over-sample (SMOTE step)"),
    _P["random_state"],
    """smote : SMOTE or None, default=None
        The SMOTE step (this module's class); None means
        ``SMOTE(sampling_strategy=sampling_strategy, random_state=random_state)``. When given,
        its own sampling_strategy, random_state and k_neighbors are used.""",
]
_doc(SMOTETomek, "SMOTE, then removal of Tomek links from all classes.", "smote_tomek",
     "\n    ".join(_COMBINE_PARAMS + [
         """tomek : TomekLinks or None, default=None
        The cleaning step; only the default, ``TomekLinks(sampling_strategy='all')``, is
        supported.""", _P["n_jobs"]]), "random_state=0")


class SMOTEENN(_Combination):
    _step_terms = {**_Combination._step_terms, "enn_k": "enn.n_neighbors"}
    _parameter_constraints = {
        "sampling_strategy": _STRATEGY["over"],
        "random_state": _RANDOM_STATE,
        "smote": [SMOTE, None],
        "enn": [EditedNearestNeighbours, None],
        "n_jobs": _N_JOBS,
    }

    def __init__(
        self, *, sampling_strategy: OverRatio = "auto", random_state: SklearnRandomState = None,
        smote: SMOTE | None = None, enn: EditedNearestNeighbours | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _special_kwargs(self):
        kwargs = super()._special_kwargs()
        kwargs["enn_k"] = 3
        if self.enn is not None:
            _check_all_targeted(
                self.enn, "enn", "EditedNearestNeighbours(sampling_strategy='all', "
                "kind_sel='all')", extra=[("kind_sel", "all")])
            kwargs["enn_k"] = _neighbour_count(self.enn.n_neighbors, "enn.n_neighbors", 1)
        return kwargs


_doc(SMOTEENN, "SMOTE, then edited nearest neighbours on all classes.", "smote_enn",
     "\n    ".join(_COMBINE_PARAMS + [
         """enn : EditedNearestNeighbours or None, default=None
        The cleaning step; None means
        ``EditedNearestNeighbours(sampling_strategy='all')``. Only ``n_neighbors`` may
        differ from that default.""", _P["n_jobs"]]), "random_state=0")
