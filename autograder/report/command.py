"""``python -m autograder report``: the subcommand's arguments and what it does.

:mod:`autograder.cli` adds the parser with :func:`add_parser` and calls :func:`run`.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from autograder.course.config import CourseError, load_course
from autograder.report.contents import Report

ALL = "all"  # the ASSIGNMENT that means every assignment of the course
TOP = 3      # how many mistakes the command prints


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``report`` to the command line's subcommands."""
    report = commands.add_parser(
        "report", help="write the class report (HTML, CSV, JSON) from graded results",
        description="Write a self-contained HTML class report, with its numbers as CSV and JSON beside it, "
                    "from the grade.json files that `grade` wrote (nothing is regraded).")
    report.add_argument("assignment", help=f"an assignment id, or '{ALL}' for every assignment of the course")
    report.add_argument("graded_dir", type=Path,
                        help=f"the --out directory of `grade`; with '{ALL}', a directory holding one such "
                             "directory per assignment, named by its id")
    report.add_argument("--out", type=Path, default=None, help="the HTML file (default: GRADED_DIR/report.html)")
    report.add_argument("--submissions", type=Path, default=None,
                        help="nbgrader's submitted/ directory: its student folders are the roster, its "
                             "STUDENT/ASSIGNMENT/timestamp.txt the submission times (for late submissions)")
    report.add_argument("--roster", type=Path, default=None,
                        help="the class list: student ids one a line, or CSV with a header naming id and name "
                             "(or first_name, last_name) columns, as nbgrader's students.csv")
    report.add_argument("--gradebook", type=Path, default=None,
                        help="nbgrader's gradebook.db: its students (with their names) are the roster, and the "
                             "written answers' scores from the formgrader join the auto-graded ones")
    report.add_argument("--course", type=Path, default=None, help="course.yml (default: the repository's)")
    return report


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Collect, write and print where the report is and its most frequent mistakes."""
    from autograder.report import Sources, collect, collect_course, write_report

    if not args.graded_dir.is_dir():
        parser.error(f"the graded directory {args.graded_dir} does not exist")
    for name in ("submissions", "roster", "gradebook"):
        path = getattr(args, name)
        if path is not None and not path.exists():
            parser.error(f"--{name} {path} does not exist")
    try:
        course = load_course(args.course) if args.course else load_course()
        sources = Sources(roster=args.roster, gradebook=args.gradebook, submissions=args.submissions)
        records = (collect_course(course, args.graded_dir, sources) if args.assignment == ALL
                   else [collect(course, args.assignment, args.graded_dir, sources)])
    except CourseError as error:
        parser.error(str(error))
    if not records:  # e.g. `all` pointed at one assignment's folder
        parser.error(f"{args.graded_dir} holds no folder named for an assignment of the course "
                     f"({', '.join(a.id for a in course.assignments)})")
    report, paths = write_report(course.name, records, args.out or args.graded_dir / "report.html")
    print(f"report: {paths[0]}")
    print("data:   " + ", ".join(p.name for p in paths[1:]))
    print_top_mistakes(report)
    return 0


def print_top_mistakes(report: Report, top: int = TOP, indent: str = "") -> None:
    """The ``top`` most frequent named mistakes, one a line."""
    ranked = report.top_mistakes[:top]
    print(indent + (f"top {len(ranked)} named mistakes:" if ranked else "no named mistakes"))
    for m in ranked:
        print(f"{indent}  {100 * m.share:3.0f} % ({m.count} of {m.submitted}) {m.assignment}/{m.question}: "
              f"{m.label}. {m.message}")
