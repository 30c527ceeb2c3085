"""Grade the labelled corpus of hand-written answers and measure the engine's fidelity.

The corpus (``a1_activations.py`` ... ``a6_training_well.py`` beside this file) holds,
for every auto-graded question, valid alternative formulations and realistic mistakes;
each mistake lists the explanation ids that name it (its registered mistake, or the
right general detector of :mod:`autograder.grading.diagnose`). Each answer is graded under
several student ids, exactly as the engine grades a notebook: the solution notebook's
setup and answer cells, then the answer, in the sandbox.

Figures: *false fails* are valid answers that lost a point, *false passes* mistakes with
full marks, and the *naming rate* the share of graded mistakes whose feedback names them.
``make accuracy`` prints them (``python tests/corpus/harness.py``), per origin and per question.

Origins: the registered corpus (this directory, whose mistakes list the ids that name them,
written beside the registry) and every independent corpus ``tests/corpus_<name>/`` beside it
(``corpus_fresh``, a later ``corpus_heldout``), written from the released notebooks alone: a
module per assignment (``a1.py`` ... ``a5.py``) with ``CORPUS = {function: {"valid": {label:
src}, "mistakes": {label: {"source", "what", "evidence"}}, "shortcuts": {label: src}}}`` and a
``cases.py`` whose ``REFERENCE_OF`` maps a function graded through others (a5's ``train``) to
their questions. An independent mistake carries no id: it is *named* when its feedback gives
an explanation ("Recognised mistake" or "Diagnosis"; a5's checklist for a replay that is not
the stated loop, :data:`GENERIC`, does not count), and *misnamed* when the explanation is a
registered mistake that is another mistake (:func:`misnamed`: the answer and the registered
variant differ on inputs other than the graded ones). ``--review`` lists every named
independent mistake beside its author's ``what``, for a reader to judge the rest.

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
import copy
import dataclasses
import importlib
import importlib.util
import re
import sys
import time
import warnings
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from autograder.checks.compare import as_tree, leaves, matches  # noqa: E402
from autograder.checks.judged import REPLAY_MISMATCH  # noqa: E402
from autograder.grading.pipeline import default_course, grade_sources, graded_sources, read_notebook  # noqa: E402
from autograder.questions import QUESTIONS  # noqa: E402
from autograder.grading.results import QuestionResult  # noqa: E402
from autograder.sandbox import Sandbox  # noqa: E402

sys.path.insert(0, str(HERE))
from decisions import DECISIONS  # noqa: E402
sys.path.remove(str(HERE))

ASSIGNMENTS = tuple(a for a in ("a1_activations", "a2_feedforward", "a3_two_layer", "a4_losses_backprop",
                                 "a5_training", "a6_training_well") if (HERE / f"{a}.py").exists())
STUDENTS = ("corpus-ada", "corpus-ben", "corpus-cy")


REGISTERED = "registered"  # the origin of this directory's corpus
#: Explanation ids that name nothing: a5's checklist for a replay that is not the stated loop (its
#: feedback says where the loop leaves it, which is what is known, but names no mistake).
GENERIC = frozenset({REPLAY_MISMATCH})


@dataclass(frozen=True)
class Answer:
    """One hand-written answer to one question: valid, or a mistake (with the ids that name it
    in the registered corpus; an independent corpus's carry its author's ``what`` instead)."""

    assignment: str
    question: str
    label: str
    source: str
    names: tuple[str, ...] = ()  # the registered corpus's mistakes: the ids that name it
    advice: bool = False  # right values; a fault only the run could report: full marks and advice
    origin: str = REGISTERED
    kind: str = ""  # "valid", "mistake" or "shortcut"; empty: valid unless it has names
    what: str = ""  # an independent mistake: what is wrong, in its author's words
    evidence: str = ""
    prelude: str = ""  # an independent corpus's code the notebook runs before the answer (cases.PRELUDES)

    @property
    def valid(self) -> bool:
        return self.kind == "valid" if self.kind else not self.names

    @property
    def shortcut(self) -> bool:
        return self.kind == "shortcut"

    @property
    def mistake(self) -> bool:
        return not self.valid and not self.shortcut


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
        """The feedback names the mistake: one of its ids (registered corpus), or any
        explanation at all (an independent corpus, whose mistakes have no ids)."""
        if self.answer.origin == REGISTERED:
            return any(m["id"] in self.answer.names for m in self.result.mistakes)
        return any(m["id"] not in GENERIC for m in self.result.mistakes)

    @property
    def recognised(self) -> str | None:
        """The registered mistake the feedback says it recognised, if any."""
        registered = {m.name for m in QUESTIONS[self.answer.question].mistakes}
        return next((m["id"] for m in self.result.mistakes if m["id"] in registered), None)


def origins() -> dict[str, Path]:
    """Every corpus of answers: this directory's (``registered``), then each ``tests/corpus_<name>/``."""
    found = {REGISTERED: HERE}
    for directory in sorted(HERE.parent.glob("corpus_*")):
        if directory.is_dir() and any(directory.glob("a[0-9].py")):
            found[directory.name.removeprefix("corpus_")] = directory
    return found


