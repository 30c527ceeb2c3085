"""The table ``python -m autograder grade`` prints after a batch: one row per student."""
from __future__ import annotations

from autograder.grading import feedback
from autograder.grading.results import SubmissionResult


def table_rows(results: list[SubmissionResult]) -> list[list[str]]:
    """The summary table's cells: the maximum is nbgrader's (auto-graded plus written points,
    the written part pending until graded by hand); notes are whole."""
    rows = [["student", "score", "max", "late", "note"]]
    for r in results:
        maximum = feedback.points(r.max_score) + (f" + {feedback.points(r.written_points)} written (pending)"
                                                  if r.written_points else "")
        late = feedback.duration(r.late.seconds_late) if r.late and r.late.is_late else ""
        note = "; ".join(filter(None, [r.error, *r.notes]))
        rows.append([r.student, feedback.points(r.score), maximum, late, note])
    return rows


def print_table(results: list[SubmissionResult]) -> None:
    if not results:
        print("no submissions graded")
        return
    rows = table_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    right = {1}  # scores align on the right
    for row in rows:
        cells = [cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells + [row[-1]]).rstrip())
