"""Fresh corpus, assignment 4 part 1 (the losses and their gradients), from the released notebook alone.

Merged into ``a4.CORPUS``. See README.md: never register these mistakes; they measure the grader.
"""


def _m(what: str, evidence: str, source: str) -> dict:
    return {"source": source, "what": what, "evidence": evidence}


LOSSES = {
    "mse": {
        "valid": {
            "mean_of_row_sums": '''
def mse(Y_hat, Y):
    return float(np.mean(0.5 * np.sum((Y_hat - Y) ** 2, axis=1)))
''',
            "frobenius": '''
def mse(Y_hat, Y):
    R = Y_hat - Y
    return float(0.5 * np.sum(R * R) / Y.shape[0])
''',
            "einsum_trace": '''
def mse(Y_hat, Y):
    R = Y - Y_hat
    return 0.5 * float(np.einsum("ij,ij->", R, R)) / len(Y)
''',
        },
        "mistakes": {
            "mean_over_all_entries": _m("averages over every entry (m n) instead of over the examples only.",
                                        "too small by the number of output units n; right when n = 1", '''
def mse(Y_hat, Y):
    return float(0.5 * np.mean((Y_hat - Y) ** 2))
'''),
            "no_half": _m("leaves out the 1/2.", "twice the expected loss", '''
def mse(Y_hat, Y):
    return float(np.mean(np.sum((Y_hat - Y) ** 2, axis=1)))
'''),
            "sum_not_mean": _m("sums over the examples instead of averaging.", "m times too large; right when m = 1", '''
def mse(Y_hat, Y):
    return float(0.5 * np.sum((Y_hat - Y) ** 2))
'''),
            "norm_not_squared": _m("takes the norm of the residual without squaring it.", "wrong whenever the residual norm is not 0 or 2", '''
def mse(Y_hat, Y):
    return float(0.5 * np.mean(np.linalg.norm(Y_hat - Y, axis=1)))
'''),
            "notes_form_without_half": _m("the notes' second form (Y - Y_hat)^T (Y - Y_hat), which lost the 1/2.", "twice the expected loss", '''
def mse(Y_hat, Y):
    R = (Y - Y_hat).ravel()
    return float(R @ R / len(Y))
'''),
        },
        "shortcuts": {},
    },
    "mse_gradient": {
        "valid": {
            "difference_over_m": '''
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y.shape[0]
''',
            "negated_notes_form": '''
def mse_gradient(Y_hat, Y):
    return -(Y - Y_hat) / len(Y_hat)
''',
        },
        "mistakes": {
            "missing_1_over_m": _m("forgets the 1/m of the mean.", "every entry m times too large; right when m = 1", '''
def mse_gradient(Y_hat, Y):
    return Y_hat - Y
'''),
            "notes_sign": _m("follows the notes' dL/dY = -(Y - Y_hat) but with the sign of the target's derivative: Y - Y_hat.", "every entry is minus the expected one", '''
def mse_gradient(Y_hat, Y):
    return (Y - Y_hat) / Y.shape[0]
'''),
            "divides_by_size": _m("divides by the number of entries m n instead of m.", "too small by the factor n; right when n = 1", '''
def mse_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y.size
'''),
            "factor_two": _m("keeps the factor 2 of the square.", "every entry twice the expected one", '''
def mse_gradient(Y_hat, Y):
    return 2 * (Y_hat - Y) / Y.shape[0]
'''),
            "row_sum_broadcast": _m("sums the residuals over the output units before dividing.", "every entry of a row replaced by the row's sum; right when n = 1", '''
def mse_gradient(Y_hat, Y):
    return np.sum(Y_hat - Y, axis=1, keepdims=True) * np.ones_like(Y) / Y.shape[0]
'''),
        },
        "shortcuts": {
            "central_difference_vectorised": '''
def mse_gradient(Y_hat, Y):
    h = 1e-6
    per_entry = lambda P: 0.5 * (P - Y) ** 2
    return (per_entry(Y_hat + h) - per_entry(Y_hat - h)) / (2 * h) / Y.shape[0]
''',
        },
    },
    "huber": {
        "valid": {
            "where": '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    a = np.abs(r)
    return float(np.mean(np.sum(np.where(a <= c, 0.5 * r ** 2, c * (a - 0.5 * c)), axis=1)))
''',
            "min_decomposition": '''
def huber(Y_hat, Y, c=1.0):
    a = np.abs(Y_hat - Y)
    q = np.minimum(a, c)
    return float(np.sum(0.5 * q ** 2 + c * (a - q)) / Y.shape[0])
''',
            "masks_strict_inequality": '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    small = np.abs(r) < c
    loss = np.zeros_like(r)
    loss[small] = 0.5 * r[small] ** 2
    loss[~small] = c * (np.abs(r[~small]) - c / 2)
    return float(loss.sum(axis=1).mean())
''',
        },
        "mistakes": {
            "hard_coded_c": _m("ignores the threshold argument c and uses 1.", "right with the default c; wrong when c != 1 and a residual exceeds min(c, 1)", '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    a = np.abs(r)
    return float(np.mean(np.sum(np.where(a <= 1, 0.5 * r ** 2, a - 0.5), axis=1)))
'''),
            "linear_piece_without_half_c": _m("linear piece c |r| without the - c/2 offset, so the pieces do not meet.", "right when every |r| <= c; too large by c^2/2 per large residual", '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    a = np.abs(r)
    return float(np.mean(np.sum(np.where(a <= c, 0.5 * r ** 2, c * a), axis=1)))
'''),
            "linear_piece_no_abs": _m("uses r instead of |r| in the linear piece.", "wrong for residuals below -c; right otherwise", '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(np.where(np.abs(r) <= c, 0.5 * r ** 2, c * (r - 0.5 * c)), axis=1)))
'''),
            "pieces_swapped": _m("applies the quadratic piece to the large residuals and the linear one to the small.", "wrong wherever a residual differs from c in size", '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    a = np.abs(r)
    return float(np.mean(np.sum(np.where(a > c, 0.5 * r ** 2, c * (a - 0.5 * c)), axis=1)))
'''),
            "mean_over_entries": _m("averages over every entry instead of summing over the units and averaging over the examples.", "too small by the factor n; right when n = 1", '''
def huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    a = np.abs(r)
    return float(np.mean(np.where(a <= c, 0.5 * r ** 2, c * (a - 0.5 * c))))
'''),
        },
        "shortcuts": {},
    },
    "huber_gradient": {
        "valid": {
            "clip": '''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c) / Y.shape[0]
''',
            "where_sign": '''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, c * np.sign(r)) / len(Y)
''',
            "min_max": '''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.maximum(-c, np.minimum(c, Y_hat - Y)) / Y.shape[0]
''',
        },
        "mistakes": {
            "missing_1_over_m": _m("forgets the 1/m.", "every entry m times too large", '''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -c, c)
'''),
            "linear_slope_one": _m("derivative sign(r) instead of c sign(r) on the linear piece.", "right inside |r| <= c; wrong outside when c != 1", '''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, np.sign(r)) / Y.shape[0]
'''),
            "linear_piece_c_without_sign": _m("derivative c instead of c sign(r) on the linear piece.", "wrong for residuals below -c; right otherwise", '''
def huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return np.where(np.abs(r) <= c, r, c) / Y.shape[0]
'''),
            "hard_coded_c": _m("clips to [-1, 1] whatever c is.", "right with c = 1; wrong when c != 1 and a residual exceeds min(c, 1)", '''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y_hat - Y, -1, 1) / Y.shape[0]
'''),
            "sign_slip": _m("clips y - y_hat: every entry negated.", "every entry is minus the expected one", '''
def huber_gradient(Y_hat, Y, c=1.0):
    return np.clip(Y - Y_hat, -c, c) / Y.shape[0]
'''),
        },
        "shortcuts": {
            "central_difference_vectorised": '''
def huber_gradient(Y_hat, Y, c=1.0):
    def h_c(P):
        a = np.abs(P - Y)
        return np.where(a <= c, 0.5 * a ** 2, c * (a - 0.5 * c))
    h = 1e-6
    return (h_c(Y_hat + h) - h_c(Y_hat - h)) / (2 * h) / Y.shape[0]
''',
        },
    },
    "pseudo_huber": {
        "valid": {
            "formula": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1), axis=1)))
