"""The visible checks students run in their notebooks: ``check("sigmoid", sigmoid)``.

This module is not imported by the grader. ``python -m autograder build`` writes it, with
:mod:`autograder.checks.compare`, :mod:`autograder.checks.adapters` and
:mod:`autograder.checks.public` inlined in place of the imports below, as ``checks.py`` beside
each notebook; ``public_cases.json`` beside it holds the public cases: inputs, the expected
results and the results of the known mistakes, all computed from the reference. So a
student sees the same comparisons and the same named mistakes as the hidden grading, on
cases that are public and may be shown in full.

Only numpy and the standard library are needed.
"""
from __future__ import annotations

import contextlib
import copy
import inspect
import io
import re
import warnings
from typing import Any, Callable

import numpy as np

from autograder.checks.adapters import ADAPTERS  # inlined by the build
from autograder.checks.compare import CONTRACT_MESSAGES, RESTORE_EXACTLY, as_tree, identical, compare, describe, leaves, matches  # inlined by the build
from autograder.checks.public import CheckFailed, StubNotImplemented, decode, load_cases  # inlined by the build

_PRINT_OPTIONS = dict(precision=6, threshold=40, edgeitems=3, linewidth=100)


# ----------------------------------------------------------------------- running the checks
def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    with np.printoptions(**_PRINT_OPTIONS):
        return repr(np.asarray(value)) if np.ndim(value) else repr(value)


def _broken_contract(public: dict, case: dict, args: Any, given: Any, seen: list) -> str:
    """The contract the notebook states that this call broke, in words ("" if none)."""
    messages = {**CONTRACT_MESSAGES, **public.get("contract_messages", {})}
    if public.get("keeps_inputs") and not identical(args, given):
        return "the result is right, but " + messages["mutated-input"]
    if case.get("quiet") and any(issubclass(w.category, RuntimeWarning) for w in seen):
        return "the result is right, but " + messages["warning"]
    return ""


