"""L2 regularisation (weight decay): the penalty, its gradient, its addition to a network's gradients,
and the choice of its strength on a validation split.

Convention (CS231n, deeplearning.ai course 2): the regularised objective is

    J(W, b) = L(W, b) + lambda / (2 m) * sum_l ||W^l||_F^2

where ``L`` is the mean data loss over ``m`` examples and the sum runs over every layer's
**weights only: biases are not penalised** (a bias shifts a unit's threshold; shrinking it
does not make the function smoother, and it has too few entries to overfit). The gradient of
the penalty is ``(lambda / m) W^l`` for ``W^l`` and ``0`` for ``b^l``, so one gradient-descent
step is ``W <- (1 - lr lambda / m) W - lr dL/dW``: the weights decay.

``m`` is the number of examples the objective averages its data loss over. A training loop
that wants one fixed objective passes the size of the whole training set, so that every
mini-batch's gradient estimates the same ``J`` (see :func:`nn_core.sequential.fit`).

The strength is chosen on a validation split (:func:`choose_l2`, assignment 6): one network
trained per lambda from the same start, compared by the **data loss** on the validation split
(the penalty is part of the training objective, not of the comparison: it grows with lambda, so
counting it would favour the small ones), and only the chosen network evaluated on the test split.

Parameters are lists of L ``(W, b)`` with ``W`` of shape ``(n_out, n_in)`` and ``b`` of shape
``(n_out,)``, as everywhere in ``nn_core``.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from .layers import softmax_cross_entropy
from .network import backward, forward

Array = np.ndarray
Params = list[tuple[Array, Array]]


def _check(lam: float, m: int) -> None:
    if lam < 0:
        raise ValueError(f"lambda must be >= 0, got {lam}")
    if m < 1:
        raise ValueError(f"m must be a positive number of examples, got {m}")


def l2_penalty(params: Params, lam: float, m: int) -> float:
    """The L2 penalty ``lambda / (2 m) * sum_l ||W^l||_F^2`` over the weights (biases excluded).

    Parameters
    ----------
    params : list of L ``(W, b)``, W shape (n_out, n_in), b shape (n_out,)
    lam : float >= 0, the regularisation strength lambda
    m : int >= 1, the number of examples the data loss averages over

    Returns
    -------
    float
    """
    _check(lam, m)
    return float(lam / (2.0 * m) * sum(np.sum(np.square(W)) for W, _ in params))


def l2_gradient(params: Params, lam: float, m: int) -> Params:
    """Gradient of :func:`l2_penalty`: ``((lambda / m) W, 0)`` for every layer.

    Parameters
    ----------
    params : list of L ``(W, b)``
    lam : float >= 0
    m : int >= 1

    Returns
    -------
    list of L ``(dW, db)``: dW shape (n_out, n_in), db zeros of shape (n_out,)
    """
    _check(lam, m)
    return [(lam / m * np.asarray(W, dtype=np.float64), np.zeros_like(b, dtype=np.float64)) for W, b in params]


def add_l2(grads: Params, params: Params, lam: float, m: int) -> Params:
    """The gradients of the regularised objective: data-loss gradients plus :func:`l2_gradient`.

    Pure: returns new arrays; ``grads`` and ``params`` are left as they were.

    Parameters
    ----------
    grads : list of L ``(dW, db)``, the gradients of the mean data loss (e.g. from
        :func:`nn_core.network.backward`)
    params : list of L ``(W, b)`` shaped like ``grads``
    lam : float >= 0
    m : int >= 1

    Returns
    -------
    list of L ``(dW + (lambda / m) W, db)``
    """
    if len(grads) != len(params):
        raise ValueError(f"{len(grads)} layers of gradients but {len(params)} of params")
    return [(dW + pW, db + pb) for (dW, db), (pW, pb) in zip(grads, l2_gradient(params, lam, m))]


def data_loss(params: Params, X: Array, Y: Array) -> float:
    """The mean cross-entropy of a network with ReLU hidden layers and a softmax output, from its
    scores (stable), without any penalty.

    Parameters
    ----------
    params : list of L ``(W, b)``
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, C), one-hot

    Returns
    -------
    float
    """
    return softmax_cross_entropy(forward(params, X, "relu", "softmax").Z[-1], Y)[0]


def fit_l2(X: Array, Y: Array, params: Params, lam: float, lr: float, steps: int,
           penalty_gradient: Callable[[Params, float, int], Params] = l2_gradient) -> Params:
    """``steps`` full-batch gradient-descent steps on ``J = data loss + l2_penalty(params, lam, m)``
    (``m = len(X)``) of a network with ReLU hidden layers and a softmax output, from ``params``
    (copied: the caller's arrays are left as they were). Each step is
    ``W <- W - lr (dL/dW + (lam / m) W)``, ``b <- b - lr dL/db``.

    Parameters
    ----------
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, C), one-hot
    params : list of L ``(W, b)``, the start
    lam : float >= 0
    lr : float
    steps : int >= 0
    penalty_gradient : function of (params, lam, m) giving the penalty's gradients (the grader
        passes a mistaken one to name a mistake)

    Returns
    -------
    list of L ``(W, b)``, the trained parameters
    """
    m = len(X)
    params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in params]
    for _ in range(int(steps)):
        grads = backward(params, forward(params, X, "relu", "softmax"), Y, "relu", "softmax", "cce")
        params = [(W - lr * (dW + pW), b - lr * (db + pb))
                  for (W, b), (dW, db), (pW, pb) in zip(params, grads, penalty_gradient(params, lam, m))]
    return params


class L2Run(NamedTuple):
    """One lambda of :func:`l2_sweep`: the network trained with it and its data losses."""

    lam: float
    params: Params
    train_loss: float
    val_loss: float
    test_loss: float


def l2_sweep(X_train: Array, Y_train: Array, X_val: Array, Y_val: Array, X_test: Array, Y_test: Array,
             params: Params, lambdas: list[float], lr: float, steps: int,
             fit: Callable[..., Params] = fit_l2) -> list[L2Run]:
    """One network per lambda of ``lambdas``, each trained by :func:`fit_l2` from the same start
    ``params`` on the training split, with its data losses (no penalty) on the three splits.

    Parameters
    ----------
    X_train, X_val, X_test : ndarrays, shapes (m_train, n_0), (m_val, n_0), (m_test, n_0)
    Y_train, Y_val, Y_test : ndarrays, one-hot, shapes (m_train, C), (m_val, C), (m_test, C)
    params : list of L ``(W, b)``, the start of every training
    lambdas : list of float >= 0
    lr : float
    steps : int >= 0
    fit : function of (X, Y, params, lam, lr, steps) returning the trained parameters, called once per
        lambda in order (:func:`fit_l2`; the grader passes another to replay a mistaken training)

    Returns
    -------
    list of :class:`L2Run`, one per lambda, in the order of ``lambdas``
    """
    runs = []
    for lam in lambdas:
        trained = fit(X_train, Y_train, params, float(lam), lr, steps)
        runs.append(L2Run(float(lam), trained, data_loss(trained, X_train, Y_train), data_loss(trained, X_val, Y_val),
                          data_loss(trained, X_test, Y_test)))
    return runs


def chosen(val_losses: list[float]) -> int:
    """The index of the lowest validation loss, the first of equal ones (``np.argmin``'s rule)."""
    return int(np.argmin(val_losses))


def choose_l2(X_train: Array, Y_train: Array, X_val: Array, Y_val: Array, X_test: Array, Y_test: Array,
              params: Params, lambdas: list[float], lr: float, steps: int) -> tuple[float, list[float], float]:
    """Choose the L2 strength on the validation split (assignment 6's ``choose_l2``): train one
    network per lambda (:func:`l2_sweep`), choose the lambda whose network has the lowest
    validation data loss (the first of equal ones), and evaluate that network only on the test split.

    Parameters
    ----------
    as :func:`l2_sweep`

    Returns
    -------
    best_lambda : float, an entry of ``lambdas``
    val_losses : list of float, the validation data loss of each lambda's network, in the order of ``lambdas``
    test_loss : float, the test data loss of the chosen network
    """
    runs = l2_sweep(X_train, Y_train, X_val, Y_val, X_test, Y_test, params, lambdas, lr, steps)
    best = runs[chosen([run.val_loss for run in runs])]
    return best.lam, [run.val_loss for run in runs], best.test_loss


__all__ = ["L2Run", "add_l2", "choose_l2", "chosen", "data_loss", "fit_l2", "l2_gradient", "l2_penalty", "l2_sweep"]
