"""Gradescope's results.json for one submission graded inside Gradescope's container.

Built on :func:`autograder.grading.feedback.gradescope_results` (the same total and one test per
question that ``python -m autograder grade`` writes), with what only the platform needs
(format: https://gradescope-autograders.readthedocs.io/en/latest/specs/):

- each question's test is ``{"name", "score", "max_score", "output", "visibility"}`` with
  the visibility of course.yml ``gradescope.scores``; its output is the question's feedback;
- where ``gradescope.hidden_case_details`` differs from ``scores``, the question's test
  keeps only the summary line ("sigmoid: 6/11 checks passed, 0.5455 of 1 points.") and the
  details (which checks failed, the mistakes recognised) go into an unscored companion test
  ``"<question>: details"`` (``max_score`` 0) with that visibility, so that for instance
  scores show at once and details after the due date;
- ``execution_time`` (whole seconds), ``stdout_visibility`` (``gradescope.stdout``), and the
  confinement the student code ran under, both in the text students read and in
  ``extra_data`` (with the student id that keyed the hidden cases);
- every string Gradescope shows declared plain text (``PLAIN_TEXT`` of
  :mod:`autograder.grading.feedback`, as in the command line's results.json): the feedback
  quotes what the student wrote (an exception's message, a notebook's file name), and
  Gradescope's default format for the submission's output, ``simple_format``, renders HTML; as
  ``text`` it is shown as typed and never run.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from autograder.grading.feedback import PLAIN_TEXT, TEST_PLAIN_TEXT, gradescope_results
from autograder.batch.result_files import write_atomically
from autograder.course.config import GradescopePolicy
from autograder.grading.results import SubmissionResult

DETAILS_SUFFIX = ": details"

CONFINEMENT_TEXT = {  # RunResult.confinement -> what the student and the instructor read
    "namespaces": ("in the course's sandbox (an unprivileged process in namespaces of its own, which "
                   "sees only the standard library, numpy and its own scratch folder)"),
    "landlock": "in the course's sandbox (an unprivileged process whose file reads Landlock confines)",
    "uid": ("in the course's sandbox under an unprivileged user, its file reads confined by file "
            "permissions (this container offers no Landlock)"),
    "rlimits-only": "with resource limits only: its file reads were NOT confined",
}


def confinement_note(confinement: str) -> str:
    """One sentence saying how the student's code ran."""
    return f"Your code ran {CONFINEMENT_TEXT.get(confinement, f'under the confinement {confinement!r}')}."


def question_tests(result: SubmissionResult, policy: GradescopePolicy) -> list[dict]:
    """One scored test per question, plus unscored detail tests where the policy splits them."""
    tests = []
    for test in gradescope_results(result)["tests"]:
        summary, _, details = test["output"].partition("\n")
        split = details and policy.hidden_case_details != policy.scores
        tests.append({**test, "output": summary if split else test["output"], "visibility": policy.scores})
        if split:
            tests.append({"name": test["name"] + DETAILS_SUFFIX, "score": 0.0, "max_score": 0.0,
                          "output": details, "visibility": policy.hidden_case_details, **TEST_PLAIN_TEXT})
    return tests


def results_json(result: SubmissionResult, policy: GradescopePolicy, *, confinement: str,
                 execution_time: float, notes: tuple[str, ...] = ()) -> dict:
    """The results.json of a graded submission.

    Parameters
    ----------
    result
        The engine's grade of every notebook of the assignment.
    policy
        course.yml's ``gradescope:`` block.
    confinement
        ``RunResult.confinement`` of the runs (``"namespaces"``, ``"landlock"``, ``"uid"``, ...).
    execution_time
        Seconds the grading took.
    notes
        Student-readable lines about the submission's files (a renamed notebook, ...).
    """
    base = gradescope_results(result)
    output = [*notes, *([base["output"]] if base["output"] else []), confinement_note(confinement)]
    return {
        "score": base["score"],
        "execution_time": math.ceil(execution_time),  # whole seconds, as Gradescope shows them
        "output": "\n".join(output),
        **PLAIN_TEXT,
        "stdout_visibility": policy.stdout,
        "extra_data": {"student_id": result.student, "assignment": result.assignment,
                       "max_score": result.max_score, "confinement": confinement},
        "tests": question_tests(result, policy),
    }


def refusal_json(reason: str, policy: GradescopePolicy, *, execution_time: float) -> dict:
    """The results.json of a submission that was not graded at all (no sandbox here, no
    secret, unreadable metadata): a 0 that says so, so it is never mistaken for a grade."""
    return {
        "score": 0.0,
        "execution_time": math.ceil(execution_time),  # whole seconds, as Gradescope shows them
        "output": (f"Your submission was NOT graded: {reason} This 0 is not your grade; "
                   f"your instructor has to fix the autograder."),
        **PLAIN_TEXT,
        "stdout_visibility": policy.stdout,
        "extra_data": {"confinement": None, "refused": reason},
        "tests": [],
    }


def write_results(path: Path, results: dict) -> None:
    """Write results.json atomically."""
    write_atomically(Path(path), json.dumps(results, indent=2))
