"""Inputs of the released notebooks' shapes for every graded function, drawn by this corpus's author.

``CASES[name](rng)`` returns a list of ``(args, kwargs)`` for ``verify.py``: random inputs of the
shapes each notebook states, plus the edges its text names (|z| = 1000 and 10^4, z = 0 for the
kinks, other values of ``slope`` and ``c``, residuals exactly at ``c``, predictions of exactly 0
or 1, tied rows, all-zero and tiny gradients, a batch size that does not divide the rows, a
learning rate so small that a loss barely moves; in a6 lambda 0, m = 1, empty parts of a split,
Adam's first step, eps large enough or gradients small enough for eps's place to matter,
keep_prob 1, batch norm on two examples and on a constant feature). They are not the grader's
cases. ``PRELUDES`` holds, per corpus file, the code the notebook runs before the student's cells
(the harness reads it when a file has no ``PRELUDE`` of its own). Imports only numpy.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

Case = tuple[tuple, dict]
Maker = Callable[[np.random.Generator], list[Case]]

# ----------------------------------------------------------------------------------------------
# a1
# ----------------------------------------------------------------------------------------------

EDGE_Z = np.array([-1000.0, -60.0, -21.0, -3.5, -1e-3, 0.0, 1e-3, 3.5, 21.0, 60.0, 1000.0])


def _pointwise(rng: np.random.Generator) -> list[Case]:
    """A 0-d array, a vector, a matrix, a 3-d array, the large |z| of the notebook and exact zeros."""
    return [((np.array(0.7),), {}), ((rng.normal(scale=3.0, size=11),), {}),
            ((rng.normal(scale=2.0, size=(4, 5)),), {}), ((rng.normal(size=(2, 3, 2)),), {}),
            ((EDGE_Z.copy(),), {}), ((np.zeros(4),), {})]


def _sloped(rng: np.random.Generator) -> list[Case]:
    """The pointwise cases with the default slope, then slopes 0, 0.05, 0.3 and 1 (z = 0 included)."""
    z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    return ([(args, {}) for args, _ in _pointwise(rng)]
            + [((z,), {"slope": 0.05}), ((rng.normal(size=(3, 4)),), {"slope": 0.3}), ((z,), {"slope": 0.0}),
               ((z,), {"slope": 1.0})])


def _maxout(rng: np.random.Generator) -> list[Case]:
    out = []
    for m, n_in, n_out in ((6, 3, 4), (1, 5, 2), (4, 4, 4), (3, 2, 5)):
        out.append(((rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out),
                     rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)), {}))
    return out


def _softmax(rng: np.random.Generator) -> list[Case]:
    huge = np.array([[1000.0, 999.0, 0.0], [-1e4, 0.0, 1e4], [-800.0, -801.0, -805.0], [5.0, 5.0, 5.0]])
    return [((rng.normal(scale=3.0, size=(5, 4)),), {}), ((rng.normal(size=(1, 6)),), {}),
            ((rng.normal(size=(2, 2)),), {}), ((huge,), {})]


def _jacobian(rng: np.random.Generator) -> list[Case]:
    out = []
    for C in (2, 3, 5, 7):
        e = np.exp(rng.normal(scale=1.5, size=C))
        out.append(((e / e.sum(),), {}))
    return out


def _checker(rng: np.random.Generator) -> list[Case]:
    """The notebook's kinds of test function (sine of a weighted sum, quadratic form, log cosh, a tanh
    layer's loss of its weight matrix), at the default and other steps, on vectors and matrices."""
    w = rng.normal(size=5)
    A = rng.normal(size=(5, 5))
    X, T = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    return [((lambda v, w=w: float(np.sin(w @ v)), rng.normal(size=5)), {}),
            ((lambda v, A=A: float(v @ A @ v), rng.normal(size=5)), {"h": 1e-4}),
            ((lambda V: float(np.sum(np.log(np.cosh(V)))), rng.normal(size=(3, 2))), {"h": 0.02}),
            ((lambda W, X=X, T=T: float(0.5 * np.mean(np.sum((np.tanh(X @ W.T) - T) ** 2, axis=1))),
              rng.normal(size=(3, 4))), {"h": 0.2}),
            ((lambda v: float(np.prod(v) + np.sum(v ** 4)), rng.normal(size=(2, 2))), {})]


