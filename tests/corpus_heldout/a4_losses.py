"""Held-out student answers for assignment 4, part 1: the five losses and their gradients.

Written from ``assignments/a4_losses_backprop/losses_backprop.ipynb`` alone (``verify.py``
merges this file with ``a4.py``). A loss returns the mean over the m rows of per-row sums as
a float; its ``_gradient`` returns dL/dY_hat, shape (m, n). See README.md.
"""

CORPUS = {
    "mse": {
        "valid": {
            "vdot": '''
def mse(Y_hat, Y):
    R = np.asarray(Y_hat, dtype=float) - Y
    return float(0.5 * np.vdot(R, R) / R.shape[0])
''',
            "row_loop": '''
def mse(Y_hat, Y):
    per_row = [0.5 * np.sum((yh - y) ** 2) for yh, y in zip(Y_hat, Y)]
    return float(np.mean(per_row))
''',
        },
        "mistakes": {
            "mean_of_all_entries": dict(source='''
def mse(Y_hat, Y):
    return float(0.5 * np.mean((Y_hat - Y) ** 2))
''', what="Averages over every entry (divides by m n) instead of summing over the units and averaging over the rows.",
                evidence="wrong_axis"),
            "no_half": dict(source='''
def mse(Y_hat, Y):
    return float(np.mean(np.sum((Y_hat - Y) ** 2, axis=1)))
''', what="Leaves out the 1/2 of the course's loss.",
                evidence="factor"),
            "sum_over_batch": dict(source='''
def mse(Y_hat, Y):
    return float(0.5 * np.sum((Y_hat - Y) ** 2))
''', what="Sums over the examples instead of taking their mean.",
                evidence="factor"),
            "notes_matrix_form": dict(source='''
def mse(Y_hat, Y):
    R = Y - Y_hat
    return 0.5 * (R.T @ R) / len(Y)
''', what="Writes the notes' (Y - Y_hat)^T (Y - Y_hat) for a batch, which is an (n, n) matrix, not a number.",
                evidence="shape"),
        },
        "shortcuts": {},
    },
    "mse_gradient": {
        "valid": {
            "divide_by_rows": '''
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / len(Y_hat)
''',
            "times_reciprocal": '''
def mse_gradient(Y_hat, Y):
    m = np.shape(Y_hat)[0]
    return np.subtract(Y_hat, Y, dtype=np.float64) * (1.0 / m)
''',
        },
        "mistakes": {
            "no_one_over_m": dict(source='''
def mse_gradient(Y_hat, Y):
    return Y_hat - Y
''', what="Returns the per-example derivative without the 1/m of the mean.",
                evidence="factor"),
            "divides_by_size": dict(source='''
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y_hat.size
''', what="Divides by the number of entries m n instead of the number of rows m.",
                evidence="wrong_axis"),
            "derivative_wrt_target": dict(source='''
def mse_gradient(Y_hat, Y):
    m = Y.shape[0]
    return (Y - Y_hat) / m
''', what="Differentiates with respect to the target Y (the notes' erratum) and gets the opposite sign.",
                evidence="sign"),
            "factor_two": dict(source='''
def mse_gradient(Y_hat, Y):
    return 2 * (Y_hat - Y) / Y.shape[0]
''', what="Differentiates the square without the 1/2 of the loss, doubling the gradient.",
                evidence="factor"),
            "averaged_over_rows": dict(source='''
def mse_gradient(Y_hat, Y):
    return np.mean(Y_hat - Y, axis=0)
''', what="Averages the residuals over the rows, returning one value per unit instead of an (m, n) array.",
                evidence="shape"),
        },
        "shortcuts": {
            "central_entrywise": '''
def mse(Y_hat, Y):
    return 0.5 * np.mean(np.sum((Y_hat - Y) ** 2, axis=1))


def mse_gradient(Y_hat, Y):
    h = 1e-6
    G = np.zeros(Y_hat.shape)
    for i in range(Y_hat.shape[0]):
        for j in range(Y_hat.shape[1]):
            P, M = Y_hat.copy(), Y_hat.copy()
            P[i, j] += h
            M[i, j] -= h
            G[i, j] = (mse(P, Y) - mse(M, Y)) / (2 * h)
    return G
''',
        },
    },
    "huber": {
        "valid": {
            "min_trick": '''
def huber(Y_hat, Y, c=1.0):
    a = np.abs(Y_hat - Y)
    q = np.minimum(a, c)
    return float(np.mean(np.sum(0.5 * q ** 2 + c * (a - q), axis=1)))
''',
            "masks": '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    small = np.abs(r) <= c
    per_entry = np.zeros_like(r)
    per_entry[small] = 0.5 * r[small] ** 2
    per_entry[~small] = c * (np.abs(r[~small]) - 0.5 * c)
    return float(per_entry.sum() / r.shape[0])
''',
        },
        "mistakes": {
            "threshold_ignored": dict(source='''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.sum(np.where(r <= 1, 0.5 * r ** 2, r - 0.5), axis=1)))
''', what="Uses the threshold 1 whatever c is.",
                evidence="ignored_argument"),
            "no_half_c_offset": dict(source='''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.sum(np.where(r <= c, 0.5 * r ** 2, c * r), axis=1)))
