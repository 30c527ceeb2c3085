"""The notes' two-layer derivations, written out formula by formula.

A network with one hidden layer::

    z1 = W1 x + b1,   a1 = g(z1)          (hidden layer)
    z2 = W2 a1 + b2,  a2 = f(z2) = y_hat  (output layer)

and four gradients obtained by the chain rule. Each function here takes a batch
``(X, Y, W1, b1, W2, b2)`` and returns the gradient of the **mean** loss over the m rows,
shaped like the parameter. The formulas are deliberately written out in full in each
function, as in the notes, instead of calling the general backpropagation of
:mod:`nn_core.network` (the tests prove the two agree, and agree with finite differences).

Shapes: ``X`` (m, n_in), ``Y`` (m, n_out), ``W1`` (h, n_in), ``b1`` (h,), ``W2`` (n_out, h),
``b2`` (n_out,). Row form: the notes' column-vector ``(a2 - y) a1^T`` for one example
becomes ``(A2 - Y).T @ A1 / m`` for a batch, and ``w2^T (a2 - y)`` becomes ``(A2 - Y) @ W2``.

Families (lecture-note file in brackets):

* ``regression_*`` [000]: sigmoid hidden, linear output, MSE ``1/2 (y_hat - y)^2``.
* ``homework_*`` [003]: sigmoid hidden, sigmoid output, MSE ``1/2 (y - y_hat)^2``.
* ``binary_*`` [000 log loss, 004]: sigmoid hidden, one sigmoid output, binary cross-entropy.
* ``binary_relu_*`` [000 "we use ReLU for our hidden layers"]: as ``binary_*`` with ReLU hidden.

The graded questions of assignment 3 take the four gradients at once, from one forward
pass: ``regression_gradients``, ``homework_gradients``, ``binary_gradients`` and
``binary_relu_gradients``, each ``(X, Y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)``, with the
loss they differentiate beside them (``regression_loss``, ...: the mean over the m rows of
the per-example loss; registry :data:`NETWORKS`). The per-parameter functions below are the
same formulas one at a time, as the notes write them (the tests prove both agree).

Corrections to the notes (see ``docs/errata.md``): 000 writes ``dL/dw2 = (a1 - y) a1^T``
(it is ``(a2 - y) a1^T``) and mixes ``L = (y - y_hat)^2`` with ``L = 1/2 (...)^2``; 003
writes ``z1 = w1 + b1`` (it is ``w1 x + b1``) and multiplies ``dL/dw1`` by an extra ``a1``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import relu, sigmoid
from .losses import bce, mse

Array = np.ndarray


# --------------------------------------------------------------------------------------
# regression [000]: sigmoid hidden, linear output, MSE
#   dL/dw2 = (a2 - y) a1^T
#   dL/db2 = (a2 - y)
#   dL/db1 = w2^T (a2 - y) * a1 (1 - a1)
#   dL/dw1 = [w2^T (a2 - y) * a1 (1 - a1)] x^T
# --------------------------------------------------------------------------------------


def regression_dL_dw2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw2 = (a2 - y) a1^T`` averaged over the batch: ``(A2 - Y).T @ A1 / m``, shape (n_out, h)."""
    m = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2                      # linear output: a2 = z2
    return (A2 - Y).T @ A1 / m


def regression_dL_db2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db2 = a2 - y`` averaged over the batch, shape (n_out,)."""
    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    return (A2 - Y).mean(axis=0)


def regression_dL_db1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db1 = w2^T (a2 - y) * a1 (1 - a1)`` averaged over the batch, shape (h,)."""
    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    hidden_error = ((A2 - Y) @ W2) * A1 * (1.0 - A1)      # (m, h)
    return hidden_error.mean(axis=0)


def regression_dL_dw1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw1 = [w2^T (a2 - y) * a1 (1 - a1)] x^T`` averaged over the batch, shape (h, n_in)."""
    m = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    hidden_error = ((A2 - Y) @ W2) * A1 * (1.0 - A1)      # (m, h)
    return hidden_error.T @ X / m


# --------------------------------------------------------------------------------------
# homework [003]: sigmoid hidden, sigmoid output, MSE
#   dL/dw2 = (a2 - y) a2 (1 - a2) a1^T
#   dL/db2 = (a2 - y) a2 (1 - a2)
#   dL/db1 = w2^T [(a2 - y) a2 (1 - a2)] * a1 (1 - a1)
#   dL/dw1 = {w2^T [(a2 - y) a2 (1 - a2)] * a1 (1 - a1)} x^T      (no extra factor a1)
# --------------------------------------------------------------------------------------


def homework_dL_dw2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw2 = (a2 - y) a2 (1 - a2) a1^T`` averaged over the batch, shape (n_out, h)."""
    m = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    output_error = (A2 - Y) * A2 * (1.0 - A2)             # (m, n_out)
    return output_error.T @ A1 / m


