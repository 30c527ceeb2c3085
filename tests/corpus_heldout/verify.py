"""Check every label of the held-out corpus against the reference implementation ``nn_core``.

Run from the repository root::

    .venv/bin/python tests/corpus_heldout/verify.py            # every assignment
    .venv/bin/python tests/corpus_heldout/verify.py a3 a4      # some of them

For each graded function the script draws inputs of the notebook's shapes with ``cases.py``
(random ones and the edge cases the notebooks name) and calls the student's source and the
reference of ``nn_core.answers.ANSWERS`` on private copies of them. Then:

* a **valid** answer must agree with the reference on every input (``rtol 1e-9`` with an
  absolute floor of ``1e-12``), raise nothing, leave its arguments unchanged and emit no
  warning;
* a **mistake** must differ on at least one input: another value or shape, a float where an
  ``int`` is asked, an exception, a modified argument, or (for ``sigmoid``, whose notebook
  forbids them) a warning;
* a **shortcut** (finite differences in place of a derived formula) must agree to a relative
  deviation below ``1e-4``; its largest deviation is printed.

It also checks the corpus's form: every mistake has a one-line ``what`` and an ``evidence``
from :data:`EVIDENCE` (documented in ``README.md``). It imports only ``numpy``, ``nn_core`` and
its own ``cases.py``, never ``autograder``. The corpus modules are loaded by path under names
of their own (``heldout_a1``, ...), so this corpus never shadows another one's ``a1``.
Exit status 1 when a label is wrong.
"""
from __future__ import annotations

import copy
import importlib.util
import sys
import warnings
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nn_core.answers import ANSWERS  # noqa: E402

RTOL = 1e-9
ATOL = 1e-12
#: Largest relative deviation a finite-difference shortcut may have from the reference.
SHORTCUT_TOLERANCE = 1e-4
#: Functions whose notebook requires "without warnings".
WARNING_IS_WRONG = {"sigmoid"}
ASSIGNMENTS = ("a1", "a2", "a3", "a4", "a5")
#: The files of each assignment's corpus, merged in this order (a4's losses are a file of their own).
FILES: dict[str, tuple[str, ...]] = {"a4": ("a4_losses", "a4")}
#: The categories a mistake's ``evidence`` may name (README.md says what each one means).
EVIDENCE = frozenset({
    "factor", "sign", "transpose", "missing_term", "extra_term", "wrong_axis", "broadcast", "shape",
    "ignored_argument", "edge_case", "wrong_function", "in_place", "loop_order", "loop_count",
    "batching", "rng", "dtype", "cascade", "other",
})


def load_module(stem: str) -> ModuleType:
    """Import ``tests/corpus_heldout/<stem>.py`` under the private name ``heldout_<stem>``."""
    name = f"heldout_{stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def corpus_of(assignment: str) -> tuple[dict[str, dict], str]:
    """The merged ``CORPUS`` of an assignment and the prelude its notebook runs first."""
    corpus: dict[str, dict] = {}
    prelude = ""
    for stem in FILES.get(assignment, (assignment,)):
        module = load_module(stem)
        corpus.update(module.CORPUS)
        prelude = getattr(module, "PRELUDE", prelude) or prelude
    return corpus, prelude


CASES: dict[str, Callable] = load_module("cases").CASES
REFERENCE_OF: dict[str, list[str]] = load_module("cases").REFERENCE_OF


def load_function(source: str, name: str, prelude: str = "") -> Callable:
    """Execute a student's source after the notebook's prelude and return the function ``name``.

    Parameters
    ----------
    source : str, the student's cell (the function and any helper it defines)
    name : str, the function to return
    prelude : str, code the notebook runs before it
    """
    namespace: dict[str, Any] = {"np": np}
    exec(compile(prelude + "\n" + source, f"<heldout {name}>", "exec"), namespace)
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


