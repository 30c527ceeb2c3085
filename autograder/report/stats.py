"""The report's numbers: pure functions of :class:`~autograder.report.collect.AssignmentRecord`.

Conventions, stated once:

* a *share* is a fraction of the students who **submitted** (have a grade), in [0, 1];
* a student's *auto-graded* total is :attr:`SubmissionResult.score` (the sum of their question
  scores, exactly what grades.csv holds); missing students have no total and are not averaged;
* with nbgrader's gradebook, a student's *written* points are the sum of the formgrader's scores
  of their written answers (None while one is not graded yet, or the gradebook has no
  submission of theirs), and their *grade* is auto-graded total + written points (the written
  answers graded so far);
* a question's score is *full* when it equals the points, *zero* when it is 0, else *partial*;
* a mistake was *made* by a student when the grader named it in that student's question
  record (``mistakes`` of grade.json), however many hidden cases showed it.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Iterable, Sequence

from autograder.report.collect import AssignmentRecord, due_utc
from autograder.report.labels import mistake_label
from autograder.grading.results import QuestionResult, SubmissionResult


@dataclass(frozen=True)
class ClassSummary:
    """The class at a glance for one assignment."""

    assignment: str
    students: int                 # on the roster (or graded, without a roster)
    submitted: tuple[str, ...]    # have a grade
    missing: tuple[str, ...]      # on the roster, no grade
    late: tuple[str, ...]         # graded, submitted after the due date
    max_score: float              # auto-graded points of the assignment
    mean: float | None            # of the submitted students' totals; None for an empty class
    median: float | None
    totals: dict[str, float]      # student -> total, submitted students only
    written_max: float = 0.0      # written points of the assignment (graded by hand)
    # student -> written points from the gradebook (None: not all graded yet); None without a gradebook
    written: dict[str, float | None] | None = None

    @property
    def pending(self) -> tuple[str, ...]:
        """Submitted students whose written answers are not all graded in the gradebook."""
        return tuple(s for s in self.submitted if self.written is not None and self.written.get(s) is None)

    @property
    def grades(self) -> dict[str, float] | None:
        """Student -> auto-graded total + written points graded so far; None without a gradebook."""
        if self.written is None:
            return None
        return {s: round(total + (self.written.get(s) or 0.0), 4) for s, total in self.totals.items()}

    @property
    def grade_mean(self) -> float | None:
        grades = self.grades
        return statistics.fmean(grades.values()) if grades else None

    @property
    def grade_median(self) -> float | None:
        grades = self.grades
        return statistics.median(grades.values()) if grades else None


@dataclass(frozen=True)
class QuestionStats:
    """One question over the submitted students (fractions are None when nobody submitted)."""

    assignment: str
    question: str
    points: float
    graded: int
    mean: float | None
    full: float | None
    partial: float | None
    zero: float | None
    written: bool = False         # graded by hand in the formgrader (scores from the gradebook)

    @property
    def difficulty(self) -> float | None:
        """1 - mean / points: 0 when everyone scored full marks, 1 when nobody scored."""
        return None if self.mean is None else 1.0 - self.mean / self.points


@dataclass(frozen=True)
class MistakeStats:
    """One named mistake of one question and the students who made it."""

    assignment: str
    question: str
    mistake: str
    message: str                  # the teaching message the students read
    students: tuple[str, ...]
    submitted: int                # students who submitted the assignment

    @property
    def label(self) -> str:
        """The mistake's readable name (:func:`autograder.report.labels.mistake_label`)."""
        return mistake_label(self.mistake)

    @property
    def count(self) -> int:
        return len(self.students)

    @property
    def share(self) -> float:
        """The fraction of the submitted students who made the mistake."""
        return self.count / self.submitted


@dataclass(frozen=True)
class Problem:
    """A submission, or one question of it, that did not run to an answer (not a wrong answer).

    ``kind`` is an :class:`autograder.grading.results.ErrorKind` value (or, for an old grade.json, one of
    :data:`PROBLEM_KINDS`' values), "timeout" or :data:`EXCEPTION` for a question; ``where`` is
    "submission" or a question id.
    """

    assignment: str
    student: str
    kind: str
    where: str
    detail: str


# --------------------------------------------------------------------------- the class at a glance
def class_summary(record: AssignmentRecord) -> ClassSummary:
    """Counts, lateness, mean and median of the totals for one assignment."""
    totals = {r.student: r.score for r in record.results}
    due = due_utc(record.spec)
    late = tuple(s for s in totals if s in record.submitted_at and record.submitted_at[s] > due)
    values = list(totals.values())
    written = None
    if record.written is not None:
        ids = [w.id for nb in record.spec.notebooks for w in nb.written]
        written = {s: _written_points(record.written.get(s), ids) for s in totals}
    return ClassSummary(
        assignment=record.spec.id,
        students=len(record.roster),
        submitted=tuple(totals),
        missing=tuple(s for s in record.roster if s not in totals),
        late=late,
        max_score=sum(q.points for q in record.spec.questions),
        mean=statistics.fmean(values) if values else None,
        median=statistics.median(values) if values else None,
        totals=totals,
        written_max=sum(w.points for nb in record.spec.notebooks for w in nb.written),
        written=written,
    )


