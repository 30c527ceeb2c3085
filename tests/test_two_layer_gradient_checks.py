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
from autograder.student_checks import CheckFailed, check_gradients
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
