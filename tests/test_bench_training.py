"""bench.training: the benchmark's core runs and starts all implementations from the same weights.

No timing is checked here (speed goals are checked by the benchmark's printed ratios).
"""
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is not an installed package; `python -m pytest` finds it anyway
    sys.path.insert(0, str(ROOT))

from bench import training  # noqa: E402
from nn_core.data import load_digits

HAS_TORCH = importlib.util.find_spec("torch") is not None


@pytest.fixture(scope="module")
def digits():
    return load_digits(0)


def test_one_epoch_of_each_implementation_returns_accuracies_and_starts_from_nn_cores_weights(digits):
    setup = training.Setup(hidden=(16,), epochs=1, batch_size=32, lr=0.1, seed=0)
    with training.pinned_threads(1):
        comparison = training.compare(setup, repeats=1, warmup=False, data=digits)
    expected = {"nn_core", "sklearn"} | ({"torch"} if HAS_TORCH else set())
    assert set(comparison.results) == expected
    base = comparison.results["nn_core"]
    for name, run in comparison.results.items():
        assert 0.0 <= run.test_accuracy <= 1.0 and run.test_accuracy > 0.5, name
        assert len(run.epoch_seconds) == 1 and run.epoch_seconds[0] > 0.0
        assert run.init_max_abs_diff == 0.0, name
        # the same weights give the same loss on the same first mini-batch (float64 throughout)
        assert abs(run.first_batch_loss - base.first_batch_loss) < 1e-10, name
        # and the same mini-batches with the same SGD steps give the same trained network
        assert abs(run.final_train_loss - base.final_train_loss) < 1e-8, name
    text = training.format_comparison(comparison, digits)
    assert "nn_core/scikit-learn" in text
    assert ("nn_core/PyTorch" in text) == HAS_TORCH


def test_epoch_order_is_the_order_nn_core_fit_draws():
    from nn_core.optim import minibatches

    rng = np.random.default_rng(training.epoch_seed(3, 2))
    batches = list(minibatches(100, 32, rng))
    np.testing.assert_array_equal(np.concatenate(batches), training.epoch_order(3, 2, 100))


def test_gflops_counts_every_matmul_of_the_gradient_and_measures_a_small_batch():
    # layer 0: forward + dW; layer 1: forward + dW + delta @ W
    assert training.gradient_matmul_flops([4, 5, 3], m=2) == 2 * (2 * 2 * 4 * 5) + 3 * (2 * 2 * 5 * 3)
    with training.pinned_threads(1):
        g = training.measure_gflops([8, 8, 3], m=16, repeats=1, square_n=16)
    assert g.nn_core_gflops > 0 and g.numpy_gflops > 0 and g.square_gflops > 0
    assert "GFLOP/s" in training.format_gflops(g)


def test_command_line_parses_architectures():
    args = training.parse_args(["--hidden", "64", "128,64", "--epochs", "2", "--threads", "1"])
    assert args.hidden == [(64,), (128, 64)] and args.epochs == 2
    with pytest.raises(SystemExit):
        training.parse_args(["--hidden", "0"])
