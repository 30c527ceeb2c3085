"""Assignment 1: activation functions, their derivatives, maxout, softmax and a gradient checker."""
from __future__ import annotations

from typing import Callable

import numpy as np

from autograder.checks.adapters import TEST_FUNCTION_INDEX, TEST_FUNCTIONS, make_test_function
from autograder.checks.compare import RESTORE_EXACTLY as PUT_BACK_EXACTLY
from autograder.questions.inputs import MIN_ROWS, dims, layer, positive, rows, z_batch
from autograder.questions.precision import SIGMOID_BAND, TANH_BAND, dominant_class, near_kink, saturating
from autograder.questions.registry import Args, Case, Mistake, register
from autograder.questions.variants import unstable_softmax
from nn_core import activations, answers
from nn_core.gradcheck import STEP


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

#: The student's own gradient check of an elementwise derivative g'(z) (the check cell runs it first):
#: g'(z) is the gradient of sum(g(z)) with respect to z.
WRT_ELEMENTWISE = (("g'(z)", (0,)),)
#: ... and of softmax_jacobian, checked through L(z) = sum(g * softmax(z)) with a fixed vector g, whose
#: gradient with respect to the logits z is J^T g (the check cell's inputs turn a case's a into (log a, g)).
WRT_JACOBIAN = (("J^T g", (0,)),)

register("sigmoid_prime", activations.sigmoid_prime, _z_case, _elementwise_edges, [
    Mistake("a(1-a) of z instead of sigmoid(z)",
            "sigma'(z) = sigma(z) (1 - sigma(z)): apply the sigmoid first, then a (1 - a).",
            lambda z: z * (1 - z)),
    Mistake("returned sigmoid itself", "you returned sigma(z); the derivative is sigma(z) (1 - sigma(z)).",
            lambda z: activations.sigmoid(z)),
    Mistake("e^z in the sigmoid derivative (notes erratum)",
            "the lecture notes' middle steps have (1 + e^z) in the denominators (errata.md, #2): it is "
            "e^(-z) / (1 + e^(-z))^2 = sigma(z) (1 - sigma(z)).",
            lambda z: np.exp(-np.clip(z, -700, 700)) / (1 + np.exp(np.clip(z, -700, 700))) ** 2),
    Mistake("used tanh's derivative", "that is the derivative of tanh, not of the sigmoid: redo the lecture's "
            "derivation of part 1 and write it with sigma(z).",
            lambda z: 1 - np.tanh(z) ** 2),
], probe=saturating(SIGMOID_BAND), probe_skips=("zeros",), probe_atol=3e-16, wrt=WRT_ELEMENTWISE,
   forms=("sigma(z)(1 - sigma(z))",))  # a worked example (course.yml): the lecture derives it

register("tanh", activations.tanh, _z_case, _elementwise_edges, [
    Mistake("identity without the 2x", "the identity is tanh(x) = 2 sigma(2x) - 1: the sigmoid's argument is 2x.",
            lambda z: 2 * activations.sigmoid(z) - 1),
    Mistake("identity without the -1", "the identity is tanh(x) = 2 sigma(2x) - 1: subtract 1.",
            lambda z: 2 * activations.sigmoid(2 * z)),
    Mistake("unstable tanh", "(e^z - e^-z) / (e^z + e^-z) is inf / inf = nan for large |z|: find a form that "
            "never takes e of a large positive number (the lecture's identity with your stable sigmoid is one).",
            lambda z: _unstable_tanh(z)),
    Mistake("returned the sigmoid", "that is sigma(z), with values in (0, 1); tanh(z) = 2 sigma(2z) - 1 has "
            "values in (-1, 1).", lambda z: activations.sigmoid(z)),
])


def _unstable_tanh(z):
    with np.errstate(all="ignore"):
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


register("tanh_prime", activations.tanh_prime, _z_case, _elementwise_edges, [
    Mistake("1 - z^2", "your formula uses z itself where your derivation has tanh(z): written through the "
            "function's value, as sigma' = sigma (1 - sigma), the derivative needs tanh(z) computed first.",
            lambda z: 1 - z ** 2),
    Mistake("1 - tanh(z)", "your result is linear in tanh(z): redo the quotient rule; the denominator is "
            "squared, and so is what survives of it.", lambda z: 1 - np.tanh(z)),
    Mistake("returned tanh itself", "you returned tanh(z) itself, not its derivative.", lambda z: np.tanh(z)),
], probe=saturating(TANH_BAND), probe_skips=("zeros",), probe_atol=1e-15, wrt=WRT_ELEMENTWISE)


