"""nn_core.activations: values, derivatives (finite differences), softmax, maxout, stability."""
import warnings

import numpy as np
import pytest

from nn_core import activations as act
from nn_core.gradcheck import check_gradient, numerical_gradient, relative_error

TOL = 1e-7
ELEMENTWISE = [name for name, a in act.ACTIVATIONS.items() if a.is_elementwise]


def away_from_kinks(rng, shape, scale=3.0, gap=1e-3):
    """Random z with no entry within ``gap`` of 0 (the kink of relu and leaky relu)."""
    z = rng.normal(0.0, scale, size=shape)
    return np.where(np.abs(z) < gap, gap * 10, z)


# ---------------------------------------------------------------- derivatives by finite differences


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_prime_matches_finite_differences(name):
    rng = np.random.default_rng(1)
    g = act.ACTIVATIONS[name]
    z = away_from_kinks(rng, (4, 5))
    weights = rng.normal(size=z.shape)  # f(z) = sum(weights * g(z)) has gradient weights * g'(z)
    error = check_gradient(lambda v: np.sum(weights * g.fn(v)), lambda v: weights * g.prime(v), z)
    assert error < TOL


@pytest.mark.parametrize("slope", [0.1, 0.01, 0.3])
def test_leaky_relu_prime_matches_finite_differences_for_any_slope(slope):
    rng = np.random.default_rng(2)
    z = away_from_kinks(rng, (3, 4))
    f = lambda v: np.sum(act.leaky_relu(v, slope))
    assert relative_error(numerical_gradient(f, z), act.leaky_relu_prime(z, slope)) < TOL


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_backward_is_upstream_times_prime(name):
    rng = np.random.default_rng(3)
    g = act.ACTIVATIONS[name]
    Z = away_from_kinks(rng, (3, 4))
    dA = rng.normal(size=Z.shape)
    np.testing.assert_allclose(g.backward(Z, g.fn(Z), dA), dA * g.prime(Z), rtol=0, atol=0)


def test_sigmoid_prime_from_output_equals_sigmoid_prime():
    z = np.linspace(-8, 8, 41)
    np.testing.assert_allclose(act.sigmoid_prime_from_output(act.sigmoid(z)), act.sigmoid_prime(z), rtol=1e-12)


def test_sigmoid_prime_is_exp_minus_z_over_one_plus_exp_minus_z_squared():
    """Errata 002 section 5: the denominator is (1 + e^{-z})^2, not (1 + e^{z})^2."""
    z = np.linspace(-5, 5, 21)
    correct = np.exp(-z) / (1.0 + np.exp(-z)) ** 2
    as_in_notes = np.exp(-z) / (1.0 + np.exp(z)) ** 2
    np.testing.assert_allclose(act.sigmoid_prime(z), correct, rtol=1e-12)
    assert not np.allclose(act.sigmoid_prime(z), as_in_notes)
    # and the notes' final answer y (1 - y) is right
    y = act.sigmoid(z)
    np.testing.assert_allclose(act.sigmoid_prime(z), y * (1 - y), rtol=1e-12)


# ---------------------------------------------------------------- values of the notes


def test_sigmoid_both_forms_of_the_notes_agree():
    z = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(act.sigmoid(z), np.exp(z) / (1 + np.exp(z)), rtol=1e-13)


def test_tanh_equals_two_sigmoid_of_two_x_minus_one():
    z = np.linspace(-10, 10, 101)
    np.testing.assert_allclose(act.tanh_via_sigmoid(z), np.tanh(z), rtol=0, atol=1e-15)
    np.testing.assert_allclose(act.tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), atol=1e-15)


