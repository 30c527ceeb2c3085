"""Test code with literal numbers, as an instructor writes it for plain nbgrader or otter-grader.

The alternatives this package is benchmarked against have no case generator: their hidden
tests are Python source with the inputs and the expected outputs typed in as numbers and
checked with ``np.allclose``. Here those numbers are computed once, when the benchmark
builds the course, from the engine's own case generator (:func:`autograder.course.cases.hidden_cases`
for one fixed benchmark "student", :data:`BENCH_STUDENT`, so as many cases per question as
the engine draws for one student) and the references of :mod:`autograder.questions`
(``nn_core``). Nothing is typed by hand.

Floats are written with ``repr``, which reads back to the same float64, so a student's
function sees exactly the inputs the engine would give it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.course.cases import hidden_cases, submission_key
from autograder.course.config import Course, QuestionSpec
from autograder.questions import QUESTIONS
from autograder.questions.registry import LARGE_CASE_LABEL

#: The one "student" whose hidden cases every literal test uses (plain nbgrader and otter
#: have one set of hidden tests for the whole class).
BENCH_STUDENT = "__bench__"
#: ... and the one submission (the engine draws each submission's own cases; literal tests have one set).
BENCH_SUBMISSION = submission_key([])


# --------------------------------------------------------------------------- values as source
def _float(x: float) -> str:
    if math.isfinite(x):
        return repr(float(x))
    return "np.nan" if math.isnan(x) else ("np.inf" if x > 0 else "-np.inf")


def _nested(values: Any) -> str:
    """A nested list (``ndarray.tolist()``) as source."""
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    if isinstance(values, float):
        return _float(values)
    return repr(values)


def literal(value: Any) -> str:
    """Python source that evaluates (with ``np`` imported) to ``value``.

    Parameters
    ----------
    value : ndarray, number, or a tuple/list nesting them

    Returns
    -------
    str
        ``np.array([...])`` for an array (with its dtype unless float64, reshaped if empty),
        the ``repr`` of a number, ``(...)``/``[...]`` for tuples and lists.
    """
    if isinstance(value, _Source):
        return str(value)
    if isinstance(value, tuple):
        return "(" + "".join(literal(v) + ", " for v in value).rstrip(" ") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, np.ndarray):
        dtype = "" if value.dtype == np.float64 else f", dtype=np.{value.dtype.name}"
        source = f"np.array({_nested(value.tolist())}{dtype})"
        return source + f".reshape({value.shape!r})" if value.size == 0 else source
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return _float(float(value))
    raise TypeError(f"no literal for a {type(value).__name__}")


def assert_lines(expr: str, expected: Any, rtol: float, atol: float, label: str) -> list[str]:
    """Asserts that ``expr`` equals ``expected``: lengths of sequences, shapes of arrays, and
    ``np.allclose`` with the course's tolerances on every number.

    Parameters
    ----------
    expr : source of the value to check, e.g. ``"_got"`` or ``"_got[1]"``
    expected : the reference's value (ndarray, number, nested tuples/lists)
    rtol, atol : the question's tolerances from course.yml
    label : what the assertion messages name (never a number of the case)
    """
    if isinstance(expected, (tuple, list)):
        lines = [f"assert len({expr}) == {len(expected)}, {label + ': wrong length'!r}"]
        for i, item in enumerate(expected):
            lines += assert_lines(f"{expr}[{i}]", item, rtol, atol, label)
        return lines
    lines = []
    if isinstance(expected, np.ndarray):
        lines.append(f"assert np.shape({expr}) == {expected.shape!r}, {label + ': wrong shape'!r}")
    lines.append(f"assert np.allclose({expr}, {literal(expected)}, rtol={rtol!r}, atol={atol!r}), "
                 f"{label + ': wrong values'!r}")
    return lines


# --------------------------------------------------------------------------- one question's cases
@dataclass(frozen=True)
class LiteralCase:
    """One hidden case of a question as source: the call and the asserts on its result."""

    label: str
    call: str           # e.g. "sigmoid(np.array([[...]]))"
    asserts: tuple[str, ...]  # about the name "_got"

    def body(self) -> list[str]:
        return [f"_got = {self.call}", *self.asserts]


def literal_cases(spec: QuestionSpec, course: Course, assignment: str) -> list[LiteralCase]:
    """The engine's hidden cases of ``spec`` for :data:`BENCH_STUDENT`, with the reference's
    results, as source (edge cases first, then ``spec.hidden_cases`` random ones).

    The case with many parameters (:data:`~autograder.questions.registry.LARGE_CASE_LABEL`) is left
    out: an instructor does not type 100,000 numbers into a test cell (as source it is about 6 MB per
    question, which made each a4 notebook 63 MB and broke ``nbgrader autograde``); the engine grades it,
    so the plain tools check a little less than the engine does, never more."""
    question = QUESTIONS[spec.id].bound(spec.settings)
    cases = hidden_cases(question, course.id, assignment, BENCH_STUDENT, spec.hidden_cases,
                         submission=BENCH_SUBMISSION)
    out = []
    cases = [case for case in cases if case.label != LARGE_CASE_LABEL]
    for k, case in enumerate(cases, start=1):
        label = f"{spec.id}, case {k} of {len(cases)} ({case.label})"
        call = f"{spec.function}({', '.join(literal(a) for a in _as_the_student_calls(question, case.args))})"
        atol = spec.atol if case.atol is None else case.atol  # a probed case's own, as the engine compares it
        asserts = assert_lines("_got", question.reference(*case.args), spec.rtol, atol, label)
        out.append(LiteralCase(label, call, tuple(asserts)))
    return out


class _Source(str):
    """Source text that :func:`literal` writes as it is (a call, not a value)."""


def _as_the_student_calls(question, args: tuple) -> tuple:
    """A case's arguments as an instructor's literal test passes them: for a question asked through
    an adapter of a function and an array (a1's ``numerical_gradient(f, x[, h])``), the test function
    itself, built by ``make_test_function`` of the released ``checks.py`` (the engine sends its
    index and parameters, plain data); other questions' arguments as they are."""
    if question.adapter != "function_and_array":
        return args
    kind, params, x, *h = args
    return (_Source(f"__import__('checks').make_test_function({int(kind)}, {literal(params)})"), x, *h)


def nbgrader_hidden_tests(spec: QuestionSpec, course: Course, assignment: str) -> str:
    """The body of an nbgrader ``### BEGIN HIDDEN TESTS`` block: every case, one after the other
    (so the test cell is all-or-nothing, as nbgrader scores a cell)."""
    lines = [f"# {spec.id}: literal cases computed from nn_core when the course was built "
             f"(rtol={spec.rtol!r}, atol={spec.atol!r})"]
    for case in literal_cases(spec, course, assignment):
        lines += [f"# {case.label}", *case.body()]
    return "\n".join(lines)


def otter_test_file(spec: QuestionSpec, course: Course, assignment: str) -> str:
    """An otter-grader exception-based test file for ``spec``: one hidden test case per case,
    the question's points shared among them (otter's partial credit), or a single test case
    holding every case when course.yml says ``partial_credit: false``."""
    cases = literal_cases(spec, course, assignment)
    groups = [[c] for c in cases] if spec.partial_credit else [cases]
    lines = ['"""Generated by bench.grading from nn_core: otter-grader tests of '
             f'{spec.id} with literal numbers."""',
             "import numpy as np", "from otter.test_files import test_case", "",
             "OK_FORMAT = False", f"name = {spec.id!r}", f"points = {spec.points!r}", ""]
    for k, group in enumerate(groups, start=1):
        lines += [f"@test_case(hidden=True)", f"def test_{k}({spec.function}):"]
        for case in group:
            lines += [f"    # {case.label}"] + ["    " + line for line in case.body()]
        lines.append("")
    return "\n".join(lines)
