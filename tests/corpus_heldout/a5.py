"""Held-out student answers for assignment 5 (He initialisation and the mini-batch loop).

Written from ``assignments/a5_training/training.ipynb`` alone. ``PRELUDE`` is what a student
pastes into the notebook's cell of assignments 1-4 (activations, losses, ``forward_pass`` and
``backprop`` generalised to the three outputs), followed by a right ``init_params`` (the cell
of part 1, which ``train`` calls). ``train`` is graded through the notebook's
``train_regression``, ``train_binary`` and ``train_classifier``, which :func:`_train` appends
unchanged to every ``train`` source; a ``train`` mistake must therefore be wrong for all three
networks. Most are one slip in ``_LOOP``, written with :func:`_edit`. See README.md.
"""

PRELUDE = '''
def relu(z):
    return np.maximum(z, 0.0)


def relu_prime(z):
    return (z > 0).astype(np.float64)


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        keep = x[idx]
        x[idx] = keep + h
        up = f(x)
        x[idx] = keep - h
        down = f(x)
        x[idx] = keep
        grad[idx] = (up - down) / (2 * h)
    return grad


def mse(Y_hat, Y):
    return float(0.5 * np.mean(np.sum((Y_hat - Y) ** 2, axis=1)))


def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))


def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))


ACTIVATIONS = {"relu": (relu, relu_prime), "sigmoid": (sigmoid, sigmoid_prime)}
OUTPUTS = {"linear": lambda Z: Z, "sigmoid": sigmoid, "softmax": softmax}


def forward_pass(X, params, output, hidden="relu"):
    g = ACTIVATIONS[hidden][0]
    Z, A = [], [X]
    for l, (W, b) in enumerate(params):
        Z.append(A[-1] @ W.T + b)
        A.append(OUTPUTS[output](Z[-1]) if l == len(params) - 1 else g(Z[-1]))
    return Z, A


def backprop(X, Y, params, output, hidden="relu"):
    g_prime = ACTIVATIONS[hidden][1]
    Z, A = forward_pass(X, params, output, hidden)
    m = X.shape[0]
    delta = A[-1] - Y          # linear + MSE, sigmoid + BCE and softmax + CCE all give a - y
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        grads[l] = (delta.T @ A[l] / m, delta.mean(axis=0))
        if l > 0:
            delta = (delta @ params[l][0]) * g_prime(Z[l - 1])
    return grads


def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''

_WRAPPERS = '''

def train_regression(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "linear", lr, epochs, batch_size, seed)


def train_binary(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "sigmoid", lr, epochs, batch_size, seed)


def train_classifier(X, Y, sizes, lr, epochs, batch_size, seed):
    return train(X, Y, sizes, "softmax", lr, epochs, batch_size, seed)
'''


def _train(source: str) -> str:
    """A ``train`` cell as the notebook has it: the student's ``train`` and the three given networks."""
    return source + _WRAPPERS


def _edit(source: str, old: str, new: str) -> str:
    """``source`` with its one occurrence of ``old`` replaced by ``new`` (an error if absent)."""
    assert source.count(old) == 1, (old, source)
    return source.replace(old, new)


_LOOP = '''
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
            loss = {"linear": mse, "sigmoid": bce, "softmax": cce}[output]
            history.append(loss(forward_pass(X, params, output)[1][-1], Y))
    return params
'''

_WHILE = '''
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    params = [[W, b] for W, b in init_params(sizes, seed)]
    shuffler = np.random.default_rng(seed)
    m = len(X)
    for _ in range(epochs):
        idx = np.arange(m)
        shuffler.shuffle(idx)                 # the same draw as shuffler.permutation(m)
        start = 0
        while start < m:
            batch = idx[start:start + batch_size]
            for layer, (dW, db) in enumerate(backprop(X[batch], Y[batch], params, output)):
                params[layer][0] -= lr * dW   # fresh arrays from init_params: safe in place
                params[layer][1] -= lr * db
            start += batch_size
        if history is not None:
            history.append({"linear": mse, "sigmoid": bce, "softmax": cce}[output](
                forward_pass(X, params, output)[1][-1], Y))
    return [(W, b) for W, b in params]
