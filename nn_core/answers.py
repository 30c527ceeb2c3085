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

``ANSWERS`` maps each question's ``function`` name in ``course.yml`` to its reference.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import activations, conventions, deltas, gradcheck, losses, network, optim, training, two_layer

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
}
