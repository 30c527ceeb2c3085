"""Sanity checks before a long training run (CS231n's "babysitting the learning process").

1. **Initial loss.** A softmax classifier whose scores are all about equal predicts ``1/C``
   for each of ``C`` classes, so its cross-entropy is ``-log(1/C) = ln C`` (2.303 for 10
   classes). Small initial weights give about that; a loss far from it means a bug in the loss
   or an initialisation that is too large.
2. **Overfit a tiny set.** With no regularisation, a network that can learn at all fits 20
   examples perfectly: training accuracy 1.0 and a loss near 0. If it cannot, the backward
   pass or the update is wrong, and no amount of data or tuning will fix that.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .data import accuracy
from .optimizers import Optimizer
from .sequential import Sequential, fit

Array = np.ndarray

#: The tiny set's size in the overfitting check.
TINY_SET = 20


def expected_initial_loss(C: int) -> float:
    """``ln C``: the cross-entropy of predicting ``1/C`` for every one of ``C`` classes."""
    if C < 2:
        raise ValueError(f"a classifier needs at least 2 classes, got {C}")
    return math.log(C)


class InitialLoss(NamedTuple):
    """The initial-loss check: the network's loss before training beside ``ln C``."""

    loss: float
    expected: float  # ln C

    @property
    def ratio(self) -> float:
        """``loss / ln C``: about 1 for a healthy start."""
        return self.loss / self.expected


def initial_loss(net: Sequential, X: Array, Y: Array) -> InitialLoss:
    """The loss of an untrained ``net`` on ``(X, Y)`` (eval mode, no L2) and ``ln C``.

    Parameters
    ----------
    net : Sequential, untrained
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, C), one-hot

    Returns
    -------
    InitialLoss
    """
    return InitialLoss(net.loss(X, Y), expected_initial_loss(np.shape(Y)[1]))


class Overfit(NamedTuple):
    """The overfitting check: the training history on the tiny set and its final accuracy there."""

    history: list[float]
    train_accuracy: float


def overfit_tiny_set(net: Sequential, X: Array, Y: Array, optimizer: Optimizer, epochs: int,
                     n: int = TINY_SET) -> Overfit:
    """Train ``net`` full-batch on the first ``n`` rows of ``(X, Y)`` without regularisation.

    Parameters
    ----------
    net : Sequential, trained in place
    X : ndarray, shape (m, n_0), m >= n
    Y : ndarray, shape (m, C), one-hot
    optimizer : a new Optimizer for ``net``
    epochs : int, full-batch steps
    n : int, the tiny set's size

    Returns
    -------
    Overfit: the loss after each step and the accuracy on the ``n`` rows at the end
    (1.0 for a network and an update that work)
    """
    if np.shape(X)[0] < n:
        raise ValueError(f"the tiny set needs {n} rows, X has {np.shape(X)[0]}")
    X_tiny, Y_tiny = np.asarray(X, dtype=np.float64)[:n], np.asarray(Y, dtype=np.float64)[:n]
    history = fit(net, X_tiny, Y_tiny, optimizer, epochs)
    return Overfit(history, accuracy(np.argmax(Y_tiny, axis=1), net.predict(X_tiny)))


__all__ = ["TINY_SET", "InitialLoss", "Overfit", "expected_initial_loss", "initial_loss", "overfit_tiny_set"]
