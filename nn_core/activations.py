"""Activation functions, their derivatives, maxout and softmax.

Lecture notes: ``002_c5b9639f8f65441b.txt`` section "1. Activation Functions" (sigmoid,
tanh = 2 sigmoid(2x) - 1, ReLU, leaky ReLU max(x, 0.1x), maxout max(W1 x, W2 x)),
section "2. Output function" (softmax) and section "5. Derivatives of Activation
Functions" (sigmoid and softmax derivatives). See ``docs/errata.md`` for the places
where those sections are wrong.

Every elementwise function takes an array ``z`` of any shape and returns an array of the
same shape. ``softmax`` works row-wise on a batch ``Z`` of shape ``(m, n)``.

The registry ``ACTIVATIONS`` maps a name ("sigmoid", "tanh", "relu", "leaky_relu",
"linear", "softmax") to an :class:`Activation` with ``.fn(Z)``, ``.prime(Z)`` and
``.backward(Z, A, dA) -> dZ``; the network code looks activations up there by name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray

# --------------------------------------------------------------------------------------
# sigmoid
# --------------------------------------------------------------------------------------


def sigmoid(z: Array) -> Array:
    """Logistic sigmoid ``1 / (1 + exp(-z))``, elementwise (notes 002, section 1).

    Computed without overflow for any finite ``z`` (e.g. +-1000): only ``exp(-|z|)``
    is ever evaluated, which lies in ``(0, 1]``. For ``z >= 0`` we use
    ``1 / (1 + exp(-z))``; for ``z < 0`` the equal form ``exp(z) / (1 + exp(z))``
    (the notes give both forms).

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in ``[0, 1]``.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # in (0, 1]; underflows to 0.0 (silently) for |z| > ~745
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: Array) -> Array:
    """Derivative of the sigmoid, ``sigmoid(z) * (1 - sigmoid(z))`` (notes 002, section 5).

    The notes' derivation writes ``(1 + e^{z})`` where ``(1 + e^{-z})`` is meant; the
    result ``y(1 - y)`` is right (see ``docs/errata.md``).

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def sigmoid_prime_from_output(a: Array) -> Array:
    """Sigmoid derivative written with the output ``a = sigmoid(z)``: ``a * (1 - a)``.

    This is the form the notes use in backpropagation (000: ``a_1 (1 - a_1)``;
    004: ``da/dz = a(1 - a)``).

    Parameters
    ----------
    a : ndarray, any shape, a sigmoid output

    Returns
    -------
    ndarray, same shape as ``a``.
    """
    a = np.asarray(a, dtype=np.float64)
    return a * (1.0 - a)


# --------------------------------------------------------------------------------------
# tanh
# --------------------------------------------------------------------------------------


def tanh(z: Array) -> Array:
    """Hyperbolic tangent ``(e^z - e^-z) / (e^z + e^-z)``, elementwise (notes 002, section 1).

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in ``[-1, 1]``.
    """
    return np.tanh(np.asarray(z, dtype=np.float64))


def tanh_prime(z: Array) -> Array:
    """Derivative of tanh, ``1 - tanh(z)**2``.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    t = tanh(z)
    return 1.0 - t * t


def tanh_via_sigmoid(z: Array) -> Array:
    """tanh written with the sigmoid, ``2 * sigmoid(2 z) - 1`` (notes 002, section 1).

    Equal to :func:`tanh` up to rounding; kept to exercise the identity.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    return 2.0 * sigmoid(2.0 * np.asarray(z, dtype=np.float64)) - 1.0


# --------------------------------------------------------------------------------------
# ReLU and leaky ReLU
# --------------------------------------------------------------------------------------


def relu(z: Array) -> Array:
    """Rectified linear unit ``max(0, z)``, elementwise (notes 002, section 1).

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, 0.0)


def relu_prime(z: Array) -> Array:
    """Derivative of ReLU: 1 where ``z > 0``, else 0. By convention ``relu_prime(0) = 0``.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray of 0.0 / 1.0, same shape as ``z``.
    """
    z = np.asarray(z, dtype=np.float64)
    return (z > 0).astype(np.float64)


