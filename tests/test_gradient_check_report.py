"""The student's own gradient check speaks first and says everything: ``check_gradients`` runs
before ``check(...)`` in every check cell of a derived gradient (a3, a4), reports every
parameter's relative error, the output layer's first, with a verdict each (it does not stop at
the first wrong one), checks ``hidden_delta`` and ``layer_gradients`` through the small losses
the notebook gives, and refuses a checker that puts x back by arithmetic, saying why."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from autograder.checks.public import CheckFailed, load_cases
from autograder.checks.visible import RESTORE_PROBE, check, check_gradients, output_layer_first, restores_exactly
from autograder.questions import QUESTIONS
from nn_core import activations, answers, gradcheck, network, two_layer

REPO = Path(__file__).resolve().parents[1]
A1 = REPO / "solutions" / "a1_activations" / "public_cases.json"
A3 = REPO / "solutions" / "a3_two_layer" / "public_cases.json"
A4 = REPO / "solutions" / "a4_losses_backprop" / "public_cases.json"
STEPS = np.concatenate([np.logspace(-9, -1, 33), [1e-5, 1e-4, 1e-6]])


def _reference(f, x, h=1e-5):
    return gradcheck.numerical_gradient(f, x, h)


def _arithmetic(restore):
    """A central-difference checker, right in its values, that puts each entry back by ``restore``."""
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros_like(x, dtype=np.float64)
        for i in np.ndindex(x.shape):
            saved = x[i]
            x[i] = saved + h
            f_plus = f(x)
            x[i] = saved - h
            f_minus = f(x)
            restore(x, i, saved, h)
            grad[i] = (f_plus - f_minus) / (2 * h)
        return grad
    return numerical_gradient


#: Ways students put x[i] back by arithmetic after the step down to x[i] - h (``saved`` is the value before).
ARITHMETIC = {
    "x[i] = x[i] + h": lambda x, i, saved, h: x.__setitem__(i, x[i] + h),
    "x[i] = saved + h - h": lambda x, i, saved, h: x.__setitem__(i, saved + h - h),
    "x[i] + h - 2h + h": lambda x, i, saved, h: x.__setitem__(i, ((saved + h) - 2 * h) + h),
}


def _run(*args, **kwargs) -> str:
    with redirect_stdout(io.StringIO()) as out:
        check_gradients(*args, **kwargs)
    return out.getvalue()


def test_the_report_lists_every_parameter_output_layer_first_with_a_verdict():
    net = two_layer.NETWORKS["binary"]
    printed = _run("binary_gradients", net.gradients, net.loss_value, _reference, path=str(A3))
    rows = [line.split() for line in printed.splitlines() if line.startswith("  ")]
    assert [row[0] for row in rows] == ["dW2", "db2", "dW1", "db1"]
    assert all(row[-1] == "ok" and float(row[1]) < 1e-6 for row in rows)


def test_a_wrong_hidden_layer_is_reported_with_the_right_output_layer_and_raises_after_the_report():
    """g'(z1) left out: dW2 and db2 stay ok, dW1 and db1 are WRONG; the check does not stop at dW1."""
    def no_g_prime(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = two_layer.binary_gradients(X, Y, W1, b1, W2, b2)
        A1 = 1 / (1 + np.exp(-(X @ W1.T + b1)))
        delta1 = (1 / (1 + np.exp(-(A1 @ W2.T + b2))) - Y) @ W2
        return delta1.T @ X / len(X), delta1.mean(axis=0), dW2, db2

    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(CheckFailed) as failed:
        check_gradients("binary_gradients", no_g_prime, two_layer.NETWORKS["binary"].loss_value, _reference,
                        path=str(A3))
    verdicts = {line.split()[0]: line.split()[2] for line in out.getvalue().splitlines() if line.startswith("  ")}
    assert verdicts == {"dW2": "ok", "db2": "ok", "dW1": "WRONG", "db1": "WRONG"}
    assert "your dW1 and db1 disagree" in str(failed.value) and "Your dW1 disagrees" in str(failed.value)


def test_the_report_orders_layers_from_the_output_and_keeps_unnumbered_names():
    assert output_layer_first(["dW1", "db1", "dW2", "db2", "dW3", "db3"]) == ["dW3", "db3", "dW2", "db2", "dW1", "db1"]
    assert output_layer_first(["dL/da0", "dL/da1"]) == ["dL/da0", "dL/da1"]


@pytest.mark.parametrize("name", ARITHMETIC)
def test_the_probe_is_changed_by_every_arithmetic_restore_for_every_step(name):
    probe = np.array(RESTORE_PROBE)
    for h in STEPS:
        x = probe.copy()
        for i in np.ndindex(x.shape):
            saved = x[i]
            x[i] = saved - h
            ARITHMETIC[name](x, i, saved, h)
        assert x.tobytes() != probe.tobytes(), (name, h)


@pytest.mark.parametrize("name", ARITHMETIC)
def test_a_checker_that_restores_by_arithmetic_fails_the_gradient_check_and_is_told_why(name):
    net = two_layer.NETWORKS["regression"]
    assert "does not leave x exactly" in restores_exactly(_arithmetic(ARITHMETIC[name]))
    with redirect_stdout(io.StringIO()), pytest.raises(CheckFailed, match="put back by arithmetic"):
        check_gradients("regression_gradients", net.gradients, net.loss_value, _arithmetic(ARITHMETIC[name]),
                        path=str(A3))


def test_a_checker_that_restores_the_saved_value_or_perturbs_a_copy_passes_the_probe():
    def on_copies(f, x, h=1e-5):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            up, down = x.copy(), x.copy()
            up[i] += h
            down[i] -= h
            grad[i] = (f(up) - f(down)) / (2 * h)
        return grad

    assert restores_exactly(_reference) == "" and restores_exactly(on_copies) == ""


@pytest.mark.parametrize("name", ARITHMETIC)
def test_a1s_visible_check_refuses_a_checker_that_restores_by_arithmetic(name):
    with redirect_stdout(io.StringIO()), pytest.raises(CheckFailed, match="not exactly as it was"):
        check("numerical_gradient", _arithmetic(ARITHMETIC[name]), path=str(A1))


def _given(defining: str) -> dict:
    """The namespace of a4's given cell that defines ``defining`` (the small losses)."""
    cells = json.loads((A4.parent / "losses_backprop.ipynb").read_text(encoding="utf-8"))["cells"]
    source = next("".join(c["source"]) for c in cells if c["cell_type"] == "code" and f"def {defining}(" in "".join(c["source"])
                  and "nbgrader" not in c.get("metadata", {}))
    space = {"np": np}
    exec(source, space)  # noqa: S102 (the notebook's own given cell)
    return space


HIDDEN = dict(gradients=lambda Z, d, W, g, fn=answers.hidden_delta: fn(d, W, g),
              inputs=lambda d, W, g: (np.zeros_like(g), d, W, g))
LAYER = dict(gradients=lambda W, b, d, A, fn=network.layer_gradients: fn(d, A),
             inputs=lambda d, A: (np.zeros((d.shape[1], A.shape[1])), np.zeros(d.shape[1]), d, A))


def test_hidden_delta_and_layer_gradients_pass_their_own_check_through_the_notebooks_small_losses():
    printed = _run("hidden_delta", HIDDEN["gradients"], _given("hidden_delta_loss")["hidden_delta_loss"], _reference,
                   inputs=HIDDEN["inputs"], path=str(A4))
    printed += _run("layer_gradients", LAYER["gradients"], _given("layer_loss")["layer_loss"], _reference,
                    inputs=LAYER["inputs"], path=str(A4))
    assert "hidden_delta: your gradients agree" in printed and "layer_gradients: your gradients agree" in printed
    assert len(load_cases("hidden_delta", str(A4))["wrt"]) == 1 and len(load_cases("layer_gradients", str(A4))["wrt"]) == 2


@pytest.mark.parametrize("qid, how, loss", [(q, h, l) for q, h, l in
                                             (("hidden_delta", HIDDEN, "hidden_delta_loss"), ("layer_gradients", LAYER, "layer_loss"))])
def test_every_registered_mistake_of_hidden_delta_and_layer_gradients_fails_their_own_check(qid, how, loss):
    for mistake in QUESTIONS[qid].mistakes:
        wrong = (lambda Z, d, W, g, fn=mistake.fn: fn(d, W, g)) if qid == "hidden_delta" else \
            (lambda W, b, d, A, fn=mistake.fn: fn(d, A))
        with redirect_stdout(io.StringIO()), pytest.raises((CheckFailed, ValueError)):
            check_gradients(qid, wrong, _given(loss)[loss], _reference, inputs=how["inputs"], path=str(A4))


@pytest.mark.parametrize("notebook", ["a3_two_layer/two_layer.ipynb", "a4_losses_backprop/losses_backprop.ipynb"])
def test_in_every_check_cell_the_students_own_gradient_check_runs_before_the_reference_check(notebook):
    cells = json.loads((REPO / "solutions" / notebook).read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    checked = [s for s in sources if "check_gradients(" in s and "\ncheck(" in "\n" + s]
    assert len(checked) >= 5
    for source in checked:
        assert source.index("check_gradients(") < ("\n" + source).index("\ncheck("), source
    graded = {c["metadata"]["nbgrader"]["grade_id"] for c in cells
              if c["cell_type"] == "code" and "check_gradients(" in "".join(c["source"])}
    if "a4" in notebook:
        assert {"hidden_delta", "layer_gradients", "backprop"} <= graded


#: a1's derivatives, checked as the notebook's check cells do: (gradients, loss, inputs).
A1_OWN = {
    "sigmoid_prime": (None, lambda z: float(np.sum(activations.sigmoid(z))), None),
    "tanh_prime": (None, lambda z: float(np.sum(np.tanh(z))), None),
    "relu_prime": (None, lambda z: float(np.sum(np.maximum(0.0, z))), None),
    "leaky_relu_prime": (None, lambda z, slope=0.1: float(np.sum(np.where(z > 0, z, slope * z))), None),
    "softmax_jacobian": ("jacobian", lambda z, g: float(g @ activations.softmax(z[None, :])[0]),
                         lambda a: (np.log(a), np.linspace(-1.0, 1.0, len(a)))),
}
#: Mistakes a finite difference cannot see: they differ from the answer only at ReLU's kink, z = 0.
AT_THE_KINK = {"derivative 1 at z = 0"}


def _a1_own(qid: str, derivative) -> str:
    kind, loss, inputs = A1_OWN[qid]
    gradients = (lambda z, g: np.asarray(derivative(activations.softmax(z[None, :])[0])).T @ g) if kind else derivative
    return _run(qid, gradients, loss, _reference, inputs=inputs, cases=("random",), path=str(A1))


@pytest.mark.parametrize("qid", A1_OWN)
def test_a1s_derivatives_pass_their_own_check_and_every_mistake_off_the_kink_fails_it(qid):
    assert f"{qid}: your gradients agree" in _a1_own(qid, QUESTIONS[qid].reference)
    for mistake in QUESTIONS[qid].mistakes:
        if mistake.name in AT_THE_KINK:
            continue
        with pytest.raises((CheckFailed, ValueError)):
            _a1_own(qid, mistake.fn)


def test_in_a1_the_checker_comes_first_and_every_derivative_cell_runs_it_before_the_reference_check():
    cells = json.loads((A1.parent / "activations.ipynb").read_text(encoding="utf-8"))["cells"]
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells]
    assert ids.index("numerical_gradient_answer") < min(ids.index(f"{q}_answer") for q in A1_OWN)
    for qid in A1_OWN:
        source = "".join(cells[ids.index(qid)]["source"])
        assert source.index("check_gradients(") < source.index(f'check("{qid}"'), qid
