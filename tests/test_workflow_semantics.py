"""One grading semantics (issue 14, points 2, 5 and 6): ``python -m autograder grade`` and
``nbgrader autograde`` grade the same code. Read-only cells come from the release, answers
from the student, so a submission that edits a read-only cell, deletes or reorders cells, adds
cells, or is renamed or duplicated gets the same scores and the same feedback on both paths;
an untouched notebook makes nbgrader warn about nothing, and a real edit is reported once.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.grading import feedback
from autograder.course import release
from autograder.batch.grade import grade_batch
from autograder.checks.compare import as_tree
from autograder.course.config import load_course
from autograder.grading.pipeline import plan, score_question
from autograder.sandbox import CallOutcome

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

pytestmark = pytest.mark.slow
A = "a4_losses_backprop"
NOTEBOOK = "losses_backprop"
BROKEN_SOFTMAX = "    return E / E.sum(axis=1, keepdims=True)"


def _edit_helpers(nb):  # the student "fixes" the given softmax into a wrong one
    cell = nb.cells[wc.cell_index(nb, "helpers")]
    assert BROKEN_SOFTMAX in cell.source
    cell.source = cell.source.replace(BROKEN_SOFTMAX, "    return E  # edited by the student")


def _delete(nb):  # the helpers cell and a tests cell deleted
    for gid in ("helpers", "mse"):
        del nb.cells[wc.cell_index(nb, gid)]


def _reorder(nb):  # the backprop answer moved to the top, two answers swapped
    nb.cells.insert(0, nb.cells.pop(wc.cell_index(nb, "backprop_answer")))
    i, j = wc.cell_index(nb, "mse_answer"), wc.cell_index(nb, "huber_answer")
    nb.cells[i], nb.cells[j] = nb.cells[j], nb.cells[i]


#: mse right exactly on the cases whose predictions sum to at most 0: its score depends on the
#: cases a submission meets, so the two paths agree only when they draw the same ones
CASE_DEPENDENT_MSE = ("def mse(Y_hat, Y):\n"
                      "    right = np.mean(0.5 * np.sum((np.asarray(Y_hat) - Y) ** 2, axis=-1))\n"
                      "    return right if float(np.sum(Y_hat)) <= 0 else 2 * right\n")


def _add(nb):  # cells of the student's own, one redefining a graded function wrongly
    import nbformat
    at = wc.cell_index(nb, "mse") + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell("def mse(Y_hat, Y):\n    return 0.0  # trying something"))
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("My notes"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One class graded both ways: the command line first (so it sees the renamed file as
    submitted), then nbgrader's autograde, feedback and gradebook."""
    course = wc.make_course(tmp_path_factory.mktemp("semantics") / "course", [A])
    honest = wc.answered(course, A)
    wc.submit(course, "untouched", A, honest)
    wc.submit(course, "edited_locked", A, wc.edited(honest, _edit_helpers))
    wc.submit(course, "deleted", A, wc.edited(honest, _delete))
    wc.submit(course, "reordered", A, wc.edited(honest, _reorder))
    wc.submit(course, "added", A, wc.edited(honest, _add))
    wc.submit(course, "renamed", A, honest, name=f"{NOTEBOOK}-Copy1")
    wc.submit(course, "duplicated", A, honest)
    wc.submit(course, "duplicated", A, wc.answered(course, A, {"mse": "def mse(Y_hat, Y):\n    return 0.0\n"}),
              name=f"{NOTEBOOK}-Copy1")
    wc.submit(course, "late", A, honest, at=dt.datetime(2027, 3, 27, 8, 30))
    wc.submit(course, "case_dependent", A, wc.answered(course, A, {"mse": CASE_DEPENDENT_MSE}))
    batch = grade_batch(A, course / "submitted", course / "engine", 2, course / "course.yml", progress=False)
    assert not batch.faults
    autograde = release.nbgrader(["autograde", A, "--create", "--force"], course)
    release.nbgrader(["generate_feedback", A, "--force"], course)
    return {"course": course, "cli": {r.student: r for r in batch.results},
            "book": release.read_gradebook(course, A), "log": autograde.stdout + autograde.stderr}


