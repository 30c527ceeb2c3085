"""nn_core.losses: formulas, worked examples, gradients (finite differences), clipping."""
import warnings

import numpy as np
import pytest

from nn_core import losses
from nn_core.activations import softmax
from nn_core.gradcheck import check_gradient, relative_error

TOL = 1e-7


def loss_case(name, m=5, n=3, seed=0):
    """Predictions and targets that suit the loss (probabilities for BCE/CCE)."""
    rng = np.random.default_rng(seed)
    if name == "bce":
        return rng.uniform(0.05, 0.95, size=(m, n)), rng.integers(0, 2, size=(m, n)).astype(float)
    if name == "cce":
        Y = np.eye(n)[rng.integers(0, n, size=m)]
        return softmax(rng.normal(size=(m, n))), Y
    Y_hat, Y = rng.normal(0, 2, size=(m, n)), rng.normal(0, 2, size=(m, n))
    if name == "huber":  # keep residuals away from the switch |r| = c so both sides are exercised cleanly
        r = Y_hat - Y
        Y_hat = np.where(np.abs(np.abs(r) - 1.0) < 1e-3, Y_hat + 0.01, Y_hat)
    return Y_hat, Y


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
@pytest.mark.parametrize("m", [1, 5])
def test_loss_gradient_matches_finite_differences_of_the_mean(name, m):
    loss = losses.LOSSES[name]
    Y_hat, Y = loss_case(name, m=m)
    error = check_gradient(lambda P: loss.value(P, Y), lambda P: loss.gradient(P, Y), Y_hat)
    assert error < TOL


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_value_is_mean_of_per_example_and_gradient_is_derivative_over_m(name):
    loss = losses.LOSSES[name]
    Y_hat, Y = loss_case(name, m=6)
    assert loss.per_example(Y_hat, Y).shape == (6,)
    assert loss.value(Y_hat, Y) == pytest.approx(loss.per_example(Y_hat, Y).mean(), rel=1e-14)
    np.testing.assert_allclose(loss.gradient(Y_hat, Y), loss.derivative(Y_hat, Y) / 6, rtol=1e-14)
    assert isinstance(loss.value(Y_hat, Y), float)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_plain_functions_equal_the_loss_objects(name):
    Y_hat, Y = loss_case(name)
    loss = losses.LOSSES[name]
    assert getattr(losses, name)(Y_hat, Y) == loss.value(Y_hat, Y)
    np.testing.assert_array_equal(getattr(losses, name + "_gradient")(Y_hat, Y), loss.gradient(Y_hat, Y))


@pytest.mark.parametrize("name", ["huber", "pseudo_huber"])
@pytest.mark.parametrize("c", [0.5, 2.0])
def test_huber_family_gradient_matches_finite_differences_for_other_c(name, c):
    value, gradient = getattr(losses, name), getattr(losses, name + "_gradient")
    rng = np.random.default_rng(3)
    Y_hat, Y = rng.normal(0, 2, size=(4, 2)), np.zeros((4, 2))
    Y_hat = np.where(np.abs(np.abs(Y_hat) - c) < 1e-3, Y_hat + 0.01, Y_hat)
    assert check_gradient(lambda P: value(P, Y, c=c), lambda P: gradient(P, Y, c=c), Y_hat) < TOL


# ---------------------------------------------------------------- the formulas of the notes


def test_mse_per_example_is_half_the_sum_of_squares():
    """Errata 002 section 6: L = 1/2 (Y - Y_hat)^T (Y - Y_hat), with the 1/2."""
    Y_hat = np.array([[1.0, 2.0], [0.0, 0.0]])
    Y = np.array([[0.0, 0.0], [3.0, 4.0]])
    np.testing.assert_allclose(losses.LOSSES["mse"].per_example(Y_hat, Y), [0.5 * 5, 0.5 * 25])
    assert losses.mse(Y_hat, Y) == pytest.approx((2.5 + 12.5) / 2)
    r = (Y - Y_hat)[1]
    assert losses.LOSSES["mse"].per_example(Y_hat, Y)[1] == pytest.approx(0.5 * r @ r)


def test_mse_derivative_is_the_residual_without_a_factor_two():
    """Errata 000: with L = 1/2 (y_hat - y)^2 the derivative is y_hat - y (no 2, no missing 2)."""
    Y_hat, Y = np.array([[3.0]]), np.array([[1.0]])
    np.testing.assert_allclose(losses.LOSSES["mse"].derivative(Y_hat, Y), [[2.0]])
    np.testing.assert_allclose(losses.mse_gradient(Y_hat, Y), [[2.0]])


def test_huber_is_quadratic_inside_linear_outside_and_continuous_at_c():
    Y = np.zeros((1, 4))
    Y_hat = np.array([[0.5, -0.5, 3.0, -3.0]])
    np.testing.assert_allclose(losses.Huber(1.0).per_example(Y_hat, Y), [0.125 + 0.125 + 2.5 + 2.5])
    for c in [0.5, 1.0, 2.0]:
        inside = losses.huber(np.array([[c - 1e-9]]), np.zeros((1, 1)), c=c)
        outside = losses.huber(np.array([[c + 1e-9]]), np.zeros((1, 1)), c=c)
        assert inside == pytest.approx(0.5 * c**2, abs=1e-8) and outside == pytest.approx(0.5 * c**2, abs=1e-8)
    np.testing.assert_allclose(losses.huber_gradient(np.array([[0.5, 3.0, -3.0]]), np.zeros((1, 3))), [[0.5, 1.0, -1.0]])