def _written_points(scores: dict[str, float | None] | None, ids: list[str]) -> float | None:
    """The sum of a student's written scores, or None while one of ``ids`` is not graded."""
    if scores is None or any(scores.get(i) is None for i in ids):
        return None
    return round(sum(scores[i] for i in ids), 4)


MAX_BINS = 20


def bin_count(max_score: float) -> int:
    """One bin per point when the maximum is a whole number of at most :data:`MAX_BINS`, else 10."""
    return int(max_score) if float(max_score).is_integer() and 1 <= max_score <= MAX_BINS else 10


def histogram(totals: Iterable[float], max_score: float) -> list[tuple[float, float, int]]:
    """(low, high, count) per bin of equal width over [0, max_score] (see :func:`bin_count`):
    a total t falls in [low, high); the last bin also holds max_score."""
    bins = bin_count(max_score)
    width = max_score / bins
    edges = [(i * width, (i + 1) * width) for i in range(bins)]
    counts = [0] * bins
    for total in totals:
        index = min(int(total / max_score * bins), bins - 1) if max_score > 0 else 0
        counts[max(index, 0)] += 1
    return [(low, high, n) for (low, high), n in zip(edges, counts)]


# --------------------------------------------------------------------------- per question
def _question(result: SubmissionResult, question: str) -> QuestionResult | None:
    try:
        return result.question(question)
    except KeyError:  # a grade.json from before the question was added: not graded on it
        return None


def question_stats(record: AssignmentRecord) -> list[QuestionStats]:
    """Mean score and the full/partial/zero fractions of every question, in course order."""
    out = []
    for spec in record.spec.questions:
        scores = [q.score for q in (_question(r, spec.id) for r in record.results) if q is not None]
        n = len(scores)

        def share(test) -> float | None:
            return sum(1 for s in scores if test(s)) / n if n else None

        out.append(QuestionStats(
            assignment=record.spec.id, question=spec.id, points=spec.points, graded=n,
            mean=statistics.fmean(scores) if n else None,
            full=share(lambda s: s >= spec.points),
            partial=share(lambda s: 0 < s < spec.points),
            zero=share(lambda s: s <= 0),
        ))
    if record.written is not None:
        out += written_stats(record)
    return out


def written_stats(record: AssignmentRecord) -> list[QuestionStats]:
    """The written questions over the submitted students whose answer is graded in the gradebook."""
    out = []
    for notebook in record.spec.notebooks:
        for spec in notebook.written:
            scores = [v for r in record.results
                      if (v := (record.written or {}).get(r.student, {}).get(spec.id)) is not None]
            n = len(scores)

            def share(test) -> float | None:
                return sum(1 for s in scores if test(s)) / n if n else None

            out.append(QuestionStats(
                assignment=record.spec.id, question=spec.id, points=spec.points, graded=n,
                mean=statistics.fmean(scores) if n else None, full=share(lambda s: s >= spec.points),
                partial=share(lambda s: 0 < s < spec.points), zero=share(lambda s: s <= 0), written=True))
    return out


# --------------------------------------------------------------------------- named mistakes
def mistakes(record: AssignmentRecord) -> list[MistakeStats]:
    """Every named mistake of the assignment, ranked by how many students made it.

    Ties keep the course's question order, then the order the grader named them in.
    """
    order = {spec.id: i for i, spec in enumerate(record.spec.questions)}
    found: dict[tuple[str, str], dict] = {}
    for result in record.results:
        for question in result.questions:
            for named in question.mistakes or ():
                entry = found.setdefault((question.id, named["id"]),
                                         {"message": named.get("message", ""), "students": []})
                if result.student not in entry["students"]:
                    entry["students"].append(result.student)
    ranked = sorted(found.items(), key=lambda item: (-len(item[1]["students"]),
                                                     order.get(item[0][0], len(order))))
    return [MistakeStats(record.spec.id, question, mistake, entry["message"], tuple(entry["students"]),
                         len(record.results))
            for (question, mistake), entry in ranked]


def rank_mistakes(groups: Iterable[Sequence[MistakeStats]]) -> list[MistakeStats]:
    """Mistakes of several assignments in one ranking, most students (then largest share) first."""
    every = [m for group in groups for m in group]
    return sorted(every, key=lambda m: (-m.count, -m.share))


