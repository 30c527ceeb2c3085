"""Held-out student answers for assignment 2 (shapes, counts, forward passes, two conventions).

Written from ``assignments/a2_feedforward/feedforward.ipynb`` alone. ``PRELUDE`` is the
notebook's given cell (``sigmoid`` and a stable row-wise ``softmax``), run before the
student's cells. See README.md for the format and the evidence categories.
"""

PRELUDE = '''
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
'''

CORPUS = {
    "layer_shapes": {
        "valid": {
            "zip_comprehension": '''
def layer_shapes(sizes):
    return [((n_out, n_in), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''',
            "index_loop": '''
def layer_shapes(sizes):
    shapes = []
    for l in range(1, len(sizes)):
        rows, cols = int(sizes[l]), int(sizes[l - 1])
        shapes.append(((rows, cols), (rows,)))
    return shapes
''',
        },
        "mistakes": {
            "inputs_by_outputs": dict(source='''
def layer_shapes(sizes):
    return [((sizes[i], sizes[i + 1]), (sizes[i + 1],)) for i in range(len(sizes) - 1)]
''', what="Gives W the shape (n_in, n_out), note 004's storage, instead of (n_out, n_in).",
                evidence="transpose"),
            "column_bias": dict(source='''
def layer_shapes(sizes):
    return [((b, a), (b, 1)) for a, b in zip(sizes, sizes[1:])]
''', what="Gives the bias the column shape (n_out, 1) instead of (n_out,).",
                evidence="shape"),
            "last_layer_dropped": dict(source='''
def layer_shapes(sizes):
    out = []
    for l in range(1, len(sizes) - 1):
        out.append(((sizes[l], sizes[l - 1]), (sizes[l],)))
    return out
''', what="Stops the loop one layer early, leaving out the output layer.",
                evidence="loop_count"),
            "bias_of_inputs": dict(source='''
def layer_shapes(sizes):
    return [((n_out, n_in), (n_in,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''', what="Gives the bias one entry per input instead of one per neuron.",
                evidence="other"),
        },
        "shortcuts": {},
    },
    "param_count": {
        "valid": {
            "sum_generator": '''
def param_count(sizes):
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
''',
            "numpy_dot": '''
def param_count(sizes):
    s = np.asarray(sizes)
    return int(np.dot(s[:-1] + 1, s[1:]))
''',
        },
        "mistakes": {
            "weights_only": dict(source='''
def param_count(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
''', what="Counts the weights but not the biases.",
                evidence="missing_term"),
            "input_biases": dict(source='''
def param_count(sizes):
    total = sum(sizes)
    for a, b in zip(sizes[:-1], sizes[1:]):
        total += a * b
    return total
''', what="Counts a bias for every unit, the inputs included.",
                evidence="extra_term"),
            "float_accumulator": dict(source='''
def param_count(sizes):
    total = 0.0
    for l in range(1, len(sizes)):
        total += sizes[l] * sizes[l - 1] + sizes[l]
    return total
''', what="Accumulates in a float, so the count is returned as a float instead of an int.",
                evidence="dtype"),
            "bias_per_input": dict(source='''
def param_count(sizes):
    return sum(n_in * n_out + n_in for n_in, n_out in zip(sizes[:-1], sizes[1:]))
''', what="Adds n_in biases per layer instead of n_out.",
                evidence="other"),
        },
        "shortcuts": {},
    },
    "param_count_maxout": {
        "valid": {
            "per_layer": '''
def param_count_maxout(sizes, k):
    total = 0
    L = len(sizes) - 1
    for l in range(1, L + 1):
        one_piece = sizes[l] * sizes[l - 1] + sizes[l]
        total += one_piece if l == L else k * one_piece
    return int(total)
''',
            "closed_form": '''
def param_count_maxout(sizes, k):
    layers = [(a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])]
    return k * sum(layers[:-1]) + layers[-1]
''',
        },
        "mistakes": {
            "output_layer_too": dict(source='''
def param_count_maxout(sizes, k):
    return k * sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
''', what="Multiplies the output layer's parameters by k too, although it is an ordinary layer.",
                evidence="extra_term"),
            "biases_not_multiplied": dict(source='''
def param_count_maxout(sizes, k):
    total = 0
    for l in range(1, len(sizes)):
        pieces = k if l < len(sizes) - 1 else 1
        total += pieces * sizes[l] * sizes[l - 1] + sizes[l]
    return total
''', what="Gives each maxout unit k weight vectors but only one bias.",
                evidence="missing_term"),
            "first_hidden_only": dict(source='''
def param_count_maxout(sizes, k):
    counts = [(a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])]
    counts[0] *= k
    return sum(counts)
''', what="Multiplies only the first layer by k, as if only it had maxout units (and the output layer too when there "
          "is one layer).",
                evidence="loop_count"),
            "k_plus_one_pieces": dict(source='''
def param_count_maxout(sizes, k):
    counts = [(a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])]
    return (k + 1) * sum(counts[:-1]) + counts[-1]
''', what="Counts k + 1 pieces per unit (k extra ones on top of the ordinary map).",
                evidence="factor"),
        },
        "shortcuts": {},
    },
    "dense_forward": {
        "valid": {
            "einsum": '''
def dense_forward(X, W, b):
    return np.einsum("ij,kj->ik", X, W) + b
''',
            "transpose_of_columns": '''
def dense_forward(X, W, b):
    return (W @ X.T + b[:, None]).T
''',
        },
        "mistakes": {
            "X_times_W": dict(source='''
def dense_forward(X, W, b):
    return X @ W + b
''', what="Multiplies X @ W without transposing W (only works, wrongly, when W is square).",
                evidence="transpose"),
            "columns_per_example": dict(source='''
def dense_forward(X, W, b):
    return W @ X.T + b.reshape(-1, 1)
''', what="Returns the column form W X^T + b, shape (n_out, m), without transposing back.",
                evidence="transpose"),
            "no_bias": dict(source='''
def dense_forward(X, W, b):
    return X @ W.T
''', what="Leaves out the bias.",
                evidence="missing_term"),
            "bias_as_column": dict(source='''
def dense_forward(X, W, b):
    return X @ W.T + b[:, np.newaxis]
''', what="Adds b as a column, which broadcasts it down the examples instead of across the neurons.",
                evidence="broadcast"),
        },
        "shortcuts": {},
    },
    "forward": {
        "valid": {
            "loop_then_output": '''
def dense_forward(X, W, b):
    return X @ W.T + b


def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(dense_forward(A, W, b))
    W, b = params[-1]
    return softmax(dense_forward(A, W, b))
''',
            "enumerate_layers": '''
def forward(X, params):
    A = np.asarray(X, dtype=float)
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = A @ W.T + b
        A = softmax(Z) if l == L else sigmoid(Z)
    return A
''',
        },
        "mistakes": {
            "sigmoid_then_softmax": dict(source='''
def forward(X, params):
    A = X
    for W, b in params:
        A = sigmoid(A @ W.T + b)
    return softmax(A)
''', what="Applies the sigmoid to the output layer too, then the softmax on top of it.",
                evidence="extra_term"),
            "softmax_everywhere": dict(source='''
def forward(X, params):
    A = X
    for W, b in params:
        A = softmax(A @ W.T + b)
    return A
''', what="Uses softmax as the activation of every layer, the hidden ones included.",
                evidence="wrong_function"),
            "linear_hidden": dict(source='''
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = A @ W.T + b
    W, b = params[-1]
    return softmax(A @ W.T + b)
''', what="Forgets the sigmoid of the hidden layers.",
                evidence="missing_term"),
            "returns_logits": dict(source='''
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    return A @ W.T + b
''', what="Returns the output layer's pre-activation, without the softmax.",
                evidence="missing_term"),
            "relu_hidden": dict(source='''
def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = np.maximum(0, A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
''', what="Uses ReLU in the hidden layers instead of the sigmoid the exercise asks for.",
                evidence="wrong_function"),
        },
        "shortcuts": {},
    },
    "to_course_convention": {
        "valid": {
            "views": '''
def to_course_convention(params_004):
    return [(W.T, b) for W, b in params_004]
''',
            "transpose_copies": '''
def to_course_convention(params_004):
    out = []
    for W, b in params_004:
        out.append((np.transpose(W).copy(), np.array(b, dtype=float)))
    return out
''',
        },
        "mistakes": {
            "reshape_not_transpose": dict(source='''
def to_course_convention(params_004):
    return [(W.reshape(W.shape[1], W.shape[0]), b) for W, b in params_004]
''', what="Reshapes W to (n_l, n_(l-1)) instead of transposing it, which scrambles the entries.",
                evidence="transpose"),
            "unchanged": dict(source='''
def to_course_convention(params_004):
    return [(W.copy(), b.copy()) for W, b in params_004]
''', what="Returns the weights unchanged, believing only the bias storage differs.",
                evidence="transpose"),
            "layers_reversed": dict(source='''
def to_course_convention(params_004):
    return [(W.T, b) for W, b in reversed(params_004)]
''', what="Transposes each W but also reverses the order of the layers.",
                evidence="loop_order"),
            "list_modified": dict(source='''
def to_course_convention(params_004):
    for i, (W, b) in enumerate(params_004):
        params_004[i] = (W.T, b)
    return params_004
''', what="Overwrites the caller's list in place (the notebook asks not to modify what it is given).",
                evidence="in_place"),
        },
        "shortcuts": {},
    },
    "forward_004": {
        "valid": {
            "rows_times_W": '''
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params_004[-1]
    return softmax(A @ W + b)
''',
            "column_examples": '''
def forward_004(X, params_004):
    A = np.asarray(X, dtype=float).T            # one example per column
    for i, (W, b) in enumerate(params_004):
        Z = W.T @ A + b[:, None]
        A = Z if i == len(params_004) - 1 else sigmoid(Z)
    return softmax(A.T)
''',
        },
        "mistakes": {
            "course_product": dict(source='''
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params_004[-1]
    return softmax(A @ W.T + b)
''', what="Uses the course's A @ W.T with note 004's matrices (only runs, wrongly, for square layers).",
                evidence="transpose"),
            "sigmoid_output": dict(source='''
def forward_004(X, params_004):
    A = X
    for W, b in params_004:
        A = sigmoid(A @ W + b)
    return A
''', what="Applies the sigmoid at the output layer instead of the softmax.",
                evidence="wrong_function"),
            "columns_returned": dict(source='''
def forward_004(X, params_004):
    A = X.T
    for W, b in params_004[:-1]:
        A = sigmoid(W.T @ A + b[:, None])
    W, b = params_004[-1]
    Z = W.T @ A + b[:, None]
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)
''', what="Computes the right probabilities one example per column but returns them as (n_L, m).",
                evidence="transpose"),
            "softmax_per_column_of_batch": dict(source='''
def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params_004[-1]
    Z = A @ W + b
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)
''', what="Normalises the output over the examples (axis 0) instead of over the classes.",
                evidence="wrong_axis"),
        },
        "shortcuts": {},
    },
}
