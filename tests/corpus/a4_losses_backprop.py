"""Corpus, assignment 4 (format: see a1_activations.py). `sigmoid`, `relu`, `relu_prime`
and `softmax` are given."""

CORPUS = {
    "mse": {
        "valid": {
            "sum then mean": """
def mse(Y_hat, Y):
    return float(np.mean(0.5 * np.sum((Y_hat - Y) ** 2, axis=1)))
""",
            "numpy scalar": """
def mse(Y_hat, Y):
    m = Y.shape[0]
    return 0.5 * np.sum((Y - Y_hat) ** 2) / m
""",
            "a one-element array": """
def mse(Y_hat, Y):
    r = (Y_hat - Y).ravel()
    return np.array([r @ r / (2 * Y.shape[0])])
""",
        },
        "mistakes": {
            "no 1/2 (the notes)": (("no 1/2", "factor:2"), """
def mse(Y_hat, Y):
    return float(np.mean(np.sum((Y_hat - Y) ** 2, axis=1)))
"""),
            "np.mean of everything": ("averaged over the output units too", """
def mse(Y_hat, Y):
    return 0.5 * np.mean((Y_hat - Y) ** 2)
"""),
            "sum over rows": (("summed over the examples", "factor:m"), """
def mse(Y_hat, Y):
    return 0.5 * np.sum((Y_hat - Y) ** 2)
"""),
            "per-example losses": (("returned the per-example losses", "shape:many-for-one"), """
def mse(Y_hat, Y):
    return 0.5 * np.sum((Y_hat - Y) ** 2, axis=1)
"""),
        },
    },
    "mse_gradient": {
        "valid": {
            "residual over m": """
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y.shape[0]
""",
            "minus (y - y_hat)": """
def mse_gradient(Y_hat, Y):
    return -(Y - Y_hat) / len(Y)
""",
        },
        "mistakes": {
            "no 1/m": (("forgot 1/m", "factor:m"), """
def mse_gradient(Y_hat, Y):
    return Y_hat - Y
"""),
            "dL/dY (the notes)": (("sign flipped", "factor:sign"), """
def mse_gradient(Y_hat, Y):
    return (Y - Y_hat) / Y.shape[0]
"""),
            "factor 2": (("no 1/2", "factor:2"), """
def mse_gradient(Y_hat, Y):
    return 2 * (Y_hat - Y) / Y.shape[0]
"""),
            "over all entries": ("averaged over the output units too", """
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y.size
"""),
        },
    },
    "huber": {
        "valid": {
            "where": """
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    per_entry = np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c))
    return float(per_entry.sum(axis=1).mean())
""",
            "min trick": """
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    q = np.minimum(r, c)
    return np.sum(0.5 * q ** 2 + c * (r - q)) / Y.shape[0]
""",
        },
        "mistakes": {
            "quadratic everywhere": ("quadratic everywhere", """
def huber(Y_hat, Y, c=1.0):
    return float(np.mean(np.sum(0.5 * (Y_hat - Y) ** 2, axis=1)))
"""),
            "np.mean of everything": ("averaged over the output units too", """
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return np.mean(np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c)))
"""),
            "linear part c|r|": ("linear part without -c/2", """
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return np.sum(np.where(r <= c, 0.5 * r ** 2, c * r)) / Y.shape[0]
"""),
            "c fixed at 1": ("ignored-argument:c", """
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return np.sum(np.where(r <= 1.0, 0.5 * r ** 2, r - 0.5)) / Y.shape[0]
"""),
            "sum over rows": (("summed over the examples", "factor:m"), """
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return np.sum(np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c)))
"""),
        },
    },
    "huber_gradient": {
        "valid": {
            "clip": """
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c) / Y.shape[0]
""",
            "where": """
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, c * np.sign(r)) / len(Y)
""",
        },
        "mistakes": {
            'mean over every entry': (('factor:1/n',), """
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c) / Y.size
"""),
            "no 1/m": (("forgot 1/m", "factor:m"), """
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c)
"""),
            "sign": (("sign flipped", "factor:sign"), """
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y - Y_hat, -c, c) / Y.shape[0]
"""),
            "not clipped": ("not clipped", """
def huber_gradient(Y_hat, Y, c=1.0):
    return (Y_hat - Y) / Y.shape[0]
"""),
            "clipped to [-1, 1]": ("ignored-argument:c", """
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -1, 1) / Y.shape[0]
"""),
        },
    },
    "pseudo_huber": {
        "valid": {
            "formula": """
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1), axis=1)))
""",
            "c (sqrt(c^2 + r^2) - c)": """
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.sum(c * (np.sqrt(c * c + r * r) - c)) / Y.shape[0]
""",
        },
        "mistakes": {
            "no c^2": ("forgot c^2", """
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.sum(np.sqrt(1 + (r / c) ** 2) - 1) / Y.shape[0]
"""),
            "np.mean of everything": ("averaged over the output units too", """
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.mean(c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1))
"""),
            "no -1": ("forgot the -1", """
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.sum(c ** 2 * np.sqrt(1 + (r / c) ** 2)) / Y.shape[0]
"""),
            "c fixed at 1": ("ignored-argument:c", """
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.sum(np.sqrt(1 + r ** 2) - 1) / Y.shape[0]
"""),
        },
    },
    "pseudo_huber_gradient": {
        "valid": {
            "formula": """
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2) / Y.shape[0]
""",
            "c r / sqrt(c^2 + r^2)": """
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return c * r / np.sqrt(c ** 2 + r ** 2) / len(Y)
""",
        },
        "mistakes": {
            'mean over every entry': (('factor:1/n',), """
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2) / Y.size
"""),
            "no 1/m": (("forgot 1/m", "factor:m"), """
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2)
"""),
            "sign": (("sign flipped", "factor:sign"), """
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y - Y_hat
    return r / np.sqrt(1 + (r / c) ** 2) / Y.shape[0]
"""),
            "no square root": ("forgot the square root", """
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / (1 + (r / c) ** 2) / Y.shape[0]
"""),
            "c fixed at 1": ("ignored-argument:c", """
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + r ** 2) / Y.shape[0]
"""),
        },
    },
    "bce": {
        "valid": {
            "clip then formula": """
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
""",
            "clip the log arguments": """
def bce(Y_hat, Y):
    eps = 1e-12
    return -np.sum(Y * np.log(np.maximum(Y_hat, eps)) + (1 - Y) * np.log(np.maximum(1 - Y_hat, eps))) / len(Y)
""",
            "log1p": """
def bce(Y_hat, Y):
    eps = 1e-12
    P = np.clip(Y_hat, eps, 1 - eps)
    return -np.sum(Y * np.log(P) + (1 - Y) * np.log1p(-P)) / Y.shape[0]
""",
        },
        "mistakes": {
            "no clip": (("unstable log", "case-kind:clipping"), """
def bce(Y_hat, Y):
    return float(np.mean(-np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat), axis=1)))
"""),
            "no minus": (("forgot the minus", "factor:sign"), """
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
"""),
            "np.mean of everything": ("averaged over the output units too", """
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P))
"""),
            "struck term (the notes)": ("dropped the (1 - y) term (notes erratum)", """
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(-np.sum(Y * np.log(P), axis=1)))
"""),
            "sklearn's epsilon": (("clipped to 1e-15", "case-kind:clipping"), """
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-15, 1 - 1e-15)
    return float(np.mean(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
"""),
        },
    },
    "bce_gradient": {
        "valid": {
            "two terms": """
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (-Y / P + (1 - Y) / (1 - P)) / Y.shape[0]
""",
            "guard each denominator": """
def bce_gradient(Y_hat, Y):
    eps = 1e-12
    return (-Y / np.maximum(Y_hat, eps) + (1 - Y) / np.maximum(1 - Y_hat, eps)) / Y.shape[0]
""",
            "one fraction": """
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (P - Y) / (P * (1 - P)) / len(Y)
""",
        },
        "mistakes": {
            "no 1/m": (("forgot 1/m", "factor:m"), """
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P + (1 - Y) / (1 - P)
"""),
            "sign": (("sign flipped", "factor:sign"), """
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (Y / P - (1 - Y) / (1 - P)) / Y.shape[0]
"""),
            "no clip": (("not clipped", "case-kind:clipping"), """
def bce_gradient(Y_hat, Y):
    return (-Y / Y_hat + (1 - Y) / (1 - Y_hat)) / Y.shape[0]
"""),
            "struck term (the notes)": ("dropped the (1 - y) term (notes erratum)", """
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P / Y.shape[0]
"""),
            "keras' epsilon": (("clipped to 1e-07", "case-kind:clipping"), """
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-7, 1 - 1e-7)
    return (-Y / P + (1 - Y) / (1 - P)) / Y.shape[0]
"""),
        },
    },
    "cce": {
        "valid": {
            "clip then sum": """
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P), axis=1).mean())
""",
            "pick the true class": """
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    m = Y.shape[0]
    return -np.log(P[np.arange(m), Y.argmax(axis=1)]).mean()
""",
        },
        "mistakes": {
            'log of the picked probability, doubled': (('factor:2',), """
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -2 * np.log(np.sum(Y * P, axis=1)).mean()
"""),
            "no clip": (("unstable log", "case-kind:clipping"), """
def cce(Y_hat, Y):
    return float(-np.sum(Y * np.log(Y_hat), axis=1).mean())
"""),
            "no minus": (("forgot the minus", "factor:sign"), """
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(np.sum(Y * np.log(P), axis=1).mean())
"""),
            "np.mean of everything": ("averaged over the output units too", """
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -np.mean(Y * np.log(P))
"""),
            "sum over rows": (("summed over the examples", "factor:m"), """
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -np.sum(Y * np.log(P))
"""),
            "sklearn's epsilon": (("clipped to 1e-15", "case-kind:clipping"), """
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-15, 1 - 1e-15)
    return float(-np.sum(Y * np.log(P), axis=1).mean())
"""),
        },
    },
    "cce_gradient": {
        "valid": {
            "clip": """
def cce_gradient(Y_hat, Y):
    return -Y / np.clip(Y_hat, 1e-12, 1 - 1e-12) / Y.shape[0]
""",
            "where": """
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1.0 - 1e-12)
    return np.where(Y > 0, -Y / P, 0.0) / len(Y)
""",
        },
        "mistakes": {
            "no 1/m": (("forgot 1/m", "factor:m"), """
def cce_gradient(Y_hat, Y):
    return -Y / np.clip(Y_hat, 1e-12, 1 - 1e-12)
"""),
            "sign": (("sign flipped", "factor:sign"), """
def cce_gradient(Y_hat, Y):
    return Y / np.clip(Y_hat, 1e-12, 1 - 1e-12) / Y.shape[0]
"""),
            "no clip": (("unstable division", "case-kind:clipping"), """
def cce_gradient(Y_hat, Y):
    return -Y / Y_hat / Y.shape[0]
"""),
            "keras' epsilon": (("clipped to 1e-07", "case-kind:clipping"), """
def cce_gradient(Y_hat, Y):
    return -Y / np.clip(Y_hat, 1e-7, 1 - 1e-7) / Y.shape[0]
"""),
        },
    },
    "delta_mse_linear": {
        "valid": {
            "a - y": """
def delta_mse_linear(A, Y):
    return A - Y
""",
            "minus (y - a), float copy": """
def delta_mse_linear(A, Y):
    return -(np.asarray(Y, dtype=float) - A)
""",
        },
        "mistakes": {
            "y - a": (("sign flipped", "factor:sign"), """
def delta_mse_linear(A, Y):
    return Y - A
"""),
            "over m": (("divided by m", "factor:1/m"), """
def delta_mse_linear(A, Y):
    return (A - Y) / A.shape[0]
"""),
            "factor 2": (("factor 2 from (y - a)^2", "factor:2"), """
def delta_mse_linear(A, Y):
    return 2 * (A - Y)
"""),
            "squared": ("squared the residual", """
def delta_mse_linear(A, Y):
    return (A - Y) ** 2
"""),
        },
    },
    "delta_mse_sigmoid": {
        "valid": {
            "a (1 - a)": """
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)
""",
            "a - a^2": """
def delta_mse_sigmoid(A, Y):
    return (A - Y) * (A - A ** 2)
""",
        },
        "mistakes": {
            "y - a": (("sign flipped", "factor:sign"), """
def delta_mse_sigmoid(A, Y):
    return (Y - A) * A * (1 - A)
"""),
            "over m": (("divided by m", "factor:1/m"), """
def delta_mse_sigmoid(A, Y):
    return (A - Y) * A * (1 - A) / len(A)
"""),
            "no sigma'": ("forgot sigma'(z)", """
def delta_mse_sigmoid(A, Y):
    return A - Y
"""),
            "sigmoid of A": ("sigma applied again", """
def delta_mse_sigmoid(A, Y):
    s = sigmoid(A)
    return (A - Y) * s * (1 - s)
"""),
            "(1 - a) only": ("sigma'(z) without the a", """
def delta_mse_sigmoid(A, Y):
    return (A - Y) * (1 - A)
"""),
        },
    },
    "delta_bce_sigmoid": {
        "valid": {
            "a - y": """
def delta_bce_sigmoid(A, Y):
    return A - Y
""",
            "the chain rule, cancelled numerically": """
def delta_bce_sigmoid(A, Y):
    dl_da = -Y / A + (1 - Y) / (1 - A)
    return dl_da * A * (1 - A)
""",
        },
        "mistakes": {
            "y - a": (("sign flipped", "factor:sign"), """
def delta_bce_sigmoid(A, Y):
    return Y - A
"""),
            "over m": (("divided by m", "factor:1/m"), """
def delta_bce_sigmoid(A, Y):
    return (A - Y) / A.shape[0]
"""),
            "MSE delta": ("MSE delta with cross-entropy", """
def delta_bce_sigmoid(A, Y):
    return (A - Y) * A * (1 - A)
"""),
            "dL/da only": ("dL/da only", """
def delta_bce_sigmoid(A, Y):
    return -Y / A + (1 - Y) / (1 - A)
"""),
        },
    },
    "delta_cce_softmax": {
        "valid": {
            "a - y": """
def delta_cce_softmax(A, Y):
    return A - Y
""",
            "subtract one at the label": """
def delta_cce_softmax(A, Y):
    D = np.array(A, dtype=float)
    D[Y == 1] -= 1.0
    return D
""",
        },
        "mistakes": {
            "y - a": (("sign flipped", "factor:sign"), """
def delta_cce_softmax(A, Y):
    return Y - A
"""),
            "over m": (("divided by m", "factor:1/m"), """
def delta_cce_softmax(A, Y):
    return (A - Y) / len(Y)
"""),
            "MSE delta": ("MSE delta with cross-entropy", """
def delta_cce_softmax(A, Y):
    return (A - Y) * A * (1 - A)
"""),
            "dL/da only": ("dL/da only", """
def delta_cce_softmax(A, Y):
    return -Y / A
"""),
        },
    },
    "delta_huber_linear": {
        "valid": {
            "clip": """
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -c, c)
""",
            "where": """
def delta_huber_linear(A, Y, c=1.0):
    r = A - Y
    return np.where(np.abs(r) <= c, r, c * np.sign(r))
""",
        },
        "mistakes": {
            'default c = 0.5': (('default:c',), """
def delta_huber_linear(A, Y, c=0.5):
    return np.clip(A - Y, -c, c)
"""),
            "y - a": (("sign flipped", "factor:sign"), """
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(Y - A, -c, c)
"""),
            "over m": (("divided by m", "factor:1/m"), """
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -c, c) / A.shape[0]
"""),
            "not clipped": ("not clipped", """
def delta_huber_linear(A, Y, c=1.0):
    return A - Y
"""),
            "clipped to [-1, 1]": ("ignored-argument:c", """
def delta_huber_linear(A, Y, c=1.0):
    return np.clip(A - Y, -1.0, 1.0)
"""),
        },
    },
    "delta_pseudo_huber_linear": {
        "valid": {
            "formula": """
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + (r / c) ** 2)
""",
            "c r / sqrt(c^2 + r^2)": """
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return c * r / np.sqrt(c * c + r * r)
""",
        },
        "mistakes": {
            "y - a": (("sign flipped", "factor:sign"), """
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = Y - A
    return r / np.sqrt(1 + (r / c) ** 2)
"""),
            "over m": (("divided by m", "factor:1/m"), """
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + (r / c) ** 2) / A.shape[0]
"""),
            "no square root": ("forgot the square root", """
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / (1 + (r / c) ** 2)
"""),
            "c fixed at 1": ("ignored-argument:c", """
def delta_pseudo_huber_linear(A, Y, c=1.0):
    r = A - Y
    return r / np.sqrt(1 + r ** 2)
"""),
        },
    },
    "hidden_delta": {
        "valid": {
            "matmul": """
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) * g_prime_Z
""",
            "column form transposed back": """
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (W_next.T @ delta_next.T).T * g_prime_Z
""",
        },
        "mistakes": {
            "no g'": ("forgot g'(z)", """
def hidden_delta(delta_next, W_next, g_prime_Z):
    return delta_next @ W_next
"""),
            "note 004's W delta": (("used note 004's (n_in, n_out) convention", "shape:matmul"), """
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next.T) * g_prime_Z
"""),
            "added g'": ("added g'(z)", """
def hidden_delta(delta_next, W_next, g_prime_Z):
    return delta_next @ W_next + g_prime_Z
"""),
            "matrix product with g'": ("matrix product with g'(z)", """
def hidden_delta(delta_next, W_next, g_prime_Z):
    return (delta_next @ W_next) @ g_prime_Z.T
"""),
        },
    },
    "layer_gradients": {
        "valid": {
            "matmul and mean": """
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, delta.mean(axis=0)
""",
            "per-example outer products": """
def layer_gradients(delta, A_prev):
    m = len(delta)
    dW = sum(np.outer(d, a) for d, a in zip(delta, A_prev)) / m
    db = np.sum(delta, axis=0) / m
    return [dW, db]
""",
        },
        "mistakes": {
            "no 1/m": (("forgot 1/m", "factor:m"), """
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev, delta.sum(axis=0)
"""),
            "dW without 1/m (the notes)": ("dW without 1/m (notes erratum)", """
def layer_gradients(delta, A_prev):
    return delta.T @ A_prev, delta.mean(axis=0)
"""),
            "db summed (the notes)": ("db summed (notes erratum)", """
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, np.sum(delta, axis=0)
"""),
            "note 004's a delta^T": (("used note 004's (n_in, n_out) convention", "shape:transposed"), """
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return A_prev.T @ delta / m, delta.mean(axis=0)
"""),
            "db as delta, the (m, n_out) matrix": ("db not reduced over the examples", """
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, delta
"""),
            "db keepdims": ("shape:keepdims", """
def layer_gradients(delta, A_prev):
    m = delta.shape[0]
    return delta.T @ A_prev / m, delta.mean(axis=0, keepdims=True)
"""),
        },
    },
    "backprop": {
        "valid": {
            "cache and loop": """
def backprop(X, Y, params):
    As, Zs = [X], []
    for l, (W, b) in enumerate(params):
        Z = As[-1] @ W.T + b
        Zs.append(Z)
        As.append(softmax(Z) if l == len(params) - 1 else relu(Z))
    m = X.shape[0]
    delta = As[-1] - Y
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        grads[l] = (delta.T @ As[l] / m, delta.mean(axis=0))
        if l > 0:
            delta = (delta @ params[l][0]) * relu_prime(Zs[l - 1])
    return grads
""",
            "insert at the front": """
def backprop(X, Y, params):
    acts, pre = [X], []
    A = X
    for W, b in params[:-1]:
        Z = A @ W.T + b
        pre.append(Z)
        A = np.maximum(Z, 0)
        acts.append(A)
    W, b = params[-1]
    Z = A @ W.T + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    delta = E / E.sum(axis=1, keepdims=True) - Y
    out = []
    for l in reversed(range(len(params))):
        out.insert(0, (np.dot(delta.T, acts[l]) / len(X), np.mean(delta, axis=0)))
        if l:
            delta = np.dot(delta, params[l][0]) * (pre[l - 1] > 0)
    return out
""",
            "with the parts above": """
def backprop(X, Y, params):
    cache = [(None, X)]
    for l, (W, b) in enumerate(params):
        Z = cache[-1][1] @ W.T + b
        cache.append((Z, softmax(Z) if l == len(params) - 1 else relu(Z)))
    delta = delta_cce_softmax(cache[-1][1], Y)
    grads = []
    for l in reversed(range(len(params))):
        grads = [layer_gradients(delta, cache[l][1])] + grads
        if l:
            delta = hidden_delta(delta, params[l][0], relu_prime(cache[l][0]))
    return grads
""",
        },
        "mistakes": {},
    },
    "predict_classes": {
        "valid": {
            "argmax": """
def predict_classes(A):
    return np.argmax(A, axis=1)
""",
            "a list of ints": """
def predict_classes(A):
    return [int(np.argmax(row)) for row in A]
""",
        },
        "mistakes": {
            "axis 0": ("argmax over the wrong axis", """
def predict_classes(A):
    return np.argmax(A, axis=0)
"""),
            "last maximum": ("ties broken to the last", """
def predict_classes(A):
    return A.shape[1] - 1 - np.argmax(A[:, ::-1], axis=1)
"""),
            "max probability": ("returned the largest probability", """
def predict_classes(A):
    return np.max(A, axis=1)
"""),
            "no axis": ("argmax of the whole array", """
def predict_classes(A):
    return np.argmax(A)
"""),
            "float classes": ("type:int-expected", """
def predict_classes(A):
    return np.argmax(A, axis=1).astype(float)
"""),
        },
    },
}