''',
            "hypot_form": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.sum(c * np.hypot(c, r) - c ** 2) / Y.shape[0])
''',
            "cancellation_free": '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.sum(r ** 2 / (np.sqrt(1 + (r / c) ** 2) + 1)) / len(Y))
''',
        },
        "mistakes": {
            "missing_c_squared": _m("leaves out the factor c^2.", "right when c = 1; wrong otherwise", '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(np.sqrt(1 + (r / c) ** 2) - 1, axis=1)))
'''),
            "r_times_c_inside": _m("writes (r c)^2 instead of (r / c)^2 inside the root.", "right when c = 1; wrong otherwise", '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * (np.sqrt(1 + (r * c) ** 2) - 1), axis=1)))
'''),
            "no_minus_one": _m("forgets the - 1, adding c^2 per entry.", "too large by n c^2", '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(np.sum(c ** 2 * np.sqrt(1 + (r / c) ** 2), axis=1)))
'''),
            "mean_over_entries": _m("averages over every entry instead of the examples.", "too small by the factor n", '''
def pseudo_huber(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return float(np.mean(c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1)))
'''),
        },
        "shortcuts": {},
    },
    "pseudo_huber_gradient": {
        "valid": {
            "formula": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2) / Y.shape[0]
''',
            "hypot": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return c * r / np.hypot(c, r) / len(Y)
''',
        },
        "mistakes": {
            "missing_1_over_m": _m("forgets the 1/m.", "every entry m times too large", '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / np.sqrt(1 + (r / c) ** 2)
'''),
            "chain_rule_inner_factor": _m("chain rule slip: r / c^2 / sqrt(...) (divides by c^2 once too often).", "right when c = 1; wrong otherwise", '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / c ** 2 / np.sqrt(1 + (r / c) ** 2) / Y.shape[0]
'''),
            "no_root": _m("forgets the square root: r / (1 + (r/c)^2).", "right only where r = 0", '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return r / (1 + (r / c) ** 2) / Y.shape[0]
'''),
            "half_factor": _m("keeps a factor 1/2 from d sqrt(u) = du / (2 sqrt(u)) without the 2 of d(r^2).", "every entry half the expected one", '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y_hat - Y
    return 0.5 * r / np.sqrt(1 + (r / c) ** 2) / Y.shape[0]
'''),
            "sign_slip": _m("differentiates with respect to y instead of y_hat.", "every entry is minus the expected one", '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    r = Y - Y_hat
    return r / np.sqrt(1 + (r / c) ** 2) / Y.shape[0]
'''),
        },
        "shortcuts": {
            "central_difference_vectorised": '''
def pseudo_huber_gradient(Y_hat, Y, c=1.0):
    p = lambda P: c ** 2 * (np.sqrt(1 + ((P - Y) / c) ** 2) - 1)
    h = 1e-5
    return (p(Y_hat + h) - p(Y_hat - h)) / (2 * h) / Y.shape[0]
''',
        },
    },
    "bce": {
        "valid": {
            "clip_then_formula": '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
''',
            "log1p_form": '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log1p(-P)) / Y.shape[0])
''',
            "xlogy_like_where": '''
def bce(Y_hat, Y):
    P = np.minimum(np.maximum(Y_hat, 1e-12), 1 - 1e-12)
    terms = np.where(Y == 1, np.log(P), 0.0) + np.where(Y == 0, np.log(1 - P), 0.0)
    return float(-terms.sum(axis=1).mean())
''',
        },
        "mistakes": {
            "no_clipping": _m("does not clip, so predictions of exactly 0 or 1 give inf/nan.", "right inside (0, 1); inf or nan at exact 0 or 1", '''
def bce(Y_hat, Y):
    return float(-np.mean(np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat), axis=1)))
