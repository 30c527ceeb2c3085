"""Grade the labelled corpus of hand-written answers and measure the engine's fidelity.

The corpus (``a1_activations.py`` ... ``a5_training.py`` beside this file) holds,
for every auto-graded question, valid alternative formulations and realistic mistakes;
each mistake lists the explanation ids that name it (its registered mistake, or the
right general detector of :mod:`autograder.grading.diagnose`). Each answer is graded under
several student ids, exactly as the engine grades a notebook: the solution notebook's
setup and answer cells, then the answer, in the sandbox.

Figures: *false fails* are valid answers that lost a point, *false passes* mistakes with
full marks, and the *naming rate* the share of graded mistakes whose feedback names them.
``make accuracy`` prints them (``python tests/corpus/harness.py``).

Hidden cases are drawn per submission (:func:`autograder.course.cases.submission_key` of the code
graded), so a student who edits a notebook meets fresh cases. ``--keys N`` grades every answer
under N submissions per student id (the same code with a comment cell ``# corpus key k``
appended, which changes the key as any edit does, and nothing else), and the report adds how
much a score moves from one set of cases to another: what a student could gain by
resubmitting until the cases suit a mistake. ``--students N`` uses N student ids,
``--assignments a1_activations,...`` grades those only.
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from autograder.grading.pipeline import default_course, grade_sources, graded_sources, read_notebook  # noqa: E402
from autograder.questions import QUESTIONS  # noqa: E402
from autograder.grading.results import QuestionResult  # noqa: E402
from autograder.sandbox import Sandbox  # noqa: E402

ASSIGNMENTS = tuple(a for a in ("a1_activations", "a2_feedforward", "a3_two_layer", "a4_losses_backprop",
                                 "a5_training") if (HERE / f"{a}.py").exists())
STUDENTS = ("corpus-ada", "corpus-ben", "corpus-cy")


@dataclass(frozen=True)
class Answer:
    """One hand-written answer to one question: valid, or a mistake with the ids that name it."""

    assignment: str
    question: str
    label: str
    source: str
    names: tuple[str, ...] = ()  # empty for a valid answer
    advice: bool = False  # right values; a fault only the run could report: full marks and advice

    @property
    def valid(self) -> bool:
        return not self.names


@dataclass(frozen=True)
class Graded:
    answer: Answer
    student: str
    result: QuestionResult
    key: int = 0  # which submission of the student's (see submission_variant)

    @property
    def full_marks(self) -> bool:
        return self.result.score == self.result.max_score

    @property
    def named(self) -> bool:
        return any(m["id"] in self.answer.names for m in self.result.mistakes)


def load_corpus() -> list[Answer]:
    """Every answer of the corpus modules, in file order."""
    answers = []
    for assignment in ASSIGNMENTS:
        spec = importlib.util.spec_from_file_location(f"corpus_{assignment}", HERE / f"{assignment}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for question, entry in module.CORPUS.items():
            for label, source in entry.get("valid", {}).items():
                answers.append(Answer(assignment, question, label, source))
            for label, source in entry.get("advice", {}).items():
                answers.append(Answer(assignment, question, label, source, advice=True))
            for label, (names, source) in entry.get("mistakes", {}).items():
                names = (names,) if isinstance(names, str) else tuple(names)
                answers.append(Answer(assignment, question, label, source, names))
    return answers


def renamed(source: str, suffix: str) -> tuple[str, dict[str, str]]:
    """The answer with every function it defines renamed ``name + suffix`` (so that many
    answers can share one namespace), and the renaming."""
    names = re.findall(r"^def (\w+)\(", source, re.M)
    renaming = {name: f"{name}{suffix}" for name in names}
    for old, new in renaming.items():
        source = re.sub(rf"(?<![\w.]){old}\b", new, source)
    return source, renaming


def base_sources(assignment: str) -> list[str]:
    """The solution notebook's graded cells: the setup and every reference answer."""
    course = default_course()
    sources = []
    for notebook in course.assignment(assignment).notebooks:
        sources += graded_sources(read_notebook(REPO / "solutions" / assignment / f"{notebook.name}.ipynb"))
    return sources


def submission_variant(sources: list[str], key: int) -> list[str]:
    """Submission number ``key`` of the same code: key 0 is the code itself, any other appends
    a comment cell, which gives the submission another key (hence fresh hidden cases) and
    changes nothing else about what runs."""
    return sources if key == 0 else [*sources, f"# corpus key {key}"]


