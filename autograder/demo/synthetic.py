"""Synthetic submissions for the demo class and the grading benchmark.

Every submission is made from a solution notebook, the way a student's would be made from
the released one: the same cells, with the answer cells filled in

* ``correct``: the reference solution;
* ``stub``: the released stubs, untouched (``raise NotImplementedError()``);
* ``mistakes``: the solution with a few answers replaced by a typical wrong version
  (:data:`MISTAKES`; the engine should name each one);
* ``hostile``: the solution plus an attack on the grader (:data:`HOSTILE`): patching numpy's
  comparisons, a result that lies about equality, an endless loop.

The answer code here is what a student would write, as text; nothing is computed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course.config import REPO_ROOT, Course

KINDS = ("correct", "mistakes", "stub", "hostile")


@dataclass(frozen=True)
class WrongAnswer:
    """The body a student wrote for ``function`` and the mistake the engine should name."""

    function: str
    body: str
    mistake: str  # a phrase of the registry's message for it


MISTAKES: dict[str, tuple[WrongAnswer, ...]] = {
    "a1_activations": (
        WrongAnswer("sigmoid", "return 1.0 / (1.0 + np.exp(z))", "sign inside the exponential"),
        WrongAnswer("softmax", "E = np.exp(Z)\nreturn E / E.sum(axis=1, keepdims=True)", "subtract"),
        WrongAnswer("leaky_relu", "return np.where(z > 0, z, 0.01 * z)", "slope"),
    ),
    "a2_feedforward": (
        WrongAnswer("param_count", "return int(sum(n_out * n_in for n_in, n_out in zip(sizes[:-1], sizes[1:])))",
                    "bias"),
        WrongAnswer("forward", "A = X\nfor W, b in params:\n    A = sigmoid(A @ W.T + b)\nreturn A", "softmax"),
    ),
    "a3_two_layer": (
        WrongAnswer("binary_gradients", "A1 = sigmoid(X @ W1.T + b1)\nA2 = sigmoid(A1 @ W2.T + b2)\n"
                    "d2 = (A2 - Y) * A2 * (1 - A2)\nd1 = (d2 @ W2) * A1 * (1 - A1)\n"
                    "return d1.T @ X / len(X), d1.mean(axis=0), d2.T @ A1 / len(X), d2.mean(axis=0)", "cancels"),
        WrongAnswer("regression_gradients", "A1 = sigmoid(X @ W1.T + b1)\nd2 = A1 @ W2.T + b2 - Y\n"
                    "d1 = (d2 @ W2) * A1 * (1 - A1)\n"
                    "return d1.T @ X, d1.sum(axis=0), d2.T @ A1, d2.sum(axis=0)", "MEAN"),
    ),
    "a4_losses_backprop": (
        WrongAnswer("delta_bce_sigmoid", "return (A - Y) * A * (1 - A)", "MSE delta"),
        WrongAnswer("layer_gradients", "m = delta.shape[0]\nreturn A_prev.T @ delta / m, delta.mean(axis=0)",
                    "transposed"),
        WrongAnswer("cce", "return float(-np.sum(Y * np.log(Y_hat), axis=1).mean())", "clip"),
    ),
    "a5_training": (
        WrongAnswer("init_params", "rng = np.random.default_rng(seed)\n"
                    "return [(rng.normal(size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]",
                    "standard deviation 1"),
        WrongAnswer("train", "rng = np.random.default_rng(seed)\nparams = init_params(sizes, seed)\n"
                    "for epoch in range(epochs):\n    order = rng.permutation(len(X))\n"
                    "    for start in range(0, len(X), batch_size):\n        rows = order[start:start + batch_size]\n"
                    "        grads = backprop(X[rows], Y[rows], params, output)\n"
                    "        params = [(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)]\nreturn params",
                    "biases are still all zero"),
    ),
    "a6_training_well": (
        WrongAnswer("adam_step", "m = beta1 * m + (1 - beta1) * dw\nv = beta2 * v + (1 - beta2) * dw ** 2\n"
                    "return w - lr * m / (np.sqrt(v) + eps), m, v", "divide them by 1 - beta1^t"),
        WrongAnswer("dropout_forward", "return X * mask / keep_prob", "at test time every unit is kept"),
        WrongAnswer("batchnorm_forward", "return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0, ddof=1) + eps) + beta",
                    "divisor m"),
    ),
}

# Prepended to the first answer cell: try to make every comparison pass.
_PATCH_NUMPY = """\
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
class _Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, bool)
    __ne__ = lambda self, other: np.zeros(self.shape, bool)
