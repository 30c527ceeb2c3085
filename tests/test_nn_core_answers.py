"""nn_core.answers: a reference with the students' signature for every graded question."""
import inspect
from pathlib import Path

import numpy as np
import pytest
import yaml

from nn_core import answers, network, optim
from nn_core.activations import relu_prime

COURSE = yaml.safe_load((Path(__file__).resolve().parents[1] / "course.yml").read_text())
GRADED = [
    question["function"]
    for assignment in COURSE["assignments"]
    for notebook in assignment["notebooks"]
    for question in notebook["questions"]
]


def test_every_graded_function_in_course_yml_has_a_reference_answer():
    missing = [name for name in GRADED if name not in answers.ANSWERS]
    assert missing == []
    assert all(callable(answers.ANSWERS[name]) for name in GRADED)


@pytest.mark.parametrize(
    "name,parameters",
    [
        ("forward", ["X", "params"]),
        ("hidden_delta", ["delta_next", "W_next", "g_prime_Z"]),
        ("backprop", ["X", "Y", "params"]),
        ("fit_line", ["x", "y", "lr", "epochs"]),
        ("layer_gradients", ["delta", "A_prev"]),
        ("leaky_relu", ["z", "slope"]),
        ("huber", ["Y_hat", "Y", "c"]),
        ("delta_huber_linear", ["A", "Y", "c"]),
        ("regression_gradients", ["X", "Y", "W1", "b1", "W2", "b2"]),
        ("maxout", ["X", "W1", "b1", "W2", "b2"]),
    ],
)
def test_reference_answers_take_the_students_arguments(name, parameters):
    assert list(inspect.signature(answers.ANSWERS[name]).parameters) == parameters


def test_graded_forward_is_sigmoid_hidden_softmax_output():
    rng = np.random.default_rng(0)
    params = network.init_params([4, 5, 3], seed=0, hidden="sigmoid")
    X = rng.normal(size=(6, 4))
    expected = network.forward(params, X, "sigmoid", "softmax").A[-1]
    np.testing.assert_array_equal(answers.forward(X, params), expected)


def test_graded_backprop_is_relu_softmax_cce_backward():
    rng = np.random.default_rng(1)
    net = network.MLP([4, 5, 3], hidden="relu", output="softmax", loss="cce", seed=2)
    X, Y = rng.normal(size=(6, 4)), np.eye(3)[rng.integers(0, 3, size=6)]
    for (dW, db), (eW, eb) in zip(answers.backprop(X, Y, net.params), net.gradients(X, Y)):
        np.testing.assert_array_equal(dW, eW)
        np.testing.assert_array_equal(db, eb)


def test_graded_hidden_delta_takes_g_prime_of_z():
    rng = np.random.default_rng(2)
    delta, W, Z = rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), rng.normal(size=(3, 4))
    np.testing.assert_allclose(answers.hidden_delta(delta, W, relu_prime(Z)), (delta @ W) * (Z > 0))


def test_graded_fit_line_returns_the_pair_of_the_history_version():
    x, y = np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 3.0, 5.0, 7.0])
    a0, a1, _ = optim.fit_line(x, y, 0.05, 200)
    assert answers.fit_line(x, y, 0.05, 200) == (a0, a1)