def _show_inputs(function: Callable, args: tuple) -> list[str]:
    """One line per input, named as the function names its parameters (``z = array(...)``)."""
    try:
        names = [p.name for p in inspect.signature(function).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    names += [f"argument {i + 1}" for i in range(len(names), len(args))]
    return _show_named(list(zip(names, args)))


def _show_named(named: list) -> list[str]:
    """One line per ``(name, value)``; text is shown as it is (an adapter's test function)."""
    width = max((len(name) for name, _ in named), default=0)
    return [f"  {name:<{width}} = {value if isinstance(value, str) else _show(value)}".replace("\n", "\n" + " " * (width + 5))
            for name, value in named]


def check(question: str, function: Callable, *, path: str | None = None) -> None:
    """Run ``function`` on the question's public cases and explain the first failure.

    Prints a line per question when every case passes. When a case fails, prints what is
    wrong first (shape, dtype, nan/inf or values, the name of a known mistake when the result
    matches one, or a contract the notebook states, such as unchanged arguments or no
    warnings; then the inputs by name, expected and got), then raises :class:`CheckFailed`
    (an ``AssertionError``) so that "Run all" stops there; ``NotImplementedError`` while the
    function is still a stub. Jupyter hides this function's own frame from the traceback
    (``__tracebackhide__``): the student sees their cell, not the checks' internals.
    """
    __tracebackhide__ = True  # noqa: F841 (read by IPython's traceback formatter)
    public = load_cases(question, path)
    if "judge" in public:  # judged, not compared with an expected value (only where a notebook has such questions)
        from autograder.checks.judged import check_judged  # inlined by the build
        return check_judged(question, function, public, path)
    adapter = ADAPTERS[public["adapter"]] if public.get("adapter") else None  # a function as an argument
    call = adapter.wrap(function) if adapter else function
    for index, case in enumerate(public["cases"]):
        args = decode(case["args"])
        given = copy.deepcopy(args)
        try:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                got = call(*given)
        except NotImplementedError:
            raise StubNotImplemented(
                f"{question}: not implemented yet. Replace `raise NotImplementedError()` in "
                f"{getattr(function, '__name__', question)} by your code, run that cell, then this one."
            ) from None
        expected = as_tree(decode(case["expected"]))
        verdict = compare(got, expected, public["rtol"], public["atol"])
        broken = _broken_contract(public, case, args, given, seen)
        if verdict.ok and not broken:
            continue
        lines = [f"{question}: visible check {index + 1} of {len(public['cases'])} ({case['label']}) failed.",
                 verdict.message or broken]
        for mistake in public["mistakes"] if not verdict.ok else ():
            wrong = mistake["outputs"][index]
            if wrong is not None and matches(got, as_tree(decode(wrong)), public["rtol"], public["atol"]):
                lines.append(f"Recognised mistake: {mistake['message']}")
                break
        lines += ["inputs:", *(_show_named(adapter.inputs(args)) if adapter else _show_inputs(function, args))]
        lines.append(f"expected: {_show(expected)}")
        lines.append(f"got:      {_show(got) if got is not None else 'None'} ({describe(got)})")
        raise CheckFailed("\n".join(lines)) from None
    print(f"{question}: all {len(public['cases'])} visible checks passed. "
          "More cases are checked when you submit.")


# ----------------------------------------------------------------------- your own gradient check
#: The largest relative error between an analytic and a central-difference gradient that
#: counts as agreement: course.yml's gradient_check.tolerance (tests/test_course_notebooks.py
#: keeps the two and the notebooks' text equal; a right derivation stays well below it).
GRADIENT_CHECK_TOLERANCE = 1e-6
#: An x that a checker which puts its entries back by arithmetic (``x[i] + h - h``, ``x[i] - 2h + h``,
#: ``x[i] = x[i] + h`` after the step down) leaves changed for any step h from 1e-9 to 0.1: entries far
#: smaller than h lose their low bits in ``x[i] + h`` (tests/test_gradient_check_report.py pins it).
RESTORE_PROBE = ((1 / 3, -2 / 7, 3e-9 / 7), (-1e-10 / 3, 5e-12 / 9, 0.1))
_LAYER = re.compile(r"^d[A-Za-z]+(\d+)$")


def _at(args: Any, path: tuple) -> Any:
    for step in path:
        args = args[step]
    return args


def _replaced(tree: Any, path: tuple, value: Any) -> Any:
    """``tree`` (nested tuples and lists) with the item at ``path`` replaced by ``value``."""
    if not path:
        return value
    items = list(tree)
    items[path[0]] = _replaced(items[path[0]], path[1:], value)
    return tuple(items) if isinstance(tree, tuple) else items


def _disagreement(a: Any, b: Any) -> float:
    """``||a - b|| / (||a|| + ||b||)`` (Euclidean norms over all entries; 0.0 when both are zero):
    the gradient check's own relative error, which does not depend on the scale of the loss."""
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(a) + np.linalg.norm(b)), 1e-300))


def _has(args: Any, path: tuple) -> bool:
    """Whether ``args`` has an item at ``path`` (a network with fewer layers has fewer)."""
    for step in path:
        if not isinstance(args, (list, tuple)) or step >= len(args):
            return False
        args = args[step]
    return True


def output_layer_first(names: list[str]) -> list[str]:
    """``names`` in the order a gradient check reports them: the output layer's first (``dW2``,
    ``db2``, then ``dW1``, ``db1``), where the bug of a backward pass is localised (a wrong
    output error makes every layer wrong; a wrong hidden step only the layers below it). Names
    without a layer number (``dL/da0``, ``delta^L``) keep their order."""
    def layer(name: str) -> int:
        match = _LAYER.match(name)
        return -int(match.group(1)) if match else 0
    return sorted(names, key=layer)


