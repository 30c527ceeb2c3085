"""Batch grading of a class: every submission of one assignment, in worker processes.

    python -m autograder grade ASSIGNMENT SUBMISSIONS_DIR --out OUT_DIR [--jobs N] [--force]

SUBMISSIONS_DIR holds STUDENT/ASSIGNMENT/NOTEBOOK.ipynb. A folder whose name is not a safe
student id (:func:`autograder.grading.submission_files.is_safe_id`) is reported and skipped; a
symbolic link, FIFO, device or oversized file where a submission's folder or notebook
belongs is a graded zero with its reason. For each student the grader writes, into
OUT_DIR/STUDENT/:

- ``feedback.txt``  what the student reads: per question, checks passed and why others failed;
- ``results.json``  the same in Gradescope's results.json format;
- ``grade.json``    the full record, written last and atomically, with hashes of what was
  graded (the student's files) and of what graded it (course.yml, the released notebooks,
  the engine's code, the course secret).

A rerun grades exactly the students whose files or grading inputs changed since their
grade.json (a resubmission, a fixed question, a batch killed half-way) and keeps the rest;
``force`` regrades everyone. The read-only cells of a notebook are run from the release
(``assignments/A/``), as ``nbgrader autograde`` does; a notebook under another name is graded
when it is the only notebook in the student's folder (the feedback names it). A
``timestamp.txt`` (nbgrader's) after the due date flags the submission as late.

OUT_DIR/grades.csv (student_id, assignment, question, score, max_score, late; a late penalty
of course.yml's policy is a row of its own, question "late penalty") is rebuilt from
every grade.json at the end, its text cells neutralised against spreadsheet formulas
(:func:`autograder.batch.result_files.spreadsheet_safe`). Hidden cases need the course secret
(:mod:`autograder.course.secret`); without it :func:`grade_batch` stops before grading anyone.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable, NamedTuple

from tqdm import tqdm

from autograder.batch.budget import Budget, Task, grade_within_budget
from autograder.batch.lateness import TIMESTAMP_FILE, lateness, read_timestamp
from autograder.batch.result_files import GRADE_FILE, read_graded, read_student, spreadsheet_safe, write_atomically
from autograder.course import secret
from autograder.course.config import COURSE_FILE, Course, load_course
from autograder.grading import feedback
from autograder.grading.results import ErrorKind, SubmissionResult
from autograder.grading.submission_files import SAFE_ID_RULE, SubmissionFileError, is_safe_id, read_submission_file


# --------------------------------------------------------------------------- writing results
def write_student(out_dir: Path, result: SubmissionResult) -> None:
    if not is_safe_id(result.student):  # never a path built from an unchecked name
        raise ValueError(f"refusing to write files for the unsafe student id {result.student!a}")
    student_dir = out_dir / result.student
    write_atomically(student_dir / "feedback.txt", feedback.submission_feedback(result))
    write_atomically(student_dir / "results.json", json.dumps(feedback.gradescope_results(result), indent=2))
    write_atomically(student_dir / GRADE_FILE, json.dumps(result.to_dict(), indent=2))  # last: marks done


LATE_PENALTY_ROW = "late penalty"  # grades.csv's "question" of a late penalty (a negative score)
def write_grades_csv(out_dir: Path, assignment: str) -> list[SubmissionResult]:
    results = list(read_graded(out_dir, assignment))
    rows = [["student_id", "assignment", "question", "score", "max_score", "late"]]
    for result in results:
        late = "yes" if result.late and result.late.is_late else ""
        rows += [[*map(spreadsheet_safe, (result.student, assignment, q.id)), f"{q.score:g}", f"{q.max_score:g}", late]
                 for q in result.questions]
        if result.late and result.late.penalty:  # a row of its own, so that the scores still add up
            rows.append([*map(spreadsheet_safe, (result.student, assignment, LATE_PENALTY_ROW)),
                         f"{-result.late.penalty:g}", "0", late])
    with tempfile.NamedTemporaryFile("w", dir=out_dir, delete=False, suffix=".tmp", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_MINIMAL).writerows(rows)
    os.replace(handle.name, out_dir / "grades.csv")
    return results


# --------------------------------------------------------------------------- finding work
class Found(NamedTuple):
    students: list[str]  # safe ids with a folder for the assignment, sorted
    skipped: list[str]  # why other folders were not graded


def find_submissions(submissions_dir: Path, assignment: str) -> Found:
    """Student ids with an entry for this assignment, in sorted order.

    Only the names are checked here (a folder whose name is not a safe id is skipped, with
    the reason in ``skipped``); whether the entries are real folders and files is checked
    when the submission is read, so that a symbolic link is a graded zero, not a silence.
    """
    students, skipped = [], []
    for name in sorted(os.listdir(submissions_dir)):
        if not os.path.lexists(os.path.join(submissions_dir, name, assignment)):
            continue
        if is_safe_id(name):
            students.append(name)
        else:
            skipped.append(f"skipped the folder {name!a}: not a valid student id ({SAFE_ID_RULE})")
    return Found(students, skipped)


def submission_folder(submissions_dir: str | os.PathLike, student: str, assignment: str) -> Path:
    return Path(submissions_dir) / student / assignment


def notebooks_in(folder: Path) -> list[str]:
    """The names of the ``.ipynb`` files in a student's folder, sorted (none: no folder)."""
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(".ipynb"))
    except OSError:
        return []


