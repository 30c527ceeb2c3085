"""Assignment 4: losses and their gradients, the output error delta^L, vectorised backprop."""
from __future__ import annotations

from typing import Callable

import numpy as np

from autograder.questions.inputs import binary, one_hot, params, positive, probabilities, rows
from autograder.questions import large, precision
from autograder.questions.registry import Args, Case, Mistake, register
from autograder.questions.variants import quietly
from nn_core import answers, deltas, losses, network, optim

EPS = losses.EPS


# --------------------------------------------------------------------------- inputs
def _regression_pair(rng: np.random.Generator, m: int | None = None, n: int | None = None) -> Args:
    m = rows(rng, m)
    n = n or int(rng.integers(1, 4))
    # the numbers of rng.normal(size=...) and Y + rng.normal(scale=1.5, size=...), drawn without
    # normal()'s broadcasting of loc and scale and with one temporary less (the large cases draw
    # 200,000 of them per question)
    Y = rng.standard_normal((m, n))
    Y_hat = rng.standard_normal((m, n))
    Y_hat *= 1.5
    Y_hat += Y
    return Y_hat, Y


def _with_random_c(rng: np.random.Generator) -> Args:
    """Random cases of the Huber family pass a threshold c other than the default."""
    return (*_regression_pair(rng), positive(rng, 0.3, 2.5))


def _regression_edges(with_c: bool) -> Callable[[np.random.Generator], list[Case]]:
    def edges(rng: np.random.Generator) -> list[Case]:
        Y_hat, Y = _regression_pair(rng)
        cases = [Case("m = 1", _regression_pair(rng, m=1)), Case("zeros", (Y.copy(), Y))]
        if with_c:
            signs = np.where(rng.uniform(size=Y.shape) < 0.5, -1.0, 1.0)
            cases.append(Case("residuals exactly +-c", (Y + signs, Y)))
            cases.append(Case("another c", (Y_hat, Y, 0.5)))
        else:
            cases.append(Case("large residuals", (Y_hat * 1e3, Y)))
        return cases
    return edges


def _classification_pair(rng: np.random.Generator, kind: str, m: int | None = None,
                         n: int | None = None) -> Args:
    m = rows(rng, m)
    if kind == "bce":
        n = n or int(rng.integers(1, 3))
        return rng.uniform(0.02, 0.98, size=(m, n)), binary(rng, m, n)
    n = n or int(rng.integers(2, 5))
    return probabilities(rng, m, n), one_hot(rng, m, n)


def _at_zero_and_one(rng: np.random.Generator, kind: str) -> Args:
    """Predictions of exactly 0 and 1, some on the label and some on the wrong one, so that a
    missing clip (log 0, a division by 0) or another epsilon than 1e-12 shows.

    1 - (1 - 1e-12) is not exactly 1e-12 in float64 (it is 1.0000889e-12): clipping p or
    clipping 1 - p differ by 3e-6 in log(1 - p) at p = 1. So a loss case has one such entry
    among six exact ones (p = 0 against y = 1), diluting that to 5e-7 < rtol; a gradient,
    compared entry by entry, has none (``kind`` ``"bce_gradient"``).
    """
    if kind in ("bce", "bce_gradient"):
        Y = np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 1.0]])
        P = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
        if kind == "bce_gradient":
            Y[3, 0] = 1.0  # p = 1 on the label instead of against it
        return P, Y
    Y = one_hot(rng, 4, 3)
    wrong = np.eye(3)[(Y.argmax(axis=1) + np.array([0, 1, 0, 2])) % 3]
    return wrong, Y


def _near_zero_and_one(rng: np.random.Generator, kind: str) -> Args:
    _, Y = _classification_pair(rng, kind)
    return np.clip(Y, 1e-9, 1 - 1e-9), Y


def _below_the_clip(rng: np.random.Generator, kind: str) -> Args:
    """Predictions of the label's class between 0 and the clip's 1e-12 (1e-15 to 5e-13): the
    notebook clips them to 1e-12, so the gradient there is -1 / 1e-12 / m; adding 1e-12 inside
    the division instead (``y / (p + 1e-12)``) is off by 2 % to 50 %. Only the low side: at
    ``1 - p`` below 1e-12, clipping p and clipping ``1 - p`` (both readings of the notebook)
    differ by 9e-5 (``1 - (1 - 1e-12)`` is 1.0000889e-12 in float64)."""
    P, Y = _classification_pair(rng, kind)
    tiny = 10.0 ** -rng.uniform(12.3, 15.0, size=P.shape)
    label = Y == 1
    if kind == "cce":  # the label's class gets the tiny probability; the row still sums to 1
        rest = np.where(label, 0.0, P)
        P = np.where(label, tiny, rest / rest.sum(axis=1, keepdims=True) * (1 - tiny))
    else:
        P = np.where(label, tiny, P)
    return P, Y


