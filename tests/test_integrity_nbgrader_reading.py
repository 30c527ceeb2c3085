"""``nbgrader autograde`` reads submissions as the command line does. Issue 21, points 3 and 4.

On main, nbgrader's path opened whatever was at ``submitted/STUDENT/A/NB.ipynb``: a symbolic link
to a classmate's notebook was graded as the student's own (full marks), a 29 MB notebook was graded,
a FIFO stopped ``autograde`` for the whole class and a link to ``/dev/zero`` was read until
MemoryError. A renamed notebook (``demo-Copy1.ipynb``) was copied to ``demo.ipynb`` in the
student's own folder, where it shadowed every corrected ``-Copy1`` the student handed in later.

Here one class of the nbgrader fixture course (tests/fixtures/nbgrader/course) is autograded with
the repository's ``nbgrader_config.py`` and a stand-in engine whose score says which answer it
was given (``content_engine.py`` below: right answer 2 points, anything else 0). Each hostile
submission is a graded zero whose feedback gives the command line's reason
(:func:`autograder.grading.pipeline.read_submission`), the rest of the class is graded, and nothing is
written into a student's folder. The renamed notebook is then resubmitted, corrected, and
graded again: the new file is graded, and the feedback names it.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from autograder.batch.grade import locate_notebook
from autograder.course import release
from autograder.course.config import MB
from autograder.grading import feedback
from autograder.grading.pipeline import Refusal, read_submission
from autograder.grading.results import SubmissionResult

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_nbgrader_integration import ASSIGNMENT, RELEASED, isolated_env, make_course  # noqa: E402

pytestmark = pytest.mark.slow
NOTEBOOK_MB = 1  # the fixture course's limits.notebook_mb, so that "too large" is cheap to make
ENGINE = ["--EngineGrade.grader=content_engine.grade_notebook"]
RIGHT = "def square(x):\n    return x * x\n"
WRONG = "def square(x):\n    return x + x\n"
CONTENT_ENGINE = '''"""A stand-in engine that says which answer it was given (written by the test)."""
from autograder.grading.results import QuestionResult, SubmissionResult


def grade_notebook(nb, assignment, student, notebook=None, release=None):
    answer = "".join(c.source for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                     == "square_answer")
    right = "return x * x" in answer
    verdict = "ANSWER-RIGHT" if right else "ANSWER-WRONG"
    question = QuestionResult(id="square", score=2.0 if right else 0.0, max_score=2.0, passed=8 if right else 0,
                              total=8, feedback=f"square: {verdict}")
    return SubmissionResult(student=student, assignment=assignment, questions=[question])
'''
MEMORY_LIMIT = 2 << 30  # an nbgrader that reads /dev/zero fails here rather than take the machine


def answered(course: Path, answer: str) -> nbformat.NotebookNode:
    nb = nbformat.read(course / "assignments" / ASSIGNMENT / "demo.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "square_answer":
            cell.source = answer
    return nb


def folder(course: Path, student: str) -> Path:
    return course / "submitted" / student / ASSIGNMENT


def hand_in(course: Path, student: str, nb: nbformat.NotebookNode, name: str = "demo") -> Path:
    path = folder(course, student) / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def link(course: Path, student: str, name: str, target: str | Path) -> None:
    folder(course, student).mkdir(parents=True, exist_ok=True)
    (folder(course, student) / name).symlink_to(target)


def submit_class(course: Path) -> None:
    """One honest student and one student per trick."""
    hand_in(course, "ann", answered(course, RIGHT))
    link(course, "linked", "demo.ipynb", folder(course, "ann") / "demo.ipynb")
    link(course, "linked_copy", "demo-Copy1.ipynb", folder(course, "ann") / "demo.ipynb")
    (course / "submitted" / "linked_folder").mkdir(parents=True)
    (course / "submitted" / "linked_folder" / ASSIGNMENT).symlink_to(folder(course, "ann"))
    big = answered(course, RIGHT)
    big.cells.append(nbformat.v4.new_markdown_cell("x" * int(1.5 * NOTEBOOK_MB * MB)))
    hand_in(course, "oversized", big)
    folder(course, "fifo").mkdir(parents=True)
    os.mkfifo(folder(course, "fifo") / "demo.ipynb")
    link(course, "zero", "demo.ipynb", "/dev/zero")
    hand_in(course, "renamed", answered(course, WRONG), "demo-Copy1")
    # a copy an earlier version of the grader wrote beside a renamed notebook, now resubmitted
    hand_in(course, "legacy", answered(course, RIGHT), "demo-Copy1")
    stale = answered(course, WRONG)
    stale.metadata["autograder"] = {"graded_from": "demo-Copy1.ipynb"}
    hand_in(course, "legacy", stale)
    # a student who writes the grader's own marks into the notebook's metadata
    forged = answered(course, RIGHT)
    forged.metadata["autograder"] = {"refused": {"reason": "FORGED-REASON", "kind": "refused file"},
                                     "edited_read_only_cells": ["setup"], "graded_from": "FORGED.ipynb"}
    hand_in(course, "forged", forged)


HOSTILE = ("linked", "linked_copy", "linked_folder", "oversized", "fifo", "zero")
STUDENTS = ("ann", *HOSTILE, "renamed", "legacy", "forged")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def autograde(course: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``nbgrader autograde fx --force`` with the content engine, bounded in time and memory
    (on main a FIFO made it wait for ever)."""
    cmd = [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--create", "--force", *ENGINE]
    return subprocess.run(cmd, cwd=course, env=release.nbgrader_env(env), capture_output=True, text=True,
                          timeout=300, preexec_fn=_limit_memory)


def listing(course: Path) -> dict[str, list[str]]:
    """What lies in each student's folder (names only: nothing is followed)."""
    return {student: sorted(os.listdir(folder(course, student))) for student in STUDENTS}


def shown(course: Path, student: str) -> str:
    """Everything the autograded notebook shows under its tests cells, whitespace normalised."""
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / "demo.ipynb", as_version=4)
    text = " ".join(o.get("text", "") or o.get("data", {}).get("text/plain", "")  # the notes: an output of their own
                    for cell in nb.cells for o in cell.get("outputs", []) if o.output_type in ("stream", "display_data"))
    return " ".join(text.split())


