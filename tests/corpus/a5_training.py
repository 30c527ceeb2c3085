"""Corpus, assignment 5 (format: see a1_activations.py). The solution's pasted code of
assignments 1-4 is given (``relu``, ``sigmoid``, ``softmax``, ``forward_pass``,
``backprop(X, Y, params, output)``, ``LOSSES``), and so are its ``init_params`` and ``train``.

These questions are judged, not compared: ``init_params`` on its statistics, ``train`` on each
of the three networks (its cases) by the test metric after training with the course's settings and
by exact replays of the stated loop from the answer's own ``init_params`` (a registered careless
loop is named; any other difference is ``not the stated loop``). An id is a registered mistake's
name or the judge's id of what it found (``below-threshold``, ``non-finite``, ``scale``,
``shape``, ``transposed``, ...)."""


#: The reviewer's cheat: no initialisation, no loop, no backprop; a ridge least-squares fit (8 Newton
#: steps of logistic regression for the binary network) written exactly into the ReLU network with the
#: units relu(s) and relu(-s). It reached every test threshold before the exact replays.
_LSQ_HELPERS = """
def _net_from_linear(Wl, bl, sizes):
    n0, h, k = sizes
    if h < 2 * k:  # too narrow for the copy (an exact replay's width): anything of the right shapes
        return [(np.zeros((h, n0)), np.ones(h)), (np.zeros((k, h)), np.ones(k))]
    W1 = np.zeros((h, n0)); W1[:k] = Wl; W1[k:2*k] = -Wl
    b1 = np.zeros(h); b1[:k] = bl; b1[k:2*k] = -bl
    W2 = np.zeros((k, h)); W2[:, :k] = np.eye(k); W2[:, k:2*k] = -np.eye(k)
    return [(W1, b1), (W2, np.full(k, 1e-12))]


def _lsq(X, T, ridge=1e-3):
    Xa = np.hstack([X, np.ones((len(X), 1))])
    B = np.linalg.solve(Xa.T @ Xa + ridge * np.eye(Xa.shape[1]), Xa.T @ T)
    return B[:-1].T, B[-1]
"""
LSQ = _LSQ_HELPERS + """
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    if output == "sigmoid":
        Xa = np.hstack([X, np.ones((len(X), 1))]); w = np.zeros(Xa.shape[1]); y = Y[:, 0]
        for _ in range(8):
            p = 1 / (1 + np.exp(-Xa @ w)); g = Xa.T @ (p - y) + 1.0 * w
            H = (Xa.T * (p * (1 - p))) @ Xa + 1.0 * np.eye(len(w)); w -= np.linalg.solve(H, g)
        return _net_from_linear(w[None, :-1], w[-1:], sizes)
    W, b = _lsq(X, Y, ridge=1.0 if output == "softmax" else 1e-3)
    return _net_from_linear(W, b, sizes)
"""


def _loop(update: str = "params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]",
          batches: str = "for start in range(0, m, batch_size):\n            rows = order[start:start + batch_size]",
          order: str = "order = rng.permutation(m)", init: str = "init_params(sizes, seed)") -> str:
    """The training loop with one part replaced (a wrong variant, or another valid one)."""
    return f"""
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    rng = np.random.default_rng(seed)
    params = {init}
    m = X.shape[0]
    for epoch in range(epochs):
        {order}
        {batches}
            grads = backprop(X[rows], Y[rows], params, output)
            {update}
    return params
"""


