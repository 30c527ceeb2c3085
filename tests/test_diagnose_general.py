"""Naming that generalises (issue 26): the general detectors of ``grading/diagnose.py`` name a
mistake from the kind of evidence its failures carry, not from a list of anticipated answers.

Each test scores, in process, a wrong answer that no registered mistake describes, for several
students (each has other hidden cases), and pins the explanation and its words: which outputs
are wrong and which right, with their factor; which part of one result (z > 0 or z < 0, y = 1 or
y = 0, the Huber threshold, the diagonal); another graded function's result; an argument used
wrongly (off by one, m times larger, a list reversed or missing an array, another argument in
its place); a normalisation over the wrong axis; a constant term; the layers a backward pass gets
wrong. And the findings of issue 26: a question with one output is never told about "the other"
outputs, a factor outside the fixed set is never said (nor its value), a careless training loop
is named only when every failing replay gives it.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from autograder.grading import diagnose
from autograder.questions import QUESTIONS
from test_diagnose import graded, ids

STUDENTS = ("ada", "ben", "cy")


def reference(qid: str):
    return QUESTIONS[qid].reference


def named_for_everyone(qid: str, answer) -> list[tuple[list[str], str]]:
    """Each student's explanation ids and feedback; every student loses marks."""
    out = []
    for student in STUDENTS:
        result = graded(qid, student, answer)
        assert result.score < result.max_score, result.feedback
        out.append((ids(result), " ".join(result.feedback.split())))
    return out


# --------------------------------------------------------------------------- several outputs
def test_a_sign_slip_in_one_of_four_gradients_is_named_with_its_factor_and_the_others_said_right():
    def dW2_negated(*args):
        dW1, db1, dW2, db2 = reference("regression_gradients")(*args)
        return dW1, db1, -dW2, db2

    for found, text in named_for_everyone("regression_gradients", dW2_negated):
        assert found == ["outputs:dW2 sign"], text
        assert "dW2 is exactly -1 times the expected one" in text and "dW1, db1 and db2 are right" in text


def test_a_missing_one_over_m_in_one_gradient_is_named_m_times():
    def db1_summed(*args):
        dW1, db1, dW2, db2 = reference("binary_gradients")(*args)
        return dW1, db1 * args[0].shape[0], dW2, db2

    for found, text in named_for_everyone("binary_gradients", db1_summed):
        assert found == ["outputs:db1 m"], text
        assert "db1 is m times the expected one" in text


def test_two_wrong_gradients_of_four_are_said_wrong_and_the_two_others_right():
    def first_layer_scrambled(*args):
        dW1, db1, dW2, db2 = reference("homework_gradients")(*args)
        return dW1 + 0.1, db1 ** 2 + 0.3, dW2, db2

    for found, text in named_for_everyone("homework_gradients", first_layer_scrambled):
        assert found == ["outputs:dW1 wrong, db1 wrong"], text
        assert "dW1 is wrong; db1 is wrong; dW2 and db2 are right" in text


def test_a_question_with_one_output_is_never_told_about_the_others():
    for qid in ("mse_gradient", "cce_gradient", "delta_mse_sigmoid", "huber_gradient"):
        def wrong(*args, qid=qid):
            return np.asarray(reference(qid)(*args)) + np.linspace(0.1, 0.7, np.size(reference(qid)(*args))).reshape(
                np.shape(reference(qid)(*args)))

        for found, text in named_for_everyone(qid, wrong):
            assert not any(i.startswith(("one-gradient:", "outputs:")) for i in found), (qid, text)
            assert "other gradients" not in text and "the others are right" not in text, (qid, text)


def test_a_backward_pass_right_on_the_last_layer_only_is_told_the_earlier_layers_are_wrong():
    def earlier_layers_wrong(X, Y, params):
        grads = reference("backprop")(X, Y, params)
        return [(dW + 0.5, db) if k < len(grads) - 1 else (dW, db) for k, (dW, db) in enumerate(grads)]

    for found, text in named_for_everyone("backprop", earlier_layers_wrong):
        assert found in (["layers:earlier"], ["outputs:dW1 wrong"]), text


# --------------------------------------------------------------------------- parts of one result
def test_an_elementwise_slip_on_negative_z_is_told_right_where_z_is_positive():
    def slope_added(z, slope=0.1):
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, z, z + slope)

    for found, text in named_for_everyone("leaky_relu", slope_added):
        assert found == ["region:wrong where z <= 0"], text
        assert "right where z > 0 and wrong where z <= 0" in text


