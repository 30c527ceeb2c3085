"""The labelled corpus (tests/corpus/): every valid answer scores full marks for every
student id, every mistake loses marks for every id, and the feedback names the mistake.

``make accuracy`` prints the same figures with the details.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

import harness  # noqa: E402

from autograder.grading.pipeline import default_course  # noqa: E402
from autograder.questions import QUESTIONS  # noqa: E402
from autograder.sandbox import Sandbox  # noqa: E402

ANSWERS = harness.load_corpus()
ERRATA = ("notes erratum", "note 004", "the notes")


@pytest.fixture(scope="module")
def graded():
    with Sandbox(default_course().limits) as sandbox:
        results = harness.grade_answers(ANSWERS, sandbox)
    print("\n" + harness.report(results, details=False))
    return results


def test_every_question_has_two_valid_answers_and_four_distinct_mistakes():
    valid = Counter(a.question for a in ANSWERS if a.valid)
    wrong = Counter(a.question for a in ANSWERS if not a.valid)
    assert set(valid) == set(wrong) == set(QUESTIONS)
    assert min(valid.values()) >= 2 and min(wrong.values()) >= 4, (valid, wrong)
    for question in QUESTIONS:
        sources = [re.sub(r"\s+", " ", a.source) for a in ANSWERS if a.question == question]
        assert len(sources) == len(set(sources)), f"{question}: two corpus answers are the same code"


def test_the_harness_grades_each_key_on_fresh_cases_of_the_same_code():
    """``harness.py --keys N``: submission k of the same answers is the same code plus a comment
    cell, so every k has its own submission key (own hidden cases) and runs the same functions."""
    from autograder.course.cases import submission_key

    sources = harness.base_sources("a1_activations")
    variants = [harness.submission_variant(sources, k) for k in range(5)]
    assert variants[0] == sources and all(v[:len(sources)] == sources for v in variants)
    assert all(line.lstrip().startswith("#") for v in variants[1:] for line in v[len(sources):])
    assert len({submission_key(v) for v in variants}) == len(variants)


def test_every_erratum_of_the_notes_that_a_function_can_make_is_in_the_corpus_and_the_registry():
    registered = {m.name for q in QUESTIONS.values() for m in q.mistakes if any(e in m.name for e in ERRATA)}
    named_by_corpus = {n for a in ANSWERS for n in a.names}
    # errata 2, 3, 4, 5, 7, 8, 10, 11, 14, 15, 17, note 004's convention (12, 13) and 21's notation; 18 is gd's
    # update order (9 and 20 are withdrawn: their mistakes are named for what the student did)
    assert len(registered) >= 11 and registered <= named_by_corpus, registered - named_by_corpus


def test_every_valid_answer_gets_full_marks_for_every_student(graded):
    false_fails = [(g.answer.question, g.answer.label, g.student, g.result.feedback)
                   for g in graded if g.answer.valid and not g.full_marks]
    assert not false_fails


def test_a_fault_only_the_run_could_report_costs_nothing_and_is_advised(graded):
    """A warning, or an argument off by a rounding error, changes no value: no observation
    from outside the run can establish it, so it gets full marks and advice (docs/design.md,
    "What a run says about itself")."""
    advised = [g for g in graded if g.answer.advice]
    assert advised
    for g in advised:
        assert g.full_marks and "Advice (no points)" in g.result.feedback, (g.answer.label, g.result.feedback)


def test_every_mistake_loses_marks_for_every_student(graded):
    false_passes = [(g.answer.question, g.answer.label, g.student) for g in graded
                    if not g.answer.valid and g.full_marks]
    assert not false_passes


def test_mistakes_are_named_at_least_nine_times_in_ten(graded):
    figures = harness.figures(graded)
    print(f"\nnamed {figures['named %']:.1f} % of {figures['mistakes']} graded mistakes")
    assert figures["named %"] >= 90.0, harness.report(graded)


def test_every_lost_mark_says_what_to_try(graded):
    """Never only "values differ": a named explanation, or which kinds of case failed."""
    for g in graded:
        if g.result.passed < g.result.total:
            assert re.search(r"Recognised mistake: |Diagnosis: |No single explanation fits|the result is right, but",
                             g.result.feedback), \
                g.result.feedback
