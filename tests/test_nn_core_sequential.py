"""nn_core.sequential: a network as a list of layers; its gradients against finite differences, eval mode, fit."""
import numpy as np
import pytest

from nn_core.data import load_digits
from nn_core.gradcheck import numerical_gradient, relative_error
from nn_core.network import backward, forward
from nn_core.optimizers import SGD, Adam
from nn_core.sequential import BatchNorm, Dense, Dropout, ReLU, Sequential, Sigmoid, fit, mlp


def every_layer_net(seed=0):
    rng = np.random.default_rng(seed)
    net = Sequential([Dense.create(4, 6, rng), BatchNorm(6), ReLU(), Dropout(0.75, np.random.default_rng(5)),
                      Dense.create(6, 5, rng), Sigmoid(), Dense.create(5, 3, rng)])
    net.layers[1].params["gamma"] += 0.2 * rng.normal(size=6)
    return net, rng.normal(size=(9, 4)), np.eye(3)[rng.integers(0, 3, 9)]


def test_gradients_of_every_parameter_match_finite_differences_with_the_same_dropout_mask():
    net, X, Y = every_layer_net()
    dropout = net.layers[3]

    def objective(_):
        dropout.rng = np.random.default_rng(5)  # the same mask on every evaluation
        return net.loss(X, Y, lam=0.5, m=20, training=True)

    dropout.rng = np.random.default_rng(5)
    loss, grads = net.loss_and_gradients(X, Y, lam=0.5, m=20)
    assert loss == pytest.approx(objective(None), rel=1e-15)
    for p, g in zip(net.parameters(), grads):
        assert g.shape == p.shape
        if p is net.layers[0].params["b"]:  # the bias before batch norm does nothing: its gradient is 0
            assert np.max(np.abs(g)) < 1e-15
            continue
        assert relative_error(g, numerical_gradient(objective, p)) < 1e-7


def test_l2_adds_to_dense_weights_only():
    net, X, Y = every_layer_net(1)
    state = [layer.rng.bit_generator.state for layer in net.layers if isinstance(layer, Dropout)]
    _, plain = net.loss_and_gradients(X, Y, lam=0.0)
    net.layers[3].rng.bit_generator.state = state[0]
    _, regularised = net.loss_and_gradients(X, Y, lam=3.0, m=6)
    names = [(layer, name) for layer in net.layers for name in layer.params]
    for (layer, name), p, g0, g1 in zip(names, net.parameters(), plain, regularised):
        if isinstance(layer, Dense) and name == "W":
            np.testing.assert_allclose(g1 - g0, 0.5 * p, rtol=1e-12, atol=1e-15)
        else:
            np.testing.assert_array_equal(g1, g0)


def test_a_network_of_dense_and_relu_layers_is_the_course_mlp():
    """The modular network gives the gradients of nn_core.network.backward for the same (W, b)."""
    rng = np.random.default_rng(2)
    net = mlp([5, 7, 4, 3], rng)
    X, Y = rng.normal(size=(8, 5)), np.eye(3)[rng.integers(0, 3, 8)]
    params = net.dense_params()
    expected = backward(params, forward(params, X, "relu", "softmax"), Y, "relu", "softmax", "cce")
    _, grads = net.loss_and_gradients(X, Y)
    for (dW, db), gW, gb in zip(expected, grads[0::2], grads[1::2]):
        assert relative_error(gW, dW) < 1e-13 and relative_error(gb, db) < 1e-13


def test_eval_mode_switches_dropout_off_and_uses_batch_norms_running_averages():
    net, X, Y = every_layer_net(3)
    a, _ = net.forward(X, training=False)
    b, _ = net.forward(X, training=False)
    np.testing.assert_array_equal(a, b)  # no random mask at test time
    bn = net.layers[1]
    assert np.all(bn.running_mean == 0.0) and np.all(bn.running_var == 1.0)  # eval forwards do not update them
    _, caches = net.forward(X, training=True)
    mu, var = caches[1][3], caches[1][4]
    np.testing.assert_allclose(bn.running_mean, 0.1 * mu, rtol=1e-14)
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * var, rtol=1e-14)
    with pytest.raises(ValueError, match="training forward"):
        bn.backward(np.ones((9, 6)), None)


def test_mlp_builds_the_layers_asked_for():
    net = mlp([4, 8, 8, 2], np.random.default_rng(0), batch_norm=True, keep_prob=0.5)
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["Dense", "BatchNorm", "ReLU", "Dropout"] * 2 + ["Dense"]
    assert [layer.params["W"].shape for layer in net.layers if isinstance(layer, Dense)] == [(8, 4), (8, 8), (2, 8)]
    assert [type(layer).__name__ for layer in mlp([4, 3], np.random.default_rng(0)).layers] == ["Dense"]
    with pytest.raises(ValueError):
        Dense(np.zeros((2, 3)), np.zeros(3))


def test_fit_on_digits_learns_and_l2_shrinks_the_weights():
    data = load_digits(0)
    X, Y = data.X_train[:300], data.Y_train[:300]
    norms = {}
    for lam in (0.0, 5.0):
        net = mlp([64, 16, 10], np.random.default_rng(0))
        history = fit(net, X, Y, Adam(0.01), epochs=15, batch_size=50, lam=lam, seed=1)
        assert len(history) == 15 and history[-1] < history[0]
        assert np.mean(net.predict(data.X_test) == data.y_test) > 0.8
        norms[lam] = sum(np.sum(W**2) for W, _ in net.dense_params())
    assert norms[5.0] < 0.7 * norms[0.0]


def test_fit_is_reproducible_from_its_seeds_and_full_batch_without_a_batch_size():
    data = load_digits(0)
    X, Y = data.X_train[:60], data.Y_train[:60]
    runs = []
    for _ in range(2):
        net = mlp([64, 8, 10], np.random.default_rng(4), keep_prob=0.8)
        runs.append(fit(net, X, Y, SGD(0.1), epochs=3, batch_size=16, seed=2))
    assert runs[0] == runs[1]
    net = mlp([64, 10], np.random.default_rng(4))
    _, grads = net.loss_and_gradients(X, Y)
    expected = [p - 0.1 * g for p, g in zip(net.parameters(), grads)]
    fit(net, X, Y, SGD(0.1), epochs=1)
    for p, e in zip(net.parameters(), expected):
        np.testing.assert_allclose(p, e, rtol=1e-14)