def _classification_edges(kind: str, near: bool = False,
                          below: bool = False) -> Callable[[np.random.Generator], list[Case]]:
    pair = "cce" if kind == "cce" else "bce"

    def edges(rng: np.random.Generator) -> list[Case]:
        cases = [Case("m = 1", _classification_pair(rng, pair, m=1)),
                 Case("predictions at 0 and 1", _at_zero_and_one(rng, kind)),
                 Case("several output units", _classification_pair(rng, pair, n=3))]
        if near:
            cases.append(Case("predictions near 0 and 1", _near_zero_and_one(rng, pair)))
        if below:
            cases.append(Case("predictions below the clip", _below_the_clip(rng, pair)))
        return cases
    return edges


# --------------------------------------------------------------------------- wrong variants shared by several losses
def _with_c(fn: Callable) -> Callable:
    return lambda Y_hat, Y, c=1.0: fn(Y_hat, Y, c)


def _clipped_with(eps: float, fn: Callable) -> Callable:
    """``fn`` (a reference loss or gradient) with the predictions clipped to another epsilon."""
    return quietly(lambda P, Y: fn(np.clip(P, eps, 1 - eps), Y) if eps else fn(P, Y))


def _bce_value(P, Y):
    return float(np.mean(-(Y * np.log(P) + (1 - Y) * np.log(1 - P)).sum(axis=1)))


def _bce_gradient_value(P, Y):
    return (-Y / P + (1 - Y) / (1 - P)) / P.shape[0]


def _cce_value(P, Y):
    return float(np.mean(-(Y * np.log(P)).sum(axis=1)))


def _cce_gradient_value(P, Y):
    return -Y / P / P.shape[0]


def _epsilon_mistakes(fn: Callable) -> list[Mistake]:
    return [Mistake(f"clipped to {eps:g}", "clip the predictions to [1e-12, 1 - 1e-12] exactly, as the notebook "
                    f"says: with {eps:g} the loss of a confident wrong answer differs.", _clipped_with(eps, fn))
            for eps in (1e-15, 1e-7)]


def _loss_gradient_mistakes(reference: Callable) -> list[Mistake]:
    return [
        Mistake("forgot 1/m", "this is the gradient of the MEAN loss over the m rows: divide by m.",
                lambda Y_hat, Y, *c: Y_hat.shape[0] * reference(Y_hat, Y, *c)),
        Mistake("sign flipped", "the sign is flipped: differentiate with respect to the prediction y_hat "
                "(d/dy_hat of (y_hat - y) is +1; the notes' dL/dY is not the derivative in the prediction: errata.md, #5).",
                lambda Y_hat, Y, *c: -reference(Y_hat, Y, *c)),
    ]


SQUARE_ROOT_CHAIN_RULE = ("differentiate the square root with the chain rule, d sqrt(u) = du / (2 sqrt(u)): "
                          "your result has no square root left in the denominator.")
AVERAGED_OVER_UNITS = ("averaged over the output units too", "a per-example loss SUMS over the output units; "
                       "only the examples (rows) are averaged.")
SUMMED_OVER_ROWS = ("summed over the examples", "the loss is the MEAN over the m examples, not the sum.")
PER_EXAMPLE_LOSSES = ("returned the per-example losses", "a loss returns ONE number, the mean over the examples "
                      "of the per-example losses (a Python float).")


# --------------------------------------------------------------------------- MSE and the Huber family
register("mse", losses.mse, _regression_pair, _regression_edges(with_c=False), [
    Mistake("no 1/2", "the course's MSE per example is 1/2 sum (y_hat - y)^2: you left out the 1/2 (the notes' "
            "vector form loses it too: errata.md, #4).", lambda Y_hat, Y: 2 * losses.mse(Y_hat, Y)),
    Mistake(*AVERAGED_OVER_UNITS, lambda Y_hat, Y: float(np.mean(0.5 * (Y_hat - Y) ** 2))),
    Mistake(*SUMMED_OVER_ROWS, lambda Y_hat, Y: Y.shape[0] * losses.mse(Y_hat, Y)),
    Mistake(*PER_EXAMPLE_LOSSES, lambda Y_hat, Y: losses.LOSSES["mse"].per_example(Y_hat, Y)),
])
#: The finite-precision probe of every regression loss's gradient and output error (the
#: all-zero residuals of "zeros" stay as they are), compared relative only (y_hat - y is exact there).
REGRESSION_PROBE = {"probe": precision.regression_extremes, "probe_skips": ("zeros",)}
#: What the loss gradients are gradients of, for the student's own gradient check.
WRT_Y_HAT = (("dL/dY_hat", (0,)),)