def restores_exactly(numerical_gradient: Callable) -> str:
    """``""`` when ``numerical_gradient`` leaves :data:`RESTORE_PROBE` bit for bit as it was, else
    what changed and why it matters (a stub raises ``NotImplementedError``)."""
    x = np.array(RESTORE_PROBE, dtype=np.float64)
    saved = x.copy()
    numerical_gradient(lambda v: float(np.sum(np.asarray(v) ** 2)), x)
    if np.asarray(x).shape == saved.shape and np.asarray(x, dtype=np.float64).tobytes() == saved.tobytes():
        return ""
    after = np.asarray(x, dtype=np.float64)
    changed = np.flatnonzero(after.ravel() != saved.ravel()) if after.shape == saved.shape else []
    if len(changed):
        entry = tuple(int(i) for i in np.unravel_index(changed[0], saved.shape))
        where = (f"entry {entry} was {float(saved[entry])!r} before the call and is {float(after[entry])!r} "
                 "after it")
    else:
        where = "its bits changed"
    return (f"your numerical_gradient does not leave x exactly as it was (on x = {_show(saved)}, {where}): "
            + RESTORE_EXACTLY)


def _verdict(errors: list[float], failing: list[int]) -> str:
    worst = max(errors)
    if not failing:
        return f"{worst:9.1e}   ok"
    cases = ", ".join(str(i) for i in failing)
    return f"{worst:9.1e}   WRONG (visible case{'s' if len(failing) > 1 else ''} {cases})"


