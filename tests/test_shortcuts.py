"""No finite-difference shortcut earns a derived item whose answer is separable, nor the line fit's
gradient (issue 26).

A separable derived answer (an activation's derivative, a loss gradient, an output error) can be
imitated by a finite difference of the student's own function, vectorised over the entries: two
calls, whatever the size, so the case with many parameters does not stop it. Such questions
carry a finite-precision probe (``autograder/questions/precision.py``): every hidden case but
the all-zero one holds entries where float64 rounding ruins every difference quotient and no
exact closed form. These tests grade, case by case as the pipeline does
(``compare`` with the question's rtol and the case's atol, ``Case.weight``), under several students and
submissions:

* every valid answer of both labelled corpora (``tests/corpus``, ``tests/corpus_fresh``):
  full marks; for the line fit, of every corpus (``tests/corpus_heldout`` and ``tests/corpus_blind``
  too) and of a family of closed forms written here, in every order of summation;
* every shortcut of ``tests/corpus_fresh`` and a family written here (forward, backward and
  central differences, with the step's rounding corrected, with a step proportional to each
  entry; decimal steps 1e-1 ... 1e-12 and powers of two 2^-1 ... 2^-40; through a stable and a
  naive form of the function): at most the cases the probe skips; for the line fit, differences of
  the loss in a0 and a1 (forward, backward, central, Richardson's, five-point) at every step above
  and at larger ones up to 1e4, since a quadratic's central difference has no truncation error;
* through the pipeline, the rule of derived items then takes the skipped cases too: a shortcut
  wrong only on the probes' entries earns nothing (``tests/test_derived_items.py``);
* what remains (docs/design.md, "Derived, not differentiated: finite precision"): higher-order
  extrapolations pass at a few steps, and a complex step through a form numpy can evaluate at
  complex arguments is exact (the line fit's loss among them). Pinned so that the design's
  statement stays true.
"""
from __future__ import annotations

import importlib.util
import sys
import warnings
from functools import cache
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from autograder.checks.compare import compare
from autograder.course.cases import hidden_cases, public_cases, submission_key
from autograder.grading.pipeline import default_course
from autograder.questions import QUESTIONS
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.questions.precision import LINE_OUTLIER, SIGMOID_BAND, TANH_BAND
from nn_core import activations

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS / "corpus"))
import harness  # noqa: E402  (tests/corpus/harness.py: every corpus's answers, with their preludes)
COURSE = default_course()
SPECS = {q.id: (a.id, q) for a in COURSE.assignments for q in a.questions}
SECRET = b"shortcut-tests-secret-of-32-bytes!"
STUDENTS = ("ann", "bob", "cyd")
SUBMISSIONS = [submission_key([f"# submission {k}"]) for k in range(2)]
PROBED = sorted(q.id for q in QUESTIONS.values() if q.probe is not None)
LINE = "line_fit_gradient"
#: Steps a student may pick: decimal ones and powers of two (exact in floating point).
STEPS = [10.0 ** -k for k in range(1, 13)] + [2.0 ** -k for k in range(1, 41)]


def _stable_sigmoid(t):
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1 / (1 + e), e / (1 + e))


def _naive_sigmoid(t):
    return 1 / (1 + np.exp(-t))


def _huber(r, c):
    a = np.abs(r)
    return np.where(a <= c, 0.5 * a ** 2, c * (a - 0.5 * c))


def _pseudo_huber(r, c):
    return c ** 2 * (np.sqrt(1 + (r / c) ** 2) - 1)


def _per_row(g: Callable) -> Callable:
    """A loss gradient is the output error divided by m."""
    return lambda d, Y_hat, Y, *c: d / Y.shape[0]


def _same(d, *args):
    return d


