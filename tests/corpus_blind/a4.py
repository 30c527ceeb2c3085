"""Blind corpus, assignment 4 parts 2-6: output errors, the hidden recurrence, a layer's gradients,
backpropagation, predicted classes and the gradient check's relative errors.

Written from ``assignments/a4_losses_backprop/losses_backprop.ipynb`` alone. ``PRELUDE`` is the
notebook's given cell (``sigmoid``, ``relu``, ``relu_prime``, ``softmax``, ``network_output``).
Most ``backprop`` mistakes are one edit (:func:`_edit`) of a right answer that keeps the forward
pass's lists.
"""

from blind_forms import edit as _edit, mistake as _mistake

PRELUDE = '''
def sigmoid(z):
    """Logistic sigmoid, elementwise, without overflow."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(z):
    """max(0, z), elementwise."""
    return np.maximum(0.0, np.asarray(z, dtype=np.float64))


def relu_prime(z):
    """1.0 where z > 0, else 0.0 (so relu_prime(0) = 0)."""
    return (np.asarray(z) > 0).astype(np.float64)


def softmax(Z):
    """Row-wise softmax of Z (m, C), numerically stable; each row sums to 1."""
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def network_output(X, params):
    """Output A^L, shape (m, n_L), of a network with ReLU hidden layers and a softmax output."""
    A = np.asarray(X, dtype=np.float64)
    for W, b in params[:-1]:
        A = relu(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
'''


BACKPROP = '''
def backprop(X, Y, params):
    m = X.shape[0]
    acts, pre = [X], []
    for l, (W, b) in enumerate(params):
        Z = acts[-1] @ W.T + b
        pre.append(Z)
        acts.append(softmax(Z) if l == len(params) - 1 else relu(Z))
    delta = acts[-1] - Y
    grads = []
    for l in range(len(params) - 1, -1, -1):
        grads.append((delta.T @ acts[l] / m, delta.sum(axis=0) / m))
        if l > 0:
            delta = (delta @ params[l][0]) * relu_prime(pre[l - 1])
    return grads[::-1]
'''

LOGIT_SHORTCUT = '''
def {name}(A, Y{extra}):
    Z = {logits}
    def per_entry_loss(Z):
        return {loss}
    h = 1e-6
    return (per_entry_loss(Z + h) - per_entry_loss(Z - h)) / (2 * h)
'''

