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

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterable

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))  # corpus_labels

from nn_core.answers import ANSWERS  # noqa: E402

#: Largest relative deviation a finite-difference shortcut may have from the reference.
SHORTCUT_TOLERANCE = 1e-4
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


from corpus_labels import deviation, differences, load_function  # noqa: E402



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
