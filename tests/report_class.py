"""A graded class for the report's tests (tests/test_report*.py), made the real way: synthetic
notebooks graded by ``python -m autograder grade`` (a1_activations, --jobs 1), plus what a
class has besides correct answers:

* ``bob`` and ``Zoë Ünal`` (non-ASCII, a space) and ``<i>eve&co`` (HTML in the id) make the
  synthetic mistakes; ``alice`` and ``li wei`` are correct; ``carol`` submitted the stubs;
* ``mallory``'s attack includes an endless loop (a question that times out);
* ``garbage`` submitted a file that is not a notebook; ``crasher``'s code calls ``os._exit``;
* ``helper``'s relu calls a function it defined in the read-only setup cell, which is graded as
  released: relu raises NameError on every hidden case, and the submission has a note;
* ``renamer`` submitted a correct notebook as ``activations-Copy1.ipynb`` (a note too);
* ``dave`` and ``frank`` are on the roster and never submitted;
* the roster is nbgrader's ``students.csv`` (id,first_name,last_name,email), with names for some;
* nbgrader ``timestamp.txt`` files: ``bob`` is late (UTC), ``li wei`` is late only once the
  time zone is taken into account, ``alice`` is on time, the others have none.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import warnings

from pathlib import Path

import nbformat

from autograder.demo import synthetic
from autograder.cli import main as cli_main
from autograder.batch.grade import write_student
from autograder.course.config import load_course
from autograder.grading.results import QuestionResult, SubmissionResult

ASSIGNMENT = "a1_activations"
KINDS = {"alice": "correct", "bob": "mistakes", "carol": "stub", "mallory": "hostile",
         "Zoë Ünal": "mistakes", "li wei": "correct", "<i>eve&co": "mistakes"}
GARBAGE, CRASHER = "garbage", "crasher"
HELPER, RENAMER = "helper", "renamer"
SUBMITTED = len(KINDS) + 4  # every kind, garbage, crasher, helper, renamer
ABSENT = ("dave", "frank")
NAMES = {"alice": ("Alice", "Martin"), "Zoë Ünal": ("Zoë", "Ünal"), "dave": ("Dave", "O'Neil"), HELPER: ("Hana", "")}
WRITTEN = {"alice": 1.5, "bob": 2.0}  # dead_units's score in the formgrader; the others are not graded yet
TIMESTAMPS = {  # nbgrader's format: "%Y-%m-%d %H:%M:%S.%f %Z" (due 2027-02-05T23:59:00, UTC)
    "alice": "2027-02-05 20:00:00.000000 UTC",
    "bob": "2027-02-06 09:15:00.000000 UTC",
    "li wei": "2027-02-05 23:30:00.000000 America/Los_Angeles",  # 07:30 UTC the next day
}
LATE = ("bob", "li wei")


def write_submissions(submitted: Path) -> None:
    """Every submission of the class, its timestamps, but not the absent students."""
    course = load_course()
    synthetic.write_class(submitted, course, KINDS, assignments=[ASSIGNMENT])
    notebook = course.assignment(ASSIGNMENT).notebooks[0].name + ".ipynb"
    (submitted / GARBAGE / ASSIGNMENT).mkdir(parents=True)
    (submitted / GARBAGE / ASSIGNMENT / notebook).write_text("{ not a notebook", encoding="utf-8")
    crash = synthetic.make_submission("correct", ASSIGNMENT, notebook[:-len(".ipynb")])
    synthetic.replace_answer(crash, "relu", "import os\nos._exit(3)")
    (submitted / CRASHER / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(crash, str(submitted / CRASHER / ASSIGNMENT / notebook))
    helper = synthetic.make_submission("correct", ASSIGNMENT, notebook[:-len(".ipynb")])
    setup = next(c for c in helper.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    setup.source += "\n\ndef positive_part(z):\n    return np.maximum(0.0, z)\n"
    synthetic.replace_answer(helper, "relu", "return positive_part(z)")
    (submitted / HELPER / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(helper, str(submitted / HELPER / ASSIGNMENT / notebook))
    (submitted / RENAMER / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(synthetic.make_submission("correct", ASSIGNMENT, notebook[:-len(".ipynb")]),
                   str(submitted / RENAMER / ASSIGNMENT / notebook.replace(".ipynb", "-Copy1.ipynb")))
    for student, stamp in TIMESTAMPS.items():
        (submitted / student / ASSIGNMENT / "timestamp.txt").write_text(stamp + "\n", encoding="utf-8")


def everyone() -> list[str]:
    """Every student of the class list, the absent ones included."""
    return [*KINDS, GARBAGE, CRASHER, HELPER, RENAMER, *ABSENT]


def make_graded_class(root: Path) -> dict[str, Path]:
    """Write and grade the class under ``root``; returns its paths (submitted, graded, roster)."""
    submitted, graded, roster = root / "submitted", root / "graded", root / "students.csv"
    write_submissions(submitted)
    status = cli_main(["grade", ASSIGNMENT, str(submitted), "--out", str(graded), "--jobs", "1", "--quiet"])
    assert status == 0, "the grader failed on the report's test class"
    write_roster(roster, everyone())
    return {"submitted": submitted, "graded": graded, "roster": roster}


def write_roster(path: Path, students: list[str]) -> None:
    """nbgrader's students.csv: id,first_name,last_name,email, names from :data:`NAMES`."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("id", "first_name", "last_name", "email"))
        writer.writerows((s, *NAMES.get(s, ("", "")), "") for s in students)


