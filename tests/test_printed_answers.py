"""No graded answer is printed where a student reads it before it is graded, except the declared
worked examples (course.yml ``worked_example: true``, one per family): not in the released
notebooks (markdown, given code, docstrings), nor in checks.py, public_cases.json's mistake
messages or the student errata, nor in an earlier assignment's release
(:func:`autograder.course.spoilers.printed_answers`, with the registry's ``Question.forms``).

The second edition printed six such answers; each is put back into a copy of the course here
and must be found, so the test that the course is clean can fail."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autograder.course import spoilers
from autograder.course.config import load_course
from autograder.questions import QUESTIONS

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yml")
FORMS = {q.function: q.forms for q in QUESTIONS.values() if q.forms}
WORKED = {"sigmoid_prime", "regression_gradients", "mse_gradient", "delta_mse_linear"}

#: What the second edition printed, where: (assignment, file, text that was there, text put back).
SECOND_EDITION = {
    "hidden_delta": ("a3_two_layer", "two_layer.ipynb", "are $(m, n_\\text{out})$: row $i$ of each is",
                     "are $(m, n_\\text{out})$, and $\\Delta_1 = (\\Delta_2 W_2) \\odot A_1 (1 - A_1)$ is $(m, h)$: row $i$ of each is"),
    "layer_gradients": ("a3_two_layer", "two_layer.ipynb", "Check the shapes at every step",
                        "$\\delta\\, a^T$ becomes $\\frac1m \\Delta^T A$. Check the shapes at every step"),
    "layer_shapes": ("a2_feedforward", "feedforward.ipynb", "list of L tuples (shape of W, shape of b), each shape a tuple of ints",
                     "list of L tuples ((n_out, n_in), (n_out,)) of ints"),
    "leaky_relu_prime": ("a1_activations", "public_cases.json", "wrong leaky slope: your result",
                         "wrong leaky slope: for z <= 0 the derivative is the slope argument. Your result"),
    "predict_classes": ("a4_losses_backprop", "losses_backprop.ipynb", "two classes tie, take the first (the smaller index).",
                        "two classes tie, take the first (that is what `np.argmax` does)."),
    "gradient_errors": ("a4_losses_backprop", "checks.py", "def _has(",
                        "def _relative_error(a, b):\n    scale = max(float(np.max(np.abs(a) + np.abs(b), initial=0.0)), 1e-12)\n"
                        "    return float(np.max(np.abs(a - b), initial=0.0)) / scale\n\n\ndef _has("),
}


def _course_copy(root: Path) -> Path:
    """course.yml and the solution folders (without the data sets) under ``root``."""
    shutil.copy2(REPO / "course.yml", root / "course.yml")
    shutil.copytree(REPO / "solutions", root / "solutions", ignore=shutil.ignore_patterns("*.npz", "__pycache__"))
    return root


def _put_back(root: Path, assignment: str, name: str, there: str, back: str) -> None:
    path = root / "solutions" / assignment / name
    text = path.read_text(encoding="utf-8")
    if name.endswith(".ipynb"):  # a notebook's text lives inside JSON strings
        there, back = json.dumps(there)[1:-1], json.dumps(back)[1:-1]
    assert text.count(there) >= 1, (name, there)
    path.write_text(text.replace(there, back, 1), encoding="utf-8")


def test_nothing_students_are_handed_prints_a_graded_answer_but_the_worked_examples():
    assert spoilers.printed_answers(REPO, FORMS) == []


def test_the_worked_examples_are_declared_in_course_yml_one_per_family():
    declared = {q.function for a in COURSE.assignments for q in a.questions if q.worked_example}
    assert declared == WORKED


def test_the_worked_examples_are_printed_and_would_be_caught_undeclared(tmp_path):
    root = _course_copy(tmp_path)
    text = (root / "course.yml").read_text(encoding="utf-8")
    (root / "course.yml").write_text(text.replace(", worked_example: true", ""), encoding="utf-8")
    assert {d.name for d in spoilers.printed_answers(root, FORMS)} == WORKED


@pytest.mark.parametrize("answer", SECOND_EDITION)
def test_each_answer_the_second_edition_printed_is_caught_where_it_was(tmp_path, answer):
    assignment, name, there, back = SECOND_EDITION[answer]
    root = _course_copy(tmp_path)
    _put_back(root, assignment, name, there, back)
    found = spoilers.printed_answers(root, FORMS)
    assert {d.name for d in found} == {answer}, found
    assert all(d.where.startswith(f"{assignment}/{name}") for d in found), found


def test_a_later_answer_in_an_earlier_release_is_caught_and_an_earlier_one_in_a_later_release_is_not(tmp_path):
    """a3 is released before a4 is due: a4's answer there is printed. a5 comes after a1 is due."""
    root = _course_copy(tmp_path)
    _put_back(root, "a5_training", "training.ipynb", "## ", "the derivative is the slope of leaky ReLU\n\n## ")
    assert spoilers.printed_answers(root, FORMS) == []
    _put_back(root, "a3_two_layer", "two_layer.ipynb", "## ", "take np.argmax of each row\n\n## ")
    assert {(d.name, d.where.split("/")[0]) for d in spoilers.printed_answers(root, FORMS)} == \
        {("predict_classes", "a3_two_layer")}


def test_an_answers_own_code_line_copied_into_given_code_is_caught(tmp_path):
    root = _course_copy(tmp_path)
    _put_back(root, "a4_losses_backprop", "checks.py", "def _has(",
              "def helper(delta, A_prev):\n    m = delta.shape[0]\n    return delta.T @ A_prev / m, delta.mean(axis=0)\n\n\n"
              "def _has(")
    found = spoilers.printed_answers(root, FORMS)
    assert {(d.name, d.kind) for d in found} >= {("layer_gradients", "copied line")}, found


def test_loose_forms_read_layer_numbers_and_subscripts_alike():
    assert spoilers.loose_form("(Δ₂ W₂) ⊙ A₁") == spoilers.loose_form(r"(\Delta_2 W_2) \odot A_1") \
        == spoilers.loose_form("(Delta @ W) * A")


def test_course_yml_reads_worked_example_as_a_boolean_and_refuses_anything_else():
    import yaml

    from autograder.course.config import CourseError, parse_course

    data = yaml.safe_load((REPO / "course.yml").read_text(encoding="utf-8"))
    question = data["assignments"][0]["notebooks"][0]["questions"][0]
    assert not parse_course(data).assignments[0].questions[0].worked_example
    question["worked_example"] = "yes"
    with pytest.raises(CourseError, match="worked_example"):
        parse_course(data)