def check_gradients(question: str, gradients: Callable, loss: Callable, numerical_gradient: Callable, *,
                    path: str | None = None, inputs: Callable | None = None,
                    cases: tuple[str, ...] | None = None) -> None:
    """Check your derived gradients against YOUR OWN numerical gradient on the public cases.

    ``gradients(*args)`` returns the analytic gradients (a tuple or list of arrays, nested as
    you return them; their order is the question's ``wrt`` list). ``loss(*args)`` returns the
    loss as a float. ``numerical_gradient(f, x)`` is your central-difference checker from
    assignment 1: it returns an array shaped like ``x`` whose entry i is
    ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``.

    First your checker is run on an x whose entries are far smaller than h: it must leave x
    bit for bit as it was (a checker that puts entries back by arithmetic does not; it fails
    here, with the reason). Then, for each parameter, the loss is seen as a function of that
    parameter alone and your checker differentiates it numerically. Every parameter is
    reported, the output layer's first, with the largest relative error
    ``||a - n|| / (||a|| + ||n||)`` over the cases and a verdict: ok below 1e-6, else WRONG.
    Nothing here knows the right answer: a failure means the derivation or the checker is
    wrong (test the checker on a function whose derivative you know first). When a parameter
    is WRONG this raises after the report, showing the first wrong one's numbers.

    ``inputs(*args)``, when given, turns a case's arguments into those of ``gradients`` and
    ``loss`` (e.g. the logits ``Z`` behind a case's output ``A``, to check a delta^L as the
    gradient with respect to ``Z``); the ``wrt`` paths then index these. ``cases``, when
    given, are the labels of the public cases to check (e.g. ``("random",)``: an edge case
    at a clip or a kink has no derivative for a finite difference to find). A parameter
    whose path a case does not have (a network with fewer layers) is not checked there. A
    float parameter (a line's slope) is given to the checker as an array of one entry.
    """
    __tracebackhide__ = True  # noqa: F841
    public = load_cases(question, path)
    probed = False
    errors: dict[str, list[float]] = {}
    failing: dict[str, list[int]] = {}
    shown: dict[str, tuple[int, str, Any, Any]] = {}  # the first wrong case of each parameter
    checked = 0
    for index, case in enumerate(public["cases"]):
        if cases is not None and case["label"] not in cases:
            continue
        checked += 1
        args = decode(case["args"])
        if inputs is not None:
            args = tuple(inputs(*args))
        present = [(tuple(p), name) for p, name in zip(public["wrt"], public["wrt_names"]) if _has(args, tuple(p))]
        wrt, names = [p for p, _ in present], [name for _, name in present]
        try:
            analytic = leaves(gradients(*copy.deepcopy(args)))
        except NotImplementedError:
            raise StubNotImplemented(f"{question}: not implemented yet. Replace `raise NotImplementedError()` in "
                                     "your function by your code, run that cell, then this one.") from None
        if not probed:  # the checker is tried once, after the function (a stub says so first)
            try:
                drifted = restores_exactly(numerical_gradient)
            except NotImplementedError:
                raise StubNotImplemented(f"{question}: numerical_gradient is not implemented yet: write it "
                                         "(assignment 1, part 0) or paste your checker into its cell, run that "
                                         "cell, then this one.") from None
            if drifted:
                raise CheckFailed(f"{question}: {drifted}")
            probed = True
        if len(analytic) != len(wrt):
            raise CheckFailed(f"{question}: your function returns {len(analytic)} gradients, the question asks "
                              f"for {len(wrt)} ({', '.join(names)}).")
        for k, (where, name) in enumerate(zip(wrt, names)):
            parameter = np.array(_at(args, where), dtype=np.float64)
            scalar = parameter.ndim == 0  # a float argument: the checker sees a vector of one entry

            def f(value, where=where, scalar=scalar):
                value = float(np.asarray(value).reshape(-1)[0]) if scalar else value
                return float(loss(*_replaced(copy.deepcopy(args), where, value)))

            parameter = parameter.reshape(1) if scalar else parameter
            numeric = numerical_gradient(f, parameter)
            got = np.asarray(analytic[k], dtype=np.float64)
            got = got.reshape(1) if scalar and got.size == 1 else got
            if got.shape != np.shape(numeric):
                raise CheckFailed(f"{question}: your {name} has shape {got.shape}, the parameter has shape "
                                  f"{np.shape(parameter)} (visible case {index + 1}, {case['label']}).")
            error = _disagreement(got, numeric)
            errors.setdefault(name, []).append(error)
            if not error < GRADIENT_CHECK_TOLERANCE:
                failing.setdefault(name, []).append(index + 1)
                shown.setdefault(name, (index + 1, case["label"], got, numeric))
    order = output_layer_first(list(errors))
    width = max(len(name) for name in order)
    print(f"{question}: your gradients against your numerical gradient, {checked} visible case"
          f"{'s' if checked != 1 else ''}, largest relative error per parameter (ok below {GRADIENT_CHECK_TOLERANCE:g}):")
    for name in order:
        print(f"  {name:<{width}}  {_verdict(errors[name], failing.get(name, []))}")
    wrong = [name for name in order if name in failing]
    if wrong:
        number, label, got, numeric = shown[wrong[0]]
        raise CheckFailed("\n".join([
            f"{question}: your {_listed(wrong)} {'disagrees' if len(wrong) == 1 else 'disagree'} with your numerical "
            f"gradient (the report above). Your {wrong[0]} disagrees with your numerical gradient on visible case "
            f"{number} ({label}):",
            f"analytic:  {_show(got)}", f"numerical: {_show(numeric)}",
            "Either the derivation or the checker is wrong: test the checker on a function whose derivative you "
            "know. Start with the parameter listed first (the output layer's): a wrong output error makes every "
            "layer below it wrong too."]))
    print(f"{question}: your gradients agree with your numerical gradient on all "
          f"{checked} visible cases{'' if cases is None else ' checked'}.")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def uses(*functions: Callable, path: str | None = None) -> None:
    """One line before an experiment whose numbers a written answer quotes: which of the
    ``functions`` it uses fail their visible checks (nothing when they all pass).

    Each function that has visible checks (named as its question) is checked quietly, as
    :func:`check` does; a function without checks (a helper) or still a stub is skipped (the
    experiment itself says that it is not implemented yet). Never raises: the experiment runs.
    """
    failing = []
    for function in functions:
        name = getattr(function, "__name__", "")
        try:
            load_cases(name, path)
        except (KeyError, OSError, ValueError):
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                check(name, function, path=path)
        except StubNotImplemented:
            continue
        except Exception:  # noqa: BLE001 - a failed check, or the function raising on a public case
            failing.append(name)
    if failing:
        listed = ", ".join(failing[:-1]) + " and " + failing[-1] if len(failing) > 1 else failing[0]
        print(f"Careful: {listed} {'fail their' if len(failing) > 1 else 'fails its'} visible checks, so the "
              "numbers below come from a wrong function: fix it first (its check cell says what is wrong), "
              "then run this cell again.")