def load_corpus(origin: str = REGISTERED) -> list[Answer]:
    """Every answer of one origin's corpus modules, in file order."""
    if origin != REGISTERED:
        return load_independent(origin, origins()[origin])
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


def _assignment_of(module_name: str) -> str | None:
    return next((a for a in ASSIGNMENTS if a.split("_")[0] == module_name), None)


def load_independent(origin: str, directory: Path) -> list[Answer]:
    """An independent corpus (format: the module docstring). Its modules import each other by
    their plain names (``from a4_losses import ...``), so they load with ``directory`` first on
    the path, and those names are forgotten afterwards (another origin has modules of the same names)."""
    before = set(sys.modules)
    # another origin's (or another test's) modules of the same plain names must not answer these imports
    shadowed = {name: sys.modules.pop(name) for name in {p.stem for p in directory.glob("*.py")} if name in sys.modules}
    sys.path.insert(0, str(directory))
    try:
        cases = importlib.import_module("cases") if (directory / "cases.py").exists() else None
        graded_through = dict(getattr(cases, "REFERENCE_OF", {}))
        preludes = dict(getattr(cases, "PRELUDES", {}))
        answers = []
        for path in sorted(directory.glob("a[0-9]*.py")):  # a4.py, and a4_losses.py where a4 is split
            assignment = _assignment_of(path.stem.split("_")[0])
            if assignment is None:
                continue
            module = importlib.import_module(path.stem)
            # the code the notebook runs before the answers: the file's own PRELUDE, else cases.PRELUDES
            prelude = str(getattr(module, "PRELUDE", preludes.get(path.stem, "")))
            for function, entry in getattr(module, "CORPUS", {}).items():  # a4_losses.py may only feed a4.py
                # a function graded through others that are no questions (a5's train: its corpus checks its
                # labels through the notebook's three networks, which the grader now grades as one train) is
                # graded as itself
                through = [q for q in graded_through.get(function, [function]) if q in QUESTIONS]
                for question in through or ([function] if function in QUESTIONS else []):
                    common = {"origin": origin, "prelude": prelude}
                    for label, source in entry.get("valid", {}).items():
                        answers.append(Answer(assignment, question, label, source, kind="valid", **common))
                    for label, mistake in entry.get("mistakes", {}).items():
                        # the course's decision that the notebook makes this reading valid (decisions.py)
                        decided = (origin, function, label) in DECISIONS
                        answers.append(Answer(assignment, question, label, mistake["source"],
                                              kind="valid" if decided else "mistake", advice=decided,
                                              what=mistake.get("what", ""), evidence=mistake.get("evidence", ""),
                                              **common))
                    for label, source in entry.get("shortcuts", {}).items():
                        answers.append(Answer(assignment, question, label, source, kind="shortcut", **common))
        return list(dict.fromkeys(answers))  # a split file's entries merged into its main one count once
    finally:
        sys.path.remove(str(directory))
        for name in set(sys.modules) - before:
            module = sys.modules[name]
            if Path(getattr(module, "__file__", "") or "/").parent == directory:
                del sys.modules[name]
        sys.modules.update(shadowed)


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


