"""nn_core.conventions: the notes' two weight conventions translate exactly, and maxout networks'
parameter counts."""
import numpy as np
import pytest

from nn_core import activations, conventions, network
from nn_core.activations import sigmoid, softmax
from nn_core.gradcheck import numerical_gradient
from nn_core.losses import cce


def params_004(sizes, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


SIZES = [[5, 10, 20, 3], [3, 3, 3], [4, 2], [2, 7, 1, 4, 3]]


@pytest.mark.parametrize("sizes", SIZES)
def test_to_course_convention_is_an_exact_transpose_with_the_biases_unchanged(sizes):
    given = params_004(sizes)
    translated = conventions.to_course_convention(given)
    assert [(W.shape, b.shape) for W, b in translated] == network.layer_shapes(sizes)
    for (W_004, b_004), (W, b) in zip(given, translated):
        n_in, n_out = W_004.shape
        assert all(W[j, i] == W_004[i, j] for i in range(n_in) for j in range(n_out))  # input i -> neuron j
        assert np.array_equal(b, b_004)


def test_the_translation_returns_new_arrays_and_leaves_its_argument_alone():
    given = params_004([4, 3, 2])
    copies = [(W.copy(), b.copy()) for W, b in given]
    translated = conventions.to_course_convention(given)
    translated[0][0][...] = 0.0
    translated[0][1][...] = 0.0
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(given, copies))


@pytest.mark.parametrize("sizes", SIZES)
def test_translating_there_and_back_gives_the_same_numbers(sizes):
    given = params_004(sizes)
    back = conventions.to_004_convention(conventions.to_course_convention(given))
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(back, given))


@pytest.mark.parametrize("sizes", SIZES)
def test_forward_004_equals_the_course_forward_of_the_translation_exactly(sizes):
    given = params_004(sizes, seed=1)
    X = np.random.default_rng(2).normal(size=(6, sizes[0]))
    course = network.forward(conventions.to_course_convention(given), X, "sigmoid", "softmax").A[-1]
    assert np.array_equal(conventions.forward_004(X, given), course)


def test_forward_004_is_note_004s_column_form_example_by_example():
    """z = W^T h + b for one column example, with W of shape (n_(l-1), n_l)."""
    given = params_004([5, 10, 20, 3], seed=3)
    X = np.random.default_rng(4).normal(size=(5, 5))
    rows = []
    for x in X:
        h = x.reshape(-1, 1)
        for index, (W, b) in enumerate(given):
            z = W.T @ h + b.reshape(-1, 1)
            h = softmax(z.T).T if index == len(given) - 1 else sigmoid(z)
        rows.append(h.ravel())
    np.testing.assert_allclose(conventions.forward_004(X, given), np.array(rows), rtol=1e-13, atol=1e-15)


def test_note_004s_backprop_formulas_are_right_in_note_004s_convention():
    """delta^l = (W^(l+1) delta^(l+1)) * sigma'(z^l) and dL/dW^l = a^(l-1) (delta^l)^T with W (n_in, n_out)
    are the transposes of the course's gradients: neither convention is an error."""
    sizes = [4, 6, 5, 3]
    given = params_004(sizes, seed=5)
    x = np.random.default_rng(6).normal(size=4)
    y = np.eye(3)[1]
    a, z = [x.reshape(-1, 1)], []
    for index, (W, b) in enumerate(given):
        z.append(W.T @ a[-1] + b.reshape(-1, 1))
        a.append(softmax(z[-1].T).T if index == len(given) - 1 else sigmoid(z[-1]))
    delta = a[-1] - y.reshape(-1, 1)
    grads_004 = [None] * len(given)
    for k in range(len(given) - 1, -1, -1):
        grads_004[k] = (a[k] @ delta.T, delta.ravel())                       # a^(l-1) (delta^l)^T
        if k:
            delta = (given[k][0] @ delta) * activations.sigmoid_prime(z[k - 1])  # (W^(l+1) delta^(l+1)) * sigma'
    course = network.backward_single(conventions.to_course_convention(given), x, y, "sigmoid", "softmax", "cce")
    for (dW_004, db_004), (dW, db) in zip(grads_004, course):
        np.testing.assert_allclose(dW_004, dW.T, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(db_004, db, rtol=1e-12, atol=1e-14)
    W_004 = given[0][0]
    numeric = numerical_gradient(lambda _: cce(conventions.forward_004(x[None, :], given), y[None, :]), W_004)
    np.testing.assert_allclose(grads_004[0][0], numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("sizes", SIZES)
def test_maxout_count_with_one_piece_is_the_plain_count(sizes):
    assert conventions.param_count_maxout(sizes, 1) == network.param_count(sizes)


@pytest.mark.parametrize("k", [1, 2, 3, 7])
def test_maxout_count_of_the_lecture_network_is_280_k_plus_63(k):
    count = conventions.param_count_maxout([5, 10, 20, 3], k)
    assert count == 280 * k + 63 and isinstance(count, int)


def test_maxout_count_is_the_size_of_the_arrays_a_two_piece_maxout_network_uses():
    """Build the 5-10-20-3 network with activations.maxout hidden layers (k = 2) and count its arrays."""
    sizes, rng = [5, 10, 20, 3], np.random.default_rng(7)
    hidden = [[(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)) for _ in range(2)]
              for n_in, n_out in zip(sizes[:-2], sizes[1:-1])]
    W_out, b_out = rng.normal(size=(3, 20)), rng.normal(size=3)
    A = rng.normal(size=(4, 5))
    for (W1, b1), (W2, b2) in hidden:
        A = activations.maxout(A, W1, b1, W2, b2)                              # one value per unit
    assert softmax(A @ W_out.T + b_out).shape == (4, 3)
    arrays = [x for layer in hidden for piece in layer for x in piece] + [W_out, b_out]
    assert sum(x.size for x in arrays) == conventions.param_count_maxout(sizes, 2)


def test_a_network_without_hidden_layers_has_no_maxout_units():
    assert conventions.param_count_maxout([6, 4], 5) == network.param_count([6, 4]) == 28
