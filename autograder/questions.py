"""The registry of gradable questions: what the student writes, how it is checked.

Each :class:`Question` names the student's function, its reference in ``nn_core`` (called
with the same arguments), a case generator (a seeded rng in, consistent inputs out), the
edge cases every hidden set includes, and the known mistakes: wrong variants, each with a
message that teaches. When a student's result fails a case, the grader runs each mistake
on the same inputs and names the one whose output the student's matches.

Keys are the question ids used in ``course.yml``; tolerances and points live there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from nn_core import activations, answers, deltas, losses, network, optim, two_layer

Args = tuple
CaseMaker = Callable[[np.random.Generator], Args]


@dataclass(frozen=True)
class Case:
    """One set of inputs for a question; ``label`` says what kind of case it is."""

    label: str
    args: Args


@dataclass(frozen=True)
class Mistake:
    """A named wrong variant of a question's function, with the message it earns."""

    name: str
    message: str
    fn: Callable[..., Any]


@dataclass(frozen=True)
class Question:
    id: str
    function: str
    reference: Callable[..., Any]
    make_case: CaseMaker
    edge_cases: Callable[[np.random.Generator], list[Case]]
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)

    def random_case(self, rng: np.random.Generator) -> Case:
        return Case("random", self.make_case(rng))


QUESTIONS: dict[str, Question] = {}


def register(question_id: str, reference: Callable, make_case: CaseMaker,
             edge_cases: Callable[[np.random.Generator], list[Case]],
             mistakes: list[Mistake] | None = None, function: str | None = None) -> None:
    if question_id in QUESTIONS:
        raise ValueError(f"question {question_id!r} registered twice")
    QUESTIONS[question_id] = Question(question_id, function or question_id, reference,
                                      make_case, edge_cases, tuple(mistakes or ()))


# --------------------------------------------------------------------------- inputs
def _dims(rng: np.random.Generator, max_m: int = 6, max_n: int = 5) -> tuple[int, int]:
    return int(rng.integers(2, max_m + 1)), int(rng.integers(1, max_n + 1))


def _z(rng: np.random.Generator) -> np.ndarray:
    return rng.normal(scale=3.0, size=_dims(rng))