ANSWERS_PER_SUBMISSION = 40


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
        plain = [a for a in mine if a not in judged]
        # at most ANSWERS_PER_SUBMISSION answers share a submission, so that together they stay within
        # one submission's time limit (a whole corpus in one submission ran out of it: "not run")
        groups = [plain[i:i + ANSWERS_PER_SUBMISSION] for i in range(0, len(plain), ANSWERS_PER_SUBMISSION)]
        groups += [[a] for a in judged]
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


def misnamed(g: Graded, draws: int = 12) -> bool:
    """An independent mistake told "Recognised mistake: X" where it is another mistake: on inputs
    other than the graded ones (``draws`` random cases of the question and its edge cases, under
    seeds no student has) the answer's results and the registered variant X's differ somewhere
    (wherever both are finite: the same formula may overflow in one form and not the other); for a
    judged question (a5's careless loops), on exact replays of other seeds. Questions graded
    through an adapter are for a reader (``--review``)."""
    return g.recognised is not None and _differs_from_registered(g.answer, g.recognised, draws)


@lru_cache(maxsize=None)
def _differs_from_registered(answer: Answer, name: str, draws: int) -> bool:
    question = QUESTIONS[answer.question]
    if answer.origin == REGISTERED or question.adapter:
        return False
    variant = next(m.fn for m in question.mistakes if m.name == name)
    answer = answer_function(answer)
    spec = next(q for a in default_course().assignments for q in a.questions if q.id == question.id)
    rng = np.random.default_rng(2026_26)
    if question.judge is not None:  # a careless training loop: compared on exact replays of other seeds
        exact = getattr(question.judge, "exact", None)
        bound = question.bound(spec.settings)
        cases = [c for _ in range(3) for c in bound.edge_cases(rng) if exact is not None and exact(c)]
        return any(not _same_outcome(answer, variant, case.args, (1e-6, 1e-9)) for case in cases)
    cases = [question.random_case(rng) for _ in range(draws)] + list(question.edge_cases(rng))
    return any(not _same_outcome(answer, variant, case.args, (spec.rtol, spec.atol)) for case in cases)


def answer_function(answer: Answer):
    """The answer's function, run in this process (the corpus is ours, not a student's)."""
    namespace = {"np": np, "__name__": "corpus_answer"}
    exec(compile(answer.prelude + "\n" + answer.source, f"<{answer.label}>", "exec"), namespace)
    return namespace[QUESTIONS[answer.question].function]


def _same_outcome(answer, variant, args: tuple, tol: tuple[float, float]) -> bool:
    outcomes = []
    for fn in (answer, variant):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                outcomes.append(("ok", as_tree(fn(*copy.deepcopy(args)))))
        except Exception as error:  # noqa: BLE001 - either may raise on an edge case
            outcomes.append(("error", type(error).__name__))
    (kind_a, a), (kind_v, v) = outcomes
    if kind_a != kind_v:
        return False
    if kind_a == "error":
        return a == v
    if matches(a, v, *tol):
        return True
    try:  # the same formula written so that it overflows elsewhere: equal wherever both are finite
        a, v = (np.asarray(leaf, dtype=np.float64).ravel() for leaf in (np.concatenate(
            [np.ravel(x) for x in leaves(a)]), np.concatenate([np.ravel(x) for x in leaves(v)])))
    except (TypeError, ValueError):
        return False
    both = np.isfinite(a) & np.isfinite(v)
    return a.shape == v.shape and bool(both.any()) and matches(a[both], v[both], *tol)


