"""Fresh corpus, assignment 5 (training.ipynb): written from the released notebook alone.

The notebook's part 0 makes students paste their code of assignments 1-4 (activations, losses,
``forward_pass``, ``backprop`` with an ``output`` argument); ``PASTED`` below is a right version of
that cell, and ``cases.PRELUDES["a5"]`` runs it (and a right ``init_params``) before every source,
as the autograder runs the notebook's cells in order. ``train`` is graded through the notebook's
three networks, so ``verify.py`` checks each ``train`` source as ``train_regression``,
``train_binary`` and ``train_classifier`` (the three wrappers are appended to it, unchanged).
See README.md: never register these mistakes; they measure the grader.
"""
from a4_losses import _m

PASTED = '''
def relu(z):
    return np.maximum(0.0, z)


def relu_prime(z):
    return (z > 0).astype(float)


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def mse(Y_hat, Y):
    return float(0.5 * np.sum((Y_hat - Y) ** 2) / len(Y))


def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / len(Y))


def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P)) / len(Y))


def forward_pass(X, params, output, hidden="relu"):
    g = relu if hidden == "relu" else sigmoid
    out = {"linear": lambda z: z, "sigmoid": sigmoid, "softmax": softmax}[output]
    Z, A = [], [X]
    for l, (W, b) in enumerate(params):
        Z.append(A[-1] @ W.T + b)
        A.append(out(Z[-1]) if l == len(params) - 1 else g(Z[-1]))
    return Z, A


def backprop(X, Y, params, output, hidden="relu"):
    Z, A = forward_pass(X, params, output, hidden)
    m = X.shape[0]
    delta = A[-1] - Y          # linear + MSE, sigmoid + BCE and softmax + CCE all give a - y
    grads = []
    for l in range(len(params) - 1, -1, -1):
        grads.append((delta.T @ A[l] / m, delta.mean(axis=0)))
        if l > 0:
            if hidden == "relu":
                d = relu_prime(Z[l - 1])
            else:
                d = A[l] * (1 - A[l])
            delta = (delta @ params[l][0]) * d
    return grads[::-1]


def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''

WRAPPERS = '''

def train_regression(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "linear", lr, epochs, batch_size, seed)


def train_binary(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "sigmoid", lr, epochs, batch_size, seed)


def train_classifier(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "softmax", lr, epochs, batch_size, seed)
'''

_TRAIN_RIGHT = '''
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    params = init_params(sizes, seed)
    rng = np.random.default_rng(seed)
    m = X.shape[0]
    loss = {"linear": mse, "sigmoid": bce, "softmax": cce}[output]
    for epoch in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            grads = backprop(X[rows], Y[rows], params, output)
            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
        if history is not None:
            history.append(loss(forward_pass(X, params, output)[1][-1], Y))
    return params
'''


def _train(source: str) -> str:
    return source + WRAPPERS


def _variant(old: str, new: str) -> str:
    assert old in _TRAIN_RIGHT, old
    return _train(_TRAIN_RIGHT.replace(old, new))


CORPUS = {
    "init_params": {
        "valid": {
            "normal_with_scale": '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in))
        params.append((W, np.zeros(n_out)))
    return params
''',
            "standard_normal_times_std": '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((sizes[l], sizes[l - 1])) * np.sqrt(2 / sizes[l - 1]), np.zeros(sizes[l]))
            for l in range(1, len(sizes))]