register("mse_gradient", losses.mse_gradient, _regression_pair, _regression_edges(with_c=False),
         _loss_gradient_mistakes(losses.mse_gradient) + [
    Mistake("no 1/2", "your gradient is twice the right one: the 1/2 in the course's loss cancels "
            "the 2 of the square's derivative.",
            lambda Y_hat, Y: 2 * losses.mse_gradient(Y_hat, Y)),
    Mistake(*AVERAGED_OVER_UNITS, lambda Y_hat, Y: losses.mse_gradient(Y_hat, Y) / Y.shape[1]),
], wrt=WRT_Y_HAT, large_case=lambda rng: _regression_pair(rng, *large.ENTRIES), **REGRESSION_PROBE,
   forms=(r"\frac{\hat Y_{ij} - Y_{ij}}{m}",))  # a worked example (course.yml)


def _huber_linear_without_half(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.where(r <= c, 0.5 * r ** 2, c * r).sum(axis=1)))


register("huber", _with_c(losses.huber), _with_random_c, _regression_edges(with_c=True), [
    Mistake("quadratic everywhere", "Huber is quadratic only for |r| <= c; beyond it the loss is linear: "
            "c (|r| - c/2).", lambda Y_hat, Y, c=1.0: losses.mse(Y_hat, Y)),
    Mistake(*AVERAGED_OVER_UNITS, lambda Y_hat, Y, c=1.0: losses.huber(Y_hat, Y, c) / Y.shape[1]),
    Mistake("linear part without -c/2", "beyond |r| > c Huber is c (|r| - c/2): the -c/2 makes the two "
            "pieces meet at |r| = c.", _huber_linear_without_half),
    Mistake(*SUMMED_OVER_ROWS, lambda Y_hat, Y, c=1.0: Y.shape[0] * losses.huber(Y_hat, Y, c)),
], function="huber")
register("huber_gradient", _with_c(losses.huber_gradient), _with_random_c, _regression_edges(with_c=True),
         _loss_gradient_mistakes(_with_c(losses.huber_gradient)) + [
    Mistake("not clipped", "beyond |r| > c the Huber loss is linear in r: there its slope no longer grows "
            "with the residual.", lambda Y_hat, Y, c=1.0: losses.mse_gradient(Y_hat, Y)),
], wrt=WRT_Y_HAT, large_case=lambda rng: (*_regression_pair(rng, *large.ENTRIES), 1.5), **REGRESSION_PROBE)
register("pseudo_huber", _with_c(losses.pseudo_huber), _with_random_c, _regression_edges(with_c=True), [
    Mistake("forgot c^2", "pseudo-Huber is c^2 (sqrt(1 + (r/c)^2) - 1): the factor c^2 in front matters "
            "when c != 1.", lambda Y_hat, Y, c=1.0: losses.pseudo_huber(Y_hat, Y, c) / c ** 2),
    Mistake(*AVERAGED_OVER_UNITS, lambda Y_hat, Y, c=1.0: losses.pseudo_huber(Y_hat, Y, c) / Y.shape[1]),
    Mistake("forgot the -1", "pseudo-Huber is c^2 (sqrt(1 + (r/c)^2) - 1): subtract 1 so that it is 0 "
            "at r = 0.", lambda Y_hat, Y, c=1.0: losses.pseudo_huber(Y_hat, Y, c) + c ** 2 * Y.shape[1]),
])
register("pseudo_huber_gradient", _with_c(losses.pseudo_huber_gradient), _with_random_c,
         _regression_edges(with_c=True), _loss_gradient_mistakes(_with_c(losses.pseudo_huber_gradient)) + [
    Mistake("forgot the square root", SQUARE_ROOT_CHAIN_RULE,
            lambda Y_hat, Y, c=1.0: (Y_hat - Y) / (1 + ((Y_hat - Y) / c) ** 2) / Y.shape[0]),
], wrt=WRT_Y_HAT, large_case=lambda rng: (*_regression_pair(rng, *large.ENTRIES), 1.5), **REGRESSION_PROBE)