def _probabilities(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    return activations.softmax(rng.normal(scale=2.0, size=(m, n)))


def _one_hot(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    return np.eye(n)[rng.integers(0, n, size=m)]


def _binary(rng: np.random.Generator, m: int, n: int = 1) -> np.ndarray:
    return rng.integers(0, 2, size=(m, n)).astype(np.float64)


def _layer(rng: np.random.Generator, n_out: int, n_in: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    return rng.normal(scale=scale, size=(n_out, n_in)), rng.normal(scale=scale, size=n_out)


def _params(rng: np.random.Generator, sizes: list[int], scale: float = 1.0) -> list[tuple[np.ndarray, np.ndarray]]:
    return [_layer(rng, n_out, n_in, scale) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


# --------------------------------------------------------------------------- activations
def _elementwise_edges(rng: np.random.Generator) -> list[Case]:
    return [
        Case("m = 1", (rng.normal(scale=3.0, size=(1, 4)),)),
        Case("large |z|", (np.array([[-1000.0, -40.0, -1e-3, 1e-3, 40.0, 1000.0]]),)),
        Case("zeros", (np.zeros((2, 3)),)),
        Case("a 1-D vector", (rng.normal(scale=3.0, size=5),)),
    ]


SIGN_OF_EXPONENT = Mistake(
    "sign of the exponent", "sigmoid is 1 / (1 + e^(-z)): check the sign inside the exponential.",
    lambda z: 1.0 / (1.0 + np.exp(np.clip(z, -700, 700))))

register("sigmoid", activations.sigmoid, lambda rng: (_z(rng),), _elementwise_edges, [SIGN_OF_EXPONENT])

register("sigmoid_prime", activations.sigmoid_prime, lambda rng: (_z(rng),), _elementwise_edges, [
    Mistake("a(1-a) of z instead of sigmoid(z)",
            "sigma'(z) = sigma(z) (1 - sigma(z)): apply the sigmoid first, then a (1 - a).",
            lambda z: z * (1 - z)),
    Mistake("returned sigmoid itself", "you returned sigma(z); the derivative is sigma(z) (1 - sigma(z)).",
            lambda z: activations.sigmoid(z)),
])

register("tanh", activations.tanh, lambda rng: (_z(rng),), _elementwise_edges, [
    Mistake("identity without the 2x", "the identity is tanh(x) = 2 sigma(2x) - 1: the sigmoid's argument is 2x.",
            lambda z: 2 * activations.sigmoid(z) - 1),
    Mistake("identity without the -1", "the identity is tanh(x) = 2 sigma(2x) - 1: subtract 1.",
            lambda z: 2 * activations.sigmoid(2 * z)),
])

register("tanh_prime", activations.tanh_prime, lambda rng: (_z(rng),), _elementwise_edges, [
    Mistake("1 - z^2", "tanh'(z) = 1 - tanh(z)^2: take tanh of z before squaring.", lambda z: 1 - z ** 2),
    Mistake("1 - tanh(z)", "tanh'(z) = 1 - tanh(z)^2: the tanh is squared.", lambda z: 1 - np.tanh(z)),
])

register("relu", activations.relu, lambda rng: (_z(rng),), _elementwise_edges, [
    Mistake("returned the derivative", "ReLU(z) = max(0, z); you returned its derivative (a step of 0s and 1s).",
            lambda z: (z > 0).astype(np.float64)),
    Mistake("min instead of max", "ReLU(z) = max(0, z), not min(0, z).", lambda z: np.minimum(0.0, z)),
])

register("relu_prime", activations.relu_prime, lambda rng: (_z(rng),), _elementwise_edges, [
    Mistake("derivative 1 at z = 0", "at z = 0 the course takes ReLU'(0) = 0: use z > 0, not z >= 0.",
            lambda z: (z >= 0).astype(np.float64)),
    Mistake("returned relu itself", "you returned max(0, z); the derivative is 1 where z > 0 and 0 elsewhere.",
            lambda z: np.maximum(0.0, z)),
])

register("leaky_relu", activations.leaky_relu, lambda rng: (_z(rng),), _elementwise_edges, [
    Mistake("wrong leaky slope", "wrong leaky slope: the course's leaky ReLU is max(z, 0.1 z) (slope=0.1), not 0.01.",
            lambda z, slope=0.1: np.where(z > 0, z, 0.01 * z)),
    Mistake("no leak", "that is the plain ReLU: for z < 0 leaky ReLU returns slope * z, not 0.",
            lambda z, slope=0.1: np.maximum(0.0, z)),
])

register("leaky_relu_prime", activations.leaky_relu_prime, lambda rng: (_z(rng),), _elementwise_edges, [
    Mistake("wrong leaky slope", "wrong leaky slope: for z <= 0 the derivative is slope = 0.1, not 0.01.",
            lambda z, slope=0.1: np.where(z > 0, 1.0, 0.01)),
    Mistake("derivative 1 at z = 0", "at z = 0 the course takes the derivative to be the slope: use z > 0.",
            lambda z, slope=0.1: np.where(z >= 0, 1.0, slope)),
    Mistake("no leak", "that is ReLU's derivative: for z <= 0 leaky ReLU's derivative is the slope, not 0.",
            lambda z, slope=0.1: (z > 0).astype(np.float64)),
])


def _maxout_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = m or int(rng.integers(2, 6))
    n_in, n_out = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    return (rng.normal(size=(m, n_in)), *_layer(rng, n_out, n_in), *_layer(rng, n_out, n_in))


def _maxout_edges(rng: np.random.Generator) -> list[Case]:
    X, W1, b1, _, _ = _maxout_case(rng)
    return [
        Case("m = 1", _maxout_case(rng, m=1)),
        Case("ties", (X, W1, b1, W1.copy(), b1.copy())),
        Case("zeros", (np.zeros_like(X), W1, b1, *_layer(rng, *W1.shape))),
    ]


register("maxout", activations.maxout, _maxout_case, _maxout_edges, [
    Mistake("forgot the biases", "maxout is max(W1 x + b1, W2 x + b2): add the biases before taking the max.",
            lambda X, W1, b1, W2, b2: np.maximum(X @ W1.T, X @ W2.T)),
    Mistake("min instead of max", "maxout takes the elementwise maximum of the two affine maps, not the minimum.",
            lambda X, W1, b1, W2, b2: np.minimum(X @ W1.T + b1, X @ W2.T + b2)),
])


def _softmax_edges(rng: np.random.Generator) -> list[Case]:
    return [
        Case("m = 1", (rng.normal(scale=2.0, size=(1, 4)),)),
        Case("large |z|", (np.array([[1000.0, 999.0, -1000.0], [-1e4, 0.0, 1e4]]),)),
        Case("zeros", (np.zeros((2, 3)),)),
        Case("ties", (np.array([[2.0, 2.0, -1.0], [0.5, 0.5, 0.5]]),)),
    ]


def _unstable_softmax(Z):
    with np.errstate(all="ignore"):
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)


register("softmax", activations.softmax, lambda rng: (rng.normal(scale=3.0, size=_dims(rng, max_n=6)),),
         _softmax_edges, [
    Mistake("unstable softmax", "unstable softmax: e^z overflows for large z; subtract each row's maximum "
            "before exponentiating (it does not change the result).", _unstable_softmax),
    Mistake("normalised over columns", "each ROW is one example: normalise with a sum over axis=1 (keepdims=True), "
            "not over the columns.", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=0, keepdims=True)),
    Mistake("not normalised", "softmax divides each e^z_i by the row's sum of e^z_k.", lambda Z: np.exp(Z)),
])


def _softmax_vector(rng: np.random.Generator, n: int | None = None, scale: float = 2.0) -> np.ndarray:
    n = n or int(rng.integers(2, 6))
    return activations.softmax(rng.normal(scale=scale, size=(1, n)))[0]


register("softmax_jacobian", activations.softmax_jacobian, lambda rng: (_softmax_vector(rng),), lambda rng: [
    Case("one class", (np.array([1.0]),)),
    Case("ties", (np.full(4, 0.25),)),
    Case("large |z|", (_softmax_vector(rng, scale=40.0),)),
], [
    Mistake("diagonal only", "that is only the diagonal y_i (1 - y_i): the off-diagonal entries are -y_i y_j "
            "(the lecture's shortcut misses them; see the errata).", lambda a: np.diag(a * (1 - a))),
    Mistake("sign flipped", "the Jacobian is diag(a) - a a^T; your signs are flipped.",
            lambda a: np.outer(a, a) - np.diag(a)),
])


# --------------------------------------------------------------------------- feed-forward
def _sizes(rng: np.random.Generator, max_layers: int = 4, max_width: int = 30) -> list[int]:
    return [int(n) for n in rng.integers(1, max_width + 1, size=int(rng.integers(2, max_layers + 2)))]


def _sizes_edges(rng: np.random.Generator) -> list[Case]:
    return [Case("the lecture's 5-10-20-3", ([5, 10, 20, 3],)), Case("one layer", ([1, 1],)),
            Case("deep", (_sizes(rng, max_layers=6),))]


register("layer_shapes", network.layer_shapes, lambda rng: (_sizes(rng),), _sizes_edges, [
    Mistake("W as (n_in, n_out)", "in this course W has shape (n_out, n_in), like the lecture's 3x5 example "
            "and torch.nn.Linear; you returned (n_in, n_out).",
            lambda sizes: [((n_in, n_out), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]),
])

register("param_count", network.param_count, lambda rng: (_sizes(rng),), _sizes_edges, [
    Mistake("forgot the biases", "you counted only the weights: each layer also has n_out biases.",
            lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))),
    Mistake("biases counted per input", "each layer has n_out biases (one per neuron), not n_in.",
            lambda sizes: sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))),
])