def leaky_relu(z: Array, slope: float = 0.1) -> Array:
    """Leaky ReLU: ``z`` where ``z > 0``, else ``slope * z`` (notes 002: ``max(x, 0.1x)``).

    For ``0 <= slope <= 1`` this equals the notes' ``max(z, slope * z)``.

    Parameters
    ----------
    z : ndarray, any shape
    slope : float, the slope for negative ``z`` (0.1 in the notes)

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, slope * z)


def leaky_relu_prime(z: Array, slope: float = 0.1) -> Array:
    """Derivative of leaky ReLU: 1 where ``z > 0``, else ``slope``; ``leaky_relu_prime(0) = slope``.

    Parameters
    ----------
    z : ndarray, any shape
    slope : float

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, 1.0, slope)


# --------------------------------------------------------------------------------------
# linear (identity) output
# --------------------------------------------------------------------------------------


def linear(z: Array) -> Array:
    """Identity activation, used for regression outputs (notes 000: "linear function").

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, a float64 copy of ``z``.
    """
    return np.array(z, dtype=np.float64, copy=True)


def linear_prime(z: Array) -> Array:
    """Derivative of the identity: ones shaped like ``z``.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray of ones, same shape as ``z``.
    """
    return np.ones_like(np.asarray(z, dtype=np.float64))


# --------------------------------------------------------------------------------------
# maxout
# --------------------------------------------------------------------------------------


