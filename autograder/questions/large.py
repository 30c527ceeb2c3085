"""The hidden case with many parameters of each question whose answer is a derived gradient.

A student can differentiate a loss numerically instead of deriving its gradient: the
central difference of assignment 1 needs only the loss, which every notebook defines. On
the small cases that is as right as the derivation (to about 1e-10). It is not on a case
with many parameters (or entries): two loss evaluations per parameter, each as dear as a
forward pass, cannot finish within the call's time limit (``limits.call_timeout_s``), while
the derived gradient costs about one forward pass. So each such question gets one such case,
the last of its hidden set, weighing as much as all its other cases together
(:attr:`autograder.questions.Question.large_case`, scored in
:func:`autograder.grading.score_question`, named by the diagnosis's ``many-parameters`` case
kind). It is never a public case (the visible checks stay small).

Sizes (measured on the course's 2-core machine; a vectorised derivation takes milliseconds):

* a two-layer network with 200 inputs and 200 hidden units (about 40,000 parameters) on 64
  examples: a loop of central differences needs 80,000 forward passes, over a minute;
* a loss gradient or an output error on 1,000 x 100 entries: 200,000 loss evaluations of
  100,000 entries, over half a minute;
* backprop through 100 -> 200 -> 100 -> 10 (about 41,000 parameters) on 64 examples.

The inputs follow the question's own conventions (probabilities in (0.02, 0.98) and one-hot
or 0/1 targets where the small cases have them, relu pre-activations off the kink).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np

from autograder.questions.inputs import binary, layer, one_hot, params, probabilities
from autograder.questions.registry import QUESTIONS, Args
from nn_core import two_layer

#: examples and sizes of the large cases (see the module's docstring)
NETWORK_ROWS, NETWORK_WIDTH = 64, 200
ENTRIES = (1000, 100)
BACKPROP_SIZES = [100, 200, 100, 10]


def _two_layer(kind: str) -> Callable[[np.random.Generator], Args]:
    def make(rng: np.random.Generator) -> Args:
        m, width = NETWORK_ROWS, NETWORK_WIDTH
        n_out = 1 if kind.startswith("binary") else 2
        X = rng.normal(size=(m, width))
        W1, b1 = layer(rng, width, width, scale=width ** -0.5)
        W2, b2 = layer(rng, n_out, width, scale=width ** -0.5)
        if two_layer.NETWORKS[kind].hidden == "relu":
            from autograder.questions.a3_two_layer import _off_the_kink
            b1 = _off_the_kink(X, W1, b1)
        Y = {"regression": lambda: rng.normal(size=(m, n_out)),
             "homework": lambda: rng.uniform(size=(m, n_out))}.get(kind, lambda: binary(rng, m))()
        return X, Y, W1, b1, W2, b2
    return make


def _regression_entries(with_c: bool) -> Callable[[np.random.Generator], Args]:
    def make(rng: np.random.Generator) -> Args:
        Y = rng.normal(size=ENTRIES)
        Y_hat = Y + rng.normal(scale=1.5, size=ENTRIES)
        return (Y_hat, Y, 1.5) if with_c else (Y_hat, Y)
    return make


def _bce_entries(rng: np.random.Generator) -> Args:
    return rng.uniform(0.02, 0.98, size=ENTRIES), binary(rng, ENTRIES[0], ENTRIES[1])


def _cce_entries(rng: np.random.Generator) -> Args:
    return probabilities(rng, *ENTRIES), one_hot(rng, *ENTRIES)


def _sigmoid_mse_entries(rng: np.random.Generator) -> Args:
    return rng.uniform(0.02, 0.98, size=ENTRIES), rng.uniform(size=ENTRIES)


def _backprop(rng: np.random.Generator) -> Args:
    m = NETWORK_ROWS
    X = rng.normal(size=(m, BACKPROP_SIZES[0]))
    layers = [(W / np.sqrt(W.shape[1]), b) for W, b in params(rng, BACKPROP_SIZES)]
    return X, one_hot(rng, m, BACKPROP_SIZES[-1]), layers


#: question id -> the maker of its large case
LARGE_CASES: dict[str, Callable[[np.random.Generator], Args]] = {
    **{f"{kind}_gradients": _two_layer(kind) for kind in ("regression", "homework", "binary", "binary_relu")},
    "mse_gradient": _regression_entries(with_c=False),
    "huber_gradient": _regression_entries(with_c=True),
    "pseudo_huber_gradient": _regression_entries(with_c=True),
    "bce_gradient": _bce_entries,
    "cce_gradient": _cce_entries,
    "delta_mse_linear": _regression_entries(with_c=False),
    "delta_mse_sigmoid": _sigmoid_mse_entries,
    "delta_bce_sigmoid": _bce_entries,
    "delta_cce_softmax": _cce_entries,
    "delta_huber_linear": _regression_entries(with_c=True),
    "delta_pseudo_huber_linear": _regression_entries(with_c=True),
    "backprop": _backprop,
}


def attach_large_cases() -> None:
    """Give each question of :data:`LARGE_CASES` its large case (after every module registered)."""
    for question_id, make in LARGE_CASES.items():
        if question_id in QUESTIONS:
            QUESTIONS[question_id] = replace(QUESTIONS[question_id], large_case=make)