def _regression(per_entry: Callable, scaled: bool) -> dict:
    """Shortcuts of a regression loss's gradient (``scaled``: divided by m) or output error:
    the per-entry loss differentiated in the prediction, or in the residual."""
    post = _per_row(per_entry) if scaled else _same
    c_of = lambda rest: rest[0] if rest else 1.0  # noqa: E731
    return {
        "in the prediction": (lambda P, Y, *c: P, lambda x, P, Y, *c: per_entry(x - Y, c_of(c)), post),
        "in the residual": (lambda P, Y, *c: P - Y, lambda x, P, Y, *c: per_entry(x, c_of(c)), post),
    }


def _through_logits(per_entry: Callable) -> dict:
    """Shortcuts of a sigmoid output's error: the logits recovered from A, the per-entry loss
    differentiated in them, with a naive and a stable sigmoid."""
    return {
        "naive logits": (lambda A, Y: np.log(A / (1 - A)), lambda x, A, Y: per_entry(_naive_sigmoid(x), Y), _same),
        "stable logits": (lambda A, Y: np.log(A) - np.log1p(-A),
                          lambda x, A, Y: per_entry(_stable_sigmoid(x), Y), _same),
    }


def _mse_entry(r, c):
    return 0.5 * r ** 2


#: question -> {form: (the variable from the arguments, the per-entry function g(x, *args) whose
#: derivative in x is the answer, what turns that derivative into the answer)}
FORMS: dict[str, dict] = {
    "sigmoid_prime": {name: (lambda z: z, lambda x, z: f(x), _same) for name, f in
                      (("stable sigmoid", _stable_sigmoid), ("naive sigmoid", _naive_sigmoid),
                       ("sigmoid through tanh", lambda t: 0.5 * (1 + np.tanh(t / 2))))},
    "tanh_prime": {name: (lambda z: z, lambda x, z: f(x), _same) for name, f in
                   (("np.tanh", np.tanh), ("tanh through the sigmoid", lambda t: 2 * _stable_sigmoid(2 * t) - 1))},
    "relu_prime": {"np.maximum": (lambda z: z, lambda x, z: np.maximum(x, 0.0), _same)},
    "leaky_relu_prime": {"np.where": (lambda z, *slope: z,
                                      lambda x, z, *slope: np.where(x > 0, x, (slope[0] if slope else 0.1) * x), _same)},
    "mse_gradient": _regression(_mse_entry, scaled=True),
    "huber_gradient": _regression(_huber, scaled=True),
    "pseudo_huber_gradient": _regression(_pseudo_huber, scaled=True),
    "delta_mse_linear": _regression(_mse_entry, scaled=False),
    "delta_huber_linear": _regression(_huber, scaled=False),
    "delta_pseudo_huber_linear": _regression(_pseudo_huber, scaled=False),
    "delta_mse_sigmoid": _through_logits(lambda a, y: 0.5 * (a - y) ** 2),
    "delta_bce_sigmoid": _through_logits(lambda a, y: -(y * np.log(a) + (1 - y) * np.log(1 - a))),
}


def _differences(g: Callable) -> dict[str, Callable]:
    """Difference quotients of an elementwise ``g`` at x with step h."""
    def central(x, h):
        return (g(x + h) - g(x - h)) / (2 * h)

    def true_step(x, h):  # the step as float64 rounds it: (x + h) - (x - h)
        up, down = x + h, x - h
        return (g(up) - g(down)) / (up - down)

    return {"forward": lambda x, h: (g(x + h) - g(x)) / h, "backward": lambda x, h: (g(x) - g(x - h)) / h,
            "central": central, "central, rounded step": true_step,
            "central, step h |x|": lambda x, h: central(x, h * np.maximum(np.abs(x), 1.0))}


def _extrapolated(g: Callable) -> dict[str, Callable]:
    def central(x, h):
        return (g(x + h) - g(x - h)) / (2 * h)
    return {"Richardson": lambda x, h: (4 * central(x, h) - central(x, 2 * h)) / 3,
            "five-point": lambda x, h: (-g(x + 2 * h) + 8 * g(x + h) - 8 * g(x - h) + g(x - 2 * h)) / (12 * h)}


