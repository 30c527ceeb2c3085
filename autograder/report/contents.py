"""The report as data: every number the HTML, the CSV and the JSON show, computed once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from autograder.report import stats
from autograder.report.collect import AssignmentRecord


@dataclass(frozen=True)
class AssignmentReport:
    """One assignment: the class at a glance, its questions, mistakes, problems and the
    submission notes."""

    record: AssignmentRecord
    summary: stats.ClassSummary
    questions: list[stats.QuestionStats]
    mistakes: list[stats.MistakeStats]
    problems: list[stats.Problem]
    notes: list[stats.Note]

    @property
    def id(self) -> str:
        return self.record.spec.id

    @property
    def title(self) -> str:
        return self.record.spec.title


@dataclass(frozen=True)
class Report:
    """A report on one or more assignments of a course.

    Attributes
    ----------
    course_name : str
    assignments : list of AssignmentReport
        In course order.
    generated : datetime
        When the report was made (UTC), shown in its header.
    """

    course_name: str
    assignments: list[AssignmentReport]
    generated: dt.datetime

    @property
    def top_mistakes(self) -> list[stats.MistakeStats]:
        """Every named mistake of every assignment, most students first."""
        return stats.rank_mistakes(a.mistakes for a in self.assignments)

    def name(self, student: str) -> str:
        """The student's name and id as the page shows them (the first name any record knows)."""
        for a in self.assignments:
            if a.record.names.get(student):
                return a.record.name(student)
        return student

    @property
    def course_rows(self) -> list[stats.CourseRow]:
        return stats.course_table([a.summary for a in self.assignments])

    @property
    def difficulty(self) -> list[stats.QuestionStats]:
        """Every question of every assignment, hardest first."""
        return stats.by_difficulty(q for a in self.assignments for q in a.questions)


def assignment_report(record: AssignmentRecord) -> AssignmentReport:
    """Compute every statistic of one assignment."""
    return AssignmentReport(record, stats.class_summary(record), stats.question_stats(record),
                            stats.mistakes(record), stats.problems(record), stats.notes(record))


def build_report(course_name: str, records: Sequence[AssignmentRecord],
                 generated: dt.datetime | None = None) -> Report:
    """The report on ``records`` (one per assignment, in course order)."""
    when = generated or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return Report(course_name, [assignment_report(r) for r in records], when)