# ----------------------------------------------------------------------------------------------
# a2
# ----------------------------------------------------------------------------------------------

SIZES = ([5, 10, 20, 3], [7, 2], [3, 6, 6, 6, 2], [4, 4, 4], [2, 9, 1])


def _sizes(rng: np.random.Generator) -> list[Case]:
    return [((list(sizes),), {}) for sizes in SIZES]


def _sizes_k(rng: np.random.Generator) -> list[Case]:
    return [((list(sizes), k), {}) for sizes in SIZES for k in (1, 2, 3, 5)]


def _random_layers(rng: np.random.Generator, sizes: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _dense(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)), {})
            for m, n_in, n_out in ((6, 5, 3), (1, 4, 2), (3, 3, 3), (2, 2, 5))]


def _forward(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, sizes[0])), _random_layers(rng, sizes)), {})
            for m, sizes in ((4, [5, 10, 20, 3]), (5, [3, 4]), (2, [4, 4, 4, 4]), (1, [2, 6, 3]))]


def _params_004(rng: np.random.Generator) -> list[Case]:
    return [(([(W.T.copy(), b) for W, b in _random_layers(rng, sizes)],), {})
            for sizes in ([5, 10, 20, 3], [3, 2], [4, 4, 4], [2, 3, 5, 1])]


def _forward_004(rng: np.random.Generator) -> list[Case]:
    return [((X, [(W.T.copy(), b) for W, b in params]), {}) for (X, params), _ in _forward(rng)]


# ----------------------------------------------------------------------------------------------
# a3
# ----------------------------------------------------------------------------------------------


def _network(kind: str) -> Maker:
    """Batches for a3's four networks: ``regression``/``homework`` real targets, ``binary`` 0/1 targets
    of one output, ``relu`` the same with every hidden pre-activation at least 0.1 away from 0."""
    def cases(rng: np.random.Generator) -> list[Case]:
        out = []
        for m, n_in, h, n_out in ((8, 3, 5, 2), (1, 2, 4, 1), (6, 4, 3, 3), (5, 2, 2, 1)):
            if kind in ("binary", "relu"):
                n_out = 1
            X = rng.normal(size=(m, n_in))
            Y = (rng.integers(0, 2, size=(m, n_out)) * 1.0 if kind in ("binary", "relu")
                 else rng.normal(size=(m, n_out)))
            W1, b1 = rng.normal(size=(h, n_in)), rng.normal(size=h)
            if kind == "relu":
                while np.abs(X @ W1.T + b1).min() < 0.1:
                    b1 = rng.normal(size=h)
            out.append(((X, Y, W1, b1, rng.normal(size=(n_out, h)), rng.normal(size=n_out)), {}))
        return out
    return cases


def _points(rng: np.random.Generator, m: int = 30) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-2, 2, size=m)
    return x, 1.5 * x - 0.7 + rng.normal(scale=0.3, size=m)


def _line_gradient(rng: np.random.Generator) -> list[Case]:
    x, y = _points(rng)
    return [((0.0, 0.0, x, y), {}), ((1.2, 0.4, x, y), {}), ((-2.0, 3.0, x[:3], y[:3]), {}),
            ((0.5, -0.5, x[:1], y[:1]), {})]


def _fit_line(rng: np.random.Generator) -> list[Case]:
    x, y = _points(rng)
    return [((x, y, 0.1, 30), {}), ((x, y, 0.3, 5), {}), ((x, y, 0.2, 0), {}), ((x, y, 0.05, 1), {}),
            ((x[:6], y[:6], 0.15, 2), {})]


def _gd_step(rng: np.random.Generator) -> list[Case]:
    out = []
    for sizes, lr in (([4, 3, 2], 0.1), ([3, 3], 0.5), ([2, 4, 4, 1], 0.01)):
        params = _random_layers(rng, sizes)
        grads = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in params]
        out.append(((params, grads, lr), {}))
    return out


