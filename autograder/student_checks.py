"""The visible checks students run in their notebooks: ``check("sigmoid", sigmoid)``.

The grader imports from this module only the checks its judges share with the visible
checks (:func:`init_problem`, :func:`layers_problem`). ``python -m autograder build`` writes it, with
:mod:`autograder.compare` inlined in place of the import below, as ``checks.py`` beside
each notebook; ``public_cases.json`` beside it holds the public cases: inputs, the expected
results and the results of the known mistakes, all computed from the reference. So a
student sees the same comparisons and the same named mistakes as the hidden grading, on
cases that are public and may be shown in full.

Only numpy and the standard library are needed.
"""
from __future__ import annotations

import copy
import inspect
import json
import os
import warnings
from typing import Any, Callable

import numpy as np

from autograder.compare import CONTRACT_MESSAGES, as_tree, compare, describe, matches  # inlined by the build

CASES_FILE = "public_cases.json"
_PRINT_OPTIONS = dict(precision=6, threshold=40, edgeitems=3, linewidth=100)


# ----------------------------------------------------------------------- the public cases file
def encode(value: Any) -> Any:
    """A value of a case (arrays, numbers, nested lists and tuples) as JSON data."""
    if isinstance(value, tuple):
        return {"tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return {"list": [encode(item) for item in value]}
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.ndarray):
        return {"int": int(value)}
    if isinstance(value, (float, np.floating)) and not isinstance(value, np.ndarray):
        return {"float": float(value)}
    array = np.asarray(value)
    return {"dtype": str(array.dtype), "shape": list(array.shape), "data": array.ravel().tolist()}


def decode(node: Any) -> Any:
    """The inverse of :func:`encode`."""
    if "tuple" in node:
        return tuple(decode(item) for item in node["tuple"])
    if "list" in node:
        return [decode(item) for item in node["list"]]
    for kind, cast in (("bool", bool), ("int", int), ("float", float)):
        if kind in node:
            return cast(node[kind])
    return np.array(node["data"], dtype=node["dtype"]).reshape(node["shape"])


def load_cases(question: str, path: str | None = None) -> dict:
    """The public cases of one question: ``{"cases": [...], "mistakes": [...]}``."""
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), CASES_FILE)
    if not os.path.exists(path):
        path = CASES_FILE  # the notebook's working directory
    with open(path, encoding="utf-8") as handle:
        everything = json.load(handle)
    if question not in everything:
        raise KeyError(f"no visible checks for {question!r} in {CASES_FILE}")
    return everything[question]


# ----------------------------------------------------------------------- running the checks
def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    with np.printoptions(**_PRINT_OPTIONS):
        return repr(np.asarray(value)) if np.ndim(value) else repr(value)


def _same_values(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_values(x, y) for x, y in zip(a, b))
    return np.shape(a) == np.shape(b) and bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))


def _broken_contract(public: dict, case: dict, args: Any, given: Any, seen: list) -> str:
    """The contract the notebook states that this call broke, in words ("" if none)."""
    if public.get("keeps_inputs") and not _same_values(args, given):
        return "the result is right, but " + CONTRACT_MESSAGES["mutated-input"]
    if case.get("quiet") and any(issubclass(w.category, RuntimeWarning) for w in seen):
        return "the result is right, but " + CONTRACT_MESSAGES["warning"]
    return ""


