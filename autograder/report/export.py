"""The report's numbers for a spreadsheet: CSV files and one JSON file beside the HTML.

For ``report.html`` (stem ``report``):

* ``report_students.csv``  assignment, student, status (submitted/missing), late, submitted_at, total, max_score
* ``report_questions.csv`` assignment, question, points, graded, mean, full, partial, zero, difficulty
* ``report_mistakes.csv``  rank over the report, assignment, question, mistake, students, share, message, who
* ``report_problems.csv``  assignment, student, kind, where, detail
* ``report.json``          all of the above, nested by assignment

Fractions are numbers in [0, 1]; "who" joins student ids with "; ".
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Callable

from autograder.batch.result_files import spreadsheet_safe, write_atomically
from autograder.report.contents import AssignmentReport, Report


def _when(a: AssignmentReport, student: str) -> str:
    when = a.record.submitted_at.get(student)
    return "" if when is None else when.isoformat(sep=" ")


def student_rows(report: Report) -> list[dict]:
    rows = []
    for a in report.assignments:
        s = a.summary
        for student in a.record.roster:
            rows.append({"assignment": a.id, "student": student,
                         "status": "submitted" if student in s.totals else "missing",
                         "late": student in s.late, "submitted_at": _when(a, student),
                         "total": s.totals.get(student), "max_score": s.max_score})
    return rows


def question_rows(report: Report) -> list[dict]:
    return [{"assignment": q.assignment, "question": q.question, "points": q.points, "graded": q.graded,
             "mean": q.mean, "full": q.full, "partial": q.partial, "zero": q.zero, "difficulty": q.difficulty}
            for a in report.assignments for q in a.questions]


def mistake_rows(report: Report) -> list[dict]:
    return [{"rank": i, "assignment": m.assignment, "question": m.question, "mistake": m.mistake,
             "students": m.count, "share": m.share, "message": m.message, "who": "; ".join(m.students)}
            for i, m in enumerate(report.top_mistakes, 1)]


def problem_rows(report: Report) -> list[dict]:
    return [{"assignment": p.assignment, "student": p.student, "kind": p.kind, "where": p.where, "detail": p.detail}
            for a in report.assignments for p in a.problems]


#: file suffix -> (its columns, the function making its rows)
TABLES: dict[str, tuple[tuple[str, ...], Callable[[Report], list[dict]]]] = {
    "students": (("assignment", "student", "status", "late", "submitted_at", "total", "max_score"), student_rows),
    "questions": (("assignment", "question", "points", "graded", "mean", "full", "partial", "zero", "difficulty"),
                  question_rows),
    "mistakes": (("rank", "assignment", "question", "mistake", "students", "share", "message", "who"), mistake_rows),
    "problems": (("assignment", "student", "kind", "where", "detail"), problem_rows),
}


def csv_text(rows: list[dict], columns: tuple[str, ...]) -> str:
    """Rows as CSV with a header; None is an empty cell; text is neutralised against formula
    injection as in grades.csv (a student id may start with ``=``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else spreadsheet_safe(v) if isinstance(v, str) else v
                      for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def summary_dict(a: AssignmentReport) -> dict:
    s = a.summary
    return {"students": s.students, "submitted": len(s.submitted), "missing": list(s.missing),
            "late": list(s.late), "max_score": s.max_score, "mean": s.mean, "median": s.median,
            "due_utc": a.record.spec.due.isoformat(), "roster_source": a.record.roster_source}


def report_dict(report: Report) -> dict:
    """The whole report as JSON-ready data."""
    tables = {name: rows(report) for name, (_, rows) in TABLES.items()}
    return {
        "course": report.course_name,
        "generated_utc": report.generated.isoformat(),
        "assignments": {a.id: {"title": a.title, "summary": summary_dict(a),
                               **{name: [r for r in rows if r["assignment"] == a.id] for name, rows in tables.items()}}
                        for a in report.assignments},
        "top_mistakes": tables["mistakes"],
    }


def write_data(report: Report, html_path: Path) -> list[Path]:
    """Write the CSV files and the JSON file beside ``html_path``; returns their paths."""
    html_path = Path(html_path)
    written = []
    for name, (columns, rows) in TABLES.items():
        path = html_path.with_name(f"{html_path.stem}_{name}.csv")
        write_atomically(path, csv_text(rows(report), columns))
        written.append(path)
    path = html_path.with_suffix(".json")
    write_atomically(path, json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n")
    return written + [path]