def _dense_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = m or int(rng.integers(2, 7))
    n_in, n_out = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    return (rng.normal(size=(m, n_in)), *_layer(rng, n_out, n_in))


register("dense_forward", network.dense_forward, _dense_case, lambda rng: [
    Case("m = 1", _dense_case(rng, m=1)),
    Case("zeros", (np.zeros((3, 4)), *_layer(rng, 2, 4))),
], [
    Mistake("forgot the bias", "z = W x + b: add the bias b (broadcast over the rows).",
            lambda X, W, b: X @ W.T),
])


def _forward_case(rng: np.random.Generator, m: int | None = None, scale: float = 1.0,
                  output_scale: float = 1.0) -> Args:
    m = m or int(rng.integers(2, 6))
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
    sizes[-1] = max(sizes[-1], 2)
    params = _params(rng, sizes, scale)
    if output_scale != 1.0:  # output logits in the thousands, the first one surely above 709
        W, b = params[-1]
        W, b = W * output_scale, b * output_scale
        b[0] = np.abs(W[0]).sum() + 1000.0  # hidden sigmoids are in (0, 1): z_0 >= 1000
        params[-1] = (W, b)
    return rng.normal(size=(m, sizes[0])), params


def _forward_with(X, params, hidden: Callable, output: Callable):
    A = X
    for index, (W, b) in enumerate(params):
        Z = A @ W.T + b
        A = output(Z) if index == len(params) - 1 else hidden(Z)
    return A


register("forward", answers.forward, _forward_case, lambda rng: [
    Case("m = 1", _forward_case(rng, m=1)),
    Case("large |z|", _forward_case(rng, scale=30.0)),
    Case("output logits in the thousands", _forward_case(rng, output_scale=3000.0)),
], [
    Mistake("sigmoid output", "the output layer uses softmax (a probability per class), not sigmoid.",
            lambda X, params: _forward_with(X, params, activations.sigmoid, activations.sigmoid)),
    Mistake("no hidden activation", "apply the sigmoid after every hidden layer: h = sigmoid(W x + b).",
            lambda X, params: _forward_with(X, params, lambda Z: Z, activations.softmax)),
    Mistake("unstable softmax", "unstable softmax in the output layer: subtract each row's maximum before exp.",
            lambda X, params: _forward_with(X, params, activations.sigmoid, _unstable_softmax)),
])


# --------------------------------------------------------------------------- the two-layer derivations
def _two_layer_case(kind: str) -> Callable[..., Args]:
    def make(rng: np.random.Generator, m: int | None = None, scale: float = 1.0, zero_w1: bool = False) -> Args:
        m = m or int(rng.integers(2, 7))
        n_in, hidden = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        n_out = 1 if kind == "binary" else int(rng.integers(1, 3))
        X = rng.normal(size=(m, n_in))
        W1, b1 = _layer(rng, hidden, n_in, scale)
        if zero_w1:
            W1 = np.zeros_like(W1)
        W2, b2 = _layer(rng, n_out, hidden)
        Y = {"regression": lambda: rng.normal(size=(m, n_out)),
             "homework": lambda: rng.uniform(size=(m, n_out)),
             "binary": lambda: _binary(rng, m)}[kind]()
        return X, Y, W1, b1, W2, b2
    return make


