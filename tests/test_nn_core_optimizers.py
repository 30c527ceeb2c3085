"""nn_core.optimizers and nn_core.regularization: the update rules, their state, and L2 on weights only.

The agreement with torch.optim step after step is in tests/test_nn_core_autodiff.py (with the
bench extra only, not in CI); here are the properties that tell each rule from its usual mistakes
without PyTorch.
"""
import numpy as np
import pytest

from nn_core import optimizers as O
from nn_core.gradcheck import numerical_gradient, relative_error
from nn_core.regularization import add_l2, l2_gradient, l2_penalty


def arrays(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in shapes]


# ---------------------------------------------------------------- the pure step functions


def test_momentum_with_beta_zero_is_sgd_and_its_velocity_accumulates_gradients():
    w, g = arrays(0, (3, 2), (3, 2))
    new_w, v = O.momentum_step(w, g, np.zeros_like(w), lr=0.1, beta=0.0)
    np.testing.assert_array_equal(new_w, O.sgd_step(w, g, 0.1))
    _, v = O.momentum_step(w, g, g.copy(), lr=0.1, beta=0.9)
    np.testing.assert_allclose(v, 1.9 * g, rtol=1e-15)  # beta v + g with v = g


def test_rmsprop_first_step_divides_by_the_root_of_its_decayed_square():
    w, g = np.zeros(3), np.array([2.0, -0.5, 1e-3])
    new_w, s = O.rmsprop_step(w, g, np.zeros(3), lr=0.01, rho=0.99, eps=0.0)
    np.testing.assert_allclose(s, 0.01 * g**2, rtol=1e-15)
    np.testing.assert_allclose(new_w, -0.01 * np.sign(g) / 0.1, rtol=1e-14)  # |g| / sqrt(0.01 g^2) = 10


def test_adam_first_step_is_lr_times_the_sign_of_the_gradient_thanks_to_bias_correction():
    w, g = np.zeros(4), np.array([3.0, -0.2, 1e-2, -50.0])
    new_w, m, v = O.adam_step(w, g, np.zeros(4), np.zeros(4), t=1, lr=0.01, eps=0.0)
    # without the correction it would be lr m / sqrt(v) = (1 - beta1) / sqrt(1 - beta2) = 3.16 times larger
    np.testing.assert_allclose(new_w, -0.01 * np.sign(g), rtol=1e-12)
    np.testing.assert_allclose(m, 0.1 * g, rtol=1e-15)
    np.testing.assert_allclose(v, 0.001 * g**2, rtol=1e-15)


def test_adam_bias_correction_uses_the_step_number_t():
    w, g, m, v = arrays(1, (5,), (5,), (5,), (5,))
    v = np.abs(v)
    new_w, m1, v1 = O.adam_step(w, g, m, v, t=3, lr=0.1)
    m_hat, v_hat = m1 / (1 - 0.9**3), v1 / (1 - 0.999**3)
    np.testing.assert_allclose(new_w, w - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-14)
    with pytest.raises(ValueError, match="from 1"):
        O.adam_step(w, g, m, v, t=0, lr=0.1)


def test_adam_adds_eps_outside_the_square_root():
    w, g = np.zeros(1), np.array([1e-9])  # v_hat = 1e-18: eps = 1e-8 inside the root would dominate
    new_w, _, _ = O.adam_step(w, g, np.zeros(1), np.zeros(1), t=1, lr=1.0, eps=1e-8)
    np.testing.assert_allclose(new_w, -1e-9 / (1e-9 + 1e-8), rtol=1e-12)
    inside = -1e-9 / np.sqrt(1e-18 + 1e-8)
    assert abs(new_w[0] - inside) > 1e-3


def test_step_functions_leave_their_inputs_unchanged():
    w, g, m, v = arrays(2, (2, 3), (2, 3), (2, 3), (2, 3))
    v = np.abs(v)
    before = [a.copy() for a in (w, g, m, v)]
    O.sgd_step(w, g, 0.1), O.momentum_step(w, g, m, 0.1), O.rmsprop_step(w, g, v, 0.1)
    O.adam_step(w, g, m, v, 2, 0.1)
    for a, b in zip((w, g, m, v), before):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- the optimizer objects


