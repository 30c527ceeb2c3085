"""Assignment 1: activation functions, their derivatives, maxout and softmax."""
from __future__ import annotations

import numpy as np

from autograder.questions.inputs import dims, layer, positive, rows, z_batch
from autograder.questions.registry import Args, Case, Mistake, register
from autograder.questions.variants import unstable_softmax
from nn_core import activations


def _elementwise_edges(rng: np.random.Generator) -> list[Case]:
    return [
        Case("m = 1", (rng.normal(scale=3.0, size=(1, 4)),)),
        Case("large |z|", (np.array([[-1000.0, -40.0, -1e-3, 1e-3, 40.0, 1000.0]]),)),
        Case("zeros", (np.zeros((2, 3)),)),
        Case("a 1-D vector", (rng.normal(scale=3.0, size=5),)),
    ]


def _z_case(rng: np.random.Generator) -> Args:
    return (z_batch(rng),)


# --------------------------------------------------------------------------- sigmoid and tanh
def _naive_sigmoid(z):
    with np.errstate(all="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


register("sigmoid", activations.sigmoid, _z_case, _elementwise_edges, [
    Mistake("sign of the exponent", "sigmoid is 1 / (1 + e^(-z)): check the sign inside the exponential.",
            lambda z: 1.0 / (1.0 + np.exp(np.clip(z, -700, 700)))),
], quiet_cases=("large |z|",))

register("sigmoid_prime", activations.sigmoid_prime, _z_case, _elementwise_edges, [
    Mistake("a(1-a) of z instead of sigmoid(z)",
            "sigma'(z) = sigma(z) (1 - sigma(z)): apply the sigmoid first, then a (1 - a).",
            lambda z: z * (1 - z)),
    Mistake("returned sigmoid itself", "you returned sigma(z); the derivative is sigma(z) (1 - sigma(z)).",
            lambda z: activations.sigmoid(z)),
    Mistake("e^z in the sigmoid derivative (notes erratum)",
            "the lecture notes' middle steps have (1 + e^z) in the denominators (see the errata): it is "
            "e^(-z) / (1 + e^(-z))^2 = sigma(z) (1 - sigma(z)).",
            lambda z: np.exp(-np.clip(z, -700, 700)) / (1 + np.exp(np.clip(z, -700, 700))) ** 2),
    Mistake("used tanh's derivative", "1 - tanh(z)^2 is tanh's derivative; the sigmoid's is sigma(z) (1 - sigma(z)).",
            lambda z: 1 - np.tanh(z) ** 2),
])

register("tanh", activations.tanh, _z_case, _elementwise_edges, [
    Mistake("identity without the 2x", "the identity is tanh(x) = 2 sigma(2x) - 1: the sigmoid's argument is 2x.",
            lambda z: 2 * activations.sigmoid(z) - 1),
    Mistake("identity without the -1", "the identity is tanh(x) = 2 sigma(2x) - 1: subtract 1.",
            lambda z: 2 * activations.sigmoid(2 * z)),
    Mistake("unstable tanh", "(e^z - e^-z) / (e^z + e^-z) is inf / inf = nan for large |z|: use np.tanh or "
            "the identity with your stable sigmoid.",
            lambda z: _unstable_tanh(z)),
    Mistake("returned the sigmoid", "that is sigma(z), with values in (0, 1); tanh(z) = 2 sigma(2z) - 1 has "
            "values in (-1, 1).", lambda z: activations.sigmoid(z)),
])


def _unstable_tanh(z):
    with np.errstate(all="ignore"):
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


register("tanh_prime", activations.tanh_prime, _z_case, _elementwise_edges, [
    Mistake("1 - z^2", "tanh'(z) = 1 - tanh(z)^2: take tanh of z before squaring.", lambda z: 1 - z ** 2),
    Mistake("1 - tanh(z)", "tanh'(z) = 1 - tanh(z)^2: the tanh is squared.", lambda z: 1 - np.tanh(z)),
    Mistake("returned tanh itself", "you returned tanh(z); its derivative is 1 - tanh(z)^2.", lambda z: np.tanh(z)),
])


# --------------------------------------------------------------------------- ReLU and leaky ReLU
register("relu", activations.relu, _z_case, _elementwise_edges, [
    Mistake("returned the derivative", "ReLU(z) = max(0, z); you returned its derivative (a step of 0s and 1s).",
            lambda z: (z > 0).astype(np.float64)),
    Mistake("min instead of max", "ReLU(z) = max(0, z), not min(0, z).", lambda z: np.minimum(0.0, z)),
    Mistake("np.max instead of np.maximum", "np.max(z, 0) REDUCES over axis 0; ReLU compares each entry with 0: "
            "np.maximum(z, 0).", lambda z: np.max(z, 0)),
    Mistake("returned |z|", "ReLU keeps positive z and returns 0 (not -z) for negative z: max(0, z).", lambda z: np.abs(z)),
])

register("relu_prime", activations.relu_prime, _z_case, _elementwise_edges, [
    Mistake("derivative 1 at z = 0", "at z = 0 the course takes ReLU'(0) = 0: use z > 0, not z >= 0.",
            lambda z: (z >= 0).astype(np.float64)),
    Mistake("returned relu itself", "you returned max(0, z); the derivative is 1 where z > 0 and 0 elsewhere.",
            lambda z: np.maximum(0.0, z)),
    Mistake("np.sign of z", "np.sign gives -1 for z < 0; ReLU's derivative is 0 there (and 1 for z > 0).",
            lambda z: np.sign(z)),
])


def _slope_case(rng: np.random.Generator) -> Args:
    """Random cases pass a slope other than the default; the edge cases use the default."""
    return z_batch(rng), positive(rng, 0.02, 0.5)


def _leaky_edges(rng: np.random.Generator) -> list[Case]:
    return _elementwise_edges(rng) + [Case("zeros, another slope", (np.zeros((2, 3)), positive(rng, 0.2, 0.4)))]


register("leaky_relu", activations.leaky_relu, _slope_case, _leaky_edges, [
    Mistake("default slope 0.01", "the default is slope=0.1 (the lecture's max(z, 0.1 z)), not 0.01.",
            lambda z, slope=0.01: np.where(z > 0, z, slope * z)),
    Mistake("wrong leaky slope", "wrong leaky slope: the course's leaky ReLU is max(z, slope z) with the slope "
            "argument (slope=0.1), not 0.01; the hidden cases pass other slopes too.",
            lambda z, slope=0.1: np.where(z > 0, z, 0.01 * z)),
    Mistake("no leak", "that is the plain ReLU: for z < 0 leaky ReLU returns slope * z, not 0.",
            lambda z, slope=0.1: np.maximum(0.0, z)),
    Mistake("slope on the wrong side", "the slope applies to z <= 0; for z > 0 leaky ReLU is z itself.",
            lambda z, slope=0.1: np.where(z > 0, slope * z, z)),
])

register("leaky_relu_prime", activations.leaky_relu_prime, _slope_case, _leaky_edges, [
    Mistake("wrong leaky slope", "wrong leaky slope: for z <= 0 the derivative is the slope argument "
            "(slope = 0.1, not 0.01 by default); the hidden cases pass other slopes too.",
            lambda z, slope=0.1: np.where(z > 0, 1.0, 0.01)),
    Mistake("derivative 1 at z = 0", "at z = 0 the course takes the derivative to be the slope: use z > 0.",
            lambda z, slope=0.1: np.where(z >= 0, 1.0, slope)),
    Mistake("no leak", "that is ReLU's derivative: for z <= 0 leaky ReLU's derivative is the slope, not 0.",
            lambda z, slope=0.1: (z > 0).astype(np.float64)),
    Mistake("returned slope * z", "you returned leaky ReLU itself (slope * z for z < 0); its derivative is "
            "1 for z > 0 and the slope elsewhere.", lambda z, slope=0.1: np.where(z > 0, z, slope * z)),
])


# --------------------------------------------------------------------------- maxout
def _maxout_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = rows(rng, m, high=5)
    n_in, n_out = int(rng.integers(1, 5)), int(rng.integers(2, 5))
    return (rng.normal(size=(m, n_in)), *layer(rng, n_out, n_in), *layer(rng, n_out, n_in))


def _maxout_edges(rng: np.random.Generator) -> list[Case]:
    X, W1, b1, _, _ = _maxout_case(rng)
    return [
        Case("m = 1", _maxout_case(rng, m=1)),
        Case("ties", (X, W1, b1, W1.copy(), b1.copy())),
        Case("zeros", (np.zeros_like(X), W1, b1, *layer(rng, *W1.shape))),
    ]


register("maxout", activations.maxout, _maxout_case, _maxout_edges, [
    Mistake("forgot the biases", "maxout is max(W1 x + b1, W2 x + b2): add the biases before taking the max.",
            lambda X, W1, b1, W2, b2: np.maximum(X @ W1.T, X @ W2.T)),
    Mistake("min instead of max", "maxout takes the elementwise maximum of the two affine maps, not the minimum.",
            lambda X, W1, b1, W2, b2: np.minimum(X @ W1.T + b1, X @ W2.T + b2)),
    Mistake("np.max over an axis", "np.max reduces over an axis; maxout compares the two maps entry by entry: "
            "np.maximum(Z1, Z2).",
            lambda X, W1, b1, W2, b2: np.max(np.stack([X @ W1.T + b1, X @ W2.T + b2]), axis=1)),
    Mistake("added the two maps", "maxout keeps the LARGER of the two affine maps, entry by entry (np.maximum), "
            "not their sum.", lambda X, W1, b1, W2, b2: X @ W1.T + b1 + X @ W2.T + b2),
    Mistake("X @ W without the transpose", "W is (n_out, n_in) and X has one example per row: each map is "
            "X @ W.T + b.", lambda X, W1, b1, W2, b2: np.maximum(X @ W1 + b1, X @ W2 + b2)),
])


# --------------------------------------------------------------------------- softmax
def _softmax_edges(rng: np.random.Generator) -> list[Case]:
    return [
        Case("m = 1", (rng.normal(scale=2.0, size=(1, 4)),)),
        Case("large |z|", (np.array([[1000.0, 999.0, -1000.0], [-1e4, 0.0, 1e4]]),)),
        Case("zeros", (np.zeros((2, 3)),)),
        Case("ties", (np.array([[2.0, 2.0, -1.0], [0.5, 0.5, 0.5]]),)),
    ]


def _global_max_softmax(Z):
    with np.errstate(all="ignore"):
        E = np.exp(Z - Z.max())
        return E / E.sum(axis=1, keepdims=True)


register("softmax", activations.softmax, lambda rng: (rng.normal(scale=3.0, size=dims(rng, max_n=6)),),
         _softmax_edges, [
    Mistake("unstable softmax", "unstable softmax: e^z overflows for large z; subtract each row's maximum "
            "before exponentiating (it does not change the result).", unstable_softmax),
    Mistake("normalised over columns", "each ROW is one example: normalise with a sum over axis=1 (keepdims=True), "
            "not over the columns.", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=0, keepdims=True)),
    Mistake("not normalised", "softmax divides each e^z_i by the row's sum of e^z_k.", lambda Z: np.exp(Z)),
    Mistake("subtracted the global maximum", "subtract each ROW's maximum (Z.max(axis=1, keepdims=True)): with "
            "the maximum of the whole batch, a row far below it underflows to 0 / 0.", _global_max_softmax),
    Mistake("sum without keepdims", "E.sum(axis=1) has shape (m,) and divides the COLUMNS; keep the axis: "
            "E.sum(axis=1, keepdims=True) is (m, 1) and divides each row.",
            lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1)),
    Mistake("normalised over the whole batch", "normalise each ROW by its own sum (axis=1, keepdims=True); you "
            "divided by the sum over the whole batch.",
            lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum()),
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
    Mistake("forgot diag(a)", "the Jacobian is diag(a) - a a^T: the diagonal term diag(a) is missing.",
            lambda a: -np.outer(a, a)),
    Mistake("the notes' diagonal as a vector", "you returned the vector y_i (1 - y_i), the notes' shortcut (see "
            "the errata); the Jacobian is the C x C matrix diag(a) - a a^T.", lambda a: a * (1 - a)),
    Mistake("a a^T as an inner product", "a a^T is the OUTER product (np.outer(a, a), a C x C matrix); a @ a "
            "is the inner product, one number.", lambda a: np.diag(a) - a @ a),
])