# --------------------------------------------------------------------------- ReLU and leaky ReLU
register("relu", activations.relu, _z_case, _elementwise_edges, [
    Mistake("returned the derivative", "ReLU(z) = max(0, z); you returned its derivative (a step of 0s and 1s).",
            lambda z: (z > 0).astype(np.float64)),
    Mistake("min instead of max", "ReLU(z) = max(0, z), not min(0, z).", lambda z: np.minimum(0.0, z)),
    Mistake("reduced over an axis", "your function REDUCES over an axis (a largest entry per column): ReLU "
            "compares each entry with 0 on its own and keeps the shape of z.", lambda z: np.max(z, 0)),
    Mistake("returned |z|", "ReLU keeps positive z and returns 0 (not -z) for negative z: max(0, z).", lambda z: np.abs(z)),
])

register("relu_prime", activations.relu_prime, _z_case, _elementwise_edges, [
    Mistake("derivative 1 at z = 0", "your result is 1 at z = 0: the course takes ReLU'(0) = 0 (the notebook says so); "
            "check which side of your comparison z = 0 falls on.",
            lambda z: (z >= 0).astype(np.float64)),
    Mistake("returned relu itself", "you returned ReLU itself, max(0, z), not its derivative.",
            lambda z: np.maximum(0.0, z)),
    Mistake("np.sign of z", "np.sign gives -1 for z < 0: what is the slope of ReLU there?",
            lambda z: np.sign(z)),
], wrt=WRT_ELEMENTWISE, probe=near_kink, probe_atol=0.0)


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
    Mistake("wrong leaky slope", "wrong leaky slope: your result for z <= 0 is 0.01 whatever the slope argument. "
            "Where does leaky_relu use its slope argument, and what does that make its derivative there? The "
            "hidden cases pass other slopes too.",
            lambda z, slope=0.1: np.where(z > 0, 1.0, 0.01)),
    Mistake("derivative 1 at z = 0", "your result is 1 at z = 0: the course takes the derivative there to be the "
            "slope; check which side of your comparison z = 0 falls on.",
            lambda z, slope=0.1: np.where(z >= 0, 1.0, slope)),
    Mistake("no leak", "that is ReLU's derivative: leaky ReLU is not flat for z < 0.",
            lambda z, slope=0.1: (z > 0).astype(np.float64)),
    Mistake("returned slope * z", "you returned leaky ReLU itself, not its derivative.",
            lambda z, slope=0.1: np.where(z > 0, z, slope * z)),
], wrt=WRT_ELEMENTWISE, forms=("the derivative is the slope", "np.where(z > 0, 1.0, slope)"), probe=near_kink,
   probe_atol=0.0)


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
    Mistake("np.max over an axis", "your function REDUCES over an axis of the stacked maps: maxout compares the "
            "two maps entry by entry and keeps the shape (m, n_out) of each.",
            lambda X, W1, b1, W2, b2: np.max(np.stack([X @ W1.T + b1, X @ W2.T + b2]), axis=1)),
    Mistake("added the two maps", "maxout keeps the LARGER of the two affine maps, entry by entry, not their "
            "sum.", lambda X, W1, b1, W2, b2: X @ W1.T + b1 + X @ W2.T + b2),
    Mistake("W taken as (n_in, n_out)", "W is (n_out, n_in) and X has one example per row: your product treats W "
            "as (n_in, n_out) (it gives the wrong numbers when the two sizes agree); work out W x + b for one "
            "row x and write that for every row at once.", lambda X, W1, b1, W2, b2: np.maximum(X @ W1 + b1, X @ W2 + b2)),
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
    Mistake("normalised over columns", "each ROW is one example: normalise each row by its own sum; you normalised "
            "each column.", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=0, keepdims=True)),
    Mistake("not normalised", "softmax divides each e^z_i by the row's sum of e^z_k.", lambda Z: np.exp(Z)),
    Mistake("subtracted the global maximum", "you subtracted the maximum of the whole batch: a row far below it "
            "underflows to 0 / 0. The constant may differ from row to row; what keeps every row finite?", _global_max_softmax),
    Mistake("sum without keepdims", "your row sums have shape (m,), so numpy's broadcasting divides the "
            "COLUMNS by them (or fails): each row must be divided by its own sum; mind the shape of the sums.",
            lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1)),
    Mistake("normalised over the whole batch", "normalise each ROW by its own sum; you divided by the sum over the "
            "whole batch.",
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
    Mistake("diagonal only", "that is only the diagonal y_i (1 - y_i), the lecture's shortcut (errata.md, #3): "
            "derive the off-diagonal entries d y_i / d z_j, j != i, too.", lambda a: np.diag(a * (1 - a))),
    Mistake("sign flipped", "every entry has the opposite sign: check the order of the two terms of your "
            "quotient rule.", lambda a: np.outer(a, a) - np.diag(a)),
    Mistake("diagonal term missing", "your off-diagonal entries are right, but the diagonal misses a term: for j = i, "
            "e^(z_i) is in the numerator AND in the sum of the denominator.", lambda a: -np.outer(a, a)),
    Mistake("the notes' diagonal as a vector", "you returned a vector, the notes' y_i (1 - y_i) (errata.md, #3); "
            "the Jacobian is the C x C matrix of every d y_i / d z_j.", lambda a: a * (1 - a)),
    Mistake("a a^T as an inner product", "a @ a is one number (the inner product); the products a_i a_j of every "
            "pair (i, j) form a C x C matrix.", lambda a: np.diag(a) - a @ a),
], wrt=WRT_JACOBIAN, probe=dominant_class, probe_skips=("one class",), probe_atol=5e-16)