@pytest.mark.parametrize("name", sorted(O.OPTIMIZERS))
def test_optimizer_updates_the_arrays_in_place_as_its_step_function_does(name):
    W, b, dW1, db1, dW2, db2 = arrays(3, (3, 2), (3,), (3, 2), (3,), (3, 2), (3,))
    params = [W.copy(), b.copy()]
    live = list(params)
    opt = O.get_optimizer(name, 0.05)
    opt.step(params, [dW1, db1])
    opt.step(params, [dW2, db2])
    assert params[0] is live[0] and params[1] is live[1] and opt.t == 2
    expected = []
    for w, g1, g2 in ((W, dW1, dW2), (b, db1, db2)):
        if name == "sgd":
            w = O.sgd_step(O.sgd_step(w, g1, 0.05), g2, 0.05)
        elif name == "momentum":
            w, s = O.momentum_step(w, g1, np.zeros_like(w), 0.05)
            w, _ = O.momentum_step(w, g2, s, 0.05)
        elif name == "rmsprop":
            w, s = O.rmsprop_step(w, g1, np.zeros_like(w), 0.05)
            w, _ = O.rmsprop_step(w, g2, s, 0.05)
        else:
            w, m, v = O.adam_step(w, g1, np.zeros_like(w), np.zeros_like(w), 1, 0.05)
            w, _, _ = O.adam_step(w, g2, m, v, 2, 0.05)
        expected.append(w)
    np.testing.assert_array_equal(params[0], expected[0])
    np.testing.assert_array_equal(params[1], expected[1])


def test_optimizers_minimise_a_quadratic_bowl():
    target = np.array([1.0, -2.0, 3.0])
    for name, lr in (("sgd", 0.1), ("momentum", 0.05), ("rmsprop", 0.05), ("adam", 0.1)):
        w = [np.zeros(3)]
        opt = O.get_optimizer(name, lr)
        for _ in range(500):
            opt.step(w, [w[0] - target])
        assert np.max(np.abs(w[0] - target)) < 0.05, name


def test_optimizer_rejects_mismatched_arrays_unknown_names_and_a_bad_lr():
    opt = O.Adam(0.1)
    with pytest.raises(ValueError, match="gradients"):
        opt.step([np.zeros(2)], [])
    with pytest.raises(ValueError, match="shape"):
        opt.step([np.zeros(2)], [np.zeros(3)])
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="state for 1"):
        opt.step([np.zeros(2), np.zeros(1)], [np.ones(2), np.ones(1)])
    with pytest.raises(ValueError, match="valid names: sgd, momentum, rmsprop, adam"):
        O.get_optimizer("adagrad", 0.1)
    with pytest.raises(ValueError, match="lr"):
        O.SGD(0.0)


# ---------------------------------------------------------------- L2


def test_l2_penalty_is_lambda_over_2m_times_the_squared_weights_without_the_biases():
    params = [(np.array([[1.0, 2.0]]), np.array([100.0])), (np.array([[3.0]]), np.array([-7.0]))]
    assert l2_penalty(params, lam=0.4, m=2) == pytest.approx(0.4 / 4 * (1 + 4 + 9), rel=1e-15)
    assert l2_penalty(params, lam=0.0, m=2) == 0.0


def test_l2_gradient_matches_finite_differences_and_is_zero_for_biases():
    W1, b1, W2, b2 = arrays(4, (3, 2), (3,), (1, 3), (1,))
    params = [(W1, b1), (W2, b2)]
    grads = l2_gradient(params, lam=0.3, m=5)
    for k, (W, b) in enumerate(params):
        assert relative_error(grads[k][0], numerical_gradient(lambda _: l2_penalty(params, 0.3, 5), W)) < 1e-8
        np.testing.assert_array_equal(grads[k][1], np.zeros_like(b))
        assert np.all(numerical_gradient(lambda _: l2_penalty(params, 0.3, 5), b) == 0.0)


def test_add_l2_adds_lambda_over_m_w_to_dw_only_and_changes_nothing_it_is_given():
    W, b, dW, db = arrays(5, (2, 2), (2,), (2, 2), (2,))
    before = [a.copy() for a in (W, b, dW, db)]
    ((nW, nb),) = add_l2([(dW, db)], [(W, b)], lam=2.0, m=4)
    np.testing.assert_allclose(nW, dW + 0.5 * W, rtol=1e-15)
    np.testing.assert_array_equal(nb, db)
    for a, b_ in zip((W, b, dW, db), before):
        np.testing.assert_array_equal(a, b_)
    with pytest.raises(ValueError):
        add_l2([(dW, db)], [], 1.0, 4)
    with pytest.raises(ValueError, match="lambda"):
        l2_penalty([(W, b)], -1.0, 4)
    with pytest.raises(ValueError, match="m must"):
        l2_gradient([(W, b)], 1.0, 0)
