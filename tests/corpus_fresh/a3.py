"""Fresh corpus, assignment 3 (two_layer.ipynb): written from the released notebook alone.

The notebook's given ``sigmoid`` and ``relu`` are defined before every source (``cases.PRELUDES``).
See README.md: never register these mistakes; they measure the grader.
"""


def _grads(body: str, name: str) -> str:
    """A four-gradient answer: the forward pass and the deltas in ``body``, shared tail."""
    return f'''
def {name}(X, Y, W1, b1, W2, b2):
{body}
    m = X.shape[0]
    dW2 = D2.T @ A1 / m
    db2 = D2.mean(axis=0)
    dW1 = D1.T @ X / m
    db1 = D1.mean(axis=0)
    return dW1, db1, dW2, db2
'''


_REG = '''    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    D2 = A2 - Y
    D1 = (D2 @ W2) * A1 * (1 - A1)'''
_HW = '''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = (A2 - Y) * A2 * (1 - A2)
    D1 = (D2 @ W2) * A1 * (1 - A1)'''
_BIN = '''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = (D2 @ W2) * A1 * (1 - A1)'''
_RELU = '''    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = (D2 @ W2) * (Z1 > 0)'''


def _four_gradient_question(name: str, right: str, variants: dict[str, tuple[str, str, str]],
                            extra_valid: dict[str, str]) -> dict:
    """Corpus entry of a four-gradient question: a right body, plus mistakes as (body, what, evidence)."""
    return {
        "valid": {"batch_matrix_form": _grads(right, name), **extra_valid},
        "mistakes": {label: {"source": source if source.lstrip().startswith("def") else _grads(source, name),
                             "what": what, "evidence": evidence}
                     for label, (source, what, evidence) in variants.items()},
        "shortcuts": {},
    }


def _tail_variant(name: str, body: str, tail: str) -> str:
    return f'''
def {name}(X, Y, W1, b1, W2, b2):
{body}
    m = X.shape[0]
{tail}
'''


def _common_mistakes(name: str, body: str) -> dict[str, tuple[str, str, str]]:
    """Batch-form slips any of the four networks can have (the forward pass and deltas right).

    A binary network has one output unit, where averaging db2 over every entry is no mistake.
    """
    slips = _all_slips(name, body)
    if name.startswith("binary"):
        del slips["db2_mean_of_everything"]
    return slips


def _all_slips(name: str, body: str) -> dict[str, tuple[str, str, str]]:
    return {
        "sum_not_mean": (_tail_variant(name, body, '''    return D1.T @ X, D1.sum(axis=0), D2.T @ A1, D2.sum(axis=0)'''),
                         "sums the per-example gradients instead of averaging them (missing 1/m on all four).",
                         "all four gradients m times too large; right when m = 1"),
        "bias_not_averaged": (_tail_variant(name, body, '''    return D1.T @ X / m, D1.sum(axis=0), D2.T @ A1 / m, D2.sum(axis=0)'''),
                              "averages the weight gradients but sums the bias gradients.",
                              "db1 and db2 m times too large; dW1, dW2 right"),
        "dW2_missing_1_over_m": (_tail_variant(name, body, '''    return D1.T @ X / m, D1.mean(axis=0), D2.T @ A1, D2.mean(axis=0)'''),
                                 "forgets the 1/m in dW2 only.",
                                 "dW2 m times too large; dW1, db1, db2 right"),
        "db1_keepdims": (_tail_variant(name, body, '''    return D1.T @ X / m, D1.mean(axis=0, keepdims=True), D2.T @ A1 / m, D2.mean(axis=0)'''),
                         "keeps the summed axis in db1, returning shape (1, h) instead of (h,).",
                         "db1 has the wrong shape (values right); dW1, dW2, db2 right"),
        "dW1_transposed": (_tail_variant(name, body, '''    return X.T @ D1 / m, D1.mean(axis=0), D2.T @ A1 / m, D2.mean(axis=0)'''),
                           "computes X^T Delta1, the transpose of dW1 (shape (n_in, h)).",
                           "dW1 transposed; db1, dW2, db2 right"),
        "dW2_transposed": (_tail_variant(name, body, '''    return D1.T @ X / m, D1.mean(axis=0), A1.T @ D2 / m, D2.mean(axis=0)'''),
                           "computes A1^T Delta2, the transpose of dW2 (shape (h, n_out)).",
                           "dW2 transposed; dW1, db1, db2 right"),
        "db2_mean_of_everything": (_tail_variant(name, body, '''    return D1.T @ X / m, D1.mean(axis=0), D2.T @ A1 / m, np.full(D2.shape[1], D2.mean())'''),
                                   "averages delta2 over all its entries (no axis), giving every output unit the same bias gradient.",
                                   "db2 wrong when there are several output units; dW1, db1, dW2 right"),
    }


