"""A network as a list of layers, with softmax cross-entropy on top, and a training loop with any optimizer.

Each layer object holds its parameters in ``params`` (a dict of float64 arrays, empty for
ReLU, sigmoid and dropout) and has

* ``forward(x, training=True) -> (out, cache)``
* ``backward(dout, cache) -> (dx, grads)`` with ``grads`` a dict shaped like ``params``,

wrapping the functions of :mod:`nn_core.layers`. :class:`Sequential` chains them: its
``forward`` returns the scores and the list of caches, its ``backward`` walks the layers in
reverse. The loss is :func:`nn_core.layers.softmax_cross_entropy` of the scores, plus the L2
penalty of :mod:`nn_core.regularization` on every :class:`Dense` layer's ``W`` (biases and
batch norm's ``gamma`` and ``beta`` are not penalised).

``training=False`` switches dropout off and makes batch norm use its running averages.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from . import layers as F
from .initialisation import init_weights
from .optim import minibatches
from .optimizers import Optimizer
from .regularization import l2_gradient, l2_penalty

Array = np.ndarray
Grads = dict[str, Array]


class Layer:
    """Base class: no parameters; subclasses define ``forward`` and ``backward``."""

    def __init__(self) -> None:
        self.params: dict[str, Array] = {}

    def forward(self, x: Array, training: bool = True) -> tuple[Array, F.Cache]:
        """``x`` (m, n_in) -> ``(out, cache)`` with ``out`` of shape (m, n_out)."""
        raise NotImplementedError

    def backward(self, dout: Array, cache: F.Cache) -> tuple[Array, Grads]:
        """``dout`` (m, n_out) -> ``(dx, grads)``: dx (m, n_in), grads shaped like ``params``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}={v.shape}" for k, v in self.params.items())
        return f"{type(self).__name__}({shapes})"


class Dense(Layer):
    """Affine layer ``x @ W.T + b``; ``W`` (n_out, n_in), ``b`` (n_out,)."""

    def __init__(self, W: Array, b: Array):
        super().__init__()
        W, b = np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)
        if W.ndim != 2 or b.shape != (W.shape[0],):
            raise ValueError(f"W must be (n_out, n_in) and b (n_out,); got {W.shape} and {b.shape}")
        self.params = {"W": W, "b": b}

    @classmethod
    def create(cls, n_in: int, n_out: int, rng: np.random.Generator, scheme: str = "he") -> "Dense":
        """A new layer with weights from :func:`nn_core.initialisation.init_weights` and zero biases."""
        return cls(init_weights(n_in, n_out, scheme, rng), np.zeros(n_out))

    def forward(self, x: Array, training: bool = True) -> tuple[Array, F.Cache]:
        return F.linear_forward(x, self.params["W"], self.params["b"])

    def backward(self, dout: Array, cache: F.Cache) -> tuple[Array, Grads]:
        dx, dW, db = F.linear_backward(dout, cache)
        return dx, {"W": dW, "b": db}


class ReLU(Layer):
    """``max(0, x)``."""

    def forward(self, x: Array, training: bool = True) -> tuple[Array, F.Cache]:
        return F.relu_forward(x)

    def backward(self, dout: Array, cache: F.Cache) -> tuple[Array, Grads]:
        return F.relu_backward(dout, cache), {}


class Sigmoid(Layer):
    """The logistic sigmoid."""

    def forward(self, x: Array, training: bool = True) -> tuple[Array, F.Cache]:
        return F.sigmoid_forward(x)

    def backward(self, dout: Array, cache: F.Cache) -> tuple[Array, Grads]:
        return F.sigmoid_backward(dout, cache), {}


class Dropout(Layer):
    """Inverted dropout keeping each unit with probability ``keep_prob``; masks drawn from ``rng``.

    The mask of a training forward is in its cache (``cache[0]``), so a check can replay it.
    """

    def __init__(self, keep_prob: float, rng: np.random.Generator):
        super().__init__()
        if not 0.0 < keep_prob <= 1.0:
            raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
        self.keep_prob = float(keep_prob)
        self.rng = rng

    def forward(self, x: Array, training: bool = True) -> tuple[Array, F.Cache]:
        return F.dropout_forward(x, self.keep_prob, training, rng=self.rng)

    def backward(self, dout: Array, cache: F.Cache) -> tuple[Array, Grads]:
        return F.dropout_backward(dout, cache), {}

    def __repr__(self) -> str:
        return f"Dropout(keep_prob={self.keep_prob})"


