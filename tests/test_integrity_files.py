"""Attacks through the file system on ``python -m autograder grade``. Issue 9, point 8.

One class of a2 (the smallest assignment) is graded once with ``--jobs 2``: two honest
students and one attacker per trick. Each attacker gets a fair zero with a reason they can
act on, the batch finishes (grades.csv is written), and the honest students get exactly
the grade they get when graded alone.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.course.config import MB, load_course
from autograder.grading.pipeline import grade_path, read_notebook
from autograder.grading.submission_files import MissingNotebook, SubmissionFileError, is_safe_id, read_submission_file
from autograder.demo.synthetic import make_submission

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
A2 = "a2_feedforward"
NOTEBOOK = "feedforward.ipynb"
QUESTIONS = [q.id for q in COURSE.assignment(A2).questions]
HONEST = {"alice": "correct", "bob": "mistakes"}
UNSAFE_NAME = "new\nline"  # a newline in a folder name: legal on Linux, never a student id
FORMULA_NAME = "=SUM(1+1)*cmd|x"  # a safe folder name, graded; grades.csv neutralises the formula


def notebook_of(student: str, subs: Path) -> Path:
    return subs / student / A2 / NOTEBOOK


def write_honest(subs: Path, students: dict[str, str]) -> None:
    for student, kind in students.items():
        path = notebook_of(student, subs)
        path.parent.mkdir(parents=True)
        path.write_text(nbformat.writes(make_submission(kind, A2, NOTEBOOK.removesuffix(".ipynb"))))


def link_notebook_to_classmate(subs: Path, student: str) -> None:
    notebook_of(student, subs).parent.mkdir(parents=True)
    notebook_of(student, subs).symlink_to(notebook_of("alice", subs))


def fifo_notebook(subs: Path, student: str) -> None:
    notebook_of(student, subs).parent.mkdir(parents=True)
    os.mkfifo(notebook_of(student, subs))


def link_notebook_to_dev_zero(subs: Path, student: str) -> None:
    notebook_of(student, subs).parent.mkdir(parents=True)
    notebook_of(student, subs).symlink_to("/dev/zero")


def huge_notebook(subs: Path, student: str) -> None:
    """136 MB: a real notebook with one enormous cell of padding (a sparse file, so the test
    writes a few kilobytes while the grader sees 136 MB)."""
    path = notebook_of(student, subs)
    path.parent.mkdir(parents=True)
    path.write_text(nbformat.writes(make_submission("correct", A2, "feedforward")))
    os.truncate(path, 136 * MB)


def link_student_folder_to_classmate(subs: Path, student: str) -> None:
    (subs / student).symlink_to(subs / "alice", target_is_directory=True)


def link_assignment_folder_to_classmate(subs: Path, student: str) -> None:
    (subs / student).mkdir()
    (subs / student / A2).symlink_to(subs / "alice" / A2, target_is_directory=True)


def unsafe_folder_name(subs: Path, student: str) -> None:
    write_honest(subs, {UNSAFE_NAME: "correct", FORMULA_NAME: "correct"})


ATTACKS = {  # student id -> (how the submission is laid out, the reason the attacker is told)
    "eve": (link_notebook_to_classmate, f"the notebook {NOTEBOOK} is a symbolic link; submit the file itself"),
    "fifi": (fifo_notebook, f"the notebook {NOTEBOOK} is not a regular file (it is a named pipe"),
    "zed": (link_notebook_to_dev_zero, f"the notebook {NOTEBOOK} is a symbolic link; submit the file itself"),
    "hugo": (huge_notebook, f"the notebook {NOTEBOOK} is larger than 20 MB"),
    "sly": (link_student_folder_to_classmate, "the folder sly is a symbolic link; submit the folder itself"),
    "tom": (link_assignment_folder_to_classmate, f"the folder {A2} is a symbolic link; submit the folder itself"),
}


# The command runs under a small wrapper that reports its tree's peak: measured from the test
# process itself, a fork of a large pytest worker would count the worker's memory before exec.
PEAK_WRAPPER = """
import resource, subprocess, sys
with open(sys.argv[1], "w") as out, open(sys.argv[2], "w") as err:
    code = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_grade(subs: Path, out: Path) -> tuple[subprocess.CompletedProcess, float]:
    """``python -m autograder grade ... --jobs 2`` in a child process; returns it and the peak
    resident memory of the largest process of its tree, in MB."""
    stdout, stderr = out.parent / f"{out.name}.stdout", out.parent / f"{out.name}.stderr"
    command = [sys.executable, "-m", "autograder", "grade", A2, str(subs), "--out", str(out), "--jobs", "2", "--quiet"]
    try:  # the FIFO of the first edition hung the batch for ever
        wrapper = subprocess.run([sys.executable, "-c", PEAK_WRAPPER, str(stdout), str(stderr), *command],
                                 cwd=REPO, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail("the batch did not finish within 300 s")
    code, peak_kb = (int(n) for n in wrapper.stdout.split())
    done = subprocess.CompletedProcess(command, code, stdout.read_text(), stderr.read_text())
    return done, peak_kb / 1024


def grades(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grade.json")}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """The class with every attack, and each honest student graded alone."""
    root = tmp_path_factory.mktemp("attacked")
    subs = root / "submitted"
    write_honest(subs, HONEST)
    for student, (attack, _) in ATTACKS.items():
        attack(subs, student)
    unsafe_folder_name(subs, UNSAFE_NAME)
    batch, peak_mb = run_grade(subs, root / "out")
    alone = {}
    for student, kind in HONEST.items():
        own = root / f"alone-{student}"
        write_honest(own, {student: kind})
        proc, _ = run_grade(own, root / f"out-{student}")
        assert proc.returncode == 0, proc.stderr
        alone[student] = grades(root / f"out-{student}")[student]
    return root, batch, peak_mb, alone


@pytest.mark.slow
def test_the_batch_finishes_and_grades_everyone_with_a_safe_name(attacked):
    root, batch, _, _ = attacked
    assert batch.returncode == 0, batch.stderr
    assert sorted(grades(root / "out")) == sorted([*HONEST, *ATTACKS, FORMULA_NAME])
    with open(root / "out" / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted({r["student_id"] for r in rows}) == sorted([*HONEST, *ATTACKS, "'" + FORMULA_NAME])


@pytest.mark.slow
@pytest.mark.parametrize("student", list(ATTACKS))
def test_each_attacker_gets_a_fair_zero_with_the_reason(attacked, student):
    root, _, _, _ = attacked
    grade = grades(root / "out")[student]
    assert grade["score"] == 0 and [q["id"] for q in grade["questions"]] == QUESTIONS
    assert all(q["score"] == 0 and q["passed"] == 0 for q in grade["questions"])
    reason = ATTACKS[student][1]
    assert reason in grade["error"]
    assert reason in " ".join((root / "out" / student / "feedback.txt").read_text().split())  # wrapped to the page


@pytest.mark.slow
@pytest.mark.parametrize("student", list(HONEST))
def test_honest_students_get_exactly_their_grade_alone(attacked, student):
    root, _, _, alone = attacked
    assert grades(root / "out")[student] == alone[student]
    assert alone[student]["score"] > 0


@pytest.mark.slow
def test_an_unsafe_folder_name_is_reported_and_never_used_as_a_path(attacked):
    root, batch, _, _ = attacked
    assert ascii(UNSAFE_NAME) in batch.stderr and "not a valid student id" in batch.stderr
    assert not any(UNSAFE_NAME in str(p) for p in (root / "out").rglob("*"))
    assert UNSAFE_NAME not in (root / "out" / "grades.csv").read_text()
    assert "'" + FORMULA_NAME in (root / "out" / "grades.csv").read_text()  # graded, neutralised


@pytest.mark.slow
def test_no_grading_process_reads_the_huge_file_into_memory(attacked):
    _, _, peak_mb, _ = attacked
    assert peak_mb < 200, f"a grading process peaked at {peak_mb:.0f} MB"


# --------------------------------------------------------------------------- the pieces
def test_reading_stops_after_the_cap_even_when_the_size_is_not_known_in_advance(tmp_path):
    """/proc files claim size 0: the cap is enforced on what is read, not on st_size."""
    maps = Path("/proc/self/maps")
    with pytest.raises(SubmissionFileError, match="larger than"):
        read_submission_file(maps, max_bytes=64)
    assert len(read_submission_file(maps, max_bytes=10 * MB)) > 64


def test_a_notebook_at_the_cap_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / NOTEBOOK
    path.write_bytes(b"x" * 1000)
    assert read_submission_file(path, max_bytes=1000) == b"x" * 1000
    path.write_bytes(b"x" * 1001)
    with pytest.raises(SubmissionFileError, match="larger than"):
        read_submission_file(path, max_bytes=1000)


def test_a_missing_notebook_is_told_apart_from_a_refused_one(tmp_path):
    with pytest.raises(MissingNotebook, match=f"no notebook {NOTEBOOK} was submitted"):
        read_submission_file(tmp_path / NOTEBOOK, max_bytes=MB)
    (tmp_path / NOTEBOOK).mkdir()
    with pytest.raises(SubmissionFileError, match="is not a regular file \\(it is a folder\\)"):
        read_submission_file(tmp_path / NOTEBOOK, max_bytes=MB)


def test_a_symlink_below_the_root_is_refused_even_when_it_points_inside(tmp_path):
    (tmp_path / "alice" / A2).mkdir(parents=True)
    (tmp_path / "alice" / A2 / NOTEBOOK).write_text("{}")
    (tmp_path / "mallory").symlink_to("alice")
    assert read_submission_file(tmp_path / "mallory" / A2 / NOTEBOOK, MB) == b"{}"  # no root: not checked
    with pytest.raises(SubmissionFileError, match="the folder mallory is a symbolic link"):
        read_submission_file(tmp_path / "mallory" / A2 / NOTEBOOK, MB, root=tmp_path)


def test_read_notebook_uses_the_courses_cap_by_default(tmp_path):
    path = tmp_path / NOTEBOOK
    with open(path, "wb") as handle:
        handle.truncate(int(COURSE.notebook_mb * MB) + 1)
    with pytest.raises(SubmissionFileError, match=f"larger than {COURSE.notebook_mb:g} MB"):
        read_notebook(path)


def test_grade_path_on_a_fifo_returns_at_once_with_a_zero(tmp_path):
    os.mkfifo(tmp_path / NOTEBOOK)
    t0 = time.monotonic()
    result = grade_path(tmp_path / NOTEBOOK, A2, "fifi", course=COURSE)
    assert time.monotonic() - t0 < 60
    assert result.score == 0 and "is not a regular file (it is a named pipe" in result.error


@pytest.mark.parametrize("name, safe", [
    ("alice", True), ("s1234567", True), ("jane.doe", True), ("jane_doe-2", True), ("a@b.edu", True),
    ("_x", True), ("x" * 64, True),
    (UNSAFE_NAME, False), ("+1", True), ("-rf", False), ("@home", True), (".hidden", False), ("..", False),
    ("a/b", False), ("a b", True), ("tab\tname", False), ("new\nline", False), ("", False), ("x" * 65, False),
    ("josé", True), ("Zoë Ünal", True), ("\r=1", False), ("a\\b", False), (FORMULA_NAME, True),
])
def test_the_safe_id_rule(name, safe):
    assert is_safe_id(name) is safe


def test_course_yml_validates_notebook_mb():
    from autograder.course.config import CourseError, parse_course
    import yaml
    data = yaml.safe_load((REPO / "course.yml").read_text())
    assert COURSE.notebook_mb == data["limits"]["notebook_mb"] == 20
    for bad in (0, -1, "big", True):
        data["limits"]["notebook_mb"] = bad
        with pytest.raises(CourseError, match="limits.notebook_mb"):
            parse_course(data)
    del data["limits"]["notebook_mb"]
    assert parse_course(data).notebook_mb == 20
