"""What a report is made from: the graded results on disk, the roster and the submission times.

Nothing is regraded. The inputs are

* ``GRADED_DIR/STUDENT/grade.json``, written by ``python -m autograder grade`` (one folder per
  assignment; for the whole course ``GRADED_ROOT/ASSIGNMENT/STUDENT/grade.json``);
* the roster, the students who should have submitted, and their names: nbgrader's gradebook
  (its students' first and last names), a roster file (one id a line, or a CSV with a header
  naming an ``id`` column and ``name`` or ``first_name``/``last_name`` columns, as nbgrader's
  ``students.csv``), or the student folders of nbgrader's ``submitted/`` directory;
* the written (manually graded) scores, from nbgrader's gradebook: the formgrader's score of
  each written answer, per question;
* nbgrader's ``submitted/STUDENT/ASSIGNMENT/timestamp.txt``, read with nbgrader's own parser
  (``nbgrader.utils.parse_utc``), compared with the assignment's ``due`` in course.yml (a naive
  due date is UTC, as nbgrader takes it).
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from autograder.batch.result_files import read_graded
from autograder.course.config import AssignmentSpec, Course
from autograder.grading.results import SubmissionResult

TIMESTAMP_FILE = "timestamp.txt"  # nbgrader's name, written by `nbgrader submit` and `collect`


@dataclass(frozen=True)
class AssignmentRecord:
    """Everything the report knows about one assignment's class.

    Attributes
    ----------
    spec : AssignmentSpec
        The assignment as course.yml describes it (questions, points, due date).
    results : tuple of SubmissionResult
        One graded submission per student who has a ``grade.json``, sorted by student id.
    roster : tuple of str
        Every student expected to submit (the roster's ids plus every graded student), sorted.
    submitted_at : mapping of str to datetime
        Naive UTC submission time of the students whose ``timestamp.txt`` was found.
    roster_source : str
        Where the roster came from, for the reader ("graded students only" without one).
    names : mapping of str to str
        Student id -> name, for the students whose name the gradebook or the roster file gives.
    written : mapping of str to mapping of str to float or None, optional
        Student id -> written question id -> the score given in the formgrader (None: not graded
        yet), for the students the gradebook has a submission of; None without a gradebook.
    """

    spec: AssignmentSpec
    results: tuple[SubmissionResult, ...]
    roster: tuple[str, ...]
    submitted_at: Mapping[str, dt.datetime] = field(default_factory=dict)
    roster_source: str = "graded students only"
    names: Mapping[str, str] = field(default_factory=dict)
    written: Mapping[str, Mapping[str, float | None]] | None = None

    @property
    def graded(self) -> tuple[str, ...]:
        return tuple(r.student for r in self.results)

    def name(self, student: str) -> str:
        """The student's name and id (``Ana Lima (s01)``), or the id when no name is known."""
        known = self.names.get(student, "")
        return f"{known} ({student})" if known and known != student else student


# --------------------------------------------------------------------------- rosters
def roster_file_names(path: Path) -> dict[str, str]:
    """Student id -> name (empty when the file gives none) from a roster file, in its order.

    Two forms are read:

    * one id a line; blank lines and lines starting with ``#`` are skipped, and ids keep inner
      spaces (only the line's ends are stripped);
    * CSV whose header (its first line that is not a comment) names an ``id`` column, with a
      ``name`` column or ``first_name`` and ``last_name`` columns: nbgrader's ``students.csv``
      (``id,first_name,last_name,email``) is such a file.
    """
    lines = [line for line in Path(path).read_text(encoding="utf-8-sig").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return {}
    header = [h.strip().lower() for h in next(csv.reader([lines[0]]))]
    if "id" not in header:
        return {line.strip(): "" for line in lines}
    names = {}
    for row in csv.DictReader(lines[1:], fieldnames=header):
        student = (row.get("id") or "").strip()
        if student:
            names[student] = _full_name(row.get("name"), row.get("first_name"), row.get("last_name"))
    return names


def _full_name(name: str | None, first: str | None, last: str | None) -> str:
    if name and name.strip():
        return name.strip()
    return " ".join(part.strip() for part in (first, last) if part and part.strip())


def roster_from_file(path: Path) -> list[str]:
    """The student ids of a roster file (see :func:`roster_file_names`)."""
    return list(roster_file_names(path))


def roster_from_submissions(submitted: Path) -> list[str]:
    """The student folders of nbgrader's ``submitted/`` directory (any assignment)."""
    return sorted(p.name for p in Path(submitted).iterdir() if p.is_dir() and not p.name.startswith("."))


def _open_gradebook(gradebook: Path, course_id: str):
    from nbgrader.api import Gradebook

    if not Path(gradebook).is_file():  # nbgrader would create an empty gradebook there
        raise FileNotFoundError(f"no nbgrader gradebook at {gradebook}")
    return Gradebook("sqlite:///" + str(Path(gradebook).resolve()), course_id)


def gradebook_names(gradebook: Path, course_id: str) -> dict[str, str]:
    """Student id -> "first last" name (empty when the gradebook has none) of nbgrader's
    gradebook (``gradebook.db``), read with nbgrader's API, sorted by id."""
    with _open_gradebook(gradebook, course_id) as gb:
        return {s.id: _full_name(None, s.first_name, s.last_name) for s in sorted(gb.students, key=lambda s: s.id)}


def roster_from_gradebook(gradebook: Path, course_id: str) -> list[str]:
    """The students of nbgrader's gradebook (``gradebook.db``), read with nbgrader's API."""
    return list(gradebook_names(gradebook, course_id))


def gradebook_written(gradebook: Path, course_id: str, spec: AssignmentSpec) -> dict[str, dict[str, float | None]]:
    """The written scores of ``spec``'s submissions in nbgrader's gradebook.

    Returns student id -> written question id -> score, for every submission the gradebook
    holds (``nbgrader autograde`` made it): nbgrader's ``Grade.score`` (the formgrader's manual
    score, extra credit included), or None while the answer still needs a manual grade. An
    assignment the gradebook does not know has no submission.
    """
    from nbgrader.api import MissingEntry

    written = {w.id for nb in spec.notebooks for w in nb.written}
    out: dict[str, dict[str, float | None]] = {}
    with _open_gradebook(gradebook, course_id) as gb:
        try:
            gb.find_assignment(spec.id)
        except MissingEntry:
            return out
        for submission in gb.assignment_submissions(spec.id):
            scores = out.setdefault(submission.student_id, {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.name in written:
                        pending = grade.needs_manual_grade and grade.manual_score is None
                        scores[grade.name] = None if pending else float(grade.score)
    return out


# --------------------------------------------------------------------------- submission times
def submission_time(folder: Path) -> dt.datetime | None:
    """The naive-UTC time in ``folder/timestamp.txt`` (nbgrader's format, e.g.
    ``2027-02-05 21:14:03.120000 UTC``), or None when there is none or it is empty."""
    from nbgrader.utils import parse_utc

    path = Path(folder) / TIMESTAMP_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    return parse_utc(text) if text else None


def submission_times(submitted: Path, assignment: str, students: Iterable[str]) -> dict[str, dt.datetime]:
    """Submission time of each of ``students`` that has a timestamp for ``assignment``."""
    times = {s: submission_time(Path(submitted) / s / assignment) for s in students}
    return {s: t for s, t in times.items() if t is not None}


def due_utc(spec: AssignmentSpec) -> dt.datetime:
    """The due date as naive UTC (course.yml's naive dates are UTC, as nbgrader takes them)."""
    due = spec.due
    return due if due.tzinfo is None else (due - due.utcoffset()).replace(tzinfo=None)


# --------------------------------------------------------------------------- one assignment
@dataclass(frozen=True)
class Sources:
    """Where to find the inputs besides the graded results (each optional).

    Parameters
    ----------
    roster : Path, optional
        A roster file: one id a line, or CSV with `id` and `name` (or `first_name`, `last_name`) columns.
    gradebook : Path, optional
        nbgrader's ``gradebook.db``; its students are the roster, their names and written scores
        are read from it.
    submissions : Path, optional
        nbgrader's ``submitted/`` directory: its student folders are the roster and its
        ``timestamp.txt`` files the submission times.
    """

    roster: Path | None = None
    gradebook: Path | None = None
    submissions: Path | None = None

    def roster_ids(self, course: Course) -> tuple[list[str], str]:
        """The union of every given roster, and a phrase naming where it came from."""
        names, source = self.roster_names(course)
        return sorted(names), source

    def roster_names(self, course: Course) -> tuple[dict[str, str], str]:
        """Every student of the given rosters -> their name ("" when none gives one), and a
        phrase naming where the roster came from. A name in the roster file wins over the
        gradebook's."""
        readers = {  # source -> how to read it, in increasing priority of their names
            "submissions folder": (self.submissions, lambda p: dict.fromkeys(roster_from_submissions(p), "")),
            "nbgrader gradebook": (self.gradebook, lambda p: gradebook_names(p, course.id)),
            "roster file": (self.roster, roster_file_names),
        }
        names: dict[str, str] = {}
        used = []
        for name, (path, read) in readers.items():
            if path is not None:
                for student, known in read(path).items():
                    names[student] = known or names.get(student, "")
                used.append(name)
        order = ["roster file", "nbgrader gradebook", "submissions folder"]
        return names, (" + ".join(sorted(used, key=order.index)) or "graded students only")


def collect(course: Course, assignment: str, graded_dir: Path, sources: Sources = Sources()) -> AssignmentRecord:
    """Read one assignment's graded results, roster and submission times.

    Parameters
    ----------
    course : Course
        The course (for the assignment's questions and due date).
    assignment : str
        The assignment id.
    graded_dir : Path
        The ``--out`` directory of ``python -m autograder grade`` for this assignment.
    sources : Sources
        The optional roster and submissions directory.
    """
    spec = course.assignment(assignment)
    results = read_graded(graded_dir, assignment) if Path(graded_dir).is_dir() else ()
    names, source = sources.roster_names(course)
    roster = tuple(sorted(set(names) | {r.student for r in results}))
    times = submission_times(sources.submissions, assignment, roster) if sources.submissions else {}
    written = gradebook_written(sources.gradebook, course.id, spec) if sources.gradebook else None
    return AssignmentRecord(spec, results, roster, times, source, {s: n for s, n in names.items() if n}, written)


def collect_course(course: Course, graded_root: Path, sources: Sources = Sources()) -> list[AssignmentRecord]:
    """One record per assignment of the course graded into ``graded_root/ASSIGNMENT/``,
    in course order; assignments without a folder there (not graded yet) are left out."""
    return [collect(course, spec.id, Path(graded_root) / spec.id, sources)
            for spec in course.assignments if (Path(graded_root) / spec.id).is_dir()]
