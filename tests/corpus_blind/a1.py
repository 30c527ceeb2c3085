"""Blind corpus, assignment 1: activations, their derivatives, softmax, the gradient checker.

Written from the released notebook ``assignments/a1_activations/activations.ipynb`` alone; the
notebook runs nothing before the student's cells, so every source defines the helpers it uses
(under names of its own, so that it never replaces the student's other functions).
"""

from blind_forms import mistake as _mistake


CORPUS = {
    "sigmoid": {
        "valid": {
            "split_by_sign": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out
''',
            "softplus_exp": '''
def sigmoid(z):
    # sigma(z) = exp(-log(1 + e^-z)); logaddexp never overflows
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))
''',
            "abs_trick": '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    small = np.exp(-np.abs(z))            # in (0, 1], never overflows
    return np.where(z >= 0, 1 / (1 + small), small / (1 + small))
''',
        },
        "mistakes": {
            "exp_form_only": _mistake('''
def sigmoid(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / (1 + e)
''', "uses e^z / (1 + e^z) for every z: inf / inf = nan at z = 1000", "edge_case"),
            "tanh_without_halves": _mistake('''
def sigmoid(z):
    return 0.5 * (1 + np.tanh(z))
''', "writes (1 + tanh z) / 2, forgetting the z / 2 inside", "wrong_function"),
            "clip_at_15": _mistake('''
def sigmoid(z):
    z = np.clip(z, -15, 15)     # keeps exp from overflowing
    return 1.0 / (1.0 + np.exp(-z))
''', "clips z to [-15, 15], so the tails stop at sigma(15) instead of 1", "edge_case"),
            "sign_flipped": _mistake('''
def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
''', "swaps the two stable branches, which computes sigma(-z)", "sign"),
            "abs_without_branch": _mistake('''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.abs(z)))
''', "uses exp(-|z|) for stability but forgets the branch for negative z", "wrong_function"),
        },
        "shortcuts": {},
    },
    "sigmoid_prime": {
        "valid": {
            "from_output": '''
def _sig(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

def sigmoid_prime(z):
    s = _sig(z)
    return s * (1 - s)
''',
            "symmetric_form": '''
def sigmoid_prime(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))   # sigma' is even in z
    return e / (1.0 + e) ** 2
''',
            "sech_squared": '''
def sigmoid_prime(z):
    half = np.asarray(z, dtype=float) / 2
    return 0.25 * (1.0 / np.cosh(half)) ** 2
''',
        },
        "mistakes": {
            "z_as_output": _mistake('''
def sigmoid_prime(z):
    return z * (1 - z)
''', "plugs z into a(1 - a) as if z were the sigmoid's output", "wrong_function"),
            "mixed_s_and_z": _mistake('''
def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

def sigmoid_prime(z):
    return _sig(z) * (1 - z)
''', "writes sigma(z)(1 - z): the second factor uses z instead of sigma(z)", "wrong_function"),
            "notes_middle_step": _mistake('''
def sigmoid_prime(z):
    with np.errstate(over="ignore"):
        return np.exp(-z) / (1 + np.exp(z)) ** 2
''', "uses the notes' erroneous middle step e^-z / (1 + e^z)^2", "wrong_function"),
            "plus_instead_of_minus": _mistake('''
def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

def sigmoid_prime(z):
    s = _sig(z)
    return s * (1 + s)
''', "writes s(1 + s) for s(1 - s)", "sign"),
            "square_minus_s": _mistake('''
def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

def sigmoid_prime(z):
    s = _sig(z)
    return s ** 2 - s
''', "expands s(1 - s) with the wrong sign: s^2 - s", "sign"),
            "returns_sigmoid": _mistake('''
def sigmoid_prime(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
''', "returns the sigmoid itself rather than its derivative", "wrong_function"),
        },
        "shortcuts": {
            "central_difference": '''
def _sig(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

def sigmoid_prime(z):
    z = np.asarray(z, dtype=float)
    h = 1e-5
    return (_sig(z + h) - _sig(z - h)) / (2 * h)
''',
            "complex_step": '''
def _sig_complex(z):
    out = np.empty_like(z)
    pos = z.real >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out

def sigmoid_prime(z):
    z = np.asarray(z, dtype=float)
    step = 1e-30
    return _sig_complex(z + 1j * step).imag / step
''',
        },
    },
    "tanh": {
        "valid": {
            "numpy": '''
def tanh(z):
    return np.tanh(z)
''',
            "via_sigmoid": '''
def _stable_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

def tanh(z):
    z = np.asarray(z, dtype=float)
    return 2 * _stable_sigmoid(2 * z) - 1
''',
            "expm1_odd": '''
def tanh(z):
    z = np.asarray(z, dtype=float)
    u = np.expm1(-2 * np.abs(z))          # e^{-2|z|} - 1, in (-1, 0]
    return np.sign(z) * (-u / (2 + u))
''',
        },
        "mistakes": {
            "definition": _mistake('''
def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
''', "the definition overflows to inf / inf = nan at |z| = 1000", "edge_case"),
            "sigma_of_z": _mistake('''
def _s(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

def tanh(z):
    return 2 * _s(z) - 1
''', "uses 2 sigma(z) - 1, dropping the 2 inside sigma(2z)", "missing_term"),
            "plus_one": _mistake('''
def _s(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

def tanh(z):
    return 2 * _s(2 * z) + 1
''', "writes 2 sigma(2z) + 1 for 2 sigma(2z) - 1", "sign"),
            "one_sided_form": _mistake('''
def tanh(z):
    e = np.exp(-2 * np.asarray(z, dtype=float))
    return (1 - e) / (1 + e)
''', "(1 - e^-2z) / (1 + e^-2z) is safe for z > 0 only: nan at z = -1000", "edge_case"),
        },
        "shortcuts": {},
    },
    "tanh_prime": {
        "valid": {
            "one_minus_square": '''
def tanh_prime(z):
    t = np.tanh(z)
    return 1 - t ** 2
''',
            "factored": '''
def tanh_prime(z):
    t = np.tanh(np.asarray(z, dtype=float))
    return (1 - t) * (1 + t)
''',
            "four_sigma_prime": '''
def tanh_prime(z):
    # tanh(z) = 2 sigma(2z) - 1, so tanh'(z) = 4 sigma'(2z) = 4 e / (1 + e)^2 with e = exp(-2|z|)
    e = np.exp(-2 * np.abs(np.asarray(z, dtype=float)))
    return 4 * e / (1 + e) ** 2
''',
        },
        "mistakes": {
            "forgot_square": _mistake('''
def tanh_prime(z):
    return 1 - np.tanh(z)
''', "1 - tanh(z) without the square", "wrong_function"),
            "plus_square": _mistake('''
def tanh_prime(z):
    return 1 + np.tanh(z) ** 2
''', "1 + tanh^2 instead of 1 - tanh^2", "sign"),
            "z_for_tanh": _mistake('''
def tanh_prime(z):
    return 1 - z ** 2
''', "writes 1 - z^2, using z where tanh(z) belongs", "wrong_function"),
            "chain_rule_half": _mistake('''
def _sp(x):
    e = np.exp(-np.abs(x))
    return e / (1 + e) ** 2

def tanh_prime(z):
    return 2 * _sp(2 * z)
''', "differentiates 2 sigma(2z) - 1 but forgets the inner 2: 2 sigma'(2z)", "factor"),
            "sigmoid_pattern": _mistake('''
def tanh_prime(z):
    t = np.tanh(z)
    return t * (1 - t)
''', "copies the sigmoid's a(1 - a) pattern for tanh", "wrong_function"),
        },
        "shortcuts": {
            "scaled_step": '''
def tanh_prime(z):
    z = np.asarray(z, dtype=float)
    h = 1e-6 * (1 + np.abs(z))          # a step relative to the size of z
    return (np.tanh(z + h) - np.tanh(z - h)) / (2 * h)
''',
            "richardson": '''
def tanh_prime(z):
    z = np.asarray(z, dtype=float)
    def d(h):
        return (np.tanh(z + h) - np.tanh(z - h)) / (2 * h)
    h = 1e-3
    return (4 * d(h / 2) - d(h)) / 3
''',
        },
    },
    "relu": {
        "valid": {
            "average_with_abs": '''
def relu(z):
    z = np.asarray(z, dtype=float)
    return (z + np.abs(z)) / 2
''',
            "where": '''
def relu(z):
    return np.where(z > 0, z, 0.0)
''',
            "mask_multiply": '''
def relu(z):
    z = np.asarray(z, dtype=float)
    return z * (z > 0)
''',
        },
        "mistakes": {
            "np_max": _mistake('''
def relu(z):
    return np.max(z, 0)
''', "np.max(z, 0) reduces along axis 0 instead of comparing with 0", "wrong_axis"),
            "derivative": _mistake('''
def relu(z):
    return (np.asarray(z) > 0) * 1.0
''', "returns the step (ReLU's derivative) instead of ReLU", "wrong_function"),
            "absolute": _mistake('''
def relu(z):
    return np.abs(z)
''', "returns |z|, which is not zero for negative z", "wrong_function"),
            "little_leak": _mistake('''
def relu(z):
    return np.maximum(z, 0.01 * z)
''', "keeps a 0.01 slope on the negative side (leaky ReLU)", "wrong_function"),
        },
        "shortcuts": {},
    },
    "relu_prime": {
        "valid": {
            "bool_mask": '''
def relu_prime(z):
    return np.asarray(z) > 0
''',
            "heaviside_zero": '''
def relu_prime(z):
    return np.heaviside(z, 0.0)
''',
            "sign_shift": '''
def relu_prime(z):
    # sign is -1, 0, 1; (sign + 1) // 2 is 0, 0, 1
    return (np.sign(np.asarray(z, dtype=float)) + 1) // 2
''',
        },
        "mistakes": {
            "ge_zero": _mistake('''
def relu_prime(z):
    return (z >= 0).astype(float)
''', "takes ReLU'(0) = 1 against the course's 0", "edge_case"),
            "heaviside_half": _mistake('''
def relu_prime(z):
    return np.heaviside(z, 0.5)
''', "takes ReLU'(0) = 1/2", "edge_case"),
            "sign": _mistake('''
def relu_prime(z):
    return np.sign(z)
''', "returns sign(z), -1 for negative z", "wrong_function"),
            "returns_relu": _mistake('''
def relu_prime(z):
    return np.maximum(z, 0)
''', "returns ReLU instead of its derivative", "wrong_function"),
        },
        "shortcuts": {
            "backward_difference": '''
def relu_prime(z):
    z = np.asarray(z, dtype=float)
    h = 1e-6
    r = lambda v: np.maximum(v, 0.0)
    return (r(z) - r(z - h)) / h
''',
        },
    },
    "leaky_relu": {
        "valid": {
            "where": '''
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, slope * z)
''',
            "maximum": '''
def leaky_relu(z, slope=0.1):
    return np.maximum(z, slope * z)
''',
            "scale_mask": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    factor = np.ones_like(z)
    factor[z <= 0] = slope
    return z * factor
''',
        },
        "mistakes": {
            "fixed_slope": _mistake('''
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, 0.1 * z)
''', "uses the lecture's 0.1 whatever slope says", "ignored_argument"),
            "max_with_slope": _mistake('''
def leaky_relu(z, slope=0.1):
    return np.maximum(z, slope)
''', "compares z with the slope itself instead of slope * z", "wrong_function"),
            "swapped_sides": _mistake('''
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, slope * z, z)
''', "puts the slope on the positive side", "wrong_function"),
            "minimum": _mistake('''
