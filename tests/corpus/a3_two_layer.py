"""Corpus, assignment 3 (format: see a1_activations.py). `sigmoid` and `relu` are given.

The four two-layer questions (one per network, each returning ``(dW1, db1, dW2, db2)``)
are written from one vectorised skeleton and one per-example (column-vector, as in the
notes) skeleton, with the pieces a student writes filled in: each filled-in source is an
ordinary answer a student could hand in.
"""

VECTORISED = """
def {name}(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    Z1 = {z1}
    A1 = {hidden}(Z1)
    Z2 = A1 @ W2.T + b2
    A2 = {out}
    delta2 = {delta2}
    delta1 = {delta1}
    return {result}
"""

PER_EXAMPLE = """
def {name}(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    dW1, db1 = np.zeros_like(W1), np.zeros((W1.shape[0], 1))
    dW2, db2 = np.zeros_like(W2), np.zeros((W2.shape[0], 1))
    for i in range(m):
        x, y = X[i][:, None], Y[i][:, None]
        z1 = W1 @ x + b1[:, None]
        a1 = {hidden}(z1)
        z2 = W2 @ a1 + b2[:, None]
        a2 = {out_column}
        d2 = {delta2_column}
        d1 = ({back}) * {g_prime_column}
        dW1 += d1 @ x.T
        db1 += d1
        dW2 += d2 @ a1.T
        db2 += d2
    return {final}
"""

LIST_OF_SUMS = """
def {name}(X, Y, W1, b1, W2, b2):
    m = len(X)
    Z1 = X @ W1.T + b1
    A1 = {hidden}(Z1)
    A2 = {out}
    error_out = {delta2}
    error_hidden = (error_out @ W2) * {g_prime}
    sums = [np.einsum("ij,ik->jk", error_hidden, X), error_hidden.sum(axis=0),
            np.einsum("ij,ik->jk", error_out, A1), error_out.sum(axis=0)]
    return [g / m for g in sums]
"""

HIDDEN = {"regression": "sigmoid", "homework": "sigmoid", "binary": "sigmoid", "binary_relu": "relu"}
OUTPUT = {"regression": "Z2", "homework": "sigmoid(Z2)", "binary": "sigmoid(Z2)", "binary_relu": "sigmoid(Z2)"}
DELTA2 = {"regression": "A2 - Y", "homework": "(A2 - Y) * A2 * (1 - A2)", "binary": "A2 - Y", "binary_relu": "A2 - Y"}
G_PRIME = {"sigmoid": "A1 * (1 - A1)", "relu": "(Z1 > 0)"}
OUTPUT_COLUMN = {"regression": "z2", "homework": "sigmoid(z2)", "binary": "sigmoid(z2)", "binary_relu": "sigmoid(z2)"}
DELTA2_COLUMN = {"regression": "a2 - y", "homework": "(a2 - y) * a2 * (1 - a2)", "binary": "a2 - y",
                 "binary_relu": "a2 - y"}
G_PRIME_COLUMN = {"sigmoid": "a1 * (1 - a1)", "relu": "np.where(z1 > 0, 1.0, 0.0)"}
FINAL = "dW1 / m, db1.ravel() / m, dW2 / m, db2.ravel() / m"


def vectorised(kind: str, **pieces) -> str:
    hidden = HIDDEN[kind]
    fields = {"name": f"{kind}_gradients", "z1": "X @ W1.T + b1", "hidden": hidden, "out": OUTPUT[kind],
              "delta2": DELTA2[kind], "delta1": f"(delta2 @ W2) * {G_PRIME[hidden]}",
              "result": ", ".join(RIGHT.values())}
    fields.update(pieces)
    return VECTORISED.format(**fields)


RIGHT = {"dW1": "delta1.T @ X / m", "db1": "delta1.mean(axis=0)", "dW2": "delta2.T @ A1 / m",
         "db2": "delta2.mean(axis=0)"}


def returning(kind: str, **gradients: str) -> str:
    """The vectorised answer with some of the four returned expressions replaced."""
    return vectorised(kind, result=", ".join({**RIGHT, **gradients}.values()))


def per_example(kind: str, **pieces) -> str:
    hidden = HIDDEN[kind]
    fields = {"name": f"{kind}_gradients", "hidden": hidden, "out_column": OUTPUT_COLUMN[kind],
              "delta2_column": DELTA2_COLUMN[kind], "back": "W2.T @ d2", "g_prime_column": G_PRIME_COLUMN[hidden],
              "final": FINAL}
    fields.update(pieces)
    return PER_EXAMPLE.format(**fields)


def list_of_sums(kind: str) -> str:
    hidden = HIDDEN[kind]
    g_prime = {"sigmoid": "A1 * (1 - A1)", "relu": "(A1 > 0)"}[hidden]
    return LIST_OF_SUMS.format(name=f"{kind}_gradients", hidden=hidden, delta2=DELTA2[kind], g_prime=g_prime,
                               out=OUTPUT[kind].replace("Z2", "(A1 @ W2.T + b2)"))