CORPUS = {
    "regression_gradients": _four_gradient_question(
        "regression_gradients", _REG,
        {
            "hidden_uses_activation_not_derivative": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    D2 = A2 - Y
    D1 = (D2 @ W2) * A1''', "multiplies by the hidden activation A1 instead of its derivative A1(1 - A1).",
                                                      "dW1, db1 wrong; dW2, db2 right"),
            "sign_slip_y_minus_a": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    D2 = Y - A2
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "output error y - a2 instead of a2 - y: every gradient has the wrong sign.",
                                    "all four gradients are minus the expected ones"),
            "factor_two_from_notes": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    D2 = 2 * (A2 - Y)
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "keeps the lecture's factor 2 of the derivative of the square although the loss has 1/2.",
                                      "all four gradients twice the expected ones"),
            "hidden_error_ignores_W2": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = A1 @ W2.T + b2
    D2 = A2 - Y
    D1 = D2.sum(axis=1, keepdims=True) * A1 * (1 - A1)''', "sends the output error back without the weights W2 (summing it over the outputs instead).",
                                        "dW1, db1 wrong; dW2, db2 right"),
            "hidden_derivative_uses_z": ('''    Z1 = X @ W1.T + b1
    A1 = sigmoid(Z1)
    A2 = A1 @ W2.T + b2
    D2 = A2 - Y
    D1 = (D2 @ W2) * Z1 * (1 - Z1)''', "writes g'(z1) as z1(1 - z1), the from-output formula applied to the pre-activation.",
                                         "dW1, db1 wrong; dW2, db2 right"),
            **_common_mistakes("regression_gradients", _REG),
        },
        {"einsum_per_example_mean": '''
def regression_gradients(X, Y, W1, b1, W2, b2):
    A1 = 1 / (1 + np.exp(-(X @ W1.T + b1)))
    A2 = A1 @ W2.T + b2
    D2 = A2 - Y
    D1 = np.einsum("mo,oh->mh", D2, W2) * A1 * (1 - A1)
    dW2 = np.einsum("mo,mh->moh", D2, A1).mean(axis=0)
    dW1 = np.einsum("mh,mi->mhi", D1, X).mean(axis=0)
    return dW1, D1.mean(axis=0), dW2, D2.mean(axis=0)
'''},
    ),
    "homework_gradients": _four_gradient_question(
        "homework_gradients", _HW,
        {
            "regression_delta_no_output_derivative": (_REG.replace("A2 = A1 @ W2.T + b2", "A2 = sigmoid(A1 @ W2.T + b2)"),
                                                      "forgets the sigmoid output's derivative a2(1 - a2) in the output error.",
                                                      "all four gradients wrong"),
            "output_derivative_from_z_formula_on_a": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = (A2 - Y) * sigmoid(A2) * (1 - sigmoid(A2))
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "applies sigma'(z) = sigma(z)(1 - sigma(z)) to the output a2 instead of z2 (sigma applied twice).",
                                                      "all four gradients wrong"),
            "notes_answer_extra_a1": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = (A2 - Y) * A2 * (1 - A2)
    D1 = (D2 @ W2) * A1 * (1 - A1) * A1''', "copies the notes' homework answer, with an extra factor a1 in the hidden error.",
                                            "dW1, db1 wrong; dW2, db2 right"),
            "hidden_derivative_missing": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = (A2 - Y) * A2 * (1 - A2)
    D1 = D2 @ W2''', "forgets the hidden sigmoid's derivative in delta1.",
                                "dW1, db1 wrong; dW2, db2 right"),
            "sign_slip": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = (Y - A2) * A2 * (1 - A2)
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "output error with y - a2: all four gradients negated.",
                          "all four gradients are minus the expected ones"),
            **_common_mistakes("homework_gradients", _HW),
        },
        {"sigmoid_derivative_via_exp": '''
def homework_gradients(X, Y, W1, b1, W2, b2):
    m = len(X)
    Z1 = X @ W1.T + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2.T + b2
    A2 = sigmoid(Z2)
    e2 = np.exp(-np.abs(Z2))
    D2 = (A2 - Y) * e2 / (1 + e2) ** 2
    e1 = np.exp(-np.abs(Z1))
    D1 = (D2 @ W2) * e1 / (1 + e1) ** 2
    return (D1.T @ X) / m, np.sum(D1, axis=0) / m, (D2.T @ A1) / m, np.sum(D2, axis=0) / m
'''},
    ),
    "binary_gradients": _four_gradient_question(
        "binary_gradients", _BIN,
        {
            "keeps_sigmoid_derivative": (_HW, "multiplies a - y by the output's sigmoid derivative, which the log loss cancels.",
                                         "all four gradients wrong"),
            "dl_dp_only": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = -(Y / A2 - (1 - Y) / (1 - A2))
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "uses dl/dp as the output error, forgetting dp/dz2.",
                           "all four gradients wrong"),
            "sign_of_second_term": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = (-(Y / A2) - (1 - Y) / (1 - A2)) * A2 * (1 - A2)
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "sign slip in dl/dp on the (1 - y) term: -(y/p) - (1-y)/(1-p).",
                                    "the output error is right for examples with y = 1 and wrong (-p instead of p) for y = 0; all four gradients wrong"),
            "hidden_relu_derivative_by_mistake": ('''    Z1 = X @ W1.T + b1
    A1 = sigmoid(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = (D2 @ W2) * (Z1 > 0)''', "uses ReLU's derivative for the sigmoid hidden layer.",
                                  "dW1, db1 wrong; dW2, db2 right"),
            "only_positive_examples": ('''    A1 = sigmoid(X @ W1.T + b1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = (A2 - 1) * Y
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "drops the (1 - y) log(1 - p) term (the notes' struck-out term), so examples of class 0 contribute nothing.",
                                       "every gradient wrong whenever a label is 0; right when all labels are 1"),
            **_common_mistakes("binary_gradients", _BIN),
        },
        {"stable_via_logits": '''
def binary_gradients(X, Y, W1, b1, W2, b2):
    A1 = sigmoid(X @ W1.T + b1)
    Z2 = A1 @ W2.T + b2
    D2 = sigmoid(Z2) - Y
    D1 = np.einsum("mo,oh->mh", D2, W2) * (A1 - A1 ** 2)
    m = X.shape[0]
    return D1.T.dot(X) / m, D1.sum(0) / m, D2.T.dot(A1) / m, D2.sum(0) / m
'''},
    ),
    "binary_relu_gradients": _four_gradient_question(
        "binary_relu_gradients", _RELU,
        {
            "sigmoid_derivative_on_relu": ('''    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = (D2 @ W2) * A1 * (1 - A1)''', "keeps the sigmoid's derivative a1(1 - a1) for the ReLU hidden layer.",
                                           "dW1, db1 wrong; dW2, db2 right"),
            "relu_value_as_derivative": ('''    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = (D2 @ W2) * A1''', "multiplies by the ReLU's output instead of its derivative.",
                                "dW1, db1 wrong; dW2, db2 right"),
            "mask_inverted": ('''    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = (D2 @ W2) * (Z1 < 0)''', "passes the error through the inactive units instead of the active ones.",
                                 "dW1, db1 wrong; dW2, db2 right"),
            "no_mask": ('''    Z1 = X @ W1.T + b1
    A1 = relu(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = D2 @ W2''', "forgets the ReLU's derivative entirely.",
                      "dW1, db1 wrong where a unit is inactive; dW2, db2 right"),
            "hidden_uses_sigmoid_forward": ('''    Z1 = X @ W1.T + b1
    A1 = sigmoid(Z1)
    A2 = sigmoid(A1 @ W2.T + b2)
    D2 = A2 - Y
    D1 = (D2 @ W2) * (Z1 > 0)''', "keeps the sigmoid hidden activation in the forward pass.",
                                    "all four gradients wrong"),
            **_common_mistakes("binary_relu_gradients", _RELU),
        },
        {"mask_with_where": '''
def binary_relu_gradients(X, Y, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    A1 = np.maximum(Z1, 0)
    P = sigmoid(A1 @ W2.T + b2)
    D2 = P - Y
    D1 = np.where(Z1 > 0, D2 @ W2, 0.0)
    m = X.shape[0]
    return D1.T @ X / m, D1.mean(axis=0), D2.T @ A1 / m, D2.mean(axis=0)
'''},
    ),
}


CORPUS.update({
    "line_fit_gradient": {
        "valid": {
            "residual_means": '''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r * x)), float(np.mean(r))
''',
            "dot_products": '''
def line_fit_gradient(a0, a1, x, y):
    m = len(x)
    r = a0 * x + a1 - y
    return float(x @ r / m), float(r.sum() / m)
''',
            "expanded_sums": '''
def line_fit_gradient(a0, a1, x, y):
    m = x.size
    d0 = (a0 * np.sum(x * x) + a1 * np.sum(x) - np.sum(x * y)) / m
    d1 = (a0 * np.sum(x) + a1 * m - np.sum(y)) / m
    return float(d0), float(d1)
''',
        },
        "mistakes": {
            "sum_not_mean": {"source": '''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.sum(r * x)), float(np.sum(r))