class BatchNorm(Layer):
    """Batch normalisation of ``n`` features; ``gamma`` starts at 1, ``beta`` at 0.

    A training forward normalises with the batch statistics and updates the running averages
    ``running = momentum * running + (1 - momentum) * batch`` (CS231n's convention; PyTorch's
    ``momentum`` is our ``1 - momentum``). The running variance averages the batch variance
    with divisor m (PyTorch averages the unbiased one, divisor m - 1). An eval forward uses
    the running averages.
    """

    def __init__(self, n: int, momentum: float = 0.9, eps: float = F.BN_EPS):
        super().__init__()
        self.params = {"gamma": np.ones(n), "beta": np.zeros(n)}
        self.running_mean = np.zeros(n)
        self.running_var = np.ones(n)
        self.momentum, self.eps = float(momentum), float(eps)

    def forward(self, x: Array, training: bool = True) -> tuple[Array, F.Cache]:
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            return F.batchnorm_eval(x, gamma, beta, self.running_mean, self.running_var, self.eps), None
        out, cache = F.batchnorm_forward(x, gamma, beta, self.eps)
        mu, var = cache[3], cache[4]
        self.running_mean = self.momentum * self.running_mean + (1.0 - self.momentum) * mu
        self.running_var = self.momentum * self.running_var + (1.0 - self.momentum) * var
        return out, cache

    def backward(self, dout: Array, cache: F.Cache) -> tuple[Array, Grads]:
        if cache is None:
            raise ValueError("batch norm's backward needs the cache of a training forward")
        dx, dgamma, dbeta = F.batchnorm_backward(dout, cache)
        return dx, {"gamma": dgamma, "beta": dbeta}


class Sequential:
    """A network as a list of layers, scored by softmax cross-entropy plus an L2 penalty.

    Parameters
    ----------
    layers : list of :class:`Layer`, applied in order; the last one outputs the scores (m, C)
    """

    def __init__(self, layers: list[Layer]):
        self.layers = list(layers)

    def __repr__(self) -> str:
        return f"Sequential({self.layers!r})"

    def forward(self, x: Array, training: bool = True) -> tuple[Array, list[F.Cache]]:
        """Scores ``(m, C)`` for ``x`` ``(m, n_0)``, and one cache per layer."""
        caches = []
        out = np.asarray(x, dtype=np.float64)
        for layer in self.layers:
            out, cache = layer.forward(out, training)
            caches.append(cache)
        return out, caches

    def backward(self, dout: Array, caches: list[F.Cache]) -> tuple[Array, list[Grads]]:
        """Gradient ``dx`` (m, n_0) from ``dout`` (m, C), and each layer's ``grads`` dict, in layer order."""
        grads: list[Grads] = [{} for _ in self.layers]
        for k in range(len(self.layers) - 1, -1, -1):
            dout, grads[k] = self.layers[k].backward(dout, caches[k])
        return dout, grads

    def parameters(self) -> list[Array]:
        """Every parameter array (the live arrays, for an optimizer), layer by layer."""
        return [p for layer in self.layers for p in layer.params.values()]

    def dense_params(self) -> list[tuple[Array, Array]]:
        """``(W, b)`` of every :class:`Dense` layer, the ones L2 applies to."""
        return [(layer.params["W"], layer.params["b"]) for layer in self.layers if isinstance(layer, Dense)]

    def loss(self, X: Array, Y: Array, lam: float = 0.0, m: int | None = None, training: bool = False) -> float:
        """The objective ``softmax_cross_entropy(scores, Y) + lam / (2 m) sum ||W||^2`` (Dense layers).

        Parameters
        ----------
        X : ndarray, shape (m_batch, n_0)
        Y : ndarray, shape (m_batch, C), one-hot
        lam : float >= 0, L2 strength
        m : int or None, the ``m`` of the penalty (None: the batch's rows)
        training : bool, passed to every layer (eval mode by default)

        Returns
        -------
        float
        """
        m = X.shape[0] if m is None else int(m)
        loss, _ = F.softmax_cross_entropy(self.forward(X, training)[0], Y)
        return loss + l2_penalty(self.dense_params(), lam, m)

    def loss_and_gradients(self, X: Array, Y: Array, lam: float = 0.0,
                           m: int | None = None) -> tuple[float, list[Array]]:
        """:meth:`loss` in training mode and its gradient with respect to :meth:`parameters`.

        The L2 term adds ``(lam / m) W`` to each Dense layer's ``dW`` and nothing to any other
        parameter.

        Parameters
        ----------
        X, Y, lam, m : as :meth:`loss`

        Returns
        -------
        loss : float
        grads : list of ndarrays shaped like :meth:`parameters`, in the same order
        """
        m = X.shape[0] if m is None else int(m)
        scores, caches = self.forward(X, training=True)
        loss, dscores = F.softmax_cross_entropy(scores, Y)
        _, grads = self.backward(dscores, caches)
        dense_grads = [g for layer, g in zip(self.layers, grads) if isinstance(layer, Dense)]
        for g, (dW_l2, _) in zip(dense_grads, l2_gradient(self.dense_params(), lam, m)):
            g["W"] = g["W"] + dW_l2
        flat = [g[name] for layer, g in zip(self.layers, grads) for name in layer.params]
        return loss + l2_penalty(self.dense_params(), lam, m), flat

    def predict(self, X: Array) -> Array:
        """Class of each row (argmax of the eval-mode scores), shape (m,) int."""
        return np.argmax(self.forward(X, training=False)[0], axis=1)