# --------------------------------------------------------------------------- cross-entropies
register("bce", losses.bce, lambda rng: _classification_pair(rng, "bce"), _classification_edges("bce"), [
    Mistake("unstable log", "log(0) is -inf: clip the predictions to [1e-12, 1 - 1e-12] before taking logs.",
            quietly(_bce_value)),
    Mistake("forgot the minus", "cross-entropy is MINUS the log-likelihood: -(y log p + (1 - y) log(1 - p)).",
            lambda P, Y: -losses.bce(P, Y)),
    Mistake(*AVERAGED_OVER_UNITS, lambda P, Y: losses.bce(P, Y) / Y.shape[1]),
    Mistake("dropped the (1 - y) term (notes erratum)", "both terms stay: -(y log p + (1 - y) log(1 - p)); "
            "the notes strike out the second (errata.md, #17), which ignores every example of class 0.",
            lambda P, Y: losses.cce(P, Y)),
    *_epsilon_mistakes(_bce_value),
])
register("bce_gradient", losses.bce_gradient, lambda rng: _classification_pair(rng, "bce"),
         _classification_edges("bce_gradient", near=True, below=True), _loss_gradient_mistakes(losses.bce_gradient) + [
    Mistake("not clipped", "p = 0 or 1 divides by zero: clip the predictions to [1e-12, 1 - 1e-12] first, "
            "in the gradient too.", quietly(_bce_gradient_value)),
    Mistake("dropped the (1 - y) term (notes erratum)", "the loss has two terms, y log p and (1 - y) log(1 - p), "
            "and so has its gradient (the notes strike out the second: errata.md, #17).",
            lambda P, Y: losses.cce_gradient(P, Y)),
    *_epsilon_mistakes(_bce_gradient_value),
], wrt=WRT_Y_HAT, large_case=lambda rng: _classification_pair(rng, "bce", *large.ENTRIES))
register("cce", losses.cce, lambda rng: _classification_pair(rng, "cce"), _classification_edges("cce"), [
    Mistake("unstable log", "0 log 0 gives nan: clip the predictions to [1e-12, 1 - 1e-12] before taking logs.",
            quietly(_cce_value)),
    Mistake("forgot the minus", "cross-entropy is -sum_i t_i log(y_i): you left out the minus sign.",
            lambda P, Y: -losses.cce(P, Y)),
    Mistake(*AVERAGED_OVER_UNITS, lambda P, Y: losses.cce(P, Y) / Y.shape[1]),
    Mistake(*SUMMED_OVER_ROWS, lambda P, Y: Y.shape[0] * losses.cce(P, Y)),
    *_epsilon_mistakes(_cce_value),
])
register("cce_gradient", losses.cce_gradient, lambda rng: _classification_pair(rng, "cce"),
         _classification_edges("cce", below=True), _loss_gradient_mistakes(losses.cce_gradient) + [
    Mistake("unstable division", "a prediction of exactly 0 gives a division by zero (nan or inf): clip the "
            "predictions to [1e-12, 1 - 1e-12] first.", quietly(_cce_gradient_value)),
    *_epsilon_mistakes(_cce_gradient_value),
], wrt=WRT_Y_HAT, large_case=lambda rng: _classification_pair(rng, "cce", *large.ENTRIES))


# --------------------------------------------------------------------------- output errors delta^L
def _delta_case(kind: str) -> Callable[..., Args]:
    def make(rng: np.random.Generator, m: int | None = None, n_given: int | None = None) -> Args:
        m = rows(rng, m)
        n = n_given or int(rng.integers(1, 4))
        if kind == "linear":  # _regression_pair draws its own n unless one is given
            return _regression_pair(rng, m, n_given)
        if kind == "huber":
            pair = _regression_pair(rng, m, n_given)
            return (*pair, positive(rng, 0.3, 2.5)) if m > 1 else pair
        if kind == "sigmoid":
            return rng.uniform(0.02, 0.98, size=(m, n)), rng.uniform(size=(m, n))
        if kind == "bce":
            return rng.uniform(0.02, 0.98, size=(m, n)), binary(rng, m, n)
        return _classification_pair(rng, "cce", m, n_given)
    return make


def _delta_edges(make: Callable[..., Args], extra: Callable[[np.random.Generator], list[Case]] | None = None):
    return lambda rng: [Case("m = 1", make(rng, m=1))] + (extra(rng) if extra else [])


PER_EXAMPLE = ("divided by m", "delta^L is per example (row i is d loss_i / d z^L of example i): no 1/m here.")
#: delta^L is the gradient of the summed per-example losses with respect to z^L; the visible
#: checks compute it numerically from the case's logits Z (check_gradients(..., inputs=...)).
WRT_Z = (("delta^L", (0,)),)


def _delta_mistakes(reference: Callable) -> list[Mistake]:
    return [
        Mistake("sign flipped", "the sign is flipped: delta^L = d loss / d z^L, and the loss grows as the "
                "prediction moves away from the target (check the sign of d loss / d a first).",
                lambda A, Y, *c: -reference(A, Y, *c)),
        Mistake(*PER_EXAMPLE, lambda A, Y, *c: reference(A, Y, *c) / A.shape[0]),
    ]


#: Residuals a - y on both sides of the default c = 1 and of c / 2: a wrong default for c
#: changes the result on this case whatever the random numbers are.
RESIDUALS_AROUND_C = np.array([[-2.5, -0.75, -0.3, 0.3, 0.75, 2.5]])


def _another_c(rng: np.random.Generator) -> list[Case]:
    Y = rng.normal(size=RESIDUALS_AROUND_C.shape)
    return [Case("another c", (*_regression_pair(rng), 0.5)),
            Case("residuals both sides of c", (Y + RESIDUALS_AROUND_C, Y))]


