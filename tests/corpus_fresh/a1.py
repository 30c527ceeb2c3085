"""Fresh corpus, assignment 1 (activations.ipynb): written from the released notebook alone.

See README.md: this corpus is the measure of naming on unregistered mistakes; never register
its mistakes or copy its labels into the registry.
"""

CORPUS = {
    "sigmoid": {
        "valid": {
            "where_two_forms_on_abs": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
''',
            "masks_two_branches": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out
''',
            "tanh_identity": '''
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
''',
            "logaddexp": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))
''',
        },
        "mistakes": {
            "naive_overflows": {"source": '''
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
''', "what": "the plain formula overflows exp(-z) for z = -1000 and emits a RuntimeWarning (values are right).",
                "evidence": "values right everywhere; a RuntimeWarning at large negative z"},
            "wrong_sign_exponent": {"source": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
''', "what": "the two stable branches are swapped, which computes sigma(-z) = 1 - sigma(z).",
                "evidence": "every output equals 1 - expected; right only at z = 0"},
            "where_evaluates_both": {"source": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
''', "what": "np.where evaluates both branches, so exp overflows (inf/inf = nan warnings) at |z| = 1000 although the selected values are right.",
                "evidence": "values right; RuntimeWarning at z = +1000 and -1000"},
            "missing_minus": {"source": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1 / (1 + np.exp(np.clip(z, -500, 500)))
''', "what": "exp(z) instead of exp(-z): computes sigma(-z).",
                "evidence": "every output is 1 - expected"},
            "clip_too_tight": {"source": '''
def sigmoid(z):
    z = np.clip(np.asarray(z, dtype=float), -10, 10)
    return 1 / (1 + np.exp(-z))
''', "what": "clips z to [-10, 10] to avoid overflow, which changes the value for |z| > 10 by up to 4.5e-5.",
                "evidence": "right for |z| <= 10; saturated outputs wrong beyond (e.g. z = 20 gives 0.9999546 instead of 1 - 2e-9)"},
        },
        "shortcuts": {},
    },
    "sigmoid_prime": {
        "valid": {
            "s_times_one_minus_s": '''
def sigmoid_prime(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - s)
''',
            "e_over_one_plus_e_squared": '''
def sigmoid_prime(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return e / (1.0 + e) ** 2
''',
            "via_tanh_identity": '''
def sigmoid_prime(z):
    t = np.tanh(0.5 * np.asarray(z, dtype=float))
    return 0.25 * (1 - t) * (1 + t)
''',
        },
        "mistakes": {
            "returns_sigmoid": {"source": '''
def sigmoid_prime(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
''', "what": "returns the sigmoid itself instead of its derivative.",
                "evidence": "output equals sigma(z); e.g. 0.5 at z = 0 instead of 0.25"},
            "z_times_one_minus_z": {"source": '''
def sigmoid_prime(z):
    return z * (1 - z)
''', "what": "applies the from-output form a(1 - a) to the pre-activation z.",
                "evidence": "output z(1 - z) instead of sigma(z)(1 - sigma(z)); 0 at z = 0"},
            "notes_erratum_denominator": {"source": '''
def sigmoid_prime(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-z) / (1 + np.exp(z)) ** 2
''', "what": "follows the notes' erratum with (1 + e^z) in the denominator.",
                "evidence": "right only at z = 0; overflow warnings for large |z|"},
            "one_minus_s_squared": {"source": '''
def sigmoid_prime(z):
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return 1 - s ** 2
''', "what": "uses the tanh derivative pattern 1 - s^2 for the sigmoid.",
                "evidence": "0.75 at z = 0 instead of 0.25; wrong everywhere"},
            "missing_one_minus": {"source": '''
def sigmoid_prime(z):
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s * s
''', "what": "sigma(z)^2 instead of sigma(z)(1 - sigma(z)).",
                "evidence": "agrees only at z = 0 (0.25); wrong for every other z"},
            "negative_sign": {"source": '''
def sigmoid_prime(z):
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s * (s - 1)
''', "what": "sign slip: sigma(z)(sigma(z) - 1), the negative of the derivative.",
                "evidence": "every output is minus the expected one"},
        },
        "shortcuts": {
            "central_difference_vectorised": '''
def sigmoid_prime(z):
    z = np.asarray(z, dtype=float)
    h = 1e-5
    s = lambda t: 1 / (1 + np.exp(-t))
    with np.errstate(over="ignore"):
        return (s(z + h) - s(z - h)) / (2 * h)
''',
            "forward_difference_small_step": '''
def sigmoid_prime(z):
    z = np.asarray(z, dtype=float)
    h = 1e-7
    e1, e0 = np.exp(-np.abs(z + h)), np.exp(-np.abs(z))
    s1 = np.where(z + h >= 0, 1 / (1 + e1), e1 / (1 + e1))
    s0 = np.where(z >= 0, 1 / (1 + e0), e0 / (1 + e0))
    return (s1 - s0) / h
''',
        },
    },
    "tanh": {
        "valid": {
            "np_tanh": '''
def tanh(z):
    return np.tanh(z)
''',
            "via_stable_sigmoid": '''
def tanh(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(2 * z))
    s = np.where(2 * z >= 0, 1 / (1 + e), e / (1 + e))
    return 2 * s - 1
''',
            "sign_times_stable_ratio": '''
def tanh(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-2 * np.abs(z))
    return np.sign(z) * (1 - e) / (1 + e)
''',
        },
        "mistakes": {
            "definition_overflows": {"source": '''
def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
''', "what": "the definition computes exp(1000) = inf, giving nan at z = +-1000.",
                "evidence": "right for moderate z; nan at |z| = 1000"},
            "identity_without_factor_two_inside": {"source": '''
def tanh(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return 2 * s - 1
''', "what": "uses 2 sigma(z) - 1 instead of 2 sigma(2z) - 1, i.e. tanh(z/2).",
                "evidence": "output tanh(z/2); right only at z = 0"},
            "identity_missing_minus_one": {"source": '''
def tanh(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(2 * z))
    return 2 * np.where(z >= 0, 1 / (1 + e), e / (1 + e))
''', "what": "forgets the - 1 of 2 sigma(2z) - 1: output shifted by +1.",
                "evidence": "every output is expected + 1"},
            "clipped_input": {"source": '''
def tanh(z):
    z = np.clip(z, -5, 5)
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
''', "what": "clips z to [-5, 5] to avoid overflow, which changes values for |z| > 5 (tanh(5) = 0.99991).",
                "evidence": "right for |z| <= 5; saturated outputs wrong by up to 9e-5 beyond"},
            "sigmoid_instead": {"source": '''
def tanh(z):
    return 1 / (1 + np.exp(-2 * np.clip(z, -300, 300)))
''', "what": "returns sigma(2z) without the affine map to (-1, 1).",
                "evidence": "outputs (tanh(z) + 1) / 2"},
        },
        "shortcuts": {},
    },
    "tanh_prime": {
        "valid": {
            "one_minus_tanh_squared": '''
def tanh_prime(z):
    return 1 - np.tanh(z) ** 2
''',
            "sech_squared_stable": '''
def tanh_prime(z):
    e = np.exp(-2 * np.abs(np.asarray(z, dtype=float)))
    return 4 * e / (1 + e) ** 2
''',
            "via_sigmoid_prime": '''
def tanh_prime(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(2 * z))
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return 4 * s * (1 - s)
''',
        },
        "mistakes": {
            "one_minus_tanh_not_squared": {"source": '''
def tanh_prime(z):
    return 1 - np.tanh(z)
''', "what": "1 - tanh(z) instead of 1 - tanh(z)^2.",
                "evidence": "right only at z = 0; differs for every other z"},
            "one_plus_tanh_squared": {"source": '''
def tanh_prime(z):
    return 1 + np.tanh(z) ** 2
''', "what": "sign slip: 1 + tanh^2 instead of 1 - tanh^2.",
                "evidence": "right only at z = 0; outputs in [1, 2] instead of (0, 1]"},
            "sigmoid_prime_instead": {"source": '''
def tanh_prime(z):
    s = 1 / (1 + np.exp(-np.clip(z, -500, 500)))
    return s * (1 - s)
''', "what": "returns the sigmoid's derivative instead of tanh's.",
                "evidence": "0.25 at z = 0 instead of 1; wrong everywhere"},
            "chain_rule_missing_factor_two": {"source": '''
def tanh_prime(z):
    z = np.asarray(z, dtype=float)
    s = 1 / (1 + np.exp(-np.clip(2 * z, -500, 500)))
    return 2 * s * (1 - s)
''', "what": "differentiates 2 sigma(2z) - 1 but forgets the inner factor 2 of the chain rule: half the derivative.",
                "evidence": "every output is half the expected one"},
            "returns_tanh": {"source": '''
def tanh_prime(z):
    return np.tanh(z)
''', "what": "returns tanh itself instead of its derivative.",
                "evidence": "output tanh(z); 0 at z = 0 instead of 1"},
        },
        "shortcuts": {
            "central_difference_vectorised": '''
def tanh_prime(z):
    h = 1e-5
    return (np.tanh(z + h) - np.tanh(z - h)) / (2 * h)
''',
            "richardson_extrapolated": '''
def tanh_prime(z):
    z = np.asarray(z, dtype=float)
    d = lambda h: (np.tanh(z + h) - np.tanh(z - h)) / (2 * h)
    return (4 * d(1e-3) - d(2e-3)) / 3
''',
        },
    },
    "relu": {
        "valid": {
            "maximum": '''
def relu(z):
    return np.maximum(z, 0)
''',
            "where": '''
def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)
''',
            "mask_multiply": '''
def relu(z):
    z = np.asarray(z, dtype=float)
    return z * (z > 0)
''',
            "abs_formula": '''
def relu(z):
    z = np.asarray(z, dtype=float)
    return (z + np.abs(z)) / 2
''',
        },
        "mistakes": {
            "minimum": {"source": '''
def relu(z):
    return np.minimum(z, 0)
''', "what": "np.minimum instead of np.maximum: keeps the negative part.",
                "evidence": "wrong for every nonzero z"},
            "abs_value": {"source": '''
def relu(z):
    return np.abs(z)
''', "what": "returns |z|, which is wrong for negative z.",
                "evidence": "right for z >= 0; -z instead of 0 for z < 0"},
            "python_max": {"source": '''
def relu(z):
    return max(0, np.max(z)) * np.ones_like(z)
''', "what": "takes the maximum over the whole array instead of elementwise.",
                "evidence": "right only when all entries are equal"},
            "boolean_mask_returned": {"source": '''
def relu(z):
    return np.asarray(z) > 0
''', "what": "returns the mask z > 0 (the derivative) instead of max(0, z).",
                "evidence": "wrong wherever z > 0 and z != 1"},
        },
        "shortcuts": {},
    },
}

