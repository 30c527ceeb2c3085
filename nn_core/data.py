"""The three real data sets of the course and small helpers (one-hot, accuracy, R^2, a train/validation/test split).

All data come from scikit-learn's bundled files (no download). Each loader splits the rows
with a seeded train/test split (25 % test; stratified by class for classification, by
target quintile for regression) and standardises the features with the **training** mean
and standard deviation (constant features are only centred).

* ``load_digits``: 8x8 images of digits, 64 features, 10 classes; ``Y`` one-hot (m, 10).
* ``load_breast_cancer``: 30 features, binary; ``Y`` (m, 1) of 0/1 for one sigmoid unit.
* ``load_diabetes``: 10 features, a disease-progression score; ``Y`` (m, 1) is the target
  standardised with the training mean/std (``Dataset.target_mean``, ``target_std`` and
  :meth:`Dataset.unstandardise_target` undo it); ``y`` is the raw target.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

# scikit-learn is imported inside the loaders: importing nn_core (as the autograder does in
# every grading process) should not cost the second that importing scikit-learn takes.

Array = np.ndarray

TEST_FRACTION = 0.25


@dataclass(frozen=True)
class Dataset:
    """A train/test split.

    Attributes
    ----------
    X_train : ndarray, shape (m_train, n_features), standardised
    X_test : ndarray, shape (m_test, n_features), standardised with the training statistics
    y_train, y_test : ndarray, shape (m,): int class labels, or the raw regression target
    Y_train, Y_test : ndarray, shape (m, n_out), float64 network targets: one-hot rows,
        a 0/1 column, or the standardised regression target as a column
    name : str
    target_mean, target_std : float, for regression: ``Y = (y - target_mean) / target_std``
        (0.0 and 1.0 for classification)
    """

    X_train: Array
    X_test: Array
    y_train: Array
    y_test: Array
    Y_train: Array
    Y_test: Array
    name: str = ""
    target_mean: float = 0.0
    target_std: float = 1.0

    def unstandardise_target(self, Y: Array) -> Array:
        """Map standardised targets/predictions ``Y`` (m, 1) back to the target's units, shape (m,)."""
        return np.asarray(Y, dtype=np.float64).reshape(-1) * self.target_std + self.target_mean


def one_hot(labels: Array, C: int | None = None) -> Array:
    """One-hot rows: ``Y[i, labels[i]] = 1``.

    Parameters
    ----------
    labels : array of int, shape (m,), values in ``range(C)``
    C : int or None, number of classes (default ``max(labels) + 1``)

    Returns
    -------
    ndarray of float64, shape (m, C)
    """
    labels = np.asarray(labels).astype(int).reshape(-1)
    if C is None:
        C = int(labels.max()) + 1 if labels.size else 0
    Y = np.zeros((labels.size, C))
    Y[np.arange(labels.size), labels] = 1.0
    return Y


def accuracy(y_true: Array, y_pred: Array) -> float:
    """Fraction of equal labels; both arrays hold m labels (any shape with m entries, e.g. (m,) or (m, 1))."""
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.size} labels but {y_pred.size} predictions")
    return float(np.mean(y_true == y_pred))


def r2_score(y_true: Array, y_pred: Array) -> float:
    """Coefficient of determination ``1 - sum (y - y_pred)^2 / sum (y - mean y)^2`` (m values each)."""
    y_true = np.asarray(y_true, dtype=np.float64).reshape(-1)
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    residual = np.sum((y_true - y_pred) ** 2)
    total = np.sum((y_true - y_true.mean()) ** 2)
    return float(1.0 - residual / total)


def _standardise(X_train: Array, X_test: Array) -> tuple[Array, Array]:
    """Scale both with the training mean/std; constant columns (std 0) are only centred."""
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std


def _split(X: Array, y: Array, seed: int, strata: Array) -> tuple[Array, Array, Array, Array]:
    """Seeded 75/25 split keeping the proportion of each stratum; features standardised."""
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        np.asarray(X, dtype=np.float64),
        np.asarray(y),
        test_size=TEST_FRACTION,
        random_state=seed,
        stratify=strata,
    )
    X_train, X_test = _standardise(X_train, X_test)
    return X_train, X_test, y_train, y_test


def load_digits(seed: int = 0) -> Dataset:
    """Handwritten digits 0-9 (1797 images of 8x8): X (m, 64), y (m,) int, Y one-hot (m, 10)."""
    import sklearn.datasets

    X, y = sklearn.datasets.load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X, y, seed, strata=y)
    return Dataset(
        X_train, X_test, y_train.astype(int), y_test.astype(int),
        one_hot(y_train, 10), one_hot(y_test, 10), name="digits",
    )


