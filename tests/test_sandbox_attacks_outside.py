"""Nothing a run says about itself decides a grade or a limit (issue 20, points 5, 6 and 9).

Each test plays a submission that has read this repository's source and attacks what used
to be decided inside its own process: the per-call timer (point 5), the report of what a
call did to its arguments and which warnings it emitted (point 6), and the wall clock of a
submission whose crashes make the grader run it again (point 9). Each fails on the commit
the issue was written against (89cf1b9) and passes since the limits and contracts are
measured from outside the run (docs/design.md, "What a run says about itself").
"""
from __future__ import annotations

import dataclasses
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.course.config import load_course
from autograder.grading.pipeline import grade_notebook
from autograder.sandbox import Call, Limits, Sandbox
from autograder.sandbox.confine import MIN_LANDLOCK_ABI, landlock_abi
from autograder.sandbox.supervisor import CALL_GRACE_S
from autograder.demo.synthetic import make_submission

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_grading import GD_IN_PLACE  # noqa: E402  (the same in-place update as the contract tests)

COURSE = load_course()
pytestmark = pytest.mark.skipif(landlock_abi() < MIN_LANDLOCK_ABI,
                                reason="the kernel cannot confine: the sandbox refuses to run")

#: One line in an answer cell that switches the run's own call timer off.
DISARM_TIMER = "import signal\nsignal.setitimer = lambda *a, **k: (0.0, 0.0)\n"

#: A cell that rewrites every call's report before the run sends it: no argument changed,
#: no warning (the run's frame writer is reachable from the student's code).
FORGE_CONTRACTS = textwrap.dedent("""
    import sys as _sys
    _child = _sys.modules["_sandbox_child"]
    _send = _child._Run.frame
    def _forged(self, obj, blobs=()):
        if obj.get("k") == "call":
            obj["mutated"], obj["warnings"] = [], []
        return _send(self, obj, blobs)
    _child._Run.frame = _forged
    """)


def with_course_limits(**limits) -> object:
    return dataclasses.replace(COURSE, limits=dataclasses.replace(COURSE.limits, **limits))


def answered(nb: nbformat.NotebookNode, function: str, source: str) -> nbformat.NotebookNode:
    """``nb`` with the answer cell that defines ``function`` replaced by ``source``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and f"def {function}(" in cell.source:
            cell.source = textwrap.dedent(source)
            return nb
    raise KeyError(function)


def first_answer_prefixed(nb: nbformat.NotebookNode, prefix: str) -> nbformat.NotebookNode:
    first = next(c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution"))
    first.source = textwrap.dedent(prefix) + "\n" + first.source
    return nb


def grade(nb, assignment: str, course=COURSE, student: str = "mallory"):
    with Sandbox(course.limits) as sandbox:
        started = time.monotonic()
        result = grade_notebook(nb, assignment, student, course=course, sandbox=sandbox)
        return result, time.monotonic() - started


def scores(result) -> dict[str, float]:
    return {q.id: q.score for q in result.questions}


# --- 5. the per-call time limit is the supervisor's, not the run's --------------------------------
SLOW = """
import time
def quick(x):
    return x
def slow(x):
    time.sleep(30)
    return x
def late(x):
    time.sleep(0.9)
    return x
