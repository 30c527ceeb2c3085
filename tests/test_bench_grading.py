"""bench.grading: the benchmark's core grades a tiny class both ways and finds the same scores.

No timing is checked here (speed goals are checked by the benchmark's printed ratios).
"""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is not an installed package; `python -m pytest` finds it anyway
    sys.path.insert(0, str(ROOT))

from bench import grading  # noqa: E402


def test_submissions_are_spread_over_the_assignments_and_kinds():
    assert grading.assignment_counts(10, ["a", "b", "c", "d"]) == {"a": 3, "b": 3, "c": 2, "d": 2}
    assert [grading.kind_of(i) for i in range(4)] == ["correct", "mistakes", "stub", "correct"]
    assert "hostile" not in grading.KINDS
    assert grading.steady_rate([float(t) for t in range(20)]) == pytest.approx(1.0)
    assert grading.steady_rate([1.0, 2.0]) is None


@pytest.mark.slow
def test_a_tiny_class_gets_identical_scores_from_nbgrader_and_the_command_line(tmp_path):
    lines = []
    # two assignments, the smallest and the largest, to keep the test short
    report = grading.run_benchmark(tmp_path / "course", n=6, large=10, jobs=2,
                                   assignments=["a2_feedforward", "a4_losses_backprop"], progress=lines.append)
    assert report.disagreements == []
    assert report.counts == {"a2_feedforward": 3, "a4_losses_backprop": 3}  # correct, mistakes, stub each
    for path in (report.nbgrader, report.cli):
        assert path.submissions == 6
        assert path.throughput > 0
        assert all(t > 0 for t in path.latencies)  # the command line's need atime updates (relatime)
        assert path.peak_pss_mb > 0
    assert len(report.nbgrader.latencies) == 6
    large = report.large
    assert large.assignment == "a4_losses_backprop" and large.result.submissions == 10
    assert large.result.throughput > 0 and large.extrapolated_s > 0
    # the scores the command line wrote: a correct submission earns everything, a stub nothing
    results = {p.parent.name: grading.read_student(p)
               for p in (tmp_path / "course" / "engine" / "a2_feedforward").glob("*/grade.json")}
    correct, mistakes, stub = (results[grading.student_id(i)] for i in range(3))
    assert correct.score == correct.max_score > mistakes.score > stub.score == 0
    text = grading.format_report(report)
    assert "throughput ratio" in text and "scores: identical" in text and "extrapolated" in text
