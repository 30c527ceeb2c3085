"""Blind corpus, assignment 3: the two-layer derivations, the line fit and one gradient step.

Written from ``assignments/a3_two_layer/two_layer.ipynb`` alone. ``PRELUDE`` is the notebook's
given cell (``sigmoid`` and ``relu``). Most mistakes of the four gradient questions are one edit
(:func:`_edit`) of a right answer written in a different style per network: matrices for the
regression network, ``einsum`` for the homework, a forward helper for the binary network and a
loop over column-vector examples for the ReLU network.
"""

from blind_forms import edit as _edit, mistake as _mistake

PRELUDE = '''
def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), elementwise, without overflow."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(z):
    """Rectified linear unit max(z, 0), elementwise."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)
'''


REGRESSION = '''
def regression_gradients(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    Z1 = X @ W1.T + b1
    A1 = sigmoid(Z1)
    Y_hat = A1 @ W2.T + b2
    D2 = Y_hat - Y
    D1 = (D2 @ W2) * A1 * (1 - A1)
    dW2 = D2.T @ A1 / m
    db2 = D2.sum(axis=0) / m
    dW1 = D1.T @ X / m
    db1 = D1.sum(axis=0) / m
    return dW1, db1, dW2, db2
'''

HOMEWORK = '''
def homework_gradients(X, Y, W1, b1, W2, b2):
    n = len(X)
    hidden = sigmoid(np.einsum("mi,hi->mh", X, W1) + b1)
    out = sigmoid(np.einsum("mh,oh->mo", hidden, W2) + b2)
    err_out = (out - Y) * out * (1 - out)
    err_hid = np.einsum("mo,oh->mh", err_out, W2) * hidden * (1 - hidden)
    dW2 = np.einsum("mo,mh->oh", err_out, hidden) / n
    db2 = err_out.mean(axis=0)
    dW1 = np.einsum("mh,mi->hi", err_hid, X) / n
    db1 = err_hid.mean(axis=0)
    return dW1, db1, dW2, db2
'''

BINARY = '''
def _forward_binary(X, W1, b1, W2, b2):
    a1 = sigmoid(X @ W1.T + b1)
    p = sigmoid(a1 @ W2.T + b2)
    return a1, p

def binary_gradients(X, Y, W1, b1, W2, b2):
    m = len(X)
    a1, p = _forward_binary(X, W1, b1, W2, b2)
    delta2 = p - Y
    delta1 = delta2 @ W2 * a1 * (1 - a1)
    grads = (delta1.T @ X, delta1.sum(0), delta2.T @ a1, delta2.sum(0))
    return tuple(g / m for g in grads)
'''

RELU = '''
def binary_relu_gradients(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    gW1, gb1 = np.zeros_like(W1), np.zeros_like(b1)
    gW2, gb2 = np.zeros_like(W2), np.zeros_like(b2)
    for x, y in zip(X, Y):
        x, y = x.reshape(-1, 1), y.reshape(-1, 1)
        z1 = W1 @ x + b1.reshape(-1, 1)
        a1 = relu(z1)
        a2 = sigmoid(W2 @ a1 + b2.reshape(-1, 1))
        d2 = a2 - y
        d1 = (W2.T @ d2) * (z1 > 0)
        gW2 += d2 @ a1.T
        gb2 += d2[:, 0]
        gW1 += d1 @ x.T
        gb1 += d1[:, 0]
    return gW1 / m, gb1 / m, gW2 / m, gb2 / m
'''


def _numerical_shortcut(name: str, loss_body: str, step: str = "1e-5") -> str:
    """A gradient question answered by central differences of the student's own loss, entry by entry."""
    return f'''
def _loss_{name}(X, Y, W1, b1, W2, b2):
{loss_body}

def {name}_gradients(X, Y, W1, b1, W2, b2):
    params = [np.array(p, dtype=float) for p in (W1, b1, W2, b2)]
    grads = []
    for k, p in enumerate(params):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + {step}
            up = _loss_{name}(X, Y, *params)
            p[idx] = old - {step}
            down = _loss_{name}(X, Y, *params)
            p[idx] = old
            g[idx] = (up - down) / (2 * {step})
        grads.append(g)
    return tuple(grads)
'''