register("delta_mse_linear", deltas.delta_mse_linear, _delta_case("linear"), _delta_edges(_delta_case("linear")),
         _delta_mistakes(deltas.delta_mse_linear) + [
    Mistake("factor 2 from (y - a)^2", "with the course's 1/2 (a - y)^2 the output error is a - y, without a 2.",
            lambda A, Y: 2 * (A - Y)),
    Mistake("squared the residual", "delta^L is the derivative of 1/2 (a - y)^2 with respect to z = a: "
            "a - y, not the squared error.", lambda A, Y: (A - Y) ** 2),
], wrt=WRT_Z, large_case=lambda rng: _delta_case("linear")(rng, *large.ENTRIES), **REGRESSION_PROBE,
   forms=(r"(a_j - y_j) \cdot 1",))  # a worked example (course.yml)
register("delta_mse_sigmoid", deltas.delta_mse_sigmoid, _delta_case("sigmoid"),
         _delta_edges(_delta_case("sigmoid"), lambda rng: [
             Case("saturated outputs", (np.array([[0.0, 1.0, 0.5]]), np.array([[1.0, 0.0, 0.5]])))]),
         _delta_mistakes(deltas.delta_mse_sigmoid) + [
    Mistake("forgot sigma'(z)", "delta^L = d loss / d a * d a / d z: with a sigmoid output the second factor is "
            "sigma'(z), not 1.", lambda A, Y: A - Y),
    Mistake("sigma applied again", "A is already sigma(z): write sigma'(z) with the output a (assignment 1), do not "
            "apply the sigmoid to a again.", lambda A, Y: (A - Y) / (1 + np.exp(-A)) * (1 - 1 / (1 + np.exp(-A)))),
    Mistake("sigma'(z) without the a", "sigma'(z) written with the output a has two factors (assignment 1); you "
            "kept only one.", lambda A, Y: (A - Y) * (1 - A)),
], wrt=WRT_Z, large_case=lambda rng: _delta_case("sigmoid")(rng, *large.ENTRIES),
   probe=precision.sigmoid_extremes(binary_targets=False), probe_atol=0.0)
register("delta_bce_sigmoid", deltas.delta_bce_sigmoid, _delta_case("bce"), _delta_edges(_delta_case("bce")),
         _delta_mistakes(deltas.delta_bce_sigmoid) + [
    Mistake("MSE delta with cross-entropy", "you used the MSE delta with the cross-entropy loss: start from "
            "d loss / d a of the BCE, multiply by sigma'(z) and simplify.", lambda A, Y: (A - Y) * A * (1 - A)),
    Mistake("dL/da only", "you returned d loss / d a: delta^L is d loss / d a times sigma'(z); multiply and "
            "simplify.", lambda A, Y: (A - Y) / (A * (1 - A))),
], wrt=WRT_Z, large_case=lambda rng: _delta_case("bce")(rng, *large.ENTRIES),
   probe=precision.sigmoid_extremes(binary_targets=True), probe_atol=0.0)
register("delta_cce_softmax", deltas.delta_cce_softmax, _delta_case("cce"), _delta_edges(_delta_case("cce")),
         _delta_mistakes(deltas.delta_cce_softmax) + [
    Mistake("MSE delta with cross-entropy", "you multiplied by a (1 - a), the diagonal of the softmax Jacobian only: "
            "every z_j moves every a_i, so sum d loss / d a_i * d a_i / d z_j over i (and use that a one-hot row "
            "sums to 1).", lambda A, Y: (A - Y) * A * (1 - A)),
    Mistake("dL/da only", "you returned d loss / d a: delta^L goes through the softmax Jacobian of assignment 1; "
            "multiply and simplify (a one-hot row sums to 1).", quietly(lambda A, Y: -Y / A)),
], wrt=WRT_Z, large_case=lambda rng: _delta_case("cce")(rng, *large.ENTRIES),
   probe=precision.dominant_output, probe_atol=0.0)
register("delta_huber_linear", _with_c(deltas.delta_huber_linear), _delta_case("huber"),
         _delta_edges(_delta_case("huber"), _another_c), _delta_mistakes(_with_c(deltas.delta_huber_linear)) + [
    Mistake("not clipped", "beyond |a - y| > c the Huber loss is linear: there its derivative no longer grows with "
            "the residual.", lambda A, Y, c=1.0: A - Y),
], wrt=WRT_Z, large_case=lambda rng: _delta_case("huber")(rng, *large.ENTRIES), **REGRESSION_PROBE)
register("delta_pseudo_huber_linear", _with_c(deltas.delta_pseudo_huber_linear), _delta_case("huber"),
         _delta_edges(_delta_case("huber"), _another_c), _delta_mistakes(_with_c(deltas.delta_pseudo_huber_linear)) + [
    Mistake("forgot the square root", SQUARE_ROOT_CHAIN_RULE, lambda A, Y, c=1.0: (A - Y) / (1 + ((A - Y) / c) ** 2)),
], wrt=WRT_Z, large_case=lambda rng: _delta_case("huber")(rng, *large.ENTRIES), **REGRESSION_PROBE)


