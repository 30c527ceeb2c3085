"""Derivation, not transcription: what students read never prints the code of a graded answer.

Students read the registered mistakes' names and messages (in ``public_cases.json`` and in
their feedback), the general explanations of :mod:`autograder.grading.diagnose` and
:mod:`autograder.checks.compare`, and the released notebook's markdown and docstrings. None of them
may hold a numpy expression of the same assignment's solution regions (the lines of every
``<id>_answer`` cell between ``### BEGIN SOLUTION`` and ``### END SOLUTION``: the right-hand
side of an assignment or a ``return``, and each of its top-level operands, whitespace aside),
nor one of :data:`FORBIDDEN` (answers that a message once printed in another spelling; the released
text of a later assignment may state an earlier one's, e.g. the batch convention of a2).
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Iterable

import pytest

from autograder.checks import compare
from autograder.grading import derived, diagnose
from autograder.course.config import load_course
from autograder.questions import QUESTIONS
from autograder.course.spoilers import answer_lines

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yml")
ASSIGNMENTS = [a.id for a in COURSE.assignments]

#: The shortest expression (whitespace removed) that counts: shorter ones are any formula's words.
MIN_EXPRESSION = 12
#: Expressions that are set-up, not the answer (conversions, shapes, loops, empty arrays).
TRIVIAL = ("np.asarray(", "np.array(", "dtype=", ".shape", "np.zeros", "np.ones", "np.ndindex(", "range(",
           "len(", "np.full(", "default_rng(")
#: Calls a notebook must state because the grade replays them exactly (a5's loop: the one
#: permutation per epoch that makes the student's training deterministic).
STATED = ("rng.permutation(m)",)
#: Answers once printed by a message in a spelling of their own, with the assignment that grades
#: them (whitespace is ignored): no message prints one, nor does that assignment's released text.
FORBIDDEN = {"np.argmax(A, axis=1)": "a4_losses_backprop", "X @ W.T + b": "a2_feedforward",
             "A @ W.T + b": "a2_feedforward", "X @ W.T;": "a2_feedforward", "n_out * n_in": "a2_feedforward",
             "np.maximum(": "a1_activations", "keepdims=True)": "a1_activations", "np.outer(": "a1_activations",
             "W - eta dW": "a3_two_layer", "mean(r x)": "a3_two_layer"}


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _top_level_parts(expression: str) -> list[str]:
    """``expression``'s operands at its top-level ``+ - * / @`` (outside brackets), and each
    prefix that ends with a top-level closing bracket (``np.argmax(A,axis=1)`` of
    ``np.argmax(A,axis=1).astype(int)``)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(expression):
        depth += char in "([{"
        depth -= char in ")]}"
        if depth == 0 and char in ")]}":
            parts.append(expression[:i + 1])
        if depth == 0 and char in "+-*/@" and i > start:
            parts.append(expression[start:i])
            start = i + 1
    return parts + [expression[start:]]


def _trivial(candidate: str) -> bool:
    """Set-up, or a call of one of the student's own functions with plain names."""
    return any(t in candidate for t in TRIVIAL + STATED) or (
        re.fullmatch(r"[A-Za-z_]\w*\((\w+,?)*\)", candidate) is not None)


def _expression(line: str) -> str:
    """The expression of a squeezed solution line: after ``return`` or a top-level ``=``."""
    line = line.split("#", 1)[0]
    if line.startswith("return"):
        return line[len("return"):]
    for i, char in enumerate(line):
        if char == "=" and line[i - 1] not in "=<>!+-*/" and line[i + 1:i + 2] != "=":
            return line[i + 1:] if "(" not in line[:i] else line
    return line


def solution_expressions(assignment: str) -> set[str]:
    """The telling expressions (squeezed) of ``assignment``'s solution regions."""
    found = set()
    for line in answer_lines(REPO / "solutions" / assignment):
        expression = _expression(line)
        for candidate in [expression, *_top_level_parts(expression)]:
            candidate = candidate.strip(",;")
            if len(candidate) >= MIN_EXPRESSION and not _trivial(candidate):
                found.add(candidate)
    return found


def spoilers_in(text: str, expressions: set[str], forbidden: Iterable[str] = FORBIDDEN) -> list[str]:
    """The expressions and forbidden fragments that ``text`` holds (whitespace aside)."""
    squeezed = _squeezed(text)
    return sorted({e for e in expressions if e in squeezed} | {f for f in forbidden if _squeezed(f) in squeezed})


def _mistake_texts(assignment: str) -> list[tuple[str, str]]:
    spec = next(a for a in COURSE.assignments if a.id == assignment)
    return [(f"{q.id}: mistake {m.name!r}", f"{m.name}\n{m.message}")
            for q in spec.questions for m in QUESTIONS[q.id].mistakes]


def _released_texts(assignment: str) -> list[tuple[str, str]]:
    """The markdown cells and the docstrings of the released notebooks of ``assignment``."""
    texts = []
    for path in sorted((REPO / "assignments" / assignment).glob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], start=1):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            where = f"{path.name} cell {index}"
            if cell["cell_type"] == "markdown":
                texts.append((where, source))
                continue
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            texts += [(f"{where} docstring of {node.name}", ast.get_docstring(node) or "") for node in ast.walk(tree)
                      if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return texts


def _general_texts() -> list[tuple[str, str]]:
    texts = [(f"diagnose {error_id}", teaching) for error_id, _, teaching in diagnose.NUMPY_ERRORS]
    texts += [(f"diagnose case kind {kind}", advice) for kind, _, advice in diagnose.CASE_KINDS]
    for name in ("SHAPE_MESSAGES", "TYPE_MESSAGES", "FACTOR_MESSAGES"):
        texts += [(f"diagnose {name}[{key}]", text) for key, text in getattr(diagnose, name).items()]
    texts += [(f"compare SHAPE_MESSAGES[{key}]", text) for key, text in compare.SHAPE_MESSAGES.items()]
    texts += [("derived items", text) for text in derived.messages()]
    return texts


def _offending(texts: list[tuple[str, str]], expressions: set[str], forbidden: Iterable[str] = FORBIDDEN) -> list[str]:
    return [f"{where}: {found}" for where, text in texts if (found := spoilers_in(text, expressions, forbidden))]


def test_the_detector_finds_an_answer_printed_in_a_message():
    expressions = solution_expressions("a4_losses_backprop")
    assert "np.argmax(A,axis=1)" in expressions
    assert spoilers_in("each row is one example: take np.argmax(A, axis=1).", expressions)
    assert spoilers_in("each map is X @ W.T + b.", set())
    assert not spoilers_in("each ROW is one example: take one class per row.", expressions)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_mistake_messages_print_no_expression_of_the_assignments_answers(assignment):
    assert _offending(_mistake_texts(assignment), solution_expressions(assignment)) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_markdown_and_docstrings_print_no_expression_of_the_answers(assignment):
    own = [fragment for fragment, graded_in in FORBIDDEN.items() if graded_in == assignment]
    assert _offending(_released_texts(assignment), solution_expressions(assignment), own) == []


def test_general_explanations_print_no_expression_of_any_answer():
    expressions = set().union(*(solution_expressions(a) for a in ASSIGNMENTS))
    assert _offending(_general_texts(), expressions) == []