def homework_dL_db2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db2 = (a2 - y) a2 (1 - a2)`` averaged over the batch, shape (n_out,)."""
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    output_error = (A2 - Y) * A2 * (1.0 - A2)
    return output_error.mean(axis=0)


def homework_dL_db1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db1 = w2^T [(a2 - y) a2 (1 - a2)] * a1 (1 - a1)`` averaged over the batch, shape (h,)."""
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    output_error = (A2 - Y) * A2 * (1.0 - A2)             # (m, n_out)
    hidden_error = (output_error @ W2) * A1 * (1.0 - A1)  # (m, h)
    return hidden_error.mean(axis=0)


def homework_dL_dw1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw1 = {w2^T [(a2 - y) a2 (1 - a2)] * a1 (1 - a1)} x^T`` averaged, shape (h, n_in).

    The homework answer (003) multiplies this by an extra ``a1``; that factor is wrong.
    """
    m = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    output_error = (A2 - Y) * A2 * (1.0 - A2)
    hidden_error = (output_error @ W2) * A1 * (1.0 - A1)
    return hidden_error.T @ X / m


# --------------------------------------------------------------------------------------
# binary [000, 004]: sigmoid hidden, sigmoid output, binary cross-entropy
#   delta2 = a2 - y   (sigma' cancels against the log loss)
#   dL/dw2 = (a2 - y) a1^T,  dL/db2 = a2 - y
#   dL/db1 = w2^T (a2 - y) * a1 (1 - a1),  dL/dw1 = [w2^T (a2 - y) * a1 (1 - a1)] x^T
# --------------------------------------------------------------------------------------


def binary_dL_dw2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw2 = (a2 - y) a1^T`` averaged over the batch, shape (n_out, h)."""
    m = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    return (A2 - Y).T @ A1 / m


def binary_dL_db2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db2 = a2 - y`` averaged over the batch, shape (n_out,)."""
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    return (A2 - Y).mean(axis=0)


def binary_dL_db1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db1 = w2^T (a2 - y) * a1 (1 - a1)`` averaged over the batch, shape (h,)."""
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    hidden_error = ((A2 - Y) @ W2) * A1 * (1.0 - A1)
    return hidden_error.mean(axis=0)


