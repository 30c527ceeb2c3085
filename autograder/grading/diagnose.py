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


FACTOR_MESSAGES = {
    "factor:sign": "every failing result is exactly -1 times the expected one: a sign slip, e.g. (y - a) for "
                   "(a - y), or a minus lost in the chain rule.",
    "factor:m": "every failing result is m times the expected one (m = the number of examples): you summed over "
                "the examples where the course takes the mean; divide by m.",
    "factor:1/m": "every failing result is the expected one divided by m (the number of examples): a 1/m too many "
                  "(delta^L is per example; only the loss, its gradient, dW and db carry the 1/m).",
    "factor:n": "every failing result is n times the expected one (n = the number of output units, the "
                "columns): you summed over the units where the course takes a mean, or averaged the wrong axis.",
    "factor:1/n": "every failing result is the expected one divided by n (the number of output units, the "
                  "columns): a per-example loss SUMS over the units; only the examples (rows) are averaged.",
    "factor:2": "every failing result is twice the expected one: the course's squared error has a 1/2, "
                "1/2 (a - y)^2, which cancels the 2 of the derivative.",
    "factor:1/2": "every failing result is half the expected one: a factor 1/2 too many (it cancels against the "
                  "2 of a square's derivative).",
    "factor:constant": "every failing result is the expected one times the same constant: a constant factor is "
                       "wrong somewhere (a 1/2, a 2, a 1/m, or a fixed value used instead of an argument).",
}


def _factor_ids(k: float, m: int | None, n: int | None = None) -> list[str]:
    ids = []
    if _near(k, -1.0):
        ids.append("factor:sign")
    if m and m > 1 and _near(k, m):
        ids.append("factor:m")
    if m and m > 1 and _near(k, 1.0 / m):
        ids.append("factor:1/m")
    # the 1/2 of a loss before a sum over the units: with n = 2 output units on every case the
    # two cannot be told apart, and the 1/2 is the course's own (the m = 2 confusion, for n)
    if _near(k, 2.0):
        ids.append("factor:2")
    if _near(k, 0.5):
        ids.append("factor:1/2")
    if n and n > 1 and _near(k, n):
        ids.append("factor:n")
    if n and n > 1 and _near(k, 1.0 / n):
        ids.append("factor:1/n")
    simple = Fraction(k).limit_denominator(4)
    if not ids and abs(simple.numerator) <= 12 and _near(float(simple), k):
        ids.append(f"factor:{simple}")
    if not ids:
        ids.append(f"factor:~{k:.6g}")  # the same unnamed constant on every case; shown without its value
    return ids


def factor_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    if failure.status != "ok" or failure.verdict is None or failure.verdict.kind != "value":
        return []
    k = constant_factor(failure.value, context["expected"](failure.case), tol)
    if k is None:
        return []
    return [Explanation(i, FACTOR_MESSAGES.get(i) or (
        f"every failing result is {i[7:]} times the expected one: a constant factor is wrong somewhere."
        if not i.startswith("factor:~") else FACTOR_MESSAGES["factor:constant"]))
        for i in _factor_ids(k, rows_of(failure.case.args), units_of(failure.case.args))]


# --------------------------------------------------------------------------- 4. ignored argument
def _stand_ins(name: str, value: Any, defaults: dict) -> Iterable[Any]:
    """Values an argument may have been replaced by in a student's code."""
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        for candidate in (defaults.get(name), 1.0, 0.0):
            if isinstance(candidate, (float, int)) and candidate != value:
                yield candidate
    elif isinstance(value, np.ndarray) and value.ndim >= 1 and value.any():
        yield np.zeros_like(value)


def ignored_argument_explanations(question: Question, failure: Failure, tol: Tolerance,
                                  context: dict) -> list[Explanation]:
    if failure.status != "ok":
        return []
    found = []
    for index, (name, value) in enumerate(zip(question.arguments, failure.case.args)):
        if not _wanted(f"ignored-argument:{name}", context):
            continue
        for stand_in in _stand_ins(name, value, dict(question.defaults)):
            args = failure.case.args[:index] + (stand_in,) + failure.case.args[index + 1:]
            if _matches_variant(question.reference, args, failure.value, tol):
                found.append(Explanation(f"ignored-argument:{name}", (
                    f"your result does not change when `{name}` does: use the argument `{name}` instead of a fixed "
                    "value (the hidden cases pass other values)." if not isinstance(value, np.ndarray) else
                    f"your result does not depend on `{name}`: it is left out of the computation.")))
                break
    return found