def leaky_relu(z, slope=0.1):
    return np.minimum(z, slope * z)
''', "takes the minimum of z and slope z", "wrong_function"),
            "negated_leak": _mistake('''
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, -slope * z)
''', "writes -slope * z on the negative side", "sign"),
        },
        "shortcuts": {},
    },
    "leaky_relu_prime": {
        "valid": {
            "where": '''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, slope)
''',
            "blend": '''
def leaky_relu_prime(z, slope=0.1):
    positive = (np.asarray(z) > 0).astype(float)
    return slope + (1 - slope) * positive
''',
        },
        "mistakes": {
            "one_at_zero": _mistake('''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z >= 0, 1.0, slope)
''', "takes the derivative at z = 0 to be 1, not slope", "edge_case"),
            "fixed_slope": _mistake('''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, 0.1)
''', "hard-codes 0.1 for the slope", "ignored_argument"),
            "relu_derivative": _mistake('''
def leaky_relu_prime(z, slope=0.1):
    return (z > 0).astype(float)
''', "returns ReLU's derivative, dropping the leak", "missing_term"),
            "slope_times_z": _mistake('''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, slope * z)
''', "returns slope * z (the function) on the negative side", "wrong_function"),
            "z_on_positive": _mistake('''
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, z, slope)
''', "returns z instead of 1 on the positive side", "wrong_function"),
        },
        "shortcuts": {
            "backward_difference": '''
