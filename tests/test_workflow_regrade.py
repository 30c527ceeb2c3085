"""Regrading by content (issue 14, point 1): a rerun of ``python -m autograder grade`` grades
exactly the students whose submission or grading inputs changed, keeps the others, and says
so; ``--force`` regrades everyone; a batch killed half-way resumes exactly."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pytest

from autograder.batch.result_files import GRADE_FILE
from autograder.cli import main
from autograder.course.config import load_course

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

pytestmark = pytest.mark.slow
A = "a2_feedforward"
AUTO = sum(q.points for q in load_course().assignment("a2_feedforward").questions)  # auto-graded points
WRONG_COUNT = "def param_count(sizes):\n    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))\n"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return wc.make_course(tmp_path_factory.mktemp("regrade") / "course", [A])


@pytest.fixture()
def klass(course, tmp_path):
    """alice (right) and bob (a wrong param_count) submitted into a fresh folder."""
    submitted = tmp_path / "submitted"
    for student, answers in (("alice", {}), ("bob", {"param_count": WRONG_COUNT})):
        folder = submitted / student / A
        folder.mkdir(parents=True)
        (folder / "feedforward.ipynb").write_text(json.dumps(wc.answered(course, A, answers)))
    return submitted


def grade(course: Path, submitted: Path, out: Path, capsys, *extra: str) -> str:
    assert main(["grade", A, str(submitted), "--out", str(out), "--jobs", "1",
                 "--course", str(course / "course.yml"), *extra]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def stamps(out: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in out.glob(f"*/{GRADE_FILE}")}


def test_a_rerun_keeps_every_unchanged_grade_and_says_so(course, klass, tmp_path, capsys):
    out = tmp_path / "out"
    assert grade(course, klass, out, capsys) == "2 graded, 0 unchanged, 0 failed"
    before = stamps(out)
    assert grade(course, klass, out, capsys) == "0 graded, 2 unchanged, 0 failed"
    assert stamps(out) == before


def test_a_resubmission_is_regraded_and_only_it(course, klass, tmp_path, capsys):
    out = tmp_path / "out"
    grade(course, klass, out, capsys)
    assert json.loads((out / "bob" / GRADE_FILE).read_text())["score"] < AUTO
    before = stamps(out)
    (klass / "bob" / A / "feedforward.ipynb").write_text(json.dumps(wc.answered(course, A)))  # fixed
    assert grade(course, klass, out, capsys) == "1 graded, 1 unchanged, 0 failed"
    after = stamps(out)
    assert after["alice"] == before["alice"] and after["bob"] != before["bob"]
    assert json.loads((out / "bob" / GRADE_FILE).read_text())["score"] == AUTO


def test_a_new_timestamp_is_a_new_submission(course, klass, tmp_path, capsys):
    out = tmp_path / "out"
    grade(course, klass, out, capsys)
    wc.write_timestamp(klass / "alice" / A, dt.datetime(2027, 2, 20, 9, 0))  # collected after the due date
    assert grade(course, klass, out, capsys) == "1 graded, 1 unchanged, 0 failed"
    record = json.loads((out / "alice" / GRADE_FILE).read_text())
    assert record["late"]["seconds_late"] == pytest.approx(9 * 3600 + 60)


def test_force_regrades_everyone(course, klass, tmp_path, capsys):
    out = tmp_path / "out"
    grade(course, klass, out, capsys)
    assert grade(course, klass, out, capsys, "--force") == "2 graded, 0 unchanged, 0 failed"


def test_a_change_of_the_grading_inputs_regrades_everyone(course, klass, tmp_path, capsys):
    copy = wc.make_course(tmp_path / "course", [A])
    out = tmp_path / "out"
    grade(copy, klass, out, capsys)
    with open(copy / "course.yml", "a") as handle:
        handle.write("\n# a fixed question: any change of course.yml, the release or the engine\n")
    assert grade(copy, klass, out, capsys) == "2 graded, 0 unchanged, 0 failed"


def test_a_killed_batch_resumes_exactly(course, klass, tmp_path, capsys):
    out = tmp_path / "out"
    grade(course, klass, out, capsys)
    os.unlink(out / "bob" / GRADE_FILE)  # killed before bob's record was written (it is written last)
    (out / "alice" / GRADE_FILE).write_text('{"student": "alice", "assign')  # or half-written by hand
    assert grade(course, klass, out, capsys) == "2 graded, 0 unchanged, 0 failed"
    assert grade(course, klass, out, capsys) == "0 graded, 2 unchanged, 0 failed"


def test_the_record_says_what_it_was_made_from(course, klass, tmp_path, capsys):
    out = tmp_path / "out"
    grade(course, klass, out, capsys)
    inputs = {s: json.loads((out / s / GRADE_FILE).read_text())["inputs"] for s in ("alice", "bob")}
    assert inputs["alice"]["grader"] == inputs["bob"]["grader"]
    assert inputs["alice"]["submission"] != inputs["bob"]["submission"]
    assert all(len(value) == 64 for record in inputs.values() for value in record.values())


def test_the_late_policy_of_course_yml_costs_the_same_on_both_paths(course, klass, tmp_path, capsys):
    from autograder.batch.lateness import late_penalty
    from autograder.nbgrader_plugin import CourseLatePolicy

    copy = wc.make_course(tmp_path / "course", [A])
    text = (copy / "course.yml").read_text().replace("penalty_per_day: 0.0", "penalty_per_day: 0.25")
    (copy / "course.yml").write_text(text)
    wc.write_timestamp(klass / "alice" / A, dt.datetime(2027, 2, 20, 9, 0))  # 9 h late: one day begun
    out = tmp_path / "out"
    grade(copy, klass, out, capsys)
    record = json.loads((out / "alice" / GRADE_FILE).read_text())
    penalty = 0.25 * AUTO  # one day begun, on the auto-graded score (the written answers are pending)
    assert record["late"]["penalty"] == penalty and record["score"] == AUTO - penalty
    assert f"Late penalty: {penalty:g} points." in " ".join((out / "alice" / "feedback.txt").read_text().split())
    with open(out / "grades.csv") as handle:
        rows = [line.strip().split(",") for line in handle]
    assert ["alice", A, "late penalty", f"-{penalty:g}", "0", "yes"] in rows
    assert sum(float(r[3]) for r in rows[1:] if r[0] == "alice") == AUTO - penalty  # the rows still add up
    policy = CourseLatePolicy(per_day=0.25)
    assert policy.late_submission_penalty("alice", 7.0, 9 * 3600 + 60) == late_penalty(7.0, 9 * 3600 + 60, 0.25)
    assert policy.late_submission_penalty("alice", 7.0, 3 * 86400) == 5.25
    assert CourseLatePolicy().late_submission_penalty("alice", 7.0, 3 * 86400) == 0  # the default: none
