"""Command line: grade a batch of submissions laid out like nbgrader's ``submitted/``.

    python -m autograder grade ASSIGNMENT SUBMISSIONS_DIR --out OUT_DIR [--jobs N]
    python -m autograder secret init [--force] | show-path
    python -m autograder build [--check]

SUBMISSIONS_DIR holds STUDENT/ASSIGNMENT/NOTEBOOK.ipynb. A folder whose name is not a safe
student id (:func:`autograder.submission_files.is_safe_id`) is reported and skipped; a
symbolic link, FIFO, device or oversized file where a submission's folder or notebook
belongs is a graded zero with its reason. For each student the grader writes, into
OUT_DIR/STUDENT/:

- ``feedback.txt``  what the student reads: per question, checks passed and why others failed;
- ``results.json``  the same in Gradescope's results.json format;
- ``grade.json``    the full record, written last and atomically: its presence means the
  student is done, so a batch that is killed and run again resumes where it stopped.

OUT_DIR/grades.csv (student_id, assignment, question, score, max_score) is rebuilt from
every grade.json at the end, its text cells neutralised against spreadsheet formulas
(:func:`spreadsheet_safe`). Hidden cases need the course secret (:mod:`autograder.secret`);
without it the command stops before grading anyone. The exit status is nonzero only when
the grader itself failed on some submission (that student gets no grade.json and is
retried next run); a broken submission is a graded zero with a reason.
"""
from __future__ import annotations

import argparse
import concurrent.futures as futures
import csv
import json
import multiprocessing
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable, NamedTuple

from tqdm import tqdm

from autograder import secret
from autograder.course import Course, CourseError, load_course
from autograder.results import QuestionResult, SubmissionResult
from autograder.submission_files import SAFE_ID_RULE, is_safe_id

GRADE_FILE = "grade.json"


# --------------------------------------------------------------------------- writing results
def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees either nothing or all of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(tmp, path)  # atomic against a killed batch; no fsync: it cost more than the grading
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def feedback_text(result: SubmissionResult) -> str:
    lines = [f"Assignment {result.assignment}, student {result.student}: "
             f"{result.score:g} of {result.max_score:g} auto-graded points.", ""]
    if result.error:
        lines += [f"Note: {result.error}", ""]
    lines += [q.feedback for q in result.questions]
    return "\n".join(lines) + "\n"


def gradescope_results(result: SubmissionResult) -> dict:
    """Gradescope's results.json: a total score and one test per question."""
    return {
        "score": result.score,
        "output": result.error or "",
        "tests": [{"name": q.id, "score": q.score, "max_score": q.max_score, "output": q.feedback}
                  for q in result.questions],
    }


def write_student(out_dir: Path, result: SubmissionResult) -> None:
    if not is_safe_id(result.student):  # never a path built from an unchecked name
        raise ValueError(f"refusing to write files for the unsafe student id {result.student!a}")
    student_dir = out_dir / result.student
    write_atomically(student_dir / "feedback.txt", feedback_text(result))
    write_atomically(student_dir / "results.json", json.dumps(gradescope_results(result), indent=2))
    write_atomically(student_dir / GRADE_FILE, json.dumps(result.to_dict(), indent=2))  # last: marks done


def read_student(path: Path) -> SubmissionResult:
    data = json.loads(path.read_text())
    return SubmissionResult(data["student"], data["assignment"],
                            [QuestionResult(**q) for q in data["questions"]], data.get("error"))


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what a spreadsheet may read as a formula


def spreadsheet_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it but never evaluates it: a ``'`` before a leading
    ``= + - @``, tab or carriage return (OWASP's rule against CSV formula injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_grades_csv(out_dir: Path, assignment: str) -> list[SubmissionResult]:
    results = []
    for path in sorted(out_dir.glob(f"*/{GRADE_FILE}")):
        result = read_student(path)
        if result.assignment == assignment:
            results.append(result)
    rows = [["student_id", "assignment", "question", "score", "max_score"]]
    for result in results:
        rows += [[*map(spreadsheet_safe, (result.student, assignment, q.id)), f"{q.score:g}", f"{q.max_score:g}"]
                 for q in result.questions]
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


def already_graded(out_dir: Path, student: str, assignment: str) -> bool:
    path = out_dir / student / GRADE_FILE
    try:
        return read_student(path).assignment == assignment
    except (OSError, ValueError, KeyError, TypeError):
        return False


# --------------------------------------------------------------------------- grading in worker processes
_worker_state: dict = {}


def _init_worker(course_path: str) -> None:
    from multiprocessing.util import Finalize

    from autograder.sandbox import Sandbox
    course = load_course(course_path)
    _worker_state["course"] = course
    sandbox = Sandbox(course.limits).__enter__()
    _worker_state["sandbox"] = sandbox
    # a pool's worker leaves through os._exit, which runs no atexit hook: close the sandbox
    # (its zygote and its scratch directories) through multiprocessing's own finalizers
    Finalize(sandbox, sandbox.close, exitpriority=10)


def grade_student(submissions_dir: str, assignment: str, student: str) -> SubmissionResult:
    """Grade every notebook of one student's submission (runs in a grading process)."""
    from autograder.grading import grade_path
    course: Course = _worker_state["course"]
    spec = course.assignment(assignment)
    questions, errors = [], []
    for notebook in spec.notebooks:
        path = Path(submissions_dir) / student / assignment / f"{notebook.name}.ipynb"
        result = grade_path(path, assignment, student, root=submissions_dir, notebook=notebook.name,
                            course=course, sandbox=_worker_state["sandbox"])
        questions += result.questions
        if result.error:
            errors.append(result.error)
    return SubmissionResult(student, assignment, questions, "; ".join(errors) or None)


def grade_and_write(submissions_dir: str, out_dir: str, assignment: str, student: str) -> SubmissionResult:
    """Grade one student and write their files (in the grading process, so the writing of
    JSON and feedback runs in parallel too); the batch process only collects results."""
    result = grade_student(submissions_dir, assignment, student)
    write_student(Path(out_dir), result)
    return result


class Batch(NamedTuple):
    results: list[SubmissionResult]  # every graded student of the assignment in OUT_DIR
    faults: list[str]  # the grader failed on these students (no grade.json; retried next run)
    skipped: list[str]  # folders not graded because their names are not safe student ids


def grade_batch(assignment: str, submissions_dir: Path, out_dir: Path, jobs: int = 1,
                course_path: Path | None = None, progress: bool = True) -> Batch:
    """Grade every submission not graded yet.

    Raises :class:`CourseError` for an unknown assignment and :class:`secret.SecretError`
    without a usable course secret, before anyone is graded.
    """
    course_path = course_path or Path(__file__).resolve().parent.parent / "course.yml"
    load_course(course_path).assignment(assignment)  # fail early on an unknown assignment
    secret.load_secret()  # and on a missing secret (the grading processes read the same file)
    out_dir.mkdir(parents=True, exist_ok=True)
    students, skipped = find_submissions(submissions_dir, assignment)
    todo = [s for s in students if not already_graded(out_dir, s, assignment)]
    faults: list[str] = []
    context = multiprocessing.get_context("forkserver")
    with futures.ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context,
                                     initializer=_init_worker, initargs=(str(course_path),)) as pool:
        pending = {pool.submit(grade_and_write, str(submissions_dir), str(out_dir), assignment, s): s for s in todo}
        bar = tqdm(total=len(students), initial=len(students) - len(todo), unit="nb",
                   desc=f"grading {assignment}", disable=not progress, file=sys.stderr)
        for future in futures.as_completed(pending):
            student = pending[future]
            try:
                future.result()
            except Exception:
                faults.append(f"{student}: grader fault\n{traceback.format_exc()}")
            bar.update(1)
        bar.close()
    return Batch(write_grades_csv(out_dir, assignment), faults, skipped)


