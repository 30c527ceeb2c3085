"""Check every label of the blind corpus against the reference implementation ``nn_core``.

Run from the repository root::

    .venv/bin/python tests/corpus_blind/verify.py            # every assignment
    .venv/bin/python tests/corpus_blind/verify.py a5         # some of them

For each graded function, ``cases.py`` draws inputs of the notebook's shapes and the edges its
text names; the student's source (after its notebook's ``PRELUDE``) and the reference of
``nn_core.answers.ANSWERS`` are called on private copies of them with the primitives of
``tests/corpus_labels.py``:

* **valid**: agrees everywhere to ``rtol 1e-9`` (floor ``1e-12``), raises nothing, changes no
  argument, warns nowhere;
* **mistake**: differs on at least one input **beyond the course's tolerance** (``rtol 1e-6``,
  floor ``1e-9``, course.yml's defaults): another value or shape, a float where an ``int`` is
  asked, an exception, or a changed argument. A warning alone does not count (the notebooks say
  no hidden point depends on one), nor does a difference within rounding: either would be a
  "false pass" that is right by the notebook's own contract;
* **shortcut** (finite differences in place of a derived formula): relative deviation below
  ``1e-4`` (printed).

The form is checked too (keys, a one-line ``what``, an ``evidence`` from :data:`EVIDENCE`, the
``def``). Corpus modules load by path as ``blind_a1``, ... so that they never shadow another
corpus's. Imports numpy, ``nn_core`` and this directory's files only, never ``autograder``.
Exit status 1 when a label is wrong.
"""
from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Iterable

import numpy as np

HERE = Path(__file__).resolve().parent
for _path in (HERE.parents[1], HERE.parent):  # the repository (nn_core), tests/ (corpus_labels)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from corpus_labels import deviation, differences, load_function  # noqa: E402
from nn_core.answers import ANSWERS  # noqa: E402

ASSIGNMENTS = ("a1", "a2", "a3", "a4", "a5", "a6")
#: Corpus files per assignment (a4's losses live in a file of their own).
FILES = {"a4": ("a4_losses", "a4")}
#: A mistake must differ from the reference beyond course.yml's default tolerance.
COURSE_RTOL, COURSE_ATOL = 1e-6, 1e-9
SHORTCUT_TOLERANCE = 1e-4
#: The kinds of mistake ``evidence`` may name; README.md defines each.
EVIDENCE = frozenset("factor sign transpose missing_term extra_term wrong_axis broadcast shape ignored_argument "
                     "edge_case wrong_function in_place loop_order loop_count batching rng dtype cascade "
                     "other".split())


def module(stem: str) -> ModuleType:
    """``tests/corpus_blind/<stem>.py``, imported once under the private name ``blind_<stem>``
    (``blind_forms.py``, which the corpus modules import by that name, under its own)."""
    key = stem if stem.startswith("blind_") else "blind_" + stem
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, HERE / (stem + ".py"))
        sys.modules[key] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[key])
    return sys.modules[key]


module("blind_forms")  # before any corpus module imports it
CASES = module("cases").CASES
REFERENCE_OF = module("cases").REFERENCE_OF


def entries(assignment: str) -> list[tuple[str, dict, str]]:
    """``(function, entry, prelude)`` for every function of an assignment's corpus files."""
    found = []
    for stem in FILES.get(assignment, (assignment,)):
        loaded = module(stem)
        found += [(name, entry, getattr(loaded, "PRELUDE", "")) for name, entry in loaded.CORPUS.items()]
    return found


def corpus_of(assignment: str) -> dict[str, dict]:
    """The merged ``CORPUS`` of an assignment."""
    return {name: entry for name, entry, _ in entries(assignment)}


def malformed(assignment: str, name: str, entry: dict) -> list[str]:
    """What is wrong with the form of one function's entry."""
    where = f"{assignment} {name}"
    if sorted(entry) != ["mistakes", "shortcuts", "valid"]:
        return [f"{where}: keys {sorted(entry)}"]
    sources = {**entry["valid"], **entry["shortcuts"], **{k: v["source"] for k, v in entry["mistakes"].items()}}
    found = [f"{where} {label}: no def {name}(" for label, src in sources.items() if f"def {name}(" not in src]
    for label, mistake in entry["mistakes"].items():
        text = mistake.get("what", "").strip()
        if not text or "\n" in text:
            found.append(f"{where} {label}: 'what' is not one line")
        if mistake.get("evidence") not in EVIDENCE:
            found.append(f"{where} {label}: unknown evidence {mistake.get('evidence')!r}")
    return found


def mislabelled(name: str, entry: dict, prelude: str) -> list[str]:
    """Labels of one function's entry that nn_core contradicts, for every question it is graded by."""
    found = []
    for question in REFERENCE_OF.get(name, [name]):
        cases = CASES[question](np.random.default_rng([26, len(question), sum(map(ord, question))]))
        reference = ANSWERS[question]
        student = lambda src: load_function(src, question, prelude)  # noqa: E731
        for label, src in entry["valid"].items():
            problems = differences(question, student(src), reference, cases, any_warning=True)
            found += [f"{question} valid {label}: {problems[:2]}"] if problems else []
        for label, mistake in entry["mistakes"].items():
            wrong = differences(question, student(mistake["source"]), reference, cases, rtol=COURSE_RTOL, atol=COURSE_ATOL)
            if not [way for way in wrong if not way.endswith(": warns")]:  # no hidden point depends on a warning
                found.append(f"{question} mistake {label}: within the course's tolerance of the reference")
        for label, src in entry["shortcuts"].items():
            dev = deviation(student(src), reference, cases)
            print(f"  {question} shortcut {label}: largest relative deviation {dev:.1e}")
            found += [] if dev < SHORTCUT_TOLERANCE else [f"{question} shortcut {label}: deviation {dev:.1e}"]
    return found


def verify(assignment: str) -> list[str]:
    """Every wrong label or malformed entry of one assignment (empty when all are right)."""
    problems, counts = [], Counter()
    for name, entry, prelude in entries(assignment):
        form = malformed(assignment, name, entry)
        problems += form or [f"{assignment} {p}" for p in mislabelled(name, entry, prelude)]
        counts.update({kind: len(entry.get(kind, {})) for kind in ("valid", "mistakes", "shortcuts")})
    print(f"{assignment}: {counts['valid']} valid, {counts['mistakes']} mistakes, {counts['shortcuts']} shortcuts")
    return problems


def tally(assignments: Iterable[str] = ASSIGNMENTS) -> dict[str, Counter]:
    """Answers per (assignment, function, kind) and mistakes per evidence category."""
    per_question, per_evidence = Counter(), Counter()
    for assignment in assignments:
        for name, entry, _ in entries(assignment):
            for kind in ("valid", "mistakes", "shortcuts"):
                per_question[(assignment, name, kind)] += len(entry[kind])
            per_evidence.update(m["evidence"] for m in entry["mistakes"].values())
    return {"question": per_question, "evidence": per_evidence}


def main(argv: list[str]) -> int:
    """Verify the assignments named in ``argv`` (all when none); print every wrong label."""
    problems = [p for assignment in argv or ASSIGNMENTS for p in verify(assignment)]
    print(*(f"WRONG LABEL: {p}" for p in problems), sep="\n") if problems else None
    print(f"{len(problems)} wrong labels" if problems else "all labels verified")
    return int(bool(problems))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
