"""Questions whose student function takes a FUNCTION (a1's numerical_gradient), graded through
an adapter (autograder/checks/adapters.py): only data crosses into the sandbox, the adapter runs after
the student's cells and cannot be shadowed by them, the expected values come from nn_core, a
checker that does not differentiate f fails, and checks.py's check() applies the same adapter."""
from __future__ import annotations

import dataclasses
import importlib.util
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.course.cases import submission_key
from autograder.checks import adapters
from autograder.checks.compare import leaves
from autograder.grading.pipeline import adapter_cells, default_course, grade_sources, graded_sources, plan, read_notebook
from autograder.questions import QUESTIONS

REPO = Path(__file__).resolve().parents[1]
A1 = "a1_activations"
COURSE = default_course()
SPEC = next(q for q in COURSE.assignment(A1).questions if q.id == "numerical_gradient")
QUESTION = QUESTIONS["numerical_gradient"]
SUBMISSION = submission_key([])  # the cases of one submission, for the tests that need no sandbox

CENTRAL = """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad
"""


@pytest.fixture(scope="module")
def sandbox():
    from autograder.sandbox import Sandbox

    with Sandbox(COURSE.limits) as box:
        yield box


def _graded(sandbox, *cells: str, student: str = "alice"):
    sources = ["import numpy as np", *(textwrap.dedent(cell) for cell in cells)]
    result, run = grade_sources(sandbox, sources, A1, student, [SPEC], COURSE)
    return result.questions[0], run


# --------------------------------------------------------------------------- only data crosses
def test_the_cases_of_a_function_argument_question_are_plain_data():
    for p in plan(COURSE, A1, "alice", [SPEC], submission=SUBMISSION):
        for leaf in leaves(p.case.args):
            assert isinstance(leaf, (np.ndarray, int, float)) and not callable(leaf), p.case.label


def test_the_adapter_cell_is_the_same_for_every_student_and_holds_no_case():
    """Nothing of a student's hidden cases, let alone an expected value, is in the code the
    grader appends: it is a function of the question alone."""
    cells = adapter_cells([SPEC])
    assert len(cells) == 1 and adapter_cells([SPEC]) == cells
    assert adapter_cells([q for q in COURSE.assignment(A1).questions if q.id != "numerical_gradient"]) == []
    expected = plan(COURSE, A1, "alice", [SPEC], submission=SUBMISSION)[0].expected
    assert np.array2string(np.ravel(expected)[:1], precision=6)[1:-1].strip() not in cells[0]


# --------------------------------------------------------------------------- the adapter runs last
def test_the_adapter_runs_after_the_students_cells_and_their_names_cannot_shadow_it(sandbox):
    shadowing = """
    ADAPTERS = TEST_FUNCTIONS = make_test_function = _autograder_adapt = None
    def adapted(*args):
        raise RuntimeError("not the autograder's adapter")
    """
    result, run = _graded(sandbox, shadowing, CENTRAL)
    assert result.score == result.max_score, result.feedback
    assert len(run.cells) == 3 + 1 and all(cell.ok for cell in run.cells)  # the adapter is the last cell


def test_a_function_defined_in_the_last_cell_is_the_one_adapted(sandbox):
    wrong_first = CENTRAL.replace("(2 * h)", "h")
    result, _ = _graded(sandbox, wrong_first, CENTRAL)
    assert result.score == result.max_score, result.feedback


def test_the_students_other_functions_calling_their_own_checker_reach_it_unchanged(sandbox):
    """Issue 26: the adapter re-binds the checker's name after the student's cells; a graded
    function of theirs that calls numerical_gradient(f, x) must see their checker, not a TypeError."""
    relu_prime = next(q for q in COURSE.assignment(A1).questions if q.id == "relu_prime")
    uses_checker = """
    def relu_prime(z):
        assert numerical_gradient(lambda v: float(np.sum(v)), np.zeros(2)).shape == (2,)
        assert numerical_gradient(f=lambda v: 0.0, x=np.ones(1), h=1e-3).shape == (1,)
        return (np.asarray(z) > 0).astype(float)
    """
    sources = ["import numpy as np", textwrap.dedent(CENTRAL), textwrap.dedent(uses_checker)]
    result, _ = grade_sources(sandbox, sources, A1, "alice", [SPEC, relu_prime], COURSE)
    assert [(q.score, q.max_score) for q in result.questions] == [(q.points, q.points) for q in (SPEC, relu_prime)], \
        [q.feedback for q in result.questions]
    student = lambda f, x, h=1e-5: ("the student's", h)  # noqa: E731
    adapted = adapters.ADAPTERS["function_and_array"].wrap(student)
    assert adapted(np.sin, np.zeros(1)) == adapted(f=np.sin, x=np.zeros(1)) == ("the student's", 1e-5)


def test_a_missing_function_is_reported_under_its_own_name(sandbox):
    result, _ = _graded(sandbox, "x = 1")
    assert result.score == 0 and "function 'numerical_gradient' is not defined" in result.feedback


