"""Compare a student's result with the expected one and say, in words, what is wrong.

This module needs only numpy and the standard library, because it is also shipped to
students: the released ``checks.py`` beside each notebook is generated from it, so the
visible tests and the hidden grading speak with one voice.

A result is a *tree*: a numeric ``numpy.ndarray`` or a list of trees (a tuple such as
``(dW, db)`` becomes a list of two arrays). Messages describe types, shapes, dtypes and
how many entries differ; they never print an expected value or an input, so they can be
shown for hidden cases too.
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
    ``"nonfinite"`` or ``"value"``: the first check that failed, in that order.
    """

    ok: bool
    kind: str
    message: str


OK = Verdict(True, "ok", "")


def as_tree(value: Any) -> Tree:
    """Turn a trusted value (numbers, arrays, nested tuples/lists) into a tree."""
    if isinstance(value, (list, tuple)):
        return [as_tree(item) for item in value]
    return np.asarray(value)


def describe(tree: Tree) -> str:
    """A short description of a tree's type and shape, with no values in it."""
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
    if isinstance(got, tuple):
        got = list(got)
    if isinstance(expected, list):
        if not isinstance(got, list):
            return Verdict(False, "type", f"{where}expected {describe(expected)} (a tuple or list), got {describe(got)}.")
        if len(got) != len(expected):
            return Verdict(False, "length", f"{where}expected {len(expected)} items, got {len(got)}.")
        for index, (got_item, expected_item) in enumerate(zip(got, expected)):
            verdict = compare(got_item, expected_item, rtol, atol, f"{where}item {index}: ")
            if not verdict.ok:
                return verdict
        return OK
    if isinstance(got, list):
        return Verdict(False, "type", f"{where}expected {describe(expected)}, got {describe(got)}.")
    if got is None:
        return Verdict(False, "type", f"{where}expected {describe(expected)}, got None: did you forget to return the result?")
    try:
        got = np.asarray(got)
    except Exception:
        return Verdict(False, "type", f"{where}expected {describe(expected)}, got something that is not an array.")
    return _compare_arrays(got, np.asarray(expected), rtol, atol, where)


def _compare_arrays(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float, where: str) -> Verdict:
    if got.dtype.kind not in "biuf":
        return Verdict(False, "dtype", f"{where}expected numbers, got an array of dtype {got.dtype}.")
    if expected.ndim == 0 and got.size == 1:
        got = got.reshape(())
    if got.shape != expected.shape:
        return Verdict(False, "shape", f"{where}{_shape_message(got.shape, expected.shape)}")
    if expected.dtype.kind in "iu" and got.dtype.kind == "f":
        return Verdict(False, "dtype", f"{where}expected integers, got floats ({got.dtype}); "
                       "counts and class indices are whole numbers (np.argmax returns integers).")
    got_f = got.astype(np.float64)
    expected_f = expected.astype(np.float64)
    bad = ~np.isfinite(got_f) & np.isfinite(expected_f)
    if bad.any():
        return Verdict(False, "nonfinite", f"{where}{int(bad.sum())} of {got.size} entries are nan or inf "
                       "where finite numbers were expected: look for an exp that overflows or a log of 0.")
    close = _close(got_f, expected_f, rtol, atol)
    if close.all():
        return OK
    wrong = ~close
    with np.errstate(all="ignore"):
        rel = np.abs(got_f - expected_f) / np.maximum(np.abs(expected_f), atol)
    worst = float(np.nanmax(np.where(wrong, rel, 0.0)))
    return Verdict(False, "value", f"{where}{int(wrong.sum())} of {got.size} entries differ from the "
                   f"expected values (largest relative error {worst:.1e}, tolerance rtol={rtol:g}, atol={atol:g}).")


def _close(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """``np.isclose(got, expected, rtol, atol, equal_nan=True)`` for float64 arrays of one
    shape, without isclose's broadcasting and dtype work (grading calls this very often)."""
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.abs(got - expected) <= atol + rtol * np.abs(expected)
    close &= np.isfinite(expected)  # an infinite expected value is only matched exactly
    if not close.all():  # inf == inf and nan "==" nan count as close
        close |= (got == expected) | (np.isnan(got) & np.isnan(expected))
    return close


def _shape_message(got: tuple, expected: tuple) -> str:
    message = f"expected shape {expected}, got {got}."
    if len(got) == 2 and got == expected[::-1]:
        message += " It looks transposed: in this course W is (n_out, n_in) and a batch has one example per row."
    elif int(np.prod(got)) == int(np.prod(expected)):
        message += " Same number of entries, different layout: check your reshape, transpose or keepdims."
    elif len(got) == len(expected) - 1:
        message += " One axis is missing: did you sum or average over an axis you should keep?"
    elif len(got) == len(expected) + 1:
        message += " One axis too many: did you forget to sum or average over the examples?"
    return message


def matches(got: Tree, expected: Tree, rtol: float, atol: float) -> bool:
    """True when ``got`` equals ``expected`` within tolerance, nan matching nan.

    Used to recognise known mistakes: a wrong variant that produces nan at the same
    place as the student's code is the same mistake.
    """
    if isinstance(got, tuple):
        got = list(got)
    if isinstance(expected, list):
        return (isinstance(got, list) and len(got) == len(expected)
                and all(matches(g, e, rtol, atol) for g, e in zip(got, expected)))
    if isinstance(got, list):
        return False
    got, expected = np.asarray(got), np.asarray(expected)
    if expected.ndim == 0 and got.size == 1:
        got = got.reshape(())
    if got.shape != expected.shape or got.dtype.kind not in "biuf" or expected.dtype.kind not in "biuf":
        return False
    return bool(_close(got.astype(np.float64), expected.astype(np.float64), rtol, atol).all())