''', "what": "sums over the points instead of averaging (missing 1/m).",
                "evidence": "both derivatives m times too large"},
            "swapped": {"source": '''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r)), float(np.mean(r * x))
''', "what": "returns (dL/da1, dL/da0): the two derivatives in the wrong order.",
                "evidence": "item 0 holds the intercept's derivative and item 1 the slope's"},
            "sign_slip": {"source": '''
def line_fit_gradient(a0, a1, x, y):
    r = y - (a0 * x + a1)
    return float(np.mean(r * x)), float(np.mean(r))
''', "what": "residual y - y_hat: both derivatives negated.",
                "evidence": "both items are minus the expected ones"},
            "factor_two": {"source": '''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(2 * np.mean(r * x)), float(2 * np.mean(r))
''', "what": "keeps the factor 2 of the square although the loss has 1/2.",
                "evidence": "both derivatives twice the expected ones"},
            "slope_without_x": {"source": '''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r)), float(np.mean(r))
''', "what": "forgets the factor x_i in dL/da0.",
                "evidence": "item 0 wrong; item 1 right"},
            "intercept_times_x": {"source": '''
def line_fit_gradient(a0, a1, x, y):
    r = a0 * x + a1 - y
    return float(np.mean(r * x)), float(np.mean(r * x))
