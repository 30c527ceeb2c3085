"""bench.grading: plain nbgrader, otter and the engine's two paths grade a tiny class alike.

No timing is checked here (the benchmark prints its ratios; speed is not a unit test).
"""
import json
import sys
import types
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is not an installed package; `python -m pytest` finds it anyway
    sys.path.insert(0, str(ROOT))

from autograder.course.config import load_course  # noqa: E402
from autograder.checks import adapters  # noqa: E402
from autograder.course.cases import hidden_cases  # noqa: E402
from autograder.questions import QUESTIONS  # noqa: E402
from autograder.questions.registry import LARGE_CASE_LABEL  # noqa: E402
from bench import alternatives, grading, literal_tests  # noqa: E402

COURSE = load_course()


# --------------------------------------------------------------------------- literal tests
@pytest.mark.parametrize("value", [
    np.array([[0.1, -1e-300, 1e300], [2.0 / 3.0, 0.0, -0.0]]),
    np.array([np.inf, -np.inf, 5.0]),
    np.array([1, 2, 3], dtype=np.int64),
    np.zeros((0, 3)),
    [(np.eye(2), np.array([0.5, 1.5])), (np.ones((1, 2)), np.array([7.0]))],
    (3, 0.1 + 0.2, True),
])
def test_a_literal_reads_back_as_the_same_value_shape_and_dtype(value):
    back = eval(literal_tests.literal(value), {"np": np})
    flat, flat_back = grading_tree(value), grading_tree(back)
    assert len(flat) == len(flat_back)
    for a, b in zip(flat, flat_back):
        assert type(a) is type(b)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
        else:
            assert a == b


def grading_tree(value):
    if isinstance(value, (list, tuple)):
        return [type(value)] + [x for item in value for x in grading_tree(item)]
    return [value]


class _KnownTestFunction:
    """``checks.make_test_function`` as the literal tests call it, keeping its index and parameters so
    that the registry's functions, which take them (the adapter's plain data), can be called."""

    def __init__(self, kind, params):
        self.kind, self.params = kind, params
        self.f = adapters.make_test_function(kind, params)

    def __call__(self, x):
        return self.f(x)


def _as_student_writes(question, fn):
    """The registry's ``fn`` in the student's signature (a function ``f`` first, for an adapter)."""
    if question.adapter != "function_and_array":
        return fn
    return lambda f, x, *h: fn(f.kind, f.params, x, *h)


def test_the_literal_hidden_tests_pass_the_reference_and_fail_each_known_mistake(monkeypatch):
    monkeypatch.setitem(sys.modules, "checks", types.SimpleNamespace(make_test_function=_KnownTestFunction))
    for assignment in COURSE.assignments:
        for spec in assignment.questions:
            source = literal_tests.nbgrader_hidden_tests(spec, COURSE, assignment.id)
            question = QUESTIONS[spec.id]
            exec(source, {"np": np, spec.function: _as_student_writes(question, question.reference)})
            for mistake in question.mistakes:
                with pytest.raises(Exception):
                    exec(source, {"np": np, spec.function: _as_student_writes(question, mistake.fn)})


def test_the_literal_cases_are_the_engines_cases_for_one_fixed_student():
    spec = COURSE.assignment("a1_activations").questions_of()[0]
    cases = literal_tests.literal_cases(spec, COURSE, "a1_activations")
    assert len(cases) == len(QUESTIONS[spec.id].edge_cases(np.random.default_rng(0))) + spec.hidden_cases
    assert all(case.call.startswith(f"{spec.function}(") for case in cases)
    assert f"rtol={spec.rtol!r}, atol={spec.atol!r}" in cases[0].asserts[-1]


def test_the_literal_cases_leave_out_the_case_with_many_parameters_and_stay_small():
    """Plain tools get no 100,000-number case (6 MB of source per question made each a4 notebook 63 MB);
    every other hidden case of the engine is there, probes included."""
    for spec in COURSE.assignment("a4_losses_backprop").questions_of():
        question = QUESTIONS[spec.id].bound(spec.settings)
        cases = literal_tests.literal_cases(spec, COURSE, "a4_losses_backprop")
        engine = hidden_cases(question, COURSE.id, "a4_losses_backprop", literal_tests.BENCH_STUDENT,
                              spec.hidden_cases, submission=literal_tests.BENCH_SUBMISSION)
        kept = [c.label for c in engine if c.label != LARGE_CASE_LABEL]
        assert len(kept) == len(cases) and len(engine) - len(kept) == (question.large_case is not None), spec.id
        assert all(c.label.endswith(f"({label})") for c, label in zip(cases, kept)), spec.id
        assert len(literal_tests.nbgrader_hidden_tests(spec, COURSE, "a4_losses_backprop")) < 200_000, spec.id


