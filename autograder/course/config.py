"""Load and validate ``course.yml``, the one description of the course.

Every other part (the engine, nbgrader's configuration, the notebook checks, the demo)
reads the course through :func:`load_course`. A wrong key, type or reference is reported
with the file, the field's path and what was expected, e.g.::

    course.yml: assignments[0].notebooks[0].questions[3].points: expected a positive number, got 'two'
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

import yaml

#: yaml's safe loader, libyaml's C version when PyYAML was built with it (the same documents, about
#: ten times faster: every command line and grading process reads course.yml)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from autograder.sandbox import Limits

REPO_ROOT = Path(__file__).resolve().parents[2]
COURSE_FILE = REPO_ROOT / "course.yml"
MB = 1024 * 1024
DEFAULT_NOTEBOOK_MB = 20.0
DEFAULT_GRADER_MB = 1024  # limits.grader_mb: the data memory of a grading process (RLIMIT_DATA)


class CourseError(ValueError):
    """course.yml does not describe a valid course."""


@dataclass(frozen=True)
class QuestionSpec:
    """One auto-graded question as the course states it."""

    id: str
    function: str
    points: float
    rtol: float
    atol: float
    partial_credit: bool
    hidden_cases: int
    public_cases: int
    settings: dict = field(default_factory=dict, compare=False)  # a judged question's hyper-parameters, thresholds
    #: The one worked example of its family (course.yml ``worked_example: true``): the notebook derives its
    #: answer in full, so the answer may be printed where students read it (autograder.course.spoilers.printed_answers).
    worked_example: bool = False


@dataclass(frozen=True)
class WrittenSpec:
    """One manually graded written question."""

    id: str
    points: float
    prompt: str


@dataclass(frozen=True)
class NotebookSpec:
    name: str
    questions: tuple[QuestionSpec, ...]
    written: tuple[WrittenSpec, ...]
    data: tuple[str, ...] = ()  # data sets released beside the notebook as <name>.npz


@dataclass(frozen=True)
class AssignmentSpec:
    id: str
    title: str
    due: dt.datetime
    notebooks: tuple[NotebookSpec, ...]
    hours: tuple[float, float] | None = None  # the expected time of a capable student, fewest-most hours

    @property
    def hours_text(self) -> str:
        """The expected time as students and the README read it: ``about 2.5-3.5 hours``."""
        if self.hours is None:
            return "not stated"
        low, high = self.hours
        return f"about {low:g} hours" if low == high else f"about {low:g}-{high:g} hours"

    @property
    def expected_time_line(self) -> str:
        """The line of the notebook's introduction that states the expected time (under its title)."""
        return f"**Expected time:** {self.hours_text} for a capable student, reading and written answers included."

    @property
    def questions(self) -> tuple[QuestionSpec, ...]:
        return tuple(q for nb in self.notebooks for q in nb.questions)

    def questions_of(self, notebook: str | None = None) -> tuple[QuestionSpec, ...]:
        """The questions of one notebook of this assignment, or of all of them."""
        if notebook is None:
            return self.questions
        for nb in self.notebooks:
            if nb.name == notebook:
                return nb.questions
        known = ", ".join(nb.name for nb in self.notebooks)
        raise CourseError(f"assignment {self.id!r} has no notebook {notebook!r}; it has: {known}")

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions) + sum(
            w.points for nb in self.notebooks for w in nb.written)

    @property
    def middle_hours(self) -> float | None:
        """The middle of the expected time, ``(fewest + most) / 2``; None when it is not stated."""
        return None if self.hours is None else (self.hours[0] + self.hours[1]) / 2

    @property
    def points_per_hour(self) -> float | None:
        """The points an expected hour earns: :attr:`points` over :attr:`middle_hours` (None without hours)."""
        return None if self.middle_hours is None else self.points / self.middle_hours


@dataclass(frozen=True)
class Balance:
    """How the course's points follow effort (the ``balance:`` block of course.yml; issue 24).

    Checked by :func:`balance_problems` (tests/test_course_notebooks.py), not when the course
    loads: an instructor may try points out before the balance is restored.
    """

    #: every assignment's points per expected hour lies within this share of the course's
    #: (all points over all the middles of the hours); None: not required
    rate_band: float | None = None
    #: assignment id -> the least share of the course's points it weighs (compared, not hashed: a
    #: Course stays hashable)
    least_share: dict[str, float] = field(default_factory=dict, hash=False)


VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")  # Gradescope's, in its words
STUDENT_ID_FIELDS = ("email", "id")  # fields of a user in Gradescope's submission_metadata.json


@dataclass(frozen=True)
class GradescopePolicy:
    """What students see of a Gradescope results.json (the ``gradescope:`` block of course.yml).

    Each visibility is one of :data:`VISIBILITIES`, Gradescope's own values.
    """

    scores: str = "visible"  # each question's score and its one-line summary
    hidden_case_details: str = "after_due_date"  # which checks failed, the mistakes recognised
    stdout: str = "hidden"  # the grader's log (run_autograder's stdout), meant for the instructor
    student_id: str = "email"  # the user field whose value keys the student's hidden cases


@dataclass(frozen=True)
class Course:
    id: str
    name: str
    limits: Limits  # the sandbox's limits
    assignments: tuple[AssignmentSpec, ...]
    notebook_mb: float = DEFAULT_NOTEBOOK_MB  # limits.notebook_mb: the largest notebook file graded
    # limits.grader_s: the wall clock for grading one student, in the grader's own process (None: derived
    # from the sandbox's limits, autograder.batch.budget.budget_for); limits.grader_mb: that process's memory
    grader_s: float | None = None
    grader_mb: float = DEFAULT_GRADER_MB
    gradescope: GradescopePolicy = GradescopePolicy()  # what students see of results.json on Gradescope
    late_penalty_per_day: float = 0.0  # late.penalty_per_day: the share of the score lost per day late begun
    # gradient_check.tolerance: the largest relative error between a derived gradient and the student's own
    # numerical one that the visible checks accept (autograder.checks.visible.GRADIENT_CHECK_TOLERANCE)
    gradient_check_tolerance: float = 1e-6
    balance: Balance = Balance()  # how the points follow the expected hours (balance_problems)

    @property
    def points(self) -> float:
        """Every assignment's points, written questions included."""
        return sum(a.points for a in self.assignments)

    @property
    def points_per_hour(self) -> float | None:
        """The course's points over the sum of the middles of the assignments' hours (None unless
        every assignment states its hours)."""
        middles = [a.middle_hours for a in self.assignments]
        return None if None in middles else self.points / sum(middles)

    @property
    def notebook_bytes(self) -> int:
        """The largest notebook file the grader reads, in bytes (a larger one is a graded zero)."""
        return int(self.notebook_mb * MB)

    def assignment(self, assignment_id: str) -> AssignmentSpec:
        for assignment in self.assignments:
            if assignment.id == assignment_id:
                return assignment
        known = ", ".join(a.id for a in self.assignments)
        raise CourseError(f"unknown assignment {assignment_id!r}; the course has: {known}")


