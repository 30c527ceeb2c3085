"""Compare a student's result with the expected one and say, in words, what is wrong.

This module needs only numpy and the standard library, because it is also shipped to
students: the released ``checks.py`` beside each notebook is generated from it, so the
visible tests and the hidden grading speak with one voice.

A result is a *tree*: a numeric ``numpy.ndarray`` or a list of trees (a tuple such as
``(dW, db)`` becomes a list of two arrays).

**The type policy**, the same for every question (the notebooks' "How this notebook
works" cell states it):

* where a number (a float) is asked, any real number counts: a Python ``float`` or
  ``int``, a numpy scalar, a 0-d array or an array with exactly one element;
* where an ``int`` is asked (a count, a class index), whole-number types only: Python
  ``int``, numpy integers, integer arrays; a float (even ``3.0``) is refused with a message
  that says to return an ``int``;
* where a tuple is asked, a tuple or a list of the right length; when each of its items is
  a number, a 1-D array of that length too;
* where an array is asked, an ``ndarray`` of any real dtype (bool and int arrays count
  for 0/1 and whole values), or a list or tuple of numbers of that shape;
* floating point is float64 (numpy's default, the course's arrays): a ``float32`` or
  ``float16`` result, number or array, is refused on every question, a trained network's
  parameters included (:func:`autograder.checks.judged.layers_problem`), with a message that
  says to compute in float64. Its rounding (about 1e-7) sits at the tolerances' edge, so
  judging it by value would pass it on some questions and cases and not on others.

Messages describe what is wrong in course terms; they never print an expected value, an
input, or anything the student's result chose (a shape, a length, a type name, a count),
because anything the result chose could carry a hidden input back out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Tree = Any  # np.ndarray | list["Tree"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison.

    ``kind`` is one of ``"ok"``, ``"type"``, ``"length"``, ``"shape"``, ``"dtype"``,
    ``"nonfinite"`` or ``"value"``: the first check that failed, in that order. ``detail``
    names how a ``"shape"`` differs (see :func:`shape_relation`) or what a ``"type"``,
    ``"dtype"`` or ``"length"`` verdict wanted (``"int-expected"``, ``"none"``, ...).
    """

    ok: bool
    kind: str
    message: str
    detail: str = ""


OK = Verdict(True, "ok", "")


def as_tree(value: Any) -> Tree:
    """Turn a trusted value (numbers, arrays, nested tuples/lists) into a tree."""
    if isinstance(value, (list, tuple)):
        return [as_tree(item) for item in value]
    return np.asarray(value)


def leaves(tree: Any) -> list:
    """The items of a tree (or of nested tuples and lists) that are not lists, in order."""
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in leaves(item)]
    return [tree]


def describe(tree: Tree) -> str:
    """A short description of a tree's type and shape (for values that may be shown in full)."""
    if isinstance(tree, (list, tuple)):
        return f"a {type(tree).__name__} of {len(tree)} items"
    if tree is None:
        return "None (did you forget a return statement?)"
    tree = np.asarray(tree)
    if tree.dtype.kind not in "biuf":
        return f"a value of type {type(tree).__name__}" if tree.ndim else "something that is not a number"
    if tree.ndim == 0:
        return "a single number"
    return f"an array of shape {tree.shape}"


def _asked(expected: Tree) -> str:
    """What the question asks for, in words that hold for every case of it."""
    if isinstance(expected, list):
        return "a tuple (or list)"
    expected = np.asarray(expected)
    if expected.ndim == 0:
        return "an int" if expected.dtype.kind in "iu" else "a number (a float)"
    return f"a {expected.ndim}-D array"


def _what(got: Any) -> str:
    """What the student returned, from a fixed vocabulary (never its shape or type name)."""
    if got is None:
        return "None"
    if isinstance(got, (list, tuple)):
        return "a tuple or list"
    if isinstance(got, (bool, int, float, np.generic)) and np.asarray(got).dtype.kind in "biuf":
        return "a number"
    if isinstance(got, np.ndarray) and got.dtype.kind in "biuf":
        return "a number" if got.ndim == 0 else "an array"
    return "something that is not a number"


def _numbers_only(value: Any, depth: int = 0) -> bool:
    """True for a number, a numeric array, or lists/tuples of them (what np.asarray can stack)."""
    if isinstance(value, (list, tuple)):
        return depth < 32 and all(_numbers_only(item, depth + 1) for item in value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf"
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating))


