"""Finite-precision probes: hidden entries where a finite difference is visibly wrong and the
derivation is not (issue 26).

A student can return a finite difference of their own function where a derivation is asked:
``(f(z + h) - f(z - h)) / (2 h)`` vectorised over the entries of a separable function (an
activation's derivative, a loss gradient, an output error) costs two calls whatever the size,
so the case with many parameters (:mod:`autograder.questions.large`) does not slow it down, and
on ordinary inputs it agrees with the closed form to about 1e-10. It does not everywhere: a
difference quotient is computed from values of ``f`` rounded to float64, and from arguments
``z +- h`` rounded to float64, so its error is at least about

* ``eps |f(z)| / (h |f'(z)|)`` (the values' rounding): large where ``f'`` is tiny beside ``f``,
  e.g. a sigmoid at z = 22 (``f`` is 1 to 10 digits, ``f'`` = 3e-10), which no exact closed form
  suffers (``s (1 - s)`` loses at most ``eps`` absolute there);
* ``eps |z| |f''(z)| / |f'(z)|`` (the arguments' rounding, for any step ``h``): large where an
  input is huge and the derivative is not, e.g. a prediction of 1e17 with a residual of 16,
  where ``y_hat + h == y_hat`` for every step below 8; and a residual of a few units in the
  last place, where ``r + h`` rounds away ``r`` for every step above about 1;

and the truncation ``h^2 |f'''| / 6`` takes the large steps away. A loss that is quadratic in
the parameters (the line fit's) has no truncation error at all, so its probe makes the loss itself
huge beside its gradient (:func:`cancelling_outliers`): a difference of two values of the loss
then loses about ``eps L / h``, more than the tolerance at every step a student would take. Each
function here appends such entries to a case's arrays (as more columns: a case keeps its rows and
its other entries), and the case is compared with an absolute tolerance of rounding size
(``Question.probe_atol``) instead of the question's, so that the closed forms, which lose at most a
few units of rounding, pass and every forward, backward or central difference fails, whatever its
fixed step (decimal or a power of two) and for a step proportional to ``|z|``. What remains possible is in
docs/design.md ("Derived, not differentiated: finite precision"); ``tests/test_shortcuts.py``
measures it.

The line fit's probe is the one whose ``probe_atol`` is larger than the question's: its closed
forms are not exact there (the sums pass through values near the outliers' residuals and keep
about a unit in the last place of them, 1e-7), so its tolerance is measured, not zero.

The probes are **hidden**: :func:`autograder.course.cases.hidden_cases` applies a question's
:attr:`~autograder.questions.Question.probe` to each of its hidden cases but those named in
``probe_skips`` (an all-zero case). Public cases never get them: their numbers are stored to 12 significant digits (a
residual of 16 on 1e17 would vanish), their tolerance is the question's, and the student's own
gradient check (``check_gradients``) runs on them, where a finite difference must agree.
"""
from __future__ import annotations

import numpy as np

from autograder.questions.registry import Args

#: Bands of |z| where a sigmoid's (tanh's) derivative is 1e-11 to 1e-9 of its value, rounded near
#: 1: an exact closed form loses at most a few 1e-16 there (inside the question's atol), a
#: difference of such values loses eps / h, and Richardson's truncation takes the large steps.
SIGMOID_BAND = (21.0, 25.0)
TANH_BAND = (10.5, 12.5)