def same_value(got: Any, want: Any) -> bool:
    """True when ``got`` matches ``want`` leaf by leaf in shape and value (nan only with nan)."""
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
        if g.shape != w.shape or not np.allclose(g, w, rtol=RTOL, atol=ATOL, equal_nan=True):
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
        if got["error"] or got["mutated"]:
            return float("inf")
        for g, w in zip(leaves(got["value"]), leaves(want["value"])):
            scale = max(float(np.max(np.abs(w), initial=0.0)), 1e-12)
            worst = max(worst, float(np.max(np.abs(g - w), initial=0.0)) / scale)
    return worst


def form_problems(assignment: str, corpus: dict[str, dict]) -> list[str]:
    """Problems of form: missing keys, empty or multi-line ``what``, unknown evidence, wrong ``def``."""
    problems = []
    for question, entry in corpus.items():
        if set(entry) != {"valid", "mistakes", "shortcuts"}:
            problems.append(f"{assignment} {question}: keys {sorted(entry)}")
            continue
        for label, mistake in entry["mistakes"].items():
            what = mistake.get("what", "")
            if not what.strip() or "\n" in what.strip():
                problems.append(f"{assignment} {question} mistake {label}: 'what' must be one line")
            if mistake.get("evidence") not in EVIDENCE:
                problems.append(f"{assignment} {question} mistake {label}: evidence {mistake.get('evidence')!r}")
            if f"def {question}(" not in mistake["source"]:
                problems.append(f"{assignment} {question} mistake {label}: no def {question}(")
        for label, source in [*entry["valid"].items(), *entry["shortcuts"].items()]:
            if f"def {question}(" not in source:
                problems.append(f"{assignment} {question} {label}: no def {question}(")
    return problems


def verify(assignment: str) -> list[str]:
    """Check the labels of one assignment's corpus; return the problems found."""
    corpus, prelude = corpus_of(assignment)
    problems = form_problems(assignment, corpus)
    counts = Counter()
    for question, entry in corpus.items():
        for graded in REFERENCE_OF.get(question, [question]):
            reference = ANSWERS[graded]
            cases = CASES[graded](np.random.default_rng(sum(map(ord, graded)) + 26))
            for label, source in entry["valid"].items():
                found = differences(graded, load_function(source, graded, prelude), reference, cases, any_warning=True)
                if found:
                    problems.append(f"{assignment} {graded} valid {label}: {found[:3]}")
            for label, mistake in entry["mistakes"].items():
                student = load_function(mistake["source"], graded, prelude)
                if not differences(graded, student, reference, cases):
                    problems.append(f"{assignment} {graded} mistake {label}: agrees with the reference")
            for label, source in entry["shortcuts"].items():
                dev = deviation(load_function(source, graded, prelude), reference, cases)
                print(f"  {assignment} {graded} shortcut {label}: largest relative deviation {dev:.1e}")
                if not dev < SHORTCUT_TOLERANCE:
                    problems.append(f"{assignment} {graded} shortcut {label}: deviation {dev:.1e}")
        for kind in ("valid", "mistakes", "shortcuts"):
            counts[kind] += len(entry[kind])
    print(f"{assignment}: {len(corpus)} questions, {counts['valid']} valid, "
          f"{counts['mistakes']} mistakes, {counts['shortcuts']} shortcuts")
    return problems


def tally(assignments: Iterable[str] = ASSIGNMENTS) -> dict[str, Counter]:
    """Counts per question (valid, mistakes, shortcuts) and of mistakes per evidence category."""
    per_question: Counter = Counter()
    per_evidence: Counter = Counter()
    for assignment in assignments:
        corpus, _ = corpus_of(assignment)
        for question, entry in corpus.items():
            for kind in ("valid", "mistakes", "shortcuts"):
                per_question[(assignment, question, kind)] += len(entry[kind])
            per_evidence.update(m["evidence"] for m in entry["mistakes"].values())
    return {"question": per_question, "evidence": per_evidence}


def main(argv: list[str]) -> int:
    """Verify the assignments named in ``argv`` (all when none); print the problems."""
    problems = [p for assignment in (argv or ASSIGNMENTS) for p in verify(assignment)]
    for problem in problems:
        print("WRONG LABEL:", problem)
    print("all labels verified" if not problems else f"{len(problems)} wrong labels")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
