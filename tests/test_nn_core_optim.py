"""nn_core.optim and nn_core.gradcheck: line fit, gd_step, minibatches, train, gradient checking."""
import numpy as np
import pytest

from nn_core import gradcheck, optim
from nn_core.network import MLP


def line_data(m=50, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=m)
    return x, 1.7 * x - 0.4 + rng.normal(0, 0.3, size=m)


# ---------------------------------------------------------------- the line fit


def test_line_fit_loss_is_mean_of_half_squared_residuals():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 1.0])
    assert optim.line_fit_loss(1.0, 0.0, x, y) == pytest.approx(np.mean(0.5 * np.array([1.0, 0.0, 1.0])))


def test_line_fit_gradient_matches_finite_differences():
    x, y = line_data()
    a = np.array([0.3, -1.2])
    numeric = gradcheck.numerical_gradient(lambda v: optim.line_fit_loss(v[0], v[1], x, y), a)
    analytic = optim.line_fit_gradient(a[0], a[1], x, y)
    assert isinstance(analytic, tuple) and all(isinstance(g, float) for g in analytic)
    assert gradcheck.relative_error(np.array(analytic), numeric) < 1e-7


def test_fit_line_converges_to_polyfit():
    x, y = line_data()
    a0, a1, history = optim.fit_line(x, y, lr=0.1, epochs=2000)
    slope, intercept = np.polyfit(x, y, 1)
    assert a0 == pytest.approx(slope, rel=1e-8)
    assert a1 == pytest.approx(intercept, rel=1e-8)
    assert len(history) == 2000
    assert all(later <= earlier + 1e-15 for earlier, later in zip(history, history[1:]))


def test_fit_line_is_plain_gradient_descent_from_the_start_values():
    x, y = line_data(m=5)
    a0, a1, history = optim.fit_line(x, y, lr=0.05, epochs=1, a0=0.5, a1=-0.5)
    g0, g1 = optim.line_fit_gradient(0.5, -0.5, x, y)
    assert (a0, a1) == pytest.approx((0.5 - 0.05 * g0, -0.5 - 0.05 * g1), rel=1e-15)
    assert history == [pytest.approx(optim.line_fit_loss(a0, a1, x, y))]


# ---------------------------------------------------------------- gradient descent on networks


def test_gd_step_returns_new_parameters_and_does_not_mutate():
    params = [(np.ones((2, 3)), np.zeros(2)), (np.ones((1, 2)), np.ones(1))]
    grads = [(np.full((2, 3), 2.0), np.ones(2)), (np.ones((1, 2)), np.full(1, -1.0))]
    new = optim.gd_step(params, grads, lr=0.5)
    np.testing.assert_array_equal(new[0][0], np.zeros((2, 3)))
    np.testing.assert_array_equal(new[0][1], np.full(2, -0.5))
    np.testing.assert_array_equal(new[1][1], np.full(1, 1.5))
    np.testing.assert_array_equal(params[0][0], np.ones((2, 3)))  # untouched
    assert new[0][0] is not params[0][0]


def test_gd_step_rejects_mismatched_layer_counts():
    with pytest.raises(ValueError):
        optim.gd_step([(np.ones(1), np.ones(1))], [], lr=0.1)


@pytest.mark.parametrize("m,batch_size", [(10, 3), (10, 10), (10, 20), (1, 1), (7, 1)])
def test_minibatches_cover_every_row_once(m, batch_size):
    batches = list(optim.minibatches(m, batch_size, np.random.default_rng(0)))
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(m))
    assert all(len(b) == batch_size for b in batches[:-1]) and 1 <= len(batches[-1]) <= batch_size


def test_minibatches_are_reproducible_from_the_seed_and_shuffled():
    first = list(optim.minibatches(100, 10, np.random.default_rng(3)))
    again = list(optim.minibatches(100, 10, np.random.default_rng(3)))
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(np.concatenate(first), np.arange(100))


def test_full_batch_train_equals_repeated_gd_steps():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(8, 3)), np.eye(2)[rng.integers(0, 2, size=8)]
    net = MLP([3, 4, 2], hidden="tanh", output="softmax", loss="cce", seed=0)
    params = net.params
    for _ in range(3):
        params = optim.gd_step(params, MLP.gradients(_with_params(net, params), X, Y), lr=0.3)
    history = optim.train(net, X, Y, epochs=3, lr=0.3, batch_size=None)
    for (W, b), (W2, b2) in zip(net.params, params):
        np.testing.assert_allclose(W, W2, rtol=1e-14)
        np.testing.assert_allclose(b, b2, rtol=1e-14)
    assert len(history) == 3 and history[-1] == pytest.approx(net.loss(X, Y))


def _with_params(net, params):
    clone = MLP(net.sizes, hidden=net.hidden, output=net.output, loss=net.loss_name)
    clone.params = params
    return clone


@pytest.mark.parametrize("batch_size,lr", [(None, 1.0), (4, 0.5), (1, 0.1)])
def test_mlp_fit_decreases_the_loss_and_is_reproducible(batch_size, lr):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)  # XOR-like: needs the hidden layer
    nets = [MLP([2, 8, 1], hidden="tanh", output="sigmoid", loss="bce", seed=1) for _ in range(2)]
    initial_loss = nets[0].loss(X, Y)
    histories = [net.fit(X, Y, epochs=100, lr=lr, batch_size=batch_size, seed=4) for net in nets]
    assert histories[0] == histories[1]
    assert len(histories[0]) == 100
    assert histories[0][-1] < 0.5 * initial_loss


def test_predict_classes_is_row_argmax_as_int():
    A = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(optim.predict_classes(A), [1, 0, 2])
    assert optim.predict_classes(A).dtype.kind == "i"


# ---------------------------------------------------------------- gradcheck itself


def test_numerical_gradient_of_a_quadratic_is_exact_and_restores_x():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    g = gradcheck.numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_allclose(g, 2 * before, rtol=1e-8)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_refuses_integer_arrays():
    with pytest.raises(TypeError):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.array([1, 2]))


def test_check_gradient_is_small_for_right_and_large_for_wrong_gradients():
    x = np.array([0.3, -1.0, 2.0])
    assert gradcheck.check_gradient(lambda v: np.sum(np.sin(v)), np.cos, x) < 1e-9
    assert gradcheck.check_gradient(lambda v: np.sum(np.sin(v)), np.sin, x) > 0.1


def test_relative_error_is_max_difference_over_max_magnitude():
    assert gradcheck.relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])) == pytest.approx(0.2 / 4.2)
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    with pytest.raises(ValueError):
        gradcheck.relative_error(np.zeros(2), np.zeros(3))
