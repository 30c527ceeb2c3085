"""A numerical gradient as the answer earns nothing on a derived item (issue 24).

A derived item is a question with a case with many parameters or finite-precision probes
(:mod:`autograder.grading.derived`). Its answer earns nothing when the supervisor stopped it at
the limit of one call on the case with many parameters, or when every failing case is a probed
case wrong only on the probe's entries; a wrong derivation keeps the credit of the cases it passes.

Scored here as the grader scores what the sandbox returned (``score_question`` on outcomes
computed in this process, a time-out given as the supervisor reports it); the sandbox's own
time-out and a slow derivation run end to end in ``tests/test_large_cases.py``.
"""
from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

from autograder.checks.compare import as_tree
from autograder.course.cases import submission_key
from autograder.grading.derived import NUMERICAL_GRADIENT, OVERRAN, is_derived, numerical_gradient, overran
from autograder.grading.pipeline import case_failure, plan, score_question
from autograder.questions import QUESTIONS
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.sandbox import CallOutcome, wire
from test_feedback_wording import COURSE
from test_shortcuts import FORMS, _corpus_answers, _differences, _shortcut

SPECS = {q.id: (a.id, q) for a in COURSE.assignments for q in a.questions}
DERIVED = sorted(q for q in SPECS if is_derived(QUESTIONS[q]))
WITH_LARGE_CASE = sorted(q for q in DERIVED if QUESTIONS[q].large_case is not None)
#: the probed items whose probe appends entries (Case.unprobed): the separable derived answers
APPENDING = sorted(FORMS)
STUDENTS = ("derived-ann", "derived-bob")
#: what the supervisor reports of a call that overran the limit of one call
TIMEOUT = wire.timed_out("the_function", COURSE.limits)


def _planned(question_id: str, student: str):
    assignment, spec = SPECS[question_id]
    return spec, plan(COURSE, assignment, student, [spec], submission=submission_key([student]))


def _call(answer, args) -> CallOutcome:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return CallOutcome("ok", as_tree(answer(*copy.deepcopy(args))))
        except Exception as error:  # noqa: BLE001 - an answer that raises on a case fails it
            return CallOutcome("error", None, "raised", type(error).__name__)


def _scored(question_id: str, student: str, answer, large: CallOutcome | None = None):
    """The question's result when the student's function gives ``answer(*args)`` on each hidden
    case, and ``large`` (when given) on the case with many parameters."""
    spec, cases = _planned(question_id, student)
    outcomes = [large if large is not None and p.case.label == LARGE_CASE_LABEL else _call(answer, p.case.args)
                for p in cases]
    return score_question(spec, cases, outcomes, COURSE.limits.call_timeout_s), cases


def _ids(result) -> list[str]:
    return [m["id"] for m in result.mistakes]


def test_the_derived_items_are_the_questions_with_a_case_with_many_parameters_or_a_probe():
    assert set(WITH_LARGE_CASE) < set(DERIVED)
    assert set(APPENDING) | {"softmax_jacobian", "delta_cce_softmax"} <= set(DERIVED)
    assert not any(is_derived(QUESTIONS[q]) for q in ("sigmoid", "softmax", "mse", "forward", "fit_line"))
    assert len(DERIVED) == 25  # as docs/design.md counts them ("Derived, not differentiated: the rule")


@pytest.mark.parametrize("question_id", WITH_LARGE_CASE)
def test_right_everywhere_but_stopped_at_the_case_with_many_parameters_earns_nothing_and_is_told_why(question_id):
    """A numerical gradient of the loss (a loop over the parameters): right on every small case,
    and the supervisor stops it on the case with many parameters. Formerly half the points."""
    question = QUESTIONS[question_id]
    result, _ = _scored(question_id, STUDENTS[0], question.reference, large=TIMEOUT)
    assert result.passed == result.total - 1 and result.score == 0.0, result.feedback
    assert _ids(result) == [NUMERICAL_GRADIENT]
    assert "0 of" in result.feedback.splitlines()[0]
    assert "did not finish the case with many parameters" in result.feedback
    assert "use your numerical gradient to CHECK the derivation" in result.feedback
    assert "not with Python loops over single entries" in result.feedback
    assert "looks like a numerical gradient" not in _scored(question_id, STUDENTS[0], question.reference)[0].feedback


