"""The public cases file the visible checks read, and what a failed check raises.

``public_cases.json`` beside each notebook holds, per question, the public cases (inputs,
the expected results, the results of the known mistakes), written by
``python -m autograder build`` with :func:`encode` and read back with :func:`decode`.
Shared by the visible checks (:mod:`autograder.checks.visible`) and the judged checks
(:mod:`autograder.checks.judged`); inlined into the released ``checks.py`` before them.

Only numpy and the standard library are needed.
"""
from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

CASES_FILE = "public_cases.json"


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
