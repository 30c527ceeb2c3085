"""What a report is made from: the graded results on disk, the roster and the submission times.

Nothing is regraded. The inputs are

* ``GRADED_DIR/STUDENT/grade.json``, written by ``python -m autograder grade`` (one folder per
  assignment; for the whole course ``GRADED_ROOT/ASSIGNMENT/STUDENT/grade.json``);
* the roster, the students who should have submitted: nbgrader's gradebook, a file of ids, or
  the student folders of nbgrader's ``submitted/`` directory;
* nbgrader's ``submitted/STUDENT/ASSIGNMENT/timestamp.txt``, read with nbgrader's own parser
  (``nbgrader.utils.parse_utc``), compared with the assignment's ``due`` in course.yml (a naive
  due date is UTC, as nbgrader takes it).
"""
from __future__ import annotations

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
    """

    spec: AssignmentSpec
    results: tuple[SubmissionResult, ...]
    roster: tuple[str, ...]
    submitted_at: Mapping[str, dt.datetime] = field(default_factory=dict)
    roster_source: str = "graded students only"

    @property
    def graded(self) -> tuple[str, ...]:
        return tuple(r.student for r in self.results)


# --------------------------------------------------------------------------- rosters
def roster_from_file(path: Path) -> list[str]:
    """Student ids, one a line; blank lines and lines starting with ``#`` are skipped.

    Ids keep inner spaces; only the line's ends are stripped.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def roster_from_submissions(submitted: Path) -> list[str]:
    """The student folders of nbgrader's ``submitted/`` directory (any assignment)."""
    return sorted(p.name for p in Path(submitted).iterdir() if p.is_dir() and not p.name.startswith("."))


def roster_from_gradebook(gradebook: Path, course_id: str) -> list[str]:
    """The students of nbgrader's gradebook (``gradebook.db``), read with nbgrader's API."""
    from nbgrader.api import Gradebook

    if not Path(gradebook).is_file():  # nbgrader would create an empty gradebook there
        raise FileNotFoundError(f"no nbgrader gradebook at {gradebook}")
    with Gradebook("sqlite:///" + str(Path(gradebook).resolve()), course_id) as gb:
        return sorted(student.id for student in gb.students)


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
        A file of student ids, one a line.
    gradebook : Path, optional
        nbgrader's ``gradebook.db``; its students are the roster.
    submissions : Path, optional
        nbgrader's ``submitted/`` directory: its student folders are the roster and its
        ``timestamp.txt`` files the submission times.
    """

    roster: Path | None = None
    gradebook: Path | None = None
    submissions: Path | None = None

    def roster_ids(self, course: Course) -> tuple[list[str], str]:
        """The union of every given roster, and a phrase naming where it came from."""
        readers = {  # source -> how to read it
            "roster file": (self.roster, roster_from_file),
            "nbgrader gradebook": (self.gradebook, lambda p: roster_from_gradebook(p, course.id)),
            "submissions folder": (self.submissions, roster_from_submissions),
        }
        ids: set[str] = set()
        used = []
        for name, (path, read) in readers.items():
            if path is not None:
                ids.update(read(path))
                used.append(name)
        return sorted(ids), (" + ".join(used) or "graded students only")


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
    listed, source = sources.roster_ids(course)
    roster = tuple(sorted(set(listed) | {r.student for r in results}))
    times = submission_times(sources.submissions, assignment, roster) if sources.submissions else {}
    return AssignmentRecord(spec, results, roster, times, source)


def collect_course(course: Course, graded_root: Path, sources: Sources = Sources()) -> list[AssignmentRecord]:
    """One record per assignment of the course graded into ``graded_root/ASSIGNMENT/``,
    in course order; assignments without a folder there (not graded yet) are left out."""
    return [collect(course, spec.id, Path(graded_root) / spec.id, sources)
            for spec in course.assignments if (Path(graded_root) / spec.id).is_dir()]
