"""Corpus, assignment 1: hand-written answers, valid and mistaken.

``CORPUS[question] = {"valid": {label: source}, "mistakes": {label: (ids that name it, source)},
"advice": {label: source}}``.
An id is a registered mistake's name or a general explanation id of autograder.grading.diagnose.
``advice``: answers whose values are right everywhere and whose only fault is one that no
observation from outside the run can establish (a warning; an argument changed by a rounding
error): they get full marks and an "Advice (no points)" line (docs/design.md, "What a run
says about itself").
"""

CORPUS = {
    "sigmoid": {
        "valid": {
            "masked branches": """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out
""",
            "through tanh": """
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(np.asarray(z) / 2.0))
""",
            "clipped exponent": """
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
""",
        },
        "advice": {
            "np.where evaluates both branches": """
def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
""",
            "naive form warns": """
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
""",
        },
        "mistakes": {
            "sign of the exponent": ("sign of the exponent", """
def sigmoid(z):
    return 1 / (1 + np.exp(z))
"""),
            "1 - sigmoid written out": ("sign of the exponent", """
def sigmoid(z):
    return np.exp(-z) / (1 + np.exp(-z))
"""),
            "second form only": ("case-kind:overflow", """
def sigmoid(z):
    ez = np.exp(z)
    return ez / (1 + ez)
"""),
            "forces 2-D": (("shape:keepdims", "case-kind:vector-input"), """
def sigmoid(z):
    z = np.atleast_2d(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
"""),
        },
    },
    "sigmoid_prime": {
        "valid": {
            "from a stable sigmoid": """
def sigmoid_prime(z):
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - s)
""",
            "closed form in e^-|z|": """
def sigmoid_prime(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return e / (1 + e) ** 2
""",
        },
        "mistakes": {
            "a(1-a) of z": ("a(1-a) of z instead of sigmoid(z)", """
def sigmoid_prime(z):
    return z * (1 - z)
"""),
            "returned sigmoid": ("returned sigmoid itself", """
def sigmoid_prime(z):
    return 0.5 * (1 + np.tanh(z / 2))
"""),
            "the notes' e^z": ("e^z in the sigmoid derivative (notes erratum)", """
def sigmoid_prime(z):
    return np.exp(-z) / (1 + np.exp(z)) ** 2
"""),
            "sign slip": ("factor:sign", """
def sigmoid_prime(z):
    s = 0.5 * (1 + np.tanh(z / 2))
    return s * (s - 1)
"""),
            "tanh's derivative": ("used tanh's derivative", """
def sigmoid_prime(z):
    return 1 - np.tanh(z) ** 2
"""),
        },
    },
    "tanh": {
        "valid": {
            "np.tanh": """
def tanh(z):
    return np.tanh(z)
""",
            "identity with a stable sigmoid": """
def tanh(z):
    x = 2 * np.asarray(z, dtype=float)
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return 2 * s - 1
""",
            "e^-2|z| form": """
def tanh(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-2 * np.abs(z))
    return np.sign(z) * (1 - e) / (1 + e)
""",
        },
        "mistakes": {
            "identity without 2x": ("identity without the 2x", """
def tanh(z):
    return 2 * (0.5 * (1 + np.tanh(z / 2))) - 1
"""),
            "identity without -1": ("identity without the -1", """
def tanh(z):
    return 2 * (0.5 * (1 + np.tanh(z)))
"""),
            "definition overflows": (("unstable tanh", "case-kind:overflow"), """
def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
"""),
            "sigmoid instead": ("returned the sigmoid", """
def tanh(z):
    return 0.5 * (1 + np.tanh(z / 2))
"""),
        },
    },
    "tanh_prime": {
        "valid": {
            "1 - tanh^2": """
def tanh_prime(z):
    return 1 - np.tanh(z) ** 2
""",
            "sech squared": """
def tanh_prime(z):
    return 1 / np.cosh(np.clip(z, -300, 300)) ** 2
""",
            "4 sigma'(2z)": """
def tanh_prime(z):
    e = np.exp(-np.abs(2 * np.asarray(z, dtype=float)))
    return 4 * e / (1 + e) ** 2
""",
        },
        "mistakes": {
            "1 - z^2": ("1 - z^2", """
def tanh_prime(z):
    return 1 - z ** 2
"""),
            "not squared": ("1 - tanh(z)", """
def tanh_prime(z):
    return 1 - np.tanh(z)
"""),
            "sign slip": ("factor:sign", """
def tanh_prime(z):
    return np.tanh(z) ** 2 - 1
"""),
            "returned tanh": ("returned tanh itself", """
def tanh_prime(z):
    return np.tanh(z)
"""),
        },
    },
    "relu": {
        "valid": {
            "np.maximum": """
def relu(z):
    return np.maximum(z, 0)
""",
            "np.where": """
def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)
""",
            "multiply by the mask": """
def relu(z):
    return z * (z > 0)
""",
        },
        "mistakes": {
            "the derivative": ("returned the derivative", """
def relu(z):
    return (z > 0).astype(float)
"""),
            "min": ("min instead of max", """
def relu(z):
    return np.minimum(0, z)
"""),
            "Python max": ("shape:truth-value", """
def relu(z):
    return max(0, z)
"""),
            "np.max reduces": (("reduced over an axis", "shape:many-for-one"), """
def relu(z):
    return np.max(z, 0)
"""),
            "abs": ("returned |z|", """
def relu(z):
    return np.abs(z)
"""),
        },
    },
    "relu_prime": {
        "valid": {
            "astype": """
def relu_prime(z):
    return (np.asarray(z) > 0).astype(np.float64)
""",
            "where": """
def relu_prime(z):
    return np.where(z > 0, 1.0, 0.0)
""",
            "a bool array": """
def relu_prime(z):
    return np.asarray(z) > 0
""",
        },
        "mistakes": {
            ">= at zero": ("derivative 1 at z = 0", """
def relu_prime(z):
    return (z >= 0).astype(float)
"""),
            "returned relu": ("returned relu itself", """
def relu_prime(z):
    return np.maximum(0, z)
"""),
            "sign of z": ("np.sign of z", """
def relu_prime(z):
    return np.sign(z)
"""),
            "Python if": ("shape:truth-value", """
def relu_prime(z):
    if z > 0:
        return 1.0
    return 0.0
"""),
            "heaviside one at zero": ("derivative 1 at z = 0", """
def relu_prime(z):
    return np.heaviside(z, 1.0)
"""),
        },
    },
    "leaky_relu": {
        "valid": {
            "where": """
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, slope * z)
""",
            "maximum (slope < 1)": """
def leaky_relu(z, slope=0.1):
    return np.maximum(z, slope * z)
""",
            "mask arithmetic": """
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    return z * (z > 0) + slope * z * (z <= 0)
""",
        },
        "mistakes": {
            "fixed 0.01": ("wrong leaky slope", """
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, 0.01 * z)
"""),
            "hard-coded 0.1": ("ignored-argument:slope", """
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, z, 0.1 * z)
"""),
            "no leak": ("no leak", """
def leaky_relu(z, slope=0.1):
    return np.maximum(0, z)
"""),
            "default 0.01": ("default slope 0.01", """
def leaky_relu(z, slope=0.01):
    return np.where(z > 0, z, slope * z)
"""),
            "slope on the positive side": ("slope on the wrong side", """
def leaky_relu(z, slope=0.1):
    return np.where(z > 0, slope * z, z)
"""),
        },
    },
    "leaky_relu_prime": {
        "valid": {
            "where": """
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, slope)
""",
            "mask arithmetic": """
def leaky_relu_prime(z, slope=0.1):
    pos = (np.asarray(z) > 0).astype(float)
    return pos + slope * (1 - pos)
""",
        },
        "mistakes": {
            "fixed 0.01": ("wrong leaky slope", """
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, 0.01)
"""),
            ">= at zero": ("derivative 1 at z = 0", """
def leaky_relu_prime(z, slope=0.1):
    return np.where(z >= 0, 1.0, slope)
"""),
            "no leak": ("no leak", """
def leaky_relu_prime(z, slope=0.1):
    return (z > 0).astype(float)
"""),
            "hard-coded 0.1": ("ignored-argument:slope", """
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, 1.0, 0.1)
"""),
            "returned leaky relu": ("returned slope * z", """
def leaky_relu_prime(z, slope=0.1):
    return np.where(z > 0, z, slope * z)
"""),
        },
    },
    "maxout": {
        "valid": {
            "two maps": """
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T + b1, X @ W2.T + b2)
""",
            "stack and max": """
def maxout(X, W1, b1, W2, b2):
    Z = np.stack([X @ W1.T + b1, X @ W2.T + b2])
    return Z.max(axis=0)
""",
            "einsum and where": """
def maxout(X, W1, b1, W2, b2):
    Z1 = np.einsum('mi,oi->mo', X, W1) + b1
    Z2 = np.einsum('mi,oi->mo', X, W2) + b2
    return np.where(Z1 >= Z2, Z1, Z2)
""",
        },
        "mistakes": {
            "no biases (the notes' form)": ("forgot the biases", """
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T, X @ W2.T)
"""),
            "min": ("min instead of max", """
def maxout(X, W1, b1, W2, b2):
    return np.minimum(X @ W1.T + b1, X @ W2.T + b2)
"""),
            "no transpose": (("W taken as (n_in, n_out)", "shape:matmul"), """
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, X @ W2 + b2)
"""),
            "Python max": ("shape:truth-value", """
def maxout(X, W1, b1, W2, b2):
    return max(X @ W1.T + b1, X @ W2.T + b2)
"""),
            "np.max over the wrong axis": ("np.max over an axis", """
def maxout(X, W1, b1, W2, b2):
    return np.max(np.stack([X @ W1.T + b1, X @ W2.T + b2]), axis=1)
"""),
            "sum of the maps": ("added the two maps", """
def maxout(X, W1, b1, W2, b2):
    return (X @ W1.T + b1) + (X @ W2.T + b2)
"""),
        },
    },
    "softmax": {
        "valid": {
            "row max": """
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)
""",
            "log-sum-exp": """
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    M = Z.max(axis=1)[:, None]
    lse = M + np.log(np.exp(Z - M).sum(axis=1))[:, None]
    return np.exp(Z - lse)
""",
            "transposed bookkeeping": """
def softmax(Z):
    T = Z.T - Z.T.max(axis=0)
    E = np.exp(T)
    return (E / E.sum(axis=0)).T
""",
        },
        "mistakes": {
            "unstable": ("unstable softmax", """
def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
"""),
            "columns": ("normalised over columns", """
def softmax(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=0, keepdims=True)
"""),
            "global max": ("subtracted the global maximum", """
def softmax(Z):
    E = np.exp(Z - np.max(Z))
    return E / E.sum(axis=1, keepdims=True)
"""),
            "no keepdims": (("shape:broadcast", "case-kind:rule-at-zero", "sum without keepdims"), """
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1)
"""),
            "sum over everything": ("normalised over the whole batch", """
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum()
"""),
        },
    },
    "softmax_jacobian": {
        "valid": {
            "diag minus outer": """
def softmax_jacobian(a):
    return np.diag(a) - np.outer(a, a)
""",
            "kronecker delta": """
def softmax_jacobian(a):
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    return a[:, None] * (np.eye(n) - a[None, :])
""",
            "loops": """
def softmax_jacobian(a):
    n = len(a)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            J[i, j] = a[i] * ((1.0 if i == j else 0.0) - a[j])
    return J
""",
        },
        "mistakes": {
            "the notes' diagonal": ("diagonal only", """
def softmax_jacobian(a):
    return np.diag(a * (1 - a))
"""),
            "signs flipped": ("sign flipped", """
def softmax_jacobian(a):
    return np.outer(a, a) - np.diag(a)
"""),
            "diagonal term missing": ("diagonal term missing", """
def softmax_jacobian(a):
    return -np.outer(a, a)
"""),
            "the vector": (("the notes' diagonal as a vector", "shape:vector-for-matrix"), """
def softmax_jacobian(a):
    return a * (1 - a)
"""),
            "inner product": ("a a^T as an inner product", """
def softmax_jacobian(a):
    return np.diag(a) - a @ a
"""),
        },
    },
    "numerical_gradient": {
        "valid": {
            "loop with copies": """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(*x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[i] += h
        x_minus[i] -= h
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad
""",
            "np.nditer, restoring the saved value": """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        fxph = f(x)
        x[ix] = old - h
        fxmh = f(x)
        x[ix] = old
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    return grad
""",
            "vectorised over a copy": """
def numerical_gradient(f, x, h=1e-5):
    n = x.size
    steps = h * np.eye(n)
    flat = x.ravel().copy()
    plus = np.array([f((flat + s).reshape(x.shape)) for s in steps])
    minus = np.array([f((flat - s).reshape(x.shape)) for s in steps])
    return ((plus - minus) / (2 * h)).reshape(x.shape)
""",
            "flat view of a copy": """
def numerical_gradient(f, x, h=1e-5):
    work = np.array(x, dtype=float)
    grad = np.empty(work.size)
    for k in range(work.size):
        saved = work.flat[k]
        work.flat[k] = saved + h
        up = f(work)
        work.flat[k] = saved - h
        down = f(work)
        work.flat[k] = saved
        grad[k] = (up - down) / (2.0 * h)
    return grad.reshape(x.shape)
""",
        },
        "mistakes": {
            # decided (issue 26): x must come back bit for bit; the hidden case with a step at each x + h shows it
            "restores x by adding and subtracting h": ("mutated-input", """
def numerical_gradient(f, x, h=1e-5):
    flat = x.reshape(-1)   # a view of x: stepping it steps x
    slopes = np.zeros(flat.size)
    for k in range(flat.size):
        flat[k] += h
        up = f(x)
        flat[k] -= h
        flat[k] -= h
        slopes[k] = (up - f(x)) / (2 * h)
        flat[k] += h       # back where it was, up to rounding
    return slopes.reshape(x.shape)
"""),
            "forward difference": ("forward difference", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        xp = x.copy()
        xp[i] += h
        grad[i] = (f(xp) - fx) / h
    return grad
"""),
            "divided by h": ("divided by h instead of 2h", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / h
    return grad
"""),
            "all entries at once": ("perturbs all entries at once", """
def numerical_gradient(f, x, h=1e-5):
    return np.ones_like(x) * (f(x + h) - f(x - h)) / (2 * h)
"""),
            "all entries at once, one number": ("returns one number", """
def numerical_gradient(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)
"""),
            "never restores x": ("forgets to restore x", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
"""),
            "restores to x - h": ("forgets to restore x", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        a = f(x)
        x[i] = old - h
        b = f(x)
        grad[i] = (a - b) / (2 * h)
    return grad
"""),
            "x_plus = x": ("x_plus = x is not a copy", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x_plus = x
        x_plus[idx] = x_plus[idx] + h
        x_minus = x
        x_minus[idx] = x_minus[idx] - h
        grad[idx] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad
"""),
            "flattened": ("returns the gradient flattened", """
def numerical_gradient(f, x, h=1e-5):
    grad = []
    for i in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp.flat[i] += h
        xm.flat[i] -= h
        grad.append((f(xp) - f(xm)) / (2 * h))
    return np.array(grad)
"""),
            "sign flipped": ("sign flipped", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xm) - f(xp)) / (2 * h)
    return grad
"""),
            "a fixed step": ("ignored-argument:h", """
def numerical_gradient(f, x, h=1e-5):
    step = 1e-5
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += step
        xm[i] -= step
        grad[i] = (f(xp) - f(xm)) / (2 * step)
    return grad
"""),
            "another default step": ("default:h", """
def numerical_gradient(f, x, h=1e-4):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad
"""),
            "rows perturbed at once": ("perturbs a whole row at once", """
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad
"""),
        },
    },
}
