"""imbalanced-learn's Pipeline, with sample weights that follow the resampled rows.

imbalanced-learn's :class:`imblearn.pipeline.Pipeline` runs a sampler's ``fit_resample`` during
``fit`` and hands its rows to the next steps, but every step gets the metadata the caller
passed: with ``pipeline.fit(X, y, sample_weight=w)`` and a classifier that asks for
``sample_weight``, the classifier receives ``w`` (one weight per input row) next to the
resampled rows, and fails on the length. This module's :class:`Pipeline` is that class with one
change: when a resamplekit sampler received ``sample_weight``, the steps after it receive the
weights of the resampled rows (the sampler's ``sample_weight_``; the rule is in the user guide's
"Sample weights" section) in place of the caller's. Everything else (steps, ``memory``,
``transform_input``, ``verbose``, prediction) is imbalanced-learn's.

With scikit-learn's metadata routing (``sklearn.set_config(enable_metadata_routing=True)``)
request the weights on the sampler and on the steps that use them::

    pipe = make_pipeline(
        SMOTE(random_state=0).set_fit_resample_request(sample_weight=True),
        LogisticRegression().set_fit_request(sample_weight=True),
    )
    pipe.fit(X, y, sample_weight=w)  # LogisticRegression gets the resampled weights

``GridSearchCV(pipe, ...).fit(X, y, sample_weight=w)`` routes each training fold's weights the
same way. Without routing, ``pipe.fit(X, y, smote__sample_weight=w,
logisticregression__sample_weight=w)`` does the same (imbalanced-learn's own Pipeline passes no
parameter to a sampler in that mode).

A later step is given the resampled weights in place of the weights it was routed when those are
the weights the sampler received (the same array, or equal values); if it was routed other
weights that no longer match the number of rows, a ValueError says which step and why.

This module needs imbalanced-learn (``pip install 'resamplekit[imblearn]'``); ``import
resamplekit`` does not import it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

try:
    from imblearn.pipeline import Pipeline as _ImblearnPipeline
    from imblearn.pipeline import make_pipeline as _imblearn_make_pipeline
except ImportError as exc:
    raise ImportError(
        "resamplekit.pipeline extends imbalanced-learn's Pipeline, which could not be "
        f"imported ({exc}); install it: pip install 'resamplekit[imblearn]'"
    ) from exc

from sklearn.base import clone
from sklearn.utils.metadata_routing import _routing_enabled
from sklearn.utils.validation import check_memory

__all__ = ["Pipeline", "make_pipeline"]


def _print_elapsed_time(source, message):
    # scikit-learn's context manager (private module; its location has moved between releases)
    try:
        from sklearn.utils._user_interface import _print_elapsed_time as timer
    except ImportError:  # pragma: no cover
        from contextlib import nullcontext

        return nullcontext()
    return timer(source, message)


def _fit_transform_step(transformer, X, y, params, message):
    with _print_elapsed_time("Pipeline", message):
        if hasattr(transformer, "fit_transform"):
            Xt = transformer.fit_transform(X, y, **params.get("fit_transform", {}))
        else:
            Xt = transformer.fit(X, y, **params.get("fit", {})).transform(
                X, **params.get("transform", {}))
    return Xt, transformer


def _fit_resample_step(sampler, X, y, params, message):
    with _print_elapsed_time("Pipeline", message):
        X_res, y_res = sampler.fit_resample(X, y, **params)
    return X_res, y_res, sampler


def _n_rows(data):
    shape = getattr(data, "shape", None)
    return shape[0] if shape is not None else len(data)


class Pipeline(_ImblearnPipeline):
    """imbalanced-learn's Pipeline; steps after a weighted sampler get its resampled weights.

    The parameters, attributes and methods are those of
    :class:`imblearn.pipeline.Pipeline` (see the module docstring for the one difference).

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Transformers and samplers, then a final estimator.
    transform_input : list of str, default=None
        Metadata to transform through the steps before each step (imbalanced-learn's).
    memory : None, str or object with the joblib.Memory interface, default=None
        Caches the fitted transformers and samplers.
    verbose : bool, default=False
        Print the time each step takes.

    Examples
    --------
    >>> import numpy as np
    >>> import sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from resamplekit.estimators import SMOTE
    >>> from resamplekit.pipeline import make_pipeline
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(2, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> w = rng.uniform(0.5, 2.0, 100)
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     pipe = make_pipeline(
    ...         SMOTE(random_state=0).set_fit_resample_request(sample_weight=True),
    ...         LogisticRegression().set_fit_request(sample_weight=True),
    ...     ).fit(X, y, sample_weight=w)
    >>> pipe[0].sample_weight_.shape  # the classifier was fitted with these
    (180,)
    """

    def _fit(self, X, y=None, routed_params=None, raw_params=None):
        self.steps = list(self.steps)
        self._validate_steps()
        memory = check_memory(self.memory)
        fit_transform_step = memory.cache(_fit_transform_step)
        fit_resample_step = memory.cache(_fit_resample_step)
        routing = _routing_enabled()
        for step_idx, name, transformer in self._iter(
            with_final=False, filter_passthrough=False, filter_resample=False
        ):
            message = self._log_message(step_idx)
            if transformer is None or transformer == "passthrough":
                with _print_elapsed_time("Pipeline", message):
                    continue
            if hasattr(memory, "location") and memory.location is None:
                cloned = transformer  # no cache: fit the step itself (imbalanced-learn's rule)
            else:
                cloned = clone(transformer)
            if hasattr(cloned, "transform") or hasattr(cloned, "fit_transform"):
                step_params = self._get_metadata_for_step(
                    step_idx=step_idx, step_params=routed_params[name], all_params=raw_params)
                X, fitted = fit_transform_step(cloned, X, y, step_params, message)
            else:
                # a sampler: with routing, what was routed to fit_resample; without, its
                # step__parameter arguments
                params = dict(routed_params[name]["fit_resample" if routing else "fit"])
                X, y, fitted = fit_resample_step(cloned, X, y, params, message)
                self._pass_weights_on(step_idx, name, fitted, params, routed_params,
                                      _n_rows(y))
            self.steps[step_idx] = (name, fitted)
        return X, y

    def _pass_weights_on(self, step_idx, name, sampler, params, routed_params, n_rows):
        """After sampler ``name``: the later steps' sample_weight become its resampled ones."""
        given = params.get("sample_weight")
        resampled = getattr(sampler, "sample_weight_", None) if given is not None else None
        for later, step in self.steps[step_idx + 1:]:
            if step is None or isinstance(step, str) or later not in routed_params:
                continue
            for method, method_params in routed_params[later].items():
                weights = method_params.get("sample_weight")
                if weights is None:
                    continue
                if resampled is not None and _same_weights(weights, given):
                    method_params["sample_weight"] = resampled
                elif _n_rows(weights) != n_rows:
                    how = ("without them" if given is None else
                           "and passed its resampled weights on only in place of the same "
                           "weights")
                    raise ValueError(
                        f"step {later!r} is given sample_weight for {method} with "
                        f"{_n_rows(weights)} weights, but step {name!r} "
                        f"({type(sampler).__name__}) resampled the data to {n_rows} rows "
                        f"{how}; request the weights on the sampler (e.g. "
                        f"{type(sampler).__name__}().set_fit_resample_request("
                        "sample_weight=True)) so that the pipeline passes its resampled "
                        "weights on"
                    )


def _same_weights(weights, given):
    if weights is given:
        return True
    a, b = np.asarray(weights), np.asarray(given)
    return a.shape == b.shape and np.array_equal(a, b)


def make_pipeline(*steps: Any, memory: Any = None, transform_input: list[str] | None = None,
                  verbose: bool = False) -> Pipeline:
    """A :class:`Pipeline` of ``steps``, named as imbalanced-learn's ``make_pipeline`` names
    them (lower-case class names, numbered when repeated).

    Parameters
    ----------
    *steps : estimators
        Transformers and samplers, then a final estimator.
    memory, transform_input, verbose
        As :class:`Pipeline`.

    Returns
    -------
    Pipeline

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from resamplekit.estimators import RandomUnderSampler
    >>> from resamplekit.pipeline import make_pipeline
    >>> [name for name, _ in make_pipeline(RandomUnderSampler(), LogisticRegression()).steps]
    ['randomundersampler', 'logisticregression']
    """
    named = _imblearn_make_pipeline(*steps).steps
    return Pipeline(named, memory=memory, transform_input=transform_input, verbose=verbose)
