"""One rule for resubmissions on both paths (issue 22, point 3).

A student is regraded when the notebooks in their folder, their ``timestamp.txt`` or the grading
inputs (course.yml, the release, the engine, the course secret) changed since they were graded,
on the command line (``python -m autograder grade``) and in nbgrader's ``autograde`` alike, without
``--force``. Before, nbgrader regraded only when ``timestamp.txt`` changed and silently kept the
old score when only the notebook did. One class of a1, graded twice on both paths; between the
two runs each student changes one thing:

- ``notebook``: a corrected notebook, the same timestamp;
- ``timestamp``: the same notebook, a later timestamp (now late: course.yml's penalty applies);
- ``both``: a corrected notebook and a later timestamp;
- ``renamed``: a corrected ``activations-Copy1.ipynb``, the only notebook submitted;
- ``same``: nothing (kept on both paths).
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from autograder.batch.grade import grade_batch
from autograder import nbgrader_plugin
from autograder.course import release
from autograder.course.config import load_course
from autograder.nbgrader_plugin import GRADED_INPUTS_FILE

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

pytestmark = pytest.mark.slow
A = "a1_activations"
MISTAKE = {"relu": "def relu(z):\n    return z\n"}
ON_TIME = dt.datetime(2027, 2, 1, 12, 0)
LATE = dt.datetime(2027, 3, 1, 12, 0)  # well after a1's due date: a late penalty
PER_DAY = 0.01  # a small share per day late begun, so a late submission's score differs
RENAMED = "activations-Copy1"


def first_submissions(course: Path) -> None:
    for student in ("notebook", "timestamp", "both", "same"):
        wc.submit(course, student, A, wc.answered(course, A, MISTAKE if student != "timestamp" else {}), at=ON_TIME)
    wc.submit(course, "renamed", A, wc.answered(course, A, MISTAKE), name=RENAMED, at=ON_TIME)


def resubmissions(course: Path) -> None:
    wc.submit(course, "notebook", A, wc.answered(course, A), at=ON_TIME)
    wc.write_timestamp(course / "submitted" / "timestamp" / A, LATE)
    wc.submit(course, "both", A, wc.answered(course, A), at=LATE)
    wc.submit(course, "renamed", A, wc.answered(course, A), name=RENAMED, at=ON_TIME)


def grade_both(course: Path, out: Path) -> dict[str, dict[str, float]]:
    """Each student's total (after a late penalty) on each path, nbgrader's ``autograde`` run
    without ``--force``."""
    book = release.nbgrader(["autograde", A], course)
    batch = grade_batch(A, course / "submitted", out, 1, course / "course.yml", progress=False)
    assert not batch.faults, batch.faults
    gradebook = release.read_gradebook(course, A)
    return {"nbgrader": {s: round(g.score - g.late_penalty, 4) for s, g in gradebook.items()},
            "command line": {r.student: round(r.score, 4) for r in batch.results},
            "log": book.stdout + book.stderr}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    course = wc.make_course(tmp_path_factory.mktemp("rule") / "course", [A])
    yml = course / "course.yml"
    yml.write_text(yml.read_text().replace("penalty_per_day: 0.0", f"penalty_per_day: {PER_DAY}"))
    first_submissions(course)
    first = grade_both(course, course / "graded")
    resubmissions(course)
    second = grade_both(course, course / "graded")
    for student in sorted(first["nbgrader"]):  # the resubmission table (pytest -s shows it)
        print(f"{student:10} " + " ".join(f"{run[path][student]:8.4f}" for run in (first, second)
                                            for path in ("nbgrader", "command line")))
    return {"course": course, "first": first, "second": second}


def test_both_paths_agree_before_and_after_every_kind_of_resubmission(runs):
    for run in ("first", "second"):
        assert runs[run]["nbgrader"] == pytest.approx(runs[run]["command line"]), run


def test_each_change_is_regraded_and_an_unchanged_submission_is_kept(runs):
    auto = sum(q.points for q in load_course(runs["course"] / "course.yml").assignment(A).questions)
    first, second = runs["first"]["nbgrader"], runs["second"]["nbgrader"]
    assert first["timestamp"] == auto  # the hidden cases differ per student: so do the mistakes' scores
    assert all(first[s] < auto for s in ("notebook", "both", "renamed", "same"))
    assert second["notebook"] == auto
    assert second["timestamp"] < auto and second["both"] == second["timestamp"]  # late on a full score
    assert second["same"] == first["same"]


#: Before branch nbpath (issue 21, point 4), nbgrader's first run copies a renamed notebook into the
#: student's folder under the expected name, and both paths then grade that stale copy.
COPIES_INTO_THE_STUDENTS_FOLDER = not hasattr(nbgrader_plugin, "SubmissionExporter")


@pytest.mark.xfail(COPIES_INTO_THE_STUDENTS_FOLDER, strict=True,
                   reason="the stale copy of a renamed notebook in the student's folder (fixed on branch nbpath)")
def test_a_renamed_notebook_resubmitted_is_graded_anew(runs):
    auto = sum(q.points for q in load_course(runs["course"] / "course.yml").assignment(A).questions)
    assert runs["first"]["nbgrader"]["renamed"] < auto
    assert runs["second"]["nbgrader"]["renamed"] == runs["second"]["command line"]["renamed"] == auto


def test_nbgrader_says_whom_it_regrades(runs):
    log = runs["second"]["log"]
    for student in ("notebook", "timestamp", "both", "renamed"):
        assert f"Regrading {runs['course'] / 'autograded' / student / A}" in log
    assert f"Skipping existing assignment: {runs['course'] / 'autograded' / 'same' / A}" in log


def test_the_record_of_what_was_graded_never_reaches_the_feedback(runs):
    course = runs["course"]
    assert (course / "autograded" / "same" / A / GRADED_INPUTS_FILE).is_file()
    release.nbgrader(["generate_feedback", A], course)
    assert (course / "feedback" / "same" / A).is_dir()
    assert not list((course / "feedback").rglob(GRADED_INPUTS_FILE))
