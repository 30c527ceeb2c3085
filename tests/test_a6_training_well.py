"""Assignment 6 (training well): the cache-free references the students' signatures call, and the
hidden cases that tell the stated rules from their neighbours (the questions' module docstring)."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.questions import QUESTIONS
from nn_core import answers, gradcheck, layers, optimizers

RNG_SEEDS = range(5)


def _network_case(seed: int):
    return QUESTIONS["network_gradients"].make_case(np.random.default_rng(seed))


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_network_gradients_agree_with_central_differences_of_network_loss(seed):
    X, Y, params, mask, keep_prob = _network_case(seed)
    grads = answers.network_gradients(X, Y, params, mask, keep_prob)
    for layer in range(3):
        for k in range(2):
            def loss(value, layer=layer, k=k):
                changed = [list(pair) for pair in params]
                changed[layer][k] = value
                return answers.network_loss(X, Y, changed, mask, keep_prob)
            numeric = gradcheck.numerical_gradient(loss, params[layer][k].copy())
            assert gradcheck.relative_error(grads[layer][k], numeric) < 1e-6, (layer, k)


def test_network_loss_is_the_layers_forward_pass_then_softmax_cross_entropy():
    X, Y, ((W1, b1), (gamma, beta), (W2, b2)), mask, keep_prob = _network_case(7)
    hidden = layers.batchnorm_forward(np.maximum(X @ W1.T + b1, 0.0), gamma, beta)[0] * mask / keep_prob
    scores = hidden @ W2.T + b2
    expected = -np.mean(np.sum(Y * (scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))), axis=1))
    assert answers.network_loss(X, Y, [(W1, b1), (gamma, beta), (W2, b2)], mask, keep_prob) == pytest.approx(expected)


def test_batchnorm_backward_from_the_inputs_is_the_cached_backward():
    rng = np.random.default_rng(3)
    X, gamma, beta, dout = rng.normal(size=(6, 4)), rng.normal(size=4), rng.normal(size=4), rng.normal(size=(6, 4))
    cached = layers.batchnorm_backward(dout, layers.batchnorm_forward(X, gamma, beta, 1e-3)[1])
    for got, want in zip(answers.batchnorm_backward(dout, X, gamma, beta, 1e-3), cached):
        np.testing.assert_array_equal(got, want)


def test_dropout_is_inverted_in_training_and_the_identity_at_test_time():
    X = np.arange(6.0).reshape(2, 3)
    mask = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    np.testing.assert_array_equal(answers.dropout_forward(X, 0.5, mask, True), X * mask * 2)
    np.testing.assert_array_equal(answers.dropout_forward(X, 0.5, mask, False), X)
    np.testing.assert_array_equal(answers.dropout_backward(X, 0.5, mask), X * mask * 2)


def test_adams_hidden_cases_make_eps_inside_the_root_and_a_missing_correction_visible():
    question = QUESTIONS["adam_step"]
    rng = np.random.default_rng(0)
    randoms = [question.make_case(rng) for _ in range(20)]
    assert all(1e-4 <= case[8] <= 1e-2 for case in randoms)  # eps large enough to matter inside the root
    assert len({case[4] for case in randoms}) > 5  # t varies, so does the bias correction
    tiny = next(c for c in question.edge_cases(rng) if c.label == "tiny gradients at the first step").args
    inside = next(m for m in question.mistakes if m.name == "eps inside the square root")
    assert not np.allclose(inside.fn(*tiny)[0], optimizers.adam_step(*tiny)[0], rtol=1e-6, atol=1e-9)


def test_batchnorms_edge_cases_show_the_divisor_and_eps():
    question = QUESTIONS["batchnorm_forward"]
    edges = {c.label: c.args for c in question.edge_cases(np.random.default_rng(1))}
    assert edges["two examples"][0].shape[0] == 2
    assert np.ptp(edges["a constant feature"][0][:, 0]) == 0.0  # variance 0: only eps keeps x_hat finite
    assert np.all(np.isfinite(answers.batchnorm_forward(*edges["a constant feature"])))


def test_every_gradient_question_of_a6_names_what_its_outputs_are_gradients_of():
    for qid, names in (("l2_gradients", ["dW1", "db1", "dW2", "db2", "dW3", "db3"]),
                       ("batchnorm_backward", ["dX", "dgamma", "dbeta"]),
                       ("network_gradients", ["dW1", "db1", "dgamma", "dbeta", "dW2", "db2"])):
        assert [name for name, _ in QUESTIONS[qid].wrt] == names


# --------------------------------------------------------------------------- choose_l2, judged
def _solution_choose_l2():
    """The solution notebook's choose_l2, with the given code and the answers it calls."""
    import json
    from pathlib import Path

    notebook = json.loads((Path(__file__).resolve().parents[1] / "solutions" / "a6_training_well" /
                           "training_well.ipynb").read_text())
    namespace = {"np": np}
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") in ("helpers", "l2_penalty_answer",
                                                                     "l2_gradients_answer", "choose_l2_answer"):
            exec("".join(cell["source"]), namespace)  # noqa: S102 - the course's own solution
    return namespace["choose_l2"]


def _choice_scored(answer, student: str):
    """The question result of ``answer`` (run here on the student's hidden cases) as the grader scores it."""
    from autograder.checks.compare import as_tree
    from autograder.course.cases import submission_key
    from autograder.course.config import load_course
    from autograder.grading.pipeline import plan, score_question
    from autograder.sandbox import CallOutcome

    course = load_course()
    spec = next(q for q in course.assignment("a6_training_well").questions if q.id == "choose_l2")
    cases = plan(course, "a6_training_well", student, [spec], submission=submission_key([]))
    outcomes = [CallOutcome("ok", as_tree(answer(*p.case.args)), "") for p in cases]
    return score_question(spec, cases, outcomes, course.limits.call_timeout_s), cases


