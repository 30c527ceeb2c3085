"""L2 regularisation (weight decay): the penalty, its gradient, and its addition to a network's gradients.

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

Parameters are lists of L ``(W, b)`` with ``W`` of shape ``(n_out, n_in)`` and ``b`` of shape
``(n_out,)``, as everywhere in ``nn_core``.
"""
from __future__ import annotations

import numpy as np

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


__all__ = ["add_l2", "l2_gradient", "l2_penalty"]