def load_breast_cancer(seed: int = 0) -> Dataset:
    """Wisconsin breast cancer (569 rows): X (m, 30), y (m,) 0/1, Y (m, 1) float 0/1."""
    import sklearn.datasets

    X, y = sklearn.datasets.load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X, y, seed, strata=y)
    return Dataset(
        X_train, X_test, y_train.astype(int), y_test.astype(int),
        y_train.reshape(-1, 1).astype(np.float64), y_test.reshape(-1, 1).astype(np.float64),
        name="breast_cancer",
    )


def load_digits_images(seed: int = 0) -> dict[str, Array]:
    """The raw 8x8 images of :func:`load_digits`' test rows, in the same order (pixel values
    0-16, not standardised), to show digits as they look: ``{"images_test": (m_test, 8, 8),
    "y_test": (m_test,) int}``."""
    import sklearn.datasets
    from sklearn.model_selection import train_test_split

    X, y = sklearn.datasets.load_digits(return_X_y=True)
    _, images_test, _, y_test = train_test_split(np.asarray(X, dtype=np.float64), y, test_size=TEST_FRACTION,
                                                 random_state=seed, stratify=y)
    return {"images_test": images_test.reshape(-1, 8, 8), "y_test": y_test.astype(int)}


def target_quintiles(y: Array) -> Array:
    """Quintile (0-4) of each value of a regression target, shape (m,): strata for the split.

    With only 442 rows, a plain random 25 % test set of the diabetes data varies a lot in
    difficulty (a linear model's test R^2 ranges from 0.36 to 0.59 over seeds 0-9);
    stratifying by target quintile gives test sets with the target's distribution.
    """
    y = np.asarray(y, dtype=np.float64)
    return np.digitize(y, np.quantile(y, [0.2, 0.4, 0.6, 0.8]))


def load_diabetes(seed: int = 0) -> Dataset:
    """Diabetes progression (442 rows): X (m, 10), y (m,) raw target, Y (m, 1) standardised target."""
    import sklearn.datasets

    X, y = sklearn.datasets.load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X, y, seed, strata=target_quintiles(y))
    y_train = y_train.astype(np.float64)
    y_test = y_test.astype(np.float64)
    target_mean = float(y_train.mean())
    target_std = float(y_train.std())
    return Dataset(
        X_train, X_test, y_train, y_test,
        ((y_train - target_mean) / target_std).reshape(-1, 1),
        ((y_test - target_mean) / target_std).reshape(-1, 1),
        name="diabetes", target_mean=target_mean, target_std=target_std,
    )


class Split(NamedTuple):
    """Three disjoint parts of a data set: fit on train, choose hyperparameters on validation,
    report once on test."""

    X_train: Array
    y_train: Array
    X_val: Array
    y_val: Array
    X_test: Array
    y_test: Array


def train_val_test_split(X: Array, y: Array, rng: np.random.Generator, val_fraction: float = 0.2,
                         test_fraction: float = 0.2) -> Split:
    """Shuffle the rows with ``rng.permutation(m)`` and cut them into train, validation and test.

    The first ``round(test_fraction m)`` shuffled rows are the test part, the next
    ``round(val_fraction m)`` the validation part, the rest the training part; so the split is
    fixed by the generator's state (e.g. ``np.random.default_rng(seed)``). Not stratified and
    not standardised: standardise afterwards with the training part's statistics only.

    Parameters
    ----------
    X : ndarray, shape (m, n)
    y : ndarray, shape (m,) or (m, k): labels or targets, split row for row with ``X``
    rng : numpy Generator
    val_fraction, test_fraction : float in [0, 1), their sum below 1

    Returns
    -------
    Split of six arrays, rows of ``X`` and ``y`` in the shuffled order

    Raises
    ------
    ValueError
        For fractions that leave no training row, or ``X`` and ``y`` of different lengths.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    m = X.shape[0]
    if y.shape[0] != m:
        raise ValueError(f"X has {m} rows but y has {y.shape[0]}")
    if not (0.0 <= val_fraction < 1.0 and 0.0 <= test_fraction < 1.0):
        raise ValueError(f"fractions must be in [0, 1), got {val_fraction} and {test_fraction}")
    n_test, n_val = int(round(test_fraction * m)), int(round(val_fraction * m))
    if n_test + n_val >= m:
        raise ValueError(f"{n_test} test and {n_val} validation rows leave no training row of {m}")
    order = rng.permutation(m)
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return Split(X[train], y[train], X[val], y[val], X[test], y[test])