'''),
            "drops_negative_term": _m("keeps only y log p (the notes' struck-out term), ignoring examples of class 0.", "right only when every label is 1", '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))
'''),
            "missing_minus": _m("forgets the leading minus sign.", "the negative of the expected loss", '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
'''),
            "log10": _m("uses log10 instead of the natural logarithm.", "too small by the factor ln 10", '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log10(P) + (1 - Y) * np.log10(1 - P), axis=1)))
'''),
            "mean_over_entries": _m("averages over every entry instead of summing over the units.", "too small by the factor n; right when n = 1", '''
def bce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)))
'''),
        },
        "shortcuts": {},
    },
    "bce_gradient": {
        "valid": {
            "two_terms": '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (-Y / P + (1 - Y) / (1 - P)) / Y.shape[0]
''',
            "one_fraction": '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (P - Y) / (P * (1 - P)) / len(Y)
''',
        },
        "mistakes": {
            "epsilon_added_not_clipped": _m("adds 1e-12 inside the divisions instead of clipping the predictions, which differs at a prediction of exactly 1 with label 0 (1 - 1 + 1e-12 is not 1 - (1 - 1e-12)).",
                                            "right inside (0, 1); entries with p = 1 and y = 0 differ by about 9e-5 relative", '''
def bce_gradient(Y_hat, Y):
    return (-Y / (Y_hat + 1e-12) + (1 - Y) / (1 - Y_hat + 1e-12)) / Y.shape[0]
'''),
            "no_clip": _m("no clipping: division by zero at predictions of exactly 0 or 1.", "right inside (0, 1); inf/nan at exact 0 or 1", '''
def bce_gradient(Y_hat, Y):
    return (-Y / Y_hat + (1 - Y) / (1 - Y_hat)) / Y.shape[0]
'''),
            "missing_1_over_m": _m("forgets the 1/m.", "every entry m times too large", '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P + (1 - Y) / (1 - P)
'''),
            "sign_of_second_term": _m("sign slip on the second term: -y/p - (1-y)/(1-p).", "right where y = 1; wrong where y = 0", '''
def bce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return (-Y / P - (1 - Y) / (1 - P)) / Y.shape[0]
'''),
            "delta_instead": _m("returns p - y, the output error with the sigmoid already folded in, not dL/dp.", "every entry wrong (off by the factor p(1 - p))", '''
def bce_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y.shape[0]
'''),
        },
        "shortcuts": {},
    },
    "cce": {
        "valid": {
            "clip_sum_mean": '''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))
''',
            "pick_true_class": '''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    k = np.argmax(Y, axis=1)
    return float(-np.mean(np.log(P[np.arange(len(Y)), k])))
''',
        },
        "mistakes": {
            "no_clip_nan": _m("no clipping: 0 log 0 gives nan for a class with probability 0.", "right when no prediction is 0; nan otherwise", '''
def cce(Y_hat, Y):
    return float(-np.mean(np.sum(Y * np.log(Y_hat), axis=1)))
'''),
            "sum_over_batch": _m("sums over the examples instead of averaging.", "m times too large", '''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(Y * np.log(P)))
