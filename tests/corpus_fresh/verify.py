"""Check every label of the fresh corpus against the reference implementation ``nn_core``.

Run from the repository root::

    .venv/bin/python tests/corpus_fresh/verify.py            # every assignment
    .venv/bin/python tests/corpus_fresh/verify.py a1 a4      # some of them

For each graded function the script draws inputs of the notebook's shapes (random ones and the
edge cases the notebook names: |z| = 1000, z = 0, predictions of exactly 0 or 1, other values
of the optional arguments, ...) and calls both the student's source and the reference of
``nn_core.answers.ANSWERS`` on private copies of them. Then:

* a **valid** answer must agree with the reference on every input (``rtol 1e-9``, with an
  absolute floor of ``1e-12`` for values that are zero up to rounding), raise nothing, leave
  its arguments unchanged and emit no warning;
* a **mistake** must differ on at least one input: another value or shape, an exception,
  a modified argument, or (for ``sigmoid``, whose notebook requires it) a warning;
* a **shortcut** (a finite difference in place of a derived formula) is reported with its
  largest relative deviation; it is expected to agree to about ``1e-5`` or better (that is
  what makes it a shortcut rather than a mistake).

It imports only ``numpy`` and ``nn_core``, never ``autograder``. Exit status 1 when a label is
wrong.
"""
from __future__ import annotations

import copy
import importlib
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nn_core.answers import ANSWERS  # noqa: E402

from cases import CASES, PRELUDES, REFERENCE_OF  # noqa: E402

RTOL = 1e-9
ATOL = 1e-12
#: Functions whose notebook requires "without warnings".
WARNING_IS_WRONG = {"sigmoid"}
ASSIGNMENTS = ("a1", "a2", "a3", "a4", "a5")


def load_function(source: str, name: str, prelude: str = "") -> Callable:
    """Execute a student's source (after an optional pasted prelude) and return ``name``.

    Parameters
    ----------
    source : str, the complete student function(s)
    name : str, the function to return
    prelude : str, code the notebook runs before it (the pasted earlier assignments)
    """
    namespace: dict[str, Any] = {"np": np}
    exec(compile(prelude + "\n" + source, f"<corpus {name}>", "exec"), namespace)
    return namespace[name]


def leaves(value: Any) -> list[np.ndarray]:
    """Flatten a returned value (number, array, tuple, list of tuples) into float arrays."""
    if isinstance(value, (list, tuple)) and not (value and all(np.isscalar(v) for v in value)):
        return [leaf for item in value for leaf in leaves(item)]
    return [np.asarray(value, dtype=np.float64)]


def same_value(got: Any, want: Any) -> bool:
    """True when ``got`` matches ``want`` leaf by leaf in shape and value (nan only with nan)."""
    if _is_integer(want) and not _is_integer(got):
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
        if g.shape != w.shape or not np.allclose(g, w, rtol=RTOL, atol=ATOL, equal_nan=True):
            return False
    return True


def _is_integer(value: Any) -> bool:
    """True for a Python or numpy integer, or an integer array (what an ``int`` answer may be)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (int, np.integer)) or (isinstance(value, np.ndarray) and value.dtype.kind in "iu")


def bitwise_equal(a: Any, b: Any) -> bool:
    """True when two argument structures hold the same bits (the caller's arrays unchanged)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(bitwise_equal(x, y) for x, y in zip(a, b))
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
                cases: Iterable[tuple[tuple, dict]], any_warning: bool = False) -> list[str]:
    """Every way ``student`` differs from ``reference`` on ``cases`` (empty when it never does).

    A warning the reference does not emit counts for the functions of ``WARNING_IS_WRONG``,
    and for every function when ``any_warning`` (valid answers must be clean).
    """
    found = []
    for index, (args, kwargs) in enumerate(cases):
        want = run(reference, args, kwargs)
        got = run(student, args, kwargs)
        if got["error"]:
            found.append(f"case {index}: raises {got['error'][:80]}")
        elif not same_value(got["value"], want["value"]):
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
        if got["error"]:
            return float("inf")
        for g, w in zip(leaves(got["value"]), leaves(want["value"])):
            scale = max(float(np.max(np.abs(w), initial=0.0)), 1e-12)
            worst = max(worst, float(np.max(np.abs(g - w), initial=0.0)) / scale)
    return worst


def verify(assignment: str) -> list[str]:
    """Check the labels of one assignment's corpus; return the problems found."""
    corpus = importlib.import_module(assignment).CORPUS
    prelude = PRELUDES.get(assignment, "")
    problems = []
    counts = {"valid": 0, "mistakes": 0, "shortcuts": 0}
    for question, entry in corpus.items():
        for graded in REFERENCE_OF.get(question, [question]):
            reference = ANSWERS[graded]
            cases = CASES[graded](np.random.default_rng(sum(map(ord, graded))))
            for label, source in entry["valid"].items():
                student = load_function(source, graded, prelude)
                found = differences(graded, student, reference, cases, any_warning=True)
                if found:
                    problems.append(f"{assignment} {graded} valid {label}: {found[:3]}")
            for label, mistake in entry["mistakes"].items():
                student = load_function(mistake["source"], graded, prelude)
                if not differences(graded, student, reference, cases):
                    problems.append(f"{assignment} {graded} mistake {label}: agrees with the reference")
            for label, source in entry["shortcuts"].items():
                student = load_function(source, graded, prelude)
                dev = deviation(student, reference, cases)
                print(f"  {assignment} {graded} shortcut {label}: largest relative deviation {dev:.1e}")
                if not dev < 1e-4:
                    problems.append(f"{assignment} {graded} shortcut {label}: deviation {dev:.1e}")
        for kind in counts:
            counts[kind] += len(entry[kind])
    print(f"{assignment}: {len(corpus)} questions, {counts['valid']} valid, "
          f"{counts['mistakes']} mistakes, {counts['shortcuts']} shortcuts")
    return problems


def main(argv: list[str]) -> int:
    """Verify the assignments named in ``argv`` (all when none); print the problems."""
    problems = [p for assignment in (argv or ASSIGNMENTS) for p in verify(assignment)]
    for problem in problems:
        print("WRONG LABEL:", problem)
    print("all labels verified" if not problems else f"{len(problems)} wrong labels")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