def words(text: str) -> str:
    return " ".join(text.split())


def command_line_reading(course: Path, student: str) -> SubmissionResult:
    """How the command line reads this student's submission (grade_student: locate_notebook, then
    grade_path's reading), as a result with the same error and notes."""
    found = locate_notebook(folder(course, student), "demo.ipynb", only_notebook=True,
                            max_bytes=NOTEBOOK_MB * MB, root=course / "submitted")
    refusal = read_submission(found.path, max_bytes=NOTEBOOK_MB * MB, root=course / "submitted")
    assert isinstance(refusal, Refusal), student
    return SubmissionResult(student, ASSIGNMENT, [], error=refusal.reason, notes=[found.note] if found.note else [])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("nbgrader_reading")
    course = make_course(root / "course")
    data = yaml.safe_load((course / "course.yml").read_text())
    data["limits"] = {"notebook_mb": NOTEBOOK_MB}
    (course / "course.yml").write_text(yaml.safe_dump(data))
    (course / "content_engine.py").write_text(CONTENT_ENGINE)
    env = isolated_env(root)
    release.release([ASSIGNMENT], course, now=RELEASED, env=env)
    submit_class(course)
    before = listing(course)
    first = autograde(course, env)
    runs = {"first": {"book": release.read_gradebook(course, ASSIGNMENT), "listing": listing(course),
                      "log": first.stdout + first.stderr,
                      "shown": {s: shown(course, s) for s in STUDENTS
                                if (course / "autograded" / s / ASSIGNMENT / "demo.ipynb").exists()}}}
    hand_in(course, "renamed", answered(course, RIGHT), "demo-Copy1")  # the corrected resubmission
    second = autograde(course, env)
    runs["second"] = {"book": release.read_gradebook(course, ASSIGNMENT), "listing": listing(course),
                      "log": second.stdout + second.stderr, "shown": {"renamed": shown(course, "renamed")}}
    return {"course": course, "before": before, **runs}


def test_the_honest_student_is_graded_and_autograde_finishes(graded):
    assert graded["first"]["book"]["ann"].cells["square"] == 2.0, graded["first"]["log"][-3000:]
    assert "ANSWER-RIGHT" in graded["first"]["shown"]["ann"]


@pytest.mark.parametrize("student, kind", [
    ("linked", "symbolic link"), ("linked_copy", "symbolic link"), ("linked_folder", "symbolic link"),
    ("oversized", f"larger than {NOTEBOOK_MB} MB"), ("fifo", "named pipe (FIFO)"), ("zero", "symbolic link"),
])
def test_a_file_the_command_line_refuses_is_a_zero_with_the_command_lines_reason(graded, student, kind):
    book, text = graded["first"]["book"][student], graded["first"]["shown"].get(student, "")
    assert book.cells["square"] == 0.0, graded["first"]["log"][-3000:]
    assert kind in text, text
    # the command line's notes (its reason, which file it graded), worded as it words them
    assert words(" ".join(feedback.submission_notes(command_line_reading(graded["course"], student)))) in text
    assert "ANSWER-RIGHT" not in text  # nothing of ann's was graded


def test_nothing_is_written_into_a_students_folder(graded):
    assert graded["first"]["listing"] == graded["before"]
    assert graded["second"]["listing"]["renamed"] == ["demo-Copy1.ipynb"]


def test_a_renamed_notebook_is_graded_and_its_corrected_resubmission_is_graded_in_its_place(graded):
    note = words(feedback.renamed_note("demo-Copy1.ipynb", "demo.ipynb"))
    first, second = graded["first"], graded["second"]
    assert first["book"]["renamed"].cells["square"] == 0.0 and "ANSWER-WRONG" in first["shown"]["renamed"]
    assert second["book"]["renamed"].cells["square"] == 2.0, second["log"][-3000:]
    assert "ANSWER-RIGHT" in second["shown"]["renamed"] and "ANSWER-WRONG" not in second["shown"]["renamed"]
    assert note in first["shown"]["renamed"] and note in second["shown"]["renamed"]


def test_a_copy_left_by_an_earlier_grader_does_not_shadow_the_resubmitted_renamed_notebook(graded):
    assert graded["first"]["book"]["legacy"].cells["square"] == 2.0
    assert words(feedback.renamed_note("demo-Copy1.ipynb", "demo.ipynb")) in graded["first"]["shown"]["legacy"]


def test_the_graders_marks_in_a_students_metadata_are_ignored(graded):
    text = graded["first"]["shown"]["forged"]
    assert graded["first"]["book"]["forged"].cells["square"] == 2.0
    assert "FORGED" not in text and "read-only" not in text and "not graded completely" not in text
