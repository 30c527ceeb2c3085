"""Held-out student answers for assignment 1 (activations, softmax, the gradient checker).

Written from the released notebook ``assignments/a1_activations/activations.ipynb`` alone.
Each source is the student's whole cell (helpers it defines included); ``np`` is imported
by the notebook's setup cell. See README.md for the format and the evidence categories.
"""

_STABLE_SIGMOID = '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
'''

CORPUS = {
    "sigmoid": {
        "valid": {
            "masks_two_forms": '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out
''',
            "half_tanh": '''
def sigmoid(z):
    # sigma(z) = (1 + tanh(z / 2)) / 2, and np.tanh never overflows
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))
''',
            "logaddexp": '''
def sigmoid(z):
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z))
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))
''',
        },
        "mistakes": {
            "naive_formula": dict(source='''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
''', what="Uses 1/(1+e^-z) for every z: e^1000 overflows with a RuntimeWarning at z = -1000.",
                evidence="edge_case"),
            "where_both_forms": dict(source='''
def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
''', what="Picks the safe form with np.where, but np.where evaluates both forms, so each overflows and warns.",
                evidence="edge_case"),
            "clip_to_ten": dict(source='''
def sigmoid(z):
    z = np.clip(z, -10, 10)   # avoid overflow
    return 1.0 / (1.0 + np.exp(-z))
''', what="Clips z to [-10, 10] before the formula, so sigma(12) and sigma(45) come out as sigma(10).",
                evidence="edge_case"),
            "sign_of_exponent": dict(source='''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
''', what="Swaps the two stable branches, which computes sigma(-z) = 1/(1 + e^z).",
                evidence="sign"),
            "second_form_only": dict(source='''
def sigmoid(z):
    ez = np.exp(z)
    return ez / (1 + ez)
''', what="Uses only e^z/(1+e^z), which gives inf/inf = nan and a warning at z = 1000.",
                evidence="edge_case"),
        },
        "shortcuts": {},
    },
    "sigmoid_prime": {
        "valid": {
            "from_output": _STABLE_SIGMOID + '''
def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)
''',
            "even_function": '''
def sigmoid_prime(z):
    # sigma' is even: e^-|z| / (1 + e^-|z|)^2 never overflows
    e = np.exp(-np.abs(np.asarray(z, dtype=np.float64)))
    return e / (1.0 + e) ** 2
''',
        },
        "mistakes": {
            "erratum_denominator": dict(source='''
def sigmoid_prime(z):
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return np.exp(-z) / (1 + np.exp(z)) ** 2
''', what="Copies the lecture's middle step with (1 + e^z) in the denominator (the erratum).",
                evidence="sign"),
            "output_formula_on_z": dict(source='''
def sigmoid_prime(z):
    return z * (1 - z)
''', what="Applies a(1 - a) to the pre-activation z instead of to sigma(z).",
                evidence="wrong_function"),
            "plus_instead_of_minus": dict(source=_STABLE_SIGMOID + '''
def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 + s)
''', what="Writes sigma(z)(1 + sigma(z)) instead of sigma(z)(1 - sigma(z)).",
                evidence="sign"),
            "naive_quotient": dict(source='''
def sigmoid_prime(z):
    e = np.exp(-z)
    return e / (1 + e) ** 2
''', what="Uses e^-z/(1+e^-z)^2 directly: inf/inf gives nan at z = -1000.",
                evidence="edge_case"),
        },
        "shortcuts": {
            "central_difference": _STABLE_SIGMOID + '''
def sigmoid_prime(z):
    h = 1e-5
    z = np.asarray(z, dtype=np.float64)
    return (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
''',
        },
    },
    "tanh": {
        "valid": {
            "identity_via_sigmoid": _STABLE_SIGMOID + '''
def tanh(z):
    return 2.0 * sigmoid(2.0 * np.asarray(z, dtype=np.float64)) - 1.0
''',
            "odd_stable_quotient": '''
def tanh(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-2.0 * np.abs(z))
    return np.sign(z) * (1.0 - e) / (1.0 + e)
''',
        },
        "mistakes": {
            "definition_overflows": dict(source='''
def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
''', what="Uses the definition as written: inf/inf gives nan at |z| = 1000.",
                evidence="edge_case"),
            "identity_without_inner_two": dict(source=_STABLE_SIGMOID + '''
def tanh(z):
    return 2 * sigmoid(z) - 1
''', what="Writes 2 sigma(z) - 1, dropping the 2 inside the sigmoid (that is tanh(z/2)).",
                evidence="factor"),
            "identity_sign": dict(source=_STABLE_SIGMOID + '''
def tanh(z):
    return 1 - 2 * sigmoid(2 * z)
''', what="Writes 1 - 2 sigma(2z), which is -tanh(z).",
                evidence="sign"),
        },
        "shortcuts": {},
    },
    "tanh_prime": {
        "valid": {
            "difference_of_squares": '''
def tanh_prime(z):
    t = np.tanh(z)
    return (1 - t) * (1 + t)
''',
            "via_sigmoid_prime": '''
def tanh_prime(z):
    # tanh(z) = 2 sigma(2z) - 1, so tanh'(z) = 4 sigma'(2z)
    e = np.exp(-2.0 * np.abs(np.asarray(z, dtype=np.float64)))
    return 4.0 * e / (1.0 + e) ** 2
''',
        },
        "mistakes": {
            "forgot_square": dict(source='''
def tanh_prime(z):
    return 1 - np.tanh(z)
''', what="Writes 1 - tanh(z), forgetting to square tanh.",
                evidence="missing_term"),
            "sigmoid_pattern": dict(source='''
def tanh_prime(z):
    t = np.tanh(z)
    return t * (1 - t)
''', what="Copies the sigmoid's pattern a(1 - a) for tanh.",
                evidence="wrong_function"),
            "plus_square": dict(source='''
def tanh_prime(z):
    return 1 + np.tanh(z) ** 2
''', what="Writes 1 + tanh^2 (a sign slip in the quotient rule).",
                evidence="sign"),
            "chain_rule_factor_two": dict(source=_STABLE_SIGMOID + '''
def tanh_prime(z):
    s = sigmoid(2 * np.asarray(z, dtype=np.float64))
    return 2 * s * (1 - s)
''', what="Differentiates 2 sigma(2z) - 1 but keeps only one of the two factors 2 (2 sigma'(2z) instead of 4).",
                evidence="factor"),
        },
        "shortcuts": {
            "forward_difference_small_h": '''
def tanh_prime(z):
    h = 1e-7
    z = np.asarray(z, dtype=np.float64)
    return (np.tanh(z + h) - np.tanh(z)) / h
''',
        },
    },
    "relu": {
        "valid": {
            "mask_product": '''
def relu(z):
    z = np.asarray(z, dtype=np.float64)
    return z * (z > 0)
''',
            "half_sum_abs": '''
def relu(z):
    z = np.asarray(z, dtype=np.float64)
    return (z + np.abs(z)) / 2
''',
        },
        "mistakes": {
            "np_max_reduces": dict(source='''
def relu(z):
    return np.max(z, 0)
''', what="Uses np.max(z, 0), which reduces along axis 0 instead of comparing with 0 entry by entry.",
                evidence="wrong_function"),
            "returns_mask": dict(source='''
def relu(z):
    return (np.asarray(z) > 0).astype(float)
''', what="Returns the indicator z > 0 (the derivative) instead of max(0, z).",
                evidence="wrong_function"),
            "clipped_at_one": dict(source='''
def relu(z):
    return np.clip(z, 0, 1)
''', what="Clips to [0, 1], so every z > 1 comes out as 1.",
                evidence="other"),
        },
        "shortcuts": {},
    },
    "relu_prime": {
        "valid": {
            "heaviside": '''
def relu_prime(z):
    return np.heaviside(np.asarray(z, dtype=np.float64), 0.0)
''',
            "where": '''
def relu_prime(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)
''',
        },
        "mistakes": {
            "one_at_zero": dict(source='''
def relu_prime(z):
    return (np.asarray(z) >= 0).astype(np.float64)
''', what="Takes ReLU'(0) = 1 instead of the course's 0.",
                evidence="edge_case"),
            "half_at_zero": dict(source='''
def relu_prime(z):
    return np.heaviside(z, 0.5)
''', what="Takes ReLU'(0) = 1/2 instead of the course's 0.",
                evidence="edge_case"),
            "returns_relu": dict(source='''
def relu_prime(z):
    return np.maximum(z, 0)
''', what="Returns ReLU itself instead of its derivative.",
                evidence="wrong_function"),
            "sign": dict(source='''
def relu_prime(z):
    return np.sign(z)
''', what="Returns sign(z): -1 instead of 0 for negative z.",
                evidence="sign"),
        },
        "shortcuts": {},
    },
    "leaky_relu": {
        "valid": {
            "maximum": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, slope * z)
''',
            "factor_where": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=np.float64)
    return z * np.where(z > 0, 1.0, slope)
''',
        },
        "mistakes": {
            "hard_coded_slope": dict(source='''
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, 0.1 * z)
''', what="Uses the lecture's 0.1 instead of the slope argument.",
                evidence="ignored_argument"),
            "slope_not_times_z": dict(source='''
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, slope)
''', what="Returns the constant slope for z <= 0 instead of slope * z.",
                evidence="missing_term"),
            "branches_swapped": dict(source='''
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, slope * z, z)
''', what="Puts the slope on the positive side and the identity on the negative side.",
                evidence="other"),
        },
        "shortcuts": {},
    },
    "leaky_relu_prime": {
        "valid": {
            "blend": '''
def leaky_relu_prime(z, slope=0.1):
    return slope + (1.0 - slope) * (np.asarray(z) > 0)
''',
            "filled_then_masked": '''
def leaky_relu_prime(z, slope=0.1):
    z = np.asarray(z, dtype=np.float64)
    out = np.full(z.shape, slope, dtype=np.float64)
    out[z > 0] = 1.0
    return out
''',
        },
        "mistakes": {
            "one_at_zero": dict(source='''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z >= 0, 1.0, slope)
''', what="Takes the derivative at 0 to be 1 instead of the course's slope.",
                evidence="edge_case"),
            "hard_coded_slope": dict(source='''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, 0.1)
''', what="Uses 0.1 for the negative side whatever the slope argument.",
                evidence="ignored_argument"),
            "relu_derivative": dict(source='''
def leaky_relu_prime(z, slope=0.1):
    return (z > 0) * 1.0
''', what="Returns ReLU's derivative (0 on the negative side) instead of the slope.",
                evidence="wrong_function"),
            "slope_times_z": dict(source='''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, slope * z)
''', what="Keeps the z of slope * z in the derivative of the negative side.",
                evidence="extra_term"),
        },
        "shortcuts": {},
    },
    "maxout": {
        "valid": {
            "einsum": '''
def maxout(X, W1, b1, W2, b2):
    Z1 = np.einsum("mi,oi->mo", X, W1) + b1
    Z2 = np.einsum("mi,oi->mo", X, W2) + b2
    return np.maximum(Z1, Z2)
''',
            "stack_and_max": '''
def maxout(X, W1, b1, W2, b2):
    pieces = np.stack([(W1 @ X.T).T + b1, (W2 @ X.T).T + b2])
    return pieces.max(axis=0)
''',
        },
        "mistakes": {
            "no_biases": dict(source='''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T, X @ W2.T)
''', what="Follows the lecture's max(W1 x, W2 x) and leaves out both biases.",
                evidence="missing_term"),
            "max_over_examples": dict(source='''
def maxout(X, W1, b1, W2, b2):
    Z = np.stack([X @ W1.T + b1, X @ W2.T + b2])
    return np.max(Z, axis=1)
''', what="Takes the maximum along the examples' axis of the stacked maps instead of across the two pieces.",
                evidence="wrong_axis"),
            "same_bias_twice": dict(source='''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T + b1, X @ W2.T + b1)
''', what="Adds b1 to the second piece too (a copy-paste slip), ignoring b2.",
                evidence="ignored_argument"),
            "max_of_whole_rows": dict(source='''
def maxout(X, W1, b1, W2, b2):
    Z1 = X @ W1.T + b1
    Z2 = X @ W2.T + b2
    return np.where(Z1.sum(axis=1, keepdims=True) > Z2.sum(axis=1, keepdims=True), Z1, Z2)
''', what="Chooses one piece per example (by the row sums) instead of unit by unit.",
                evidence="wrong_axis"),
        },
        "shortcuts": {},
    },
    "softmax": {
        "valid": {
            "log_sum_exp": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    M = Z.max(axis=1, keepdims=True)
    lse = M + np.log(np.sum(np.exp(Z - M), axis=1, keepdims=True))
    return np.exp(Z - lse)
''',
            "transpose_broadcast": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z.T - Z.max(axis=1))
    return (E / E.sum(axis=0)).T
''',
        },
        "mistakes": {
            "no_shift": dict(source='''
def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
''', what="Skips the max shift, so e^1000 overflows and the row becomes nan.",
                evidence="edge_case"),
            "columns_normalised": dict(source='''
def softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
''', what="Normalises each column (axis 0) instead of each row.",
                evidence="wrong_axis"),
            "no_keepdims": dict(source='''
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=1)
''', what="Sums the rows without keepdims, so the division broadcasts the sums along the wrong axis.",
                evidence="broadcast"),
            "global_max": dict(source='''
def softmax(Z):
    E = np.exp(Z - np.max(Z))
    return E / E.sum(axis=1, keepdims=True)
''', what="Subtracts the largest entry of the whole batch, so rows far below it underflow to 0/0.",
                evidence="edge_case"),
            "shift_by_min": dict(source='''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.min(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
''', what="Shifts each row by its minimum instead of its maximum, which still overflows.",
                evidence="edge_case"),
        },
        "shortcuts": {},
    },
    "softmax_jacobian": {
        "valid": {
            "broadcast_identity": '''
def softmax_jacobian(a):
    a = np.asarray(a, dtype=np.float64)
    return a[:, None] * (np.eye(a.size) - a[None, :])
''',
            "double_loop": '''
def softmax_jacobian(a):
    C = len(a)
    J = np.zeros((C, C))
    for i in range(C):
        for j in range(C):
            J[i, j] = a[i] * ((1.0 if i == j else 0.0) - a[j])
    return J
''',
        },
        "mistakes": {
            "diagonal_only": dict(source='''
def softmax_jacobian(a):
    return np.diag(a * (1 - a))
''', what="Keeps only the diagonal y_i(1 - y_i) (the notes' erratum) and zeros elsewhere.",
                evidence="missing_term"),
            "plus_outer": dict(source='''
def softmax_jacobian(a):
    return np.diag(a) + np.outer(a, a)
''', what="Adds the outer product y y^T instead of subtracting it.",
                evidence="sign"),
            "inner_product": dict(source='''
def softmax_jacobian(a):
    return np.diag(a) - a @ a
''', what="Subtracts the scalar a . a from every entry instead of the outer product.",
                evidence="wrong_function"),
            "vector_only": dict(source='''
def softmax_jacobian(a):
    return a * (1 - a)
''', what="Returns the vector of diagonal entries, shape (C,), instead of the (C, C) matrix.",
                evidence="shape"),
        },
        "shortcuts": {
            "central_on_logits": '''
def softmax_jacobian(a):
    z = np.log(a)                       # softmax(log a) = a, since a sums to 1
    def soft(v):
        e = np.exp(v - v.max())
        return e / e.sum()
    h = 1e-5
    J = np.zeros((len(a), len(a)))
    for j in range(len(a)):
        step = np.zeros(len(a))
        step[j] = h
        J[:, j] = (soft(z + step) - soft(z - step)) / (2 * h)
    return J
''',
        },
    },
    "numerical_gradient": {
        "valid": {
            "copies_per_entry": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for idx in np.ndindex(*x.shape):
        plus = x.copy()
        minus = x.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad
''',
            "flat_views_restored": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.empty(x.shape)
    flat = x.reshape(-1)            # a view of x
    g = grad.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + h
        up = f(x)
        flat[i] = keep - h
        down = f(x)
        flat[i] = keep                # put back the saved value, bit for bit
        g[i] = (up - down) / (2 * h)
    return grad
''',
        },
        "mistakes": {
            "forward_difference": dict(source='''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xp[idx] += h
        grad[idx] = (f(xp) - fx) / h
    return grad
''', what="Uses the one-sided difference (f(x + h e_i) - f(x)) / h instead of the central one.",
                evidence="wrong_function"),
            "divides_by_h": dict(source='''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        grad[idx] = (f(xp) - f(xm)) / h
    return grad
''', what="Divides the central difference by h instead of 2h.",
                evidence="factor"),
            "add_then_subtract": dict(source='''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        grad[i] = (fp - fm) / (2 * h)
        it.iternext()
    return grad
''', what="Restores x by adding h back, which in floating point need not give back x bit for bit.",
                evidence="in_place"),
            "rows_not_entries": dict(source='''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad
''', what="Loops over range(len(x)), which perturbs whole rows of a matrix at once instead of single entries.",
                evidence="loop_count"),
            "fixed_step": dict(source='''
def numerical_gradient(f, x, h=1e-5):
    step = 1e-5
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = step
        grad[idx] = (f(x + e) - f(x - e)) / (2 * step)
    return grad
''', what="Uses a fixed step 1e-5 whatever the h argument.",
                evidence="ignored_argument"),
            "all_entries_at_once": dict(source='''
def numerical_gradient(f, x, h=1e-5):
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))
''', what="Perturbs every entry at once, giving the directional derivative along all ones in every entry.",
                evidence="other"),
        },
        "shortcuts": {},
    },
}
