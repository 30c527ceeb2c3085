"""Why a question failed: detectors that explain failed cases from what can be measured.

When some hidden cases of a question fail, :func:`explain` looks for an explanation that
holds on **every** failing case. Each detector is a small function of one failed case
that returns the explanations it supports; they are, in order:

1. the notebook's stated contracts: the arguments were modified in place
   (``mutated-input``), a ``RuntimeWarning`` where none is promised (``warning``);
2. shape and type: how the result's shape differs (``shape:transposed``, ``shape:keepdims``, ...),
   or a numpy error raised inside the function (``shape:matmul``, ``shape:broadcast``, ...)
   explained by running the function on a *public* case, where its message may be shown,
   or a type the policy refuses (``type:int-expected``, ``type:none``, ...);
3. a wrong default: only the calls that leave an optional argument at its default fail
   (``default:<name>``);
4. a constant factor: got = k * expected on every entry (``factor:sign`` for k = -1,
   ``factor:m`` / ``factor:1/m`` for a sum vs a mean over the examples, ``factor:n`` /
   ``factor:1/n`` over the output units, ``factor:2`` / ``factor:1/2`` for the
   1/2 of a loss, ``factor:p/q`` otherwise);
5. an ignored argument: the result equals the reference's with that argument replaced by
   its default, 1, 0 or zeros (``ignored-argument:<name>``); for a question that returns
   several gradients (``Question.wrt``), all of them right but one (``one-gradient:<name>``);
6. the question's registered mistakes (each with its own message), which are the most
   specific and win over every general detector when they hold everywhere.

When none of those holds on every failing case, :func:`case_kinds` looks at *which*
cases failed (only large values, only zeros and ties, only m = 1, ...) and says what to
try; :func:`summary` does so even when the failures are of several kinds.

Nothing here prints a value that the student's result chose: explanations come from a
fixed vocabulary (the factor is named only when it is a small simple fraction).
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Iterable

import numpy as np

from autograder.checks.compare import (CONTRACT_MESSAGES, SHAPE_MESSAGES, Verdict, _close, as_tree, leaves, matches,
                                normalise)
from autograder.questions import Case, Mistake, Question
from autograder.questions.registry import LARGE_CASE_LABEL


@dataclass(frozen=True)
class Failure:
    """One failed case: its inputs, what the call did, and the comparison's verdict
    (``None`` when the call returned no value). ``contract`` names a stated contract the
    call broke (``"mutated-input"`` or ``"warning"``), if any."""

    case: Case
    status: str
    value: Any = None
    verdict: Verdict | None = None
    error_type: str | None = None
    contract: str = ""


@dataclass(frozen=True)
class Explanation:
    """A named reason, the same for every failing case: an id and a teaching message."""

    id: str
    message: str


Tolerance = tuple[float, float]  # (rtol, atol)


# --------------------------------------------------------------------------- 1. contracts


def contract_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    if failure.contract:
        return [Explanation(failure.contract, question.contract_messages.get(failure.contract,
                                                                             CONTRACT_MESSAGES[failure.contract]))]
    return []


# --------------------------------------------------------------------------- 2. shape
NUMPY_ERRORS = (  # (id, pattern of the exception text on a public case, teaching message)
    ("signature", r"positional argument|unexpected keyword|takes \d+ |missing \d+ required",
     "your function does not accept the arguments the notebook passes: keep the signature exactly as given "
     "(with its optional arguments and their defaults)."),
    ("shape:matmul", r"matmul|not aligned|core dimension",
     "a matrix product whose inner dimensions do not match: W has shape (n_out, n_in) and a batch has one "
     "example per row; check the shape of each operand and which of their axes meet."),
    ("shape:broadcast", r"broadcast",
     "two arrays whose shapes do not broadcast: a bias (n_out,) adds to every row of an (m, n_out) array as it "
     "is (do not reshape it to a column), and a row sum or maximum needs keepdims=True."),
    ("shape:truth-value", r"truth value of an array",
     "Python's max, min, if, and/or work on single numbers, not arrays: use numpy's elementwise functions "
     "and the operators & and |."),
    ("shape:axis", r"axis .* out of bounds|AxisError",
     "an axis that the array does not have: the input may be 1-D (any shape) or 2-D with one example per row."),
)


def classify_public_error(message: str | None) -> Explanation | None:
    """The explanation of an exception raised on a public case (its text may be shown)."""
    if not message:
        return None
    for error_id, pattern, teaching in NUMPY_ERRORS:
        if re.search(pattern, message):
            # the text itself is not shown: whatever the student's code put in it could carry
            # what an earlier run learnt (through time, say); the category is enough to teach
            return Explanation(error_id, f"{teaching} Your function raises this kind of error on the public "
                                         f"cases too: run the visible checks to see the message and the line.")
    return None  # another exception: its text is not needed to name a shape problem


TYPE_MESSAGES = {
    "int-expected": "counts and class indices are ints: return int(...) or an integer array (.astype(int)); a "
                    "float, even 3.0, is not accepted.",
    "sequence-expected": "a tuple is asked: return (first, second) as a tuple or list (an array also counts when "
                         "each item is a single number).",
    "none": "the function returns None: a return statement is missing.",
    "not-numbers": "return numbers (a float, or a numpy array of numbers), not text or other objects.",
    "length": "the tuple or list has another number of items than asked: one item per layer, or one per value "
              "asked.",
}


def shape_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    verdict = failure.verdict
    if verdict is not None and verdict.kind == "shape":
        return [Explanation(f"shape:{verdict.detail}", SHAPE_MESSAGES[verdict.detail])]
    if verdict is not None and verdict.detail in TYPE_MESSAGES:
        return [Explanation(f"type:{verdict.detail}", TYPE_MESSAGES[verdict.detail])]
    if failure.status == "error" and context.get("public_error") is not None:
        return [context["public_error"]]
    if verdict is not None and verdict.kind == "value" and _transposed_match(failure.value, context["expected"](
            failure.case), tol):
        return [Explanation("shape:transposed", SHAPE_MESSAGES["transposed"])]
    return []


def _transposed(tree: Any) -> Any:
    if isinstance(tree, list):
        return [_transposed(item) for item in tree]
    return tree.T if np.ndim(tree) == 2 else tree


def _transposed_match(got: Any, expected: Any, tol: Tolerance) -> bool:
    """A square result that is the transpose of the expected one (its shape cannot tell)."""
    return _has_square(expected) and matches(got, _transposed(expected), *tol)


def _has_square(tree: Any) -> bool:
    if isinstance(tree, list):
        return any(_has_square(item) for item in tree)
    return np.ndim(tree) == 2 and np.shape(tree)[0] == np.shape(tree)[1] > 1


# --------------------------------------------------------------------------- 3. constant factor
def _flat_pair(got: Any, expected: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Both trees as flat float vectors when they have the same structure and shapes."""
    got = normalise(got, expected)
    if isinstance(got, Verdict):
        return None
    if isinstance(expected, list):
        if len(got) != len(expected):
            return None
        pairs = [_flat_pair(g, e) for g, e in zip(got, expected)]
        if any(p is None for p in pairs) or not pairs:
            return None
        return np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])
    expected = np.asarray(expected)
    if expected.ndim == 0 and got.size == 1:
        got = got.reshape(())
    if got.shape != expected.shape:
        return None
    return got.astype(np.float64).ravel(), expected.astype(np.float64).ravel()