# --------------------------------------------------------------------------- numerical_gradient
# The student's function takes a FUNCTION: it is graded through the "function_and_array"
# adapter (autograder/checks/adapters.py). The cases, the reference and the mistakes take the
# adapter's plain-data arguments (kind, params, x[, h]); f = make_test_function(kind, params).
def _test_function_case(rng: np.random.Generator, name: str, shape: tuple[int, ...] | None = None,
                        p_scale: float = 1.0) -> tuple[int, tuple, np.ndarray]:
    """(kind, params, x) for the test function ``name`` and an x of ``shape`` (random if None)."""
    if name == "tanh_layer":
        c, n = shape or (int(rng.integers(MIN_ROWS, 5)), int(rng.integers(2, 4)))
        m = rows(rng)
        X, Y = rng.normal(size=(m, n)), rng.normal(scale=0.5, size=(m, c))
        return TEST_FUNCTION_INDEX[name], (X, Y), rng.normal(size=(c, n))
    if shape is None:
        shape = ((int(rng.integers(MIN_ROWS, 7)),) if rng.random() < 0.6
                 else (int(rng.integers(MIN_ROWS, 5)), int(rng.integers(1, 4))))
    x = rng.normal(size=shape)
    size = x.size
    if name == "sin_of_sum":
        params = (rng.normal(scale=p_scale, size=shape),)
    elif name == "quadratic":
        M = rng.normal(size=(size, size))
        params = ((M + M.T) / 2, rng.normal(size=size))
    else:  # log_cosh
        k = int(rng.integers(2, 5))
        params = (rng.normal(scale=0.7, size=(k, size)), rng.normal(scale=0.5, size=k))
    return TEST_FUNCTION_INDEX[name], params, x


#: The smooth test functions a random case draws from (``steps`` is for one edge case alone).
SMOOTH_TEST_FUNCTIONS = tuple(f for f in TEST_FUNCTIONS if f.name != "steps")


def _gradient_case(rng: np.random.Generator) -> Args:
    """A random test function, x and a step h other than the default (log-uniform in [1e-3, 1e-1])."""
    name = SMOOTH_TEST_FUNCTIONS[int(rng.integers(len(SMOOTH_TEST_FUNCTIONS)))].name
    return (*_test_function_case(rng, name), float(10.0 ** rng.uniform(-3, -1)))


