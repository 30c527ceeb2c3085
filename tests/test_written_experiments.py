"""The experiments behind a1's, a2's and a5's written questions show what their mark schemes and model
answers say: each experiment cell of the solution notebook is run with the reference's functions
and the figures the model answer quotes are read off its printout (a figure typed in a model
answer that the experiment does not print fails here)."""
from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nn_core import activations, answers, conventions, data, network, training  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _cells(notebook: str) -> list[dict]:
    return json.loads((REPO / "solutions" / notebook).read_text(encoding="utf-8"))["cells"]


def _code(notebook: str, marker: str) -> str:
    found = ["".join(c["source"]) for c in _cells(notebook) if c["cell_type"] == "code" and marker in "".join(c["source"])]
    assert len(found) == 1, marker
    return found[0]


def _answer(notebook: str, grade_id: str) -> str:
    return next("".join(c["source"]) for c in _cells(notebook)
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def _run(source: str, space: dict) -> str:
    space = {"np": np, "plt": plt, "uses": lambda *functions: None, **space}
    with redirect_stdout(io.StringIO()) as out:
        exec(source.replace("plt.show()", "plt.close('all')"), space)  # noqa: S102 (the solution's own cell)
    return out.getvalue()


def test_a1s_dead_units_experiment_prints_the_figures_of_the_model_answer():
    printed = _run(_code("a1_activations/activations.ipynb", "dead = np.all(Z <= 0, axis=0)"),
                   {"relu_prime": activations.relu_prime, "leaky_relu_prime": activations.leaky_relu_prime})
    shares = re.findall(r"([\d.]+)% of the units are dead \(z <= 0 on ([\d.]+)%", printed)
    (before, pairs_before), (after, pairs_after) = [(float(a), float(b)) for a, b in shares]
    model = " ".join(_answer("a1_activations/activations.ipynb", "dead_units").split())
    assert f"about {before:g} %" in model and f"about {round(after):d} %" in model
    assert f"{round(pairs_after):d} %" in model and f"{round(pairs_before):d} %" in model
    assert printed.count("mean derivative through the dead units: ReLU 0, leaky ReLU, slope 0.01 0.01, "
                         "leaky ReLU, slope 0.1 0.1, leaky ReLU, slope 0.3 0.3") == 2


def test_a2s_maxout_experiment_splits_the_count_as_the_model_answer_says():
    printed = _run(_code("a2_feedforward/feedforward.ipynb", "output_layer = param_count(sizes[-2:])"),
                   {"param_count": network.param_count, "param_count_maxout": conventions.param_count_maxout})
    hidden = [int(h) for h in re.findall(r"hidden layers (\d+) =", printed)]
    plain_hidden = int(re.search(r"(\d+) of them in the hidden layers", printed).group(1))
    assert hidden == [k * plain_hidden for k in range(1, 6)] and "output layer 63" in printed
    model = _answer("a2_feedforward/feedforward.ipynb", "maxout_cost")
    assert f"{plain_hidden} parameters with ordinary units" in model
    assert ", ".join(str(h) for h in hidden[1:-1]) + f", {hidden[-1]}" in model.replace(" and ", ", ")


def test_a2s_conventions_experiment_shows_the_loud_and_the_silent_mix_up():
    printed = _run(_code("a2_feedforward/feedforward.ipynb", "params = to_course_convention(params_004)"),
                   {"to_course_convention": conventions.to_course_convention,
                    "forward_004": conventions.forward_004, "forward": answers.forward})
    assert "largest difference: 0.0" in printed and "raises ValueError" in printed
    mixed = float(re.search(r"both forward passes: largest difference ([\d.e-]+)", printed).group(1))
    model = _answer("a2_feedforward/feedforward.ipynb", "two_conventions")
    assert 0.1 < mixed < 0.5 and f"about {mixed:.1f}" in model


def test_a5s_deep_network_experiment_prints_the_gradient_norms_of_the_model_answer():
    """The model answer's figures (the sigmoid network's last and first layer, their ratio, the factor
    per layer, the ReLU network's spread) are the experiment cell's, run with the reference's
    init_params and backprop on the released digits."""
    digits = data.load_digits()

    def backprop(X, Y, params, output, hidden="relu"):
        return network.backward(params, network.forward(params, X, hidden, output), Y, hidden, output, "cce")

    printed = _run(_code("a5_training/training.ipynb", "norms = {hidden:"),
                   {"load": lambda name, output: (digits.X_train, digits.Y_train, digits.X_test, digits.Y_test),
                    "init_params": training.init_params, "backprop": backprop})
    norms = {hidden: [float(v) for v in re.search(rf"{hidden}: (.*)", printed).group(1).split()]
             for hidden in ("sigmoid", "relu")}
    sigmoid, relu = norms["sigmoid"], norms["relu"]
    ratio = sigmoid[-1] / sigmoid[0]
    model = " ".join(_answer("a5_training/training.ipynb", "why_relu_deep").split())
    assert f"about {sigmoid[-1]:.2g} at the last layer and about {sigmoid[0]:.2g} at the first" in model
    assert f"some {round(ratio, -2):g} times smaller" in model
    assert f"roughly a factor {ratio ** (1 / (len(sigmoid) - 1)):.0f} per layer" in model
    assert 0.5 < min(relu) and max(relu) < 2 and "within a factor 2 of 1 in every layer" in model
