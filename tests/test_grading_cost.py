"""What the grader does not compute: the work the pipeline leaves out to stay fast.

Speed itself is measured by the benchmarks (docs/performance.md), never by timed tests; these
pin the behaviours the figures rely on, each of which could quietly come back.
"""
from __future__ import annotations

import dataclasses

import numpy as np
from threadpoolctl import threadpool_info

from autograder.course.cases import submission_key
from autograder.grading import diagnose
from autograder.grading.pipeline import (
    arrays_from_the_heap, call_groups, default_course, grade_notebook, hidden_calls, plan, score_question)
from autograder.questions import QUESTIONS, Mistake
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.sandbox import CallOutcome, Sandbox

COURSE = default_course()
A4 = "a4_losses_backprop"


def test_the_grader_computes_with_one_blas_thread():
    with Sandbox(COURSE.limits) as sandbox:
        grade_notebook({"cells": []}, "a1_activations", "blas-student", sandbox=sandbox)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_expected_values_are_computed_only_for_calls_that_returned_a_value():
    spec = next(s for s in COURSE.assignment(A4).questions if s.id == "backprop")
    planned = plan(COURSE, A4, "lazy-student", [spec], submission=submission_key([]))
    assert planned and all("expected" not in vars(p) for p in planned)  # drawing the cases computes none
    stubbed = [CallOutcome("error", None, "backprop raised NotImplementedError", "NotImplementedError")
               for _ in planned]
    result = score_question(spec, planned, stubbed, COURSE.limits.call_timeout_s)
    assert result.score == 0 and all("expected" not in vars(p) for p in planned)
    right = [CallOutcome("ok", p.expected) for p in planned]
    assert score_question(spec, planned, right, COURSE.limits.call_timeout_s).score == spec.points


def test_a_mistake_ruled_out_by_an_earlier_case_is_not_run_on_the_later_ones():
    spec = next(s for s in COURSE.assignment(A4).questions if s.id == "mse_gradient")
    planned = plan(COURSE, A4, "pruned-student", [spec], submission=submission_key([]))
    question, cases = planned[0].question, [p.case for p in planned]
    seen: dict[str, list] = {"right": [], "ruled out": []}

    def variant(name, fn):
        def run(*args):
            seen[name].append(args)
            return fn(*args)
        return run

    reference = question.reference
    doubled = Mistake("right", "the student's mistake", variant("right", lambda *a: 2 * reference(*a)))
    other = Mistake("ruled out", "never this one", variant("ruled out", lambda *a: 3 * reference(*a)))
    question = dataclasses.replace(question, mistakes=(doubled, other))
    failures = [diagnose.Failure(case, "ok", 2 * reference(*case.args)) for case in cases]
    explanation = diagnose.explain(question, failures, (spec.rtol, spec.atol), lambda c: reference(*c.args))
    assert explanation is not None and explanation.id == "right"
    assert len(seen["right"]) == len(cases)  # tried on every failing case, the large one included
    assert len(seen["ruled out"]) == 1  # ruled out by the first failing case, never run on the large one
    assert cases[-1].label == "many parameters" and np.size(cases[-1].args[0]) >= 100_000
    assert QUESTIONS["mse_gradient"].mistakes  # the registry's own mistakes are untouched


def test_a_questions_hidden_calls_go_in_one_group_the_case_with_many_parameters_and_judged_calls_alone():
    """One round trip per question instead of one per call (``Sandbox.run(groups=)``), except
    where a call may take seconds: the case with many parameters (a numerical gradient's
    time-out stays its own) and a judged question's training runs."""
    for assignment, judged_expected in ((A4, False), ("a3_two_layer", False), ("a5_training", True)):
        specs = COURSE.assignment(assignment).questions
        planned = plan(COURSE, assignment, "grouped-student", specs, submission=submission_key([]))
        calls, first, second = hidden_calls(planned)
        groups = call_groups(planned, first, len(calls))
        assert sum(groups) == len(calls) and all(g >= 1 for g in groups)
        ends = np.cumsum(groups)
        starts = ends - groups
        for k, p in enumerate(planned):
            group = int(np.searchsorted(ends, first[k], side="right"))
            mine = set(range(first[k], (second[k] if second[k] is not None else first[k]) + 1))
            members = set(range(starts[group], ends[group]))
            assert mine <= members  # a case's second call goes with its first
            if p.case.label == LARGE_CASE_LABEL or p.question.judge is not None:
                assert members == mine
            else:  # every small case of the question, and nothing of another question
                assert members == {i for j, q in enumerate(planned) if q.spec is p.spec
                                   and q.case.label != LARGE_CASE_LABEL
                                   for i in (first[j], second[j]) if i is not None}
        assert any(p.question.judge is not None for p in planned) == judged_expected
        if assignment == A4:  # its 21 questions, 12 with a case with many parameters: 33 round trips
            assert len(groups) == len(specs) + sum(p.case.label == LARGE_CASE_LABEL for p in planned) < len(calls)


def test_the_grader_serves_arrays_from_its_heap_where_glibc_allows():
    """Set once per grading process by grade_notebook (docs/performance.md: without it every
    0.8 MB array of a case with many parameters is mapped anew, a page fault per 4 KB)."""
    import platform

    with Sandbox(COURSE.limits) as sandbox:
        grade_notebook({"cells": []}, "a1_activations", "heap-student", sandbox=sandbox)
    assert arrays_from_the_heap.cache_info().currsize == 1
    assert arrays_from_the_heap() is (platform.libc_ver()[0] == "glibc")
