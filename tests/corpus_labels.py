"""What every labelled corpus's ``verify.py`` checks an answer with: run it and nn_core's reference
on the same inputs and say whether they differ (values, integer types, exceptions, warnings,
arguments changed in place).

Shared by ``tests/corpus_fresh/verify.py`` and ``tests/corpus_heldout/verify.py``: each corpus keeps
its own inputs (``cases.py``) and its own rules of form, and checks its labels with the same
primitives, so a fix here reaches both. Imports only numpy.
"""
from __future__ import annotations

import copy
import warnings
from typing import Any, Callable, Iterable
from pathlib import Path

import numpy as np

RTOL = 1e-9
ATOL = 1e-12
#: Functions whose notebook requires "without warnings".
WARNING_IS_WRONG = {"sigmoid"}


def load_function(source: str, name: str, prelude: str = "") -> Callable:
    """Execute a student's source after the notebook's prelude and return the function ``name``.

    Parameters
    ----------
    source : str, the student's cell (the function and any helper it defines)
    name : str, the function to return
    prelude : str, code the notebook runs before it
    """
    namespace: dict[str, Any] = {"np": np}
    exec(compile(prelude + "\n" + source, f"<corpus {name}>", "exec"), namespace)
    return namespace[name]


def leaves(value: Any) -> list[np.ndarray]:
    """Flatten a returned value (number, array, tuple, list of tuples) into float arrays."""
    if isinstance(value, (list, tuple)) and not (value and all(np.isscalar(v) for v in value)):
        return [leaf for item in value for leaf in leaves(item)]
    return [np.asarray(value, dtype=np.float64)]


def _is_integer(value: Any) -> bool:
    """True for a Python or numpy integer, or an integer array (what an ``int`` answer may be)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (int, np.integer)) or (isinstance(value, np.ndarray) and value.dtype.kind in "iu")


def _integers_where_asked(got: Any, want: Any) -> bool:
    """True when ``got`` holds an integer wherever ``want`` does (a count, a shape, a class index)."""
    if _is_integer(want):
        return _is_integer(got)
    if isinstance(want, (list, tuple)) and isinstance(got, (list, tuple)) and len(got) == len(want):
        return all(_integers_where_asked(g, w) for g, w in zip(got, want))
    return True


def same_value(got: Any, want: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """True when ``got`` matches ``want`` leaf by leaf in shape and value (nan only with nan),
    to ``rtol`` with the absolute floor ``atol``."""
    if not _integers_where_asked(got, want):
        return False  # the notebooks refuse a float where an int is asked, even a whole one
    try:
        got_leaves, want_leaves = leaves(got), leaves(want)
    except (TypeError, ValueError):
        return False
    if len(got_leaves) != len(want_leaves):
        return False
    for g, w in zip(got_leaves, want_leaves):
        if g.size == 1 and w.size == 1:
            g, w = g.reshape(()), w.reshape(())
        if g.shape != w.shape or not np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True):
            return False
    return True


def bitwise_equal(a: Any, b: Any) -> bool:
    """True when two argument structures hold the same bits (the caller's arrays unchanged)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(bitwise_equal(x, y) for x, y in zip(a, b))
    return True


def run(function: Callable, args: tuple, kwargs: dict) -> dict[str, Any]:
    """Call ``function`` on private copies; record its value, exception, warnings and mutation."""
    a, k = copy.deepcopy(args), copy.deepcopy(kwargs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
                value, error = function(*a, **k), None
        except Exception as exc:  # the student's exception is an outcome, not a crash of the script
            value, error = None, f"{type(exc).__name__}: {exc}"
    return {"value": value, "error": error, "warned": bool(caught),
            "mutated": not (bitwise_equal(a, args) and bitwise_equal(k, kwargs))}


def differences(name: str, student: Callable, reference: Callable,
                cases: Iterable[tuple[tuple, dict]], any_warning: bool = False,
                rtol: float = RTOL, atol: float = ATOL) -> list[str]:
    """Every way ``student`` differs from ``reference`` on ``cases`` (empty when it never does).

    A warning the reference does not emit counts for the functions of ``WARNING_IS_WRONG``,
    and for every function when ``any_warning`` (valid answers must be clean). Values are
    compared to ``rtol`` and ``atol`` (a corpus may ask its mistakes to differ by more than
    the course's tolerance, not merely by more than rounding).
    """
    found = []
    for index, (args, kwargs) in enumerate(cases):
        want = run(reference, args, kwargs)
        got = run(student, args, kwargs)
        if got["error"]:
            found.append(f"case {index}: raises {got['error'][:80]}")
        elif not same_value(got["value"], want["value"], rtol, atol):
            found.append(f"case {index}: value differs")
        if got["mutated"]:
            found.append(f"case {index}: modifies its arguments")
        if got["warned"] and not want["warned"] and (name in WARNING_IS_WRONG or any_warning):
            found.append(f"case {index}: warns")
    return found


def deviation(student: Callable, reference: Callable, cases: Iterable[tuple[tuple, dict]]) -> float:
    """Largest relative deviation of a shortcut from the reference over ``cases``."""
    worst = 0.0
    for args, kwargs in cases:
        got, want = run(student, args, kwargs), run(reference, args, kwargs)
        if got["error"] or got["mutated"]:
            return float("inf")
        for g, w in zip(leaves(got["value"]), leaves(want["value"])):
            scale = max(float(np.max(np.abs(w), initial=0.0)), 1e-12)
            worst = max(worst, float(np.max(np.abs(g - w), initial=0.0)) / scale)
    return worst


def graded_functions(assignments: tuple[str, ...] = ("a1", "a2", "a3", "a4", "a5")) -> set[str]:
    """The graded functions of course.yml's assignments whose ids start with one of ``assignments``
    (an independent corpus covers the assignments that existed when it was written)."""
    import yaml

    course = yaml.safe_load((Path(__file__).resolve().parent.parent / "course.yml").read_text(encoding="utf-8"))
    return {q["function"] for a in course["assignments"] if a["id"].split("_")[0] in assignments
            for notebook in a["notebooks"] for q in notebook["questions"]}