# ----------------------------------------------------------------------------------------------
# a4
# ----------------------------------------------------------------------------------------------


def _pairs(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(scale=2.0, size=(m, n)), rng.normal(size=(m, n))), {}) for m, n in ((5, 3), (1, 1), (4, 2))]


def _pairs_c(rng: np.random.Generator) -> list[Case]:
    """Residuals inside, outside and exactly at the threshold, and other values of c."""
    Y = rng.normal(size=(3, 4))
    R = np.array([[-3.0, -1.0, -0.3, 0.0], [0.2, 1.0, 2.5, -1.7], [4.0, -0.6, 0.9, -5.0]])
    return (_pairs(rng) + [((Y + R, Y), {}), ((Y + R, Y), {"c": 0.4}), ((Y + R, Y), {"c": 3.0}),
                           ((rng.normal(scale=4.0, size=(6, 2)), rng.normal(size=(6, 2))), {"c": 1.7})])


def _binary_probs(rng: np.random.Generator) -> list[Case]:
    """Probabilities inside (0, 1), one column, and predictions of exactly 0 and 1 for both labels."""
    P = rng.uniform(0.05, 0.95, size=(6, 3))
    Y = rng.integers(0, 2, size=(6, 3)) * 1.0
    edge = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.3, 0.6]])
    edge_y = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return [((P, Y), {}), ((P[:, 1:2], Y[:, 1:2]), {}), ((edge, edge_y), {})]


def _onehot_probs(rng: np.random.Generator) -> list[Case]:
    out = []
    for m, C in ((5, 4), (1, 3), (3, 2)):
        E = np.exp(rng.normal(scale=1.5, size=(m, C)))
        out.append(((E / E.sum(axis=1, keepdims=True), np.eye(C)[rng.integers(0, C, size=m)]), {}))
    out.append(((np.array([[1.0, 0.0, 0.0], [0.0, 0.4, 0.6], [0.5, 0.5, 0.0]]),
                 np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]])), {}))
    return out


def _softmax_outputs(rng: np.random.Generator) -> list[Case]:
    """Strictly positive probability rows (the notebook's visible check inverts them as log a)."""
    return _onehot_probs(rng)[:3]


def _sigmoid_outputs(rng: np.random.Generator) -> list[Case]:
    return [((rng.uniform(0.01, 0.99, size=(m, n)), rng.integers(0, 2, size=(m, n)) * 1.0), {})
            for m, n in ((7, 1), (4, 3), (1, 2))]


def _hidden_delta(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_next)), rng.normal(size=(n_next, n_l)), rng.uniform(0, 1, size=(m, n_l))), {})
            for m, n_next, n_l in ((6, 2, 4), (1, 3, 3), (4, 4, 4), (5, 1, 3))]


def _layer_gradients(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=(m, n_out)), rng.normal(size=(m, n_in))), {})
            for m, n_out, n_in in ((6, 3, 5), (1, 2, 2), (4, 4, 4), (7, 1, 3))]


def _backprop(rng: np.random.Generator) -> list[Case]:
    out = []
    for m, sizes in ((6, [4, 5, 3]), (4, [3, 3]), (5, [4, 6, 5, 3]), (1, [2, 4, 2]), (3, [3, 3, 3, 3, 4])):
        X = rng.normal(size=(m, sizes[0]))
        out.append(((X, np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=m)], _random_layers(rng, sizes)), {}))
    return out


def _argmax(rng: np.random.Generator) -> list[Case]:
    ties = np.array([[0.25, 0.25, 0.5], [0.4, 0.2, 0.4], [0.5, 0.5, 0.0], [0.1, 0.6, 0.3]])
    return [((A,), {}) for (A, _), _ in _onehot_probs(rng)] + [((ties,), {})]


