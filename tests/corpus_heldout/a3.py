"""Held-out student answers for assignment 3 (the two-layer derivations and gradient descent).

Written from ``assignments/a3_two_layer/two_layer.ipynb`` alone. ``PRELUDE`` is the
notebook's given cell (``sigmoid`` and ``relu``).

Most mistakes of the four gradient questions are one slip in an otherwise right answer, so
they are written as an edit of one of three student styles (:func:`_edit` fails loudly if the
edited text is not there): ``_vectorised`` (batch matrices, as part 2 derives), ``_per_example``
(the lecture's column vectors, one example at a time, averaged at the end) and ``_einsum``.
The shortcuts differentiate the student's own loss numerically. See README.md.
"""

PRELUDE = '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(z):
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)
'''

#: Per network: the hidden activation, the output, the output error and g'(z1), as students write them.
NETWORKS = {
    "regression_gradients": ("sigmoid", "Z2", "A2 - Y", "A1 * (1 - A1)"),
    "homework_gradients": ("sigmoid", "sigmoid(Z2)", "(A2 - Y) * A2 * (1 - A2)", "A1 * (1 - A1)"),
    "binary_gradients": ("sigmoid", "sigmoid(Z2)", "A2 - Y", "A1 * (1 - A1)"),
    "binary_relu_gradients": ("relu", "sigmoid(Z2)", "A2 - Y", "(Z1 > 0)"),
}

#: Per network: the student's loss of one batch (the notebook's ``*_loss``), for the shortcuts.
LOSSES = {
    "regression_gradients": "0.5 * np.sum((A2 - Y) ** 2) / len(X)",
    "homework_gradients": "0.5 * np.sum((A2 - Y) ** 2) / len(X)",
    "binary_gradients": "-np.mean(np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2), axis=1))",
    "binary_relu_gradients": "-np.mean(np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2), axis=1))",
}


def _edit(source: str, old: str, new: str) -> str:
    """``source`` with its one occurrence of ``old`` replaced by ``new`` (an error if absent)."""
    assert source.count(old) == 1, (old, source)
    return source.replace(old, new)


def _vectorised(name: str) -> str:
    hidden, output, delta2, g_prime = NETWORKS[name]
    return f'''
