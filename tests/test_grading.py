"""The grading engine on small synthetic notebooks: scores, feedback, named mistakes, hostile code.

Notebooks are built with nbformat from the solution notebooks' answer cells, with one or
more answers replaced. The sandbox itself is tested in test_sandbox.py; here the question
is whether a whole notebook is *graded* fairly: right score, useful feedback, no hidden
numbers, and nothing a submission does escapes grade_notebook.
"""
from __future__ import annotations

import dataclasses
import json
import re
import sys
import textwrap
import time
import uuid
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.course.cases import submission_key
from autograder.checks.compare import as_tree
from autograder.grading.pipeline import (
    default_course, grade_notebook, grade_path, graded_sources, plan, score_question, submission_of,
)
from autograder.sandbox.confine import landlock_abi
from autograder.questions import QUESTIONS
from autograder.grading.results import SubmissionResult
from autograder.sandbox import CallOutcome, Sandbox
sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
COURSE = default_course()
A1, A2 = "a1_activations", "a2_feedforward"
SUBMISSION = submission_key([])  # the cases of one submission, for the tests that score answers in process
needs_landlock = pytest.mark.skipif(
    landlock_abi() < 1, reason="Landlock is not available on this kernel (filesystem confinement untested)")


def course_with(**limits):
    """The course with some limits changed (the engine runs every submission under course.limits)."""
    return dataclasses.replace(COURSE, limits=dataclasses.replace(COURSE.limits, **limits))


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(COURSE.limits) as sb:
        yield sb


# --------------------------------------------------------------------------- building notebooks
def _read(kind: str, assignment: str) -> nbformat.NotebookNode:
    name = COURSE.assignment(assignment).notebooks[0].name
    return nbformat.read(str(REPO / kind / assignment / f"{name}.ipynb"), as_version=4)


def _answers(assignment: str) -> dict[str, str]:
    """function name -> source of its answer cell in the solution notebook."""
    out = {}
    for cell in _read("solutions", assignment).cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            out[re.search(r"^def (\w+)\(", cell.source, re.M).group(1)] = cell.source
    return out


def _setup_cells(assignment: str) -> list[str]:
    nb = _read("solutions", assignment)
    return [c.source for c in nb.cells if c.cell_type == "code" and "setup" in c.metadata.get("tags", [])]


ANSWERS = {A1: _answers(A1), A2: _answers(A2)}
A2_HELPERS = next(s for s in _setup_cells(A2) if "def softmax" in s)  # the given sigmoid/softmax


def make_notebook(answers, setup=("import numpy as np",)) -> nbformat.NotebookNode:
    """A setup-tagged cell per ``setup`` source, then one nbgrader answer cell per answer.

    Between answers sits an ordinary (ungraded) cell that would crash and a markdown cell:
    neither is part of what is graded.
    """
    nb = nbformat.v4.new_notebook()
    for source in setup:
        nb.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(source), metadata={"tags": ["setup"]}))
    for index, source in enumerate(answers):
        nb.cells.append(nbformat.v4.new_markdown_cell(f"## Question {index + 1}"))
        nb.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(source), metadata={"nbgrader": {
            "solution": True, "grade": False, "locked": False, "grade_id": f"answer_{index}",
            "schema_version": 3}}))
        nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('an ungraded scratch cell')"))
    return nb


def notebook(assignment: str, *extra_first, extra_last=(), **overrides) -> nbformat.NotebookNode:
    """The solution's answers with some replaced (name=source) or dropped (name=None)."""
    answers = dict(ANSWERS[assignment])
    for name, source in overrides.items():
        assert name in answers, name
        answers[name] = source
    sources = [*extra_first, *(s for s in answers.values() if s is not None), *extra_last]
    setup = ("import numpy as np",) if assignment == A1 else ("import numpy as np", A2_HELPERS)
    return make_notebook(sources, setup)


def grade(nb, assignment: str = A1, student: str = "alice", *, sandbox, course=COURSE) -> SubmissionResult:
    result = grade_notebook(nb, assignment, student, course=course, sandbox=sandbox)
    assert isinstance(result, SubmissionResult)
    assert [q.id for q in result.questions] == [q.id for q in COURSE.assignment(assignment).questions]
    return result


def points(assignment: str) -> dict[str, float]:
    return {q.id: q.points for q in COURSE.assignment(assignment).questions}