def _matches_variant(fn: Callable, args: tuple, got: Any, tol: Tolerance) -> bool:
    try:
        with np.errstate(all="ignore"):
            wrong = as_tree(fn(*args))
    except Exception:  # a variant may not apply to these inputs
        return False
    return matches(got, wrong, *tol)


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
    finite (the same mistake in a form that overflows)."""
    if failure.contract:
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



def one_gradient_explanations(question: Question, failure: Failure, tol: Tolerance,
                              context: dict) -> list[Explanation]:
    """A question that returns several gradients (``Question.wrt``) whose values are all right
    but one: ``one-gradient:<name>`` (the name is the question's, never the result's)."""
    if not question.wrt or failure.status != "ok" or failure.verdict is None or failure.verdict.kind != "value":
        return []
    got, expected = leaves(failure.value), leaves(context["expected"](failure.case))
    if not len(got) == len(expected) == len(question.wrt):
        return []
    wrong = [name for (name, _), g, e in zip(question.wrt, got, expected) if not matches(g, e, *tol)]
    if len(wrong) != 1:
        return []
    others = " and the other gradients are right" if len(question.wrt) > 1 else ""
    return [Explanation(f"one-gradient:{wrong[0]}", f"{wrong[0]} is wrong{others}: follow the chain for "
                        f"{wrong[0]} factor by factor, and compare it with your numerical gradient (check_gradients).")]


def default_explanations(question: Question, failure: Failure, tol: Tolerance, context: dict) -> list[Explanation]:
    """The case left an optional argument at its default (and, to hold everywhere, only
    such cases failed: with the argument passed, the result is right)."""
    if failure.status != "ok":
        return []
    return [Explanation(f"default:{name}", f"only the calls that leave `{name}` at its default failed: the "
                        f"default is {question.defaults[name]!r}, as the notebook's signature states.")
            for name in question.arguments[len(failure.case.args):] if name in question.defaults]


#: The general detectors, in order; a registered mistake that holds everywhere wins over all of them.
GENERAL_DETECTORS = (contract_explanations, shape_explanations, default_explanations, factor_explanations,
                     ignored_argument_explanations, one_gradient_explanations)


def explain(question: Question, failures: list[Failure], tol: Tolerance, expected: Callable[[Case], Any],
            passed: Iterable[Case] = (), public_error: str | None = None) -> Explanation | None:
    """The explanation that holds on every failing case, or None.

    A registered mistake wins over a general detector; among general detectors the order of
    :data:`GENERAL_DETECTORS` decides; when none holds everywhere, a kind of case that alone
    failed (:func:`case_kinds`) explains it.

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
    context = {"expected": expected, "public_error": classify_public_error(public_error)}
    registered = (_common(registered_explanations, question, failures, tol, context)
                  or _common(registered_explanations, question, failures, tol, {**context, "lenient": True}))
    if registered:
        return registered[0]
    for detector in GENERAL_DETECTORS:
        common = _common(detector, question, failures, tol, context)
        if common:
            chosen = common[0]
            if chosen.id.startswith("factor:~"):
                chosen = Explanation("factor:constant", chosen.message)
            return chosen
    return case_kinds([f.case.label for f in failures], [c.label for c in passed])


def _common(detector, question: Question, failures: list[Failure], tol: Tolerance, context: dict) -> list[Explanation]:
    """The explanations of ``detector`` that hold on every failure, in the first failure's order."""
    first = detector(question, failures[0], tol, context)
    ids = {e.id for e in first}
    for failure in failures[1:]:
        if not ids:
            break
        ids &= {e.id for e in detector(question, failure, tol, {**context, "only": frozenset(ids)})}
    return [e for e in first if e.id in ids]


# --------------------------------------------------------------------------- which kinds of case failed
CASE_KINDS = (  # (kind, fragments of case labels, what to try)
    ("many-parameters", (LARGE_CASE_LABEL,),
     "only the case with many parameters failed (it weighs as much as all the others): differentiating the loss "
     "numerically takes two loss evaluations per parameter and cannot finish in time there, while the derived "
     "gradient costs about one forward pass. The question asks for the derivation: use your numerical gradient "
     "to CHECK the derived one, not to replace it."),
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
    ("single-example", ("m = 1", "one class", "one layer"),
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
