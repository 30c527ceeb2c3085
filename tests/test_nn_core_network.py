"""nn_core.network: shapes, init, forward, backward (finite differences), backward_single, MLP."""
import itertools

import numpy as np
import pytest

from nn_core import network
from nn_core.activations import HIDDEN_ACTIVATIONS, sigmoid, softmax
from nn_core.deltas import VALID_PAIRINGS
from nn_core.gradcheck import numerical_gradient, relative_error
from nn_core.losses import LOSSES

TOL = 1e-7


def targets_for(output, loss, m, n_out, rng):
    if loss == "cce":
        return np.eye(n_out)[rng.integers(0, n_out, size=m)]
    if loss == "bce":
        return rng.integers(0, 2, size=(m, n_out)).astype(float)
    if output == "sigmoid":
        return rng.uniform(0, 1, size=(m, n_out))
    return rng.normal(size=(m, n_out))


def numeric_gradients(net, X, Y, eps=1e-5):
    """Central differences of net.loss(X, Y) w.r.t. every W and b (perturbed in place).

    eps = 1e-5 rather than 1e-6: deep sigmoid networks have gradients of 1e-4 next to a loss
    of about 1, and the rounding error of a difference quotient grows like 1e-16 |loss| / eps.
    """
    return [
        (numerical_gradient(lambda _: net.loss(X, Y), W, eps), numerical_gradient(lambda _: net.loss(X, Y), b, eps))
        for W, b in net.params
    ]