CORPUS.update({
    "relu_prime": {
        "valid": {
            "strict_mask_float": '''
def relu_prime(z):
    return (np.asarray(z) > 0).astype(float)
''',
            "where": '''
def relu_prime(z):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)
''',
            "heaviside_zero_at_zero": '''
def relu_prime(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)
''',
            "bool_array": '''
def relu_prime(z):
    return np.asarray(z) > 0
''',
        },
        "mistakes": {
            "one_at_zero": {"source": '''
def relu_prime(z):
    return (np.asarray(z) >= 0).astype(float)
''', "what": "takes ReLU'(0) = 1 where the course takes 0.",
                "evidence": "right for every z != 0; 1 instead of 0 at z = 0"},
            "returns_relu": {"source": '''
def relu_prime(z):
    return np.maximum(z, 0)
''', "what": "returns ReLU itself instead of its derivative.",
                "evidence": "right only where z <= 0 or z = 1"},
            "inverted_mask": {"source": '''
def relu_prime(z):
    return (np.asarray(z) < 0).astype(float)
''', "what": "the mask is inverted: 1 for negative z, 0 for positive.",
                "evidence": "wrong for every nonzero z; right at z = 0"},
            "sign_function": {"source": '''
def relu_prime(z):
    return np.sign(z)
''', "what": "np.sign gives -1 for negative z instead of 0.",
                "evidence": "right for z >= 0; -1 instead of 0 for z < 0"},
            "half_at_zero": {"source": '''
def relu_prime(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.5)
''', "what": "takes the subgradient 1/2 at z = 0 where the course takes 0.",
                "evidence": "right for z != 0; 0.5 at z = 0"},
        },
        "shortcuts": {},
    },
    "leaky_relu": {
        "valid": {
            "where": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, slope * z)
''',
            "maximum_form": '''
def leaky_relu(z, slope=0.1):
    return np.maximum(z, slope * np.asarray(z, dtype=float))
''',
            "relu_plus_negative_part": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0) + slope * np.minimum(z, 0)
''',
        },
        "mistakes": {
            "hard_coded_slope": {"source": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.1 * z)
''', "what": "ignores the slope argument and always uses 0.1.",
                "evidence": "right with the default slope; wrong for z < 0 when slope != 0.1"},
            "slope_on_positive_side": {"source": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, slope * z, z)
''', "what": "applies the slope to the positive side and the identity to the negative side.",
                "evidence": "wrong for every nonzero z"},
            "slope_added_not_multiplied": {"source": '''
def leaky_relu(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, slope + z)
''', "what": "adds the slope instead of multiplying by it on the negative side.",
                "evidence": "right for z > 0; z + slope instead of slope z for z <= 0"},
            "minimum_form": {"source": '''
def leaky_relu(z, slope=0.1):
    return np.minimum(z, slope * np.asarray(z, dtype=float))
''', "what": "np.minimum instead of np.maximum in max(z, slope z).",
                "evidence": "wrong for every nonzero z (the two sides swapped)"},
        },
        "shortcuts": {},
    },
    "leaky_relu_prime": {
        "valid": {
            "where": '''
def leaky_relu_prime(z, slope=0.1):
    return np.where(np.asarray(z) > 0, 1.0, slope)
''',
            "mask_arithmetic": '''
def leaky_relu_prime(z, slope=0.1):
    pos = (np.asarray(z) > 0).astype(float)
    return pos + slope * (1 - pos)
''',
            "full_like_then_set": '''
def leaky_relu_prime(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    d = np.full(z.shape, float(slope))
    d[z > 0] = 1.0
    return d
''',
        },
        "mistakes": {
            "one_at_zero": {"source": '''
def leaky_relu_prime(z, slope=0.1):
    return np.where(np.asarray(z) >= 0, 1.0, slope)
''', "what": "takes the derivative 1 at z = 0 where the course takes slope.",
                "evidence": "right for z != 0; 1 instead of slope at z = 0"},
            "hard_coded_slope": {"source": '''
def leaky_relu_prime(z, slope=0.1):
    return np.where(np.asarray(z) > 0, 1.0, 0.1)
''', "what": "ignores the slope argument and returns 0.1 on the negative side.",
                "evidence": "right with the default slope; wrong for z <= 0 when slope != 0.1"},
            "zero_on_negative_side": {"source": '''
def leaky_relu_prime(z, slope=0.1):
    return (np.asarray(z) > 0).astype(float)
''', "what": "returns ReLU's derivative: 0 instead of slope for z <= 0.",
                "evidence": "right for z > 0; 0 instead of slope for z <= 0"},
            "slope_times_z": {"source": '''
def leaky_relu_prime(z, slope=0.1):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, slope * z)
''', "what": "returns slope * z (the function's value) on the negative side instead of slope.",
                "evidence": "right for z > 0; slope z instead of slope for z <= 0"},
            "swapped_sides": {"source": '''
def leaky_relu_prime(z, slope=0.1):
    return np.where(np.asarray(z) > 0, slope, 1.0)
''', "what": "the two sides are swapped: slope for z > 0 and 1 for z <= 0.",
                "evidence": "wrong for every z (right only when slope = 1)"},
        },
        "shortcuts": {},
    },
    "maxout": {
        "valid": {
            "matmul_transpose": '''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T + b1, X @ W2.T + b2)
''',
            "einsum_stack_max": '''
def maxout(X, W1, b1, W2, b2):
    Z = np.stack([np.einsum("mi,oi->mo", X, W) + b for W, b in ((W1, b1), (W2, b2))])
    return Z.max(axis=0)
''',
            "transpose_of_column_form": '''
def maxout(X, W1, b1, W2, b2):
    Z1 = (W1 @ X.T + b1[:, None]).T
    Z2 = (W2 @ X.T + b2[:, None]).T
    return np.where(Z1 >= Z2, Z1, Z2)
''',
        },
        "mistakes": {
            "ignores_biases": {"source": '''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T, X @ W2.T)
''', "what": "follows the notes' max(W1 x, W2 x) and leaves out both biases.",
                "evidence": "right only when b1 = b2 = 0"},
            "minimum": {"source": '''
def maxout(X, W1, b1, W2, b2):
    return np.minimum(X @ W1.T + b1, X @ W2.T + b2)
''', "what": "keeps the smaller of the two pieces instead of the larger.",
                "evidence": "each entry is the other piece's value"},
            "max_over_units": {"source": '''
def maxout(X, W1, b1, W2, b2):
    Z = np.maximum(X @ W1.T + b1, X @ W2.T + b2)
    return np.max(Z, axis=1, keepdims=True) * np.ones_like(Z)
''', "what": "also takes the maximum across the units of each example.",
                "evidence": "each row filled with its largest entry"},
            "sum_of_pieces": {"source": '''
def maxout(X, W1, b1, W2, b2):
    return (X @ W1.T + b1) + (X @ W2.T + b2)
''', "what": "adds the two affine maps instead of taking their elementwise maximum.",
                "evidence": "wrong on every entry"},
            "bias_one_only": {"source": '''
def maxout(X, W1, b1, W2, b2):
    return np.maximum(X @ W1.T + b1, X @ W2.T + b1)
''', "what": "uses b1 for both pieces (copy-paste slip), ignoring b2.",
                "evidence": "right only where b2 = b1 or the first piece wins by enough"},
        },
        "shortcuts": {},
    },
    "softmax": {
        "valid": {
            "max_shift": '''
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)
''',
            "logsumexp": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    m = Z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return np.exp(Z - lse)
''',
            "transpose_trick": '''
def softmax(Z):
    S = Z.T - Z.max(axis=1)
    E = np.exp(S)
    return (E / E.sum(axis=0)).T
''',
        },
        "mistakes": {
            "no_max_shift": {"source": '''
def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
''', "what": "no max shift: exp overflows for entries as large as 1e4 and gives nan.",
                "evidence": "right for moderate entries; nan rows (and warnings) for large entries"},
            "wrong_axis": {"source": '''
def softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)
''', "what": "normalises the columns (axis 0) instead of the rows.",
                "evidence": "the columns sum to 1 instead of the rows; wrong on every entry in general"},
            "global_sum": {"source": '''
def softmax(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum()
''', "what": "normalises by the sum over the whole batch instead of each row.",
                "evidence": "right only for a batch of one row"},
            "missing_keepdims": {"source": '''
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1)
''', "what": "row sums without keepdims broadcast along the columns (divides entry (i, j) by row j's sum).",
                "evidence": "right only where row sums are equal; shape error when m != C"},
            "shift_by_min": {"source": '''
def softmax(Z):
    E = np.exp(Z - Z.min(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
''', "what": "subtracts the row minimum instead of the maximum, which still overflows for wide rows.",
                "evidence": "values right for moderate spreads; nan when a row spans more than about 710"},
        },
        "shortcuts": {},
    },
    "softmax_jacobian": {
        "valid": {
            "diag_minus_outer": '''
def softmax_jacobian(a):
    return np.diag(a) - np.outer(a, a)
''',
            "kronecker_delta_broadcast": '''
def softmax_jacobian(a):
    a = np.asarray(a, dtype=float)
    return a[:, None] * (np.eye(a.size) - a[None, :])
''',
            "einsum": '''
def softmax_jacobian(a):
    C = a.shape[0]
    return np.einsum("i,ij->ij", a, np.eye(C)) - np.einsum("i,j->ij", a, a)
''',
        },
        "mistakes": {
            "diagonal_only": {"source": '''
def softmax_jacobian(a):
    return np.diag(a * (1 - a))
''', "what": "the notes' erratum: only the diagonal a_i(1 - a_i), off-diagonal entries 0.",
                "evidence": "diagonal right; every off-diagonal entry 0 instead of -a_i a_j"},
            "sign_of_outer": {"source": '''
def softmax_jacobian(a):
    return np.diag(a) + np.outer(a, a)
''', "what": "sign slip: diag(a) + a a^T.",
                "evidence": "every entry off by 2 a_i a_j"},
            "identity_minus_outer": {"source": '''
def softmax_jacobian(a):
    return np.eye(len(a)) - np.outer(a, a)
''', "what": "I - a a^T instead of diag(a) - a a^T.",
                "evidence": "off-diagonal entries right; diagonal 1 - a_i^2 instead of a_i(1 - a_i)"},
            "inner_product": {"source": '''
def softmax_jacobian(a):
    return np.diag(a) - a @ a
''', "what": "subtracts the scalar a.a everywhere instead of the outer product.",
                "evidence": "every entry wrong"},
            "outer_off_diagonal_only": {"source": '''
def softmax_jacobian(a):
    a = np.asarray(a, dtype=float)
    return np.diag(a) - np.outer(a, a) * (1 - np.eye(a.size))
''', "what": "forgets the -a_i^2 term on the diagonal: diagonal a_i instead of a_i(1 - a_i).",
                "evidence": "off-diagonal entries right; diagonal a_i instead of a_i - a_i^2"},
        },
        "shortcuts": {},
    },
    "numerical_gradient": {
        "valid": {
            "copy_and_loop": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad
''',
            "restore_in_place_nditer": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
        it.iternext()
    return grad
''',
            "flat_views_of_copies": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.size)
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = h
        e = e.reshape(x.shape)
        grad[k] = (f(x + e) - f(x - e)) / (2 * h)
    return grad.reshape(x.shape)
''',
        },
        "mistakes": {
            "forward_difference": {"source": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - fx) / h
    return grad
''', "what": "one-sided difference (f(x + h e) - f(x)) / h instead of the central difference.",
                "evidence": "off by about h f''/2 on each entry (visible with large h)"},
            "divides_by_h": {"source": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / h
    return grad
''', "what": "divides the central difference by h instead of 2h.",
                "evidence": "every entry is twice the expected one"},
            "restores_by_arithmetic": {"source": '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        grad[i] = (fp - fm) / (2 * h)
    return grad
''', "what": "restores x by adding and subtracting h, which need not give back the same bits.",
                "evidence": "values right; x modified in its last bits for some entries"},
            "ignores_h": {"source": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    step = 1e-5
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = step
        grad[i] = (f(x + e) - f(x - e)) / (2 * step)
    return grad
''', "what": "ignores the argument h and always uses 1e-5.",
                "evidence": "right with the default h; differs when another (large) h is passed"},
            "flat_vector_only": {"source": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.shape[0]):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
''', "what": "perturbs whole rows at once for a matrix x (loops over the first axis only).",
                "evidence": "right for vectors; each row of a matrix gets the row-sum directional derivative"},
            "whole_array_step": {"source": '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))
''', "what": "perturbs every entry at once, giving one directional derivative copied to every entry.",
                "evidence": "every entry equals the sum of the partial derivatives"},
        },
        "shortcuts": {},
    },
})