def _signs(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random signs, -1.0 or 1.0 (a comparison of uniform deviates: ``rng.choice`` costs about
    30 us more per call, and a4 draws some 350 sign vectors per submission)."""
    return np.where(rng.random(n) < 0.5, -1.0, 1.0)


def _appended(array: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``array`` (1-D or 2-D) with ``columns`` (one row of k values per row of it) after its last
    column: a case keeps its rows (m = 1 stays one example) and its other entries."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 1:
        return np.concatenate([array, columns.reshape(-1)])
    return np.concatenate([array, columns.reshape(array.shape[0], -1)], axis=1)


def saturating(band: tuple[float, float]):
    """A probe for an elementwise derivative ``f(z)``: four more entries per row of ``z`` in
    ``band``, three positive (where a sigmoid rounds near 1; a difference's rounding error is a
    random share of a unit in the last place, so one entry alone may be lucky), one of either sign."""
    def probe(rng: np.random.Generator, args: Args) -> Args:
        z = np.asarray(args[0], dtype=np.float64)
        rows = 1 if z.ndim == 1 else z.shape[0]
        signs = np.concatenate([np.ones((rows, 3)), _signs(rng, rows)[:, None]], axis=1)
        return (_appended(z, signs * rng.uniform(*band, (rows, 4))), *args[1:])
    return probe


def regression_extremes(rng: np.random.Generator, args: Args) -> Args:
    """A probe for a regression loss's gradient or output error ``(Y_hat, Y[, c])``: three more
    columns of (prediction, target) pairs: a huge offset (about 1e17, where float64's spacing is
    16) with a residual of a few spacings; a residual of a few units in the last place of a
    target near 1e-3; a huge residual (about 1e17)."""
    Y_hat, Y = np.asarray(args[0], dtype=np.float64), np.asarray(args[1], dtype=np.float64)
    m = Y.shape[0]
    huge = _signs(rng, m) * rng.uniform(1.0, 2.0, m) * 1e17
    small = _signs(rng, m) * rng.uniform(1e-3, 2e-3, m)
    normal = rng.normal(size=m)
    targets = np.stack([huge, small, normal], axis=1)
    residuals = np.stack([_signs(rng, m) * rng.integers(1, 4, m) * np.spacing(huge),
                          _signs(rng, m) * rng.integers(1, 5, m) * np.spacing(small),
                          _signs(rng, m) * rng.uniform(1.0, 2.0, m) * 1e17], axis=1)
    return (_appended(Y_hat, targets + residuals), _appended(Y, targets), *args[2:])


def sigmoid_extremes(binary_targets: bool):
    """A probe for a sigmoid output's error ``(A, Y)``: two more columns, outputs within 1e-9 to
    1e-13 of 1 and of 0, with the target on the same side (or drawn, when ``binary_targets`` is
    False)."""
    def probe(rng: np.random.Generator, args: Args) -> Args:
        A, Y = np.asarray(args[0], dtype=np.float64), np.asarray(args[1], dtype=np.float64)
        m = A.shape[0]
        near = 10.0 ** -rng.uniform(9.0, 13.0, (m, 2))
        outputs = np.stack([1.0 - near[:, 0], near[:, 1]], axis=1)
        targets = (np.tile([1.0, 0.0], (m, 1)) if binary_targets else rng.uniform(size=(m, 2)))
        return (_appended(A, outputs), _appended(Y, targets), *args[2:])
    return probe


def dominant_class(rng: np.random.Generator, args: Args) -> Args:
    """A probe for the softmax Jacobian ``(a,)``: ``a`` scaled by ``d`` (1e-11 to 1e-9) beside one
    more class of probability ``1 - d``: the Jacobian's entries on that class are about ``d``, which
    the closed forms (``diag(a) - a a^T``, ``a (1 - a)`` on the diagonal) give to a few units of
    rounding near 1, while a difference of softmax values (on the logits ``log a``) loses
    ``eps / h`` to their rounding near 1 and ``d h^2`` to truncation: at best about
    ``eps^(2/3) d^(1/3)``, 1e-14 and more, whatever the step."""
    a = np.asarray(args[0], dtype=np.float64)
    d = 10.0 ** -rng.uniform(9.0, 11.0)
    return (np.concatenate([a * d, [1.0 - d]]), *args[1:])


def near_kink(rng: np.random.Generator, args: Args) -> Args:
    """A probe for a piecewise-linear derivative (ReLU's, leaky ReLU's) ``(z[, slope])``: four more
    entries per row of ``z``, of either sign and of magnitude 1e-300 to 1e-200 or the smallest
    subnormal, so close to the kink at 0 that every step ``z +- h`` a student would pick crosses it:
    a difference quotient there gives a blend of the two slopes (a forward one the right slope for
    z > 0 but the left's neighbour for z < 0), the comparison ``z > 0`` the exact one."""
    z = np.asarray(args[0], dtype=np.float64)
    rows = 1 if z.ndim == 1 else z.shape[0]
    sizes = np.concatenate([10.0 ** -rng.uniform(200.0, 300.0, (rows, 3)), np.full((rows, 1), 5e-324)], axis=1)
    signs = np.concatenate([np.tile([1.0, -1.0], (rows, 1)), _signs(rng, rows * 2).reshape(rows, 2)], axis=1)
    return (_appended(z, signs * sizes), *args[1:])


def dominant_output(rng: np.random.Generator, args: Args) -> Args:
    """A probe for a softmax output's error ``(A, Y)``: one more class, the target of no row; on
    every other row (the first included) the outputs are scaled by ``d`` (1e-11 to 1e-9) and the new
    class holds ``1 - d``, on the rows between by ``1 - e`` with ``e`` (0.05 to 0.3) for the new class.
    ``A - Y`` is exact there, while a difference of the cross-entropy in the logits ``log A`` moves a
    loss of about 23 by ``h`` times an output of 1e-11: far below the rounding of the loss, whatever
    the step."""
    A, Y = np.asarray(args[0], dtype=np.float64), np.asarray(args[1], dtype=np.float64)
    m = A.shape[0]
    dominant = (np.arange(m) % 2 == 0)[:, None]
    d, e = 10.0 ** -rng.uniform(9.0, 11.0, (m, 1)), rng.uniform(0.05, 0.3, (m, 1))
    outputs = np.concatenate([np.where(dominant, A * d, A * (1.0 - e)), np.where(dominant, 1.0 - d, e)], axis=1)
    return (outputs, np.concatenate([Y, np.zeros((m, 1))], axis=1), *args[2:])


#: The size of the line fit's outlying residuals p (times 1 to 2): large enough that a difference of
#: two values of the loss (about p^2 / m, 1e17 to 1e18) is wrong by more than the tolerance at every
#: step up to 1e4 and beyond, small enough that the closed forms' rounding (about a unit in the last
#: place of p, 1e-7) stays well inside the question's ``probe_atol``. At 1e8 a central difference with a step of 1e4
#: passed some probed cases; at 1e10 the closed forms' rounding exceeds rtol on a sixth of the cases.
LINE_OUTLIER = 1e9


def cancelling_outliers(rng: np.random.Generator, args: Args) -> Args:
    """A probe for the line fit's gradient ``(a0, a1, x, y)``: four more points, all at x = 0, in two
    pairs whose residuals ``r = a0 x + a1 - y`` are +p and -p (|p| 1e9 to 2e9, one p per pair).

    They add exactly 0 to ``sum(r x)`` (x = 0, in any order of summation) and 0 to ``sum(r)`` but
    for the rounding of the residuals near p, so the gradient stays what the case's own points make
    it (over m + 4 points), while the loss grows to ``(p1^2 + p2^2) / (m + 4)``, 1e17 to 1e18, where
    float64's values are 16 to 128 apart: a forward, backward or central difference of two values of
    the loss is wrong by about ``eps L / h``, about 1e-3 at a step of 1e4 (at least 5e-5 on 1,000
    cases) and more at smaller steps, whereas the closed forms (``mean(r x)``; the expanded
    ``a0 mean(x^2) + a1 mean(x) - mean(x y)``; a loop) lose only the rounding of sums that pass
    near p, about 1e-7 (both measured in tests/test_shortcuts.py).
    """
    a0, a1, x, y = args[:4]
    p = _signs(rng, 2) * rng.uniform(1.0, 2.0, 2) * LINE_OUTLIER
    residuals = np.array([p[0], -p[0], p[1], -p[1]])
    return (a0, a1, _appended(x, np.zeros(4)), _appended(y, a1 - residuals), *args[4:])