@pytest.mark.parametrize("question_id", WITH_LARGE_CASE)
def test_stopped_at_the_case_with_many_parameters_earns_nothing_whatever_the_small_cases_did(question_id):
    """A numerical gradient that is also wrong on a small case (a forward difference's error, a
    difference across ReLU's kink at exactly 0): formerly the small cases' share, up to 46 %."""
    reference = QUESTIONS[question_id].reference
    spec, cases = _planned(question_id, STUDENTS[1])
    wrong = next(p.case for p in cases if p.case.label == "random")
    outcomes = [TIMEOUT if p.case.label == LARGE_CASE_LABEL
                else CallOutcome("ok", _shifted(as_tree(reference(*p.case.args)))) if p.case is wrong
                else _call(reference, p.case.args) for p in cases]
    result = score_question(spec, cases, outcomes, COURSE.limits.call_timeout_s)
    assert result.passed == result.total - 2 and result.score == 0.0, result.feedback
    assert _ids(result) == [NUMERICAL_GRADIENT]


def test_a_derivation_wrong_only_on_the_case_with_many_parameters_keeps_half_and_is_told_it_does_not_scale():
    """Finished in time with a wrong value there (a size fixed in the code, say): not a numerical
    gradient's evidence; the case weighs as much as the others together, as before."""
    reference = QUESTIONS["regression_gradients"].reference
    spec, cases = _planned("regression_gradients", STUDENTS[0])
    outcomes = [CallOutcome("ok", _shifted(as_tree(reference(*p.case.args)))) if p.case.label == LARGE_CASE_LABEL
                else _call(reference, p.case.args) for p in cases]
    result = score_question(spec, cases, outcomes, COURSE.limits.call_timeout_s)
    assert result.score == spec.points / 2 and _ids(result) == ["case-kind:many-parameters"], result.feedback
    assert "does not hold for a large network" in result.feedback


@pytest.mark.parametrize("time_out", ["skipped after an earlier overrun", "cut short by the submission's limit"])
def test_a_case_with_many_parameters_the_supervisor_did_not_stop_at_its_own_limit_is_no_evidence(time_out):
    """Only a call that overran the limit of one call is evidence: not one never called after an
    earlier call of the function overran, nor one cut short when the whole submission's time ran
    out (other questions' answers may have used it): the answer keeps the small cases' share."""
    outcome = (wire.timed_out("regression_gradients", COURSE.limits, skipped=True) if time_out.startswith("skipped")
               else CallOutcome("timeout", None, "regression_gradients: The submission did not finish within 60 s"))
    assert not overran(outcome) and overran(TIMEOUT) and OVERRAN in TIMEOUT.message
    question = QUESTIONS["regression_gradients"]
    result, cases = _scored("regression_gradients", STUDENTS[0], question.reference, large=outcome)
    assert result.score == SPECS["regression_gradients"][1].points / 2 and NUMERICAL_GRADIENT not in _ids(result)


def _shifted(tree):
    return [_shifted(t) for t in tree] if isinstance(tree, list) else np.asarray(tree, dtype=float) + 0.25


#: ReLU's and leaky ReLU's derivatives: a central difference is also wrong at z = 0 exactly (the mean of
#: the two slopes), an ordinary entry, so it is a wrong answer by the rule; with every case probed
#: there, it earns nothing all the same.
KINKED = {"relu_prime", "leaky_relu_prime"}


@pytest.mark.parametrize("question_id", APPENDING)
def test_a_vectorised_central_difference_of_the_students_own_function_earns_nothing_on_a_probed_item(question_id):
    """Two calls whatever the size, so it passes the case with many parameters in time; the
    probes' entries betray it (right on every ordinary entry, wrong on theirs). Formerly the
    share of the cases the probe skips (up to 17 %)."""
    for form in FORMS[question_id]:
        for student in STUDENTS:
            result, _ = _scored(question_id, student, _shortcut(question_id, form, _differences, "central", 1e-6))
            assert result.score == 0.0, (form, result.feedback)
            if question_id not in KINKED:
                assert _ids(result) == [NUMERICAL_GRADIENT], (form, result.feedback)
                assert "wrong only on entries where float64 rounding makes every finite difference inaccurate" \
                    in result.feedback


@pytest.mark.parametrize("question_id", APPENDING)
def test_every_shortcut_of_the_fresh_corpus_earns_nothing_on_a_probed_item(question_id):
    """Nothing, told why; or, for a difference that is also wrong on ordinary entries of some case
    (a forward difference where sigmoid' is small beside sigmoid, depending on the draws), a wrong
    answer's credit: at most the cases the probe skips (docs/design.md: what the rule cannot see)."""
    shortcuts = {label: fn for label, (kind, fn) in _corpus_answers(question_id).items() if kind == "shortcut"}
    for label, answer in shortcuts.items():
        for student in STUDENTS:
            result, _ = _scored(question_id, student, answer)
            spec, cases = _planned(question_id, student)
            skipped = sum(p.case.weight for p in cases if p.case.label in QUESTIONS[question_id].probe_skips)
            skipped_share = spec.points * skipped / sum(p.case.weight for p in cases)
            told = result.score == 0.0 and _ids(result) == [NUMERICAL_GRADIENT]
            assert told or (0.0 < result.score <= skipped_share + 1e-3), (label, result.feedback)


