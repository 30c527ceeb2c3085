"""Training the reference networks on real data, and the data loaders they use."""
import numpy as np
import pytest

from nn_core import data, demo
from nn_core.network import MLP

THRESHOLDS = {"digits": 0.95, "breast_cancer": 0.95, "diabetes": 0.40}
SPECS = {spec.name: spec for spec in demo.REFERENCE_MODELS}


# ---------------------------------------------------------------- data


@pytest.mark.parametrize("loader", [data.load_digits, data.load_breast_cancer, data.load_diabetes])
def test_loaders_split_25_percent_and_standardise_with_training_statistics(loader):
    d = loader(seed=0)
    m = len(d.X_train) + len(d.X_test)
    assert len(d.X_test) == pytest.approx(0.25 * m, abs=1)
    assert d.X_train.dtype == np.float64 and d.Y_train.dtype == np.float64
    np.testing.assert_allclose(d.X_train.mean(axis=0), 0.0, atol=1e-10)
    std = d.X_train.std(axis=0)
    assert np.all(np.isclose(std, 1.0) | np.isclose(std, 0.0))  # constant pixels stay 0
    assert np.all(np.isfinite(d.X_test))
    assert len(d.Y_train) == len(d.y_train) and len(d.Y_test) == len(d.y_test)
    again = loader(seed=0)
    np.testing.assert_array_equal(again.X_test, d.X_test)
    assert not np.array_equal(loader(seed=1).y_test, d.y_test)


def test_digits_targets_are_one_hot_and_split_is_stratified():
    d = data.load_digits()
    assert d.Y_train.shape == (len(d.y_train), 10)
    np.testing.assert_array_equal(d.Y_train.argmax(axis=1), d.y_train)
    train_share = np.bincount(d.y_train) / len(d.y_train)
    test_share = np.bincount(d.y_test) / len(d.y_test)
    np.testing.assert_allclose(train_share, test_share, atol=0.01)


def test_breast_cancer_target_is_one_zero_one_column():
    d = data.load_breast_cancer()
    assert d.Y_train.shape == (len(d.y_train), 1)
    np.testing.assert_array_equal(d.Y_train.ravel(), d.y_train)


def test_diabetes_target_is_standardised_and_can_be_undone():
    d = data.load_diabetes()
    assert d.Y_train.shape == (len(d.y_train), 1)
    assert d.Y_train.mean() == pytest.approx(0.0, abs=1e-12) and d.Y_train.std() == pytest.approx(1.0)
    np.testing.assert_allclose(d.unstandardise_target(d.Y_test), d.y_test, rtol=1e-12)


def test_one_hot_accuracy_and_r2_helpers():
    np.testing.assert_array_equal(data.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    assert data.accuracy(np.array([1, 0, 1]), np.array([[1], [1], [1]])) == pytest.approx(2 / 3)
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert data.r2_score(y, y) == 1.0
    assert data.r2_score(y, np.full(4, y.mean())) == 0.0
    from sklearn.metrics import r2_score as sklearn_r2
    rng = np.random.default_rng(0)
    pred = y + rng.normal(size=4)
    assert data.r2_score(y, pred) == pytest.approx(sklearn_r2(y, pred))


# ---------------------------------------------------------------- training on real data


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", list(THRESHOLDS))
def test_reference_network_clears_its_threshold_for_several_seeds(name, seed):
    result = demo.train_reference_model(SPECS[name], seed=seed)
    assert result.value >= THRESHOLDS[name], result.summary()
    assert result.history[-1] < result.history[0]


@pytest.mark.slow
def test_demo_prints_one_line_per_data_set(capsys):
    demo.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["digits", "breast_cancer", "diabetes"]
    assert "test accuracy" in lines[0] and "64-64-10 relu/softmax/cce" in lines[0]
    assert "test R^2" in lines[2]


@pytest.mark.slow
def test_a_sigmoid_network_also_learns_digits():
    d = data.load_digits()
    net = MLP([64, 32, 10], hidden="sigmoid", output="softmax", loss="cce", seed=0)
    net.fit(d.X_train, d.Y_train, epochs=30, lr=0.5, batch_size=32)
    assert data.accuracy(d.y_test, net.predict(d.X_test)) >= 0.93
