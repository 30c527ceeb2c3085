"""Blind corpus, assignment 2: shapes, parameter counts, the forward pass, note 004's storage.

Written from ``assignments/a2_feedforward/feedforward.ipynb`` alone. ``PRELUDE`` is the
notebook's given cell (``sigmoid`` and a stable row-wise ``softmax``), which the answers may call.
"""

from blind_forms import mistake as _mistake

PRELUDE = '''
def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), elementwise, without overflow."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(Z):
    """Row-wise softmax of Z (m, C), numerically stable; each row sums to 1."""
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
'''


CORPUS = {
    "layer_shapes": {
        "valid": {
            "zip_pairs": '''
def layer_shapes(sizes):
    return [((int(n_out), int(n_in)), (int(n_out),)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''',
            "index_loop": '''
def layer_shapes(sizes):
    shapes = []
    for l in range(1, len(sizes)):
        rows, cols = int(sizes[l]), int(sizes[l - 1])
        shapes.append(((rows, cols), (rows,)))
    return shapes
''',
            "lists_not_tuples": '''
def layer_shapes(sizes):
    out = []
    for i in range(len(sizes) - 1):
        out.append([[sizes[i + 1], sizes[i]], [sizes[i + 1]]])
    return out
''',
        },
        "mistakes": {
            "inputs_by_outputs": _mistake('''
def layer_shapes(sizes):
    return [((n_in, n_out), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''', "gives W as (n_in, n_out), note 004's storage", "transpose"),
            "bias_of_inputs": _mistake('''
def layer_shapes(sizes):
    return [((n_out, n_in), (n_in,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''', "gives b one entry per input instead of per neuron", "wrong_function"),
            "input_layer_too": _mistake('''
def layer_shapes(sizes):
    shapes = []
    prev = sizes[0]
    for n in sizes:
        shapes.append(((n, prev), (n,)))
        prev = n
    return shapes
''', "also emits a layer for the input itself (L + 1 entries)", "loop_count"),
            "skips_output_layer": _mistake('''
def layer_shapes(sizes):
    return [((sizes[l + 1], sizes[l]), (sizes[l + 1],)) for l in range(len(sizes) - 2)]
''', "the range stops one layer early and loses the output layer", "loop_count"),
        },
        "shortcuts": {},
    },
    "param_count": {
        "valid": {
            "sum_per_layer": '''
def param_count(sizes):
    return int(sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))
''',
            "plus_one_column": '''
def param_count(sizes):
    total = 0
    for a, b in zip(sizes, sizes[1:]):
        total += (a + 1) * b          # the bias is one more input column
    return total
''',
            "dot_products": '''
def param_count(sizes):
    n = np.array(sizes)
    return int(n[:-1] @ n[1:] + n[1:].sum())
''',
        },
        "mistakes": {
            "weights_only": _mistake('''
def param_count(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
''', "counts the weights and forgets the biases", "missing_term"),
            "input_biases": _mistake('''
def param_count(sizes):
    return sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))
''', "gives each layer one bias per input instead of per neuron", "wrong_function"),
            "all_units_biased": _mistake('''
def param_count(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) + sum(sizes)
''', "adds a bias for every unit, the inputs included", "extra_term"),
            "float_total": _mistake('''
def param_count(sizes):
    n = np.asarray(sizes, dtype=float)
    return np.sum(n[:-1] * n[1:] + n[1:])
''', "computes the count in floats and returns a float", "dtype"),
        },
        "shortcuts": {},
    },
    "param_count_maxout": {
        "valid": {
            "hidden_times_k": '''
def param_count_maxout(sizes, k):
    per_layer = [(n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return int(k * sum(per_layer[:-1]) + per_layer[-1])
''',
            "loop_with_flag": '''
def param_count_maxout(sizes, k):
    total = 0
    L = len(sizes) - 1
    for l in range(1, L + 1):
        layer = sizes[l] * sizes[l - 1] + sizes[l]
        total += layer if l == L else k * layer
    return total
''',
        },
        "mistakes": {
            "output_layer_too": _mistake('''
def param_count_maxout(sizes, k):
    return k * sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
''', "multiplies the output layer by k as well", "extra_term"),
            "weights_only_k": _mistake('''
def param_count_maxout(sizes, k):
    total = 0
    for l, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        hidden = l < len(sizes) - 2
        total += (k if hidden else 1) * a * b + b
    return total
''', "gives each maxout unit k weight vectors but only one bias", "missing_term"),
            "k_times_wider_outputs": _mistake('''
def param_count_maxout(sizes, k):
    total, prev = 0, sizes[0]
    for l, n in enumerate(sizes[1:]):
        width = n * k if l < len(sizes) - 2 else n
        total += width * prev + width
        prev = width                 # thinks the layer outputs k values per unit
    return total
''', "lets each maxout unit output k values, so the next layer gets k times more inputs", "wrong_function"),
            "adds_k": _mistake('''
def param_count_maxout(sizes, k):
    per_layer = [(a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])]
    return sum(per_layer) + (k - 1) * len(per_layer[:-1])
''', "adds k - 1 per hidden layer instead of multiplying its parameters by k", "wrong_function"),
        },
        "shortcuts": {},
    },
    "dense_forward": {
        "valid": {
            "matmul": '''
def dense_forward(X, W, b):
    return X @ W.T + b
''',
            "einsum": '''
def dense_forward(X, W, b):
    return np.einsum("mi,oi->mo", X, W) + b[np.newaxis, :]
''',
            "transpose_back": '''
def dense_forward(X, W, b):
    return (W @ X.T + b[:, None]).T
''',
        },
        "mistakes": {
            "X_times_W": _mistake('''
def dense_forward(X, W, b):
    return X @ W + b
''', "multiplies by W without transposing it", "transpose"),
            "columns_per_example": _mistake('''
def dense_forward(X, W, b):
    return W @ X.T + b[:, None]
''', "returns W X^T + b with one column per example, shape (n_out, m)", "transpose"),
            "no_bias": _mistake('''
def dense_forward(X, W, b):
    return np.dot(X, W.T)
''', "forgets the bias", "missing_term"),
            "bias_as_column": _mistake('''
def dense_forward(X, W, b):
    return X @ W.T + b.reshape(-1, 1)
''', "adds b as a column, so it lands on the examples' axis", "broadcast"),
            "minus_bias": _mistake('''
def dense_forward(X, W, b):
    return X @ W.T - b
''', "subtracts the bias", "sign"),
        },
        "shortcuts": {},
    },
    "forward": {
        "valid": {
            "loop": '''
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
''',
            "recursive": '''
def forward(X, params):
    (W, b), rest = params[0], params[1:]
    Z = X @ W.T + b
    if not rest:
        return softmax(Z)
    return forward(sigmoid(Z), rest)
''',
            "indexed_with_helper": '''
def _affine(A, W, b):
    return np.einsum("mi,oi->mo", A, W) + b

def forward(X, params):
    L = len(params)
    H = np.asarray(X, dtype=float)
    for l in range(L):
        Z = _affine(H, *params[l])
        H = softmax(Z) if l == L - 1 else sigmoid(Z)
    return H
''',
        },
        "mistakes": {
            "sigmoid_then_softmax": _mistake('''
def forward(X, params):
    A = X
    for W, b in params:
        A = sigmoid(A @ W.T + b)
    return softmax(A)
''', "applies the sigmoid to the output layer too, then softmax on top", "extra_term"),
            "sigmoid_output": _mistake('''
def forward(X, params):
    A = X
    for W, b in params:
        A = sigmoid(A @ W.T + b)
    return A
''', "uses a sigmoid output instead of softmax", "wrong_function"),
            "drops_last_layer": _mistake('''
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    return softmax(A)
''', "takes the softmax of the last hidden layer, never applying the output layer", "loop_count"),
            "assumes_hidden_layer": _mistake('''
def forward(X, params):
    W, b = params[0]
    A = sigmoid(X @ W.T + b)
    for W, b in params[1:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
''', "always treats the first layer as hidden, wrong for a one-layer network", "edge_case"),
            "no_transpose": _mistake('''
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params[-1]
    return softmax(A @ W + b)
''', "computes A @ W without the transpose", "transpose"),
            "softmax_columns": _mistake('''
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    E = np.exp(A @ W.T + b)
    return E / E.sum(axis=0)
''', "writes its own softmax that normalises over the examples", "wrong_axis"),
        },
        "shortcuts": {},
    },
    "to_course_convention": {
        "valid": {
            "copies": '''
def to_course_convention(params_004):
    return [(W.T.copy(), b.copy()) for W, b in params_004]
''',
            "swapaxes_loop": '''
def to_course_convention(params_004):
    out = []
    for W, b in params_004:
        out.append((np.ascontiguousarray(np.swapaxes(W, 0, 1)), np.array(b)))
    return out
''',
        },
        "mistakes": {
            "reshape": _mistake('''
def to_course_convention(params_004):
    return [(W.reshape(W.shape[1], W.shape[0]), b) for W, b in params_004]
''', "reshapes W to (n_out, n_in) instead of transposing it", "transpose"),
            "unchanged": _mistake('''
def to_course_convention(params_004):
    return [(W, b) for W, b in params_004]
''', "returns the weights as they are", "transpose"),
            "column_bias": _mistake('''
def to_course_convention(params_004):
    return [(W.T, b.reshape(-1, 1)) for W, b in params_004]
''', "also turns b into a column (n_out, 1)", "shape"),
            "reversed_layers": _mistake('''
def to_course_convention(params_004):
    return [(W.T.copy(), b.copy()) for W, b in reversed(params_004)]
''', "reverses the order of the layers as well", "loop_order"),
        },
        "shortcuts": {},
    },
    "forward_004": {
        "valid": {
            "direct": '''
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params_004[-1]
    return softmax(A @ W + b)
''',
            "translate_inside": '''
def forward_004(X, params_004):
    course = [(W.T, b) for W, b in params_004]
    H = X
    for l, (W, b) in enumerate(course):
        Z = H @ W.T + b
        H = sigmoid(Z) if l < len(course) - 1 else softmax(Z)
    return H
''',
            "einsum": '''
def forward_004(X, params_004):
    H = np.asarray(X, dtype=float)
    *hidden, (W_out, b_out) = params_004
    for W, b in hidden:
        H = sigmoid(np.einsum("mi,io->mo", H, W) + b)
    return softmax(np.einsum("mi,io->mo", H, W_out) + b_out)
''',
        },
        "mistakes": {
            "course_formula": _mistake('''
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params_004[-1]
    return softmax(A @ W.T + b)
''', "uses the course's A @ W.T on note 004's matrices", "transpose"),
            "sigmoid_everywhere": _mistake('''
def forward_004(X, params_004):
    A = X
    for W, b in params_004:
        A = sigmoid(A @ W + b)
    return softmax(A)
''', "applies the sigmoid to the output layer before the softmax", "extra_term"),
            "no_softmax": _mistake('''
def forward_004(X, params_004):
    A = X
    for W, b in params_004:
        A = sigmoid(A @ W + b)
    return A
''', "ends with a sigmoid instead of the softmax", "wrong_function"),
            "swapped_activations": _mistake('''
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = softmax(A @ W + b)
    W, b = params_004[-1]
    return sigmoid(A @ W + b)
''', "puts the softmax on the hidden layers and the sigmoid on the output", "wrong_function"),
        },
        "shortcuts": {},
    },
}
