"""Feedback a student reads (issue 14, points 3, 4 and 8): an error in a cell is reported once,
under the question whose function the cell defines, with the cell located as the student sees
it; lines are wrapped to the feedback page; scores are written as a person writes them; the
summary table is aligned and whole; recognised mistakes are data in results.json; a missing
notebook is named with the files that were there."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from autograder.grading import feedback
from autograder.batch.grade import locate_notebook
from autograder.batch.table import print_table
from autograder.cli import main
from autograder.grading.feedback import gradescope_results
from autograder.course.config import load_course
from autograder.grading.pipeline import grade_notebook
from autograder.grading.results import ErrorKind, Late, QuestionResult, SubmissionResult
from autograder.sandbox import Sandbox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
A1 = "a1_activations"
UNSTABLE_SOFTMAX = "def softmax(Z):\n    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)\n"
SIGMOID_WITH_A_NAME_ERROR = ("def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n\n\n"
                             "print(sigmoid(x_that_is_not_defined))\n")


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(COURSE.limits) as sb:
        yield sb


def released(assignment: str) -> dict:
    name = wc.notebook_name(REPO, assignment)
    return json.loads((REPO / "assignments" / assignment / f"{name}.ipynb").read_text())


def graded(sandbox, answers: dict[str, str], student: str = "dave") -> tuple[SubmissionResult, dict]:
    nb = wc.answered(REPO, A1, answers)
    return grade_notebook(nb, A1, student, sandbox=sandbox, release=released(A1)), nb


# --------------------------------------------------------------------------- cell errors
@pytest.mark.slow
def test_a_cell_error_is_reported_once_under_its_own_question_where_the_student_sees_it(sandbox):
    result, nb = graded(sandbox, {"sigmoid": SIGMOID_WITH_A_NAME_ERROR, "softmax": UNSTABLE_SOFTMAX})
    position = wc.cell_index(nb, "sigmoid_answer") + 1
    with_error = [q.id for q in result.questions if "NameError" in q.feedback]
    assert with_error == ["sigmoid"]
    assert (f"line 5 of cell {position} of the notebook, the one starting 'def sigmoid(z):'"
            in result.question("sigmoid").feedback)
    assert result.notes == []


@pytest.mark.slow
def test_an_error_in_a_cell_defining_no_graded_function_goes_to_the_questions_that_lost_points(sandbox):
    result, _ = graded(sandbox, {"tanh": "def helper(z):\n    return z\n\nraise ValueError('unfinished')\n"})
    lost = [q.id for q in result.questions if q.score < q.max_score]
    assert lost == ["tanh", "tanh_prime"]  # the given tanh_prime calls tanh
    assert [q.id for q in result.questions if "ValueError" in q.feedback] == lost
    assert "not defined" in result.question("tanh").feedback


@pytest.mark.slow
def test_the_recognised_mistake_is_data_in_grade_json_and_results_json(sandbox):
    result, _ = graded(sandbox, {"softmax": UNSTABLE_SOFTMAX})
    [mistake] = result.mistakes
    assert mistake["question"] == "softmax" and mistake["id"] == "unstable softmax"
    assert mistake["message"].startswith("unstable softmax: e^z overflows")
    scoreboard = gradescope_results(result)
    assert scoreboard["extra_data"]["mistakes"] == [mistake]
    [softmax] = [t for t in scoreboard["tests"] if t["name"] == "softmax"]
    assert softmax["extra_data"]["mistakes"] == [{k: v for k, v in mistake.items() if k != "question"}]
    assert SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


# --------------------------------------------------------------------------- the text
def test_lines_wrap_to_the_page_with_bullets_hanging():
    text = "softmax: 11/12 checks passed.\n  - failed on large |z|: " + "word " * 40 + "end"
    wrapped = feedback.wrap(text, width=60)
    lines = wrapped.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert lines[1].startswith("  - failed") and all(line.startswith("    ") for line in lines[2:])
    assert " ".join(wrapped.split()) == " ".join(text.split())  # nothing lost, nothing added


def test_a_long_word_is_never_split():
    assert feedback.wrap("x" * 100, width=60) == "x" * 100


@pytest.mark.parametrize("value,shown", [(11.9999, "12"), (56.2221, "56.22"), (1.8333, "1.83"), (2.0, "2"),
                                         (0.0, "0"), (0.125, "0.12")])
def test_scores_are_written_as_a_person_writes_them(value, shown):
    assert feedback.points(value) == shown


def test_the_headline_is_said_once_with_the_written_part_pending():
    q = QuestionResult("softmax", 1.8333, 2.0, 11, 12, "softmax: 11/12 checks passed, 1.8333 of 2 points.")
    result = SubmissionResult("dave", A1, [q] * 3, written_points=2.0,
                              late=Late("2027-02-06 09:15:00 UTC", 9 * 3600 + 16 * 60))
    text = feedback.submission_feedback(result)
    assert " ".join(text.split()).startswith("Assignment a1_activations, student dave: 5.5 of 6 auto-graded "
                                             "points (and 2 points of written answers, graded by hand).")
    assert text.count("auto-graded points") == 1
    assert "Submitted late: 9 h 16 min after the due date" in text


def test_the_summary_table_is_aligned_and_its_notes_whole(capsys):
    long_note = "no notebook activations.ipynb was submitted (the folder has: a.ipynb, b.ipynb); " * 2
    results = [SubmissionResult("al", A1, [QuestionResult("q", 11.9999, 14, 1, 1, "")], written_points=2),
               SubmissionResult("a_much_longer_id", A1, [QuestionResult("q", 0, 14, 0, 1, "")], long_note.strip(),
                                ErrorKind.MISSING, written_points=2)]
    print_table(results)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:3] == ["al", "12", "14"] and "+ 2 written (pending)" in lines[1]
    columns = {line.index("14 + 2") for line in lines[1:]}
    assert len(columns) == 1  # aligned
    assert lines[2].endswith(long_note.strip())  # not cut


# --------------------------------------------------------------------------- finding the notebook
def test_a_missing_notebook_is_named_with_the_files_that_were_there(tmp_path):
    (tmp_path / "activations-Copy1.ipynb").write_text("{}")
    (tmp_path / "old.ipynb").write_text("{}")
    found = locate_notebook(tmp_path, "activations.ipynb", only_notebook=True)
    assert found.missing.startswith("no notebook activations.ipynb was submitted (the folder has: "
                                    "activations-Copy1.ipynb, old.ipynb)")
    (tmp_path / "old.ipynb").unlink()
    found = locate_notebook(tmp_path, "activations.ipynb", only_notebook=True)
    assert found.path.name == "activations-Copy1.ipynb" and "activations-Copy1.ipynb" in found.note
    assert locate_notebook(tmp_path, "activations.ipynb", only_notebook=False).note is None


@pytest.mark.slow
def test_the_command_line_says_which_files_were_there_and_why_nothing_was_graded(tmp_path, capsys):
    folder = tmp_path / "submitted" / "erin" / A1
    folder.mkdir(parents=True)
    (folder / "notes.ipynb").write_text("{}")
    (folder / "draft.ipynb").write_text("{}")
    assert main(["grade", A1, str(tmp_path / "submitted"), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    record = json.loads((tmp_path / "out" / "erin" / "grade.json").read_text())
    assert record["error_kind"] == ErrorKind.MISSING
    assert "(the folder has: draft.ipynb, notes.ipynb)" in record["error"]
    assert "(the folder has: draft.ipynb, notes.ipynb)" in capsys.readouterr().out
