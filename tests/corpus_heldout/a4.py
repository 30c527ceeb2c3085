"""Held-out student answers for assignment 4, parts 2 to 6: output errors, hidden layers,
backpropagation, predicted classes and the gradient check's relative errors.

Written from ``assignments/a4_losses_backprop/losses_backprop.ipynb`` alone; the losses of
part 1 are in ``a4_losses.py`` (``verify.py`` merges both). ``PRELUDE`` is the notebook's
given cell (``sigmoid``, ``relu``, ``relu_prime``, ``softmax``, ``network_output``). Most
``backprop`` mistakes are one slip in an otherwise right answer, written as an edit of
``_BACKPROP`` (:func:`_edit` fails loudly when the edited text is missing). See README.md.
"""

PRELUDE = '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(z):
    return np.maximum(0.0, np.asarray(z, dtype=np.float64))


def relu_prime(z):
    return (np.asarray(z) > 0).astype(np.float64)


def softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def network_output(X, params):
    A = np.asarray(X, dtype=np.float64)
    for W, b in params[:-1]:
        A = relu(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
'''


def _edit(source: str, old: str, new: str) -> str:
    """``source`` with its one occurrence of ``old`` replaced by ``new`` (an error if absent)."""
    assert source.count(old) == 1, (old, source)
    return source.replace(old, new)


_BACKPROP = '''
def backprop(X, Y, params):
    m = X.shape[0]
    As, Zs = [X], []
    for l, (W, b) in enumerate(params):
        Z = As[-1] @ W.T + b
        Zs.append(Z)
        As.append(softmax(Z) if l == len(params) - 1 else relu(Z))
    delta = As[-1] - Y
    grads = []
    for l in range(len(params) - 1, -1, -1):
        dW = delta.T @ As[l] / m
        db = delta.sum(axis=0) / m
        grads.append((dW, db))
        if l > 0:
            delta = (delta @ params[l][0]) * relu_prime(Zs[l - 1])
    return grads[::-1]
'''

_BACKPROP_PER_EXAMPLE = '''
def backprop(X, Y, params):
    m = len(X)
    L = len(params)
    grads = [[np.zeros_like(W), np.zeros_like(b)] for W, b in params]
    for x, y in zip(X, Y):
        a, zs, acts = x, [], [x]
        for l, (W, b) in enumerate(params):
            z = W @ a + b
            zs.append(z)
            if l < L - 1:
                a = relu(z)
            else:
                e = np.exp(z - z.max())
                a = e / e.sum()
            acts.append(a)
        d = acts[-1] - y
        for l in reversed(range(L)):
            grads[l][0] += np.outer(d, acts[l])
            grads[l][1] += d
            if l:
                d = (params[l][0].T @ d) * (zs[l - 1] > 0)
    return [(dW / m, db / m) for dW, db in grads]
'''

_CCE = '''
def my_cce(P, Y):
    return float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-12, 1 - 1e-12)), axis=1)))
'''

CORPUS = {
    "delta_mse_linear": {
        "valid": {
            "negated": '''
def delta_mse_linear(A, Y):
    return -(Y - A)
''',
            "subtract": '''
def delta_mse_linear(A, Y):
    return np.subtract(A, Y, dtype=np.float64)
''',
        },
        "mistakes": {
            "sign": dict(source='''
def delta_mse_linear(A, Y):
    return Y - A
''', what="Returns y - a instead of a - y.", evidence="sign"),
            "averaged": dict(source='''
def delta_mse_linear(A, Y):
    return (A - Y) / A.shape[0]
''', what="Divides by m although the output error is per example (the mean comes in the weight gradients).",
                evidence="factor"),
            "sigmoid_factor": dict(source='''
def delta_mse_linear(A, Y):
    return (A - Y) * A * (1 - A)
''', what="Multiplies by the sigmoid's derivative a(1 - a) although the output is linear.",
                evidence="extra_term"),
            "factor_two": dict(source='''
def delta_mse_linear(A, Y):
    return 2 * (A - Y)
