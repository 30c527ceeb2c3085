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