@cache
def _graded_cases(question_id: str) -> list[tuple]:
    """(case, expected) of the hidden sets of every student and submission of the test."""
    assignment, _ = SPECS[question_id]
    question = QUESTIONS[question_id]
    planned = []
    for student in STUDENTS:
        for submission in SUBMISSIONS:
            for case in hidden_cases(question, COURSE.id, assignment, student, 8, secret=SECRET,
                                     submission=submission):
                planned.append((case, question.reference(*case.args)))
    return planned


def _score(question_id: str, answer: Callable, large: bool = True) -> tuple[float, list[str]]:
    """The share of the question's points ``answer`` earns, pooled over every graded set, and the
    labels of the cases it passes (``large``: with the cases of many parameters, which a
    vectorised difference passes or fails as it does the others)."""
    _, spec = SPECS[question_id]
    earned, total, passed = 0.0, 0.0, []
    for case, expected in _graded_cases(question_id):
        if not large and case.label == LARGE_CASE_LABEL:
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                got = answer(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in case.args])
                ok = compare(got, expected, spec.rtol, spec.atol if case.atol is None else case.atol).ok
            except Exception:  # noqa: BLE001 - a shortcut that breaks on a case fails it
                ok = False
        total += case.weight
        if ok:
            earned += case.weight
            passed.append(case.label)
    return earned / total, passed


def _skipped_share(question_id: str) -> float:
    question = QUESTIONS[question_id]
    cases = _graded_cases(question_id)
    skipped = sum(c.weight for c, _ in cases if c.label in question.probe_skips)
    return skipped / sum(c.weight for c, _ in cases)


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _fresh(name: str):
    """A module of tests/corpus_fresh, which import each other by name (a4.py its a4_losses.py)."""
    sys.path.insert(0, str(TESTS / "corpus_fresh"))
    try:
        return _load(TESTS / "corpus_fresh" / f"{name}.py", f"corpus_fresh_{name}")
    finally:
        sys.path.remove(str(TESTS / "corpus_fresh"))


def _namespace(prelude: str = "") -> dict:
    namespace = {"np": np, "sigmoid": activations.sigmoid, "relu": activations.relu, "tanh": activations.tanh,
                 "softmax": activations.softmax}
    exec(prelude, namespace)
    return namespace


@cache
def _corpus_answers(question_id: str) -> dict[str, tuple[str, Callable]]:
    """label -> (kind, function) of the question's answers in both corpora: kind "valid" (valid
    and advice entries of tests/corpus, valid entries of tests/corpus_fresh) or "shortcut"."""
    fresh_cases = _fresh("cases")
    found = {}
    for path in sorted((TESTS / "corpus").glob("a[1-5]_*.py")):
        entry = _load(path, f"corpus_{path.stem}").CORPUS.get(question_id, {})
        for label, source in {**entry.get("valid", {}), **entry.get("advice", {})}.items():
            namespace = _namespace()
            exec(source, namespace)
            found[f"corpus: {label}"] = ("valid", namespace[question_id])
    for name in ("a1", "a3", "a4"):
        entry = _fresh(name).CORPUS.get(question_id, {})
        for kind, sources in (("valid", entry.get("valid", {})), ("shortcut", entry.get("shortcuts", {}))):
            for label, source in sources.items():
                namespace = _namespace(fresh_cases.PRELUDES.get(name, ""))
                exec(source, namespace)
                found[f"fresh: {label}"] = (kind, namespace[question_id])
    return found


def _shortcut(question_id: str, form: str, method: Callable[[Callable], dict], name: str, h: float) -> Callable:
    variable, per_entry, post = FORMS[question_id][form]

    def answer(*args):
        g = lambda x: per_entry(x, *args)  # noqa: E731
        return post(method(g)[name](variable(*args), h), *args)
    return answer


def test_the_probed_questions_are_the_separable_derived_items_the_softmax_jacobian_and_the_line_fit():
    assert set(PROBED) == set(FORMS) | {"softmax_jacobian", "delta_cce_softmax", LINE} and set(FORMS) == {
        "sigmoid_prime", "tanh_prime", "relu_prime", "leaky_relu_prime", "mse_gradient", "huber_gradient", "pseudo_huber_gradient",
        "delta_mse_linear", "delta_huber_linear", "delta_pseudo_huber_linear", "delta_mse_sigmoid",
        "delta_bce_sigmoid"}