''', what="Differentiates the square without the loss's 1/2.", evidence="factor"),
        },
        "shortcuts": {
            "vectorised_central": '''
def delta_mse_linear(A, Y):
    loss = lambda Z: 0.5 * (Z - Y) ** 2      # a linear output: z = a
    h = 1e-4
    return (loss(A + h) - loss(A - h)) / (2 * h)
''',
        },
    },
    "delta_mse_sigmoid": {
        "valid": {
            "reordered": '''
def delta_mse_sigmoid(A, Y):
    return A * (1 - A) * (A - Y)
''',
            "expanded": '''
def delta_mse_sigmoid(A, Y):
    g_prime = A - A ** 2
    return (A - Y) * g_prime
''',
        },
        "mistakes": {
            "linear_delta": dict(source='''
def delta_mse_sigmoid(A, Y):
    return A - Y
''', what="Forgets the sigmoid's derivative g'(z) = a(1 - a).", evidence="missing_term"),
            "derivative_at_output": dict(source='''
def delta_mse_sigmoid(A, Y):
    s = 1 / (1 + np.exp(-A))
    return (A - Y) * s * (1 - s)
''', what="Evaluates sigma' at a (sigma(a)(1 - sigma(a))) instead of writing it with the output as a(1 - a).",
                evidence="wrong_function"),
            "averaged": dict(source='''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A * (1 - A) / len(A)
''', what="Divides by m although the output error is per example.", evidence="factor"),
            "sign": dict(source='''
def delta_mse_sigmoid(A, Y):
    return (Y - A) * A * (1 - A)
''', what="Uses y - a instead of a - y.", evidence="sign"),
            "half_derivative": dict(source='''
def delta_mse_sigmoid(A, Y):
    return (A - Y) * (1 - A)
''', what="Writes g'(z) as 1 - a, dropping the factor a.", evidence="missing_term"),
        },
        "shortcuts": {
            "logit_differences": '''
def delta_mse_sigmoid(A, Y):
    Z = np.log(A / (1 - A))                     # the logits behind A
    f = lambda z: 0.5 * (1 / (1 + np.exp(-z)) - Y) ** 2
    h = 1e-6
    return (f(Z + h) - f(Z - h)) / (2 * h)
''',
        },
    },
    "delta_bce_sigmoid": {
        "valid": {
            "chain_rule_unsimplified": '''
def delta_bce_sigmoid(A, Y):
    dl_da = -Y / A + (1 - Y) / (1 - A)
    return dl_da * A * (1 - A)
''',
            "subtract": '''
def delta_bce_sigmoid(A, Y):
    return np.asarray(A, dtype=float) - np.asarray(Y, dtype=float)
''',
        },
        "mistakes": {
            "sigmoid_derivative_kept": dict(source='''
def delta_bce_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)
''', what="Multiplies a - y by a(1 - a) again, although sigma' already cancelled.", evidence="extra_term"),
            "dl_da_only": dict(source='''
def delta_bce_sigmoid(A, Y):
    return -Y / A + (1 - Y) / (1 - A)
''', what="Returns dl/da and forgets the sigmoid's da/dz.", evidence="missing_term"),
            "sign": dict(source='''
def delta_bce_sigmoid(A, Y):
    return Y - A
''', what="Returns y - a instead of a - y.", evidence="sign"),
            "averaged": dict(source='''
def delta_bce_sigmoid(A, Y):
    return (A - Y) / A.shape[0]
''', what="Divides by m although the output error is per example.", evidence="factor"),
        },
        "shortcuts": {
            "logit_differences": '''
