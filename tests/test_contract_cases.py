"""The false passes of issue 26, decided from the notebooks' stated contracts: each is a mistake
under the notebook's wording, so a hidden case present for every student shows it, and the
right answer still passes those cases.

* bce_gradient / cce_gradient: "clip the predictions to [1e-12, 1 - 1e-12] (np.clip) before
  taking logs or dividing": adding 1e-12 inside the division differs below the clip
  ("predictions below the clip");
* gradient_errors: "max_k |a_k - n_k| / max_k (|a_k| + |n_k|), and 0.0 when both arrays are all
  zero": a floor max(1e-8, ...) (CS231n's) differs on small gradients ("vanishing gradients");
* forward: "a list of L (W, b) pairs", L = 1 included: a forward that always treats the first layer as
  hidden applies a sigmoid before the output layer of a one-layer network ("one layer");
* init_params: "W normal with mean 0 and standard deviation sqrt(2 / n_in)": a uniform draw of
  the same variance (He-uniform) is told by the fourth moment, a scale sqrt(2 / (n_in + 1)) by a
  layer of two inputs ("few inputs").

The variants are written here from the notebooks' wording; none is registered (the fresh
corpus keeps its own copies as a held-out measure of naming).
"""
from __future__ import annotations

import copy
from typing import Callable

import numpy as np
import pytest

from autograder.checks.compare import as_tree, compare
from autograder.course.cases import hidden_cases, submission_key
from autograder.grading.pipeline import default_course
from autograder.questions import QUESTIONS
from nn_core import answers, losses, network, training

COURSE = default_course()
SPECS = {q.id: (a.id, q) for a in COURSE.assignments for q in a.questions}
SECRET = b"contract-case-tests-secret-32-bytes"
KEYS = [(student, submission_key([f"# {k}"])) for student in ("ann", "bob", "cyd", "dee") for k in range(2)]


def _failing_labels(question_id: str, answer: Callable, student: str, submission: str) -> list[str]:
    """The labels of the hidden cases of one submission that ``answer`` fails."""
    assignment, spec = SPECS[question_id]
    question = QUESTIONS[question_id].bound(spec.settings)
    failing = []
    for case in hidden_cases(question, COURSE.id, assignment, student, 8, secret=SECRET, submission=submission):
        got = answer(*copy.deepcopy(case.args))
        if question.judge is not None:
            ok = question.judge(case, got, spec.settings).ok
        else:
            atol = spec.atol if case.atol is None else case.atol
            ok = compare(got, as_tree(question.reference(*case.args)), spec.rtol, atol).ok
        if not ok:
            failing.append(case.label)
    return failing


def _epsilon_added_bce(Y_hat, Y):
    return (-Y / (Y_hat + 1e-12) + (1 - Y) / (1 - Y_hat + 1e-12)) / Y.shape[0]


def _epsilon_added_cce(Y_hat, Y):
    return -Y / (Y_hat + 1e-12) / Y.shape[0]