def constant_factor(got: Any, expected: Any, tol: Tolerance) -> float | None:
    """k when ``got == k * expected`` on every entry (within tolerance), else None."""
    pair = _flat_pair(got, expected)
    if pair is None:
        return None
    g, e = pair
    if not (np.isfinite(g).all() and np.isfinite(e).all()):
        return None
    significant = np.abs(e) > max(tol[1] * 100, 1e-12 * float(np.abs(e).max(initial=0.0)))
    if not significant.any():
        return None
    k = float(np.median(g[significant] / e[significant]))
    if not np.isfinite(k) or k == 0 or not _close(g, k * e, tol[0] * 10, tol[1] * 10).all():
        return None
    return k


def rows_of(args: tuple) -> int | None:
    """m, the number of examples of a case: the rows of its first 2-D argument."""
    for arg in args:
        if isinstance(arg, np.ndarray) and arg.ndim == 2:
            return arg.shape[0]
    for arg in args:  # the line fit: x and y are vectors of m points
        if isinstance(arg, np.ndarray) and arg.ndim == 1 and len(args) == 4:
            return arg.shape[0]
    return None


def units_of(args: tuple) -> int | None:
    """n, the number of output units (columns) of a case: the columns of its first 2-D argument."""
    for arg in args:
        if isinstance(arg, np.ndarray) and arg.ndim == 2:
            return arg.shape[1]
    return None


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b))


#: The constant factors the diagnosis may name, in the order tried: (id, its value on a case of
#: m examples and n output units (None: does not apply), how it reads ({} is what it multiplies),
#: its usual cause). A fixed,
#: small set of meaningful constants (issue 26): a factor outside it is ``factor:constant``, whose
#: value is never said, so what a diagnosis says about a result cannot encode a number the
#: student's code read from a hidden input ("No side channel through feedback", docs/design.md).
FACTORS: tuple[tuple[str, Callable[[int | None, int | None], float | None], str, str], ...] = (
    ("sign", lambda m, n: -1.0, "exactly -1 times {}",
     "a sign slip, e.g. (y - a) for (a - y), or a minus lost in the chain rule"),
    ("m", lambda m, n: float(m) if m and m > 1 else None, "m times {} (m = the number of examples)",
     "you summed over the examples where the course takes the mean; divide by m"),
    ("1/m", lambda m, n: 1.0 / m if m and m > 1 else None, "{} divided by m (the number of examples)",
     "a 1/m too many (delta^L is per example; only the loss, its gradient, dW and db carry the 1/m)"),
    # the 1/2 of a loss before a sum over the units: with n = 2 output units on every case the
    # two cannot be told apart, and the 1/2 is the course's own (the m = 2 confusion, for n)
    ("2", lambda m, n: 2.0, "twice {}",
     "the course's squared error has a 1/2, 1/2 (a - y)^2, which cancels the 2 of the derivative"),
    ("1/2", lambda m, n: 0.5, "half {}",
     "a factor 1/2 too many (it cancels against the 2 of a square's derivative)"),
    ("n", lambda m, n: float(n) if n and n > 1 else None, "n times {} (n = the number of output units, the columns)",
     "you summed over the units where the course takes a mean, or averaged the wrong axis"),
    ("1/n", lambda m, n: 1.0 / n if n and n > 1 else None, "{} divided by n (the number of output units, the columns)",
     "a per-example loss SUMS over the units; only the examples (rows) are averaged"),
)


def _factor_message(times: str, cause: str, what: str = "every failing result", of: str = "the expected one") -> str:
    """``times``: how the factor reads, ``{}`` standing for ``of``."""
    return f"{what} is {times.format(of)}: {cause}."


FACTOR_MESSAGES = {f"factor:{name}": _factor_message(times, cause) for name, _, times, cause in FACTORS}
# a sign slip together with another factor of the set: -m, -1/2, ...
FACTOR_MESSAGES.update({f"factor:-{name}": _factor_message("minus " + times.replace("exactly ", ""), f"two slips: {FACTORS[0][3]}; and {cause}")
                        for name, _, times, cause in FACTORS[1:]})
FACTOR_MESSAGES["factor:constant"] = ("every failing result is the expected one times the same constant: a constant "
                                      "factor is wrong somewhere (a 1/2, a 2, a 1/m, or a fixed value used instead of "
                                      "an argument).")


def _factor_ids(k: float, m: int | None, n: int | None = None) -> list[str]:
    """The ids of :data:`FACTORS` (with a sign: ``factor:-m``) that equal ``k`` on a case of m
    examples and n units, else ``factor:~<k>``: the same id on every failing case only when k is
    the same there; :func:`explain` says it as ``factor:constant``, whose value is never named."""
    ids = []
    for name, value, _, _ in FACTORS:
        v = value(m, n)
        if v is not None and _near(k, v):
            ids.append(f"factor:{name}")
        elif v is not None and name != "sign" and _near(k, -v):
            ids.append(f"factor:-{name}")
    return ids or [f"factor:~{k:.6g}"]


def factor_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    if failure.status != "ok" or failure.verdict is None or failure.verdict.kind != "value":
        return []
    k = constant_factor(failure.value, context["expected"](failure.case), tol)
    if k is None:
        return []
    found = [Explanation(i, FACTOR_MESSAGES.get(i, FACTOR_MESSAGES["factor:constant"]))
             for i in _factor_ids(k, rows_of(failure.case.args), units_of(failure.case.args))]
    return found + _argument_factors(question, failure, k)


#: Powers of a number argument (``c``, ``slope``) that a chain-rule slip multiplies a result by.
ARGUMENT_POWERS = ((1.0, "{} times the expected one"), (-1.0, "the expected one divided by {}"),
                   (2.0, "{}^2 times the expected one"), (-2.0, "the expected one divided by {}^2"))