''', what="Writes the linear piece as c|r|, forgetting the -c/2 that makes the pieces meet.",
                evidence="missing_term"),
            "linear_piece_without_c": dict(source='''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.sum(np.where(r <= c, 0.5 * r ** 2, r - 0.5 * c), axis=1)))
''', what="Writes the linear piece as |r| - c/2, without the factor c.",
                evidence="factor"),
            "signed_residual_compared": dict(source='''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(np.where(r <= c, 0.5 * r ** 2, c * (np.abs(r) - 0.5 * c)), axis=1)))
''', what="Compares the signed residual with c, so large negative residuals stay on the quadratic piece.",
                evidence="sign"),
            "mean_of_entries": dict(source='''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c))))
''', what="Averages over every entry instead of summing over the units and averaging over the rows.",
                evidence="wrong_axis"),
        },
        "shortcuts": {},
    },
    "huber_gradient": {
        "valid": {
            "clip": '''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c) / Y_hat.shape[0]
''',
            "where_sign": '''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, c * np.sign(r)) / len(r)
''',
        },
        "mistakes": {
            "sign_forgotten": dict(source='''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, c) / len(r)
''', what="Writes the linear piece's derivative as c, losing the sign of r for large negative residuals.",
                evidence="sign"),
            "no_one_over_m": dict(source='''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c)
''', what="Returns the per-example derivative without the 1/m of the mean.",
                evidence="factor"),
            "threshold_ignored": dict(source='''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -1.0, 1.0) / Y.shape[0]
''', what="Clips at 1 whatever c is.",
                evidence="ignored_argument"),
            "unit_slope_outside": dict(source='''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, np.sign(r)) / r.shape[0]
''', what="Gives the linear piece slope sign(r) instead of c sign(r).",
                evidence="factor"),
        },
        "shortcuts": {
            "vectorised_central": '''
def huber_gradient(Y_hat, Y, c=1.0):
    def h_c(r):
        return np.where(np.abs(r) <= c, 0.5 * r ** 2, c * (np.abs(r) - 0.5 * c))
    h = 1e-6
    r = Y_hat - Y
    # each entry appears in one term of the sum only, so one vectorised difference does every entry
    return (h_c(r + h) - h_c(r - h)) / (2 * h) / r.shape[0]
''',
        },
    },
    "pseudo_huber": {
        "valid": {
            "hypot": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.sum(c * (np.hypot(c, r) - c)) / r.shape[0])
''',
            "cancellation_free": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    s = np.sqrt(1.0 + (r / c) ** 2)
    return float(np.mean(np.sum(r ** 2 / (s + 1.0), axis=1)))
''',
        },
        "mistakes": {
            "no_c_squared": dict(source='''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(np.sqrt(1 + (r / c) ** 2) - 1, axis=1)))
''', what="Leaves out the factor c^2 in front.",
                evidence="factor"),
            "no_minus_one": dict(source='''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * np.sqrt(1 + (r / c) ** 2), axis=1)))
''', what="Forgets the -1 inside the bracket, adding c^2 per unit.",
                evidence="missing_term"),
            "c_not_squared_inside": dict(source='''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * (np.sqrt(1 + r ** 2 / c) - 1), axis=1)))
