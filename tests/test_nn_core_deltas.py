"""nn_core.deltas: delta^L closed forms = general form = finite differences; hidden recurrence."""
import numpy as np
import pytest

from nn_core import deltas
from nn_core.activations import ACTIVATIONS, sigmoid
from nn_core.gradcheck import numerical_gradient, relative_error
from nn_core.losses import LOSSES, Huber, PseudoHuber

TOL = 1e-7


def pairing_case(output, loss, m=4, n=3, seed=0):
    """Z, A = g(Z) and targets Y suited to the (output, loss) pair."""
    rng = np.random.default_rng(seed)
    if output == "sigmoid" and loss == "bce":
        n = 1 if seed % 2 else n
    Z = rng.normal(0, 1.5, size=(m, n))
    A = ACTIVATIONS[output].fn(Z)
    if loss == "cce":
        Y = np.eye(n)[rng.integers(0, n, size=m)]
    elif loss == "bce":
        Y = rng.integers(0, 2, size=(m, n)).astype(float)
    elif output == "sigmoid":
        Y = rng.uniform(0, 1, size=(m, n))
    else:
        Y = rng.normal(0, 2, size=(m, n))
    return Z, A, Y


PAIRS = list(deltas.VALID_PAIRINGS)


@pytest.mark.parametrize("output,loss", PAIRS)
@pytest.mark.parametrize("m", [1, 4])
def test_closed_form_delta_equals_general_form_and_finite_differences_of_m_times_loss(output, loss, m):
    Z, A, Y = pairing_case(output, loss, m=m)
    g, L = ACTIVATIONS[output], LOSSES[loss]
    closed = deltas.CLOSED_FORM_DELTAS[(loss, output)](A, Y)
    general = deltas.output_delta(loss, output, Z, A, Y)
    # delta is per example: d loss_i / d z_i, i.e. the gradient of m * (mean loss) w.r.t. Z
    numeric = numerical_gradient(lambda V: m * L.value(g.fn(V), Y), Z)
    assert closed.shape == Z.shape
    assert relative_error(closed, general) < 1e-12
    assert relative_error(closed, numeric) < TOL
    assert relative_error(general, numeric) < TOL


@pytest.mark.parametrize("c", [0.5, 2.0])
@pytest.mark.parametrize("name", ["huber", "pseudo_huber"])
def test_huber_family_deltas_take_c(name, c):
    rng = np.random.default_rng(1)
    Z = rng.normal(0, 2, size=(3, 2))
    Y = np.zeros((3, 2))
    closed = getattr(deltas, f"delta_{name}_linear")(Z, Y, c)
    L = {"huber": Huber, "pseudo_huber": PseudoHuber}[name](c)
    np.testing.assert_allclose(closed, L.derivative(Z, Y), rtol=1e-14)
    assert relative_error(closed, numerical_gradient(lambda V: 3 * L.value(V, Y), Z)) < TOL


def test_every_valid_pairing_has_a_closed_form_keyed_loss_then_output():
    assert set(deltas.CLOSED_FORM_DELTAS) == {(loss, output) for output, loss in deltas.VALID_PAIRINGS}


def test_cross_entropy_delta_is_a_minus_y_without_sigma_prime():
    """Errata 004: (a - y) * sigma'(z) is delta^L for MSE + sigmoid only; for BCE + sigmoid it is a - y."""
    Z, A, Y = pairing_case("sigmoid", "bce", m=5)
    numeric = numerical_gradient(lambda V: 5 * LOSSES["bce"].value(sigmoid(V), Y), Z)
    assert relative_error(deltas.delta_bce_sigmoid(A, Y), numeric) < TOL
    np.testing.assert_allclose(deltas.delta_bce_sigmoid(A, Y), A - Y)
    assert relative_error((A - Y) * A * (1 - A), numeric) > 0.1


def test_mse_sigmoid_delta_keeps_sigma_prime():
    Z, A, Y = pairing_case("sigmoid", "mse", m=5)
    np.testing.assert_allclose(deltas.delta_mse_sigmoid(A, Y), (A - Y) * A * (1 - A))


def test_softmax_cce_delta_is_a_minus_y():
    Z, A, Y = pairing_case("softmax", "cce", m=5)
    np.testing.assert_allclose(deltas.delta_cce_softmax(A, Y), A - Y)


# ---------------------------------------------------------------- hidden recurrence


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_hidden_delta_matches_finite_differences_through_one_layer(activation):
    """delta^l = (delta^(l+1) @ W^(l+1)) * g'(Z^l): checked against d(sum_i loss_i)/dZ^l."""
    rng = np.random.default_rng(2)
    m, n_l, n_next = 4, 5, 3
    Z = rng.normal(size=(m, n_l))
    Z = np.where(np.abs(Z) < 1e-3, 0.1, Z)
    W_next, b_next = rng.normal(size=(n_next, n_l)), rng.normal(size=n_next)
    Y = np.eye(n_next)[rng.integers(0, n_next, size=m)]
    g, out, L = ACTIVATIONS[activation], ACTIVATIONS["softmax"], LOSSES["cce"]

    def total_loss(V):
        return m * L.value(out.fn(g.fn(V) @ W_next.T + b_next), Y)

    A_next = out.fn(g.fn(Z) @ W_next.T + b_next)
    delta_l = deltas.hidden_delta(deltas.delta_cce_softmax(A_next, Y), W_next, Z, activation)
    assert delta_l.shape == (m, n_l)
    assert relative_error(delta_l, numerical_gradient(total_loss, Z)) < TOL


def test_hidden_delta_uses_the_transpose_of_w_in_column_form():
    """Errata #12: with the course's W (n_(l+1), n_l) the column form is W^T delta (shape n_l) and
    the row form delta @ W; note 004's W delta is the same for its W (n_l, n_(l+1))."""
    rng = np.random.default_rng(3)
    W_next = rng.normal(size=(3, 5))   # (n_(l+1), n_l), not square: W @ delta would not even conform
    delta_next = rng.normal(size=(1, 3))
    Z = rng.normal(size=(1, 5))
    column_form = (W_next.T @ delta_next.T) * ACTIVATIONS["tanh"].prime(Z).T
    np.testing.assert_allclose(deltas.hidden_delta(delta_next, W_next, Z, "tanh"), column_form.T)
    with pytest.raises(ValueError):
        W_next @ delta_next  # note 004's w^{L+1} delta^{L+1} with the course's W: shapes do not match


def test_hidden_delta_rejects_softmax():
    with pytest.raises(ValueError):
        deltas.hidden_delta(np.ones((1, 2)), np.ones((2, 2)), np.ones((1, 2)), "softmax")


@pytest.mark.parametrize("output,loss", [("softmax", "mse"), ("linear", "bce"), ("sigmoid", "cce"), ("relu", "mse")])
def test_invalid_pairing_raises_value_error_listing_valid_pairs(output, loss):
    with pytest.raises(ValueError, match="softmax \\+ cce"):
        deltas.check_pairing(output, loss)


def test_unknown_names_in_pairing_raise_value_error():
    with pytest.raises(ValueError, match="valid names"):
        deltas.check_pairing("softplus", "mse")
    with pytest.raises(ValueError, match="valid names"):
        deltas.check_pairing("linear", "l1")