CORPUS = {
    "delta_mse_linear": {
        "valid": {
            "difference": '''
def delta_mse_linear(A, Y):
    return A - Y
''',
            "subtract_float": '''
def delta_mse_linear(A, Y):
    return np.subtract(A, Y, dtype=float)
''',
        },
        "mistakes": {
            "averaged": _mistake('''
def delta_mse_linear(A, Y):
    return (A - Y) / len(A)
''', "divides by m, which belongs to the weight gradients, not delta", "factor"),
            "target_first": _mistake('''
def delta_mse_linear(A, Y):
    return Y - A
''', "writes y - a", "sign"),
            "sigmoid_factor": _mistake('''
def delta_mse_linear(A, Y):
    return (A - Y) * A * (1 - A)
''', "multiplies by a sigmoid's a(1 - a) although the output is linear", "extra_term"),
        },
        "shortcuts": {},
    },
    "delta_mse_sigmoid": {
        "valid": {
            "product": '''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)
''',
            "expanded": '''
def delta_mse_sigmoid(A, Y):
    dloss_da = A - Y
    da_dz = A - A ** 2
    return dloss_da * da_dz
''',
        },
        "mistakes": {
            "no_sigmoid_derivative": _mistake('''
def delta_mse_sigmoid(A, Y):
    return A - Y
''', "forgets sigma'(z) = a(1 - a)", "missing_term"),
            "sigmoid_of_output": _mistake('''
def delta_mse_sigmoid(A, Y):
    s = sigmoid(A)
    return (A - Y) * s * (1 - s)
''', "applies the sigmoid to A again inside sigma'", "wrong_function"),
            "half_derivative": _mistake('''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A
''', "writes sigma' as a, losing (1 - a)", "missing_term"),
            "sign": _mistake('''
def delta_mse_sigmoid(A, Y):
    return (Y - A) * A * (1 - A)
''', "writes (y - a) a (1 - a)", "sign"),
            "averaged": _mistake('''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A * (1 - A) / A.shape[0]
''', "divides delta by m", "factor"),
        },
        "shortcuts": {
            "logit_central": LOGIT_SHORTCUT.format(name="delta_mse_sigmoid", extra="", logits="np.log(A / (1 - A))",
                                                   loss="0.5 * (sigmoid(Z) - Y) ** 2"),
        },
    },
    "delta_bce_sigmoid": {
        "valid": {
            "cancelled": '''
def delta_bce_sigmoid(A, Y):
    return A - Y
''',
            "negated": '''
def delta_bce_sigmoid(A, Y):
    return -(Y - np.asarray(A, dtype=float))
''',
        },
        "mistakes": {
            "keeps_sigma_prime": _mistake('''
def delta_bce_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)
''', "multiplies a - y by sigma'(z), which the loss already cancelled", "extra_term"),
            "dloss_da": _mistake('''
def delta_bce_sigmoid(A, Y):
    return -Y / A + (1 - Y) / (1 - A)
''', "returns d loss / d a and forgets the sigmoid's derivative", "missing_term"),
            "divided_by_derivative": _mistake('''
def delta_bce_sigmoid(A, Y):
    return (A - Y) / (A * (1 - A))
''', "divides by a(1 - a) instead of multiplying", "wrong_function"),
            "sign": _mistake('''
def delta_bce_sigmoid(A, Y):
    return Y - A
''', "writes y - a", "sign"),
            "averaged": _mistake('''
def delta_bce_sigmoid(A, Y):
    return (A - Y) / len(Y)
''', "divides delta by m", "factor"),
        },
        "shortcuts": {
            "logit_central": LOGIT_SHORTCUT.format(
                name="delta_bce_sigmoid", extra="", logits="np.log(A) - np.log1p(-A)",
                loss="-(Y * np.log(sigmoid(Z)) + (1 - Y) * np.log(1 - sigmoid(Z)))"),
        },
    },
    "delta_cce_softmax": {
        "valid": {
            "difference": '''
def delta_cce_softmax(A, Y):
    return A - Y
''',
            "jacobian_rows": '''
def delta_cce_softmax(A, Y):
    out = np.empty(A.shape)
    for i, (a, y) in enumerate(zip(A, Y)):
        J = np.diag(a) - np.outer(a, a)      # symmetric
        out[i] = J @ (-y / a)
    return out
''',
        },
        "mistakes": {
            "dloss_da": _mistake('''
def delta_cce_softmax(A, Y):
    return -Y / A
''', "returns d loss / d a, leaving the softmax out", "missing_term"),
            "diagonal_jacobian": _mistake('''
def delta_cce_softmax(A, Y):
    return (-Y / A) * A * (1 - A)
''', "chains through the Jacobian's diagonal a(1 - a) only", "missing_term"),
            "sign": _mistake('''
def delta_cce_softmax(A, Y):
    return Y - A
''', "writes y - a", "sign"),
            "averaged": _mistake('''
def delta_cce_softmax(A, Y):
    return (A - Y) / A.shape[0]
''', "divides delta by m", "factor"),
        },
        "shortcuts": {
            "logit_rows": '''
def delta_cce_softmax(A, Y):
    Z = np.log(A)
    def row_loss(Z):
        return -np.sum(Y * np.log(softmax(Z)), axis=1)
    h = 1e-6
    D = np.zeros(A.shape)
    for j in range(A.shape[1]):
        e = np.zeros(A.shape[1])
        e[j] = h
        D[:, j] = (row_loss(Z + e) - row_loss(Z - e)) / (2 * h)
    return D
''',
        },
    },
    "delta_huber_linear": {
        "valid": {
            "clip": '''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -c, c)
''',
            "masks": '''
def delta_huber_linear(A, Y, c=1.0):
    r = A - Y
    out = r.copy()
    out[r > c] = c
    out[r < -c] = -c
    return out
''',
        },
        "mistakes": {
            "averaged": _mistake('''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -c, c) / len(A)
''', "divides delta by m", "factor"),
            "fixed_threshold": _mistake('''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -1, 1)
''', "clips at 1 whatever c is", "ignored_argument"),
            "mse_delta": _mistake('''
def delta_huber_linear(A, Y, c=1.0):
    return A - Y
''', "returns the MSE's a - y, ignoring the linear pieces", "wrong_function"),
            "constant_slope": _mistake('''
def delta_huber_linear(A, Y, c=1.0):
    return c * np.sign(A - Y)
''', "returns c sign(r) everywhere", "wrong_function"),
            "sign": _mistake('''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(Y - A, -c, c)
''', "clips y - a instead of a - y", "sign"),
        },
        "shortcuts": {
            "entrywise_central": '''
def delta_huber_linear(A, Y, c=1.0):
    def loss(Z):
        r = np.abs(Z - Y)
        return np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c))
    h = 1e-7
    return (loss(A + h) - loss(A - h)) / (2 * h)
''',
        },
    },
    "delta_pseudo_huber_linear": {
        "valid": {
            "formula": '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + (r / c) ** 2)
''',
            "hypot": '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = np.asarray(A - Y, dtype=float)
    return c * r / np.hypot(r, c)
''',
        },
        "mistakes": {
            "c_ignored": _mistake('''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + r ** 2)
''', "writes the c = 1 formula", "ignored_argument"),
            "averaged": _mistake('''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + (r / c) ** 2) / len(r)
''', "divides delta by m", "factor"),
            "no_sqrt": _mistake('''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / (1 + (r / c) ** 2)
''', "drops the square root", "wrong_function"),
            "c_squared_kept": _mistake('''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return c ** 2 * r / np.sqrt(1 + (r / c) ** 2)
''', "keeps the loss's c^2 in front", "factor"),
        },
        "shortcuts": {
            "complex_step": '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = (A - Y) + 1e-25j
    return (c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1)).imag / 1e-25
''',
        },
    },
    "hidden_delta": {
        "valid": {
            "rows": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) * g_prime_Z
''',
            "translated_004": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    W_004 = W_next.T                         # note 004 stores (n_l, n_next)
    return (W_004 @ delta_next.T).T * g_prime_Z
''',
            "einsum": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return np.einsum("mk,kj->mj", delta_next, W_next) * g_prime_Z
''',
        },
        "mistakes": {
            "W_transposed": _mistake('''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next.T) * g_prime_Z
''', "multiplies by W_next^T, note 004's matrix in the course's storage", "transpose"),
            "no_g_prime": _mistake('''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return delta_next @ W_next
''', "forgets the factor g'(Z)", "missing_term"),
            "adds_g_prime": _mistake('''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return delta_next @ W_next + g_prime_Z
''', "adds g'(Z) instead of multiplying", "wrong_function"),
            "averaged": _mistake('''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) * g_prime_Z / len(delta_next)
''', "divides the delta by m", "factor"),
        },
        "shortcuts": {},
    },
    "layer_gradients": {
        "valid": {
            "matrix": '''
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, delta.mean(axis=0)
''',
            "outer_loop": '''
def layer_gradients(delta, A_prev):
    dW = np.zeros((delta.shape[1], A_prev.shape[1]))
    db = np.zeros(delta.shape[1])
    for d, a in zip(delta, A_prev):
        dW += np.outer(d, a)
        db += d
    return dW / len(delta), db / len(delta)
''',
        },
        "mistakes": {
            "summed_weights": _mistake('''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev, delta.mean(axis=0)
''', "sums dW over the examples (note 004's batch formula)", "factor"),
            "summed_bias": _mistake('''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev / len(delta), delta.sum(axis=0)
''', "sums db over the examples (note 004's last line)", "factor"),
            "transposed": _mistake('''
def layer_gradients(delta, A_prev):
    return A_prev.T @ delta / len(delta), delta.mean(axis=0)
''', "returns dW in note 004's (n_in, n_out) storage", "transpose"),
            "bias_over_units": _mistake('''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev / len(delta), delta.mean(axis=1)
''', "averages db over the units instead of the examples", "wrong_axis"),
            "swapped": _mistake('''
def layer_gradients(delta, A_prev):
    return delta.mean(axis=0), delta.T @ A_prev / len(delta)
''', "returns (db, dW)", "loop_order"),
        },
        "shortcuts": {},
    },
    "backprop": {
        "valid": {
            "lists": BACKPROP,
            "recursive": '''
def _back(A_in, Y, params):
    W, b = params[0]
    Z = A_in @ W.T + b
    if len(params) == 1:
        delta = softmax(Z) - Y
        return delta, []
    A = relu(Z)
    delta_next, rest = _back(A, Y, params[1:])
    W_next = params[1][0]
    m = len(A_in)
    rest = [(delta_next.T @ A / m, delta_next.mean(axis=0))] + rest
    return (delta_next @ W_next) * (Z > 0), rest

def backprop(X, Y, params):
    delta, rest = _back(X, Y, params)
    return [(delta.T @ X / len(X), delta.mean(axis=0))] + rest
''',
            "mask_from_activation": '''
def backprop(X, Y, params):
    A = [np.asarray(X, dtype=float)]
    for W, b in params[:-1]:
        A.append(relu(A[-1] @ W.T + b))
    W_L, b_L = params[-1]
    D = softmax(A[-1] @ W_L.T + b_L) - Y
    m = len(X)
    out = [None] * len(params)
    for l in reversed(range(len(params))):
        out[l] = (np.einsum("mo,mi->oi", D, A[l]) / m, D.mean(axis=0))
        if l:
            D = (D @ params[l][0]) * (A[l] > 0)
    return out
''',
        },
        "mistakes": {
            "summed": _edit(BACKPROP, "m = X.shape[0]", "m = 1", "forgets the 1/m of the mean loss", "factor"),
            "bias_summed": _edit(BACKPROP, "delta.sum(axis=0) / m", "delta.sum(axis=0)",
                                 "sums the bias gradients (note 004's update)", "factor"),
            "own_layer_weights": _edit(BACKPROP, "delta = (delta @ params[l][0])", "delta = (delta @ params[l - 1][0])",
                                       "sends delta back through the previous layer's weights", "loop_order"),
            "output_layer_first": _edit(BACKPROP, "return grads[::-1]", "return grads",
                                        "returns the gradients from the output layer back", "loop_order"),
            "no_relu_prime": _edit(BACKPROP, "delta = (delta @ params[l][0]) * relu_prime(pre[l - 1])",
                                   "delta = delta @ params[l][0]", "forgets the ReLU's derivative", "missing_term"),
            "sigmoid_prime": _edit(BACKPROP, "relu_prime(pre[l - 1])", "sigmoid(pre[l - 1]) * (1 - sigmoid(pre[l - 1]))",
                                   "uses the sigmoid's derivative for the ReLU layers", "wrong_function"),
            "double_mean": _edit(BACKPROP, "delta = acts[-1] - Y", "delta = (acts[-1] - Y) / m",
                                 "divides delta^L by m and every gradient by m again", "factor"),
            "relu_on_output": _edit(BACKPROP, "acts.append(softmax(Z) if l == len(params) - 1 else relu(Z))",
                                    "acts.append(softmax(relu(Z)) if l == len(params) - 1 else relu(Z))",
                                    "applies the ReLU to the output layer before the softmax", "cascade"),
            "dW_transposed": _edit(BACKPROP, "delta.T @ acts[l] / m", "acts[l].T @ delta / m",
                                   "returns each dW as (n_in, n_out)", "transpose"),
            "skips_first_layer": _edit(BACKPROP, "range(len(params) - 1, -1, -1)", "range(len(params) - 1, 0, -1)",
                                       "the backward loop stops before layer 1", "loop_count"),
            "derivative_of_next_layer": _edit(BACKPROP, "relu_prime(pre[l - 1])", "relu_prime(pre[l])",
                                              "takes g' of layer l + 1's pre-activations", "loop_order"),
            "error_sign": _edit(BACKPROP, "delta = acts[-1] - Y", "delta = Y - acts[-1]",
                                "starts from y - a", "sign"),
            "pre_activation_as_input": _edit(BACKPROP, "delta.T @ acts[l] / m", "delta.T @ (pre[l - 1] if l else X) / m",
                                             "multiplies delta by the previous layer's Z instead of its ReLU output",
                                             "wrong_function"),
        },
        "shortcuts": {
            "entrywise_central": '''
def backprop(X, Y, params):
    work = [[np.array(W, dtype=float), np.array(b, dtype=float)] for W, b in params]
    def loss():
        P = np.clip(network_output(X, [tuple(p) for p in work]), 1e-12, 1 - 1e-12)
        return -np.mean(np.sum(Y * np.log(P), axis=1))
    grads = []
    for layer in work:
        pair = []
        for arr in layer:
            g = np.zeros_like(arr)
            for idx in np.ndindex(arr.shape):
                keep = arr[idx]
                arr[idx] = keep + 1e-6
                up = loss()
                arr[idx] = keep - 1e-6
                down = loss()
                arr[idx] = keep
                g[idx] = (up - down) / 2e-6
            pair.append(g)
        grads.append(tuple(pair))
    return grads
''',
        },
    },
    "predict_classes": {
        "valid": {
            "argmax": '''
def predict_classes(A):
    return np.argmax(A, axis=1)
''',
            "comprehension": '''
def predict_classes(A):
    return np.array([int(np.argmax(row)) for row in A])
''',
            "first_of_max": '''
def predict_classes(A):
    is_max = A == A.max(axis=1, keepdims=True)
    return is_max.argmax(axis=1)           # the first True: ties go to the first class
''',
        },
        "mistakes": {
            "columns": _mistake('''
def predict_classes(A):
    return np.argmax(A, axis=0)
''', "takes the argmax of each column", "wrong_axis"),
            "flat": _mistake('''
def predict_classes(A):
    return np.argmax(A)
''', "takes the argmax of the whole array", "wrong_axis"),
            "last_of_ties": _mistake('''
def predict_classes(A):
    C = A.shape[1]
    return C - 1 - np.argmax(A[:, ::-1], axis=1)
''', "breaks ties towards the last class", "edge_case"),
            "float_classes": _mistake('''
def predict_classes(A):
    return np.argmax(A, axis=1).astype(float)
''', "returns the classes as floats", "dtype"),
            "probabilities": _mistake('''
def predict_classes(A):
    return A.max(axis=1)
''', "returns the largest probability instead of its index", "wrong_function"),
            "column_vector": _mistake('''
def predict_classes(A):
    return np.argmax(A, axis=1).reshape(-1, 1)
''', "returns shape (m, 1)", "shape"),
        },
        "shortcuts": {},
    },
    "gradient_errors": {
        "valid": {
            "helper": '''
def _rel(a, n):
    scale = np.max(np.abs(a) + np.abs(n))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - n)) / scale)

def gradient_errors(analytic, numeric):
    return [(_rel(aW, nW), _rel(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''',
            "inf_norms": '''
def gradient_errors(analytic, numeric):
    out = []
    for layer_a, layer_n in zip(analytic, numeric):
        errs = []
        for a, n in zip(layer_a, layer_n):
            a, n = np.ravel(a), np.ravel(n)
            top = np.linalg.norm(a - n, ord=np.inf)
            bottom = np.linalg.norm(np.abs(a) + np.abs(n), ord=np.inf)
            errs.append(float(top / bottom) if bottom > 0 else 0.0)
        out.append(tuple(errs))
    return out
''',
        },
        "mistakes": {
            "euclidean_norms": _mistake('''
def gradient_errors(analytic, numeric):
    def rel(a, n):
        d = np.linalg.norm(a) + np.linalg.norm(n)
        return 0.0 if d == 0 else float(np.linalg.norm(a - n) / d)
    return [(rel(aW, nW), rel(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''', "uses Euclidean norms (CS231n's form) instead of the maxima", "wrong_function"),
            "floored_denominator": _mistake('''
def gradient_errors(analytic, numeric):
    def rel(a, n):
        return float(np.max(np.abs(a - n)) / max(1e-8, np.max(np.abs(a) + np.abs(n))))
    return [(rel(aW, nW), rel(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''', "floors the denominator at 1e-8, which changes tiny gradients", "edge_case"),
            "nan_on_zeros": _mistake('''
def gradient_errors(analytic, numeric):
    def rel(a, n):
        return float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n)))
    return [(rel(aW, nW), rel(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''', "divides 0 by 0 for an all-zero layer", "edge_case"),
            "sum_of_maxima": _mistake('''
def gradient_errors(analytic, numeric):
    def rel(a, n):
        d = np.max(np.abs(a)) + np.max(np.abs(n))
        return 0.0 if d == 0 else float(np.max(np.abs(a - n)) / d)
    return [(rel(aW, nW), rel(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''', "divides by max|a| + max|n| instead of max(|a| + |n|)", "wrong_function"),
            "b_then_W": _mistake('''
def gradient_errors(analytic, numeric):
    def rel(a, n):
        d = np.max(np.abs(a) + np.abs(n))
        return 0.0 if d == 0 else float(np.max(np.abs(a - n)) / d)
    return [(rel(ab, nb), rel(aW, nW)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''', "returns (err_b, err_W)", "loop_order"),
            "mean_difference": _mistake('''
def gradient_errors(analytic, numeric):
    def rel(a, n):
        d = np.max(np.abs(a) + np.abs(n))
        return 0.0 if d == 0 else float(np.mean(np.abs(a - n)) / d)
    return [(rel(aW, nW), rel(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''', "takes the mean of |a - n| in the numerator instead of the maximum", "wrong_function"),
        },
        "shortcuts": {},
    },
}
