"""a3's visible gradient checks: ``check_gradients`` with the student's own checker and loss
accepts the reference derivation of every network, whatever reasonable step the checker
takes, and refuses every registered mistake (a wrong derivation never passes the tool the
notebook tells students to trust), on the public cases released with the notebook."""
from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from autograder.questions import QUESTIONS
from autograder.checks.public import CheckFailed
from autograder.checks.visible import check_gradients
from nn_core import gradcheck, two_layer

CASES = Path(__file__).resolve().parents[1] / "solutions" / "a3_two_layer" / "public_cases.json"
MISTAKES = [(kind, m.name) for kind in two_layer.NETWORKS for m in QUESTIONS[f"{kind}_gradients"].mistakes]


def checker(step: float):
    return lambda f, x: gradcheck.numerical_gradient(f, x, step)


@pytest.mark.parametrize("step", (1e-4, 1e-5, 1e-6))
@pytest.mark.parametrize("kind", two_layer.NETWORKS)
def test_the_reference_derivation_passes_the_students_own_gradient_check(kind, step):
    network = two_layer.NETWORKS[kind]
    with redirect_stdout(io.StringIO()) as out:
        check_gradients(f"{kind}_gradients", network.gradients, network.loss_value, checker(step), path=str(CASES))
    assert "agree with your numerical gradient" in out.getvalue()


@pytest.mark.parametrize("kind, name", MISTAKES, ids=[f"{k}-{n}" for k, n in MISTAKES])
def test_every_registered_mistake_fails_the_students_own_gradient_check(kind, name):
    mistake = next(m for m in QUESTIONS[f"{kind}_gradients"].mistakes if m.name == name)
    with redirect_stdout(io.StringIO()), pytest.raises((CheckFailed, ValueError)):
        check_gradients(f"{kind}_gradients", mistake.fn, two_layer.NETWORKS[kind].loss_value, checker(1e-5),
                        path=str(CASES))


def test_a_slip_in_one_gradient_only_is_named_by_that_gradient_for_every_student():
    """Not a registered mistake: db1 without g'(z1) while dW1 has it. The diagnosis names db1."""
    import numpy as np

    from autograder.course.cases import submission_key
    from autograder.checks.compare import as_tree
    from autograder.grading.pipeline import default_course, plan, score_question
    from autograder.sandbox import CallOutcome
    from nn_core.activations import sigmoid

    course = default_course()
    spec = next(q for q in course.assignment("a3_two_layer").questions if q.id == "binary_gradients")

    def db1_without_g_prime(X, Y, W1, b1, W2, b2):
        dW1, _, dW2, db2 = two_layer.binary_gradients(X, Y, W1, b1, W2, b2)
        A2 = sigmoid(sigmoid(X @ W1.T + b1) @ W2.T + b2)
        return dW1, ((A2 - Y) @ W2).mean(axis=0), dW2, db2

    for student in ("ada", "ben", "cy"):
        cases = plan(course, "a3_two_layer", student, [spec], submission=submission_key([]))
        with np.errstate(all="ignore"):
            outcomes = [CallOutcome("ok", as_tree(db1_without_g_prime(*p.case.args)), "") for p in cases]
        result = score_question(spec, cases, outcomes, 5.0)
        assert result.score == 0 and [m["id"] for m in result.mistakes] == ["one-gradient:db1"], result.feedback
        assert "db1 is wrong and the other gradients are right" in result.feedback


def _line_fit_loss(a0, a1, x, y):
    import numpy as np

    return float(np.mean(0.5 * (a0 * x + a1 - y) ** 2))


@pytest.mark.parametrize("step", (1e-4, 1e-5, 1e-6))
def test_the_line_fit_gradient_is_checked_against_the_students_checker_on_its_two_scalars(step):
    """a0 and a1 are floats: the checker sees each as an array of one entry, whatever it loops over."""
    from nn_core import optim

    with redirect_stdout(io.StringIO()) as out:
        check_gradients("line_fit_gradient", optim.line_fit_gradient, _line_fit_loss, checker(step), path=str(CASES))
    assert "agree with your numerical gradient" in out.getvalue()


@pytest.mark.parametrize("name", [m.name for m in QUESTIONS["line_fit_gradient"].mistakes])
def test_every_line_fit_mistake_fails_the_students_own_gradient_check(name):
    mistake = next(m for m in QUESTIONS["line_fit_gradient"].mistakes if m.name == name)
    with redirect_stdout(io.StringIO()), pytest.raises(CheckFailed):
        check_gradients("line_fit_gradient", mistake.fn, _line_fit_loss, checker(1e-5), path=str(CASES))