def grade_answers(answers: list[Answer], sandbox: Sandbox, students=STUDENTS, keys: int = 1,
                  assignments: tuple[str, ...] = ASSIGNMENTS) -> list[Graded]:
    """Grade each answer for each student, under ``keys`` submissions each (fresh hidden cases
    for every one: :func:`submission_variant`): one hidden run per (assignment, student, key)
    for all the answers, then one diagnosis run on public cases for those that raised."""
    course = default_course()
    specs = {q.id: q for a in course.assignments for q in a.questions}
    graded = []
    for assignment in assignments:
        mine = [a for a in answers if a.assignment == assignment]
        if not mine:
            continue
        # a judged question trains networks: one run per answer keeps each run within the course's limits
        judged = [a for a in mine if QUESTIONS[a.question].judge is not None]
        groups = [[a for a in mine if a not in judged]] + [[a] for a in judged]
        for group in [g for g in groups if g]:
            sources = base_sources(assignment)
            answer_specs = []
            for index, answer in enumerate(group):
                source, renaming = renamed(answer.source, f"__corpus{index}")
                sources.append(source)
                spec = specs[answer.question]
                answer_specs.append(dataclasses.replace(spec, function=renaming.get(spec.function, spec.function)))
            for student in students:
                for key in range(keys):
                    result, _ = grade_sources(sandbox, submission_variant(sources, key), assignment, student,
                                              answer_specs, course)
                    graded += [Graded(answer, student, q, key) for answer, q in zip(group, result.questions)]
    return graded


def figures(graded: list[Graded]) -> dict[str, float]:
    valid = [g for g in graded if g.answer.valid]
    wrong = [g for g in graded if not g.answer.valid]
    named = [g for g in wrong if g.named]
    return {"valid": len(valid), "false fails": sum(not g.full_marks for g in valid),
            "mistakes": len(wrong), "false passes": sum(g.full_marks for g in wrong),
            "named": len(named), "named %": 100.0 * len(named) / max(len(wrong), 1)}


def score_spread(graded: list[Graded]) -> dict[Answer, float]:
    """For each answer, how far its score moves between two sets of hidden cases (any two
    submissions of any student id), as a share of the question's points: 0 when every set
    of cases gives it the same score."""
    scores: dict[Answer, list[float]] = defaultdict(list)
    for g in graded:
        scores[g.answer].append(g.result.score / g.result.max_score)
    return {answer: max(shares) - min(shares) for answer, shares in scores.items()}


def report(graded: list[Graded], details: bool = True) -> str:
    f = figures(graded)
    students, keys = len({g.student for g in graded}), len({g.key for g in graded})
    spread = score_spread(graded)
    moving = {a: s for a, s in spread.items() if s > 0}
    worst = max(moving.items(), key=lambda item: item[1], default=None)
    lines = [f"corpus: {len(spread)} answers x {students} student ids x {keys} submission keys",
             f"valid {f['valid']} / false fails {f['false fails']} / mistakes {f['mistakes']} / "
             f"false passes {f['false passes']} / named {f['named %']:.1f} %",
             f"score depends on the cases: {len(moving)} of {len(spread)} answers"
             + (f"; largest spread {worst[1]:.0%} of the points ({worst[0].question} / {worst[0].label})"
                if worst else "")]
    if details:
        problems = defaultdict(list)
        for g in graded:
            if g.answer.valid and not g.full_marks:
                problems["false fail"].append(g)
            elif not g.answer.valid and g.full_marks:
                problems["false pass"].append(g)
            elif not g.answer.valid and not g.named:
                problems["not named"].append(g)
        for kind, items in problems.items():
            for g in items:
                got = [m["id"] for m in g.result.mistakes] or ["(nothing)"]
                lines.append(f"  {kind}: {g.answer.question} / {g.answer.label} [{g.student}, key {g.key}] "
                             f"wanted {list(g.answer.names)}, got {got}")
        for answer, share in sorted(moving.items(), key=lambda item: -item[1]):
            lines.append(f"  score moves by {share:.0%} of the points with the cases: {answer.question} / "
                         f"{answer.label}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="the figures only, no list of problems")
    parser.add_argument("--keys", type=int, default=1, help="submissions (sets of hidden cases) per student id")
    parser.add_argument("--students", type=int, default=len(STUDENTS), help="student ids per answer")
    parser.add_argument("--assignments", default=",".join(ASSIGNMENTS), help="comma-separated; default: all")
    args = parser.parse_args(argv)
    students = STUDENTS[:args.students] + tuple(f"corpus-{k}" for k in range(len(STUDENTS), args.students))
    assignments = tuple(a for a in args.assignments.split(",") if a)
    if not set(assignments) <= set(ASSIGNMENTS) or args.keys < 1 or args.students < 1:
        parser.error(f"--assignments among {', '.join(ASSIGNMENTS)}; --keys and --students at least 1")
    answers = load_corpus()
    t0 = time.monotonic()
    course = default_course()
    with Sandbox(course.limits) as sandbox:
        graded = grade_answers(answers, sandbox, students, args.keys, assignments)
    print(report(graded, details=not args.quiet))
    print(f"({time.monotonic() - t0:.1f} s)")


if __name__ == "__main__":
    main()
