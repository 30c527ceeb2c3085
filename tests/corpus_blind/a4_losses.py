"""Blind corpus, assignment 4 part 1: the five losses and their gradients with respect to Y_hat.

Written from ``assignments/a4_losses_backprop/losses_backprop.ipynb`` alone (merged with ``a4.py``
by ``verify.py``). The losses use numpy only, so this file needs no prelude.
"""

from blind_forms import mistake as _mistake


def _entrywise(name: str, per_entry: str, signature: str = "Y_hat, Y", step: str = "1e-6") -> str:
    """A loss gradient by central differences of the per-entry loss, every entry at once (the loss
    is a sum of terms of one entry each, so one vectorised difference gives every partial)."""
    return f'''
def {name}({signature}):
    def term(P):
        return {per_entry}
    h = {step}
    return (term(Y_hat + h) - term(Y_hat - h)) / (2 * h) / Y_hat.shape[0]
'''


CORPUS = {
    "mse": {
        "valid": {
            "half_mean_of_row_sums": '''
def mse(Y_hat, Y):
    return float(0.5 * np.mean(np.sum((Y_hat - Y) ** 2, axis=1)))
''',
            "total_over_2m": '''
def mse(Y_hat, Y):
    R = Y_hat - Y
    return float(np.sum(R * R) / (2 * len(R)))
''',
            "einsum": '''
def mse(Y_hat, Y):
    R = np.asarray(Y_hat - Y, dtype=float)
    return 0.5 * np.einsum("ij,ij->", R, R) / R.shape[0]
''',
        },
        "mistakes": {
            "mean_of_entries": _mistake('''
def mse(Y_hat, Y):
    return float(0.5 * np.mean((Y_hat - Y) ** 2))
''', "averages over every entry, dividing by m n instead of m", "wrong_axis"),
            "no_half": _mistake('''
def mse(Y_hat, Y):
    return float(np.mean(np.sum((Y_hat - Y) ** 2, axis=1)))
''', "drops the 1/2 (the notes' second form)", "factor"),
            "no_mean": _mistake('''
def mse(Y_hat, Y):
    return float(0.5 * np.sum((Y_hat - Y) ** 2))
''', "sums over the examples instead of averaging", "factor"),
            "mean_over_units": _mistake('''
def mse(Y_hat, Y):
    return float(0.5 * np.mean(np.sum((Y_hat - Y) ** 2, axis=0)))
''', "sums over the examples and averages over the units", "wrong_axis"),
            "square_of_sum": _mistake('''
def mse(Y_hat, Y):
    return float(0.5 * np.mean(np.sum(Y_hat - Y, axis=1) ** 2))
''', "squares the row sum of residuals instead of summing squares", "wrong_function"),
        },
        "shortcuts": {},
    },
    "mse_gradient": {
        "valid": {
            "residual_over_m": '''
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y_hat.shape[0]
''',
            "negated_target_form": '''
def mse_gradient(Y_hat, Y):
    return -(Y - Y_hat) / len(Y)
''',
        },
        "mistakes": {
            "no_mean": _mistake('''
def mse_gradient(Y_hat, Y):
    return Y_hat - Y
''', "returns the per-example derivative without 1/m", "factor"),
            "notes_sign": _mistake('''
def mse_gradient(Y_hat, Y):
    return (Y - Y_hat) / len(Y)
''', "takes the notes' -(Y - Y_hat) and loses the minus sign", "sign"),
            "over_all_entries": _mistake('''
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y_hat.size
''', "divides by m n", "wrong_axis"),
            "factor_two": _mistake('''
def mse_gradient(Y_hat, Y):
    return 2 * (Y_hat - Y) / len(Y)
''', "differentiates the loss without its 1/2", "factor"),
        },
        "shortcuts": {
            "entrywise_central": _entrywise("mse_gradient", "0.5 * (P - Y) ** 2"),
            "complex_step": '''
def mse_gradient(Y_hat, Y):
    h = 1e-50
    return (0.5 * (Y_hat + 1j * h - Y) ** 2).imag / h / len(Y_hat)
''',
        },
    },
    "huber": {
        "valid": {
            "where": '''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    per_entry = np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c))
    return float(per_entry.sum(axis=1).mean())
''',
            "clipped_magnitude": '''
def huber(Y_hat, Y, c=1.0):
    a = np.abs(Y_hat - Y)
    q = np.minimum(a, c)                 # quadratic part, then linear beyond c
    return float(np.sum(q * (a - 0.5 * q)) / len(a))
''',
        },
        "mistakes": {
            "fixed_threshold": _mistake('''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.sum(np.where(r <= 1, 0.5 * r ** 2, r - 0.5), axis=1)))
''', "uses c = 1 whatever c is passed", "ignored_argument"),
            "linear_without_offset": _mistake('''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.sum(np.where(r <= c, 0.5 * r ** 2, c * r), axis=1)))
''', "writes the linear piece as c |r|, without the - c/2", "missing_term"),
            "half_not_half_c": _mistake('''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.sum(np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5)), axis=1)))
''', "writes c (|r| - 1/2) for c (|r| - c/2)", "factor"),
            "signed_comparison": _mistake('''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(np.where(r <= c, 0.5 * r ** 2, c * (np.abs(r) - 0.5 * c)), axis=1)))
''', "compares r rather than |r| with c, so large negative residuals stay quadratic", "sign"),
            "entry_mean": _mistake('''
def huber(Y_hat, Y, c=1.0):
    r = np.abs(Y_hat - Y)
    return float(np.mean(np.where(r <= c, 0.5 * r ** 2, c * (r - 0.5 * c))))
''', "averages over every entry instead of summing the units", "wrong_axis"),
        },
        "shortcuts": {},
    },
    "huber_gradient": {
        "valid": {
            "clip": '''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c) / len(Y_hat)
''',
            "where_sign": '''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    slope = np.where(np.abs(r) <= c, r, c * np.sign(r))
    return slope / r.shape[0]
''',
        },
        "mistakes": {
            "linear_everywhere": _mistake('''
def huber_gradient(Y_hat, Y, c=1.0):
    return c * np.sign(Y_hat - Y) / len(Y)
''', "uses c sign(r) for every residual, the inner quadratic piece included", "wrong_function"),
            "no_mean": _mistake('''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c)
''', "forgets the 1/m of the mean", "factor"),
            "loses_sign_outside": _mistake('''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, c) / len(r)
''', "returns +c beyond the threshold for negative residuals too", "sign"),
            "fixed_threshold": _mistake('''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -1.0, 1.0) / len(Y)
''', "clips at 1 whatever c is", "ignored_argument"),
            "unit_slope_outside": _mistake('''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, np.sign(r)) / len(r)
''', "gives slope sign(r) outside, dropping the c", "missing_term"),
        },
        "shortcuts": {
            "entrywise_central": _entrywise("huber_gradient",
                                            "np.where(np.abs(P - Y) <= c, 0.5 * (P - Y) ** 2, c * (np.abs(P - Y) - 0.5 * c))",
                                            "Y_hat, Y, c=1.0", step="1e-7"),
        },
    },
    "pseudo_huber": {
        "valid": {
            "definition": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1), axis=1)))
