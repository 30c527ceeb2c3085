"""A corpus of hostile notebooks: student files made to cost the grader time or memory.

Two kinds of generator, each taking the size to reach in bytes (up to the course's cap):

- :data:`TEXTS` make the text of one cell: what the grader scans with its own code
  (``_as_released``, the magics filter, the first line, the ``def`` lines);
- :data:`NOTEBOOKS` make a whole a2 notebook (the correct answers, so that a grader that
  copes grades it normally) carrying the attack: a cell of one of the texts, or a shape of
  JSON that costs far more parsed than on disk.

Issue 21: a 1.1 MB answer cell of ``# BEGIN HIDDEN TESTS`` lines stopped the class's grading
(82 s at 304 KB, quadratic); a 10 MB notebook of empty cells made the grader peak at 695 MB.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import nbformat

from autograder.demo.synthetic import make_submission

A2, NOTEBOOK = "a2_feedforward", "feedforward"
RELEASED_BYTES = 60_000  # room for the notebook around an attack (the correct a2 is 41 KB)


def _json_length(text: str) -> int:
    return len(json.dumps(text)) - 2  # as it is written in a notebook's JSON, without the quotes


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    """``head + unit * n + tail``, about ``size`` bytes once written as a JSON string."""
    n = (size - _json_length(head + tail)) // _json_length(unit)
    return head + unit * max(1, n) + tail


# --------------------------------------------------------------------------- one cell's text
#: Each makes a cell's text of about ``size`` bytes as a notebook holds it.
TEXTS: dict[str, Callable[[int], str]] = {
    # the attack: BEGIN lines whose END never comes
    "begin lines without an end": lambda size: _repeat("# BEGIN HIDDEN TESTS\n", size),
    # many BEGINs on one line, the END of the other kind at the end
    "begins on one line": lambda size: _repeat("BEGIN HIDDEN TESTS ", size, "# ", "\n# END MARK SCHEME"),
    # BEGIN of one kind, END of the other, alternating
    "ends of the other kind": lambda size: _repeat("# BEGIN MARK SCHEME\n# END HIDDEN TESTS\n", size),
    # blocks that do close: each is removed
    "closed blocks": lambda size: _repeat("# BEGIN HIDDEN TESTS\nx = 1\n# END HIDDEN TESTS\n", size),
    # millions of short lines, magics among them
    "magic lines": lambda size: _repeat("%a\n", size),
    "short lines": lambda size: _repeat("ab\n", size),
    # one line of the whole size
    "one huge line": lambda size: _repeat("x", size, "# "),
    # the def lines the fallback reads when the cell is too large for ast
    "def lines": lambda size: _repeat("def f(): pass\n", size),
}


# --------------------------------------------------------------------------- whole notebooks
def _correct() -> dict:
    return json.loads(nbformat.writes(make_submission("correct", A2, NOTEBOOK)))


def _cells(nb: dict, *, solution: bool = False, locked: bool = False) -> list[dict]:
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"
            and cell["metadata"].get("nbgrader", {}).get("solution", False) == solution
            and cell["metadata"].get("nbgrader", {}).get("locked", False) == locked]


def _text(nb: dict, compact: bool = False) -> str:
    return json.dumps(nb, separators=(",", ":") if compact else None)


def in_an_answer_cell(text: str) -> str:
    """The correct notebook with ``text`` after the code of its first answer cell (as comments
    or magics it changes nothing the grader runs)."""
    nb = _correct()
    cell = _cells(nb, solution=True)[0]
    cell["source"] = "".join(cell["source"]) + "\n" + text
    return _text(nb)


def in_a_read_only_cell(text: str) -> str:
    """The correct notebook with ``text`` in its copy of the first read-only cell with a
    ``grade_id`` (the grader compares it with the release, and runs the release's)."""
    nb = _correct()
    cell = next(c for c in _cells(nb, locked=True) if c["metadata"]["nbgrader"].get("grade_id"))
    cell["source"] = "".join(cell["source"]) + "\n" + text
    return _text(nb)


def _grow(nb: dict, where: list, unit: object, size: int, compact: bool = False) -> str:
    """``nb`` with ``unit`` appended to ``where`` until the text is about ``size`` bytes
    (``compact``: JSON without spaces, the most items per byte)."""
    base = len(_text(nb, compact))
    each = len(_text(unit, compact)) + (1 if compact else 2)  # and "," or ", "
    where.extend([unit] * max(0, (size - base) // each))
    return _text(nb, compact)


def many_empty_cells(size: int) -> str:
    nb = _correct()
    return _grow(nb, nb["cells"], {"cell_type": "code", "execution_count": None, "metadata": {},
                                   "outputs": [], "source": []}, size)


def empty_objects_in_metadata(size: int, compact: bool = False) -> str:
    """``[{}, {}, ...]``: 3 bytes an object in the file, about 70 in memory."""
    nb = _correct()
    nb["metadata"]["padding"] = []
    return _grow(nb, nb["metadata"]["padding"], {}, size, compact)


def deep_nesting(size: int) -> str:
    nb = _correct()
    depth = max(1, (size - len(_text(nb))) // 2)
    return _text(nb).replace('"metadata": {', '"metadata": {"deep": ' + "[" * depth + "]" * depth + ", ", 1)


def one_character_outside_the_bmp(size: int) -> str:
    """One huge line holding one emoji: every character of it costs 4 bytes in memory."""
    return in_an_answer_cell(_repeat("x", size - RELEASED_BYTES, "# \U0001F600"))


NOTEBOOKS: dict[str, Callable[[int], str]] = {
    "hidden-tests lines in an answer cell": lambda size: in_an_answer_cell(TEXTS["begin lines without an end"](size - RELEASED_BYTES)),
    "hidden-tests lines in a read-only cell": lambda size: in_a_read_only_cell(TEXTS["begin lines without an end"](size - RELEASED_BYTES)),
    "magic lines in an answer cell": lambda size: in_an_answer_cell(TEXTS["magic lines"](size - RELEASED_BYTES)),
    "def lines in an answer cell": lambda size: in_an_answer_cell(TEXTS["def lines"](size - RELEASED_BYTES)),
    "many empty cells": many_empty_cells,
    "empty objects in the metadata": empty_objects_in_metadata,
    "empty objects in the metadata, no spaces": lambda size: empty_objects_in_metadata(size, compact=True),
    "deep nesting": deep_nesting,
    "one line with a character outside the BMP": one_character_outside_the_bmp,
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