# --------------------------------------------------------------------------- the command
def print_table(results: list[SubmissionResult]) -> None:
    if not results:
        print("no submissions graded")
        return
    width = max(len(r.student) for r in results)
    print(f"{'student':<{width}}  {'score':>7}  {'max':>5}  note")
    for r in results:
        note = (r.error or "")[:60]
        print(f"{r.student:<{width}}  {r.score:7.2f}  {r.max_score:5g}  {note}")


def _grade(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.submissions_dir.is_dir():  # a mistyped path must not look like an empty class
        parser.error(f"the submissions directory {args.submissions_dir} does not exist")
    try:
        batch = grade_batch(args.assignment, args.submissions_dir, args.out, args.jobs,
                            args.course, progress=not args.quiet)
    except (CourseError, secret.SecretError) as error:  # an unknown assignment, an invalid course.yml, no secret
        parser.error(str(error))
    if not args.quiet:
        print_table(batch.results)
    for message in batch.skipped + batch.faults:
        print(message, file=sys.stderr)
    return 1 if batch.faults else 0


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from autograder.build import build_course_files
    stale = build_course_files(check_only=args.check)
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + str(path))
    return 1 if (args.check and stale) else 0


def _secret_init(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        path = secret.create_secret(force=args.force)
    except secret.SecretError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"created the course secret {path} (mode 0600, ignored by git).\n"
          f"Keep a copy in a safe place: every student's hidden cases are drawn with it, and losing\n"
          f"or replacing it changes every student's hidden cases (a regrade would use other numbers).")
    return 0


def _secret_show_path(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    print(secret.secret_path())
    return 0


def _gradescope(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from autograder.gradescope.bundle import command
    return command(args, parser)


COMMANDS: dict[str, Callable[[argparse.Namespace, argparse.ArgumentParser], int]] = {
    "grade": _grade,
    "gradescope": _gradescope,
    "build": _build,
    "secret init": _secret_init,
    "secret show-path": _secret_show_path,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade SUBMISSIONS_DIR/STUDENT/ASSIGNMENT/*.ipynb")
    grade.add_argument("assignment")
    grade.add_argument("submissions_dir", type=Path)
    grade.add_argument("--out", type=Path, required=True)
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    grade.add_argument("--course", type=Path, default=None, help="course.yml (default: the repository's)")
    grade.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    build = commands.add_parser("build", help="write checks.py, public_cases.json and data beside each solution notebook")
    build.add_argument("--check", action="store_true", help="only report whether the files are up to date")
    secret_parser = commands.add_parser(
        "secret", help=f"the course secret that keys every student's hidden cases (${secret.SECRET_ENV} "
                       f"or .course_secret beside course.yml)")
    actions = secret_parser.add_subparsers(dest="action", required=True)
    init = actions.add_parser("init", help="create the course secret once (the instructor's set-up)")
    init.add_argument("--force", action="store_true",
                      help="replace an existing secret: every student's hidden cases change")
    actions.add_parser("show-path", help="print where the grader looks for the course secret")
    gradescope = commands.add_parser("gradescope", help="build Gradescope's autograder zip for ASSIGNMENT (or all)")
    gradescope.add_argument("assignment")
    gradescope.add_argument("--out", type=Path, default=Path("gradescope"), help="folder of the zip (default: gradescope/)")
    from autograder.report import command as report_command
    report_command.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "report":
        return report_command.run(args, parser)
    key = args.command if args.command != "secret" else f"secret {args.action}"
    return COMMANDS[key](args, parser)
