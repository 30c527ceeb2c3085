"""Assignment 3: the lecture's two-layer derivations, the line fit and gradient descent.

The twelve ``<kind>_dL_<parameter>`` questions share one generator and one family of
mistakes, built by :func:`_variant` from what the derivation can get wrong (the notes'
errata among them).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from autograder.questions.inputs import binary, layer, params, positive, rows
from autograder.questions.registry import Args, Case, Mistake, register
from autograder.questions.variants import identity, quietly
from nn_core import activations, answers, optim, two_layer


# --------------------------------------------------------------------------- the two-layer derivations
def _two_layer_case(kind: str) -> Callable[..., Args]:
    def make(rng: np.random.Generator, m: int | None = None, scale: float = 1.0, zero_w1: bool = False) -> Args:
        m = rows(rng, m)
        n_in, hidden = int(rng.integers(1, 5)), int(rng.integers(2, 5))
        n_out = 1 if kind == "binary" else int(rng.integers(1, 3))
        X = rng.normal(size=(m, n_in))
        W1, b1 = layer(rng, hidden, n_in, scale)
        if zero_w1:
            W1 = np.zeros_like(W1)
        W2, b2 = layer(rng, n_out, hidden)
        Y = {"regression": lambda: rng.normal(size=(m, n_out)),
             "homework": lambda: rng.uniform(size=(m, n_out)),
             "binary": lambda: binary(rng, m)}[kind]()
        return X, Y, W1, b1, W2, b2
    return make


def _two_layer_edges(make: Callable[..., Args]) -> Callable[[np.random.Generator], list[Case]]:
    return lambda rng: [Case("m = 1", make(rng, m=1)), Case("large |z|", make(rng, scale=20.0)),
                        Case("zeros", make(rng, zero_w1=True))]


_OUTPUT = {"regression": identity, "homework": activations.sigmoid, "binary": activations.sigmoid}
_DELTA2 = {"regression": lambda A, Y: A - Y, "homework": lambda A, Y: (A - Y) * A * (1 - A),
           "binary": lambda A, Y: A - Y}


def _variant(parameter: str, kind: str, *, output: Callable | None = None, delta: Callable | None = None,
             hidden_prime: str = "a", scale: float = 1.0, through_w2: bool = True, extra_a1: bool = False,
             x_in_z1: bool = True, x_in_dw1: bool = True) -> Callable:
    """The derivation of ``parameter`` with one thing changed.

    ``hidden_prime``: ``"a"`` (a1 (1 - a1), right), ``"z"`` (z1 (1 - z1)) or ``"none"``;
    ``through_w2=False`` drops W2 from the chain; ``extra_a1`` multiplies delta1 by a1 (the
    homework's erratum); ``x_in_z1=False`` computes z1 = b1 (erratum: z1 = w1 + b1);
    ``x_in_dw1=False`` leaves out dz1/dw1 = x.
    """
    output = output or _OUTPUT[kind]
    delta = delta or _DELTA2[kind]

    def fn(X, Y, W1, b1, W2, b2):
        m = X.shape[0]
        Z1 = X @ W1.T + b1 if x_in_z1 else np.broadcast_to(b1, (m, b1.shape[0]))
        A1 = activations.sigmoid(Z1)
        A2 = output(A1 @ W2.T + b2)
        delta2 = delta(A2, Y)
        delta1 = delta2 @ W2 if through_w2 else delta2 * np.ones_like(A1)
        delta1 = delta1 * {"a": A1 * (1 - A1), "z": Z1 * (1 - Z1), "none": 1.0}[hidden_prime]
        if extra_a1:
            delta1 = delta1 * A1
        grads = {"dw2": delta2.T @ A1 / m, "db2": delta2.mean(axis=0),
                 "dw1": delta1.T @ X / m if x_in_dw1 else delta1.mean(axis=0), "db1": delta1.mean(axis=0)}
        return scale * grads[parameter]
    return fn


def _two_layer_mistakes(kind: str, parameter: str) -> list[Mistake]:
    variant = lambda **changes: _variant(parameter, kind, **changes)  # noqa: E731
    mistakes = [
        Mistake("summed instead of averaged", "the loss is the MEAN over the m examples: divide the sum by m.",
                lambda X, *rest: X.shape[0] * variant()(X, *rest)),
        Mistake("sign flipped", "the sign is flipped: the error term is (a2 - y), not (y - a2).",
                variant(scale=-1.0)),
    ]
    if kind != "binary":
        mistakes.append(Mistake(
            "factor 2 from (y - a)^2 (notes erratum)", "the course's loss is 1/2 (a2 - y)^2, whose derivative "
            "has no factor 2; the lecture notes differentiate (y - a2)^2 and keep the 2 (see the errata).",
            variant(scale=2.0)))
    if parameter in ("dw1", "db1"):
        mistakes += [
            Mistake("forgot g'(z1)", "the chain rule through the hidden layer needs g'(z1) = a1 (1 - a1) for the "
                    "sigmoid hidden layer.", variant(hidden_prime="none")),
            Mistake("g' applied to z1 instead of a1", "the sigmoid's derivative is a1 (1 - a1) with a1 = "
                    "sigma(z1): you used z1 (1 - z1).", variant(hidden_prime="z")),
            Mistake("forgot W2", "the error reaches the hidden layer through the weights: delta1 = "
                    "(delta2 W2) * g'(z1), you left out W2.", variant(through_w2=False)),
        ]
    if parameter == "dw1":
        mistakes.append(Mistake(
            "forgot x in dL/dw1 (notes erratum)", "the chain for dL/dw1 ends with dz1/dw1 = x: dW1 = "
            "delta1^T X / m (the notes' line 75 leaves it out; see the errata).", variant(x_in_dw1=False)))
    if kind == "regression":
        mistakes.append(Mistake("sigmoid on the output", "the regression network's output is linear: "
                                "a2 = z2, no sigmoid.", variant(output=activations.sigmoid)))
        if parameter == "dw2":
            mistakes.append(Mistake(
                "(a1 - y) a1^T (notes erratum)", "the error in dL/dw2 is the OUTPUT's: (a2 - y) a1^T, not "
                "(a1 - y) a1^T as in the notes' update rule (see the errata).",
                lambda X, Y, W1, b1, W2, b2: (activations.sigmoid(X @ W1.T + b1) - Y).T
                @ activations.sigmoid(X @ W1.T + b1) / X.shape[0]))
    if kind == "homework":
        mistakes += [
            Mistake("forgot sigma'(z2)", "the output is a sigmoid: delta2 = (a2 - y) a2 (1 - a2); you left out "
                    "sigma'(z2) = a2 (1 - a2).", variant(delta=lambda A, Y: A - Y)),
            Mistake("z1 without x (notes erratum)", "z1 = W1 x + b1: the homework's first line writes "
                    "z1 = w1 + b1 (see the errata), but the input x enters the hidden layer.",
                    variant(x_in_z1=False)),
        ]
        if parameter == "dw1":
            mistakes.append(Mistake(
                "extra a1 in dL/dw1 (notes erratum)", "the chain for dL/dw1 has no factor a1 (that belongs to "
                "dz2/dw2): the notes' homework answer has it by mistake (see the errata).",
                variant(extra_a1=True)))
    if kind in ("homework", "binary"):
        mistakes.append(Mistake("no output sigmoid", "the output unit is a sigmoid: a2 = sigma(z2).",
                                variant(output=identity)))
    if kind == "binary":
        mistakes.append(Mistake(
            "MSE delta with cross-entropy", "you used the MSE delta (a2 - y) a2 (1 - a2) with the cross-entropy "
            "loss; with BCE and a sigmoid output, sigma'(z2) cancels: delta2 = a2 - y.",
            variant(delta=lambda A, Y: (A - Y) * A * (1 - A))))
    return mistakes


for _kind in ("regression", "homework", "binary"):
    _make = _two_layer_case(_kind)
    for _parameter in ("dw2", "db2", "dw1", "db1"):
        _question = f"{_kind}_dL_{_parameter}"
        register(_question, getattr(two_layer, _question), _make, _two_layer_edges(_make),
                 _two_layer_mistakes(_kind, _parameter))


# --------------------------------------------------------------------------- the line fit
def _line_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = rows(rng, m, high=15)
    x = rng.uniform(-2, 2, size=m)
    y = rng.normal(2.0, 1.0) * x + rng.normal() + rng.normal(scale=0.1, size=m)
    return float(rng.normal()), float(rng.normal()), x, y


def _scaled(factor: Callable, reference: Callable = optim.line_fit_gradient) -> Callable:
    return lambda a0, a1, x, y: tuple(factor(x) * g for g in reference(a0, a1, x, y))


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
    Mistake("forgot x in dL/da0", "a0 multiplies x, so dL/da0 = mean(r x); you returned mean(r) for both.",
            _forgot_x),
])


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
            "writes each gradient as a function of its own weight alone; see the errata).", _fit_line_sequential),
    Mistake("gradient ascent", "gradient DEScent subtracts: w <- w - eta dL/dw.",
            lambda x, y, lr, epochs: answers.fit_line(x, y, -lr, epochs)),
    Mistake("one epoch too many", "take exactly `epochs` steps (range(epochs)): you took one more.",
            lambda x, y, lr, epochs: answers.fit_line(x, y, lr, epochs + 1)),
    Mistake("one epoch too few", "take exactly `epochs` steps (range(epochs)): you took one fewer.",
            lambda x, y, lr, epochs: answers.fit_line(x, y, lr, max(epochs - 1, 0))),
    Mistake("forgot the learning rate", "scale each step by the learning rate: a <- a - lr dL/da.",
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
    Mistake("gradient ascent", "gradient DEScent subtracts: W <- W - eta dW.",
            lambda layers, grads, lr: optim.gd_step(layers, grads, -lr)),
    Mistake("forgot the learning rate", "scale the step by the learning rate: W <- W - eta dW.",
            lambda layers, grads, lr: optim.gd_step(layers, grads, 1.0)),
    Mistake("updated only the weights", "update the biases too: b <- b - eta db.",
            lambda layers, grads, lr: [(W - lr * dW, b) for (W, b), (dW, _) in zip(layers, grads)]),
    Mistake("returned the steps", "return the NEW parameters W - eta dW, not the steps eta dW.",
            lambda layers, grads, lr: [(lr * dW, lr * db) for dW, db in grads]),
], keeps_inputs=True)