''',
            "conjugate": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    # c^2 (s - 1) = c^2 (s^2 - 1) / (s + 1) = r^2 / (s + 1): no cancellation for small r
    per_entry = r ** 2 / (np.sqrt(1 + (r / c) ** 2) + 1)
    return float(per_entry.sum() / r.shape[0])
''',
            "hypot": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = np.asarray(Y_hat - Y, dtype=float)
    return float(np.sum(c * (np.hypot(c, r) - c), axis=1).mean())
''',
        },
        "mistakes": {
            "no_c_squared": _mistake('''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(np.sqrt(1 + (r / c) ** 2) - 1, axis=1)))
''', "drops the factor c^2", "factor"),
            "c_not_squared": _mistake('''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c * (np.sqrt(1 + (r / c) ** 2) - 1), axis=1)))
''', "multiplies by c instead of c^2", "factor"),
            "c_ignored": _mistake('''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(np.sqrt(1 + r ** 2) - 1, axis=1)))
''', "writes the c = 1 formula", "ignored_argument"),
            "no_minus_one": _mistake('''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * np.sqrt(1 + (r / c) ** 2), axis=1)))
''', "leaves out the - 1, so a perfect prediction costs c^2 per unit", "missing_term"),
            "entry_mean": _mistake('''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1)))
