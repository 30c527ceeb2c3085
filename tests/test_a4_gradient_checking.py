"""check_gradients, the visible gradient check with the student's own numerical gradient:
its options for a4 (``inputs=`` for delta^L as a gradient with respect to the logits,
``cases=`` to leave out edge cases at a clip or a kink, and networks with fewer layers
than the registered ``wrt`` list), on a4's real public cases; and a4's planted bug, which
the gradient check must find in layer 1 only."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.checks.public import CheckFailed, load_cases
from autograder.checks.visible import check_gradients
from nn_core import answers, deltas, losses
from nn_core.activations import sigmoid, softmax
from nn_core.gradcheck import numerical_gradient

CASES = str(Path(__file__).resolve().parents[1] / "solutions" / "a4_losses_backprop" / "public_cases.json")
LOGITS = {"sigmoid": lambda A, Y: (np.log(A / (1 - A)), Y), "softmax": lambda A, Y: (np.log(A), Y)}


def _cce_of_network(X, Y, params):
    return losses.cce(_relu_softmax_output(X, params), Y)


def _relu_softmax_output(X, params):
    A = X
    for W, b in params[:-1]:
        A = np.maximum(0.0, A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)


def test_a_delta_is_checked_as_the_gradient_of_the_summed_loss_with_respect_to_the_logits(capsys):
    check_gradients("delta_bce_sigmoid", lambda Z, Y: deltas.delta_bce_sigmoid(sigmoid(Z), Y),
                    lambda Z, Y: len(Z) * losses.bce(sigmoid(Z), Y), numerical_gradient,
                    inputs=LOGITS["sigmoid"], cases=("random",), path=CASES)
    check_gradients("delta_cce_softmax", lambda Z, Y: deltas.delta_cce_softmax(softmax(Z), Y),
                    lambda Z, Y: len(Z) * losses.cce(softmax(Z), Y), numerical_gradient,
                    inputs=LOGITS["softmax"], cases=("random",), path=CASES)
    assert "agree with your numerical gradient on all 3 visible cases checked" in capsys.readouterr().out


def test_a_wrong_delta_disagrees_with_the_students_own_numerical_gradient():
    with pytest.raises(CheckFailed, match="disagrees with your numerical gradient"):
        check_gradients("delta_bce_sigmoid", lambda Z, Y: deltas.delta_mse_sigmoid(sigmoid(Z), Y),
                        lambda Z, Y: len(Z) * losses.bce(sigmoid(Z), Y), numerical_gradient,
                        inputs=LOGITS["sigmoid"], cases=("random",), path=CASES)


def test_only_the_named_cases_are_checked_and_an_edge_at_the_clip_would_fail():
    check_gradients("bce_gradient", losses.bce_gradient, losses.bce, numerical_gradient, cases=("random",),
                    path=CASES)
    with pytest.raises(CheckFailed):  # p = 0 and 1 sit on the clip: no derivative for a finite difference
        check_gradients("bce_gradient", losses.bce_gradient, losses.bce, numerical_gradient,
                        cases=("predictions at 0 and 1",), path=CASES)


def test_backprop_is_checked_for_every_layer_a_case_has(capsys):
    public = load_cases("backprop", CASES)
    layers = {len(case["args"]["tuple"][2]["list"]) for case in public["cases"]}
    assert 1 in layers and max(layers) > 1 and len(public["wrt"]) >= 2 * max(layers)
    check_gradients("backprop", answers.backprop, _cce_of_network, numerical_gradient,
                    cases=("random", "m = 1", "one layer (no hidden layer)"), path=CASES)
    assert "on all 5 visible cases checked" in capsys.readouterr().out


def test_backprop_without_relu_prime_fails_its_gradient_check():
    def no_relu_prime(X, Y, params):
        from autograder.questions.a4_losses_backprop import _mistaken_backprop
        return _mistaken_backprop(X, Y, params, hidden_prime=False)

    with pytest.raises(CheckFailed, match="dW1 disagrees|db1 disagrees"):
        check_gradients("backprop", no_relu_prime, _cce_of_network, numerical_gradient, cases=("random",),
                        path=CASES)


# --------------------------------------------------------------------------- the planted bug of part 6
def _given_cell(defining: str) -> str:
    import nbformat
    nb = nbformat.read(Path(CASES).with_name("losses_backprop.ipynb"), as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and f"def {defining}(" in c.source
                and "nbgrader" not in c.metadata)


def _planted(fixed: bool = False) -> list[tuple[float, float]]:
    from nn_core.network import gradient_errors

    source = _given_cell("buggy_backprop")
    if fixed:
        assert source.count("d1 = W2 @ d2\n") == 1
        source = source.replace("d1 = W2 @ d2\n", "d1 = (W2 @ d2) * a1 * (1 - a1)\n")
    space = {"np": np, "sigmoid": sigmoid}
    exec(source, space)  # noqa: S102 (the notebook's own given cell)
    rng = np.random.default_rng(7)
    sizes = [3, 4, 4, 2]
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    params = [(rng.normal(size=(i, o)), rng.normal(size=o)) for i, o in zip(sizes[:-1], sizes[1:])]
    numeric = [tuple(numerical_gradient(lambda _: losses.mse(space["network_004"](X, params), Y), p) for p in layer)
               for layer in params]
    return gradient_errors(space["buggy_backprop"](X, Y, params), numeric)


def test_the_planted_bug_shows_in_layer_1_only_and_the_mark_schemes_fix_removes_it():
    errors = _planted()
    assert min(errors[0]) > 1e-2                                   # dW1 and db1 wrong
    assert max(e for layer in errors[1:] for e in layer) < 1e-7    # layers 2 and 3 right, note 004's storage and all
    assert max(e for layer in _planted(fixed=True) for e in layer) < 1e-7


def test_the_saturated_neuron_experiment_shows_what_the_mark_scheme_says():
    """Part 3's cell, run with the reference's losses and deltas: MSE hardly moves, BCE learns."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    nb = nbformat.read(Path(CASES).with_name("losses_backprop.ipynb"), as_version=4)
    train = next(c.source for c in nb.cells if "def train_neuron(" in c.source)
    experiment = next(c.source for c in nb.cells if "train_neuron(w0, b0" in c.source)
    space = {"np": np, "plt": plt, "sigmoid": sigmoid, "mse": losses.mse, "bce": losses.bce,
             "delta_mse_sigmoid": deltas.delta_mse_sigmoid, "delta_bce_sigmoid": deltas.delta_bce_sigmoid,
             "uses": lambda *functions: None}  # the visible checks' line before an experiment: tested on its own
    exec(train, space)  # noqa: S102 (the solution's own cells)
    exec(experiment.replace("plt.show()", "plt.close('all')"), space)  # noqa: S102
    mse_run, bce_run = space["runs"]["MSE"], space["runs"]["BCE"]
    assert abs(mse_run["delta"][0]) < 1e-2 and mse_run["loss"][-1] > 0.99 * mse_run["loss"][0] and mse_run["a"][-1] > 0.99
    assert abs(bce_run["delta"][0]) > 0.9 and bce_run["loss"][0] > 5 and bce_run["loss"][10] < 0.1