def make_gradebook(path: Path, students: list[str]) -> Path:
    """nbgrader's gradebook at ``path`` as ``nbgrader autograde`` and the formgrader leave it, made
    with nbgrader's API: the students (names from :data:`NAMES`), a submission of
    :data:`ASSIGNMENT` for each, its written answer dead_units scored as :data:`WRITTEN` says and
    not graded yet for the others."""
    path_variable = os.environ.get("PATH", "")
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + path_variable  # nbgrader runs alembic
    try:
        with warnings.catch_warnings():  # nbgrader's add_submission trips SQLAlchemy's autoflush warning
            warnings.simplefilter("ignore", category=Warning)
            _fill_gradebook(path, students)
    finally:
        os.environ["PATH"] = path_variable
    return path


def _fill_gradebook(path: Path, students: list[str]) -> None:
    from nbgrader.api import Gradebook

    notebook = load_course().assignment(ASSIGNMENT).notebooks[0]
    with Gradebook(f"sqlite:///{path}", load_course().id) as gb:
        for student in students:
            first, last = NAMES.get(student, (None, None))
            gb.add_student(student, first_name=first, last_name=last)
        gb.add_assignment(ASSIGNMENT)
        gb.add_notebook(notebook.name, ASSIGNMENT)
        for question in notebook.questions:
            gb.add_grade_cell(question.id, notebook.name, ASSIGNMENT, max_score=question.points, cell_type="code")
        for written in notebook.written:
            gb.add_grade_cell(written.id, notebook.name, ASSIGNMENT, max_score=written.points, cell_type="markdown")
        for student in students:
            gb.add_submission(ASSIGNMENT, student)
            if student in WRITTEN:
                grade = gb.find_grade(notebook.written[0].id, notebook.name, ASSIGNMENT, student)
                grade.manual_score, grade.needs_manual_grade = WRITTEN[student], False
        gb.db.commit()


# --------------------------------------------------------------------------- a second assignment, by hand
SECOND = "a2_feedforward"
SECOND_SCORES = {  # student -> question -> score; bob forgot the biases
    "alice": {"layer_shapes": 1, "param_count": 1, "param_count_maxout": 2, "dense_forward": 2, "forward": 3,
              "to_course_convention": 2, "forward_004": 2},
    "bob": {"layer_shapes": 1, "param_count": 0, "param_count_maxout": 0, "dense_forward": 2, "forward": 0,
            "to_course_convention": 2, "forward_004": 0},
    "carol": {"layer_shapes": 0, "param_count": 0, "param_count_maxout": 0, "dense_forward": 0, "forward": 0,
              "to_course_convention": 0, "forward_004": 0},
}
FORGOT_BIASES = {"id": "forgot the biases", "message": "count the biases", "cases": 3}


def write_second_assignment(graded_root: Path) -> Path:
    """grade.json files for :data:`SECOND` written directly (cheaper than grading), in the
    format ``grade`` writes; carol's is an older file without ``mistakes``. Returns the folder."""
    specs = {q.id: q for q in load_course().assignment(SECOND).questions}
    folder = graded_root / SECOND
    for student, scores in SECOND_SCORES.items():
        write_student(folder, SubmissionResult(student, SECOND, [
            QuestionResult(q, s, specs[q].points, 0, 1, f"{q}: feedback",
                           [FORGOT_BIASES] if (student, q) == ("bob", "param_count") else [])
            for q, s in scores.items()]))
    old = folder / "carol" / "grade.json"
    record = json.loads(old.read_text(encoding="utf-8"))
    for question in record["questions"]:
        del question["mistakes"]
    old.write_text(json.dumps(record), encoding="utf-8")
    return folder


def make_course_root(graded: Path, root: Path) -> Path:
    """``root/ASSIGNMENT/`` for ``report all``: the graded class of :data:`ASSIGNMENT` and
    :func:`write_second_assignment`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ASSIGNMENT).symlink_to(graded, target_is_directory=True)
    write_second_assignment(root)
    return root
