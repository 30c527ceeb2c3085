"""Blind corpus, assignment 6 (training well): L2, a validation split, momentum and Adam, inverted
dropout, batch normalisation, a network as a list of layers.

Written from the released notebook ``assignments/a6_training_well/training_well.ipynb`` alone
(README.md says what was and was not read). ``PRELUDE`` is what the notebook runs before the
student's cells: its given helpers (``relu``, ``softmax``, ``cross_entropy``, ``mlp_scores``,
``mlp_gradients``). No source here calls the student's other functions (their graded ones, or the
``numerical_gradient`` pasted in part 0, which no answer needs): a helper a cell needs is defined
in it under a name of its own, so every answer is graded on itself.

The shortcuts differentiate a forward pass the answer writes itself (the loss ``sum(dout * out)``
that the notebook's ``check_gradients`` differentiates, or the network's mean cross-entropy), by
central differences entry by entry or by the complex step.
"""
from __future__ import annotations

from blind_forms import edit, mistake, variant

PRELUDE = '''
def relu(z):
    """max(0, z), elementwise."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def softmax(Z):
    """Row-wise softmax of Z (m, C), numerically stable; each row sums to 1."""
    exps = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return exps / np.sum(exps, axis=1, keepdims=True)


def cross_entropy(scores, Y):
    """Mean cross-entropy of softmax(scores) against one-hot Y (m, C), from the scores (stable)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.sum(Y * log_probabilities) / len(Y))


def mlp_scores(X, params):
    """Scores (m, C) of a network with ReLU hidden layers; params: list of (W, b)."""
    A = np.asarray(X, dtype=np.float64)
    for W, b in params[:-1]:
        A = relu(A @ W.T + b)
    W, b = params[-1]
    return A @ W.T + b


def mlp_gradients(X, Y, params):
    """[(dW, db), ...] of the mean cross-entropy of mlp_scores(X, params) against Y."""
    activations = [np.asarray(X, dtype=np.float64)]
    for W, b in params[:-1]:
        activations.append(relu(activations[-1] @ W.T + b))
    dZ = (softmax(activations[-1] @ params[-1][0].T + params[-1][1]) - Y) / len(X)
    grads = []
    for layer in range(len(params) - 1, -1, -1):
        grads.append((dZ.T @ activations[layer], dZ.sum(axis=0)))
        if layer:
            dZ = (dZ @ params[layer][0]) * (activations[layer] > 0)
    return list(reversed(grads))

'''

# ----------------------------------------------------------------------------------------------
# part 1: L2 regularisation and a validation split
# ----------------------------------------------------------------------------------------------

L2_PENALTY = '''
def l2_penalty(params, lam, m):
    total = 0.0
    for W, b in params:
        total += np.sum(W ** 2)
    return float(lam / (2 * m) * total)
'''

L2_GRADIENTS = '''
def l2_gradients(params, lam, m):
    grads = []
    for W, b in params:
        grads.append((lam / m * W, np.zeros_like(b)))
    return grads
'''

SPLIT_ROWS = '''
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    test = order[:n_test]
    val = order[n_test:n_test + n_val]
    train = order[n_test + n_val:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
'''

# ----------------------------------------------------------------------------------------------
# part 2: momentum and Adam
# ----------------------------------------------------------------------------------------------

MOMENTUM = '''
def momentum_step(w, dw, v, lr, beta=0.9):
    v_new = beta * v + dw
    w_new = w - lr * v_new
    return w_new, v_new
'''

ADAM = '''
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * dw
    v_new = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w_new, m_new, v_new
'''

# ----------------------------------------------------------------------------------------------
# part 3: inverted dropout
# ----------------------------------------------------------------------------------------------

DROPOUT_FORWARD = '''
def dropout_forward(X, keep_prob, mask, training):
    if training:
        return X * mask / keep_prob
    return X.copy()
'''

DROPOUT_BACKWARD = '''
def dropout_backward(dout, keep_prob, mask):
    return dout * mask / keep_prob
'''

# ----------------------------------------------------------------------------------------------
# part 4: batch normalisation
# ----------------------------------------------------------------------------------------------

BATCHNORM_FORWARD = '''
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    var = X.var(axis=0)
    x_hat = (X - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta
'''

# The staged derivation along the computational graph (CS231n's), every path written out.
BATCHNORM_STAGED = '''
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    m = X.shape[0]
    mu = X.mean(axis=0)
    dev = X - mu
    var = np.mean(dev * dev, axis=0)
    sd = np.sqrt(var + eps)
    x_hat = dev / sd
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(x_hat * dout, axis=0)
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * dev, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dx_hat, axis=0) / sd + dvar * np.mean(-2.0 * dev, axis=0)
    dX = dx_hat / sd + dvar * 2.0 * dev / m + dmu / m
    return dX, dgamma, dbeta
'''

