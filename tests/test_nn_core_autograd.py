"""Every backward pass of nn_core against autograd, an independent autodiff, in float64 and in CI.

HIPS ``autograd`` (the test extra: pure Python over numpy, so ``make test`` on a fresh clone
has it) differentiates forward computations written here in ``autograd.numpy`` straight from
the definitions (``x W^T + b``, ``max(0, x)``, the batch's mean and biased variance, the
losses' formulas, ...); nn_core's hand-written backward passes must give the same gradient:

* training well (a6): ``nn_core.layers`` (linear, ReLU, sigmoid, inverted dropout with the
  mask of its own forward, batch normalisation in training mode, softmax cross-entropy),
  ``nn_core.sequential`` networks with dropout and batch norm, their gradient with the L2 term,
  and ``nn_core.regularization``'s penalty and gradient;
* backpropagation (a4): ``nn_core.network.backward`` for every hidden activation and every
  (output, loss) pairing, ``backward_single``, ``nn_core.deltas``' closed forms, general form and
  hidden recurrence, and every loss of ``nn_core.losses``;
* the notes' two-layer networks (a3): ``nn_core.two_layer``'s four gradients at once and each
  formula of the notes one parameter at a time.

Each agrees to a relative error (``nn_core.gradcheck.relative_error``) of ``TOL = 1e-12`` or
better; the worst measured over the module's 338 comparisons is 1.4e-15 (a4's backpropagation with
linear hidden units and a sigmoid output under BCE), about 700 times inside. The central
differences of the other ``test_nn_core_*`` modules check the same code to 1e-7 only. Each test
function fails for a backward broken on purpose (a missing ``1/m``, batch norm without its path
through the mean or with the variance's divisor ``m - 1``, dropout without ``1/keep_prob``, L2 on
the biases, ``g'`` left out of the hidden recurrence, the notes' extra ``a1`` in ``dL/dw1``, ...).
The optimizers' update rules are not derivatives: ``tests/test_nn_core_autodiff.py`` checks them
against ``torch.optim``, with the bench extra only.
"""
from __future__ import annotations

from typing import Callable

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad, make_vjp

from nn_core import layers as F
from nn_core import two_layer
from nn_core.activations import HIDDEN_ACTIVATIONS, get_activation
from nn_core.deltas import CLOSED_FORM_DELTAS, VALID_PAIRINGS, hidden_delta, output_delta
from nn_core.gradcheck import relative_error
from nn_core.losses import EPS, LOSSES, Huber, Loss, PseudoHuber
from nn_core.network import backward, backward_single, forward, init_params
from nn_core.regularization import add_l2, l2_gradient, l2_penalty
from nn_core.sequential import BatchNorm, Dense, Dropout, Layer, ReLU, Sequential, Sigmoid, mlp
from nn_core.two_layer import NETWORKS as TWO_LAYER

TOL = 1e-12

Array = np.ndarray


def agree(ours: Array | float, theirs: Array | float) -> None:
    """nn_core's value equals autograd's to a relative error of TOL."""
    assert relative_error(ours, theirs) <= TOL


def arrays(seed: int, *shapes: tuple[int, ...]) -> list[Array]:
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in shapes]


def vjp(f: Callable, args: tuple, dout: Array) -> tuple[Array, tuple]:
    """``(f(*args), gradients of sum(f(*args) * dout) with respect to every argument)``, by autograd."""
    back, out = make_vjp(f, argnum=tuple(range(len(args))))(*args)
    return out, back(dout)


# ---------------------------------------------------------------- the forward computations, in autograd.numpy


def a_sigmoid(z):
    return 1.0 / (1.0 + anp.exp(-z))


def a_softmax(z):
    e = anp.exp(z - anp.max(z, axis=1, keepdims=True))
    return e / anp.sum(e, axis=1, keepdims=True)


def a_batchnorm(x, gamma, beta, eps=F.BN_EPS):
    mu = anp.mean(x, axis=0)
    var = anp.mean((x - mu) ** 2, axis=0)  # the batch's own variance, divisor m
    return gamma * (x - mu) / anp.sqrt(var + eps) + beta


def a_softmax_cross_entropy(scores, Y):
    log_probs = scores - anp.log(anp.sum(anp.exp(scores), axis=1, keepdims=True))
    return -anp.sum(Y * log_probs) / scores.shape[0]


#: a4's activations by name (leaky ReLU with the notes' slope 0.1)
A_ACTIVATIONS: dict[str, Callable] = {
    "sigmoid": a_sigmoid,
    "tanh": anp.tanh,
    "relu": lambda z: anp.maximum(z, 0.0),
    "leaky_relu": lambda z: anp.where(z > 0, z, 0.1 * z),
    "linear": lambda z: z,
    "softmax": a_softmax,
}


