"""The hidden case with many parameters: a derived gradient passes it in milliseconds, even with a
loop over the examples; a loop of central differences over the loss (differentiating instead of
deriving) cannot finish in time, and the supervisor stops it: right on every other case, it earns
nothing on the item (``autograder/grading/derived.py``), with feedback that says why."""
from __future__ import annotations

import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.course.cases import hidden_cases, public_cases, submission_key
from autograder.checks.compare import leaves
from autograder.grading.pipeline import default_course, grade_sources, graded_sources, read_notebook
from autograder.questions import QUESTIONS
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.sandbox import Sandbox

COURSE = default_course()
SECRET = b"large-case-tests-secret-32-bytes!"
SPECS = {q.id: (a.id, q) for a in COURSE.assignments for q in a.questions}
SUBMISSION = submission_key([])  # the cases of one submission: the large case is in every one
WITH_LARGE_CASE = sorted(q.id for q in QUESTIONS.values() if q.large_case is not None)


def test_every_derived_gradient_of_a3_a4_and_a6_has_a_large_case():
    derived = {f"{kind}_gradients" for kind in ("regression", "homework", "binary", "binary_relu")}
    derived |= {f"{loss}_gradient" for loss in ("mse", "huber", "pseudo_huber", "bce", "cce")}
    derived |= {q for q in QUESTIONS if q.startswith("delta_")} | {"backprop"}
    derived |= {"l2_gradients", "batchnorm_backward", "network_gradients"}  # a6 (dropout_backward: no loss to
    # differentiate but a product with the mask, which a finite difference gets right at any size)
    assert set(WITH_LARGE_CASE) == derived


@pytest.mark.parametrize("question_id", WITH_LARGE_CASE)
def test_the_large_case_is_the_last_hidden_case_weighs_as_much_as_the_others_and_is_never_public(question_id):
    question = QUESTIONS[question_id]
    cases = hidden_cases(question, COURSE.id, SPECS[question_id][0], "ann", 8, secret=SECRET, submission=SUBMISSION)
    assert cases[-1].label == LARGE_CASE_LABEL and [c.label for c in cases].count(LARGE_CASE_LABEL) == 1
    assert cases[-1].weight == sum(c.weight for c in cases[:-1]) == len(cases) - 1
    assert LARGE_CASE_LABEL not in [c.label for c in public_cases(question, COURSE.id, 3)]
    entries = sum(np.size(leaf) for leaf in leaves(cases[-1].args))
    assert entries >= 40_000  # two loss evaluations per parameter or entry cannot finish in the call's 5 s


@pytest.mark.parametrize("question_id", WITH_LARGE_CASE)
def test_the_reference_takes_milliseconds_on_the_large_case(question_id):
    question = QUESTIONS[question_id]
    args = hidden_cases(question, COURSE.id, SPECS[question_id][0], "ann", 0, secret=SECRET, submission=SUBMISSION)[-1].args
    start = time.perf_counter()
    question.reference(*args)
    assert time.perf_counter() - start < 0.5


NUMERICAL_REGRESSION = textwrap.dedent("""
    def regression_gradients(X, Y, W1, b1, W2, b2):
        # differentiates the loss instead of deriving it: a central difference per parameter
        params = [W1, b1, W2, b2]
        def loss(P):
            A2 = sigmoid(X @ P[0].T + P[1]) @ P[2].T + P[3]
            return np.mean(0.5 * np.sum((A2 - Y) ** 2, axis=1))
        grads = []
        for k, p in enumerate(params):
            g = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                up = [q.copy() for q in params]; up[k][i] += 1e-5
                down = [q.copy() for q in params]; down[k][i] -= 1e-5
                g[i] = (loss(up) - loss(down)) / 2e-5
            grads.append(g)
        return tuple(grads)
""")


#: A right derivation written slowly: one example at a time (the notebooks ask for vectorised code).
SLOW_REGRESSION = textwrap.dedent("""
    def regression_gradients(X, Y, W1, b1, W2, b2):
        # derived, but one example at a time
        m = X.shape[0]
        dW1, db1, dW2, db2 = (np.zeros_like(p) for p in (W1, b1, W2, b2))
        for i in range(m):
            a1 = sigmoid(W1 @ X[i] + b1)
            d2 = W2 @ a1 + b2 - Y[i]
            d1 = (W2.T @ d2) * a1 * (1 - a1)
            dW2 += np.outer(d2, a1)
            db2 += d2
            dW1 += np.outer(d1, X[i])
            db1 += d1
        return dW1 / m, db1 / m, dW2 / m, db2 / m
""")


def test_a_numerical_gradient_earns_nothing_and_a_slow_derivation_everything():
    """End to end in the sandbox: the numerical gradient is stopped by the supervisor on the case
    with many parameters (formerly half the points); the loop over the examples takes a small share
    of the limit there (measured here, in this process) and earns full marks."""
    assignment, spec = SPECS["regression_gradients"]
    solution = graded_sources(read_notebook(Path(__file__).resolve().parents[1] / "solutions" / assignment
                                            / "two_layer.ipynb"))
    with Sandbox(COURSE.limits) as sandbox:
        result, _ = grade_sources(sandbox, solution + [NUMERICAL_REGRESSION], assignment, "ann", [spec], COURSE)
        slow, _ = grade_sources(sandbox, solution + [SLOW_REGRESSION], assignment, "ann", [spec], COURSE)
    (question,) = result.questions
    assert question.passed == question.total - 1 and question.score == 0.0, question.feedback
    assert f"failed on {LARGE_CASE_LABEL}: took longer than" in question.feedback
    assert [m["id"] for m in question.mistakes] == ["numerical-gradient"]
    assert "use your numerical gradient to CHECK the derivation" in question.feedback
    assert slow.questions[0].score == spec.points, slow.questions[0].feedback
    namespace = {"np": np, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    exec(SLOW_REGRESSION, namespace)
    args = hidden_cases(QUESTIONS["regression_gradients"], COURSE.id, assignment, "ann", 0, secret=SECRET,
                        submission=SUBMISSION)[-1].args
    start = time.perf_counter()
    namespace["regression_gradients"](*args)
    assert time.perf_counter() - start < COURSE.limits.call_timeout_s / 10
