"""Command line: parses the arguments and hands each command to the package that does it.

    python -m autograder grade ASSIGNMENT SUBMISSIONS_DIR --out OUT_DIR [--jobs N] [--force]
    python -m autograder build [--check]
    python -m autograder release [ASSIGNMENT ...] [--now WHEN] [--force] | --check
    python -m autograder secret init [--force] | show-path
    python -m autograder gradescope ASSIGNMENT|all [--out DIR]
    python -m autograder report [...]

``grade`` is :func:`autograder.batch.grade.grade_batch` (what it writes, and when a rerun
regrades, is said there); ``build`` is :mod:`autograder.course.build`; ``release`` is
:mod:`autograder.course.release`; ``secret`` is :mod:`autograder.course.secret`;
``gradescope`` is :mod:`autograder.gradescope.bundle`; ``report`` is
:mod:`autograder.report.command`. The exit status of ``grade`` is nonzero only when the
grader itself failed on some submission (that student gets no grade.json and is retried
next run); a broken submission is a graded zero with a reason. Nothing imports this module
but ``python -m autograder``.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

from autograder.batch.grade import grade_batch
from autograder.batch.table import print_table
from autograder.course import release, secret
from autograder.course.config import CourseError


def _grade(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.submissions_dir.is_dir():  # a mistyped path must not look like an empty class
        parser.error(f"the submissions directory {args.submissions_dir} does not exist")
    try:
        batch = grade_batch(args.assignment, args.submissions_dir, args.out, args.jobs,
                            args.course, progress=not args.quiet, force=args.force)
    except (CourseError, secret.SecretError) as error:  # an unknown assignment, an invalid course.yml, no secret
        parser.error(str(error))
    if not args.quiet:
        print_table(batch.results)
        print(batch.summary())
    for message in batch.skipped + batch.faults:
        print(message, file=sys.stderr)
    return 1 if batch.faults else 0


def _release(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    return release.run(args, parser)


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from autograder.course.build import build_course_files  # numpy and the registry: only when building
    stale = build_course_files(check_only=args.check)
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + str(path))
    if not stale:  # say so: silence reads like a command that did nothing
        print("checks.py, public_cases.json and the data sets beside every solution notebook are up to date; "
              "nothing written.")
    elif not args.check:
        print("now release them: python -m autograder release ASSIGNMENT --now WHEN_STUDENTS_RECEIVE_IT "
              "(refused while an earlier assignment's answers would be a spoiler; README)")
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


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from autograder.report import command as report_command
    return report_command.run(args, parser)


COMMANDS: dict[str, Callable[[argparse.Namespace, argparse.ArgumentParser], int]] = {
    "grade": _grade,
    "report": _report,
    "gradescope": _gradescope,
    "build": _build,
    "release": _release,
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
    grade.add_argument("--force", action="store_true",
                       help="regrade every student (by default only those whose files or grading inputs changed)")
    build = commands.add_parser("build", help="write checks.py, public_cases.json and data beside each solution notebook")
    build.add_argument("--check", action="store_true", help="only report whether the files are up to date")
    release.add_arguments(commands.add_parser(
        "release", help="release assignments to students (nbgrader generate_assignment), refusing spoilers"))
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
    key = args.command if args.command != "secret" else f"secret {args.action}"
    return COMMANDS[key](args, parser)
