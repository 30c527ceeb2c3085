"""Layers as forward/backward pairs with a cache (CS231n's ``layers.py`` style).

Every ``*_forward`` returns ``(out, cache)``; the matching ``*_backward`` takes ``dout``, the
gradient of the loss with respect to ``out``, and that cache, and returns the gradient with
respect to the layer's input (and its parameters). A network is then a list of layers whose
backward passes are chained in reverse (:mod:`nn_core.sequential`).

Conventions: a batch ``x`` has shape ``(m, n)``, one example per row; ``W`` has shape
``(n_out, n_in)``. The loss is a **mean over the m rows**, so ``dout`` already carries the
``1/m`` and no backward here divides by ``m`` again: ``dW = dout.T @ x`` is the gradient of the
mean loss. (This differs from :func:`nn_core.network.layer_gradients`, which takes the
notes' per-example ``delta`` and divides by ``m`` itself.)

Batch normalisation (Ioffe & Szegedy, 2015), training mode, per feature over the batch:
``mu = mean(x)``, ``var = mean((x - mu)^2)`` (divisor ``m``, the batch's own variance),
``x_hat = (x - mu) / sqrt(var + eps)``, ``out = gamma x_hat + beta``. Its backward goes
through ``mu`` and ``var`` as well as through ``x`` directly; collected, it is

    dx = gamma / sqrt(var + eps) * (dout - mean(dout) - x_hat * mean(dout * x_hat))

(means over the batch). Dropping the path through ``mu`` or dividing the variance by
``m - 1`` gives a different, wrong gradient (``tests/test_nn_core_layers.py`` pins both).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .activations import sigmoid

Array = np.ndarray
Cache = Any  # what a forward keeps for its backward; opaque to callers

#: PyTorch's and CS231n's default for batch normalisation's ``eps``.
BN_EPS = 1e-5


# --------------------------------------------------------------------------------------
# affine (dense, linear)
# --------------------------------------------------------------------------------------


def linear_forward(x: Array, W: Array, b: Array) -> tuple[Array, Cache]:
    """Affine layer ``out = x @ W.T + b``.

    Parameters
    ----------
    x : ndarray, shape (m, n_in)
    W : ndarray, shape (n_out, n_in)
    b : ndarray, shape (n_out,)

    Returns
    -------
    out : ndarray, shape (m, n_out)
    cache : ``(x, W)``
    """
    x = np.asarray(x, dtype=np.float64)
    return x @ W.T + b, (x, W)


def linear_backward(dout: Array, cache: Cache) -> tuple[Array, Array, Array]:
    """Backward of :func:`linear_forward`.

    Parameters
    ----------
    dout : ndarray, shape (m, n_out)
    cache : from :func:`linear_forward`

    Returns
    -------
    dx : ndarray, shape (m, n_in), ``dout @ W``
    dW : ndarray, shape (n_out, n_in), ``dout.T @ x``
    db : ndarray, shape (n_out,), ``dout`` summed over the rows
    """
    x, W = cache
    return dout @ W, dout.T @ x, dout.sum(axis=0)


# --------------------------------------------------------------------------------------
# elementwise activations
# --------------------------------------------------------------------------------------


def relu_forward(x: Array) -> tuple[Array, Cache]:
    """ReLU ``max(0, x)``; x of any shape. Returns ``(out, x)``."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(x, 0.0), x


def relu_backward(dout: Array, cache: Cache) -> Array:
    """Backward of :func:`relu_forward`: ``dout`` where ``x > 0``, else 0 (0 at ``x = 0``)."""
    return np.where(cache > 0, dout, 0.0)


def sigmoid_forward(x: Array) -> tuple[Array, Cache]:
    """Logistic sigmoid; x of any shape. Returns ``(out, out)``: the backward needs only the output."""
    out = sigmoid(x)
    return out, out


def sigmoid_backward(dout: Array, cache: Cache) -> Array:
    """Backward of :func:`sigmoid_forward`: ``dout * s (1 - s)`` with ``s`` the output."""
    return dout * cache * (1.0 - cache)


# --------------------------------------------------------------------------------------
# inverted dropout
# --------------------------------------------------------------------------------------


def dropout_mask(shape: tuple[int, ...], keep_prob: float, rng: np.random.Generator) -> Array:
    """A dropout mask: 1.0 with probability ``keep_prob``, else 0.0 (``rng.random(shape) < keep_prob``).

    Returns
    -------
    ndarray of 0.0 / 1.0, shape ``shape``
    """
    return (rng.random(shape) < keep_prob).astype(np.float64)


def dropout_forward(x: Array, keep_prob: float, training: bool = True, mask: Array | None = None,
                    rng: np.random.Generator | None = None) -> tuple[Array, Cache]:
    """Inverted dropout: in training ``out = x * mask / keep_prob``; at test time ``out = x``.

    Dividing by ``keep_prob`` while training keeps every unit's expected output equal to its
    input, so nothing is rescaled at test time.

    Parameters
    ----------
    x : ndarray, shape (m, n) (any shape)
    keep_prob : float in (0, 1], the probability that a unit is kept (1 - PyTorch's ``p``)
    training : bool; False gives the identity
    mask : ndarray of 0/1 shaped like ``x``, or None to draw one with ``rng``
    rng : numpy Generator, used (by :func:`dropout_mask`) when no mask is given in training

    Returns
    -------
    out : ndarray, shape of ``x``
    cache : ``(mask, keep_prob)``; ``mask`` is None at test time
    """
    if not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
    x = np.asarray(x, dtype=np.float64)
    if not training:
        return x.copy(), (None, keep_prob)
    if mask is None:
        if rng is None:
            raise ValueError("dropout in training needs a mask or an rng")
        mask = dropout_mask(x.shape, keep_prob, rng)
    mask = np.asarray(mask, dtype=np.float64)
    if mask.shape != x.shape:
        raise ValueError(f"mask shape {mask.shape} differs from x's {x.shape}")
    return x * mask / keep_prob, (mask, keep_prob)


