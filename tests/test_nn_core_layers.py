"""nn_core.layers: every backward against finite differences; inverted dropout; batch norm's two classic mistakes.

The same backward passes are checked against an autodiff to 1e-12: HIPS autograd in
tests/test_nn_core_autograd.py (in CI), and PyTorch in tests/test_nn_core_autodiff.py (bench extra only).
"""
import numpy as np
import pytest

from nn_core import layers as F
from nn_core.gradcheck import numerical_gradient, relative_error
from nn_core.activations import softmax
from nn_core.losses import cce

FD_TOL = 1e-7  # central differences with h = 1e-5 in float64


def rng_arrays(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in shapes]


def fd(f, x):
    return numerical_gradient(f, x)


# ---------------------------------------------------------------- finite differences


def test_linear_backward_matches_finite_differences_of_each_input():
    x, W, b, dout = rng_arrays(0, (5, 4), (3, 4), (3,), (5, 3))
    dx, dW, db = F.linear_backward(dout, F.linear_forward(x, W, b)[1])
    assert dW.shape == W.shape and db.shape == b.shape and dx.shape == x.shape
    assert relative_error(dx, fd(lambda v: np.sum(F.linear_forward(v, W, b)[0] * dout), x)) < FD_TOL
    assert relative_error(dW, fd(lambda v: np.sum(F.linear_forward(x, v, b)[0] * dout), W)) < FD_TOL
    assert relative_error(db, fd(lambda v: np.sum(F.linear_forward(x, W, v)[0] * dout), b)) < FD_TOL


@pytest.mark.parametrize("name", ["relu", "sigmoid"])
def test_activation_backward_matches_finite_differences(name):
    forward, backward = getattr(F, name + "_forward"), getattr(F, name + "_backward")
    x, dout = rng_arrays(1, (6, 5), (6, 5))
    x = np.where(np.abs(x) < 1e-3, 0.1, x)  # keep ReLU's kink out of the differences
    dx = backward(dout, forward(x)[1])
    assert relative_error(dx, fd(lambda v: np.sum(forward(v)[0] * dout), x)) < FD_TOL


def test_dropout_backward_matches_finite_differences_with_its_mask():
    x, dout = rng_arrays(2, (8, 6), (8, 6))
    mask = F.dropout_mask(x.shape, 0.7, np.random.default_rng(0))
    dx = F.dropout_backward(dout, F.dropout_forward(x, 0.7, mask=mask)[1])
    assert relative_error(dx, fd(lambda v: np.sum(F.dropout_forward(v, 0.7, mask=mask)[0] * dout), x)) < FD_TOL


def test_batchnorm_backward_matches_finite_differences_of_x_gamma_and_beta():
    x, gamma, beta, dout = rng_arrays(3, (7, 4), (4,), (4,), (7, 4))
    x = 2.0 * x + 1.0
    dx, dgamma, dbeta = F.batchnorm_backward(dout, F.batchnorm_forward(x, gamma, beta)[1])
    assert relative_error(dx, fd(lambda v: np.sum(F.batchnorm_forward(v, gamma, beta)[0] * dout), x)) < FD_TOL
    assert relative_error(dgamma, fd(lambda v: np.sum(F.batchnorm_forward(x, v, beta)[0] * dout), gamma)) < FD_TOL
    assert relative_error(dbeta, fd(lambda v: np.sum(F.batchnorm_forward(x, gamma, v)[0] * dout), beta)) < FD_TOL


def test_softmax_cross_entropy_gradient_matches_finite_differences_and_equals_cce_of_softmax():
    (scores,) = rng_arrays(4, (6, 5))
    Y = np.eye(5)[[0, 3, 1, 4, 4, 2]]
    loss, dscores = F.softmax_cross_entropy(scores, Y)
    assert loss == pytest.approx(cce(softmax(scores), Y), rel=1e-13)
    assert relative_error(dscores, fd(lambda v: F.softmax_cross_entropy(v, Y)[0], scores)) < FD_TOL
    np.testing.assert_allclose(dscores, (softmax(scores) - Y) / 6, rtol=1e-13, atol=1e-16)


def test_softmax_cross_entropy_gradient_is_right_for_probability_targets_too():
    (scores,) = rng_arrays(5, (4, 3))
    Y = softmax(rng_arrays(6, (4, 3))[0]) * np.array([[1.0], [0.5], [2.0], [1.0]])  # rows not summing to 1
    _, dscores = F.softmax_cross_entropy(scores, Y)
    assert relative_error(dscores, fd(lambda v: F.softmax_cross_entropy(v, Y)[0], scores)) < FD_TOL


def test_softmax_cross_entropy_is_finite_for_huge_scores():
    loss, dscores = F.softmax_cross_entropy(np.array([[1e4, 0.0], [0.0, 1e4]]), np.eye(2)[[1, 1]])
    assert loss == pytest.approx(1e4 / 2) and np.all(np.isfinite(dscores))


# ---------------------------------------------------------------- inverted dropout