"""


def test_a_run_that_disarms_its_call_timer_is_stopped_from_outside_at_the_call_limit():
    limits = Limits(call_timeout_s=0.5, submission_timeout_s=20, cpu_s=20, memory_mb=1024)
    with Sandbox(limits) as sandbox:
        started = time.monotonic()
        result = sandbox.run([DISARM_TIMER + SLOW], [Call("quick", (1,)), Call("slow", (2,)), Call("slow", (3,)),
                                                     Call("quick", (4,))])
        elapsed = time.monotonic() - started
    assert [c.status for c in result.calls] == ["ok", "timeout", "timeout", "not_run"]
    assert "did not return within 0.5 s" in result.calls[1].message
    assert elapsed < 0.5 + CALL_GRACE_S + 2.0  # not the 30 s of the sleep, nor the 20 s of the run


def test_an_answer_that_comes_after_the_call_limit_is_a_timeout_whatever_it_says():
    limits = Limits(call_timeout_s=0.5, submission_timeout_s=20, cpu_s=20, memory_mb=1024)
    with Sandbox(limits) as sandbox:
        result = sandbox.run([DISARM_TIMER + SLOW], [Call("late", (1,)), Call("late", (2,)), Call("quick", (3,))])
    assert [c.status for c in result.calls] == ["timeout", "timeout", "ok"]  # late is not called again
    assert result.calls[2].value == 3 and result.reason is None


def test_calls_sent_together_are_each_timed_from_the_groups_first_byte():
    """A group's calls are all visible to the run from its first byte, so each answer must come
    within the call limit of that moment: a group that needs longer says nothing about which call
    was slow, so the run is stopped at the limit (no grace) and none of them is a time-out."""
    limits = Limits(call_timeout_s=0.5, submission_timeout_s=20, cpu_s=20, memory_mb=1024)
    steady = "import time\ndef steady(x):\n    time.sleep(0.2)\n    return x\n"
    with Sandbox(limits) as sandbox:
        started = time.monotonic()
        result = sandbox.run([steady], [Call("steady", (k,)) for k in range(4)], groups=[4])
        elapsed = time.monotonic() - started
    assert [c.status for c in result.calls] == ["not_run"] * 4 and result.reason is None
    assert "sent together" in result.calls[0].message
    assert elapsed < 0.5 + CALL_GRACE_S  # stopped at the limit, not after its grace


def test_calls_of_a_group_that_overran_are_run_again_one_at_a_time_with_the_outcomes_they_get_alone():
    """The grader's view (``pipeline.run_calls``): grouping never changes an outcome. Calls that
    overran together are timed alone in a fresh run: one slow call alone passes; a call that
    hangs is a time-out, and its function is not called again, as when every call went alone."""
    from autograder.grading.pipeline import run_calls

    course = with_course_limits(call_timeout_s=0.5, submission_timeout_s=20)
    cells = [DISARM_TIMER + SLOW + "def steady(x):\n    time.sleep(0.2)\n    return x\n"]
    calls = [Call("steady", (1,)), Call("steady", (2,)), Call("steady", (3,)),
             Call("slow", (4,)), Call("slow", (5,)), Call("quick", (6,))]
    with Sandbox(course.limits) as sandbox:
        _, alone = run_calls(sandbox, cells, calls, course)
        _, grouped = run_calls(sandbox, cells, calls, course, groups=[3, 2, 1])
    assert [o.status for o in grouped] == [o.status for o in alone] == ["ok"] * 3 + ["timeout"] * 2 + ["ok"]
    assert [o.value for o in grouped] == [o.value for o in alone] == [1, 2, 3, None, None, 6]


A4 = "a4_losses_backprop"
#: mse_gradient by central differences of the student's own mse, with the call timer disarmed:
#: right on every small case, and on the case with 100,000 entries only given minutes.
NUMERICAL_MSE_GRADIENT = DISARM_TIMER + """
def mse_gradient(Y_hat, Y):
    Y_hat = np.array(Y_hat, dtype=float)
    grad = np.zeros_like(Y_hat)
    h = 1e-5
    for index in np.ndindex(Y_hat.shape):
        keep = Y_hat[index]
        Y_hat[index] = keep + h
        up = mse(Y_hat, Y)
        Y_hat[index] = keep - h
        down = mse(Y_hat, Y)
        Y_hat[index] = keep
        grad[index] = (up - down) / (2 * h)
    return grad
"""


def test_disarming_the_call_timer_does_not_let_a_numerical_gradient_pass_the_case_with_many_parameters():
    """Issue 20, point 5: on 89cf1b9 this took a4 from 37.5 to 38/38 (the large case ran for
    as long as the numerical gradient needed). The large case now costs the half it weighs,
    and only the call limit (plus its grace) is spent on it: the calls after it are run again."""
    honest, _ = grade(make_submission("correct", A4, "losses_backprop"), A4)
    nb = answered(make_submission("correct", A4, "losses_backprop"), "mse_gradient", NUMERICAL_MSE_GRADIENT)
    attacked, elapsed = grade(nb, A4)
    points = {q.id: q.points for q in COURSE.assignment(A4).questions}
    # the large case weighs half; a small case may lose too (h = 1e-5 is not exact everywhere:
    # the tests draw a new course secret, so new hidden cases, every session)
    assert scores(attacked)["mse_gradient"] <= points["mse_gradient"] / 2
    assert {q: s for q, s in scores(attacked).items() if q != "mse_gradient"} == \
        {q: s for q, s in scores(honest).items() if q != "mse_gradient"}
    assert attacked.score < honest.score == sum(points.values())
    assert "many parameters: took longer than" in attacked.question("mse_gradient").feedback
    assert elapsed < COURSE.limits.call_timeout_s + CALL_GRACE_S + 25  # the numerical loop needs minutes


# --- 6. contracts are observed from outside, not reported by the run ------------------------------
A1, A3 = "a1_activations", "a3_two_layer"


def test_forging_the_report_of_a_call_does_not_hide_an_update_in_place():
    """gd_step that updates the caller's parameters in place: its second call on the same
    arguments starts from the changed ones, whatever the run says about them. On 89cf1b9 the
    forged report gave it full marks."""
    honest, _ = grade(answered(make_submission("correct", A3, "two_layer"), "gd_step", GD_IN_PLACE), A3)
    forged = answered(make_submission("correct", A3, "two_layer"), "gd_step", FORGE_CONTRACTS + GD_IN_PLACE)
    attacked, _ = grade(forged, A3)
    gd_step = attacked.question("gd_step")
    assert gd_step.score == honest.question("gd_step").score < gd_step.max_score
    assert [m["id"] for m in gd_step.mistakes] == ["mutated-input"]
    assert attacked.score == honest.score


NAIVE_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
DRIFTING_CHECKER = """
def numerical_gradient(f, x, h=1e-5):
    flat = x.reshape(-1)
    slopes = np.zeros(flat.size)
    for k in range(flat.size):
        flat[k] += h
        up = f(x)
        flat[k] -= 2 * h
        slopes[k] = (up - f(x)) / (2 * h)
        flat[k] += h
    return slopes.reshape(x.shape)