def figures(graded: list[Graded]) -> dict[str, float]:
    """valid, false fails, mistakes, false passes, named (count and %), misnamed, shortcuts and
    shortcuts with full marks, over gradings (an answer counts once per student id and key)."""
    valid = [g for g in graded if g.answer.valid]
    wrong = [g for g in graded if g.answer.mistake]
    named = [g for g in wrong if g.named]
    shortcuts = [g for g in graded if g.answer.shortcut]
    return {"valid": len(valid), "false fails": sum(not g.full_marks for g in valid),
            "mistakes": len(wrong), "false passes": sum(g.full_marks for g in wrong),
            "named": len(named), "named %": 100.0 * len(named) / max(len(wrong), 1),
            "misnamed": sum(misnamed(g) for g in named),
            "shortcuts": len(shortcuts), "shortcuts passing": sum(g.full_marks for g in shortcuts)}


def figures_line(f: dict[str, float]) -> str:
    line = (f"valid {f['valid']} / false fails {f['false fails']} / mistakes {f['mistakes']} / "
            f"false passes {f['false passes']} / named {f['named %']:.1f} % / misnamed {f['misnamed']}")
    return line + (f" / shortcuts with full marks {f['shortcuts passing']} of {f['shortcuts']}" if f["shortcuts"] else "")


def per_origin(graded: list[Graded]) -> dict[str, list[Graded]]:
    by_origin: dict[str, list[Graded]] = defaultdict(list)
    for g in graded:
        by_origin[g.answer.origin].append(g)
    return dict(by_origin)


def question_table(graded: list[Graded]) -> list[str]:
    """One row per question: valid, false fails, mistakes, false passes, named %, misnamed."""
    by_question: dict[str, list[Graded]] = defaultdict(list)
    for g in graded:
        by_question[g.answer.question].append(g)
    rows = [f"  {'question':<26}{'valid':>6}{'ff':>4}{'mist':>6}{'fp':>4}{'named':>8}{'misn':>6}"]
    for question, items in by_question.items():
        f = figures(items)
        named = f"{f['named %']:.0f} %" if f["mistakes"] else "-"
        rows.append(f"  {question:<26}{f['valid']:>6}{f['false fails']:>4}{f['mistakes']:>6}{f['false passes']:>4}"
                    f"{named:>8}{f['misnamed']:>6}")
    return rows


def score_spread(graded: list[Graded]) -> dict[Answer, float]:
    """For each answer, how far its score moves between two sets of hidden cases (any two
    submissions of any student id), as a share of the question's points: 0 when every set
    of cases gives it the same score."""
    scores: dict[Answer, list[float]] = defaultdict(list)
    for g in graded:
        scores[g.answer].append(g.result.score / g.result.max_score)
    return {answer: max(shares) - min(shares) for answer, shares in scores.items()}


def report(graded: list[Graded], details: bool = True, review: bool = False) -> str:
    """The figures of every origin, each with its table per question; with ``details`` every
    false fail, false pass, unnamed and misnamed grading; with ``review`` every named mistake
    of an independent corpus beside what its author says is wrong."""
    lines = []
    for origin, items in per_origin(graded).items():
        lines += origin_report(origin, items, details, review)
    return "\n".join(lines)


