"""Derived items: a numerical gradient where a derivation is asked earns nothing (issue 24).

A *derived item* is a question whose answer is a derivative that a student could compute
instead by differencing their own function (the central difference of assignment 1): it has a
case with many parameters (:attr:`autograder.questions.Question.large_case`, where two loss
evaluations per parameter cannot finish within the call's limit) or finite-precision probes
(:attr:`autograder.questions.Question.probe`, entries where float64 rounding ruins every
difference quotient and no exact closed form). On such an item an answer earns **nothing**
when the evidence of a numerical gradient is there, from outside the run only:

* **too slow**: its call on the case with many parameters was stopped by the supervisor at the
  limit of one call (timed outside the sandbox: a run that switches its own clocks off is
  stopped all the same), whatever the other cases did. A derivation takes milliseconds there,
  even written with a loop over the examples (under 0.2 s: ``tests/test_large_cases.py``), and
  no wrong derivation of the four labelled corpora is stopped there; or
* **inexact where only a difference is**: every failing case is a probed case whose result is
  right, at the question's own tolerance, on every entry the probe did not add
  (:attr:`autograder.questions.Case.unprobed`), so it is wrong only where a finite difference is
  inaccurate; every other case passed; and no registered mistake of the question holds on every
  failing case (a known wrong derivation is named and keeps its credit).

A wrong derivation fails ordinary entries or cases and finishes in time, so it keeps the credit
of the cases it passes, as before. What the rule cannot see is in docs/design.md ("Derived, not
differentiated: the rule").
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograder.checks.compare import Verdict, matches, normalise
from autograder.grading.diagnose import Explanation, Failure, Tolerance
from autograder.questions import Case, Question
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.sandbox import CallOutcome

#: The explanation id of an answer taken for a numerical gradient (in the result's ``mistakes``).
NUMERICAL_GRADIENT = "numerical-gradient"

#: What the supervisor's message of a call that overran the limit of one call says (and neither a
#: call cut short by the submission's time limit nor one not called again after an overrun says):
#: ``autograder.sandbox.wire.timed_out``.
OVERRAN = "(time limit of one call)"

#: Why, per kind of evidence (``{limit}``: the limit of one call, in seconds).
TOO_SLOW = ("it did not finish the case with many parameters (tens of thousands of them) within the {limit:g} s "
            "limit of one call: that is how a numerical gradient behaves (two loss evaluations per parameter), "
            "while a derived gradient takes milliseconds there, even with a loop over the examples")
INEXACT = ("it was right on every ordinary entry and wrong only on entries where float64 rounding makes every "
           "finite difference inaccurate while the derived formula is exact: that is how a numerical gradient "
           "behaves")
#: What the student reads after the evidence.
VERDICT = ("This item asks for the derivation, and a numerical gradient as the answer earns none of its points. "
           "Derive the gradient with the chain rule (on paper first) and use your numerical gradient to CHECK the "
           "derivation (check_gradients), not to replace it.")
#: ... and, per kind of evidence, what a derived answer that met it would change.
IF_DERIVED = {
    TOO_SLOW: "If your answer is derived, it is far too slow: compute with whole arrays (@, broadcasting, sums "
              "along an axis), not with Python loops over single entries.",
    INEXACT: "If your answer is derived, it loses precision at extreme inputs (very large or very small values, "
             "outputs within rounding of 0 or 1): write the derived formula itself, without clipping or rewriting "
             "it through the function's values.",
}


def is_derived(question: Question) -> bool:
    """Whether ``question`` is a derived item: it has a case with many parameters or probes."""
    return question.large_case is not None or question.probe is not None


def overran(outcome: CallOutcome) -> bool:
    """A call the supervisor stopped at the limit of one call (:data:`OVERRAN`)."""
    return outcome.status == "timeout" and OVERRAN in (outcome.message or "")


def wrong_only_where_probed(failure: Failure, expected: Any, tol: Tolerance) -> bool:
    """A probed case whose result has the expected shape and is right, at ``tol`` (the question's
    own tolerance), on the leading block of shape :attr:`Case.unprobed`: the entries the probe did
    not add. Its failure then lies in the probe's entries alone."""
    shape = failure.case.unprobed
    if shape is None or failure.status != "ok" or failure.contract or isinstance(expected, list):
        return False
    want = np.asarray(expected)
    got = normalise(failure.value, expected)
    if isinstance(got, Verdict) or got.shape != want.shape or len(shape) != want.ndim:
        return False
    if any(n > w for n, w in zip(shape, want.shape)) or tuple(shape) == want.shape:
        return False
    block = tuple(slice(0, n) for n in shape)
    return matches(got[block], want[block], *tol)


def numerical_gradient(question: Question, failures: list[Failure], expected: Callable[[Case], Any],
                       tol: Tolerance, stopped: Callable[[Case], bool], call_timeout_s: float,
                       explanation: Explanation | None = None) -> Explanation | None:
    """The :data:`NUMERICAL_GRADIENT` explanation when ``failures`` (every failed case of one
    question for one student) carry a numerical gradient's evidence on a derived item (the
    module's rule), else None.

    Parameters
    ----------
    question : the question (a derived item, else None is returned)
    failures : its failed cases; every case not among them passed
    expected : the expected result of a case (a tree), computed in the grader
    tol : (rtol, atol) of the question (not a probed case's own atol)
    stopped : whether a case's first call overran the limit of one call (:func:`overran`)
    call_timeout_s : that limit, for the message
    explanation : what the diagnosis found; a registered mistake of the question wins over the
        probes' evidence
    """
    if not failures or not is_derived(question):
        return None
    if any(f.case.label == LARGE_CASE_LABEL and stopped(f.case) for f in failures):
        kind = TOO_SLOW
    elif explanation is not None and any(m.name == explanation.id for m in question.mistakes):
        return None
    elif all(wrong_only_where_probed(f, expected(f.case), tol) for f in failures):
        kind = INEXACT
    else:  # a wrong answer: it keeps the credit of the cases it passed
        return None
    return Explanation(NUMERICAL_GRADIENT, f"your answer looks like a numerical gradient: "
                                           f"{kind.format(limit=call_timeout_s)}. {VERDICT} {IF_DERIVED[kind]}")


def messages() -> list[str]:
    """Every text of this module a student may read (for the spoiler and wording tests)."""
    return [TOO_SLOW, INEXACT, VERDICT, *IF_DERIVED.values()]