def test_an_otter_test_file_shares_the_points_unless_the_question_is_all_or_nothing():
    specs = {q.id: q for q in COURSE.assignment("a2_feedforward").questions_of()}
    partial, whole = specs["dense_forward"], specs["layer_shapes"]  # layer_shapes: partial_credit false
    assert partial.partial_credit and not whole.partial_credit
    n_cases = len(literal_tests.literal_cases(partial, COURSE, "a2_feedforward"))
    assert literal_tests.otter_test_file(partial, COURSE, "a2_feedforward").count("@test_case(") == n_cases
    assert literal_tests.otter_test_file(whole, COURSE, "a2_feedforward").count("@test_case(") == 1


def test_the_plain_nbgrader_notebook_hides_literal_asserts_in_every_tests_cell():
    nb = json.loads((ROOT / "solutions" / "a2_feedforward" / "feedforward.ipynb").read_text())
    plain = alternatives.plain_source_notebook(nb, COURSE, "a2_feedforward")
    tests = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in plain["cells"]
             if c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code"}
    assert set(tests) == {q.id for q in COURSE.assignment("a2_feedforward").questions_of()}
    for qid, source in tests.items():
        visible, hidden = source.split("### BEGIN HIDDEN TESTS")
        assert f'check("{qid}"' in visible
        assert "np.allclose(" in hidden and hidden.rstrip().endswith("### END HIDDEN TESTS")
    answers = [c for c in plain["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    assert answers == [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]


def test_nbgrader_gives_a_cell_nothing_for_a_failed_assert_and_for_a_warning_on_stderr():
    failed = {"outputs": [{"output_type": "stream", "name": "stderr", "text": "RuntimeWarning"},
                          {"output_type": "error", "ename": "AssertionError", "evalue": ""}]}
    warned = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "ok"},
                          {"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: overflow"}]}
    assert "assert of the test cell failed" in alternatives.nbgrader_cell_failure(failed)
    assert "stderr" in alternatives.nbgrader_cell_failure(warned)
    assert alternatives.nbgrader_cell_failure({"outputs": [{"output_type": "stream", "name": "stdout"}]}) is None


# --------------------------------------------------------------------------- batches and scores
def test_batches_are_consecutive_students_that_one_nbgrader_glob_selects():
    out = grading.batches(25, ["a", "b"], 10)
    assert [(b.assignment, len(b.students), b.glob) for b in out] == [
        ("a", 10, "s0000?"), ("a", 10, "s0001?"), ("a", 5, "s0002?"),
        ("b", 10, "s0000?"), ("b", 10, "s0001?"), ("b", 5, "s0002?")]
    assert [b.glob for b in grading.batches(2, ["a"], 1)] == ["s00000", "s00001"]
    assert [b.glob for b in grading.batches(3, ["a"], 0)] == ["s*"]
    with pytest.raises(ValueError):
        grading.batches(10, ["a"], 4)
    assert grading.rotated(["x", "y", "z"], 4) == ["y", "z", "x"]
    assert [grading.kind_of(i) for i in range(4)] == ["correct", "mistakes", "stub", "correct"]
    assert grading.steady_rate([float(t) for t in range(20)]) == pytest.approx(1.0)


def test_a_correct_submission_must_get_every_point_and_a_stub_none():
    points = {"q1": 2.0, "q2": 1.0}
    assert grading.expected_scores("correct", points) == points
    assert grading.expected_scores("stub", points) == {"q1": 0.0, "q2": 0.0}
    assert grading.expected_scores("mistakes", points) is None


@pytest.mark.slow
def test_a_tiny_class_gets_full_and_zero_marks_from_every_tool_and_a_table_with_every_column(tmp_path):
    lines = []
    report = grading.run_benchmark(tmp_path / "bench", n=3, large=0, jobs=2, batch=10,
                                   assignments=["a2_feedforward"], progress=lines.append)
    assert report.problems == [], report.problems
    assert {"plain-nbgrader", "nbgrader-engine", "command-line"} <= set(report.tools)
    assert set(report.tools) | set(report.skipped) == set(grading.TOOLS)
    for tool in report.tools:
        p = report.overall(tool)
        assert p.submissions == 3 and p.throughput > 0 and p.cpu_seconds > 0 and p.peak_pss_mb > 0
        assert len(p.latencies) == 3 and all(t > 0 for t in p.latencies)
    text = grading.format_report(report)
    table = text.split("-- overall", 1)[1]
    for column in grading.HEADER + grading.RATIO_HEADER:
        assert column in table
    for tool in report.tools:
        assert f"\n{tool} " in table
    assert "stubs zero with every tool" in text and "identical on every question" in text