def two_layer_entry(kind: str) -> dict:
    hidden = HIDDEN[kind]
    mistakes = {
        "no 1/m": (("summed instead of averaged", "factor:m"), returning(
            kind, dW1="delta1.T @ X", db1="delta1.sum(axis=0)", dW2="delta2.T @ A1", db2="delta2.sum(axis=0)")),
        "dW without 1/m": ("weights summed, biases averaged",
                           returning(kind, dW1="delta1.T @ X", dW2="delta2.T @ A1")),
        "db as a sum over the rows": ("biases summed, weights averaged", returning(
            kind, db1="delta1.sum(axis=0)", db2="delta2.sum(axis=0)")),
        "no g'(z1) in db1 only": ("one-gradient:db1", returning(kind, db1="(delta2 @ W2).mean(axis=0)")),
        "z1 for a1 in dW2": ("one-gradient:dW2", returning(kind, dW2="delta2.T @ Z1 / m")),
        "(y - a2)": (("sign flipped", "factor:sign"),
                     vectorised(kind, delta2=DELTA2[kind].replace("A2 - Y", "Y - A2"))),
        "output layer first": ("gradients in another order", returning(
            kind, dW1=RIGHT["dW2"], db1=RIGHT["db2"], dW2=RIGHT["dW1"], db2=RIGHT["db1"])),
        "weights first": ("weights before biases", returning(kind, db1=RIGHT["dW2"], dW2=RIGHT["db1"])),
        "no g'(z1)": ("forgot g'(z1)", vectorised(kind, delta1="delta2 @ W2")),
        "no W2": ("forgot W2", vectorised(kind, delta1=f"delta2 * {G_PRIME[hidden]}")),
        "no x in dW1": ("forgot x in dL/dw1",
                                           returning(kind, dW1="delta1.mean(axis=0)")),
        "x for a1 in dW2": ("x instead of a1 in dL/dw2", returning(kind, dW2="delta2.T @ X / m")),
        "dW2 transposed": ("shape:transposed", returning(kind, dW2="A1.T @ delta2 / m")),
        "db2 keepdims": ("shape:keepdims", returning(kind, db2="delta2.mean(axis=0, keepdims=True)")),
        "per example, W2 not transposed": ("shape:matmul", per_example(kind, back="W2 @ d2")),
    }
    if kind in ("regression", "homework"):
        mistakes["kept the 2 of (y - a)^2"] = (("factor 2 from (y - a)^2 (notes erratum)", "factor:2"),
                                               vectorised(kind, delta2=f"2 * ({DELTA2[kind]})"))
    if hidden == "sigmoid":
        mistakes["g' of z1"] = ("g' applied to z1 instead of a1",
                                vectorised(kind, delta1="(delta2 @ W2) * Z1 * (1 - Z1)"))
    else:
        mistakes["sigmoid' for relu'"] = ("relu' applied as sigmoid'",
                                          vectorised(kind, delta1="(delta2 @ W2) * A1 * (1 - A1)"))
        mistakes["relu for relu'"] = ("relu(z1) for relu'(z1)",
                                      vectorised(kind, delta1="(delta2 @ W2) * relu(Z1)"))
        mistakes["the sigmoid network's code"] = ("sigmoid hidden layer", vectorised(
            kind, hidden="sigmoid", delta1="(delta2 @ W2) * A1 * (1 - A1)"))
    if kind == "regression":
        mistakes["sigmoid output"] = ("sigmoid on the output", vectorised(kind, out="sigmoid(Z2)"))
        mistakes["(a1 - y) a1^T (the notes)"] = ("(a1 - y) a1^T (notes erratum)",
                                                 returning(kind, dW2="(A1 - Y).T @ A1 / m"))
    if kind == "homework":
        mistakes["no sigma'(z2)"] = ("forgot sigma'(z2)", vectorised(kind, delta2="A2 - Y"))
        mistakes["z1 = w1 + b1 (the notes)"] = ("z1 without x (notes erratum)",
                                                vectorised(kind, z1="np.zeros((m, 1)) + b1"))
        mistakes["extra a1 in dW1 (the notes)"] = ("the notes' homework dL/dw1 (notes erratum)",
                                                   returning(kind, dW1="(delta1 * A1).T @ X / m"))
        mistakes["extra a1 in delta1 (the notes)"] = ("the notes' homework factor in delta1 (notes erratum)",
                                                      vectorised(kind, delta1="(delta2 @ W2) * A1 * (1 - A1) * A1"))
    if kind != "regression":
        mistakes["no output sigmoid"] = ("no output sigmoid", vectorised(kind, out="Z2"))
    if kind.startswith("binary"):
        mistakes["MSE delta"] = ("MSE delta with cross-entropy", vectorised(kind, delta2="(A2 - Y) * A2 * (1 - A2)"))
        mistakes["dL/da2 as delta2"] = ("dL/da2 for delta2", vectorised(kind, delta2="(A2 - Y) / (A2 * (1 - A2))"))
    return {"valid": {"vectorised": vectorised(kind), "per example, column vectors": per_example(kind),
                      "a list of sums over m, einsum": list_of_sums(kind)},
            "mistakes": mistakes}