def {name}(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    Z1 = X @ W1.T + b1
    A1 = {hidden}(Z1)
    Z2 = A1 @ W2.T + b2
    A2 = {output}
    D2 = {delta2}
    dW2 = D2.T @ A1 / m
    db2 = D2.sum(axis=0) / m
    D1 = (D2 @ W2) * {g_prime}
    dW1 = D1.T @ X / m
    db1 = D1.sum(axis=0) / m
    return dW1, db1, dW2, db2
'''


def _per_example(name: str) -> str:
    hidden, output, delta2, g_prime = NETWORKS[name]
    col = {"Z2": "z2", "sigmoid(Z2)": "sigmoid(z2)"}[output]
    d2 = delta2.replace("A2", "a2").replace("Y", "y")
    g = g_prime.replace("A1", "a1").replace("Z1", "z1")
    return f'''
def {name}(X, Y, W1, b1, W2, b2):
    m = len(X)
    dW1, db1 = np.zeros_like(W1), np.zeros_like(b1)
    dW2, db2 = np.zeros_like(W2), np.zeros_like(b2)
    for i in range(m):
        x = X[i].reshape(-1, 1)
        y = Y[i].reshape(-1, 1)
        z1 = W1 @ x + b1.reshape(-1, 1)
        a1 = {hidden}(z1)
        z2 = W2 @ a1 + b2.reshape(-1, 1)
        a2 = {col}
        d2 = {d2}
        d1 = (W2.T @ d2) * {g}
        dW2 += d2 @ a1.T
        db2 += d2[:, 0]
        dW1 += d1 @ x.T
        db1 += d1[:, 0]
    return dW1 / m, db1 / m, dW2 / m, db2 / m
'''


def _einsum(name: str) -> str:
    hidden, output, delta2, g_prime = NETWORKS[name]
    return f'''
def {name}(X, Y, W1, b1, W2, b2):
    Z1 = np.einsum("mi,hi->mh", X, W1) + b1
    A1 = {hidden}(Z1)
    Z2 = np.einsum("mh,oh->mo", A1, W2) + b2
    A2 = {output}
    D2 = {delta2}
    D1 = np.einsum("mo,oh->mh", D2, W2) * {g_prime}
    grads = (np.einsum("mh,mi->hi", D1, X) / len(X), D1.mean(axis=0),
             np.einsum("mo,mh->oh", D2, A1) / len(X), D2.mean(axis=0))
    return grads
'''


def _shortcut(name: str, style: str) -> str:
    """Finite differences of the student's own loss in place of the derivation."""
    hidden, output, _, _ = NETWORKS[name]
    loss = f'''
def my_loss(X, Y, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    A1 = {hidden}(Z1)
    Z2 = A1 @ W2.T + b2
    A2 = {output}
    return {LOSSES[name]}
'''
    if style == "central":
        body = '''
    params = [W1.copy(), b1.copy(), W2.copy(), b2.copy()]
    grads = []
    h = 1e-6
    for k, p in enumerate(params):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = my_loss(X, Y, *params)
            p[idx] = old - h
            down = my_loss(X, Y, *params)
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        grads.append(g)
    return tuple(grads)
'''
    elif style == "forward":
        body = '''
    h = 1e-8
    base = my_loss(X, Y, W1, b1, W2, b2)
    out = []
    for k in range(4):
        args = [W1, b1, W2, b2]
        g = np.zeros_like(args[k])
        for idx in np.ndindex(g.shape):
            shifted = [a.copy() for a in args]
            shifted[k][idx] += h
            g[idx] = (my_loss(X, Y, *shifted) - base) / h
        out.append(g)
    return out[0], out[1], out[2], out[3]
'''
    else:  # Richardson extrapolation of two central differences
        body = '''
    def central(k, idx, h):
        plus = [W1.copy(), b1.copy(), W2.copy(), b2.copy()]
        minus = [W1.copy(), b1.copy(), W2.copy(), b2.copy()]
        plus[k][idx] += h
        minus[k][idx] -= h
        return (my_loss(X, Y, *plus) - my_loss(X, Y, *minus)) / (2 * h)

    grads = []
    for k, p in enumerate((W1, b1, W2, b2)):
        g = np.empty(p.shape)
        for idx in np.ndindex(p.shape):
            g[idx] = (4 * central(k, idx, 1e-3) - central(k, idx, 2e-3)) / 3
        grads.append(g)
    return tuple(grads)
'''
    return loss + f"\n\ndef {name}(X, Y, W1, b1, W2, b2):" + body


def _generic_mistakes(name: str) -> dict[str, dict]:
    """Slips every one of the four networks invites, written as edits of the students' styles."""
    v, p, e = _vectorised(name), _per_example(name), _einsum(name)
    hidden, _, delta2, g_prime = NETWORKS[name]
    mistakes = {
        "sums_not_means": dict(source=v.replace(" / m", ""),
                               what="Sums the per-example gradients over the batch instead of averaging them (no 1/m).",
                               evidence="factor"),
        "bias_sums": dict(source=_edit(_edit(v, "db2 = D2.sum(axis=0) / m", "db2 = D2.sum(axis=0)"),
                                       "db1 = D1.sum(axis=0) / m", "db1 = D1.sum(axis=0)"),
                          what="Averages the weight gradients but sums the bias gradients over the examples.",
                          evidence="factor"),
        "dW2_transposed": dict(source=_edit(v, "dW2 = D2.T @ A1 / m", "dW2 = A1.T @ D2 / m"),
                               what="Computes dW2 as A1^T D2 / m, the transpose of W2's shape.",
                               evidence="transpose"),
        "dW1_transposed": dict(source=_edit(v, "dW1 = D1.T @ X / m", "dW1 = X.T @ D1 / m"),
                               what="Computes dW1 as X^T D1 / m, shape (n_in, h) instead of (h, n_in).",
                               evidence="transpose"),
        "hidden_derivative_left_out": dict(source=_edit(v, f"D1 = (D2 @ W2) * {g_prime}", "D1 = D2 @ W2"),
                                           what="Sends the output error back through W2 but forgets g'(z1).",
                                           evidence="missing_term"),
        "delta_sign": dict(source=_edit(p, "a2 - y", "y - a2"),
                           what="Writes the output error with y - a2 instead of a2 - y, flipping every gradient.",
                           evidence="sign"),
        "bias_mean_over_units": dict(source=_edit(e, "D1.mean(axis=0)", "D1.mean(axis=1)"),
                                     what="Averages the hidden error over the units (axis 1) instead of over the "
                                          "examples.",
                                     evidence="wrong_axis"),
        "hidden_bias_forgotten_in_forward": dict(source=_edit(v, "Z1 = X @ W1.T + b1", "Z1 = X @ W1.T"),
                                                 what="Leaves b1 out of the forward pass, so every gradient is taken "
                                                      "at the wrong activations.",
                                                 evidence="cascade"),
        "one_over_m_twice": dict(source=_edit(v, f"D2 = {delta2}", f"D2 = ({delta2}) / m"),
                                 what="Divides the output error by m and then every gradient by m again.",
                                 evidence="factor"),
        "items_in_layer_order_reversed": dict(source=_edit(p, "return dW1 / m, db1 / m, dW2 / m, db2 / m",
                                                           "return dW2 / m, db2 / m, dW1 / m, db1 / m"),
                                              what="Returns (dW2, db2, dW1, db1) instead of the asked order (dW1, "
                                                   "db1, dW2, db2).",
                                              evidence="loop_order"),
        "dW1_from_hidden_activations": dict(source=_edit(v, "dW1 = D1.T @ X / m", "dW1 = D1.T @ A1 / m"),
                                            what="Multiplies the hidden error by the hidden activations instead of "
                                                 "the input x in dW1.",
                                            evidence="other"),
    }
    if hidden == "sigmoid":
        mistakes["sigmoid_prime_of_activation"] = dict(
            source=_edit(v, f"D1 = (D2 @ W2) * {g_prime}", "D1 = (D2 @ W2) * sigmoid(A1) * (1 - sigmoid(A1))"),
            what="Evaluates the sigmoid's derivative at a1 = sigma(z1) instead of at z1 (sigma(a1)(1 - sigma(a1))).",
            evidence="wrong_function")
    return mistakes


def _entry(name: str, specific: dict[str, dict], shortcut_styles: tuple[str, ...]) -> dict:
    return {
        "valid": {"vectorised": _vectorised(name), "per_example_columns": _per_example(name), "einsum": _einsum(name)},
        "mistakes": {**_generic_mistakes(name), **specific},
        "shortcuts": {f"{style}_differences": _shortcut(name, style) for style in shortcut_styles},
    }


_REG = _vectorised("regression_gradients")
_HW = _vectorised("homework_gradients")
_HW_LOOP = _per_example("homework_gradients")
_BIN = _vectorised("binary_gradients")
_BIN_LOOP = _per_example("binary_gradients")
_RELU = _vectorised("binary_relu_gradients")
_RELU_EIN = _einsum("binary_relu_gradients")

_LINE_LOSS = '''
def line_loss(a0, a1, x, y):
    return float(np.mean(0.5 * (a0 * x + a1 - y) ** 2))
'''

CORPUS = {
    "regression_gradients": _entry("regression_gradients", {
        "lecture_factor_two": dict(source=_edit(_REG, "D2 = A2 - Y", "D2 = 2 * (A2 - Y)"),
                                   what="Keeps the lecture's factor 2 of the square although the course's loss has "
                                        "the 1/2.",
                                   evidence="factor"),
        "erratum_hidden_error_in_dW2": dict(
            source=_edit(_per_example("regression_gradients"), "dW2 += d2 @ a1.T", "dW2 += (a1 - y) @ a1.T"),
            what="Copies the notes' erratum (a1 - y) a1^T for dW2 instead of the output's error (a2 - y) a1^T.",
            evidence="wrong_function"),
        "sigmoid_output_assumed": dict(source=_edit(_REG, "A2 = Z2", "A2 = sigmoid(Z2)"),
                                       what="Puts a sigmoid on the output, which this network's linear output does "
                                            "not have.",
                                       evidence="wrong_function"),
    }, ("central", "forward")),
    "homework_gradients": _entry("homework_gradients", {
        "regression_delta_copied": dict(source=_edit(_HW, "D2 = (A2 - Y) * A2 * (1 - A2)", "D2 = A2 - Y"),
                                        what="Reuses the regression's output error a2 - y, forgetting the output "
                                             "sigmoid's derivative.",
                                        evidence="missing_term"),
        "notes_extra_a1": dict(source=_edit(_HW, "D1 = (D2 @ W2) * A1 * (1 - A1)",
                                            "D1 = (D2 @ W2) * A1 * A1 * (1 - A1)"),
                               what="Copies the notes' homework answer, which has an extra factor a1 in the chain "
                                    "for W1.",
                               evidence="extra_term"),
        "output_derivative_at_activation": dict(
            source=_edit(_HW, "D2 = (A2 - Y) * A2 * (1 - A2)", "D2 = (A2 - Y) * sigmoid(A2) * (1 - sigmoid(A2))"),
            what="Evaluates the output sigmoid's derivative at a2 instead of at z2.",
            evidence="wrong_function"),
        "output_derivative_plus": dict(source=_edit(_HW_LOOP, "(a2 - y) * a2 * (1 - a2)", "(a2 - y) * a2 * (1 + a2)"),
                                       what="Writes the output sigmoid's derivative as a2(1 + a2).",
                                       evidence="sign"),
        "lecture_factor_two": dict(source=_edit(_HW, "D2 = (A2 - Y) * A2 * (1 - A2)",
                                                "D2 = 2 * (A2 - Y) * A2 * (1 - A2)"),
                                   what="Keeps the lecture's factor 2(y - a2) although the course's loss has the 1/2.",
                                   evidence="factor"),
    }, ("central", "richardson")),
    "binary_gradients": _entry("binary_gradients", {
        "sigmoid_derivative_kept": dict(source=_edit(_BIN, "D2 = A2 - Y", "D2 = (A2 - Y) * A2 * (1 - A2)"),
                                        what="Multiplies a2 - y by sigma'(z2) again, although it cancels against the "
                                             "log loss.",
                                        evidence="extra_term"),
        "dl_dp_only": dict(source=_edit(_BIN, "D2 = A2 - Y", "D2 = -Y / A2 + (1 - Y) / (1 - A2)"),
                           what="Stops at dl/dp and forgets the sigmoid's derivative dp/dz2.",
                           evidence="missing_term"),
        "mse_delta": dict(source=_edit(_BIN_LOOP, "d2 = a2 - y", "d2 = (a2 - y) * a2 * (1 - a2)"),
                          what="Uses the homework's MSE output error for the log loss.",
                          evidence="wrong_function"),
        "relu_hidden": dict(source=_edit(_edit(_BIN, "A1 = sigmoid(Z1)", "A1 = relu(Z1)"),
                                         "D1 = (D2 @ W2) * A1 * (1 - A1)", "D1 = (D2 @ W2) * (Z1 > 0)"),
                            what="Uses a ReLU hidden layer (part 6's network) where this one has a sigmoid.",
                            evidence="wrong_function"),
    }, ("central", "forward")),
    "binary_relu_gradients": {
        "valid": {
            "vectorised": _RELU,
            "per_example_columns": _per_example("binary_relu_gradients"),
            "einsum": _RELU_EIN,
            "mask_from_activation": _edit(_RELU, "D1 = (D2 @ W2) * (Z1 > 0)", "D1 = np.where(A1 > 0, D2 @ W2, 0.0)"),
        },
        "mistakes": {
            **_generic_mistakes("binary_relu_gradients"),
            "relu_instead_of_derivative": dict(source=_edit(_RELU, "D1 = (D2 @ W2) * (Z1 > 0)",
                                                            "D1 = (D2 @ W2) * relu(Z1)"),
                                               what="Multiplies by relu(z1) instead of its derivative.",
                                               evidence="wrong_function"),
            "sigmoid_derivative_kept": dict(source=_edit(_RELU, "D1 = (D2 @ W2) * (Z1 > 0)",
                                                         "D1 = (D2 @ W2) * A1 * (1 - A1)"),
                                            what="Keeps the sigmoid's a1(1 - a1) from part 5 for the ReLU hidden "
                                                 "layer.",
                                            evidence="wrong_function"),
            "sigmoid_hidden_forward": dict(source=_edit(_RELU, "A1 = relu(Z1)", "A1 = sigmoid(Z1)"),
                                           what="Keeps the sigmoid in the forward pass while using ReLU's derivative "
                                                "backwards.",
                                           evidence="cascade"),
            "output_derivative_kept": dict(source=_edit(_RELU_EIN, "D2 = A2 - Y", "D2 = (A2 - Y) * A2 * (1 - A2)"),
                                           what="Multiplies the output error by sigma'(z2), which cancels for the "
                                                "log loss.",
                                           evidence="extra_term"),
        },
        "shortcuts": {f"{s}_differences": _shortcut("binary_relu_gradients", s) for s in ("central", "richardson")},
    },
    "line_fit_gradient": {
        "valid": {
            "explicit_sums": '''
def line_fit_gradient(a0, a1, x, y):
    m = len(x)
    r = a0 * x + a1 - y
    return float(np.sum(r * x) / m), float(np.sum(r) / m)
''',
            "dot_products": '''
def line_fit_gradient(a0, a1, x, y):
    x = np.asarray(x, dtype=float)
    r = a0 * x + a1 - np.asarray(y, dtype=float)
    ones = np.ones_like(x)
    return float(r @ x / x.size), float(r @ ones / x.size)
''',
        },
        "mistakes": {
            "no_mean": dict(source='''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.sum(r * x)), float(np.sum(r))
''', what="Sums over the points instead of taking the mean.",
                evidence="factor"),
            "lecture_square_factor_two": dict(source='''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(2 * np.mean(r * x)), float(2 * np.mean(r))
''', what="Differentiates the lecture's (y - y_hat)^2 without the 1/2, doubling both derivatives.",
                evidence="factor"),
            "residual_sign": dict(source='''
def line_fit_gradient(a0, a1, x, y):
    r = y - (a0 * x + a1)
    return float(np.mean(r * x)), float(np.mean(r))
''', what="Uses the residual y - y_hat, which flips the sign of both derivatives.",
                evidence="sign"),
            "slope_and_intercept_swapped": dict(source='''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r)), float(np.mean(r * x))
