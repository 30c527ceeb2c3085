"""Inputs of the notebooks' shapes for every graded function, for ``verify.py``.

``CASES[name](rng)`` returns a list of ``(args, kwargs)``: random inputs of the shapes the
released notebooks state, plus the edge cases their text names (|z| = 1000, z = 0, other
values of ``slope`` and ``c``, predictions of exactly 0 or 1, tied rows, a batch size that
does not divide the rows, ...). These inputs are drawn here, by the corpus's author; they are
not the grader's. Imports only numpy.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

Case = tuple[tuple, dict]
Maker = Callable[[np.random.Generator], list[Case]]


def _elementwise(rng: np.random.Generator) -> list[Case]:
    """A number, a vector, a matrix, the notebook's large |z| and zeros."""
    return [((np.array(-0.3),), {}),
            ((rng.normal(scale=2.5, size=9),), {}),
            ((rng.normal(scale=4.0, size=(3, 6)),), {}),
            ((np.array([-1000.0, -45.0, -12.0, -2.0, 0.0, 0.5, 12.0, 45.0, 1000.0]),), {}),
            ((np.zeros((3, 2)),), {})]


def _leaky(rng: np.random.Generator) -> list[Case]:
    """The elementwise cases with the default slope, then other slopes (0 included in z)."""
    z = np.array([-4.0, -1.0, 0.0, 0.25, 2.0])
    return ([(args, {}) for args, _ in _elementwise(rng)]
            + [((z,), {"slope": 0.02}), ((rng.normal(size=(4, 3)),), {"slope": 0.35}), ((z,), {"slope": 0.2})])


def _maxout(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, n_in, n_out in ((5, 4, 3), (7, 2, 4), (1, 3, 2)):
        cases.append(((rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out),
                       rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)), {}))
    return cases


def _softmax(rng: np.random.Generator) -> list[Case]:
    big = np.array([[2.0, 1.0, 0.5], [1000.0, 998.0, -3.0], [-1e4, 1e4, 0.0], [-900.0, -905.0, -899.0]])
    return [((rng.normal(scale=2.0, size=(6, 4)),), {}), ((rng.normal(size=(1, 3)),), {}),
            ((rng.normal(size=(3, 3)),), {}), ((big,), {})]


def _softmax_output(rng: np.random.Generator) -> list[Case]:
    cases = []
    for C in (2, 4, 6):
        e = np.exp(rng.normal(size=C))
        cases.append(((e / e.sum(),), {}))
    return cases


def _numerical_gradient(rng: np.random.Generator) -> list[Case]:
    """The test functions the notebook names, with the default and other steps."""
    w = rng.normal(size=4)
    Q = rng.normal(size=(4, 4))
    Q = Q @ Q.T
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    return [((lambda v, w=w: float(np.sin(w @ v)), rng.normal(size=4)), {}),
            ((lambda v, Q=Q: float(v @ Q @ v + np.sum(v ** 3)), rng.normal(size=4)), {"h": 1e-3}),
            ((lambda V: float(np.sum(np.log(np.cosh(V)))), rng.normal(size=(2, 3))), {"h": 0.05}),
            ((lambda W, X=X, Y=Y: float(0.5 * np.mean(np.sum((np.tanh(X @ W.T) - Y) ** 2, axis=1))),
              rng.normal(size=(2, 3))), {"h": 0.1}),
            ((lambda v: float(np.sum(np.exp(v))), rng.normal(size=(3, 2))), {})]


def _sizes(rng: np.random.Generator) -> list[Case]:
    return [(([5, 10, 20, 3],), {}), (([6, 4],), {}), (([2, 7, 3, 9, 1],), {}), (([8, 8, 8],), {})]


def _maxout_count(rng: np.random.Generator) -> list[Case]:
    return [((sizes, k), {}) for (sizes,), _ in _sizes(rng) for k in (1, 2, 4)]


def _layers(rng: np.random.Generator, sizes: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _dense(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)), {})
            for m, n_in, n_out in ((5, 4, 3), (1, 3, 3), (4, 4, 4), (2, 2, 6))]


def _forward(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, sizes[0])), _layers(rng, sizes)), {})
            for m, sizes in ((4, [5, 10, 20, 3]), (3, [4, 3]), (6, [3, 5, 4]), (2, [3, 3, 3, 3]))]


def _params_004(rng: np.random.Generator) -> list[Case]:
    return [(([(W.T.copy(), b) for W, b in _layers(rng, sizes)],), {}) for sizes in ([5, 10, 20, 3], [4, 2], [3, 3, 3])]


def _forward_004(rng: np.random.Generator) -> list[Case]:
    return [((X, [(W.T.copy(), b) for W, b in params]), {}) for (X, params), _ in _forward(rng)]