class Located(NamedTuple):
    path: Path  # the file to grade (it may not exist: then it is graded as missing)
    note: str | None  # says which file was graded in place of the expected one
    missing: str | None  # why nothing was graded, naming the files that were there


def locate_notebook(folder: Path, expected: str, only_notebook: bool, *, max_bytes: int | None = None,
                    root: Path | str | None = None) -> Located:
    """The notebook ``expected`` (e.g. ``activations.ipynb``) in a student's folder, or, when
    ``only_notebook`` (the assignment has one notebook) and the folder holds exactly one
    notebook under another name (``activations-Copy1.ipynb``), that one.

    Both grading paths find a student's notebook here (nbgrader's through
    :class:`autograder.nbgrader_plugin.SubmissionExporter`). Nothing is ever written into the
    student's folder. With ``max_bytes`` (and ``root``, as for
    :func:`~autograder.grading.submission_files.read_submission_file`), an ``expected`` file that
    an earlier version of the grader's nbgrader path copied there from the renamed notebook
    (:func:`adopted_copy_of`) is passed over for the renamed notebook the student submits now.
    """
    path = folder / expected
    if os.path.lexists(path):
        original = adopted_copy_of(path, max_bytes, root) if only_notebook and max_bytes else None
        if original is None:
            return Located(path, None, None)
        return Located(folder / original, feedback.renamed_note(original, expected), None)
    present = notebooks_in(folder)
    if only_notebook and len(present) == 1:
        return Located(folder / present[0], feedback.renamed_note(present[0], expected), None)
    if present:
        return Located(path, None, f"no notebook {expected} was submitted (the folder has: "
                                   f"{', '.join(present)}); its questions scored 0")
    return Located(path, None, None)


#: Where an earlier version of ``nbgrader_plugin.adopt_renamed_notebook`` recorded, in the copy
#: it wrote into the student's folder, the name of the notebook the student had submitted.
ADOPTED_FROM_KEY = "graded_from"


def adopted_copy_of(path: Path, max_bytes: int, root: Path | str | None = None) -> str | None:
    """The name of the renamed notebook (``two_layer-Copy1.ipynb``) that ``path``
    (``two_layer.ipynb``) is a copy of, when an earlier version of the grader wrote ``path``
    beside it: the folder holds exactly these two notebooks and ``path`` names the other one
    in ``metadata.autograder.graded_from``. Otherwise None (``path`` is the student's own).

    Such a copy would shadow every corrected ``-Copy1`` the student hands in afterwards. It is
    read like a submission (:func:`~autograder.grading.pipeline.read_notebook`: a regular file of
    at most ``max_bytes``, parsed within its budget), and only in a folder of exactly two notebooks."""
    from autograder.grading.pipeline import read_notebook

    others = [name for name in notebooks_in(path.parent) if name != path.name]
    if len(others) != 1:
        return None
    try:
        named = read_notebook(path, max_bytes=max_bytes, root=root)["metadata"]["autograder"][ADOPTED_FROM_KEY]
    except (SubmissionFileError, ValueError, TypeError, KeyError):  # not one we wrote: the student's own
        return None
    return others[0] if named == others[0] else None