def a_per_example(loss: Loss, P, Y):
    """Each row's loss, summed over the output units: the formulas of ``docs/design.md``."""
    r = P - Y
    if loss.name == "mse":
        each = 0.5 * r**2
    elif loss.name == "huber":
        each = anp.where(anp.abs(r) <= loss.c, 0.5 * r**2, loss.c * (anp.abs(r) - 0.5 * loss.c))
    elif loss.name == "pseudo_huber":
        each = loss.c**2 * (anp.sqrt(1.0 + (r / loss.c) ** 2) - 1.0)
    elif loss.name == "bce":
        Pc = anp.clip(P, EPS, 1.0 - EPS)
        each = -(Y * anp.log(Pc) + (1.0 - Y) * anp.log(1.0 - Pc))
    else:
        each = -Y * anp.log(anp.clip(P, EPS, 1.0 - EPS))
    return anp.sum(each, axis=1)


def a_loss(loss: Loss, P, Y):
    """The loss's value: the mean over the rows."""
    return anp.mean(a_per_example(loss, P, Y))


def targets(output: str, rng: np.random.Generator, m: int, n: int) -> Array:
    """Targets an output pairs with: one-hot for softmax, 0/1 for sigmoid, reals (some |r| > 1) otherwise."""
    if output == "softmax":
        return np.eye(n)[rng.integers(0, n, m)]
    if output == "sigmoid":
        return rng.integers(0, 2, (m, n)).astype(np.float64)
    return 2.0 * rng.normal(size=(m, n))


# ---------------------------------------------------------------- a6: layers


def test_linear_backward_is_autograds_gradient_of_x_w_transpose_plus_b():
    x, W, b, dout = arrays(0, (6, 5), (4, 5), (4,), (6, 4))
    out, cache = F.linear_forward(x, W, b)
    theirs_out, theirs = vjp(lambda x, W, b: x @ W.T + b, (x, W, b), dout)
    agree(out, theirs_out)
    for ours, grad_ in zip(F.linear_backward(dout, cache), theirs):
        agree(ours, grad_)


@pytest.mark.parametrize("name", ["relu", "sigmoid"])
def test_activation_layer_backward_is_autograds_gradient(name):
    x, dout = arrays(1, (5, 7), (5, 7))
    out, cache = getattr(F, f"{name}_forward")(x)
    theirs_out, (theirs,) = vjp(A_ACTIVATIONS[name], (x,), dout)
    agree(out, theirs_out)
    agree(getattr(F, f"{name}_backward")(dout, cache), theirs)


def test_dropout_backward_is_autograds_gradient_for_the_mask_of_its_own_forward():
    x, dout = arrays(2, (6, 5), (6, 5))
    out, cache = F.dropout_forward(x, 0.8, rng=np.random.default_rng(4))
    mask = cache[0]
    assert 0 < mask.sum() < mask.size  # some units dropped, some kept
    theirs_out, (theirs,) = vjp(lambda x: x * mask / 0.8, (x,), dout)
    agree(out, theirs_out)
    agree(F.dropout_backward(dout, cache), theirs)


@pytest.mark.parametrize("m", [3, 5, 16])  # m = 2: x_hat = +-1 whatever x, dx is O(eps) and all rounding
def test_batchnorm_backward_is_autograds_gradient_through_the_batch_mean_and_variance(m):
    x, gamma, beta, dout = arrays(3 + m, (m, 4), (4,), (4,), (m, 4))
    x = 3.0 * x - 1.0
    out, cache = F.batchnorm_forward(x, gamma, beta)
    theirs_out, theirs = vjp(a_batchnorm, (x, gamma, beta), dout)
    agree(out, theirs_out)
    for ours, grad_ in zip(F.batchnorm_backward(dout, cache), theirs):
        agree(ours, grad_)


def test_softmax_cross_entropy_gradient_is_autograds_for_one_hot_and_probability_targets():
    scores, logits = arrays(7, (6, 4), (6, 4))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    for Y in (np.eye(4)[[0, 1, 3, 3, 2, 0]], probabilities):
        loss, dscores = F.softmax_cross_entropy(scores, Y)
        agree(loss, a_softmax_cross_entropy(scores, Y))
        agree(dscores, grad(a_softmax_cross_entropy)(scores, Y))


# ---------------------------------------------------------------- a6: a whole network, L2 included


def a_layer(layer: Layer, cache, out, params: list):
    """``layer``'s training forward in autograd.numpy; a dropout layer replays the mask in ``cache``."""
    if isinstance(layer, Dense):
        W, b = params
        return out @ W.T + b
    if isinstance(layer, BatchNorm):
        return a_batchnorm(out, *params, eps=layer.eps)
    if isinstance(layer, ReLU):
        return A_ACTIVATIONS["relu"](out)
    if isinstance(layer, Sigmoid):
        return a_sigmoid(out)
    if isinstance(layer, Dropout):
        return out * cache[0] / layer.keep_prob
    raise TypeError(f"no autograd forward for {layer!r}")