def full(result, qid: str) -> bool:
    q = result.question(qid)
    return q.score == q.max_score and q.passed == q.total > 0


def all_text(result: SubmissionResult) -> str:
    return "\n".join([result.error or ""] + [q.feedback for q in result.questions])


def message(qid: str, mistake: str) -> str:
    return next(m.message for m in QUESTIONS[qid].mistakes if m.name == mistake)


# --------------------------------------------------------------------------- full marks and zero
@pytest.mark.parametrize("assignment", [A1, A2])
def test_solution_notebook_gets_full_marks(sandbox, assignment):
    result = grade(_read("solutions", assignment), assignment, sandbox=sandbox)
    pts = points(assignment)
    assert result.error is None
    assert result.score == result.max_score == sum(pts.values())
    for q in result.questions:
        n = len(plan(COURSE, assignment, "alice", [s for s in COURSE.assignment(assignment).questions
                                                     if s.id == q.id], submission=SUBMISSION))
        assert q.passed == q.total == n > 0
        assert q.feedback == f"{q.id}: {n}/{n} checks passed, {pts[q.id]:g} of {pts[q.id]:g} points."


def test_synthetic_notebook_of_solution_cells_gets_full_marks_and_ungraded_cells_are_not_run(sandbox):
    nb = notebook(A1)
    sources = graded_sources(nb)
    assert len(sources) == 1 + len(ANSWERS[A1]) and not any("scratch cell" in s for s in sources)
    result = grade(nb, sandbox=sandbox)
    assert result.score == result.max_score and result.error is None
    assert "failed" not in all_text(result) and "error" not in all_text(result)


@pytest.mark.parametrize("assignment", [A1, A2])
def test_released_stub_scores_zero_and_says_not_implemented(sandbox, assignment):
    result = grade(_read("assignments", assignment), assignment, sandbox=sandbox)
    assert result.error is None
    assert result.score == 0 and result.max_score == sum(points(assignment).values())
    for q in result.questions:
        assert q.score == 0 and q.passed == 0 and q.total > 0
        assert "not implemented yet" in q.feedback, q.feedback


def test_grading_is_deterministic_per_student_and_differs_between_students(sandbox):
    nb = notebook(A1, sigmoid="def sigmoid(z):\n    return np.asarray(z) * 0.25 + 0.5\n")
    first = grade(nb, student="bob", sandbox=sandbox)
    again = grade(nb, student="bob", sandbox=sandbox)
    assert first == again
    specs = COURSE.assignment(A1).questions
    mine = plan(COURSE, A1, "bob", specs, submission=submission_of(nb))
    theirs = plan(COURSE, A1, "carol", specs, submission=submission_of(nb))
    randoms = [(a, b) for a, b in zip(mine, theirs) if a.case.label == "random"]
    assert randoms and not any(_same_args(a.case.args, b.case.args) for a, b in randoms)