def leaky_relu_prime(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    f = lambda v: np.where(v > 0, v, slope * v)
    h = 1e-6
    return (f(z) - f(z - h)) / h
''',
        },
    },
    "maxout": {
        "valid": {
            "two_maps": '''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T + b1, X @ W2.T + b2)
''',
            "stacked": '''
def maxout(X, W1, b1, W2, b2):
    pieces = np.stack([X @ W.T + b for W, b in ((W1, b1), (W2, b2))])
    return pieces.max(axis=0)
''',
            "einsum_where": '''
def maxout(X, W1, b1, W2, b2):
    Z1 = np.einsum("mi,oi->mo", X, W1) + b1
    Z2 = np.einsum("mi,oi->mo", X, W2) + b2
    return np.where(Z1 >= Z2, Z1, Z2)
''',
        },
        "mistakes": {
            "no_transpose": _mistake('''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, X @ W2 + b2)
''', "multiplies X @ W without transposing W", "transpose"),
            "no_biases": _mistake('''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T, X @ W2.T)
''', "uses the lecture's max(W1 x, W2 x) and drops the biases", "missing_term"),
            "max_wrong_axis": _mistake('''
def maxout(X, W1, b1, W2, b2):
    pieces = np.stack([X @ W1.T + b1, X @ W2.T + b2])
    return pieces.max(axis=1)