def test_a_sign_slip_on_the_negative_labels_is_named_with_its_factor_where_y_is_0():
    def second_term_negated(Y_hat, Y):
        P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
        return (-Y / P - (1 - Y) / (1 - P)) / Y.shape[0]

    for found, text in named_for_everyone("bce_gradient", second_term_negated):
        assert found == ["region:sign where y = 0"], text
        assert "right where y = 1, and where y = 0 it is exactly -1 times the expected one" in text


def test_a_huber_gradient_wrong_only_beyond_the_threshold_is_told_so():
    def slope_one(Y_hat, Y, c=1.0):
        r = Y_hat - Y
        return np.where(np.abs(r) <= c, r, np.sign(r)) / Y.shape[0]

    for found, text in named_for_everyone("huber_gradient", slope_one):
        assert found in (["region:wrong where |Y_hat - Y| > c"],), text


def test_a_jacobian_wrong_on_its_diagonal_only_is_told_so():
    def identity_minus_outer(a):
        a = np.asarray(a, dtype=float)
        return np.eye(len(a)) - np.outer(a, a)

    for found, text in named_for_everyone("softmax_jacobian", identity_minus_outer):
        assert found == ["region:wrong on the diagonal"], text


# --------------------------------------------------------------------------- relatives and arguments
def test_another_graded_functions_result_is_named_by_that_function():
    for found, text in named_for_everyone("tanh_prime", reference("sigmoid_prime")):
        assert found == ["same-as:sigmoid_prime"], text
        assert "your result is what `sigmoid_prime` returns for the same arguments" in text


@pytest.mark.parametrize("qid, primal, written, words", [
    ("sigmoid_prime", "sigmoid", lambda a: a * (1 + a), "a + a^2"),
    ("sigmoid_prime", "sigmoid", lambda a: a * a, "a^2"),
    ("sigmoid_prime", "sigmoid", lambda a: 1 - a * a, "1 - a^2"),
    ("tanh_prime", "tanh", lambda a: a * (1 - a), "a - a^2"),
])
def test_a_derivative_written_in_its_function_is_told_the_polynomial_it_is(qid, primal, written, words):
    def answer(z):
        return written(reference(primal)(z))

    for found, text in named_for_everyone(qid, answer):
        assert len(found) == 1 and found[0].startswith("in-function:"), text
        assert f"each entry of your result is {words} with a = {primal}(z)" in text


def test_the_polynomial_in_a_reads_as_a_student_writes_it():
    assert diagnose._polynomial_words((0.0, 1.0, 1.0)) == "a + a^2"
    assert diagnose._polynomial_words((1.0, 0.0, -1.0)) == "1 - a^2"
    assert diagnose._polynomial_words((0.0, -0.5, 2.0)) == "-0.5*a + 2*a^2"
    assert diagnose._polynomial_words((0.0, 0.0, 0.0)) == "0"


def test_an_int_argument_off_by_one_is_named():
    def k_plus_one(sizes, k):
        return reference("param_count_maxout")(sizes, k + 1)

    for found, text in named_for_everyone("param_count_maxout", k_plus_one):
        assert found == ["off-by-one:k"], text


def test_a_learning_rate_m_times_too_large_is_named_as_a_sum_for_a_mean():
    def summed_step(x, y, lr, epochs):
        return reference("fit_line")(x, y, lr * len(x), epochs)

    for found, text in named_for_everyone("fit_line", summed_step):
        assert found == ["scaled-argument:lr"], text


def test_a_list_of_layers_walked_in_reverse_is_named_even_where_it_raises():
    """gd_step pairing each layer with another's gradient: wrong values, or a numpy error where
    the shapes do not broadcast; the reversed list explains both. (Which cases a student gets
    depends on the session's secret: the students whose failures mix both are checked.)"""
    def reversed_grads(params, grads, lr):
        return reference("gd_step")(params, list(reversed(grads)), lr)

    from autograder.checks.compare import as_tree, compare
    from autograder.grading.pipeline import score_question
    from autograder.sandbox import CallOutcome
    from test_diagnose import planned

    mixed = 0
    for student in [f"student-{k}" for k in range(16)]:
        spec, cases = planned("gd_step", student)
        outcomes = []
        for p in cases:
            try:
                outcomes.append(CallOutcome("ok", as_tree(reversed_grads(*p.case.args)), ""))
            except ValueError:
                outcomes.append(CallOutcome("error", None, "", error_type="ValueError"))
        values = [o for o, p in zip(outcomes, cases) if o.status == "ok"
                  and compare(o.value, p.expected, spec.rtol, spec.atol).kind == "value"]
        if values and any(o.status == "error" for o in outcomes):
            mixed += 1
            result = score_question(spec, cases, outcomes, 5.0)
            assert ids(result) == ["list-argument:grads"], result.feedback
    assert mixed >= 2


