"""Corpus, assignment 3 (format: see a1_activations.py). `sigmoid` is given.

The twelve two-layer questions are written from one vectorised skeleton and one
per-example (column-vector, as in the notes) skeleton, with the pieces a student writes
filled in: each filled-in source is an ordinary answer a student could hand in.
"""

VECTORISED = """
def {name}(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    Z1 = {z1}
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2.T + b2
    A2 = {out}
    delta2 = {delta2}
    delta1 = {delta1}
    return {result}
"""

PER_EXAMPLE = """
def {name}(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    total = 0.0
    for i in range(m):
        x, y = X[i][:, None], Y[i][:, None]
        a1 = sigmoid(W1 @ x + b1[:, None])
        z2 = W2 @ a1 + b2[:, None]
        a2 = {out_column}
        d2 = {delta2_column}
        d1 = (W2.T @ d2) * a1 * (1 - a1)
        total = total + {result_column}
    return {final}
"""

OUTPUT = {"regression": "Z2", "homework": "sigmoid(Z2)", "binary": "sigmoid(Z2)"}
DELTA2 = {"regression": "A2 - Y", "homework": "(A2 - Y) * A2 * (1 - A2)", "binary": "A2 - Y"}
OUTPUT_COLUMN = {"regression": "z2", "homework": "sigmoid(z2)", "binary": "sigmoid(z2)"}
DELTA2_COLUMN = {"regression": "a2 - y", "homework": "(a2 - y) * a2 * (1 - a2)", "binary": "a2 - y"}
RESULT = {"dw2": "delta2.T @ A1 / m", "db2": "delta2.mean(axis=0)", "dw1": "delta1.T @ X / m",
          "db1": "delta1.mean(axis=0)"}
RESULT_COLUMN = {"dw2": "d2 @ a1.T", "db2": "d2", "dw1": "d1 @ x.T", "db1": "d1"}
FINAL = {"dw2": "total / m", "db2": "(total / m).ravel()", "dw1": "total / m", "db1": "(total / m).ravel()"}


def vectorised(kind: str, parameter: str, **pieces) -> str:
    fields = {"name": f"{kind}_dL_{parameter}", "z1": "X @ W1.T + b1", "out": OUTPUT[kind],
              "delta2": DELTA2[kind], "delta1": "(delta2 @ W2) * A1 * (1 - A1)", "result": RESULT[parameter]}
    fields.update(pieces)
    return VECTORISED.format(**fields)


def per_example(kind: str, parameter: str) -> str:
    return PER_EXAMPLE.format(name=f"{kind}_dL_{parameter}", out_column=OUTPUT_COLUMN[kind],
                              delta2_column=DELTA2_COLUMN[kind], result_column=RESULT_COLUMN[parameter],
                              final=FINAL[parameter])


def two_layer_entry(kind: str, parameter: str) -> dict:
    mistakes = {
        "no 1/m": (("summed instead of averaged", "factor:m"),
                   vectorised(kind, parameter, result=RESULT[parameter].replace(" / m", "").replace("mean", "sum"))),
        "(y - a2)": (("sign flipped", "factor:sign"), vectorised(kind, parameter, delta2=DELTA2[kind].replace(
            "A2 - Y", "Y - A2"))),
    }
    if kind != "binary":
        mistakes["kept the 2 of (y - a)^2"] = (("factor 2 from (y - a)^2 (notes erratum)", "factor:2"),
                                               vectorised(kind, parameter, delta2=f"2 * ({DELTA2[kind]})"))
    if parameter in ("dw1", "db1"):
        mistakes["no g'(z1)"] = ("forgot g'(z1)", vectorised(kind, parameter, delta1="delta2 @ W2"))
        mistakes["g' of z1"] = ("g' applied to z1 instead of a1",
                                vectorised(kind, parameter, delta1="(delta2 @ W2) * Z1 * (1 - Z1)"))
        mistakes["no W2"] = ("forgot W2", vectorised(kind, parameter, delta1="delta2 * A1 * (1 - A1)"))
    if parameter == "dw1":
        mistakes["no x (the notes' chain)"] = ("forgot x in dL/dw1 (notes erratum)",
                                               vectorised(kind, parameter, result="delta1.mean(axis=0)"))
    if parameter == "dw2":
        mistakes["transposed"] = ("shape:transposed", vectorised(kind, parameter, result="A1.T @ delta2 / m"))
    if parameter in ("db2", "db1"):
        mistakes["keepdims"] = ("shape:keepdims", vectorised(
            kind, parameter, result=RESULT[parameter].replace("axis=0", "axis=0, keepdims=True")))
    if kind == "regression":
        mistakes["sigmoid output"] = ("sigmoid on the output", vectorised(kind, parameter, out="sigmoid(Z2)"))
        if parameter == "dw2":
            mistakes["(a1 - y) a1^T (the notes)"] = ("(a1 - y) a1^T (notes erratum)",
                                                     vectorised(kind, parameter, result="(A1 - Y).T @ A1 / m"))
    if kind == "homework":
        mistakes["no sigma'(z2)"] = ("forgot sigma'(z2)", vectorised(kind, parameter, delta2="A2 - Y"))
        mistakes["z1 = w1 + b1 (the notes)"] = ("z1 without x (notes erratum)",
                                                vectorised(kind, parameter, z1="np.zeros((m, 1)) + b1"))
        if parameter == "dw1":
            mistakes["extra a1 (the notes)"] = ("extra a1 in dL/dw1 (notes erratum)", vectorised(
                kind, parameter, delta1="(delta2 @ W2) * A1 * (1 - A1) * A1"))
    if kind == "binary":
        mistakes["MSE delta"] = ("MSE delta with cross-entropy",
                                 vectorised(kind, parameter, delta2="(A2 - Y) * A2 * (1 - A2)"))
        mistakes["no output sigmoid"] = ("no output sigmoid", vectorised(kind, parameter, out="Z2"))
    return {"valid": {"vectorised": vectorised(kind, parameter), "per example, column vectors": per_example(
        kind, parameter)}, "mistakes": mistakes}


CORPUS = {f"{kind}_dL_{parameter}": two_layer_entry(kind, parameter)
          for kind in ("regression", "homework", "binary") for parameter in ("dw2", "db2", "dw1", "db1")}

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