''', what="Returns the intercept's derivative first, swapping the two items.",
                evidence="loop_order"),
            "product_of_means": dict(source='''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r) * np.mean(x)), float(np.mean(r))
''', what="Writes dL/da0 as mean(r) * mean(x) instead of mean(r * x).",
                evidence="wrong_function"),
        },
        "shortcuts": {
            "central_differences": _LINE_LOSS + '''

def line_fit_gradient(a0, a1, x, y):
    h = 1e-6
    d0 = (line_loss(a0 + h, a1, x, y) - line_loss(a0 - h, a1, x, y)) / (2 * h)
    d1 = (line_loss(a0, a1 + h, x, y) - line_loss(a0, a1 - h, x, y)) / (2 * h)
    return d0, d1
''',
            "forward_differences": _LINE_LOSS + '''

def line_fit_gradient(a0, a1, x, y):
    h = 1e-8
    base = line_loss(a0, a1, x, y)
    return (line_loss(a0 + h, a1, x, y) - base) / h, (line_loss(a0, a1 + h, x, y) - base) / h
''',
        },
    },
    "fit_line": {
        "valid": {
            "tuple_assignment": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    m = len(x)
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.sum(r * x) / m, a1 - lr * np.sum(r) / m
    return float(a0), float(a1)
''',
            "helper_and_while": '''
def gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return np.mean(r * x), np.mean(r)


def fit_line(x, y, lr, epochs):
    a = np.zeros(2)
    step = 0
    while step < epochs:
        a = a - lr * np.array(gradient(a[0], a[1], x, y))
        step += 1
    return float(a[0]), float(a[1])
''',
        },
        "mistakes": {
            "sequential_update": dict(source='''
def fit_line(x, y, lr, epochs):
    a0, a1 = 0.0, 0.0
    for _ in range(epochs):
        a0 -= lr * np.mean((a0 * x + a1 - y) * x)
        a1 -= lr * np.mean(a0 * x + a1 - y)
    return a0, a1
''', what="Updates a0 first and computes a1's derivative at the new a0 instead of the old one.",
                evidence="loop_order"),
            "one_step_short": dict(source='''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(1, epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.mean(r * x), a1 - lr * np.mean(r)
    return a0, a1
''', what="Loops over range(1, epochs), taking one step fewer than asked.",
                evidence="loop_count"),
            "ascent": dict(source='''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 + lr * np.mean(r * x), a1 + lr * np.mean(r)
    return a0, a1
''', what="Adds the gradient instead of subtracting it (gradient ascent).",
                evidence="sign"),
            "summed_gradient": dict(source='''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.sum(r * x), a1 - lr * np.sum(r)
    return a0, a1
''', what="Steps along the summed gradient instead of the mean one.",
                evidence="factor"),
            "starts_from_ones": dict(source='''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 1.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.mean(r * x), a1 - lr * np.mean(r)
    return a0, a1
''', what="Starts from a0 = a1 = 1 instead of 0.",
                evidence="other"),
        },
        "shortcuts": {
            "numerical_steps": _LINE_LOSS + '''

def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    h = 1e-6
    for _ in range(epochs):
        g0 = (line_loss(a0 + h, a1, x, y) - line_loss(a0 - h, a1, x, y)) / (2 * h)
        g1 = (line_loss(a0, a1 + h, x, y) - line_loss(a0, a1 - h, x, y)) / (2 * h)
        a0, a1 = a0 - lr * g0, a1 - lr * g1
    return a0, a1
''',
        },
    },
    "gd_step": {
        "valid": {
            "comprehension": '''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''',
            "copies_then_subtract": '''
def gd_step(params, grads, lr):
    new = []
    for l in range(len(params)):
        W, b = params[l][0].copy(), params[l][1].copy()
        W -= lr * grads[l][0]
        b -= lr * grads[l][1]
        new.append((W, b))
    return new
''',
        },
        "mistakes": {
            "in_place": dict(source='''
def gd_step(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params
''', what="Updates the caller's arrays in place (the notebook asks for new arrays).",
                evidence="in_place"),
            "plus": dict(source='''
def gd_step(params, grads, lr):
    return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
''', what="Adds lr times the gradient instead of subtracting it.",
                evidence="sign"),
            "bias_not_stepped": dict(source='''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b.copy()) for (W, b), (dW, _) in zip(params, grads)]
''', what="Steps the weights but leaves every bias unchanged.",
                evidence="missing_term"),
            "bias_without_lr": dict(source='''
def gd_step(params, grads, lr):
    out = []
    for (W, b), (dW, db) in zip(params, grads):
        out.append((W - lr * dW, b - db))
    return out
''', what="Subtracts the bias gradient without multiplying it by lr.",
                evidence="factor"),
        },
        "shortcuts": {},
    },
}