''',
            "scale_keyword": '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    out = []
    for l in range(len(sizes) - 1):
        n_in, n_out = int(sizes[l]), int(sizes[l + 1])
        out.append((rng.normal(loc=0, scale=(2 / n_in) ** 0.5, size=(n_out, n_in)), np.zeros((n_out,))))
    return out
''',
        },
        "mistakes": {
            "he_uniform": _m("draws He-uniform weights U(-sqrt(6/n_in), sqrt(6/n_in)) instead of the stated normal draw (same variance, other numbers).",
                             "shapes, zero biases and variance right; the weights are not the stated normal draw, so every exact replay of train differs", '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-np.sqrt(6 / n_in), np.sqrt(6 / n_in), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''),
            "std_with_bias_input": _m("standard deviation sqrt(2 / (n_in + 1)), counting the bias as an input.",
                                      "every W scaled by sqrt(n_in / (n_in + 1)); biases right", '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / (n_in + 1)), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''),
            "variance_as_std": _m("passes the variance 2 / n_in as the standard deviation.", "every W's spread wrong (sqrt(2 / n_in) times the expected)", '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, 2 / n_in, size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''),
            "fan_out": _m("uses n_out instead of n_in in the standard deviation.", "every W's spread wrong unless n_in = n_out", '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / n_out), size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''),
            "xavier": _m("Xavier/Glorot scale sqrt(1 / n_in) instead of He's sqrt(2 / n_in).", "every W too small by sqrt(2)", '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(1 / n_in), size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''),
            "drawn_transposed": _m("draws W in shape (n_in, n_out) and transposes it, so the numbers differ from the stated draw.",
                                   "shapes and statistics right; the weights are not the stated draw (exact replays of train differ)", '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out)).T, np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''),
            "random_biases": _m("draws the biases from the generator too, instead of zeros (and shifts every later draw).",
                                "biases nonzero; every layer after the first has other weights", '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in))
        params.append((W, rng.normal(0, 0.01, size=n_out)))
    return params
'''),
            "global_seed": _m("seeds numpy's global generator and draws from it (np.random.seed / np.random.randn), not default_rng(seed).",
                              "shapes and statistics right; other numbers than the stated generator's", '''
def init_params(sizes, seed):
    np.random.seed(seed)
    return [(np.random.randn(n_out, n_in) * np.sqrt(2 / n_in), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''),
        },
        "shortcuts": {},
    },
    "train": {
        "valid": {
            "stated_loop": _train(_TRAIN_RIGHT),
            "index_arithmetic_and_gd_helper": _train('''
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    params = init_params(sizes, seed)
    rng = np.random.default_rng(seed)
    m = len(X)
    n_batches = int(np.ceil(m / batch_size))
    for _ in range(epochs):
        perm = rng.permutation(m)
        for k in range(n_batches):
            idx = perm[k * batch_size:min((k + 1) * batch_size, m)]
            grads = backprop(X[idx], Y[idx], params, output)
            new = []
            for (W, b), (dW, db) in zip(params, grads):
                new.append((W - lr * dW, b - lr * db))
            params = new
        if history is not None:
            history.append({"linear": mse, "sigmoid": bce, "softmax": cce}[output](forward_pass(X, params, output)[1][-1], Y))
    return params
'''),
            "array_split_batches": _train('''
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    params = init_params(sizes, seed)
    rng = np.random.default_rng(seed)
    m = X.shape[0]
    for _ in range(epochs):
        order = rng.permutation(m)
        for rows in np.split(order, np.arange(batch_size, m, batch_size)):
            grads = backprop(X[rows], Y[rows], params, output)
            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
'''),
        },
        "mistakes": {
            "generator_per_epoch": _m("creates default_rng(seed) inside the epoch loop, so every epoch uses the same order.",
                                      "the first epoch right; later epochs visit the rows in the same order again", _variant(
                                          "        order = rng.permutation(m)", "        order = np.random.default_rng(seed).permutation(m)")),
            "no_shuffle": _m("visits the rows in their stored order every epoch.", "parameters differ from the first batch on", _variant(
                "        order = rng.permutation(m)", "        order = np.arange(m)")),
            "drops_last_batch": _m("skips the last, shorter batch.", "differs whenever batch_size does not divide m", _variant(
                "        for start in range(0, m, batch_size):", "        for start in range(0, m - batch_size + 1, batch_size):")),
            "epochs_minus_one": _m("runs epochs - 1 epochs.", "the parameters of one epoch fewer", _variant(
                "    for epoch in range(epochs):", "    for epoch in range(epochs - 1):")),
            "full_batch_gradient": _m("computes backprop on the whole training set at every batch step instead of the batch's rows.",
                                      "every step uses the wrong gradient (right only when one batch holds every row)", _variant(
                                          "grads = backprop(X[rows], Y[rows], params, output)", "grads = backprop(X, Y, params, output)")),
            "rows_and_targets_misaligned": _m("shuffles X but takes the targets in stored order (Y[start:start + batch_size]).",
                                              "every step pairs rows with other rows' targets", _variant(
                                                  "grads = backprop(X[rows], Y[rows], params, output)",
                                                  "grads = backprop(X[rows], Y[start:start + batch_size], params, output)")),
            "shared_generator_with_init": _m("draws the initial weights and the shuffling from one generator (its own init inside train), so the permutations differ.",
                                             "the permutations are not the stated ones; parameters differ", _variant(
                                                 "    params = init_params(sizes, seed)\n    rng = np.random.default_rng(seed)",
                                                 "    rng = np.random.default_rng(seed)\n    params = [(rng.normal(0.0, np.sqrt(2.0 / a), size=(b, a)), np.zeros(b)) for a, b in zip(sizes[:-1], sizes[1:])]")),
            "sum_of_batch_gradients": _m("multiplies the mean gradients by the batch size (steps with the batch's summed loss).",
                                         "every step batch-size times too long", _variant(
                                             "(W - lr * dW, b - lr * db)", "(W - lr * len(rows) * dW, b - lr * len(rows) * db)")),
            "biases_not_updated": _m("updates only the weights.", "every bias stays 0", _variant(
                "(W - lr * dW, b - lr * db)", "(W - lr * dW, b)")),
            "early_stopping": _m("stops when an epoch improves the training loss by less than 1e-4, which the stated loop never does.",
                                 "fewer epochs than asked whenever the loss plateaus (small learning rates)", _variant(
                                     '''        if history is not None:
            history.append(loss(forward_pass(X, params, output)[1][-1], Y))''',
                                     '''        current = loss(forward_pass(X, params, output)[1][-1], Y)
        if history is not None:
            history.append(current)
        if epoch > 0 and previous - current < 1e-4:
            break
        previous = current''')),
            "float32": _m("casts the data and parameters to float32 (the course's arrays are float64).",
                          "parameters differ from the float64 loop by about 1e-7 relative", _variant(
                              "    params = init_params(sizes, seed)",
                              "    X, Y = X.astype(np.float32), Y.astype(np.float32)\n    params = [(W.astype(np.float32), b.astype(np.float32)) for W, b in init_params(sizes, seed)]")),
            "stated_loop_on_small_data_only": _m("follows the stated loop on training sets of at most 30 rows and trains differently (more epochs, full batches) on larger ones.",
                                                 "exact on the replays' sizes; other parameters on the course's data",
                                                 _variant("    for epoch in range(epochs):",
                                                          "    if m > 30:\n        epochs, batch_size = 3 * epochs, m\n    for epoch in range(epochs):")),
        },
        "shortcuts": {},
    },
}