def _gradient_errors(rng: np.random.Generator) -> list[Case]:
    """Near and far gradients, an all-zero layer, and gradients below 1e-8."""
    out = []
    for sizes in ([3, 5, 2], [4, 4], [2, 3, 3, 1]):
        analytic = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in _random_layers(rng, sizes)]
        numeric = [(dW + 1e-8 * rng.normal(size=dW.shape), db * (1 + 0.3 * rng.normal(size=db.shape)))
                   for dW, db in analytic]
        out.append(((analytic, numeric), {}))
    zero = [(np.zeros((2, 3)), np.zeros(2)), (np.array([[0.0, 3e-9]]), np.array([-1.0]))]
    out.append(((zero, [(np.zeros((2, 3)), np.zeros(2)), (np.array([[2e-9, 1e-9]]), np.array([-1.5]))]), {}))
    tiny = [(np.array([[6e-9, -2e-9, 1e-9]]), np.array([2e-9]))]
    out.append(((tiny, [(np.array([[5e-9, 0.0, 1e-9]]), np.array([-1e-9]))]), {}))
    return out


# ----------------------------------------------------------------------------------------------
# a5
# ----------------------------------------------------------------------------------------------


def _init(rng: np.random.Generator) -> list[Case]:
    return [(([10, 16, 1], 0), {}), (([64, 32, 10], 3), {}), (([30, 12, 7, 1], 11), {}), (([5, 4], 8), {}),
            (([20, 20, 20], 2), {})]


def _replay(task: str) -> Maker:
    """Short runs of a5's stated loop, as its table states them (24 rows, a batch size that does not
    divide them) and around it: a batch of all the rows, two hidden layers, more rows, and a
    learning rate so small that the loss hardly changes."""
    n_in, n_out, lr = {"regression": (10, 1, 0.002), "binary": (30, 1, 0.005), "classifier": (64, 10, 0.1)}[task]
    tiny = {"regression": 1e-7, "binary": 1e-4, "classifier": 1e-5}[task]  # the loss moves by < 1e-4 an epoch

    def cases(rng: np.random.Generator) -> list[Case]:
        out = []
        for rows, hidden, epochs, batch, seed, scale in ((24, [8], 3, 5, 7, 1.0), (24, [8], 2, 7, 12, 2.5),
                                                         (24, [8], 2, 24, 5, 1.0), (18, [7, 5], 3, 4, 3, 2.0),
                                                         (80, [12], 2, 9, 1, 1.0), (24, [8], 4, 5, 6, tiny)):
            X = rng.normal(size=(rows, n_in))
            if task == "regression":
                Y = 20.0 * (X[:, :2].sum(axis=1, keepdims=True) + rng.normal(scale=0.3, size=(rows, 1))) + 40.0
            elif task == "binary":
                Y = (X[:, :1] + 0.3 * rng.normal(size=(rows, 1)) > 0) * 1.0
            else:
                Y = np.eye(n_out)[rng.integers(0, n_out, size=rows)]
            out.append(((X, Y, [n_in, *hidden, n_out], scale * lr, epochs, batch, seed), {}))
        return out
    return cases


# ----------------------------------------------------------------------------------------------
# a6
# ----------------------------------------------------------------------------------------------


def _l2(rng: np.random.Generator) -> list[Case]:
    """Networks of one to three layers, lambda 0 and the experiment's strengths (an int among them),
    m = 1 and the experiment's 200 rows."""
    out = []
    for sizes, lam, m in (([5, 4, 3], 0.7, 7), ([3, 2], 3, 1), ([4, 6, 6, 2], 30.0, 200), ([2, 5, 1], 0.0, 12),
                          ([6, 3], 1.0, 200)):
        out.append(((_random_layers(rng, sizes), lam, m), {}))
    return out


def _split(rng: np.random.Generator) -> list[Case]:
    """The experiment's cut (500 rows, 300 validation, no test), an empty validation part, one-hot
    and single-column targets, seeds other than 0."""
    out = []
    for m, n, k, seed, n_val, n_test in ((500, 4, 10, 0, 300, 0), (10, 3, 2, 4, 3, 2), (7, 2, 1, 11, 0, 3),
                                          (12, 5, 3, 2, 4, 4), (9, 1, 1, 7, 1, 1)):
        Y = np.eye(k)[rng.integers(0, k, size=m)] if k > 1 else rng.normal(size=(m, 1))
        out.append(((rng.normal(size=(m, n)), Y, seed, n_val, n_test), {}))
    return out