def _two_layer_edges(make: Callable[..., Args]) -> Callable[[np.random.Generator], list[Case]]:
    return lambda rng: [Case("m = 1", make(rng, m=1)), Case("large |z|", make(rng, scale=20.0)),
                        Case("zeros", make(rng, zero_w1=True))]


def _two_layer_parts(X, Y, W1, b1, W2, b2, output: Callable):
    Z1 = X @ W1.T + b1
    A1 = activations.sigmoid(Z1)
    A2 = output(A1 @ W2.T + b2)
    return A1, A2


def _gradients_from_delta2(X, W2, A1, delta2, hidden_prime: bool = True):
    """dW2, db2, dW1, db1 (means over rows) from a per-example output delta."""
    m = X.shape[0]
    delta1 = delta2 @ W2
    if hidden_prime:
        delta1 = delta1 * A1 * (1 - A1)
    return {"dw2": delta2.T @ A1 / m, "db2": delta2.mean(axis=0), "dw1": delta1.T @ X / m, "db1": delta1.mean(axis=0)}


def _variant(parameter: str, output: Callable, delta: Callable, hidden_prime: bool = True, scale: float = 1.0):
    def fn(X, Y, W1, b1, W2, b2):
        A1, A2 = _two_layer_parts(X, Y, W1, b1, W2, b2, output)
        return scale * _gradients_from_delta2(X, W2, A1, delta(A2, Y), hidden_prime)[parameter]
    return fn


def _identity(Z):
    return Z


_TWO_LAYER = {
    "regression": (_identity, lambda A, Y: A - Y),
    "homework": (activations.sigmoid, lambda A, Y: (A - Y) * A * (1 - A)),
    "binary": (activations.sigmoid, lambda A, Y: A - Y),
}

def _times_m(reference: Callable) -> Callable:
    return lambda X, *rest: X.shape[0] * reference(X, *rest)


for _kind, (_output, _delta) in _TWO_LAYER.items():
    _make = _two_layer_case(_kind)
    for _parameter in ("dw2", "db2", "dw1", "db1"):
        _question = f"{_kind}_dL_{_parameter}"
        _reference = getattr(two_layer, _question)
        _mistakes = [
            Mistake("summed instead of averaged", "the loss is the MEAN over the m examples: divide the sum by m.",
                    _times_m(_reference)),
            Mistake("sign flipped", "the sign is flipped: the error term is (a2 - y), not (y - a2).",
                    _variant(_parameter, _output, _delta, scale=-1.0)),
        ]
        if _parameter in ("dw1", "db1"):
            _mistakes.append(Mistake("forgot g'(z1)", "the chain rule through the hidden layer needs "
                                     "g'(z1) = a1 (1 - a1) for the sigmoid hidden layer.",
                                     _variant(_parameter, _output, _delta, hidden_prime=False)))
        if _kind == "homework":
            _mistakes.append(Mistake("forgot sigma'(z2)", "the output is a sigmoid: delta2 = (a2 - y) a2 (1 - a2); "
                                     "you left out sigma'(z2) = a2 (1 - a2).",
                                     _variant(_parameter, _output, lambda A, Y: A - Y)))
        if _kind == "binary":
            _mistakes.append(Mistake("MSE delta with cross-entropy", "you used the MSE delta (a2 - y) a2 (1 - a2) with "
                                     "the cross-entropy loss; with BCE and a sigmoid output, sigma'(z2) cancels: "
                                     "delta2 = a2 - y.",
                                     _variant(_parameter, _output, lambda A, Y: (A - Y) * A * (1 - A))))
        register(_question, _reference, _make, _two_layer_edges(_make), _mistakes)


# --------------------------------------------------------------------------- gradient descent
def _line_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = m or int(rng.integers(3, 15))
    x = rng.uniform(-2, 2, size=m)
    y = rng.normal(2.0, 1.0) * x + rng.normal() + rng.normal(scale=0.1, size=m)
    return float(rng.normal()), float(rng.normal()), x, y


register("line_fit_gradient", optim.line_fit_gradient, _line_case, lambda rng: [
    Case("m = 1", _line_case(rng, m=1)),
    Case("zeros", (0.0, 0.0, *_line_case(rng)[2:])),
], [
    Mistake("no 1/2 in the loss", "the course's loss is mean of 1/2 (a0 x + a1 - y)^2: the 1/2 cancels the 2 "
            "from the square (you have the gradient of the loss without the 1/2).",
            lambda a0, a1, x, y: tuple(2 * g for g in optim.line_fit_gradient(a0, a1, x, y))),
    Mistake("summed instead of averaged", "the loss is a mean over the m points: divide by m.",
            lambda a0, a1, x, y: tuple(len(x) * g for g in optim.line_fit_gradient(a0, a1, x, y))),
    Mistake("sign flipped", "the residual is (a0 x + a1 - y); with (y - prediction) the gradient's sign flips.",
            lambda a0, a1, x, y: tuple(-g for g in optim.line_fit_gradient(a0, a1, x, y))),
    Mistake("swapped", "you returned (dL/da1, dL/da0): a0 is the slope (multiplies x), a1 the intercept.",
            lambda a0, a1, x, y: tuple(optim.line_fit_gradient(a0, a1, x, y))[::-1]),
])