def _floored_errors(analytic, numeric):
    def err(a, n):
        return float(np.max(np.abs(a - n)) / max(1e-8, np.max(np.abs(a) + np.abs(n))))
    return [(err(aW, nW), err(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]


def _he_uniform(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-np.sqrt(6 / n_in), np.sqrt(6 / n_in), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _bias_counted_as_input(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / (n_in + 1)), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _first_layer_always_hidden(X, params):
    from nn_core.activations import sigmoid, softmax
    A = sigmoid(X @ params[0][0].T + params[0][1])
    for W, b in params[1:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)


@pytest.mark.parametrize("question_id, answer, right, label", [
    ("forward", _first_layer_always_hidden, answers.forward, "one layer"),
    ("bce_gradient", _epsilon_added_bce, losses.bce_gradient, "predictions below the clip"),
    ("cce_gradient", _epsilon_added_cce, losses.cce_gradient, "predictions below the clip"),
    ("gradient_errors", _floored_errors, network.gradient_errors, "vanishing gradients"),
    ("init_params", _he_uniform, training.init_params, None),
    ("init_params", _bias_counted_as_input, training.init_params, "few inputs"),
], ids=["first layer always hidden", "bce epsilon added", "cce epsilon added", "floored denominator", "He-uniform", "n_in + 1"])
def test_a_reading_the_notebook_rules_out_loses_marks_for_every_student_and_the_stated_one_does_not(
        question_id, answer, right, label):
    for student, submission in KEYS:
        failing = _failing_labels(question_id, answer, student, submission)
        assert failing and (label is None or label in failing), (student, failing)
        assert _failing_labels(question_id, right, student, submission) == [], student


def _as_float32(tree):
    if isinstance(tree, (list, tuple)):
        return type(tree)(_as_float32(item) for item in tree)
    value = np.asarray(tree)
    return value.astype(np.float32) if value.dtype.kind == "f" else tree


def _as_whole_floats(tree):
    """The same whole numbers as float64, in the same structure (3 -> 3.0)."""
    if isinstance(tree, (list, tuple)):
        return type(tree)(_as_whole_floats(item) for item in tree)
    return np.asarray(tree, dtype=np.float64)


@pytest.mark.parametrize("question_id", sorted(q for q in QUESTIONS if q in SPECS))
def test_a_float32_result_is_refused_on_every_question_with_the_same_words(question_id):
    """One float32 policy for every question (issue 26: float32 training passed two replays of
    a5 and failed the third): a result in float32 is refused, never judged by its values."""
    assignment, spec = SPECS[question_id]
    question = QUESTIONS[question_id].bound(spec.settings)
    case = hidden_cases(question, COURSE.id, assignment, "ann", 1, secret=SECRET, submission=KEYS[0][1])[-1]
    if question.judge is not None and question_id not in ("init_params", "train"):  # a6's choose_l2: its numbers
        judgement = question.judge(case, _as_float32(question.reference(*case.args)), spec.settings)
        assert (judgement.ok, judgement.id) == (False, "float32") and "float64" in judgement.message
        return
    if question.judge is not None:  # a network or an initialisation: its parameters in float32
        sizes = case.args[0] if question_id == "init_params" else case.args[2]
        params = _as_float32(training.init_params(sizes, 1))
        if question.adapter == "with_init":  # train's result is (the student's init, the trained parameters)
            params = (training.init_params(sizes, 1), params)
        judgement = question.judge(case, params, spec.settings)
        assert (judgement.ok, judgement.id) == (False, "float32") and "float64" in judgement.message
        return
    expected = as_tree(question.reference(*case.args))
    if not any(np.asarray(leaf).dtype.kind == "f" for leaf in _leaves(expected)):
        # an integer answer (a count, shapes, class indices): the same policy refuses floats, even whole ones
        verdict = compare(_as_whole_floats(expected), expected, spec.rtol, spec.atol)
        assert (verdict.ok, verdict.kind, verdict.detail) == (False, "dtype", "int-expected")
        assert compare(expected, expected, spec.rtol, spec.atol).ok
        return
    verdict = compare(_as_float32(expected), expected, spec.rtol, spec.atol)
    assert (verdict.ok, verdict.kind, verdict.detail) == (False, "dtype", "float64-expected")
    assert compare(expected, expected, spec.rtol, spec.atol).ok


def _leaves(tree):
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [tree]


def test_a_loop_that_follows_the_stated_one_only_on_sets_as_small_as_the_replays_fails_the_courses_runs():
    """Issue 26: the course's runs (all rows, seed 0) are also compared with the stated loop, so a
    train that trains otherwise beyond 30 rows (3 x the epochs, full batches) fails them, and the
    stated loop passes every case."""
    from autograder.questions.a5_training import TASK_OF_OUTPUT, output_name

    def stated(X, Y, sizes, kind, lr, epochs, batch_size, seed):
        task = TASK_OF_OUTPUT[output_name(kind)]
        return (training.init_params(sizes, seed),
                training.train_network(X, Y, sizes, task, lr, epochs, batch_size, seed)[0])

    def small_data_only(X, Y, sizes, kind, lr, epochs, batch_size, seed):
        if len(X) > 30:
            epochs, batch_size = 3 * epochs, len(X)
        return stated(X, Y, sizes, kind, lr, epochs, batch_size, seed)

    student, submission = KEYS[0]
    failing = _failing_labels("train", small_data_only, student, submission)
    assert {f"{task}: the course's settings" for task in ("regression", "binary", "classifier")} <= set(failing)
    assert _failing_labels("train", stated, student, submission) == []


# -- numerical_gradient: "x unchanged when the function returns", bit for bit ------------------------
def _checker_restoring_by(steps: tuple[float, ...]) -> Callable:
    """A central-difference checker that moves each entry by the arithmetic ``steps`` (in units of
    h: +h, -2h, +h), evaluating f where it stands one step above and one below, instead of
    assigning the saved value back."""
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            offset, values = 0.0, {}
            for step in steps:
                x[i] += step * h
                offset += step
                if abs(offset) == 1.0 and offset not in values:
                    values[offset] = f(x)
            grad[i] = (values[1.0] - values[-1.0]) / (2 * h)
        return grad
    return numerical_gradient


def _exact_checker(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        plus = f(x)
        x[i] = saved - h
        minus = f(x)
        x[i] = saved
        grad[i] = (plus - minus) / (2 * h)
    return grad


def _twice_on_the_exact_restore_case(checker: Callable, student: str, submission: str) -> tuple[bool, bool]:
    """Whether the first and the second call (on the same x, as the grader's second call) are right."""
    from autograder.checks.adapters import make_test_function

    assignment, spec = SPECS["numerical_gradient"]
    question = QUESTIONS["numerical_gradient"].bound(spec.settings)
    (case,) = [c for c in hidden_cases(question, COURSE.id, assignment, student, 8, secret=SECRET,
                                       submission=submission) if "given back exactly" in c.label]
    kind, params, x, h = copy.deepcopy(case.args)
    want = as_tree(question.reference(*case.args))
    f = make_test_function(kind, params)
    first = compare(checker(f, x, h), want, spec.rtol, spec.atol).ok
    second = compare(checker(f, x, h), want, spec.rtol, spec.atol).ok
    return first, second


@pytest.mark.parametrize("steps", [(1.0, -2.0, 1.0), (1.0, -1.0, -1.0, 1.0), (-1.0, 2.0, -1.0), (-1.0, 1.0, 1.0, -1.0)],
                         ids=["+h,-2h,+h", "+h,-h,-h,+h", "-h,+2h,-h", "-h,+h,+h,-h"])
def test_a_checker_that_restores_x_by_arithmetic_fails_the_exact_restore_case_for_every_student(steps):
    for student, submission in KEYS:
        first, second = _twice_on_the_exact_restore_case(_checker_restoring_by(steps), student, submission)
        assert not (first and second), (student, steps)


def test_a_checker_that_assigns_the_saved_value_back_passes_both_calls_for_every_student():
    for student, submission in KEYS:
        assert _twice_on_the_exact_restore_case(_exact_checker, student, submission) == (True, True)


# -- a5: the loop takes every epoch; init_params is a function of its seed ---------------------------
def _early_stopping_train(tolerance: float = 1e-4) -> Callable:
    """The stated loop that stops once an epoch improves the training loss by less than ``tolerance``."""
    from autograder.questions.a5_training import TASK_OF_OUTPUT, output_name

    def train(X, Y, sizes, kind, lr, epochs, batch_size, seed):
        task = TASK_OF_OUTPUT[output_name(kind)]
        history = training.train_network(X, Y, sizes, task, lr, epochs, batch_size, seed)[1]
        taken = next((e + 1 for e in range(1, len(history)) if history[e - 1] - history[e] < tolerance), epochs)
        return (training.init_params(sizes, seed),
                training.train_network(X, Y, sizes, task, lr, taken, batch_size, seed)[0])
    return train


def test_a_loop_that_stops_early_fails_the_small_learning_rate_replay_for_every_student():
    """Issue 26's false pass: "stops once an epoch improves the loss by less than 1e-4". The replay at
    a small learning rate improves the loss by much less per epoch, and every epoch must be taken."""
    for student, submission in KEYS[::3]:
        failing = _failing_labels("train", _early_stopping_train(), student, submission)
        assert {f"{task}: exact replay at a small learning rate (4 epochs, batches of 5)"
                for task in ("regression", "binary", "classifier")} <= set(failing), (student, failing)


_INIT_SOURCES = {
    "unseeded": """
def init_params(sizes, seed):
    rng = np.random.default_rng()
    return [(rng.normal(0.0, np.sqrt(2 / a), (b, a)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
""",
    "a generator per layer": """
def init_params(sizes, seed):
    params = []
    for a, b in zip(sizes, sizes[1:]):
        rng = np.random.default_rng(seed)
        params.append((rng.normal(0.0, np.sqrt(2 / a), (b, a)), np.zeros(b)))
    return params
""",
    "numpy's legacy global generator, seeded": """
def init_params(sizes, seed):
    np.random.seed(seed % 2**32)
    return [(np.random.randn(b, a) * np.sqrt(2 / a), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
""",
}


@pytest.mark.parametrize("name, mistake", [("unseeded", "not-reproducible"),
                                           ("a generator per layer", "the same draws in every layer"),
                                           ("numpy's legacy global generator, seeded", None)])
def test_init_params_must_be_a_function_of_its_seed_with_independent_layers_whatever_the_generator(name, mistake):
    """Issue 26's false passes, decided: an unseeded draw is not reproducible (a second call on the
    same arguments differs), a generator created anew for every layer repeats its draws; another
    seeded generator (numpy's legacy one) draws He's weights as well and is valid (a5's notebook)."""
    from autograder.grading.pipeline import grade_sources
    from autograder.sandbox import Sandbox

    specs = [q for q in COURSE.assignment("a5_training").questions if q.id == "init_params"]
    with Sandbox(COURSE.limits) as box:
        for student in ("ann", "bob"):
            result = grade_sources(box, ["import numpy as np\n" + _INIT_SOURCES[name]], "a5_training", student,
                                   specs, COURSE)[0].questions[0]
            if mistake is None:
                assert result.score == result.max_score, result.feedback
            else:
                assert result.score < result.max_score and [m["id"] for m in result.mistakes] == [mistake], \
                    result.feedback


def test_a_train_that_returns_its_initialisation_is_told_nothing_was_updated_not_only_the_biases():
    """The held-out corpus's update_lost (the loop rebinds W and b, so no step is stored) was told
    "the biases are still all zero", which is true but names another mistake."""
    assignment, spec = SPECS["train"]
    question = QUESTIONS["train"].bound(spec.settings)
    for case in hidden_cases(question, COURSE.id, assignment, "ann", 0, secret=SECRET, submission=KEYS[0][1]):
        init = training.init_params(case.args[2], case.args[7])
        judgement = question.judge(case, (init, init), spec.settings)
        assert (judgement.ok, judgement.id) == (False, "parameters not updated"), case.label
        frozen_biases = [(W * 0.5, b) for W, b in init]
        assert question.judge(case, (init, frozen_biases), spec.settings).id == "biases not updated"
