"""Progress reporting: :func:`report_progress` and the :class:`Progress` events it delivers.

How it works. One ContextVar holds the active listener (the callback, and the name of the
public function running), or None. Every long phase asks it once, at its start
(:func:`start`): with nobody listening that is all it costs, a ``ContextVar.get()``. With a
listener, the phase gets a :class:`_Phase` that builds the events and calls the callback, in
the calling thread, between pieces of work (never from inside a kernel or a worker thread).
The public functions are wrapped by :func:`named`, which records their name in the listener
(the outermost wins: ``smote_enn``'s events say ``smote_enn``) only when one is active.

Because the state lives in a ContextVar, a callback set in one thread (or asyncio task) does
not see the calls of another; threads started with ``threading.Thread`` begin with an empty
context, so they see no callback either unless they run inside a copied context.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
from dataclasses import dataclass

__all__ = ["Progress", "report_progress"]


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress event of a long phase of a resamplekit call.

    Parameters
    ----------
    method : str
        The public function that was called, e.g. ``"edited_nearest_neighbours"`` (for a
        function that calls others, such as ``smote_enn``, the outermost one).
        ``"kneighbors"`` for a direct call of ``resamplekit._neighbors.kneighbors``.
    phase : str
        What runs: ``"neighbour search"`` (done/total: query rows), ``"editing round"``
        (rounds of repeated_edited_nearest_neighbours and all_knn), ``"CNN pass"`` (rows of
        the class scanned by condensed_nearest_neighbour, or rows classified by
        one_sided_selection), ``"estimator fit"`` (fits of the scikit-learn estimator).
    done : int
        Units of the phase completed: 0 at the start, never decreasing, ``total`` at the end.
    total : int or None
        Units of the phase, or None while not known in advance (the rounds of
        repeated_edited_nearest_neighbours); the last event of a phase always has
        ``done == total``.

    See Also
    --------
    report_progress : how to receive these events.

    Examples
    --------
    >>> from resamplekit import Progress
    >>> event = Progress("edited_nearest_neighbours", "neighbour search", 0, 1000)
    >>> event.done, event.total
    (0, 1000)
    >>> event.done = 5
    Traceback (most recent call last):
    ...
    dataclasses.FrozenInstanceError: cannot assign to field 'done'
    """

    method: str
    phase: str
    done: int
    total: int | None


class _Listener:
    __slots__ = ("callback", "method")

    def __init__(self, callback, method):
        self.callback = callback
        self.method = method


_LISTENER: contextvars.ContextVar[_Listener | None] = contextvars.ContextVar(
    "resamplekit_progress", default=None
)