def _fit_line_sequential(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(int(epochs)):
        a0 = a0 - lr * optim.line_fit_gradient(a0, a1, x, y)[0]
        a1 = a1 - lr * optim.line_fit_gradient(a0, a1, x, y)[1]
    return a0, a1


def _fit_line_case(rng: np.random.Generator) -> Args:
    _, _, x, y = _line_case(rng)
    return x, y, float(rng.uniform(0.05, 0.3)), int(rng.integers(1, 60))


register("fit_line", answers.fit_line, _fit_line_case, lambda rng: [
    Case("m = 1", (*_line_case(rng, m=1)[2:], 0.1, 10)),
    Case("zero epochs", (*_line_case(rng)[2:], 0.1, 0)),
], [
    Mistake("updated one parameter before computing the other's gradient",
            "compute both gradients from the same (old) a0, a1, then update both.", _fit_line_sequential),
    Mistake("gradient ascent", "gradient DEScent subtracts: w <- w - eta dL/dw.",
            lambda x, y, lr, epochs: answers.fit_line(x, y, -lr, epochs)),
])


def _gd_case(rng: np.random.Generator, lr: float | None = None, zero_grads: bool = False) -> Args:
    sizes = [int(n) for n in rng.integers(1, 5, size=int(rng.integers(2, 4)))]
    params = _params(rng, sizes)
    grads = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params] if zero_grads else _params(rng, sizes)
    return params, grads, float(rng.uniform(0.01, 1.0)) if lr is None else lr


register("gd_step", optim.gd_step, _gd_case, lambda rng: [
    Case("zero learning rate", _gd_case(rng, lr=0.0)), Case("zeros", _gd_case(rng, zero_grads=True)),
], [
    Mistake("gradient ascent", "gradient DEScent subtracts: W <- W - eta dW.",
            lambda params, grads, lr: optim.gd_step(params, grads, -lr)),
    Mistake("forgot the learning rate", "scale the step by the learning rate: W <- W - eta dW.",
            lambda params, grads, lr: optim.gd_step(params, grads, 1.0)),
])


# --------------------------------------------------------------------------- losses
def _regression_pair(rng: np.random.Generator, m: int | None = None) -> Args:
    m = m or int(rng.integers(2, 7))
    n = int(rng.integers(1, 4))
    Y = rng.normal(size=(m, n))
    return Y + rng.normal(scale=1.5, size=(m, n)), Y


def _regression_edges(with_c: bool) -> Callable[[np.random.Generator], list[Case]]:
    def edges(rng: np.random.Generator) -> list[Case]:
        Y_hat, Y = _regression_pair(rng)
        cases = [Case("m = 1", _regression_pair(rng, m=1)), Case("zeros", (Y.copy(), Y))]
        if with_c:
            cases.append(Case("residuals exactly +-c", (Y + np.where(rng.uniform(size=Y.shape) < 0.5, -1.0, 1.0), Y)))
            cases.append(Case("another c", (Y_hat, Y, 0.5)))
        else:
            cases.append(Case("large residuals", (Y_hat * 1e3, Y)))
        return cases
    return edges


def _classification_pair(rng: np.random.Generator, kind: str, m: int | None = None,
                         n: int | None = None) -> Args:
    m = m or int(rng.integers(2, 7))
    if kind == "bce":
        n = n or int(rng.integers(1, 3))
        return rng.uniform(0.02, 0.98, size=(m, n)), _binary(rng, m, n)
    n = int(rng.integers(2, 5))
    return _probabilities(rng, m, n), _one_hot(rng, m, n)


def _certain(rng: np.random.Generator, kind: str, margin: float) -> Args:
    """Predictions at (or within `margin` of) 0 and 1 that agree with the labels."""
    _, Y = _classification_pair(rng, kind)
    return np.clip(Y, margin, 1 - margin), Y


def _classification_edges(kind: str, margin: float) -> Callable[[np.random.Generator], list[Case]]:
    return lambda rng: [Case("m = 1", _classification_pair(rng, kind, m=1)),
                        Case("predictions at 0 and 1" if margin == 0 else "predictions near 0 and 1",
                             _certain(rng, kind, margin)),
                        Case("several output units", _classification_pair(rng, kind, n=3))]


def _with_c(fn: Callable) -> Callable:
    return lambda Y_hat, Y, c=1.0: fn(Y_hat, Y, c)


def _mean_over_all(per_entry: Callable) -> Callable:
    return lambda Y_hat, Y, *c: float(np.mean(per_entry(Y_hat, Y, *c)))