def dropout_backward(dout: Array, cache: Cache) -> Array:
    """Backward of :func:`dropout_forward`: ``dout * mask / keep_prob`` (``dout`` at test time)."""
    mask, keep_prob = cache
    if mask is None:
        return dout.copy()
    return dout * mask / keep_prob


# --------------------------------------------------------------------------------------
# batch normalisation
# --------------------------------------------------------------------------------------


def batchnorm_forward(x: Array, gamma: Array, beta: Array, eps: float = BN_EPS) -> tuple[Array, Cache]:
    """Batch normalisation in training mode, with the batch's own mean and variance.

    ``x_hat = (x - mu) / sqrt(var + eps)``, ``out = gamma x_hat + beta``, with
    ``mu = x.mean(axis=0)`` and ``var = x.var(axis=0)`` (divisor m).

    Parameters
    ----------
    x : ndarray, shape (m, n)
    gamma : ndarray, shape (n,), scale
    beta : ndarray, shape (n,), shift
    eps : float

    Returns
    -------
    out : ndarray, shape (m, n)
    cache : ``(x_hat, gamma, inv_std, mu, var)``; ``mu`` and ``var`` (shape (n,)) are the batch
        statistics the running averages of :class:`nn_core.sequential.BatchNorm` use
    """
    x = np.asarray(x, dtype=np.float64)
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std, mu, var)


def batchnorm_backward(dout: Array, cache: Cache) -> tuple[Array, Array, Array]:
    """Backward of :func:`batchnorm_forward`, through ``x``, the batch mean and the batch variance.

    Parameters
    ----------
    dout : ndarray, shape (m, n)
    cache : from :func:`batchnorm_forward`

    Returns
    -------
    dx : ndarray, shape (m, n), ``gamma inv_std (dout - mean(dout) - x_hat mean(dout x_hat))``
    dgamma : ndarray, shape (n,), ``sum(dout * x_hat)`` over the rows
    dbeta : ndarray, shape (n,), ``sum(dout)`` over the rows
    """
    x_hat, gamma, inv_std, _, _ = cache
    dgamma = np.sum(dout * x_hat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dx = gamma * inv_std * (dout - dout.mean(axis=0) - x_hat * np.mean(dout * x_hat, axis=0))
    return dx, dgamma, dbeta


def batchnorm_eval(x: Array, gamma: Array, beta: Array, running_mean: Array, running_var: Array,
                   eps: float = BN_EPS) -> Array:
    """Batch normalisation at test time: the running averages in place of the batch statistics.

    Parameters
    ----------
    x : ndarray, shape (m, n)
    gamma, beta, running_mean, running_var : ndarray, shape (n,)
    eps : float

    Returns
    -------
    ndarray, shape (m, n): ``gamma (x - running_mean) / sqrt(running_var + eps) + beta``
    """
    x = np.asarray(x, dtype=np.float64)
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta


# --------------------------------------------------------------------------------------
# softmax with categorical cross-entropy, the loss on top
# --------------------------------------------------------------------------------------


def softmax_cross_entropy(scores: Array, Y: Array) -> tuple[float, Array]:
    """Mean categorical cross-entropy of ``softmax(scores)`` and its gradient with respect to the scores.

    ``loss = mean_i(-sum_j Y_ij log softmax(scores)_ij)``, computed as a log-softmax (stable for
    any finite scores); equal to ``nn_core.losses.cce(softmax(scores), Y)`` whenever no
    probability falls below that loss's clipping ``EPS``. Gradient: ``(softmax(scores) - Y) / m``
    for one-hot rows (``(softmax(scores) sum_j Y_ij - Y) / m`` in general).

    Parameters
    ----------
    scores : ndarray, shape (m, C), the last layer's output before softmax
    Y : ndarray, shape (m, C), one-hot targets (or rows of probabilities)

    Returns
    -------
    loss : float
    dscores : ndarray, shape (m, C)
    """
    scores = np.asarray(scores, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if scores.ndim != 2 or scores.shape != Y.shape:
        raise ValueError(f"scores and Y must both have shape (m, C); got {scores.shape} and {Y.shape}")
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    m = scores.shape[0]
    loss = float(-np.sum(Y * log_probs) / m)
    return loss, (np.exp(log_probs) * Y.sum(axis=1, keepdims=True) - Y) / m


__all__ = ["BN_EPS", "batchnorm_backward", "batchnorm_eval", "batchnorm_forward", "dropout_backward",
           "dropout_forward", "dropout_mask", "linear_backward", "linear_forward", "relu_backward", "relu_forward",
           "sigmoid_backward", "sigmoid_forward", "softmax_cross_entropy"]