def _argument_factors(question: Question, failure: Failure, k: float) -> list[Explanation]:
    """``factor-argument:<power>``: k is a power of a number argument of the case (c, c^2, 1/c,
    1/c^2 for pseudo-Huber's c), said by the argument's name, never by its value."""
    names = question.arguments
    values = dict(zip(names, failure.case.args))
    for name, default in question.defaults.items():
        values.setdefault(name, default)
    found = []
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) in (0.0, 1.0):
            continue
        for power, words in ARGUMENT_POWERS:
            if _near(k, float(value) ** power):
                said = words.format(f"`{name}`")
                found.append(Explanation(f"factor-argument:{name}^{power:g}", (
                    f"every failing result is {said}: a factor `{name}` too many or lost, typically in the chain "
                    f"rule through an inner function of r / {name} (its derivative brings one 1/{name}).")))
    return found


# --------------------------------------------------------------------------- 4. ignored argument
#: Fixed values a student may have written where an argument belongs (besides its default).
FIXED_VALUES = (1.0, 0.0, 2.0, 0.5, 0.1, 0.01)


def _stand_ins(name: str, value: Any, defaults: dict) -> Iterable[Any]:
    """Values an argument may have been replaced by in a student's code: its default or a
    fixed value of :data:`FIXED_VALUES` for a number, zeros for an array."""
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        for candidate in (defaults.get(name), *FIXED_VALUES):
            if isinstance(candidate, (float, int)) and candidate != value:
                yield int(candidate) if isinstance(value, int) and float(candidate).is_integer() else candidate
    elif isinstance(value, np.ndarray) and value.ndim >= 1 and value.any():
        yield np.zeros_like(value)


def ignored_argument_explanations(question: Question, failure: Failure, tol: Tolerance,
                                  context: dict) -> list[Explanation]:
    """``ignored-argument:<name>``: the result is the reference's with the argument replaced by
    a stand-in (:func:`_stand_ins`); and the slips of :func:`_argument_slips`."""
    if failure.status not in ("ok", "error") or failure.contract:
        return []
    found = []
    args = failure.case.args
    for index, (name, value) in enumerate(zip(question.arguments, args)):
        if failure.status != "ok":  # an exception: only a list walked wrongly can say why
            found += _argument_slips(question, failure, tol, {**context, "only": frozenset({f"list-argument:{name}"})
                                                              & (context.get("only") or {f"list-argument:{name}"})},
                                     index, name, value)
            continue
        if _wanted(f"ignored-argument:{name}", context):
            for stand_in in _stand_ins(name, value, dict(question.defaults)):
                if _matches_variant(question.reference, args[:index] + (stand_in,) + args[index + 1:],
                                    failure.value, tol):
                    found.append(Explanation(f"ignored-argument:{name}", (
                        f"your result does not change when `{name}` does: use the argument `{name}` instead of a "
                        "fixed value (the hidden cases pass other values)." if not isinstance(value, np.ndarray) else
                        f"your result does not depend on `{name}`: it is left out of the computation.")))
                    break
        found += _argument_slips(question, failure, tol, context, index, name, value)
    return found


def _list_stand_ins(value: Any) -> Iterable[tuple[str, Any]]:
    """Stand-ins of an argument that is a list of layers (tuples of arrays): the list reversed,
    every bias zero, each array of it replaced by zeros (``[0][1]``: the first item's second array)."""
    if not isinstance(value, (list, tuple)) or not value:
        return
    if len(value) > 1:
        yield "in reverse order", type(value)(value[::-1])
    if all(isinstance(item, (list, tuple)) and len(item) == 2 and np.ndim(item[1]) == 1 for item in value):
        yield "with every b all zeros (the biases left out)", type(value)(
            [type(item)((item[0], np.zeros_like(item[1]))) for item in value])
    for i, item in enumerate(value):
        if isinstance(item, (list, tuple)):
            for j, array in enumerate(item):
                if isinstance(array, np.ndarray) and array.any():
                    changed = list(item)
                    changed[j] = np.zeros_like(array)
                    yield f"with its item [{i}][{j}] all zeros (left out)", type(value)(
                        [*value[:i], type(item)(changed), *value[i + 1:]])


def _argument_slips(question: Question, failure: Failure, tol: Tolerance, context: dict, index: int, name: str,
                    value: Any) -> list[Explanation]:
    """The result is the reference's for the case's arguments with one changed as a slip changes
    it: ``off-by-one:<name>``, an int one larger or smaller; ``scaled-argument:<name>``, a number
    m times larger; ``list-argument:<name>``, a list of layers reversed or with one array left
    out (:func:`_list_stand_ins`); ``argument-in-place:<name>``, another argument of the same shape."""
    args, found = failure.case.args, []
    if isinstance(value, int) and not isinstance(value, bool) and _wanted(f"off-by-one:{name}", context):
        for step in (1, -1):
            if _matches_variant(question.reference, args[:index] + (value + step,) + args[index + 1:],
                                failure.value, tol):
                found.append(Explanation(f"off-by-one:{name}", (
                    f"your result is the one asked for `{name}` {'+' if step > 0 else '-'} 1: an off-by-one in how "
                    f"`{name}` is used (a count starting at 0 or 1, a range that stops one early or late).")))
                break
    m = rows_of(args)
    if (isinstance(value, float) and m and m > 1 and _wanted(f"scaled-argument:{name}", context)
            and _matches_variant(question.reference, args[:index] + (value * m,) + args[index + 1:], failure.value,
                                 tol)):
        found.append(Explanation(f"scaled-argument:{name}", (
            f"your result is the one asked for `{name}` m times larger (m = the number of examples): a sum where "
            "the course takes the mean (a 1/m lost) scales everything it multiplies.")))
    if _wanted(f"list-argument:{name}", context):
        for how, stand_in in _list_stand_ins(value):
            if _variant_holds(question.reference, args[:index] + (stand_in,) + args[index + 1:], failure, tol):
                found.append(Explanation(f"list-argument:{name}", (
                    f"your result is the one asked for `{name}` {how}: check how your code walks through `{name}` "
                    "(which item goes with which, and that every array of it is used).")))
                break
    if (isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.any()
            and _wanted(f"negated-argument:{name}", context)
            and _matches_variant(question.reference, args[:index] + (-value,) + args[index + 1:], failure.value, tol)):
        found.append(Explanation(f"negated-argument:{name}", (
            f"your result is the one asked for `-{name}`: a sign slip where `{name}` is used (a comparison the wrong "
            "way round, argmin for argmax, a subtraction in the wrong order).")))
    if isinstance(value, np.ndarray) and _wanted(f"argument-in-place:{name}", context):
        for other, (other_name, other_value) in enumerate(zip(question.arguments, args)):
            if (other != index and isinstance(other_value, np.ndarray) and other_value.shape == value.shape
                    and not np.array_equal(other_value, value)
                    and _matches_variant(question.reference, args[:index] + (other_value,) + args[index + 1:],
                                         failure.value, tol)):
                found.append(Explanation(f"argument-in-place:{name}", (
                    f"your result is the one asked with `{other_name}` in place of `{name}`: `{name}` is not used "
                    "where it belongs (a copy-paste slip?).")))
                break
    return found


