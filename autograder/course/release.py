"""Release assignments and run the instructor pipeline, all through nbgrader's own commands.

    python -m autograder release [ASSIGNMENT ...] [--now 2027-02-06T00:00] [--force]
        # solutions/ -> assignments/, refused (exit 2) while an ASSIGNMENT's given code holds
        # graded answers of an earlier assignment that is not yet due at --now (default: the
        # current UTC time); --force releases anyway and says what it forced
    python -m autograder release --check [ASSIGNMENT ...]     # release into a temp copy, compare
                                                              # byte for byte with assignments/;
                                                              # spoilers are noted, never a failure
    python -m autograder release --grade COURSE_DIR ASSIGNMENT [...]
        # in COURSE_DIR (a course copy with submitted/STUDENT/ASSIGNMENT/*.ipynb):
        # generate_assignment, autograde, generate_feedback, export; prints scores as JSON

Every nbgrader step runs as ``sys.executable -m nbgrader ...`` with the course directory as the
working directory, so it reads that directory's ``nbgrader_config.py`` exactly as an instructor's
``nbgrader`` command would.

No spoilers (``autograder.course.spoilers``, README "Releasing without spoilers"): the release is the
moment students receive an assignment, so every caller states its clock (``now``) or
``force=True``. ``--check`` and :func:`release_to` are build comparisons, not releases to
students: they release with ``force=True`` and ``--check`` prints the spoilers as notes.

Releases are deterministic: nbgrader writes the cleared notebook with ``nbformat`` (sorted keys,
one-space indent, no timestamps, no absolute paths) plus MD5 checksums of cell sources, and
copies the other files of ``solutions/ASSIGNMENT/`` unchanged. Nothing is normalised when
comparing; only file permissions (644 from nbgrader) are ignored, as git does.
"""
from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import yaml

from autograder.course.spoilers import (ERRATA_SOURCE, SpoilerError, as_utc, check_note, course_answer_forms, course_answers,
                                        earliest_release, errata_spoilers, find_spoilers, forced_message, utc_now)

REPO = Path(__file__).resolve().parents[2]

#: What a course directory needs for nbgrader to release from it.
COURSE_FILES = ("course.yml", "nbgrader_config.py")
SOURCE_DIR = "solutions"
RELEASE_DIR = "assignments"
IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")

#: Text that must not appear in any released file (notebooks are also checked by
#: autograder.nbgrader_plugin.ReleaseGuard during generate_assignment).
FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
             "BEGIN MARK SCHEME", "END MARK SCHEME", "nn_core")


class NbgraderError(RuntimeError):
    """An nbgrader command exited non-zero; the message carries its output."""


def _load_course(course_root: Path) -> dict:
    # Swap for autograder.course.config.load_course once it exists (same keys assumed).
    return yaml.safe_load((Path(course_root) / "course.yml").read_text(encoding="utf-8"))


def course_assignments(course_root: Path = REPO, *, with_source: bool = False) -> list[str]:
    """Assignment ids in course.yml order; with_source: only those with a solutions/<id>/."""
    ids = [a["id"] for a in _load_course(course_root)["assignments"]]
    if with_source:
        ids = [a for a in ids if (Path(course_root) / SOURCE_DIR / a).is_dir()]
    return ids


def nbgrader_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for an nbgrader subprocess: this interpreter's bin first on PATH
    (nbgrader runs ``alembic`` from PATH when it creates a gradebook), the repo importable."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    if extra:
        env.update(extra)
    return env