"""


def test_forging_the_report_of_a_call_gains_nothing_on_contracts_only_the_run_could_report():
    """Issue 20, point 6: a sigmoid that overflows (right values, a RuntimeWarning) and a checker
    that leaves x off by a rounding error (right values): on 89cf1b9 the forged report took a1
    from 16.38 to 19/19. Neither can be observed from outside the run, so neither decides a
    grade any more: the forger's grade is the honest one, and only the honest run's feedback
    carries the advice."""
    def notebook(prefix: str) -> nbformat.NotebookNode:
        nb = answered(make_submission("correct", A1, "activations"), "sigmoid", prefix + NAIVE_SIGMOID)
        return answered(nb, "numerical_gradient", DRIFTING_CHECKER)

    honest, _ = grade(notebook(""), A1)
    attacked, _ = grade(notebook(FORGE_CONTRACTS), A1)
    assert attacked.score == honest.score
    assert scores(attacked) == scores(honest)
    assert "Advice (no points)" in honest.question("sigmoid").feedback
    assert "Advice (no points)" in honest.question("numerical_gradient").feedback
    assert "Advice" not in attacked.question("sigmoid").feedback


# --- 9. every run of one submission shares one wall clock -------------------------------------------
A2 = "a2_feedforward"
CRASHES = """
import os
def {name}(*args):
    os._exit(1)
"""


def test_cells_that_sleep_and_crashes_that_force_reruns_cannot_multiply_the_submission_limit():
    """Issue 20, point 9: cells that take most of the submission limit, and three functions that
    crash the run (each crash reruns the calls not reached, cells included) plus one that raises
    (a diagnosis run). On 89cf1b9 that cost five times the limit; now all runs share it."""
    limit = 4.0
    course = with_course_limits(submission_timeout_s=limit, call_timeout_s=1.0)
    nb = first_answer_prefixed(make_submission("correct", A2, "feedforward"), "import time\ntime.sleep(3.0)\n")
    for name in ("dense_forward", "forward", "to_course_convention"):
        nb = answered(nb, name, CRASHES.format(name=name))
    nb = answered(nb, "forward_004", "def forward_004(X, params_004):\n    raise ValueError('shapes')\n")
    result, elapsed = grade(nb, A2, course)
    assert elapsed < limit + 2.5, elapsed
    got = scores(result)
    points = {q.id: q.points for q in course.assignment(A2).questions}
    for before_the_first_crash in ("layer_shapes", "param_count", "param_count_maxout"):
        assert got[before_the_first_crash] == points[before_the_first_crash]
    assert got["dense_forward"] == got["forward"] == got["forward_004"] == 0


def test_a_run_given_what_is_left_of_the_submissions_budget_stops_there():
    limits = Limits(call_timeout_s=5, submission_timeout_s=20, cpu_s=20, memory_mb=1024)
    with Sandbox(limits) as sandbox:
        started = time.monotonic()
        result = sandbox.run(["import time\ntime.sleep(15)\n"], [Call("f", ())], wall_s=1.0)
        elapsed = time.monotonic() - started
    assert elapsed < 4
    assert "did not finish within 20 s (time limit of a whole submission, counting its earlier runs)" in result.reason
    assert [c.status for c in result.calls] == ["not_run"]
