"""Training well (nn_core.layers, sequential, optimizers, regularization) against PyTorch, in float64.

PyTorch is an independent implementation: its autograd differentiates the forward passes
written here in torch (with its own ``batch_norm`` and ``cross_entropy``), and ``torch.optim``
runs its own update rules. Every backward pass and every optimizer step agrees with it to a
relative error of 1e-12 or better (worst measured with torch 2.13.0 on CPU: 7e-16, the gradient
of the network of every layer with L2; 3e-16 for the optimizers, Adam's ten training steps).

Where it runs: only with the bench extra (``pip install -e '.[bench]'``, several GB with CUDA
from PyPI); the test extra has no torch, so in CI (``make test``) this module is skipped.
What CI checks instead:

* every backward pass here, and a4's backpropagation, losses and deltas, against HIPS autograd
  (in the test extra): ``tests/test_nn_core_autograd.py``, to the same 1e-12;
* the optimizers by their properties (bias correction, eps outside the root, state, ...):
  ``tests/test_nn_core_optimizers.py``. Step-after-step agreement with an independent
  implementation of the update rules, ``torch.optim``, is checked only here, and so are batch
  norm's eval forward and running mean against PyTorch's.
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from nn_core import layers as F  # noqa: E402
from nn_core.gradcheck import relative_error  # noqa: E402
from nn_core.optimizers import SGD, Adam, Momentum, RMSProp  # noqa: E402
from nn_core.regularization import add_l2, l2_gradient, l2_penalty  # noqa: E402
from nn_core.sequential import BatchNorm, Dense, Dropout, ReLU, Sequential, Sigmoid, mlp  # noqa: E402

TOL = 1e-12


def T(a, grad=True):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def N(t):
    return t.detach().numpy()


def arrays(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in shapes]


def agree(ours, theirs):
    assert relative_error(ours, N(theirs)) <= TOL


# ---------------------------------------------------------------- layers


def test_linear_forward_and_backward_agree_with_autograd():
    x, W, b, dout = arrays(0, (6, 5), (4, 5), (4,), (6, 4))
    out, cache = F.linear_forward(x, W, b)
    dx, dW, db = F.linear_backward(dout, cache)
    tx, tW, tb = T(x), T(W), T(b)
    t_out = torch.nn.functional.linear(tx, tW, tb)  # PyTorch's layer has our W convention (n_out, n_in)
    t_out.backward(T(dout, False))
    agree(out, t_out)
    agree(dx, tx.grad), agree(dW, tW.grad), agree(db, tb.grad)


@pytest.mark.parametrize("name,torch_fn", [("relu", "relu"), ("sigmoid", "sigmoid")])
def test_activation_backward_agrees_with_autograd(name, torch_fn):
    x, dout = arrays(1, (5, 7), (5, 7))
    out, cache = getattr(F, name + "_forward")(x)
    tx = T(x)
    t_out = getattr(torch, torch_fn)(tx)
    t_out.backward(T(dout, False))
    agree(out, t_out)
    agree(getattr(F, name + "_backward")(dout, cache), tx.grad)


def test_dropout_backward_agrees_with_autograd_for_the_same_mask():
    x, dout = arrays(2, (6, 5), (6, 5))
    out, cache = F.dropout_forward(x, 0.8, rng=np.random.default_rng(4))
    tx = T(x)
    t_out = tx * T(cache[0], False) / 0.8
    t_out.backward(T(dout, False))
    agree(out, t_out)
    agree(F.dropout_backward(dout, cache), tx.grad)


@pytest.mark.parametrize("m", [3, 5, 16])  # m = 2: x_hat = +-1 whatever x, dx is O(eps) and all rounding
def test_batchnorm_forward_and_backward_agree_with_autograd_through_the_batch_statistics(m):
    x, gamma, beta, dout = arrays(3 + m, (m, 4), (4,), (4,), (m, 4))
    x = 3.0 * x - 1.0
    out, cache = F.batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = F.batchnorm_backward(dout, cache)
    tx, tg, tb = T(x), T(gamma), T(beta)
    t_out = torch.nn.functional.batch_norm(tx, None, None, tg, tb, training=True, eps=F.BN_EPS)
    t_out.backward(T(dout, False))
    agree(out, t_out)
    agree(dx, tx.grad), agree(dgamma, tg.grad), agree(dbeta, tb.grad)


def test_batchnorm_eval_agrees_with_torch_given_the_same_running_statistics():
    x, gamma, beta, mean = arrays(5, (5, 3), (3,), (3,), (3,))
    var = np.array([0.5, 2.0, 1.5])
    t_out = torch.nn.functional.batch_norm(T(x), T(mean, False), T(var, False), T(gamma), T(beta), training=False,
                                           eps=F.BN_EPS)
    agree(F.batchnorm_eval(x, gamma, beta, mean, var), t_out)


def test_running_mean_follows_torch_and_running_variance_averages_the_biased_batch_variance():
    (x,) = arrays(6, (8, 3))
    ours = BatchNorm(3, momentum=0.9)
    theirs = torch.nn.BatchNorm1d(3, momentum=0.1, dtype=torch.float64)  # PyTorch's momentum is 1 - ours
    for k in range(3):
        batch = x + k
        ours.forward(batch)
        theirs(T(batch, False))
    agree(ours.running_mean, theirs.running_mean)
    # PyTorch averages the unbiased variance (divisor m - 1); this layer the batch's own (divisor m)
    unbiased = BatchNorm(3, momentum=0.9)
    unbiased.running_var = 0.9**3 + 0.1 * (0.9**2 + 0.9 + 1) * x.var(axis=0, ddof=1)
    agree(unbiased.running_var, theirs.running_var)
    np.testing.assert_allclose(ours.running_var, 0.9**3 + 0.1 * (0.9**2 + 0.9 + 1) * x.var(axis=0), rtol=1e-14)


def test_softmax_cross_entropy_agrees_with_torch_cross_entropy_for_one_hot_and_probability_targets():
    scores, logits = arrays(7, (6, 4), (6, 4))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    for Y in (np.eye(4)[[0, 1, 3, 3, 2, 0]], probabilities):
        loss, dscores = F.softmax_cross_entropy(scores, Y)
        ts = T(scores)
        t_loss = torch.nn.functional.cross_entropy(ts, T(Y, False))
        t_loss.backward()
        assert abs(loss - t_loss.item()) <= TOL * abs(loss)
        agree(dscores, ts.grad)


# ---------------------------------------------------------------- a whole network, L2 included


def torch_replay(net, caches, X, Y, lam, m):
    """The same network written in torch, with each dropout layer's mask from ``caches``."""
    params = [[T(p) for p in layer.params.values()] for layer in net.layers]
    out = T(X, False)
    for layer, cache, p in zip(net.layers, caches, params):
        if isinstance(layer, Dense):
            out = torch.nn.functional.linear(out, *p)
        elif isinstance(layer, BatchNorm):
            out = torch.nn.functional.batch_norm(out, None, None, *p, training=True, eps=layer.eps)
        elif isinstance(layer, ReLU):
            out = torch.relu(out)
        elif isinstance(layer, Sigmoid):
            out = torch.sigmoid(out)
        elif isinstance(layer, Dropout):
            out = out * T(cache[0], False) / layer.keep_prob
    penalty = sum(torch.sum(p[0] ** 2) for layer, p in zip(net.layers, params) if isinstance(layer, Dense))
    loss = torch.nn.functional.cross_entropy(out, T(Y, False)) + lam / (2 * m) * penalty
    loss.backward()
    return loss.item(), [q.grad for p in params for q in p]