def _unclipped_bce(P, Y):
    with np.errstate(all="ignore"):
        return float(np.mean(-(Y * np.log(P) + (1 - Y) * np.log(1 - P)).sum(axis=1)))


def _unclipped_cce(P, Y):
    with np.errstate(all="ignore"):
        return float(np.mean(-(Y * np.log(P)).sum(axis=1)))


def _unclipped_cce_gradient(P, Y):
    with np.errstate(all="ignore"):
        return -Y / P / P.shape[0]


def _loss_gradient_mistakes(reference: Callable) -> list[Mistake]:
    return [
        Mistake("forgot 1/m", "this is the gradient of the MEAN loss over the m rows: divide by m.",
                lambda Y_hat, Y, *c: Y_hat.shape[0] * reference(Y_hat, Y, *c)),
        Mistake("sign flipped", "the sign is flipped: differentiate with respect to the prediction y_hat.",
                lambda Y_hat, Y, *c: -reference(Y_hat, Y, *c)),
    ]


AVERAGED_OVER_UNITS = ("averaged over the output units too", "a per-example loss SUMS over the output units; "
                       "only the examples (rows) are averaged.")
SUMMED_OVER_ROWS = ("summed over the examples", "the loss is the MEAN over the m examples, not the sum.")

register("mse", losses.mse, _regression_pair, _regression_edges(with_c=False), [
    Mistake("no 1/2", "the course's MSE per example is 1/2 sum (y_hat - y)^2: you left out the 1/2.",
            lambda Y_hat, Y: 2 * losses.mse(Y_hat, Y)),
    Mistake(*AVERAGED_OVER_UNITS, _mean_over_all(lambda Y_hat, Y: 0.5 * (Y_hat - Y) ** 2)),
    Mistake(*SUMMED_OVER_ROWS, lambda Y_hat, Y: Y.shape[0] * losses.mse(Y_hat, Y)),
])
register("mse_gradient", losses.mse_gradient, _regression_pair, _regression_edges(with_c=False),
         _loss_gradient_mistakes(losses.mse_gradient) + [
    Mistake("no 1/2", "with the 1/2 in the loss the gradient is (y_hat - y) / m, without a factor 2.",
            lambda Y_hat, Y: 2 * losses.mse_gradient(Y_hat, Y)),
])


def _huber_quadratic_only(Y_hat, Y, c=1.0):
    return losses.mse(Y_hat, Y)


register("huber", _with_c(losses.huber), _regression_pair, _regression_edges(with_c=True), [
    Mistake("quadratic everywhere", "Huber is quadratic only for |r| <= c; beyond it the loss is linear: "
            "c (|r| - c/2).", _huber_quadratic_only),
    Mistake(*AVERAGED_OVER_UNITS, lambda Y_hat, Y, c=1.0: losses.huber(Y_hat, Y, c) / Y.shape[1]),
], function="huber")
register("huber_gradient", _with_c(losses.huber_gradient), _regression_pair, _regression_edges(with_c=True),
         _loss_gradient_mistakes(_with_c(losses.huber_gradient)) + [
    Mistake("not clipped", "beyond |r| > c the Huber gradient is c sign(r): clip the residual to [-c, c].",
            lambda Y_hat, Y, c=1.0: losses.mse_gradient(Y_hat, Y)),
])
register("pseudo_huber", _with_c(losses.pseudo_huber), _regression_pair, _regression_edges(with_c=True), [
    Mistake("forgot c^2", "pseudo-Huber is c^2 (sqrt(1 + (r/c)^2) - 1): the factor c^2 in front matters "
            "when c != 1.", lambda Y_hat, Y, c=1.0: losses.pseudo_huber(Y_hat, Y, c) / c ** 2),
    Mistake(*AVERAGED_OVER_UNITS, lambda Y_hat, Y, c=1.0: losses.pseudo_huber(Y_hat, Y, c) / Y.shape[1]),
])
register("pseudo_huber_gradient", _with_c(losses.pseudo_huber_gradient), _regression_pair,
         _regression_edges(with_c=True), _loss_gradient_mistakes(_with_c(losses.pseudo_huber_gradient)))

register("bce", losses.bce, lambda rng: _classification_pair(rng, "bce"), _classification_edges("bce", 0.0), [
    Mistake("unstable log", "log(0) is -inf: clip the predictions to [1e-12, 1 - 1e-12] before taking logs.",
            _unclipped_bce),
    Mistake("forgot the minus", "cross-entropy is MINUS the log-likelihood: -(y log p + (1 - y) log(1 - p)).",
            lambda P, Y: -losses.bce(P, Y)),
    Mistake(*AVERAGED_OVER_UNITS, lambda P, Y: losses.bce(P, Y) / Y.shape[1]),
])
register("bce_gradient", losses.bce_gradient, lambda rng: _classification_pair(rng, "bce"),
         _classification_edges("bce", 1e-9), _loss_gradient_mistakes(losses.bce_gradient))