CORPUS = {f"{kind}_gradients": two_layer_entry(kind) for kind in HIDDEN}

CORPUS["line_fit_gradient"] = {
    "valid": {
        "means": """
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r * x)), float(np.mean(r))
""",
        "sums over m, numpy scalars": """
def line_fit_gradient(a0, a1, x, y):
    m = len(x)
    r = (a0 * x + a1) - y
    return np.sum(r * x) / m, np.sum(r) / m
""",
        "an array of two": """
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return np.array([r @ x, r.sum()]) / x.shape[0]
""",
    },
    "mistakes": {
        'a column array': (('type:sequence-expected',), """
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return np.array([[np.mean(r * x)], [np.mean(r)]])
"""),
        "no 1/2": ("no 1/2 in the loss", """
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return 2 * np.mean(r * x), 2 * np.mean(r)
"""),
        "sums": ("summed instead of averaged", """
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return np.sum(r * x), np.sum(r)
"""),
        "(y - prediction)": ("sign flipped", """
def line_fit_gradient(a0, a1, x, y):
    r = y - (a0 * x + a1)
    return np.mean(r * x), np.mean(r)
"""),
        "swapped": ("swapped", """
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return np.mean(r), np.mean(r * x)
"""),
        "no x": ("forgot x in dL/da0", """
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return np.mean(r), np.mean(r)
"""),
    },
}

CORPUS["fit_line"] = {
    "valid": {
        "tuple update": """
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        g0, g1 = line_fit_gradient(a0, a1, x, y)
        a0, a1 = a0 - lr * g0, a1 - lr * g1
    return a0, a1
""",
        "inline gradient, while loop": """
def fit_line(x, y, lr, epochs):
    w = np.zeros(2)
    step = 0
    while step < epochs:
        r = w[0] * x + w[1] - y
        w = w - lr * np.array([np.mean(r * x), np.mean(r)])
        step += 1
    return float(w[0]), float(w[1])
""",
    },
    "mistakes": {
        'returned the history too': (('type:length',), """
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    history = []
    for _ in range(epochs):
        g0, g1 = line_fit_gradient(a0, a1, x, y)
        a0, a1 = a0 - lr * g0, a1 - lr * g1
        history.append(np.mean((a0 * x + a1 - y) ** 2) / 2)
    return a0, a1, history
"""),
        "sequential update": ("updated one parameter before computing the other's gradient", """
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        a0 = a0 - lr * line_fit_gradient(a0, a1, x, y)[0]
        a1 = a1 - lr * line_fit_gradient(a0, a1, x, y)[1]
    return a0, a1
"""),
        "ascent": ("gradient ascent", """
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        g0, g1 = line_fit_gradient(a0, a1, x, y)
        a0, a1 = a0 + lr * g0, a1 + lr * g1
    return a0, a1
"""),
        "epochs + 1": ("one epoch too many", """
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs + 1):
        g0, g1 = line_fit_gradient(a0, a1, x, y)
        a0, a1 = a0 - lr * g0, a1 - lr * g1
    return a0, a1
"""),
        "1-based loop": ("one epoch too few", """
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for epoch in range(1, epochs):
        g0, g1 = line_fit_gradient(a0, a1, x, y)
        a0, a1 = a0 - lr * g0, a1 - lr * g1
    return a0, a1
"""),
        "no learning rate": (("forgot the learning rate", "ignored-argument:lr"), """
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        g0, g1 = line_fit_gradient(a0, a1, x, y)
        a0, a1 = a0 - g0, a1 - g1
    return a0, a1
"""),
    },
}

CORPUS["gd_step"] = {
    "valid": {
        "comprehension": """
def gd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
""",
        "copies then in place": """
def gd_step(params, grads, lr):
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        W2, b2 = W.copy(), b.copy()
        W2 -= lr * dW
        b2 -= lr * db
        new.append((W2, b2))
    return new
""",
    },
    "mistakes": {
        "in place": ("mutated-input", """
def gd_step(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params
"""),
        "ascent": ("gradient ascent", """
def gd_step(params, grads, lr):
    return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
"""),
        "no learning rate": (("forgot the learning rate", "ignored-argument:lr"), """
def gd_step(params, grads, lr):
    return [(W - dW, b - db) for (W, b), (dW, db) in zip(params, grads)]
"""),
        "weights only": ("updated only the weights", """
def gd_step(params, grads, lr):
    return [(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)]
"""),
        "returned the steps": ("returned the steps", """
def gd_step(params, grads, lr):
    return [(lr * dW, lr * db) for dW, db in grads]
"""),
    },
}