def _momentum(rng: np.random.Generator) -> list[Case]:
    """A first step (zero velocity), later steps, arrays of other ranks, beta 0, 0.5 and 0.99."""
    out = [((rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), np.zeros((4, 3)), 0.05), {})]
    for shape, lr, beta in (((5,), 0.1, None), ((3, 2), 1.0, 0.5), ((2, 3, 2), 0.01, 0.99), ((4,), 0.3, 0.0)):
        args = (rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape), lr)
        out.append((args, {} if beta is None else {"beta": beta}))
    return out


def _adam(rng: np.random.Generator) -> list[Case]:
    """The first step from zero moments, later steps (t = 2, 7, 100), other betas, eps 1e-3 and
    gradients of 1e-6 (where eps inside or outside the root matters), v >= 0 always."""
    out = []
    for shape, t, lr, grad_scale, zero, kwargs in (((4, 3), 1, 0.01, 1.0, True, {}),
                                                   ((5,), 2, 0.005, 1.0, False, {}),
                                                   ((3, 2), 7, 0.1, 1.0, False, {"beta1": 0.8, "beta2": 0.99}),
                                                   ((6,), 100, 0.01, 1.0, False, {"eps": 1e-3}),
                                                   ((2, 2), 1, 0.01, 1e-6, True, {}),
                                                   ((4,), 3, 0.02, 1e-6, False, {"eps": 1e-7})):
        w, dw = rng.normal(size=shape), grad_scale * rng.normal(size=shape)
        m = np.zeros(shape) if zero else grad_scale * rng.normal(size=shape)
        v = np.zeros(shape) if zero else grad_scale ** 2 * rng.uniform(0.1, 2.0, size=shape)
        out.append(((w, dw, m, v, t, lr), kwargs))
    return out


def _masks(rng: np.random.Generator) -> list[tuple[np.ndarray, float, np.ndarray]]:
    """``(X, keep_prob, mask)``: keep_prob 0.8, 0.5, 0.3 and 1 (every unit kept), one row among them."""
    out = []
    for m, n, keep_prob in ((6, 4, 0.8), (3, 5, 0.5), (1, 6, 0.3), (4, 3, 1.0), (5, 2, 0.65)):
        mask = (rng.random((m, n)) < keep_prob).astype(np.float64)
        out.append((rng.normal(scale=2.0, size=(m, n)), keep_prob, mask))
    return out


def _dropout_forward(rng: np.random.Generator) -> list[Case]:
    return [((X, p, mask, training), {}) for X, p, mask in _masks(rng) for training in (True, False)]


def _dropout_backward(rng: np.random.Generator) -> list[Case]:
    return [((dout, p, mask), {}) for dout, p, mask in _masks(rng)]


def _batches(rng: np.random.Generator) -> list[tuple[tuple, dict]]:
    """``(X, gamma, beta)`` and eps: a batch of 8 rows, two examples, a constant feature, features far
    from zero (mean 50, scale 10), a square batch, eps 0.1 and 1e-3."""
    out = []
    for m, n, eps in ((8, 3, None), (2, 4, None), (6, 3, None), (5, 5, 0.1), (7, 2, 1e-3), (4, 6, None)):
        X = rng.normal(size=(m, n))
        if (m, n) == (6, 3):
            X[:, 1] = 0.7  # a constant feature
        if (m, n) == (7, 2):
            X = 50.0 + 10.0 * X
        out.append(((X, rng.normal(size=n), rng.normal(size=n)), {} if eps is None else {"eps": eps}))
    return out


def _batchnorm_forward(rng: np.random.Generator) -> list[Case]:
    return _batches(rng)


