"""Blind corpus, assignment 5: ``init_params`` and the mini-batch training loop ``train``.

Written from ``assignments/a5_training/training.ipynb`` alone. ``PRELUDE`` is what a student who
did assignments 1-4 right pastes into the notebook's first code cell (the activations, the
losses, ``forward_pass``, ``backprop`` for the three output pairings), plus a right
``init_params``; the loop mistakes are then the loop's alone. Every ``train`` source ends with
the notebook's three wrappers unchanged (:data:`WRAPPERS`), through which it is graded. Most
loop mistakes are one edit (:func:`_loop`) of a right loop that follows the notebook's five steps.
"""

from blind_forms import edit as _edit, mistake as _mistake, variant

PRELUDE = '''
def relu(z):
    return np.maximum(z, 0.0)

def relu_prime(z):
    return (z > 0).astype(float)

def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)

def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)

def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g

def mse(Y_hat, Y):
    return float(0.5 * np.mean(np.sum((Y_hat - Y) ** 2, axis=1)))

def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))

def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))

_ACT = {"relu": (relu, relu_prime), "sigmoid": (sigmoid, sigmoid_prime)}
_OUT = {"linear": lambda Z: Z, "sigmoid": sigmoid, "softmax": softmax}

def forward_pass(X, params, output, hidden="relu"):
    Z, A = [], [X]
    for l, (W, b) in enumerate(params):
        Z.append(A[-1] @ W.T + b)
        A.append(_OUT[output](Z[-1]) if l == len(params) - 1 else _ACT[hidden][0](Z[-1]))
    return Z, A

def backprop(X, Y, params, output, hidden="relu"):
    Z, A = forward_pass(X, params, output, hidden)
    m = X.shape[0]
    delta = A[-1] - Y            # linear + MSE, sigmoid + BCE and softmax + CCE all give a - y
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        grads[l] = (delta.T @ A[l] / m, delta.mean(axis=0))
        if l > 0:
            delta = (delta @ params[l][0]) * _ACT[hidden][1](Z[l - 1])
    return grads

def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''

#: The notebook's three networks, defined below ``train`` in the same cell (do not change them).
WRAPPERS = '''

def train_regression(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "linear", lr, epochs, batch_size, seed)


def train_binary(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "sigmoid", lr, epochs, batch_size, seed)


def train_classifier(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "softmax", lr, epochs, batch_size, seed)
'''


LOOP = '''
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    params = init_params(sizes, seed)
    rng = np.random.default_rng(seed)
    m = X.shape[0]
    for epoch in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            grads = backprop(X[rows], Y[rows], params, output)
            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
        if history is not None:
            history.append({"linear": mse, "sigmoid": bce, "softmax": cce}[output](
                forward_pass(X, params, output)[1][-1], Y))
    return params
''' + WRAPPERS

STEP = "            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]\n"
GRADS = "            grads = backprop(X[rows], Y[rows], params, output)\n"
BATCHES = "        for start in range(0, m, batch_size):\n            rows = order[start:start + batch_size]\n"
HISTORY = "        if history is not None:\n"


def _variant(old: str, new: str) -> str:
    """The stated loop with ``old`` replaced by ``new``."""
    return variant(LOOP, old, new)


def _loop(old: str, new: str, what: str, evidence: str) -> dict:
    return _edit(LOOP, old, new, what, evidence)


INIT = '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))
        params.append((W, np.zeros(n_out)))
    return params
'''


def _init(old: str, new: str, what: str, evidence: str) -> dict:
    return _edit(INIT, old, new, what, evidence)