def test_inverted_dropout_preserves_the_expectation_in_training():
    keep, x = 0.6, np.full((400, 500), 3.0)
    out, _ = F.dropout_forward(x, keep, rng=np.random.default_rng(7))
    sigma = 3.0 * np.sqrt((1 - keep) / keep) / np.sqrt(x.size)  # std of the mean of x.size kept/dropped units
    assert abs(out.mean() - 3.0) < 5 * sigma
    assert set(np.unique(out)) == {0.0, 3.0 / keep}  # kept units are scaled by 1/keep, not left as they were


def test_dropout_is_the_identity_at_test_time_and_its_backward_too():
    x, dout = rng_arrays(8, (5, 4), (5, 4))
    out, cache = F.dropout_forward(x, 0.5, training=False, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(out, x)  # no 1/keep (inverted) and no keep (classic) scaling at test time
    np.testing.assert_array_equal(F.dropout_backward(dout, cache), dout)


def test_dropout_draws_its_mask_from_the_rng_reproducibly_and_keep_prob_one_is_the_identity():
    (x,) = rng_arrays(9, (6, 6))
    a, cache_a = F.dropout_forward(x, 0.5, rng=np.random.default_rng(3))
    b, _ = F.dropout_forward(x, 0.5, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(cache_a[0], F.dropout_mask(x.shape, 0.5, np.random.default_rng(3)))
    np.testing.assert_array_equal(F.dropout_forward(x, 1.0, rng=np.random.default_rng(0))[0], x)


def test_dropout_rejects_a_bad_keep_prob_a_missing_mask_and_rng_and_a_mask_of_the_wrong_shape():
    x = np.ones((2, 3))
    for keep in (0.0, 1.5, -0.1):
        with pytest.raises(ValueError, match="keep_prob"):
            F.dropout_forward(x, keep, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="mask or an rng"):
        F.dropout_forward(x, 0.5)
    with pytest.raises(ValueError, match="shape"):
        F.dropout_forward(x, 0.5, mask=np.ones((3, 2)))


# ---------------------------------------------------------------- batch normalisation


def bn_backward_staged(dout, x, gamma, eps=F.BN_EPS, divisor_offset=0, mean_path=True):
    """Batch norm's backward through the graph node by node (CS231n), with two switches for mistakes:
    ``divisor_offset=1`` divides the variance's gradient path by m - 1; ``mean_path=False`` drops dL/dmu."""
    m = x.shape[0]
    xmu = x - x.mean(axis=0)
    inv_std = 1.0 / np.sqrt(np.mean(xmu**2, axis=0) + eps)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xmu, axis=0) * -0.5 * inv_std**3
    dmu = np.sum(-dxhat * inv_std, axis=0) + dvar * np.mean(-2.0 * xmu, axis=0)
    dx = dxhat * inv_std + dvar * 2.0 * xmu / (m - divisor_offset)
    return dx + dmu / m if mean_path else dx


@pytest.fixture
def bn_case():
    x, gamma, beta, dout = rng_arrays(10, (6, 3), (3,), (3,), (6, 3))
    return 1.5 * x + 0.5, gamma, beta, dout


def test_batchnorm_backward_equals_the_staged_graph_of_mean_and_variance(bn_case):
    x, gamma, beta, dout = bn_case
    dx, _, _ = F.batchnorm_backward(dout, F.batchnorm_forward(x, gamma, beta)[1])
    assert relative_error(dx, bn_backward_staged(dout, x, gamma)) < 1e-13


@pytest.mark.parametrize("mistake", [{"divisor_offset": 1}, {"mean_path": False}],
                         ids=["variance-divided-by-m-minus-1", "no-gradient-through-the-mean"])
def test_batchnorm_backward_is_not_a_classic_mistake_and_finite_differences_tell_them_apart(bn_case, mistake):
    x, gamma, beta, dout = bn_case
    dx, _, _ = F.batchnorm_backward(dout, F.batchnorm_forward(x, gamma, beta)[1])
    wrong = bn_backward_staged(dout, x, gamma, **mistake)
    numeric = fd(lambda v: np.sum(F.batchnorm_forward(v, gamma, beta)[0] * dout), x)
    assert relative_error(dx, numeric) < FD_TOL
    assert relative_error(wrong, numeric) > 1e-3
    assert relative_error(wrong, dx) > 1e-3


def test_batchnorm_forward_normalises_each_feature_with_the_batch_variance_divided_by_m():
    x = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]])
    out, cache = F.batchnorm_forward(x, np.ones(2), np.zeros(2), eps=0.0)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(out.std(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(cache[4], [2.0 / 3.0, np.var([10.0, 20.0, 60.0])], rtol=1e-15)
    out, _ = F.batchnorm_forward(x, np.array([2.0, 3.0]), np.array([-1.0, 5.0]), eps=0.0)
    np.testing.assert_allclose(out.mean(axis=0), [-1.0, 5.0], rtol=1e-14)
    np.testing.assert_allclose(out.std(axis=0), [2.0, 3.0], rtol=1e-14)


def test_batchnorm_eval_uses_the_given_statistics_not_the_batch():
    x = np.array([[1.0], [3.0]])
    out = F.batchnorm_eval(x, np.array([2.0]), np.array([1.0]), np.array([1.0]), np.array([4.0]), eps=0.0)
    np.testing.assert_allclose(out, [[1.0], [3.0]])  # 2 (x - 1) / sqrt(4) + 1; the batch's own gives [-1, 3]
