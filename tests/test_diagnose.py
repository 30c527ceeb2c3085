"""The diagnosis layer and the hidden cases it relies on: every argument varied, m >= 3 in
random cases, edge cases at the edge; each general detector names its kind of mistake for
every student; feedback does not depend on anything the student's result chose."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.course.cases import submission_key
from autograder.grading import diagnose
from autograder.checks.compare import as_tree, compare
from autograder.grading.pipeline import default_course, plan, score_question
from autograder.questions import QUESTIONS
from autograder.sandbox import CallOutcome

COURSE = default_course()
SPECS = {q.id: (a.id, q) for a in COURSE.assignments for q in a.questions}
STUDENTS = [f"student-{k}" for k in range(12)]
SUBMISSION = submission_key([])  # the cases of one submission (any code: these tests run answers in process)


def planned(qid: str, student: str):
    assignment, spec = SPECS[qid]
    return spec, plan(COURSE, assignment, student, [spec], submission=SUBMISSION)


def graded(qid: str, student: str, answer) -> "QuestionResult":  # noqa: F821
    """Score ``answer`` (a function of the case's arguments, run here) as if a student's code returned it."""
    spec, cases = planned(qid, student)
    outcomes = []
    for p in cases:
        with np.errstate(all="ignore"):
            outcomes.append(CallOutcome("ok", as_tree(answer(*p.case.args)), ""))
    return score_question(spec, cases, outcomes, 5.0)


def ids(result) -> list[str]:
    return [m["id"] for m in result.mistakes]


# --------------------------------------------------------------------------- the hidden cases
def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return np.shape(a) == np.shape(b) and np.array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_every_argument_is_varied_by_the_hidden_cases(qid):
    _, cases = planned(qid, "alice")
    question = QUESTIONS[qid]
    for index, name in enumerate(question.arguments):
        values = [p.case.args[index] for p in cases if len(p.case.args) > index]
        assert values, f"{qid}: argument {name} is never passed"
        assert any(not _same(values[0], v) for v in values[1:]), f"{qid}: {name} is the same in every case"
        if name in question.defaults:  # the default is used too, and other values in most random cases
            assert any(len(p.case.args) <= index for p in cases), f"{qid}: {name}'s default is never used"
            others = [p for p in cases if p.case.label == "random" and len(p.case.args) > index
                      and p.case.args[index] != question.defaults[name]]
            assert len(others) >= len([p for p in cases if p.case.label == "random"]) // 2


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_random_cases_have_at_least_three_examples(qid):
    for student in STUDENTS[:4]:
        for p in planned(qid, student)[1]:
            m = diagnose.rows_of(p.case.args)
            if p.case.label == "random" and m is not None:
                assert m >= 3, (qid, p.case.label, m)


@pytest.mark.parametrize("qid", ["bce", "bce_gradient", "cce", "cce_gradient"])
def test_edge_cases_put_predictions_at_exactly_zero_and_one_against_the_wrong_label(qid):
    case = next(p.case for p in planned(qid, "alice")[1] if p.case.label == "predictions at 0 and 1")
    P, Y = case.args
    assert set(np.unique(P)) == {0.0, 1.0}
    assert ((P == 0) & (Y == 1)).any(), "a certain prediction against the label"
    if qid == "bce":
        assert ((P == 1) & (Y == 0)).any() and ((P == Y)).any()


@pytest.mark.parametrize("qid", ["bce", "bce_gradient"])
def test_clipping_the_log_arguments_instead_of_the_predictions_is_not_a_false_fail(qid):
    """1 - (1 - 1e-12) != 1e-12 in float64: clipping 1 - p rather than p must still pass."""
    def alternative(P, Y, eps=1e-12):
        if qid == "bce":
            return float(-np.sum(Y * np.log(np.maximum(P, eps)) + (1 - Y) * np.log(np.maximum(1 - P, eps))) / len(Y))
        return (-Y / np.maximum(P, eps) + (1 - Y) / np.maximum(1 - P, eps)) / len(Y)

    for student in STUDENTS:
        result = graded(qid, student, alternative)
        assert result.score == result.max_score, result.feedback


# --------------------------------------------------------------------------- the general detectors
def test_a_factor_two_is_never_called_a_mean_over_m_for_any_student():
    """delta_bce_sigmoid has no registered factor-2 mistake: the general detector names it,
    and since random cases have m >= 3 it is never taken for 'divide by m'."""
    from nn_core import deltas

    for student in STUDENTS:
        result = graded("delta_bce_sigmoid", student, lambda A, Y: 2 * deltas.delta_bce_sigmoid(A, Y))
        assert result.score < result.max_score and ids(result) == ["factor:2"], result.feedback
        assert "twice the expected" in result.feedback


def test_a_sum_instead_of_a_mean_is_named_factor_m():
    from nn_core import deltas

    for student in STUDENTS:
        result = graded("delta_cce_softmax", student, lambda A, Y: A.shape[0] * deltas.delta_cce_softmax(A, Y))
        assert result.score < result.max_score and ids(result) == ["factor:m"], result.feedback


def test_a_sign_slip_is_named_where_no_mistake_is_registered():
    from nn_core import activations

    for student in STUDENTS:
        result = graded("tanh_prime", student, lambda z: -activations.tanh_prime(z))
        assert ids(result) == ["factor:sign"], result.feedback


@pytest.mark.parametrize("qid, argument", [("leaky_relu", "slope"), ("leaky_relu_prime", "slope"),
                                           ("huber", "c"), ("huber_gradient", "c"), ("pseudo_huber", "c"),
                                           ("pseudo_huber_gradient", "c"), ("delta_huber_linear", "c"),
                                           ("delta_pseudo_huber_linear", "c"), ("gd_step", "lr"),
                                           ("numerical_gradient", "h")])
def test_an_ignored_argument_costs_marks_for_every_student_and_is_named(qid, argument):
    question = QUESTIONS[qid]
    index = question.arguments.index(argument)
    fixed = question.defaults.get(argument, 1.0)

    def ignoring(*args):
        args = list(args)
        if len(args) > index:
            args[index] = fixed
        return question.reference(*args)

    for student in STUDENTS:
        result = graded(qid, student, ignoring)
        assert result.score < result.max_score, (student, result.feedback)
        assert ids(result) in ([f"ignored-argument:{argument}"], ["forgot the learning rate"]), result.feedback


def test_every_mistake_of_the_gradient_checker_is_named_for_every_student():
    """numerical_gradient takes a function (graded through an adapter): its mistakes are
    functions of the adapter's plain-data arguments, and each is named on its own."""
    for mistake in QUESTIONS["numerical_gradient"].mistakes:
        for student in STUDENTS:
            result = graded("numerical_gradient", student, mistake.fn)
            assert result.score < result.max_score and ids(result) == [mistake.name], (mistake.name, result.feedback)


def test_a_wrong_default_step_loses_marks_for_every_student():
    """The edge cases at the default h include a rapidly varying f, where h = 1e-6 or 1e-4
    instead of 1e-5 changes the central difference beyond the tolerance."""
    reference = QUESTIONS["numerical_gradient"].reference
    for step in (1e-6, 1e-4):
        for student in STUDENTS:
            result = graded("numerical_gradient", student, lambda kind, params, x, h=step: reference(kind, params, x, h))
            assert result.score < result.max_score and ids(result) == ["default:h"], result.feedback


def test_a_result_transposed_is_named_even_when_it_is_square():
    from nn_core import network

    for student in STUDENTS:
        result = graded("layer_gradients", student, lambda d, a: (network.layer_gradients(d, a)[0].T,
                                                                  network.layer_gradients(d, a)[1]))
        assert ids(result) == ["used note 004's (n_in, n_out) convention"], result.feedback


def test_failures_of_one_kind_of_case_only_say_what_to_try():
    from nn_core import activations

    def unstable_only_at_large_z(Z):
        return activations.softmax(Z) if np.abs(Z).max() < 500 else np.full(Z.shape, np.nan)

    result = graded("softmax", "alice", unstable_only_at_large_z)
    assert ids(result) == ["case-kind:overflow"] and "stable form" in result.feedback


def test_explanations_must_hold_on_every_failing_case():
    from nn_core import activations

    def two_mistakes(z):  # a sign slip on one kind of case, a constant added on the others
        # (-relu' and 3 relu' would share one true statement: right where z <= 0, wrong where z > 0)
        return -activations.relu_prime(z) if np.ndim(z) == 1 else activations.relu_prime(z) + 0.25

    result = graded("relu_prime", "alice", two_mistakes)
    assert ids(result) == [] and "No single explanation fits every failing case" in result.feedback


# --------------------------------------------------------------------------- no side channel
def _feedback_lines(result) -> str:
    return result.feedback.split("\n", 1)[1]


ENCODED = (37, 123, 211)  # numbers a hostile result could choose to carry a hidden input out


def test_feedback_never_echoes_a_shape_a_result_chose():
    """A result can encode a hidden input in its shape: the feedback describes the mismatch
    with a fixed vocabulary (axes swapped, one axis too many, ...), never the numbers."""
    for k in ENCODED:
        for shape in ((1, k), (k, 3, 3), (k,), (k, k)):
            text = _feedback_lines(graded("dense_forward", "eve", lambda X, W, b, shape=shape: np.zeros(shape)))
            assert str(k) not in text and "shape (" not in text, text


def test_feedback_never_echoes_a_length_a_type_or_a_factor_a_result_chose():
    for k in ENCODED:
        texts = [_feedback_lines(graded("backprop", "eve", lambda X, Y, p, k=k: [(np.zeros(k), np.zeros(k))] * k)),
                 _feedback_lines(graded("line_fit_gradient", "eve", lambda a0, a1, x, y, k=k: tuple(range(k)))),
                 _feedback_lines(graded("dense_forward", "eve", lambda X, W, b, k=k: [[0.0] * k] * k)),
                 _feedback_lines(graded("mse_gradient", "eve", lambda P, Y, k=k: k * 1.000123 * (P - Y) / len(P)))]
        for text in texts:
            assert str(k) not in text and "1.000123" not in text and "123" not in text, text


def test_shape_messages_describe_the_mismatch_in_course_terms_without_numbers():
    verdict = compare(np.zeros((5, 3)), np.zeros((3, 5)), 1e-6, 1e-9)
    assert verdict.detail == "transposed" and not any(ch.isdigit() for ch in verdict.message.replace("2-D", ""))
    assert compare(np.zeros((1, 7)), np.zeros(7), 1e-6, 1e-9).detail == "keepdims"
    assert compare(np.zeros(4), np.zeros((4, 4)), 1e-6, 1e-9).detail == "vector-for-matrix"
    assert compare(np.zeros(4), np.zeros((1, 4)), 1e-6, 1e-9).detail == "squeezed"
    assert compare(np.zeros(6), np.zeros(()), 1e-6, 1e-9).detail == "many-for-one"


# --------------------------------------------------------------------------- the type policy
@pytest.mark.parametrize("got, expected", [
    (np.array([2.5]), np.asarray(2.5)),                      # a 1-element array where a float is asked
    (np.float64(2.5), np.asarray(2.5)),                      # a numpy scalar (float32: refused, test_contract_cases)
    (np.array([1.0, 2.0]), [np.asarray(1.0), np.asarray(2.0)]),  # an array where a tuple of numbers is asked
    ([1.0, 2.0], [np.asarray(1.0), np.asarray(2.0)]),        # a list where a tuple is asked
    ([2, 0, 1], np.array([2, 0, 1])),                        # a list where an int array is asked
    (np.array([True, False]), np.array([1.0, 0.0])),         # a bool array for 0/1 values
    (np.int64(7), np.asarray(7)),                            # a numpy int where an int is asked
])
def test_the_type_policy_accepts_the_same_alternatives_everywhere(got, expected):
    assert compare(got, expected, 1e-6, 1e-9).ok


@pytest.mark.parametrize("got, expected", [(7.0, np.asarray(7)), (np.array([2.0, 0.0]), np.array([2, 0]))])
def test_a_float_where_an_int_is_asked_is_refused_with_what_to_return(got, expected):
    verdict = compare(got, expected, 1e-6, 1e-9)
    assert not verdict.ok and verdict.detail == "int-expected" and "int(" in verdict.message


# --------------------------------------------------------------------------- the registry
def _output(fn, args):
    try:
        with np.errstate(all="ignore"):
            return as_tree(fn(*args))
    except Exception as error:  # noqa: BLE001 - a variant may not apply to these inputs
        return type(error).__name__


@pytest.mark.parametrize("qid", sorted(QUESTIONS))
def test_registered_mistakes_differ_from_the_reference_from_each_other_and_do_not_always_raise(qid):
    from autograder.checks.compare import matches

    spec, _ = planned(qid, "s0")
    cases = [p for student in STUDENTS[:3] for p in planned(qid, student)[1]]
    outputs = {}
    for mistake in QUESTIONS[qid].mistakes:
        out = [_output(mistake.fn, p.case.args) for p in cases]
        assert not all(isinstance(o, str) for o in out), f"{mistake.name} raises on every case"
        # each case at its own atol, as the pipeline compares it (a probed case's is of rounding size)
        assert any(isinstance(o, str) or not compare(o, p.expected, spec.rtol,
                                                     spec.atol if p.case.atol is None else p.case.atol).ok
                   for o, p in zip(out, cases)), f"{mistake.name} equals the reference on every case"
        for name, other in outputs.items():
            same = all((isinstance(a, str) and isinstance(b, str) and a == b) if isinstance(a, str) or isinstance(b, str)
                       else matches(a, b, spec.rtol, spec.atol) for a, b in zip(out, other))
            assert not same, f"{mistake.name} and {name} give the same results: one can never be named"
        outputs[mistake.name] = out


@pytest.mark.parametrize("qid", ["bce", "bce_gradient", "cce", "cce_gradient"])
@pytest.mark.parametrize("eps", [0.0, 1e-15, 1e-7])
def test_a_missing_clip_or_another_epsilon_loses_marks_for_every_student(qid, eps):
    def clipped_with(P, Y):  # the formula of the notebook, on predictions clipped to another epsilon (or none)
        return _unclipped(qid, np.clip(P, eps, 1 - eps), Y)

    for student in STUDENTS:
        result = graded(qid, student, clipped_with)
        assert result.score < result.max_score, (student, result.feedback)
        assert result.mistakes, result.feedback


def _unclipped(qid, P, Y):
    m = P.shape[0]
    return {"bce": lambda: float(np.mean(-(Y * np.log(P) + (1 - Y) * np.log(1 - P)).sum(axis=1))),
            "bce_gradient": lambda: (-Y / P + (1 - Y) / (1 - P)) / m,
            "cce": lambda: float(np.mean(-(Y * np.log(P)).sum(axis=1))),
            "cce_gradient": lambda: -Y / P / m}[qid]()


@pytest.mark.parametrize("labels", [["square layers"], ["residuals both sides of c"], ["random", "m = 1"],
                                    ["large |z|"]])
def test_the_summary_has_advice_for_every_kind_of_case_label(labels):
    """An edge case whose label names no special kind (square layers, residuals around c) is
    advised like a random one; it once crashed the summary."""
    from autograder.grading.diagnose import summary

    text = summary(labels)
    assert text.startswith("No single explanation fits") and len(text) > 60


def test_every_registered_case_label_gets_advice():
    from autograder.grading.diagnose import summary

    from autograder.course.config import load_course

    settings = {q.id: q.settings for a in load_course().assignments for q in a.questions}
    rng = np.random.default_rng(0)
    for question in QUESTIONS.values():
        for case in question.bound(settings.get(question.id, {})).edge_cases(rng):
            assert len(summary([case.label])) > 60, (question.id, case.label)


def test_a_checker_that_leaves_x_changed_is_told_to_put_the_saved_entry_back():
    """numerical_gradient's own words for a right gradient with x changed (+h, -2h, +h drifts),
    not the general message about updating parameters in place: as advice when only the run
    says so (its second call was right), as the named failure when the second call went wrong."""
    from autograder.checks.compare import CONTRACT_MESSAGES
    from autograder.questions.a1_activations import RESTORE_EXACTLY

    spec, cases = planned("numerical_gradient", STUDENTS[0])
    outcomes = [CallOutcome("ok", p.expected, "", mutated=(2,)) for p in cases]
    said = score_question(spec, cases, outcomes, 5.0, again=outcomes)
    assert said.score == said.max_score and said.mistakes == []
    assert "Advice (no points)" in said.feedback and RESTORE_EXACTLY in said.feedback
    wrong_again = [CallOutcome("ok", p.expected * 2 + 1, "") for p in cases]
    seen = score_question(spec, cases, outcomes, 5.0, again=wrong_again)
    assert [(m["id"], m["message"]) for m in seen.mistakes] == [("mutated-input", RESTORE_EXACTLY)]
    assert RESTORE_EXACTLY != CONTRACT_MESSAGES["mutated-input"]


def test_what_the_run_says_about_its_arguments_and_warnings_decides_no_grade():
    """``mutated`` and ``warnings`` are written by the student's process: they never fail a case."""
    spec, cases = planned("sigmoid", STUDENTS[0])
    claims = [CallOutcome("ok", p.expected, "", mutated=(0,), warnings=("RuntimeWarning",)) for p in cases]
    result = score_question(spec, cases, claims, 5.0)
    assert result.score == result.max_score and result.mistakes == []