# --------------------------------------------------------------------------- errors and timeouts
#: What a submission-level error says -> its kind (the grader records the reason as text only;
#: these are the phrases autograder.grading.pipeline, autograder.batch.grade and the sandbox write). Any other
#: reason is a crash.
PROBLEM_KINDS: dict[str, str] = {
    "could not be read": "unreadable",
    "no notebook": "notebook missing",
    "did not finish within": "timeout",
    "took longer than": "timeout",
}
CRASH = "crash"


def problem_kind(text: str) -> str:
    """The kind of a submission error or of a question's failure text (see :data:`PROBLEM_KINDS`)."""
    return next((kind for phrase, kind in PROBLEM_KINDS.items() if phrase in text), CRASH)


#: Hidden calls that ended in an exception of the student's function (keys of
#: QuestionResult.call_errors) start so. A stub's NotImplementedError is an unanswered question,
#: not an error; a function that is not defined is unanswered too (or its notebook could not be
#: read: the submission's ``error`` says so); calls that were not run, or whose process died, are
#: the submission's own problem (its ``error``), listed once there.
RAISED_PREFIX = "raised "
NOT_AN_ERROR = ("raised NotImplementedError",)
EXCEPTION = "exception"  # the kind of a question whose hidden calls raised
#: Where a submission's ``error`` joins the reasons of several notebooks (autograder.batch.grade);
#: a reason's own "; its questions scored 0" (autograder.grading.pipeline) stays with it.
REASONS = re.compile(r"; (?!its questions scored 0)")


def problems(record: AssignmentRecord) -> list[Problem]:
    """Submissions that crashed, hung or could not be read, and questions that raised or timed out.

    A submission's ``error`` may join several reasons with "; " (one per notebook); each is
    listed, of the kind the grader recorded (``error_kind``; read from the text only for a
    grade.json written before that field). A question timed out when the grader says so
    (``timed_out``); its line is the feedback's that says how. A question raised when hidden
    calls ended in an exception (``call_errors``, a stub's NotImplementedError aside): its line
    says which exception, on how many of its cases.
    """
    out = []
    for result in record.results:
        for reason in filter(None, REASONS.split(result.error or "")):
            kind = result.error_kind or problem_kind(reason)
            out.append(Problem(record.spec.id, result.student, kind, "submission", reason))
        for question in result.questions:
            if question.timed_out:
                lines = [line.strip(" -") for line in question.feedback.splitlines() if "longer than" in line]
                out.append(Problem(record.spec.id, result.student, "timeout", question.id,
                                   lines[0] if lines else "a call took longer than the limit"))
            raised = {ending: n for ending, n in (question.call_errors or {}).items()
                      if ending.startswith(RAISED_PREFIX) and ending not in NOT_AN_ERROR}
            if raised:
                what = ", ".join(f"{ending} on {n} of {question.total} cases" for ending, n in raised.items())
                out.append(Problem(record.spec.id, result.student, EXCEPTION, question.id, f"the function {what}"))
    return out


@dataclass(frozen=True)
class Note:
    """Something the grader told a student about their submission as a whole (a renamed
    notebook graded in place of the expected one, an edited read-only cell graded as released,
    an error in a cell): :attr:`SubmissionResult.notes`, one per line."""

    assignment: str
    student: str
    note: str


def notes(record: AssignmentRecord) -> list[Note]:
    """Every submission note of the assignment, by student, in the order the grader wrote them."""
    return [Note(record.spec.id, result.student, note) for result in record.results for note in result.notes]


# --------------------------------------------------------------------------- the whole course
@dataclass(frozen=True)
class CourseRow:
    """One student across the assignments: a grade (the auto-graded total, plus the written
    points when the gradebook gives them), or None where nothing was graded."""

    student: str
    totals: dict[str, float | None]   # assignment -> total (None: missing)
    late: tuple[str, ...]             # assignments submitted late


def course_table(summaries: Sequence[ClassSummary]) -> list[CourseRow]:
    """Students by assignment, over every student of any assignment's roster, sorted by id."""
    students = sorted({s for summary in summaries for s in (*summary.submitted, *summary.missing)})
    return [CourseRow(student, {c.assignment: (c.totals if c.grades is None else c.grades).get(student)
                                for c in summaries},
                      tuple(c.assignment for c in summaries if student in c.late))
            for student in students]


def by_difficulty(stats: Iterable[QuestionStats]) -> list[QuestionStats]:
    """Questions hardest first (highest difficulty); questions nobody submitted go last."""
    return sorted(stats, key=lambda q: (q.difficulty is None, -(q.difficulty or 0.0)))

