"""Fresh corpus, assignment 4 (losses_backprop.ipynb): written from the released notebook alone.

The losses of part 1 are in ``a4_losses.py``; the notebook's given ``sigmoid``, ``relu``,
``relu_prime``, ``softmax`` and ``network_output`` run before every source (``cases.PRELUDES``).
See README.md: never register these mistakes; they measure the grader.
"""
from a4_losses import LOSSES, _m

_BACKPROP_RIGHT = '''
def backprop(X, Y, params):
    As, Zs = [X], []
    for l, (W, b) in enumerate(params):
        Z = As[-1] @ W.T + b
        Zs.append(Z)
        As.append(softmax(Z) if l == len(params) - 1 else relu(Z))
    m = X.shape[0]
    delta = As[-1] - Y
    grads = []
    for l in range(len(params) - 1, -1, -1):
        grads.append((delta.T @ As[l] / m, delta.sum(axis=0) / m))
        if l > 0:
            delta = (delta @ params[l][0]) * relu_prime(Zs[l - 1])
    return grads[::-1]
'''

CORPUS = {
    **LOSSES,
    "delta_mse_linear": {
        "valid": {
            "difference": '''
def delta_mse_linear(A, Y):
    return A - Y
''',
            "times_one": '''
def delta_mse_linear(A, Y):
    return (A - Y) * np.ones_like(A)
''',
        },
        "mistakes": {
            "divided_by_m": _m("divides by m, but delta^L is per example (the 1/m comes in the weight gradients).", "every entry m times too small; right when m = 1", '''
def delta_mse_linear(A, Y):
    return (A - Y) / A.shape[0]
'''),
            "sign": _m("y - a instead of a - y.", "every entry negated", '''
def delta_mse_linear(A, Y):
    return Y - A
'''),
            "sigmoid_derivative_on_linear": _m("multiplies by a(1 - a) although the output is linear.", "every entry wrong", '''
def delta_mse_linear(A, Y):
    return (A - Y) * A * (1 - A)
'''),
            "factor_two": _m("keeps the factor 2 of the square.", "every entry doubled", '''
def delta_mse_linear(A, Y):
    return 2 * (A - Y)
'''),
        },
        "shortcuts": {},
    },
    "delta_mse_sigmoid": {
        "valid": {
            "a_one_minus_a": '''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)
''',
            "expanded": '''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * (A - A ** 2)
''',
        },
        "mistakes": {
            "no_sigmoid_derivative": _m("forgets the sigmoid's derivative: a - y.", "every entry wrong", '''
def delta_mse_sigmoid(A, Y):
    return A - Y
'''),
            "sigmoid_of_a": _m("evaluates sigma'(.) at the output a instead of writing it as a(1 - a).", "every entry wrong", '''
def delta_mse_sigmoid(A, Y):
    s = 1 / (1 + np.exp(-A))
    return (A - Y) * s * (1 - s)
'''),
            "one_minus_a_squared": _m("uses the tanh derivative 1 - a^2.", "every entry wrong", '''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * (1 - A ** 2)
'''),
            "sign": _m("(y - a) a (1 - a): negated.", "every entry negated", '''
def delta_mse_sigmoid(A, Y):
    return (Y - A) * A * (1 - A)
'''),
            "divided_by_m": _m("divides by m.", "m times too small", '''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A * (1 - A) / len(A)
'''),
        },
        "shortcuts": {
            "central_difference_through_logits": '''
def delta_mse_sigmoid(A, Y):
    Z = np.log(A / (1 - A))
    s = lambda t: 1 / (1 + np.exp(-t))
    h = 1e-6
    return (0.5 * (s(Z + h) - Y) ** 2 - 0.5 * (s(Z - h) - Y) ** 2) / (2 * h)
''',
        },
    },
    "delta_bce_sigmoid": {
        "valid": {
            "a_minus_y": '''
def delta_bce_sigmoid(A, Y):
    return A - Y
''',
            "unsimplified_product": '''
def delta_bce_sigmoid(A, Y):
    return (-Y / A + (1 - Y) / (1 - A)) * A * (1 - A)
''',
        },
        "mistakes": {
            "keeps_derivative": _m("multiplies a - y by a(1 - a) again, although the log loss cancels it.", "every entry wrong", '''
def delta_bce_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)
'''),
            "dl_da_only": _m("returns dl/da without the sigmoid's derivative.", "every entry wrong", '''
def delta_bce_sigmoid(A, Y):
    return -Y / A + (1 - Y) / (1 - A)
'''),
            "sign": _m("y - a.", "every entry negated", '''
def delta_bce_sigmoid(A, Y):
    return Y - A
'''),
            "divided_by_m": _m("divides by m.", "m times too small", '''
def delta_bce_sigmoid(A, Y):
    return (A - Y) / A.shape[0]
'''),
        },
        "shortcuts": {
            "central_difference_through_logits": '''
def delta_bce_sigmoid(A, Y):
    Z = np.log(A) - np.log1p(-A)
    ell = lambda T: -(Y * np.log(1 / (1 + np.exp(-T))) + (1 - Y) * np.log(1 - 1 / (1 + np.exp(-T))))
    h = 1e-5
    return (ell(Z + h) - ell(Z - h)) / (2 * h)
''',
        },
    },
    "delta_cce_softmax": {
        "valid": {
            "a_minus_y": '''
def delta_cce_softmax(A, Y):
    return A - Y
''',
            "through_jacobian": '''
def delta_cce_softmax(A, Y):
    G = -Y / A
    J = np.einsum("mi,ij->mij", A, np.eye(A.shape[1])) - np.einsum("mi,mj->mij", A, A)
    return np.einsum("mi,mij->mj", G, J)
''',
        },
        "mistakes": {
            "diagonal_jacobian_only": _m("uses only the Jacobian's diagonal a_i(1 - a_i), as the notes' erratum.", "every entry wrong", '''
def delta_cce_softmax(A, Y):
    return (-Y / A) * A * (1 - A)
'''),
            "sign": _m("y - a.", "every entry negated", '''
def delta_cce_softmax(A, Y):
    return Y - A
'''),
            "dl_da_only": _m("returns dl/da = -y/a without the softmax.", "every entry wrong", '''
def delta_cce_softmax(A, Y):
    return -Y / A
'''),
            "true_class_only": _m("keeps a - y only in the true class's column, zeros elsewhere.", "right in the true class's column; wrong in the others", '''
def delta_cce_softmax(A, Y):
    return (A - Y) * Y
'''),
            "divided_by_m": _m("divides by m.", "m times too small", '''
def delta_cce_softmax(A, Y):
    return (A - Y) / len(A)
'''),
        },
        "shortcuts": {},
    },
    "delta_huber_linear": {
        "valid": {
            "clip": '''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -c, c)
''',
            "where": '''
def delta_huber_linear(A, Y, c=1.0):
    r = A - Y
    return np.where(np.abs(r) < c, r, c * np.sign(r))
''',
        },
        "mistakes": {
            "ignores_c": _m("clips to [-1, 1] whatever c is.", "right when c = 1", '''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -1.0, 1.0)
'''),
            "mse_delta": _m("returns a - y, the MSE's delta, with no clipping.", "right where |r| <= c; wrong outside", '''
def delta_huber_linear(A, Y, c=1.0):
    return A - Y
'''),
            "slope_one_outside": _m("sign(r) instead of c sign(r) outside the threshold.", "right inside; wrong outside when c != 1", '''
def delta_huber_linear(A, Y, c=1.0):
    r = A - Y
    return np.where(np.abs(r) <= c, r, np.sign(r))
'''),
            "divided_by_m": _m("divides by m.", "m times too small", '''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -c, c) / A.shape[0]
'''),
            "clip_before_subtracting": _m("clips the output a to [-c, c] before subtracting y.", "wrong wherever a or r lies outside [-c, c] differently", '''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A, -c, c) - Y
'''),
        },
        "shortcuts": {},
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
    r = A - Y
    return c * r / np.hypot(c, r)
''',
        },
        "mistakes": {
            "ignores_c": _m("uses c = 1 whatever c is.", "right when c = 1", '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + r ** 2)
'''),
            "no_root": _m("r / (1 + (r/c)^2), without the square root.", "wrong for every r != 0", '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / (1 + (r / c) ** 2)
'''),
            "c_squared_too_many": _m("keeps c^2 in front: c^2 r / sqrt(...).", "right when c = 1", '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return c ** 2 * r / np.sqrt(1 + (r / c) ** 2)
'''),
            "divided_by_m": _m("divides by m.", "m times too small", '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + (r / c) ** 2) / len(A)
'''),
        },
        "shortcuts": {
            "central_difference_vectorised": '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    p = lambda T: c ** 2 * (np.sqrt(1 + ((T - Y) / c) ** 2) - 1)
    h = 1e-5
    return (p(A + h) - p(A - h)) / (2 * h)
''',
        },
    },
    "hidden_delta": {
        "valid": {
            "matmul": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) * g_prime_Z
''',
            "einsum": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return np.einsum("mk,kj->mj", delta_next, W_next) * g_prime_Z
''',
            "translated_004": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    W_004 = W_next.T
    return ((W_004 @ delta_next.T) * g_prime_Z.T).T
''',
        },
        "mistakes": {
            "note004_formula_on_course_W": _m("uses note 004's W delta with the course's W: delta_next @ W_next.T.", "shape error unless square; transposed weights when square", '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next.T) * g_prime_Z
'''),
            "matrix_product_with_g_prime": _m("multiplies by g'(Z) as a matrix product instead of elementwise.", "shape error or wrong values", '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) @ g_prime_Z.T @ g_prime_Z / g_prime_Z.shape[0]
'''),
            "forgets_g_prime": _m("forgets the activation's derivative.", "wrong wherever g'(Z) != 1", '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return delta_next @ W_next
'''),
            "divided_by_m": _m("divides by m (the mean belongs to the weight gradients).", "m times too small", '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) * g_prime_Z / delta_next.shape[0]
'''),
            "adds_g_prime": _m("adds g'(Z) instead of multiplying.", "every entry wrong", '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return delta_next @ W_next + g_prime_Z
'''),
        },
        "shortcuts": {},
    },
    "layer_gradients": {
        "valid": {
            "matmul_mean": '''
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, delta.mean(axis=0)
''',
            "einsum": '''
def layer_gradients(delta, A_prev):
    return np.einsum("mo,mi->oi", delta, A_prev) / len(delta), np.einsum("mo->o", delta) / len(delta)
''',
        },
        "mistakes": {
            "note004_transposed": _m("note 004's a (delta)^T: A_prev^T delta, shape (n_in, n_out).", "dW transposed; db right", '''
def layer_gradients(delta, A_prev):
    return A_prev.T @ delta / delta.shape[0], delta.mean(axis=0)
'''),
            "sum_not_mean": _m("sums over the examples (note 004's line 116 and 143 slip).", "dW and db m times too large", '''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev, delta.sum(axis=0)
'''),
            "db_summed": _m("averages dW but sums db.", "db m times too large; dW right", '''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev / delta.shape[0], delta.sum(axis=0)
'''),
            "db_wrong_axis": _m("averages delta over the units (axis 1) for db.", "db wrong (shape (m,)); dW right", '''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev / delta.shape[0], delta.mean(axis=1)
'''),
            "db_keepdims": _m("db with keepdims: shape (1, n_out).", "db has the wrong shape; dW right", '''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev / delta.shape[0], delta.mean(axis=0, keepdims=True)
'''),
        },
        "shortcuts": {},
    },
    "backprop": {
        "valid": {
            "lists_of_cache": _BACKPROP_RIGHT,
            "recursive_with_helpers": '''
def backprop(X, Y, params):
    def forward(A, layers):
        if not layers:
            return []
        W, b = layers[0]
        Z = A @ W.T + b
        out = softmax(Z) if len(layers) == 1 else relu(Z)
        return [(A, Z)] + forward(out, layers[1:])
    cache = forward(X, params)
    m = len(X)
    A_last = softmax(cache[-1][1])
    delta = A_last - Y
    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        A_prev, _ = cache[l]
        grads[l] = (np.einsum("mo,mi->oi", delta, A_prev) / m, delta.mean(axis=0))
        if l:
            delta = delta @ params[l][0] * (cache[l - 1][1] > 0)
    return grads
''',
        },
        "mistakes": {
            "reversed_order": _m("returns the gradients from the last layer to the first.", "layers out of order (shape errors or values of another layer); right for one layer", _BACKPROP_RIGHT.replace("return grads[::-1]", "return grads")),
            "no_relu_mask": _m("forgets relu_prime(Z) in the hidden deltas.", "the output layer's gradients right; hidden layers wrong where units are inactive", _BACKPROP_RIGHT.replace(" * relu_prime(Zs[l - 1])", "")),
            "double_1_over_m": _m("divides the output error by m and then averages the gradients again (1/m twice).", "every gradient m times too small", _BACKPROP_RIGHT.replace("delta = As[-1] - Y", "delta = (As[-1] - Y) / m")),
            "sum_not_mean": _m("sums the gradients over the batch instead of averaging.", "every gradient m times too large", _BACKPROP_RIGHT.replace(" / m, delta.sum(axis=0) / m", ", delta.sum(axis=0)")),
            "relu_output_too": _m("applies ReLU to the output layer's Z before the softmax (the loop treats every layer as hidden).", "every gradient wrong where an output logit is negative", _BACKPROP_RIGHT.replace("As.append(softmax(Z) if l == len(params) - 1 else relu(Z))", "As.append(softmax(relu(Z)) if l == len(params) - 1 else relu(Z))")),
            "delta_uses_updated_weights": _m("propagates delta through W - dW (weights stepped during backprop) instead of the current W.", "the last layer right; earlier layers wrong", _BACKPROP_RIGHT.replace("delta = (delta @ params[l][0])", "delta = (delta @ (params[l][0] - grads[-1][0]))")),
        },
        "shortcuts": {},
    },
    "predict_classes": {
        "valid": {
            "argmax": '''
def predict_classes(A):
    return np.argmax(A, axis=1)
''',
            "argmax_int_cast": '''
def predict_classes(A):
    return A.argmax(axis=1).astype(int)
''',
        },
        "mistakes": {
            "wrong_axis": _m("argmax over axis 0 (per class) instead of per example.", "shape (C,) instead of (m,)", '''
def predict_classes(A):
    return np.argmax(A, axis=0)
'''),
            "float_result": _m("returns the classes as floats, where ints are asked.", "values right but a float array", '''
def predict_classes(A):
    return np.argmax(A, axis=1).astype(float)
'''),
            "last_of_ties": _m("takes the last of tied classes instead of the first.", "differs only on rows with a tie", '''
def predict_classes(A):
    C = A.shape[1]
    return C - 1 - np.argmax(A[:, ::-1], axis=1)
'''),
            "one_based": _m("returns classes numbered from 1.", "every class one too large", '''
def predict_classes(A):
    return np.argmax(A, axis=1) + 1
'''),
            "argmin": _m("argmin instead of argmax.", "the least probable class", '''
def predict_classes(A):
    return np.argmin(A, axis=1)
'''),
        },
        "shortcuts": {},
    },
    "gradient_errors": {
        "valid": {
            "loop_with_zero_guard": '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        den = np.max(np.abs(a) + np.abs(n))
        return 0.0 if den == 0 else float(np.max(np.abs(a - n)) / den)
    return [(err(aW, nW), err(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
''',
            "all_zero_check": '''
def gradient_errors(analytic, numeric):
    out = []
    for (aW, ab), (nW, nb) in zip(analytic, numeric):
        pair = []
        for a, n in ((aW, nW), (ab, nb)):
            if not np.any(a) and not np.any(n):
                pair.append(0.0)
            else:
                pair.append(float(np.abs(a - n).max() / (np.abs(a) + np.abs(n)).max()))
        out.append(tuple(pair))
    return out
''',
        },
        "mistakes": {
            "floor_1e_8": _m("floors the denominator at 1e-8 (CS231n's max(1e-8, ...)), which changes the error of gradients smaller than 1e-8.",
                             "right for gradients of normal size; wrong when every entry is below about 1e-8", '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        return float(np.max(np.abs(a - n)) / max(1e-8, np.max(np.abs(a) + np.abs(n))))
    return [(err(aW, nW), err(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
'''),
            "nan_for_zero_layer": _m("no zero guard: 0/0 gives nan for a layer of dead units.", "nan where both arrays are all zero; right elsewhere", '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        return float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n)))
    return [(err(aW, nW), err(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
'''),
            "max_of_ratio": _m("takes the maximum of the entrywise ratios |a - n| / (|a| + |n|) instead of the ratio of maxima.", "wrong wherever the largest ratio is not at the largest entry", '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        den = np.abs(a) + np.abs(n)
        if not den.any():
            return 0.0
        return float(np.max(np.abs(a - n) / np.where(den == 0, 1, den)))
    return [(err(aW, nW), err(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
'''),
            "norm_based": _m("uses the norm ratio ||a - n|| / (||a|| + ||n||) instead of the stated max-based error.", "wrong for every nonzero case", '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        den = np.linalg.norm(a) + np.linalg.norm(n)
        return 0.0 if den == 0 else float(np.linalg.norm(a - n) / den)
    return [(err(aW, nW), err(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
'''),
            "denominator_max_a_plus_max_n": _m("denominator max|a| + max|n| instead of max(|a| + |n|).", "wrong whenever the two maxima sit at different entries", '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        den = np.max(np.abs(a)) + np.max(np.abs(n))
        return 0.0 if den == 0 else float(np.max(np.abs(a - n)) / den)
    return [(err(aW, nW), err(ab, nb)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
'''),
            "swapped_pair": _m("returns (err_b, err_W) per layer.", "both items of each pair swapped", '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        den = np.max(np.abs(a) + np.abs(n))
        return 0.0 if den == 0 else float(np.max(np.abs(a - n)) / den)
    return [(err(ab, nb), err(aW, nW)) for (aW, ab), (nW, nb) in zip(analytic, numeric)]
'''),
        },
        "shortcuts": {},
    },
}