def _zero_gradient_case(rng: np.random.Generator) -> Args:
    """A quadratic whose gradient is exactly zero in one entry (its row and column of A and its b are 0)."""
    kind, (A, b), x = _test_function_case(rng, "quadratic", shape=(5,))
    i = int(rng.integers(5))
    A, b = A.copy(), b.copy()
    A[i, :] = A[:, i] = b[i] = 0.0
    return kind, (A, b), x


#: Ways of putting an entry back by arithmetic instead of assigning its saved value: the steps
#: taken on x[i] after the function's two evaluations started (each one rounds).
ARITHMETIC_RESTORES = ((1.0, -2.0, 1.0), (1.0, -1.0, -1.0, 1.0), (-1.0, 2.0, -1.0), (-1.0, 1.0, 1.0, -1.0))


def _walk(x: float, h: float, steps: tuple[float, ...]) -> tuple[float, float]:
    """Where an entry x ends after the arithmetic ``steps`` (each rounds), and the point where
    those steps evaluate f on the + side (where they first stand one step above)."""
    offset, plus = 0.0, None
    for step in steps:
        x, offset = float(np.float64(x) + np.float64(step * h)), offset + step
        if offset == 1.0 and plus is None:
            plus = x
    return x, plus


def _exact_restore_case(rng: np.random.Generator, h: float = 1e-3, per_way: int = 2) -> Args:
    """(kind, (x, h), x, h) for ``steps``, whose step for each entry is at fl(x_i + h), the point a
    central difference evaluates: a checker that gives x back exactly returns 1/(2h) for every
    entry, on every call. x holds, for each way of :data:`ARITHMETIC_RESTORES`, ``per_way``
    entries that way leaves changed, so that its + point on the next call falls below the step:
    the second call on the same x (the "leave x unchanged" contract) then gets 0 there.
    Entries have 6 decimals, so that public_cases.json stores them exactly; drawn until found
    (about one draw in four qualifies for a way)."""
    entries: list[float] = []
    for steps in ARITHMETIC_RESTORES:
        found = 0
        while found < per_way:
            v = round(float(rng.normal()), 6)
            back, _ = _walk(v, h, steps)
            if _walk(back, h, steps)[1] < v + h:
                entries.append(v)
                found += 1
    x = np.array(entries).reshape(2, -1)
    return TEST_FUNCTION_INDEX["steps"], (x.copy(), h), x, h


def _gradient_edges(rng: np.random.Generator) -> list[Case]:
    fast = _test_function_case(rng, "sin_of_sum", shape=(3,))
    p = rng.choice([-1.0, 1.0], size=3) * rng.uniform(500.0, 1000.0, size=3)
    return [
        Case("a 2-D x", _test_function_case(rng, "tanh_layer", shape=(3, 4))),
        Case("a 2-D x, log cosh", _test_function_case(rng, "log_cosh", shape=(3, 2))),
        Case("zero gradient somewhere", _zero_gradient_case(rng)),
        # the default step matters here: a wrong default h changes the result beyond the tolerance
        Case("rapidly varying f", (fast[0], (p,), fast[2] / 1000.0)),
        Case("large h", (*_test_function_case(rng, "sin_of_sum", shape=(4,)), 0.5)),
        # x must come back bit for bit: an entry put back by arithmetic lands one rounding off
        Case("a step at each x + h, x given back exactly", _exact_restore_case(rng)),
    ]


def _checker(student_style: Callable) -> Callable:
    """A checker written as a student would (f, x, h) -> gradient, as a function of the
    adapter's arguments, run on a copy of x (the case's arrays are never modified)."""
    def on_case(kind, params, x, h=STEP):
        return student_style(make_test_function(kind, params), np.array(x, dtype=np.float64), h)
    return on_case


def _numerical_gradient_reference(kind: int, params: tuple, x: np.ndarray, h: float = STEP) -> np.ndarray:
    """The reference checker (x unchanged) on the named test function the adapter builds."""
    return answers.numerical_gradient(make_test_function(kind, params), x, h)


def _entries(x: np.ndarray):
    return np.ndindex(x.shape)


def _unit(x: np.ndarray, index, h: float) -> np.ndarray:
    step = np.zeros_like(x)
    step[index] = h
    return step