def test_a_network_of_every_layer_with_l2_agrees_with_autograd():
    rng = np.random.default_rng(9)
    net = Sequential([Dense.create(5, 8, rng), BatchNorm(8), ReLU(), Dropout(0.7, rng),
                      Dense.create(8, 6, rng), Sigmoid(), Dense.create(6, 3, rng)])
    for layer in net.layers:  # gamma and beta away from 1 and 0
        for name, p in layer.params.items():
            p += 0.3 * rng.normal(size=p.shape) if name in ("gamma", "beta", "b") else 0.0
    X, Y = rng.normal(size=(10, 5)), np.eye(3)[rng.integers(0, 3, 10)]
    state = rng.bit_generator.state
    loss, grads = net.loss_and_gradients(X, Y, lam=0.7, m=40)
    rng.bit_generator.state = state  # the same dropout mask again, this time kept in the caches
    _, caches = net.forward(X)
    t_loss, t_grads = torch_replay(net, caches, X, Y, lam=0.7, m=40)
    assert abs(loss - t_loss) <= TOL * abs(loss)
    assert len(grads) == len(t_grads) == len(net.parameters())
    # batch norm subtracts the batch mean, so the bias of the Dense layer before it has no effect:
    # its gradient is exactly 0, and both computations leave only rounding there
    assert np.max(np.abs(grads[1])) < 1e-15 and np.max(np.abs(N(t_grads[1]))) < 1e-15
    for ours, theirs in zip(grads[:1] + grads[2:], t_grads[:1] + t_grads[2:]):
        agree(ours, theirs)


