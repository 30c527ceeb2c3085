"""Corpus, assignment 6 (format: see a1_activations.py). The notebook's given code (``relu``,
``softmax``, ``cross_entropy``, ``mlp_scores``, ``mlp_gradients``) and the solution's answers run
before these, so an answer may call ``batchnorm_backward`` or ``dropout_forward`` as a student's
would call their own."""

CORPUS = {
    "l2_penalty": {
        "valid": {
            "sum of squares": """
def l2_penalty(params, lam, m):
    return float(lam / (2 * m) * sum(np.sum(W ** 2) for W, b in params))
""",
            "Frobenius norms squared": """
def l2_penalty(params, lam, m):
    total = 0.0
    for W, _ in params:
        total += np.linalg.norm(W) ** 2
    return lam * total / 2 / m
""",
            "dot of the flattened weights": """
def l2_penalty(params, lam, m):
    flat = np.concatenate([W.ravel() for W, b in params])
    return 0.5 * lam / m * flat @ flat
""",
        },
        "mistakes": {
            "biases too": ("penalised the biases", """
def l2_penalty(params, lam, m):
    return lam / (2 * m) * sum(np.sum(W ** 2) + np.sum(b ** 2) for W, b in params)
"""),
            "lambda over m": (("no 1/2", "factor:2"), """
def l2_penalty(params, lam, m):
    return lam / m * sum(np.sum(W * W) for W, b in params)
"""),
            "forgot m": ("no 1/m", """
def l2_penalty(params, lam, m):
    return lam / 2 * sum(np.sum(W ** 2) for W, b in params)
"""),
            "norms, not squared": ("norms not squared", """
def l2_penalty(params, lam, m):
    return lam / (2 * m) * sum(np.linalg.norm(W) for W, b in params)
"""),
            "np.mean per layer": ("mean of the squares", """
def l2_penalty(params, lam, m):
    return lam / (2 * m) * sum(np.mean(W ** 2) for W, b in params)
"""),
            "the sum overwritten in the loop": ("only the last layer", """
def l2_penalty(params, lam, m):
    for W, b in params:
        total = np.sum(W ** 2)
    return lam / (2 * m) * total
"""),
        },
    },
    "l2_gradients": {
        "valid": {
            "zeros for the biases": """
def l2_gradients(params, lam, m):
    return [(lam / m * W, np.zeros_like(b)) for W, b in params]
""",
            "a loop, b * 0": """
def l2_gradients(params, lam, m):
    grads = []
    for W, b in params:
        grads.append((W * (lam / m), 0.0 * b))
    return grads
""",
        },
        "mistakes": {
            "decays the biases too": ("L2 on the biases", """
def l2_gradients(params, lam, m):
    return [(lam / m * W, lam / m * b) for W, b in params]
"""),
            "2 lambda / m": (("no 1/2", "outputs:dW1 2"), """
def l2_gradients(params, lam, m):
    return [(2 * lam / m * W, np.zeros_like(b)) for W, b in params]
"""),
            "forgot m": ("no 1/m", """
def l2_gradients(params, lam, m):
    return [(lam * W, np.zeros_like(b)) for W, b in params]
"""),
            "the penalty's factor": (("the penalty's factor", "outputs:dW1 1/2"), """
def l2_gradients(params, lam, m):
    return [(lam / (2 * m) * W, np.zeros_like(b)) for W, b in params]
"""),
        },
    },
    "momentum_step": {
        "valid": {
            "two lines": """
def momentum_step(w, dw, v, lr, beta=0.9):
    v = beta * v + dw
    return w - lr * v, v
""",
            "copies": """
def momentum_step(w, dw, v, lr, beta=0.9):
    v_new = v.copy()
    v_new *= beta
    v_new += dw
    w_new = w.copy()
    w_new -= lr * v_new
    return (w_new, v_new)
""",
        },
        "mistakes": {
            "exponential average": ("dampened gradient (1 - beta) dw", """
def momentum_step(w, dw, v, lr, beta=0.9):
    v = beta * v + (1 - beta) * dw
    return w - lr * v, v
"""),
            "old velocity": ("stepped with the old velocity", """
def momentum_step(w, dw, v, lr, beta=0.9):
    w_new = w - lr * v
    return w_new, beta * v + dw
"""),
            "CS231n's velocity": ("velocity with the learning rate inside (CS231n's form)", """
def momentum_step(w, dw, v, lr, beta=0.9):
    v = beta * v - lr * dw
    return w + v, v
"""),
            "beta fixed at 0.9": (("ignored-argument:beta", "default:beta"), """
def momentum_step(w, dw, v, lr, beta=0.9):
    v = 0.9 * v + dw
    return w - lr * v, v
"""),
            "in place": ("mutated-input", """
def momentum_step(w, dw, v, lr, beta=0.9):
    v *= beta
    v += dw
    w -= lr * v
    return w, v
"""),
        },
    },
    "adam_step": {
        "valid": {
            "as in the paper": """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
""",
            "the step size folded (eps rescaled)": """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * dw
    v_new = beta2 * v + (1 - beta2) * np.square(dw)
    c2 = 1 - beta2 ** t
    step = lr * np.sqrt(c2) / (1 - beta1 ** t)
    return w - step * m_new / (np.sqrt(v_new) + eps * np.sqrt(c2)), m_new, v_new
""",
        },
        "mistakes": {
            "no bias correction": ("no bias correction", """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    return w - lr * m / (np.sqrt(v) + eps), m, v
"""),
            "eps inside the root": ("eps inside the square root", """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m, v
"""),
            "state is the corrected moments": ("returned the corrected moments", """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = (beta1 * m + (1 - beta1) * dw) / (1 - beta1 ** t)
    v = (beta2 * v + (1 - beta2) * dw ** 2) / (1 - beta2 ** t)
    return w - lr * m / (np.sqrt(v) + eps), m, v
"""),
            "t counted from 0": ("bias correction with t + 1", """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v
"""),
            "v not corrected": ("only m bias-corrected", """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    return w - lr * m / (1 - beta1 ** t) / (np.sqrt(v) + eps), m, v
"""),
            "betas swapped": ("betas swapped", """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta2 * m + (1 - beta2) * dw
    v = beta1 * v + (1 - beta1) * dw ** 2
    return w - lr * (m / (1 - beta2 ** t)) / (np.sqrt(v / (1 - beta1 ** t)) + eps), m, v
"""),
            "eps fixed": (("ignored-argument:eps", "default:eps"), """
def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + 1e-8), m, v
"""),
        },
    },
    "dropout_forward": {
        "valid": {
            "where": """
def dropout_forward(X, keep_prob, mask, training):
    if training:
        return np.where(mask == 1, X / keep_prob, 0.0)
    return X
""",
            "one line": """
def dropout_forward(X, keep_prob, mask, training):
    return X * mask / keep_prob if training else X.copy()
""",
        },
        "mistakes": {
            "scaled at test time": ("scaled at test time instead of training", """
def dropout_forward(X, keep_prob, mask, training):
    if training:
        return X * mask
    return X * keep_prob
"""),
            "mask always": ("mask applied at test time", """
def dropout_forward(X, keep_prob, mask, training):
    return X * mask / keep_prob
"""),
            "times keep_prob": ("multiplied by keep_prob", """
def dropout_forward(X, keep_prob, mask, training):
    return X * mask * keep_prob if training else X
"""),
            "the dropped units": ("kept the dropped units", """
def dropout_forward(X, keep_prob, mask, training):
    if not training:
        return X
    return X * (mask == 0) / keep_prob
"""),
            "never scaled": ("not divided by keep_prob", """
def dropout_forward(X, keep_prob, mask, training):
    return X * mask if training else X
"""),
        },
    },
    "dropout_backward": {
        "valid": {
            "the same as forward": """
def dropout_backward(dout, keep_prob, mask):
    return dout * mask / keep_prob
""",
            "where": """
def dropout_backward(dout, keep_prob, mask):
    return np.where(mask > 0, dout / keep_prob, 0.0)
""",
        },
        "mistakes": {
            "no mask": ("forgot the mask", """
def dropout_backward(dout, keep_prob, mask):
    return dout / keep_prob
"""),
            "no scaling": ("forgot 1/keep_prob", """
def dropout_backward(dout, keep_prob, mask):
    return dout * mask
"""),
            "times keep_prob": ("multiplied by keep_prob", """
def dropout_backward(dout, keep_prob, mask):
    return dout * mask * keep_prob
"""),
            "through the dropped units": ("kept the dropped units", """
def dropout_backward(dout, keep_prob, mask):
    return np.where(mask == 0, dout, 0.0) / keep_prob
"""),
        },
    },
    "batchnorm_forward": {
        "valid": {
            "np.var": """
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps) + beta
""",
            "step by step": """
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    m = X.shape[0]
    mu = np.sum(X, axis=0) / m
    centred = X - mu
    var = np.sum(centred ** 2, axis=0) / m
    x_hat = centred / np.sqrt(var + eps)
    return x_hat * gamma + beta
""",
        },
        "mistakes": {
            "unbiased variance": ("variance with divisor m - 1", """
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0, ddof=1) + eps) + beta
"""),
            "std plus eps": ("eps outside the square root", """
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return gamma * (X - X.mean(axis=0)) / (X.std(axis=0) + eps) + beta
"""),
            "over each row": ("normalised each example", """
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=1, keepdims=True)
    var = X.var(axis=1, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta
"""),
            "no scale and shift": ("forgot gamma and beta", """
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
"""),
            "eps fixed": (("ignored-argument:eps", "default:eps"), """
def batchnorm_forward(X, gamma, beta, eps=1e-5):
    return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + 1e-5) + beta
"""),
        },
    },
    "batchnorm_backward": {
        "valid": {
            "collected": """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    x_hat = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    inv = 1 / np.sqrt(X.var(axis=0) + eps)
    dX = gamma * inv * (dout - dout.mean(axis=0) - x_hat * (dout * x_hat).mean(axis=0))
    return dX, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
""",
            "the computational graph, path by path": """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    m = X.shape[0]
    mu = X.mean(axis=0)
    xc = X - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * xc, axis=0) * -0.5 * std ** -3
    dmu = -np.sum(dx_hat, axis=0) / std + dvar * np.mean(-2 * xc, axis=0)
    dX = dx_hat / std + dvar * 2 * xc / m + dmu / m
    return dX, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
""",
        },
        "mistakes": {
            "no path through mu": ("no gradient through the mean", """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    m = X.shape[0]
    xc = X - X.mean(axis=0)
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * xc, axis=0) * -0.5 * std ** -3
    dX = dx_hat / std + dvar * 2 * xc / m
    return dX, np.sum(dout * xc / std, axis=0), np.sum(dout, axis=0)
"""),
            "no path through var": ("no gradient through the variance", """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    std = np.sqrt(X.var(axis=0) + eps)
    x_hat = (X - X.mean(axis=0)) / std
    dX = gamma / std * (dout - dout.mean(axis=0))
    return dX, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
"""),
            "statistics as constants": ("batch statistics treated as constants", """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    std = np.sqrt(X.var(axis=0) + eps)
    return gamma * dout / std, np.sum(dout * (X - X.mean(axis=0)) / std, axis=0), dout.sum(axis=0)
"""),
            "n - 1 divisor": ("variance with divisor m - 1", """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    m = X.shape[0]
    xc = X - X.mean(axis=0)
    std = np.sqrt(np.sum(xc ** 2, axis=0) / (m - 1) + eps)
    x_hat = xc / std
    dX = gamma / std * (dout - dout.mean(axis=0) - x_hat * np.sum(dout * x_hat, axis=0) / (m - 1))
    return dX, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
"""),
            "means for gamma and beta": ("dgamma and dbeta averaged", """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    x_hat = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    dX = gamma / np.sqrt(X.var(axis=0) + eps) * (dout - dout.mean(axis=0) - x_hat * (dout * x_hat).mean(axis=0))
    return dX, (dout * x_hat).mean(axis=0), dout.mean(axis=0)
"""),
            "dgamma with X": ("dgamma from X instead of x_hat", """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    x_hat = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    dX = gamma / np.sqrt(X.var(axis=0) + eps) * (dout - dout.mean(axis=0) - x_hat * (dout * x_hat).mean(axis=0))
    return dX, (dout * X).sum(axis=0), dout.sum(axis=0)
"""),
            "no gamma on the way back": ("forgot gamma in dX", """
def batchnorm_backward(dout, X, gamma, beta, eps=1e-5):
    x_hat = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    dX = (dout - dout.mean(axis=0) - x_hat * (dout * x_hat).mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    return dX, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
"""),
        },
    },
    "network_gradients": {
        "valid": {
            "layers as closures (the solution's)": """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    Z1 = X @ W1.T + b1
    H = relu(Z1)
    N = batchnorm_forward(H, gamma, beta)
    D = dropout_forward(N, keep_prob, mask, True)
    scores = D @ W2.T + b2
    dscores = (softmax(scores) - Y) / len(X)
    dW2, db2 = dscores.T @ D, dscores.sum(axis=0)
    dN = dropout_backward(dscores @ W2, keep_prob, mask)
    dH, dgamma, dbeta = batchnorm_backward(dN, H, gamma, beta)
    dZ1 = dH * (Z1 > 0)
    return [(dZ1.T @ X, dZ1.sum(axis=0)), (dgamma, dbeta), (dW2, db2)]
""",
            "a list of layer objects": """
class _Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b
    def forward(self, x):
        return x @ self.W.T + self.b, x
    def backward(self, dout, x):
        return dout @ self.W, (dout.T @ x, dout.sum(axis=0))


class _Relu:
    def forward(self, x):
        return np.maximum(x, 0), x
    def backward(self, dout, x):
        return dout * (x > 0), None


class _BatchNorm:
    def __init__(self, gamma, beta):
        self.gamma, self.beta = gamma, beta
    def forward(self, x):
        mu, var = x.mean(axis=0), x.var(axis=0)
        x_hat = (x - mu) / np.sqrt(var + 1e-5)
        return self.gamma * x_hat + self.beta, (x_hat, 1 / np.sqrt(var + 1e-5))
    def backward(self, dout, cache):
        x_hat, inv = cache
        dx = self.gamma * inv * (dout - dout.mean(axis=0) - x_hat * np.mean(dout * x_hat, axis=0))
        return dx, (np.sum(dout * x_hat, axis=0), dout.sum(axis=0))


class _Dropout:
    def __init__(self, mask, p):
        self.mask, self.p = mask, p
    def forward(self, x):
        return x * self.mask / self.p, None
    def backward(self, dout, cache):
        return dout * self.mask / self.p, None


def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    layers = [_Linear(W1, b1), _Relu(), _BatchNorm(gamma, beta), _Dropout(mask, keep_prob), _Linear(W2, b2)]
    out, caches = X, []
    for layer in layers:
        out, cache = layer.forward(out)
        caches.append(cache)
    e = np.exp(out - out.max(axis=1, keepdims=True))
    dout = (e / e.sum(axis=1, keepdims=True) - Y) / X.shape[0]
    grads = []
    for layer, cache in zip(reversed(layers), reversed(caches)):
        dout, g = layer.backward(dout, cache)
        if g is not None:
            grads.insert(0, g)
    return grads
""",
        },
        "mistakes": {
            "dropout's mask forgotten": ("dropout's mask forgotten on the way back", """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    Z1 = X @ W1.T + b1
    H = relu(Z1)
    D = batchnorm_forward(H, gamma, beta) * mask / keep_prob
    dscores = (softmax(D @ W2.T + b2) - Y) / len(X)
    dH, dgamma, dbeta = batchnorm_backward(dscores @ W2 / keep_prob, H, gamma, beta)
    dZ1 = dH * (Z1 > 0)
    return [(dZ1.T @ X, dZ1.sum(axis=0)), (dgamma, dbeta), (dscores.T @ D, dscores.sum(axis=0))]
"""),
            "dropout's scale forgotten": ("dropout's 1/keep_prob forgotten on the way back", """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    Z1 = X @ W1.T + b1
    H = relu(Z1)
    D = batchnorm_forward(H, gamma, beta) * mask / keep_prob
    dscores = (softmax(D @ W2.T + b2) - Y) / len(X)
    dH, dgamma, dbeta = batchnorm_backward(dscores @ W2 * mask, H, gamma, beta)
    dZ1 = dH * (Z1 > 0)
    return [(dZ1.T @ X, dZ1.sum(axis=0)), (dgamma, dbeta), (dscores.T @ D, dscores.sum(axis=0))]
"""),
            "batch norm without the mean": ("batch norm without the mean's path", """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    Z1 = X @ W1.T + b1
    H = relu(Z1)
    inv = 1 / np.sqrt(H.var(axis=0) + 1e-5)
    x_hat = (H - H.mean(axis=0)) * inv
    D = (gamma * x_hat + beta) * mask / keep_prob
    dscores = (softmax(D @ W2.T + b2) - Y) / len(X)
    dN = dscores @ W2 * mask / keep_prob
    dH = gamma * inv * (dN - x_hat * np.mean(dN * x_hat, axis=0))
    dZ1 = dH * (Z1 > 0)
    return [(dZ1.T @ X, dZ1.sum(axis=0)), (np.sum(dN * x_hat, axis=0), dN.sum(axis=0)),
            (dscores.T @ D, dscores.sum(axis=0))]
"""),
            "batch norm's direct path only": ("batch norm's statistics treated as constants", """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    Z1 = X @ W1.T + b1
    H = relu(Z1)
    inv = 1 / np.sqrt(H.var(axis=0) + 1e-5)
    x_hat = (H - H.mean(axis=0)) * inv
    D = (gamma * x_hat + beta) * mask / keep_prob
    dscores = (softmax(D @ W2.T + b2) - Y) / len(X)
    dN = dscores @ W2 * mask / keep_prob
    dZ1 = gamma * inv * dN * (Z1 > 0)
    return [(dZ1.T @ X, dZ1.sum(axis=0)), (np.sum(dN * x_hat, axis=0), dN.sum(axis=0)),
            (dscores.T @ D, dscores.sum(axis=0))]
"""),
            "no relu on the way back": ("forgot relu'(z)", """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    H = relu(X @ W1.T + b1)
    D = dropout_forward(batchnorm_forward(H, gamma, beta), keep_prob, mask, True)
    dscores = (softmax(D @ W2.T + b2) - Y) / len(X)
    dH, dgamma, dbeta = batchnorm_backward(dropout_backward(dscores @ W2, keep_prob, mask), H, gamma, beta)
    return [(dH.T @ X, dH.sum(axis=0)), (dgamma, dbeta), (dscores.T @ D, dscores.sum(axis=0))]
"""),
            "summed loss": (("summed over the batch", "factor:m"), """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    Z1 = X @ W1.T + b1
    H = relu(Z1)
    D = dropout_forward(batchnorm_forward(H, gamma, beta), keep_prob, mask, True)
    dscores = softmax(D @ W2.T + b2) - Y
    dH, dgamma, dbeta = batchnorm_backward(dropout_backward(dscores @ W2, keep_prob, mask), H, gamma, beta)
    dZ1 = dH * (Z1 > 0)
    return [(dZ1.T @ X, dZ1.sum(axis=0)), (dgamma, dbeta), (dscores.T @ D, dscores.sum(axis=0))]
"""),
            "last layer first": (("layers in reverse order", "list-argument:params"), """
def network_gradients(X, Y, params, mask, keep_prob):
    (W1, b1), (gamma, beta), (W2, b2) = params
    Z1 = X @ W1.T + b1
    H = relu(Z1)
    D = dropout_forward(batchnorm_forward(H, gamma, beta), keep_prob, mask, True)
    dscores = (softmax(D @ W2.T + b2) - Y) / len(X)
    grads = [(dscores.T @ D, dscores.sum(axis=0))]
    dH, dgamma, dbeta = batchnorm_backward(dropout_backward(dscores @ W2, keep_prob, mask), H, gamma, beta)
    grads.append((dgamma, dbeta))
    dZ1 = dH * (Z1 > 0)
    grads.append((dZ1.T @ X, dZ1.sum(axis=0)))
    return grads
"""),
        },
    },
}

