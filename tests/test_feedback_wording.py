"""The words of a question's feedback where they used to mislead (issue 22, points 4 and 7).

Pinned here: a result made of several named gradients names the wrong one as the question
does (``db2``), never ``item 1: item 1:``; a question with a single gradient never says "the
other gradients are right"; a broken contract is told in the question's own words (a1's
``numerical_gradient`` restoring x by arithmetic), not the generic ones; a question's score
is written as the headline writes it (two decimals at most).

Each test scores results computed here (``score_question``) on a student's hidden cases,
as the grader scores what the sandbox returned.
"""
from __future__ import annotations

import numpy as np

from autograder.checks.compare import CONTRACT_MESSAGES, as_tree
from autograder.course.cases import submission_key
from autograder.course.config import load_course
from autograder.grading.pipeline import plan, score_question
from autograder.questions import QUESTIONS
from autograder.questions.a1_activations import RESTORE_EXACTLY
from autograder.sandbox import CallOutcome

COURSE = load_course()
SUBMISSION = submission_key([])  # the cases of one submission, for answers scored in process


def _spec(assignment: str, question: str):
    return next(q for q in COURSE.assignment(assignment).questions if q.id == question)


def scored(assignment: str, question: str, answer, student: str = "wording-student", again=None):
    """The question's result when the student's function gives ``answer(*args)`` on each hidden case
    (and ``again(*args)`` when called a second time on the same objects, if given)."""
    spec = _spec(assignment, question)
    cases = plan(COURSE, assignment, student, [spec], submission=SUBMISSION)
    outcomes = [CallOutcome("ok", as_tree(answer(*p.case.args))) for p in cases]
    seconds = [CallOutcome("ok", as_tree(again(*p.case.args))) for p in cases] if again else None
    return score_question(spec, cases, outcomes, COURSE.limits.call_timeout_s, again=seconds)


def test_a_wrong_gradient_of_backprop_is_named_as_the_question_names_it_not_by_its_position():
    reference = QUESTIONS["backprop"].reference

    def wrong_db_of_layer_2(*args):
        grads = [tuple(np.array(g, dtype=float) for g in layer) for layer in reference(*args)]
        if len(grads) > 1:
            dW, db = grads[1]
            grads[1] = (dW, db + 0.5)
        return grads

    result = scored("a4_losses_backprop", "backprop", wrong_db_of_layer_2)
    assert "item 1: item 1:" not in result.feedback and "item 1:" not in result.feedback, result.feedback
    assert "db2: the values differ from the expected ones" in result.feedback, result.feedback


def test_a_question_with_one_gradient_never_speaks_of_the_other_gradients():
    reference = QUESTIONS["huber_gradient"].reference
    result = scored("a4_losses_backprop", "huber_gradient", lambda *args: np.asarray(reference(*args)) + 0.25)
    assert result.passed == 0
    assert "other gradients" not in result.feedback, result.feedback


def test_a_checker_that_restores_x_by_arithmetic_is_told_the_questions_own_words():
    question = QUESTIONS["numerical_gradient"]
    drifted = lambda *args: np.asarray(question.reference(*args)) + 1e-3  # noqa: E731 - x drifted by the first call
    result = scored("a1_activations", "numerical_gradient", question.reference, again=drifted)
    text = " ".join(result.feedback.split())
    assert "the result is right, but " + RESTORE_EXACTLY in text, result.feedback
    assert CONTRACT_MESSAGES["mutated-input"] not in text


def test_a_questions_score_is_written_with_two_decimals_at_most_as_the_headline_writes_it():
    reference = QUESTIONS["softmax"].reference
    calls = iter(range(1000))

    def two_right(*args):  # the first two cases right, every other one wrong
        return reference(*args) if next(calls) < 2 else np.asarray(reference(*args)) * 2.0

    result = scored("a1_activations", "softmax", two_right)
    first = result.feedback.splitlines()[0]
    assert first.endswith(f"checks passed, {round(result.score, 2):g} of 2 points."), first
    assert len(first.split(", ")[1].split(" of ")[0].split(".")[-1]) <= 2, first


def test_a_helper_lost_with_an_edited_read_only_cell_is_named_and_no_formula_is_blamed():
    """The student put a helper into the read-only setup cell; graded as released, it is gone.
    The feedback names the student's own helper and the cell, and says nothing about a formula."""
    import copy
    import json
    from pathlib import Path

    from autograder.grading.pipeline import UNDEFINED_NAME, grade_notebook

    release = json.loads((Path(__file__).resolve().parents[1] / "assignments" / "a1_activations"
                          / "activations.ipynb").read_text(encoding="utf-8"))
    nb = copy.deepcopy(release)
    setup = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "setup")
    setup["source"] = "".join(setup["source"]) + "\n\ndef positive_part(z):\n    return np.maximum(0.0, z)\n"
    answer = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")
                  and "def relu(" in "".join(c["source"]))
    answer["source"] = "def relu(z):\n    return positive_part(z)\n"
    result = grade_notebook(nb, "a1_activations", "helper-student", notebook="activations", course=COURSE,
                            release=release)
    relu = next(q for q in result.questions if q.id == "relu")
    text = " ".join(relu.feedback.split())
    assert relu.score == 0
    assert ("positive_part is not defined when your answer cells run: it was in the read-only cell 'setup', which "
            "you edited and which is graded as released. Define positive_part in an answer cell.") in text, text
    assert UNDEFINED_NAME in text and "formula" not in text, text


def test_a_question_that_fails_because_a_function_it_calls_is_wrong_is_told_so():
    """a3's fit_line stepping with a wrong line_fit_gradient: fit_line's feedback names it."""
    import json
    from pathlib import Path

    from autograder.grading.pipeline import grade_notebook

    release = json.loads((Path(__file__).resolve().parents[1] / "assignments" / "a3_two_layer"
                          / "two_layer.ipynb").read_text(encoding="utf-8"))
    nb = json.loads(json.dumps(release))
    answers = {fn: c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")
               for fn in ("line_fit_gradient", "fit_line") if f"def {fn}(" in "".join(c["source"])}
    answers["line_fit_gradient"]["source"] = (  # the 2 of the derivative of the mean square dropped... twice over
        "def line_fit_gradient(a0, a1, x, y):\n    r = a0 + a1 * x - y\n    return 4.0 * float(np.mean(r)), "
        "4.0 * float(np.mean(r * x))\n")
    answers["fit_line"]["source"] = (
        "def fit_line(x, y, lr, epochs):\n    a0 = a1 = 0.0\n    for _ in range(epochs):\n"
        "        g0, g1 = line_fit_gradient(a0, a1, x, y)\n        a0, a1 = a0 - lr * g0, a1 - lr * g1\n"
        "    return a0, a1\n")
    result = grade_notebook(nb, "a3_two_layer", "callee-student", notebook="two_layer", course=COURSE,
                            release=release)
    by_id = {q.id: q for q in result.questions}
    assert by_id["line_fit_gradient"].passed < by_id["line_fit_gradient"].total
    text = " ".join(by_id["fit_line"].feedback.split())
    assert ("fit_line calls line_fit_gradient, which fails its own checks (line_fit_gradient): fix "
            "line_fit_gradient first; fit_line may pass once it does.") in text, text
    assert "calls" not in by_id["line_fit_gradient"].feedback