# --------------------------------------------------------------------------- what a grade depends on
def digest(parts: Iterable[bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


ENGINE_PACKAGES = ("autograder", "nn_core")  # the code that grades, as it is on disk


def grader_fingerprint(course_path: Path, assignment: str) -> str:
    """A hash of everything that decides a grade except the student's files: course.yml, the
    assignment's released notebooks and files, the engine's source and the course secret (as
    an HMAC, never the secret itself). Any change regrades every student of the assignment."""
    root = Path(course_path).resolve().parent
    code_root = Path(__file__).resolve().parents[2]
    files = [Path(course_path)]
    files += sorted((root / "assignments" / assignment).glob("*")) if (root / "assignments" / assignment).is_dir() else []
    files += sorted(f for package in ENGINE_PACKAGES for f in (code_root / package).rglob("*.py"))
    key = hmac.new(secret.load_secret(), b"grader fingerprint", hashlib.sha256).digest()
    return digest([key] + [str(f.name).encode() + b"\0" + f.read_bytes() for f in files if f.is_file()])


def submission_fingerprint(submissions_dir: Path, student: str, assignment: str, max_bytes: int) -> str:
    """A hash of the student's notebooks and ``timestamp.txt`` (read like a submission: real
    files only; a file that cannot be read counts by its reason)."""
    folder = submission_folder(submissions_dir, student, assignment)
    parts = []
    for name in notebooks_in(folder) + [TIMESTAMP_FILE]:
        try:
            data = read_submission_file(folder / name, max_bytes, root=submissions_dir)
        except SubmissionFileError as error:
            data = f"unreadable: {error}".encode()
        parts += [name.encode(), data]
    return digest(parts)


def up_to_date(out_dir: Path, student: str, assignment: str, inputs: dict) -> bool:
    """Whether ``student`` has a grade.json of this assignment made from exactly ``inputs``."""
    path = out_dir / student / GRADE_FILE
    try:
        result = read_student(path)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return result.assignment == assignment and result.inputs == inputs


# --------------------------------------------------------------------------- grading in worker processes
_worker_state: dict = {}


def _init_worker(course_path: str) -> None:
    from multiprocessing.util import Finalize

    from autograder.sandbox import Sandbox
    course = load_course(course_path)
    _worker_state["course"] = course
    _worker_state["course_path"] = course_path
    sandbox = Sandbox(course.limits).__enter__()
    _worker_state["sandbox"] = sandbox
    # a pool's worker leaves through os._exit, which runs no atexit hook: close the sandbox
    # (its zygote and its scratch directories) through multiprocessing's own finalizers
    Finalize(sandbox, sandbox.close, exitpriority=10)


def release_notebook(course: Course, course_root: Path, assignment: str, name: str) -> dict | None:
    """The released notebook ``assignments/ASSIGNMENT/NAME.ipynb`` (None when there is none:
    then the student's own copies of the read-only cells run)."""
    key = (str(course_root), assignment, name)
    if key not in _releases:
        path = course_root / "assignments" / assignment / f"{name}.ipynb"
        _releases[key] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    return _releases[key]


_releases: dict[tuple[str, str, str], dict | None] = {}


def grade_student(submissions_dir: str, assignment: str, student: str,
                  inputs: dict | None = None) -> SubmissionResult:
    """Grade every notebook of one student's submission (runs in a grading process)."""
    from autograder.grading.pipeline import grade_path
    course: Course = _worker_state["course"]
    course_root = Path(_worker_state.get("course_path", COURSE_FILE)).resolve().parent
    spec = course.assignment(assignment)
    folder = submission_folder(submissions_dir, student, assignment)
    questions, errors, kinds, notes = [], [], [], []
    for notebook in spec.notebooks:
        found = locate_notebook(folder, f"{notebook.name}.ipynb", only_notebook=len(spec.notebooks) == 1,
                                max_bytes=course.notebook_bytes, root=submissions_dir)
        result = grade_path(found.path, assignment, student, root=submissions_dir, notebook=notebook.name,
                            course=course, sandbox=_worker_state["sandbox"],
                            release=release_notebook(course, course_root, assignment, notebook.name))
        questions += result.questions
        notes += ([found.note] if found.note else []) + result.notes
        if result.error:
            errors.append(found.missing if found.missing and result.error_kind == ErrorKind.MISSING else result.error)
            kinds.append(result.error_kind)
    written = sum(w.points for nb in spec.notebooks for w in nb.written)
    late = lateness(read_timestamp(folder, root=submissions_dir), spec.due,
                    score=round(sum(q.score for q in questions), 4), per_day=course.late_penalty_per_day)
    return SubmissionResult(student, assignment, questions, "; ".join(errors) or None,
                            kinds[0] if kinds else None, notes, late, written, dict(inputs or {}))


def grade_and_write(submissions_dir: str, out_dir: str, assignment: str, student: str,
                    inputs: dict | None = None) -> SubmissionResult:
    """Grade one student and write their files (in the grading process, so the writing of
    JSON and feedback runs in parallel too); the batch process only collects results."""
    result = grade_student(submissions_dir, assignment, student, inputs)
    write_student(Path(out_dir), result)
    return result


class Batch(NamedTuple):
    results: list[SubmissionResult]  # every graded student of the assignment in OUT_DIR
    faults: list[str]  # the grader failed on these students (no grade.json; retried next run)
    skipped: list[str]  # folders not graded because their names are not safe student ids
    graded: list[str] = []  # students graded by this run
    unchanged: list[str] = []  # students whose grade.json was made from the same inputs: kept

    def summary(self) -> str:
        """``12 graded, 38 unchanged, 1 failed`` (and the skipped folders, when any)."""
        text = f"{len(self.graded)} graded, {len(self.unchanged)} unchanged, {len(self.faults)} failed"
        return text + (f", {len(self.skipped)} folders skipped" if self.skipped else "")


def grade_batch(assignment: str, submissions_dir: Path, out_dir: Path, jobs: int = 1,
                course_path: Path | None = None, progress: bool = True, force: bool = False,
                budget: Budget | None = None) -> Batch:
    """Grade every submission whose files or grading inputs changed since its grade.json
    (every submission with ``force``); keep the others.

    Each student is graded within the grader's ``budget`` (default: course.yml's, see
    :func:`autograder.batch.budget.budget_for`): a student over it is a graded zero saying
    so, and the others are graded all the same.

    Raises :class:`CourseError` for an unknown assignment and :class:`secret.SecretError`
    without a usable course secret, before anyone is graded.
    """
    course_path = Path(course_path or COURSE_FILE)
    course = load_course(course_path)
    course.assignment(assignment)  # fail early on an unknown assignment
    secret.load_secret()  # and on a missing secret (the grading processes read the same file)
    out_dir.mkdir(parents=True, exist_ok=True)
    students, skipped = find_submissions(submissions_dir, assignment)
    grader = grader_fingerprint(course_path, assignment)
    inputs = {s: {"submission": submission_fingerprint(submissions_dir, s, assignment, course.notebook_bytes),
                  "grader": grader} for s in students}
    todo = [s for s in students if force or not up_to_date(out_dir, s, assignment, inputs[s])]
    graded: list[str] = []
    faults: list[str] = []
    tasks = [Task(str(submissions_dir), str(out_dir), assignment, s, inputs[s]) for s in todo]
    with tqdm(total=len(students), initial=len(students) - len(todo), unit="nb", desc=f"grading {assignment}",
              disable=not progress, file=sys.stderr) as bar:
        for outcome in grade_within_budget(tasks, course_path, jobs, budget, setup=_init_worker,
                                           grade=grade_and_write, write=write_student):
            if outcome.graded:  # a student over budget too: a zero, written by grade_within_budget
                graded.append(outcome.student)
            else:
                faults.append(f"{outcome.student}: grader fault\n{outcome.fault}")
            bar.update(1)
    unchanged = [s for s in students if s not in todo]
    return Batch(write_grades_csv(out_dir, assignment), faults, skipped, sorted(graded), unchanged)
