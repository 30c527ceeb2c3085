"""What grading produces: plain records, written to grades.csv, JSON, feedback and nbgrader."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


class ErrorKind:
    """Why a whole submission (or one notebook of it) was not graded normally: the values of
    :attr:`SubmissionResult.error_kind`, for reports that must not parse the text."""

    CRASH = "crash"  # the student's process died or misbehaved
    TIMEOUT = "timeout"  # the whole run took longer than limits.submission_timeout_s
    UNREADABLE = "unreadable"  # not UTF-8, not JSON, not a notebook
    REFUSED = "refused file"  # a symbolic link, a FIFO, a file larger than limits.notebook_mb
    MISSING = "notebook missing"  # no notebook of that name (nor a single other one) was submitted
    OVER_BUDGET = "over budget"  # grading it took more time or memory than the grader allows (limits.grader_s, grader_mb)


def call_ending(status: str, error_type: str | None) -> str:
    """The key of :attr:`QuestionResult.call_errors` for a call that returned no value:
    ``"raised NameError"`` when the student's function raised (the nearest built-in class of the
    exception), ``"rejected"`` when the worker refused the call or its result (the function is not
    defined or not callable, the result too large, memory exhausted), else the sandbox's status
    (``"timeout"``, ``"crashed"``, ``"not_run"``, ``"protocol"``)."""
    if status == "error":
        return f"raised {error_type}" if error_type else "rejected"
    return status


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
    timed_out: bool = False  # a call of this question took longer than limits.call_timeout_s
    # how the hidden calls that returned no value ended, as data for reports (see call_ending):
    # {"raised NameError": 12, "timeout": 1, ...}, how many cases ended so; {} when every call returned
    call_errors: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> QuestionResult:
        """Read back :func:`dataclasses.asdict` of a result (fields added later default)."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class Late:
    """When a submission arrived compared with its due date (nbgrader's ``timestamp.txt``)."""

    timestamp: str  # ISO 8601, UTC
    seconds_late: float  # 0 when on time
    penalty: float = 0.0  # points taken off the auto-graded total by course.yml's late policy

    @property
    def is_late(self) -> bool:
        return self.seconds_late > 0


@dataclass(frozen=True)
class SubmissionResult:
    """All questions of one student's notebook for one assignment."""

    student: str
    assignment: str
    questions: list[QuestionResult] = field(default_factory=list)
    error: str | None = None  # a reason the whole submission could not run, if any
    error_kind: str | None = None  # an ErrorKind value when error is set
    # what the student should know about the submission as a whole: the file that was
    # graded in place of the expected one, edited read-only cells, an error of a cell
    # that affects no question
    notes: list[str] = field(default_factory=list)
    late: Late | None = None
    written_points: float = 0.0  # manually graded points of the assignment (pending here)
    # hashes of what was graded (the student's files) and what graded it (course, release,
    # engine, secret): a rerun regrades exactly when one of them changed
    inputs: dict = field(default_factory=dict)

    @property
    def auto_score(self) -> float:
        """The auto-graded points before any late penalty, rounded once, here."""
        return round(sum(q.score for q in self.questions), 4)

    @property
    def score(self) -> float:
        penalty = self.late.penalty if self.late else 0.0
        return round(max(0.0, self.auto_score - penalty), 4)

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions)

    @property
    def mistakes(self) -> list[dict]:
        """Every recognised mistake as data: ``{"question", "id", "message", "cases"}``."""
        return [{"question": q.id, **m} for q in self.questions for m in q.mistakes]

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
            "written_points": self.written_points,
            "error": self.error,
            "error_kind": self.error_kind,
            "notes": list(self.notes),
            "late": asdict(self.late) if self.late else None,
            "inputs": dict(self.inputs),
            "questions": [asdict(q) for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        """Read back :meth:`to_dict` (also a grade.json written before a field existed)."""
        late = data.get("late")
        return cls(data["student"], data["assignment"],
                   [QuestionResult.from_dict(q) for q in data["questions"]], data.get("error"),
                   data.get("error_kind"), list(data.get("notes") or []),
                   Late(**late) if late else None, float(data.get("written_points") or 0.0),
                   dict(data.get("inputs") or {}))