def _per_entry(x: np.ndarray, value: Callable) -> np.ndarray:
    """The array shaped like x whose entry i is ``value(i)``."""
    return np.array([value(i) for i in _entries(x)]).reshape(x.shape)


def _forward_difference(f, x, h):
    fx = f(x)
    return _per_entry(x, lambda i: (f(x + _unit(x, i, h)) - fx) / h)


def _over_h(f, x, h):
    return _per_entry(x, lambda i: (f(x + _unit(x, i, h)) - f(x - _unit(x, i, h))) / h)


def _sign_flipped(f, x, h):
    return _per_entry(x, lambda i: (f(x - _unit(x, i, h)) - f(x + _unit(x, i, h))) / (2 * h))


def _all_at_once(f, x, h):
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


def _one_number(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def _rows_at_once(f, x, h):
    """``for i in range(len(x))``: for a 2-D x, ``_unit(x, i, h)`` steps a whole row."""
    return np.array([np.full(x.shape[1:], (f(x + _unit(x, i, h)) - f(x - _unit(x, i, h))) / (2 * h))
                     for i in range(len(x))])


def _aliased(f, x, h):
    grad = np.zeros_like(x)
    for i in _entries(x):
        x_plus = x      # not a copy: the same array as x
        x_plus[i] += h
        x_minus = x
        x_minus[i] -= h
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad


def _never_restored(f, x, h):
    grad = np.zeros_like(x)
    for i in _entries(x):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        grad[i] = (f_plus - f(x)) / (2 * h)
    return grad


#: A right gradient with x changed on return: an entry left changed, or put back by arithmetic (+h, -2h, +h).
RESTORE_EXACTLY = ("x is not exactly as it was when your function returns (a second call on the same x gives "
                   "another result): " + PUT_BACK_EXACTLY)


register("numerical_gradient", _numerical_gradient_reference, _gradient_case, _gradient_edges, [
    Mistake("forward difference",
            "that is the one-sided difference (f(x + h e_i) - f(x)) / h, whose error shrinks like h; the "
            "central difference evaluates f on BOTH sides, at x + h e_i and x - h e_i, and its error shrinks like h^2.",
            _checker(_forward_difference)),
    Mistake("divided by h instead of 2h",
            "your result is twice the central difference: the two evaluations are 2h apart, so divide their "
            "difference by 2h, not by h.", _checker(_over_h)),
    Mistake("perturbs all entries at once",
            "every entry of your result is the same number: you moved ALL the entries of x by h at once (a "
            "directional derivative). Perturb one entry at a time, x + h e_i, and keep the others as they are.",
            _checker(_all_at_once)),
    Mistake("returns one number",
            "you returned one number: the change of f when ALL the entries of x move by h at once. The gradient "
            "has one entry per entry of x, each from a step along that entry alone (x + h e_i).",
            _checker(_one_number)),
    Mistake("perturbs a whole row at once",
            "for a 2-D x your loop walks the ROWS, so each step moves a whole row of x and every entry of that row "
            "gets the same value. Step along one ENTRY at a time, whatever the shape of x.",
            _checker(_rows_at_once)),
    Mistake("forgets to restore x",
            "after perturbing entry i you left it changed, so the later entries are differentiated at a wrong "
            "point (and the caller's x is modified). Save the entry's value and write it back after the two "
            "evaluations, or perturb a copy.", _checker(_never_restored), contract="mutated-input"),
    Mistake("x_plus = x is not a copy",
            "`x_plus = x` does not copy an array: it is a second name for the same array, so both of your steps "
            "change x itself and cancel out before f is evaluated (and x may be left changed). Perturb a copy of "
            "x for each side, or save the entry and write it back.", _checker(_aliased)),
    Mistake("returns the gradient flattened",
            "for a 2-D x your gradient must have the shape of x (one entry per entry of x), not be a flat vector: "
            "give it the shape of x.",
            lambda kind, params, x, h=STEP: _numerical_gradient_reference(kind, params, x, h).ravel()),
    Mistake("sign flipped",
            "your result is minus the gradient: it is f(x + h e_i) - f(x - h e_i), the value AFTER the step "
            "minus the value before, over 2h.", _checker(_sign_flipped)),
], keeps_inputs=True, adapter="function_and_array", contract_messages={"mutated-input": RESTORE_EXACTLY})