CORPUS["gradient_errors"] = {
    "valid": {
        "helper with a guard": """
def gradient_errors(analytic, numeric):
    def err(a, n):
        scale = np.max(np.abs(a) + np.abs(n))
        return 0.0 if scale == 0 else float(np.max(np.abs(a - n)) / scale)
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
""",
        "loop with a tiny floor": """
def gradient_errors(analytic, numeric):
    out = []
    for l in range(len(analytic)):
        pair = []
        for k in range(2):
            a, n = np.asarray(analytic[l][k]), np.asarray(numeric[l][k])
            pair.append(np.abs(a - n).max() / max((np.abs(a) + np.abs(n)).max(), 1e-300))
        out.append(tuple(pair))
    return out
""",
        "ravel and a list": """
def gradient_errors(analytic, numeric):
    result = []
    for grads_a, grads_n in zip(analytic, numeric):
        errs = []
        for a, n in zip(grads_a, grads_n):
            a, n = a.ravel(), n.ravel()
            top = np.max(np.abs(a) + np.abs(n))
            errs.append(np.max(np.abs(a - n)) / top if top > 0 else 0.0)
        result.append(errs)
    return result
""",
    },
    "mistakes": {
        "CS231n's norms": ("norms instead of the max", """
def gradient_errors(analytic, numeric):
    def err(a, n):
        top = np.linalg.norm(a) + np.linalg.norm(n)
        return 0.0 if top == 0 else np.linalg.norm(a - n) / top
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
"""),
        "relative to the analytic one": ("relative to the analytic gradient only", """
def gradient_errors(analytic, numeric):
    def err(a, n):
        return np.max(np.abs(a - n)) / np.max(np.abs(a))
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
"""),
        "0/0 for dead layers": ("no guard for zero gradients", """
def gradient_errors(analytic, numeric):
    return [(np.max(np.abs(dW - nW)) / np.max(np.abs(dW) + np.abs(nW)),
             np.max(np.abs(db - nb)) / np.max(np.abs(db) + np.abs(nb)))
            for (dW, db), (nW, nb) in zip(analytic, numeric)]
"""),
        "b before W": ("(err_b, err_W) swapped", """
def gradient_errors(analytic, numeric):
    def err(a, n):
        scale = np.max(np.abs(a) + np.abs(n))
        return 0.0 if scale == 0 else np.max(np.abs(a - n)) / scale
    return [(err(db, nb), err(dW, nW)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
"""),
        "means": ("mean instead of the max", """
def gradient_errors(analytic, numeric):
    def err(a, n):
        scale = np.mean(np.abs(a) + np.abs(n))
        return 0.0 if scale == 0 else np.mean(np.abs(a - n)) / scale
    return [(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
"""),
        "one error per layer": ("type:sequence-expected", """
def gradient_errors(analytic, numeric):
    def err(a, n):
        scale = np.max(np.abs(a) + np.abs(n))
        return 0.0 if scale == 0 else np.max(np.abs(a - n)) / scale
    return [max(err(dW, nW), err(db, nb)) for (dW, db), (nW, nb) in zip(analytic, numeric)]
"""),
    },
}