def _matches_variant(fn: Callable, args: tuple, got: Any, tol: Tolerance) -> bool:
    try:
        with np.errstate(all="ignore"):
            wrong = as_tree(fn(*args))
    except Exception:  # a variant may not apply to these inputs
        return False
    return matches(got, wrong, *tol)


def _variant_holds(fn: Callable, args: tuple, failure: Failure, tol: Tolerance) -> bool:
    """The failure is what ``fn(*args)`` does: the same value, or the same built-in exception."""
    if failure.status == "ok":
        return _matches_variant(fn, args, failure.value, tol)
    if failure.status != "error" or failure.contract:
        return False
    try:
        with np.errstate(all="ignore"):
            fn(*args)
    except Exception as error:  # noqa: BLE001 - the variant raising as the student's code did
        return _builtin_class(error) == failure.error_type
    return False


# --------------------------------------------------------------------------- 5. registered mistakes
def _builtin_class(error: BaseException) -> str:
    import builtins

    for cls in type(error).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return "Exception"


def mistake_holds(mistake: Mistake, failure: Failure, tol: Tolerance, lenient: bool = False) -> bool:
    """The student's result is the mistake's on this case: the same value (nan matching
    nan), or the same kind of exception where the mistake raises too (a matmul that does
    not conform, say). ``lenient``: also when the values agree wherever the student's are
    finite (the same mistake in a form that overflows). A case that failed only by a contract
    (its first value right) is the mistake's when the mistake breaks that contract too
    (``Mistake.contract``) and its value there is the student's."""
    if failure.contract and failure.contract != mistake.contract:
        return False
    try:
        with np.errstate(all="ignore"):
            wrong = as_tree(mistake.fn(*failure.case.args))
    except Exception as error:
        return failure.status == "error" and failure.error_type == _builtin_class(error)
    if failure.status != "ok":
        return False
    return matches(failure.value, wrong, *tol) or (lenient and _matches_where_finite(failure.value, wrong, tol))


def _matches_where_finite(got: Any, wrong: Any, tol: Tolerance) -> bool:
    """The same mistake written in a form that overflows: equal wherever the student's result
    is finite, nan or inf elsewhere."""
    pair = _flat_pair(got, wrong)
    if pair is None:
        return False
    g, w = pair
    finite = np.isfinite(g)
    return bool(finite.any() and not finite.all() and _close(g[finite], w[finite], *tol).all())


def registered_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    lenient = context.get("lenient", False)
    return [Explanation(m.name, m.message) for m in question.mistakes
            if _wanted(m.name, context) and mistake_holds(m, failure, tol, lenient)]


def _wanted(explanation_id: str, context: dict) -> bool:
    """Whether a detector still needs to try this explanation: :func:`_common` passes the ids
    that held on every earlier failure as ``context["only"]`` (each costs a run of a variant,
    dear on the case with many parameters, which comes last)."""
    only = context.get("only")
    return only is None or explanation_id in only



def output_names(question: Question, count: int) -> list[str]:
    """The names of a result's ``count`` outputs: the question's (``Question.wrt``, whose first
    names name a smaller result's: backprop's of two layers has dW1, db1, dW2, db2), else
    ``item 1``, ``item 2``, ... in the order returned."""
    if question.wrt and count <= len(question.wrt):
        return [name for name, _ in question.wrt[:count]]
    return [f"item {k + 1}" for k in range(count)]


def output_status(got: Any, expected: Any, tol: Tolerance, m: int | None, n: int | None) -> str:
    """What is known of one output: ``right``, a factor of :data:`FACTORS` (``m``, ``-1/2``,
    ``sign``), ``transposed``, or ``wrong``."""
    if matches(got, expected, *tol):
        return "right"
    if np.ndim(got) == np.ndim(expected) == 2 and np.shape(got) == np.shape(expected)[::-1] != np.shape(expected):
        return "transposed" if matches(np.transpose(got), expected, *tol) else "wrong"
    k = constant_factor(got, expected, tol)
    if k is not None:
        factor = _factor_ids(k, m, n)[0]
        if not factor.startswith("factor:~"):
            return factor[len("factor:"):]
    if _transposed_match(got, expected, tol):
        return "transposed"
    return "wrong"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _output_phrase(name: str, status: str) -> str:
    """``dW2 is the expected one divided by m (its cause)``, from an :func:`output_status`."""
    if status == "transposed":
        return f"{name} is the transpose of the expected one (W has shape (n_out, n_in))"
    negative = status.startswith("-")
    entry = next((e for e in FACTORS if e[0] == status.removeprefix("-")), None)
    if entry is None:
        return f"{name} is wrong"
    _, _, times, cause = entry
    if negative:
        times, cause = "minus " + times, f"{FACTORS[0][3]}, and {cause}"
    return f"{name} is {times.format('the expected one')} ({cause})"


def outputs_explanations(question: Question, failure: Failure, tol: Tolerance,
                         context: dict) -> list[Explanation]:
    """A result of several outputs (the gradients of ``Question.wrt``, a list of layers, a tuple)
    of which some are right: which are wrong and, for each, a factor of :data:`FACTORS` or a
    transpose when one holds. ``one-gradient:<name>`` when one output alone is wrong with nothing
    more to say (the names are the question's, never the result's); ``outputs:<what>`` otherwise.
    Each case also supports the coarser statement (which are wrong, without the factors), so that
    a factor that holds on some failing cases only still leaves which outputs are wrong."""
    if failure.status != "ok" or failure.verdict is None or failure.verdict.kind not in ("value", "shape"):
        return []
    got, expected = leaves(failure.value), leaves(context["expected"](failure.case))
    if len(got) != len(expected) or len(expected) < 2:
        return []  # one output: "the others are right" would say nothing
    m, n = rows_of(failure.case.args), units_of(failure.case.args)
    names = output_names(question, len(expected))
    statuses = [output_status(g, e, tol, m, n) for g, e in zip(got, expected)]
    wrong = [(name, status) for name, status in zip(names, statuses) if status != "right"]
    right = [name for name, status in zip(names, statuses) if status == "right"]
    if not wrong or (not right and all(status == "wrong" for _, status in wrong)):
        return []  # nothing known beyond "the values differ"
    found = []
    if any(status != "wrong" for _, status in wrong):
        found.append(_outputs_explanation(question, wrong, right))
    if right:
        found.append(_outputs_explanation(question, [(name, "wrong") for name, _ in wrong], right))
    return found + _layer_claims(failure.value, context["expected"](failure.case), tol)


