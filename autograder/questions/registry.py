"""The records of the registry: a question, its cases and its known mistakes.

Each :class:`Question` names the student's function, its reference in ``nn_core`` (called
with the same arguments), a case generator (a seeded rng in, consistent inputs out), the
edge cases every hidden set includes, the known mistakes (wrong variants, each with a
message that teaches) and the contracts the notebook states beyond the values: that the
arguments are not modified, that some cases run without warnings.

Questions are registered by the module of their assignment (``a1_activations.py``, ...);
keys are the question ids of ``course.yml``, where tolerances and points live.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Mapping

import numpy as np

Args = tuple
CaseMaker = Callable[[np.random.Generator], Args]
EdgeMaker = Callable[[np.random.Generator], list]


@dataclass(frozen=True)
class Case:
    """One set of inputs for a question; ``label`` says what kind of case it is.

    ``held_out`` is what a judged question's judge needs besides the arguments (e.g. a
    test split): it stays in the grader and is never sent to the student's process.
    ``weight``: the case's share of the question's points relative to the others (1 for all
    but a question's :attr:`Question.large_case`). ``atol``: the absolute tolerance of this case
    when it is not the question's (a hidden case with finite-precision probes, compared at
    rounding size: :attr:`Question.probe_atol`). ``unprobed``: for such a case whose probe appended
    entries to the arguments (columns, as :mod:`autograder.questions.precision`'s separable probes
    do) and left the others as they were, the shape of the first argument before them; the leading
    block of that shape in an elementwise result (a derivative, a loss gradient, an output error) is
    computed from ordinary inputs only (None: no probe, or one that changed the given entries too).
    """

    label: str
    args: Args
    held_out: Any = field(default=None, compare=False, repr=False)
    weight: float = 1.0
    atol: float | None = None
    unprobed: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Judgement:
    """A judged case's outcome: ``ok``, else ``id`` (a registered mistake's name, or the kind
    of failure) and ``message``, what the student reads (no hidden input in it)."""

    ok: bool
    id: str = ""
    message: str = ""


#: Judges a student's result: (case, result, the question's settings in course.yml) -> Judgement.
Judge = Callable[[Case, Any, Mapping[str, Any]], Judgement]


@dataclass(frozen=True)
class Mistake:
    """A named wrong variant of a question's function, with the message it earns.

    ``contract``: the stated contract the mistake also breaks (``"mutated-input"`` for a checker
    that leaves x changed), so that a case where only that contract shows (the first call
    right, the second call on the same arguments wrong) is the mistake's too."""

    name: str
    message: str
    fn: Callable[..., Any]
    contract: str = ""