def test_relu_is_max_zero_z_and_relu_prime_at_zero_is_zero():
    z = np.array([-2.0, -0.0, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(act.relu(z), [0.0, 0.0, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(act.relu_prime(z), [0.0, 0.0, 0.0, 1.0, 1.0])
    assert act.relu_prime(np.array(0.0)) == 0.0


def test_leaky_relu_is_max_z_point_one_z_and_prime_at_zero_is_slope():
    z = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(act.leaky_relu(z), np.maximum(z, 0.1 * z))
    assert act.leaky_relu_prime(np.array([0.0]), slope=0.1)[0] == 0.1
    assert act.leaky_relu_prime(np.array([0.0]), slope=0.25)[0] == 0.25
    np.testing.assert_array_equal(act.leaky_relu_prime(np.array([-1.0, 2.0])), [0.1, 1.0])


def test_activations_keep_the_shape_of_their_input():
    z = np.arange(24.0).reshape(2, 3, 4) - 12
    for name in ELEMENTWISE:
        g = act.ACTIVATIONS[name]
        assert g.fn(z).shape == z.shape and g.prime(z).shape == z.shape
        assert g.fn(z).dtype == np.float64


def test_softmax_worked_example_is_0_090_0_245_0_665_not_the_notes_0_002_0_02():
    """Errata 002 section 2: softmax([1, 2, 3]) = [0.090, 0.245, 0.665]."""
    y = act.softmax(np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(y, [[0.09003057, 0.24472847, 0.66524096]], rtol=1e-7)
    np.testing.assert_allclose(np.round(y, 3), [[0.090, 0.245, 0.665]])
    assert not np.allclose(y[0, :2], [0.002, 0.02], atol=0.01)
    np.testing.assert_allclose(act.softmax(np.array([1.0, 2.0, 3.0])), y[0])  # a single row works too


def test_softmax_is_row_wise():
    Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(act.softmax(Z)[1], [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(act.softmax(Z)[0], act.softmax(Z[:1])[0])


# ---------------------------------------------------------------- softmax derivatives


def test_softmax_jacobian_matches_finite_differences_including_off_diagonal_terms():
    """Errata 002 section 5: d y_i / d z_j = -y_i y_j for i != j; y_i (1 - y_i) is only the diagonal."""
    rng = np.random.default_rng(4)
    z = rng.normal(size=5)
    a = act.softmax(z)
    J = act.softmax_jacobian(a)
    J_numeric = np.stack([numerical_gradient(lambda v, i=i: act.softmax(v)[i], z.copy()) for i in range(5)])
    assert relative_error(J, J_numeric) < TOL
    np.testing.assert_allclose(np.diag(J), a * (1 - a), rtol=1e-12)
    off_diagonal = ~np.eye(5, dtype=bool)
    np.testing.assert_allclose(J[off_diagonal], -np.outer(a, a)[off_diagonal], rtol=1e-12)
    assert np.all(J[off_diagonal] < 0)


def test_softmax_backward_equals_jacobian_times_upstream_for_each_row():
    rng = np.random.default_rng(5)
    Z = rng.normal(size=(4, 3))
    A = act.softmax(Z)
    dA = rng.normal(size=Z.shape)
    expected = np.stack([act.softmax_jacobian(A[i]).T @ dA[i] for i in range(4)])
    np.testing.assert_allclose(act.softmax_backward(A, dA), expected, rtol=1e-12, atol=1e-15)


def test_softmax_backward_matches_finite_differences():
    rng = np.random.default_rng(6)
    Z = rng.normal(size=(3, 4))
    dA = rng.normal(size=Z.shape)
    error = check_gradient(
        lambda v: np.sum(dA * act.softmax(v)), lambda v: act.softmax_backward(act.softmax(v), dA), Z
    )
    assert error < TOL


def test_softmax_activation_backward_uses_the_jacobian():
    rng = np.random.default_rng(7)
    Z = rng.normal(size=(2, 3))
    A = act.softmax(Z)
    dA = rng.normal(size=Z.shape)
    g = act.ACTIVATIONS["softmax"]
    assert not g.is_elementwise and g.prime is None
    np.testing.assert_allclose(g.backward(Z, A, dA), act.softmax_backward(A, dA))


# ---------------------------------------------------------------- maxout


def maxout_case(seed=8, m=4, n_in=3, n_out=5):
    """Random maxout inputs whose two pieces never tie closely (so finite differences are clean)."""
    rng = np.random.default_rng(seed)
    while True:
        X = rng.normal(size=(m, n_in))
        W1, W2 = rng.normal(size=(n_out, n_in)), rng.normal(size=(n_out, n_in))
        b1, b2 = rng.normal(size=n_out), rng.normal(size=n_out)
        if np.min(np.abs((X @ W1.T + b1) - (X @ W2.T + b2))) > 1e-3:
            return X, W1, b1, W2, b2, rng.normal(size=(m, n_out))


def test_maxout_is_elementwise_max_of_two_affine_maps():
    X, W1, b1, W2, b2, _ = maxout_case()
    out = act.maxout(X, W1, b1, W2, b2)
    assert out.shape == (4, 5)
    np.testing.assert_allclose(out, np.maximum(X @ W1.T + b1, X @ W2.T + b2))


def test_maxout_with_zero_biases_is_the_notes_max_w1x_w2x():
    X, W1, _, W2, _, _ = maxout_case()
    zero = np.zeros(W1.shape[0])
    x = X[0]
    np.testing.assert_allclose(act.maxout(X[:1], W1, zero, W2, zero)[0], np.maximum(W1 @ x, W2 @ x))


def test_maxout_with_a_zero_second_piece_is_a_layer_of_relu_units_and_a_scaled_one_leaky_relu():
    """A layer relu(W x + b) is maxout with W1 = W, b1 = b, W2 = 0, b2 = 0 (not W1 = I, which
    gives relu of the input itself); leaky ReLU with slope s is W2 = s W, b2 = s b."""
    X, W, b, _, _, _ = maxout_case()
    zero_W, zero_b = np.zeros_like(W), np.zeros_like(b)
    np.testing.assert_array_equal(act.maxout(X, W, b, zero_W, zero_b), act.relu(X @ W.T + b))
    np.testing.assert_allclose(act.maxout(X, W, b, 0.1 * W, 0.1 * b), act.leaky_relu(X @ W.T + b, 0.1), rtol=1e-14)
    assert W.shape[0] != W.shape[1]  # a layer from n_in to n_out: an identity W1 could not even be used


@pytest.mark.parametrize("argument", ["X", "W1", "b1", "W2", "b2"])
def test_maxout_backward_matches_finite_differences(argument):
    X, W1, b1, W2, b2, dOut = maxout_case()
    args = {"X": X, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
    analytic = dict(zip(["X", "W1", "b1", "W2", "b2"], act.maxout_backward(X, W1, b1, W2, b2, dOut)))
    f = lambda _: np.sum(dOut * act.maxout(X, W1, b1, W2, b2))
    numeric = numerical_gradient(f, args[argument])
    assert analytic[argument].shape == args[argument].shape
    assert relative_error(analytic[argument], numeric) < TOL


# ---------------------------------------------------------------- stability


def assert_quiet(fn, *args):
    """Call fn with overflow/divide/invalid raising and every warning an error; return its result.

    Underflow is left at numpy's default (ignored): exp(-1000) = 0.0 is the correctly rounded
    result, not an error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            out = fn(*args)
    assert np.all(np.isfinite(out))
    return out


@pytest.mark.parametrize("scale", [1000.0, 1e4])
def test_softmax_is_finite_and_quiet_for_huge_inputs(scale):
    Z = np.array([[scale, -scale, 0.0], [-scale, -scale, -scale], [scale, scale, scale], [1.0, 2.0, 3.0]])
    A = assert_quiet(act.softmax, Z)
    np.testing.assert_allclose(A.sum(axis=1), 1.0)
    np.testing.assert_allclose(A[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(A[1], [1 / 3] * 3)
    np.testing.assert_allclose(A[3], act.softmax(np.array([[1.0, 2.0, 3.0]]))[0])


def test_sigmoid_is_finite_and_quiet_at_plus_minus_1000():
    z = np.array([-1000.0, -745.0, -50.0, 0.0, 50.0, 1000.0])
    s = assert_quiet(act.sigmoid, z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert_quiet(act.sigmoid_prime, z)
    assert_quiet(act.tanh_via_sigmoid, z)


# ---------------------------------------------------------------- registry


def test_registry_holds_the_designed_names():
    assert set(act.ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"}
    assert "softmax" not in act.HIDDEN_ACTIVATIONS
    for name, g in act.ACTIVATIONS.items():
        assert g.name == name


def test_unknown_activation_name_raises_value_error_listing_valid_names():
    with pytest.raises(ValueError, match="relu.*softmax|softmax.*relu"):
        act.get_activation("swish")