@pytest.mark.parametrize("question_id", APPENDING)
def test_every_valid_answer_of_both_corpora_keeps_full_marks_on_a_probed_item(question_id):
    valid = {label: fn for label, (kind, fn) in _corpus_answers(question_id).items() if kind == "valid"}
    for label, answer in valid.items():
        result, _ = _scored(question_id, STUDENTS[0], answer)
        assert result.score == result.max_score, (label, result.feedback)


@pytest.mark.parametrize("question_id", DERIVED)
def test_no_registered_mistake_of_a_derived_item_is_taken_for_a_numerical_gradient_even_unnamed(question_id):
    """Each registered wrong derivation keeps its partial credit (the cases it passes, by weight),
    and the evidence alone (without the shield of its name) does not hold on its failures."""
    question = QUESTIONS[question_id]
    spec, cases = _planned(question_id, STUDENTS[0])
    for mistake in question.mistakes:
        outcomes = [_call(mistake.fn, p.case.args) for p in cases]
        result = score_question(spec, cases, outcomes, COURSE.limits.call_timeout_s)
        passed = sum(p.case.weight for p, o in zip(cases, outcomes) if _passes(spec, p, o))
        assert result.score == round(spec.points * passed / sum(p.case.weight for p in cases), 4), mistake.name
        assert NUMERICAL_GRADIENT not in _ids(result), mistake.name
        assert _evidence(spec, cases, outcomes) is None, mistake.name


def _passes(spec, planned, outcome) -> bool:
    return case_failure(planned, outcome) is None


def _evidence(spec, cases, outcomes):
    """What the rule finds on these outcomes when no registered mistake is named."""
    failures = [f for p, o in zip(cases, outcomes) if (f := case_failure(p, o)) is not None]
    expected = {id(p.case): p.expected for p in cases}
    return numerical_gradient(cases[0].question, failures, lambda case: expected[id(case)], (spec.rtol, spec.atol),
                              lambda case: False, COURSE.limits.call_timeout_s)


def test_the_probes_that_append_entries_record_the_shape_before_them_and_the_others_do_not():
    """Case.unprobed: the separable items' probes append columns (their ordinary entries are a
    leading block); the softmax probes rescale every entry, so there is no ordinary block there
    (docs/design.md: what the rule cannot see)."""
    for question_id in DERIVED:
        question = QUESTIONS[question_id]
        _, cases = _planned(question_id, STUDENTS[0])
        shapes = {p.case.label: p.case.unprobed for p in cases}
        if question_id in APPENDING:
            probed = [p.case for p in cases if p.case.label not in question.probe_skips]
            assert all(c.unprobed is not None and c.unprobed != np.shape(c.args[0]) for c in probed), shapes
        else:
            assert set(shapes.values()) == {None}, (question_id, shapes)


@pytest.mark.parametrize("folder", ["solutions", "assignments"])
def test_each_notebook_says_a_numerical_gradient_earns_nothing_on_each_of_its_derived_items_by_name(folder):
    """The student reads the rule before answering, in "How this notebook works", with the items it
    applies to (and no other: the line fit's loop, fit_line, is not one) and the evidence its cases hold."""
    import json
    from pathlib import Path
    repo = Path(__file__).resolve().parents[1]
    said = 0
    for assignment in COURSE.assignments:
        for notebook in assignment.notebooks:
            cells = json.loads((repo / folder / assignment.id / f"{notebook.name}.ipynb").read_text("utf-8"))["cells"]
            how = " ".join("".join(next(c["source"] for c in cells if "How this notebook works" in "".join(c["source"]))
                                   ).split())
            items = [QUESTIONS[q.id] for q in notebook.questions if is_derived(QUESTIONS[q.id])]
            rule = how.partition("**Derive, do not differentiate.**")[2].partition(" * ")[0]
            assert bool(rule) == bool(items), (assignment.id, notebook.name)
            if not items:
                continue
            said += 1
            named = {q.function for q in QUESTIONS.values() if f"`{q.function}`" in rule}
            assert named == {q.function for q in items}, (assignment.id, named)
            assert "earns **nothing**" in rule and "*checking*" in rule
            assert ("a case with many parameters" in rule) == any(q.large_case for q in items)
            assert ("float64 rounding" in rule) == any(q.probe for q in items)
    assert said == 4