def _show_inputs(function: Callable, args: tuple) -> list[str]:
    """One line per input, named as the function names its parameters (``z = array(...)``)."""
    try:
        names = [p.name for p in inspect.signature(function).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    names += [f"argument {i + 1}" for i in range(len(names), len(args))]
    width = max((len(name) for name in names[:len(args)]), default=0)
    return [f"  {name:<{width}} = {_show(value)}".replace("\n", "\n" + " " * (width + 5))
            for name, value in zip(names, args)]


class _Explained(Exception):
    """An error whose message says everything: Jupyter (IPython's ``_render_traceback_``
    protocol) shows the message alone, not a traceback through this module's internals.
    Plain Python shows the usual traceback, message included."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {line}" if i == 0 else line for i, line in enumerate(str(self).splitlines())]


class CheckFailed(_Explained, AssertionError):
    """A visible check failed: what is wrong, the inputs by name, expected and got."""


class StubNotImplemented(_Explained, NotImplementedError):
    """The function is still the stub."""


StubNotImplemented.__name__ = StubNotImplemented.__qualname__ = "NotImplementedError"  # what students know


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
    if "judge" in public:  # judged, not compared with an expected value
        return check_judged(question, function, public, path)
    for index, case in enumerate(public["cases"]):
        args = decode(case["args"])
        given = copy.deepcopy(args)
        try:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                got = function(*given)
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
        lines += ["inputs:", *_show_inputs(function, args)]
        lines.append(f"expected: {_show(expected)}")
        lines.append(f"got:      {_show(got) if got is not None else 'None'} ({describe(got)})")
        raise CheckFailed("\n".join(lines)) from None
    print(f"{question}: all {len(public['cases'])} visible checks passed. "
          "More cases are checked when you submit.")


# ----------------------------------------------------------------------- your own gradient check
#: The largest relative error between an analytic and a central-difference gradient that
#: counts as agreement (float64, step about 1e-5: a right derivation gives 1e-8 or less).
GRADIENT_CHECK_TOLERANCE = 1e-6


def _leaves(tree: Any) -> list:
    """The arrays of a result (a tuple or list of arrays, nested), in order."""
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _leaves(item)]
    return [tree]


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


def _relative_error(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(float(np.max(np.abs(a) + np.abs(b), initial=0.0)), 1e-12)
    return float(np.max(np.abs(a - b), initial=0.0)) / scale


def check_gradients(question: str, gradients: Callable, loss: Callable, numerical_gradient: Callable, *,
                    path: str | None = None) -> None:
    """Check your derived gradients against YOUR OWN numerical gradient on the public cases.

    ``gradients(*args)`` returns the analytic gradients (a tuple or list of arrays, nested as
    you return them; their order is the question's ``wrt`` list). ``loss(*args)`` returns the
    loss as a float. ``numerical_gradient(f, x)`` is your central-difference checker from
    assignment 1: it returns an array shaped like ``x`` whose entry i is
    ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``.

    For each parameter, the loss is seen as a function of that parameter alone and your
    checker differentiates it numerically; the relative error ``max|a - n| / max(|a| + |n|)``
    must be below 1e-6. Nothing here knows the right answer: a failure means the derivation
    or the checker is wrong (test the checker on a function whose derivative you know first).
    """
    __tracebackhide__ = True  # noqa: F841
    public = load_cases(question, path)
    wrt = [tuple(p) for p in public["wrt"]]
    for index, case in enumerate(public["cases"]):
        args = decode(case["args"])
        try:
            analytic = _leaves(gradients(*copy.deepcopy(args)))
        except NotImplementedError:
            raise StubNotImplemented(f"{question}: not implemented yet.") from None
        if len(analytic) != len(wrt):
            raise CheckFailed(f"{question}: your function returns {len(analytic)} gradients, the question asks "
                              f"for {len(wrt)} ({', '.join(public['wrt_names'])}).")
        for k, (where, name) in enumerate(zip(wrt, public["wrt_names"])):
            parameter = np.array(_at(args, where), dtype=np.float64)

            def f(value, where=where):
                return float(loss(*_replaced(copy.deepcopy(args), where, value)))

            try:
                numeric = numerical_gradient(f, parameter)
            except NotImplementedError:
                raise StubNotImplemented(f"{question}: numerical_gradient is not implemented yet "
                                         "(paste your checker from assignment 1).") from None
            got = np.asarray(analytic[k], dtype=np.float64)
            if got.shape != np.shape(numeric):
                raise CheckFailed(f"{question}: your {name} has shape {got.shape}, the parameter has shape "
                                  f"{np.shape(parameter)} (visible case {index + 1}, {case['label']}).")
            error = _relative_error(got, numeric)
            if not error < GRADIENT_CHECK_TOLERANCE:
                raise CheckFailed("\n".join([
                    f"{question}: visible case {index + 1} ({case['label']}): your {name} disagrees with your "
                    f"numerical gradient (relative error {error:.1e}, should be below {GRADIENT_CHECK_TOLERANCE:g}).",
                    "Either the derivation or the checker is wrong: test the checker on a function whose "
                    "derivative you know.",
                    f"analytic:  {_show(got)}", f"numerical: {_show(numeric)}"]))
    print(f"{question}: your gradients agree with your numerical gradient on all "
          f"{len(public['cases'])} visible cases.")


# ----------------------------------------------------------------------- judged questions
# A judged question is not compared with an expected value: its result is judged, by the
# grader on hidden cases (with the course's reference implementation) and here on the public
# ones. The structure checks and the initialisation's statistics below are the grader's own
# (it imports them from here).
#: How many standard errors a statistic may stray before the judge calls it wrong: a right
#: answer fails with a probability below 1e-5 per layer.
JUDGE_SIGMAS = 5.0

INIT_MISTAKES = {  # name -> (the variance of a weight it gives, for (n_in, n_out); its message)
    "standard deviation 1": (lambda n_in, n_out: 1.0, "the weights are drawn with standard deviation 1: scale "
                             "them as stated, by the square root of 2 / n_in, so that the activations keep "
                             "their size from layer to layer."),
    "scaled by sqrt(1/n_in)": (lambda n_in, n_out: 1.0 / n_in, "the weights' standard deviation is sqrt(1 / n_in) "
                               "(LeCun's scale); the course's He initialisation for ReLU layers uses sqrt(2 / n_in)."),
    "scaled by n_out": (lambda n_in, n_out: 2.0 / n_out, "the scale uses the layer's number of outputs; He "
                        "initialisation divides by the number of INPUTS of the layer, n_in (the columns of W)."),
    "Xavier scale": (lambda n_in, n_out: 2.0 / (n_in + n_out), "that is Xavier/Glorot's scale sqrt(2 / (n_in + n_out)); "
                     "the course asks for He's, sqrt(2 / n_in), made for ReLU layers."),
    "variance for standard deviation": (lambda n_in, n_out: (2.0 / n_in) ** 2, "2 / n_in is the VARIANCE; "
                                        "np.random.Generator.normal takes the standard deviation, its square root."),
}
INIT_MESSAGES = {
    "random biases": "the biases start at zero (np.zeros); only the weights are random.",
    "not centred": "the weights must have mean 0: draw them from a normal distribution centred on 0.",
    "scale": "the weights' spread is not the stated one: a normal distribution with mean 0 and standard "
             "deviation sqrt(2 / n_in), n_in the layer's number of inputs.",
}
STRUCTURE_MESSAGES = {
    "structure": "return a list with one (W, b) pair per layer, first layer first.",
    "transposed": "each W has shape (n_out, n_in), one row per unit of the layer: yours are transposed.",
    "shape": "each layer's W has shape (n_out, n_in) and b shape (n_out,), for the sizes given.",
    "non-finite": "the parameters contain nan or inf. For a trained network the training diverged: check the "
                  "sign of the step (W - lr dW) and that the gradients are means over the batch.",
    "biases not updated": "the biases are still all zero after training: the loop must update W and b of "
                          "every layer at every step (were the parameters updated at all?).",
}


def layers_problem(params: Any, sizes: list) -> tuple[list | None, str]:
    """The layers ``[(W, b), ...]`` of a returned list of parameters as float arrays, or
    ``(None, id)`` with the id of what is wrong with its structure (:data:`STRUCTURE_MESSAGES`)."""
    sizes = [int(n) for n in sizes]
    if (not isinstance(params, (list, tuple)) or len(params) != len(sizes) - 1
            or any(not isinstance(layer, (list, tuple)) or len(layer) != 2 for layer in params)):
        return None, "structure"
    layers = []
    for (W, b), n_in, n_out in zip(params, sizes[:-1], sizes[1:]):
        if np.shape(W) == (n_in, n_out) and n_in != n_out and np.shape(b) == (n_out,):
            return None, "transposed"
        if np.shape(W) != (n_out, n_in) or np.shape(b) != (n_out,):
            return None, "shape"
        try:
            W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        except (TypeError, ValueError):
            return None, "structure"
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            return None, "non-finite"
        layers.append((W, b))
    return layers, ""


def _spread_fits(layers: list, sizes: list, variance: Callable) -> bool:
    """Every layer's mean square weight is the variance ``variance(n_in, n_out)`` within
    :data:`JUDGE_SIGMAS` standard errors (a mean of N squared normals has relative error sqrt(2/N))."""
    for (W, _), n_in, n_out in zip(layers, sizes[:-1], sizes[1:]):
        ratio = float(np.mean(W ** 2)) / variance(n_in, n_out)
        if abs(ratio - 1.0) > JUDGE_SIGMAS * np.sqrt(2.0 / W.size):
            return False
    return True


def init_problem(sizes: list, params: Any) -> str:
    """The id of what is wrong with an initialisation ("" when it is He's: weights normal with
    mean 0 and standard deviation sqrt(2 / n_in), zero biases), judged on its statistics."""
    sizes = [int(n) for n in sizes]
    layers, problem = layers_problem(params, sizes)
    if problem:
        return problem
    if any(np.any(b != 0) for _, b in layers):
        return "random biases"
    for W, _ in layers:  # the mean of N draws strays by about their own spread / sqrt(N)
        if abs(float(np.mean(W))) > JUDGE_SIGMAS * np.sqrt(float(np.mean(W ** 2)) / W.size):
            return "not centred"
    if _spread_fits(layers, sizes, lambda n_in, n_out: 2.0 / n_in):
        return ""
    return next((name for name, (variance, _) in INIT_MISTAKES.items() if _spread_fits(layers, sizes, variance)),
                "scale")


def judge_message(problem: str) -> str:
    """The message of a structure or initialisation problem's id."""
    if problem in INIT_MISTAKES:
        return INIT_MISTAKES[problem][1]
    return {**INIT_MESSAGES, **STRUCTURE_MESSAGES}[problem]


def _network_output(layers: list, X: np.ndarray, output: str) -> np.ndarray:
    """A^L of a network with ReLU hidden layers and the output activation ``output``."""
    A = X
    for k, (W, b) in enumerate(layers):
        Z = A @ W.T + b
        if k < len(layers) - 1:
            A = np.maximum(Z, 0.0)
        elif output == "sigmoid":
            A = 1.0 / (1.0 + np.exp(-Z))
        elif output == "softmax":
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            A = E / E.sum(axis=1, keepdims=True)
        else:
            A = Z
    return A


def _test_metric(metric: str, output: str, A: np.ndarray, Y: np.ndarray) -> float:
    """The test metric of the outputs ``A`` against the targets ``Y`` (both (m, n))."""
    if metric == "r2":
        return float(1.0 - np.sum((Y - A) ** 2) / np.sum((Y - Y.mean()) ** 2))
    if metric == "accuracy":
        if A.shape[1] == 1:
            return float(np.mean((A[:, 0] >= 0.5) == (Y[:, 0] == 1)))
        return float(np.mean(A.argmax(axis=1) == Y.argmax(axis=1)))
    P = np.clip(A, 1e-12, 1 - 1e-12)
    per_example = {"linear": 0.5 * (A - Y) ** 2, "sigmoid": -(Y * np.log(P) + (1 - Y) * np.log(1 - P)),
                   "softmax": -Y * np.log(P)}[output]
    return float(per_example.sum(axis=1).mean())


def _targets(y: np.ndarray, output: str, y_train: np.ndarray) -> np.ndarray:
    """Network targets from the labels of a released data set (as the grader builds them)."""
    if output == "softmax":
        return np.eye(int(y_train.max()) + 1)[y.astype(int)]
    if output == "sigmoid":
        return y.reshape(-1, 1).astype(np.float64)
    return ((y - y_train.mean()) / y_train.std()).reshape(-1, 1)


def _released(dataset: str, path: str | None) -> dict:
    folder = os.path.dirname(os.path.abspath(path or __file__))
    name = os.path.join(folder, f"{dataset}.npz")
    if not os.path.exists(name):
        name = f"{dataset}.npz"  # the notebook's working directory
    with np.load(name) as data:
        return {key: data[key] for key in data.files}


def _judge_public(judge: dict, case: dict, function: Callable, path: str | None) -> tuple[str, str]:
    """Run one public case of a judged question: (what is wrong or "", what to print)."""
    if judge["kind"] == "init":
        sizes, seed = decode(case["args"])
        problem = init_problem(sizes, function(list(sizes), seed))
        return problem, (judge_message(problem) if problem else "")
    data = _released(judge["dataset"], path)
    output = judge["output"]
    rows = np.asarray(case["rows"], dtype=int) if case.get("rows") is not None else slice(None)
    X, Y = data["X_train"][rows], _targets(data["y_train"], output, data["y_train"])[rows]
    rest = decode(case["args"])
    got = function(X, Y, *rest)
    layers, problem = layers_problem(got, rest[0])
    if not problem and all(not np.any(b) for _, b in layers):
        problem = "biases not updated"
    if problem:
        return problem, judge_message(problem)
    with np.errstate(all="ignore"):
        A = _network_output(layers, data["X_test"], output)
        value = _test_metric(judge["metric"], output, A, _targets(data["y_test"], output, data["y_train"]))
    bound, larger = judge["threshold"], judge["larger_is_better"]
    shown = f"test {judge['metric_name']} {value:.4f} (required: {'>=' if larger else '<='} {bound:g})"
    if not np.isfinite(value) or (value < bound if larger else value > bound):
        return "below-threshold", shown + ". " + judge["advice"]
    return "", shown


def check_judged(question: str, function: Callable, public: dict, path: str | None = None) -> None:
    """The visible checks of a judged question: run the public cases, judge each as the grader does."""
    __tracebackhide__ = True  # noqa: F841
    shown = []
    for index, case in enumerate(public["cases"]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                problem, text = _judge_public(public["judge"], case, function, path)
        except NotImplementedError:
            raise StubNotImplemented(
                f"{question}: not implemented yet. Replace `raise NotImplementedError()` by your code (in "
                f"{getattr(function, '__name__', question)} or a function it uses), run that cell, then this one."
            ) from None
        if problem:
            raise CheckFailed(f"{question}: visible check {index + 1} of {len(public['cases'])} ({case['label']}) "
                              f"failed.\n{text}")
        shown.append(f"  {case['label']}: {text}" if text else f"  {case['label']}: passed")
    print("\n".join([f"{question}: all {len(public['cases'])} visible checks passed. "
                     "More cases are checked when you submit."] + shown))
