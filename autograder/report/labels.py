"""Readable names for the grader's mistake ids, for the report's tables and plots.

A question's registered mistakes are named in words already (``"forgot the biases"``); the
general detectors of :mod:`autograder.grading.diagnose` name theirs ``family:detail``
(``shape:transposed``, ``factor:1/m``, ``ignored-argument:b``, ``case-kind:overflow``) or by
a contract (``mutated-input``). The label is derived from that form, one phrase per *family*,
so a detail added to the grader later is labelled without a change here: its words are the
detail with its hyphens as spaces. The raw id stays in the CSV and JSON beside the label.
"""
from __future__ import annotations

#: family of a ``family:detail`` id -> the label, with ``{}`` for the detail's words
FAMILIES: dict[str, str] = {
    "shape": "wrong shape: {}",
    "type": "wrong type: {}",
    "factor": "off by a factor of {}",
    "default": "wrong default of {}",
    "ignored-argument": "ignores the argument {}",
    "one-gradient": "only {} is wrong",
    "outputs": "some outputs wrong: {}",
    "layers": "wrong layers: {}",
    "region": "wrong on part of the result: {}",
    "same-as": "returns what {} returns",
    "off-by-one": "off by one in {}",
    "scaled-argument": "{} scaled by m (a sum for a mean)",
    "list-argument": "walks through {} wrongly",
    "argument-in-place": "another argument in place of {}",
    "normalised": "normalised over the wrong axis: {}",
    "affine": "a constant term wrong (a x + b: {})",
    "factor-argument": "off by a factor of the argument {}",
    "negated-argument": "uses minus {}",
    "case-kind": "fails only on one kind of case: {}",
    "in-function": "a derivative written in its function, another polynomial (coefficients {})",
}

#: families whose detail is a name or a formula, shown as it is (no hyphens made spaces)
VERBATIM = ("factor", "default", "ignored-argument", "one-gradient", "outputs", "region", "same-as", "off-by-one",
            "scaled-argument", "list-argument", "argument-in-place", "affine", "factor-argument",
            "negated-argument", "in-function")

#: ids (or ``family:detail``) whose generic label would read badly
SPECIAL: dict[str, str] = {
    "mutated-input": "modifies its arguments in place",
    "not-reproducible": "another result on the same arguments (not a function of its seed)",
    "warning": "a RuntimeWarning where none is allowed",
    "signature": "wrong signature (the arguments the notebook passes)",
    "numerical-gradient": "a numerical gradient where a derivation is asked (earns nothing)",
    "factor:sign": "sign flipped (-1 times the expected)",
    "factor:constant": "off by a constant factor",
    "type:none": "returns None (no return statement)",
    # the numpy errors diagnosed on a public case (diagnose.NUMPY_ERRORS) are shape: ids too
    "shape:matmul": "raises a numpy error: matrix product of mismatched shapes",
    "shape:broadcast": "raises a numpy error: shapes that do not broadcast",
    "shape:truth-value": "raises a numpy error: an array used as a single truth value",
    "shape:axis": "raises a numpy error: an axis the array does not have",
}


def _words(detail: str) -> str:
    return detail.replace("-", " ")


def mistake_label(mistake_id: str) -> str:
    """The mistake's name for people.

    Examples
    --------
    >>> mistake_label("shape:transposed")
    'wrong shape: transposed'
    >>> mistake_label("ignored-argument:b")
    'ignores the argument b'
    >>> mistake_label("forgot the biases")
    'forgot the biases'
    """
    if mistake_id in SPECIAL:
        return SPECIAL[mistake_id]
    family, colon, detail = mistake_id.partition(":")
    if colon and family in FAMILIES and detail:
        if family == "factor" and detail.startswith("~"):
            return SPECIAL["factor:constant"]
        return FAMILIES[family].format(_words(detail) if family not in VERBATIM else detail)
    return mistake_id