CORPUS["split_rows"] = {
    "valid": {
        "slices of one order": """
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
""",
        "shuffle a copy, then np.split": """
def split_rows(X, Y, seed, n_val, n_test):
    rng = np.random.default_rng(seed)
    order = rng.permutation(X.shape[0])
    Xs, Ys = X[order], Y[order]
    X_test, X_val, X_train = np.split(Xs, [n_test, n_test + n_val])
    Y_test, Y_val, Y_train = np.split(Ys, [n_test, n_test + n_val])
    return X_train, Y_train, X_val, Y_val, X_test, Y_test
""",
    },
    "mistakes": {
        "no shuffle": ("not shuffled", """
def split_rows(X, Y, seed, n_val, n_test):
    return X[n_test + n_val:], Y[n_test + n_val:], X[n_test:n_test + n_val], Y[n_test:n_test + n_val], X[:n_test], Y[:n_test]
"""),
        "training rows first": ("training rows cut first", """
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    n_train = len(X) - n_val - n_test
    train, val, test = order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
"""),
        "validation first": ("validation and test swapped", """
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
"""),
        "two shuffles": ("X and Y shuffled separately", """
def split_rows(X, Y, seed, n_val, n_test):
    rng = np.random.default_rng(seed)
    Xs, Ys = X[rng.permutation(len(X))], Y[rng.permutation(len(Y))]
    a, b = n_test, n_test + n_val
    return Xs[b:], Ys[b:], Xs[a:b], Ys[a:b], Xs[:a], Ys[:a]
"""),
        "np.random.seed": ("the legacy generator", """
def split_rows(X, Y, seed, n_val, n_test):
    np.random.seed(seed)
    order = np.random.permutation(len(X))
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return X[train], Y[train], X[val], Y[val], X[test], Y[test]
"""),
        "shuffled in place": ("mutated-input", """
def split_rows(X, Y, seed, n_val, n_test):
    order = np.random.default_rng(seed).permutation(len(X))
    X[:] = X[order]
    Y[:] = Y[order]
    a, b = n_test, n_test + n_val
    return X[b:].copy(), Y[b:].copy(), X[a:b].copy(), Y[a:b].copy(), X[:a].copy(), Y[:a].copy()
"""),
    },
}


