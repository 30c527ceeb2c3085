"""The visible checks as a student sees them in Jupyter (issue 14, "also seen on the way"):
the message first and alone, no traceback through checks.py, the public inputs with their
names. Run in IPython itself (its ``_render_traceback_`` protocol is what Jupyter uses)."""
from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

REPO = Path(__file__).resolve().parents[1]
UNSTABLE_SOFTMAX = "def softmax(Z):\n    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)\n"


@pytest.fixture()
def shell(tmp_path, monkeypatch):
    """An IPython shell in a copy of the released a1 folder (checks.py, public_cases.json)."""
    for name in ("checks.py", "public_cases.json"):
        shutil.copy2(REPO / "assignments" / "a1_activations" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    ipython = InteractiveShell.instance(colors="nocolor")
    ipython.run_cell("import numpy as np, warnings\nwarnings.simplefilter('ignore')\nfrom checks import check")
    yield ipython
    ipython.run_cell("import sys; sys.modules.pop('checks', None)")


def run(shell, source: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        shell.run_cell(source)
    return out.getvalue()


def test_a_failed_check_shows_its_message_first_and_no_traceback(shell):
    shown = run(shell, UNSTABLE_SOFTMAX + 'check("softmax", softmax)')
    lines = shown.splitlines()
    assert lines[0] == "CheckFailed: softmax: visible check 2 of 7 (large |z|) failed."
    assert any(line.startswith("Recognised mistake: unstable softmax") for line in lines)
    assert "Traceback" not in shown and "checks.py" not in shown and "raise " not in shown


def test_public_inputs_are_printed_with_their_names(shell):
    shown = run(shell, "def maxout(X, W1, b1, W2, b2):\n    return X @ W1.T + b1\n" + 'check("maxout", maxout)')
    names = [line.split("=")[0].strip() for line in shown.splitlines() if line.startswith("  ") and "=" in line]
    assert names == ["X", "W1", "b1", "W2", "b2"]


def test_a_stub_says_so_without_a_traceback(shell):
    shown = run(shell, "def relu(z):\n    raise NotImplementedError()\n" + 'check("relu", relu)')
    assert shown.startswith("NotImplementedError: relu: not implemented yet.")
    assert "Traceback" not in shown


def test_a_passing_check_says_so(shell):
    shown = run(shell, "def relu(z):\n    return np.maximum(0.0, z)\n" + 'check("relu", relu)')
    assert shown.startswith("relu: all ") and "visible checks passed" in shown


# --------------------------------------------------------------------------- uses(...) before an experiment
WRONG_RELU_PRIME = "def relu_prime(z):\n    return (np.asarray(z) >= 0).astype(float) * 0.5\n"
RIGHT_SIGMOID_PRIME = ("def sigmoid_prime(z):\n    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
                       "    return s * (1 - s)\n")


def test_an_experiment_says_in_one_line_which_function_it_uses_fails_its_visible_checks(shell):
    shown = run(shell, "from checks import uses\n" + WRONG_RELU_PRIME + RIGHT_SIGMOID_PRIME
                + "uses(sigmoid_prime, relu_prime)")
    assert shown.strip().splitlines() == [
        "Careful: relu_prime fails its visible checks, so the numbers below come from a wrong function: fix it "
        "first (its check cell says what is wrong), then run this cell again."], shown


def test_an_experiment_on_right_functions_stubs_and_helpers_prints_nothing(shell):
    shown = run(shell, "from checks import uses\n" + RIGHT_SIGMOID_PRIME
                + "def relu_prime(z):\n    raise NotImplementedError()\n"
                + "def helper(z):\n    return z\n" + "uses(sigmoid_prime, relu_prime, helper)")
    assert shown == "", shown


def test_the_experiments_behind_written_answers_say_which_function_fails():
    """a3's experiment of the written question and a4's BCE-vs-MSE experiment start with uses(...)
    naming the graded functions they call (issue 22.5), in the solution and in the release."""
    import nbformat

    for folder in ("solutions", "assignments"):
        for notebook, functions in (("a3_two_layer/two_layer.ipynb", ("homework_gradients", "binary_gradients")),
                                    ("a4_losses_backprop/losses_backprop.ipynb", ("delta_mse_sigmoid", "bce"))):
            cells = nbformat.read(REPO / folder / notebook, as_version=4).cells
            first_lines = [c.source.splitlines()[0] for c in cells if c.cell_type == "code" and c.source]
            assert any(line.startswith("uses(") and all(f in line for f in functions) for line in first_lines)


def test_a5s_cell_for_earlier_code_stops_run_all_with_what_to_paste_not_a_bare_error():
    import nbformat

    cells = nbformat.read(REPO / "assignments" / "a5_training" / "training.ipynb", as_version=4).cells
    (cell,) = [c for c in cells if c.metadata.get("nbgrader", {}).get("grade_id") == "earlier_code"]
    shell = InteractiveShell.instance(colors="nocolor")
    shown = run(shell, cell.source)
    assert "NotImplementedError: Paste your functions of assignments 1-4 into this cell" in shown, shown


def test_the_notebooks_name_jupyterlab_4s_menu():
    import nbformat

    for folder in ("solutions", "assignments"):
        for path in sorted((REPO / folder).glob("*/*.ipynb")):
            text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
            assert "Restart & Run All" not in text and "Kernel → Restart Kernel and Run All Cells…" in text, path
