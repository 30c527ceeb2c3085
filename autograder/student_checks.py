"""The visible checks students run in their notebooks: ``check("sigmoid", sigmoid)``.

This module is not imported by the grader. ``python -m autograder build`` writes it, with
:mod:`autograder.compare` inlined in place of the import below, as ``checks.py`` beside
each notebook; ``public_cases.json`` beside it holds the public cases: inputs, the expected
results and the results of the known mistakes, all computed from the reference. So a
student sees the same comparisons and the same named mistakes as the hidden grading, on
cases that are public and may be shown in full.

Only numpy and the standard library are needed.
"""
from __future__ import annotations

import copy
import inspect
import json
import os
import warnings
from typing import Any, Callable

import numpy as np

from autograder.compare import CONTRACT_MESSAGES, as_tree, compare, describe, matches  # inlined by the build

CASES_FILE = "public_cases.json"
_PRINT_OPTIONS = dict(precision=6, threshold=40, edgeitems=3, linewidth=100)


# ----------------------------------------------------------------------- the public cases file
def encode(value: Any) -> Any:
    """A value of a case (arrays, numbers, nested lists and tuples) as JSON data."""
    if isinstance(value, tuple):
        return {"tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return {"list": [encode(item) for item in value]}
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.ndarray):
        return {"int": int(value)}
    if isinstance(value, (float, np.floating)) and not isinstance(value, np.ndarray):
        return {"float": float(value)}
    array = np.asarray(value)
    return {"dtype": str(array.dtype), "shape": list(array.shape), "data": array.ravel().tolist()}


def decode(node: Any) -> Any:
    """The inverse of :func:`encode`."""
    if "tuple" in node:
        return tuple(decode(item) for item in node["tuple"])
    if "list" in node:
        return [decode(item) for item in node["list"]]
    for kind, cast in (("bool", bool), ("int", int), ("float", float)):
        if kind in node:
            return cast(node[kind])
    return np.array(node["data"], dtype=node["dtype"]).reshape(node["shape"])


def load_cases(question: str, path: str | None = None) -> dict:
    """The public cases of one question: ``{"cases": [...], "mistakes": [...]}``."""
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), CASES_FILE)
    if not os.path.exists(path):
        path = CASES_FILE  # the notebook's working directory
    with open(path, encoding="utf-8") as handle:
        everything = json.load(handle)
    if question not in everything:
        raise KeyError(f"no visible checks for {question!r} in {CASES_FILE}")
    return everything[question]


# ----------------------------------------------------------------------- running the checks
def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    with np.printoptions(**_PRINT_OPTIONS):
        return repr(np.asarray(value)) if np.ndim(value) else repr(value)


def _same_values(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_values(x, y) for x, y in zip(a, b))
    return np.shape(a) == np.shape(b) and bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))


def _broken_contract(public: dict, case: dict, args: Any, given: Any, seen: list) -> str:
    """The contract the notebook states that this call broke, in words ("" if none)."""
    if public.get("keeps_inputs") and not _same_values(args, given):
        return "the result is right, but " + CONTRACT_MESSAGES["mutated-input"]
    if case.get("quiet") and any(issubclass(w.category, RuntimeWarning) for w in seen):
        return "the result is right, but " + CONTRACT_MESSAGES["warning"]
    return ""


def _show_inputs(function: Callable, args: tuple) -> list[str]:
    """One line per input, named as the function names its parameters (``z = array(...)``)."""
    try:
        names = [p.name for p in inspect.signature(function).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    names += [f"argument {i + 1}" for i in range(len(names), len(args))]
    width = max((len(name) for name in names[:len(args)]), default=0)
    return [f"  {name:<{width}} = {_show(value)}".replace("\n", "\n" + " " * (width + 5))
            for name, value in zip(names, args)]


class _Explained(Exception):
    """An error whose message says everything: Jupyter (IPython's ``_render_traceback_``
    protocol) shows the message alone, not a traceback through this module's internals.
    Plain Python shows the usual traceback, message included."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {line}" if i == 0 else line for i, line in enumerate(str(self).splitlines())]


class CheckFailed(_Explained, AssertionError):
    """A visible check failed: what is wrong, the inputs by name, expected and got."""


class StubNotImplemented(_Explained, NotImplementedError):
    """The function is still the stub."""


StubNotImplemented.__name__ = StubNotImplemented.__qualname__ = "NotImplementedError"  # what students know


def check(question: str, function: Callable, *, path: str | None = None) -> None:
    """Run ``function`` on the question's public cases and explain the first failure.

    Prints a line per question when every case passes. When a case fails, prints what is
    wrong first (shape, dtype, nan/inf or values, the name of a known mistake when the result
    matches one, or a contract the notebook states, such as unchanged arguments or no
    warnings; then the inputs by name, expected and got), then raises :class:`CheckFailed`
    (an ``AssertionError``) so that "Run all" stops there; ``NotImplementedError`` while the
    function is still a stub. Jupyter hides this function's own frame from the traceback
    (``__tracebackhide__``): the student sees their cell, not the checks' internals.
    """
    __tracebackhide__ = True  # noqa: F841 (read by IPython's traceback formatter)
    public = load_cases(question, path)
    for index, case in enumerate(public["cases"]):
        args = decode(case["args"])
        given = copy.deepcopy(args)
        try:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                got = function(*given)
        except NotImplementedError:
            raise StubNotImplemented(
                f"{question}: not implemented yet. Replace `raise NotImplementedError()` in "
                f"{getattr(function, '__name__', question)} by your code, run that cell, then this one."
            ) from None
        expected = as_tree(decode(case["expected"]))
        verdict = compare(got, expected, public["rtol"], public["atol"])
        broken = _broken_contract(public, case, args, given, seen)
        if verdict.ok and not broken:
            continue
        lines = [f"{question}: visible check {index + 1} of {len(public['cases'])} ({case['label']}) failed.",
                 verdict.message or broken]
        for mistake in public["mistakes"] if not verdict.ok else ():
            wrong = mistake["outputs"][index]
            if wrong is not None and matches(got, as_tree(decode(wrong)), public["rtol"], public["atol"]):
                lines.append(f"Recognised mistake: {mistake['message']}")
                break
        lines += ["inputs:", *_show_inputs(function, args)]
        lines.append(f"expected: {_show(expected)}")
        lines.append(f"got:      {_show(got) if got is not None else 'None'} ({describe(got)})")
        raise CheckFailed("\n".join(lines)) from None
    print(f"{question}: all {len(public['cases'])} visible checks passed. "
          "More cases are checked when you submit.")