# --------------------------------------------------------------------------- expected values
def test_the_expected_values_come_from_nn_core(monkeypatch):
    from nn_core import gradcheck

    real = [p.expected for p in plan(COURSE, A1, "alice", [SPEC], submission=SUBMISSION)]
    monkeypatch.setattr(gradcheck, "numerical_gradient", lambda f, x, eps=gradcheck.STEP: np.full_like(x, 7.0))
    patched = [p.expected for p in plan(COURSE, A1, "alice", [SPEC], submission=SUBMISSION)]
    assert all(np.all(np.asarray(e) == 7.0) for e in patched)
    assert not any(np.all(np.asarray(e) == 7.0) for e in real)


def test_the_reference_never_modifies_a_cases_arrays():
    for p in plan(COURSE, A1, "bob", [SPEC], submission=SUBMISSION):
        before = [leaf.copy() for leaf in leaves(p.case.args) if isinstance(leaf, np.ndarray)]
        QUESTION.reference(*p.case.args)
        for mistake in QUESTION.mistakes:
            mistake.fn(*p.case.args)
        after = [leaf for leaf in leaves(p.case.args) if isinstance(leaf, np.ndarray)]
        assert all(np.array_equal(a, b) for a, b in zip(before, after)), p.case.label


# --------------------------------------------------------------------------- a checker must differentiate f
@pytest.mark.parametrize("body", [
    "return np.zeros_like(x)",                                            # ignores f
    "return np.ones(x.shape)",                                            # hard-coded
    "return np.array([0.5, -1.0, 2.0])",                                  # hard-coded, one shape
    "return np.cos(x)",                                                   # a derivative of its own choosing
    "g = lambda v: float(np.sum(v ** 2))\n    return " + "__import__('numpy').array([(g(x + h * e.reshape(x.shape)) "
    "- g(x - h * e.reshape(x.shape))) / (2 * h) for e in np.eye(x.size)]).reshape(x.shape)",  # another f
])
def test_a_checker_that_does_not_differentiate_f_fails(sandbox, body):
    code = f"def numerical_gradient(f, x, h=1e-5):\n    {body}\n"
    for student in ("alice", "bob"):
        result, _ = _graded(sandbox, code, student=student)
        assert result.score == 0, result.feedback


@pytest.mark.parametrize("copies, name", [("x, x", "x_plus = x is not a copy"),
                                           ("x, x.copy()", None)])
def test_a_checker_that_modifies_x_fails(sandbox, copies, name):
    mutating = CENTRAL.replace("plus, minus = x.copy(), x.copy()", f"plus, minus = {copies}")
    result, _ = _graded(sandbox, mutating)
    assert result.score < result.max_score, result.feedback
    if name:
        assert [m["id"] for m in result.mistakes] == [name], result.feedback


# --------------------------------------------------------------------------- the visible checks
@pytest.fixture(scope="module")
def checks():
    spec = importlib.util.spec_from_file_location("a1_checks", REPO / "solutions" / A1 / "checks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _student(source: str):
    namespace = {"np": np}
    exec(textwrap.dedent(source), namespace)
    return namespace["numerical_gradient"]


def test_checks_py_check_applies_the_adapter(checks, capsys):
    cases = REPO / "solutions" / A1 / "public_cases.json"
    checks.check("numerical_gradient", _student(CENTRAL), path=str(cases))
    assert "all 9 visible checks passed" in capsys.readouterr().out
    forward = CENTRAL.replace("(f(plus) - f(minus)) / (2 * h)", "(f(plus) - f(x)) / h")
    with pytest.raises(AssertionError, match="Recognised mistake: that is the one-sided difference") as failure:
        checks.check("numerical_gradient", _student(forward), path=str(cases))
    assert "f = " in str(failure.value) and "h = " in str(failure.value)  # the test function, as the student knows it
    with pytest.raises(AssertionError):
        checks.check("numerical_gradient", lambda f, x, h=1e-5: np.zeros_like(x), path=str(cases))


def test_checks_py_holds_the_same_adapters_as_the_grader(checks):
    assert [f.name for f in checks.TEST_FUNCTIONS] == [f.name for f in adapters.TEST_FUNCTIONS]
    assert set(checks.ADAPTERS) == set(adapters.ADAPTERS)


def test_the_adapter_builds_the_test_function_the_reference_uses():
    rng = np.random.default_rng(3)
    case = QUESTION.random_case(rng)
    kind, params, x, h = case.args
    seen = []

    def spy(f, x_given, h_given):
        seen.append((f(x_given), x_given is x, h_given))
        return np.zeros_like(x_given)

    adapters.ADAPTERS[QUESTION.adapter].wrap(spy)(kind, params, x, h)
    assert seen == [(adapters.make_test_function(kind, params)(x), True, h)]


def test_the_corpus_harness_and_the_notebook_grade_through_the_same_adapter():
    """The adapter is added by grade_sources, so every path (notebook, corpus, nbgrader) has it."""
    nb = read_notebook(REPO / "solutions" / A1 / "activations.ipynb")
    sources = graded_sources(nb)
    assert not any("_autograder_adapt" in source for source in sources)
    renamed = dataclasses.replace(SPEC, function="numerical_gradient__corpus1")
    assert "'numerical_gradient__corpus1'" in adapter_cells([renamed])[0]
