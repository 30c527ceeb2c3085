"""``run_autograder``: grade the submission in Gradescope's container and write results.json.

Gradescope runs ``/autograder/run_autograder`` once per submission, as root, with the
student's files in ``/autograder/submission/`` and who submitted in
``/autograder/submission_metadata.json``; it reads ``/autograder/results/results.json``.
The root is ``$AUTOGRADER_ROOT`` (default ``/autograder``), so the tests lay out a
temporary root as Gradescope does. What happens, in order:

1. The submission, the metadata and the results folder are made root-only (student code
   never needs them: its cells reach the sandbox through a pipe).
2. The student id comes from the metadata (:mod:`autograder.gradescope.metadata`), the
   course secret from the bundle (``source/course_secret``), so the hidden cases are the
   ones ``python -m autograder grade`` draws for that id.
3. The sandbox starts with the course's limits at the best level the container allows
   (``namespaces`` where it may make user namespaces, else ``landlock``), accepting the
   ``uid`` level where it offers neither; at that level grading goes on only when no course
   file is readable by others (:func:`autograder.gradescope.layout.exposed`). Anything else (no
   sandbox, no secret, no metadata) is a results.json that says the submission was not
   graded, and the exit status 1: the bundle never grades unconfined.
4. Each notebook of the assignment is found in the submission (:func:`locate`: by its
   name, else the one notebook submitted under another name, with a note), graded by
   :func:`autograder.grading.pipeline.grade_path` (a file that is missing or not a notebook is a
   zero with its reason), and results.json written (:mod:`autograder.gradescope.results`).

``AUTOGRADER_WITHOUT_NAMESPACES=1`` grades as in a container whose seccomp profile forbids
namespaces (Docker's default: the ``landlock`` level), and ``AUTOGRADER_WITHOUT_LANDLOCK=1``
as in one that has neither (the ``uid`` level), on a kernel that has both: for tests and for
checking a layout.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.course import secret
from autograder.batch.grade import release_notebook
from autograder.course.config import Course, GradescopePolicy, load_course
from autograder.grading.pipeline import grade_path
from autograder.gradescope import layout
from autograder.gradescope.metadata import MetadataError, read_submitter
from autograder.gradescope.results import refusal_json, results_json, write_results
from autograder.grading.results import SubmissionResult
from autograder.sandbox import Sandbox, SandboxError

ROOT_ENV = "AUTOGRADER_ROOT"
DEFAULT_ROOT = Path("/autograder")
WITHOUT_LANDLOCK_ENV = "AUTOGRADER_WITHOUT_LANDLOCK"
WITHOUT_NAMESPACES_ENV = "AUTOGRADER_WITHOUT_NAMESPACES"
MANIFEST = "bundle.json"  # in source/: which assignment this bundle grades
SECRET_FILE = "course_secret"  # in source/
COURSE_FILE = "course.yml"  # in source/
CONFINED_LEVELS = ("namespaces", "landlock", "uid")


@dataclass(frozen=True)
class Located:
    """Where one notebook of the assignment was found in the submission."""

    notebook: str  # its name in course.yml, without .ipynb
    path: Path  # the file to grade (may not exist: then it is graded as missing)
    note: str | None = None  # what the student should know about it


def _submitted_notebooks(submission: Path) -> list[Path]:
    """Every ``*.ipynb`` below ``submission`` (no link followed, no checkpoint copies)."""
    found = []
    for folder, dirs, files in os.walk(submission, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
        found += [Path(folder) / f for f in sorted(files) if f.endswith(".ipynb")]
    return found


def locate(submission: Path, notebooks: list[str]) -> list[Located]:
    """Find each expected notebook (``NAME.ipynb``) in the submitted files.

    By name at the top, else by name in a subfolder (an uploaded folder); when exactly one
    notebook is missing and exactly one other notebook was submitted, that one, with a note
    that it was renamed. A missing notebook's note names what was submitted instead.
    """
    submitted = _submitted_notebooks(submission)
    located: dict[str, Located] = {}
    for name in notebooks:
        matches = [p for p in submitted if p.name == f"{name}.ipynb"]
        if matches:
            located[name] = Located(name, min(matches, key=lambda p: len(p.parts)))
    missing = [name for name in notebooks if name not in located]
    others = [p for p in submitted if p not in {loc.path for loc in located.values()}]
    if len(missing) == 1 and len(others) == 1:
        name, path = missing[0], others[0]
        located[name] = Located(name, path, f"Graded {path.relative_to(submission)} as {name}.ipynb: "
                                            f"please name your notebook {name}.ipynb.")
    for name in notebooks:
        if name not in located:
            located[name] = Located(name, submission / f"{name}.ipynb", _missing_note(submission, name))
    return [located[name] for name in notebooks]


def _missing_note(submission: Path, name: str) -> str:
    files = sorted(str(p.relative_to(submission)) for p in submission.rglob("*") if p.is_file())
    seen = ", ".join(files[:5]) + (", ..." if len(files) > 5 else "") if files else "no files"
    return (f"The notebook {name}.ipynb is missing (submitted: {seen}). Submit the notebook file "
            f"itself ({name}.ipynb, downloaded from Jupyter with File > Download).")


def grade_submission(submission: Path, assignment: str, student: str, course: Course,
                     sandbox: Sandbox, source: Path | None = None) -> tuple[SubmissionResult, tuple[str, ...]]:
    """Grade every notebook of ``assignment`` found in ``submission``; the notes for the student.
    ``source`` holds the bundle's released notebooks (``assignments/A/NAME.ipynb``), whose
    read-only cells run in place of the student's copies, as on the other two paths."""
    questions, errors, notes = [], [], []
    for found in locate(submission, [nb.name for nb in course.assignment(assignment).notebooks]):
        release = release_notebook(course, source, assignment, found.notebook) if source else None
        result = grade_path(found.path, assignment, student, root=submission, notebook=found.notebook,
                            course=course, sandbox=sandbox, release=release)
        questions += result.questions
        errors += [result.error] if result.error else []
        notes += [found.note] if found.note else []
    return SubmissionResult(student, assignment, questions, "; ".join(errors) or None), tuple(notes)


