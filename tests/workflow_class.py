"""Submissions as students really make them, for the workflow tests (tests/test_workflow_*.py).

A course directory is a released copy of the course (``autograder.course.release``: course.yml,
nbgrader_config.py, solutions/ and the nbgrader release in assignments/); a submission starts
from the *released* notebook, as a student's does, with the solution's answers typed in, and
then changes what a student changes: an answer, a read-only cell, the cells' order, the file's
name, the submission time.
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Callable

import nbformat

from autograder.course import release
from autograder.batch.lateness import write_timestamp


def make_course(dest: Path, assignments: list[str]) -> Path:
    """A released copy of the course in ``dest`` (nbgrader's generate_assignment), released on the
    first day that no earlier assignment's answers are a spoiler (the term's calendar)."""
    release.make_course_copy(dest, assignments=assignments)
    release.release(assignments, dest, now=release.release_date(dest, assignments) or release.utc_now())
    return dest


def notebook_name(course: Path, assignment: str) -> str:
    return next((course / "assignments" / assignment).glob("*.ipynb")).stem


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answered(course: Path, assignment: str, answers: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The released notebook with the solution's answers typed in, then ``answers``
    (function name -> source of its answer cell) in place of those."""
    name = notebook_name(course, assignment)
    solution = nbformat.read(course / "solutions" / assignment / f"{name}.ipynb", as_version=4)
    typed = {grade_id(c): c.source for c in solution.cells
             if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(course / "assignments" / assignment / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if grade_id(cell) in typed:
            cell.source = typed[grade_id(cell)]
        for function, source in (answers or {}).items():
            if grade_id(cell) == f"{function}_answer":
                cell.source = source
    return nb


def edited(nb: nbformat.NotebookNode, change: Callable[[nbformat.NotebookNode], None]) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    change(nb)
    return nb


def cell_index(nb: nbformat.NotebookNode, gid: str) -> int:
    return next(i for i, cell in enumerate(nb.cells) if grade_id(cell) == gid)


def submit(course: Path, student: str, assignment: str, nb: nbformat.NotebookNode, *,
           name: str | None = None, at: dt.datetime | None = None) -> Path:
    """Write ``submitted/STUDENT/ASSIGNMENT/NAME.ipynb`` (and nbgrader's ``timestamp.txt``)."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or notebook_name(course, assignment)}.ipynb"
    nbformat.write(nb, str(path))
    if at is not None:
        write_timestamp(folder, at)
    return path


def autograded_feedback(course: Path, student: str, assignment: str) -> dict[str, str]:
    """What nbgrader's autograded notebook shows under each question: grade_id -> text."""
    nb = nbformat.read(course / "autograded" / student / assignment / f"{notebook_name(course, assignment)}.ipynb",
                       as_version=4)
    return {grade_id(cell): _shown(cell) for cell in nb.cells if cell.cell_type == "code" and grade_id(cell)
            and cell.metadata.nbgrader.get("grade") and not cell.metadata.nbgrader.get("solution")}


def _shown(cell) -> str:
    """A graded cell's text as feedback.txt has it: the submission's notes (an output of their
    own, nbgrader_plugin.NOTES_OUTPUT, in the first graded cell), a blank line, the question's."""
    from autograder.nbgrader_plugin import NOTES_OUTPUT

    notes = [o["data"]["text/plain"] for o in cell.outputs
             if o.output_type == "display_data" and o.get("metadata", {}).get("autograder") == NOTES_OUTPUT]
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return "\n\n".join(notes + [text])


def graded_submission(notebook: Path, release: Path) -> str:
    """The key of the hidden cases a grading path draws for the notebook file ``notebook``
    graded with the released notebook ``release`` (``grading.submission_of``); a notebook that
    cannot be read is graded as no code at all."""
    import json

    from autograder.course.cases import submission_key
    from autograder.grading.pipeline import read_notebook, submission_of

    try:
        nb = read_notebook(notebook)
    except Exception:  # noqa: BLE001 - missing, not JSON, not a notebook: graded as no code
        return submission_key([])
    return submission_of(nb, json.loads(release.read_text(encoding="utf-8")))


def hidden_tokens(course, assignment: str, student: str, submission: str) -> set[str]:
    """How a student's hidden inputs and expected values would print (``repr``, 4, 5, 6 and 8
    significant digits, and scientific notation), for tests that check feedback never shows
    them. ``submission`` is the key of the code graded (``grading.submission_of(notebook, release)``):
    the hidden cases are those of that submission. Round numbers (0.5, 2.0) and tokens of fewer
    than three significant digits are left out: they appear in any text."""
    import math
    import re

    from autograder.grading.pipeline import plan

    tokens: set[str] = set()
    for planned in plan(course, assignment, student, course.assignment(assignment).questions,
                        submission=submission):
        for tree in (list(planned.case.args), planned.expected):
            for x in map(abs, _floats(tree)):
                if math.isfinite(x) and float(f"{x:.3g}") != x:
                    tokens |= {t for t in (repr(x), f"{x:.4g}", f"{x:.5g}", f"{x:.6g}", f"{x:.8g}", f"{x:.3e}")
                               if len(re.sub(r"\D", "", t.split("e")[0]).strip("0")) >= 3}
    return tokens


#: Scores are the student's own numbers (1.8333 = 11 of 12 of 2 points) and may share digits
#: with a hidden value by chance: they are taken out of a text before it is searched.
SCORES = (r"\d+/\d+ checks passed, [\d.]+ of [\d.]+ points|[\d.]+ of [\d.]+ (auto-graded )?points"
          r"|Score: [\d.]+ / [\d.]+")


def leaked_hidden_numbers(text: str, course, assignment: str, student: str, submission: str) -> list[str]:
    """The student's hidden numbers that stand in ``text`` on their own (not inside a longer
    number or a hex digest), once its scores are removed. Asserts there are tokens to find."""
    import re

    tokens = hidden_tokens(course, assignment, student, submission)
    assert len(tokens) > 50
    text = re.sub(SCORES, "", text)
    return sorted(t for t in tokens if re.search(rf"(?<![0-9a-fA-F.]){re.escape(t)}(?![0-9a-fA-F])", text))


def _floats(tree):
    import numpy as np

    if isinstance(tree, (list, tuple)):
        for item in tree:
            yield from _floats(item)
    elif isinstance(tree, np.ndarray) and tree.dtype.kind == "f":
        yield from (float(v) for v in tree.ravel())