CORPUS = {
    "regression_gradients": {
        "valid": {
            "matrices": REGRESSION,
            "column_vector_loop": '''
def regression_gradients(X, Y, W1, b1, W2, b2):
    m = len(X)
    acc = [np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)]
    for i in range(m):
        x = X[i][:, None]
        y = Y[i][:, None]
        a1 = sigmoid(W1 @ x + b1[:, None])
        a2 = W2 @ a1 + b2[:, None]
        d2 = a2 - y
        d1 = (W2.T @ d2) * a1 * (1 - a1)
        for k, g in enumerate((d1 @ x.T, d1[:, 0], d2 @ a1.T, d2[:, 0])):
            acc[k] += g / m
    return tuple(acc)
''',
            "means": '''
def regression_gradients(X, Y, W1, b1, W2, b2):
    H = sigmoid(np.dot(X, W1.T) + b1)
    E = np.dot(H, W2.T) + b2 - Y
    G = np.dot(E, W2) * H * (1.0 - H)
    return (np.einsum("mh,mi->hi", G, X) / len(X), G.mean(axis=0),
            np.einsum("mo,mh->oh", E, H) / len(X), E.mean(axis=0))
''',
        },
        "mistakes": {
            "dW1_sum": _edit(REGRESSION, "dW1 = D1.T @ X / m", "dW1 = D1.T @ X",
                             "dW1 sums over the examples instead of averaging", "factor"),
            "db2_sum": _edit(REGRESSION, "db2 = D2.sum(axis=0) / m", "db2 = D2.sum(axis=0)",
                             "db2 sums the output errors instead of averaging them", "factor"),
            "no_mean_anywhere": _edit(REGRESSION, "m = X.shape[0]", "m = 1",
                                      "forgets the 1/m of the mean loss in every gradient", "factor"),
            "target_minus_output": _edit(REGRESSION, "D2 = Y_hat - Y", "D2 = Y - Y_hat",
                                         "writes the output error as y - y_hat", "sign"),
            "no_sigmoid_derivative": _edit(REGRESSION, "D1 = (D2 @ W2) * A1 * (1 - A1)", "D1 = D2 @ W2",
                                           "forgets the hidden sigmoid's derivative in delta_1", "missing_term"),
            "lecture_factor_two": _edit(REGRESSION, "D2 = Y_hat - Y", "D2 = 2 * (Y_hat - Y)",
                                        "keeps the lecture's factor 2 of the loss without the 1/2", "factor"),
            "dW2_transposed": _edit(REGRESSION, "dW2 = D2.T @ A1 / m", "dW2 = A1.T @ D2 / m",
                                    "returns dW2 transposed, shape (h, n_out)", "transpose"),
            "dW1_from_hidden": _edit(REGRESSION, "dW1 = D1.T @ X / m", "dW1 = D1.T @ A1 / m",
                                     "multiplies delta_1 by the hidden activations instead of the inputs",
                                     "wrong_function"),
            "backprop_through_W2_T": _edit(REGRESSION, "D1 = (D2 @ W2)", "D1 = (D2 @ W2.T)",
                                           "sends the error back through W2 transposed", "transpose"),
            "forward_without_b1": _edit(REGRESSION, "Z1 = X @ W1.T + b1", "Z1 = X @ W1.T",
                                        "leaves b1 out of the forward pass", "cascade"),
            "derivative_with_z": _edit(REGRESSION, "A1 * (1 - A1)", "A1 * (1 - Z1)",
                                       "writes sigma'(z1) as a1 (1 - z1)", "wrong_function"),
            "returned_in_layer_order_reversed": _edit(REGRESSION, "return dW1, db1, dW2, db2",
                                                      "return dW2, db2, dW1, db1",
                                                      "returns the output layer's gradients first", "loop_order"),
            "bias_kept_2d": _edit(REGRESSION, "db2 = D2.sum(axis=0) / m", "db2 = D2.sum(axis=0, keepdims=True) / m",
                                  "returns db2 as a (1, n_out) row", "shape"),
        },
        "shortcuts": {
            "entrywise_central": _numerical_shortcut("regression", '''    A1 = sigmoid(X @ W1.T + b1)
    return 0.5 * np.mean(np.sum((A1 @ W2.T + b2 - Y) ** 2, axis=1))'''),
        },
    },
    "homework_gradients": {
        "valid": {
            "einsum": HOMEWORK,
            "prime_helper": '''
def _dsig_from_z(z):
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2

def homework_gradients(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    Z1 = X @ W1.T + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2.T + b2
    A2 = sigmoid(Z2)
    D2 = (A2 - Y) * _dsig_from_z(Z2)
    D1 = (D2 @ W2) * _dsig_from_z(Z1)
    return D1.T @ X / m, D1.mean(axis=0), D2.T @ A1 / m, D2.mean(axis=0)
''',
        },
        "mistakes": {
            "regression_delta": _edit(HOMEWORK, "err_out = (out - Y) * out * (1 - out)", "err_out = out - Y",
                                      "keeps the linear output's delta, forgetting the output sigmoid's derivative",
                                      "missing_term"),
            "notes_extra_a1": _edit(HOMEWORK, 'np.einsum("mh,mi->hi", err_hid, X)',
                                    'np.einsum("mh,mi->hi", err_hid * hidden, X)',
                                    "copies the notes' homework answer, with its extra factor a1 in dW1", "extra_term"),
            "target_minus_output": _edit(HOMEWORK, "(out - Y) * out", "(Y - out) * out",
                                         "writes (y - a2) for (a2 - y)", "sign"),
            "hidden_uses_output_derivative": _edit(HOMEWORK, "* hidden * (1 - hidden)", "* out * (1 - out)",
                                                   "uses the output's sigma' in the hidden delta", "wrong_function"),
            "dW1_not_averaged": _edit(HOMEWORK, 'np.einsum("mh,mi->hi", err_hid, X) / n',
                                      'np.einsum("mh,mi->hi", err_hid, X)',
                                      "dW1 is the sum over the examples", "factor"),
            "db1_sum": _edit(HOMEWORK, "db1 = err_hid.mean(axis=0)", "db1 = err_hid.sum(axis=0)",
                             "db1 sums the hidden errors", "factor"),
            "db2_mean_over_units": _edit(HOMEWORK, "db2 = err_out.mean(axis=0)", "db2 = err_out.mean(axis=1)",
                                         "averages db2 over the output units instead of the examples",
                                         "wrong_axis"),
            "dW2_einsum_transposed": _edit(HOMEWORK, '"mo,mh->oh"', '"mo,mh->ho"',
                                           "the einsum's output indices give dW2 transposed", "transpose"),
            "half_sigmoid_derivative": _edit(HOMEWORK, "err_out = (out - Y) * out * (1 - out)",
                                             "err_out = (out - Y) * out",
                                             "writes sigma'(z2) as a2, losing the (1 - a2)", "missing_term"),
            "hidden_without_bias": _edit(HOMEWORK, '"mi,hi->mh", X, W1) + b1)', '"mi,hi->mh", X, W1))',
                                         "computes the hidden layer without b1", "cascade"),
            "lecture_factor_two": _edit(HOMEWORK, "err_out = (out - Y)", "err_out = 2 * (out - Y)",
                                        "keeps the lecture's 2(y - a2) factor", "factor"),
        },
        "shortcuts": {
            "complex_step": '''
def _loss_c(X, Y, W1, b1, W2, b2):
    s = lambda z: 1 / (1 + np.exp(-z))          # complex-safe for moderate z
    out = s(s(X @ W1.T + b1) @ W2.T + b2)
    return 0.5 * np.sum((out - Y) ** 2) / len(X)

def homework_gradients(X, Y, W1, b1, W2, b2):
    params = [np.asarray(p, dtype=complex) for p in (W1, b1, W2, b2)]
    out = []
    for k, p in enumerate(params):
        g = np.zeros(p.shape)
        for idx in np.ndindex(p.shape):
            q = p.copy()
            q[idx] += 1e-30j
            args = params[:k] + [q] + params[k + 1:]
            g[idx] = _loss_c(X, Y, *args).imag / 1e-30
        out.append(g)
    return tuple(out)
''',
        },
    },
    "binary_gradients": {
        "valid": {
            "forward_helper": BINARY,
            "outer_products": '''
def binary_gradients(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1.T + b1)
    P = sigmoid(A1 @ W2.T + b2)
    d2 = P - Y                                  # sigma' cancels against the log loss
    d1 = (d2 @ W2) * A1 * (1 - A1)
    dW2 = np.mean(d2[:, :, None] * A1[:, None, :], axis=0)
    dW1 = np.mean(d1[:, :, None] * X[:, None, :], axis=0)
    return dW1, np.mean(d1, axis=0), dW2, np.mean(d2, axis=0)
''',
        },
        "mistakes": {
            "keeps_output_sigmoid_prime": _edit(BINARY, "delta2 = p - Y", "delta2 = (p - Y) * p * (1 - p)",
                                                "multiplies the log loss's a - y by sigma'(z2) again", "extra_term"),
            "dloss_dp_only": _edit(BINARY, "delta2 = p - Y", "delta2 = -Y / p + (1 - Y) / (1 - p)",
                                   "uses d loss / d p as the output error, forgetting sigma'(z2)", "missing_term"),
            "label_minus_p": _edit(BINARY, "delta2 = p - Y", "delta2 = Y - p", "writes y - p for p - y", "sign"),
            "no_mean": _edit(BINARY, "return tuple(g / m for g in grads)", "return grads",
                             "returns the sums over the examples", "factor"),
            "double_mean": _edit(BINARY, "delta2 = p - Y", "delta2 = (p - Y) / m",
                                 "divides by m in delta2 and again in every gradient", "factor"),
            "no_hidden_derivative": _edit(BINARY, "delta1 = delta2 @ W2 * a1 * (1 - a1)", "delta1 = delta2 @ W2",
                                          "forgets sigma'(z1) in the hidden delta", "missing_term"),
            "hidden_derivative_of_output": _edit(BINARY, "* a1 * (1 - a1)", "* p * (1 - p)",
                                                 "uses the output's p (1 - p) in the hidden delta", "wrong_function"),
            "output_layer_first": _edit(BINARY, "(delta1.T @ X, delta1.sum(0), delta2.T @ a1, delta2.sum(0))",
                                        "(delta2.T @ a1, delta2.sum(0), delta1.T @ X, delta1.sum(0))",
                                        "returns (dW2, db2, dW1, db1)", "loop_order"),
            "dW1_transposed": _edit(BINARY, "delta1.T @ X", "X.T @ delta1",
                                    "returns dW1 as (n_in, h)", "transpose"),
            "relu_forward": _edit(BINARY, "a1 = sigmoid(X @ W1.T + b1)", "a1 = relu(X @ W1.T + b1)",
                                  "the forward helper uses a ReLU hidden layer", "wrong_function"),
            "db1_over_units": _edit(BINARY, "delta1.sum(0), delta2.T", "delta1.sum(1), delta2.T",
                                    "sums db1 over the hidden units instead of the examples", "wrong_axis"),
        },
        "shortcuts": {
            "entrywise_central": _numerical_shortcut("binary", '''    p = sigmoid(sigmoid(X @ W1.T + b1) @ W2.T + b2)
    return -np.mean(np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p), axis=1))'''),
            "entrywise_wide_step": _numerical_shortcut("binary", '''    a = sigmoid(X @ W1.T + b1)
    p = sigmoid(a @ W2.T + b2)
    return float(np.mean(-(Y * np.log(p) + (1 - Y) * np.log1p(-p)).sum(axis=1)))''', step="1e-4"),
        },
    },
    "binary_relu_gradients": {
        "valid": {
            "example_loop": RELU,
            "vectorised": '''
def binary_relu_gradients(X, Y, W1, b1, W2, b2):
    m = X.shape[0]
    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    P = sigmoid(A1 @ W2.T + b2)
    D2 = P - Y
    D1 = (D2 @ W2) * np.heaviside(Z1, 0.0)
    return D1.T @ X / m, D1.mean(0), D2.T @ A1 / m, D2.mean(0)
''',
            "mask_from_activation": '''
def binary_relu_gradients(X, Y, W1, b1, W2, b2):
    A1 = relu(X @ W1.T + b1)
    D2 = sigmoid(A1 @ W2.T + b2) - Y
    D1 = (D2 @ W2) * (A1 > 0)            # relu(z) > 0 exactly where z > 0
    m = float(len(X))
    return np.dot(D1.T, X) / m, D1.sum(axis=0) / m, np.dot(D2.T, A1) / m, D2.sum(axis=0) / m
''',
        },
        "mistakes": {
            "sigmoid_derivative_hidden": _edit(RELU, "* (z1 > 0)", "* a1 * (1 - a1)",
                                               "keeps the sigmoid's a1 (1 - a1) for the ReLU hidden layer",
                                               "wrong_function"),
            "mask_always_on": _edit(RELU, "(z1 > 0)", "(a1 >= 0)",
                                    "tests a1 >= 0, which is true for every unit", "wrong_function"),
            "no_relu_derivative": _edit(RELU, "d1 = (W2.T @ d2) * (z1 > 0)", "d1 = W2.T @ d2",
                                        "forgets the ReLU's derivative", "missing_term"),
            "W2_not_transposed": _edit(RELU, "(W2.T @ d2)", "(W2 @ d2)",
                                       "sends the error back through W2 instead of W2^T", "transpose"),
            "no_mean": _edit(RELU, "return gW1 / m, gb1 / m, gW2 / m, gb2 / m", "return gW1, gb1, gW2, gb2",
                             "returns the sums of the per-example gradients", "factor"),
            "biases_summed": _edit(RELU, "return gW1 / m, gb1 / m, gW2 / m, gb2 / m", "return gW1 / m, gb1, gW2 / m, gb2",
                                   "averages the weight gradients but sums the bias gradients", "factor"),
            "sign_of_error": _edit(RELU, "d2 = a2 - y", "d2 = y - a2", "writes y - a2 for the output error", "sign"),
            "extra_output_derivative": _edit(RELU, "d2 = a2 - y", "d2 = (a2 - y) * a2 * (1 - a2)",
                                             "multiplies a2 - y by sigma'(z2)", "extra_term"),
            "dW1_transposed": _edit(RELU, "return gW1 / m,", "return gW1.T / m,",
                                    "returns dW1 transposed, shape (n_in, h)", "transpose"),
            "z1_without_bias": _edit(RELU, "z1 = W1 @ x + b1.reshape(-1, 1)", "z1 = W1 @ x",
                                     "computes z1 without b1", "cascade"),
            "relu_output": _edit(RELU, "a2 = sigmoid(W2 @ a1", "a2 = relu(W2 @ a1",
                                 "uses a ReLU output unit instead of the sigmoid", "wrong_function"),
        },
        "shortcuts": {
            "forward_difference": '''
def _loss_relu(X, Y, W1, b1, W2, b2):
    p = sigmoid(relu(X @ W1.T + b1) @ W2.T + b2)
    return -np.mean(np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p), axis=1))

def binary_relu_gradients(X, Y, W1, b1, W2, b2):
    h = 1e-7
    base = _loss_relu(X, Y, W1, b1, W2, b2)
    params = [W1, b1, W2, b2]
    grads = []
    for k in range(4):
        g = np.zeros(np.shape(params[k]))
        for idx in np.ndindex(g.shape):
            moved = [np.array(p, dtype=float) for p in params]
            moved[k][idx] += h
            g[idx] = (_loss_relu(X, Y, *moved) - base) / h
        grads.append(g)
    return tuple(grads)
''',
        },
    },
    "line_fit_gradient": {
        "valid": {
            "residual_means": '''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r * x)), float(np.mean(r))
''',
            "dot_over_m": '''
def line_fit_gradient(a0, a1, x, y):
    m = len(x)
    residual = np.polyval([a0, a1], x) - y
    return residual @ x / m, residual.sum() / m
''',
            "python_loop": '''
def line_fit_gradient(a0, a1, x, y):
    g0 = g1 = 0.0
    for xi, yi in zip(x, y):
        r = a0 * xi + a1 - yi
        g0 += r * xi
        g1 += r
    return g0 / len(x), g1 / len(x)
''',
        },
        "mistakes": {
            "sums": _mistake('''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.sum(r * x)), float(np.sum(r))
''', "sums over the points instead of averaging", "factor"),
            "y_minus_prediction": _mistake('''
def line_fit_gradient(a0, a1, x, y):
    r = y - (a0 * x + a1)
    return float(np.mean(r * x)), float(np.mean(r))
''', "uses the residual y - y_hat", "sign"),
            "swapped": _mistake('''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r)), float(np.mean(r * x))
''', "returns (dL/da1, dL/da0)", "loop_order"),
            "product_of_means": _mistake('''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r) * np.mean(x)), float(np.mean(r))
''', "takes mean(r) mean(x) for mean(r x)", "wrong_function"),
            "lecture_two": _mistake('''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return 2 * float(np.mean(r * x)), 2 * float(np.mean(r))
''', "differentiates the lecture's loss without the 1/2", "factor"),
            "forgets_x": _mistake('''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r)), float(np.mean(r))
''', "leaves the factor x out of dL/da0", "missing_term"),
        },
        "shortcuts": {
            "central_on_loss": '''
def line_fit_gradient(a0, a1, x, y):
    L = lambda p, q: float(np.mean(0.5 * (p * x + q - y) ** 2))
    h = 1e-6
    return (L(a0 + h, a1) - L(a0 - h, a1)) / (2 * h), (L(a0, a1 + h) - L(a0, a1 - h)) / (2 * h)
''',
            "complex_step": '''
def line_fit_gradient(a0, a1, x, y):
    L = lambda p, q: np.mean(0.5 * (p * x + q - y) ** 2)
    h = 1e-40
    return float(L(a0 + 1j * h, a1).imag / h), float(L(a0, a1 + 1j * h).imag / h)
''',
        },
    },
    "fit_line": {
        "valid": {
            "tuple_update": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    m = len(x)
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * (r @ x) / m, a1 - lr * r.sum() / m
    return float(a0), float(a1)
''',
            "vector_params": '''
def fit_line(x, y, lr, epochs):
    theta = np.zeros(2)
    design = np.column_stack([x, np.ones_like(x)])
    step = 0
    while step < epochs:
        theta = theta - lr * design.T @ (design @ theta - y) / len(y)
        step += 1
    return float(theta[0]), float(theta[1])
''',
        },
        "mistakes": {
            "sequential_update": _mistake('''
def fit_line(x, y, lr, epochs):
    a0, a1 = 0.0, 0.0
    for _ in range(epochs):
        a0 = a0 - lr * np.mean((a0 * x + a1 - y) * x)
        a1 = a1 - lr * np.mean(a0 * x + a1 - y)
    return a0, a1
''', "updates a1 with the gradient at the new a0", "loop_order"),
            "one_step_short": _mistake('''
def fit_line(x, y, lr, epochs):
    a0, a1 = 0.0, 0.0
    for _ in range(1, epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.mean(r * x), a1 - lr * np.mean(r)
    return a0, a1
''', "range(1, epochs) takes epochs - 1 steps", "loop_count"),
            "one_step_long": _mistake('''
def fit_line(x, y, lr, epochs):
    a0, a1 = 0.0, 0.0
    for _ in range(epochs + 1):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.mean(r * x), a1 - lr * np.mean(r)
    return a0, a1
''', "takes epochs + 1 steps", "loop_count"),
            "ascent": _mistake('''
def fit_line(x, y, lr, epochs):
    a0, a1 = 0.0, 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 + lr * np.mean(r * x), a1 + lr * np.mean(r)
    return a0, a1
''', "adds the gradient (ascent)", "sign"),
            "fixed_rate": _mistake('''
def fit_line(x, y, lr, epochs):
    a0, a1 = 0.0, 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - 0.1 * np.mean(r * x), a1 - 0.1 * np.mean(r)
    return a0, a1
''', "steps with 0.1 whatever lr is", "ignored_argument"),
            "summed_gradient": _mistake('''
def fit_line(x, y, lr, epochs):
    a0, a1 = 0.0, 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.sum(r * x), a1 - lr * np.sum(r)
    return a0, a1
''', "steps along the summed gradient instead of the mean", "factor"),
        },
        "shortcuts": {},
    },
    "gd_step": {
        "valid": {
            "comprehension": '''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''',
            "copy_then_in_place": '''
def gd_step(params, grads, lr):
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        W2, b2 = W.copy(), b.copy()
        W2 -= lr * dW
        b2 -= lr * db
        new.append((W2, b2))
    return new
''',
            "subtract": '''
def gd_step(params, grads, lr):
    return [tuple(np.subtract(p, lr * g) for p, g in zip(layer, grad)) for layer, grad in zip(params, grads)]
''',
        },
        "mistakes": {
            "in_place": _mistake('''
def gd_step(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params
''', "updates the given arrays in place", "in_place"),
            "plus": _mistake('''
def gd_step(params, grads, lr):
    return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
''', "moves along the gradient instead of against it", "sign"),
            "bias_unchanged": _mistake('''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b.copy()) for (W, b), (dW, _) in zip(params, grads)]
''', "updates the weights and leaves the biases", "missing_term"),
            "fixed_rate": _mistake('''
def gd_step(params, grads, lr):
    return [(W - 0.01 * dW, b - 0.01 * db) for (W, b), (dW, db) in zip(params, grads)]
''', "uses a step size of 0.01 whatever lr says", "ignored_argument"),
            "bias_in_place": _mistake('''
def gd_step(params, grads, lr):
    out = []
    for (W, b), (dW, db) in zip(params, grads):
        b -= lr * db
        out.append((W - lr * dW, b))
    return out
''', "steps the bias in place on the caller's array", "in_place"),
            "reversed_gradients": _mistake('''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads[::-1])]
''', "pairs the layers with the gradients in reverse order", "loop_order"),
        },
        "shortcuts": {},
    },
}
