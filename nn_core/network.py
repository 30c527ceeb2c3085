"""Fully connected networks: shapes, initialisation, forward pass, backpropagation, MLP.

Lecture notes: ``002_c5b9639f8f65441b.txt`` section "3. Feed forward" (``z = W x + b``,
layer shapes and parameter counts for 5 -> 10 -> 20 -> 3) and section "4. Back
propagation" (chain rule over n layers, gradient descent); ``004_025caf30a44a08da.txt``
(delta^L, the hidden recurrence, ``dL/db = delta``, ``dL/dW``, the vectorised form over m
examples).

Conventions (``docs/design.md``): ``sizes = [n_0, n_1, ..., n_L]`` lists the layer widths
with ``n_0`` the input dimension. ``params[k] = (W, b)`` with ``W`` of shape
``(n_(k+1), n_k)`` and ``b`` of shape ``(n_(k+1),)``. A batch ``X`` is ``(m, n_0)``, one
example per row, and ``Z = X @ W.T + b``. Layer ``k`` (0-based over ``params``) maps
``A[k]`` to ``A[k+1] = g(Z[k])``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import HIDDEN_ACTIVATIONS, get_activation
from .deltas import CLOSED_FORM_DELTAS, check_pairing, hidden_delta, output_delta
from .gradcheck import relative_error
from .losses import get_loss

Array = np.ndarray
Params = list[tuple[Array, Array]]


# --------------------------------------------------------------------------------------
# shapes and initialisation
# --------------------------------------------------------------------------------------


def layer_shapes(sizes: list[int]) -> list[tuple[tuple[int, int], tuple[int]]]:
    """Shapes ``((n_out, n_in), (n_out,))`` of each layer's ``(W, b)`` (notes 002, section 3).

    Example from the notes: ``layer_shapes([5, 10, 20, 3]) ==
    [((10, 5), (10,)), ((20, 10), (20,)), ((3, 20), (3,))]``.

    Parameters
    ----------
    sizes : list of int, length L + 1, the widths of input, hidden and output layers

    Returns
    -------
    list of L tuples ``((n_out, n_in), (n_out,))``
    """
    sizes = [int(n) for n in sizes]
    return [((n_out, n_in), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def param_count(sizes: list[int]) -> int:
    """Number of weights and biases, ``sum(n_out * n_in + n_out)`` (notes 002, section 3).

    Example from the notes: ``param_count([5, 10, 20, 3]) == (50 + 10) + (200 + 20) + (60 + 3) == 343``.

    Parameters
    ----------
    sizes : list of int

    Returns
    -------
    int
    """
    return sum(n_out * n_in + n_out for (n_out, n_in), _ in layer_shapes(sizes))


def init_params(sizes: list[int], seed: int = 0, hidden: str = "relu") -> Params:
    """Random weights, zero biases.

    He initialisation (normal, std ``sqrt(2 / n_in)``) for ReLU-family hidden layers,
    Xavier/Glorot (normal, std ``sqrt(2 / (n_in + n_out))``) otherwise. Draws come from
    ``np.random.default_rng(seed)`` in layer order, so a seed fixes every weight.

    Parameters
    ----------
    sizes : list of int
    seed : int
    hidden : str, the hidden activation's name (chooses the scale)

    Returns
    -------
    list of ``(W, b)``: W shape (n_out, n_in), b shape (n_out,), float64
    """
    rng = np.random.default_rng(seed)
    he = hidden in ("relu", "leaky_relu")
    params: Params = []
    for (n_out, n_in), _ in layer_shapes(sizes):
        std = np.sqrt(2.0 / n_in) if he else np.sqrt(2.0 / (n_in + n_out))
        W = rng.normal(0.0, std, size=(n_out, n_in))
        b = np.zeros(n_out)
        params.append((W, b))
    return params


# --------------------------------------------------------------------------------------
# forward
# --------------------------------------------------------------------------------------


def dense_forward(X: Array, W: Array, b: Array) -> Array:
    """Affine map of a batch: ``Z = X @ W.T + b`` (the notes' ``z = W x + b``, row per example).

    Parameters
    ----------
    X : ndarray, shape (m, n_in)
    W : ndarray, shape (n_out, n_in)
    b : ndarray, shape (n_out,)

    Returns
    -------
    ndarray, shape (m, n_out)
    """
    return np.asarray(X, dtype=np.float64) @ W.T + b


class Cache(NamedTuple):
    """What the forward pass keeps for backpropagation.

    Attributes
    ----------
    Z : list of L arrays; ``Z[k]`` has shape (m, n_(k+1)), the pre-activation of layer k+1.
    A : list of L + 1 arrays; ``A[0] = X`` (m, n_0) and ``A[k+1] = g(Z[k])`` (m, n_(k+1)).
        ``A[-1]`` is the network's output.
    """

    Z: list[Array]
    A: list[Array]


def forward(params: Params, X: Array, hidden: str = "relu", output: str = "softmax") -> Cache:
    """Forward pass through all layers (notes 002, section 3: ``z^l = W h^(l-1) + b, h^l = g(z^l)``).

    Parameters
    ----------
    params : list of L ``(W, b)``
    X : ndarray, shape (m, n_0)
    hidden : str, activation of the hidden layers
    output : str, activation of the last layer

    Returns
    -------
    Cache with ``Z`` (L arrays) and ``A`` (L + 1 arrays, ``A[0] = X``).
    """
    g_hidden = get_activation(hidden)
    g_output = get_activation(output)
    A = [np.asarray(X, dtype=np.float64)]
    Z: list[Array] = []
    for k, (W, b) in enumerate(params):
        g = g_output if k == len(params) - 1 else g_hidden
        Z.append(dense_forward(A[-1], W, b))
        A.append(g.fn(Z[-1]))
    return Cache(Z=Z, A=A)


# --------------------------------------------------------------------------------------
# backward
# --------------------------------------------------------------------------------------


def layer_gradients(delta: Array, A_prev: Array) -> tuple[Array, Array]:
    """Gradients of the mean loss for one layer from its per-example delta (notes 004, m examples).

    ``dW = delta.T @ A_prev / m`` (the notes' ``a^(L-1) . delta^L`` misses the ``1/m``) and
    ``db = (1/m) np.sum(delta, axis=0)``.

    Parameters
    ----------
    delta : ndarray, shape (m, n_out)
    A_prev : ndarray, shape (m, n_in), the layer's input

    Returns
    -------
    dW : ndarray, shape (n_out, n_in)
    db : ndarray, shape (n_out,)
    """
    m = delta.shape[0]
    return delta.T @ A_prev / m, delta.mean(axis=0)


def gradient_errors(analytic: list[tuple[Array, Array]],
                    numeric: list[tuple[Array, Array]]) -> list[tuple[float, float]]:
    """Per layer, the relative errors of ``dW`` and ``db`` between two lists of gradients.

    Each error is :func:`nn_core.gradcheck.relative_error`, ``max |a - n| / max(|a| + |n|)``
    over the entries (0.0 when both are all zero): how a gradient check tells which layer,
    and which parameter of it, a backpropagation gets wrong.

    Parameters
    ----------
    analytic, numeric : lists of L tuples ``(dW, db)`` with the shapes of the parameters

    Returns
    -------
    list of L tuples ``(err_W, err_b)`` of floats, in layer order
    """
    return [(relative_error(dW, nW), relative_error(db, nb))
            for (dW, db), (nW, nb) in zip(analytic, numeric)]


def _delta_L(loss: str, output: str, Z: Array, A: Array, Y: Array) -> Array:
    """delta^L, shape (m, n_out): the closed form when the notes give one, else the general form.

    The closed forms are also numerically better: for BCE+sigmoid and CCE+softmax
    ``a - y`` avoids dividing by a saturated ``a (1 - a)``.
    """
    closed_form = CLOSED_FORM_DELTAS.get((loss, output))
    if closed_form is not None:
        return closed_form(A, Y)
    return output_delta(loss, output, Z, A, Y)


def backward(
    params: Params, cache: Cache, Y: Array, hidden: str = "relu", output: str = "softmax", loss: str = "cce"
) -> Params:
    """Backpropagation for a batch, vectorised over its m rows (notes 004, "For m examples").

    delta^L from the output pairing, then for each earlier layer
    ``delta^l = (delta^(l+1) @ W^(l+1)) * g'(Z^l)``; each layer's gradient is
    :func:`layer_gradients`. Returns the gradient of the **mean** loss.

    Parameters
    ----------
    params : list of L ``(W, b)``
    cache : Cache from :func:`forward` on the same params and batch
    Y : ndarray, shape (m, n_L), targets
    hidden, output, loss : str, names as in the registries

    Returns
    -------
    list of L ``(dW, db)`` shaped like ``params``
    """
    Y = np.asarray(Y, dtype=np.float64)
    L = len(params)
    grads: Params = [None] * L  # type: ignore[list-item]
    delta = _delta_L(loss, output, cache.Z[-1], cache.A[-1], Y)          # (m, n_L)
    for k in range(L - 1, -1, -1):
        grads[k] = layer_gradients(delta, cache.A[k])
        if k > 0:
            W_k = params[k][0]
            delta = hidden_delta(delta, W_k, cache.Z[k - 1], hidden)      # (m, n_k)
    return grads


def backward_single(
    params: Params, x: Array, y: Array, hidden: str = "relu", output: str = "softmax", loss: str = "cce"
) -> Params:
    """Backpropagation for one example in the notes' column-vector form (notes 004, "For 1 example").

    ``z^l = W^l a^(l-1) + b^l``; ``delta^L`` from the output pairing;
    ``delta^l = (W^(l+1))^T delta^(l+1) * g'(z^l)``; ``dW^l = delta^l (a^(l-1))^T``;
    ``db^l = delta^l``. Equal to :func:`backward` with ``m = 1``.

    Parameters
    ----------
    params : list of L ``(W, b)``
    x : ndarray, shape (n_0,)
    y : ndarray, shape (n_L,)
    hidden, output, loss : str

    Returns
    -------
    list of L ``(dW, db)``: dW shape (n_out, n_in), db shape (n_out,)
    """
    g_hidden = get_activation(hidden)
    g_output = get_activation(output)
    L = len(params)
    # forward with column vectors, shape (n, 1)
    a = [np.asarray(x, dtype=np.float64).reshape(-1, 1)]
    z = []
    for k, (W, b) in enumerate(params):
        g = g_output if k == L - 1 else g_hidden
        z.append(W @ a[-1] + b.reshape(-1, 1))
        a.append(g.fn(z[-1].T).T)  # activations work on rows; softmax needs the row form
    y_col = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    delta = _delta_L(loss, output, z[-1].T, a[-1].T, y_col.T).T            # (n_L, 1)
    grads: Params = [None] * L  # type: ignore[list-item]
    for k in range(L - 1, -1, -1):
        grads[k] = (delta @ a[k].T, delta.ravel())                           # dW = delta a^T
        if k > 0:
            W_k = params[k][0]
            delta = (W_k.T @ delta) * g_hidden.prime(z[k - 1])               # (n_k, 1)
    return grads


# --------------------------------------------------------------------------------------
# the network object
# --------------------------------------------------------------------------------------


class MLP:
    """A fully connected network: ``sizes`` widths, one hidden activation, an output/loss pair.

    Parameters
    ----------
    sizes : list of int, ``[n_in, hidden..., n_out]``
    hidden : str, one of ``HIDDEN_ACTIVATIONS`` (sigmoid, tanh, relu, leaky_relu, linear)
    output : str, output activation; ``(output, loss)`` must be in ``nn_core.deltas.VALID_PAIRINGS``
    loss : str, a key of ``LOSSES``
    seed : int, for :func:`init_params`

    Attributes
    ----------
    params : list of ``(W, b)``, W shape (n_out, n_in), b shape (n_out,)

    Raises
    ------
    ValueError
        For an unknown name or an invalid (output, loss) pairing; the message lists the
        valid choices.
    """

    def __init__(
        self,
        sizes: list[int],
        hidden: str = "relu",
        output: str = "softmax",
        loss: str = "cce",
        seed: int = 0,
    ):
        if len(sizes) < 2 or any(int(n) < 1 for n in sizes):
            raise ValueError(f"sizes must list at least two positive widths, got {sizes!r}")
        if hidden not in HIDDEN_ACTIVATIONS:
            raise ValueError(
                f"unknown hidden activation {hidden!r}; valid names: {', '.join(HIDDEN_ACTIVATIONS)}"
            )
        check_pairing(output, loss)
        self.sizes = [int(n) for n in sizes]
        self.hidden = hidden
        self.output = output
        self.loss_name = loss
        self.params: Params = init_params(self.sizes, seed=seed, hidden=hidden)

    def __repr__(self) -> str:
        return (
            f"MLP({self.sizes}, hidden={self.hidden!r}, output={self.output!r}, loss={self.loss_name!r})"
        )

    def forward(self, X: Array) -> Array:
        """Network output ``A^L``, shape (m, n_out), for a batch ``X`` of shape (m, n_in)."""
        return forward(self.params, X, self.hidden, self.output).A[-1]

    def loss(self, X: Array, Y: Array) -> float:
        """Mean loss over the rows of ``X`` (m, n_in) with targets ``Y`` (m, n_out)."""
        return get_loss(self.loss_name).value(self.forward(X), Y)

    def gradients(self, X: Array, Y: Array) -> Params:
        """Gradient of :meth:`loss` w.r.t. every parameter: list of ``(dW, db)`` like ``params``."""
        cache = forward(self.params, X, self.hidden, self.output)
        return backward(self.params, cache, Y, self.hidden, self.output, self.loss_name)

    def fit(
        self, X: Array, Y: Array, epochs: int, lr: float, batch_size: int | None = None, seed: int = 0,
        drop_last: bool = False,
    ) -> list[float]:
        """Mini-batch gradient descent (full batch when ``batch_size`` is None).

        Updates ``self.params`` and returns the loss on ``(X, Y)`` after each epoch. See
        :func:`nn_core.optim.train`.
        """
        from .optim import train  # optim works on any model; imported here to avoid a cycle

        return train(self, X, Y, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, drop_last=drop_last)

    def predict(self, X: Array) -> Array:
        """Predictions for a batch ``X`` (m, n_in).

        Returns
        -------
        ndarray: class indices (m,) int for softmax (argmax of each row); 0/1 labels
        (m, 1) int for one sigmoid unit (``a >= 0.5``); the raw output (m, n_out) otherwise.
        """
        A = self.forward(X)
        if self.output == "softmax":
            return np.argmax(A, axis=1)
        if self.output == "sigmoid" and A.shape[1] == 1:
            return (A >= 0.5).astype(int)
        return A


__all__ = [
    "Cache",
    "MLP",
    "backward",
    "backward_single",
    "dense_forward",
    "forward",
    "gradient_errors",
    "init_params",
    "layer_gradients",
    "layer_shapes",
    "param_count",
]
