"""The notes' two weight conventions and the parameter count of maxout networks.

The course (notes 002, section 3, and ``docs/design.md``) stores a layer's weights as
``W`` of shape ``(n_out, n_in)``: one row per neuron, ``z = W x + b`` for one example and
``Z = X @ W.T + b`` for a batch with one example per row (PyTorch's ``nn.Linear``).

Note 004 stores them as ``(h_(l-1), h_l)``, inputs by outputs (CS231n's convention):
``z = W^T x + b`` for one example and ``Z = X @ W + b`` for a batch of rows. Under it the
notes' ``delta^l = (W^(l+1) delta^(l+1)) * sigma'(z^l)`` and ``dL/dW = a^(l-1) (delta^l)^T``
are right. The two describe the same network: a weight matrix of one is the transpose of
the other's, and the biases are the same vectors. Neither is an error.

Maxout units (notes 002, section 1: ``max(W1 x, W2 x)``) with ``k`` pieces give every
hidden unit ``k`` affine maps of its inputs; its output is the largest. A layer of
``n_out`` maxout units on ``n_in`` inputs therefore has ``k`` weight matrices
``(n_out, n_in)`` and ``k`` bias vectors ``(n_out,)``, and still passes ``n_out`` values on.
"""
from __future__ import annotations

import numpy as np

from .network import forward, layer_shapes

Array = np.ndarray
Params = list[tuple[Array, Array]]


def to_course_convention(params_004: Params) -> Params:
    """Note 004's layers ``(W, b)`` with ``W`` of shape (n_in, n_out), in the course's convention.

    Parameters
    ----------
    params_004 : list of L ``(W, b)``, W shape (n_in, n_out), b shape (n_out,)

    Returns
    -------
    list of L ``(W, b)``, W shape (n_out, n_in), b shape (n_out,): the same network
    """
    return [(np.asarray(W, dtype=np.float64).T.copy(), np.asarray(b, dtype=np.float64).copy())
            for W, b in params_004]


def to_004_convention(params: Params) -> Params:
    """The course's layers in note 004's convention; the inverse of :func:`to_course_convention`.

    Parameters
    ----------
    params : list of L ``(W, b)``, W shape (n_out, n_in), b shape (n_out,)

    Returns
    -------
    list of L ``(W, b)``, W shape (n_in, n_out), b shape (n_out,)
    """
    return to_course_convention(params)  # transposing is its own inverse


def forward_004(X: Array, params_004: Params) -> Array:
    """Output of a network stored in note 004's convention: sigmoid hidden layers, softmax output.

    Parameters
    ----------
    X : ndarray, shape (m, n_0), one example per row
    params_004 : list of L ``(W, b)``, W shape (n_(l-1), n_l), b shape (n_l,)

    Returns
    -------
    ndarray, shape (m, n_L): the softmax output, each row sums to 1
    """
    return forward(to_course_convention(params_004), X, hidden="sigmoid", output="softmax").A[-1]


def param_count_maxout(sizes: list[int], k: int) -> int:
    """Weights and biases of a network whose hidden units are maxout units with ``k`` pieces.

    The output layer is an ordinary layer (softmax or linear); ``k = 1`` gives
    :func:`nn_core.network.param_count`.

    Parameters
    ----------
    sizes : list of int, [n_0, n_1, ..., n_L]
    k : int >= 1, the number of affine pieces of each hidden unit

    Returns
    -------
    int
    """
    layers = [n_out * n_in + n_out for (n_out, n_in), _ in layer_shapes(sizes)]
    return int(k) * sum(layers[:-1]) + layers[-1] if layers else 0


__all__ = ["forward_004", "param_count_maxout", "to_004_convention", "to_course_convention"]