def normalise(got: Any, expected: Tree) -> Any:
    """``got`` under the type policy (module docstring), or a failing :class:`Verdict`."""
    if isinstance(expected, list):
        if isinstance(got, np.ndarray) and got.ndim == 1 and got.dtype.kind in "biuf" \
                and all(not isinstance(e, list) and np.ndim(e) == 0 for e in expected):
            return list(got)  # an array of k numbers where a tuple of k numbers is asked
        if isinstance(got, (list, tuple)):
            return list(got)
        return Verdict(False, "type", f"expected {_asked(expected)}, got {_what(got)}.", "sequence-expected")
    if got is None:
        return Verdict(False, "type", f"expected {_asked(expected)}, got None: did you forget to return the result?", "none")
    if isinstance(got, (list, tuple)):
        if not _numbers_only(got):
            return Verdict(False, "type", f"expected {_asked(expected)}, got a tuple or list that is not an "
                           "array of numbers.", "not-numbers")
        try:
            got = np.asarray(got)
        except (ValueError, TypeError):  # ragged
            return Verdict(False, "type", f"expected {_asked(expected)}, got a ragged list (rows of different "
                           "lengths).", "not-numbers")
    try:
        got = np.asarray(got)
    except Exception:
        return Verdict(False, "type", f"expected {_asked(expected)}, got something that is not an array.", "not-numbers")
    if got.dtype.kind not in "biuf":
        return Verdict(False, "dtype", f"expected {_asked(expected)} of numbers, got {_what(got)}.", "not-numbers")
    if low_precision(got):
        return Verdict(False, "dtype", f"expected {_asked(expected)} in float64, got {LOW_PRECISION}", "float64-expected")
    return got


#: What a float32 or float16 result is told, wherever it is returned (the type policy above).
LOW_PRECISION = ("lower precision (float32 or float16): the course computes in float64, numpy's default; do "
                 "not convert the arrays to float32 (.astype(np.float32), dtype=np.float32).")


def low_precision(value: Any) -> bool:
    """Whether ``value`` (a number or an array) is a float narrower than float64."""
    dtype = np.asarray(value).dtype
    return dtype.kind == "f" and dtype.itemsize < 8


def compare(got: Tree, expected: Tree, rtol: float, atol: float, where: str = "") -> Verdict:
    """Check ``got`` against ``expected``: type, length, shape, dtype, nan/inf, values.

    Parameters
    ----------
    got, expected : tree
        The student's result and the reference result.
    rtol, atol : float
        Entries pass when ``|got - expected| <= atol + rtol * |expected|``.
    where : str
        Prefix naming the position inside a tuple result, e.g. ``"item 2: "``.
    """
    got = normalise(got, expected)
    if isinstance(got, Verdict):
        return Verdict(False, got.kind, where + got.message, got.detail)
    if isinstance(expected, list):
        if len(got) != len(expected):
            return Verdict(False, "length", f"{where}the number of items differs from the expected one "
                           "(one item per layer for a list of layers; (dW, db) is two items).", "length")
        for index, (got_item, expected_item) in enumerate(zip(got, expected)):
            verdict = compare(got_item, expected_item, rtol, atol, f"{where}item {index}: ")
            if not verdict.ok:
                return verdict
        return OK
    return _compare_arrays(got, np.asarray(expected), rtol, atol, where)


def _compare_arrays(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float, where: str) -> Verdict:
    if expected.ndim == 0 and got.size == 1:
        got = got.reshape(())
    if got.shape != expected.shape:
        relation = shape_relation(got.shape, expected.shape)
        return Verdict(False, "shape", f"{where}expected {_asked(expected)}; {SHAPE_MESSAGES[relation]}", relation)
    if expected.dtype.kind in "iu" and got.dtype.kind not in "iu":
        return Verdict(False, "dtype", f"{where}expected whole numbers of type int, got another type; counts and "
                       "class indices are ints: return int(...) or an integer array (.astype(int)).",
                       "int-expected")
    got_f = np.asarray(got, dtype=np.float64)  # no copy when it is float64 already
    expected_f = np.asarray(expected, dtype=np.float64)
    bad = ~np.isfinite(got_f) & np.isfinite(expected_f)
    if bad.any():
        return Verdict(False, "nonfinite", f"{where}nan or inf where finite numbers were expected: look for an exp "
                       "that overflows, a log of 0 or a division by 0.")
    if _close(got_f, expected_f, rtol, atol).all():
        return OK
    return Verdict(False, "value", f"{where}the values differ from the expected ones (tolerance rtol={rtol:g}, "
                   f"atol={atol:g}).")


def _reusable(result: Any) -> np.ndarray | None:
    """``out=`` for a ufunc that may overwrite ``result``: the array itself, or None for a
    numpy scalar (what a ufunc returns on 0-d arrays), which cannot be written into."""
    return result if isinstance(result, np.ndarray) else None