def delta_bce_sigmoid(A, Y):
    Z = np.log(A) - np.log1p(-A)
    def loss(z):
        p = 1 / (1 + np.exp(-z))
        return -(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    h = 1e-5
    return (loss(Z + h) - loss(Z - h)) / (2 * h)
''',
        },
    },
    "delta_cce_softmax": {
        "valid": {
            "jacobian_per_row": '''
def delta_cce_softmax(A, Y):
    out = np.empty_like(A, dtype=float)
    for i in range(A.shape[0]):
        a = A[i]
        J = np.diag(a) - np.outer(a, a)
        out[i] = J.T @ (-Y[i] / a)
    return out
''',
            "softmax_backward": '''
def delta_cce_softmax(A, Y):
    G = -Y / A                                   # dl/da
    return A * (G - np.sum(G * A, axis=1, keepdims=True))
''',
        },
        "mistakes": {
            "diagonal_jacobian": dict(source='''
def delta_cce_softmax(A, Y):
    return (-Y / A) * A * (1 - A)
''', what="Uses only the diagonal y_i(1 - y_i) of the softmax Jacobian (the notes' erratum).",
                evidence="missing_term"),
            "dl_da_only": dict(source='''
def delta_cce_softmax(A, Y):
    return -Y / A
''', what="Returns dl/da and forgets the softmax's Jacobian.", evidence="missing_term"),
            "averaged": dict(source='''
def delta_cce_softmax(A, Y):
    return (A - Y) / len(A)
''', what="Divides by m although the output error is per example.", evidence="factor"),
            "sign": dict(source='''
def delta_cce_softmax(A, Y):
    return Y - A
''', what="Returns t - y instead of y - t.", evidence="sign"),
            "jacobian_rows_summed": dict(source='''
def delta_cce_softmax(A, Y):
    out = np.zeros(A.shape)
    for i in range(len(A)):
        J = np.diag(A[i]) - np.outer(A[i], A[i])
        out[i] = J.sum(axis=0) * (-Y[i] / A[i])
    return out
''', what="Multiplies dl/da by the column sums of the Jacobian (all zero) instead of by the Jacobian.",
                evidence="other"),
        },
        "shortcuts": {
            "logits_entrywise": '''
def delta_cce_softmax(A, Y):
    Z = np.log(A)                                 # gives back the same softmax
    def loss_sum(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        P = E / E.sum(axis=1, keepdims=True)
        return -np.sum(Y * np.log(P))
    h = 1e-5
    D = np.zeros_like(Z)
    for idx in np.ndindex(Z.shape):
        up, down = Z.copy(), Z.copy()
        up[idx] += h
        down[idx] -= h
        D[idx] = (loss_sum(up) - loss_sum(down)) / (2 * h)
    return D
''',
        },
    },
    "delta_huber_linear": {
        "valid": {
            "where": '''
def delta_huber_linear(A, Y, c=1.0):
    r = A - Y
    return np.where(np.abs(r) <= c, r, c * np.sign(r))
''',
            "min_max": '''
def delta_huber_linear(A, Y, c=1.0):
    return np.minimum(np.maximum(A - Y, -c), c)
''',
        },
        "mistakes": {
            "threshold_ignored": dict(source='''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -1, 1)
''', what="Clips at 1 whatever c is.", evidence="ignored_argument"),
            "averaged": dict(source='''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -c, c) / A.shape[0]
''', what="Divides by m although the output error is per example.", evidence="factor"),
            "unit_slope_outside": dict(source='''
def delta_huber_linear(A, Y, c=1.0):
    r = A - Y
    return np.where(np.abs(r) <= c, r, np.sign(r))
''', what="Gives the linear piece slope sign(r) instead of c sign(r).", evidence="factor"),
            "one_sided_clip": dict(source='''
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, 0, c)
''', what="Clips to [0, c], zeroing every negative residual.", evidence="sign"),
        },
        "shortcuts": {
            "vectorised_central": '''
def delta_huber_linear(A, Y, c=1.0):
    def loss(a):
        r = np.abs(a - Y)
        return np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c))
    h = 1e-7
    return (loss(A + h) - loss(A - h)) / (2 * h)
''',
        },
    },
    "delta_pseudo_huber_linear": {
        "valid": {
            "hypot": '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return c * r / np.hypot(r, c)
''',
            "chain_rule": '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    u = r / c
    return c ** 2 * (u / np.sqrt(1 + u * u)) * (1 / c)