register("cce", losses.cce, lambda rng: _classification_pair(rng, "cce"), _classification_edges("cce", 0.0), [
    Mistake("unstable log", "0 log 0 gives nan: clip the predictions to [1e-12, 1 - 1e-12] before taking logs.",
            _unclipped_cce),
    Mistake("forgot the minus", "cross-entropy is -sum_i t_i log(y_i): you left out the minus sign.",
            lambda P, Y: -losses.cce(P, Y)),
    Mistake(*AVERAGED_OVER_UNITS, lambda P, Y: losses.cce(P, Y) / Y.shape[1]),
])
register("cce_gradient", losses.cce_gradient, lambda rng: _classification_pair(rng, "cce"),
         _classification_edges("cce", 0.0), _loss_gradient_mistakes(losses.cce_gradient) + [
    Mistake("unstable division", "-y / p divides 0 by 0 where p = 0: clip the predictions to "
            "[1e-12, 1 - 1e-12] first.", _unclipped_cce_gradient),
])


# --------------------------------------------------------------------------- output errors delta^L
def _delta_case(kind: str) -> Callable[..., Args]:
    def make(rng: np.random.Generator, m: int | None = None) -> Args:
        m = m or int(rng.integers(2, 7))
        n = int(rng.integers(1, 4))
        if kind == "linear":
            return _regression_pair(rng, m)
        if kind == "sigmoid":
            return rng.uniform(0.02, 0.98, size=(m, n)), rng.uniform(size=(m, n))
        if kind == "bce":
            return rng.uniform(0.02, 0.98, size=(m, n)), _binary(rng, m, n)
        return _classification_pair(rng, "cce", m)
    return make


def _delta_edges(make: Callable[..., Args], extra: Callable[[np.random.Generator], list[Case]] | None = None):
    return lambda rng: [Case("m = 1", make(rng, m=1))] + (extra(rng) if extra else [])


PER_EXAMPLE = ("divided by m", "delta^L is per example (one row each): no 1/m here; the 1/m comes in dW and db.")


def _delta_mistakes(reference: Callable) -> list[Mistake]:
    return [
        Mistake("sign flipped", "the sign is flipped: the output error is (a - y), not (y - a).",
                lambda A, Y, *c: -reference(A, Y, *c)),
        Mistake(*PER_EXAMPLE, lambda A, Y, *c: reference(A, Y, *c) / A.shape[0]),
    ]


register("delta_mse_linear", deltas.delta_mse_linear, _delta_case("linear"), _delta_edges(_delta_case("linear")),
         _delta_mistakes(deltas.delta_mse_linear))
register("delta_mse_sigmoid", deltas.delta_mse_sigmoid, _delta_case("sigmoid"),
         _delta_edges(_delta_case("sigmoid"), lambda rng: [Case("saturated outputs", (np.array([[0.0, 1.0, 0.5]]), np.array([[1.0, 0.0, 0.5]])))]),
         _delta_mistakes(deltas.delta_mse_sigmoid) + [
    Mistake("forgot sigma'(z)", "with a sigmoid output and MSE, delta^L = (a - y) * sigma'(z) = (a - y) a (1 - a).",
            lambda A, Y: A - Y),
])
register("delta_bce_sigmoid", deltas.delta_bce_sigmoid, _delta_case("bce"), _delta_edges(_delta_case("bce")),
         _delta_mistakes(deltas.delta_bce_sigmoid) + [
    Mistake("MSE delta with cross-entropy", "you used the MSE delta (a - y) a (1 - a) with the cross-entropy loss: "
            "with BCE and a sigmoid output, sigma'(z) cancels and delta^L = a - y.", lambda A, Y: (A - Y) * A * (1 - A)),
])
register("delta_cce_softmax", deltas.delta_cce_softmax, _delta_case("cce"), _delta_edges(_delta_case("cce")),
         _delta_mistakes(deltas.delta_cce_softmax) + [
    Mistake("MSE delta with cross-entropy", "you multiplied by a (1 - a) as for MSE: with cross-entropy and softmax "
            "the Jacobian cancels and delta^L = a - y.", lambda A, Y: (A - Y) * A * (1 - A)),
])
register("delta_huber_linear", _with_c(deltas.delta_huber_linear), _delta_case("linear"),
         _delta_edges(_delta_case("linear"), lambda rng: [Case("another c", (*_regression_pair(rng), 0.5))]),
         _delta_mistakes(_with_c(deltas.delta_huber_linear)) + [
    Mistake("not clipped", "beyond |a - y| > c Huber's delta is c sign(a - y): clip to [-c, c].", lambda A, Y, c=1.0: A - Y),
])
register("delta_pseudo_huber_linear", _with_c(deltas.delta_pseudo_huber_linear), _delta_case("linear"),
         _delta_edges(_delta_case("linear"), lambda rng: [Case("another c", (*_regression_pair(rng), 0.5))]),
         _delta_mistakes(_with_c(deltas.delta_pseudo_huber_linear)))


