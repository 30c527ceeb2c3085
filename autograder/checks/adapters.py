"""Adapters: grading a student function that takes a FUNCTION as an argument.

The sandbox passes only data (arrays, numbers, nested tuples and lists) to student code, and
the grader never sends it code. A question whose student function takes a function, such as
a1's ``numerical_gradient(f, x, h=1e-5)``, is therefore asked through an **adapter**: a
plain-data callable ``adapted(kind, params, x[, h])`` that builds the scalar test function
``f = make_test_function(kind, params)`` from the table below and calls the student's
function ``student(f, x[, h])`` on it. ``kind`` is an index into :data:`TEST_FUNCTIONS`;
``params`` is a tuple of arrays.

Where it runs:

* in the sandbox, the grader appends this module's source after the student's cells, run
  in a namespace of its own, and re-binds the student's function name to the adapted
  callable (:func:`autograder.grading.pipeline.adapter_cells`): the student's cells run first, as
  for every question, nothing they define can shadow the adapter, and the calls, the
  feedback and the wire are those of any other question;
* in the visible checks, ``python -m autograder build`` inlines this module into
  ``checks.py`` and ``check()`` wraps the student's function the same way;
* in the grader, the reference and the registered mistakes take the adapted arguments and
  build the same test functions (the expected values come from ``nn_core``).

The adapter only ever receives a case's inputs: never an expected value. A student function
that misbehaves (ignores ``f``, mutates ``x``, raises) only affects its own result.

Only numpy and the standard library: this module is released inside ``checks.py``. None of
its code is the answer of a graded question.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np


# ----------------------------------------------------------------------- the test functions
class ScalarFunction(NamedTuple):
    """A named scalar function of an array ``x``, parametrised by arrays.

    ``formula`` is how the visible checks show it; ``make(*params)`` returns ``f(x) -> float``.
    """

    name: str
    formula: str
    params: tuple[str, ...]
    make: Callable[..., Callable[[np.ndarray], float]]


def _sin_of_sum(p: np.ndarray) -> Callable[[np.ndarray], float]:
    return lambda x: float(np.sin(np.sum(p * x)))


def _quadratic(A: np.ndarray, b: np.ndarray) -> Callable[[np.ndarray], float]:
    def f(x):
        v = np.ravel(x)
        return float(0.5 * (v @ A @ v) + b @ v)
    return f


def _log_cosh(A: np.ndarray, c: np.ndarray) -> Callable[[np.ndarray], float]:
    return lambda x: float(np.sum(np.log(np.cosh(A @ np.ravel(x) + c))))


def _tanh_layer(X: np.ndarray, Y: np.ndarray) -> Callable[[np.ndarray], float]:
    def f(W):  # one example (a row of X and Y) at a time, z = W x as in the lecture
        return float(np.mean([np.sum(np.log(np.cosh(np.tanh(W @ x) - y))) for x, y in zip(X, Y)]))
    return f


def _steps(x0: np.ndarray, h: float) -> Callable[[np.ndarray], float]:
    """The number of entries of x at or above x0 + h (x0 has x's shape): f steps up by 1 exactly
    where a central difference at x0 evaluates it, and is flat elsewhere."""
    threshold = np.asarray(x0) + h
    return lambda x: float(np.count_nonzero(np.asarray(x) >= threshold))


#: The table of test functions; a case names one by its index (``kind``).
TEST_FUNCTIONS: tuple[ScalarFunction, ...] = (
    ScalarFunction("sin_of_sum", "x -> sin(sum(p * x))", ("p",), _sin_of_sum),
    ScalarFunction("quadratic", "x -> v @ A @ v / 2 + b @ v with v = x.ravel()", ("A", "b"), _quadratic),
    ScalarFunction("log_cosh", "x -> sum(log(cosh(A @ v + c))) with v = x.ravel()", ("A", "c"), _log_cosh),
    ScalarFunction("tanh_layer", "W -> mean over the rows x_k of X and y_k of Y of sum(log(cosh(tanh(W @ x_k) - y_k))): "
                   "a tanh layer's loss as a function of its weights W (the argument x)", ("X", "Y"),
                   _tanh_layer),
    ScalarFunction("steps", "x -> the number of entries of x at or above x0 + h (x0 has x's shape)",
                   ("x0", "h"), _steps),
)
TEST_FUNCTION_INDEX = {function.name: index for index, function in enumerate(TEST_FUNCTIONS)}


def make_test_function(kind: int, params: Any) -> Callable[[np.ndarray], float]:
    """The scalar function ``f(x) -> float`` named by ``kind`` with parameters ``params``."""
    return TEST_FUNCTIONS[int(kind)].make(*params)


# ----------------------------------------------------------------------- the adapters
class Adapter(NamedTuple):
    """How a question's student function is called with plain data.

    ``wrap(student, *others)`` returns the plain-data callable, ``others`` the student's functions
    named by ``needs`` (None for one not defined); ``inputs(args)`` names a case's arguments as the
    student knows them, for the visible checks: ``[(name, value), ...]``.
    """

    name: str
    wrap: Callable[..., Callable]
    inputs: Callable[[tuple], list]
    needs: tuple = ()


def _wrap_function_and_array(student: Callable) -> Callable:
    """The plain-data callable ``adapted(kind, params, x[, h])``. The adapter re-binds the
    student's name, so the student's OTHER functions that call their own checker, with a
    function ``f`` as in the notebook, reach it too: such a call goes to the student's function
    unchanged (a case's ``kind`` is an int, never callable)."""
    def adapted(*args, **kwargs):
        if (args and callable(args[0])) or "f" in kwargs:  # the student's own code calling its checker
            return student(*args, **kwargs)
        kind, params, x, *h = args
        return student(make_test_function(kind, params), x, *h)
    return adapted


def _function_and_array_inputs(args: tuple) -> list:
    kind, params, x, *h = args
    function = TEST_FUNCTIONS[int(kind)]
    shown = [("f", f"{function.formula}, where")] + list(zip(function.params, params)) + [("x", x)]
    return shown + ([("h", value) for value in h] or [("h", "not passed: your default is used")])


def _plain_layers(params: Any) -> list:
    """``[(W, b), ...]`` as float arrays, or ``[]`` for anything else (what the wire can always carry)."""
    try:
        layers = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params]
    except Exception:  # noqa: BLE001 - whatever the student's function returned
        return []
    return layers if all(W.dtype.kind == "f" and b.dtype.kind == "f" for W, b in layers) else []


TRAIN_ARGUMENTS = ("X", "Y", "sizes", "output", "lr", "epochs", "batch_size", "seed")
#: a5's output activations; the grader passes ``train``'s ``output`` as an index into these (the
#: sandbox's calls carry numbers and arrays only) and the adapter passes the student the name.
TRAIN_OUTPUTS = ("linear", "sigmoid", "softmax")


def _wrap_with_init(student: Callable, init_params: Callable | None = None) -> Callable:
    """a5's ``train`` as the grader calls it: ``adapted(X, Y, sizes, kind, lr, epochs, batch_size, seed)``
    calls the student's ``train`` with ``output = TRAIN_OUTPUTS[kind]`` and returns
    ``(init_params(sizes, seed), train(...))``: the student's initialisation (after the training, as
    plain layers; ``[]`` when it raises or returns no layers) beside the trained parameters, so the
    grader can replay the stated loop from the student's own starting point. A call with a name as
    ``output``, or with other arguments (the student's own code) goes to the student's function unchanged."""
    def adapted(*args, **kwargs):
        if len(args) != len(TRAIN_ARGUMENTS) or kwargs or isinstance(args[3], str):
            return student(*args, **kwargs)
        X, Y, sizes, kind, lr, epochs, batch_size, seed = args
        trained = student(X, Y, sizes, TRAIN_OUTPUTS[int(kind)], lr, epochs, batch_size, seed)
        try:
            start = _plain_layers(init_params(list(sizes), seed)) if callable(init_params) else []
        except Exception:  # noqa: BLE001 - the student's init_params: the grader then starts from the stated draw
            start = []
        return start, trained
    return adapted


def _train_inputs(args: tuple) -> list:
    named = list(zip(TRAIN_ARGUMENTS, args))
    return named[:3] + [("output", TRAIN_OUTPUTS[int(args[3])])] + named[4:]


#: Adapters by name (a question's ``adapter`` field in the registry).
ADAPTERS: dict[str, Adapter] = {
    "function_and_array": Adapter("function_and_array", _wrap_function_and_array, _function_and_array_inputs),
    "with_init": Adapter("with_init", _wrap_with_init, _train_inputs, ("init_params",)),
}