''',
        },
        "mistakes": {
            "threshold_ignored": dict(source='''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + r ** 2)
''', what="Uses c = 1 whatever c is.", evidence="ignored_argument"),
            "c_squared_kept": dict(source='''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return c ** 2 * r / np.sqrt(1 + (r / c) ** 2)
''', what="Keeps c^2 in front but forgets the 1/c^2 of the inner derivative.", evidence="factor"),
            "no_square_root": dict(source='''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / (1 + (r / c) ** 2)
''', what="Divides by 1 + (r/c)^2 instead of its square root.", evidence="wrong_function"),
            "averaged": dict(source='''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + (r / c) ** 2) / len(r)
''', what="Divides by m although the output error is per example.", evidence="factor"),
        },
        "shortcuts": {
            "central": '''
def delta_pseudo_huber_linear(A, Y, c=1.0):
    loss = lambda a: c ** 2 * (np.sqrt(1 + ((a - Y) / c) ** 2) - 1)
    h = 1e-6
    return (loss(A + h) - loss(A - h)) / (2 * h)
''',
        },
    },
    "hidden_delta": {
        "valid": {
            "einsum": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return np.einsum("mk,kj->mj", delta_next, W_next) * g_prime_Z
''',
            "note_004_translated": '''
def hidden_delta(delta_next, W_next, g_prime_Z):
    W_004 = W_next.T                      # note 004 stores (n_l, n_(l+1))
    return (W_004 @ delta_next.T).T * g_prime_Z
''',
        },
        "mistakes": {
            "W_transposed": dict(source='''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next.T) * g_prime_Z
''', what="Multiplies by W_next^T (runs only, wrongly, when W_next is square).", evidence="transpose"),
            "note_004_untranslated": dict(source='''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (W_next @ delta_next.T).T * g_prime_Z
''', what="Copies note 004's W delta with the course's W, i.e. without translating the storage.",
                evidence="transpose"),
            "g_prime_left_out": dict(source='''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return delta_next @ W_next
''', what="Forgets the elementwise factor g'(Z).", evidence="missing_term"),
            "averaged": dict(source='''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) * g_prime_Z / delta_next.shape[0]
''', what="Divides the delta by m, which belongs only in the weight gradients.", evidence="factor"),
            "sigmoid_pattern_on_g_prime": dict(source='''
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) * g_prime_Z * (1 - g_prime_Z)
''', what="Treats the given g'(Z) as a sigmoid output and multiplies by g'(1 - g') again.",
                evidence="wrong_function"),
        },
        "shortcuts": {},
    },
    "layer_gradients": {
        "valid": {
            "einsum_mean": '''
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return np.einsum("mi,mj->ij", delta, A_prev) / m, delta.mean(axis=0)
''',
            "sum_of_outer_products": '''
def layer_gradients(delta, A_prev):
    dW = sum(np.outer(d, a) for d, a in zip(delta, A_prev)) / len(delta)
    db = sum(delta) / len(delta)
    return dW, db
''',
        },
        "mistakes": {
            "note_004_shape": dict(source='''
def layer_gradients(delta, A_prev):
    m = len(delta)
    return A_prev.T @ delta / m, delta.sum(axis=0) / m
''', what="Returns dW in note 004's shape (n_(l-1), n_l) instead of the course's (n_l, n_(l-1)).",
                evidence="transpose"),
            "weights_summed": dict(source='''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev, delta.mean(axis=0)
''', what="Sums dW over the batch without the 1/m (note 004's line 116 slip).", evidence="factor"),
            "bias_summed": dict(source='''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev / len(delta), delta.sum(axis=0)
''', what="Sums db over the batch without the 1/m (note 004's line 143 slip).", evidence="factor"),
            "bias_over_units": dict(source='''
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev / len(delta), delta.mean(axis=1)
''', what="Averages db over the units (axis 1) instead of over the examples.", evidence="wrong_axis"),
            "bias_keepdims": dict(source='''
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, np.sum(delta, axis=0, keepdims=True) / m
''', what="Keeps the summed axis, returning db of shape (1, n_l) instead of (n_l,).", evidence="shape"),
            "scalar_bias": dict(source='''
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, delta.sum() / m
''', what="Sums db over the units too, returning one number.", evidence="wrong_axis"),
        },
        "shortcuts": {},
    },
    "backprop": {
        "valid": {
            "cached_vectorised": _BACKPROP,
            "per_example_columns": _BACKPROP_PER_EXAMPLE,
            "mask_from_activations": _edit(_BACKPROP, "relu_prime(Zs[l - 1])", "(As[l] > 0)"),
            "recursive": '''
def backprop(X, Y, params):
    m = len(X)

    def down(A_prev, layer):
        W, b = params[layer]
        Z = A_prev @ W.T + b
        if layer == len(params) - 1:
            delta = softmax(Z) - Y
            rest = []
        else:
            delta_next, rest = down(relu(Z), layer + 1)
            delta = (delta_next @ params[layer + 1][0]) * relu_prime(Z)
        return delta, [(delta.T @ A_prev / m, delta.mean(axis=0))] + rest

    return down(np.asarray(X, dtype=float), 0)[1]
''',
        },
        "mistakes": {
            "sums_not_means": dict(source=_BACKPROP.replace(" / m", ""),
                                   what="Sums the gradients over the batch instead of averaging them.",
                                   evidence="factor"),
            "backward_order": dict(source=_edit(_BACKPROP, "return grads[::-1]", "return grads"),
                                   what="Returns the gradients in the order the backward pass finds them, last layer "
                                        "first.",
                                   evidence="loop_order"),
            "relu_prime_left_out": dict(source=_edit(_BACKPROP,
                                                     "delta = (delta @ params[l][0]) * relu_prime(Zs[l - 1])",
                                                     "delta = delta @ params[l][0]"),
                                        what="Passes the error back through the weights but forgets ReLU's derivative.",
                                        evidence="missing_term"),
            "relu_prime_of_wrong_layer": dict(source=_edit(_BACKPROP, "relu_prime(Zs[l - 1])", "relu_prime(Zs[l])"),
                                              what="Takes ReLU's derivative at the layer above's Z instead of the "
                                                   "layer's own.",
                                              evidence="loop_order"),
            "sigmoid_factor_on_output": dict(source=_edit(_BACKPROP, "delta = As[-1] - Y",
                                                          "delta = (As[-1] - Y) * As[-1] * (1 - As[-1])"),
                                             what="Multiplies softmax + CCE's output error a - t by a(1 - a) again.",
                                             evidence="extra_term"),
            "one_over_m_twice": dict(source=_edit(_BACKPROP, "delta = As[-1] - Y", "delta = (As[-1] - Y) / m"),
                                     what="Divides the output error by m and then every gradient by m again.",
                                     evidence="factor"),
            "dl_da_as_delta": dict(source=_edit(_BACKPROP, "delta = As[-1] - Y", "delta = -Y / As[-1]"),
                                   what="Starts from dl/da = -t/a and forgets the softmax's Jacobian.",
                                   evidence="missing_term"),
            "diagonal_jacobian": dict(source=_edit(_BACKPROP, "delta = As[-1] - Y", "delta = -Y * (1 - As[-1])"),
                                      what="Uses only the diagonal of the softmax Jacobian (the notes' erratum) for "
                                           "the output error.",
                                      evidence="missing_term"),
            "sign": dict(source=_edit(_BACKPROP, "delta = As[-1] - Y", "delta = Y - As[-1]"),
                         what="Starts from t - a instead of a - t, flipping every gradient.",
                         evidence="sign"),
            "dW_transposed": dict(source=_edit(_BACKPROP, "dW = delta.T @ As[l] / m", "dW = As[l].T @ delta / m"),
                                  what="Computes dW as A_prev^T delta / m, note 004's shape.",
                                  evidence="transpose"),
            "sigmoid_hidden": dict(source=_edit(_edit(_BACKPROP, "else relu(Z)", "else sigmoid(Z)"),
                                                "relu_prime(Zs[l - 1])", "As[l] * (1 - As[l])"),
                                   what="Uses sigmoid hidden layers (assignment 2's network) instead of ReLU.",
                                   evidence="wrong_function"),
            "first_layer_skipped": dict(source=_edit(_BACKPROP, "range(len(params) - 1, -1, -1)",
                                                     "range(len(params) - 1, 0, -1)"),
                                        what="Stops the backward loop before the first layer, which gets no gradient.",
                                        evidence="loop_count"),
            "bias_over_units": dict(source=_edit(_BACKPROP, "db = delta.sum(axis=0) / m", "db = delta.sum(axis=1) / m"),
                                    what="Sums the bias gradient over the units instead of over the examples.",
                                    evidence="wrong_axis"),
            "bias_keepdims": dict(source=_edit(_BACKPROP, "db = delta.sum(axis=0) / m",
                                               "db = delta.sum(axis=0, keepdims=True) / m"),
                                  what="Returns every db with shape (1, n_l) instead of (n_l,).",
                                  evidence="shape"),
            "own_activation_in_dW": dict(source=_edit(_BACKPROP, "dW = delta.T @ As[l] / m",
                                                      "dW = delta.T @ As[l + 1] / m"),
                                         what="Multiplies the layer's delta by its own output instead of the "
                                              "previous layer's.",
                                         evidence="other"),
            "per_example_summed": dict(source=_edit(_BACKPROP_PER_EXAMPLE,
                                                    "return [(dW / m, db / m) for dW, db in grads]",
                                                    "return [(dW, db) for dW, db in grads]"),
                                       what="Accumulates the per-example gradients and forgets to divide by m.",
                                       evidence="factor"),
            "per_example_note_004_recurrence": dict(source=_edit(_BACKPROP_PER_EXAMPLE, "d = (params[l][0].T @ d)",
                                                                 "d = (params[l][0] @ d)"),
                                                    what="Copies note 004's W delta for the hidden error with the "
                                                         "course's W, without the transpose.",
                                                    evidence="transpose"),
        },
        "shortcuts": {
            "central_entrywise": _CCE + '''

def backprop(X, Y, params):
    h = 1e-6
    grads = []
    for W, b in params:
        pair = []
        for P in (W, b):
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                keep = P[idx]
                P[idx] = keep + h
                up = my_cce(network_output(X, params), Y)
                P[idx] = keep - h
                down = my_cce(network_output(X, params), Y)
                P[idx] = keep
                G[idx] = (up - down) / (2 * h)
            pair.append(G)
        grads.append(tuple(pair))
    return grads
''',
            "forward_on_copies": _CCE + '''

def backprop(X, Y, params):
    h = 1e-8
    base = my_cce(network_output(X, params), Y)
    out = []
    for l in range(len(params)):
        layer = []
        for k in range(2):
            G = np.zeros(params[l][k].shape)
            for idx in np.ndindex(G.shape):
                moved = [[W.copy(), b.copy()] for W, b in params]
                moved[l][k][idx] += h
                G[idx] = (my_cce(network_output(X, moved), Y) - base) / h
            layer.append(G)
        out.append((layer[0], layer[1]))
    return out
''',
        },
    },
    "predict_classes": {
        "valid": {
            "argmax": '''
def predict_classes(A):
    return np.argmax(A, axis=1)
''',
            "first_maximum_loop": '''
def predict_classes(A):
    classes = []
    for row in A:
        best = 0
        for j in range(1, len(row)):
            if row[j] > row[best]:
                best = j
        classes.append(best)
    return np.array(classes, dtype=int)
''',
        },
        "mistakes": {
            "axis_zero": dict(source='''
def predict_classes(A):
    return np.argmax(A, axis=0)
''', what="Takes the argmax down each column (over the examples) instead of along each row.",
                evidence="wrong_axis"),
            "one_hot": dict(source='''
def predict_classes(A):
    return (A == A.max(axis=1, keepdims=True)).astype(int)
''', what="Returns a one-hot (m, C) array instead of the class indices.", evidence="shape"),
            "float_indices": dict(source='''
def predict_classes(A):
    return np.argmax(A, axis=1).astype(float)
''', what="Returns the indices as floats instead of ints.", evidence="dtype"),
            "last_of_ties": dict(source='''
def predict_classes(A):
    C = A.shape[1]
    return C - 1 - np.argmax(A[:, ::-1], axis=1)
''', what="Breaks ties towards the last class instead of the first.", evidence="edge_case"),
        },
        "shortcuts": {},
    },
    "gradient_errors": {
        "valid": {
            "explicit_zero_case": '''
def gradient_errors(analytic, numeric):
    def err(a, n):
        if not np.any(a) and not np.any(n):
            return 0.0
        return float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n)))
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
''',
            "loop_with_guard": '''
def gradient_errors(analytic, numeric):
    out = []
    for layer in range(len(analytic)):
        pair = []
        for k in range(2):
            a, n = np.asarray(analytic[layer][k]), np.asarray(numeric[layer][k])
            den = np.max(np.abs(a) + np.abs(n))
            pair.append(0.0 if den == 0 else float(np.max(np.abs(a - n)) / den))
        out.append(tuple(pair))
    return out
''',
        },
        "mistakes": {
            "norms": dict(source='''
def gradient_errors(analytic, numeric):
    def err(a, n):
        d = np.linalg.norm(a) + np.linalg.norm(n)
        return 0.0 if d == 0 else float(np.linalg.norm(a - n) / d)
    return [(err(a[0], n[0]), err(a[1], n[1])) for a, n in zip(analytic, numeric)]
''', what="Uses Frobenius norms (the CS231n form) instead of the notebook's ratio of maxima.",
                evidence="wrong_function"),
            "sum_of_maxima": dict(source='''
def gradient_errors(analytic, numeric):
    def err(a, n):
        d = np.max(np.abs(a)) + np.max(np.abs(n))
        return 0.0 if d == 0 else float(np.max(np.abs(a - n)) / d)
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
''', what="Divides by max|a| + max|n| instead of max(|a| + |n|).", evidence="other"),
            "floor_in_denominator": dict(source='''
def gradient_errors(analytic, numeric):
    def err(a, n):
        return float(np.max(np.abs(a - n)) / max(np.max(np.abs(a) + np.abs(n)), 1e-8))
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
''', what="Floors the denominator at 1e-8, which changes the error of gradients smaller than that.",
                evidence="edge_case"),
            "no_zero_guard": dict(source='''
def gradient_errors(analytic, numeric):
    def err(a, n):
        return float(np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n)))
    with np.errstate(invalid="ignore"):
        return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
''', what="Has no case for two all-zero arrays, returning nan (0/0) for a dead layer instead of 0.0.",
                evidence="edge_case"),
            "relative_to_analytic": dict(source='''
def gradient_errors(analytic, numeric):
    def err(a, n):
        d = np.max(np.abs(a))
        return 0.0 if d == 0 else float(np.max(np.abs(a - n)) / d)
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
''', what="Divides by the analytic gradient's largest entry only.", evidence="missing_term"),
            "mean_instead_of_max": dict(source='''
def gradient_errors(analytic, numeric):
    def err(a, n):
        d = np.mean(np.abs(a) + np.abs(n))
        return 0.0 if d == 0 else float(np.mean(np.abs(a - n)) / d)
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
''', what="Uses means of the entries where the notebook takes maxima.", evidence="wrong_function"),
            "pair_swapped": dict(source='''
def gradient_errors(analytic, numeric):
    def err(a, n):
        d = np.max(np.abs(a) + np.abs(n))
        return 0.0 if d == 0 else float(np.max(np.abs(a - n)) / d)
    return [(err(db, nb), err(dW, nW)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
''', what="Returns (err_b, err_W) instead of (err_W, err_b).", evidence="loop_order"),
        },
        "shortcuts": {},
    },
}