def _two_layer(binary: bool, relu: bool = False) -> Maker:
    """Batches for a3's four networks; with ``relu`` every z1 stays away from the kink."""
    def cases(rng: np.random.Generator) -> list[Case]:
        out = []
        for m, n_in, h, n_out in ((7, 3, 4, 1 if binary else 2), (1, 2, 3, 1), (5, 4, 2, 1 if binary else 3)):
            X = rng.normal(size=(m, n_in))
            Y = (rng.integers(0, 2, size=(m, n_out)) * 1.0) if binary else rng.normal(size=(m, n_out))
            W1, b1 = rng.normal(size=(h, n_in)), rng.normal(size=h)
            if relu:
                Z1 = X @ W1.T + b1
                b1 = b1 + np.where(np.abs(Z1).min(axis=0) < 0.05, 0.4, 0.0)
            out.append(((X, Y, W1, b1, rng.normal(size=(n_out, h)), rng.normal(size=n_out)), {}))
        return out
    return cases


def _line_data(rng: np.random.Generator, m: int = 25) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-2, 2, size=m)
    return x, 1.5 * x - 0.7 + rng.normal(scale=0.3, size=m)


def _line(rng: np.random.Generator) -> list[Case]:
    x, y = _line_data(rng)
    return [((0.0, 0.0, x, y), {}), ((0.9, -0.3, x, y), {}), ((-0.5, 2.0, x[:4], y[:4]), {})]


def _fit_line(rng: np.random.Generator) -> list[Case]:
    x, y = _line_data(rng)
    return [((x, y, 0.1, 40), {}), ((x, y, 0.25, 6), {}), ((x, y, 0.1, 0), {}), ((x, y, 0.05, 1), {})]


def _gd_step(rng: np.random.Generator) -> list[Case]:
    cases = []
    for sizes, lr in (([3, 4, 2], 0.1), ([2, 2], 0.7), ([3, 2, 3, 1], 0.02)):
        params = _layers(rng, sizes)
        grads = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in params]
        cases.append(((params, grads, lr), {}))
    return cases


def _targets(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n)), rng.normal(size=(m, n))), {}) for m, n in ((6, 2), (1, 1), (3, 4))]


def _targets_c(rng: np.random.Generator) -> list[Case]:
    """Residuals on both sides of the threshold, and other thresholds c."""
    Y = rng.normal(size=(4, 3))
    R = np.array([[-2.5, -1.0, -0.4], [0.0, 0.3, 1.0], [3.0, -0.2, 0.8], [5.0, -1.5, 0.1]])
    return (_targets(rng) + [((Y + R, Y), {}), ((Y + R, Y), {"c": 0.5}),
                             ((rng.normal(scale=3, size=(5, 2)), rng.normal(size=(5, 2))), {"c": 2.5})])


def _probabilities(rng: np.random.Generator) -> list[Case]:
    """Probabilities away from 0 and 1, one column, and the predictions of exactly 0 or 1."""
    P = rng.uniform(0.03, 0.97, size=(5, 3))
    Y = rng.integers(0, 2, size=(5, 3)) * 1.0
    edge = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 1.0], [1e-14, 0.9999], [1.0, 0.0]])
    edge_y = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 1.0]])
    return [((P, Y), {}), ((P[:, :1], Y[:, :1]), {}), ((edge, edge_y), {})]


def _classes(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, C in ((6, 3), (1, 5), (4, 2)):
        E = np.exp(rng.normal(scale=2, size=(m, C)))
        cases.append(((E / E.sum(axis=1, keepdims=True), np.eye(C)[rng.integers(0, C, size=m)]), {}))
    cases.append(((np.array([[0.0, 0.3, 0.7], [1.0, 0.0, 0.0], [0.2, 0.8, 0.0]]),
                   np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])), {}))
    return cases


def _softmax_outputs(rng: np.random.Generator) -> list[Case]:
    """Strictly positive softmax outputs (the notebook inverts them to logits log a)."""
    return _classes(rng)[:3]


def _sigmoid_outputs(rng: np.random.Generator) -> list[Case]:
    return [((rng.uniform(0.02, 0.98, size=(m, n)), rng.integers(0, 2, size=(m, n)) * 1.0), {})
            for m, n in ((6, 1), (3, 4), (1, 2))]


def _hidden_delta(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_next)), rng.normal(size=(n_next, n_l)), rng.uniform(0, 1, size=(m, n_l))), {})
            for m, n_next, n_l in ((5, 3, 4), (1, 2, 2), (3, 3, 3), (6, 1, 5))]


def _layer_gradients(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_l)), rng.normal(size=(m, n_prev))), {})
            for m, n_l, n_prev in ((5, 3, 4), (1, 2, 2), (3, 3, 3), (6, 1, 2))]