''', "what": "multiplies the intercept's derivative by x too.",
                "evidence": "item 1 wrong; item 0 right"},
        },
        "shortcuts": {
            "central_difference_of_own_loss": '''
def line_fit_gradient(a0, a1, x, y):
    L = lambda p, q: float(np.mean(0.5 * (p * x + q - y) ** 2))
    h = 1e-6
    return (L(a0 + h, a1) - L(a0 - h, a1)) / (2 * h), (L(a0, a1 + h) - L(a0, a1 - h)) / (2 * h)
''',
        },
    },
    "fit_line": {
        "valid": {
            "simultaneous_update": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    m = len(x)
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * float(r @ x) / m, a1 - lr * float(r.sum()) / m
    return float(a0), float(a1)
''',
            "array_parameters": '''
def fit_line(x, y, lr, epochs):
    p = np.zeros(2)
    M = np.column_stack([x, np.ones_like(x)])
    for _ in range(int(epochs)):
        p = p - lr * M.T @ (M @ p - y) / len(y)
    return float(p[0]), float(p[1])
''',
        },
        "mistakes": {
            "sequential_update": {"source": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        a0 -= lr * np.mean((a0 * x + a1 - y) * x)
        a1 -= lr * np.mean(a0 * x + a1 - y)
    return float(a0), float(a1)
''', "what": "updates a1 with the gradient at the new a0 instead of the old one.",
                "evidence": "a0 right after one step, a1 wrong; both drift after more steps; right with epochs = 0"},
            "off_by_one_epochs": {"source": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs - 1):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.mean(r * x), a1 - lr * np.mean(r)
    return float(a0), float(a1)
''', "what": "takes epochs - 1 steps.",
                "evidence": "the result after one step fewer; right with epochs = 0 (no steps either way)"},
            "gradient_ascent": {"source": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 + lr * np.mean(r * x), a1 + lr * np.mean(r)
    return float(a0), float(a1)
''', "what": "moves the parameters along the gradient instead of against it.",
                "evidence": "diverges; right only with epochs = 0"},
            "sum_gradient": {"source": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - lr * np.sum(r * x), a1 - lr * np.sum(r)
    return float(a0), float(a1)
''', "what": "steps with the summed gradient (missing 1/m): an effective learning rate m times too large.",
                "evidence": "wrong for epochs >= 1"},
            "ignores_lr": {"source": '''
def fit_line(x, y, lr, epochs):
    a0 = a1 = 0.0
    for _ in range(epochs):
        r = a0 * x + a1 - y
        a0, a1 = a0 - 0.1 * np.mean(r * x), a1 - 0.1 * np.mean(r)
    return float(a0), float(a1)
''', "what": "uses a fixed step 0.1 instead of the argument lr.",
                "evidence": "right when lr = 0.1; wrong for other learning rates"},
        },
        "shortcuts": {},
    },
    "gd_step": {
        "valid": {
            "comprehension": '''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''',
            "copy_then_subtract_in_place": '''
def gd_step(params, grads, lr):
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        W2, b2 = W.copy(), b.copy()
        W2 -= lr * dW
        b2 -= lr * db
        new.append((W2, b2))
    return new
''',
        },
        "mistakes": {
            "in_place": {"source": '''
def gd_step(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params
''', "what": "updates the given arrays in place instead of returning new ones.",
                "evidence": "values right; the arrays of params are modified"},
            "plus_sign": {"source": '''
def gd_step(params, grads, lr):
    return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
''', "what": "steps along the gradient instead of against it.",
                "evidence": "every W and b moved the wrong way"},
            "bias_not_updated": {"source": '''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)]
''', "what": "forgets to update the biases.",
                "evidence": "every W right; every b unchanged"},
            "ignores_lr": {"source": '''
def gd_step(params, grads, lr):
    return [(W - dW, b - db) for (W, b), (dW, db) in zip(params, grads)]
''', "what": "ignores the learning rate (a step of 1).",
                "evidence": "right only when lr = 1"},
            "grads_misaligned": {"source": '''
def gd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, reversed(grads))]
''', "what": "pairs each layer with another layer's gradient (reversed order).",
                "evidence": "shape errors or wrong values for networks of two or more layers"},
        },
        "shortcuts": {},
    },
})


