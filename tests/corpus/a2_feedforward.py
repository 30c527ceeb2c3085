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
            "no transpose": (("W taken as (n_in, n_out)", "shape:matmul"), """
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
            "one W, b for all layers": (("the first layer's W, b for every layer (the notes' notation)",), """
def forward(X, params):
    W, b = params[0]
    A = X
    for l in range(len(params)):
        Z = A @ W.T + b
        A = softmax(Z) if l == len(params) - 1 else sigmoid(Z)
    return A
"""),
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
            "no transpose": (("W taken as (n_in, n_out)", "shape:matmul"), """
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params[-1]
    return softmax(A @ W + b)
"""),
        },
    },
    "param_count_maxout": {
        "valid": {
            "hidden times k plus output": """
def param_count_maxout(sizes, k):
    counts = [n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return k * sum(counts[:-1]) + counts[-1]
""",
            "loop over layers with pieces": """
def param_count_maxout(sizes, k):
    total = 0
    L = len(sizes) - 1
    for l in range(1, L + 1):
        pieces = k if l < L else 1
        total += pieces * (sizes[l - 1] + 1) * sizes[l]
    return total
""",
            "through param_count": """
def param_count_maxout(sizes, k):
    return k * param_count(sizes[:-1]) + param_count(sizes[-2:])
""",
        },
        "mistakes": {
            "k on every layer": ("maxout output layer", """
def param_count_maxout(sizes, k):
    return k * sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
"""),
            "k times wider inputs": ("k pieces fed forward", """
def param_count_maxout(sizes, k):
    total = 0
    for l in range(1, len(sizes)):
        n_in = sizes[l - 1] * (k if l > 1 else 1)
        pieces = k if l < len(sizes) - 1 else 1
        total += pieces * n_in * sizes[l] + pieces * sizes[l]
    return total
"""),
            "one bias per unit": ("one bias per maxout unit", """
def param_count_maxout(sizes, k):
    pairs = list(zip(sizes[:-1], sizes[1:]))
    hidden = sum(k * a * b + b for a, b in pairs[:-1])
    a, b = pairs[-1]
    return hidden + a * b + b
"""),
            "k ignored": ("plain count", """
def param_count_maxout(sizes, k):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
"""),
            "no biases": ("forgot the biases", """
def param_count_maxout(sizes, k):
    pairs = list(zip(sizes[:-1], sizes[1:]))
    return sum(k * a * b for a, b in pairs[:-1]) + pairs[-1][0] * pairs[-1][1]
"""),
            "float count": ("type:int-expected", """
def param_count_maxout(sizes, k):
    s = np.asarray(sizes, dtype=float)
    counts = s[:-1] * s[1:] + s[1:]
    return k * counts[:-1].sum() + counts[-1]
"""),
        },
    },
    "to_course_convention": {
        "valid": {
            "transpose each": """
def to_course_convention(params_004):
    return [(W.T, b) for W, b in params_004]
""",
            "swapaxes copies": """
def to_course_convention(params_004):
    out = []
    for W, b in params_004:
        out.append((np.swapaxes(W, 0, 1).copy(), np.array(b)))
    return out
""",
            "entry by entry": """
def to_course_convention(params_004):
    out = []
    for W, b in params_004:
        n_in, n_out = W.shape
        V = np.zeros((n_out, n_in))
        for i in range(n_in):
            for j in range(n_out):
                V[j, i] = W[i, j]
        out.append((V, b.copy()))
    return out
""",
        },
        "mistakes": {
            "unchanged": ("returned as given", """
def to_course_convention(params_004):
    return list(params_004)
"""),
            "reshape": ("reshaped instead of transposed", """
def to_course_convention(params_004):
    return [(W.reshape(W.shape[1], W.shape[0]), b) for W, b in params_004]
"""),
            "hidden layers only": ("last layer not translated", """
def to_course_convention(params_004):
    out = [(W.T, b) for W, b in params_004[:-1]]
    out.append(params_004[-1])
    return out
"""),
            "from the second layer on": ("first layer not translated", """
def to_course_convention(params_004):
    return [params_004[0]] + [(W.T, b) for W, b in params_004[1:]]
"""),
            "backwards": ("layers in reverse order", """
def to_course_convention(params_004):
    return [(W.T, b) for W, b in params_004[::-1]]
"""),
            "bias column": ("bias as a column", """
def to_course_convention(params_004):
    return [(W.T, b[:, None]) for W, b in params_004]
"""),
            "transposed in place": ("mutated-input", """
def to_course_convention(params_004):
    for l, (W, b) in enumerate(params_004):
        params_004[l] = (W.T, b)
    return params_004
"""),
        },
    },
    "forward_004": {
        "valid": {
            "rows times W": """
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params_004[-1]
    return softmax(A @ W + b)
""",
            "column form transposed back": """
def forward_004(X, params_004):
    H = X.T
    for l, (W, b) in enumerate(params_004):
        Z = W.T @ H + b[:, None]
        H = softmax(Z.T).T if l == len(params_004) - 1 else sigmoid(Z)
    return H.T
""",
            "through the course's forward": """
def forward_004(X, params_004):
    A = X
    for l, (W, b) in enumerate(params_004):
        Z = np.dot(A, W) + b
        A = sigmoid(Z) if l < len(params_004) - 1 else softmax(Z)
    return A
""",
        },
        "mistakes": {
            "course's transpose": (("the course's convention applied to note 004's W", "shape:matmul"), """
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params_004[-1]
    return softmax(A @ W.T + b)
"""),
            "sigmoid everywhere": ("sigmoid output", """
def forward_004(X, params_004):
    A = X
    for W, b in params_004:
        A = sigmoid(A @ W + b)
    return A
"""),
            "linear hidden": ("no hidden activation", """
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = A @ W + b
    W, b = params_004[-1]
    return softmax(A @ W + b)
"""),
            "logits": ("no output softmax", """
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params_004[-1]
    return A @ W + b
"""),
            "own softmax without the max": ("unstable softmax", """
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params_004[-1]
    E = np.exp(A @ W + b)
    return E / E.sum(axis=1, keepdims=True)
"""),
        },
    },
}
