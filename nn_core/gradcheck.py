"""Numerical gradient checking by central differences (CS231n style).

Used by the tests to prove every analytic derivative in ``nn_core`` (activations, losses,
delta^L, backpropagation, the notes' two-layer closed forms) against the definition of the
derivative.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

Array = np.ndarray

#: The course's default step, the default of the students' ``numerical_gradient(f, x, h=1e-5)``
#: in assignment 1 (CS231n's): with float64, truncation error O(h^2) and rounding error
#: O(machine epsilon / h) are both about 1e-10 there.
STEP = 1e-5


def numerical_gradient(f: Callable[[Array], float], x: Array, eps: float = STEP) -> Array:
    """Central-difference gradient ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry.

    ``x`` is perturbed **in place** and restored exactly (the saved value is written back)
    after each entry, so ``f`` may either use its argument or close over the same array (for
    instance a weight matrix inside a params list), and ``x`` is unchanged afterwards. The
    same semantics as the students' checker of assignment 1, whose graded values are
    computed here (``autograder/questions/a1_activations.py``).

    Parameters
    ----------
    f : callable, ``x -> float``
    x : ndarray of float64, any shape (modified temporarily)
    eps : float, the step h (default :data:`STEP`)

    Returns
    -------
    ndarray, same shape as ``x``
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        raise TypeError("numerical_gradient needs a float64 ndarray (it perturbs x in place)")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f(x))
        x[index] = original - eps
        f_minus = float(f(x))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a: Array, b: Array) -> float:
    """``max |a - b| / max(|a| + |b|)`` over all entries (0.0 when both are all zero).

    Parameters
    ----------
    a, b : ndarray, same shape (or scalars)

    Returns
    -------
    float
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a) + np.abs(b))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b))) / scale


def check_gradient(f: Callable[[Array], float], grad: Callable[[Array], Array], x: Array, eps: float = STEP) -> float:
    """Relative error between the analytic gradient ``grad(x)`` and :func:`numerical_gradient`.

    Parameters
    ----------
    f : callable, ``x -> float``
    grad : callable, ``x -> ndarray`` shaped like ``x``, the analytic gradient of ``f``
    x : ndarray of float64
    eps : float

    Returns
    -------
    float, :func:`relative_error` of the two (about 1e-9 or smaller when ``grad`` is right)
    """
    analytic = np.array(grad(x), dtype=np.float64)  # copy before x is perturbed
    return relative_error(analytic, numerical_gradient(f, x, eps))