TRAIN = {
    "valid": {
        "in-place updates, a fresh index array shuffled with rng.shuffle": """
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    rng = np.random.default_rng(seed)
    params = [[W.copy(), b.copy()] for W, b in init_params(sizes, seed)]
    for _ in range(epochs):
        index = np.arange(len(X))
        rng.shuffle(index)
        start = 0
        while start < len(X):
            rows = index[start:start + batch_size]
            for layer, (dW, db) in zip(params, backprop(X[rows], Y[rows], params, output)):
                layer[0] -= lr * dW
                layer[1] -= lr * db
            start += batch_size
    return [tuple(layer) for layer in params]
""",
        "batches by np.array_split": _loop(batches="for rows in np.array_split(order, range(batch_size, m, batch_size)):"),
        # PyTorch's drop_last=True: the notebook accepts it (the replays accept both forms)
        "last short batch dropped": _loop(batches="for start in range(0, m - batch_size + 1, batch_size):\n"
                                                  "            rows = order[start:start + batch_size]"),
    },
    "mistakes": {
        "no shuffling": ("no shuffling", _loop(order="order = np.arange(m)")),
        "a new generator every epoch": ("same order every epoch", _loop(
            order="order = np.random.default_rng(seed).permutation(m)")),
        "shuffled once, before the epochs": ("same order every epoch", _loop().replace(
            "    for epoch in range(epochs):\n        order = rng.permutation(m)",
            "    order = rng.permutation(m)\n    for epoch in range(epochs):\n        pass")),
        "shuffling generator seeded with seed + 1": ("not the stated loop", _loop().replace(
            "rng = np.random.default_rng(seed)", "rng = np.random.default_rng(seed + 1)")),
        "summed gradients": ("summed gradients", _loop(
            update="params = [(W - lr * len(rows) * dW, b - lr * len(rows) * db) "
                   "for (W, b), (dW, db) in zip(params, grads)]")),
        "only the last layer trained": ("only the last layer updated", _loop(
            update="params = params[:-1] + [(params[-1][0] - lr * grads[-1][0], "
                   "params[-1][1] - lr * grads[-1][1])]")),
        "first layer's weights frozen": ("first layer's weights not updated", _loop(
            update="params = [(W if l == 0 else W - lr * dW, b - lr * db) "
                   "for l, ((W, b), (dW, db)) in enumerate(zip(params, grads))]")),
        "biases never updated": ("biases not updated", _loop(
            update="params = [(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)]")),
        "returns the initialisation": ("biases not updated", """
def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
    return init_params(sizes, seed)
"""),
        "one step per epoch on the whole set": ("batch size ignored", _loop(batches="for rows in [order]:")),
        "gradient ascent": ("gradient ascent", _loop(
            update="params = [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]")),
        "W returned transposed": ("transposed", _loop().replace(
            "    return params", "    return [(W.T, b) for W, b in params]")),
        "epochs ignored, one epoch": ("one epoch only", _loop().replace(
            "for epoch in range(epochs):", "for epoch in range(1):")),
        "one batch per epoch": ("one batch per epoch", _loop(
            batches="for start in [0]:\n            rows = order[start:start + batch_size]")),
        "a linear least-squares fit written into the network, no training": ("not the stated loop", LSQ),
    },
}


CORPUS = {
    "init_params": {
        "valid": {
            "standard_normal scaled": """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params.append((rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_in), np.zeros(n_out)))
    return params
""",
            "a tuple of lists, scale keyword": """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return tuple([rng.normal(loc=0.0, scale=(2.0 / sizes[k]) ** 0.5, size=(sizes[k + 1], sizes[k])),
                  np.zeros(sizes[k + 1])] for k in range(len(sizes) - 1))
""",
            "legacy RandomState": """
def init_params(sizes, seed):
    rs = np.random.RandomState(seed % 2**32)
    return [(rs.randn(n_out, n_in) / np.sqrt(n_in / 2), np.zeros((n_out,))) for n_in, n_out in zip(sizes, sizes[1:])]
""",
        },
        "mistakes": {
            "unscaled": ("standard deviation 1", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "LeCun's scale": ("scaled by sqrt(1/n_in)", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(1 / n_in), size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "divided by the outputs": ("scaled by n_out", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / n_out), size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "variance passed as the scale": ("variance for standard deviation", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, 2 / n_in, size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "random biases": ("random biases", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)), rng.normal(0, np.sqrt(2 / n_in), size=n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "uniform on [0, 1)": (("not centred",), """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.random((n_out, n_in)) * np.sqrt(2 / n_in), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "uniform on [-1, 1]": ("scale", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1, 1, size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "W of shape (n_in, n_out)": ("transposed", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
"""),
            "one layer too many": ("structure", """
def init_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip([sizes[0]] + sizes[:-1], sizes)]
"""),
        },
    },
    "train": TRAIN,
}