def a_objective(net: Sequential, caches: list, X: Array, Y: Array, lam: float, m: int) -> Callable:
    """The regularised objective as a function of the network's parameters, one list per layer."""

    def objective(params: list):
        out = X
        for layer, cache, p in zip(net.layers, caches, params):
            out = a_layer(layer, cache, out, p)
        penalty = sum(anp.sum(p[0] ** 2) for layer, p in zip(net.layers, params) if isinstance(layer, Dense))
        return a_softmax_cross_entropy(out, Y) + lam / (2 * m) * penalty

    return objective


def every_layer(rng: np.random.Generator) -> Sequential:
    """Dense, batch norm, ReLU, dropout, sigmoid: every layer nn_core has, gamma and beta away from 1 and 0."""
    net = Sequential([Dense.create(5, 8, rng), BatchNorm(8), ReLU(), Dropout(0.7, rng),
                      Dense.create(8, 6, rng), Sigmoid(), Dense.create(6, 3, rng)])
    for layer in net.layers:
        for name, p in layer.params.items():
            p += 0.3 * rng.normal(size=p.shape) if name in ("gamma", "beta", "b") else 0.0
    return net


NETWORKS = {
    "every-layer": every_layer,
    "mlp-batchnorm-dropout": lambda rng: mlp([5, 8, 6, 3], rng, batch_norm=True, keep_prob=0.8),
}


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_a_networks_loss_and_gradients_with_l2_are_autograds(name):
    rng = np.random.default_rng(9)
    net = NETWORKS[name](rng)
    X, Y = rng.normal(size=(10, 5)), np.eye(3)[rng.integers(0, 3, 10)]
    state = rng.bit_generator.state
    loss, grads = net.loss_and_gradients(X, Y, lam=0.7, m=40)
    rng.bit_generator.state = state  # the same dropout masks again, this time kept in the caches
    _, caches = net.forward(X)
    assert any(isinstance(layer, Dropout) and 0 < c[0].sum() < c[0].size for layer, c in zip(net.layers, caches))
    objective = a_objective(net, caches, X, Y, lam=0.7, m=40)
    params = [list(layer.params.values()) for layer in net.layers]
    theirs = [g for layer_grads in grad(objective)(params) for g in layer_grads]
    agree(loss, objective(params))
    assert len(grads) == len(theirs) == len(net.parameters())
    names = [(k, name) for k, layer in enumerate(net.layers) for name in layer.params]
    for (k, name), ours, their in zip(names, grads, theirs):
        if name == "b" and k + 1 < len(net.layers) and isinstance(net.layers[k + 1], BatchNorm):
            # batch norm subtracts the batch mean, so this bias has no effect: its gradient is
            # exactly 0, and both computations leave only rounding there
            assert np.max(np.abs(ours)) < 1e-15 and np.max(np.abs(their)) < 1e-15
        else:
            agree(ours, their)


# ---------------------------------------------------------------- a6: L2


def test_l2_penalty_and_gradient_are_autograds_and_leave_biases_alone():
    W1, b1, W2, b2, dW1, db1, dW2, db2 = arrays(10, (4, 3), (4,), (2, 4), (2,), (4, 3), (4,), (2, 4), (2,))
    params = [(W1, b1), (W2, b2)]

    def penalty(params):
        return 0.3 / (2 * 7) * sum(anp.sum(W**2) for W, _ in params)

    theirs = grad(penalty)(params)
    agree(l2_penalty(params, 0.3, 7), penalty(params))
    for (dW, db), (tW, tb) in zip(l2_gradient(params, 0.3, 7), theirs):
        agree(dW, tW)
        assert not np.any(db) and not np.any(tb)
    data_grads = [(dW1, db1), (dW2, db2)]
    for (dW, db), (gW, gb), (tW, _) in zip(add_l2(data_grads, params, 0.3, 7), data_grads, theirs):
        agree(dW, gW + tW)
        assert np.array_equal(db, gb)


# ---------------------------------------------------------------- a4: losses, deltas, backpropagation


LOSS_OBJECTS = [LOSSES[name] for name in LOSSES] + [Huber(0.5), PseudoHuber(2.0)]


@pytest.mark.parametrize("loss", LOSS_OBJECTS, ids=repr)
def test_each_losses_value_gradient_and_per_example_derivative_are_autograds(loss):
    rng = np.random.default_rng(20)
    Y_hat = rng.uniform(0.05, 0.95, (6, 3))  # predictions inside (0, 1), where the cross-entropies clip nothing
    Y = targets("sigmoid", rng, 6, 3) if loss.name == "bce" else (
        targets("softmax", rng, 6, 3) if loss.name == "cce" else Y_hat + rng.normal(size=(6, 3)))
    agree(loss.value(Y_hat, Y), a_loss(loss, Y_hat, Y))
    agree(loss.gradient(Y_hat, Y), grad(lambda P: a_loss(loss, P, Y))(Y_hat))
    agree(loss.derivative(Y_hat, Y), grad(lambda P: anp.sum(a_per_example(loss, P, Y)))(Y_hat))