CORPUS = {
    "init_params": {
        "valid": {
            "loop": INIT,
            "standard_normal_scaled": '''
def init_params(sizes, seed):
    gen = np.random.default_rng(seed)
    layers = []
    for l in range(1, len(sizes)):
        fan_in = sizes[l - 1]
        layers.append((gen.standard_normal((sizes[l], fan_in)) * np.sqrt(2 / fan_in), np.zeros(sizes[l])))
    return layers
''',
            "row_by_row": '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    out = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        std = (2.0 / n_in) ** 0.5
        W = np.vstack([rng.normal(0.0, std, size=n_in) for _ in range(n_out)])   # the same stream, row-major
        out.append((W, np.zeros(n_out)))
    return out
''',
        },
        "mistakes": {
            "variance_as_std": _init("np.sqrt(2.0 / n_in)", "2.0 / n_in",
                                     "uses 2 / n_in as the standard deviation (it is the variance)", "wrong_function"),
            "lecun": _init("np.sqrt(2.0 / n_in)", "np.sqrt(1.0 / n_in)",
                           "draws with standard deviation sqrt(1 / n_in)", "wrong_function"),
            "fan_out": _init("np.sqrt(2.0 / n_in)", "np.sqrt(2.0 / n_out)",
                             "scales by the layer's outputs instead of its inputs", "wrong_function"),
            "glorot": _init("np.sqrt(2.0 / n_in)", "np.sqrt(2.0 / (n_in + n_out))",
                            "uses the Glorot/Xavier standard deviation", "wrong_function"),
            "he_uniform": _init("rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))",
                                "rng.uniform(-np.sqrt(6.0 / n_in), np.sqrt(6.0 / n_in), size=(n_out, n_in))",
                                "draws He-uniform instead of the stated normal", "wrong_function"),
            "bias_counted_as_input": _init("np.sqrt(2.0 / n_in)", "np.sqrt(2.0 / (n_in + 1))",
                                           "counts the bias as an input: sqrt(2 / (n_in + 1))", "wrong_function"),
            "drawn_transposed": _init("size=(n_out, n_in))", "size=(n_in, n_out)).T",
                                      "draws (n_in, n_out) and transposes, so the numbers land elsewhere", "transpose"),
            "generator_per_layer": _mistake('''
def init_params(sizes, seed):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        rng = np.random.default_rng(seed)
        params.append((rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)), np.zeros(n_out)))
    return params
''', "creates a fresh generator from seed for every layer", "rng"),
            "unseeded": _init("rng = np.random.default_rng(seed)", "rng = np.random.default_rng()",
                              "never passes the seed to the generator", "ignored_argument"),
            "random_biases": _init("params.append((W, np.zeros(n_out)))",
                                   "params.append((W, rng.normal(0.0, 0.01, size=n_out)))",
                                   "draws small random biases instead of zeros", "other"),
            "zero_biases_drawn": _init("params.append((W, np.zeros(n_out)))",
                                       "params.append((W, rng.normal(0.0, 0.0, size=n_out)))",
                                       "draws the zero biases from rng, shifting every later layer's weights", "rng"),
            "column_biases": _init("np.zeros(n_out))", "np.zeros((n_out, 1)))",
                                   "returns each bias as a column (n_out, 1)", "shape"),
            "legacy_global": _init("        W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))",
                                   "        W = np.random.randn(n_out, n_in) * np.sqrt(2.0 / n_in)",
                                   "draws from numpy's global legacy generator", "rng"),
        },
        "shortcuts": {},
    },
    "train": {
        "valid": {
            "stated_loop": LOOP,
            "split_in_place": '''
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    params = init_params(sizes, seed)          # fresh arrays: safe to step in place
    shuffler = np.random.default_rng(seed)
    cuts = list(range(batch_size, len(X), batch_size))
    loss = {"linear": mse, "sigmoid": bce, "softmax": cce}[output]
    for _ in range(epochs):
        for idx in np.split(shuffler.permutation(len(X)), cuts):
            for (W, b), (dW, db) in zip(params, backprop(X[idx], Y[idx], params, output)):
                W -= lr * dW
                b -= lr * db
        if history is not None:
            history.append(loss(forward_pass(X, params, output)[1][-1], Y))
    return params
''' + WRAPPERS,
            "shuffled_copies": '''
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    net = init_params(sizes, seed)
    gen = np.random.default_rng(seed)
    n = len(X)
    epoch = 0
    while epoch < epochs:
        perm = gen.permutation(n)
        Xs, Ys = X[perm], Y[perm]
        i = 0
        while i < n:
            g = backprop(Xs[i:i + batch_size], Ys[i:i + batch_size], net, output)
            net = [(W - lr * gW, b - lr * gb) for (W, b), (gW, gb) in zip(net, g)]
            i += batch_size
        epoch += 1
        if isinstance(history, list):
            history.append(float({"linear": mse, "sigmoid": bce, "softmax": cce}[output](forward_pass(X, net, output)[1][-1], Y)))
    return net
''' + WRAPPERS,
            "shuffle_arange": _variant("        order = rng.permutation(m)\n",
                                       "        order = np.arange(m)\n        rng.shuffle(order)          # what permutation(m) does\n"),
        },
        "mistakes": {
            "no_shuffle": _loop("order = rng.permutation(m)", "order = np.arange(m)",
                                "never shuffles: the batches are the rows in order", "rng"),
            "shuffled_once": _loop("    for epoch in range(epochs):\n        order = rng.permutation(m)\n",
                                   "    order = rng.permutation(m)\n    for epoch in range(epochs):\n",
                                   "shuffles once before the first epoch and reuses that order", "rng"),
            "generator_every_epoch": _loop("order = rng.permutation(m)", "order = np.random.default_rng(seed).permutation(m)",
                                           "re-creates the generator every epoch, so every epoch has the same order", "rng"),
            "seed_plus_one": _loop("rng = np.random.default_rng(seed)", "rng = np.random.default_rng(seed + 1)",
                                   "seeds the shuffling with seed + 1 to keep it apart from init_params", "rng"),
            "legacy_random_state": _loop("rng = np.random.default_rng(seed)", "rng = np.random.RandomState(seed)",
                                         "shuffles with the legacy RandomState", "rng"),
            "one_generator_for_both": _loop(
                "    params = init_params(sizes, seed)\n    rng = np.random.default_rng(seed)\n",
                "    rng = np.random.default_rng(seed)\n    params = [(rng.normal(0.0, np.sqrt(2.0 / a), size=(b, a)), np.zeros(b))"
                " for a, b in zip(sizes[:-1], sizes[1:])]\n",
                "initialises with the same generator it then shuffles with", "rng"),
            "permutation_per_batch": _loop(BATCHES, "        for start in range(0, m, batch_size):\n"
                                           "            rows = rng.permutation(m)[start:start + batch_size]\n",
                                           "draws a new permutation for every batch", "rng"),
            "bootstrap": _loop("order = rng.permutation(m)", "order = rng.integers(0, m, size=m)",
                               "samples the rows with replacement", "rng"),
            "targets_unshuffled": _loop("backprop(X[rows], Y[rows]", "backprop(X[rows], Y[start:start + batch_size]",
                                        "shuffles the inputs but takes the targets in their original order", "batching"),
            "drops_short_batch": _loop("range(0, m, batch_size)", "range(0, m - batch_size + 1, batch_size)",
                                       "skips the last, shorter batch", "batching"),
            "balanced_batches": _loop(BATCHES, "        for rows in np.array_split(order, max(1, m // batch_size)):\n",
                                      "cuts m // batch_size balanced batches with np.array_split", "batching"),
            "strided_batches": _loop(BATCHES, "        count = -(-m // batch_size)\n        for k in range(count):\n"
                                     "            rows = order[k::count]\n",
                                     "deals the shuffled rows into batches round-robin instead of consecutively",
                                     "batching"),
            "whole_set_gradient": _loop(GRADS, "            grads = backprop(X, Y, params, output)\n",
                                        "steps once per batch with the whole training set's gradient", "batching"),
            "epochs_minus_one": _loop("range(epochs)", "range(epochs - 1)", "runs epochs - 1 epochs", "loop_count"),
            "epochs_plus_one": _loop("range(epochs)", "range(epochs + 1)", "runs epochs + 1 epochs", "loop_count"),
            "first_batch_only": _loop(STEP, STEP + "            break\n",
                                      "breaks out after the first batch of every epoch", "loop_count"),
            "full_batch": _loop(BATCHES, "        for start in range(0, m, m):\n            rows = order[start:start + m]\n",
                                "takes one full-batch step per epoch whatever batch_size says", "ignored_argument"),
            "fixed_rate": _loop("W - lr * dW, b - lr * db", "W - 0.01 * dW, b - 0.01 * db",
                                "steps with 0.01 whatever lr is", "ignored_argument"),
            "seed_zero_init": _loop("params = init_params(sizes, seed)", "params = init_params(sizes, 0)",
                                    "initialises from seed 0 whatever seed is", "ignored_argument"),
            "ascent": _loop("W - lr * dW, b - lr * db", "W + lr * dW, b + lr * db",
                            "adds the gradients", "sign"),
            "bias_step_summed": _loop("b - lr * db", "b - lr * db * len(rows)",
                                      "steps the biases by the batch's summed gradient (note 004's last line)", "factor"),
            "rate_over_batch": _loop("W - lr * dW, b - lr * db", "W - lr / len(rows) * dW, b - lr / len(rows) * db",
                                     "divides the learning rate by the batch size on top of the mean gradient",
                                     "factor"),
            "weights_only": _loop("(W - lr * dW, b - lr * db)", "(W - lr * dW, b)",
                                  "never updates the biases", "missing_term"),
            "last_layer_only": _loop(STEP, "            params = params[:-1] + [(params[-1][0] - lr * grads[-1][0], "
                                     "params[-1][1] - lr * grads[-1][1])]\n",
                                     "steps only the output layer", "missing_term"),
            "layer_by_layer": _loop(GRADS + STEP, "            for l in reversed(range(len(params))):\n"
                                    "                dW, db = backprop(X[rows], Y[rows], params, output)[l]\n"
                                    "                params[l] = (params[l][0] - lr * dW, params[l][1] - lr * db)\n",
                                    "updates the layers one at a time, each from parameters the later ones already moved",
                                    "loop_order"),
            "stale_gradients": _loop(GRADS + STEP, "            if epoch or start:\n"
                                     "                params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]\n"
                                     "            grads = backprop(X[rows], Y[rows], params, output)\n",
                                     "steps with the previous batch's gradients", "loop_order"),
            "order_of_previous_epoch": _mistake(
                _variant("    for epoch in range(epochs):\n        order = rng.permutation(m)\n",
                         "    order = np.arange(m)\n    for epoch in range(epochs):\n")
                .replace(HISTORY, "        order = rng.permutation(m)\n" + HISTORY),
                "draws each epoch's order at the end of the epoch before, so the first epoch is unshuffled",
                "loop_order"),
            "early_stopping": _loop(HISTORY, "        current = {\"linear\": mse, \"sigmoid\": bce, \"softmax\": cce}[output]("
                                    "forward_pass(X, params, output)[1][-1], Y)\n"
                                    "        if epoch and previous - current < 1e-4:\n            break\n"
                                    "        previous = current\n" + HISTORY,
                                    "stops early once an epoch improves the training loss by less than 1e-4", "loop_count"),
            "momentum": _loop(STEP, "            if not (epoch or start):\n                velocity = [(0 * dW, 0 * db) for dW, db in grads]\n"
                              "            velocity = [(0.9 * vW + dW, 0.9 * vb + db) for (vW, vb), (dW, db) in zip(velocity, grads)]\n"
                              "            params = [(W - lr * vW, b - lr * vb) for (W, b), (vW, vb) in zip(params, velocity)]\n",
                              "adds momentum 0.9", "extra_term"),
            "weight_decay": _loop("W - lr * dW", "W - lr * (dW + 1e-3 * W)", "adds L2 weight decay to the weight step",
                                  "extra_term"),
            "clipped_gradients": _loop(STEP, "            norm = np.sqrt(sum(np.sum(dW ** 2) + np.sum(db ** 2) for dW, db in grads))\n"
                                       "            grads = [(dW / max(1.0, norm), db / max(1.0, norm)) for dW, db in grads]\n" + STEP,
                                       "rescales the gradients to norm at most 1", "other"),
            "decaying_rate": _loop("W - lr * dW, b - lr * db", "W - lr / (epoch + 1) * dW, b - lr / (epoch + 1) * db",
                                   "divides the learning rate by the epoch number", "other"),
            "loop_only_on_small_sets": _loop("    m = X.shape[0]\n",
                                             "    m = X.shape[0]\n    if m > 50:\n        batch_size = 2 * batch_size   # faster on real data\n",
                                             "follows the stated loop on small sets only and doubles the batch size on larger ones",
                                             "other"),
            "sigmoid_hidden": _loop(GRADS, "            grads = backprop(X[rows], Y[rows], params, output, hidden=\"sigmoid\")\n",
                                    "backpropagates through sigmoid hidden layers although the forward pass is ReLU",
                                    "wrong_function"),
        },
        "shortcuts": {},
    },
}