def _layer_claims(got: Any, expected: Any, tol: Tolerance) -> list[Explanation]:
    """For a result with one item per layer (a list of (W, b) or (dW, db)) whose depth varies
    from case to case: the last layer right and every earlier one wrong (``layers:earlier``),
    or the first layer alone wrong (``layers:first``)."""
    if not (isinstance(expected, list) and len(expected) >= 2 and all(isinstance(e, list) for e in expected)
            and isinstance(got, list) and len(got) == len(expected)):
        return []
    right = [matches(g, e, *tol) for g, e in zip(got, expected)]
    if right[-1] and not any(right[:-1]):
        return [Explanation("layers:earlier", "on every failing case the last layer's results are right and every "
                            "earlier layer's are wrong: what goes wrong happens while going back through the "
                            "layers (the delta sent back through W, the activation's derivative of a hidden layer).")]
    if not right[0] and all(right[1:]):
        return [Explanation("layers:first", "on every failing case the first layer's results are wrong and every "
                            "later layer's are right: look at what only the first layer uses (the input X).")]
    return []


def _outputs_explanation(question: Question, wrong: list[tuple[str, str]], right: list[str]) -> Explanation:
    gradients = bool(question.wrt)
    if len(wrong) == 1 and wrong[0][1] == "wrong":
        name = wrong[0][0]
        return Explanation(f"one-gradient:{name}" if gradients else f"outputs:{name} wrong", (
            f"{name} is wrong and the other {'gradients' if gradients else 'outputs'} are right: follow the chain "
            f"for {name} factor by factor, and compare it with your numerical gradient (check_gradients)."
            if gradients else f"{name} of your result is wrong and the others are right."))
    said = "; ".join(_output_phrase(name, status) for name, status in wrong)
    also = f"; {_listed(right)} {'is' if len(right) == 1 else 'are'} right" if right else ""
    advice = (": follow the chain for each wrong one factor by factor, and compare it with your numerical gradient "
              "(check_gradients)." if gradients and any(status == "wrong" for _, status in wrong) else ".")
    detail = ", ".join(f"{name} {status}" for name, status in wrong)
    return Explanation(f"outputs:{detail}", f"on every failing case {said}{also}{advice}")


# --------------------------------------------------------------------------- 6. parts of one result
def _regions(question: Question, args: tuple, expected: np.ndarray) -> list[list[tuple[str, np.ndarray]]]:
    """The ways a formula splits one array result into parts it treats apart, each a list of
    (where, mask): for an elementwise function of ``z`` (its first argument, of the result's
    shape), z > 0, z < 0 and z = 0; for a result beside 0/1 targets ``Y`` of its shape, y = 1 and
    y = 0 (the two terms of a cross-entropy); beside a threshold ``c`` on the residual
    r = first argument - ``Y``, |r| <= c and |r| > c (the two pieces of a Huber loss); for a square
    matrix, its diagonal and the rest."""
    families = []
    names = question.arguments
    z = args[0] if args else None
    if names[:1] in (("z",), ("Z",)) and isinstance(z, np.ndarray) and z.shape == expected.shape \
            and z.dtype.kind == "f":
        families.append([("where z > 0", z > 0), ("where z < 0", z < 0), ("at z = 0", z == 0)])
    y = args[names.index("Y")] if "Y" in names and len(args) > names.index("Y") else None
    if isinstance(y, np.ndarray) and y.shape == expected.shape and np.isin(y, (0.0, 1.0)).all():
        families.append([("where y = 1", y == 1), ("where y = 0", y == 0)])
    c = (args[names.index("c")] if len(args) > names.index("c") else question.defaults.get("c")) if "c" in names else None
    if isinstance(y, np.ndarray) and isinstance(args[0], np.ndarray) and args[0].shape == y.shape == expected.shape \
            and isinstance(c, (float, int)):
        r, a = args[0] - y, names[0]
        families.append([(f"where |{a} - Y| <= c", np.abs(r) <= c), (f"where {a} - Y > c", r > c),
                         (f"where {a} - Y < -c", r < -c)])
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1]:
        diagonal = np.eye(expected.shape[0], dtype=bool)
        families.append([("on the diagonal", diagonal), ("off the diagonal", ~diagonal)])
    return families


def region_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    """One array result that is right on some of its parts (:func:`_regions`) and wrong on the
    others: ``region:wrong <where>`` (and ``region:<factor> <where>`` when the wrong part is a
    factor of :data:`FACTORS` times the expected one). Each union of parts that holds the wrong
    entries is a candidate, so that a part a case does not have (no z = 0) does not matter."""
    if failure.status != "ok" or failure.verdict is None or failure.verdict.kind != "value":
        return []
    expected = context["expected"](failure.case)
    pair = _flat_pair(failure.value, expected)
    if pair is None or isinstance(expected, list):
        return []
    got, want = pair
    wrong = ~_close(got, want, *tol)
    found = []
    for family in _regions(question, failure.case.args, np.asarray(expected)):
        found += _region_claims(family, got, want, wrong, failure, tol)
    return found


