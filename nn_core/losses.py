"""Loss functions as objects (Nielsen's network2.py style) and as plain functions.

Lecture notes: ``002_c5b9639f8f65441b.txt`` section "6. Loss functions" (MSE, Huber,
pseudo-Huber, cross-entropy with its worked examples), ``000_d68e1efb555bcca0.txt``
(log loss) and ``004_025caf30a44a08da.txt`` (binary and categorical cross-entropy).

Conventions (``docs/design.md``): ``Y_hat`` and ``Y`` have shape ``(m, n)``, one example
per row. The *per-example* loss sums over the ``n`` output units; the *value* of a loss is
the **mean over the m rows**. So

* ``per_example(Y_hat, Y) -> (m,)``
* ``value(Y_hat, Y) = per_example(Y_hat, Y).mean()``
* ``derivative(Y_hat, Y) -> (m, n)``: row ``i`` is ``d loss_i / d y_hat_i`` (no ``1/m``)
* ``gradient(Y_hat, Y) = derivative(Y_hat, Y) / m``: the gradient of ``value``.

Each :class:`Loss` subclass writes down its ``per_example`` and ``derivative`` formulas;
the registry ``LOSSES`` maps names ("mse", "huber", "pseudo_huber", "bce", "cce") to
instances. The plain functions (``mse``, ``mse_gradient``, ...) are the graded
signatures and call the objects.
"""
from __future__ import annotations

import numpy as np

Array = np.ndarray

#: Predictions are clipped to ``[EPS, 1 - EPS]`` inside BCE and CCE, so that ``log`` and
#: the divisions stay finite when a prediction is exactly 0 or 1.
EPS: float = 1e-12