def _has_probe_entries(question_id: str, args: tuple) -> bool:
    """Whether a case's arguments hold entries of the question's probe."""
    first = np.asarray(args[0], dtype=np.float64)
    if question_id in ("sigmoid_prime", "tanh_prime"):
        low = (SIGMOID_BAND if question_id == "sigmoid_prime" else TANH_BAND)[0]
        return bool((np.abs(first) >= low).any())
    if question_id in ("delta_mse_sigmoid", "delta_bce_sigmoid"):
        return bool((np.minimum(first, 1 - first) < 1e-8).any())
    if question_id in ("relu_prime", "leaky_relu_prime"):  # entries beside the kink
        return bool(((first != 0) & (np.abs(first) < 1e-100)).any())
    if question_id == "delta_cce_softmax":  # one class within 1e-9 of certainty on every other row
        return bool(((1 - first > 1e-12) & (1 - first < 1e-8)).any())
    if question_id == "softmax_jacobian":  # one class within 1e-9 of certainty
        return bool(((1 - first > 1e-12) & (1 - first < 1e-8)).any())
    if question_id == LINE:  # (a0, a1, x, y): points whose residual is about 1e9
        a0, a1, x, y = args
        return bool((np.abs(a0 * x + a1 - y) >= LINE_OUTLIER / 2).any())
    return bool((np.abs(np.asarray(args[1])) > 1e10).any())


@pytest.mark.parametrize("question_id", PROBED)
def test_every_hidden_case_but_the_skipped_ones_holds_probes_at_its_own_atol_and_no_public_case_does(question_id):
    question = QUESTIONS[question_id]
    for case, _ in _graded_cases(question_id):
        probed = case.label not in question.probe_skips
        assert _has_probe_entries(question_id, case.args) == probed, case.label
        assert case.atol == (question.probe_atol if probed else None)
    # the student's own gradient check runs on the public cases, stored to 12 digits: no probe there
    assert not any(_has_probe_entries(question_id, c.args) for c in public_cases(question, COURSE.id, 3)
                   if c.label == "random")


@pytest.mark.parametrize("question_id", PROBED)
def test_every_valid_answer_of_both_corpora_earns_full_marks_under_every_key(question_id):
    valid = {label: fn for label, (kind, fn) in _corpus_answers(question_id).items() if kind == "valid"}
    assert len(valid) >= 2
    for label, answer in valid.items():
        share, _ = _score(question_id, answer)
        assert share == 1.0, f"{question_id}: the valid answer {label!r} loses marks"


@pytest.mark.parametrize("question_id", PROBED)
def test_no_shortcut_of_the_fresh_corpus_earns_more_than_the_skipped_cases(question_id):
    shortcuts = {label: fn for label, (kind, fn) in _corpus_answers(question_id).items() if kind == "shortcut"}
    for label, answer in shortcuts.items():
        share, passed = _score(question_id, answer)
        assert share <= _skipped_share(question_id) + 1e-12, (label, sorted(set(passed)))


#: Piecewise-quadratic losses: a central difference of a quadratic is exact but for rounding, which a
#: step proportional to each entry keeps below rtol (what remains: docs/design.md).
QUADRATIC = {"mse_gradient", "huber_gradient", "delta_mse_linear", "delta_huber_linear"}
RELATIVE_STEP = "central, step h |x|"


@pytest.mark.parametrize("question_id", sorted(FORMS))
def test_no_forward_backward_or_central_difference_earns_more_than_the_skipped_cases_whatever_its_step(question_id):
    survivors = []
    for form in FORMS[question_id]:
        for name in _differences(lambda x: x):
            if question_id in QUADRATIC and name == RELATIVE_STEP:
                continue  # exact for a quadratic: pinned below as what remains
            for h in STEPS:
                _, passed = _score(question_id, _shortcut(question_id, form, _differences, name, h), large=False)
                if set(passed) - QUESTIONS[question_id].probe_skips:
                    survivors.append((form, name, h, sorted(set(passed))))
    assert not survivors, survivors


