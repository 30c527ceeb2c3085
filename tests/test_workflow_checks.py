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