class _Reader:
    """Walks the YAML tree, remembering the path for error messages."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, expected: str, got: Any) -> None:
        raise CourseError(f"{self.source}: {path}: expected {expected}, got {got!r}")

    def mapping(self, node: Any, path: str, required: set[str], optional: set[str] = frozenset()) -> dict:
        if not isinstance(node, dict):
            self.fail(path, "a mapping", node)
        unknown = set(node) - required - set(optional)
        if unknown:
            allowed = ", ".join(sorted(required | set(optional)))
            raise CourseError(f"{self.source}: {path}: unknown key {sorted(unknown)[0]!r} (allowed: {allowed})")
        missing = required - set(node)
        if missing:
            raise CourseError(f"{self.source}: {path}: missing key {sorted(missing)[0]!r}")
        return node

    def sequence(self, node: Any, path: str) -> list:
        if not isinstance(node, list) or not node:
            self.fail(path, "a non-empty list", node)
        return node

    def string(self, node: Any, path: str) -> str:
        if not isinstance(node, str) or not node.strip():
            self.fail(path, "a non-empty string", node)
        return node

    def number(self, node: Any, path: str, positive: bool = True) -> float:
        if isinstance(node, bool) or not isinstance(node, (int, float)) or (positive and node <= 0) or node < 0:
            self.fail(path, "a positive number" if positive else "a number >= 0", node)
        return float(node)

    def count(self, node: Any, path: str, least: int = 1) -> int:
        if isinstance(node, bool) or not isinstance(node, int) or node < least:
            self.fail(path, f"a whole number >= {least}", node)
        return node

    def boolean(self, node: Any, path: str) -> bool:
        if not isinstance(node, bool):
            self.fail(path, "true or false", node)
        return node

    def when(self, node: Any, path: str) -> dt.datetime:
        if isinstance(node, dt.datetime):
            return node
        if isinstance(node, dt.date):
            return dt.datetime.combine(node, dt.time(23, 59))
        self.fail(path, "a date-time such as 2027-02-05T23:59:00", node)

    def choice(self, node: Any, path: str, allowed: tuple[str, ...]) -> str:
        if node not in allowed:
            self.fail(path, "one of " + ", ".join(allowed), node)
        return node


DATASETS = ("digits", "breast_cancer", "diabetes", "digits_images")  # nn_core.data.load_<name>
_LIMIT_FIELDS = {f.name: f.type for f in fields(Limits)}  # every limit is optional: unset ones keep the default
_GRADER_LIMITS = {"notebook_mb", "grader_s", "grader_mb"}  # limits the grader applies itself, outside the sandbox
_QUESTION_POLICY = {"rtol", "atol", "partial_credit", "hidden_cases", "public_cases"}
_GRADESCOPE_CHOICES = {"scores": VISIBILITIES, "hidden_case_details": VISIBILITIES, "stdout": VISIBILITIES,
                       "student_id": STUDENT_ID_FIELDS}


def parse_gradescope_policy(node: Any, r: _Reader) -> GradescopePolicy:
    """The optional ``gradescope:`` block; a key left out keeps :class:`GradescopePolicy`'s default."""
    if node is None:
        return GradescopePolicy()
    node = r.mapping(node, "gradescope", set(), set(_GRADESCOPE_CHOICES))
    return GradescopePolicy(**{key: r.choice(value, f"gradescope.{key}", _GRADESCOPE_CHOICES[key])
                               for key, value in node.items()})


def parse_balance(node: Any, r: _Reader, assignments: set[str]) -> Balance:
    """The optional ``balance:`` block: ``rate_band`` (a share between 0 and 1) and ``least_share``
    (assignment ids of this course to shares between 0 and 1)."""
    node = r.mapping(node or {}, "balance", set(), {"rate_band", "least_share"})
    band = None
    if "rate_band" in node:
        band = r.number(node["rate_band"], "balance.rate_band")
        if band >= 1:
            r.fail("balance.rate_band", "a share between 0 and 1", band)
    shares_node = node.get("least_share") or {}
    if not isinstance(shares_node, dict):
        r.fail("balance.least_share", "a mapping of assignment ids to shares", shares_node)
    shares = {}
    for key, value in shares_node.items():
        if key not in assignments:
            r.fail("balance.least_share", "an assignment id of this course", key)
        shares[key] = r.number(value, f"balance.least_share.{key}")
        if shares[key] >= 1:
            r.fail(f"balance.least_share.{key}", "a share between 0 and 1", value)
    return Balance(rate_band=band, least_share=shares)


def balance_problems(course: Course) -> list[str]:
    """What breaks the course's :class:`Balance`, one sentence each (empty: balanced): an assignment
    whose points per expected hour lie outside the band around the course's, or one that weighs
    less than its least share of the course's points."""
    problems = []
    band, rate = course.balance.rate_band, course.points_per_hour
    if band is not None:
        if rate is None:
            problems.append("balance.rate_band needs every assignment's hours")
        else:
            for a in course.assignments:
                if abs(a.points_per_hour / rate - 1) > band:
                    problems.append(f"{a.id}: {a.points:g} points in {a.middle_hours:g} hours is "
                                    f"{a.points_per_hour:.2f} points per hour, outside {band:.0%} of the "
                                    f"course's {rate:.2f} ({(1 - band) * rate:.2f}-{(1 + band) * rate:.2f})")
    for assignment_id, least in course.balance.least_share.items():
        share = course.assignment(assignment_id).points / course.points
        if share < least:
            problems.append(f"{assignment_id}: {course.assignment(assignment_id).points:g} of the course's "
                            f"{course.points:g} points is {share:.1%}, less than its least share {least:.0%}")
    return problems


