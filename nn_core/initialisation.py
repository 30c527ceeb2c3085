"""Weight initialisation compared: zeros, too large, He; and the per-layer statistics that tell them apart.

The schemes (biases start at zero in all three):

=========  ===========================================================================
``zeros``  ``W = 0``: every unit of a layer computes the same thing and gets the same
           gradient, so they stay identical (the symmetry is never broken); with ReLU
           hidden layers every hidden activation and every weight gradient is exactly 0
``large``  ``W ~ N(0, large_std^2)`` whatever the fan-in (``large_std = 1`` by default,
           CS231n's "too large" example): a ReLU layer multiplies the activations' scale by
           about ``large_std sqrt(n_in / 2)``, so scores explode and softmax saturates
``he``     ``W ~ N(0, 2 / n_in)`` (He et al., 2015): keeps the scale of ReLU activations
           from layer to layer; the same draws as :func:`nn_core.network.init_params`
=========  ===========================================================================

:func:`init_experiment` builds a ReLU network with softmax output under each scheme and
reports, per layer, the statistics of :class:`LayerStats` from one forward and one backward
pass on the same batch, with the loss at initialisation.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .losses import get_loss
from .network import Params, backward, forward, layer_shapes

Array = np.ndarray

INIT_SCHEMES: tuple[str, ...] = ("zeros", "large", "he")

#: The standard deviation of the ``large`` scheme.
LARGE_STD = 1.0


def init_weights(n_in: int, n_out: int, scheme: str, rng: np.random.Generator,
                 large_std: float = LARGE_STD) -> Array:
    """One layer's weights under ``scheme`` (a name of :data:`INIT_SCHEMES`).

    Parameters
    ----------
    n_in, n_out : int, the layer's fan-in and width
    scheme : str, ``"zeros"``, ``"large"`` or ``"he"``
    rng : numpy Generator (not used by ``zeros``)
    large_std : float, the standard deviation of ``large``

    Returns
    -------
    ndarray, shape (n_out, n_in)
    """
    if scheme == "zeros":
        return np.zeros((n_out, n_in))
    if scheme == "large":
        return rng.normal(0.0, large_std, size=(n_out, n_in))
    if scheme == "he":
        return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))
    raise ValueError(f"unknown initialisation {scheme!r}; valid names: {', '.join(INIT_SCHEMES)}")


def init_network(sizes: list[int], scheme: str, seed: int = 0, large_std: float = LARGE_STD) -> Params:
    """Every layer by :func:`init_weights`, drawn in layer order from ``np.random.default_rng(seed)``;
    zero biases.

    Parameters
    ----------
    sizes : list of int, ``[n_0, ..., n_L]``
    scheme : str, a name of :data:`INIT_SCHEMES`
    seed : int
    large_std : float

    Returns
    -------
    list of L ``(W, b)``: W shape (n_out, n_in), b shape (n_out,)
    """
    rng = np.random.default_rng(seed)
    return [(init_weights(n_in, n_out, scheme, rng, large_std), np.zeros(n_out))
            for (n_out, n_in), _ in layer_shapes(sizes)]


class LayerStats(NamedTuple):
    """Statistics of one layer of a network on one batch.

    Attributes
    ----------
    layer : int, 1 for the first layer after the input
    z_std : float, standard deviation of the pre-activations ``Z`` (all entries)
    a_std : float, standard deviation of the layer's output ``A``
    zero_fraction : float, the fraction of entries of ``A`` that are exactly 0 (ReLU units off)
    grad_norm : float, Frobenius norm of ``dL/dW`` of this layer
    """

    layer: int
    z_std: float
    a_std: float
    zero_fraction: float
    grad_norm: float


class InitResult(NamedTuple):
    """One scheme of :func:`init_experiment`: its loss at initialisation and its layers' statistics."""

    scheme: str
    loss: float
    layers: list[LayerStats]


def layer_statistics(params: Params, X: Array, Y: Array, hidden: str = "relu") -> list[LayerStats]:
    """Per-layer :class:`LayerStats` of a classifier (``hidden`` layers, softmax output, CCE).

    Parameters
    ----------
    params : list of L ``(W, b)``
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, C), one-hot
    hidden : str, the hidden activation

    Returns
    -------
    list of L :class:`LayerStats`, first layer first
    """
    cache = forward(params, X, hidden, "softmax")
    grads = backward(params, cache, Y, hidden, "softmax", "cce")
    return [LayerStats(k + 1, float(np.std(Z)), float(np.std(A)), float(np.mean(A == 0.0)),
                       float(np.linalg.norm(dW)))
            for k, (Z, A, (dW, _)) in enumerate(zip(cache.Z, cache.A[1:], grads))]


def init_experiment(sizes: list[int], X: Array, Y: Array, schemes: tuple[str, ...] = INIT_SCHEMES,
                    seed: int = 0, large_std: float = LARGE_STD) -> list[InitResult]:
    """The initialisation experiment: a ReLU classifier under each scheme, measured before training.

    Parameters
    ----------
    sizes : list of int, ``[n_0, ..., C]``
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, C), one-hot
    schemes : tuple of names of :data:`INIT_SCHEMES`
    seed : int, for :func:`init_network` (the same seed for every scheme)
    large_std : float

    Returns
    -------
    list of :class:`InitResult`, one per scheme in the order given
    """
    results = []
    for scheme in schemes:
        params = init_network(sizes, scheme, seed, large_std)
        with np.errstate(over="ignore", under="ignore"):  # large weights saturate softmax: the point
            loss = get_loss("cce").value(forward(params, X, "relu", "softmax").A[-1], Y)
            results.append(InitResult(scheme, loss, layer_statistics(params, X, Y)))
    return results


__all__ = ["INIT_SCHEMES", "LARGE_STD", "InitResult", "LayerStats", "init_experiment", "init_network",
           "init_weights", "layer_statistics"]