@contextlib.contextmanager
def report_progress(callback):
    """Call ``callback(Progress(...))`` as the long phases of resamplekit calls advance.

    Inside the ``with`` block, the neighbour searches, the editing rounds of
    :func:`~resamplekit.repeated_edited_nearest_neighbours` and :func:`~resamplekit.all_knn`,
    the passes of :func:`~resamplekit.condensed_nearest_neighbour` and
    :func:`~resamplekit.one_sided_selection` and the estimator fits of
    :func:`~resamplekit.cluster_centroids`, :func:`~resamplekit.instance_hardness_threshold`
    and :func:`~resamplekit.svm_smote` report a :class:`Progress` event when they start
    (``done=0``), as they advance, and when they end (``done == total``).

    Parameters
    ----------
    callback : callable
        Called with one :class:`Progress` argument, in the thread that made the resamplekit
        call, between pieces of work (the library's threads are idle meanwhile). Its return
        value is ignored. An exception it raises propagates out of the resamplekit call,
        which stops there: a way to cancel a long call. The inputs are left unmodified and
        no thread of the library keeps running (nothing is returned, the partial work is
        dropped).

    Yields
    ------
    None

    Raises
    ------
    TypeError
        ``callback`` is not callable.

    Notes
    -----
    Which phases, and how finely:

    - ``"neighbour search"``: every exact neighbour search, in query rows. A search over
      more than 50,000 query rows runs in 16 slabs of rows and reports after each one (the
      answer is the same, bit for bit, as with no callback); the self-query of all rows by
      the symmetric kernel (which shares work between rows), searches with rows far from
      the others (searched as separate blocks) and searches over fewer rows report their
      start and end only.
    - ``"editing round"``: rounds of repeated_edited_nearest_neighbours (``total`` None
      until the rounds stop) and of all_knn (``total=k``); a run that stops early ends with
      ``done == total ==`` the rounds run. The searches of a round are phases of their own,
      reported between the round's events.
    - ``"CNN pass"``: for each class condensed_nearest_neighbour scans (start and end; the
      scan itself only polls Ctrl-C), and for the rows one_sided_selection classifies.
    - ``"estimator fit"``: cluster_centroids counts one fit per class it clusters;
      instance_hardness_threshold's cross-validation (scikit-learn's ``cross_val_predict``)
      and svm_smote's SVM fit are single steps (``done`` 0 then 1 of ``total=1``).

    Events carry the name of the public function called (the outermost one for functions
    calling others). The state is held in a :class:`contextvars.ContextVar`: a callback
    applies to the calls made in this thread (or asyncio task) inside the ``with`` block
    only, never to calls of other threads. Nested blocks: the innermost callback receives
    the events (the outer one receives none meanwhile). With no callback, reporting costs
    one ``ContextVar.get()`` per phase.

    Examples
    --------
    >>> import numpy as np
    >>> import resamplekit as rk
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.array([0] * 180 + [1] * 20)
    >>> events = []
    >>> with rk.report_progress(events.append):
    ...     X_res, y_res = rk.edited_nearest_neighbours(X, y)
    >>> for e in events:
    ...     print(e)
    Progress(method='edited_nearest_neighbours', phase='neighbour search', done=0, total=180)
    Progress(method='edited_nearest_neighbours', phase='neighbour search', done=180, total=180)

    A callback that raises cancels the call:

    >>> def cancel(event):
    ...     if event.done > 0:
    ...         raise RuntimeError(f"cancelled during the {event.phase}")
    >>> with rk.report_progress(cancel):
    ...     rk.edited_nearest_neighbours(X, y)
    Traceback (most recent call last):
    ...
    RuntimeError: cancelled during the neighbour search
    """
    if not callable(callback):
        raise TypeError(f"callback must be callable, got {callback!r}")
    outer = _LISTENER.get()
    token = _LISTENER.set(_Listener(callback, None if outer is None else outer.method))
    try:
        yield
    finally:
        _LISTENER.reset(token)


def named(function):
    """Wrap a public function so that, while a callback listens, its events carry its name
    (unless an outer public function already named them). With nobody listening: one
    ``ContextVar.get()``."""
    name = function.__name__

    @functools.wraps(function)
    def public(*args, **kwargs):
        listener = _LISTENER.get()
        if listener is None or listener.method is not None:
            return function(*args, **kwargs)
        token = _LISTENER.set(_Listener(listener.callback, name))
        try:
            return function(*args, **kwargs)
        finally:
            _LISTENER.reset(token)

    return public


def start(phase, total, method="resamplekit"):
    """Start a phase: None when nobody listens (the only cost), else a :class:`_Phase` that
    has reported ``done=0``. ``method`` names the events outside any public function."""
    listener = _LISTENER.get()
    if listener is None:
        return None
    return _Phase(listener.callback, listener.method or method, phase, total)


class _Phase:
    """The events of one phase: ``done`` only grows, and the last event has done == total."""

    __slots__ = ("callback", "method", "phase", "total", "done")

    def __init__(self, callback, method, phase, total):
        self.callback, self.method, self.phase = callback, method, phase
        self.total = None if total is None else int(total)
        self.done = 0
        self._emit()

    def _emit(self):
        self.callback(Progress(self.method, self.phase, self.done, self.total))

    def update(self, done):
        """Report ``done`` units (ignored unless it advances, and kept below the end, which
        only :meth:`finish` reports)."""
        done = int(done)
        if self.total is not None:
            done = min(done, self.total - 1)
        if done > self.done:
            self.done = done
            self._emit()

    def update_fraction(self, num, den):
        """Report ``num / den`` of the phase (a phase with a known total)."""
        self.update(self.total * num // den)

    def finish(self, total=None):
        """Report the end: ``done == total``; ``total`` given when the phase ended early or
        its total was not known in advance."""
        if total is not None:
            self.total = int(total)
        self.done = self.total
        self._emit()
