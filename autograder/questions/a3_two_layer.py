"""Assignment 3: the lecture's two-layer networks, the line fit and gradient descent.

One question per network, each returning the four gradients ``(dW1, db1, dW2, db2)`` from
one forward pass: ``regression_gradients`` (the notes' worked derivation), ``homework_gradients``,
``binary_gradients`` and ``binary_relu_gradients`` (derived by the student). They share one
case generator and one family of mistakes, built by :func:`_variant` from what a derivation
can get wrong (the notes' errata among them): each mistake is the 4-tuple with one thing
changed, so a slip in one gradient only is named as such.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from autograder.questions.inputs import binary, layer, params, positive, rows
from autograder.questions import large, precision
from autograder.questions.registry import Args, Case, Mistake, register
from autograder.questions.variants import identity, quietly
from nn_core import activations, answers, optim, two_layer


# --------------------------------------------------------------------------- the two-layer networks
#: the arguments the four returned gradients are gradients of, in the order returned
WRT = (("dW1", (2,)), ("db1", (3,)), ("dW2", (4,)), ("db2", (5,)))
#: each network's output activation and per-example output error (its hidden activation: two_layer.NETWORKS)
_OUTPUT = {"regression": identity, "homework": activations.sigmoid, "binary": activations.sigmoid,
           "binary_relu": activations.sigmoid}
_DELTA2 = {"regression": lambda A, Y: A - Y, "homework": lambda A, Y: (A - Y) * A * (1 - A),
           "binary": lambda A, Y: A - Y, "binary_relu": lambda A, Y: A - Y}
_KINK = 1e-3  # relu pre-activations stay this far from 0, where relu has no derivative


def _off_the_kink(X: np.ndarray, W1: np.ndarray, b1: np.ndarray) -> np.ndarray:
    """``b1`` moved so that no pre-activation ``X W1^T + b1`` is within :data:`_KINK` of 0
    (a central difference across relu's kink is not its derivative)."""
    b1 = b1.copy()
    while (close := (np.abs(X @ W1.T + b1) < _KINK).any(axis=0)).any():
        b1 = b1 + np.where(close, 10 * _KINK, 0.0)
    return b1


def _two_layer_case(kind: str) -> Callable[..., Args]:
    def make(rng: np.random.Generator, m: int | None = None, scale: float = 1.0, zero_w1: bool = False,
             dead: bool = False) -> Args:
        m = rows(rng, m)
        # never a square gradient (n_in, n_out <= 3 < h): a transposed one is told by its shape
        n_in, hidden = int(rng.integers(1, 4)), int(rng.integers(4, 6))
        n_out = 1 if kind.startswith("binary") else int(rng.integers(1, 3))
        X = rng.normal(size=(m, n_in))
        W1, b1 = layer(rng, hidden, n_in, scale)
        if zero_w1:
            W1 = np.zeros_like(W1)
        if dead:  # hidden units that no example switches on
            b1[: hidden // 2] = -10.0 - np.abs(X).sum(axis=1).max() * np.abs(W1).max()
        W2, b2 = layer(rng, n_out, hidden)
        if two_layer.NETWORKS[kind].hidden == "relu":
            W2 = W2 / scale  # large |z1| without a saturated output
            b1 = _off_the_kink(X, W1, b1)
        return X, _targets(rng, kind, m, n_out), W1, b1, W2, b2
    return make


def _targets(rng: np.random.Generator, kind: str, m: int, n_out: int) -> np.ndarray:
    """Y for a network: real numbers (regression), values in [0, 1] (homework) or 0/1 labels."""
    return {"regression": lambda: rng.normal(size=(m, n_out)),
            "homework": lambda: rng.uniform(size=(m, n_out))}.get(kind, lambda: binary(rng, m))()


def _large_two_layer(kind: str) -> Callable[[np.random.Generator], Args]:
    """The case with many parameters (:mod:`autograder.questions.large`): weights scaled by
    1 / sqrt(width), so that the wide layers neither saturate nor explode."""
    def make(rng: np.random.Generator) -> Args:
        m, width = large.NETWORK_ROWS, large.NETWORK_WIDTH
        n_out = 1 if kind.startswith("binary") else 2
        X = rng.normal(size=(m, width))
        W1, b1 = layer(rng, width, width, scale=width ** -0.5)
        W2, b2 = layer(rng, n_out, width, scale=width ** -0.5)
        if two_layer.NETWORKS[kind].hidden == "relu":
            b1 = _off_the_kink(X, W1, b1)
        return X, _targets(rng, kind, m, n_out), W1, b1, W2, b2
    return make


def _two_layer_edges(kind: str, make: Callable[..., Args]) -> Callable[[np.random.Generator], list[Case]]:
    def edges(rng: np.random.Generator) -> list[Case]:
        cases = [Case("m = 1", make(rng, m=1)), Case("large |z|", make(rng, scale=6.0)),
                 Case("zeros", make(rng, zero_w1=True))]
        if two_layer.NETWORKS[kind].hidden == "relu":
            cases.append(Case("dead units", make(rng, dead=True)))
        return cases
    return edges


def _hidden_prime(kind: str, rule: str, Z1: np.ndarray, A1: np.ndarray) -> np.ndarray | float:
    """g'(z1) by ``rule``: ``"right"`` (the network's own), ``"z"`` (sigmoid' written with z1 for
    a1), ``"sigmoid"`` (a1 (1 - a1) whatever the activation), ``"activation"`` (g(z1) for g'(z1)),
    ``"none"``."""
    if rule == "right":
        rule = "sigmoid" if two_layer.NETWORKS[kind].hidden == "sigmoid" else "step"
    return {"sigmoid": lambda: A1 * (1 - A1), "step": lambda: (Z1 > 0).astype(float), "z": lambda: Z1 * (1 - Z1),
            "activation": lambda: A1, "none": lambda: 1.0}[rule]()


def _variant(kind: str, *, output: Callable | None = None, delta: Callable | None = None,
             hidden_prime: str = "right", through_w2: bool = True,
             extra_a1: str = "", x_in_z1: bool = True, x_in_dw1: bool = True, dw2_error: str = "a2",
             dw2_input: str = "a1", scales: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0),
             order: tuple[int, int, int, int] = (0, 1, 2, 3)) -> Callable:
    """The network's four gradients ``(dW1, db1, dW2, db2)`` with one thing changed.

    ``hidden_prime``: see :func:`_hidden_prime`; ``through_w2=False`` drops W2 from the chain; ``extra_a1``:
    ``"dw1"`` multiplies dW1 by a1 as the notes' homework answer does, ``"delta1"`` the hidden
    error itself (dW1 and db1); ``x_in_z1=False`` computes z1 = b1 (the homework's z1 = w1 + b1);
    ``x_in_dw1=False`` leaves dz1/dw1 = x out of dW1; ``dw2_error="a1"`` uses (a1 - y) in dW2
    (the notes' update rule); ``dw2_input="x"`` the input x for a1 in dW2; ``scales`` multiply
    each gradient; ``order`` returns them in another order.
    """
    output = output or _OUTPUT[kind]
    delta = delta or _DELTA2[kind]
    g = getattr(activations, two_layer.NETWORKS[kind].hidden)

    def fn(X, Y, W1, b1, W2, b2):
        m = X.shape[0]
        Z1 = X @ W1.T + b1 if x_in_z1 else np.broadcast_to(b1, (m, b1.shape[0]))
        A1 = g(Z1)
        A2 = output(A1 @ W2.T + b2)
        delta2 = delta(A2, Y)
        delta1 = delta2 @ W2 if through_w2 else delta2 * np.ones_like(A1)
        delta1 = delta1 * _hidden_prime(kind, hidden_prime, Z1, A1)
        delta1_w = delta1 * A1 if extra_a1 else delta1
        if extra_a1 == "delta1":
            delta1 = delta1_w
        error2 = (A1 - Y) if dw2_error == "a1" else delta2
        grads = (delta1_w.T @ X / m if x_in_dw1 else delta1_w.mean(axis=0), delta1.mean(axis=0),
                 error2.T @ (X if dw2_input == "x" else A1) / m, delta2.mean(axis=0))
        grads = tuple(k * gradient for k, gradient in zip(scales, grads))
        return tuple(grads[i] for i in order)
    return quietly(fn)


def _times_m(fn: Callable, which: tuple[int, ...]) -> Callable:
    """``fn`` with the gradients at positions ``which`` multiplied by m (summed, not averaged)."""
    def summed(X, *rest):
        grads = fn(X, *rest)
        return tuple(X.shape[0] * g if i in which else g for i, g in enumerate(grads))
    return summed


def _two_layer_mistakes(kind: str) -> list[Mistake]:
    variant = lambda **changes: _variant(kind, **changes)  # noqa: E731
    mse = kind in ("regression", "homework")
    mistakes = [
        Mistake("summed instead of averaged", "the loss is the MEAN over the m examples: every gradient is a "
                "mean of per-example gradients (divide the sums by m).", _times_m(variant(), (0, 1, 2, 3))),
        Mistake("weights summed, biases averaged", "dW1 and dW2 are means over the m examples too, like the "
                "bias gradients: a matrix product over the rows sums them, so divide by m.",
                _times_m(variant(), (0, 2))),
        Mistake("biases summed, weights averaged", "db1 and db2 are means over the m examples, like the weight "
                "gradients: average the per-example errors over the rows (a sum is m times too large).",
                _times_m(variant(), (1, 3))),
        Mistake("sign flipped", "every gradient has the wrong sign: a (y - a2) where the chain rule gives "
                "(a2 - y), or a minus lost.",
                variant(scales=(-1.0,) * 4)),
        Mistake("gradients in another order", "return the four gradients in the order (dW1, db1, dW2, db2): "
                "first layer first, each weight before its bias.", variant(order=(2, 3, 0, 1))),
        Mistake("weights before biases", "return the four gradients in the order (dW1, db1, dW2, db2), each "
                "weight gradient followed by its bias gradient.", variant(order=(0, 2, 1, 3))),
        Mistake("forgot g'(z1)", "the chain rule through the hidden layer passes da1/dz1 = g'(z1); dW1 and db1 "
                "leave it out.", variant(hidden_prime="none")),
        Mistake("forgot W2", "the output error reaches the hidden layer through the weights (dz2/da1 = W2); dW1 "
                "and db1 leave W2 out.", variant(through_w2=False)),
        Mistake("forgot x in dL/dw1", "the chain for dL/dW1 ends with dz1/dW1, which brings in the "
                "input x: dW1 has the shape of W1.",
                variant(x_in_dw1=False)),
        Mistake("x instead of a1 in dL/dw2", "the output layer's input is the hidden activation a1, not x: "
                "dz2/dW2 brings in a1 (dW2 has the shape of W2).", variant(dw2_input="x")),
    ]
    if mse:
        mistakes.append(Mistake(
            "factor 2 from (y - a)^2 (notes erratum)", "the course's loss is 1/2 (a2 - y)^2, whose derivative "
            "has no factor 2; the lecture notes differentiate (y - a2)^2 and keep the 2 (errata.md, #7).",
            variant(scales=(2.0,) * 4)))
    if two_layer.NETWORKS[kind].hidden == "sigmoid":
        mistakes.append(Mistake("g' applied to z1 instead of a1", "the sigmoid's derivative is a1 (1 - a1) with "
                                "a1 = sigma(z1): you used z1 (1 - z1).", variant(hidden_prime="z")))
    else:
        mistakes += [
            Mistake("relu' applied as sigmoid'", "the hidden layer is a ReLU: its derivative is 1 where z1 > 0 and "
                    "0 elsewhere, not a1 (1 - a1), which is the sigmoid's.", variant(hidden_prime="sigmoid")),
            Mistake("relu(z1) for relu'(z1)", "the chain rule needs the DERIVATIVE of the ReLU at z1 (1 where "
                    "z1 > 0, else 0), not the ReLU itself.", variant(hidden_prime="activation")),
            Mistake("sigmoid hidden layer", "this network's hidden layer is a ReLU, a1 = relu(z1): you computed "
                    "the sigmoid network's gradients.", _variant("binary")),
        ]
    if kind == "regression":
        mistakes += [
            Mistake("sigmoid on the output", "the regression network's output is linear: a2 = z2, no sigmoid.",
                    variant(output=activations.sigmoid)),
            Mistake("(a1 - y) a1^T (notes erratum)", "the error in dL/dW2 is the OUTPUT's, (a2 - y), not (a1 - y) "
                    "as in the notes' update rule (errata.md, #8).", variant(dw2_error="a1")),
        ]
    if kind == "homework":
        mistakes += [
            Mistake("forgot sigma'(z2)", "the output is a sigmoid: the output error carries the factor "
                    "da2/dz2 = sigma'(z2), which you left out.", variant(delta=lambda A, Y: A - Y)),
            Mistake("z1 without x (notes erratum)", "z1 = W1 x + b1: the homework's first line writes "
                    "z1 = w1 + b1 (errata.md, #10), but the input x enters the hidden layer.",
                    variant(x_in_z1=False)),
            Mistake("the notes' homework dL/dw1 (notes erratum)", "your dW1 has the factor too many of the notes' "
                    "homework answer for dL/dw1 (part 4 asks you to find it): check the chain for W1 factor by "
                    "factor with your gradient checker.", variant(extra_a1="dw1")),
            Mistake("the notes' homework factor in delta1 (notes erratum)", "your hidden error has the factor too "
                    "many of the notes' homework answer for dL/dw1 (part 4 asks you to find it), so dW1 and db1 are "
                    "both off: check the chain factor by factor with your gradient checker.",
                    variant(extra_a1="delta1")),
        ]
    if kind != "regression":
        mistakes.append(Mistake("no output sigmoid", "the output unit is a sigmoid: a2 = sigma(z2).",
                                variant(output=identity)))
    if kind.startswith("binary"):
        mistakes += [
            Mistake("MSE delta with cross-entropy", "you used the output error of the MSE network (part 3) with the "
                    "cross-entropy loss: derive delta2 from the log loss's own dL/da2 (sigma'(z2) cancels against it).",
                    variant(delta=lambda A, Y: (A - Y) * A * (1 - A))),
            Mistake("dL/da2 for delta2", "the output error is dL/dz2 = dL/da2 * da2/dz2: you used dL/da2 alone and "
                    "left out the sigmoid's da2/dz2.",
                    variant(delta=lambda A, Y: (A - Y) / (A * (1 - A)))),
        ]
    return mistakes


#: The regression network is a worked example (course.yml): part 2 derives its hidden error in full.
WORKED_FORMS = (r"(W_2^T \delta_2) \odot a_1 (1 - a_1)",)

for _kind in two_layer.NETWORKS:
    _make = _two_layer_case(_kind)
    register(f"{_kind}_gradients", two_layer.NETWORKS[_kind].gradients, _make, _two_layer_edges(_kind, _make),
             _two_layer_mistakes(_kind), wrt=WRT, large_case=_large_two_layer(_kind),
             forms=WORKED_FORMS if _kind == "regression" else ())


# --------------------------------------------------------------------------- the line fit
#: the two scalars the line fit's derivatives are derivatives of (the student's gradient check)
LINE_WRT = (("dL/da0", (0,)), ("dL/da1", (1,)))


def _line_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = rows(rng, m, high=15)
    x = rng.uniform(-2, 2, size=m)
    y = rng.normal(2.0, 1.0) * x + rng.normal() + rng.normal(scale=0.1, size=m)
    return float(rng.normal()), float(rng.normal()), x, y


def _scaled(factor: Callable, reference: Callable = optim.line_fit_gradient) -> Callable:
    return lambda a0, a1, x, y: tuple(factor(x) * g for g in reference(a0, a1, x, y))


#: The line fit's finite-precision probe (issue 26): the loss is quadratic in (a0, a1), so a central
#: difference of it has no truncation error and matched the gradient to rounding; four outlying points
#: at x = 0 with residuals +-p (1e9 to 2e9) leave the gradient as it was and make the loss about 1e18,
#: whose rounding ruins every difference quotient (precision.cancelling_outliers). The single point is
#: not probed: four more points would make it five, and that case is there for m = 1. probe_atol: on
#: 5,000 probed cases, the closed forms lose at most 8.1e-8 beyond the relative tolerance (the expanded
#: sums; a loop, BLAS dot products, einsum, math.fsum, terms divided by m first 2.5e-8 to 7.3e-8;
#: mean(r x) and the corpora's residual forms nothing), a central difference at any step up to 1e4 at
#: least 5.6e-5 (tests/test_shortcuts.py pins both sides of 1e-6).
#: every hidden case probed, the single point too (it becomes five points there; the public m = 1 case keeps
#: one): a derived item earns a difference nothing (grading/derived.py)
LINE_PROBE = {"probe": precision.cancelling_outliers, "probe_atol": 1e-6}


def _forgot_x(a0, a1, x, y):
    residual = np.mean(a0 * x + a1 - y)
    return float(residual), float(residual)


register("line_fit_gradient", optim.line_fit_gradient, _line_case, lambda rng: [
    Case("m = 1", _line_case(rng, m=1)),
    Case("zeros", (0.0, 0.0, *_line_case(rng)[2:])),
], [
    Mistake("no 1/2 in the loss", "the course's loss is mean of 1/2 (a0 x + a1 - y)^2: the 1/2 cancels the 2 "
            "from the square (you have the gradient of the loss without the 1/2).", _scaled(lambda x: 2)),
    Mistake("summed instead of averaged", "the loss is a mean over the m points: divide by m.",
            _scaled(len)),
    Mistake("sign flipped", "the residual is (a0 x + a1 - y); with (y - prediction) the gradient's sign flips.",
            _scaled(lambda x: -1)),
    Mistake("swapped", "you returned (dL/da1, dL/da0): a0 is the slope (multiplies x), a1 the intercept.",
            lambda a0, a1, x, y: tuple(optim.line_fit_gradient(a0, a1, x, y))[::-1]),
    Mistake("forgot x in dL/da0", "your two derivatives are equal: a0 multiplies x in the prediction, so the "
            "chain rule for dL/da0 brings in one more factor than for dL/da1.",
            _forgot_x),
], wrt=LINE_WRT, **LINE_PROBE)


def _fit_line_sequential(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(int(epochs)):
        a0 = a0 - lr * optim.line_fit_gradient(a0, a1, x, y)[0]
        a1 = a1 - lr * optim.line_fit_gradient(a0, a1, x, y)[1]
    return a0, a1


def _fit_line_case(rng: np.random.Generator) -> Args:
    _, _, x, y = _line_case(rng)
    return x, y, positive(rng, 0.05, 0.3), int(rng.integers(2, 60))


register("fit_line", answers.fit_line, _fit_line_case, lambda rng: [
    Case("m = 1", (*_line_case(rng, m=1)[2:], 0.1, 10)),
    Case("zero epochs", (*_line_case(rng)[2:], 0.1, 0)),
], [
    Mistake("updated one parameter before computing the other's gradient",
            "compute both gradients from the same (old) a0, a1, then update both (the notes' n-layer update "
            "writes each gradient as a function of its own weight alone; errata.md, #18).", _fit_line_sequential),
    Mistake("gradient ascent", "your steps go uphill: gradient DEScent moves each parameter AGAINST its "
            "derivative.",
            lambda x, y, lr, epochs: answers.fit_line(x, y, -lr, epochs)),
    Mistake("one epoch too many", "take exactly `epochs` steps (range(epochs)): you took one more.",
            lambda x, y, lr, epochs: answers.fit_line(x, y, lr, epochs + 1)),
    Mistake("one epoch too few", "take exactly `epochs` steps (range(epochs)): you took one fewer.",
            lambda x, y, lr, epochs: answers.fit_line(x, y, lr, max(epochs - 1, 0))),
    Mistake("forgot the learning rate", "your steps ignore the learning rate: each step is the derivative scaled by "
            "`lr`.",
            quietly(lambda x, y, lr, epochs: answers.fit_line(x, y, 1.0, epochs))),
])


# --------------------------------------------------------------------------- gradient descent
def _gd_case(rng: np.random.Generator, lr: float | None = None, zero_grads: bool = False) -> Args:
    sizes = [int(n) for n in rng.integers(1, 5, size=int(rng.integers(2, 4)))]
    layers = params(rng, sizes)
    grads = [(np.zeros_like(W), np.zeros_like(b)) for W, b in layers] if zero_grads else params(rng, sizes)
    return layers, grads, positive(rng, 0.01, 1.0) if lr is None else lr


register("gd_step", optim.gd_step, _gd_case, lambda rng: [
    Case("zero learning rate", _gd_case(rng, lr=0.0)), Case("zeros", _gd_case(rng, zero_grads=True)),
], [
    Mistake("gradient ascent", "your step goes uphill: gradient DEScent moves each parameter AGAINST its "
            "gradient.",
            lambda layers, grads, lr: optim.gd_step(layers, grads, -lr)),
    Mistake("forgot the learning rate", "your step ignores the learning rate: the step is the gradient scaled by "
            "`lr`.",
            lambda layers, grads, lr: optim.gd_step(layers, grads, 1.0)),
    Mistake("updated only the weights", "your biases did not move: take a step on the biases too.",
            lambda layers, grads, lr: [(W - lr * dW, b) for (W, b), (dW, _) in zip(layers, grads)]),
    Mistake("returned the steps", "you returned the steps themselves: return the parameters AFTER the step, "
            "in the same structure as params.",
            lambda layers, grads, lr: [(lr * dW, lr * db) for dW, db in grads]),
], keeps_inputs=True)