# --------------------------------------------------------------------------- vectorised backprop
NOTE_004 = ("used note 004's (n_in, n_out) convention", "your formula is note 004's, and it is right in note 004's "
            "convention, which stores W as (n_in, n_out) (CS231n's). The course stores W as (n_out, n_in), the "
            "transpose: with the course's W the formula comes out transposed (or does not conform). Translate: put "
            "W_004 = W^T into note 004's formula and simplify; a gradient must have the shape of its parameter.")


def _hidden_delta_case(rng: np.random.Generator, m: int | None = None, zeros: bool = False) -> Args:
    m = rows(rng, m)
    n_l, n_next = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    g_prime = np.zeros((m, n_l)) if zeros else (rng.uniform(size=(m, n_l)) > 0.4).astype(np.float64)
    return rng.normal(size=(m, n_next)), rng.normal(size=(n_next, n_l)), g_prime


#: The student's own gradient check of hidden_delta and layer_gradients differentiates a small loss,
#: linear in the parameter, whose gradient is the answer (the notebook's hidden_delta_loss and
#: layer_loss, which take the parameter first, then the case's arguments): hidden_delta is dL/dZ of
#: L = sum(delta_next * (A @ W_next^T)) with A = g_prime_Z * Z (a layer with slopes g'(z) near Z),
#: layer_gradients are dL/dW and dL/db of L = mean over the rows of sum(delta * (A_prev @ W^T + b)).
WRT_HIDDEN = (("delta", (0,)),)
WRT_LAYER = (("dW", (0,)), ("db", (1,)))

register("hidden_delta", answers.hidden_delta, _hidden_delta_case, lambda rng: [
    Case("m = 1", _hidden_delta_case(rng, m=1)), Case("zeros", _hidden_delta_case(rng, zeros=True)),
], [
    Mistake("forgot g'(z)", "a^l = g(z^l) sits between z^l and the next layer: the chain rule through it brings "
            "in g'(z^l).", lambda d, W, g: d @ W),
    Mistake(*NOTE_004, lambda d, W, g: (d @ W.T) * g),
    Mistake("added g'(z)", "the chain rule multiplies by g'(z^l); it does not add it.",
            lambda d, W, g: d @ W + g),
    Mistake("matrix product with g'(z)", "a^l = g(z^l) acts unit by unit, so g'(z^l) multiplies ELEMENTWISE (*), "
            "not as a matrix product (@).", lambda d, W, g: (d @ W) @ g.T),
], arguments=("delta_next", "W_next", "g_prime_Z"), wrt=WRT_HIDDEN,
   forms=("(Δ W) ⊙", "(delta_next @ W_next) *", "(delta @ W) *"))


def _layer_gradients_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = rows(rng, m)
    return rng.normal(size=(m, int(rng.integers(1, 6)))), rng.normal(size=(m, int(rng.integers(1, 6))))


register("layer_gradients", network.layer_gradients, _layer_gradients_case, lambda rng: [
    Case("m = 1", _layer_gradients_case(rng, m=1)),
], [
    Mistake("forgot 1/m", "the loss is the mean over the m examples, so its gradients are the means of the "
            "per-example gradients: divide by m.",
            lambda delta, A_prev: tuple(delta.shape[0] * g for g in network.layer_gradients(delta, A_prev))),
    Mistake("dW without 1/m (notes erratum)", "dW is a mean over the examples, like db (note 004's weight "
            "gradient for m examples leaves out the 1/m: errata.md, #14).",
            lambda delta, A_prev: (delta.T @ A_prev, delta.mean(axis=0))),
    Mistake("db summed (notes erratum)", "db is a MEAN over the examples, not a sum (note 004's bias "
            "update sums: errata.md, #15).", lambda delta, A_prev: (delta.T @ A_prev / delta.shape[0], delta.sum(axis=0))),
    Mistake(*NOTE_004, lambda delta, A_prev: (A_prev.T @ delta / delta.shape[0], delta.mean(axis=0))),
    Mistake("db not reduced over the examples", "db has the shape of b, (n_out,): one mean over "
            "the m examples per unit; you returned the (m, n_out) matrix delta as it is, and numpy would "
            "broadcast b to (m, n_out) without a word.",
            lambda delta, A_prev: (network.layer_gradients(delta, A_prev)[0], delta.copy())),
], wrt=WRT_LAYER, forms=("Δᵀ A / m", r"\frac1m \Delta^T A", "delta.T @ A_prev / m"))


