"""nn_core.sanity, nn_core.initialisation and the train/validation/test split of nn_core.data."""
import math

import numpy as np
import pytest

from nn_core.data import load_digits, train_val_test_split
from nn_core.initialisation import INIT_SCHEMES, init_experiment, init_network, init_weights
from nn_core.network import init_params
from nn_core.optimizers import SGD, Adam
from nn_core.sanity import TINY_SET, expected_initial_loss, initial_loss, overfit_tiny_set
from nn_core.sequential import Dense, ReLU, Sequential, mlp


@pytest.fixture(scope="module")
def digits():
    return load_digits(0)


# ---------------------------------------------------------------- initial loss


def small_weights_net(sizes, seed=0, scale=1e-3):
    rng = np.random.default_rng(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(scale * rng.normal(size=(n_out, n_in)), np.zeros(n_out)))
        layers += [ReLU()] if k < len(sizes) - 2 else []
    return Sequential(layers)


def test_initial_loss_of_a_softmax_classifier_with_small_weights_is_ln_c(digits):
    check = initial_loss(small_weights_net([64, 32, 10]), digits.X_train, digits.Y_train)
    assert check.expected == pytest.approx(2.302585, abs=1e-6) == math.log(10)
    assert check.ratio == pytest.approx(1.0, abs=1e-4)


def test_initial_loss_flags_weights_that_are_too_large(digits):
    check = initial_loss(mlp([64, 32, 10], np.random.default_rng(0), scheme="large"), digits.X_train, digits.Y_train)
    assert check.ratio > 3


def test_expected_initial_loss_needs_two_classes():
    assert expected_initial_loss(2) == pytest.approx(0.693147, abs=1e-6)
    with pytest.raises(ValueError):
        expected_initial_loss(1)


# ---------------------------------------------------------------- overfitting a tiny set


def test_a_working_network_overfits_twenty_examples(digits):
    net = mlp([64, 32, 10], np.random.default_rng(0))
    result = overfit_tiny_set(net, digits.X_train, digits.Y_train, Adam(0.01), epochs=100)
    assert TINY_SET == 20 and len(result.history) == 100
    assert result.train_accuracy == 1.0 and result.history[-1] < 0.01


class GradientAscent(SGD):
    """An update with the sign wrong, the kind of bug the check exists to catch."""

    def _step(self, w, dw, state):
        return w + self.lr * dw, state


def test_the_overfitting_check_fails_for_a_broken_update(digits):
    net = mlp([64, 32, 10], np.random.default_rng(0))
    result = overfit_tiny_set(net, digits.X_train, digits.Y_train, GradientAscent(0.01), epochs=100)
    assert result.train_accuracy < 0.5 and result.history[-1] > result.history[0]


def test_overfit_needs_enough_rows():
    with pytest.raises(ValueError, match="20 rows"):
        overfit_tiny_set(mlp([3, 2], np.random.default_rng(0)), np.zeros((5, 3)), np.zeros((5, 2)), SGD(0.1), 1)


# ---------------------------------------------------------------- initialisation


def test_he_initialisation_draws_what_nn_core_network_draws():
    for (W, b), (W0, b0) in zip(init_network([6, 5, 4, 3], "he", seed=7), init_params([6, 5, 4, 3], seed=7)):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_init_weights_scales_and_shape():
    rng = np.random.default_rng(0)
    assert init_weights(400, 300, "he", rng).std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert init_weights(400, 300, "large", rng).std() == pytest.approx(1.0, rel=0.02)
    assert init_weights(4, 3, "zeros", rng).shape == (3, 4) and not np.any(init_weights(4, 3, "zeros", rng))
    with pytest.raises(ValueError, match="valid names: zeros, large, he"):
        init_weights(4, 3, "xavier", rng)


def test_init_experiment_tells_zeros_large_and_he_apart(digits):
    results = init_experiment([64, 64, 64, 10], digits.X_train[:300], digits.Y_train[:300])
    by_scheme = {r.scheme: r for r in results}
    assert [r.scheme for r in results] == list(INIT_SCHEMES)
    zeros, large, he = by_scheme["zeros"], by_scheme["large"], by_scheme["he"]
    # zeros: every unit the same and off, no weight gradient anywhere, the loss exactly ln C
    assert zeros.loss == pytest.approx(math.log(10), rel=1e-14)
    assert all(s.a_std < 1e-15 and s.grad_norm == 0.0 for s in zeros.layers)  # softmax: 1/C up to rounding
    assert all(s.zero_fraction == 1.0 for s in zeros.layers[:-1])
    # too large: the pre-activations' scale grows about sqrt(64 / 2) = 5.7 times a layer, softmax saturates
    z = [s.z_std for s in large.layers]
    assert z[1] / z[0] > 3 and z[2] / z[1] > 3 and large.loss > 5 * math.log(10)
    # He: the scale stays put from layer to layer and the loss is near ln C
    z = [s.z_std for s in he.layers]
    assert all(0.5 < later / earlier < 2 for earlier, later in zip(z, z[1:]))
    assert he.loss < 2 * math.log(10) and all(0.2 < s.zero_fraction < 0.8 for s in he.layers[:-1])
    assert [s.layer for s in he.layers] == [1, 2, 3]


# ---------------------------------------------------------------- train / validation / test


def test_split_is_disjoint_covers_every_row_and_keeps_rows_paired():
    X = np.arange(50, dtype=float).reshape(25, 2)
    y = np.arange(25)
    s = train_val_test_split(X, y, np.random.default_rng(0), val_fraction=0.2, test_fraction=0.2)
    assert (len(s.y_train), len(s.y_val), len(s.y_test)) == (15, 5, 5)
    rows = np.concatenate([s.y_train, s.y_val, s.y_test])
    np.testing.assert_array_equal(np.sort(rows), y)
    for Xp, yp in ((s.X_train, s.y_train), (s.X_val, s.y_val), (s.X_test, s.y_test)):
        np.testing.assert_array_equal(Xp[:, 0], 2 * yp)


def test_split_is_fixed_by_the_generator_and_changes_with_it():
    X, y = np.zeros((40, 1)), np.arange(40)
    a = train_val_test_split(X, y, np.random.default_rng(3))
    b = train_val_test_split(X, y, np.random.default_rng(3))
    c = train_val_test_split(X, y, np.random.default_rng(4))
    np.testing.assert_array_equal(a.y_val, b.y_val)
    assert not np.array_equal(a.y_val, c.y_val)
    np.testing.assert_array_equal(a.y_test, np.random.default_rng(3).permutation(40)[:8])


def test_split_rejects_fractions_that_leave_no_training_rows_and_unpaired_rows():
    with pytest.raises(ValueError, match="no training row"):
        train_val_test_split(np.zeros((10, 1)), np.zeros(10), np.random.default_rng(0), 0.5, 0.5)
    with pytest.raises(ValueError, match="fractions"):
        train_val_test_split(np.zeros((10, 1)), np.zeros(10), np.random.default_rng(0), 1.0, 0.0)
    with pytest.raises(ValueError, match="rows"):
        train_val_test_split(np.zeros((10, 1)), np.zeros(9), np.random.default_rng(0))