# The collected formula: gamma / std * (dout - mean(dout) - x_hat * mean(dout * x_hat)).
BATCHNORM_COMPACT = '''
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    inv_std = 1.0 / np.sqrt(X.var(axis=0) + eps)
    x_hat = (X - mu) * inv_std
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dX = gamma * inv_std * (dout - dout.mean(axis=0) - x_hat * np.mean(dout * x_hat, axis=0))
    return dX, dgamma, dbeta
'''

# ----------------------------------------------------------------------------------------------
# part 5: a network as a list of layers
# ----------------------------------------------------------------------------------------------

# Layer pairs with caches, under names the notebook does not use, chained first to last and back.
NETWORK_LAYERS = '''
def affine_fwd(x, W, b):
    return x @ W.T + b, (x, W)


def affine_bwd(dout, cache):
    x, W = cache
    return dout @ W, dout.T @ x, dout.sum(axis=0)


def relu_fwd(x):
    return np.maximum(x, 0.0), x


def relu_bwd(dout, cache):
    return dout * (cache > 0)


def bn_fwd(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - mu) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def bn_bwd(dout, cache):
    x_hat, gamma, inv_std = cache
    dgamma = np.sum(dout * x_hat, axis=0)
    dbeta = np.sum(dout, axis=0)
    dx = gamma * inv_std * (dout - dout.mean(axis=0) - x_hat * np.mean(dout * x_hat, axis=0))
    return dx, dgamma, dbeta


def drop_fwd(x, keep_prob, mask):
    return x * mask / keep_prob, (mask, keep_prob)


def drop_bwd(dout, cache):
    mask, keep_prob = cache
    return dout * mask / keep_prob


def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    out, c1 = affine_fwd(X, W1, b1)
    out, c2 = relu_fwd(out)
    out, c3 = bn_fwd(out, gamma, beta)
    out, c4 = drop_fwd(out, keep_prob, mask)
    scores, c5 = affine_fwd(out, W2, b2)
    dscores = (softmax(scores) - Y) / len(X)
    dout, dW2, db2 = affine_bwd(dscores, c5)
    dout = drop_bwd(dout, c4)
    dout, dgamma, dbeta = bn_bwd(dout, c3)
    dout = relu_bwd(dout, c2)
    _, dW1, db1 = affine_bwd(dout, c1)
    return [(dW1, db1), (dgamma, dbeta), (dW2, db2)]
'''

# The same in one straight run of code, the staged batch-norm backward inline.
NETWORK_INLINE = '''
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    m = X.shape[0]
    Z1 = X @ W1.T + b1
    A1 = np.maximum(Z1, 0.0)
    mu = A1.mean(axis=0)
    xc = A1 - mu
    var = np.mean(xc ** 2, axis=0)
    std = np.sqrt(var + 1e-5)
    x_hat = xc / std
    B = gamma * x_hat + beta
    D = B * mask / keep_prob
    scores = D @ W2.T + b2
    dS = (softmax(scores) - Y) / m
    dW2 = dS.T @ D
    db2 = dS.sum(axis=0)
    dD = dS @ W2
    dB = dD * mask / keep_prob
    dgamma = np.sum(dB * x_hat, axis=0)
    dbeta = np.sum(dB, axis=0)
    dx_hat = dB * gamma
    dvar = np.sum(dx_hat * xc, axis=0) * -0.5 / (var + 1e-5) ** 1.5
    dmu = -np.sum(dx_hat, axis=0) / std
    dA1 = dx_hat / std + dvar * 2.0 * xc / m + dmu / m
    dZ1 = dA1 * (Z1 > 0)
    dW1 = dZ1.T @ X
    db1 = dZ1.sum(axis=0)
    return [(dW1, db1), (dgamma, dbeta), (dW2, db2)]
'''

# Assignment 4's per-example delta (no 1/m in the scores' gradient), the 1/m taken at the end: exact,
# every backward pass here being linear in its dout.
NETWORK_PER_EXAMPLE = variant(
    variant(NETWORK_LAYERS, "dscores = (softmax(scores) - Y) / len(X)", "dscores = softmax(scores) - Y"),
    "    return [(dW1, db1), (dgamma, dbeta), (dW2, db2)]",
    "    m = len(X)\n    return [(dW / m, db / m) for dW, db in ((dW1, db1), (dgamma, dbeta), (dW2, db2))]")