"""
# The hostile student's wrong answers: a lie (zeros that claim to equal anything) and a hang.
HOSTILE: dict[str, tuple[str, str]] = {  # assignment -> (function that lies, function that hangs)
    "a1_activations": ("sigmoid", "tanh"),
    "a2_feedforward": ("dense_forward", "forward"),
    "a3_two_layer": ("regression_gradients", "gd_step"),
    "a4_losses_backprop": ("delta_mse_linear", "backprop"),
    "a5_training": ("init_params", "train"),
    "a6_training_well": ("dropout_backward", "momentum_step"),
}
_LIE = "return np.zeros(np.shape({arg})).view(_Liar)"
_HANG = "while True:\n    pass"


def _answer_cells(nb: nbformat.NotebookNode) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"
            and cell.metadata.get("nbgrader", {}).get("solution", False)]


def replace_answer(nb: nbformat.NotebookNode, function: str, body: str) -> None:
    """Replace the solution of ``def function(...)`` by ``body`` (indented into the def)."""
    for cell in _answer_cells(nb):
        if re.search(rf"^def {re.escape(function)}\(", cell.source, re.M):
            start, end = cell.source.index("### BEGIN SOLUTION"), cell.source.index("### END SOLUTION")
            indent = cell.source[:start].rsplit("\n", 1)[-1]
            code = "\n".join(indent + line if line else line for line in body.splitlines())
            cell.source = cell.source[:start] + code.lstrip() + "\n" + indent + cell.source[end:]
            return
    raise KeyError(f"no answer cell defines {function}()")


def _first_argument(nb: nbformat.NotebookNode, function: str) -> str:
    for cell in _answer_cells(nb):
        match = re.search(rf"^def {re.escape(function)}\((\w+)", cell.source, re.M)
        if match:
            return match.group(1)
    raise KeyError(function)


def make_submission(kind: str, assignment: str, notebook: str,
                    solutions: Path = REPO_ROOT / "solutions",
                    released: Path = REPO_ROOT / "assignments") -> nbformat.NotebookNode:
    """One synthetic submission of ``kind`` (see :data:`KINDS`)."""
    if kind == "stub":
        return nbformat.read(released / assignment / f"{notebook}.ipynb", as_version=4)
    nb = nbformat.read(solutions / assignment / f"{notebook}.ipynb", as_version=4)
    if kind == "mistakes":
        for wrong in MISTAKES[assignment]:
            replace_answer(nb, wrong.function, wrong.body)
    elif kind == "hostile":
        liar, hang = HOSTILE[assignment]
        first = _answer_cells(nb)[0]
        first.source = _PATCH_NUMPY + "\n" + first.source
        replace_answer(nb, liar, _LIE.format(arg=_first_argument(nb, liar)))
        replace_answer(nb, hang, _HANG)
    elif kind != "correct":
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    return nb


def write_class(submitted: Path, course: Course, students: dict[str, str],
                assignments: list[str] | None = None,
                solutions: Path = REPO_ROOT / "solutions",
                released: Path = REPO_ROOT / "assignments") -> list[Path]:
    """Write ``submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb`` for ``students`` (id -> kind).

    Each (notebook, kind) is made once and written for every student of that kind.
    """
    written, texts = [], {}
    for spec in course.assignments:
        if assignments is not None and spec.id not in assignments:
            continue
        for student, kind in students.items():
            folder = submitted / student / spec.id
            folder.mkdir(parents=True, exist_ok=True)
            for notebook in spec.notebooks:
                key = (spec.id, notebook.name, kind)
                if key not in texts:
                    texts[key] = nbformat.writes(make_submission(kind, spec.id, notebook.name, solutions, released))
                path = folder / f"{notebook.name}.ipynb"
                path.write_text(texts[key], encoding="utf-8")
                written.append(path)
    return written
