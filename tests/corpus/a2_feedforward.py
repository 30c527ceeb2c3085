"""Corpus, assignment 2 (format: see a1_activations.py). `sigmoid` and `softmax` are given."""

CORPUS = {
    "layer_shapes": {
        "valid": {
            "comprehension": """
def layer_shapes(sizes):
    return [((n_out, n_in), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
""",
            "loop with lists": """
def layer_shapes(sizes):
    shapes = []
    for l in range(1, len(sizes)):
        shapes.append([[sizes[l], sizes[l - 1]], [sizes[l]]])
    return shapes
""",
            "numpy ints": """
def layer_shapes(sizes):
    s = np.array(sizes)
    return [((s[i + 1], s[i]), (s[i + 1],)) for i in range(len(s) - 1)]
""",
        },
        "mistakes": {
            "(n_in, n_out)": ("W as (n_in, n_out)", """
def layer_shapes(sizes):
    return [((a, b), (b,)) for a, b in zip(sizes[:-1], sizes[1:])]
"""),
            "b by inputs": ("b sized by the inputs", """
def layer_shapes(sizes):
    return [((b, a), (a,)) for a, b in zip(sizes[:-1], sizes[1:])]
"""),
            "off by one": ("one layer too few", """
def layer_shapes(sizes):
    return [((sizes[i + 1], sizes[i]), (sizes[i + 1],)) for i in range(len(sizes) - 2)]
"""),
            "b as a column": ("b as a column (n_out, 1)", """
def layer_shapes(sizes):
    return [((b, a), (b, 1)) for a, b in zip(sizes[:-1], sizes[1:])]
"""),
        },
    },
    "param_count": {
        "valid": {
            "sum": """
def param_count(sizes):
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
""",
            "loop (n_in + 1) n_out": """
def param_count(sizes):
    total = 0
    for i in range(len(sizes) - 1):
        total += (sizes[i] + 1) * sizes[i + 1]
    return total
""",
            "numpy": """
def param_count(sizes):
    s = np.asarray(sizes)
    return int(np.sum(s[:-1] * s[1:] + s[1:]))
""",
        },
        "mistakes": {
            "no biases": ("forgot the biases", """
def param_count(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
"""),
            "biases per input": ("biases counted per input", """
def param_count(sizes):
    return sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))
"""),
            "off by one": ("one layer too few", """
def param_count(sizes):
    total = 0
    for i in range(len(sizes) - 2):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total
"""),
            "neurons": ("counted the neurons", """
def param_count(sizes):
    return sum(sizes)
"""),
            "float total": ("type:int-expected", """
def param_count(sizes):
    s = np.asarray(sizes, dtype=float)
    return np.sum(s[:-1] * s[1:] + s[1:])
"""),
        },
    },
    "dense_forward": {
        "valid": {
            "matmul": """
def dense_forward(X, W, b):
    return X @ W.T + b
""",
            "np.dot": """
def dense_forward(X, W, b):
    return np.dot(X, W.T) + b
""",
            "column form transposed back": """
def dense_forward(X, W, b):
    return (W @ X.T + b[:, None]).T
""",
            "einsum": """
def dense_forward(X, W, b):
    return np.einsum('mi,oi->mo', X, W) + b
""",
        },
        "mistakes": {
            "no bias": ("forgot the bias", """
def dense_forward(X, W, b):
    return X @ W.T
"""),
            "no transpose": (("X @ W without the transpose", "shape:matmul"), """
def dense_forward(X, W, b):
    return X @ W + b
"""),
            "bias column": (("bias as a column", "shape:broadcast"), """
def dense_forward(X, W, b):
    return X @ W.T + b.reshape(-1, 1)
"""),
            "column form": (("W x in column form", "shape:transposed"), """
def dense_forward(X, W, b):
    return W @ X.T + b.reshape(-1, 1)
"""),
            "activation too": ("applied an activation", """
def dense_forward(X, W, b):
    return sigmoid(X @ W.T + b)
"""),
        },
    },
    "forward": {
        "valid": {
            "loop": """
def forward(X, params):
    A = X
    for l, (W, b) in enumerate(params):
        Z = A @ W.T + b
        A = softmax(Z) if l == len(params) - 1 else sigmoid(Z)
    return A
""",
            "hidden then output": """
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    Z = A @ W.T + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
""",
        },
        "mistakes": {
            'ReLU hidden': (('ReLU hidden layers',), """
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = np.maximum(A @ W.T + b, 0)
    W, b = params[-1]
    return softmax(A @ W.T + b)
"""),
            "sigmoid everywhere": ("sigmoid output", """
def forward(X, params):
    A = X
    for W, b in params:
        A = sigmoid(A @ W.T + b)
    return A
"""),
            "no hidden activation": ("no hidden activation", """
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = A @ W.T + b
    W, b = params[-1]
    return softmax(A @ W.T + b)
"""),
            "own unstable softmax": ("unstable softmax", """
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    E = np.exp(A @ W.T + b)
    return E / E.sum(axis=1, keepdims=True)
"""),
            "returned logits": ("no output softmax", """
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    return A @ W.T + b
"""),
            "sigmoid then softmax": ("sigmoid then softmax on the output", """
def forward(X, params):
    A = X
    for W, b in params:
        A = sigmoid(A @ W.T + b)
    return softmax(A)
"""),
            "no transpose": (("X @ W without the transpose", "shape:matmul"), """
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params[-1]
    return softmax(A @ W + b)
"""),
        },
    },
}
