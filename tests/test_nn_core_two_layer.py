"""nn_core.two_layer: the notes' closed forms agree with network.backward and finite differences."""
import numpy as np
import pytest

from nn_core import network, two_layer
from nn_core.activations import sigmoid
from nn_core.gradcheck import numerical_gradient, relative_error
from nn_core.losses import LOSSES

TOL = 1e-7

# family -> (hidden, output, loss) of the network the derivation is about
FAMILIES = {
    "regression": ("sigmoid", "linear", "mse"),
    "homework": ("sigmoid", "sigmoid", "mse"),
    "binary": ("sigmoid", "sigmoid", "bce"),
    "binary_relu": ("relu", "sigmoid", "bce"),
}
PARAMETERS = {"dw1": (0, 0), "db1": (0, 1), "dw2": (1, 0), "db2": (1, 1)}  # -> (layer, W or b)


def two_layer_case(family, m, n_in=3, h=4, n_out=2, seed=0):
    rng = np.random.default_rng(seed + m)
    hidden, output, loss = FAMILIES[family]
    if loss == "bce":
        n_out = 1
    X = rng.normal(size=(m, n_in))
    W1, b1 = rng.normal(size=(h, n_in)), rng.normal(size=h)
    W2, b2 = rng.normal(size=(n_out, h)), rng.normal(size=n_out)
    if hidden == "relu":  # keep pre-activations off the kink at 0
        Z1 = X @ W1.T + b1
        b1 = b1 + np.where(np.abs(Z1).min(axis=0) < 1e-3, 0.01, 0.0)
    if loss == "bce":
        Y = rng.integers(0, 2, size=(m, n_out)).astype(float)
    elif output == "sigmoid":
        Y = rng.uniform(0, 1, size=(m, n_out))
    else:
        Y = rng.normal(size=(m, n_out))
    return X, Y, W1, b1, W2, b2


CASES = [(family, name, m) for family in FAMILIES for name in PARAMETERS for m in (1, 6)]


