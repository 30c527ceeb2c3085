"""The report's numbers for a spreadsheet: CSV files and one JSON file beside the HTML.

For ``report.html`` (stem ``report``):

* ``report_students.csv``  assignment, student, name, status (submitted/missing), late, submitted_at,
  total (auto-graded), max_score, written and written_max (from nbgrader's gradebook; empty while
  not graded, or without a gradebook), grade (total + written graded so far), grade_max
* ``report_questions.csv`` assignment, question, kind (auto/written), points, graded, mean, full,
  partial, zero, difficulty
* ``report_mistakes.csv``  rank over the report, assignment, question, mistake (readable), mistake_id
  (the grader's), students, share, message, who
* ``report_problems.csv``  assignment, student, kind, where, detail
* ``report_notes.csv``     assignment, student, note (what the grader told the student about the
  submission as a whole)
* ``report.json``          all of the above, nested by assignment

Fractions are numbers in [0, 1]; "who" joins student ids with "; ". Every number is rounded to
:data:`DECIMALS` places for people (no ``1.4000000000000001``), in the CSV and the JSON.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Callable

from autograder.batch.result_files import spreadsheet_safe, write_atomically
from autograder.report.contents import AssignmentReport, Report

DECIMALS = 4  # places of every number of the CSV and JSON files


def rounded(value: object) -> object:
    """A float rounded to :data:`DECIMALS` places (an integral one as an int: ``2`` not ``2.0``);
    any other value as it is."""
    if isinstance(value, float) and not isinstance(value, bool):
        value = round(value, DECIMALS)
        return int(value) if value.is_integer() else value
    return value


def _when(a: AssignmentReport, student: str) -> str:
    when = a.record.submitted_at.get(student)
    return "" if when is None else when.isoformat(sep=" ")


def student_rows(report: Report) -> list[dict]:
    rows = []
    for a in report.assignments:
        s = a.summary
        grades, has_gradebook = s.grades or {}, s.written is not None
        for student in a.record.roster:
            rows.append({"assignment": a.id, "student": student, "name": a.record.names.get(student, ""),
                         "status": "submitted" if student in s.totals else "missing",
                         "late": student in s.late, "submitted_at": _when(a, student),
                         "total": s.totals.get(student), "max_score": s.max_score,
                         "written": (s.written or {}).get(student), "written_max": s.written_max if has_gradebook else None,
                         "grade": grades.get(student),
                         "grade_max": s.max_score + s.written_max if has_gradebook else None})
    return rows


def question_rows(report: Report) -> list[dict]:
    return [{"assignment": q.assignment, "question": q.question, "kind": "written" if q.written else "auto",
             "points": q.points, "graded": q.graded, "mean": q.mean, "full": q.full, "partial": q.partial,
             "zero": q.zero, "difficulty": q.difficulty}
            for a in report.assignments for q in a.questions]


def mistake_rows(report: Report) -> list[dict]:
    return [{"rank": i, "assignment": m.assignment, "question": m.question, "mistake": m.label,
             "mistake_id": m.mistake, "students": m.count, "share": m.share, "message": m.message,
             "who": "; ".join(m.students)}
            for i, m in enumerate(report.top_mistakes, 1)]


def problem_rows(report: Report) -> list[dict]:
    return [{"assignment": p.assignment, "student": p.student, "kind": p.kind, "where": p.where, "detail": p.detail}
            for a in report.assignments for p in a.problems]


def note_rows(report: Report) -> list[dict]:
    return [{"assignment": n.assignment, "student": n.student, "note": n.note}
            for a in report.assignments for n in a.notes]


#: file suffix -> (its columns, the function making its rows)
TABLES: dict[str, tuple[tuple[str, ...], Callable[[Report], list[dict]]]] = {
    "students": (("assignment", "student", "name", "status", "late", "submitted_at", "total", "max_score",
                  "written", "written_max", "grade", "grade_max"), student_rows),
    "questions": (("assignment", "question", "kind", "points", "graded", "mean", "full", "partial", "zero",
                   "difficulty"), question_rows),
    "mistakes": (("rank", "assignment", "question", "mistake", "mistake_id", "students", "share", "message", "who"),
                 mistake_rows),
    "problems": (("assignment", "student", "kind", "where", "detail"), problem_rows),
    "notes": (("assignment", "student", "note"), note_rows),
}


def csv_text(rows: list[dict], columns: tuple[str, ...]) -> str:
    """Rows as CSV with a header; None is an empty cell; text is neutralised against formula
    injection as in grades.csv (a student id may start with ``=``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else spreadsheet_safe(v) if isinstance(v, str) else rounded(v)
                      for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def summary_dict(a: AssignmentReport) -> dict:
    s = a.summary
    return {"students": s.students, "submitted": len(s.submitted), "missing": list(s.missing),
            "late": list(s.late), "max_score": s.max_score, "mean": rounded(s.mean), "median": rounded(s.median),
            "written_max": s.written_max, "written_pending": list(s.pending) if s.written is not None else None,
            "grade_mean": rounded(s.grade_mean), "grade_median": rounded(s.grade_median),
            "due_utc": a.record.spec.due.isoformat(), "roster_source": a.record.roster_source}


def report_dict(report: Report) -> dict:
    """The whole report as JSON-ready data."""
    tables = {name: [{k: rounded(v) for k, v in row.items()} for row in rows(report)]
              for name, (_, rows) in TABLES.items()}
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