def _close(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """``np.isclose(got, expected, rtol, atol, equal_nan=True)`` for float64 arrays of one
    shape, without isclose's broadcasting and dtype work (grading calls this very often)."""
    with np.errstate(invalid="ignore", over="ignore"):
        # |got - expected| <= atol + rtol * |expected|, the same numbers with two temporaries less
        difference = np.subtract(got, expected)
        difference = np.abs(difference, out=_reusable(difference))
        allowed = np.abs(expected)
        allowed = np.add(np.multiply(allowed, rtol, out=_reusable(allowed)), atol, out=_reusable(allowed))
        close = difference <= allowed
    close &= np.isfinite(expected)  # an infinite expected value is only matched exactly
    if not close.all():  # inf == inf and nan "==" nan count as close
        close |= (got == expected) | (np.isnan(got) & np.isnan(expected))
    return close


#: Rules the notebooks state beyond the values, in the words of every place that checks them
#: (the grader's feedback, its diagnosis and the visible checks).
CONTRACT_MESSAGES = {
    "mutated-input": "your function modified the arrays it was given (e.g. W -= lr * dW); the notebook asks for "
                     "NEW arrays and unchanged arguments: compute new arrays from the arguments instead of assigning into "
                     "them.",
    "not-reproducible": "called twice with the same arguments, your function returned different numbers: the "
                        "notebook asks for a result that depends on the arguments alone (for random numbers, a "
                        "generator created inside the function from the seed it is given, nothing drawn elsewhere).",
    "warning": "your function emitted a RuntimeWarning (an exp that overflows, a log of 0, ...) on a case the "
               "notebook promises to run without warnings: find a form that stays finite for such inputs (the "
               "notebook states the requirement).",
}

#: Why a numerical gradient must put x back exactly: the grader's check of numerical_gradient
#: (after "x is not exactly as it was when your function returns ...: ") and the visible gradient check say it.
RESTORE_EXACTLY = ("an entry left changed, or put back by arithmetic (adding h, subtracting 2h, adding h again "
                   "leaves a rounding error in floating point), makes the caller's x drift with every call. Save "
                   "the entry's value before the steps and assign that saved value back afterwards (or perturb a "
                   "copy of x).")

def identical(a: Any, b: Any) -> bool:
    """Whether two results or arguments (trees of arrays and numbers) hold the very same numbers in
    the same structure: same types, shapes, dtypes and values (nan equal to nan). The grader's
    "reproducible" contract and the visible checks' "arguments unchanged" both ask this."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(identical(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict) or isinstance(b, dict):
        return type(a) is type(b) and a.keys() == b.keys() and all(identical(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")))
    return type(a) is type(b) and (a == b or (a != a and b != b))


SHAPE_MESSAGES = {
    "transposed": "yours has the two axes swapped (it looks transposed): in this course W is (n_out, n_in), a "
                  "gradient has the shape of its parameter, and a batch has one example per row.",
    "keepdims": "yours has an extra axis of length 1: a keepdims=True, a reshape to a column or a [None] where "
                "none belongs.",
    "squeezed": "yours lacks an axis of length 1: keep 2-D arrays, one row per example even when m = 1 (no "
                "np.squeeze or ravel; keepdims=True where you reduce and broadcast back).",
    "vector-for-matrix": "yours is a vector where a square matrix is asked (e.g. a C x C Jacobian, not C numbers).",
    "extra-axis": "yours has one axis too many: did you forget to sum or average over an axis?",
    "missing-axis": "yours has one axis too few: did you sum or average over an axis you should keep?",
    "many-for-one": "yours has several entries where one number is asked: a loss is the mean over the examples, "
                    "a single float.",
    "layout": "yours has the right number of entries in another layout: check your reshape, transpose or keepdims.",
    "lengths": "yours has the right number of axes but not their lengths: check which dimension each axis stands "
               "for (examples, inputs, outputs, classes).",
    "axes": "yours has a different number of axes.",
}


def _without_one(shape: tuple, length: int) -> set:
    """The shapes obtained by removing one axis of ``length`` from ``shape``."""
    return {shape[:i] + shape[i + 1:] for i, n in enumerate(shape) if n == length}


def shape_relation(got: tuple, expected: tuple) -> str:
    """How a result's shape differs from the expected one: a key of :data:`SHAPE_MESSAGES`."""
    got, expected = tuple(got), tuple(expected)
    if len(expected) == 0:
        return "many-for-one"
    if len(got) == len(expected) == 2 and got == expected[::-1]:
        return "transposed"
    if len(got) == len(expected) + 1:
        return "keepdims" if expected in _without_one(got, 1) else "extra-axis"
    if len(got) == len(expected) - 1:
        if len(expected) == 2 and expected[0] == expected[1] > 1 and got == expected[:1]:
            return "vector-for-matrix"
        return "squeezed" if got in _without_one(expected, 1) else "missing-axis"
    if len(got) == len(expected):
        return "layout" if int(np.prod(got)) == int(np.prod(expected)) else "lengths"
    return "axes"


def matches(got: Tree, expected: Tree, rtol: float, atol: float) -> bool:
    """True when ``got`` equals ``expected`` within tolerance, nan matching nan, under the
    same type policy as :func:`compare`.

    Used to recognise known mistakes: a wrong variant that produces nan at the same
    place as the student's code is the same mistake.
    """
    got = normalise(got, expected)
    if isinstance(got, Verdict):
        return False
    if isinstance(expected, list):
        return len(got) == len(expected) and all(matches(g, e, rtol, atol) for g, e in zip(got, expected))
    expected = np.asarray(expected)
    if expected.ndim == 0 and got.size == 1:
        got = got.reshape(())
    if got.shape != expected.shape or expected.dtype.kind not in "biuf":
        return False
    return bool(_close(got.astype(np.float64), expected.astype(np.float64), rtol, atol).all())