def _same_args(a, b) -> bool:
    """Two cases' arguments equal (nested tuples and lists of arrays and numbers)."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same_args(x, y) for x, y in zip(a, b))
    return np.shape(a) == np.shape(b) and bool(np.array_equal(a, b))


BROKEN_FILES = {
    "not JSON": b"{ this is not a notebook",
    "empty": b"",
    "not UTF-8": b"\xff\xfe\x00garbage",
    "a JSON list": b"[1, 2, 3]",
    "cells not a list": b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": {"a": 1}}',
    "odd cells": json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        1, None, {"cell_type": "code"}, {"cell_type": "code", "metadata": [], "source": "def sigmoid(z): return z"},
        {"cell_type": "code", "metadata": {"nbgrader": "yes", "tags": "setup"}, "source": ["x", 3]},
        {"cell_type": "code", "metadata": {"nbgrader": {"solution": True}}, "source": 42}]}).encode(),
    "nbformat 99": b'{"nbformat": 99, "nbformat_minor": 0, "metadata": {}, "cells": []}',
}


@pytest.mark.parametrize("name", list(BROKEN_FILES))
def test_broken_notebook_files_are_a_graded_zero_with_a_reason(sandbox, tmp_path, name):
    path = tmp_path / "activations.ipynb"
    path.write_bytes(BROKEN_FILES[name])
    result = grade_path(path, A1, "mallory", course=COURSE, sandbox=sandbox)
    assert isinstance(result, SubmissionResult) and result.score == 0
    assert [q.id for q in result.questions] == [q.id for q in COURSE.assignment(A1).questions]
    assert all(q.passed == 0 and "failed on" in q.feedback for q in result.questions)
    if name not in ("odd cells",):
        assert "could not be read" in result.error


# --------------------------------------------------------------------------- named mistakes in real code
MISTAKEN_CODE = [
    (A1, "sigmoid", "sign of the exponent", "check the sign inside the exponential", """
        def sigmoid(z):
            return 1.0 / (1.0 + np.exp(z))
        """),
    (A1, "softmax", "unstable softmax", "subtract each row's maximum", """
        def softmax(Z):
            E = np.exp(Z)
            return E / E.sum(axis=1, keepdims=True)
        """),
    (A1, "leaky_relu", "wrong leaky slope", "(slope=0.1), not 0.01", """
        def leaky_relu(z, slope=0.1):
            return np.where(z > 0, z, 0.01 * z)
        """),
    (A1, "leaky_relu_prime", "wrong leaky slope", "0.01 whatever the slope argument", """
        def leaky_relu_prime(z, slope=0.1):
            return np.where(z > 0, 1.0, 0.01)
        """),
    (A1, "relu_prime", "derivative 1 at z = 0", "the course takes ReLU'(0) = 0", """
        def relu_prime(z):
            return (z >= 0).astype(float)
        """),
    (A1, "softmax_jacobian", "diagonal only", "the off-diagonal entries", """
        def softmax_jacobian(a):
            return np.diag(a * (1 - a))
        """),
    (A1, "maxout", "forgot the biases", "add the biases", """
        def maxout(X, W1, b1, W2, b2):
            return np.maximum(X @ W1.T, X @ W2.T)
        """),
    (A2, "forward", "sigmoid output", "not sigmoid", """
        def forward(X, params):
            A = X
            for W, b in params:
                A = sigmoid(A @ W.T + b)
            return A
        """),
    (A2, "param_count", "forgot the biases", "you counted only the weights", """
        def param_count(sizes):
            return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        """),
    (A2, "layer_shapes", "W as (n_in, n_out)", "W has shape (n_out, n_in)", """
        def layer_shapes(sizes):
            return [((a, b), (b,)) for a, b in zip(sizes[:-1], sizes[1:])]
        """),
    (A2, "dense_forward", "forgot the bias", "your result has no bias", """
        def dense_forward(X, W, b):
            return X @ W.T
        """),
]


@pytest.mark.parametrize("assignment, qid, mistake, fragment, code", MISTAKEN_CODE,
                         ids=[f"{q}-{m}" for _, q, m, _, _ in MISTAKEN_CODE])
def test_known_mistake_in_real_code_is_named(sandbox, assignment, qid, mistake, fragment, code):
    result = grade(notebook(assignment, **{qid: code}), assignment, sandbox=sandbox)
    q = result.question(qid)
    assert q.score < q.max_score and q.passed < q.total
    assert fragment in message(qid, mistake)
    assert f"Recognised mistake: {message(qid, mistake)}" in q.feedback, q.feedback
    # questions that do not use the mistaken function keep their marks
    untouched = {"sigmoid": [], "softmax": ["relu", "maxout"], "forward": ["dense_forward", "param_count"]}
    for other in untouched.get(qid, ["sigmoid" if assignment == A1 else "forward"]):
        assert full(result, other), result.question(other).feedback
    assert result.error is None


_SPECS = {q.id: (a.id, q) for a in COURSE.assignments for q in a.questions}
REGISTRY_MISTAKES = [(qid, m.name) for qid, question in QUESTIONS.items() for m in question.mistakes]


def test_every_registered_question_is_in_the_course_and_has_a_named_mistake_list():
    assert set(QUESTIONS) == set(_SPECS)
    assert len(REGISTRY_MISTAKES) >= 100


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("qid, name", REGISTRY_MISTAKES, ids=[f"{q}-{n}" for q, n in REGISTRY_MISTAKES])
def test_every_registered_mistake_is_named_when_it_costs_marks(qid, name):
    """Feed each mistake's own output to score_question as if a student's code returned it."""
    assignment, spec = _SPECS[qid]
    mistake = next(m for m in QUESTIONS[qid].mistakes if m.name == name)
    detected = 0
    for student in ("s0", "s1", "s2", "s3", "s4"):
        planned = plan(COURSE, assignment, student, [spec], submission=SUBMISSION)
        outcomes = []
        for p in planned:
            try:
                with np.errstate(all="ignore"):
                    outcomes.append(CallOutcome("ok", as_tree(mistake.fn(*p.case.args)), ""))
            except Exception as error:  # the variant does not apply to these inputs
                outcomes.append(CallOutcome("error", None, "raised", error_type=type(error).__name__))
        result = score_question(spec, planned, outcomes, COURSE.limits.call_timeout_s)
        if result.passed < result.total:
            detected += 1
            assert result.score < spec.points
            assert f"Recognised mistake: {mistake.message}" in result.feedback, result.feedback
    assert detected, "the mistake matches the reference on every hidden case of five students"


def test_unstable_softmax_in_forward_is_caught_for_every_student():
    assignment, spec = _SPECS["forward"]
    mistake = next(m for m in QUESTIONS["forward"].mistakes if m.name == "unstable softmax")
    for k in range(60):
        planned = plan(COURSE, assignment, f"s{k}", [spec], submission=SUBMISSION)
        outcomes = [CallOutcome("ok", as_tree(mistake.fn(*p.case.args)), "") for p in planned]
        assert score_question(spec, planned, outcomes, 5).score < spec.points, f"student s{k}"


# --------------------------------------------------------------------------- partial credit
def test_partial_credit_for_a_function_wrong_on_one_edge_case(sandbox):
    code = """
    def sigmoid(z):
        z = np.asarray(z, dtype=np.float64)
        if not z.any():
            return z            # wrong on all-zero input only
        return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
    """
    result = grade(notebook(A1, sigmoid=code), sandbox=sandbox)
    q = result.question("sigmoid")
    assert q.passed == q.total - 1
    assert q.score == round((q.total - 1) / q.total, 4) and 0 < q.score < 1
    assert "failed on zeros:" in q.feedback and "failed on random" not in q.feedback


def test_no_partial_credit_where_the_course_says_so(sandbox):
    param_count = """
    def param_count(sizes):
        if list(sizes) == [1, 1]:
            return 1            # wrong on the one-layer edge case only
        return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    """
    dense_forward = """
    def dense_forward(X, W, b):
        if X.shape[0] == 1:
            return X @ W.T      # wrong on m = 1 only
        return X @ W.T + b
    """
    result = grade(notebook(A2, param_count=param_count, dense_forward=dense_forward), A2, sandbox=sandbox)
    specs = {s.id: s for s in COURSE.assignment(A2).questions}
    assert specs["param_count"].partial_credit is False and specs["dense_forward"].partial_credit is True
    pc = result.question("param_count")
    assert pc.passed == pc.total - 1 and pc.score == 0, pc
    assert "failed on one layer:" in pc.feedback
    dense = result.question("dense_forward")
    assert dense.passed == dense.total - 1 and dense.score == round(2 * (dense.total - 1) / dense.total, 4)
    assert full(result, "layer_shapes") and full(result, "forward")
    others = sum(p for qid, p in points(A2).items() if qid not in ("param_count", "dense_forward"))
    assert result.score == pytest.approx(others + dense.score)


# --------------------------------------------------------------------------- no hidden values in feedback
def assert_no_hidden_numbers(text: str, assignment: str, student: str, submission: str) -> None:
    leaked = wc.leaked_hidden_numbers(text, COURSE, assignment, student, submission)
    assert not leaked, f"hidden numbers in feedback: {leaked[:5]}\n{text}"


WRONG = {
    A1: dict(
        sigmoid="def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(z))\n",  # a named mistake
        sigmoid_prime="def sigmoid_prime(z):\n    return np.asarray(z) * 0.731 + 0.25\n",
        tanh="def tanh(z):\n    return np.tanh(np.asarray(z)).T * 1.5\n",  # shape and values
        tanh_prime="def tanh_prime(z):\n    return np.full(np.shape(z), np.nan)\n",
        relu="def relu(z):\n    raise ValueError(f'bad input {z} {z.sum()!r} {z.ravel()[0]:.4g} {z.tolist()}')\n",
        relu_prime="def relu_prime(z):\n    return [float(v) for v in np.ravel(z)]\n",
        leaky_relu="def leaky_relu(z, slope=0.1):\n    return np.where(z > 0, z, 0.01 * z)\n",
        leaky_relu_prime="def leaky_relu_prime(z, slope=0.1):\n    return np.asarray(z) ** 2\n",
        maxout="def maxout(X, W1, b1, W2, b2):\n    return X @ W1.T * 0.5 + b2 * 1.5\n",
        softmax="def softmax(Z):\n    raise ArithmeticError(repr(Z) + str(np.exp(Z).sum()))\n",
        softmax_jacobian="def softmax_jacobian(a):\n    return np.outer(a, a) * 1.7\n",
        numerical_gradient="def numerical_gradient(f, x, h=1e-5):\n    return np.asarray(x) * 1.3 + f(x)\n",
    ),
    A2: dict(
        layer_shapes="def layer_shapes(sizes):\n    return [((a, b), (b,)) for a, b in zip(sizes[:-1], sizes[1:])]\n",
        param_count="def param_count(sizes):\n    return float(sum(sizes)) * 1.37\n",
        dense_forward="def dense_forward(X, W, b):\n    return X @ W.T * 0.9 + b\n",
        forward="def forward(X, params):\n    raise ValueError(f'{X} {params} {X.mean()}')\n",
        param_count_maxout="def param_count_maxout(sizes, k):\n    return int(sum(sizes) * k) + 1\n",
        to_course_convention="def to_course_convention(params_004):\n    return [(W * 1.1, b) for W, b in params_004]\n",
        forward_004="def forward_004(X, params_004):\n    raise ValueError(f'{X} {params_004[0][0]}')\n",
    ),
}


@pytest.mark.parametrize("assignment", [A1, A2])
def test_feedback_never_contains_hidden_inputs_or_expected_values(sandbox, assignment):
    nb = notebook(assignment, **WRONG[assignment])
    result = grade(nb, assignment, "dave", sandbox=sandbox)
    assert all(q.passed < q.total for q in result.questions), result
    text = all_text(result)
    assert "Recognised mistake" in text  # the wrong answers produced value-level feedback
    assert_no_hidden_numbers(text, assignment, "dave", submission_of(nb))


def test_exception_message_echoing_the_input_is_withheld(sandbox):
    result = grade(notebook(A1, **WRONG[A1]), A1, "dave", sandbox=sandbox)
    relu = result.question("relu").feedback
    assert "ValueError" in relu and "bad input" not in relu and "not shown for hidden cases" in relu
    softmax = result.question("softmax").feedback
    assert "ArithmeticError" in softmax
    for fb in (relu, softmax):
        assert not re.search(r"\d\.\d|\de[-+]?\d", fb.split("\n", 1)[1]), fb


def test_failure_messages_read_naturally(sandbox):
    nb = notebook(A1, relu="def relu(z):\n    raise KeyError('oops')\n",
                  relu_prime="def relu_prime(z):\n    return None\n", tanh=None)
    result = grade(nb, sandbox=sandbox)
    relu, relu_prime, tanh = (result.question(q).feedback for q in ("relu", "relu_prime", "tanh"))
    assert ": relu raised KeyError." in relu and "oops" not in relu and "line" not in relu, relu
    assert ": relu_prime returned None, expected a numeric array" in relu_prime, relu_prime
    assert ": function 'tanh' is not defined" in tanh, tanh
    assert "raised relu" not in relu and "raised relu_prime" not in relu_prime and "raised function" not in tanh


def test_the_type_a_hidden_call_returns_is_not_echoed(sandbox):
    """Choosing among str, dict, set, ... could carry a hidden input out: one description for all."""
    chooser = ("def relu(z):\n"
               "    return [str(z), dict(), set(), b'', 1j, range(3)][int(abs(np.asarray(z).sum()) * 1000) % 6]\n")
    result = grade(notebook(A1, relu=chooser), sandbox=sandbox)
    feedback = result.question("relu").feedback
    assert "not a number, an array" in feedback
    assert not re.search(r"\b(str|dict|set|bytes|complex|range)\b", feedback), feedback


def test_hidden_inputs_encoded_as_integers_are_not_echoed(sandbox):
    leak = "def dense_forward(X, W, b):\n    raise ValueError(' '.join(str(int(v * 10**5)) for v in X.ravel()))\n"
    nb = notebook(A2, dense_forward=leak)
    result = grade(nb, A2, "eve", sandbox=sandbox)
    feedback = result.question("dense_forward").feedback
    planned = [p for p in plan(COURSE, A2, "eve", COURSE.assignment(A2).questions, submission=submission_of(nb))
               if p.spec.id == "dense_forward"]
    encoded = {str(int(v * 10**5)) for p in planned for v in p.case.args[0].ravel() if abs(v) > 0.01}
    assert not [e for e in encoded if re.search(rf"(?<!\d){e}(?!\d)", feedback)], feedback


# --------------------------------------------------------------------------- noise is not a mistake
def test_warnings_and_printing_do_not_cost_marks(sandbox):
    noisy_setup = """
    import sys, warnings
    import matplotlib.pyplot as plt
    from IPython.display import display
    from checks import check
    print("hello from the setup cell")
    print("to stderr", file=sys.stderr)
    warnings.warn("a warning at top level")
    """
    noisy_tanh = """
    import sys, warnings
    def tanh(z):
        print("computing tanh of", z)
        print("debug", file=sys.stderr)
        warnings.warn("careful")
        warnings.warn("deprecated", DeprecationWarning)
        np.exp(np.array([1000.0]))                        # RuntimeWarning: overflow
        np.log(np.array([0.0]))                           # RuntimeWarning: divide by zero
        with np.errstate(all="raise"):
            pass
        return np.tanh(np.asarray(z, dtype=np.float64))
    check("tanh", tanh)
    plt.plot([1, 2], [3, 4]); plt.show(); display(tanh(np.zeros(2)))
    """
    # tanh's notebook promises finite values, not silence: its warnings cost nothing
    result = grade(notebook(A1, noisy_setup, tanh=noisy_tanh), sandbox=sandbox)
    assert result.error is None
    assert result.score == result.max_score, all_text(result)


NAIVE_SIGMOID = "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"


@pytest.mark.parametrize("student", ["alice", "bob", "carol"])
def test_a_warning_where_the_notebook_promises_none_is_advice_worth_no_points(sandbox, student):
    """sigmoid should return finite values *without warnings* for z = +-1000: the naive form
    is finite there (1 / inf = 0) but overflows with a RuntimeWarning. A warning changes no
    value and only the run can report it, so it costs nothing and is advised
    (docs/design.md, "What a run says about itself")."""
    result = grade(notebook(A1, sigmoid=NAIVE_SIGMOID), student=student, sandbox=sandbox)
    q = result.question("sigmoid")
    assert q.passed == q.total and q.score == q.max_score
    assert "Advice (no points): on large |z| your function emitted a RuntimeWarning" in q.feedback
    assert q.feedback.count("RuntimeWarning") == 1 and q.mistakes == []
    assert full(result, "tanh") and full(result, "softmax")


GD_IN_PLACE = """
def gd_step(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params
"""


def test_modifying_the_arguments_where_the_notebook_forbids_it_is_a_named_failure(sandbox):
    """gd_step must return NEW arrays and leave its arguments alone; W -= lr * dW computes
    the right values but modifies the caller's parameters, so the second call on the same
    arguments starts from the changed ones and goes wrong."""
    nb = make_notebook([GD_IN_PLACE])
    result = grade_notebook(nb, "a3_two_layer", "alice", course=COURSE, sandbox=sandbox)
    q = result.question("gd_step")
    assert q.passed <= 2 and q.score < q.max_score, q.feedback  # only the zero-step cases keep them unchanged
    assert "modified the arrays it was given" in q.feedback
    assert [m["id"] for m in q.mistakes] == ["mutated-input"]


# --------------------------------------------------------------------------- hostile notebooks
def test_course_limits_govern_the_run_and_the_timeout_message(sandbox):
    """The sandbox was built with 5 s call timeouts; the course passed in says 0.3 s."""
    slow = """
    import time
    def dense_forward(X, W, b):
        if X.shape[0] == 1:
            time.sleep(2)
        return X @ W.T + b
    """
    t0 = time.monotonic()
    result = grade(notebook(A2, dense_forward=slow), A2, sandbox=sandbox,
                   course=course_with(call_timeout_s=0.3))
    assert time.monotonic() - t0 < 1.9
    q = result.question("dense_forward")
    # a function that hung once is not called again (one hang costs one question)
    assert q.score == 0 and "failed on m = 1" in q.feedback and "took longer than 0.3 s" in q.feedback
    assert full(result, "forward") and full(result, "param_count")


def test_infinite_loop_in_one_function_times_out_only_that_question(sandbox):
    spin = """
    def dense_forward(X, W, b):
        while True:
            pass
    """
    t0 = time.monotonic()
    result = grade(notebook(A2, dense_forward=spin), A2, sandbox=sandbox,
                   course=course_with(call_timeout_s=0.2, submission_timeout_s=20))
    assert time.monotonic() - t0 < 10
    q = result.question("dense_forward")
    assert q.score == 0 and "took longer than 0.2 s and was stopped" in q.feedback
    assert all(full(result, other) for other in ("layer_shapes", "param_count", "forward"))
    assert result.error is None


def test_infinite_loop_at_top_level_stops_at_the_submission_timeout(sandbox):
    t0 = time.monotonic()
    result = grade(notebook(A1, extra_last=["while True:\n    pass\n"]), sandbox=sandbox,
                   course=course_with(submission_timeout_s=1.0))
    assert time.monotonic() - t0 < 8
    assert result.score == 0 and "did not finish within 1 s" in result.error
    assert all(q.passed == 0 and "did not finish" in q.feedback for q in result.questions)


def test_memory_bombs_cost_only_their_question(sandbox):
    top_level = """
    big = []
    try:
        while True:
            big.append(bytearray(10**8))
    finally:
        big = None
    """
    relu = """
    def relu(z):
        return np.ones(10**10) * 0 + np.maximum(0, z)
    """
    result = grade(notebook(A1, top_level, "huge = np.ones(10**11)\n", relu=relu), sandbox=sandbox)
    q = result.question("relu")
    assert q.score == 0 and "memory" in q.feedback
    assert result.score == result.max_score - 1, all_text(result)


def test_sys_exit_at_top_level_and_in_a_function_is_an_ordinary_error(sandbox):
    relu = """
    import sys
    def relu(z):
        sys.exit(0)
    """
    result = grade(notebook(A1, "import sys\nsys.exit(0)\n", relu=relu,
                            extra_last=["import sys\nsys.exit(1)\n"]), sandbox=sandbox)
    assert result.error is None
    q = result.question("relu")
    assert q.score == 0 and "SystemExit" in q.feedback
    assert result.score == result.max_score - 1, all_text(result)


def test_os_exit_at_top_level_scores_zero_with_a_reason(sandbox):
    result = grade(notebook(A1, "import os\nos._exit(0)\n"), sandbox=sandbox)
    assert result.score == 0 and "exited early" in result.error
    assert all(q.passed == 0 and q.feedback.count("\n") >= 1 for q in result.questions)


@pytest.mark.parametrize("crash, reason", [
    ("import os\n    os._exit(0)", "exited early"),
    ("import ctypes\n    ctypes.string_at(0)", "segmentation fault"),
], ids=["os._exit", "segfault"])
def test_crash_inside_a_function_costs_only_its_own_question(sandbox, crash, reason):
    relu = f"def relu(z):\n    {crash}\n"
    result = grade(notebook(A1, relu=relu), sandbox=sandbox)
    assert reason in result.error and "relu" in result.error
    q = result.question("relu")
    assert q.score == 0 and q.passed == 0 and reason in q.feedback
    for other in result.questions:  # the calls after the crash run again in a fresh worker
        if other.id not in ("relu", "relu_prime", "leaky_relu", "leaky_relu_prime"):
            assert full(result, other.id), other.feedback
    assert result.score == result.max_score - 1


def test_segfault_at_top_level_scores_zero_with_a_reason(sandbox):
    result = grade(notebook(A1, extra_last=["import ctypes\nctypes.string_at(0)\n"]), sandbox=sandbox)
    assert result.score == 0 and "segmentation fault" in result.error


def test_monkeypatched_numpy_and_fake_comparison_helpers_do_not_help(sandbox):
    cheat = """
    import numpy as np, builtins
    np.allclose = lambda *a, **k: True
    np.isclose = lambda *a, **k: np.ones(1, dtype=bool)
    np.array_equal = lambda *a, **k: True
    np.testing.assert_allclose = lambda *a, **k: None
    def compare(*a, **k): return True
    def check(*a, **k): return True
    def matches(*a, **k): return True
    as_tree = lambda x: x
    builtins.compare = compare
    """
    wrong = "def sigmoid(z):\n    return np.asarray(z) * 0.0 + 0.25\n"
    result = grade(notebook(A1, cheat, sigmoid=wrong), sandbox=sandbox)
    q = result.question("sigmoid")
    assert q.score == 0 < q.total - q.passed
    assert full(result, "relu") and full(result, "softmax")  # patched numpy does not hurt others


def test_ndarray_subclass_with_lying_eq_and_array_is_scored_on_its_data(sandbox):
    liar = """
    class Liar(np.ndarray):
        def __eq__(self, other): return True
        def __ne__(self, other): return False
        def __array__(self, *a, **k): return np.asarray(getattr(self, "shown", np.zeros(self.shape)))
        def tolist(self): return [42.0]
        def __float__(self): return 0.5
    """
    sigmoid = """
    def sigmoid(z):
        z = np.asarray(z, dtype=np.float64)
        return (1 / (1 + np.exp(-np.clip(z, -500, 500)))).view(Liar)   # right data, lying shell
    """
    tanh = """
    def tanh(z):
        out = np.full(np.shape(z), 0.25).view(Liar)                   # wrong data ...
        out.shown = np.tanh(z)                                        # ... that claims to be right
        return out
    """
    result = grade(notebook(A1, liar, sigmoid=sigmoid, tanh=tanh, tanh_prime=None), sandbox=sandbox)
    assert full(result, "sigmoid")
    q = result.question("tanh")
    assert q.score == 0, q.feedback


def test_object_with_malicious_reduce_is_never_unpickled(sandbox, tmp_path):
    marker = tmp_path / f"unpickled-{uuid.uuid4().hex}"
    evil = f"""
    import os
    class Evil:
        def __reduce__(self):
            return (os.system, ("touch {marker}",))
    class EvilFloat(float):
        def __reduce__(self):
            return (os.system, ("touch {marker}",))
    def relu(z):
        return Evil()
    def relu_prime(z):
        return [EvilFloat(1.0)] * np.size(z)
    """
    result = grade(notebook(A1, evil, relu=None, relu_prime=None), sandbox=sandbox)
    assert not marker.exists() and not Path(marker.name).exists()
    relu, relu_prime = result.question("relu"), result.question("relu_prime")
    assert relu.score == 0 and "not a number, an array" in relu.feedback and "Evil" not in relu.feedback
    assert relu_prime.score == 0 and "EvilFloat" not in relu_prime.feedback
    assert result.score == result.max_score - 2


@needs_landlock
def test_reading_and_writing_outside_the_submission_fails(sandbox, tmp_path):
    target = tmp_path / f"written-{uuid.uuid4().hex}.txt"
    reference = REPO / "nn_core" / "activations.py"
    assert reference.exists()
    cheat = f"""
    def sigmoid(z):
        source = open({str(reference)!r}).read()          # the reference implementation
        namespace = {{}}
        exec(compile(source, "ref", "exec"), namespace)
        return namespace["sigmoid"](z)
    def relu(z):
        open("/etc/passwd").read()
        return np.maximum(0.0, z)
    def relu_prime(z):
        with open({str(target)!r}, "w") as fh:
            fh.write("pwned")
        return (np.asarray(z) > 0).astype(float)
    """
    top_level = f"open({str(target)!r}, 'w').write('pwned at top level')\n"
    result = grade(notebook(A1, top_level, cheat, sigmoid=None, relu=None, relu_prime=None), sandbox=sandbox)
    assert not target.exists()
    for qid in ("sigmoid", "relu", "relu_prime"):
        q = result.question(qid)
        # denied (Landlock, permissions) or absent from the run's own filesystem (namespaces)
        assert q.score == 0 and any(e in q.feedback for e in ("PermissionError", "FileNotFoundError", "OSError")), \
            q.feedback
    assert full(result, "tanh") and full(result, "softmax")


def test_huge_output_is_graded_normally(sandbox):
    loud = """
    import sys
    print("x" * (100 * 2**20))
    def sigmoid(z):
        sys.stdout.write("y" * (4 * 2**20))
        z = np.asarray(z, dtype=np.float64)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    """
    result = grade(notebook(A1, loud, sigmoid=None), sandbox=sandbox)
    assert result.error is None and result.score == result.max_score, all_text(result)
