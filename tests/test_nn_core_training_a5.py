"""nn_core.training (assignment 5's reference): He initialisation, the three networks, the
test metrics, the gradient norms of the deep-network experiment; the raw digit images."""
import numpy as np
import pytest

from nn_core import data, training


def test_the_raw_digit_images_are_the_test_rows_in_the_same_order():
    digits, raw = data.load_digits(), data.load_digits_images()
    assert raw["images_test"].shape == (len(digits.X_test), 8, 8)
    np.testing.assert_array_equal(raw["y_test"], digits.y_test)
    assert raw["images_test"].min() == 0 and raw["images_test"].max() == 16  # grey levels, not standardised
    flat = raw["images_test"].reshape(len(digits.X_test), 64)
    for pixel in (20, 36, 43):
        assert np.corrcoef(flat[:, pixel], digits.X_test[:, pixel])[0, 1] == pytest.approx(1.0)


def test_he_initialisation_has_zero_biases_and_the_stated_spread():
    params = training.init_params([400, 200, 100], seed=3)
    for (W, b), n_in in zip(params, (400, 200)):
        assert not b.any()
        assert np.mean(W ** 2) == pytest.approx(2.0 / n_in, rel=0.05)
    assert all(np.array_equal(W, W2) for (W, _), (W2, _) in zip(params, training.init_params([400, 200, 100], 3)))


@pytest.mark.parametrize("task, loader, metric, bound", [
    ("regression", data.load_diabetes, "r2", 0.3),
    ("binary", data.load_breast_cancer, "accuracy", 0.9),
    ("classifier", data.load_digits, "accuracy", 0.93),
])
def test_each_of_the_three_networks_learns_its_task(task, loader, metric, bound):
    d = loader()
    sizes = [d.X_train.shape[1], 16, d.Y_train.shape[1]]
    params, history = training.train_network(d.X_train, d.Y_train, sizes, task, 0.01, 30, 16, seed=0)
    assert history[-1] < history[0]
    assert training.test_metric(metric, params, d.X_test, d.Y_test, task) >= bound


def test_a_non_finite_network_has_a_nan_metric():
    d = data.load_digits()
    params = [(W * np.inf, b) for W, b in training.init_params([64, 10], 0)]
    assert np.isnan(training.test_metric("accuracy", params, d.X_test, d.Y_test, "classifier"))


def test_gradients_vanish_through_deep_sigmoid_layers_and_not_through_relu():
    d = data.load_digits()
    params = training.init_params([64] + [32] * 6 + [10], seed=0)
    sigmoid = training.gradient_norms(params, d.X_train[:200], d.Y_train[:200], "sigmoid")
    relu = training.gradient_norms(params, d.X_train[:200], d.Y_train[:200], "relu")
    assert sigmoid[0] < sigmoid[-1] / 100
    assert relu[-1] / 10 < relu[0] < relu[-1] * 10
