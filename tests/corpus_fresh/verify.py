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

import importlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # corpus_labels
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nn_core.answers import ANSWERS  # noqa: E402

from cases import CASES, PRELUDES, REFERENCE_OF  # noqa: E402

ASSIGNMENTS = ("a1", "a2", "a3", "a4", "a5")


from corpus_labels import deviation, differences, load_function  # noqa: E402



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