def _backprop(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, sizes in ((5, [4, 6, 3]), (3, [3, 2]), (6, [4, 5, 5, 3]), (4, [2, 3, 4, 4]), (1, [3, 4, 2])):
        X = rng.normal(size=(m, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=m)]
        cases.append(((X, Y, _layers(rng, sizes)), {}))
    return cases


def _predict(rng: np.random.Generator) -> list[Case]:
    ties = np.array([[0.3, 0.3, 0.4], [0.45, 0.1, 0.45], [0.5, 0.5, 0.0]])
    return [((A,), {}) for (A, _), _ in _classes(rng)] + [((ties,), {})]


def _gradient_errors(rng: np.random.Generator) -> list[Case]:
    """Random gradients, near-equal and far ones, a dead layer (all zeros) and tiny gradients."""
    cases = []
    for sizes in ([3, 4, 2], [2, 2], [3, 2, 3, 1]):
        analytic = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in _layers(rng, sizes)]
        numeric = [(dW * (1 + 1e-7 * rng.normal(size=dW.shape)), db + 0.2 * rng.normal(size=db.shape))
                   for dW, db in analytic]
        cases.append(((analytic, numeric), {}))
    dead = [(np.zeros((3, 2)), np.zeros(3)), (np.array([[2e-9, -1e-9, 0.0]]), np.array([0.4]))]
    cases.append(((dead, [(np.zeros((3, 2)), np.zeros(3)), (np.array([[1e-9, 0.0, 0.0]]), np.array([0.5]))]), {}))
    tiny = [(np.array([[4e-9, -1e-9]]), np.array([3e-9]))]
    cases.append(((tiny, [(np.array([[1e-9, 2e-9]]), np.array([0.0]))]), {}))
    return cases


def _init(rng: np.random.Generator) -> list[Case]:
    return [(([10, 16, 1], 0), {}), (([64, 32, 10], 5), {}), (([30, 8, 4, 1], 13), {}), (([6, 9], 21), {})]


def _replays(task: str) -> Maker:
    """Small training runs of a5's stated loop: batch sizes that do and do not divide the rows."""
    def cases(rng: np.random.Generator) -> list[Case]:
        n_in, n_out, lr = {"regression": (10, 1, 0.002), "binary": (30, 1, 0.005), "classifier": (64, 10, 0.1)}[task]
        out = []
        for rows, hidden, epochs, batch, seed, scale in ((24, [8], 3, 5, 4, 2.0), (24, [8], 2, 7, 9, 1.0),
                                                        (30, [6, 5], 2, 4, 1, 1.5), (12, [8], 2, 12, 2, 3.0),
                                                        (96, [16], 3, 8, 0, 1.0), (20, [8], 3, 6, 3, 1e-6)):
            X = rng.normal(size=(rows, n_in))
            if task == "regression":
                size = 1.0 if scale < 1e-3 else 30.0  # large targets make every slip visible
                Y = (X[:, :1] + rng.normal(scale=0.5, size=(rows, 1))) * size + 2.5 * size
            elif task == "binary":
                Y = (X[:, :1] > 0) * 1.0
            else:
                Y = np.eye(n_out)[rng.integers(0, n_out, size=rows)]
            out.append(((X, Y, [n_in, *hidden, n_out], scale * lr, epochs, batch, seed), {}))
        return out
    return cases


CASES: dict[str, Maker] = {
    **{name: _elementwise for name in ("sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime")},
    "leaky_relu": _leaky, "leaky_relu_prime": _leaky, "maxout": _maxout, "softmax": _softmax,
    "softmax_jacobian": _softmax_output, "numerical_gradient": _numerical_gradient,
    "layer_shapes": _sizes, "param_count": _sizes, "param_count_maxout": _maxout_count,
    "dense_forward": _dense, "forward": _forward, "to_course_convention": _params_004, "forward_004": _forward_004,
    "regression_gradients": _two_layer(False), "homework_gradients": _two_layer(False),
    "binary_gradients": _two_layer(True), "binary_relu_gradients": _two_layer(True, relu=True),
    "line_fit_gradient": _line, "fit_line": _fit_line, "gd_step": _gd_step,
    "mse": _targets, "mse_gradient": _targets,
    "huber": _targets_c, "huber_gradient": _targets_c,
    "pseudo_huber": _targets_c, "pseudo_huber_gradient": _targets_c,
    "bce": _probabilities, "bce_gradient": _probabilities, "cce": _classes, "cce_gradient": _classes,
    "delta_mse_linear": _targets, "delta_mse_sigmoid": _sigmoid_outputs,
    "delta_bce_sigmoid": _sigmoid_outputs, "delta_cce_softmax": _softmax_outputs,
    "delta_huber_linear": _targets_c, "delta_pseudo_huber_linear": _targets_c,
    "hidden_delta": _hidden_delta, "layer_gradients": _layer_gradients, "backprop": _backprop,
    "predict_classes": _predict, "gradient_errors": _gradient_errors,
    "init_params": _init, "train_regression": _replays("regression"), "train_binary": _replays("binary"),
    "train_classifier": _replays("classifier"),
}

#: A corpus entry graded through other functions: a5's ``train`` through the notebook's three networks.
REFERENCE_OF: dict[str, list[str]] = {"train": ["train_regression", "train_binary", "train_classifier"]}