'''),
            "mean_over_entries": _m("averages over all entries (m C) instead of the examples.", "too small by the factor C", '''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(P)))
'''),
            "bce_form": _m("adds the (1 - t) log(1 - y) terms of the binary cross-entropy.", "too large whenever a wrong class has probability > 0", '''
def cce(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))
'''),
        },
        "shortcuts": {},
    },
    "cce_gradient": {
        "valid": {
            "minus_y_over_p": '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P / Y.shape[0]
''',
            "divide_where": '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -np.divide(Y, P * len(Y))
''',
        },
        "mistakes": {
            "softmax_delta": _m("returns y_hat - y, the softmax output error, instead of dL/dy_hat.", "every entry wrong", '''
def cce_gradient(Y_hat, Y):
    return (Y_hat - Y) / Y.shape[0]
'''),
            "missing_1_over_m": _m("forgets the 1/m.", "every entry m times too large", '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y / P
'''),
            "sign_slip": _m("forgets the minus sign of -y/p.", "every nonzero entry negated", '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return Y / P / Y.shape[0]
'''),
            "log_instead_of_reciprocal": _m("differentiates -y log p as -y log p (returns the loss terms).", "every nonzero entry wrong", '''
def cce_gradient(Y_hat, Y):
    P = np.clip(Y_hat, 1e-12, 1 - 1e-12)
    return -Y * np.log(P) / Y.shape[0]
'''),
            "no_clip": _m("no clipping: division by zero when the true class has probability 0.", "right for positive predictions; inf/nan at 0", '''
def cce_gradient(Y_hat, Y):
    return -Y / Y_hat / Y.shape[0]
'''),
        },
        "shortcuts": {},
    },
}
