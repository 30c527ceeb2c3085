"""Gradient descent: the notes' line fit, one update step, mini-batches and a training loop.

Lecture notes: ``002_c5b9639f8f65441b.txt`` section "4. Back propagation": fit
``y = a0 x + a1`` by ``a0' = a0 - lambda dL/da0`` (lambda the step size), then the same
update for every layer's weights ``w_n' = w_n - lambda dL/dw_n``, all computed from the old
weights. ``003_3c40f44d07695e00.txt``: the update rules ``w' = w - alpha dL/dw``,
``b' = b - alpha dL/db``. ``004_025caf30a44a08da.txt``: the bias update over the m examples
**sums** their gradients (its last line); with its own mean loss the step must use their
**mean**, which is what every update here takes (``docs/errata.md``, #15).
"""
from __future__ import annotations

from typing import Iterator, Protocol

import numpy as np

Array = np.ndarray
Params = list[tuple[Array, Array]]


# --------------------------------------------------------------------------------------
# the line fit y = a0 x + a1
# --------------------------------------------------------------------------------------


def line_fit_loss(a0: float, a1: float, x: Array, y: Array) -> float:
    """Mean squared error of the line: ``mean(1/2 (a0 x + a1 - y)^2)``.

    Parameters
    ----------
    a0 : float, slope
    a1 : float, intercept
    x, y : ndarray, shape (m,)

    Returns
    -------
    float
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    r = a0 * x + a1 - y
    return float(np.mean(0.5 * r**2))


def line_fit_gradient(a0: float, a1: float, x: Array, y: Array) -> tuple[float, float]:
    """Gradient of :func:`line_fit_loss`: ``(mean(r x), mean(r))`` with ``r = a0 x + a1 - y``.

    Parameters
    ----------
    a0, a1 : float
    x, y : ndarray, shape (m,)

    Returns
    -------
    (dL/da0, dL/da1) : tuple of two floats
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    r = a0 * x + a1 - y
    return float(np.mean(r * x)), float(np.mean(r))


def fit_line(
    x: Array, y: Array, lr: float, epochs: int, a0: float = 0.0, a1: float = 0.0
) -> tuple[float, float, list[float]]:
    """Full-batch gradient descent on :func:`line_fit_loss` (notes 002, section 4).

    Each epoch updates both coefficients from the same old values:
    ``a0 <- a0 - lr dL/da0``, ``a1 <- a1 - lr dL/da1``.

    The graded question ``fit_line(x, y, lr, epochs)`` returns just ``(a0, a1)``; see
    :func:`nn_core.answers.fit_line`. This version also returns the loss history.

    Parameters
    ----------
    x, y : ndarray, shape (m,)
    lr : float, step size (lambda in the notes)
    epochs : int, number of updates
    a0, a1 : float, starting slope and intercept

    Returns
    -------
    a0 : float
    a1 : float
    history : list of ``epochs`` floats, the loss after each update
    """
    history = []
    for _ in range(epochs):
        d_a0, d_a1 = line_fit_gradient(a0, a1, x, y)
        a0, a1 = a0 - lr * d_a0, a1 - lr * d_a1
        history.append(line_fit_loss(a0, a1, x, y))
    return float(a0), float(a1), history


# --------------------------------------------------------------------------------------
# networks
# --------------------------------------------------------------------------------------


def gd_step(params: Params, grads: Params, lr: float) -> Params:
    """One gradient-descent step on every layer: ``(W - lr dW, b - lr db)``.

    Pure: returns new arrays and leaves ``params`` untouched, so every layer's update uses
    the old weights (notes 002, section 4).

    Parameters
    ----------
    params : list of ``(W, b)``
    grads : list of ``(dW, db)`` shaped like ``params``
    lr : float

    Returns
    -------
    list of ``(W, b)``
    """
    if len(params) != len(grads):
        raise ValueError(f"{len(params)} layers of params but {len(grads)} of gradients")
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def minibatches(m: int, batch_size: int, rng: np.random.Generator, drop_last: bool = False) -> Iterator[Array]:
    """Shuffle ``range(m)`` and yield it in index arrays of ``batch_size`` (the last may be shorter).

    Parameters
    ----------
    m : int, number of examples
    batch_size : int >= 1
    rng : numpy Generator
    drop_last : bool, skip the last batch when it is shorter (PyTorch's ``drop_last=True``)

    Yields
    ------
    ndarray of int, shape (<= batch_size,)
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    order = rng.permutation(m)
    for start in range(0, m - batch_size + 1 if drop_last else m, batch_size):
        yield order[start : start + batch_size]


def predict_classes(A: Array) -> Array:
    """Class of each row: ``argmax`` over the outputs (notes 004, "Argmax").

    Parameters
    ----------
    A : ndarray, shape (m, C)

    Returns
    -------
    ndarray of int, shape (m,)
    """
    return np.argmax(np.asarray(A), axis=1).astype(int)


class Trainable(Protocol):
    """What :func:`train` needs of a model (e.g. :class:`nn_core.network.MLP`)."""

    params: Params

    def loss(self, X: Array, Y: Array) -> float: ...

    def gradients(self, X: Array, Y: Array) -> Params: ...


def train(
    model: Trainable,
    X: Array,
    Y: Array,
    epochs: int,
    lr: float,
    batch_size: int | None = None,
    seed: int = 0,
    drop_last: bool = False,
) -> list[float]:
    """Mini-batch gradient descent on ``model.params``; full batch when ``batch_size`` is None.

    Each epoch visits the rows in a fresh order from ``np.random.default_rng(seed)`` and
    takes one :func:`gd_step` per mini-batch, on the gradient of that batch's mean loss.

    Parameters
    ----------
    model : has ``params``, ``loss(X, Y)`` and ``gradients(X, Y)``
    X : ndarray, shape (m, n_in)
    Y : ndarray, shape (m, n_out)
    epochs : int
    lr : float
    batch_size : int or None
    seed : int, fixes the shuffling
    drop_last : bool, skip each epoch's last batch when it is shorter (see :func:`minibatches`)

    Returns
    -------
    list of ``epochs`` floats: the loss on all of ``(X, Y)`` after each epoch.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    m = X.shape[0]
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        if batch_size is None:
            batches: Iterator[Array] | list[slice] = [slice(None)]
        else:
            batches = minibatches(m, batch_size, rng, drop_last)
        for rows in batches:
            grads = model.gradients(X[rows], Y[rows])
            model.params = gd_step(model.params, grads, lr)
        history.append(model.loss(X, Y))
    return history
