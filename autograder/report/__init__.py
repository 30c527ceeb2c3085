"""The class report: which mistakes the students made, and how many of them (issue 12).

Built from graded results, never by regrading::

    python -m autograder report a1_activations graded/ [--out report.html] [--submissions submitted/]
    python -m autograder report all graded_root/     # graded_root/ASSIGNMENT/STUDENT/grade.json
    python -m autograder report all graded_root/ --gradebook gradebook.db   # + written scores, names

Modules, in the order the data flows:

* :mod:`.collect`   reads grade.json files, the roster (with names), nbgrader's timestamps and
  the gradebook's written scores;
* :mod:`.labels`    readable names for the grader's mistake ids;
* :mod:`.stats`     pure functions: the class at a glance, per question, named mistakes, problems,
  submission notes;
* :mod:`.contents`  the report as data (:class:`Report`);
* :mod:`.figures`   matplotlib plots as PNG bytes;
* :mod:`.page`      the self-contained HTML page;
* :mod:`.export`    the same numbers as CSV and JSON;
* :mod:`.command`   the ``report`` subcommand.

May import: ``batch`` (the result files), ``grading`` (the results) and ``course``; never
gradescope, demo or an entry point.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from autograder.batch.result_files import write_atomically
from autograder.report.collect import AssignmentRecord, Sources, collect, collect_course
from autograder.report.contents import Report, build_report
from autograder.report.export import write_data

__all__ = ["AssignmentRecord", "Report", "Sources", "build_report", "collect", "collect_course", "write_report"]


def write_report(course_name: str, records: Sequence[AssignmentRecord], out: Path) -> tuple[Report, list[Path]]:
    """Write the HTML report on ``records`` to ``out`` and its CSV/JSON beside it.

    Returns
    -------
    report : Report
        The numbers the files hold.
    paths : list of Path
        The HTML file first, then the data files.
    """
    from autograder.report.page import render  # matplotlib: imported when a report is written, not by
    # every command line that only builds the report subcommand's parser (about 0.5 s of start-up)
    report = build_report(course_name, records)
    out = Path(out)
    write_atomically(out, render(report))
    return report, [out, *write_data(report, out)]
