"""Input generators shared by the assignments' questions (seeded rng in, arrays out).

Random cases have ``m >= 3`` rows, so that a factor ``m`` (a sum instead of a mean) can
never be mistaken for a factor 2 (the 1/2 of a loss); ``m = 1`` is an edge case.
"""
from __future__ import annotations

import numpy as np

from nn_core import activations

MIN_ROWS = 3


def rows(rng: np.random.Generator, m: int | None = None, high: int = 6) -> int:
    """``m`` if given, else a random number of rows in ``[MIN_ROWS, high]``."""
    return m or int(rng.integers(MIN_ROWS, high + 1))


def dims(rng: np.random.Generator, max_m: int = 6, max_n: int = 5) -> tuple[int, int]:
    return rows(rng, high=max_m), int(rng.integers(1, max_n + 1))


def z_batch(rng: np.random.Generator) -> np.ndarray:
    return rng.normal(scale=3.0, size=dims(rng))


def probabilities(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    return activations.softmax(rng.normal(scale=2.0, size=(m, n)))


def one_hot(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    return np.eye(n)[rng.integers(0, n, size=m)]


def binary(rng: np.random.Generator, m: int, n: int = 1) -> np.ndarray:
    return rng.integers(0, 2, size=(m, n)).astype(np.float64)


def layer(rng: np.random.Generator, n_out: int, n_in: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    return rng.normal(scale=scale, size=(n_out, n_in)), rng.normal(scale=scale, size=n_out)


def params(rng: np.random.Generator, sizes: list[int], scale: float = 1.0) -> list[tuple[np.ndarray, np.ndarray]]:
    return [layer(rng, n_out, n_in, scale) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def positive(rng: np.random.Generator, low: float, high: float) -> float:
    """A float argument (a slope, a threshold c, a learning rate) drawn in ``[low, high]``."""
    return float(np.round(rng.uniform(low, high), 3))
