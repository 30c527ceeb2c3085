"""Training the notes' three networks end to end: initialisation, the mini-batch loop, test metrics.

The three networks of the notes (``002_c5b9639f8f65441b.txt``; ``004_025caf30a44a08da.txt``):
regression (linear output, MSE), binary classification (one sigmoid unit, binary
cross-entropy) and multi-class classification (softmax, categorical cross-entropy), each
with ReLU hidden layers, trained by mini-batch gradient descent (``nn_core.optim.train``).
Assignment 5 asks students for :func:`init_params` and the loop; the grader judges what
they return by the test metrics of :data:`METRICS` and, on small exact replays, against
:func:`train_network` with the same seed, started from the student's own initialisation
(``start``): its loop is the one the notebook states (one ``np.random.default_rng(seed)`` for
the shuffling besides :func:`init_params`' own, one ``rng.permutation(m)`` per epoch,
consecutive batches with a shorter last one, or that one skipped (``drop_last``), every layer
stepped with the batch's mean gradients).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from .data import accuracy, r2_score
from .losses import get_loss
from .network import MLP, Params, backward, forward
from .network import init_params as _init_params

Array = np.ndarray

#: The notes' three networks: task -> (output activation, loss). Hidden layers are ReLU.
NETWORKS: dict[str, tuple[str, str]] = {
    "regression": ("linear", "mse"),
    "binary": ("sigmoid", "bce"),
    "classifier": ("softmax", "cce"),
}


def init_params(sizes: list[int], seed: int) -> Params:
    """He initialisation of every layer: ``W`` normal with mean 0 and standard deviation
    ``sqrt(2 / n_in)``, ``b`` zeros; draws from ``np.random.default_rng(seed)`` in layer order.

    Parameters
    ----------
    sizes : list of int, ``[n_0, ..., n_L]``
    seed : int

    Returns
    -------
    list of L ``(W, b)``: W shape (n_out, n_in), b shape (n_out,)
    """
    return _init_params([int(n) for n in sizes], int(seed), hidden="relu")


def train_network(X: Array, Y: Array, sizes: list[int], task: str, lr: float, epochs: int,
                  batch_size: int, seed: int, start: Params | None = None,
                  drop_last: bool = False) -> tuple[Params, list[float]]:
    """Train the network of ``task`` (a key of :data:`NETWORKS`) by shuffled mini-batch
    gradient descent from :func:`init_params` (``seed`` fixes the weights and the shuffling),
    or from the parameters ``start`` (the grader's replay of a student's loop starts from the
    student's own initialisation; ``seed`` then fixes the shuffling only).

    Parameters
    ----------
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, n_L), the targets
    sizes : list of int
    task : str, ``"regression"``, ``"binary"`` or ``"classifier"``
    lr : float
    epochs : int
    batch_size : int
    seed : int
    start : list of ``(W, b)`` or None, the initial parameters (copied); None: ``init_params(sizes, seed)``
    drop_last : bool, skip each epoch's last batch when it is shorter (PyTorch's ``drop_last=True``)

    Returns
    -------
    params : list of ``(W, b)``
    history : list of ``epochs`` floats, the training loss after each epoch
    """
    output, loss = NETWORKS[task]
    model = MLP([int(n) for n in sizes], "relu", output, loss, seed=int(seed))
    if start is not None:
        model.params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in start]
    history = model.fit(X, Y, epochs=int(epochs), lr=float(lr), batch_size=int(batch_size), seed=int(seed),
                        drop_last=drop_last)
    return model.params, history


def network_output(params: Params, X: Array, task: str) -> Array:
    """``A^L`` of the network of ``task`` (ReLU hidden layers), shape (m, n_L)."""
    return forward(params, X, "relu", NETWORKS[task][0]).A[-1]


def _r2(task: str, A: Array, Y: Array) -> float:
    return r2_score(Y, A)


def _accuracy(task: str, A: Array, Y: Array) -> float:
    if A.shape[1] == 1:  # one sigmoid unit: threshold 0.5
        return accuracy(Y.reshape(-1), (A.reshape(-1) >= 0.5).astype(int))
    return accuracy(np.argmax(Y, axis=1), np.argmax(A, axis=1))


def _loss(task: str, A: Array, Y: Array) -> float:
    return get_loss(NETWORKS[task][1]).value(A, Y)


#: Test metrics: name -> (function of (task, A^L, Y), True when larger is better).
METRICS: dict[str, tuple[Callable[[str, Array, Array], float], bool]] = {
    "r2": (_r2, True),
    "accuracy": (_accuracy, True),
    "loss": (_loss, False),
}


def test_metric(metric: str, params: Params, X: Array, Y: Array, task: str) -> float:
    """The metric ``metric`` (a key of :data:`METRICS`) of the trained ``params`` on ``(X, Y)``;
    ``nan`` when the network's output is not finite."""
    with np.errstate(all="ignore"):
        A = network_output(params, X, task)
        if not np.all(np.isfinite(A)):
            return float("nan")
        return float(METRICS[metric][0](task, A, np.asarray(Y, dtype=np.float64)))


def gradient_norms(params: Params, X: Array, Y: Array, hidden: str, task: str = "classifier") -> list[float]:
    """The Frobenius norm of ``dL/dW`` of every layer (first layer first), from one
    backward pass: the experiment of assignment 5's written question on deep networks.

    Parameters
    ----------
    params : list of L ``(W, b)``
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, n_L)
    hidden : str, the hidden activation (``"sigmoid"`` or ``"relu"``)
    task : str, a key of :data:`NETWORKS`

    Returns
    -------
    list of L floats
    """
    output, loss = NETWORKS[task]
    cache = forward(params, X, hidden, output)
    return [float(np.linalg.norm(dW)) for dW, _ in backward(params, cache, Y, hidden, output, loss)]


class SweepRun(NamedTuple):
    """One learning rate of :func:`learning_rate_sweep`."""

    lr: float
    final_loss: float     # the training loss after the last epoch (inf or nan when training diverged)
    test_accuracy: float  # on the test split; nan when the network's output is not finite


def learning_rate_sweep(X_train: Array, Y_train: Array, X_test: Array, Y_test: Array, sizes: list[int],
                        rates: tuple[float, ...], epochs: int, batch_size: int, seed: int) -> list[SweepRun]:
    """Assignment 5's learning-rate experiment: the classifier trained with each rate of ``rates``
    and the same other settings, by :func:`train_network` (the loop every submission that passes
    the exact replays follows), so the figures of the written question's model answer are these.

    Parameters
    ----------
    X_train, Y_train : ndarray, shapes (m, n_0) and (m, C), one-hot targets
    X_test, Y_test : ndarray, shapes (k, n_0) and (k, C)
    sizes : list of int, ``[n_0, ..., C]``
    rates : tuple of float, the learning rates, in the order of the returned runs
    epochs, batch_size, seed : int, as :func:`train_network`

    Returns
    -------
    list of :class:`SweepRun`, one per rate
    """
    runs = []
    for lr in rates:
        with np.errstate(all="ignore"):  # a rate that is too large overflows: that is the experiment
            params, history = train_network(X_train, Y_train, sizes, "classifier", lr, epochs, batch_size, seed)
        runs.append(SweepRun(float(lr), float(history[-1]), test_metric("accuracy", params, X_test, Y_test, "classifier")))
    return runs


__all__ = ["METRICS", "NETWORKS", "SweepRun", "gradient_norms", "init_params", "learning_rate_sweep", "network_output",
           "test_metric", "train_network"]