''', what="Divides r^2 by c instead of c^2 under the square root.",
                evidence="factor"),
            "mean_of_entries": dict(source='''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1)))
''', what="Averages over every entry instead of summing over the units and averaging over the rows.",
                evidence="wrong_axis"),
        },
        "shortcuts": {},
    },
    "pseudo_huber_gradient": {
        "valid": {
            "hypot": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return c * r / np.hypot(c, r) / r.shape[0]
''',
            "written_out": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    m = len(Y_hat)
    r = Y_hat - Y
    root = np.sqrt(1.0 + (r / c) ** 2)
    outer = c ** 2 * 0.5 / root
    inner = 2.0 * r / c ** 2
    return outer * inner / m
''',
        },
        "mistakes": {
            "no_one_over_m": dict(source='''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2)
''', what="Returns the per-example derivative without the 1/m of the mean.",
                evidence="factor"),
            "c_squared_kept": dict(source='''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return c ** 2 * r / np.sqrt(1 + (r / c) ** 2) / len(r)
''', what="Keeps c^2 in front but forgets the 1/c^2 of the inner derivative of (r/c)^2.",
                evidence="factor"),
            "root_upside_down": dict(source='''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r * np.sqrt(1 + (r / c) ** 2) / len(r)
''', what="Multiplies by the square root instead of dividing by it.",
                evidence="wrong_function"),
            "half_from_the_root": dict(source='''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return 0.5 * r / np.sqrt(1 + (r / c) ** 2) / len(r)
''', what="Keeps the 1/2 of the square root's derivative but forgets the 2 of the inner square.",
                evidence="factor"),
        },
        "shortcuts": {
            "richardson": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    def per_entry(r):
        return c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1)

    def central(h):
        r = Y_hat - Y
        return (per_entry(r + h) - per_entry(r - h)) / (2 * h)

    h = 1e-3
    return (4 * central(h) - central(2 * h)) / 3 / len(Y_hat)
''',
        },
    },
    "bce": {
        "valid": {
            "log1p": '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log1p(-P)) / len(P))
''',
            "probability_of_label": '''
def bce(Y_hat, Y):
    P = np.clip(np.asarray(Y_hat, dtype=float), 1e-12, 1 - 1e-12)
    right = np.where(Y == 1, P, 1 - P)      # the probability given to the true label
    return float(np.mean(-np.log(right).sum(axis=1)))
''',
        },
        "mistakes": {
            "no_clipping": dict(source='''
def bce(Y_hat, Y):
    return float(-np.mean(np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat), axis=1)))
''', what="Does not clip, so a prediction of exactly 0 or 1 gives log 0 (inf or nan).",
                evidence="edge_case"),
            "keras_epsilon": dict(source='''
def bce(Y_hat, Y):
    eps = 1e-7
    P = np.clip(Y_hat, eps, 1 - eps)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
''', what="Clips with epsilon 1e-7 instead of the notebook's 1e-12.",
                evidence="edge_case"),
            "mean_of_entries": dict(source='''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)))
''', what="Averages over every entry instead of summing over the units and averaging over the rows.",
                evidence="wrong_axis"),
            "second_term_struck": dict(source='''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))
''', what="Strikes out the (1 - y) log(1 - p) term as the notes do, ignoring every label 0.",
                evidence="missing_term"),
            "log10": dict(source='''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log10(P) + (1 - Y) * np.log10(1 - P), axis=1)))