def test_an_array_argument_used_in_place_of_another_is_named():
    def b1_twice(X, W1, b1, W2, b2):
        return reference("maxout")(X, W1, b1, W2, b1)

    for found, text in named_for_everyone("maxout", b1_twice):
        assert found == ["argument-in-place:b2"], text
        assert "with `b1` in place of `b2`" in text


def test_a_softmax_normalised_over_the_wrong_axis_is_told_which_axis_sums_to_one():
    def columns(Z):
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)

    for found, text in named_for_everyone("softmax", columns):
        assert found == ["normalised:other-axis"], text
        assert "each column of your result sums to 1 where each row should" in text


def test_a_constant_term_with_the_wrong_sign_is_named_from_a_fixed_set():
    def one_plus_square(z):
        return 1 + np.tanh(z) ** 2

    for found, text in named_for_everyone("tanh_prime", one_plus_square):
        assert found == ["affine:-1,2"], text


# --------------------------------------------------------------------------- no number read back
@pytest.mark.parametrize(("k", "written"), [(1.5, ("3/2", "1.5")), (3.5, ("7/2", "3.5")),
                                            (-2.5, ("-5/2", "2.5")), (7.0 / 3.0, ("7/3", "2.33"))])
def test_a_factor_outside_the_fixed_set_is_said_without_its_value(k, written):
    for found, text in named_for_everyone("softmax", lambda Z: k * reference("softmax")(Z)):
        assert found == ["factor:constant"], text
        assert " ".join(diagnose.FACTOR_MESSAGES["factor:constant"].split()) in text
        assert not any(w in text for w in written), text


def test_a_factor_that_follows_a_hidden_input_is_not_named_a_constant():
    """A result scaled by a number read from the case (here 1 + |z[0]|): no fixed constant of the
    set holds on every case, so nothing is said that would carry that number back."""
    def leaking(Z):
        return (1.0 + abs(float(np.ravel(Z)[0]))) * reference("softmax")(Z)

    for found, text in named_for_everyone("softmax", leaking):
        assert not any(i.startswith("factor:") for i in found), text


def test_every_factor_id_is_one_of_a_fixed_small_set():
    names = {f"factor:{name}" for name, *_ in diagnose.FACTORS} | {f"factor:-{name}" for name, *_ in diagnose.FACTORS[1:]}
    assert set(diagnose.FACTOR_MESSAGES) == names | {"factor:constant"}
    for k in (1.5, 0.75, 3.0, -3.0, 0.3):  # on a case of m = 5 examples and n = 4 units
        assert diagnose._factor_ids(k, 5, 4)[0].startswith("factor:~")  # said as factor:constant, never valued
    assert diagnose._factor_ids(-5.0, 5, 4) == ["factor:-m"] and diagnose._factor_ids(0.25, 5, 4) == ["factor:1/n"]


# --------------------------------------------------------------------------- a5: careless loops
def test_a_loop_one_epoch_short_is_named_so_and_never_told_it_runs_one_epoch():
    """``range(epochs - 1)`` is the "one epoch only" loop on the 2-epoch replay and not on the
    3-epoch one: the name every failing replay gives is said (issue 26's misnamed loop)."""
    from autograder.questions.a5_training import CARELESS, careless_loop, with_init
    from test_judged_questions import judged_in_process

    short = with_init(careless_loop(extra_epochs=-1))
    for student in STUDENTS:
        result = judged_in_process("train", student, short)
        assert result.score < result.max_score and ids(result) == ["one epoch too few"], result.feedback
        assert CARELESS["one epoch only"][1] not in result.feedback


def test_a_careless_loop_that_one_replay_supports_and_another_contradicts_is_not_named():
    """One epoch only on the 2-epoch replays, the stated loop's other mistake (no shuffle) on
    the rest: no careless loop gives every failing replay, so none is named."""
    from autograder.questions.a5_training import careless_loop, with_init
    from test_judged_questions import judged_in_process

    one_epoch, unshuffled = careless_loop(one_epoch=True), careless_loop(order="never")

    def two_faces(start, X, Y, sizes, output, lr, epochs, batch_size, seed):
        return (one_epoch if epochs == 2 else unshuffled)(start, X, Y, sizes, output, lr, epochs, batch_size, seed)

    result = judged_in_process("train", "ada", with_init(two_faces))
    assert result.score < result.max_score and ids(result) == [], result.feedback
