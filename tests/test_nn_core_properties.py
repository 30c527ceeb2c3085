"""Property-based tests (hypothesis) of nn_core's identities."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nn_core import activations as act
from nn_core import losses, network

FAST = settings(max_examples=40, deadline=None)
finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
big = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
shapes = st.tuples(st.integers(1, 5), st.integers(1, 6))


@FAST
@given(st.data())
def test_softmax_rows_are_probabilities_and_invariant_to_a_constant_per_row(data):
    Z = data.draw(arrays(np.float64, data.draw(shapes), elements=big))
    shift = data.draw(arrays(np.float64, (Z.shape[0], 1), elements=finite))
    A = act.softmax(Z)
    assert np.all(A >= 0) and np.all(np.isfinite(A))
    np.testing.assert_allclose(A.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(act.softmax(Z + shift), A, atol=1e-12)


@FAST
@given(arrays(np.float64, st.integers(1, 6), elements=finite))
def test_softmax_jacobian_is_symmetric_with_rows_summing_to_zero(z):
    J = act.softmax_jacobian(act.softmax(z))
    np.testing.assert_allclose(J, J.T, atol=0)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


@FAST
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-1000, 1000)))
def test_sigmoid_of_minus_z_is_one_minus_sigmoid_of_z(z):
    np.testing.assert_allclose(act.sigmoid(-z), 1.0 - act.sigmoid(z), atol=1e-15)
    assert np.all((act.sigmoid(z) >= 0) & (act.sigmoid(z) <= 1))


@FAST
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-20, 20)))
def test_tanh_is_two_sigmoid_of_two_z_minus_one(z):
    np.testing.assert_allclose(act.tanh_via_sigmoid(z), act.tanh(z), atol=1e-15)


@FAST
@given(arrays(np.float64, st.integers(1, 20), elements=finite), st.floats(0.0, 1.0))
def test_leaky_relu_is_max_of_z_and_slope_z(z, slope):
    np.testing.assert_array_equal(act.leaky_relu(z, slope), np.maximum(z, slope * z))
    np.testing.assert_array_equal(act.relu(z), act.leaky_relu(z, 0.0) + 0.0)


@FAST
@given(st.lists(st.integers(1, 30), min_size=2, max_size=6))
def test_layer_shapes_and_param_count_agree(sizes):
    shapes_ = network.layer_shapes(sizes)
    assert len(shapes_) == len(sizes) - 1
    assert network.param_count(sizes) == sum(n_out * n_in + b[0] for (n_out, n_in), b in shapes_)
    assert all(shapes_[k][0][1] == sizes[k] and shapes_[k][0][0] == sizes[k + 1] for k in range(len(shapes_)))
    params = network.init_params(sizes, seed=0)
    assert sum(W.size + b.size for W, b in params) == network.param_count(sizes)


@FAST
@given(st.data())
def test_regression_losses_are_non_negative_and_zero_at_the_target(data):
    shape = data.draw(shapes)
    Y_hat = data.draw(arrays(np.float64, shape, elements=finite))
    Y = data.draw(arrays(np.float64, shape, elements=finite))
    for name in ("mse", "huber", "pseudo_huber"):
        loss = losses.LOSSES[name]
        assert loss.value(Y_hat, Y) >= 0
        assert np.all(loss.per_example(Y_hat, Y) >= 0)
        assert loss.value(Y, Y) == 0
    assert losses.huber(Y_hat, Y) <= losses.mse(Y_hat, Y) + 1e-12
    assert losses.pseudo_huber(Y_hat, Y) <= losses.mse(Y_hat, Y) + 1e-12


@FAST
@given(st.data())
def test_cross_entropies_are_non_negative_and_finite(data):
    m, n = data.draw(shapes)
    P = data.draw(arrays(np.float64, (m, n), elements=st.floats(0.0, 1.0)))
    Y = data.draw(arrays(np.float64, (m, n), elements=st.sampled_from([0.0, 1.0])))
    for name in ("bce", "cce"):
        value = losses.LOSSES[name].value(P, Y)
        assert np.isfinite(value) and value >= 0
        assert np.all(np.isfinite(losses.LOSSES[name].gradient(P, Y)))


@FAST
@given(st.data())
def test_minus_log_of_softmax_is_never_infinite_with_clipping(data):
    Z = data.draw(arrays(np.float64, data.draw(shapes), elements=big))
    Y = np.eye(Z.shape[1])[np.zeros(Z.shape[0], dtype=int)]
    assert np.isfinite(losses.cce(act.softmax(Z), Y))