''', what="Uses the base-10 logarithm instead of the natural one.",
                evidence="wrong_function"),
        },
        "shortcuts": {},
    },
    "bce_gradient": {
        "valid": {
            "one_fraction": '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (P - Y) / (P * (1 - P)) / P.shape[0]
''',
            "two_terms": '''
def bce_gradient(Y_hat, Y):
    m = len(Y)
    P = np.clip(np.asarray(Y_hat, dtype=np.float64), 1e-12, 1 - 1e-12)
    return (-(Y / P) + (1 - Y) / (1 - P)) / m
''',
        },
        "mistakes": {
            "no_clipping": dict(source='''
def bce_gradient(Y_hat, Y):
    return (-Y / Y_hat + (1 - Y) / (1 - Y_hat)) / len(Y)
''', what="Does not clip in the gradient, dividing by zero at predictions of exactly 0 or 1.",
                evidence="edge_case"),
            "sign": dict(source='''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (Y / P - (1 - Y) / (1 - P)) / len(Y)
''', what="Loses the minus sign in front of the loss, returning -dL/dp.",
                evidence="sign"),
            "no_one_over_m": dict(source='''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P + (1 - Y) / (1 - P)
''', what="Returns the per-example derivative without the 1/m of the mean.",
                evidence="factor"),
            "delta_instead": dict(source='''
def bce_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y.shape[0]
''', what="Returns (p - y)/m, the gradient with respect to the sigmoid's z, instead of with respect to p.",
                evidence="wrong_function"),
            "epsilon_in_denominators": dict(source='''
def bce_gradient(Y_hat, Y):
    eps = 1e-7
    return (-Y / (Y_hat + eps) + (1 - Y) / (1 - Y_hat + eps)) / len(Y)
''', what="Adds 1e-7 to the denominators instead of clipping the predictions to [1e-12, 1 - 1e-12].",
                evidence="edge_case"),
        },
        "shortcuts": {},
    },
    "cce": {
        "valid": {
            "true_class_only": '''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    rows = np.arange(len(P))
    return float(-np.mean(np.log(P[rows, np.argmax(Y, axis=1)])))
''',
            "einsum": '''
def cce(Y_hat, Y):
    logP = np.log(np.clip(Y_hat, 1e-12, 1.0 - 1e-12))
    return float(-np.einsum("ij,ij->", Y, logP) / Y.shape[0])
''',
        },
        "mistakes": {
            "no_clipping": dict(source='''
def cce(Y_hat, Y):
    return float(-np.mean(np.sum(Y * np.log(Y_hat), axis=1)))
''', what="Does not clip, so a class with t = 0 and y = 0 gives 0 log 0 = nan.",
                evidence="edge_case"),
            "mean_of_entries": dict(source='''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(P)))
''', what="Averages over every entry (m C) instead of summing over the classes and averaging over the rows.",
                evidence="wrong_axis"),
            "sum_over_batch": dict(source='''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P)))
''', what="Sums over the examples instead of taking their mean.",
                evidence="factor"),
            "binary_terms_added": dict(source='''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
''', what="Adds the binary cross-entropy's (1 - t) log(1 - y) terms for the other classes.",
                evidence="extra_term"),
        },
        "shortcuts": {},
    },
    "cce_gradient": {
        "valid": {
            "where": '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return np.where(Y > 0, -Y / P, 0.0) / len(P)
''',
            "divide_then_scale": '''
def cce_gradient(Y_hat, Y):
    m = Y_hat.shape[0]
    return -(1.0 / m) * Y / np.clip(Y_hat, 1e-12, 1 - 1e-12)
''',
        },
        "mistakes": {
            "softmax_delta": dict(source='''
def cce_gradient(Y_hat, Y):
    return (Y_hat - Y) / len(Y)
''', what="Returns (y - t)/m, the gradient with respect to the softmax's z, instead of with respect to the "
          "predictions.",
                evidence="wrong_function"),
            "no_clipping": dict(source='''
def cce_gradient(Y_hat, Y):
    return -Y / Y_hat / len(Y)
''', what="Does not clip, dividing by zero where the true class gets probability 0.",
                evidence="edge_case"),
            "no_one_over_m": dict(source='''
def cce_gradient(Y_hat, Y):
    return -Y / np.clip(Y_hat, 1e-12, 1 - 1e-12)
''', what="Returns the per-example derivative without the 1/m of the mean.",
                evidence="factor"),
            "sign": dict(source='''
def cce_gradient(Y_hat, Y):
    return Y / np.clip(Y_hat, 1e-12, 1 - 1e-12) / len(Y)
''', what="Loses the minus sign of the loss.",
                evidence="sign"),
            "label_ignored": dict(source='''
def cce_gradient(Y_hat, Y):
    return -1.0 / np.clip(Y_hat, 1e-12, 1 - 1e-12) / len(Y)
''', what="Writes -1/y for every class, forgetting the factor t_i that zeroes the other classes.",
                evidence="missing_term"),
        },
        "shortcuts": {},
    },
}
