"""Fresh corpus, assignment 2 (feedforward.ipynb): written from the released notebook alone.

See README.md: never register these mistakes; they measure the grader.
"""

_GIVEN = '''
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
    return [((int(n_out), int(n_in)), (int(n_out),)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''',
            "index_loop": '''
def layer_shapes(sizes):
    shapes = []
    for l in range(1, len(sizes)):
        shapes.append(((sizes[l], sizes[l - 1]), (sizes[l],)))
    return shapes
''',
        },
        "mistakes": {
            "transposed_W": {"source": '''
def layer_shapes(sizes):
    return [((n_in, n_out), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''', "what": "W's shape written (n_in, n_out), note 004's storage, not the course's (n_out, n_in).",
                "evidence": "every W shape transposed; b shapes right"},
            "bias_from_inputs": {"source": '''
def layer_shapes(sizes):
    return [((n_out, n_in), (n_in,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''', "what": "the bias gets one entry per input instead of one per neuron.",
                "evidence": "W shapes right; b shapes (n_in,) instead of (n_out,)"},
            "off_by_one_includes_input": {"source": '''
def layer_shapes(sizes):
    shapes = []
    for l in range(len(sizes)):
        n_in = sizes[l - 1] if l > 0 else sizes[0]
        shapes.append(((sizes[l], n_in), (sizes[l],)))
    return shapes
''', "what": "loops over every entry of sizes, adding a spurious first layer (n_0, n_0).",
                "evidence": "one layer too many; the others right but shifted by one"},
            "drops_last_layer": {"source": '''
def layer_shapes(sizes):
    return [((sizes[l], sizes[l - 1]), (sizes[l],)) for l in range(1, len(sizes) - 1)]
''', "what": "range stops one layer early: the output layer is missing.",
                "evidence": "all but the last layer right; the list is one short"},
            "column_bias": {"source": '''
def layer_shapes(sizes):
    return [((n_out, n_in), (n_out, 1)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''', "what": "the bias shape is a column (n_out, 1) instead of (n_out,).",
                "evidence": "W shapes right; every b shape has an extra axis"},
        },
        "shortcuts": {},
    },
    "param_count": {
        "valid": {
            "sum_of_products": '''
def param_count(sizes):
    return int(sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))
''',
            "numpy_vectorised": '''
def param_count(sizes):
    s = np.asarray(sizes)
    return int(np.sum(s[1:] * (s[:-1] + 1)))
''',
        },
        "mistakes": {
            "weights_only": {"source": '''
def param_count(sizes):
    return int(sum(a * b for a, b in zip(sizes[:-1], sizes[1:])))
''', "what": "counts the weights and forgets the biases.",
                "evidence": "short by the sum of the layer widths n_1 + ... + n_L"},
            "bias_per_input": {"source": '''
def param_count(sizes):
    return int(sum(n_in * n_out + n_in for n_in, n_out in zip(sizes[:-1], sizes[1:])))
''', "what": "counts one bias per input of a layer instead of one per neuron.",
                "evidence": "off by sum(n_(l-1) - n_l)"},
            "counts_input_biases": {"source": '''
def param_count(sizes):
    return int(sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])) + sum(sizes))
''', "what": "adds a bias for the input layer too (sums every entry of sizes).",
                "evidence": "too large by n_0"},
            "product_of_all": {"source": '''
def param_count(sizes):
    return int(np.prod(sizes) + sum(sizes[1:]))
''', "what": "multiplies all the widths together instead of adjacent pairs.",
                "evidence": "right only for a single layer"},
            "returns_float": {"source": '''
def param_count(sizes):
    return float(sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])))
''', "what": "returns a float where an int is asked (the notebook refuses floats even when whole).",
                "evidence": "right number but a float type"},
        },
        "shortcuts": {},
    },
    "param_count_maxout": {
        "valid": {
            "hidden_times_k": '''
def param_count_maxout(sizes, k):
    total = 0
    L = len(sizes) - 1
    for l in range(1, L + 1):
        layer = sizes[l] * sizes[l - 1] + sizes[l]
        total += k * layer if l < L else layer
    return int(total)
''',
            "plain_plus_extra": '''
def param_count_maxout(sizes, k):
    layers = [n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return int(k * sum(layers[:-1]) + layers[-1])
''',
        },
        "mistakes": {
            "output_also_maxout": {"source": '''
def param_count_maxout(sizes, k):
    return int(sum(k * n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])))
''', "what": "multiplies the output layer by k too, although it is an ordinary layer.",
                "evidence": "too large by (k - 1) n_L (n_(L-1) + 1); right when k = 1"},
            "weights_only_times_k": {"source": '''
def param_count_maxout(sizes, k):
    layers = [n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    weights = [n_out * n_in for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return int(sum(layers) + (k - 1) * sum(weights[:-1]))
''', "what": "multiplies only the hidden weights by k, not the hidden biases.",
                "evidence": "short by (k - 1) times the hidden widths; right when k = 1"},
            "next_layer_inputs_times_k": {"source": '''
def param_count_maxout(sizes, k):
    total = 0
    for l in range(1, len(sizes)):
        n_in = sizes[l - 1] * (k if l > 1 else 1)
        mult = k if l < len(sizes) - 1 else 1
        total += mult * sizes[l] * (n_in + 1)
    return int(total)
''', "what": "thinks a maxout layer outputs k values per unit, so the next layer's inputs grow by k.",
                "evidence": "right for one hidden layer's own count; the following layers too large; right when k = 1"},
            "k_plus_one": {"source": '''
def param_count_maxout(sizes, k):
    layers = [n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return int((k + 1) * sum(layers[:-1]) + layers[-1])
''', "what": "counts k + 1 pieces per unit (an extra one for the max).",
                "evidence": "the hidden layers' count is (k + 1)/k times too large"},
            "ignores_k": {"source": '''
def param_count_maxout(sizes, k):
    layers = [n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return int(2 * sum(layers[:-1]) + layers[-1])
''', "what": "ignores k and counts two pieces (assignment 1's maxout).",
                "evidence": "right only when k = 2"},
        },
        "shortcuts": {},
    },
    "dense_forward": {
        "valid": {
            "matmul_transpose": '''
def dense_forward(X, W, b):
    return X @ W.T + b
''',
            "einsum": '''
def dense_forward(X, W, b):
    return np.einsum("mi,oi->mo", X, W) + b[None, :]
''',
            "column_form_transposed": '''
def dense_forward(X, W, b):
    return (W @ X.T + b.reshape(-1, 1)).T
''',
            "dot": '''
def dense_forward(X, W, b):
    return np.dot(X, W.T) + b
''',
        },
        "mistakes": {
            "W_not_transposed_square": {"source": '''
def dense_forward(X, W, b):
    return X @ W + b
''', "what": "X @ W instead of X @ W.T: works only when W is square, and then uses its transpose.",
                "evidence": "shape error when n_in != n_out; transposed weights when square"},
            "forgets_bias": {"source": '''
def dense_forward(X, W, b):
    return X @ W.T
''', "what": "leaves out the bias.",
                "evidence": "every row short by b"},
            "column_result": {"source": '''
def dense_forward(X, W, b):
    return W @ X.T + b[:, None]
''', "what": "returns the column-per-example result (n_out, m) instead of one row per example.",
                "evidence": "the transposed result"},
            "bias_column_broadcast": {"source": '''
def dense_forward(X, W, b):
    return X @ W.T + b.reshape(-1, 1)
''', "what": "adds b as a column, broadcasting it down the examples instead of across the neurons.",
                "evidence": "shape error when m != n_out; entries plus b_i instead of b_j when m = n_out"},
            "elementwise_product": {"source": '''
def dense_forward(X, W, b):
    return (X[:, None, :] * W[None, :, :]).mean(axis=2) + b
''', "what": "averages the products over the inputs instead of summing them.",
                "evidence": "the weighted sums are divided by n_in; bias right"},
        },
        "shortcuts": {},
    },
    "forward": {
        "valid": {
            "loop_hidden_then_softmax": _GIVEN + '''

def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
''',
            "enumerate_with_condition": _GIVEN + '''

def forward(X, params):
    A = X
    L = len(params)
    for l, (W, b) in enumerate(params, start=1):
        Z = np.einsum("mi,oi->mo", A, W) + b
        A = softmax(Z) if l == L else sigmoid(Z)
    return A
''',
        },
        "mistakes": {
            "sigmoid_on_output_too": {"source": _GIVEN + '''

def forward(X, params):
    A = X
    for W, b in params:
        A = sigmoid(A @ W.T + b)
    return softmax(A)
''', "what": "applies the sigmoid to the output layer as well, then softmax on top.",
                "evidence": "rows still sum to 1 but every output value wrong"},
            "softmax_every_layer": {"source": _GIVEN + '''

def forward(X, params):
    A = X
    for W, b in params:
        A = softmax(A @ W.T + b)
    return A
''', "what": "uses softmax in the hidden layers instead of the sigmoid.",
                "evidence": "right for a single-layer network only"},
            "no_softmax": {"source": _GIVEN + '''

def forward(X, params):
    A = X
    for W, b in params:
        A = sigmoid(A @ W.T + b)
    return A
''', "what": "sigmoid on the output layer instead of softmax.",
                "evidence": "rows do not sum to 1; every output wrong"},
            "single_layer_gets_sigmoid": {"source": _GIVEN + '''

def forward(X, params):
    A = sigmoid(X @ params[0][0].T + params[0][1])
    for W, b in params[1:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params[-1]
    return softmax(A @ W.T + b)
''', "what": "always treats the first layer as hidden, so a one-layer network gets a sigmoid before its own output layer (applied twice).",
                "evidence": "right for two or more layers; a one-layer network wrong (or shape error)"},
            "skips_first_layer_bias": {"source": _GIVEN + '''

def forward(X, params):
    A = X
    for l, (W, b) in enumerate(params):
        Z = A @ W.T + (b if l > 0 else 0)
        A = softmax(Z) if l == len(params) - 1 else sigmoid(Z)
    return A
''', "what": "leaves out the first layer's bias.",
                "evidence": "right only when b1 = 0"},
            "transposed_weights_square": {"source": _GIVEN + '''

def forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params[-1]
    return softmax(A @ W + b)
''', "what": "A @ W instead of A @ W.T (note 004's storage) in every layer.",
                "evidence": "shape error for non-square layers; wrong values for square ones"},
        },
        "shortcuts": {},
    },
    "to_course_convention": {
        "valid": {
            "transpose_copy": '''
def to_course_convention(params_004):
    return [(W.T.copy(), b.copy()) for W, b in params_004]
''',
            "transpose_view": '''
def to_course_convention(params_004):
    return [(np.transpose(W), b) for W, b in params_004]
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
            "reshape_not_transpose": {"source": '''
def to_course_convention(params_004):
    return [(W.reshape(W.shape[1], W.shape[0]), b) for W, b in params_004]
''', "what": "reshapes W to (n_l, n_(l-1)) instead of transposing it, which scrambles the entries.",
                "evidence": "shapes right; entries wrong unless a dimension is 1"},
            "unchanged": {"source": '''
def to_course_convention(params_004):
    return list(params_004)
''', "what": "returns the parameters unchanged.",
                "evidence": "W shapes (n_(l-1), n_l) instead of (n_l, n_(l-1))"},
            "transposes_in_place_list": {"source": '''
def to_course_convention(params_004):
    for l, (W, b) in enumerate(params_004):
        params_004[l] = (W.T, b)
    return params_004
''', "what": "replaces the tuples of the caller's list in place, modifying the given list.",
                "evidence": "values right; the argument params_004 is modified"},
            "reversed_layers": {"source": '''
def to_course_convention(params_004):
    return [(W.T, b) for W, b in reversed(params_004)]
''', "what": "reverses the order of the layers as well as transposing.",
                "evidence": "right for a single layer; layers in the wrong order otherwise"},
            "bias_as_column": {"source": '''
def to_course_convention(params_004):
    return [(W.T, b.reshape(-1, 1)) for W, b in params_004]
''', "what": "turns the bias into a column (n_l, 1) while transposing W.",
                "evidence": "every W right; every b shape wrong"},
        },
        "shortcuts": {},
    },
    "forward_004": {
        "valid": {
            "A_at_W": _GIVEN + '''

def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W + b)
    W, b = params_004[-1]
    return softmax(A @ W + b)
''',
            "column_form": _GIVEN + '''

def forward_004(X, params_004):
    A = X.T
    for l, (W, b) in enumerate(params_004):
        Z = W.T @ A + b[:, None]
        A = sigmoid(Z) if l < len(params_004) - 1 else softmax(Z.T).T
    return A.T
''',
        },
        "mistakes": {
            "course_formula_on_004": {"source": _GIVEN + '''

def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W.T + b)
    W, b = params_004[-1]
    return softmax(A @ W.T + b)
