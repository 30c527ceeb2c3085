"""Inputs of the notebooks' shapes for each graded function, for ``verify.py``.

Each ``CASES[name](rng)`` returns a list of ``(args, kwargs)``: random inputs and the edge
cases the notebook states (|z| = 1000, z = 0, other values of optional arguments, predictions
of exactly 0 or 1, ...). Imports only numpy.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

Case = tuple[tuple, dict]


def _elementwise(rng: np.random.Generator) -> list[Case]:
    return [((np.array(0.7),), {}),
            ((rng.normal(scale=3.0, size=7),), {}),
            ((rng.normal(scale=3.0, size=(4, 5)),), {}),
            ((np.array([-1000.0, -60.0, -20.0, -1.0, 0.0, 1.0, 20.0, 60.0, 1000.0]),), {}),
            ((np.zeros((2, 3)),), {})]


def _leaky(rng: np.random.Generator) -> list[Case]:
    z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    return ([(args, {}) for args, _ in _elementwise(rng)]
            + [((z,), {"slope": 0.01}), ((rng.normal(size=(3, 4)),), {"slope": 0.3}), ((z,), {"slope": 0.25})])


def _maxout(rng: np.random.Generator) -> list[Case]:
    m, n_in, n_out = 6, 4, 3
    return [((rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out),
              rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)), {}) for _ in range(3)]


def _softmax(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(scale=2.0, size=(5, 3)),), {}),
            ((rng.normal(scale=2.0, size=(1, 4)),), {}),
            ((np.array([[1.0, 2.0, 3.0], [1000.0, 999.0, 0.0], [1e4, -1e4, 0.0], [-800.0, -790.0, -805.0]]),), {})]


def _softmax_output(rng: np.random.Generator) -> list[Case]:
    cases = []
    for C in (2, 3, 5):
        e = np.exp(rng.normal(size=C))
        cases.append(((e / e.sum(),), {}))
    return cases


def _numerical_gradient(rng: np.random.Generator) -> list[Case]:
    w = rng.normal(size=5)
    Q = rng.normal(size=(3, 3))
    Q = Q @ Q.T
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    return [((lambda v, w=w: float(np.sin(w @ v)), rng.normal(size=5)), {}),
            ((lambda v, Q=Q: float(v @ Q @ v), rng.normal(size=3)), {"h": 1e-3}),
            ((lambda V: float(np.sum(np.log(np.cosh(V)))), rng.normal(size=(3, 4))), {"h": 0.05}),
            ((lambda W, X=X, Y=Y: float(0.5 * np.mean(np.sum((np.tanh(X @ W.T) - Y) ** 2, axis=1))),
              rng.normal(size=(2, 3))), {"h": 0.1}),
            ((lambda v: float(np.sum(v ** 3)), rng.normal(size=(2, 2))), {})]


def _sizes(rng: np.random.Generator) -> list[Case]:
    return [(([5, 10, 20, 3],), {}), (([4, 7],), {}), (([3, 6, 2, 8, 1],), {}), (([10, 10, 10],), {})]


def _maxout_count(rng: np.random.Generator) -> list[Case]:
    return [((sizes, k), {}) for (sizes,), _ in _sizes(rng) for k in (1, 2, 3, 5)]


def _layer(rng: np.random.Generator, sizes: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _dense(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)), {})
            for m, n_in, n_out in ((4, 5, 3), (1, 2, 2), (6, 3, 3), (3, 3, 7))]


def _forward(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, sizes[0])), _layer(rng, sizes)), {})
            for m, sizes in ((4, [5, 10, 20, 3]), (3, [4, 3]), (5, [2, 6, 4]), (4, [3, 3, 3, 3]))]


def _params_004(rng: np.random.Generator) -> list[Case]:
    return [(([(W.T.copy(), b) for W, b in _layer(rng, sizes)],), {})
            for sizes in ([5, 10, 20, 3], [4, 3], [3, 3, 3])]


def _forward_004(rng: np.random.Generator) -> list[Case]:
    return [((X, [(W.T.copy(), b) for W, b in params]), {}) for (X, params), _ in _forward(rng)]


def _two_layer(binary: bool, relu: bool = False) -> Callable[[np.random.Generator], list[Case]]:
    def cases(rng: np.random.Generator) -> list[Case]:
        out = []
        for m, n_in, h, n_out in ((6, 4, 5, 1 if binary else 2), (1, 3, 2, 1), (8, 2, 3, 1 if binary else 3)):
            X = rng.normal(size=(m, n_in))
            Y = (rng.integers(0, 2, size=(m, n_out)) * 1.0) if binary else rng.normal(size=(m, n_out))
            W1, b1 = rng.normal(size=(h, n_in)), rng.normal(size=h)
            if relu:  # keep every z1 away from the kink, as the notebook's cases do
                Z1 = X @ W1.T + b1
                b1 = b1 + np.where(np.abs(Z1).min(axis=0) < 0.05, 0.3, 0.0)
            out.append(((X, Y, W1, b1, rng.normal(size=(n_out, h)), rng.normal(size=n_out)), {}))
        return out
    return cases


def _line(rng: np.random.Generator) -> list[Case]:
    x = rng.uniform(-2, 2, size=20)
    y = 1.5 * x - 0.7 + rng.normal(scale=0.3, size=20)
    return [((0.0, 0.0, x, y), {}), ((1.2, -0.4, x, y), {}), ((-0.5, 2.0, x[:3], y[:3]), {})]


def _fit_line(rng: np.random.Generator) -> list[Case]:
    x = rng.uniform(-2, 2, size=20)
    y = 1.5 * x - 0.7 + rng.normal(scale=0.3, size=20)
    return [((x, y, 0.1, 50), {}), ((x, y, 0.3, 7), {}), ((x, y, 0.1, 0), {}), ((x, y, 0.05, 1), {})]


def _gd_step(rng: np.random.Generator) -> list[Case]:
    cases = []
    for sizes, lr in (([4, 5, 2], 0.1), ([3, 2], 0.5), ([2, 3, 3, 1], 0.01)):
        params = _layer(rng, sizes)
        grads = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in params]
        cases.append(((params, grads, lr), {}))
    return cases


def _regression_targets(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n)), rng.normal(size=(m, n))), {}) for m, n in ((5, 3), (1, 1), (4, 2))]


def _regression_c(rng: np.random.Generator) -> list[Case]:
    Y = rng.normal(size=(4, 3))
    R = np.array([[-3.0, -1.0, -0.5], [0.0, 0.2, 1.0], [2.5, -0.1, 0.9], [4.0, -2.0, 0.3]])
    return (_regression_targets(rng) + [((Y + R, Y), {}), ((Y + R, Y), {"c": 0.5}),
                                        ((rng.normal(scale=3, size=(5, 2)), rng.normal(size=(5, 2))), {"c": 2.0})])


def _probabilities(rng: np.random.Generator) -> list[Case]:
    P = rng.uniform(0.02, 0.98, size=(6, 2))
    Y = rng.integers(0, 2, size=(6, 2)) * 1.0
    edge = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 1.0], [1e-15, 0.999], [1.0, 0.0]])
    edge_y = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 1.0]])
    return [((P, Y), {}), ((P[:, :1], Y[:, :1]), {}), ((edge, edge_y), {})]


def _classes(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, C in ((5, 3), (1, 4), (6, 2)):
        E = np.exp(rng.normal(scale=2, size=(m, C)))
        cases.append(((E / E.sum(axis=1, keepdims=True), np.eye(C)[rng.integers(0, C, size=m)]), {}))
    cases.append(((np.array([[0.0, 0.2, 0.8], [1.0, 0.0, 0.0]]), np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])), {}))
    return cases


def _softmax_outputs(rng: np.random.Generator) -> list[Case]:
    """Strictly positive softmax outputs: the notebook inverts them to logits z = log a."""
    return _classes(rng)[:3]


def _sigmoid_outputs(rng: np.random.Generator) -> list[Case]:
    return [((rng.uniform(0.01, 0.99, size=(m, n)), rng.integers(0, 2, size=(m, n)) * 1.0), {})
            for m, n in ((5, 1), (4, 3), (1, 2))]


def _hidden_delta(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_next)), rng.normal(size=(n_next, n_l)), rng.uniform(0, 1, size=(m, n_l))), {})
            for m, n_next, n_l in ((5, 3, 4), (1, 2, 2), (4, 4, 4), (6, 1, 3))]


def _layer_gradients(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_l)), rng.normal(size=(m, n_prev))), {})
            for m, n_l, n_prev in ((5, 3, 4), (1, 2, 2), (4, 4, 4), (6, 1, 3))]


def _backprop(rng: np.random.Generator) -> list[Case]:
    cases = []
    for m, sizes in ((6, [4, 5, 3]), (3, [3, 2]), (5, [4, 6, 5, 3]), (4, [2, 3, 3, 4])):
        X = rng.normal(size=(m, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=m)]
        cases.append(((X, Y, _layer(rng, sizes)), {}))
    return cases


def _predict(rng: np.random.Generator) -> list[Case]:
    return [((case[0][0],), {}) for case in _classes(rng)] + [((np.array([[0.4, 0.4, 0.2], [0.1, 0.45, 0.45]]),), {})]


def _gradient_errors(rng: np.random.Generator) -> list[Case]:
    cases = []
    for sizes in ([4, 5, 3], [3, 2], [2, 3, 3, 1]):
        analytic = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in _layer(rng, sizes)]
        numeric = [(dW * (1 + 1e-7 * rng.normal(size=dW.shape)), db + 0.3 * rng.normal(size=db.shape)) for dW, db in analytic]
        cases.append(((analytic, numeric), {}))
    zero = [(np.zeros((2, 3)), np.zeros(2)), (np.array([[1e-9, -2e-9]]), np.array([0.5]))]
    cases.append(((zero, [(np.zeros((2, 3)), np.zeros(2)), (np.array([[1e-9, 0.0]]), np.array([0.5]))]), {}))
    tiny = [(np.array([[3e-9, -1e-9]]), np.array([2e-9]))]
    cases.append(((tiny, [(np.array([[1e-9, 1e-9]]), np.array([0.0]))]), {}))
    return cases


def _init(rng: np.random.Generator) -> list[Case]:
    return [(([10, 16, 1], 0), {}), (([64, 32, 10], 3), {}), (([30, 8, 4, 1], 11), {}), (([5, 7], 42), {})]


def _replays(task: str) -> Callable[[np.random.Generator], list[Case]]:
    def cases(rng: np.random.Generator) -> list[Case]:
        n_in, n_out, lr = {"regression": (10, 1, 0.002), "binary": (30, 1, 0.005), "classifier": (64, 10, 0.1)}[task]
        out = []
        for rows, hidden, epochs, batch, seed, scale in ((24, [8], 3, 5, 4, 2.0), (24, [8], 2, 7, 9, 1.0),
                                                        (30, [6, 5], 2, 4, 1, 1.5), (12, [8], 1, 12, 2, 3.0),
                                                        (120, [16], 4, 8, 0, 1.0), (24, [8], 4, 5, 3, 1e-6)):
            X = rng.normal(size=(rows, n_in))
            if task == "regression":
                size = 1.0 if scale < 1e-3 else 40.0  # a plateau needs small targets at a tiny rate
                Y = (X[:, :1] + rng.normal(scale=0.5, size=(rows, 1))) * size + 3.75 * size
            elif task == "binary":
                Y = (X[:, :1] > 0) * 1.0
            else:
                Y = np.eye(n_out)[rng.integers(0, n_out, size=rows)]
            out.append(((X, Y, [n_in, *hidden, n_out], scale * lr, epochs, batch, seed), {}))
        return out
    return cases


CASES: dict[str, Callable[[np.random.Generator], list[Case]]] = {
    **{name: _elementwise for name in ("sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime")},
    "leaky_relu": _leaky, "leaky_relu_prime": _leaky, "maxout": _maxout, "softmax": _softmax,
    "softmax_jacobian": _softmax_output, "numerical_gradient": _numerical_gradient,
    "layer_shapes": _sizes, "param_count": _sizes, "param_count_maxout": _maxout_count,
    "dense_forward": _dense, "forward": _forward, "to_course_convention": _params_004, "forward_004": _forward_004,
    "regression_gradients": _two_layer(False), "homework_gradients": _two_layer(False),
    "binary_gradients": _two_layer(True), "binary_relu_gradients": _two_layer(True, relu=True),
    "line_fit_gradient": _line, "fit_line": _fit_line, "gd_step": _gd_step,
    "mse": _regression_targets, "mse_gradient": _regression_targets,
    "huber": _regression_c, "huber_gradient": _regression_c,
    "pseudo_huber": _regression_c, "pseudo_huber_gradient": _regression_c,
    "bce": _probabilities, "bce_gradient": _probabilities, "cce": _classes, "cce_gradient": _classes,
    "delta_mse_linear": _regression_targets, "delta_mse_sigmoid": _sigmoid_outputs,
    "delta_bce_sigmoid": _sigmoid_outputs, "delta_cce_softmax": _softmax_outputs,
    "delta_huber_linear": _regression_c, "delta_pseudo_huber_linear": _regression_c,
    "hidden_delta": _hidden_delta, "layer_gradients": _layer_gradients, "backprop": _backprop,
    "predict_classes": _predict, "gradient_errors": _gradient_errors,
    "init_params": _init, "train_regression": _replays("regression"), "train_binary": _replays("binary"),
    "train_classifier": _replays("classifier"),
}

#: A corpus entry graded through other functions: ``train`` is graded as the notebook's three networks.
REFERENCE_OF: dict[str, list[str]] = {"train": ["train_regression", "train_binary", "train_classifier"]}

#: Code a notebook runs before the graded cells (a5's pasted code of assignments 1-4 and its init).
PRELUDES: dict[str, Any] = {
    "a5": __import__("a5").PASTED,
    "a4": '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(z):
    return np.maximum(0.0, np.asarray(z, dtype=np.float64))


def relu_prime(z):
    return (np.asarray(z) > 0).astype(np.float64)


def softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def network_output(X, params):
    A = np.asarray(X, dtype=np.float64)
    for W, b in params[:-1]:
        A = relu(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
''',
    "a3": '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(z):
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)
''',
}
