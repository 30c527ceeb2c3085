"""Update rules beyond plain gradient descent: SGD, momentum, RMSProp and Adam.

Each rule is written twice:

* a **pure step function** on one parameter array, its gradient and its explicit state,
  returning the new array and the new state (nothing is changed in place): the form a
  student implements and the grader compares;
* a small **optimizer object** (PyTorch's ``torch.optim`` style) that keeps the state of
  every array of a network and updates the arrays **in place** with those functions, so
  that layers holding their own parameters (:mod:`nn_core.sequential`) see the update.

The rules, for a parameter ``w`` with gradient ``g`` of the loss (any shape; for a layer
``W`` of shape ``(n_out, n_in)`` or ``b`` of shape ``(n_out,)``):

==========  ==========================================================================
SGD         ``w <- w - lr g``
momentum    ``v <- beta v + g``;  ``w <- w - lr v``  (PyTorch's form; ``v`` starts at 0.
            CS231n writes ``v <- beta v - lr g; w <- w + v``, the same steps for a fixed
            ``lr``; deeplearning.ai's ``v <- beta v + (1 - beta) g`` is the same with
            ``lr`` scaled by ``1 - beta``)
RMSProp     ``s <- rho s + (1 - rho) g^2``;  ``w <- w - lr g / (sqrt(s) + eps)``
Adam        ``t <- t + 1``; ``m <- beta1 m + (1 - beta1) g``; ``v <- beta2 v + (1 - beta2) g^2``;
            ``m_hat = m / (1 - beta1^t)``, ``v_hat = v / (1 - beta2^t)`` (bias correction:
            ``m`` and ``v`` start at 0, so early averages are too small by those factors);
            ``w <- w - lr m_hat / (sqrt(v_hat) + eps)``
==========  ==========================================================================

``eps`` is added **outside** the square root, as in Kingma & Ba (2015, Algorithm 1) and
PyTorch's ``RMSprop`` and ``Adam``; ``sqrt(v_hat + eps)`` is a different rule (it matters
while ``v_hat`` is about ``eps^2`` or smaller). Every default is PyTorch's.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

Array = np.ndarray
State = tuple[Array, ...]  # an optimizer's state for one parameter array


# --------------------------------------------------------------------------------------
# pure step functions on one array
# --------------------------------------------------------------------------------------


def sgd_step(w: Array, dw: Array, lr: float) -> Array:
    """Plain gradient descent: ``w - lr dw``.

    Parameters
    ----------
    w : ndarray, any shape, the parameter
    dw : ndarray, same shape, the gradient of the loss with respect to ``w``
    lr : float, the learning rate

    Returns
    -------
    ndarray, same shape: the new ``w``
    """
    return w - lr * dw


def momentum_step(w: Array, dw: Array, v: Array, lr: float, beta: float = 0.9) -> tuple[Array, Array]:
    """Gradient descent with momentum: ``v' = beta v + dw``, ``w' = w - lr v'``.

    Parameters
    ----------
    w : ndarray, any shape
    dw : ndarray, same shape, the gradient
    v : ndarray, same shape, the velocity (zeros before the first step)
    lr : float
    beta : float in [0, 1), the momentum (how much of the old velocity is kept)

    Returns
    -------
    w : ndarray, the new parameter
    v : ndarray, the new velocity
    """
    v = beta * v + dw
    return w - lr * v, v


def rmsprop_step(w: Array, dw: Array, s: Array, lr: float, rho: float = 0.99,
                 eps: float = 1e-8) -> tuple[Array, Array]:
    """RMSProp: ``s' = rho s + (1 - rho) dw^2``, ``w' = w - lr dw / (sqrt(s') + eps)``.

    Parameters
    ----------
    w : ndarray, any shape
    dw : ndarray, same shape
    s : ndarray, same shape, the running mean of squared gradients (zeros at first)
    lr : float
    rho : float in [0, 1), the decay of the running mean (PyTorch's ``alpha``)
    eps : float, added outside the square root

    Returns
    -------
    w : ndarray, the new parameter
    s : ndarray, the new running mean of squares
    """
    s = rho * s + (1.0 - rho) * dw * dw
    return w - lr * dw / (np.sqrt(s) + eps), s


def adam_step(w: Array, dw: Array, m: Array, v: Array, t: int, lr: float, beta1: float = 0.9,
              beta2: float = 0.999, eps: float = 1e-8) -> tuple[Array, Array, Array]:
    """Adam (Kingma & Ba, Algorithm 1): moment averages with bias correction.

    ``m' = beta1 m + (1 - beta1) dw``, ``v' = beta2 v + (1 - beta2) dw^2``,
    ``w' = w - lr (m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + eps)``.

    Parameters
    ----------
    w : ndarray, any shape
    dw : ndarray, same shape
    m : ndarray, same shape, the first moment (zeros at first)
    v : ndarray, same shape, the second moment (zeros at first)
    t : int >= 1, the number of this step (1 for the first), used by the bias correction
    lr : float
    beta1, beta2 : float in [0, 1), the decays of the two moments
    eps : float, added outside the square root

    Returns
    -------
    w : ndarray, the new parameter
    m : ndarray, the new first moment
    v : ndarray, the new second moment
    """
    if t < 1:
        raise ValueError(f"t counts steps from 1, got {t}")
    m = beta1 * m + (1.0 - beta1) * dw
    v = beta2 * v + (1.0 - beta2) * dw * dw
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# --------------------------------------------------------------------------------------
# optimizer objects: the state of every array, updates in place
# --------------------------------------------------------------------------------------


class Optimizer:
    """Updates a list of parameter arrays in place from their gradients, keeping per-array state.

    Subclasses give ``_step(w, dw, state) -> (new_w, new_state)``, with ``state`` a tuple of
    arrays shaped like ``w``, and ``_zero_state(w)``, the state before the first step.

    Attributes
    ----------
    lr : float
    state : list, one entry per parameter array (filled at the first :meth:`step`)
    t : int, the number of steps taken
    """

    def __init__(self, lr: float):
        if lr <= 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        self.lr = float(lr)
        self.state: list[State] = []
        self.t = 0

    def _zero_state(self, w: Array) -> State:
        return ()

    def _step(self, w: Array, dw: Array, state: State) -> tuple[Array, State]:
        raise NotImplementedError

    def step(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        """One update of every array of ``params`` (in place) from ``grads``.

        Parameters
        ----------
        params : sequence of float64 ndarrays (e.g. every ``W`` and ``b`` of a network, always
            in the same order), updated in place
        grads : sequence of ndarrays shaped like ``params``
        """
        if len(params) != len(grads):
            raise ValueError(f"{len(params)} parameter arrays but {len(grads)} gradients")
        if not self.state:
            self.state = [self._zero_state(w) for w in params]
        if len(self.state) != len(params):
            raise ValueError(f"this optimizer holds state for {len(self.state)} arrays, got {len(params)}")
        self.t += 1
        for i, (w, dw) in enumerate(zip(params, grads)):
            if w.shape != np.shape(dw):
                raise ValueError(f"parameter {i} has shape {w.shape} but its gradient {np.shape(dw)}")
            new_w, self.state[i] = self._step(w, np.asarray(dw, dtype=np.float64), self.state[i])
            w[...] = new_w

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in vars(self).items() if k not in ("state", "t"))
        return f"{type(self).__name__}({settings})"


class SGD(Optimizer):
    """Plain gradient descent, :func:`sgd_step` (``torch.optim.SGD(lr=lr)``)."""

    def _step(self, w: Array, dw: Array, state: State) -> tuple[Array, State]:
        return sgd_step(w, dw, self.lr), state


class Momentum(Optimizer):
    """Momentum, :func:`momentum_step`; state: the velocity ``v`` of each array
    (``torch.optim.SGD(lr=lr, momentum=beta)``)."""

    def __init__(self, lr: float, beta: float = 0.9):
        super().__init__(lr)
        self.beta = float(beta)

    def _zero_state(self, w: Array) -> State:
        return (np.zeros_like(w),)

    def _step(self, w: Array, dw: Array, state: State) -> tuple[Array, State]:
        w, v = momentum_step(w, dw, state[0], self.lr, self.beta)
        return w, (v,)


class RMSProp(Optimizer):
    """RMSProp, :func:`rmsprop_step`; state: the running mean of squares ``s``
    (``torch.optim.RMSprop(lr=lr, alpha=rho, eps=eps)``)."""

    def __init__(self, lr: float = 0.01, rho: float = 0.99, eps: float = 1e-8):
        super().__init__(lr)
        self.rho, self.eps = float(rho), float(eps)

    def _zero_state(self, w: Array) -> State:
        return (np.zeros_like(w),)

    def _step(self, w: Array, dw: Array, state: State) -> tuple[Array, State]:
        w, s = rmsprop_step(w, dw, state[0], self.lr, self.rho, self.eps)
        return w, (s,)


class Adam(Optimizer):
    """Adam, :func:`adam_step`; state: the moments ``m`` and ``v`` of each array and the
    step count ``t`` (``torch.optim.Adam(lr=lr, betas=(beta1, beta2), eps=eps)``)."""

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def _zero_state(self, w: Array) -> State:
        return (np.zeros_like(w), np.zeros_like(w))

    def _step(self, w: Array, dw: Array, state: State) -> tuple[Array, State]:
        w, m, v = adam_step(w, dw, state[0], state[1], self.t, self.lr, self.beta1, self.beta2, self.eps)
        return w, (m, v)


#: name -> optimizer class; every class takes ``lr`` first and has PyTorch's defaults.
OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSProp, "adam": Adam}


def get_optimizer(name: str, lr: float, **settings: float) -> Optimizer:
    """A new optimizer from :data:`OPTIMIZERS` by name.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names.
    """
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; valid names: {', '.join(OPTIMIZERS)}") from None
    return cls(lr, **settings)


__all__ = ["OPTIMIZERS", "Adam", "Momentum", "Optimizer", "RMSProp", "SGD", "adam_step", "get_optimizer",
           "momentum_step", "rmsprop_step", "sgd_step"]
