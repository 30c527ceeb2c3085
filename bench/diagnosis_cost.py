"""``python -m bench.diagnosis_cost``: what the diagnosis costs on mistakes nobody registered.

    python -m bench.diagnosis_cost [--corpus tests/corpus_fresh] [--student bench-student]

Every mistake of an independent corpus (``tests/corpus_fresh``: written without the registry,
so the registered mistakes rarely explain them and every general detector runs) of the compared
questions (a1 to a4) is run here, in process, on one student's hidden cases; the grader's
:func:`autograder.grading.pipeline.score_question` (comparison, diagnosis, feedback) is timed on
the results. Prints the total and the mean per question graded, and the slowest questions.
``bench.profile_grading`` times a whole grading (a synthetic submission's mistakes are registered,
so its diagnosis stops at the registry); this isolates the general detectors' share. Run it on two
checkouts (``cd other && python -m bench.diagnosis_cost``) to compare them: it reads only the
corpus files and the public API of ``autograder.grading.pipeline``.
"""
from __future__ import annotations

import argparse
import copy
import importlib
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np

from autograder.checks.compare import as_tree
from autograder.course.cases import submission_key
from autograder.course.config import REPO_ROOT, load_course
from autograder.grading.pipeline import plan, score_question
from autograder.questions import QUESTIONS
from autograder.sandbox import CallOutcome

ASSIGNMENT_OF = {"a1": "a1_activations", "a2": "a2_feedforward", "a3": "a3_two_layer", "a4": "a4_losses_backprop"}


def mistakes(corpus: Path) -> list[tuple[str, str, str, str]]:
    """(assignment, question, label, prelude + source) of every mistake of the compared questions."""
    sys.path.insert(0, str(corpus))
    cases = importlib.import_module("cases")
    found = []
    for module, assignment in ASSIGNMENT_OF.items():
        for question, entry in importlib.import_module(module).CORPUS.items():
            if question in QUESTIONS and QUESTIONS[question].judge is None and not QUESTIONS[question].adapter:
                prelude = str(cases.PRELUDES.get(module, ""))
                found += [(assignment, question, label, prelude + "\n" + m["source"])
                          for label, m in entry.get("mistakes", {}).items()]
    return found


def outcome(fn, args: tuple) -> CallOutcome:
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CallOutcome("ok", as_tree(fn(*copy.deepcopy(args))), "")
    except Exception as error:  # noqa: BLE001 - a mistake may raise
        return CallOutcome("error", None, "", error_type=type(error).__name__)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.diagnosis_cost", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(REPO_ROOT / "tests" / "corpus_fresh"))
    parser.add_argument("--student", default="bench-student")
    args = parser.parse_args(argv)
    course = load_course()
    specs = {q.id: q for a in course.assignments for q in a.questions}
    per_question: dict[str, float] = defaultdict(float)
    total, count = 0.0, 0
    for assignment, question, label, source in mistakes(Path(args.corpus)):
        namespace = {"np": np}
        exec(compile(source, f"<{label}>", "exec"), namespace)
        fn = namespace[QUESTIONS[question].function]
        planned = plan(course, assignment, args.student, [specs[question]], submission=submission_key([label]))
        outcomes = [outcome(fn, p.case.args) for p in planned]
        start = time.process_time()
        score_question(specs[question], planned, outcomes, course.limits.call_timeout_s)
        spent = time.process_time() - start
        per_question[question] += spent
        total, count = total + spent, count + 1
    print(f"{count} mistakes scored: {1000 * total:.0f} ms CPU in score_question, {1000 * total / count:.1f} ms each")
    for question, spent in sorted(per_question.items(), key=lambda item: -item[1])[:8]:
        print(f"  {question:<26} {1000 * spent:7.1f} ms")


if __name__ == "__main__":
    main()