def _backprop_case(rng: np.random.Generator, m: int | None = None, zeros: bool = False,
                   layers: int | None = None, sizes: list[int] | None = None) -> Args:
    """Inputs, one-hot targets and a network; given ``sizes``, its weights scaled by
    1 / sqrt(n_in) so that a wide network's activations keep their size."""
    m = rows(rng, m)
    if sizes is None:
        sizes = [int(n) for n in rng.integers(1, 6, size=(layers + 1) if layers else int(rng.integers(3, 5)))]
        sizes[-1] = max(sizes[-1], 2)
        scaled = False
    else:
        scaled = True
    X = np.zeros((m, sizes[0])) if zeros else rng.normal(size=(m, sizes[0]))
    layers = params(rng, sizes)
    if scaled:
        layers = [(W / np.sqrt(W.shape[1]), b) for W, b in layers]
    if zeros:
        layers = [(W, np.zeros_like(b)) for W, b in layers]
    return X, one_hot(rng, m, sizes[-1]), layers


def _mistaken_backprop(X, Y, layers, output_delta: Callable = lambda A, Y: A - Y, hidden_prime: bool = True,
                       scale_dW: float = 1.0, scale_db: float = 1.0, transpose_dW: bool = False):
    """backprop (ReLU hidden, softmax output, CCE) with one thing wrong, for the mistakes
    below: another output error, no relu'(z) on the way back, a factor on the gradients,
    or dW transposed."""
    cache = network.forward(layers, X, "relu", "softmax")
    delta = output_delta(cache.A[-1], Y)
    grads = []
    for index in range(len(layers) - 1, -1, -1):
        dW, db = network.layer_gradients(delta, cache.A[index])
        grads.append((scale_dW * (dW.T if transpose_dW else dW), scale_db * db))
        if index:
            W = layers[index][0]
            delta = (deltas.hidden_delta(delta, W, cache.Z[index - 1], "relu") if hidden_prime else delta @ W)
    return grads[::-1]


#: dW and db of every layer, for the student's own gradient check (the random cases have 2 or 3
#: layers; check_gradients skips the paths a case does not have).
WRT_LAYERS = tuple((f"d{name}{layer + 1}", (2, layer, k)) for layer in range(3) for k, name in enumerate("Wb"))

register("backprop", answers.backprop, _backprop_case, lambda rng: [
    Case("m = 1", _backprop_case(rng, m=1)), Case("zeros", _backprop_case(rng, zeros=True)),
    Case("one layer (no hidden layer)", _backprop_case(rng, layers=1)),
], [
    Mistake("forgot 1/m", "dW and db are means over the m examples: divide by m.",
            lambda X, Y, p: _mistaken_backprop(X, Y, p, scale_dW=X.shape[0], scale_db=X.shape[0])),
    Mistake("MSE delta with cross-entropy", "with softmax and cross-entropy, start from the output error you "
            "derived for delta_cce_softmax; you multiplied by a (1 - a).", lambda X, Y, p: _mistaken_backprop(X, Y, p, lambda A, Y: (A - Y) * A * (1 - A))),
    Mistake("forgot relu'(z)", "propagating to a hidden layer multiplies by g'(z^l) = relu'(z^l) (1 where z > 0).",
            lambda X, Y, p: _mistaken_backprop(X, Y, p, hidden_prime=False)),
    Mistake("sign flipped", "the sign is flipped: compare your output error with your delta_cce_softmax.",
            lambda X, Y, p: _mistaken_backprop(X, Y, p, scale_dW=-1.0, scale_db=-1.0)),
    Mistake("dW without 1/m (notes erratum)", "dW is a mean over the examples, like db (errata.md, #14).",
            lambda X, Y, p: _mistaken_backprop(X, Y, p, scale_dW=X.shape[0])),
    Mistake("db summed (notes erratum)", "db is a MEAN over the examples, not a sum (errata.md, #15).",
            lambda X, Y, p: _mistaken_backprop(X, Y, p, scale_db=X.shape[0])),
    Mistake(*NOTE_004, lambda X, Y, p: _mistaken_backprop(X, Y, p, transpose_dW=True)),
    Mistake("layers in reverse order", "return the gradients in layer order, the same order as params "
            "(the backward pass produces them last layer first).",
            lambda X, Y, p: answers.backprop(X, Y, p)[::-1]),
], wrt=WRT_LAYERS,
   large_case=lambda rng: _backprop_case(rng, m=large.NETWORK_ROWS, sizes=large.BACKPROP_SIZES))


def _scores(rng: np.random.Generator, m: int | None = None) -> np.ndarray:
    m = rows(rng, m, high=8)
    return probabilities(rng, m, int(rng.integers(2, 6)))