@pytest.mark.parametrize("family,name,m", CASES)
def test_two_layer_closed_form_equals_network_backward(family, name, m):
    hidden, output, loss = FAMILIES[family]
    X, Y, W1, b1, W2, b2 = two_layer_case(family, m)
    closed = getattr(two_layer, f"{family}_dL_{name}")(X, Y, W1, b1, W2, b2)
    params = [(W1, b1), (W2, b2)]
    cache = network.forward(params, X, hidden, output)
    layer, which = PARAMETERS[name]
    expected = network.backward(params, cache, Y, hidden, output, loss)[layer][which]
    assert closed.shape == params[layer][which].shape
    np.testing.assert_allclose(closed, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("family,name,m", CASES)
def test_two_layer_closed_form_matches_finite_differences(family, name, m):
    hidden, output, loss = FAMILIES[family]
    X, Y, W1, b1, W2, b2 = two_layer_case(family, m)
    params = [(W1, b1), (W2, b2)]
    layer, which = PARAMETERS[name]

    def mean_loss(_):
        return LOSSES[loss].value(network.forward(params, X, hidden, output).A[-1], Y)

    closed = getattr(two_layer, f"{family}_dL_{name}")(X, Y, W1, b1, W2, b2)
    assert relative_error(closed, numerical_gradient(mean_loss, params[layer][which])) < TOL


def test_regression_dL_dw2_is_a2_minus_y_times_a1_transposed_not_a1_minus_y():
    """Errata 000: the update rule is (a2 - y) a1^T; the notes' (a1 - y) a1^T is wrong."""
    X, Y, W1, b1, W2, b2 = two_layer_case("regression", 1, h=2, n_out=2)
    a1 = sigmoid(W1 @ X[0] + b1)
    a2 = W2 @ a1 + b2
    y = Y[0]
    dW2 = two_layer.regression_dL_dw2(X, Y, W1, b1, W2, b2)
    np.testing.assert_allclose(dW2, np.outer(a2 - y, a1), rtol=1e-13)
    assert not np.allclose(dW2, np.outer(a1 - y, a1))


def test_homework_dL_dw1_has_no_extra_factor_a1():
    """Errata 003: dL/dw1 = -(y - a2) s'(z2) w2 s'(z1) x, without the extra a1 of the notes."""
    X, Y, W1, b1, W2, b2 = two_layer_case("homework", 1, n_in=1, h=1, n_out=1)
    x, y = X[0, 0], Y[0, 0]
    z1 = W1[0, 0] * x + b1[0]          # z1 = w1 x + b1 (the notes' "z1 = w1 + b1" drops x)
    a1 = sigmoid(z1)
    a2 = sigmoid(W2[0, 0] * a1 + b2[0])
    correct = -(y - a2) * a2 * (1 - a2) * W2[0, 0] * a1 * (1 - a1) * x
    as_in_notes = correct * a1
    got = two_layer.homework_dL_dw1(X, Y, W1, b1, W2, b2)[0, 0]
    assert got == pytest.approx(correct, rel=1e-12)
    assert got != pytest.approx(as_in_notes, rel=1e-3)


def test_regression_first_layer_gradient_has_no_factor_two_with_the_half_mse():
    """Errata 000: with L = 1/2 (y_hat - y)^2, dL/dw1 = (y_hat - y) w2 g'(z1) x, not -2 (y - y_hat) ..."""
    X, Y, W1, b1, W2, b2 = two_layer_case("regression", 1, n_in=1, h=1, n_out=1)
    x, y = X[0, 0], Y[0, 0]
    a1 = sigmoid(W1[0, 0] * x + b1[0])
    y_hat = W2[0, 0] * a1 + b2[0]
    expected = (y_hat - y) * W2[0, 0] * a1 * (1 - a1) * x
    assert two_layer.regression_dL_dw1(X, Y, W1, b1, W2, b2)[0, 0] == pytest.approx(expected, rel=1e-12)
    assert two_layer.regression_dL_db1(X, Y, W1, b1, W2, b2)[0] == pytest.approx(expected / x, rel=1e-12)


# ------------------------------------------------------------------ the four gradients at once (a3's questions)
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("m", (1, 6))
def test_four_gradients_are_the_per_parameter_formulas_in_the_order_dw1_db1_dw2_db2(family, m):
    args = two_layer_case(family, m)
    got = two_layer.NETWORKS[family].gradients(*args)
    assert isinstance(got, tuple) and len(got) == 4
    for value, name in zip(got, ("dw1", "db1", "dw2", "db2")):
        np.testing.assert_allclose(value, getattr(two_layer, f"{family}_dL_{name}")(*args), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("m", (1, 6))
def test_four_gradients_are_the_gradients_of_the_networks_loss_function(family, m):
    """The loss a student checks against (mean over m of per-example sums) is the network's
    loss, and each returned gradient is its derivative (central differences)."""
    hidden, output, loss = FAMILIES[family]
    network_spec = two_layer.NETWORKS[family]
    assert (network_spec.hidden, network_spec.output, network_spec.loss) == (hidden, output, loss)
    X, Y, W1, b1, W2, b2 = args = two_layer_case(family, m)
    params = [(W1, b1), (W2, b2)]
    assert network_spec.loss_value(*args) == pytest.approx(
        LOSSES[loss].value(network.forward(params, X, hidden, output).A[-1], Y), rel=1e-13)
    for position, gradient in zip((2, 3, 4, 5), network_spec.gradients(*args)):
        def f(value, position=position):
            changed = list(args)
            changed[position] = value
            return network_spec.loss_value(*changed)
        assert relative_error(gradient, numerical_gradient(f, np.array(args[position]))) < TOL


def test_the_notes_homework_dw1_fails_a_gradient_check_by_the_factor_a1():
    """Errata 003 #11, as the notebook's experiment shows it: the notes' dL/dw1 is the right one times a1."""
    X, Y, W1, b1, W2, b2 = args = two_layer_case("homework", 1, n_in=1, h=1, n_out=1)
    a1 = sigmoid(W1[0, 0] * X[0, 0] + b1[0])
    dW1 = two_layer.homework_gradients(*args)[0]

    def f(value):
        return two_layer.homework_loss(X, Y, value, b1, W2, b2)

    numeric = numerical_gradient(f, W1.copy())
    assert relative_error(dW1, numeric) < TOL
    assert relative_error(dW1 * a1, numeric) > 1e-2