def test_pseudo_huber_is_near_half_r_squared_for_small_r_and_near_c_abs_r_for_large_r():
    Y = np.zeros((1, 1))
    assert losses.pseudo_huber(np.array([[1e-3]]), Y) == pytest.approx(0.5e-6, rel=1e-5)
    assert losses.pseudo_huber(np.array([[1e4]]), Y, c=2.0) == pytest.approx(2.0 * 1e4, rel=1e-3)
    assert losses.pseudo_huber(np.array([[3.0]]), Y) == pytest.approx(np.sqrt(10.0) - 1.0)


def test_cross_entropy_worked_examples_of_the_notes():
    """Notes 002 section 6: -log(0.98) = 0.0202 (0.02) and -log(0.33) = 1.109 (1.1)."""
    Y = np.array([[0.0, 0.0, 1.0]])
    assert losses.cce(np.array([[0.002, 0.018, 0.98]]), Y) == pytest.approx(0.0202, abs=5e-5)
    assert losses.cce(np.array([[0.33, 0.34, 0.33]]), Y) == pytest.approx(1.109, abs=5e-4)
    assert losses.cce(np.array([[0.33, 0.34, 0.33]]), Y) == pytest.approx(1.1, abs=0.01)


def test_binary_cross_entropy_is_two_class_categorical_cross_entropy():
    """Errata 004: for 2 classes both terms stay: -(y log p + (1 - y) log(1 - p))."""
    rng = np.random.default_rng(4)
    p = rng.uniform(0.05, 0.95, size=(6, 1))
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    two_class = losses.cce(np.hstack([1 - p, p]), np.hstack([1 - y, y]))
    assert losses.bce(p, y) == pytest.approx(two_class, rel=1e-12)
    assert losses.bce(p, y) != pytest.approx(losses.cce(p, y))  # dropping the y_{n,0} term is wrong


def test_log_loss_of_the_notes_per_example():
    p, y = np.array([[0.8]]), np.array([[1.0]])
    assert losses.bce(p, y) == pytest.approx(-np.log(0.8))
    assert losses.bce(p, 1 - y) == pytest.approx(-np.log(0.2))


# ---------------------------------------------------------------- clipping and shapes


@pytest.mark.parametrize("name", ["bce", "cce"])
def test_cross_entropies_are_finite_and_quiet_at_predictions_exactly_0_and_1(name):
    Y_hat = np.array([[0.0, 1.0], [1.0, 0.0]])
    Y = np.array([[1.0, 0.0], [1.0, 0.0]])  # row 0 maximally wrong, row 1 exactly right
    loss = losses.LOSSES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            value = loss.value(Y_hat, Y)
            gradient = loss.gradient(Y_hat, Y)
            per_example = loss.per_example(Y_hat, Y)
    assert np.isfinite(value) and np.all(np.isfinite(gradient))
    assert per_example[1] == pytest.approx(0.0, abs=1e-10)
    assert per_example[0] > 20  # about -log(EPS) per wrong unit


def test_losses_reject_mismatched_or_one_dimensional_inputs():
    with pytest.raises(ValueError):
        losses.mse(np.zeros((3, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError):
        losses.mse(np.zeros(3), np.zeros(3))


def test_unknown_loss_name_raises_value_error_listing_valid_names():
    with pytest.raises(ValueError, match="mse.*cce"):
        losses.get_loss("hinge")


def test_relative_error_of_a_wrong_gradient_is_large():
    """The finite-difference check can fail: a gradient missing the 1/m is caught."""
    Y_hat, Y = loss_case("mse", m=4)
    loss = losses.LOSSES["mse"]
    error = check_gradient(lambda P: loss.value(P, Y), lambda P: loss.derivative(P, Y), Y_hat)
    assert error > 0.1
    assert relative_error(np.ones(3), np.ones(3)) == 0.0


def test_pseudo_huber_c_is_a_scale_not_a_threshold():
    """Pseudo-Huber's c scales the residual: L_c(c r) = c^2 L_1(r), and the loss and its derivative
    are smooth at |r| = c (Huber's c, a threshold, is where its second derivative jumps)."""
    rng = np.random.default_rng(11)
    r, c = rng.normal(size=(5, 3)), 2.5
    zero = np.zeros_like(r)
    scaled = losses.PseudoHuber(c).per_example(c * r, zero)
    np.testing.assert_allclose(scaled, c ** 2 * losses.PseudoHuber(1.0).per_example(r, zero), rtol=1e-12)
    h = 1e-4
    at_c = np.array([[c - h], [c], [c + h]])
    second = {name: np.diff(loss.derivative(at_c, np.zeros_like(at_c)).ravel()) / h
              for name, loss in (("pseudo", losses.PseudoHuber(c)), ("huber", losses.Huber(c)))}
    assert second["pseudo"][0] == pytest.approx(second["pseudo"][1], rel=1e-3)
    assert second["huber"][0] == pytest.approx(1.0) and second["huber"][1] == pytest.approx(0.0, abs=1e-12)


def test_bce_and_cce_gradients_at_a_clipped_prediction_are_the_formula_at_the_clip_not_zero():
    """The convention a4 states: at a prediction of exactly 0 or 1 the gradient is the formula
    for d loss / d p at the clipped p (the clipped loss itself is flat there, derivative 0)."""
    eps, m = losses.EPS, 2
    P, Y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0, 0.0], [1.0, 0.0]])
    Pc = np.clip(P, eps, 1 - eps)
    np.testing.assert_allclose(losses.bce_gradient(P, Y), (-Y / Pc + (1 - Y) / (1 - Pc)) / m, rtol=1e-12)
    np.testing.assert_allclose(losses.cce_gradient(P, Y), -Y / Pc / m, rtol=1e-12)
    assert losses.bce_gradient(P, Y)[0, 0] < -1e11 and losses.cce_gradient(P, Y)[0, 0] < -1e11  # pushed, not 0