register("predict_classes", optim.predict_classes, lambda rng: (_scores(rng),), lambda rng: [
    Case("m = 1", (_scores(rng, m=1),)),
    Case("ties", (np.array([[0.4, 0.4, 0.2], [0.1, 0.45, 0.45], [0.25, 0.25, 0.5]]),)),
], [
    Mistake("argmax over the wrong axis", "each ROW is one example: you took the largest entry of each column, one per "
            "class; take one class per row.",
            lambda A: np.argmax(A, axis=0)),
    Mistake("ties broken to the last", "with ties the course takes the FIRST largest entry of a row; you took the "
            "last.",
            lambda A: A.shape[1] - 1 - np.argmax(A[:, ::-1], axis=1)),
    Mistake("returned the largest probability", "you returned the largest probability of each row; the class is WHERE it "
            "is (its column index, an int).", lambda A: A.max(axis=1)),
    Mistake("argmax of the whole array", "you returned one number for the whole array (its flattened position): "
            "the answer has one class per row.", lambda A: np.argmax(A)),
], forms=("np.argmax", "argmax(axis=1)"))


# --------------------------------------------------------------------------- the gradient check of a backprop
#: Relative sizes of the disagreement between an analytic and a numerical gradient: a right
#: layer (rounding), a slip of a few per cent, a wrong formula.
_DISAGREEMENTS = (1e-5, 3e-2, 0.7)


def _gradient_pair(rng: np.random.Generator, layers: int | None = None, zero_layer: bool = False) -> Args:
    """Analytic and numerical gradients ``[(dW, db), ...]`` of a random network that agree on
    some parameters and disagree, by different amounts, on others."""
    sizes = [int(n) for n in rng.integers(1, 6, size=(layers or int(rng.integers(1, 5))) + 1)]
    analytic, numeric = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        pair = []
        for shape in ((n_out, n_in), (n_out,)):
            a = rng.normal(size=shape)
            scale = _DISAGREEMENTS[int(rng.integers(0, len(_DISAGREEMENTS)))]
            pair.append((a, a + scale * rng.normal(size=shape) * (np.abs(a) + 0.1)))
        analytic.append((pair[0][0], pair[1][0]))
        numeric.append((pair[0][1], pair[1][1]))
    if zero_layer:  # a layer whose units are all dead: both gradients exactly zero
        analytic[0] = tuple(np.zeros_like(g) for g in analytic[0])
        numeric[0] = tuple(np.zeros_like(g) for g in numeric[0])
    return analytic, numeric


def _vanishing(pair: Args) -> Args:
    """``pair`` with its first layer's gradients scaled down to about 1e-11 (a deep sigmoid network's
    first layer): the notebook's relative error does not change with the scale, so a floor in the
    denominator (CS231n's ``max(1e-8, ...)``) shows."""
    analytic, numeric = pair
    shrink = lambda layers: [tuple(g * 1e-11 for g in layers[0])] + layers[1:]  # noqa: E731
    return shrink(analytic), shrink(numeric)


def _max_error(a, n):
    return float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n)))


def _error_per_layer(error: Callable) -> Callable:
    return lambda analytic, numeric: [(error(dW, nW), error(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]


register("gradient_errors", network.gradient_errors, _gradient_pair, lambda rng: [
    Case("one layer", _gradient_pair(rng, layers=1)),
    Case("a layer with zero gradients", _gradient_pair(rng, layers=2, zero_layer=True)),
    Case("identical gradients", (lambda a: (a, [(W.copy(), b.copy()) for W, b in a]))(_gradient_pair(rng, 3)[0])),
    Case("vanishing gradients", _vanishing(_gradient_pair(rng, layers=3))),
], [
    Mistake("norms instead of the max", "the notebook's relative error takes the LARGEST entry of |a - n| over the "
            "largest entry of |a| + |n|, not norms of the whole arrays.",
            _error_per_layer(lambda a, n: float(np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n),
                                                                               1e-300)))),
    Mistake("relative to the analytic gradient only", "divide by the largest entry of |a| + |n|, both gradients: "
            "a relative error must not depend on which of the two is wrong.",
            quietly(_error_per_layer(lambda a, n: float(np.max(np.abs(a - n)) / np.max(np.abs(a)))))),
    Mistake("no guard for zero gradients", "when both gradients are exactly zero (a layer of dead units) the "
            "error is 0/0: return 0.0 there, as the notebook says.", quietly(_error_per_layer(_max_error))),
    Mistake("(err_b, err_W) swapped", "each layer's tuple is (err_W, err_b), in the order of (W, b).",
            lambda analytic, numeric: [(eb, eW) for eW, eb in network.gradient_errors(analytic, numeric)]),
    Mistake("mean instead of the max", "take the LARGEST entries, not the means: one wrong entry "
            "among many right ones must show.",
            _error_per_layer(lambda a, n: float(np.mean(np.abs(a - n)) / max(np.mean(np.abs(a) + np.abs(n)), 1e-300)))),
], arguments=("analytic", "numeric"), forms=("np.max(np.abs(a - n))", "np.abs(a) + np.abs(n)", "np.abs(a) + np.abs(b)"))