'''


def _mistake(old: str, new: str, what: str, evidence: str, base: str = _LOOP) -> dict:
    return dict(source=_train(_edit(base, old, new)), what=what, evidence=evidence)


CORPUS = {
    "init_params": {
        "valid": {
            "scaled_standard_normal": '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = np.sqrt(2.0 / n_in) * rng.standard_normal((n_out, n_in))
        params.append((W, np.zeros(n_out)))
    return params
''',
            "row_by_row": '''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for l in range(1, len(sizes)):
        std = (2 / sizes[l - 1]) ** 0.5
        # consecutive draws of one generator: the rows come out in the order of one (n_out, n_in) draw
        W = np.array([rng.normal(0, std, sizes[l - 1]) for _ in range(sizes[l])])
        params.append((W, np.zeros(sizes[l])))
    return params
''',
        },
        "mistakes": {
            "std_one_over_n_in": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(1 / a), (b, a)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', what="Uses the standard deviation sqrt(1/n_in) (LeCun) instead of He's sqrt(2/n_in).", evidence="factor"),
            "variance_as_std": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, 2 / a, (b, a)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', what="Passes the variance 2/n_in to rng.normal as its scale, which is the standard deviation.",
                evidence="factor"),
            "std_of_n_out": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / b), (b, a)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', what="Scales by sqrt(2/n_out) instead of sqrt(2/n_in).", evidence="other"),
            "glorot": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / (a + b)), (b, a)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', what="Uses Glorot's sqrt(2/(n_in + n_out)) instead of He's sqrt(2/n_in).", evidence="wrong_function"),
            "he_uniform": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for a, b in zip(sizes, sizes[1:]):
        limit = np.sqrt(6 / a)
        params.append((rng.uniform(-limit, limit, (b, a)), np.zeros(b)))
    return params