''', "averages over every entry", "wrong_axis"),
        },
        "shortcuts": {},
    },
    "pseudo_huber_gradient": {
        "valid": {
            "chain_rule": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2) / len(r)
''',
            "hypot": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return c * r / np.hypot(c, r) / r.shape[0]
''',
        },
        "mistakes": {
            "c_ignored": _mistake('''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + r ** 2) / len(r)
''', "uses the c = 1 derivative", "ignored_argument"),
            "keeps_c_squared": _mistake('''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return c ** 2 * r / np.sqrt(1 + (r / c) ** 2) / len(r)
''', "keeps the c^2 that the inner derivative 1/c^2 cancels", "factor"),
            "inner_over_c": _mistake('''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return (r / c) / np.sqrt(1 + (r / c) ** 2) / len(r)
''', "stops the chain rule at r / c", "factor"),
            "no_mean": _mistake('''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2)
''', "forgets the 1/m", "factor"),
            "no_square_root": _mistake('''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / (1 + (r / c) ** 2) / len(r)
''', "forgets the square root in the denominator", "wrong_function"),
        },
        "shortcuts": {
            "complex_step": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    h = 1e-30
    r = (Y_hat - Y) + 1j * h
    per_entry = c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1)
    return per_entry.imag / h / Y_hat.shape[0]
''',
            "entrywise_central": _entrywise("pseudo_huber_gradient", "c ** 2 * (np.sqrt(1 + ((P - Y) / c) ** 2) - 1)",
                                            "Y_hat, Y, c=1.0"),
        },
    },
    "bce": {
        "valid": {
            "clip_then_logs": '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
''',
            "log1p": '''
def bce(Y_hat, Y):
    eps = 1e-12
    P = np.minimum(np.maximum(Y_hat, eps), 1 - eps)
    per_row = -(Y * np.log(P) + (1 - Y) * np.log1p(-P)).sum(axis=1)
    return float(per_row.mean())
''',
            "select_by_label": '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    chosen = np.where(Y == 1, P, 1 - P)        # the probability given to the true label
    return float(-np.log(chosen).sum() / len(P))
''',
        },
        "mistakes": {
            "no_clip": _mistake('''
def bce(Y_hat, Y):
    return float(-np.mean(np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat), axis=1)))
''', "does not clip: log 0 gives inf or nan at predictions of 0 or 1", "edge_case"),
            "looser_epsilon": _mistake('''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-7, 1 - 1e-7)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
''', "clips to [1e-7, 1 - 1e-7] instead of the stated 1e-12", "edge_case"),
            "entry_mean": _mistake('''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)))
''', "averages over every entry instead of summing the units", "wrong_axis"),
            "struck_out_term": _mistake('''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))
''', "drops the (1 - y) log(1 - p) term, as the notes' struck-out line", "missing_term"),
            "positive": _mistake('''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
''', "forgets the leading minus sign", "sign"),
            "log10": _mistake('''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log10(P) + (1 - Y) * np.log10(1 - P), axis=1)))
''', "uses log10 instead of the natural logarithm", "wrong_function"),
        },
        "shortcuts": {},
    },
    "bce_gradient": {
        "valid": {
            "two_terms": '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (-Y / P + (1 - Y) / (1 - P)) / len(P)
''',
            "one_fraction": '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (P - Y) / (P * (1 - P)) / P.shape[0]
''',
        },
        "mistakes": {
            "no_mean": _mistake('''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P + (1 - Y) / (1 - P)
''', "forgets the 1/m", "factor"),
            "no_clip": _mistake('''
def bce_gradient(Y_hat, Y):
    return (-Y / Y_hat + (1 - Y) / (1 - Y_hat)) / len(Y)
''', "divides by unclipped predictions: inf or nan at 0 and 1", "edge_case"),
            "epsilon_added": _mistake('''
def bce_gradient(Y_hat, Y):
    eps = 1e-9
    return (-Y / (Y_hat + eps) + (1 - Y) / (1 - Y_hat + eps)) / len(Y)
''', "adds 1e-9 to the denominators instead of clipping to [1e-12, 1 - 1e-12]", "edge_case"),
            "flipped": _mistake('''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (Y / P - (1 - Y) / (1 - P)) / len(P)
''', "returns the gradient of +sum(y log p + ...), the sign flipped", "sign"),
            "delta_instead": _mistake('''
def bce_gradient(Y_hat, Y):
    return (Y_hat - Y) / len(Y)
''', "returns p - y, the derivative with respect to z through a sigmoid, not p", "wrong_function"),
        },
        "shortcuts": {
            "complex_step_clipped": '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    h = 1e-40
    Q = P + 1j * h
    per_entry = -(Y * np.log(Q) + (1 - Y) * np.log(1 - Q))
    return per_entry.imag / h / len(P)
''',
        },
    },
    "cce": {
        "valid": {
            "clip_sum_mean": '''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))