@dataclass(frozen=True)
class Question:
    """One gradable function.

    ``arguments`` are the names of its positional arguments (from the reference's
    signature unless given) and ``defaults`` the notebook's defaults of the optional ones;
    the diagnosis uses them to name an argument the student ignored. ``keeps_inputs``:
    the notebook says the arguments must not be modified. ``quiet_cases``: labels of the
    cases the notebook promises to run without a ``RuntimeWarning``. ``wrt``: for a question
    that returns gradients, ``(name, path)`` of each parameter they are gradients of, in the
    order returned (``path`` indexes the arguments, ``(2, 0, 1)`` is ``args[2][0][1]``); the
    visible checks then also compare them with the student's own numerical gradient
    (:func:`autograder.checks.visible.check_gradients`). ``adapter``: for a question whose
    student function takes a function, the name of the :mod:`autograder.checks.adapters` adapter
    that calls it with plain data; ``reference``, ``make_case`` and the mistakes then take
    the adapter's arguments. ``judge``: the question is judged by this function of (case,
    result, settings) instead of compared with the reference's value (e.g. the test metric
    of a trained network); the reference then only documents the answer and the expected
    values are never computed. ``large_case``: for a question whose answer is a gradient of
    a loss the student can evaluate, the inputs of one hidden case with so many parameters
    (or entries) that differentiating the loss numerically, two evaluations per parameter,
    cannot finish within the call's time limit while the derived gradient takes about one
    forward pass; it is the last hidden case and weighs as much as all the others together
    (:data:`LARGE_CASE_LABEL`; never a public case). ``contract_messages``: this question's
    own message for a broken contract (a key of :data:`autograder.checks.compare.CONTRACT_MESSAGES`),
    where the general one would not fit what its students do. ``probe``: for a derived answer that
    a finite difference of the student's own function could imitate, a function of (rng, a case's
    arguments) that puts finite-precision extremes into the arguments (columns appended)
    (:mod:`autograder.questions.precision`); every hidden case but those labelled in
    ``probe_skips`` gets them and is compared with the absolute tolerance ``probe_atol`` (of
    rounding size) instead of the question's; public cases never do. ``reproducible``: the
    notebook says the result depends on the arguments alone (``init_params(sizes, seed)``): a second
    call on the same arguments must return the very same numbers (``not-reproducible`` otherwise).
    ``forms``: spellings of the answer that must not be printed anywhere a student reads before it
    is graded (code, mathematics or words, compared after :func:`autograder.course.spoilers.loose_form`;
    the release's spoiler test, tests/test_printed_answers.py, looks for them and for the answer's
    own code lines).
    """

    id: str
    function: str
    reference: Callable[..., Any]
    make_case: CaseMaker
    edge_cases: EdgeMaker
    mistakes: tuple[Mistake, ...] = ()
    arguments: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    keeps_inputs: bool = False
    quiet_cases: frozenset = frozenset()
    wrt: tuple[tuple[str, tuple[int, ...]], ...] = ()
    adapter: str | None = None
    judge: Judge | None = None
    large_case: CaseMaker | None = None
    contract_messages: Mapping[str, str] = field(default_factory=dict)
    probe: Callable[[np.random.Generator, Args], Args] | None = None
    probe_skips: frozenset = frozenset()
    probe_atol: float = 0.0
    reproducible: bool = False
    forms: tuple[str, ...] = ()

    def bound(self, settings: Mapping[str, Any]) -> "Question":
        """This question with its case makers given the question's ``settings`` of the course
        being graded (a judged question's cases use them; the others take none)."""
        if self.judge is None or not settings:
            return self
        return replace(self, make_case=partial(self.make_case, settings=settings),
                       edge_cases=partial(self.edge_cases, settings=settings))

    def random_case(self, rng: np.random.Generator) -> Case:
        made = self.make_case(rng)  # a Case when the case holds something back (``held_out``)
        return made if isinstance(made, Case) else Case("random", made)


QUESTIONS: dict[str, Question] = {}

#: The label of a question's :attr:`Question.large_case` (the diagnosis reads it).
LARGE_CASE_LABEL = "many parameters"


def _signature(reference: Callable) -> tuple[tuple[str, ...], dict[str, Any]]:
    parameters = inspect.signature(reference).parameters.values()
    names = tuple(p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    defaults = {p.name: p.default for p in parameters if p.default is not p.empty}
    return names, defaults


def register(question_id: str, reference: Callable, make_case: CaseMaker, edge_cases: EdgeMaker,
             mistakes: list[Mistake] | None = None, function: str | None = None, *,
             arguments: tuple[str, ...] | None = None, keeps_inputs: bool = False,
             quiet_cases: tuple[str, ...] = (),
             wrt: tuple[tuple[str, tuple[int, ...]], ...] = (), judge: Judge | None = None,
             adapter: str | None = None, large_case: CaseMaker | None = None,
             contract_messages: Mapping[str, str] | None = None,
             probe: Callable[[np.random.Generator, Args], Args] | None = None,
             probe_skips: tuple[str, ...] = (), probe_atol: float = 0.0, reproducible: bool = False,
             forms: tuple[str, ...] = ()) -> Question:
    """Add a question to :data:`QUESTIONS` (an id may be registered once) and return it."""
    if question_id in QUESTIONS:
        raise ValueError(f"question {question_id!r} registered twice")
    names, defaults = _signature(reference)
    question = Question(question_id, function or question_id, reference, make_case, edge_cases,
                        tuple(mistakes or ()), tuple(arguments or names), defaults, keeps_inputs,
                        frozenset(quiet_cases), tuple(wrt), judge=judge, adapter=adapter,
                        large_case=large_case, contract_messages=dict(contract_messages or {}),
                        probe=probe, probe_skips=frozenset(probe_skips), probe_atol=probe_atol,
                        reproducible=reproducible, forms=tuple(forms))
    QUESTIONS[question_id] = question
    return question