def nbgrader(args: Sequence[str], course_root: Path = REPO, *, env: Mapping[str, str] | None = None,
             check: bool = True, timeout: float | None = 600) -> subprocess.CompletedProcess:
    """Run ``python -m nbgrader ARGS`` in ``course_root``."""
    cmd = [sys.executable, "-m", "nbgrader", *map(str, args)]
    proc = subprocess.run(cmd, cwd=str(course_root), env=nbgrader_env(env), capture_output=True,
                          text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise NbgraderError(f"{' '.join(cmd[2:])} failed in {course_root} (exit {proc.returncode}):\n"
                            f"{proc.stdout}\n{proc.stderr}")
    return proc


def check_release_dir(release_dir: Path, forbidden: Iterable[str] = FORBIDDEN) -> None:
    """Raise if a released file (any file, not only notebooks) contains forbidden text."""
    problems = []
    for path in sorted(Path(release_dir).rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        problems += [f"{path}: {word!r}" for word in forbidden if word in text]
    if problems:
        raise NbgraderError("released files contain forbidden text:\n" + "\n".join(problems))


def check_released_errata(release_dir: Path, course_root: Path = REPO) -> None:
    """Raise if the student errata released in ``release_dir`` gives a form of any graded answer
    (``autograder.course.spoilers.errata_spoilers``): no due date makes that harmless, so not
    even ``--force`` releases it."""
    path = Path(release_dir) / "errata.md"
    if not path.is_file():
        return
    leaks = errata_spoilers(path.read_text(encoding="utf-8"), course_answer_forms(course_root),
                            where=str(path.relative_to(Path(course_root))))
    if leaks:
        raise NbgraderError("the released errata give graded answers away (move each correction out of the "
                            "student parts of docs/errata.md and rebuild):\n" +
                            "\n".join(f"    {d.name}: {d.where}" for d in leaks))


def release(assignments: Sequence[str] | None = None, course_root: Path = REPO, *,
            now: dt.datetime | None = None, force: bool = False,
            env: Mapping[str, str] | None = None) -> list[Path]:
    """``nbgrader generate_assignment A --force`` for each assignment (default: every assignment
    of course.yml that has a ``solutions/<A>/``), students receiving them at ``now`` (UTC).

    The caller states the clock (``now``) or ``force=True``; without ``force`` nothing is
    released while any of them would be a spoiler at ``now`` (:func:`spoilers_at`).

    Returns the released directories ``<course_root>/assignments/<A>``.

    Raises
    ------
    SpoilerError
        An assignment's given code defines graded answers of an earlier assignment that is not
        due at ``now``; its message says which, where, and how to proceed.
    ValueError
        Neither ``now`` nor ``force`` was given."""
    if now is None and not force:
        raise ValueError("release() needs the release's clock (now=, a UTC datetime) or force=True: "
                         "an assignment may only reach students once the earlier ones are due")
    course_root = Path(course_root).resolve()
    names = list(assignments or course_assignments(course_root, with_source=True))
    if not force:
        found = spoilers_at(names, course_root, as_utc(now))
        if found:
            raise SpoilerError(found, as_utc(now))
    out = []
    for assignment in names:
        nbgrader(["generate_assignment", assignment, "--force"], course_root, env=env)
        released = course_root / RELEASE_DIR / assignment
        check_release_dir(released)
        check_released_errata(released, course_root)
        out.append(released)
    return out


def spoilers_at(assignments: Sequence[str], course_root: Path = REPO, now: dt.datetime | None = None) -> list:
    """Every :class:`autograder.course.spoilers.Spoiler` of releasing ``assignments`` at ``now``
    (default: the current UTC time)."""
    moment = as_utc(now) if now is not None else utc_now()
    return [s for a in assignments for s in find_spoilers(Path(course_root), a, moment, source_dir=SOURCE_DIR)]


def release_date(course_root: Path, assignments: Sequence[str] | None = None) -> dt.datetime | None:
    """The first minute at which ``assignments`` (default: all) may all reach students without
    spoilers: one minute after the last due date before them (None: no earlier assignment)."""
    course = course_answers(course_root)
    return earliest_release(course, assignments or [a.id for a in course])


def make_course_copy(dest: Path, source_root: Path = REPO, assignments: Sequence[str] | None = None) -> Path:
    """Copy what nbgrader needs (course.yml, nbgrader_config.py, solutions/) into ``dest``, and the
    instructor's errata when there is one (the spoiler checks read the answers' forms from it)."""
    source_root, dest = Path(source_root).resolve(), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in COURSE_FILES:
        shutil.copy2(source_root / name, dest / name)
    if (source_root / ERRATA_SOURCE).is_file():
        (dest / ERRATA_SOURCE).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source_root / ERRATA_SOURCE, dest / ERRATA_SOURCE)
    names = assignments or [p.name for p in (source_root / SOURCE_DIR).iterdir() if p.is_dir()]
    for assignment in names:
        src = source_root / SOURCE_DIR / assignment
        if src.is_dir():
            shutil.copytree(src, dest / SOURCE_DIR / assignment, ignore=IGNORED, dirs_exist_ok=True)
    return dest


def release_to(tmpdir: Path, assignments: Sequence[str] | None = None, source_root: Path = REPO, *,
               env: Mapping[str, str] | None = None) -> Path:
    """Release into a fresh copy of the course under ``tmpdir``; return its ``assignments/``.

    A build to compare, never handed to students: it releases with ``force=True``. The committed
    ``assignments/`` is up to date iff ``diff_trees(release_to(tmp), REPO / "assignments")`` is
    empty."""
    course = make_course_copy(Path(tmpdir) / "course", source_root, assignments)
    release(assignments, course, force=True, env=env)
    return course / RELEASE_DIR


def diff_trees(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two directory trees (missing on one side or not
    byte-identical). Ignores .ipynb_checkpoints and __pycache__."""
    a, b = Path(a), Path(b)

    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                and not {".ipynb_checkpoints", "__pycache__"} & set(p.relative_to(root).parts)}

    fa, fb = files(a) if a.exists() else set(), files(b) if b.exists() else set()
    diffs = sorted(f"only in {a}: {p}" for p in fa - fb) + sorted(f"only in {b}: {p}" for p in fb - fa)
    diffs += [f"differs: {p}" for p in sorted(fa & fb) if not filecmp.cmp(a / p, b / p, shallow=False)]
    return diffs


# -- the instructor pipeline ---------------------------------------------------------------
@dataclass
class GradebookScores:
    """What nbgrader's gradebook holds for one student's submission of one assignment."""

    student: str
    assignment: str
    score: float                     # nbgrader's submission score (manual overrides auto)
    max_score: float
    late_penalty: float
    needs_manual_grade: bool
    cells: dict[str, float | None] = field(default_factory=dict)  # grade_id -> auto_score

    def to_dict(self) -> dict:
        return asdict(self)


def gradebook_url(course_root: Path) -> str:
    return "sqlite:///" + str(Path(course_root).resolve() / "gradebook.db")


def read_gradebook(course_root: Path, assignment: str) -> dict[str, GradebookScores]:
    """Per-student scores of ``assignment`` from ``<course_root>/gradebook.db``."""
    from nbgrader.api import Gradebook, MissingEntry

    course_id = _load_course(course_root)["course"]["id"]
    scores = {}
    with Gradebook(gradebook_url(course_root), course_id) as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                continue
            cells = {g.name: g.auto_score for nb in sub.notebooks for g in nb.grades}
            scores[student.id] = GradebookScores(
                student=student.id, assignment=assignment, score=float(sub.score),
                max_score=float(sub.max_score), late_penalty=float(sub.late_submission_penalty or 0.0),
                needs_manual_grade=bool(sub.needs_manual_grade), cells=cells)
    return scores


def run_pipeline(course_root: Path, assignment: str, *, release_first: bool = True,
                 extra_args: Sequence[str] = (), env: Mapping[str, str] | None = None,
                 grades_csv: str = "grades.csv") -> dict[str, GradebookScores]:
    """Grade ``submitted/STUDENT/<assignment>/*.ipynb`` in ``course_root`` with nbgrader.

    Runs ``generate_assignment`` (fills the gradebook with the source cells; needs
    ``solutions/``), ``autograde --create --force`` (creates the students; the engine grades),
    ``generate_feedback --force`` and ``export --to <grades_csv>``; returns the gradebook's
    scores per student. ``extra_args`` go to every nbgrader command (e.g.
    ``--EngineGrade.grader=module.function``)."""
    course_root = Path(course_root).resolve()
    extra = list(extra_args)
    if release_first:
        nbgrader(["generate_assignment", assignment, "--force", *extra], course_root, env=env)
    nbgrader(["autograde", assignment, "--create", "--force", *extra], course_root, env=env)
    nbgrader(["generate_feedback", assignment, "--force", *extra], course_root, env=env)
    nbgrader(["export", "--to", grades_csv, *extra], course_root, env=env)
    return read_gradebook(course_root, assignment)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m autograder release`` (the command line registers them)."""
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every assignment of course.yml with a solutions/ folder)")
    parser.add_argument("--course-root", type=Path, default=REPO, help="course directory (default: the repo)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="release into a temporary copy and compare with the committed assignments/")
    mode.add_argument("--grade", type=Path, metavar="COURSE_DIR",
                      help="run the instructor pipeline in COURSE_DIR and print the gradebook scores")
    parser.add_argument("--now", type=as_utc, default=None, metavar="YYYY-MM-DDTHH:MM",
                        help="when students receive the release (UTC unless an offset is given; "
                             "default: the current time): an assignment is refused while an earlier "
                             "one whose graded answers its given code defines is not yet due")
    parser.add_argument("--force", action="store_true",
                        help="release even when the given code holds an open earlier assignment's answers "
                             "(says what it forced)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Release, check or grade as ``args`` say; the exit status of ``python -m autograder release``."""
    now = args.now or utc_now()

    if args.grade:
        if not args.assignments:
            parser.error("--grade needs at least one ASSIGNMENT")
        out = {a: {s: g.to_dict() for s, g in run_pipeline(args.grade, a).items()} for a in args.assignments}
        print(json.dumps(out, indent=2))
        return 0
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            released = release_to(Path(tmp), args.assignments or None, args.course_root)
            committed = Path(args.course_root) / RELEASE_DIR
            names = args.assignments or sorted(
                set(course_assignments(args.course_root, with_source=True))
                | ({p.name for p in committed.iterdir() if p.is_dir()} if committed.is_dir() else set()))
            diffs = [d for a in names for d in diff_trees(released / a, Path(args.course_root) / RELEASE_DIR / a)]
        for line in diffs:
            print(line)
        print("assignments/ is up to date" if not diffs else f"{len(diffs)} difference(s): run python -m autograder release")
        sources = course_assignments(args.course_root, with_source=True)
        for spoiler in spoilers_at([a for a in names if a in sources], args.course_root, now):
            print(check_note(spoiler, now))
        return 1 if diffs else 0
    names = args.assignments or course_assignments(args.course_root, with_source=True)
    found = spoilers_at(names, args.course_root, now)
    if found and not args.force:
        print(SpoilerError(found, now), file=sys.stderr)
        return 2
    for path in release(names, args.course_root, now=now, force=args.force):
        print(f"released {path}")
    for spoiler in found:
        print(forced_message(spoiler, now))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder release", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv), parser)


if __name__ == "__main__":
    sys.exit(main())
