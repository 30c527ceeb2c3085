"""The command line on a small batch: files written, Gradescope format, resuming, exit status."""
from __future__ import annotations

import csv
import fcntl
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.course.config import load_course

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
ASSIGNMENT = "a2_feedforward"
NOTEBOOK = "feedforward.ipynb"
QUESTIONS = [q.id for q in COURSE.assignment(ASSIGNMENT).questions]
MAX = sum(q.points for q in COURSE.assignment(ASSIGNMENT).questions)
OUT_FILES = ("feedback.txt", "results.json", "grade.json")


def _solution() -> nbformat.NotebookNode:
    return nbformat.read(str(REPO / "solutions" / ASSIGNMENT / NOTEBOOK), as_version=4)


def _replace_answer(nb, function: str, source: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution") \
                and cell.source.startswith(f"def {function}("):
            cell.source = source
            return nb
    raise AssertionError(function)


def _write(subs: Path, student: str, nb=None, text: str | None = None) -> None:
    folder = subs / student / ASSIGNMENT
    folder.mkdir(parents=True)
    if nb is not None:
        nbformat.write(nb, str(folder / NOTEBOOK))
    elif text is not None:
        (folder / NOTEBOOK).write_text(text)


def make_batch(subs: Path) -> None:
    _write(subs, "correct", _solution())
    shutil.copytree(REPO / "assignments" / ASSIGNMENT, subs / "stub" / ASSIGNMENT)
    _write(subs, "mistaken", _replace_answer(
        _solution(), "param_count",
        "def param_count(sizes):\n    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))\n"))
    _write(subs, "hostile", _replace_answer(_solution(), "layer_shapes", "import os\nos._exit(0)\n"))
    _write(subs, "garbage", text="{ this is not JSON, and not a notebook")
    _write(subs, "missing")  # an assignment folder without the notebook
    (subs / "not_this_assignment" / "a1_activations").mkdir(parents=True)


STUDENTS = ["correct", "garbage", "hostile", "missing", "mistaken", "stub"]


def run_cli(subs: Path, out: Path, *extra: str) -> int:
    return main(["grade", ASSIGNMENT, str(subs), "--out", str(out), "--jobs", "2", "--quiet", *extra])


def read_csv(out: Path) -> list[dict]:
    with open(out / "grades.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def mtimes(out: Path, students) -> dict:
    return {(s, f): (out / s / f).stat().st_mtime_ns for s in students for f in OUT_FILES}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, request):
    """One graded batch, shared by the xdist workers; tests that change it work on a copy."""
    base = tmp_path_factory.getbasetemp()
    in_xdist_worker = hasattr(request.config, "workerinput")
    root = (base.parent if in_xdist_worker else base) / "cli-batch"
    root.mkdir(exist_ok=True)
    subs, out, done = root / "submitted", root / "out", root / "exit-code"
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            make_batch(subs)
            done.write_text(str(run_cli(subs, out)))
    return subs, out, int(done.read_text())


def copy_of(batch, tmp_path) -> tuple[Path, Path]:
    subs, out, _ = batch
    shutil.copytree(out, tmp_path / "out")  # copy2 keeps the mtimes
    return subs, tmp_path / "out"


# --------------------------------------------------------------------------- one run
@pytest.mark.slow
def test_batch_exits_zero_and_writes_every_file(batch):
    subs, out, code = batch
    assert code == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == STUDENTS
    for student in STUDENTS:
        for name in OUT_FILES:
            assert (out / student / name).is_file(), (student, name)
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_grades_csv_has_one_row_per_student_and_question(batch):
    _, out, _ = batch
    with open(out / "grades.csv", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["student_id", "assignment", "question", "score", "max_score", "late"]
    rows = read_csv(out)
    assert [(r["student_id"], r["question"]) for r in rows] == [(s, q) for s in STUDENTS for q in QUESTIONS]
    assert {r["assignment"] for r in rows} == {ASSIGNMENT}
    points = {q.id: q.points for q in COURSE.assignment(ASSIGNMENT).questions}
    totals = {}
    for r in rows:
        assert float(r["max_score"]) == points[r["question"]]
        totals[r["student_id"]] = totals.get(r["student_id"], 0) + float(r["score"])
    assert totals == {"correct": MAX, "mistaken": MAX - 1, "stub": 0, "hostile": 0, "garbage": 0, "missing": 0}
    by = {(r["student_id"], r["question"]): float(r["score"]) for r in rows}
    assert by[("mistaken", "param_count")] == 0 and by[("mistaken", "forward")] == 3


@pytest.mark.slow
def test_results_json_follows_gradescopes_schema(batch):
    _, out, _ = batch
    top_keys = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                "visibility", "stdout_visibility",
                "extra_data", "tests", "leaderboard"}
    test_keys = {"score", "max_score", "status", "name", "name_format", "number", "output",
                 "output_format", "tags", "visibility", "extra_data"}
    for student in STUDENTS:
        data = json.loads((out / student / "results.json").read_text())
        assert set(data) <= top_keys and isinstance(data["score"], (int, float))
        assert isinstance(data.get("output", ""), str)
        assert [t["name"] for t in data["tests"]] == QUESTIONS
        for test in data["tests"]:
            assert set(test) <= test_keys
            assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
            assert 0 <= test["score"] <= test["max_score"] and isinstance(test["output"], str) and test["output"]
        assert math.isclose(data["score"], sum(t["score"] for t in data["tests"]))
        grade = json.loads((out / student / "grade.json").read_text())
        assert grade["student"] == student and grade["assignment"] == ASSIGNMENT
        assert grade["score"] == data["score"] and grade["max_score"] == MAX


@pytest.mark.slow
def test_feedback_is_readable_and_gives_reasons(batch):
    _, out, _ = batch
    text = {s: (out / s / "feedback.txt").read_text(encoding="utf-8") for s in STUDENTS}
    flat = {s: " ".join(body.split()) for s, body in text.items()}  # the lines are wrapped to the page
    assert flat["correct"].startswith(f"Assignment {ASSIGNMENT}, student correct: {MAX:g} of {MAX:g}")
    assert "failed" not in text["correct"]
    assert flat["stub"].count("not implemented yet") == len(QUESTIONS)
    assert "you counted only the weights" in flat["mistaken"]
    assert "exited early" in flat["hostile"]
    assert "could not be read" in flat["garbage"]
    assert "no notebook feedforward.ipynb was submitted" in flat["missing"]
    for student, body in text.items():
        for q in QUESTIONS:
            assert re.search(rf"^{q}: \d+/\d+ checks passed", body, re.M), (student, q)


@pytest.mark.slow
def test_written_feedback_has_no_hidden_values(batch):
    subs, out, _ = batch
    for student in STUDENTS:
        for name in OUT_FILES:
            body = (out / student / name).read_text()
            graded = wc.graded_submission(subs / student / ASSIGNMENT / NOTEBOOK,
                                          REPO / "assignments" / ASSIGNMENT / NOTEBOOK)
            assert not wc.leaked_hidden_numbers(body, COURSE, ASSIGNMENT, student, graded), (student, name)


# --------------------------------------------------------------------------- resuming
@pytest.mark.slow
def test_rerun_regrades_only_a_student_whose_output_was_deleted(batch, tmp_path):
    subs, out = copy_of(batch, tmp_path)
    before = mtimes(out, STUDENTS)
    csv_before = (out / "grades.csv").read_text()
    shutil.rmtree(out / "mistaken")
    assert run_cli(subs, out, "--jobs", "1") == 0
    after = mtimes(out, STUDENTS)
    for (student, name), stamp in before.items():
        assert (after[student, name] == stamp) == (student != "mistaken"), (student, name)
    assert (out / "grades.csv").read_text() == csv_before  # no duplicates, same grades
    assert len(read_csv(out)) == len(STUDENTS) * len(QUESTIONS)


@pytest.mark.slow
def test_a_killed_run_resumes_where_it_stopped(batch, tmp_path):
    subs, out = copy_of(batch, tmp_path)
    grade_json = {s: (out / s / "grade.json").read_text() for s in STUDENTS}
    csv_before = (out / "grades.csv").read_text()
    # killed after writing feedback and results.json but before grade.json, mid-way through a temp file
    for student in ("correct", "hostile"):
        (out / student / "grade.json").unlink()
        (out / student / ".grade.json.k1ll3d.tmp").write_text(grade_json[student][:40])
    (out / "stub" / "grade.json").write_text(grade_json["stub"][:25])  # a torn file (not atomic elsewhere)
    other = json.loads(grade_json["garbage"])  # a grade of another assignment does not count as done
    (out / "garbage" / "grade.json").write_text(json.dumps({**other, "assignment": "a1_activations"}))
    (out / "tmpabc123.tmp").write_text("student_id,assign")  # a half-written grades.csv
    (out / "grades.csv").write_text(csv_before.splitlines()[0] + "\n")
    before = mtimes(out, ["missing", "mistaken"])
    assert run_cli(subs, out, "--jobs", "1") == 0
    assert mtimes(out, ["missing", "mistaken"]) == before
    for student in STUDENTS:
        assert (out / student / "grade.json").read_text() == grade_json[student]  # deterministic regrade
    assert (out / "grades.csv").read_text() == csv_before


# --------------------------------------------------------------------------- exit status
@pytest.mark.slow
def test_a_grader_fault_exits_one_and_the_others_are_still_graded(tmp_path, capsys):
    subs, out = tmp_path / "submitted", tmp_path / "out"
    _write(subs, "alice", _solution())
    _write(subs, "bob", _solution())
    out.mkdir()
    (out / "bob").write_text("a file where bob's folder should be")  # the grader cannot write bob's files
    assert run_cli(subs, out, "--jobs", "1") == 1
    assert "bob: grader fault" in capsys.readouterr().err
    assert json.loads((out / "alice" / "grade.json").read_text())["score"] == MAX
    assert [r["student_id"] for r in read_csv(out)] == ["alice"] * len(QUESTIONS)


def test_unknown_assignment_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "submitted").mkdir()
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", "a9_nonexistent", str(tmp_path / "submitted"), "--out", str(tmp_path / "out"), "--quiet"])
    assert exit_info.value.code not in (0, None)
    err = capsys.readouterr().err
    assert "unknown assignment 'a9_nonexistent'" in err and "a2_feedforward" in err
    assert "Traceback" not in err


def test_nonexistent_submissions_dir_is_an_error(tmp_path):
    missing = tmp_path / "no-such-dir"
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(missing),
                           "--out", str(tmp_path / "out"), "--quiet"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert str(missing) in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_empty_submissions_dir_writes_an_empty_grades_csv(tmp_path, capsys):
    (tmp_path / "submitted").mkdir()
    assert run_cli(tmp_path / "submitted", tmp_path / "out") == 0
    assert (tmp_path / "out" / "grades.csv").read_text().strip() == "student_id,assignment,question,score,max_score,late"
