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

Corrections to the notes (see ``docs/errata.md``): 000 writes ``dL/dw2 = (a1 - y) a1^T``
(it is ``(a2 - y) a1^T``) and mixes ``L = (y - y_hat)^2`` with ``L = 1/2 (...)^2``; 003
writes ``z1 = w1 + b1`` (it is ``w1 x + b1``) and multiplies ``dL/dw1`` by an extra ``a1``.
"""
from __future__ import annotations

import numpy as np

from .activations import relu, sigmoid

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