def _softmax(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def _jacobian_by_differences(name: str, h: float) -> Callable:
    """The softmax Jacobian as differences of the softmax on the logits log a (softmax(log a) = a),
    column by column."""
    def softmax_jacobian(a):
        z = np.log(a)
        g = lambda v: _softmax(v)  # noqa: E731
        columns = []
        for j in range(len(a)):
            e = np.zeros(len(a))
            e[j] = 1.0
            step = {"forward": lambda: (g(z + h * e) - g(z)) / h, "central": lambda: (g(z + h * e) - g(z - h * e)) / (2 * h),
                    "Richardson": lambda: (4 * (g(z + h * e) - g(z - h * e)) / (2 * h)
                                           - (g(z + 2 * h * e) - g(z - 2 * h * e)) / (4 * h)) / 3}[name]
            columns.append(step())
        return np.stack(columns, axis=1)
    return softmax_jacobian


def test_no_difference_of_the_softmax_on_its_logits_earns_more_than_the_skipped_cases_whatever_its_step():
    """Forward and central differences fail at every step; Richardson's extrapolation, as for the
    activations, passes at a few (what remains: docs/design.md)."""
    def survivors(name):
        return [h for h in STEPS if set(_score("softmax_jacobian", _jacobian_by_differences(name, h), large=False)[1])
                - QUESTIONS["softmax_jacobian"].probe_skips]
    assert survivors("forward") == survivors("central") == []
    assert len(survivors("Richardson")) <= 6


def _cce_delta_by_differences(name: str, h: float) -> Callable:
    """The softmax output's error as differences of each row's cross-entropy in its logits log A."""
    def delta_cce_softmax(A, Y):
        Z = np.log(A)
        def loss(z, y):
            return -np.sum(y * np.log(_softmax(z)))
        out = np.zeros_like(A)
        for i, (z, y) in enumerate(zip(Z, Y)):
            for j in range(len(z)):
                e = np.zeros(len(z))
                e[j] = h
                out[i, j] = ((loss(z + e, y) - loss(z, y)) / h if name == "forward"
                             else (loss(z + e, y) - loss(z - e, y)) / (2 * h))
        return out
    return delta_cce_softmax


def test_no_difference_of_the_cross_entropy_on_the_logits_earns_more_than_the_skipped_cases_whatever_its_step():
    for name in ("forward", "central"):
        survivors = [h for h in STEPS[::3] if set(_score("delta_cce_softmax", _cce_delta_by_differences(name, h),
                                                          large=False)[1]) - QUESTIONS["delta_cce_softmax"].probe_skips]
        assert survivors == [], (name, survivors)


def test_extrapolated_differences_survive_only_at_a_few_steps_of_the_activations():
    """What remains (docs/design.md): Richardson's and the five-point formula cancel the
    truncation error, so a step large enough for the rounding error passes the activations'
    probes at a few steps; most steps still fail."""
    for question_id in ("sigmoid_prime", "tanh_prime"):
        form = next(iter(FORMS[question_id]))
        for name in _extrapolated(lambda x: x):
            earning = [h for h in STEPS
                       if _score(question_id, _shortcut(question_id, form, _extrapolated, name, h), large=False)[0] == 1.0]
            assert len(earning) <= 6, (question_id, name, earning)


def test_a_complex_step_through_a_form_numpy_evaluates_at_complex_arguments_is_exact_and_passes():
    """What remains (docs/design.md): Im f(z + ih) / h has no difference to cancel, so it is as
    exact as a closed form; only a form that refuses complex input (np.where on z >= 0, np.abs,
    np.clip) stops it."""
    def complex_step(z):
        z = np.asarray(z, dtype=np.float64)
        return np.imag(_naive_sigmoid(np.clip(z, -500, 500) + 1e-30j)) / 1e-30
    assert _score("sigmoid_prime", complex_step)[0] == 1.0


@pytest.mark.parametrize("question_id", sorted(QUADRATIC))
def test_a_central_difference_of_a_quadratic_with_a_step_proportional_to_each_entry_earns_full_marks_at_some_steps(
        question_id):
    """What remains (docs/design.md): ((r + h|r|)^2 - (r - h|r|)^2) / (4 h|r|) = r exactly, so only
    rounding betrays it, and at some steps it does not."""
    shares = [_score(question_id, _shortcut(question_id, form, _differences, RELATIVE_STEP, h), large=False)[0]
              for form in FORMS[question_id] for h in STEPS]
    assert max(shares) == 1.0


@pytest.mark.parametrize("question_id, notebook", [("sigmoid_prime", "activations"), ("tanh_prime", "activations"),
                                                   ("mse_gradient", "losses_backprop"),
                                                   ("delta_bce_sigmoid", "losses_backprop"), (LINE, "two_layer")])
def test_through_the_pipeline_a_fresh_corpus_shortcut_earns_nothing_and_the_solution_everything(
        question_id, notebook):
    """End to end (the sandbox, the pipeline's per-case atol): the fresh corpus's first shortcut of
    the question appended to the solution notebook's cells fails every probed case, and the rule
    of derived items (tests/test_derived_items.py) takes the cases the probe skips too."""
    from autograder.grading.pipeline import grade_sources, graded_sources, read_notebook
    from autograder.sandbox import Sandbox

    assignment, spec = SPECS[question_id]
    shortcut = next(iter(_fresh(assignment[:2]).CORPUS[question_id]["shortcuts"].values()))
    solution = graded_sources(read_notebook(TESTS.parent / "solutions" / assignment / f"{notebook}.ipynb"))
    with Sandbox(COURSE.limits) as sandbox:
        result, _ = grade_sources(sandbox, solution + [shortcut], assignment, "ann", [spec], COURSE)
        full, _ = grade_sources(sandbox, solution, assignment, "ann", [spec], COURSE)
    (question,) = result.questions
    assert question.score == 0.0, question.feedback
    if question_id != LINE:  # the line fit's result, two numbers, has no ordinary block to tell a difference by
        assert [m["id"] for m in question.mistakes] == ["numerical-gradient"], question.feedback
    assert "1 times the expected" not in question.feedback  # the diagnosis at the probed cases' own tolerance
    assert full.questions[0].score == spec.points, full.questions[0].feedback


# --------------------------------------------------------------------------- the line fit
#: Steps beyond STEPS: a central difference of a quadratic has no truncation error, so a student may
#: take any step; these go up to 1e4 (decimal and powers of two).
LARGE_STEPS = [10.0 ** k for k in range(5)] + [2.0 ** k for k in range(14)]


def _line_losses() -> dict[str, Callable]:
    """The notebook's loss mean(1/2 (a0 x + a1 - y)^2) as students write it."""
    import math
    return {"np.mean": lambda a0, a1, x, y: np.mean(0.5 * (a0 * x + a1 - y) ** 2),
            "sum over 2m": lambda a0, a1, x, y: np.sum((y - a0 * x - a1) ** 2) / (2 * len(x)),
            "math.fsum": lambda a0, a1, x, y: math.fsum(0.5 * (a0 * x + a1 - y) ** 2) / len(x)}


#: Difference quotients of a function ``f`` of the step t at t = 0 with step h; Richardson's and the
#: five-point formula cancel truncation, which a quadratic does not have.
LINE_DIFFERENCES = {
    "forward": lambda f, h: (f(h) - f(0.0)) / h,
    "backward": lambda f, h: (f(0.0) - f(-h)) / h,
    "central": lambda f, h: (f(h) - f(-h)) / (2 * h),
    "Richardson": lambda f, h: (4 * (f(h) - f(-h)) / (2 * h) - (f(2 * h) - f(-2 * h)) / (4 * h)) / 3,
    "five-point": lambda f, h: (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h),
}


def _line_by_differences(loss: Callable, difference: Callable, h: float) -> Callable:
    """line_fit_gradient as a difference quotient of the student's own loss in a0 and in a1."""
    def line_fit_gradient(a0, a1, x, y):
        return (difference(lambda t: loss(a0 + t, a1, x, y), h), difference(lambda t: loss(a0, a1 + t, x, y), h))
    return line_fit_gradient


def _closed_line_forms() -> dict[str, Callable]:
    """Exact closed forms of the line fit's gradient in other orders of evaluation and summation than
    the corpora's: the expanded sums, a loop over the expanded sums, einsum, a design matrix, each
    term divided by m before the sum, math.fsum."""
    import math

    def expanded_loop(a0, a1, x, y):
        sx = sxx = sxy = sy = 0.0
        for xi, yi in zip(x, y):
            sx, sxx, sxy, sy = sx + xi, sxx + xi * xi, sxy + xi * yi, sy + yi
        return (a0 * sxx + a1 * sx - sxy) / len(x), (a0 * sx + a1 * len(x) - sy) / len(x)

    def design(a0, a1, x, y):
        M = np.column_stack([x, np.ones_like(x)])
        return tuple((M.T @ M @ np.array([a0, a1]) - M.T @ y) / len(y))

    return {
        "expanded means": lambda a0, a1, x, y: (a0 * np.mean(x ** 2) + a1 * np.mean(x) - np.mean(x * y),
                                                a0 * np.mean(x) + a1 - np.mean(y)),
        "expanded loop": expanded_loop,
        "design matrix, expanded": design,
        "einsum": lambda a0, a1, x, y: (np.einsum("i,i->", a0 * x + a1 - y, x) / len(x),
                                        np.einsum("i->", a0 * x + a1 - y) / len(x)),
        "divided by m first": lambda a0, a1, x, y: (np.sum((a0 * x + a1 - y) / len(x) * x),
                                                    np.sum((a0 * x + a1 - y) / len(x))),
        "y minus the line, negated": lambda a0, a1, x, y: (-np.mean((y - a0 * x - a1) * x), -np.mean(y - a0 * x - a1)),
        "math.fsum": lambda a0, a1, x, y: (math.fsum((a0 * x + a1 - y) * x) / len(x),
                                           math.fsum(a0 * x + a1 - y) / len(x)),
    }


@cache
def _all_corpora_answers(question_id: str) -> dict[str, tuple[str, Callable]]:
    """label -> (kind, function) of the question's valid answers and shortcuts in every corpus
    (tests/corpus, corpus_fresh, corpus_heldout, corpus_blind), each run after its prelude."""
    found = {}
    for origin in harness.origins():
        for answer in harness.load_corpus(origin):
            if answer.question == question_id and (answer.valid or answer.shortcut):
                namespace = _namespace(answer.prelude)
                exec(answer.source, namespace)
                kind = "shortcut" if answer.shortcut else "valid"
                found[f"{origin}: {answer.label}"] = (kind, namespace[QUESTIONS[question_id].function])
    return found


def test_every_valid_line_fit_gradient_of_every_corpus_and_every_closed_form_earns_full_marks_under_every_key():
    answers = {label: fn for label, (kind, fn) in _all_corpora_answers(LINE).items() if kind == "valid"}
    assert {label.split(":")[0] for label in answers} == set(harness.origins()), sorted(answers)
    for label, answer in {**answers, **_closed_line_forms()}.items():
        share, _ = _score(LINE, answer)
        assert share == 1.0, f"the valid line_fit_gradient {label!r} loses marks"


def _errors_beyond_rtol(answer: Callable) -> list[float]:
    """On each probed case of the line fit: by how much ``answer``'s worst item exceeds the
    question's relative tolerance (what the probe's atol must absorb, or must not)."""
    _, spec = SPECS[LINE]
    excess = []
    for case, expected in _graded_cases(LINE):
        if case.atol is not None:
            got, want = np.asarray(answer(*case.args), dtype=np.float64), np.asarray(expected)
            excess.append(float(np.max(np.abs(got - want) - spec.rtol * np.abs(want))))
    return excess


def test_the_line_fits_probe_atol_sits_far_from_the_closed_forms_rounding_and_from_every_differences_error():
    """What precision.py and the registry's comment state: the closed forms lose at most a fraction of
    probe_atol beyond rtol, a difference of the loss at least ten times it, at every step to 1e4."""
    atol = QUESTIONS[LINE].probe_atol
    closed = max(max(_errors_beyond_rtol(f)) for f in _closed_line_forms().values())
    loss, central = _line_losses()["np.mean"], LINE_DIFFERENCES["central"]
    central = min(min(_errors_beyond_rtol(_line_by_differences(loss, central, h))) for h in STEPS + LARGE_STEPS)
    assert closed < atol / 4 and central > 10 * atol, (closed, central)


def test_no_difference_of_the_line_fits_loss_earns_anything_whatever_its_step():
    """Forward, backward, central and extrapolated differences of three forms of the loss, at the 52
    steps of STEPS and 19 more up to 1e4 pass no case (every hidden case is probed). The fresh,
    held-out and blind corpora's differences likewise."""
    skips = QUESTIONS[LINE].probe_skips
    survivors = []
    for loss_name, loss in _line_losses().items():
        for name, difference in LINE_DIFFERENCES.items():
            for h in STEPS + LARGE_STEPS:
                _, passed = _score(LINE, _line_by_differences(loss, difference, h))
                if set(passed) - skips:
                    survivors.append((loss_name, name, h, sorted(set(passed))))
    assert not survivors, survivors
    corpora = {label: fn for label, (kind, fn) in _all_corpora_answers(LINE).items()
               if kind == "shortcut" and "complex" not in label}
    assert len(corpora) >= 4, sorted(corpora)
    for label, answer in corpora.items():
        share, passed = _score(LINE, answer)
        assert share <= _skipped_share(LINE) + 1e-12, (label, sorted(set(passed)))


def test_a_complex_step_on_the_line_fits_loss_remains_exact_and_earns_full_marks():
    """What remains (docs/design.md): Im L(a0 + ih) / h subtracts nothing, so it is as exact as a
    closed form (the blind corpus's complex_step shortcut, pinned with it)."""
    loss = _line_losses()["np.mean"]
    h = 1e-30

    def line_fit_gradient(a0, a1, x, y):
        return float(np.imag(loss(a0 + 1j * h, a1, x, y)) / h), float(np.imag(loss(a0, a1 + 1j * h, x, y)) / h)
    assert _score(LINE, line_fit_gradient)[0] == 1.0
    blind = {label: fn for label, (kind, fn) in _all_corpora_answers(LINE).items() if "complex" in label}
    assert blind and all(_score(LINE, fn)[0] == 1.0 for fn in blind.values())


def test_fit_line_is_not_probed_so_a_loop_on_a_differenced_gradient_is_graded_on_its_loop_alone():
    """fit_line's hidden cases carry no outliers (its points are for the loop: lr, epochs, the
    simultaneous update), so the student's fit_line, which may call their own line_fit_gradient,
    is graded the same whichever gradient it calls."""
    assert QUESTIONS["fit_line"].probe is None
    calling = [a for a in harness.load_corpus() if a.question == "fit_line" and a.valid
               and "line_fit_gradient(" in a.source]  # the registered corpus's loop on the student's gradient
    assert calling
    namespace = _namespace()
    namespace[LINE] = _line_by_differences(_line_losses()["np.mean"], LINE_DIFFERENCES["central"], 1e-6)
    exec(calling[0].source, namespace)
    for case, _ in _graded_cases("fit_line"):
        assert case.atol is None and np.abs(case.args[1]).max() < 100, case.label
    assert _score("fit_line", namespace["fit_line"])[0] == 1.0