''', "what": "uses the course's A @ W.T on note 004's matrices.",
                "evidence": "shape error for non-square layers; transposed weights for square ones"},
            "no_softmax": {"source": _GIVEN + '''

def forward_004(X, params_004):
    A = X
    for W, b in params_004:
        A = sigmoid(A @ W + b)
    return A
''', "what": "sigmoid on the output layer instead of softmax.",
                "evidence": "rows do not sum to 1; every output wrong"},
            "softmax_columns": {"source": _GIVEN + '''

def forward_004(X, params_004):
    A = X.T
    for l, (W, b) in enumerate(params_004):
        Z = W.T @ A + b[:, None]
        A = sigmoid(Z) if l < len(params_004) - 1 else softmax(Z)
    return A.T
''', "what": "applies the row-wise softmax to the column form, normalising over the examples instead of the classes.",
                "evidence": "the columns of the result sum to 1 instead of its rows"},
            "bias_missing": {"source": _GIVEN + '''

def forward_004(X, params_004):
    A = X
    for W, b in params_004[:-1]:
        A = sigmoid(A @ W)
    W, b = params_004[-1]
    return softmax(A @ W)
''', "what": "leaves out every bias.",
                "evidence": "right only when all biases are zero"},
        },
        "shortcuts": {},
    },
}