''', "stacks the two maps and takes the max along the examples' axis", "wrong_axis"),
            "sum_of_maps": _mistake('''
def maxout(X, W1, b1, W2, b2):
    return (X @ W1.T + b1) + (X @ W2.T + b2)
''', "adds the two maps instead of keeping the larger", "wrong_function"),
            "bias_after_max": _mistake('''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T, X @ W2.T) + b1
''', "takes the max of the weight products, then adds b1 only", "other"),
        },
        "shortcuts": {},
    },
    "softmax": {
        "valid": {
            "row_shift": '''
def softmax(Z):
    shifted = Z - np.max(Z, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)
''',
            "log_sum_exp": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    top = Z.max(axis=1, keepdims=True)
    lse = top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True))
    return np.exp(Z - lse)
''',
            "row_loop": '''
def softmax(Z):
    out = np.zeros(np.shape(Z))
    for i, row in enumerate(np.asarray(Z, dtype=float)):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out
''',
        },
        "mistakes": {
            "no_shift": _mistake('''
def softmax(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)
''', "no shift: exp(1000) overflows and the row becomes nan", "edge_case"),
            "columns": _mistake('''
def softmax(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
''', "normalises each column instead of each row", "wrong_axis"),
            "no_keepdims": _mistake('''
def softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)
''', "divides by the row sums without keepdims, so they broadcast along the columns", "broadcast"),
            "global_max": _mistake('''
def softmax(Z):
    e = np.exp(Z - np.max(Z))
    return e / e.sum(axis=1, keepdims=True)
''', "subtracts the largest entry of the whole batch, so a row far below it becomes 0/0", "edge_case"),
            "unnormalised": _mistake('''
def softmax(Z):
    return np.exp(Z - Z.max(axis=1, keepdims=True))
''', "forgets to divide by the row sum", "missing_term"),
        },
        "shortcuts": {},
    },
    "softmax_jacobian": {
        "valid": {
            "diag_minus_outer": '''
def softmax_jacobian(a):
    return np.diag(a) - np.outer(a, a)
''',
            "kronecker_loops": '''
def softmax_jacobian(a):
    C = len(a)
    J = np.empty((C, C))
    for i in range(C):
        for j in range(C):
            delta = 1.0 if i == j else 0.0
            J[i, j] = a[i] * (delta - a[j])
    return J
''',
            "broadcast": '''
def softmax_jacobian(a):
    a = np.asarray(a, dtype=float)
    return a[:, None] * (np.eye(a.size) - a[None, :])
''',
        },
        "mistakes": {
            "diagonal_only": _mistake('''
def softmax_jacobian(a):
    return np.diag(a * (1 - a))
''', "keeps only the notes' diagonal a_i (1 - a_i)", "missing_term"),
            "sign_flip": _mistake('''
def softmax_jacobian(a):
    return np.outer(a, a) - np.diag(a)
''', "writes a a^T - diag(a)", "sign"),
            "dot_for_outer": _mistake('''
def softmax_jacobian(a):
    return np.diag(a) - a @ a
''', "uses the scalar a . a where the outer product belongs", "wrong_function"),
            "row_scale_wrong": _mistake('''
def softmax_jacobian(a):
    return a[None, :] * (np.eye(len(a)) - a[None, :])
''', "scales by a_j instead of a_i, so the off-diagonal carries a_j^2", "broadcast"),
        },
        "shortcuts": {
            "numerical_columns": '''
def softmax_jacobian(a):
    a = np.asarray(a, dtype=float)
    z = np.log(a)                       # softmax(log a) = a
    def soft(v):
        e = np.exp(v - v.max())
        return e / e.sum()
    h = 1e-6
    J = np.empty((a.size, a.size))
    for j in range(a.size):
        step = np.zeros(a.size)
        step[j] = h
        J[:, j] = (soft(z + step) - soft(z - step)) / (2 * h)
    return J
''',
        },
    },
    "numerical_gradient": {
        "valid": {
            "copy_per_entry": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        plus = x.copy()
        minus = x.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad
''',
            "restore_saved_value": '''
def numerical_gradient(f, x, h=1e-5):
    g = np.empty(x.shape)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        up = f(x)
        x[i] = saved - h
        down = f(x)
        x[i] = saved                  # exactly the old bits
        g[i] = (up - down) / (2 * h)
    return g
''',
            "nditer": '''
def numerical_gradient(f, x, h=1e-5):
    x0 = np.array(x, dtype=float)
    out = np.zeros(x0.shape)
    it = np.nditer(x0, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        e = np.zeros(x0.shape)
        e[i] = h
        out[i] = (f(x0 + e) - f(x0 - e)) / (2 * h)
        it.iternext()
    return out
''',
        },
        "mistakes": {
            "restore_by_arithmetic": _mistake('''
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        g[i] = (fp - fm) / (2 * h)
    return g
''', "restores x by adding h back, which changes some entries in the last bits", "in_place"),
            "forward_difference": _mistake('''
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(x.shape)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        xp = x.copy()
        xp[i] += h
        g[i] = (f(xp) - f0) / h
    return g
''', "uses the one-sided difference instead of the central one", "wrong_function"),
            "divides_by_h": _mistake('''
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / h
    return g
''', "divides the central difference by h instead of 2h", "factor"),
            "fixed_step": _mistake('''
def numerical_gradient(f, x, h=1e-5):
    step = 1e-5
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += step
        xm[i] -= step
        g[i] = (f(xp) - f(xm)) / (2 * step)
    return g
''', "always steps by 1e-5 whatever h is passed", "ignored_argument"),
            "flat_result": _mistake('''
def numerical_gradient(f, x, h=1e-5):
    flat = x.ravel().copy()
    g = []
    for i in range(flat.size):
        e = np.zeros(flat.size)
        e[i] = h
        g.append((f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h))
    return np.array(g)
''', "returns a flat vector instead of an array shaped like x", "shape"),
            "all_entries_at_once": _mistake('''
def numerical_gradient(f, x, h=1e-5):
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))
''', "steps every entry at once: a directional derivative copied into each entry", "wrong_function"),
            "reversed_difference": _mistake('''
def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xm) - f(xp)) / (2 * h)
    return g
''', "subtracts in the wrong order: f(x - h) - f(x + h)", "sign"),
        },
        "shortcuts": {},
    },
}
