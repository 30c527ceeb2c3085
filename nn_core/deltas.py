"""The output error delta^L, its closed forms, and the hidden-layer recurrence.

Lecture notes: ``004_025caf30a44a08da.txt`` ("Back propagation using different loss
Function"): delta^L for MSE (``(a - y) * sigma'(z)``) versus cross-entropy with sigmoid or
softmax (``a - y``), and the hidden recurrence ``delta^l = (W^(l+1)^T delta^(l+1)) * g'(z^l)``.

Conventions (``docs/design.md``): delta is **per example**. Row ``i`` of ``delta^L`` is
``d loss_i / d z^L[i]``, shape ``(m, n_out)``, with no ``1/m`` (the ``1/m`` enters in
``dW = delta.T @ A_prev / m`` and ``db = delta.mean(axis=0)``, see
:func:`nn_core.network.layer_gradients`). In row form (one example per row) the
recurrence is ``delta^l = (delta^(l+1) @ W^(l+1)) * g'(Z^l)``.

* :func:`output_delta` is the general chain rule ``dloss/da * g'(z)`` (a Jacobian-vector
  product per row for softmax); it works for every (output, loss) pair.
* The closed forms ``delta_<loss>_<output>(A, Y)`` are what the notes derive by hand;
  ``CLOSED_FORM_DELTAS[(loss, output)]`` looks them up.
* ``VALID_PAIRINGS`` lists the ``(output, loss)`` pairs the course uses.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .activations import Activation, get_activation, sigmoid_prime_from_output
from .losses import Loss, get_loss

Array = np.ndarray

#: The (output activation, loss) pairs a network may use. Linear outputs go with the
#: regression losses, a sigmoid with MSE or BCE, softmax with categorical cross-entropy.
VALID_PAIRINGS: tuple[tuple[str, str], ...] = (
    ("linear", "mse"),
    ("linear", "huber"),
    ("linear", "pseudo_huber"),
    ("sigmoid", "mse"),
    ("sigmoid", "bce"),
    ("softmax", "cce"),
)


def output_delta(loss: str | Loss, output: str | Activation, Z: Array, A: Array, Y: Array) -> Array:
    """General output error ``delta^L = dloss/da * g'(z)``, per example (notes 004).

    Row ``i`` is ``J_g(z_i)^T (d loss_i / d a_i)``: for elementwise outputs that is
    ``dloss/da * g'(z)``; for softmax the per-row Jacobian product
    ``a * (dA - sum(dA * a))`` (see :func:`nn_core.activations.softmax_backward`).

    Parameters
    ----------
    loss : str or Loss, e.g. "cce"
    output : str or Activation, the output activation, e.g. "softmax"
    Z : ndarray, shape (m, n_out), output pre-activation ``z^L``
    A : ndarray, shape (m, n_out), output activation ``a^L = g(z^L)``
    Y : ndarray, shape (m, n_out), targets

    Returns
    -------
    ndarray, shape (m, n_out): ``d loss_i / d z^L[i]`` for each row ``i`` (no ``1/m``).
    """
    dA = get_loss(loss).derivative(A, Y)
    return get_activation(output).backward(Z, A, dA)


# --------------------------------------------------------------------------------------
# Closed forms of delta^L (each (A, Y[, c]) -> (m, n)); A is the output activation.
# --------------------------------------------------------------------------------------


def delta_mse_linear(A: Array, Y: Array) -> Array:
    """delta^L for MSE with a linear output: ``A - Y`` (notes 000: ``dL/db2 = a2 - y``).

    Parameters
    ----------
    A : ndarray, shape (m, n), output activation (= ``Z`` for a linear output)
    Y : ndarray, shape (m, n)

    Returns
    -------
    ndarray, shape (m, n)
    """
    return np.asarray(A, dtype=np.float64) - Y


def delta_mse_sigmoid(A: Array, Y: Array) -> Array:
    """delta^L for MSE with a sigmoid output: ``(A - Y) * A (1 - A)`` (notes 004 "Assumption").

    ``sigma'(z^L)`` is written with the output, ``a (1 - a)``, so ``Z`` is not needed.

    Parameters
    ----------
    A : ndarray, shape (m, n), sigmoid outputs
    Y : ndarray, shape (m, n)

    Returns
    -------
    ndarray, shape (m, n)
    """
    A = np.asarray(A, dtype=np.float64)
    return (A - Y) * sigmoid_prime_from_output(A)


def delta_bce_sigmoid(A: Array, Y: Array) -> Array:
    """delta^L for binary cross-entropy with a sigmoid output: ``A - Y`` (notes 004).

    ``(-y/a + (1-y)/(1-a)) * a(1-a) = a - y``: the sigmoid's derivative cancels.

    Parameters
    ----------
    A : ndarray, shape (m, n), sigmoid outputs
    Y : ndarray, shape (m, n), 0/1 targets

    Returns
    -------
    ndarray, shape (m, n)
    """
    return np.asarray(A, dtype=np.float64) - Y


def delta_cce_softmax(A: Array, Y: Array) -> Array:
    """delta^L for categorical cross-entropy with a softmax output: ``A - Y`` (notes 004).

    ``J(a)^T (-y/a) = -y + a * sum(y) = a - y`` when each row of ``Y`` sums to 1.

    Parameters
    ----------
    A : ndarray, shape (m, n), softmax outputs
    Y : ndarray, shape (m, n), one-hot rows

    Returns
    -------
    ndarray, shape (m, n)
    """
    return np.asarray(A, dtype=np.float64) - Y


def delta_huber_linear(A: Array, Y: Array, c: float = 1.0) -> Array:
    """delta^L for the Huber loss with a linear output: ``clip(A - Y, -c, c)``.

    Parameters
    ----------
    A : ndarray, shape (m, n)
    Y : ndarray, shape (m, n)
    c : float, the Huber threshold

    Returns
    -------
    ndarray, shape (m, n)
    """
    return np.clip(np.asarray(A, dtype=np.float64) - Y, -c, c)


def delta_pseudo_huber_linear(A: Array, Y: Array, c: float = 1.0) -> Array:
    """delta^L for the pseudo-Huber loss with a linear output: ``r / sqrt(1 + (r/c)^2)``, ``r = A - Y``.

    Parameters
    ----------
    A : ndarray, shape (m, n)
    Y : ndarray, shape (m, n)
    c : float

    Returns
    -------
    ndarray, shape (m, n)
    """
    r = np.asarray(A, dtype=np.float64) - Y
    return r / np.sqrt(1.0 + (r / c) ** 2)


#: Closed-form delta^L keyed by **(loss, output)** (note: the reverse order of
#: ``VALID_PAIRINGS``). Every valid pairing has one.
CLOSED_FORM_DELTAS: dict[tuple[str, str], Callable[..., Array]] = {
    ("mse", "linear"): delta_mse_linear,
    ("mse", "sigmoid"): delta_mse_sigmoid,
    ("bce", "sigmoid"): delta_bce_sigmoid,
    ("cce", "softmax"): delta_cce_softmax,
    ("huber", "linear"): delta_huber_linear,
    ("pseudo_huber", "linear"): delta_pseudo_huber_linear,
}


def check_pairing(output: str, loss: str) -> None:
    """Raise ValueError unless ``(output, loss)`` is in :data:`VALID_PAIRINGS`.

    The message lists the valid pairs, e.g. ``softmax + cce``.
    """
    get_activation(output)  # unknown names get their own message listing valid names
    get_loss(loss)
    if (output, loss) not in VALID_PAIRINGS:
        valid = ", ".join(f"{o} + {l}" for o, l in VALID_PAIRINGS)
        raise ValueError(
            f"output {output!r} does not go with loss {loss!r}; valid (output + loss) pairs: {valid}"
        )


def hidden_delta(delta_next: Array, W_next: Array, Z: Array, activation: str | Activation) -> Array:
    """Hidden-layer error ``delta^l = (delta^(l+1) @ W^(l+1)) * g'(Z^l)`` (notes 004, row form).

    Note 004 writes ``(w^{L+1} delta^{L+1}) * sigma'(z^L)`` for its ``W`` of shape
    ``(n_in, n_out)``; with the course's ``W`` of shape ``(n_out, n_in)`` the same product is
    ``W^T delta`` for column vectors, which in row form (one example per row) is ``delta @ W``
    (both conventions side by side: ``docs/errata.md``).

    Parameters
    ----------
    delta_next : ndarray, shape (m, n_(l+1)), delta of the next layer
    W_next : ndarray, shape (n_(l+1), n_l), weights of the next layer
    Z : ndarray, shape (m, n_l), pre-activation of this layer
    activation : str or Activation, this layer's (elementwise) activation

    Returns
    -------
    ndarray, shape (m, n_l)
    """
    g = get_activation(activation)
    if not g.is_elementwise:
        raise ValueError(f"hidden layers need an elementwise activation, not {g.name!r}")
    return (delta_next @ W_next) * g.prime(Z)