def parse_hours(node: Any, path: str, r: _Reader) -> tuple[float, float] | None:
    """An assignment's optional ``hours: [fewest, most]``, the expected time of a capable
    student (one number: both); None when it is not stated."""
    if node is None:
        return None
    pair = [node, node] if not isinstance(node, list) else node
    if len(pair) != 2:
        r.fail(path, "[fewest, most] hours", node)
    low, high = (r.number(value, path) for value in pair)
    if low > high:
        r.fail(path, "[fewest, most] hours with fewest <= most", node)
    return (low, high)


def parse_settings(node: Any, path: str, r: _Reader, nested: bool = True) -> dict[str, Any]:
    """A question's optional ``settings``: names to numbers, lists of numbers or (one level deep)
    mappings of those (a judged question's hyper-parameters and thresholds, e.g. one mapping per
    network of a5's ``train``; see ``autograder/questions/a5_training.py``)."""
    settings = {}
    for key, value in r.mapping(node or {}, path, set(), set(node or {})).items():
        if nested and isinstance(value, dict):
            settings[r.string(key, path)] = parse_settings(value, f"{path}.{key}", r, nested=False)
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            r.number(item, f"{path}.{key}", positive=False)
        settings[r.string(key, path)] = value
    return settings


def parse_course(data: Any, source: str = "course.yml",
                 known_question: Callable[[str], bool] | None = None) -> Course:
    """Validate the parsed YAML of a course and build a :class:`Course`.

    ``known_question`` tells whether a question id exists in the engine's registry;
    by default :data:`autograder.questions.QUESTIONS` is consulted.
    """
    if known_question is None:
        from autograder.questions import QUESTIONS
        known_question = QUESTIONS.__contains__
    r = _Reader(source)
    top = r.mapping(data, "(top level)", {"course", "defaults", "limits", "assignments"},
                    {"gradescope", "late", "gradient_check", "balance"})
    head = r.mapping(top["course"], "course", {"id", "name"})
    defaults_node = r.mapping(top["defaults"], "defaults", _QUESTION_POLICY)
    defaults = {
        "rtol": r.number(defaults_node["rtol"], "defaults.rtol"),
        "atol": r.number(defaults_node["atol"], "defaults.atol", positive=False),
        "partial_credit": r.boolean(defaults_node["partial_credit"], "defaults.partial_credit"),
        "hidden_cases": r.count(defaults_node["hidden_cases"], "defaults.hidden_cases"),
        "public_cases": r.count(defaults_node["public_cases"], "defaults.public_cases"),
    }
    limits_node = r.mapping(top["limits"], "limits", set(), set(_LIMIT_FIELDS) | _GRADER_LIMITS)
    limits = Limits(**{
        name: (r.count if _LIMIT_FIELDS[name] == "int" else r.number)(value, f"limits.{name}")
        for name, value in limits_node.items() if name not in _GRADER_LIMITS
    })
    notebook_mb = r.number(limits_node.get("notebook_mb", DEFAULT_NOTEBOOK_MB), "limits.notebook_mb")
    grader_s = r.number(limits_node["grader_s"], "limits.grader_s") if "grader_s" in limits_node else None
    grader_mb = r.number(limits_node.get("grader_mb", DEFAULT_GRADER_MB), "limits.grader_mb")
    if grader_mb < limits.memory_mb:  # a grading process's sandbox worker, restarted, inherits its limit
        r.fail("limits.grader_mb", f"at least limits.memory_mb ({limits.memory_mb:g})", grader_mb)
    late_node = r.mapping(top.get("late") or {}, "late", set(), {"penalty_per_day"})
    late_penalty_per_day = r.number(late_node.get("penalty_per_day", 0.0), "late.penalty_per_day", positive=False)
    if late_penalty_per_day > 1:
        r.fail("late.penalty_per_day", "a fraction of the score between 0 and 1", late_penalty_per_day)
    gradient_node = r.mapping(top.get("gradient_check") or {}, "gradient_check", set(), {"tolerance"})
    gradient_check_tolerance = r.number(gradient_node.get("tolerance", 1e-6), "gradient_check.tolerance")
    seen_ids: dict[str, str] = {}
    assignments = []
    for a_index, a_node in enumerate(r.sequence(top["assignments"], "assignments")):
        a_path = f"assignments[{a_index}]"
        a_node = r.mapping(a_node, a_path, {"id", "title", "due", "notebooks"}, {"hours"})
        hours = parse_hours(a_node.get("hours"), f"{a_path}.hours", r)
        notebooks = []
        for n_index, n_node in enumerate(r.sequence(a_node["notebooks"], f"{a_path}.notebooks")):
            n_path = f"{a_path}.notebooks[{n_index}]"
            n_node = r.mapping(n_node, n_path, {"name", "questions"}, {"written", "data"})
            questions = []
            for q_index, q_node in enumerate(r.sequence(n_node["questions"], f"{n_path}.questions")):
                q_path = f"{n_path}.questions[{q_index}]"
                q_node = r.mapping(q_node, q_path, {"id", "function", "points"},
                                   _QUESTION_POLICY | {"settings", "worked_example"})
                qid = r.string(q_node["id"], f"{q_path}.id")
                if not known_question(qid):
                    r.fail(f"{q_path}.id", "a question id of the engine's registry (autograder/questions.py)", qid)
                policy = {key: q_node.get(key, value) for key, value in defaults.items()}
                questions.append(QuestionSpec(
                    id=qid,
                    function=r.string(q_node["function"], f"{q_path}.function"),
                    points=r.number(q_node["points"], f"{q_path}.points"),
                    rtol=r.number(policy["rtol"], f"{q_path}.rtol"),
                    atol=r.number(policy["atol"], f"{q_path}.atol", positive=False),
                    partial_credit=r.boolean(policy["partial_credit"], f"{q_path}.partial_credit"),
                    # 0: a question whose registered edge cases are all its cases (a5's train)
                    hidden_cases=r.count(policy["hidden_cases"], f"{q_path}.hidden_cases", least=0),
                    public_cases=r.count(policy["public_cases"], f"{q_path}.public_cases", least=0),
                    settings=parse_settings(q_node.get("settings"), f"{q_path}.settings", r),
                    worked_example=r.boolean(q_node.get("worked_example", False), f"{q_path}.worked_example"),
                ))
            written = []
            for w_index, w_node in enumerate(n_node.get("written") or []):
                w_path = f"{n_path}.written[{w_index}]"
                w_node = r.mapping(w_node, w_path, {"id", "points", "prompt"})
                written.append(WrittenSpec(
                    id=r.string(w_node["id"], f"{w_path}.id"),
                    points=r.number(w_node["points"], f"{w_path}.points"),
                    prompt=r.string(w_node["prompt"], f"{w_path}.prompt"),
                ))
            for item_id, item_path in [(q.id, n_path) for q in questions] + [(w.id, n_path) for w in written]:
                if item_id in seen_ids:
                    raise CourseError(f"{source}: {item_path}: id {item_id!r} is used twice "
                                      f"(also in {seen_ids[item_id]})")
                seen_ids[item_id] = item_path
            data = []
            for d_index, d_node in enumerate(n_node.get("data") or []):
                name = r.string(d_node, f"{n_path}.data[{d_index}]")
                if name not in DATASETS:
                    r.fail(f"{n_path}.data[{d_index}]", f"one of the bundled data sets ({', '.join(DATASETS)})", name)
                data.append(name)
            notebooks.append(NotebookSpec(
                name=r.string(n_node["name"], f"{n_path}.name"),
                questions=tuple(questions),
                written=tuple(written),
                data=tuple(data),
            ))
        assignments.append(AssignmentSpec(
            id=r.string(a_node["id"], f"{a_path}.id"),
            title=r.string(a_node["title"], f"{a_path}.title"),
            due=r.when(a_node["due"], f"{a_path}.due"),
            notebooks=tuple(notebooks),
            hours=hours,
        ))
    return Course(
        id=r.string(head["id"], "course.id"),
        name=r.string(head["name"], "course.name"),
        limits=limits,
        assignments=tuple(assignments),
        notebook_mb=notebook_mb,
        grader_s=grader_s,
        grader_mb=grader_mb,
        gradescope=parse_gradescope_policy(top.get("gradescope"), r),
        late_penalty_per_day=late_penalty_per_day,
        gradient_check_tolerance=gradient_check_tolerance,
        balance=parse_balance(top.get("balance"), r, {a.id for a in assignments}),
    )


def load_course(path: Path | str = COURSE_FILE) -> Course:
    """Read and validate a course file (``course.yml`` at the repository root by default)."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise CourseError(f"{path.name}: not valid YAML: {error}") from None
    return parse_course(data, source=path.name)