def binary_dL_dw1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw1 = [w2^T (a2 - y) * a1 (1 - a1)] x^T`` averaged over the batch, shape (h, n_in)."""
    m = X.shape[0]
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    hidden_error = ((A2 - Y) @ W2) * A1 * (1.0 - A1)
    return hidden_error.T @ X / m


# --------------------------------------------------------------------------------------
# binary_relu: ReLU hidden, sigmoid output, binary cross-entropy
#   g'(z1) = 1 where z1 > 0 else 0 replaces a1 (1 - a1)
# --------------------------------------------------------------------------------------


def binary_relu_dL_dw2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw2 = (a2 - y) a1^T`` with ``a1 = relu(z1)``, averaged, shape (n_out, h)."""
    m = X.shape[0]
    A1 = relu(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    return (A2 - Y).T @ A1 / m


def binary_relu_dL_db2(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db2 = a2 - y`` with ``a1 = relu(z1)``, averaged, shape (n_out,)."""
    A1 = relu(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    return (A2 - Y).mean(axis=0)


def binary_relu_dL_db1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/db1 = w2^T (a2 - y) * [z1 > 0]``, averaged, shape (h,)."""
    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    hidden_error = ((A2 - Y) @ W2) * (Z1 > 0)
    return hidden_error.mean(axis=0)


def binary_relu_dL_dw1(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """``dL/dw1 = [w2^T (a2 - y) * [z1 > 0]] x^T``, averaged, shape (h, n_in)."""
    m = X.shape[0]
    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    hidden_error = ((A2 - Y) @ W2) * (Z1 > 0)
    return hidden_error.T @ X / m


# --------------------------------------------------------------------------------------
# The four gradients from one forward pass (assignment 3's graded questions), and the
# loss each differentiates. Order returned: (dW1, db1, dW2, db2).
# --------------------------------------------------------------------------------------
Gradients = tuple[Array, Array, Array, Array]


def _layer_gradients(X: Array, A1: Array, delta1: Array, delta2: Array) -> Gradients:
    """``(dW1, db1, dW2, db2)`` of the mean loss from the per-example errors of both layers."""
    m = X.shape[0]
    return delta1.T @ X / m, delta1.mean(axis=0), delta2.T @ A1 / m, delta2.mean(axis=0)


def regression_gradients(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Gradients:
    """Sigmoid hidden, linear output, MSE [000]: ``(dW1, db1, dW2, db2)`` of :func:`regression_loss`.

    Shapes: ``X`` (m, n_in), ``Y`` (m, n_out), ``W1`` (h, n_in), ``b1`` (h,), ``W2`` (n_out, h),
    ``b2`` (n_out,); each gradient is shaped like its parameter.
    """
    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2                                   # linear output
    delta2 = A2 - Y                                       # (m, n_out)
    delta1 = (delta2 @ W2) * A1 * (1.0 - A1)              # (m, h)
    return _layer_gradients(X, A1, delta1, delta2)


def homework_gradients(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Gradients:
    """Sigmoid hidden, sigmoid output, MSE [003]: ``(dW1, db1, dW2, db2)`` of :func:`homework_loss`.

    No extra factor ``a1`` in ``dW1`` (erratum of the notes' homework answer).
    """
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    delta2 = (A2 - Y) * A2 * (1.0 - A2)                   # sigma'(z2) = a2 (1 - a2)
    delta1 = (delta2 @ W2) * A1 * (1.0 - A1)
    return _layer_gradients(X, A1, delta1, delta2)


def binary_gradients(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Gradients:
    """Sigmoid hidden, one sigmoid output, BCE [000, 004]: ``(dW1, db1, dW2, db2)`` of :func:`binary_loss`."""
    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    delta2 = A2 - Y                                       # sigma' cancels against the log loss
    delta1 = (delta2 @ W2) * A1 * (1.0 - A1)
    return _layer_gradients(X, A1, delta1, delta2)


def binary_relu_gradients(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Gradients:
    """ReLU hidden, one sigmoid output, BCE: ``(dW1, db1, dW2, db2)`` of :func:`binary_relu_loss`.

    ``relu'(z1)`` is 1 where ``z1 > 0`` and 0 elsewhere (0 at 0, as :func:`nn_core.activations.relu_prime`).
    """
    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    delta2 = A2 - Y
    delta1 = (delta2 @ W2) * (Z1 > 0)
    return _layer_gradients(X, A1, delta1, delta2)


def regression_loss(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> float:
    """Mean over the rows of ``1/2 sum (y_hat - y)^2`` with ``y_hat = W2 sigmoid(W1 x + b1) + b2``."""
    return mse(sigmoid(X @ W1.T + b1) @ W2.T + b2, Y)


def homework_loss(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> float:
    """Mean over the rows of ``1/2 sum (y_hat - y)^2`` with ``y_hat = sigmoid(W2 sigmoid(W1 x + b1) + b2)``."""
    return mse(sigmoid(sigmoid(X @ W1.T + b1) @ W2.T + b2), Y)


def binary_loss(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> float:
    """Mean binary cross-entropy of ``p = sigmoid(W2 sigmoid(W1 x + b1) + b2)``."""
    return bce(sigmoid(sigmoid(X @ W1.T + b1) @ W2.T + b2), Y)


def binary_relu_loss(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> float:
    """Mean binary cross-entropy of ``p = sigmoid(W2 relu(W1 x + b1) + b2)``."""
    return bce(sigmoid(relu(X @ W1.T + b1) @ W2.T + b2), Y)


@dataclass(frozen=True)
class TwoLayerNetwork:
    """One of the notes' two-layer networks: its activations, loss, gradients and loss function."""

    hidden: str
    output: str
    loss: str
    gradients: Callable[..., Gradients]
    loss_value: Callable[..., float]


#: name -> network (the prefix of the question ids of assignment 3)
NETWORKS: dict[str, TwoLayerNetwork] = {
    "regression": TwoLayerNetwork("sigmoid", "linear", "mse", regression_gradients, regression_loss),
    "homework": TwoLayerNetwork("sigmoid", "sigmoid", "mse", homework_gradients, homework_loss),
    "binary": TwoLayerNetwork("sigmoid", "sigmoid", "bce", binary_gradients, binary_loss),
    "binary_relu": TwoLayerNetwork("relu", "sigmoid", "bce", binary_relu_gradients, binary_relu_loss),
}