def origin_report(origin: str, graded: list[Graded], details: bool, review: bool) -> list[str]:
    f = figures(graded)
    students, keys = len({g.student for g in graded}), len({g.key for g in graded})
    spread = score_spread(graded)
    moving = {a: s for a, s in spread.items() if s > 0}
    worst = max(moving.items(), key=lambda item: item[1], default=None)
    lines = [f"== {origin} corpus: {len(spread)} answers x {students} student ids x {keys} submission keys",
             figures_line(f),
             f"score depends on the cases: {len(moving)} of {len(spread)} answers"
             + (f"; largest spread {worst[1]:.0%} of the points ({worst[0].question} / {worst[0].label})"
                if worst else "")]
    decided = {(g.answer.question, g.answer.label) for g in graded if g.answer.origin != REGISTERED
               and g.answer.advice}
    if decided:
        lines.append(f"decided valid by the course (tests/corpus/decisions.py, the notebook's words): {len(decided)} "
                     f"answers labelled mistakes: " + ", ".join(f"{q} / {label}" for q, label in sorted(decided)))
    lines += question_table(graded)
    if details:
        problems = defaultdict(list)
        for g in graded:
            if g.answer.valid and not g.full_marks:
                problems["false fail"].append(g)
            elif not g.answer.valid and g.full_marks:
                problems["false pass" if g.answer.mistake else "shortcut with full marks"].append(g)
            elif g.answer.mistake and not g.named:
                problems["not named"].append(g)
            elif g.answer.mistake and misnamed(g):
                problems["MISNAMED"].append(g)
        for kind, items in problems.items():
            for g in items:
                got = [m["id"] for m in g.result.mistakes] or ["(nothing)"]
                wanted = list(g.answer.names) if g.answer.origin == REGISTERED else g.answer.what
                lines.append(f"  {kind}: {g.answer.question} / {g.answer.label} [{g.student}, key {g.key}] "
                             f"wanted {wanted}, got {got}")
        for answer, share in sorted(moving.items(), key=lambda item: -item[1]):
            lines.append(f"  score moves by {share:.0%} of the points with the cases: {answer.question} / "
                         f"{answer.label}")
    if review and origin != REGISTERED:
        seen = set()
        for g in graded:
            if g.answer.mistake and g.named and (g.answer, g.result.mistakes[0]["id"]) not in seen:
                seen.add((g.answer, g.result.mistakes[0]["id"]))
                lines.append(f"  review: {g.answer.question} / {g.answer.label}: named {g.result.mistakes[0]['id']}"
                             f"{' (registered)' if g.recognised else ''}; the author: {g.answer.what}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="the figures only, no list of problems")
    parser.add_argument("--review", action="store_true",
                        help="list every named mistake of an independent corpus beside its author's words")
    parser.add_argument("--keys", type=int, default=1, help="submissions (sets of hidden cases) per student id")
    parser.add_argument("--students", type=int, default=len(STUDENTS), help="student ids per answer")
    parser.add_argument("--assignments", default=",".join(ASSIGNMENTS), help="comma-separated; default: all")
    parser.add_argument("--origins", default=",".join(origins()),
                        help=f"comma-separated among {', '.join(origins())}; default: all")
    parser.add_argument("--questions", default="", help="comma-separated question ids; default: all")
    args = parser.parse_args(argv)
    students = STUDENTS[:args.students] + tuple(f"corpus-{k}" for k in range(len(STUDENTS), args.students))
    assignments = tuple(a for a in args.assignments.split(",") if a)
    chosen = tuple(o for o in args.origins.split(",") if o)
    if (not set(assignments) <= set(ASSIGNMENTS) or not set(chosen) <= set(origins()) or args.keys < 1
            or args.students < 1):
        parser.error(f"--assignments among {', '.join(ASSIGNMENTS)}, --origins among {', '.join(origins())}; "
                     "--keys and --students at least 1")
    answers = [a for origin in chosen for a in load_corpus(origin)]
    if args.questions:
        answers = [a for a in answers if a.question in args.questions.split(",")]
    t0 = time.monotonic()
    course = default_course()
    with Sandbox(course.limits) as sandbox:
        graded = grade_answers(answers, sandbox, students, args.keys, assignments)
    print(report(graded, details=not args.quiet, review=args.review))
    print(f"({time.monotonic() - t0:.1f} s)")


if __name__ == "__main__":
    main()