def _choose(train: str = "trained = [(W - lr * (dW + pW), b - lr * (db + pb))\n"
                         "                       for (W, b), (dW, db), (pW, pb) in zip(trained, data_grads, penalty_grads)]",
            start: str = "trained = params", measured: str = "cross_entropy(mlp_scores(X_val, trained), Y_val)",
            pick: str = "best = int(np.argmin(val_losses))", chosen: str = "lambdas[best]",
            reported: str = "cross_entropy(mlp_scores(X_test, networks[best]), Y_test)") -> str:
    """choose_l2 as the notebook states it, with one part replaced (a mistake, or another valid form)."""
    return f"""
def choose_l2(X_train, Y_train, X_val, Y_val, X_test, Y_test, params, lambdas, lr, steps):
    val_losses, networks = [], []
    for lam in lambdas:
        {start}
        for step in range(steps):
            data_grads = mlp_gradients(X_train, Y_train, trained)
            penalty_grads = l2_gradients(trained, lam, len(X_train))
            {train}
        networks.append(trained)
        val_losses.append({measured})
    {pick}
    return {chosen}, val_losses, {reported}
"""


CORPUS["choose_l2"] = {
    "valid": {
        "the notebook's loop": _choose(),
        "the penalty written out, an array of losses, np.float64 results": """
def choose_l2(X_train, Y_train, X_val, Y_val, X_test, Y_test, params, lambdas, lr, steps):
    m = X_train.shape[0]
    results = []
    for lam in lambdas:
        net = [(W.copy(), b.copy()) for W, b in params]
        for _ in range(steps):
            grads = mlp_gradients(X_train, Y_train, net)
            net = [(W - lr * (dW + lam / m * W), b - lr * db) for (W, b), (dW, db) in zip(net, grads)]
        results.append((cross_entropy(mlp_scores(X_val, net), Y_val), net))
    losses = np.array([loss for loss, _ in results])
    k = np.argmin(losses)
    return np.float64(lambdas[k]), losses, np.float64(cross_entropy(mlp_scores(X_test, results[k][1]), Y_test))
""",
        "the first lowest by a strict comparison, test loss computed at the end": """
def choose_l2(X_train, Y_train, X_val, Y_val, X_test, Y_test, params, lambdas, lr, steps):
    best_lam, best_loss, best_net, losses = None, np.inf, None, []
    for lam in lambdas:
        net = list(params)
        for _ in range(steps):
            net = [(W - lr * (gW + pW), b - lr * (gb + pb))
                   for (W, b), (gW, gb), (pW, pb) in zip(net, mlp_gradients(X_train, Y_train, net),
                                                         l2_gradients(net, lam, len(X_train)))]
        loss = cross_entropy(mlp_scores(X_val, net), Y_val)
        losses.append(loss)
        if loss < best_loss:
            best_lam, best_loss, best_net = lam, loss, net
    return best_lam, losses, cross_entropy(mlp_scores(X_test, best_net), Y_test)
""",
    },
    "mistakes": {
        "validation losses on the training rows": ("compared on the training split", _choose(
            measured="cross_entropy(mlp_scores(X_train, trained), Y_train)")),
        "validation losses on the test rows": ("compared on the test split", _choose(
            measured="cross_entropy(mlp_scores(X_test, trained), Y_test)")),
        "J on validation, m of the training split": ("penalty in the validation loss", _choose(
            measured="cross_entropy(mlp_scores(X_val, trained), Y_val) + l2_penalty(trained, lam, len(X_train))")),
        "J on validation, m of the validation split": ("penalty in the validation loss", _choose(
            measured="cross_entropy(mlp_scores(X_val, trained), Y_val) + l2_penalty(trained, lam, len(X_val))")),
        "biases decayed too": ("L2 on the biases", _choose(
            train="trained = [(W - lr * (dW + lam / len(X_train) * W), b - lr * (db + lam / len(X_train) * b))\n"
                  "                       for (W, b), (dW, db) in zip(trained, data_grads)]")),
        "penalty gradient forgotten": ("trained without the penalty", _choose(
            train="trained = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(trained, data_grads)]")),
        "each lambda continues the last network": ("each lambda continued from the previous network", _choose(
            start="trained = networks[-1] if networks else params")),
        "trained in place on the given arrays": (("each lambda continued from the previous network", "mutated-input"),
                                                 _choose(train="""for (W, b), (dW, db), (pW, pb) in zip(trained, data_grads, penalty_grads):
                W -= lr * (dW + pW)
                b -= lr * (db + pb)""")),
        "argmax": ("argmax instead of argmin", _choose(pick="best = int(np.argmax(val_losses))")),
        "the index returned": ("the position instead of the lambda", _choose(chosen="best")),
        "the last of equal losses (<=)": ("the last of equal losses", _choose(
            pick="best = 0\n    for k, loss in enumerate(val_losses):\n"
                 "        if loss <= val_losses[best]:\n            best = k")),
        "chose by the test losses": ("chose by the test loss", _choose(
            pick="best = int(np.argmin([cross_entropy(mlp_scores(X_test, n), Y_test) for n in networks]))")),
        "the smallest lambda": ("the smallest lambda", _choose(pick="best = lambdas.index(min(lambdas))")),
        "the largest lambda": ("the largest lambda", _choose(pick="best = lambdas.index(max(lambdas))")),
        "the best test loss over every network": ("the best test loss reported", _choose(
            reported="min(cross_entropy(mlp_scores(X_test, n), Y_test) for n in networks)")),
        "the validation loss as the test loss": ("the validation loss reported as the test loss", _choose(
            reported="val_losses[best]")),
    },
}
