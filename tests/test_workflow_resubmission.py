"""A renamed notebook, resubmitted corrected, is graded anew on both paths. Issue 21, point 4.

A student hands in ``feedforward-Copy1.ipynb`` (Jupyter's name for a copy) with a mistake; both
``nbgrader autograde`` and ``python -m autograder grade`` grade it, as the only notebook submitted.
The student then hands in a corrected ``feedforward-Copy1.ipynb``. On main, nbgrader's first run had
copied the renamed notebook to ``feedforward.ipynb`` in the student's own folder, so both paths
graded that stale copy the second time (the mistake again), while the feedback said it had graded
the ``-Copy1``, "the only notebook submitted". Now nothing is written into the student's folder
and both paths grade the corrected notebook, with the real engine.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from autograder.batch.grade import grade_batch
from autograder.course import release
from autograder.grading import feedback

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

pytestmark = pytest.mark.slow
A = "a2_feedforward"
NOTEBOOK = "feedforward"
RENAMED = f"{NOTEBOOK}-Copy1"
MISTAKE = {"param_count": "def param_count(sizes):\n    return 0\n"}


def grade_both(course: Path) -> dict:
    """Grade the class on both paths; what each recorded and showed, and the student's folder."""
    book = release.nbgrader(["autograde", A, "--create", "--force"], course)
    batch = grade_batch(A, course / "submitted", course / "engine", 1, course / "course.yml", progress=False)
    assert not batch.faults, batch.faults
    return {"cli": {r.student: r for r in batch.results}, "book": release.read_gradebook(course, A),
            "shown": wc.autograded_feedback(course, "student", A), "log": book.stdout + book.stderr,
            "folder": sorted(os.listdir(course / "submitted" / "student" / A))}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = wc.make_course(tmp_path_factory.mktemp("resubmission") / "course", [A])
    wc.submit(course, "student", A, wc.answered(course, A, MISTAKE), name=RENAMED)
    first = grade_both(course)
    wc.submit(course, "student", A, wc.answered(course, A), name=RENAMED)  # the corrected resubmission
    return {"first": first, "second": grade_both(course)}


@pytest.mark.parametrize("run, param_count", [("first", 0.0), ("second", 1.0)])
def test_each_path_grades_the_renamed_notebook_last_handed_in(graded, run, param_count):
    cli, book = graded[run]["cli"]["student"], graded[run]["book"]["student"]
    assert cli.question("param_count").score == param_count
    assert {q.id: q.score for q in cli.questions} == {q.id: book.cells[q.id] for q in cli.questions}
    assert cli.score == cli.max_score - 1 + param_count


@pytest.mark.parametrize("run", ["first", "second"])
def test_the_feedback_names_the_renamed_notebook_it_graded(graded, run):
    note = feedback.renamed_note(f"{RENAMED}.ipynb", f"{NOTEBOOK}.ipynb")
    cli = graded[run]["cli"]["student"]
    assert cli.notes == [note]
    first_question = cli.questions[0].id
    assert feedback.wrap("Note: " + note) in graded[run]["shown"][first_question]


def test_nothing_is_written_into_the_students_folder(graded):
    assert graded["first"]["folder"] == graded["second"]["folder"] == [f"{RENAMED}.ipynb"]