# ---------------------------------------------------------------- L2


def test_l2_penalty_and_gradient_agree_with_autograd_and_leave_biases_alone():
    W1, b1, W2, b2 = arrays(10, (4, 3), (4,), (2, 4), (2,))
    params = [(W1, b1), (W2, b2)]
    tp = [(T(W), T(b)) for W, b in params]
    t_penalty = 0.3 / (2 * 7) * sum(torch.sum(W**2) for W, _ in tp)
    t_penalty.backward()
    assert abs(l2_penalty(params, 0.3, 7) - t_penalty.item()) <= TOL * t_penalty.item()
    for (dW, db), (tW, tb) in zip(l2_gradient(params, 0.3, 7), tp):
        agree(dW, tW.grad)
        assert tb.grad is None and not np.any(db)


def test_sgd_on_l2_gradients_is_torch_weight_decay_on_the_weights_only():
    W, b, dW, db = arrays(11, (3, 4), (3,), (3, 4), (3,))
    lam, m, lr = 0.5, 10, 0.1
    (nW, nb), = add_l2([(dW, db)], [(W, b)], lam, m)
    ours = [W.copy(), b.copy()]
    SGD(lr).step(ours, [nW, nb])
    tW, tb = T(W), T(b)
    opt = torch.optim.SGD([{"params": [tW], "weight_decay": lam / m}, {"params": [tb], "weight_decay": 0.0}], lr=lr)
    tW.grad, tb.grad = T(dW, False), T(db, False)
    opt.step()
    agree(ours[0], tW), agree(ours[1], tb)


# ---------------------------------------------------------------- optimizers, several steps


OPTIMIZERS = {
    "sgd": (lambda: SGD(0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "momentum": (lambda: Momentum(0.05, beta=0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "rmsprop": (lambda: RMSProp(0.01, rho=0.9, eps=1e-8), lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8)),
    "adam": (lambda: Adam(0.01, 0.9, 0.999, 1e-8), lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    "adam-large-eps": (lambda: Adam(0.01, 0.8, 0.99, 1e-2),
                       lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-2)),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_steps_agree_with_torch_optim_step_after_step(name):
    make_ours, make_theirs = OPTIMIZERS[name]
    W, b, A = arrays(12, (3, 4), (3,), (3, 4))
    ours = [W.copy(), b.copy()]
    theirs = [T(W), T(b)]
    opt, t_opt = make_ours(), make_theirs(theirs)
    rng = np.random.default_rng(13)
    for _ in range(8):  # gradients that depend on where the parameters are, plus noise
        noise = [rng.normal(size=p.shape) for p in ours]
        grads = [A * ours[0] + noise[0], ours[1] ** 3 + noise[1]]
        theirs[0].grad = T(A, False) * theirs[0].detach() + T(noise[0], False)
        theirs[1].grad = theirs[1].detach() ** 3 + T(noise[1], False)
        opt.step(ours, grads)
        t_opt.step()
        agree(ours[0], theirs[0]), agree(ours[1], theirs[1])


def test_a_network_trained_with_adam_stays_with_torch_for_ten_steps():
    rng = np.random.default_rng(14)
    net = mlp([6, 5, 3], rng)
    X, Y = rng.normal(size=(12, 6)), np.eye(3)[rng.integers(0, 3, 12)]
    theirs = [T(p) for p in net.parameters()]
    opt, t_opt = Adam(0.05), torch.optim.Adam(theirs, lr=0.05)
    for _ in range(10):
        _, grads = net.loss_and_gradients(X, Y, lam=0.1)
        opt.step(net.parameters(), grads)
        W1, b1, W2, b2 = theirs
        out = torch.nn.functional.linear(torch.relu(torch.nn.functional.linear(T(X, False), W1, b1)), W2, b2)
        loss = torch.nn.functional.cross_entropy(out, T(Y, False)) + 0.1 / (2 * 12) * (torch.sum(W1**2) + torch.sum(W2**2))
        t_opt.zero_grad()
        loss.backward()
        t_opt.step()
    for ours, t in zip(net.parameters(), theirs):
        agree(ours, t)