''',
            "true_class_pick": '''
def cce(Y_hat, Y):
    m = Y.shape[0]
    true = np.argmax(Y, axis=1)
    p_true = np.clip(Y_hat[np.arange(m), true], 1e-12, 1 - 1e-12)
    return float(-np.log(p_true).mean())
''',
            "einsum": '''
def cce(Y_hat, Y):
    logs = np.log(np.clip(Y_hat, 1e-12, 1.0 - 1e-12))
    return -float(np.einsum("mc,mc->", Y, logs)) / len(Y)
''',
        },
        "mistakes": {
            "no_clip": _mistake('''
def cce(Y_hat, Y):
    return float(-np.mean(np.sum(Y * np.log(Y_hat), axis=1)))
''', "does not clip: 0 log 0 is nan", "edge_case"),
            "entry_mean": _mistake('''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(P)))
''', "averages over every entry, dividing by m C", "wrong_axis"),
            "no_mean": _mistake('''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P)))
''', "sums over the examples", "factor"),
            "binary_terms_added": _mistake('''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
''', "adds the (1 - t) log(1 - y) terms of the binary cross-entropy", "extra_term"),
            "predicted_class": _mistake('''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.log(P.max(axis=1))))
''', "takes the log of the largest prediction instead of the true class's", "wrong_function"),
        },
        "shortcuts": {},
    },
    "cce_gradient": {
        "valid": {
            "divide": '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P / len(P)
''',
            "only_true_class": '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    grad = np.zeros(P.shape)
    hot = Y > 0
    grad[hot] = -Y[hot] / P[hot]
    return grad / P.shape[0]
''',
        },
        "mistakes": {
            "softmax_delta": _mistake('''
def cce_gradient(Y_hat, Y):
    return (Y_hat - Y) / len(Y)
''', "returns y_hat - y, the output error through a softmax, not dL/dY_hat", "wrong_function"),
            "no_mean": _mistake('''
def cce_gradient(Y_hat, Y):
    return -Y / np.clip(Y_hat, 1e-12, 1 - 1e-12)
''', "forgets the 1/m", "factor"),
            "no_clip": _mistake('''
def cce_gradient(Y_hat, Y):
    return -Y / Y_hat / len(Y)
''', "divides by unclipped predictions: 0/0 = nan where both are 0", "edge_case"),
            "label_dropped": _mistake('''
def cce_gradient(Y_hat, Y):
    return -1 / np.clip(Y_hat, 1e-12, 1 - 1e-12) / len(Y)
''', "writes -1/y_hat for every class, forgetting the factor t", "missing_term"),
            "positive": _mistake('''
def cce_gradient(Y_hat, Y):
    return Y / np.clip(Y_hat, 1e-12, 1 - 1e-12) / len(Y)
''', "loses the minus sign", "sign"),
        },
        "shortcuts": {
            "complex_step_clipped": '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    h = 1e-40
    return (-Y * np.log(P + 1j * h)).imag / h / len(P)
''',
        },
    },
}