BACKPROP = """
def backprop(X, Y, params):
    As, Zs = [X], []
    for l, (W, b) in enumerate(params):
        Z = As[-1] @ W.T + b
        Zs.append(Z)
        As.append(softmax(Z) if l == len(params) - 1 else relu(Z))
    m = X.shape[0]
    delta = {delta}
    grads = []
    for l in range(len(params) - 1, -1, -1):
        grads.append(({dW}, {db}))
        if l > 0:
            delta = {hidden}
    return {result}
"""
_RIGHT = dict(delta="As[-1] - Y", dW="delta.T @ As[l] / m", db="delta.mean(axis=0)",
              hidden="(delta @ params[l][0]) * relu_prime(Zs[l - 1])", result="grads[::-1]")


def _backprop(**pieces) -> str:
    return BACKPROP.format(**{**_RIGHT, **pieces})


CORPUS["backprop"]["mistakes"] = {
    "no 1/m": (("forgot 1/m", "factor:m"), _backprop(dW="delta.T @ As[l]", db="delta.sum(axis=0)")),
    "MSE delta": ("MSE delta with cross-entropy", _backprop(delta="(As[-1] - Y) * As[-1] * (1 - As[-1])")),
    "no relu'": ("forgot relu'(z)", _backprop(hidden="delta @ params[l][0]")),
    "y - a": (("sign flipped", "factor:sign"), _backprop(delta="Y - As[-1]")),
    "dW without 1/m (the notes)": ("dW without 1/m (notes erratum)", _backprop(dW="delta.T @ As[l]")),
    "db summed (the notes)": ("db summed (notes erratum)", _backprop(db="delta.sum(axis=0)")),
    "note 004's convention": (("used note 004's (n_in, n_out) convention", "shape:transposed"),
                              _backprop(dW="As[l].T @ delta / m")),
    "reverse order": ("layers in reverse order", _backprop(result="grads")),
}