def _region_claims(regions: list[tuple[str, np.ndarray]], got: np.ndarray, want: np.ndarray, wrong: np.ndarray,
                   failure: Failure, tol: Tolerance) -> list[Explanation]:
    """The claims of :func:`region_explanations` for one way of splitting the result."""
    masks = [(where, mask.ravel()) for where, mask in regions]
    m, n = rows_of(failure.case.args), units_of(failure.case.args)
    found = []
    for size in range(1, len(masks)):
        for chosen in _subsets(masks, size):
            inside = np.any([mask for _, mask in chosen], axis=0)
            where = _region_names([name for name, _ in chosen])
            if not inside.any() and wrong.any():  # a part this case lacks (a 1 x 1 matrix has no off-diagonal):
                found += [Explanation(f"region:{factor} {where}, wrong elsewhere", "")  # any factor holds there
                          for factor in _FACTOR_NAMES]
                continue
            if not wrong[inside].any():  # right there: so is any factor under which it stays right (values ~ 0)
                if wrong[~inside].any():
                    found += [Explanation(f"region:{name} {where}, wrong elsewhere", "")
                              for name, value in _factor_values(m, n)
                              if _close(got[inside], value * want[inside], *tol).all()]
                continue
            k = constant_factor(got[inside], want[inside], tol)
            factor = _factor_ids(k, m, n)[0].removeprefix("factor:") if k else "~"
            factor = "constant" if factor.startswith("~") else factor
            if wrong[~inside].any():  # wrong elsewhere too: said only when this part is a named factor
                if factor != "constant":
                    found.append(Explanation(f"region:{factor} {where}, wrong elsewhere", (
                        f"on every failing case, {where} your result is {_factor_words(factor)}, and it is wrong "
                        "elsewhere too: look at the formula for each part.")))
                continue
            # a case with no entry outside (all zeros, one class) supports it: the others are right there
            outside = [name for name, mask in masks if not any(mask is c for _, c in chosen)]
            if outside == ["at z = 0"]:
                continue  # right at z = 0 alone (where most formulas agree) says nothing about the formula
            right = "right " + _region_names(outside)
            if factor != "constant":
                found.append(Explanation(f"region:{factor} {where}", (
                    f"on every failing case your result is {right}, and {where} it is {_factor_words(factor)}: "
                    "look at the formula for those entries.")))
            found.append(Explanation(f"region:wrong {where}", (
                f"on every failing case your result is {right} and wrong {where}: the formula for those "
                "entries differs from the notebook's (compare them one by one on a visible case).")))
    return found


#: Every factor id of :data:`FACTORS` without its ``factor:`` (``m``, ``-m``, ``sign``, ...).
_FACTOR_NAMES = tuple(name for name, *_ in FACTORS) + tuple(f"-{name}" for name, *_ in FACTORS[1:])


def _factor_values(m: int | None, n: int | None) -> list[tuple[str, float]]:
    """Each factor of :data:`FACTORS` that applies to a case of m examples and n units, with its value."""
    values = []
    for name, value, _, _ in FACTORS:
        v = value(m, n)
        if v is not None:
            values.append((name, v))
            if name != "sign":
                values.append((f"-{name}", -v))
    return values


def _region_names(names: list[str]) -> str:
    """``where z <= 0`` for the parts z < 0 and z = 0 together; else the parts joined by "and"."""
    merged = {("where z < 0", "at z = 0"): "where z <= 0", ("where z > 0", "at z = 0"): "where z >= 0",
              ("where z > 0", "where z < 0"): "where z != 0"}
    if len(names) == 2 and names[0].endswith(" - Y > c") and names[1].endswith(" - Y < -c"):
        return f"where |{names[0][len('where '):-len(' - Y > c')]} - Y| > c"
    return merged.get(tuple(names), " and ".join(names))


def _factor_words(factor: str) -> str:
    """How a factor id of :data:`FACTORS` (``m``, ``-1/2``) reads, with its usual cause."""
    return _output_phrase("", factor).removeprefix(" is ")


def _subsets(items: list, size: int) -> Iterable[list]:
    from itertools import combinations

    return (list(chosen) for chosen in combinations(items, size))


# --------------------------------------------------------------------------- 7. a relative of the answer
def sibling_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    """``same-as:<function>``: the result is what another graded function of the course returns
    on the same arguments (the first of them, when it takes fewer): tanh's derivative for the
    sigmoid's, the function for its derivative, bce for cce, one network's gradients for another's."""
    if failure.status != "ok" or question.judge is not None or question.adapter:
        return []
    from autograder.questions import QUESTIONS

    found = []
    for other in QUESTIONS.values():
        arity = len(other.arguments)
        if (other.id == question.id or other.judge is not None or other.adapter or not arity
                or question.arguments[:arity] != other.arguments or len(failure.case.args) < arity
                or not _wanted(f"same-as:{other.function}", context)):
            continue
        if _matches_variant(other.reference, failure.case.args[:arity], failure.value, tol):
            found.append(Explanation(f"same-as:{other.function}", (
                f"your result is what `{other.function}` returns for the same arguments: `{question.function}` "
                f"computes something else; compare the two definitions in the notebook.")))
    return found


# --------------------------------------------------------------------------- 8. a constant added
#: (a, b) of got = a * expected + b that the diagnosis may name: a constant term too many or lost,
#: a sign slip on part of a sum (2 - e = -(e) + 2), an affine map forgotten ((e + 1) / 2).
AFFINE = ((1.0, 1.0), (1.0, -1.0), (-1.0, 2.0), (-1.0, 1.0), (0.5, 0.5), (2.0, -1.0), (1.0, 0.5), (1.0, -0.5))


def _affine_words(a: float, b: float) -> str:
    scaled = {1.0: "the expected one", -1.0: "minus the expected one", 0.5: "half the expected one",
              2.0: "twice the expected one"}[a]
    return f"{scaled} {'plus' if b > 0 else 'minus'} {abs(b):g}"


def affine_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    """``affine:<a>,<b>``: got = a * expected + b on every entry, (a, b) one of :data:`AFFINE`."""
    if failure.status != "ok" or failure.verdict is None or failure.verdict.kind != "value":
        return []
    pair = _flat_pair(failure.value, context["expected"](failure.case))
    if pair is None:
        return []
    got, want = pair
    if not (np.isfinite(got).all() and np.isfinite(want).all()):
        return []
    return [Explanation(f"affine:{a:g},{b:g}", (
        f"on every failing case each entry of your result is {_affine_words(a, b)}: a constant term is "
        "added, lost, or has the wrong sign (e.g. 1 + x where 1 - x is meant, a count starting at 1, or a map to "
        "another range left out)."))
        for a, b in AFFINE if _close(got, a * want + b, *tol).all()]


# --------------------------------------------------------------------------- 8b. a derivative written in its function
def _primal(question: Question) -> Question | None:
    """The graded function a derivative question is the derivative of (``sigmoid`` for
    ``sigmoid_prime``), when it takes the same first argument."""
    from autograder.questions import QUESTIONS

    if not question.function.endswith("_prime") or question.adapter or question.judge is not None:
        return None
    primal = next((q for q in QUESTIONS.values() if q.function == question.function.removesuffix("_prime")), None)
    if primal is None or primal.arguments[:1] != question.arguments[:1]:
        return None
    return primal