''', what="Draws He's uniform variant instead of one normal draw.", evidence="wrong_function"),
            "drawn_transposed": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / a), (a, b)).T, np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', what="Draws W in shape (n_in, n_out) and transposes it, so the numbers land in other places than the stated draw.",
                evidence="transpose"),
            "not_transposed": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / a), (a, b)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', what="Returns W in note 004's shape (n_in, n_out).", evidence="transpose"),
            "random_biases": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for a, b in zip(sizes, sizes[1:]):
        W = rng.normal(0, np.sqrt(2 / a), (b, a))
        params.append((W, rng.normal(0, np.sqrt(2 / a), b)))
    return params
''', what="Draws the biases at random too instead of zeros (which also shifts every later draw).",
                evidence="extra_term"),
            "generator_per_layer": dict(source='''
def init_params(sizes, seed):
    params = []
    for a, b in zip(sizes, sizes[1:]):
        rng = np.random.default_rng(seed)
        params.append((rng.normal(0, np.sqrt(2 / a), (b, a)), np.zeros(b)))
    return params
''', what="Creates the generator again in every layer, so every layer starts from the same draws.",
                evidence="rng"),
            "legacy_global_seed": dict(source='''
def init_params(sizes, seed):
    np.random.seed(seed)
    return [(np.random.randn(b, a) * np.sqrt(2 / a), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', what="Draws from the legacy global np.random (seed, randn) instead of np.random.default_rng(seed).",
                evidence="rng"),
            "column_bias": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / a), (b, a)), np.zeros((b, 1))) for a, b in zip(sizes, sizes[1:])]
''', what="Gives every bias the column shape (n_out, 1) instead of (n_out,).", evidence="shape"),
            "column_by_column": dict(source='''
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for a, b in zip(sizes, sizes[1:]):
        W = np.column_stack([rng.normal(0, np.sqrt(2 / a), b) for _ in range(a)])
        params.append((W, np.zeros(b)))
    return params
''', what="Draws W one column at a time, which fills it in another order than one (n_out, n_in) draw.",
                evidence="loop_order"),
        },
        "shortcuts": {},
    },
    "train": {
        "valid": {
            "stated_loop": _train(_LOOP),
            "while_and_in_place": _train(_WHILE),
            "split_at_multiples": _train(_edit(_LOOP, '''        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
''', '''        for rows in np.split(order, np.arange(batch_size, m, batch_size)):
''')),
        },
        "mistakes": {
            "no_shuffle": _mistake("order = rng.permutation(m)", "order = np.arange(m)",
                                   "Never shuffles: every epoch visits the rows in their given order.", "rng"),
            "shuffled_once": _mistake('''    for epoch in range(epochs):
        order = rng.permutation(m)
''', '''    order = rng.permutation(m)
    for epoch in range(epochs):
''', "Shuffles once before the first epoch instead of at the start of every epoch.", "rng"),
            "generator_every_epoch": _mistake("        order = rng.permutation(m)",
                                              "        order = np.random.default_rng(seed).permutation(m)",
                                              "Creates the generator again every epoch, so every epoch uses the same "
                                              "order.", "rng"),
            "seed_plus_epoch": _mistake("        order = rng.permutation(m)",
                                        "        order = np.random.default_rng(seed + epoch).permutation(m)",
                                        "Seeds a new generator with seed + epoch every epoch instead of one "
                                        "generator.", "rng"),
            "legacy_global_shuffle": _mistake("    rng = np.random.default_rng(seed)",
                                              "    np.random.seed(seed)\n    rng = np.random",
                                              "Shuffles with the legacy global np.random.permutation instead of "
                                              "default_rng(seed).", "rng"),
            "choice_as_shuffle": _mistake("order = rng.permutation(m)", "order = rng.choice(m, size=m, replace=False)",
                                          "Shuffles with rng.choice(m, m, replace=False), another draw than the "
                                          "stated rng.permutation(m).",
                                          "rng"),
            "bootstrap_rows": _mistake("order = rng.permutation(m)", "order = rng.integers(0, m, size=m)",
                                       "Draws the rows with replacement, so some are visited twice and others never.",
                "rng"),
            "one_generator_for_both": _mistake('''    params = init_params(sizes, seed)
    rng = np.random.default_rng(seed)
''', '''    rng = np.random.default_rng(seed)
    params = [(rng.normal(0, np.sqrt(2 / a), (b, a)), np.zeros(b)) for a, b in zip(sizes, sizes[1:])]
''', "Initialises with the shuffling's generator, so the shuffles continue its stream instead of a fresh one.", "rng"),
            "short_batch_dropped": _mistake("for start in range(0, m, batch_size):",
                                            "for start in range(0, m - batch_size + 1, batch_size):",
                                            "Drops the last, shorter batch when batch_size does not divide m.",
                "batching"),
            "last_full_batch_lost": _mistake("for start in range(0, m, batch_size):",
                                             "for start in range(0, m - batch_size, batch_size):",
                                             "Stops the batch loop one batch early, even when batch_size divides m.",
                "loop_count"),
            "balanced_batches": _mistake('''        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
''', '''        for rows in np.array_split(order, int(np.ceil(m / batch_size))):
''', "Cuts the order into ceil(m / batch_size) near-equal batches instead of batches of batch_size rows.", "batching"),
            "one_epoch_short": _mistake("for epoch in range(epochs):", "for epoch in range(epochs - 1):",
                                        "Runs epochs - 1 epochs.", "loop_count"),
            "one_epoch_extra": _mistake("for epoch in range(epochs):", "for epoch in range(epochs + 1):",
                                        "Runs epochs + 1 epochs.", "loop_count"),
            "shuffled_in_place_separately": _mistake('''        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            grads = backprop(X[rows], Y[rows], params, output)
''', '''        rng.shuffle(X)
        rng.shuffle(Y)
        for start in range(0, m, batch_size):
            grads = backprop(X[start:start + batch_size], Y[start:start + batch_size], params, output)
''', "Shuffles X and Y in place with two separate calls: the caller's arrays change and rows lose their targets.",
                "in_place"),
            "targets_not_reordered": _mistake("grads = backprop(X[rows], Y[rows], params, output)",
                                              "grads = backprop(X[rows], Y[start:start + batch_size], params, output)",
                                              "Takes the shuffled rows of X but the unshuffled rows of Y.", "batching"),
            "lr_per_example": _mistake("params = [(W - lr * dW, b - lr * db)",
                                       "params = [(W - lr / len(rows) * dW, b - lr / len(rows) * db)",
                                       "Divides the learning rate by the batch size although the gradients are "
                                       "already means.",
                                       "factor"),
            "biases_frozen": _mistake("params = [(W - lr * dW, b - lr * db)", "params = [(W - lr * dW, b)",
                                      "Steps the weights but never the biases.", "missing_term"),
            "ascent": _mistake("params = [(W - lr * dW, b - lr * db)", "params = [(W + lr * dW, b + lr * db)",
                               "Adds the gradients instead of subtracting them.", "sign"),
            "update_lost": _mistake('''            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''', '''            for (W, b), (dW, db) in zip(params, grads):
                W = W - lr * dW
                b = b - lr * db
''', "Rebinds the loop variables W and b, so the parameters never change.", "other"),
            "layer_by_layer_recomputed": _mistake('''            grads = backprop(X[rows], Y[rows], params, output)
            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''', '''            for l in range(len(params)):
                dW, db = backprop(X[rows], Y[rows], params, output)[l]
                params[l] = (params[l][0] - lr * dW, params[l][1] - lr * db)
''', "Recomputes the gradients after each layer's step, so later layers step from updated parameters.",
                "loop_order"),
            "full_batch": _mistake('''        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
''', '''        for rows in [order]:
''', "Ignores batch_size and takes one full-batch step per epoch.", "ignored_argument"),
            "weight_decay": _mistake("params = [(W - lr * dW, b - lr * db)",
                                     "params = [(W - lr * (dW + 1e-3 * W), b - lr * db)",
                                     "Adds an L2 weight decay the notebook does not ask for.", "extra_term"),
            "inputs_standardised": _mistake("    m = X.shape[0]\n",
                                            "    m = X.shape[0]\n    X = (X - X.mean(axis=0)) / X.std(axis=0)\n",
                                            "Standardises the features again inside train.", "other"),
            "sigmoid_hidden": _mistake("grads = backprop(X[rows], Y[rows], params, output)",
                                       "grads = backprop(X[rows], Y[rows], params, output, hidden=\"sigmoid\")",
                                       "Backpropagates through sigmoid hidden layers although the forward pass and "
                                       "the task use ReLU.",
                                       "wrong_function"),
            "decaying_rate": _mistake("params = [(W - lr * dW, b - lr * db)",
                                      "params = [(W - lr / (1 + epoch) * dW, b - lr / (1 + epoch) * db)",
                                      "Decays the learning rate as lr/(1 + epoch) instead of keeping it constant.",
                "extra_term"),
            "seed_ignored": _mistake("params = init_params(sizes, seed)", "params = init_params(sizes, 0)",
                                     "Initialises with seed 0 whatever the seed argument.", "ignored_argument"),
            "permutation_per_batch": _mistake('''        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
''', '''        for start in range(0, m, batch_size):
            rows = rng.permutation(m)[start:start + batch_size]
''', "Draws a new permutation for every batch, so an epoch neither visits every row once nor follows the stated draws.",
                "rng"),
        },
        "shortcuts": {},
    },
}
