"""nn_core: the course's reference implementation of neural networks and backpropagation.

Pure numpy, float64. Where each formula of the lecture notes lives:

==========================  ==============================================================
``nn_core.activations``     sigmoid, tanh, ReLU, leaky ReLU, linear, maxout, softmax and
                            their derivatives; registry ``ACTIVATIONS``
``nn_core.losses``          MSE, Huber, pseudo-Huber, BCE, CCE (``Loss`` objects and plain
                            functions); registry ``LOSSES``
``nn_core.deltas``          delta^L (general and closed forms), the hidden recurrence;
                            ``CLOSED_FORM_DELTAS``, ``VALID_PAIRINGS``
``nn_core.network``         layer shapes, parameter count, init, forward, backward, ``MLP``
``nn_core.conventions``     the notes' two weight conventions (course / note 004), maxout
                            parameter counts
``nn_core.two_layer``       the notes' two-layer chain-rule derivations, formula by formula
``nn_core.optim``           the line fit, gradient-descent step, mini-batches, training loop
``nn_core.gradcheck``       central-difference gradient checking
``nn_core.data``            digits, breast cancer and diabetes splits; one_hot, accuracy, r2;
                            ``train_val_test_split``
``nn_core.regularization``  L2: ``lambda/(2m) sum ||W||^2`` over weights (biases excluded),
                            its gradient ``(lambda/m) W``, ``add_l2``; ``fit_l2``, ``l2_sweep``
                            and ``choose_l2``: lambda chosen on a validation split
``nn_core.optimizers``      SGD, momentum, RMSProp, Adam (bias correction, eps outside the
                            root): pure step functions and in-place ``Optimizer`` objects
``nn_core.layers``          forward/backward pairs with a cache: linear, ReLU, sigmoid,
                            inverted dropout, batch norm, softmax cross-entropy
``nn_core.sequential``      a network as a list of layer objects (``Dense``, ``BatchNorm``,
                            ``ReLU``, ``Sigmoid``, ``Dropout``), ``mlp``, ``fit``
``nn_core.sanity``          initial loss near ln C; overfitting 20 examples
``nn_core.initialisation``  zeros, too large, He; per-layer statistics of each
``nn_core.answers``         the graded questions' references with the students' signatures
``nn_core.demo``            ``python -m nn_core.demo``: trains the reference networks
==========================  ==============================================================

Mistakes in the lecture notes and their corrections: ``docs/errata.md``.
"""
from .activations import (
    ACTIVATIONS,
    HIDDEN_ACTIVATIONS,
    Activation,
    leaky_relu,
    leaky_relu_prime,
    linear,
    linear_prime,
    maxout,
    maxout_backward,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    sigmoid_prime_from_output,
    softmax,
    softmax_backward,
    softmax_jacobian,
    tanh,
    tanh_prime,
    tanh_via_sigmoid,
)
from .conventions import forward_004, param_count_maxout, to_004_convention, to_course_convention
from .data import Dataset, accuracy, load_breast_cancer, load_diabetes, load_digits, one_hot, r2_score
from .deltas import (
    CLOSED_FORM_DELTAS,
    VALID_PAIRINGS,
    delta_bce_sigmoid,
    delta_cce_softmax,
    delta_huber_linear,
    delta_mse_linear,
    delta_mse_sigmoid,
    delta_pseudo_huber_linear,
    hidden_delta,
    output_delta,
)
from .gradcheck import check_gradient, numerical_gradient, relative_error
from .losses import (
    EPS,
    LOSSES,
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Huber,
    Loss,
    MeanSquaredError,
    PseudoHuber,
    bce,
    bce_gradient,
    cce,
    cce_gradient,
    huber,
    huber_gradient,
    mse,
    mse_gradient,
    pseudo_huber,
    pseudo_huber_gradient,
)
from .network import (
    MLP,
    Cache,
    backward,
    backward_single,
    dense_forward,
    forward,
    init_params,
    layer_gradients,
    layer_shapes,
    param_count,
)
from .optim import fit_line, gd_step, line_fit_gradient, line_fit_loss, minibatches, predict_classes, train
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum, Optimizer, RMSProp, adam_step, momentum_step, rmsprop_step
from .regularization import add_l2, l2_gradient, l2_penalty
from .sequential import BatchNorm, Dense, Dropout, ReLU, Sequential, Sigmoid, fit, mlp

__all__ = [
    # activations
    "ACTIVATIONS", "HIDDEN_ACTIVATIONS", "Activation",
    "sigmoid", "sigmoid_prime", "sigmoid_prime_from_output", "tanh", "tanh_prime", "tanh_via_sigmoid",
    "relu", "relu_prime", "leaky_relu", "leaky_relu_prime", "linear", "linear_prime",
    "maxout", "maxout_backward", "softmax", "softmax_jacobian", "softmax_backward",
    # losses
    "LOSSES", "EPS", "Loss", "MeanSquaredError", "Huber", "PseudoHuber",
    "BinaryCrossEntropy", "CategoricalCrossEntropy",
    "mse", "mse_gradient", "huber", "huber_gradient", "pseudo_huber", "pseudo_huber_gradient",
    "bce", "bce_gradient", "cce", "cce_gradient",
    # deltas
    "CLOSED_FORM_DELTAS", "VALID_PAIRINGS", "output_delta", "hidden_delta",
    "delta_mse_linear", "delta_mse_sigmoid", "delta_bce_sigmoid", "delta_cce_softmax",
    "delta_huber_linear", "delta_pseudo_huber_linear",
    # network
    "MLP", "Cache", "layer_shapes", "param_count", "init_params", "dense_forward", "forward",
    "backward", "backward_single", "layer_gradients",
    # conventions
    "to_course_convention", "to_004_convention", "forward_004", "param_count_maxout",
    # optim
    "line_fit_loss", "line_fit_gradient", "fit_line", "gd_step", "minibatches", "train",
    "predict_classes",
    # optimizers
    "OPTIMIZERS", "Optimizer", "SGD", "Momentum", "RMSProp", "Adam", "momentum_step", "rmsprop_step", "adam_step",
    # regularization
    "l2_penalty", "l2_gradient", "add_l2",
    # sequential (layers' functions: nn_core.layers; sanity checks: nn_core.sanity)
    "Sequential", "Dense", "BatchNorm", "ReLU", "Sigmoid", "Dropout", "mlp", "fit",
    # gradcheck
    "numerical_gradient", "relative_error", "check_gradient",
    # data
    "Dataset", "load_digits", "load_breast_cancer", "load_diabetes", "one_hot", "accuracy", "r2_score",
]