def maxout(X: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> Array:
    """Maxout with two pieces: ``max(X W1^T + b1, X W2^T + b2)``, elementwise.

    The notes (002, section 1) write ``max(W1 x, W2 x)`` without biases; with zero
    biases the two agree.

    Parameters
    ----------
    X : ndarray, shape (m, n_in)
    W1, W2 : ndarray, shape (n_out, n_in)
    b1, b2 : ndarray, shape (n_out,)

    Returns
    -------
    ndarray, shape (m, n_out)
    """
    Z1 = X @ W1.T + b1
    Z2 = X @ W2.T + b2
    return np.maximum(Z1, Z2)


def maxout_backward(
    X: Array, W1: Array, b1: Array, W2: Array, b2: Array, dOut: Array
) -> tuple[Array, Array, Array, Array, Array]:
    """Backward pass of :func:`maxout`: the gradient flows through the larger piece only.

    Given ``dOut = d f / d out`` for some scalar ``f`` of ``out = maxout(X, ...)``, return
    the gradients of ``f``. Where the two pieces tie, the gradient goes to piece 1 (a valid
    subgradient). No ``1/m`` is applied here: if ``f`` is a mean over rows, ``dOut``
    already carries it.

    Parameters
    ----------
    X : ndarray, shape (m, n_in)
    W1, W2 : ndarray, shape (n_out, n_in)
    b1, b2 : ndarray, shape (n_out,)
    dOut : ndarray, shape (m, n_out)

    Returns
    -------
    dX : ndarray, shape (m, n_in)
    dW1 : ndarray, shape (n_out, n_in)
    db1 : ndarray, shape (n_out,)
    dW2 : ndarray, shape (n_out, n_in)
    db2 : ndarray, shape (n_out,)
    """
    Z1 = X @ W1.T + b1
    Z2 = X @ W2.T + b2
    first_wins = Z1 >= Z2                       # (m, n_out)
    dZ1 = np.where(first_wins, dOut, 0.0)       # (m, n_out)
    dZ2 = np.where(first_wins, 0.0, dOut)       # (m, n_out)
    dX = dZ1 @ W1 + dZ2 @ W2
    dW1 = dZ1.T @ X
    dW2 = dZ2.T @ X
    db1 = dZ1.sum(axis=0)
    db2 = dZ2.sum(axis=0)
    return dX, dW1, db1, dW2, db2


# --------------------------------------------------------------------------------------
# softmax
# --------------------------------------------------------------------------------------


def softmax(Z: Array) -> Array:
    """Softmax ``y_i = e^{z_i} / sum_k e^{z_k}`` along the last axis (notes 002, section 2).

    Stable for any finite input (e.g. entries of size 1e4): the row maximum is subtracted
    first, which does not change the result (softmax is invariant to adding a constant to
    a row) and keeps every exponent ``<= 0``.

    Worked example of the notes: ``softmax([1, 2, 3]) = [0.090, 0.245, 0.665]`` (the notes'
    ``0.002, 0.02`` is wrong, see ``docs/errata.md``).

    Parameters
    ----------
    Z : ndarray, shape (m, n) (one example per row) or (n,) for a single example

    Returns
    -------
    ndarray, same shape as ``Z``; each row is positive and sums to 1.
    """
    Z = np.asarray(Z, dtype=np.float64)
    shifted = Z - Z.max(axis=-1, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=-1, keepdims=True)


def softmax_jacobian(a: Array) -> Array:
    """Jacobian ``d a_i / d z_j = a_i (delta_ij - a_j)`` of softmax, for one example.

    Diagonal ``a_i (1 - a_i)`` (the notes' 002 section 5 formula) and off-diagonal
    ``-a_i a_j`` (missing from the notes, see ``docs/errata.md``): ``diag(a) - a a^T``.

    Parameters
    ----------
    a : ndarray, shape (n,), a softmax output

    Returns
    -------
    ndarray, shape (n, n), symmetric, every row sums to 0.
    """
    a = np.asarray(a, dtype=np.float64)
    return np.diag(a) - np.outer(a, a)


def softmax_backward(A: Array, dA: Array) -> Array:
    """Vector-Jacobian product of softmax for each row: ``dZ[i] = J(A[i])^T dA[i]``.

    With ``J = diag(a) - a a^T`` (symmetric) this is ``a * (dA - sum(dA * a))`` per row,
    computed without forming the ``(n, n)`` Jacobians.

    Parameters
    ----------
    A : ndarray, shape (m, n), softmax outputs
    dA : ndarray, shape (m, n), gradient with respect to ``A``

    Returns
    -------
    ndarray, shape (m, n), gradient with respect to the softmax input ``Z``.
    """
    return A * (dA - np.sum(dA * A, axis=1, keepdims=True))


# --------------------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation function with what backpropagation needs of it.

    Attributes
    ----------
    name : str
    fn : callable, ``Z (m, n) -> A (m, n)``
    prime : callable or None, ``Z (m, n) -> g'(Z) (m, n)`` elementwise; None for softmax,
        whose derivative is a Jacobian per row rather than an elementwise function.
    vjp : callable or None, ``(A, dA) -> dZ`` for activations without an elementwise
        ``prime`` (softmax).
    """

    name: str
    fn: Callable[[Array], Array]
    prime: Callable[[Array], Array] | None
    vjp: Callable[[Array, Array], Array] | None = None

    @property
    def is_elementwise(self) -> bool:
        """True when ``g'(z)`` is elementwise (every activation except softmax)."""
        return self.prime is not None

    def backward(self, Z: Array, A: Array, dA: Array) -> Array:
        """Gradient with respect to ``Z`` given ``dA``, the gradient with respect to ``A = fn(Z)``.

        Elementwise activations: ``dA * g'(Z)``. Softmax: the Jacobian-vector product
        :func:`softmax_backward` per row.

        Parameters
        ----------
        Z : ndarray, shape (m, n), the pre-activation
        A : ndarray, shape (m, n), ``fn(Z)``
        dA : ndarray, shape (m, n)

        Returns
        -------
        ndarray, shape (m, n)
        """
        if self.prime is not None:
            return dA * self.prime(Z)
        return self.vjp(A, dA)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_prime),
    "linear": Activation("linear", linear, linear_prime),
    "softmax": Activation("softmax", softmax, None, vjp=softmax_backward),
}

#: Activations usable in hidden layers (elementwise, so that delta^l = (delta^(l+1) W) * g'(Z)).
HIDDEN_ACTIVATIONS: tuple[str, ...] = tuple(
    name for name, activation in ACTIVATIONS.items() if activation.is_elementwise
)


def get_activation(name_or_activation: str | Activation) -> Activation:
    """Look an activation up in :data:`ACTIVATIONS`; an :class:`Activation` is passed through.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names.
    """
    if isinstance(name_or_activation, Activation):
        return name_or_activation
    try:
        return ACTIVATIONS[name_or_activation]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name_or_activation!r}; valid names: {', '.join(ACTIVATIONS)}"
        ) from None