def test_the_solutions_choose_l2_gets_full_marks_for_every_student():
    choose_l2 = _solution_choose_l2()
    for k in range(3):
        result, _ = _choice_scored(choose_l2, f"student-{k}")
        assert result.score == result.max_score, result.feedback


@pytest.mark.parametrize("name", sorted({m.name for m in QUESTIONS["choose_l2"].mistakes}))
def test_each_registered_choice_mistake_loses_points_and_is_named(name):
    for mistake in (m for m in QUESTIONS["choose_l2"].mistakes if m.name == name):
        result, cases = _choice_scored(mistake.fn, "student-mistaken")
        assert result.score < result.max_score
        assert [found["id"] for found in result.mistakes] == [name], result.feedback
        assert f"Recognised mistake: {mistake.message}" in result.feedback
        hidden = {f"{value:.4f}" for planned in cases for run in planned.case.held_out["runs"]
                  for value in (run.val_loss, run.test_loss)}
        hidden |= {str(lam) for planned in cases for lam in planned.case.args[7] if lam != int(lam)}
        assert not [number for number in hidden if number in result.feedback], result.feedback


def test_each_random_case_tells_every_mistaken_choice_from_the_stated_one():
    from autograder.questions.a6_training_well import _telling

    question = QUESTIONS["choose_l2"]
    rng = np.random.default_rng(3)
    randoms = [question.random_case(rng) for _ in range(6)]
    assert all(_telling(case.held_out["runs"]) for case in randoms)
    assert len({len(case.args[7]) for case in randoms}) == 2 and len({case.args[9] for case in randoms}) > 3
    shuffled, tie = question.edge_cases(rng)
    for case in (shuffled, tie):  # neither the first nor the last lambda is the smallest or the largest
        lambdas = case.args[7]
        assert not {lambdas[0], lambdas[-1]} & {min(lambdas), max(lambdas)}
    assert tie.args[9] == 0 and len({run.val_loss for run in tie.held_out["runs"]}) == 1


def test_choose_l2_trains_from_the_same_start_and_compares_the_data_loss_without_the_penalty():
    from nn_core import regularization

    case = QUESTIONS["choose_l2"].random_case(np.random.default_rng(4))
    X_train, Y_train, X_val, Y_val, X_test, Y_test, start, lambdas, lr, steps = case.args
    before = [(W.copy(), b.copy()) for W, b in start]
    best, val_losses, test_loss = regularization.choose_l2(*case.args)
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(start, before))
    for lam, loss in zip(lambdas, val_losses):
        trained = regularization.fit_l2(X_train, Y_train, start, lam, lr, steps)
        assert loss == regularization.data_loss(trained, X_val, Y_val)
    index = int(np.argmin(val_losses))
    assert best == lambdas[index]
    assert test_loss == regularization.data_loss(regularization.fit_l2(X_train, Y_train, start, best, lr, steps),
                                                 X_test, Y_test)
    # one step by hand: the data gradient plus (lam / m) W, the biases without decay
    one = regularization.fit_l2(X_train, Y_train, start, 2.0, lr, 1)
    grads = answers.backprop(X_train, Y_train, start)
    m = len(X_train)
    for (W, b), (W0, b0), (dW, db) in zip(one, start, grads):
        assert np.allclose(W, W0 - lr * (dW + 2.0 / m * W0), rtol=1e-12, atol=1e-15)
        assert np.allclose(b, b0 - lr * db, rtol=1e-12, atol=1e-15)


def test_the_judges_messages_hold_no_number():
    """Fixed texts: no decimal number (the pattern by which the grader withholds a message that may echo
    a hidden input), so nothing a hidden case decides."""
    import re

    from autograder.checks.judged import CHOICE_MESSAGES

    for message in [*CHOICE_MESSAGES.values(), *(m.message for m in QUESTIONS["choose_l2"].mistakes)]:
        assert not re.search(r"\d\.\d|\de[-+]?\d", message), message


def test_the_visible_check_of_choose_l2_judges_as_the_grader(capsys):
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "assignments" / "a6_training_well"
    spec = importlib.util.spec_from_file_location("a6_checks", path / "checks.py")
    checks = importlib.util.module_from_spec(spec)
    sys.modules["a6_checks"] = checks
    try:
        spec.loader.exec_module(checks)
        choose_l2 = _solution_choose_l2()
        checks.check("choose_l2", choose_l2, path=str(path / "public_cases.json"))
        assert "choose_l2: all 3 visible checks passed" in capsys.readouterr().out
        argmax = next(m for m in QUESTIONS["choose_l2"].mistakes if m.name == "argmax instead of argmin")
        with pytest.raises(AssertionError, match="Recognised mistake: you chose the lambda with the HIGHEST"):
            checks.check("choose_l2", argmax.fn, path=str(path / "public_cases.json"))

        def in_place(X_train, Y_train, X_val, Y_val, X_test, Y_test, params, lambdas, lr, steps):
            result = choose_l2(X_train, Y_train, X_val, Y_val, X_test, Y_test, params, lambdas, lr, steps)
            params[0][0][:] = 0.0
            return result
        with pytest.raises(AssertionError, match="modified the arrays it was given"):
            checks.check("choose_l2", in_place, path=str(path / "public_cases.json"))
    finally:
        del sys.modules["a6_checks"]