@pytest.mark.parametrize("output,loss", VALID_PAIRINGS)
def test_closed_form_and_general_output_deltas_are_autograds_gradient_of_the_summed_loss(output, loss):
    rng = np.random.default_rng(21)
    m, n = 6, 3
    Z = rng.normal(size=(m, n))
    Y = targets(output, rng, m, n)
    A = get_activation(output).fn(Z)
    # delta is per example: d loss_i / d z_i, the gradient of m times the mean loss
    theirs = grad(lambda Z: m * a_loss(LOSSES[loss], A_ACTIVATIONS[output](Z), Y))(Z)
    agree(CLOSED_FORM_DELTAS[(loss, output)](A, Y), theirs)
    agree(output_delta(loss, output, Z, A, Y), theirs)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_hidden_delta_is_autograds_gradient_through_one_layer(activation):
    Z, W, b, delta_next = arrays(22, (6, 4), (3, 4), (3,), (6, 3))
    _, (theirs,) = vjp(lambda Z: A_ACTIVATIONS[activation](Z) @ W.T + b, (Z,), delta_next)
    agree(hidden_delta(delta_next, W, Z, activation), theirs)


def a_network_loss(hidden: str, output: str, loss: str, X: Array, Y: Array) -> Callable:
    """The mean loss of an MLP as a function of its ``[(W, b), ...]``."""

    def mean_loss(params):
        A = X
        for k, (W, b) in enumerate(params):
            A = A_ACTIVATIONS[output if k == len(params) - 1 else hidden](A @ W.T + b)
        return a_loss(LOSSES[loss], A, Y)

    return mean_loss


def a4_network(hidden: str, output: str, seed: int, m: int) -> tuple[list, Array, Array]:
    """Parameters (biases away from 0), inputs and targets of a 4 -> 6 -> 5 -> 3 network."""
    rng = np.random.default_rng(seed)
    params = [(W, 0.2 * rng.normal(size=b.shape)) for W, b in init_params([4, 6, 5, 3], seed=seed, hidden=hidden)]
    return params, rng.normal(size=(m, 4)), targets(output, rng, m, 3)


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output,loss", VALID_PAIRINGS)
def test_backpropagation_is_autograds_gradient_of_the_mean_loss(hidden, output, loss):
    params, X, Y = a4_network(hidden, output, seed=23, m=7)
    ours = backward(params, forward(params, X, hidden, output), Y, hidden, output, loss)
    theirs = grad(a_network_loss(hidden, output, loss, X, Y))(params)
    for (dW, db), (tW, tb) in zip(ours, theirs):
        agree(dW, tW)
        agree(db, tb)


@pytest.mark.parametrize("output,loss", VALID_PAIRINGS)
def test_backpropagation_for_one_example_in_column_form_is_autograds(output, loss):
    params, X, Y = a4_network("tanh", output, seed=24, m=1)
    ours = backward_single(params, X[0], Y[0], "tanh", output, loss)
    theirs = grad(a_network_loss("tanh", output, loss, X, Y))(params)
    for (dW, db), (tW, tb) in zip(ours, theirs):
        agree(dW, tW)
        agree(db, tb)


# ---------------------------------------------------------------- a3: the notes' two-layer networks


@pytest.mark.parametrize("name", sorted(TWO_LAYER))
def test_two_layer_gradients_and_each_formula_of_the_notes_are_autograds(name):
    network = TWO_LAYER[name]
    rng = np.random.default_rng(25)
    X, W1, b1, W2, b2 = (rng.normal(size=shape) for shape in ((7, 4), (5, 4), (5,), (2, 5), (2,)))
    Y = targets(network.output, rng, 7, 2)
    mean_loss = a_network_loss(network.hidden, network.output, network.loss, X, Y)
    (tW1, tb1), (tW2, tb2) = grad(mean_loss)([(W1, b1), (W2, b2)])
    theirs = {"w1": tW1, "b1": tb1, "w2": tW2, "b2": tb2}
    agree(network.loss_value(X, Y, W1, b1, W2, b2), mean_loss([(W1, b1), (W2, b2)]))
    for ours, their in zip(network.gradients(X, Y, W1, b1, W2, b2), (tW1, tb1, tW2, tb2)):
        agree(ours, their)
    for parameter, their in theirs.items():
        agree(getattr(two_layer, f"{name}_dL_d{parameter}")(X, Y, W1, b1, W2, b2), their)