def mlp(sizes: list[int], rng: np.random.Generator, batch_norm: bool = False, keep_prob: float = 1.0,
        scheme: str = "he") -> Sequential:
    """``Dense -> [BatchNorm] -> ReLU -> [Dropout]`` for each hidden layer, then a Dense scoring layer.

    Parameters
    ----------
    sizes : list of int, ``[n_0, hidden..., C]``
    rng : numpy Generator, draws the weights (layer order) and later the dropout masks
    batch_norm : bool, a BatchNorm after each hidden Dense
    keep_prob : float, a Dropout after each hidden ReLU when below 1
    scheme : str, the initialisation of the weights

    Returns
    -------
    Sequential
    """
    net: list[Layer] = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        net.append(Dense.create(n_in, n_out, rng, scheme))
        if k < len(sizes) - 2:
            net += [BatchNorm(n_out)] if batch_norm else []
            net.append(ReLU())
            net += [Dropout(keep_prob, rng)] if keep_prob < 1.0 else []
    return Sequential(net)


def fit(net: Sequential, X: Array, Y: Array, optimizer: Optimizer, epochs: int, batch_size: int | None = None,
        lam: float = 0.0, seed: int = 0) -> list[float]:
    """Train ``net`` in place with ``optimizer`` on shuffled mini-batches (full batch when None).

    The L2 penalty's ``m`` is the number of training rows, so every mini-batch gradient
    estimates the gradient of one objective (:mod:`nn_core.regularization`). The shuffling is
    :func:`nn_core.optim.minibatches` from ``np.random.default_rng(seed)``.

    Parameters
    ----------
    net : Sequential
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, C), one-hot
    optimizer : an :class:`nn_core.optimizers.Optimizer`, new (its state is for ``net``)
    epochs : int
    batch_size : int or None
    lam : float, L2 strength
    seed : int

    Returns
    -------
    list of ``epochs`` floats: the objective on all of ``(X, Y)`` in eval mode after each epoch
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    m = X.shape[0]
    rng = np.random.default_rng(seed)
    params = net.parameters()
    history = []
    for _ in range(epochs):
        batches: Iterator[Array] | list[slice] = [slice(None)] if batch_size is None else minibatches(m, batch_size, rng)
        for rows in batches:
            _, grads = net.loss_and_gradients(X[rows], Y[rows], lam, m)
            optimizer.step(params, grads)
        history.append(net.loss(X, Y, lam, m))
    return history


__all__ = ["BatchNorm", "Dense", "Dropout", "Layer", "ReLU", "Sequential", "Sigmoid", "fit", "mlp"]