def _batchnorm_backward(rng: np.random.Generator) -> list[Case]:
    return [((rng.normal(size=X.shape), X, gamma, beta), kwargs) for (X, gamma, beta), kwargs in _batches(rng)]


def _network_case(rng: np.random.Generator, m: int, n0: int, n1: int, C: int, keep_prob: float) -> tuple:
    """One batch of the notebook's network, drawn again until every hidden unit is active (ReLU) and
    kept (dropout) on at least one row, so that every gradient path carries something."""
    while True:
        X = rng.normal(size=(m, n0))
        params = [(rng.normal(size=(n1, n0)), rng.normal(scale=0.5, size=n1)),
                  (rng.uniform(0.5, 1.5, size=n1), rng.normal(scale=0.3, size=n1)),
                  (rng.normal(size=(C, n1)), rng.normal(scale=0.5, size=C))]
        mask = (rng.random((m, n1)) < keep_prob).astype(np.float64)
        if (((X @ params[0][0].T + params[0][1]) > 0) & (mask > 0)).any(axis=0).all():
            return X, np.eye(C)[rng.integers(0, C, size=m)], params, mask, keep_prob


def _network_gradients(rng: np.random.Generator) -> list[Case]:
    """The notebook's five layers: keep_prob 0.8, 0.5 and 1 (every unit kept), two examples, more
    hidden units than inputs and fewer."""
    return [(_network_case(rng, *shape), {}) for shape in ((8, 4, 5, 3, 0.8), (6, 5, 3, 4, 1.0), (2, 3, 4, 2, 0.5),
                                                            (10, 3, 6, 3, 0.6), (5, 6, 4, 2, 0.9))]


CASES: dict[str, Maker] = {
    **{name: _pointwise for name in ("sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime")},
    "leaky_relu": _sloped, "leaky_relu_prime": _sloped, "maxout": _maxout, "softmax": _softmax,
    "softmax_jacobian": _jacobian, "numerical_gradient": _checker,
    "layer_shapes": _sizes, "param_count": _sizes, "param_count_maxout": _sizes_k,
    "dense_forward": _dense, "forward": _forward, "to_course_convention": _params_004, "forward_004": _forward_004,
    "regression_gradients": _network("regression"), "homework_gradients": _network("homework"),
    "binary_gradients": _network("binary"), "binary_relu_gradients": _network("relu"),
    "line_fit_gradient": _line_gradient, "fit_line": _fit_line, "gd_step": _gd_step,
    "mse": _pairs, "mse_gradient": _pairs, "huber": _pairs_c, "huber_gradient": _pairs_c,
    "pseudo_huber": _pairs_c, "pseudo_huber_gradient": _pairs_c,
    "bce": _binary_probs, "bce_gradient": _binary_probs, "cce": _onehot_probs, "cce_gradient": _onehot_probs,
    "delta_mse_linear": _pairs, "delta_mse_sigmoid": _sigmoid_outputs, "delta_bce_sigmoid": _sigmoid_outputs,
    "delta_cce_softmax": _softmax_outputs, "delta_huber_linear": _pairs_c, "delta_pseudo_huber_linear": _pairs_c,
    "hidden_delta": _hidden_delta, "layer_gradients": _layer_gradients, "backprop": _backprop,
    "predict_classes": _argmax, "gradient_errors": _gradient_errors,
    "init_params": _init, "train_regression": _replay("regression"), "train_binary": _replay("binary"),
    "train_classifier": _replay("classifier"),
    "l2_penalty": _l2, "l2_gradients": _l2, "split_rows": _split, "momentum_step": _momentum, "adam_step": _adam,
    "dropout_forward": _dropout_forward, "dropout_backward": _dropout_backward,
    "batchnorm_forward": _batchnorm_forward, "batchnorm_backward": _batchnorm_backward,
    "network_gradients": _network_gradients,
}

#: A corpus entry graded through other functions: a5's ``train`` through the notebook's three networks.
REFERENCE_OF: dict[str, list[str]] = {"train": ["train_regression", "train_binary", "train_classifier"]}