def _as_pair(Y_hat: Array, Y: Array) -> tuple[Array, Array]:
    """Return ``(Y_hat, Y)`` as float64 arrays of the same 2-d shape ``(m, n)``."""
    Y_hat = np.asarray(Y_hat, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if Y_hat.ndim != 2 or Y_hat.shape != Y.shape:
        raise ValueError(
            f"Y_hat and Y must both have shape (m, n); got {Y_hat.shape} and {Y.shape}"
        )
    return Y_hat, Y


class Loss:
    """A loss: subclasses define ``per_example`` and ``derivative``; the rest follows.

    Attributes
    ----------
    name : str, the key in :data:`LOSSES`
    """

    name: str = ""

    def per_example(self, Y_hat: Array, Y: Array) -> Array:
        """Loss of each example, summed over output units.

        Parameters
        ----------
        Y_hat : ndarray, shape (m, n), predictions
        Y : ndarray, shape (m, n), targets

        Returns
        -------
        ndarray, shape (m,)
        """
        raise NotImplementedError

    def derivative(self, Y_hat: Array, Y: Array) -> Array:
        """Per-example derivative ``d loss_i / d y_hat_i`` (no ``1/m``).

        Parameters
        ----------
        Y_hat : ndarray, shape (m, n)
        Y : ndarray, shape (m, n)

        Returns
        -------
        ndarray, shape (m, n)
        """
        raise NotImplementedError

    def value(self, Y_hat: Array, Y: Array) -> float:
        """The loss: mean over the m rows of :meth:`per_example`.

        Returns
        -------
        float
        """
        return float(np.mean(self.per_example(Y_hat, Y)))

    def gradient(self, Y_hat: Array, Y: Array) -> Array:
        """Gradient of :meth:`value` with respect to ``Y_hat``: ``derivative / m``.

        Returns
        -------
        ndarray, shape (m, n)
        """
        Y_hat, Y = _as_pair(Y_hat, Y)
        return self.derivative(Y_hat, Y) / Y_hat.shape[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """Squared error with the 1/2: ``loss_i = 1/2 * sum_j (y_hat_ij - y_ij)**2``.

    Notes 002 section 6 ``L = 1/2 (Y - Y_hat)^2``, 003 ``L = 1/2 (y - y_hat)^2`` and 004
    ``MSE = 1/2 sum_i (y_i - a_i)^2``. The 1/2 makes the derivative the plain residual
    ``y_hat - y`` (notes 000 drop and restore the factor 2 inconsistently; see
    ``docs/errata.md``).
    """

    name = "mse"

    def per_example(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        return 0.5 * np.sum((Y_hat - Y) ** 2, axis=1)

    def derivative(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        return Y_hat - Y


class Huber(Loss):
    """Huber loss with threshold ``c`` on the residual ``r = y_hat - y`` (notes 002, section 6).

    ``1/2 r^2`` where ``|r| <= c``, else ``c (|r| - c/2)``; summed over output units. Both
    pieces and their derivatives agree at ``|r| = c``, so ``<`` or ``<=`` does not matter.
    Derivative: ``r`` inside, ``c * sign(r)`` outside, i.e. ``clip(r, -c, c)``.
    """

    name = "huber"

    def __init__(self, c: float = 1.0):
        self.c = float(c)

    def per_example(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        c = self.c
        r = Y_hat - Y
        quadratic = 0.5 * r**2
        linear = c * (np.abs(r) - 0.5 * c)
        return np.sum(np.where(np.abs(r) <= c, quadratic, linear), axis=1)

    def derivative(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        c = self.c
        r = Y_hat - Y
        return np.where(np.abs(r) <= c, r, c * np.sign(r))

    def __repr__(self) -> str:
        return f"Huber(c={self.c})"


class PseudoHuber(Loss):
    """Pseudo-Huber loss ``c^2 (sqrt(1 + (r/c)^2) - 1)`` with ``r = y_hat - y`` (notes 002, section 6).

    A smooth Huber: about ``r^2 / 2`` for ``|r|`` much smaller than ``c``, about ``c |r|`` for
    ``|r|`` much larger. ``c`` is a **scale**, not a threshold like Huber's: nothing changes at
    ``|r| = c``, and ``L_c(c r) = c^2 L_1(r)``. Derivative: ``r / sqrt(1 + (r/c)^2)``.
    """

    name = "pseudo_huber"

    def __init__(self, c: float = 1.0):
        self.c = float(c)

    def per_example(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        c = self.c
        r = Y_hat - Y
        return np.sum(c**2 * (np.sqrt(1.0 + (r / c) ** 2) - 1.0), axis=1)

    def derivative(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        c = self.c
        r = Y_hat - Y
        return r / np.sqrt(1.0 + (r / c) ** 2)

    def __repr__(self) -> str:
        return f"PseudoHuber(c={self.c})"


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy (log loss) ``-sum_j [y log p + (1 - y) log(1 - p)]`` (notes 000, 004).

    ``p`` is the prediction clipped to ``[EPS, 1 - EPS]``. Derivative (notes 004):
    ``-y/p + (1 - y)/(1 - p) = (p - y) / (p (1 - p))``; times the sigmoid's ``p (1 - p)``
    this gives the famous ``delta^L = a - y``.
    """

    name = "bce"

    def per_example(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        P = np.clip(Y_hat, EPS, 1.0 - EPS)
        return -np.sum(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P), axis=1)

    def derivative(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        P = np.clip(Y_hat, EPS, 1.0 - EPS)
        return -Y / P + (1.0 - Y) / (1.0 - P)


class CategoricalCrossEntropy(Loss):
    """Categorical cross-entropy ``-sum_j y_j log p_j`` (notes 002 section 6, notes 004).

    ``Y`` is one-hot (or any probability rows); ``p`` is the prediction clipped to
    ``[EPS, 1 - EPS]``. Worked examples of the notes: ``-log(0.98) = 0.0202`` and
    ``-log(0.33) = 1.109``. Derivative: ``-y / p``.
    """

    name = "cce"

    def per_example(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        P = np.clip(Y_hat, EPS, 1.0 - EPS)
        return -np.sum(Y * np.log(P), axis=1)

    def derivative(self, Y_hat: Array, Y: Array) -> Array:
        Y_hat, Y = _as_pair(Y_hat, Y)
        P = np.clip(Y_hat, EPS, 1.0 - EPS)
        return -Y / P


LOSSES: dict[str, Loss] = {
    "mse": MeanSquaredError(),
    "huber": Huber(),
    "pseudo_huber": PseudoHuber(),
    "bce": BinaryCrossEntropy(),
    "cce": CategoricalCrossEntropy(),
}


def get_loss(name_or_loss: str | Loss) -> Loss:
    """Look a loss up in :data:`LOSSES`; a :class:`Loss` is passed through.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names.
    """
    if isinstance(name_or_loss, Loss):
        return name_or_loss
    try:
        return LOSSES[name_or_loss]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown loss {name_or_loss!r}; valid names: {', '.join(LOSSES)}"
        ) from None


# --------------------------------------------------------------------------------------
# Plain functions: the graded signatures. Each returns the mean loss (float) or its
# gradient (m, n), which carries the 1/m.
# --------------------------------------------------------------------------------------


def mse(Y_hat: Array, Y: Array) -> float:
    """Mean over rows of ``1/2 sum_j (y_hat - y)^2``; Y_hat, Y shape (m, n)."""
    return LOSSES["mse"].value(Y_hat, Y)


def mse_gradient(Y_hat: Array, Y: Array) -> Array:
    """Gradient of :func:`mse` w.r.t. ``Y_hat``: ``(Y_hat - Y) / m``, shape (m, n)."""
    return LOSSES["mse"].gradient(Y_hat, Y)


def huber(Y_hat: Array, Y: Array, c: float = 1.0) -> float:
    """Mean over rows of the Huber loss summed over units; Y_hat, Y shape (m, n)."""
    return Huber(c).value(Y_hat, Y)


def huber_gradient(Y_hat: Array, Y: Array, c: float = 1.0) -> Array:
    """Gradient of :func:`huber` w.r.t. ``Y_hat``: ``clip(Y_hat - Y, -c, c) / m``, shape (m, n)."""
    return Huber(c).gradient(Y_hat, Y)


def pseudo_huber(Y_hat: Array, Y: Array, c: float = 1.0) -> float:
    """Mean over rows of the pseudo-Huber loss summed over units; Y_hat, Y shape (m, n)."""
    return PseudoHuber(c).value(Y_hat, Y)


def pseudo_huber_gradient(Y_hat: Array, Y: Array, c: float = 1.0) -> Array:
    """Gradient of :func:`pseudo_huber`: ``r / sqrt(1 + (r/c)^2) / m`` with ``r = Y_hat - Y``."""
    return PseudoHuber(c).gradient(Y_hat, Y)


def bce(Y_hat: Array, Y: Array) -> float:
    """Mean over rows of the binary cross-entropy summed over units; shape (m, n)."""
    return LOSSES["bce"].value(Y_hat, Y)


def bce_gradient(Y_hat: Array, Y: Array) -> Array:
    """Gradient of :func:`bce`: ``(-Y/P + (1-Y)/(1-P)) / m``, P = clipped Y_hat, shape (m, n)."""
    return LOSSES["bce"].gradient(Y_hat, Y)


def cce(Y_hat: Array, Y: Array) -> float:
    """Mean over rows of the categorical cross-entropy ``-sum_j y log p``; shape (m, n)."""
    return LOSSES["cce"].value(Y_hat, Y)


def cce_gradient(Y_hat: Array, Y: Array) -> Array:
    """Gradient of :func:`cce`: ``-Y / P / m``, P = clipped Y_hat, shape (m, n)."""
    return LOSSES["cce"].gradient(Y_hat, Y)
