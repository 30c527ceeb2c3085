"""Reference answers with exactly the students' signatures, one per graded question.

``docs/design.md`` ("The graded functions") fixes the signature students implement for each
question in ``course.yml``; the autograder compares a student's function with the reference
called on the same arguments. Most references are the ``nn_core`` functions themselves;
where the reference library has a more general signature, this module adapts it:

* ``forward(X, params)``: sigmoid hidden layers, softmax output, returns ``A^L`` only
  (:func:`nn_core.network.forward` takes the activations and returns the whole cache).
* ``hidden_delta(delta_next, W_next, g_prime_Z)``: takes ``g'(Z)`` already evaluated
  (:func:`nn_core.deltas.hidden_delta` takes ``Z`` and an activation name).
* ``backprop(X, Y, params)``: ReLU hidden, softmax output, CCE.
* ``fit_line(x, y, lr, epochs)``: returns ``(a0, a1)`` without the loss history.
* ``numerical_gradient(f, x, h=1e-5)``: works on a copy of ``x`` (the student's contract:
  ``x`` unchanged), with the students' name for the step.
* ``train(X, Y, sizes, output, lr, epochs, batch_size, seed)``: :func:`nn_core.training.train_network`
  for the network of the output activation ``output``, params only.
* a6's ``split_rows(X, Y, seed, n_val, n_test)``: :func:`nn_core.data.train_val_test_split` with
  counts of rows (no rounding of fractions to argue about) and a seed; ``dropout_forward(X, keep_prob, mask, training)``, ``dropout_backward(dout, keep_prob, mask)``,
  ``batchnorm_forward(X, gamma, beta, eps)``, ``batchnorm_backward(dout, X, gamma, beta, eps)``:
  :mod:`nn_core.layers` without the cache (only data crosses into the student's process, so the
  backward recomputes what it needs from the forward's inputs); ``network_gradients(X, Y, params,
  mask, keep_prob)``: the gradients of the notebook's network of five layers, built from them.

``ANSWERS`` maps each question's ``function`` name in ``course.yml`` to its reference.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import (activations, conventions, data, deltas, gradcheck, layers, losses, network, optim, optimizers,
               regularization, training, two_layer)

Array = np.ndarray
Params = list[tuple[Array, Array]]


def forward(X: Array, params: Params) -> Array:
    """Output ``A^L`` (m, n_out) of a network with sigmoid hidden layers and a softmax output.

    Parameters
    ----------
    X : ndarray, shape (m, n_in)
    params : list of ``(W, b)``, W shape (n_out, n_in), b shape (n_out,)
    """
    return network.forward(params, X, hidden="sigmoid", output="softmax").A[-1]


def hidden_delta(delta_next: Array, W_next: Array, g_prime_Z: Array) -> Array:
    """``(delta_next @ W_next) * g_prime_Z``, shape (m, n_l).

    Parameters
    ----------
    delta_next : ndarray, shape (m, n_(l+1))
    W_next : ndarray, shape (n_(l+1), n_l)
    g_prime_Z : ndarray, shape (m, n_l), the activation's derivative at this layer's Z
    """
    return (delta_next @ W_next) * g_prime_Z


def backprop(X: Array, Y: Array, params: Params) -> Params:
    """Gradients of the mean CCE of a ReLU-hidden, softmax-output network: list of ``(dW, db)``.

    Parameters
    ----------
    X : ndarray, shape (m, n_in)
    Y : ndarray, shape (m, C), one-hot
    params : list of ``(W, b)``
    """
    cache = network.forward(params, X, hidden="relu", output="softmax")
    return network.backward(params, cache, Y, hidden="relu", output="softmax", loss="cce")


def fit_line(x: Array, y: Array, lr: float, epochs: int) -> tuple[float, float]:
    """Full-batch gradient descent on the line fit from ``a0 = a1 = 0``: returns ``(a0, a1)``."""
    a0, a1, _history = optim.fit_line(x, y, lr, epochs)
    return a0, a1


def numerical_gradient(f: Callable[[Array], float], x: Array, h: float = gradcheck.STEP) -> Array:
    """Central-difference gradient of ``f`` at ``x`` (shape of ``x``); ``x`` is left unchanged."""
    return gradcheck.numerical_gradient(f, np.array(x, dtype=np.float64), h)


#: The output activation of each of the notes' networks -> its task in :data:`nn_core.training.NETWORKS`.
TASK_OF_OUTPUT = {output: task for task, (output, _loss) in training.NETWORKS.items()}


def train(X: Array, Y: Array, sizes: list[int], output: str, lr: float, epochs: int, batch_size: int,
          seed: int) -> Params:
    """The network of sizes ``sizes`` (ReLU hidden layers, output activation ``output``: ``"linear"``,
    ``"sigmoid"`` or ``"softmax"``, with MSE, BCE, CCE) trained by mini-batch gradient descent from
    ``init_params(sizes, seed)``: list of ``(W, b)``.

    Parameters
    ----------
    X : ndarray, shape (m, n_0)
    Y : ndarray, shape (m, n_L)
    sizes : list of int
    output : str
    lr : float
    epochs, batch_size, seed : int
    """
    return training.train_network(X, Y, sizes, TASK_OF_OUTPUT[output], lr, epochs, batch_size, seed)[0]


def _network(task: str) -> Callable[..., Params]:
    def trained(X: Array, Y: Array, sizes: list[int], lr: float, epochs: int, batch_size: int, seed: int) -> Params:
        return training.train_network(X, Y, sizes, task, lr, epochs, batch_size, seed)[0]
    trained.__name__ = f"train_{task}"
    trained.__doc__ = f"``train`` with the {task} network's output: list of ``(W, b)``."
    return trained


#: The notebook's three networks as functions of their own (the second edition graded them as three
#: questions; ``train`` is graded once now): the independent corpora (tests/corpus_fresh,
#: tests/corpus_heldout) check their labels of every ``train`` through them.
NETWORK_TRAINERS: dict[str, Callable[..., Params]] = {f"train_{task}": _network(task) for task in training.NETWORKS}


def split_rows(X: Array, Y: Array, seed: int, n_val: int, n_test: int) -> tuple[Array, ...]:
    """:func:`nn_core.data.train_val_test_split` with the numbers of validation and test rows given:
    one ``np.random.default_rng(seed).permutation(m)``, its first ``n_test`` rows the test part, the
    next ``n_val`` the validation part, the rest the training part.

    Parameters
    ----------
    X : ndarray, shape (m, n)
    Y : ndarray, shape (m, k)
    seed : int
    n_val, n_test : int >= 0, with n_val + n_test < m

    Returns
    -------
    (X_train, Y_train, X_val, Y_val, X_test, Y_test)
    """
    m = np.shape(X)[0]
    return tuple(data.train_val_test_split(X, Y, np.random.default_rng(seed), n_val / m, n_test / m))


def dropout_forward(X: Array, keep_prob: float, mask: Array, training: bool) -> Array:
    """Inverted dropout with a given mask: ``X * mask / keep_prob`` in training, ``X`` at test time.

    Parameters
    ----------
    X : ndarray, shape (m, n)
    keep_prob : float in (0, 1], the probability that a unit is kept
    mask : ndarray of 0.0 / 1.0, shape (m, n), the units kept in training
    training : bool

    Returns
    -------
    ndarray, shape (m, n)
    """
    return layers.dropout_forward(X, keep_prob, training=bool(training), mask=mask)[0]


def dropout_backward(dout: Array, keep_prob: float, mask: Array) -> Array:
    """Backward of :func:`dropout_forward` in training: ``dout * mask / keep_prob``, shape (m, n)."""
    return layers.dropout_backward(np.asarray(dout, dtype=np.float64), (np.asarray(mask, dtype=np.float64), keep_prob))


def batchnorm_forward(X: Array, gamma: Array, beta: Array, eps: float = layers.BN_EPS) -> Array:
    """Batch normalisation in training mode (batch mean and variance, divisor m): ``out``, shape (m, n).

    Parameters
    ----------
    X : ndarray, shape (m, n)
    gamma, beta : ndarray, shape (n,)
    eps : float, added to the variance inside the square root
    """
    return layers.batchnorm_forward(X, gamma, beta, eps)[0]


def batchnorm_backward(dout: Array, X: Array, gamma: Array, beta: Array,
                       eps: float = layers.BN_EPS) -> tuple[Array, Array, Array]:
    """Gradients ``(dX, dgamma, dbeta)`` of a loss whose gradient in :func:`batchnorm_forward`'s
    output is ``dout`` (shapes (m, n), (n,), (n,)), through the batch mean and variance too.

    Parameters
    ----------
    dout : ndarray, shape (m, n), d loss / d out
    X, gamma, beta, eps : the forward's inputs
    """
    return layers.batchnorm_backward(dout, layers.batchnorm_forward(X, gamma, beta, eps)[1])


def network_forward(X: Array, params: Params, mask: Array, keep_prob: float) -> tuple[Array, list]:
    """The notebook's network in training mode: linear, ReLU, batch norm, inverted dropout, linear.

    Parameters
    ----------
    X : ndarray, shape (m, n_0)
    params : ``[(W1, b1), (gamma, beta), (W2, b2)]``: W1 (n_1, n_0), b1, gamma, beta (n_1,),
        W2 (C, n_1), b2 (C,)
    mask : ndarray of 0.0 / 1.0, shape (m, n_1), dropout's kept units
    keep_prob : float in (0, 1]

    Returns
    -------
    scores : ndarray, shape (m, C), the last layer's output (before softmax)
    caches : the five layers' caches, first layer first
    """
    (W1, b1), (gamma, beta), (W2, b2) = params
    out, c1 = layers.linear_forward(X, W1, b1)
    out, c2 = layers.relu_forward(out)
    out, c3 = layers.batchnorm_forward(out, gamma, beta)
    out, c4 = layers.dropout_forward(out, keep_prob, training=True, mask=mask)
    scores, c5 = layers.linear_forward(out, W2, b2)
    return scores, [c1, c2, c3, c4, c5]


def network_loss(X: Array, Y: Array, params: Params, mask: Array, keep_prob: float) -> float:
    """Mean cross-entropy of softmax(:func:`network_forward`'s scores) against one-hot ``Y`` (m, C)."""
    return layers.softmax_cross_entropy(network_forward(X, params, mask, keep_prob)[0], Y)[0]


def network_gradients(X: Array, Y: Array, params: Params, mask: Array, keep_prob: float) -> Params:
    """Gradients of :func:`network_loss`: ``[(dW1, db1), (dgamma, dbeta), (dW2, db2)]``, each shaped
    like its parameter; the backward passes of the five layers chained in reverse."""
    scores, (c1, c2, c3, c4, c5) = network_forward(X, params, mask, keep_prob)
    _, dscores = layers.softmax_cross_entropy(scores, Y)
    dout, dW2, db2 = layers.linear_backward(dscores, c5)
    dout = layers.dropout_backward(dout, c4)
    dout, dgamma, dbeta = layers.batchnorm_backward(dout, c3)
    dout = layers.relu_backward(dout, c2)
    _, dW1, db1 = layers.linear_backward(dout, c1)
    return [(dW1, db1), (dgamma, dbeta), (dW2, db2)]


ANSWERS: dict[str, Callable] = {
    # a1_activations
    "sigmoid": activations.sigmoid,
    "sigmoid_prime": activations.sigmoid_prime,
    "tanh": activations.tanh,
    "tanh_prime": activations.tanh_prime,
    "relu": activations.relu,
    "relu_prime": activations.relu_prime,
    "leaky_relu": activations.leaky_relu,
    "leaky_relu_prime": activations.leaky_relu_prime,
    "maxout": activations.maxout,
    "softmax": activations.softmax,
    "softmax_jacobian": activations.softmax_jacobian,
    "numerical_gradient": numerical_gradient,
    # a2_feedforward
    "layer_shapes": network.layer_shapes,
    "param_count": network.param_count,
    "dense_forward": network.dense_forward,
    "forward": forward,
    "param_count_maxout": conventions.param_count_maxout,
    "to_course_convention": conventions.to_course_convention,
    "forward_004": conventions.forward_004,
    # a3_two_layer
    "regression_gradients": two_layer.regression_gradients,
    "homework_gradients": two_layer.homework_gradients,
    "binary_gradients": two_layer.binary_gradients,
    "binary_relu_gradients": two_layer.binary_relu_gradients,
    "line_fit_gradient": optim.line_fit_gradient,
    "fit_line": fit_line,
    "gd_step": optim.gd_step,
    # a4_losses_backprop
    "mse": losses.mse,
    "mse_gradient": losses.mse_gradient,
    "huber": losses.huber,
    "huber_gradient": losses.huber_gradient,
    "pseudo_huber": losses.pseudo_huber,
    "pseudo_huber_gradient": losses.pseudo_huber_gradient,
    "bce": losses.bce,
    "bce_gradient": losses.bce_gradient,
    "cce": losses.cce,
    "cce_gradient": losses.cce_gradient,
    "delta_mse_linear": deltas.delta_mse_linear,
    "delta_mse_sigmoid": deltas.delta_mse_sigmoid,
    "delta_bce_sigmoid": deltas.delta_bce_sigmoid,
    "delta_cce_softmax": deltas.delta_cce_softmax,
    "delta_huber_linear": deltas.delta_huber_linear,
    "delta_pseudo_huber_linear": deltas.delta_pseudo_huber_linear,
    "hidden_delta": hidden_delta,
    "layer_gradients": network.layer_gradients,
    "backprop": backprop,
    "predict_classes": optim.predict_classes,
    "gradient_errors": network.gradient_errors,
    # a5_training
    "init_params": training.init_params,
    "train": train,
    **NETWORK_TRAINERS,
    # a6_training_well
    "split_rows": split_rows,
    "choose_l2": regularization.choose_l2,
    "l2_penalty": regularization.l2_penalty,
    "l2_gradients": regularization.l2_gradient,
    "momentum_step": optimizers.momentum_step,
    "adam_step": optimizers.adam_step,
    "dropout_forward": dropout_forward,
    "dropout_backward": dropout_backward,
    "batchnorm_forward": batchnorm_forward,
    "batchnorm_backward": batchnorm_backward,
    "network_gradients": network_gradients,
}