CORPUS = {
    # ------------------------------------------------------------------------------------------
    "l2_penalty": {
        "valid": {
            "loop_sum": L2_PENALTY,
            "frobenius_norm": '''
def l2_penalty(params, lam, m):
    return float(lam / (2 * m) * sum(np.linalg.norm(W, "fro") ** 2 for W, _ in params))
''',
            "einsum_weights": '''
def l2_penalty(params, lam, m):
    weights = [W for W, b in params]
    return 0.5 * lam / m * sum(np.einsum("ij,ij->", W, W) for W in weights)
''',
        },
        "mistakes": {
            "biases_penalised": edit(L2_PENALTY, "total += np.sum(W ** 2)", "total += np.sum(W ** 2) + np.sum(b ** 2)",
                                     "penalises the biases as well as the weights", "extra_term"),
            "no_half": edit(L2_PENALTY, "lam / (2 * m)", "lam / m", "drops the 1/2 of lambda / (2 m)", "factor"),
            "no_over_m": edit(L2_PENALTY, "lam / (2 * m)", "lam / 2",
                              "leaves out the division by m (lambda / 2 times the squares)", "ignored_argument"),
            "precedence": edit(L2_PENALTY, "lam / (2 * m)", "lam / 2 * m",
                               "writes lam / 2 * m, which multiplies by m instead of dividing", "factor"),
            "norm_not_squared": mistake('''
def l2_penalty(params, lam, m):
    return float(lam / (2 * m) * sum(np.linalg.norm(W) for W, b in params))
''', "sums the Frobenius norms instead of their squares", "wrong_function"),
            "mean_of_squares": edit(L2_PENALTY, "np.sum(W ** 2)", "np.mean(W ** 2)",
                                    "averages the squared weights of a layer instead of summing them", "factor"),
            "first_layer_only": mistake('''
def l2_penalty(params, lam, m):
    W, b = params[0]
    return float(lam / (2 * m) * np.sum(W * W))
''', "penalises the first layer's weights only", "missing_term"),
        },
        "shortcuts": {},
    },
    # ------------------------------------------------------------------------------------------
    "l2_gradients": {
        "valid": {
            "loop_zeros_like": L2_GRADIENTS,
            "comprehension_zero_times_b": '''
def l2_gradients(params, lam, m):
    return [(W * (lam / m), 0.0 * b) for W, b in params]
''',
            "full_like_tuples": '''
def l2_gradients(params, lam, m):
    scale = lam / m
    return [tuple((scale * W, np.full(b.shape, 0.0))) for W, b in params]
''',
        },
        "mistakes": {
            "biases_decayed": edit(L2_GRADIENTS, "np.zeros_like(b)", "lam / m * b",
                                   "gives the biases the weight-decay gradient lambda / m * b", "extra_term"),
            "half_kept": edit(L2_GRADIENTS, "lam / m * W", "lam / (2 * m) * W",
                              "keeps the 1/2 of the penalty: lambda / (2 m) W", "factor"),
            "doubled": edit(L2_GRADIENTS, "lam / m * W", "2 * lam / m * W",
                            "differentiates W^2 to 2 W but forgets the penalty's 1/2", "factor"),
            "no_over_m": edit(L2_GRADIENTS, "lam / m * W", "lam * W", "leaves out the division by m", "ignored_argument"),
            "scalar_bias_gradient": edit(L2_GRADIENTS, "np.zeros_like(b)", "0.0",
                                         "returns a number 0 for the bias gradient, not an array shaped like b",
                                         "shape"),
            "weights_only": mistake('''
def l2_gradients(params, lam, m):
    return [lam / m * W for W, b in params]
''', "returns the weight gradients alone, not (dW, db) pairs", "shape"),
            "transposed": edit(L2_GRADIENTS, "lam / m * W", "lam / m * W.T",
                               "returns lambda / m times W transposed", "transpose"),
            "l1_sign": edit(L2_GRADIENTS, "lam / m * W", "lam / m * np.sign(W)",
                            "uses the L1 gradient sign(W) instead of W", "wrong_function"),
        },
        "shortcuts": {
            "central_differences": '''
def _penalty(params, lam, m):
    return lam / (2 * m) * sum(np.sum(W * W) for W, b in params)


def l2_gradients(params, lam, m, h=1e-5):
    grads = []
    for k, (W, b) in enumerate(params):
        pair = []
        for which, array in enumerate((W, b)):
            g = np.zeros_like(array, dtype=float)
            for idx in np.ndindex(array.shape):
                for sign in (1.0, -1.0):
                    moved = array.astype(float).copy()
                    moved[idx] += sign * h
                    trial = [(moved, bb) if (j == k and which == 0) else (WW, moved) if (j == k) else (WW, bb)
                             for j, (WW, bb) in enumerate(params)]
                    g[idx] += sign * _penalty(trial, lam, m) / (2 * h)
            pair.append(g)
        grads.append(tuple(pair))
    return grads
''',
            "complex_step": '''
def l2_gradients(params, lam, m):
    h = 1e-30
    grads = []
    for W, b in params:
        dW = np.zeros(W.shape)
        for idx in np.ndindex(W.shape):
            Wc = W.astype(complex)
            Wc[idx] += 1j * h
            dW[idx] = (lam / (2 * m) * np.sum(Wc * Wc)).imag / h
        grads.append((dW, np.zeros(b.shape)))
    return grads
''',
        },
    },
    # ------------------------------------------------------------------------------------------
    "split_rows": {
        "valid": {
            "index_arrays": SPLIT_ROWS,
            "np_split": '''
def split_rows(X, Y, seed, n_val, n_test):
    rng = np.random.default_rng(seed)
    order = rng.permutation(X.shape[0])
    test, val, train = np.split(order, [n_test, n_test + n_val])
    return (np.take(X, train, axis=0), np.take(Y, train, axis=0), np.take(X, val, axis=0),
            np.take(Y, val, axis=0), np.take(X, test, axis=0), np.take(Y, test, axis=0))
''',
            "shuffle_then_slice": '''
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    Xs, Ys = X[order], Y[order]
    cut = n_test + n_val
    return Xs[cut:], Ys[cut:], Xs[n_test:cut], Ys[n_test:cut], Xs[:n_test], Ys[:n_test]
''',
        },
        "mistakes": {
            "test_from_the_end": mistake('''
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    m = len(X)
    train = order[:m - n_val - n_test]
    val = order[m - n_val - n_test:m - n_test]
    test = order[m - n_test:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
''', "takes the training rows first and the test rows last in the shuffled order", "loop_order"),
            "train_overlaps_val": edit(SPLIT_ROWS, "train = order[n_test + n_val:]", "train = order[n_test:]",
                                       "lets the training part keep the validation rows (they leak into training)",
                                       "other"),
            "independent_shuffles": mistake('''
def split_rows(X, Y, seed, n_val, n_test):
    rng = np.random.default_rng(seed)
    Xs, Ys = X[rng.permutation(len(X))], Y[rng.permutation(len(Y))]
    cut = n_test + n_val
    return Xs[cut:], Ys[cut:], Xs[n_test:cut], Ys[n_test:cut], Xs[:n_test], Ys[:n_test]
''', "shuffles X and Y with two draws, so the rows of X no longer match those of Y", "rng"),
            "legacy_global_seed": mistake('''
def split_rows(X, Y, seed, n_val, n_test):
    np.random.seed(seed)
    order = np.random.permutation(len(X))
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
''', "draws the order from numpy's legacy global generator instead of default_rng(seed)", "rng"),
            "choice_without_replacement": edit(SPLIT_ROWS, "np.random.default_rng(seed).permutation(len(X))",
                                               "np.random.default_rng(seed).choice(len(X), len(X), replace=False)",
                                               "draws the order with choice(m, m, replace=False), another stream "
                                               "than permutation(m)", "rng"),
            "in_place_shuffle": mistake('''
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    X[:] = X[order]
    Y[:] = Y[order]
    cut = n_test + n_val
    return X[cut:].copy(), Y[cut:].copy(), X[n_test:cut].copy(), Y[n_test:cut].copy(), X[:n_test].copy(), Y[:n_test].copy()
''', "shuffles the given X and Y in place", "in_place"),
            "sizes_swapped": mistake('''
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    test, val, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
''', "gives the test part n_val rows and the validation part n_test rows", "other"),
            "seed_ignored": edit(SPLIT_ROWS, "default_rng(seed)", "default_rng(0)",
                                 "always seeds the generator with 0", "ignored_argument"),
        },
        "shortcuts": {},
    },
    # ------------------------------------------------------------------------------------------
    "momentum_step": {
        "valid": {
            "two_lines": MOMENTUM,
            "fresh_arrays_in_place": '''
def momentum_step(w, dw, v, lr, beta=0.9):
    v_new = np.multiply(v, beta)
    v_new += dw
    w_new = np.array(w, dtype=float)
    w_new -= lr * v_new
    return w_new, v_new
''',
            "list_return": '''
def momentum_step(w, dw, v, lr, beta=0.9):
    velocity = np.add(beta * v, dw)
    return [w - lr * velocity, velocity]
''',
        },
        "mistakes": {
            "ema_velocity": edit(MOMENTUM, "beta * v + dw", "beta * v + (1 - beta) * dw",
                                 "uses the moving-average velocity beta v + (1 - beta) g", "wrong_function"),
            "lr_folded_in": mistake('''
def momentum_step(w, dw, v, lr, beta=0.9):
    v_new = beta * v - lr * dw
    return w + v_new, v_new
''', "folds the learning rate into the velocity (v = beta v - lr g, w = w + v)", "wrong_function"),
            "old_velocity_returned": edit(MOMENTUM, "return w_new, v_new", "return w_new, v",
                                          "returns the velocity it was given instead of the updated one",
                                          "loop_order"),
            "steps_with_old_velocity": mistake('''
def momentum_step(w, dw, v, lr, beta=0.9):
    w_new = w - lr * v
    v_new = beta * v + dw
    return w_new, v_new
''', "steps with the old velocity, then updates it", "loop_order"),
            "velocity_in_place": mistake('''
def momentum_step(w, dw, v, lr, beta=0.9):
    v *= beta
    v += dw
    return w - lr * v, v
''', "updates the given velocity array in place", "in_place"),
            "beta_fixed": edit(MOMENTUM, "beta * v + dw", "0.9 * v + dw", "always uses beta = 0.9", "ignored_argument"),
            "ascent": edit(MOMENTUM, "w - lr * v_new", "w + lr * v_new", "steps up the gradient", "sign"),
            "nesterov": edit(MOMENTUM, "w - lr * v_new", "w - lr * (beta * v_new + dw)",
                             "takes Nesterov's look-ahead step instead of the stated one", "extra_term"),
        },
        "shortcuts": {},
    },
    # ------------------------------------------------------------------------------------------
    "adam_step": {
        "valid": {
            "as_stated": ADAM,
            "folded_step_size": '''
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * np.square(dw)
    c1, c2 = 1 - beta1 ** t, np.sqrt(1 - beta2 ** t)
    step = lr * c2 / c1 * m / (np.sqrt(v) + eps * c2)
    return w - step, m, v
''',
            "fresh_arrays_in_place": '''
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = m * beta1
    m_new += (1.0 - beta1) * dw
    v_new = v * beta2
    v_new += (1.0 - beta2) * dw * dw
    denom = np.sqrt(v_new / (1.0 - beta2 ** t))
    denom += eps
    w_new = w.astype(np.float64)
    w_new -= lr * (m_new / (1.0 - beta1 ** t)) / denom
    return w_new, m_new, v_new
''',
        },
        "mistakes": {
            "no_bias_correction": mistake('''
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * dw
    v_new = beta2 * v + (1 - beta2) * dw ** 2
    return w - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
''', "leaves out the bias correction", "missing_term"),
            "t_from_zero": mistake(variant(variant(ADAM, "beta1 ** t", "beta1 ** (t + 1)"), "beta2 ** t", "beta2 ** (t + 1)"),
                                   "counts steps from 0 and corrects with beta^(t + 1)", "other"),
            "eps_inside_root": edit(ADAM, "(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)",
                                    "adds eps inside the square root", "wrong_function"),
            "paper_efficient_eps": mistake('''
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    alpha = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return w - alpha * m / (np.sqrt(v) + eps), m, v
''', "folds the correction into the step size but adds eps to the uncorrected root", "edge_case"),
            "corrected_state": mistake('''
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = (beta1 * m + (1 - beta1) * dw) / (1 - beta1 ** t)
    v = (beta2 * v + (1 - beta2) * dw ** 2) / (1 - beta2 ** t)
    return w - lr * m / (np.sqrt(v) + eps), m, v
''', "returns the bias-corrected m_hat and v_hat as the state", "factor"),
            "moments_in_place": mistake('''
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * dw
    v *= beta2
    v += (1 - beta2) * dw ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v
''', "updates the given m and v in place", "in_place"),
            "eps_fixed": edit(ADAM, "np.sqrt(v_hat) + eps)", "np.sqrt(v_hat) + 1e-8)",
                              "always adds 1e-8 whatever eps is given", "ignored_argument"),
            "only_m_corrected": edit(ADAM, "v_hat = v_new / (1 - beta2 ** t)", "v_hat = v_new",
                                     "bias-corrects m but not v", "missing_term"),
        },
        "shortcuts": {},
    },
    # ------------------------------------------------------------------------------------------
    "dropout_forward": {
        "valid": {
            "if_training": DROPOUT_FORWARD,
            "where_kept": '''
def dropout_forward(X, keep_prob, mask, training):
    if not training:
        return np.array(X, dtype=float)
    return np.where(mask == 1.0, X / keep_prob, 0.0)
''',
            "scaled_mask": '''
def dropout_forward(X, keep_prob, mask, training):
    scale = mask / keep_prob if training else np.ones(np.shape(X))
    return np.multiply(X, scale)
''',
        },
        "mistakes": {
            "scaled_at_test_time": mistake('''
def dropout_forward(X, keep_prob, mask, training):
    if training:
        return X * mask
    return X * keep_prob
''', "non-inverted dropout: masks without dividing in training, multiplies by keep_prob at test time",
                                           "wrong_function"),
            "not_divided": edit(DROPOUT_FORWARD, "X * mask / keep_prob", "X * mask",
                                "masks without dividing by keep_prob in training", "missing_term"),
            "multiplied": edit(DROPOUT_FORWARD, "X * mask / keep_prob", "X * mask * keep_prob",
                               "multiplies the kept units by keep_prob instead of dividing", "factor"),
            "drop_prob": edit(DROPOUT_FORWARD, "X * mask / keep_prob", "X * mask / (1 - keep_prob)",
                              "divides by the drop probability 1 - keep_prob", "factor"),
            "mask_at_test_time": mistake('''
def dropout_forward(X, keep_prob, mask, training):
    return X * mask / keep_prob
''', "applies the mask whether training or not", "ignored_argument"),
            "divided_at_test_time": edit(DROPOUT_FORWARD, "return X.copy()", "return X / keep_prob",
                                         "divides by keep_prob at test time too", "extra_term"),
            "mask_inverted": edit(DROPOUT_FORWARD, "X * mask / keep_prob", "X * (1 - mask) / keep_prob",
                                  "keeps the units where the mask is 0", "wrong_function"),
            "fresh_mask": mistake('''
def dropout_forward(X, keep_prob, mask, training):
    if not training:
        return X.copy()
    drawn = (np.random.default_rng(0).random(X.shape) < keep_prob).astype(float)
    return X * drawn / keep_prob
''', "draws a new mask instead of using the one given", "ignored_argument"),
        },
        "shortcuts": {},
    },
    # ------------------------------------------------------------------------------------------
    "dropout_backward": {
        "valid": {
            "mask_over_p": DROPOUT_BACKWARD,
            "where_kept": '''
def dropout_backward(dout, keep_prob, mask):
    return np.where(mask > 0.5, dout / keep_prob, 0.0)
''',
            "scale_first": '''
def dropout_backward(dout, keep_prob, mask):
    scale = mask * (1.0 / keep_prob)
    return scale * dout
''',
        },
        "mistakes": {
            "mask_forgotten": edit(DROPOUT_BACKWARD, "dout * mask / keep_prob", "dout / keep_prob",
                                   "does not reuse the mask in the backward pass", "missing_term"),
            "not_divided": edit(DROPOUT_BACKWARD, "dout * mask / keep_prob", "dout * mask",
                                "leaves out the division by keep_prob", "missing_term"),
            "multiplied": edit(DROPOUT_BACKWARD, "dout * mask / keep_prob", "dout * mask * keep_prob",
                               "multiplies by keep_prob instead of dividing", "factor"),
            "drop_prob": edit(DROPOUT_BACKWARD, "dout * mask / keep_prob", "dout * mask / (1 - keep_prob)",
                              "divides by the drop probability 1 - keep_prob", "factor"),
            "squared_p": edit(DROPOUT_BACKWARD, "dout * mask / keep_prob", "dout * mask / keep_prob ** 2",
                              "divides by keep_prob twice", "factor"),
            "identity": edit(DROPOUT_BACKWARD, "dout * mask / keep_prob", "dout.copy()",
                             "passes dout through unchanged, as at test time", "wrong_function"),
            "mask_inverted": edit(DROPOUT_BACKWARD, "dout * mask / keep_prob", "dout * (1 - mask) / keep_prob",
                                  "lets the gradient through where the unit was dropped", "wrong_function"),
        },
        "shortcuts": {
            "vectorised_central_differences": '''
def dropout_backward(dout, keep_prob, mask, h=1e-5):
    # dropout acts entry by entry, so one pair of calls differentiates every entry at once
    def forward(X):
        return X * mask / keep_prob
    X = np.ones(dout.shape)
    return dout * (forward(X + h) - forward(X - h)) / (2 * h)
''',
            "complex_step": '''
def dropout_backward(dout, keep_prob, mask):
    h = 1e-25
    X = np.ones(dout.shape, dtype=complex)
    dX = np.zeros(dout.shape)
    for idx in np.ndindex(dout.shape):
        Xc = X.copy()
        Xc[idx] += 1j * h
        dX[idx] = np.sum(dout * Xc * mask / keep_prob).imag / h
    return dX
''',
        },
    },
    # ------------------------------------------------------------------------------------------
    "batchnorm_forward": {
        "valid": {
            "mean_var": BATCHNORM_FORWARD,
            "centred_squares": '''
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    centred = X - np.mean(X, axis=0, keepdims=True)
    var = np.mean(centred * centred, axis=0, keepdims=True)
    return centred * (gamma / np.sqrt(var + eps)) + beta
''',
            "std_of_shifted": '''
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = np.sum(X, axis=0) / X.shape[0]
    sigma = np.sqrt(np.sum((X - mu) ** 2, axis=0) / X.shape[0] + eps)
    return np.einsum("ij,j->ij", X - mu, gamma / sigma) + beta
''',
        },
        "mistakes": {
            "unbiased_variance": edit(BATCHNORM_FORWARD, "X.var(axis=0)", "X.var(axis=0, ddof=1)",
                                      "uses the unbiased variance (divisor m - 1)", "factor"),
            "eps_outside_root": edit(BATCHNORM_FORWARD, "np.sqrt(var + eps)", "(np.sqrt(var) + eps)",
                                     "adds eps to the standard deviation instead of the variance", "wrong_function"),
            "eps_fixed": edit(BATCHNORM_FORWARD, "var + eps", "var + 1e-5", "always uses eps = 1e-5",
                              "ignored_argument"),
            "per_row": mistake('''
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=1, keepdims=True)
    var = X.var(axis=1, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
''', "normalises every example (row) instead of every feature", "wrong_axis"),
            "gamma_beta_swapped": edit(BATCHNORM_FORWARD, "gamma * x_hat + beta", "beta * x_hat + gamma",
                                       "scales by beta and shifts by gamma", "other"),
            "whole_batch_statistics": mistake('''
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    x_hat = (X - X.mean()) / np.sqrt(X.var() + eps)
    return gamma * x_hat + beta
''', "takes one mean and variance over every entry of the batch", "wrong_axis"),
            "centred_in_place": mistake('''
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    var = X.var(axis=0)
    X -= X.mean(axis=0)
    X /= np.sqrt(var + eps)
    return gamma * X + beta
''', "centres and scales the given X in place", "in_place"),
            "no_eps": mistake('''
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return gamma * (X - X.mean(axis=0)) / X.std(axis=0) + beta
''', "divides by the standard deviation without eps", "missing_term"),
        },
        "shortcuts": {},
    },
    # ------------------------------------------------------------------------------------------
    "batchnorm_backward": {
        "valid": {
            "compact": BATCHNORM_COMPACT,
            "staged_graph": BATCHNORM_STAGED,
            "sums_over_m": '''
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    m = len(X)
    inv = (X.var(axis=0) + eps) ** -0.5
    x_hat = (X - X.mean(axis=0)) * inv
    dbeta = np.sum(dout, axis=0)
    dgamma = np.einsum("ij,ij->j", dout, x_hat)
    dX = gamma * inv / m * (m * dout - dbeta - x_hat * dgamma)
    return dX, dgamma, dbeta
''',
        },
        "mistakes": {
            "mean_path_forgotten": edit(BATCHNORM_STAGED, "dX = dx_hat / sd + dvar * 2.0 * dev / m + dmu / m",
                                        "dX = dx_hat / sd + dvar * 2.0 * dev / m",
                                        "leaves out the path through the mean", "missing_term"),
            "variance_path_forgotten": edit(BATCHNORM_COMPACT, " - x_hat * np.mean(dout * x_hat, axis=0))", ")",
                                            "leaves out the path through the variance", "missing_term"),
            "direct_path_only": edit(BATCHNORM_COMPACT,
                                     "gamma * inv_std * (dout - dout.mean(axis=0) - x_hat * np.mean(dout * x_hat, axis=0))",
                                     "gamma * inv_std * dout",
                                     "keeps only the direct path through x_hat (treats mu and var as constants)",
                                     "missing_term"),
            "unbiased_variance": edit(BATCHNORM_STAGED, "var = np.mean(dev * dev, axis=0)",
                                      "var = np.sum(dev * dev, axis=0) / (m - 1)",
                                      "uses the unbiased variance (divisor m - 1)", "factor"),
            "dgamma_per_row": edit(BATCHNORM_COMPACT, "np.sum(dout * x_hat, axis=0)", "np.sum(dout * x_hat, axis=1)",
                                   "sums dgamma over the features instead of the examples", "wrong_axis"),
            "dbeta_everything": edit(BATCHNORM_COMPACT, "dbeta = dout.sum(axis=0)", "dbeta = dout.sum()",
                                     "sums dbeta over every entry", "wrong_axis"),
            "variance_term_sign": edit(BATCHNORM_COMPACT, "- x_hat * np.mean(dout * x_hat, axis=0)",
                                       "+ x_hat * np.mean(dout * x_hat, axis=0)",
                                       "adds the variance path's term instead of subtracting it", "sign"),
            "eps_fixed": edit(BATCHNORM_COMPACT, "X.var(axis=0) + eps", "X.var(axis=0) + 1e-5",
                              "recomputes the forward with eps = 1e-5 whatever eps is given", "ignored_argument"),
        },
        "shortcuts": {
            "central_differences": '''
def _bn_loss(dout, X, gamma, beta, eps):
    x_hat = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    return np.sum(dout * (gamma * x_hat + beta))


def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    h = 1e-6
    arrays = [np.array(X, dtype=float), np.array(gamma, dtype=float), np.array(beta, dtype=float)]
    grads = [np.zeros_like(a) for a in arrays]
    for k, a in enumerate(arrays):
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + h
            up = _bn_loss(dout, *arrays, eps)
            a[idx] = old - h
            down = _bn_loss(dout, *arrays, eps)
            a[idx] = old
            grads[k][idx] = (up - down) / (2 * h)
    return tuple(grads)
''',
            "complex_step": '''
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    def loss(X, gamma, beta):
        centred = X - X.mean(axis=0)
        x_hat = centred / np.sqrt((centred * centred).mean(axis=0) + eps)
        return np.sum(dout * (gamma * x_hat + beta))
    h = 1e-30
    inputs = [X.astype(complex), gamma.astype(complex), beta.astype(complex)]
    grads = []
    for k, a in enumerate(inputs):
        g = np.zeros(a.shape)
        for idx in np.ndindex(a.shape):
            moved = [b.copy() for b in inputs]
            moved[k][idx] += 1j * h
            g[idx] = loss(*moved).imag / h
        grads.append(g)
    return grads[0], grads[1], grads[2]
''',
        },
    },
    # ------------------------------------------------------------------------------------------
    "network_gradients": {
        "valid": {
            "layer_list_with_caches": NETWORK_LAYERS,
            "inline_staged": NETWORK_INLINE,
            "per_example_delta": NETWORK_PER_EXAMPLE,
        },
        "mistakes": {
            "dropout_mask_forgotten": edit(NETWORK_LAYERS, "return dout * mask / keep_prob", "return dout / keep_prob",
                                           "does not reuse the dropout mask in the backward pass", "missing_term"),
            "non_inverted_dropout": mistake(variant(variant(NETWORK_LAYERS, "return x * mask / keep_prob, (mask, keep_prob)",
                                                            "return x * mask, (mask, keep_prob)"),
                                                    "return dout * mask / keep_prob", "return dout * mask"),
                                            "uses non-inverted dropout (masks without dividing by keep_prob), forward "
                                            "and back", "wrong_function"),
            "batchnorm_mean_path_forgotten": edit(NETWORK_LAYERS, "dx = gamma * inv_std * (dout - dout.mean(axis=0) - ",
                                                  "dx = gamma * inv_std * (dout - ",
                                                  "leaves out batch norm's path through the mean", "missing_term"),
            "batchnorm_direct_only": edit(NETWORK_INLINE, "dA1 = dx_hat / std + dvar * 2.0 * xc / m + dmu / m",
                                          "dA1 = dx_hat / std",
                                          "treats batch norm's mean and variance as constants in the backward pass",
                                          "missing_term"),
            "relu_mask_after_batchnorm": edit(NETWORK_INLINE, "dZ1 = dA1 * (Z1 > 0)", "dZ1 = dA1 * (B > 0)",
                                              "takes the ReLU's mask from batch norm's output instead of Z1",
                                              "wrong_function"),
            "scores_not_averaged": edit(NETWORK_LAYERS, "dscores = (softmax(scores) - Y) / len(X)",
                                        "dscores = softmax(scores) - Y",
                                        "forgets the 1/m of the mean loss in the scores' gradient", "factor"),
            "no_dropout_forward": edit(NETWORK_INLINE, "D = B * mask / keep_prob", "D = B",
                                       "leaves dropout out of the forward pass but masks in the backward pass",
                                       "cascade"),
            "unbiased_batch_variance": edit(NETWORK_INLINE, "var = np.mean(xc ** 2, axis=0)",
                                            "var = np.sum(xc ** 2, axis=0) / (m - 1)",
                                            "uses batch norm's unbiased variance (divisor m - 1) forward and back",
                                            "factor"),
        },
        "shortcuts": {
            "central_differences": '''
def _network_loss(X, Y, arrays, mask, keep_prob):
    W1, b1, gamma, beta, W2, b2 = arrays
    H = np.maximum(X @ W1.T + b1, 0.0)
    H = gamma * (H - H.mean(axis=0)) / np.sqrt(H.var(axis=0) + 1e-5) + beta
    return cross_entropy((H * mask / keep_prob) @ W2.T + b2, Y)


def network_gradients(X, Y, params, mask, keep_prob, h=1e-6):
    arrays = [np.array(a, dtype=float) for layer in params for a in layer]
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + h
            up = _network_loss(X, Y, arrays, mask, keep_prob)
            a[idx] = old - h
            down = _network_loss(X, Y, arrays, mask, keep_prob)
            a[idx] = old
            g[idx] = (up - down) / (2 * h)
        grads.append(g)
    return [(grads[0], grads[1]), (grads[2], grads[3]), (grads[4], grads[5])]
''',
            "complex_step": '''
def network_gradients(X, Y, params, mask, keep_prob):
    def loss(W1, b1, gamma, beta, W2, b2):
        Z = X @ W1.T + b1
        H = np.where(Z.real > 0, Z, 0.0)
        C = H - H.mean(axis=0)
        H = gamma * C / np.sqrt((C * C).mean(axis=0) + 1e-5) + beta
        S = (H * mask / keep_prob) @ W2.T + b2
        S = S - S.real.max(axis=1, keepdims=True)
        return -np.sum(Y * (S - np.log(np.exp(S).sum(axis=1, keepdims=True)))) / len(X)
    arrays = [a.astype(complex) for layer in params for a in layer]
    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros(a.shape)
        for idx in np.ndindex(a.shape):
            moved = list(arrays)
            moved[k] = a.copy()
            moved[k][idx] += 1e-30j
            g[idx] = loss(*moved).imag / 1e-30
        grads.append(g)
    return [(grads[0], grads[1]), (grads[2], grads[3]), (grads[4], grads[5])]
''',
        },
    },
}
