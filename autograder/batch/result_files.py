"""The files graded results live in: one ``grade.json`` per student, and CSV cells made safe.

``python -m autograder grade`` writes ``OUT/STUDENT/grade.json`` (last, atomically: a file that
exists is complete); the grades CSV, the class report, the Gradescope runner and the benchmarks
read them back through here.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from autograder.grading.results import SubmissionResult

GRADE_FILE = "grade.json"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what a spreadsheet may read as a formula


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


def read_student(path: Path) -> SubmissionResult:
    """One student's ``grade.json``."""
    return SubmissionResult.from_dict(json.loads(Path(path).read_text()))


def read_graded(graded_dir: Path, assignment: str) -> tuple[SubmissionResult, ...]:
    """Every ``graded_dir/STUDENT/grade.json`` of ``assignment``, sorted by student id.

    Files of another assignment are skipped; older files without ``mistakes`` read as none.
    """
    results = (read_student(path) for path in sorted(Path(graded_dir).glob(f"*/{GRADE_FILE}")))
    return tuple(sorted((r for r in results if r.assignment == assignment), key=lambda r: r.student))


def spreadsheet_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it but never evaluates it: a ``'`` before a leading
    ``= + - @``, tab or carriage return (OWASP's rule against CSV formula injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