def _polynomial_words(coefficients: tuple[float, ...]) -> str:
    """``1 - a^2``, ``a + a^2``, ``a^2``: the polynomial in a with these coefficients (constant first)."""
    terms = []
    for power, c in enumerate(coefficients):
        if c == 0:
            continue
        monomial = {0: "", 1: "a", 2: "a^2"}[power]
        size = f"{abs(c):g}" if abs(c) != 1 or not monomial else ""
        sign = "-" if c < 0 else "+"
        terms.append((sign, f"{size}{'*' if size and monomial else ''}{monomial}"))
    if not terms:
        return "0"
    text = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    return text + "".join(f" {sign} {term}" for sign, term in terms[1:])


def primal_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    """``in-function:<c0>,<c1>,<c2>``: a derivative (``sigmoid_prime``) whose result is, on every
    entry, a polynomial of degree 2 or less with half-integer coefficients in a = the function itself
    at the same z (``sigmoid(z)``): the derivative written in a, but another expression of it than
    the function's own (``a(1 + a)``, the sigmoid's ``a(1 - a)`` used for tanh). Found by least
    squares on the failing case's entries, then checked entry by entry at the question's tolerance."""
    primal = _primal(question)
    if primal is None or failure.status != "ok" or failure.verdict is None or failure.verdict.kind != "value":
        return []
    z = failure.case.args[0]
    try:
        with np.errstate(all="ignore"):
            a = np.asarray(primal.reference(z), dtype=np.float64).ravel()
        got = np.asarray(failure.value, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return []
    if got.shape != a.shape or not (np.isfinite(got).all() and np.isfinite(a).all()):
        return []
    basis = np.stack([np.ones_like(a), a, a * a], axis=1)
    if len(np.unique(np.round(a, 3))) >= 4:  # values far enough apart determine the polynomial: fit it
        fitted = np.round(np.linalg.lstsq(basis, got, rcond=None)[0] * 2) / 2
        candidates = [tuple(float(c) + 0.0 for c in fitted)]  # + 0.0: no -0 in the id
        full = True
    else:  # a case of few values (all zeros) only checks: every small polynomial through them, no words
        candidates, full = list(_SMALL_POLYNOMIALS), False
    found = []
    for coefficients in candidates:
        key = f"in-function:{','.join(f'{c:g}' for c in coefficients)}"
        if not _wanted(key, context) or not _close(got, basis @ np.array(coefficients), *tol).all():
            continue
        poly = _polynomial_words(coefficients)
        found.append(Explanation(key, "" if not full else (
            f"on every failing case each entry of your result is {poly} with a = {primal.function}(z): that is "
            f"{primal.function}'s value put into a formula, but not the right one. Differentiate "
            f"{primal.function} from its definition, then write the result in terms of a = {primal.function}(z).")))
    return found


#: The polynomials (c0, c1, c2) with half-integer coefficients in [-2, 2] that a case of few values checks.
_SMALL_POLYNOMIALS = tuple((c0, c1, c2) for c0 in np.arange(-2, 2.5, 0.5).tolist()
                           for c1 in np.arange(-2, 2.5, 0.5).tolist() for c2 in np.arange(-2, 2.5, 0.5).tolist())


# --------------------------------------------------------------------------- 9. normalised over the wrong axis
def normalisation_explanations(question: Question, failure: Failure, tol: Tolerance,
                               context: dict) -> list[Explanation]:
    """A result of probabilities (the expected one sums to 1 along one axis of a 2-D array)
    whose entries sum to 1 along the other axis, or over the whole array, instead:
    ``normalised:other-axis`` / ``normalised:whole-array``."""
    if failure.status != "ok" or failure.verdict is None or failure.verdict.kind != "value":
        return []
    expected = context["expected"](failure.case)
    pair = _flat_pair(failure.value, expected)
    if pair is None or isinstance(expected, list) or np.ndim(expected) != 2 or np.size(expected) < 2:
        return []
    want, got = np.asarray(expected, dtype=np.float64), pair[0].reshape(np.shape(expected))
    ones = lambda a, axis: bool(np.isfinite(a).all() and np.allclose(a.sum(axis=axis), 1.0, rtol=1e-9, atol=1e-9))  # noqa: E731
    for axis, unit in ((1, "row"), (0, "column")):
        if not ones(want, axis) or ones(got, axis):
            continue
        other = "column" if unit == "row" else "row"
        if ones(got, 1 - axis):
            return [Explanation("normalised:other-axis", (
                f"each {other} of your result sums to 1 where each {unit} should: the normalisation (the sum you "
                f"divide by, and the max you subtract) runs over the wrong axis; one {unit} is one "
                f"{'example' if unit == 'row' else 'example in the column form'}."))]
        if np.isclose(got.sum(), 1.0, rtol=1e-9, atol=1e-9):
            return [Explanation("normalised:whole-array", (
                f"your whole result sums to 1 where each {unit} should: normalise each {unit} by its own sum "
                "(axis and keepdims), not by the sum of the whole array."))]
    return []


def default_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    """The case left an optional argument at its default (and, to hold everywhere, only
    such cases failed: with the argument passed, the result is right)."""
    if failure.status != "ok":
        return []
    return [Explanation(f"default:{name}", f"only the calls that leave `{name}` at its default failed: the "
                        f"default is {question.defaults[name]!r}, as the notebook's signature states.")
            for name in question.arguments[len(failure.case.args):] if name in question.defaults]


#: The general detectors, in order; a registered mistake that holds everywhere wins over all of them.
#: Those of :data:`RELATIONS` come after a kind of case that alone failed (:func:`case_kinds`): on
#: the only failing case, all zeros say, "what sigmoid returns" is true and says nothing.
GENERAL_DETECTORS = (contract_explanations, shape_explanations, default_explanations, factor_explanations,
                     ignored_argument_explanations)
RELATIONS = (sibling_explanations, outputs_explanations, affine_explanations, primal_explanations,
             normalisation_explanations, region_explanations)


def explain(question: Question, failures: list[Failure], tol: Tolerance, expected: Callable[[Case], Any],
            passed: Iterable[Case] = (), public_error: str | None = None) -> Explanation | None:
    """The explanation that holds on every failing case, or None.

    A registered mistake wins over a general detector; among general detectors the order of
    :data:`GENERAL_DETECTORS` decides; then a kind of case that alone failed
    (:func:`case_kinds`); then the relations of :data:`RELATIONS`, in order.

    Parameters
    ----------
    failures : the failed cases of one question for one student
    tol : (rtol, atol) of the question
    expected : the expected result of a case (a tree), computed in the grader
    passed : the cases that passed
    public_error : the exception text of a run of the function on a public case, if it raised
    """
    if not failures:
        return None
    passed = list(passed)
    context = {"expected": expected, "public_error": classify_public_error(public_error)}
    # every value right, a contract broken: that contract is all that is known (a mistake that also
    # breaks it, "x never restored", would give wrong values elsewhere, and those were right)
    contract_only = all(f.contract for f in failures)
    registered = not contract_only and (
        _common(registered_explanations, question, failures, tol, context)
        or _common(registered_explanations, question, failures, tol, {**context, "lenient": True}))
    registered = [e for e in registered or [] if _right_where_passed(question, e.id, passed, tol, expected)]
    if registered:
        return registered[0]
    for detector in GENERAL_DETECTORS:
        common = _common(detector, question, failures, tol, context)
        if common:
            chosen = common[0]
            return Explanation("factor:constant", chosen.message) if chosen.id.startswith("factor:~") else chosen
    kind = case_kinds([f.case.label for f in failures], [c.label for c in passed])
    if kind is not None:
        return kind
    for detector in RELATIONS:
        common = _common(detector, question, failures, tol, context)
        if common:
            return common[0]
    return None


def _right_where_passed(question: Question, name: str, passed: list[Case], tol: Tolerance,
                        expected: Callable[[Case], Any]) -> bool:
    """Whether the registered mistake ``name`` gives the expected result on every case the student
    passed. A mistake that explains every failing case but would have failed a case the student
    passed is another mistake (the blind corpus's dropout without the division by keep_prob, which
    passes the test-time cases, is not "scaled at test time instead of training", which fails
    them); naming it would be misnaming. Each passed case is compared at its own atol when it has
    one (a probed case), else at the question's."""
    mistake = next(m for m in question.mistakes if m.name == name)
    for case in passed:
        case_tol = tol if case.atol is None else (tol[0], case.atol)
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wrong = as_tree(mistake.fn(*case.args))
        except Exception:  # noqa: BLE001 - the mistake raises where the student's code worked
            return False
        if not matches(wrong, expected(case), *case_tol):
            return False
    return True


def _common(detector, question: Question, failures: list[Failure], tol: Tolerance, context: dict) -> list[Explanation]:
    """The explanations of ``detector`` that hold on every failure, in the first failure's order.
    An explanation that holds on a case only vacuously (a part of the result the case lacks) has
    no message there: its words come from a failure where it holds in full."""
    first = detector(question, failures[0], tol, context)
    ids = {e.id for e in first}
    messages = {e.id: e.message for e in first if e.message}
    for failure in failures[1:]:
        if not ids:
            break
        found = detector(question, failure, tol, {**context, "only": frozenset(ids)})
        ids &= {e.id for e in found}
        for e in found:
            if e.message:
                messages.setdefault(e.id, e.message)
    return [Explanation(e.id, messages[e.id]) for e in first if e.id in ids and e.id in messages]


# --------------------------------------------------------------------------- which kinds of case failed
CASE_KINDS = (  # (kind, fragments of case labels, what to try)
    # (right everywhere else and stopped at the time limit there: a numerical gradient, which earns nothing on the
    # item and is told so by grading/derived.py; this is every other way of failing that case alone)
    ("many-parameters", (LARGE_CASE_LABEL,),
     "only the case with many parameters failed (it weighs as much as all the others together): something in your "
     "code does not hold for a large network, such as a size fixed in it or an intermediate array far larger than "
     "the result (memory); run your function on larger inputs of your own and compare it with your numerical "
     "gradient there."),
    ("overflow", ("large", "thousands", "saturated"),
     "only the cases with large values failed: an exp that overflows or a difference of huge numbers; use the "
     "stable form that never takes exp of a large positive number (the notebook's stability requirement; for a "
     "softmax, recall what adding a constant to a row does)."),
    ("clipping", ("0 and 1",),
     "only the predictions at or near 0 and 1 failed: clip the predictions to [1e-12, 1 - 1e-12] (exactly that "
     "epsilon) before a log or a division, in the loss and in its gradient."),
    ("rule-at-zero", ("zeros", "ties", "exactly"),
     "only the cases with exact zeros or ties failed: check the rule at 0 (z > 0 or z >= 0, as the notebook "
     "states) and which entry wins a tie (the first, as the notebook states)."),
    ("one-layer", ("one layer",),
     "only the network of one layer failed: with one layer there is no hidden layer, and that layer is the output "
     "layer. Loop over the layers given (one per consecutive pair of sizes, one per (W, b) pair), the last one the "
     "output layer, without assuming a first hidden layer or a fixed number of layers."),
    ("single-example", ("m = 1", "one class"),
     "only the case with a single example (or class, or layer) failed: an axis or squeeze problem; keep 2-D "
     "arrays and reduce over the right axis (axis=0 over examples, axis=1 over units)."),
    ("vector-input", ("1-D",),
     "only the 1-D input failed: the function must work for arrays of any shape; do not assume two axes."),
    ("argument", ("another", "learning rate", "epochs"),
     "only the cases with another value of an argument failed: use the argument as given (c, slope, the "
     "learning rate, the number of epochs), not a fixed value."),
    ("size", ("deep", "several", "lecture"),
     "only the larger case failed: a size or a number of layers fixed in your code where it should follow the "
     "input."),
)


def kind_of(label: str) -> tuple[str, str]:
    """The kind of a case label and what to try when only such cases fail."""
    for kind, fragments, advice in CASE_KINDS:
        if any(fragment in label for fragment in fragments):
            return kind, advice
    return "random", ""


def case_kinds(failed: list[str], passed: list[str]) -> Explanation | None:
    """``case-kind:<kind>`` when every failed case is of one kind and other cases passed."""
    kinds = {kind_of(label) for label in failed}
    if len(kinds) != 1 or not passed:
        return None
    kind, advice = kinds.pop()
    return Explanation(f"case-kind:{kind}", advice) if kind != "random" else None


def summary(failed: list[str]) -> str:
    """What to try when no explanation holds on every failing case (never only "values differ")."""
    kinds = [kind_of(label) for label in failed]
    if any(kind == "random" for kind, _ in kinds):  # random cases, or edge cases of no special kind
        advice = ["cases with nothing special about them fail too, so the formula itself differs from the "
                  "notebook's: run the visible checks (check(...)), which print the inputs, "
                  "the expected result and yours, and compare them step by step."]
    else:
        advice = list(dict.fromkeys(text for _, text in kinds))
    return "No single explanation fits every failing case. " + " ".join(
        text[0].upper() + text[1:] for text in advice)