STUDENTS = ("untouched", "edited_locked", "deleted", "reordered", "added", "renamed", "duplicated", "late")


@pytest.mark.parametrize("student", STUDENTS)
def test_both_paths_give_the_same_scores(graded, student):
    cli, book = graded["cli"][student], graded["book"][student]
    assert {q.id: q.score for q in cli.questions} == {q.id: book.cells[q.id] for q in cli.questions}
    assert cli.score == graded["cli"]["untouched"].score == book.score == cli.max_score  # all answers right


def test_both_paths_grade_a_notebook_on_the_cases_of_its_code(graded):
    """Hidden cases are keyed by the submission's code (grading.submission_of): nbgrader's
    autograde and the command line both draw that notebook's cases, and score it as its mse,
    run here on those cases, scores."""
    course, student = graded["course"], "case_dependent"
    key = wc.graded_submission(course / "submitted" / student / A / f"{NOTEBOOK}.ipynb",
                               course / "assignments" / A / f"{NOTEBOOK}.ipynb")
    spec = next(q for q in load_course(course / "course.yml").assignment(A).questions if q.id == "mse")
    planned = plan(load_course(course / "course.yml"), A, student, [spec], submission=key)
    namespace = {"np": np}
    exec(CASE_DEPENDENT_MSE, namespace)
    outcomes = [CallOutcome("ok", as_tree(namespace["mse"](*p.case.args)), "") for p in planned]
    expected = score_question(spec, planned, outcomes, 5.0).score
    assert 0 < expected < spec.points  # the score depends on the cases
    assert graded["cli"][student].question("mse").score == graded["book"][student].cells["mse"] == expected


@pytest.mark.parametrize("student", STUDENTS + ("case_dependent",))
def test_both_paths_give_the_same_feedback(graded, student):
    cli = graded["cli"][student]
    shown = wc.autograded_feedback(graded["course"], student, A)
    notes = feedback.submission_notes(cli)
    for index, question in enumerate(cli.questions):
        expected = feedback.question_feedback(question) + "\n"
        if index == 0 and notes:  # the submission's notes once, above the first question
            expected = feedback.wrap("\n".join(notes)) + "\n\n" + expected
        assert shown[question.id] == expected, (student, question.id)


def test_the_edited_read_only_cell_is_reported_once_in_the_feedback_and_the_log(graded):
    cli = graded["cli"]["edited_locked"]
    [note] = [n for n in cli.notes if "read-only" in n]
    assert "'helpers'" in note
    first = wc.autograded_feedback(graded["course"], "edited_locked", A)[cli.questions[0].id]
    assert first.count("you edited the read-only cell(s) 'helpers'") == 1
    assert graded["log"].count("edited the read-only cell(s) helpers") == 1
    for student in set(STUDENTS) - {"edited_locked"}:
        assert not any("read-only" in n for n in graded["cli"][student].notes), student


def test_untouched_notebooks_make_no_checksum_warning(graded):
    assert "checksum" not in graded["log"]
    assert "has changed" not in graded["log"]


def test_a_renamed_only_notebook_is_graded_and_named(graded):
    for student in ("renamed",):
        notes = graded["cli"][student].notes
        assert notes[0] == feedback.renamed_note(f"{NOTEBOOK}-Copy1.ipynb", f"{NOTEBOOK}.ipynb")


def test_of_two_notebooks_the_expected_one_is_graded(graded):
    assert graded["cli"]["duplicated"].notes == []
    assert graded["cli"]["duplicated"].question("mse").score == 1


def test_late_work_is_flagged_on_both_paths(graded):
    cli = graded["cli"]["late"]
    assert cli.late.is_late and cli.late.seconds_late == pytest.approx((8 * 60 + 31) * 60)
    assert feedback.late_line(cli.late) in wc.autograded_feedback(graded["course"], "late", A)[cli.questions[0].id]
    assert not graded["cli"]["untouched"].late
    with open(graded["course"] / "engine" / "grades.csv") as handle:
        late_rows = {line.split(",")[0] for line in handle if line.rstrip().endswith(",yes")}
    assert late_rows == {"late"}