def _numerical_four_gradients(name: str, loss_body: str) -> str:
    """A shortcut: the four gradients by central differences of the student's own loss, entry by entry."""
    return f'''
def {name}(X, Y, W1, b1, W2, b2):
    def loss(W1, b1, W2, b2):
{loss_body}
    params = [np.array(p, dtype=float) for p in (W1, b1, W2, b2)]
    grads = []
    h = 1e-6
    for k, p in enumerate(params):
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            up = loss(*params)
            p[i] = old - h
            down = loss(*params)
            p[i] = old
            g[i] = (up - down) / (2 * h)
        grads.append(g)
    return tuple(grads)
'''


CORPUS["regression_gradients"]["shortcuts"]["central_differences_of_own_loss"] = _numerical_four_gradients(
    "regression_gradients", '''        A2 = sigmoid(X @ W1.T + b1) @ W2.T + b2
        return 0.5 * np.sum((A2 - Y) ** 2) / X.shape[0]''')
CORPUS["homework_gradients"]["shortcuts"]["central_differences_of_own_loss"] = _numerical_four_gradients(
    "homework_gradients", '''        A2 = sigmoid(sigmoid(X @ W1.T + b1) @ W2.T + b2)
        return 0.5 * np.sum((A2 - Y) ** 2) / X.shape[0]''')
CORPUS["binary_gradients"]["shortcuts"]["central_differences_of_own_loss"] = _numerical_four_gradients(
    "binary_gradients", '''        P = sigmoid(sigmoid(X @ W1.T + b1) @ W2.T + b2)
        return -np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / X.shape[0]''')
CORPUS["binary_relu_gradients"]["shortcuts"]["central_differences_of_own_loss"] = _numerical_four_gradients(
    "binary_relu_gradients", '''        P = sigmoid(relu(X @ W1.T + b1) @ W2.T + b2)
        return -np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / X.shape[0]''')