def protect_runtime_files(root: Path) -> None:
    """The submission, its metadata and the results: root's only."""
    (root / "results").mkdir(exist_ok=True)
    for path, mode in ((root / "submission", 0o700), (root / "results", 0o700),
                       (root / "submission_metadata.json", 0o600)):
        if path.exists() and not path.is_symlink():
            os.chmod(path, mode)


def check_confinement(sandbox: Sandbox, root: Path) -> str:
    """The sandbox's level, or :class:`SandboxError` when it would not keep the course's
    files under ``root`` from student code."""
    level = sandbox.confinement
    if level not in CONFINED_LEVELS:
        raise SandboxError(f"the sandbox offers only the confinement {level!r} here.")
    if level == "uid":
        leaks = layout.exposed(root)
        if leaks:
            raise SandboxError(f"without Landlock, student code could read {len(leaks)} of the course's "
                               f"files (e.g. {leaks[0]}); setup.sh's lock-down did not hold.")
    return level


def _root() -> Path:
    return Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT)


def run(root: Path) -> tuple[dict, bool]:
    """Grade ``root/submission`` and write ``root/results/results.json``.

    Returns the results and whether the submission was graded.
    """
    t0 = time.monotonic()
    source = root / "source"
    protect_runtime_files(root)
    try:
        course = load_course(source / COURSE_FILE)
        assignment = course.assignment(json.loads((source / MANIFEST).read_text())["assignment"]).id
    except (OSError, ValueError, KeyError, TypeError) as error:  # CourseError is a ValueError
        return _refused(root, f"the autograder's files are broken ({type(error).__name__}: {error}).",
                        GradescopePolicy(), t0)
    os.environ[secret.SECRET_ENV] = str(source / SECRET_FILE)
    without_landlock = os.environ.get(WITHOUT_LANDLOCK_ENV, "") not in ("", "0")
    without_namespaces = without_landlock or os.environ.get(WITHOUT_NAMESPACES_ENV, "") not in ("", "0")
    try:
        who = read_submitter(root / "submission_metadata.json", course.gradescope.student_id)
        secret.load_secret()
        with Sandbox(course.limits, require_landlock=False, assume_no_namespaces=without_namespaces,
                     assume_landlock_abi=0 if without_landlock else None) as sandbox:
            confinement = check_confinement(sandbox, root)
            result, notes = grade_submission(root / "submission", assignment, who.student_id, course, sandbox,
                                             source=source)
    except (MetadataError, secret.SecretError, SandboxError) as error:
        return _refused(root, str(error), course.gradescope, t0)
    results = results_json(result, course.gradescope, confinement=confinement,
                           execution_time=time.monotonic() - t0, notes=notes)
    write_results(root / "results" / "results.json", results)
    print(f"graded {assignment} for {who.student_id} ({', '.join(who.names)}): {result.score:g} of "
          f"{result.max_score:g} points, confinement {confinement}, {results['execution_time']} s")
    for question in result.questions:
        print(f"  {question.id:<28} {question.score:g}/{question.max_score:g}")
    return results, True


def _refused(root: Path, reason: str, policy: GradescopePolicy, t0: float) -> tuple[dict, bool]:
    results = refusal_json(reason, policy, execution_time=time.monotonic() - t0)
    write_results(root / "results" / "results.json", results)
    print(f"NOT GRADED: {reason}")
    return results, False


def main() -> int:
    _, graded = run(_root())
    return 0 if graded else 1


if __name__ == "__main__":
    sys.exit(main())
