"""What grading produces: plain records, written to grades.csv, JSON, feedback and nbgrader."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class QuestionResult:
    """The grade of one question for one submission.

    ``feedback`` is student-readable text: it names failed checks and recognised
    mistakes but never contains a hidden input or an expected value.
    """

    id: str
    score: float
    max_score: float
    passed: int
    total: int
    feedback: str
    # the named mistakes recognised in this question, as data for reports:
    # [{"id": mistake name, "message": teaching message, "cases": how many cases showed it}]
    mistakes: list = field(default_factory=list)


@dataclass(frozen=True)
class SubmissionResult:
    """All questions of one student's notebook for one assignment."""

    student: str
    assignment: str
    questions: list[QuestionResult] = field(default_factory=list)
    error: str | None = None  # a reason the whole submission could not run, if any

    @property
    def score(self) -> float:
        return round(sum(q.score for q in self.questions), 4)

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions)

    def question(self, question_id: str) -> QuestionResult:
        for result in self.questions:
            if result.id == question_id:
                return result
        raise KeyError(question_id)

    def to_dict(self) -> dict:
        return {
            "student": self.student,
            "assignment": self.assignment,
            "score": self.score,
            "max_score": self.max_score,
            "error": self.error,
            "questions": [asdict(q) for q in self.questions],
        }