# --------------------------------------------------------------------------- vectorised backprop
def _hidden_delta_case(rng: np.random.Generator, m: int | None = None, zeros: bool = False) -> Args:
    m = m or int(rng.integers(2, 7))
    n_l, n_next = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    g_prime = np.zeros((m, n_l)) if zeros else (rng.uniform(size=(m, n_l)) > 0.4).astype(np.float64)
    return rng.normal(size=(m, n_next)), rng.normal(size=(n_next, n_l)), g_prime


register("hidden_delta", answers.hidden_delta, _hidden_delta_case, lambda rng: [
    Case("m = 1", _hidden_delta_case(rng, m=1)), Case("zeros", _hidden_delta_case(rng, zeros=True)),
], [
    Mistake("forgot g'(z)", "delta^l = (delta^(l+1) W^(l+1)) * g'(z^l): multiply elementwise by g'(z^l).",
            lambda d, W, g: d @ W),
])


def _layer_gradients_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = m or int(rng.integers(2, 7))
    return rng.normal(size=(m, int(rng.integers(1, 6)))), rng.normal(size=(m, int(rng.integers(1, 6))))


register("layer_gradients", network.layer_gradients, _layer_gradients_case, lambda rng: [
    Case("m = 1", _layer_gradients_case(rng, m=1)),
], [
    Mistake("forgot 1/m", "the gradients are means over the m examples: dW = delta^T A_prev / m, db = mean of delta.",
            lambda delta, A_prev: tuple(delta.shape[0] * g for g in network.layer_gradients(delta, A_prev))),
])


def _backprop_case(rng: np.random.Generator, m: int | None = None, zeros: bool = False) -> Args:
    m = m or int(rng.integers(2, 7))
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(3, 5)))]
    sizes[-1] = max(sizes[-1], 2)
    X = np.zeros((m, sizes[0])) if zeros else rng.normal(size=(m, sizes[0]))
    params = _params(rng, sizes)
    if zeros:
        params = [(W, np.zeros_like(b)) for W, b in params]
    return X, _one_hot(rng, m, sizes[-1]), params


def _mistaken_backprop(X, Y, params, output_delta: Callable, hidden_prime: bool = True, scale: float = 1.0):
    """backprop (ReLU hidden, softmax output, CCE) with one thing wrong, for the mistakes
    below: another output error, no relu'(z) on the way back, or a factor on the gradients."""
    cache = network.forward(params, X, "relu", "softmax")
    delta = output_delta(cache.A[-1], Y)
    grads = []
    for layer in range(len(params) - 1, -1, -1):
        dW, db = network.layer_gradients(delta, cache.A[layer])
        grads.append((scale * dW, scale * db))
        if layer:
            W = params[layer][0]
            delta = (deltas.hidden_delta(delta, W, cache.Z[layer - 1], "relu") if hidden_prime else delta @ W)
    return grads[::-1]


register("backprop", answers.backprop, _backprop_case, lambda rng: [
    Case("m = 1", _backprop_case(rng, m=1)), Case("zeros", _backprop_case(rng, zeros=True)),
], [
    Mistake("forgot 1/m", "dW and db are means over the m examples: divide by m.",
            lambda X, Y, params: _mistaken_backprop(X, Y, params, lambda A, Y: A - Y, scale=X.shape[0])),
    Mistake("MSE delta with cross-entropy", "with softmax and cross-entropy the output error is delta^L = a - y; "
            "you multiplied by a (1 - a).", lambda X, Y, params: _mistaken_backprop(X, Y, params, lambda A, Y: (A - Y) * A * (1 - A))),
    Mistake("forgot relu'(z)", "propagating to a hidden layer multiplies by g'(z^l) = relu'(z^l) (1 where z > 0).",
            lambda X, Y, params: _mistaken_backprop(X, Y, params, lambda A, Y: A - Y, hidden_prime=False)),
    Mistake("sign flipped", "the output error is (a - y), not (y - a).",
            lambda X, Y, params: _mistaken_backprop(X, Y, params, lambda A, Y: A - Y, scale=-1.0)),
])


def _scores(rng: np.random.Generator, m: int | None = None) -> np.ndarray:
    m = m or int(rng.integers(2, 9))
    return _probabilities(rng, m, int(rng.integers(2, 6)))


register("predict_classes", optim.predict_classes, lambda rng: (_scores(rng),), lambda rng: [
    Case("m = 1", (_scores(rng, m=1),)),
    Case("ties", (np.array([[0.4, 0.4, 0.2], [0.1, 0.45, 0.45], [0.25, 0.25, 0.5]]),)),
], [
    Mistake("argmax over the wrong axis", "each row is one example: take np.argmax(A, axis=1).",
            lambda A: np.argmax(A, axis=0)),
    Mistake("ties broken to the last", "with ties, np.argmax returns the FIRST maximum; the course uses that.",
            lambda A: A.shape[1] - 1 - np.argmax(A[:, ::-1], axis=1)),
])

del _kind, _output, _delta, _make, _parameter, _mistakes, _question, _reference