def make_net(sizes, hidden, output, loss, seed=0):
    net = network.MLP(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    rng = np.random.default_rng(seed + 100)
    # non-zero biases so that they matter; moderate scale keeps sigmoid/tanh away from saturation
    net.params = [(W, rng.normal(0, 0.5, size=b.shape)) for W, b in net.params]
    return net


# ---------------------------------------------------------------- the notes' worked example


def test_layer_shapes_of_the_notes_5_10_20_3():
    assert network.layer_shapes([5, 10, 20, 3]) == [((10, 5), (10,)), ((20, 10), (20,)), ((3, 20), (3,))]


def test_param_count_of_the_notes_is_343():
    assert network.param_count([5, 10, 20, 3]) == (50 + 10) + (200 + 20) + (60 + 3) == 343


def test_dense_forward_is_x_w_transpose_plus_b_and_matches_column_form():
    """Notes 002: z = W x + b with W 3x5, x 5x1, b and z 3x1."""
    rng = np.random.default_rng(0)
    W, b, X = rng.normal(size=(3, 5)), rng.normal(size=3), rng.normal(size=(4, 5))
    Z = network.dense_forward(X, W, b)
    assert Z.shape == (4, 3)
    for i in range(4):
        column = W @ X[i].reshape(5, 1) + b.reshape(3, 1)
        np.testing.assert_allclose(Z[i], column.ravel(), rtol=1e-13)


# ---------------------------------------------------------------- init and forward


@pytest.mark.parametrize("hidden", ["relu", "sigmoid"])
def test_init_params_shapes_zero_biases_and_seeded(hidden):
    sizes = [5, 10, 20, 3]
    params = network.init_params(sizes, seed=3, hidden=hidden)
    assert [(W.shape, b.shape) for W, b in params] == network.layer_shapes(sizes)
    assert all(np.all(b == 0) and W.dtype == np.float64 for W, b in params)
    again = network.init_params(sizes, seed=3, hidden=hidden)
    assert all(np.array_equal(W, W2) for (W, _), (W2, _) in zip(params, again))
    other = network.init_params(sizes, seed=4, hidden=hidden)
    assert not np.array_equal(params[0][0], other[0][0])


def test_init_params_uses_he_for_relu_and_glorot_otherwise():
    n_in, n_out = 400, 300
    W_he = network.init_params([n_in, n_out], seed=0, hidden="relu")[0][0]
    W_glorot = network.init_params([n_in, n_out], seed=0, hidden="tanh")[0][0]
    assert W_he.std() == pytest.approx(np.sqrt(2 / n_in), rel=0.02)
    assert W_glorot.std() == pytest.approx(np.sqrt(2 / (n_in + n_out)), rel=0.02)


def test_forward_cache_holds_every_z_and_a_with_a0_equal_to_x():
    rng = np.random.default_rng(1)
    params = network.init_params([4, 6, 5, 3], seed=0, hidden="sigmoid")
    X = rng.normal(size=(7, 4))
    cache = network.forward(params, X, hidden="sigmoid", output="softmax")
    assert len(cache.Z) == 3 and len(cache.A) == 4
    np.testing.assert_array_equal(cache.A[0], X)
    h1 = sigmoid(X @ params[0][0].T + params[0][1])
    h2 = sigmoid(h1 @ params[1][0].T + params[1][1])
    out = softmax(h2 @ params[2][0].T + params[2][1])
    np.testing.assert_allclose(cache.A[-1], out, rtol=1e-13)
    assert [z.shape for z in cache.Z] == [(7, 6), (7, 5), (7, 3)]


# ---------------------------------------------------------------- gradients


GRADIENT_CASES = [
    (hidden, output, loss, sizes, m)
    for hidden, (output, loss), sizes, m in itertools.product(
        HIDDEN_ACTIVATIONS,
        VALID_PAIRINGS,
        ([3, 4, 2], [3, 4, 3, 2], [3, 4, 3, 4, 2]),  # 1, 2 and 3 hidden layers
        (1, 5),
    )
]


@pytest.mark.parametrize("hidden,output,loss,sizes,m", GRADIENT_CASES)
def test_mlp_gradients_match_finite_differences(hidden, output, loss, sizes, m):
    if loss == "bce":
        sizes = sizes[:-1] + [1]  # one sigmoid unit, the usual binary set-up
    rng = np.random.default_rng(m + len(sizes))
    net = make_net(sizes, hidden, output, loss, seed=len(sizes))
    X = rng.normal(size=(m, sizes[0]))
    Y = targets_for(output, loss, m, sizes[-1], rng)
    analytic = net.gradients(X, Y)
    numeric = numeric_gradients(net, X, Y)
    for (dW, db), (nW, nb), (W, b) in zip(analytic, numeric, net.params):
        assert dW.shape == W.shape and db.shape == b.shape
        assert relative_error(dW, nW) < TOL
        assert relative_error(db, nb) < TOL


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output,loss", VALID_PAIRINGS)
def test_backward_single_equals_backward_with_one_example(hidden, output, loss):
    rng = np.random.default_rng(5)
    sizes = [4, 5, 3, 1 if loss == "bce" else 3]
    net = make_net(sizes, hidden, output, loss)
    x = rng.normal(size=4)
    y = targets_for(output, loss, 1, sizes[-1], rng)[0]
    single = network.backward_single(net.params, x, y, hidden, output, loss)
    batch = net.gradients(x.reshape(1, -1), y.reshape(1, -1))
    for (sW, sb), (bW, bb) in zip(single, batch):
        np.testing.assert_allclose(sW, bW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(sb, bb, rtol=1e-12, atol=1e-15)


def test_backward_single_weight_gradient_is_delta_times_a_prev_transposed():
    """Errata #13: with the course's W (n_out, n_in), dL/dW^L = delta^L (a^(L-1))^T, shaped like W;
    note 004's a^(L-1) (delta^L)^T is the same for its W (n_in, n_out) (tests/test_errata.py)."""
    rng = np.random.default_rng(6)
    params = network.init_params([4, 3], seed=0, hidden="relu")
    x, y = rng.normal(size=4), np.array([0.0, 1.0, 0.0])
    (dW, db), = network.backward_single(params, x, y, "relu", "softmax", "cce")
    delta = softmax(params[0][0] @ x + params[0][1]) - y
    np.testing.assert_allclose(dW, np.outer(delta, x), rtol=1e-13)
    np.testing.assert_allclose(db, delta, rtol=1e-13)
    assert dW.shape == params[0][0].shape == (3, 4)


def test_layer_gradients_average_over_the_batch():
    """Errata 004: dW = delta^T A_prev / m (with the 1/m), db = mean of delta over rows."""
    rng = np.random.default_rng(7)
    delta, A_prev = rng.normal(size=(6, 3)), rng.normal(size=(6, 4))
    dW, db = network.layer_gradients(delta, A_prev)
    np.testing.assert_allclose(dW, sum(np.outer(delta[i], A_prev[i]) for i in range(6)) / 6, rtol=1e-13)
    np.testing.assert_allclose(db, np.sum(delta, axis=0) / 6, rtol=1e-13)


def test_gradient_of_the_mean_is_the_mean_of_single_example_gradients():
    rng = np.random.default_rng(8)
    net = make_net([3, 4, 2], "tanh", "softmax", "cce")
    X, Y = rng.normal(size=(5, 3)), np.eye(2)[rng.integers(0, 2, size=5)]
    batch = net.gradients(X, Y)
    singles = [network.backward_single(net.params, X[i], Y[i], "tanh", "softmax", "cce") for i in range(5)]
    for k, (dW, db) in enumerate(batch):
        np.testing.assert_allclose(dW, np.mean([s[k][0] for s in singles], axis=0), rtol=1e-12)
        np.testing.assert_allclose(db, np.mean([s[k][1] for s in singles], axis=0), rtol=1e-12)


def test_backward_is_finite_when_a_sigmoid_output_saturates():
    net = network.MLP([2, 1], hidden="relu", output="sigmoid", loss="bce")
    net.params = [(np.array([[1000.0, 0.0]]), np.zeros(1))]
    X, Y = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([[0.0], [1.0]])
    (dW, db), = net.gradients(X, Y)
    np.testing.assert_allclose(db, [(1.0 - 0.0 + 0.0 - 1.0) / 2])  # delta = a - y = [1, -1]
    assert np.all(np.isfinite(dW))


# ---------------------------------------------------------------- the MLP object


def test_mlp_loss_is_the_registry_loss_of_forward():
    rng = np.random.default_rng(9)
    net = network.MLP([3, 4, 2], hidden="relu", output="linear", loss="huber", seed=1)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    assert net.loss(X, Y) == LOSSES["huber"].value(net.forward(X), Y)
    assert net.forward(X).shape == (5, 2)
    assert [(W.shape, b.shape) for W, b in net.params] == network.layer_shapes([3, 4, 2])


def test_mlp_predict_argmax_for_softmax_threshold_for_one_sigmoid_raw_otherwise():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    soft = network.MLP([2, 3], hidden="relu", output="softmax", loss="cce")
    soft.params = [(np.array([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]]), np.array([0.1, 0.0, 0.0]))]
    np.testing.assert_array_equal(soft.predict(X), [1, 2, 0])
    assert soft.predict(X).dtype.kind == "i"

    sig = network.MLP([2, 1], hidden="relu", output="sigmoid", loss="bce")
    sig.params = [(np.array([[5.0, -5.0]]), np.array([0.0]))]
    np.testing.assert_array_equal(sig.predict(X), [[1], [0], [1]])  # sigmoid(0) = 0.5 counts as 1

    lin = network.MLP([2, 2], hidden="relu", output="linear", loss="mse")
    np.testing.assert_array_equal(lin.predict(X), lin.forward(X))


@pytest.mark.parametrize("output,loss", [("softmax", "bce"), ("linear", "cce"), ("sigmoid", "huber"), ("softmax", "mse")])
def test_mlp_rejects_invalid_pairing_with_a_message_listing_valid_pairs(output, loss):
    with pytest.raises(ValueError, match="sigmoid \\+ bce") as info:
        network.MLP([2, 3, 2], output=output, loss=loss)
    assert all(f"{o} + {l}" in str(info.value) for o, l in VALID_PAIRINGS)


@pytest.mark.parametrize(
    "kwargs,listed",
    [({"hidden": "softmax"}, "leaky_relu"), ({"hidden": "gelu"}, "tanh"), ({"output": "softplus"}, "softmax"), ({"loss": "hinge"}, "pseudo_huber")],
)
def test_mlp_rejects_unknown_names_with_a_message_listing_valid_names(kwargs, listed):
    with pytest.raises(ValueError, match=listed):
        network.MLP([2, 3, 2], **kwargs)
