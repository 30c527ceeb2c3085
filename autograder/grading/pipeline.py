"""Grading one notebook: a pipeline of small steps, each with one job.

1. :func:`graded_sources` picks the code a student is graded on out of the notebook.
2. :func:`plan` draws the hidden cases of this student's submission (keyed by the graded code
   itself: :func:`autograder.course.cases.submission_key`) and computes the expected values (here,
   in the grader, from ``nn_core``).
3. The sandbox runs the student's code and the calls, out of process.
4. :func:`score_question` compares, names known mistakes, and writes the feedback.

Only inputs cross into the sandbox; only plain arrays come back.
"""
from __future__ import annotations

import ast
import bisect
import json
import os
import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from autograder.checks import adapters
from autograder.grading import derived, diagnose
from autograder.course.cases import hidden_cases, public_cases, submission_key
from autograder.course.secret import load_secret
from autograder.checks.compare import CONTRACT_MESSAGES, Verdict, as_tree, compare, identical
from autograder.course.config import Course, QuestionSpec, load_course
from autograder.grading.feedback import points
from autograder.grading.json_budget import check_items
from autograder.questions import QUESTIONS, Case, Judgement, Question
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.grading.results import ErrorKind, QuestionResult, SubmissionResult, call_ending
from autograder.sandbox import Call, CallOutcome, RunResult, Sandbox
from autograder.grading.submission_files import MissingNotebook, SubmissionFileError, read_submission_file

SETUP_TAG = "setup"
Notebook = Mapping[str, Any]  # a notebook's JSON (an nbformat.NotebookNode is one)


@lru_cache(maxsize=1)
def default_course() -> Course:
    return load_course()


@lru_cache(maxsize=1)
def one_blas_thread() -> None:
    """Limit this process's BLAS (numpy's OpenBLAS) to one thread, once per process.

    The grader's matrices are small (the largest reference, backprop's case with many
    parameters, multiplies 64 x 200 by 200 x 100), so a second BLAS thread never helps, and
    grading runs one process per core (``--jobs``): on a loaded 2-core machine the threads
    wait for each other, which made the reference backprop 5x slower (docs/performance.md).
    The sandbox's runs are single-threaded already (its environment sets the same limit).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


#: glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: arrays up to this size come from the heap, which keeps up to :data:`HEAP_KEPT_BYTES` freed
HEAP_ARRAY_BYTES, HEAP_KEPT_BYTES = 32 << 20, 128 << 20


@lru_cache(maxsize=1)
def arrays_from_the_heap() -> bool:
    """Let this process's allocator (glibc) serve arrays of up to :data:`HEAP_ARRAY_BYTES` from
    its heap and keep what is freed, once per process; False where there is no glibc.

    The expected values and comparisons of a case with many parameters make a dozen arrays of
    0.8 MB each; by default glibc maps each anew and unmaps it when freed, so every one costs a
    page fault per 4 KB (docs/performance.md: a third of the scoring time). The sandbox's runs
    get the same setting (``sandbox.supervisor.ZYGOTE_MALLOC``)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, HEAP_ARRAY_BYTES)) and bool(mallopt(_M_TRIM_THRESHOLD, HEAP_KEPT_BYTES))


# --------------------------------------------------------------------------- 1. the graded code
@dataclass(frozen=True)
class GradedCell:
    """One cell the engine runs, and where the student sees it.

    ``position`` is the cell's number in the student's notebook as Jupyter shows it
    (1-based, every cell counted, markdown too), or ``None`` for a read-only cell the
    student deleted (it is run from the release). ``defines`` are the names of the
    functions the cell defines at top level.
    """

    source: str
    position: int | None
    first_line: str
    defines: frozenset[str]


def graded_cells(nb: Notebook, release: Notebook | None = None) -> list[GradedCell]:
    """The cells the engine runs, in order, with their place in the student's notebook.

    Without ``release``: the autograded-answer cells (nbgrader ``solution: true``) and the
    cells tagged ``setup``, in the student's order; a notebook without any nbgrader metadata
    (cells copied into a new notebook) falls back to every code cell that is not a test cell.

    With ``release`` (the released notebook), nbgrader's rule: the read-only cells come from
    the release, the answer cells from the student (matched by ``grade_id``), in the
    release's order. Editing, deleting or moving a read-only cell, adding cells, or moving
    answers around then changes nothing; a deleted answer cell is the release's stub.
    """
    cells = nb.get("cells", []) if isinstance(nb.get("cells", []), list) else []
    positions = {id(cell): index + 1 for index, cell in enumerate(cells)}
    code_cells = [cell for cell in cells if isinstance(cell, dict) and cell.get("cell_type") == "code"]
    if release is not None:
        answers = {_grade_id(cell): cell for cell in code_cells if _is_answer(cell) and _grade_id(cell)}
        chosen = []
        for cell in release.get("cells", []):
            if not (cell.get("cell_type") == "code" and (_is_answer(cell) or _is_setup(cell))):
                continue
            student_cell = answers.get(_grade_id(cell)) if _is_answer(cell) else _same_cell(code_cells, cell)
            chosen.append((student_cell if _is_answer(cell) and student_cell is not None else cell,
                           student_cell))
        return [_graded_cell(run, positions.get(id(shown))) for run, shown in chosen]
    if any("nbgrader" in _metadata(cell) for cell in code_cells):
        chosen_cells = [cell for cell in code_cells if _is_answer(cell) or _is_setup(cell)]
    else:
        chosen_cells = [cell for cell in code_cells if "check(" not in _source(cell)]
    return [_graded_cell(cell, positions.get(id(cell))) for cell in chosen_cells]


def graded_sources(nb: Notebook, release: Notebook | None = None) -> list[str]:
    """The sources of :func:`graded_cells`, in the order they run."""
    return [cell.source for cell in graded_cells(nb, release)]


def submission_of(nb: Notebook, release: Notebook | None = None) -> str:
    """The key a notebook's hidden cases are drawn with (:func:`autograder.course.cases.submission_key`
    of its :func:`graded_sources`): what every grading path uses for it."""
    return submission_key(graded_sources(nb, release))


def _graded_cell(cell: dict, position: int | None) -> GradedCell:
    source = _without_magics(_source(cell))
    return GradedCell(source, position, _first_line_of(source), _defined_functions(source))


def _first_line_of(source: str) -> str:
    """The first line of ``source`` that is not blank, stripped ("" when there is none);
    found without splitting the whole cell into lines (it may be megabytes of them)."""
    start = _NOT_SPACE.search(source)
    if start is None:
        return ""
    end = _LINE_BREAK.search(source, start.start())
    return source[start.start():end.start() if end else len(source)].strip()


_NOT_SPACE = re.compile(r"\S")
#: Where str.splitlines breaks a line.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

#: Cells up to this size are read with :mod:`ast` for the functions they define; a larger one
#: (no answer is; a student's padding can be) by its ``def`` lines, since ``ast`` costs about
#: 600 times the source in memory and 7 s per megabyte.
PARSED_CELL_CHARS = 50_000
_DEF_LINE = re.compile(r"^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def _defined_functions(source: str) -> frozenset[str]:
    """The names of the functions ``source`` defines at top level (a guess from its ``def``
    lines when it does not parse or is larger than :data:`PARSED_CELL_CHARS`)."""
    if len(source) <= PARSED_CELL_CHARS:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            pass  # the cell's own error says why (a small cell can still be too deep for ast): guess from its text
        else:
            return frozenset(node.name for node in tree.body
                             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return frozenset(match.group(1) for match in _DEF_LINE.finditer(source))


def _is_answer(cell: dict) -> bool:
    return bool(_metadata(cell).get("nbgrader", {}).get("solution", False))


def _is_setup(cell: dict) -> bool:
    return SETUP_TAG in _metadata(cell).get("tags", [])


def _grade_id(cell: dict) -> str | None:
    grade_id = _metadata(cell).get("nbgrader", {}).get("grade_id")
    return grade_id if isinstance(grade_id, str) else None


def edited_read_only_cells(nb: Notebook, release: Notebook) -> list[str]:
    """The ``grade_id`` of every read-only cell of the release whose source the student
    changed (a deleted cell is not an edit: both grading paths run the release's anyway)."""
    locked = {_grade_id(cell) for cell in release.get("cells", []) if _metadata(cell).get("nbgrader", {}).get("locked")}
    theirs = {_grade_id(cell): _as_released(_source(cell))  # only the cells compared: the others may be huge
              for cell in nb.get("cells", []) if isinstance(cell, dict) and _grade_id(cell) in locked - {None}}
    return [_grade_id(cell) for cell in release.get("cells", [])
            if _metadata(cell).get("nbgrader", {}).get("locked") and _grade_id(cell) in theirs
            and theirs[_grade_id(cell)] != _as_released(_source(cell))]


#: What nbgrader's release removes from read-only cells (ClearHiddenTests, ClearMarkScheme):
#: a copy made from the source notebook still has them and is not an edit.
_RELEASE_CLEARS = ("HIDDEN TESTS", "MARK SCHEME")


def _as_released(source: str) -> str:
    """``source`` without its hidden-tests and mark-scheme blocks, stripped.

    A block runs from the start of a line holding ``BEGIN HIDDEN TESTS`` (or ``BEGIN MARK
    SCHEME``) to the end of the line holding the first ``END HIDDEN TESTS`` (``END MARK
    SCHEME``) after it; a BEGIN without its END removes nothing. Of several BEGINs on one
    line the last that has an END after it opens the block. The source is a student's
    (any size up to the notebook cap), so this is a scan in O(n log n), never a regular
    expression that backtracks: ``^[^\\n]*BEGIN (..).*?END \\1[^\\n]*$``, which it replaces
    and matches on every input, took minutes on 300 KB of BEGIN lines without an END.
    """
    ends = {kind: _occurrences(source, "END " + kind) for kind in _RELEASE_CLEARS}
    kept, line_start, keep_from = [], 0, 0
    while line_start < len(source):
        line_end = _line_end(source, line_start)
        block_end = _cleared_block_end(source, line_start, line_end, ends)
        if block_end is None:
            line_start = line_end + 1
            continue
        kept.append(source[keep_from:line_start])
        keep_from, line_start = block_end, block_end + 1
    kept.append(source[keep_from:])
    return "".join(kept).strip()


def _occurrences(text: str, word: str) -> list[int]:
    """Where ``word`` starts in ``text``, in order (non-overlapping; ``word`` cannot overlap itself here)."""
    found, at = [], text.find(word)
    while at != -1:
        found.append(at)
        at = text.find(word, at + len(word))
    return found


def _line_end(text: str, start: int) -> int:
    """The index of the newline ending the line that starts at ``start`` (or the text's end)."""
    end = text.find("\n", start)
    return len(text) if end == -1 else end


def _cleared_block_end(source: str, line_start: int, line_end: int, ends: dict[str, list[int]]) -> int | None:
    """The end of the block that opens on the line ``[line_start, line_end)`` (the end of the
    line holding its END), or None when no BEGIN on that line has its END after it."""
    best: tuple[int, str] | None = None
    for kind, positions in ends.items():
        begin = "BEGIN " + kind
        if not positions:
            continue
        # the last BEGIN on the line that ends before the last END of its kind
        at = source.rfind(begin, line_start, min(line_end, positions[-1]))
        if at != -1 and (best is None or at > best[0]):
            best = (at, kind)
    if best is None:
        return None
    at, kind = best
    first_end = ends[kind][bisect.bisect_left(ends[kind], at + len("BEGIN " + kind))]
    return _line_end(source, first_end)


def edited_cells_note(grade_ids: Iterable[str]) -> str | None:
    """What the student reads about read-only cells they edited (None: they edited none)."""
    names = ", ".join(repr(name) for name in grade_ids)
    if not names:
        return None
    return (f"you edited the read-only cell(s) {names}; they were graded as released "
            f"(your changes there were not used).")


def _same_cell(code_cells: list, released: dict) -> dict | None:
    """The student's copy of a released read-only cell (same ``grade_id``), if any."""
    grade_id = _grade_id(released)
    return next((cell for cell in code_cells if grade_id and _grade_id(cell) == grade_id), None)


def _metadata(cell: dict) -> dict:
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return {}
    if not isinstance(metadata.get("nbgrader", {}), dict) or not isinstance(metadata.get("tags", []), list):
        return {}
    return metadata


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(line for line in source if isinstance(line, str))
    return source if isinstance(source, str) else ""


def _without_magics(source: str) -> str:
    """IPython magics and shell escapes are not Python: blank them out.

    Lines as :meth:`str.splitlines` sees them, joined with ``\\n``; split a chunk of about
    :data:`_CHUNK_CHARS` at a time (each ending after a ``\\n``, so that no line and no
    ``\\r\\n`` is cut), so that a cell of millions of short lines never becomes millions of
    strings at once (a list of lines costs about 20 times the cell)."""
    return "\n".join(_without_magics_in(chunk) for chunk in _chunks_at_newlines(source))


_CHUNK_CHARS = 1 << 16


def _without_magics_in(chunk: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in chunk.splitlines())


def _chunks_at_newlines(text: str) -> Iterator[str]:
    """``text`` in consecutive pieces of at least :data:`_CHUNK_CHARS` characters, each but
    the last ending with ``\\n`` (one piece when there is no ``\\n`` to cut at)."""
    start = 0
    while start < len(text):
        cut = text.find("\n", start + _CHUNK_CHARS - 1)
        end = len(text) if cut == -1 else cut + 1
        yield text[start:end]
        start = end
    if not text:
        yield text


# --------------------------------------------------------------------------- 2. the plan
@dataclass(frozen=True)
class PlannedCase:
    """One hidden case of one question, and (when first asked for) its expected result."""

    spec: QuestionSpec
    question: Question
    case: Case

    @cached_property
    def expected(self) -> Any:
        """The reference's result on the case's inputs, as a tree (None for a judged question,
        whose judge needs none). Computed in the grader when first needed: only the cases whose
        call returned a value are compared, so a stub's or a crashed function's cost nothing."""
        return None if self.question.judge else as_tree(self.question.reference(*self.case.args))


def plan(course: Course, assignment: str, student: str, specs: Iterable[QuestionSpec], *,
         submission: str) -> list[PlannedCase]:
    """Every hidden case of every question, for one submission (its expected result is computed
    when first read).

    ``submission`` is the key of the code graded (:func:`autograder.course.cases.submission_key` of the
    graded sources, :func:`submission_of` for a notebook): the same code meets the same cases,
    other code other ones.
    """
    secret = load_secret()  # once per student, not once per question
    planned = []
    for spec in specs:
        question = QUESTIONS[spec.id].bound(spec.settings)
        for case in hidden_cases(question, course.id, assignment, student, spec.hidden_cases, secret=secret,
                                 submission=submission):
            planned.append(PlannedCase(spec, question, case))
    return planned


# --------------------------------------------------------------------------- 4. scoring and feedback
_NUMBER = re.compile(r"\d\.\d|\de[-+]?\d|nan|inf", re.IGNORECASE)


def describe_failure(outcome: CallOutcome, call_timeout_s: float, after_timeout: bool = False) -> str:
    """A student-readable reason for a call that produced no result.

    Exception messages are passed on only when they carry no numbers with decimals:
    a message can echo the (hidden) input, and feedback never shows hidden inputs.
    """
    message = (outcome.message or "").strip()
    if outcome.status == "timeout":
        if after_timeout:  # the sandbox does not call a function again once it has timed out
            return f"not run: an earlier case took longer than {call_timeout_s:g} s (an endless loop?)."
        return f"took longer than {call_timeout_s:g} s and was stopped (an endless loop?)."
    if outcome.status == "error":
        if "NotImplementedError" in message:
            return "not implemented yet: the function still raises NotImplementedError."
        if _NUMBER.search(message):
            message = message.split(":", 1)[0] + " (message withheld: it contains numbers from a hidden case)"
        if " raised " in message:
            message += ". Exception messages are not shown for hidden cases: run the visible checks to see it."
    return message or f"did not return a result ({outcome.status})."


#: What a case's feedback line says when the value was right but a stated contract was broken.


def case_failure(planned: PlannedCase, outcome: CallOutcome,
                 again: CallOutcome | None = None) -> diagnose.Failure | None:
    """Why one case failed (None when it passed): a call without a result, a result that
    differs from the expected one, or a right result whose second call on the same
    arguments (``again``, see :func:`hidden_calls`) was not right: the function changed
    what it was given.  Only values decide: what the run says about its arguments or its
    warnings (``CallOutcome.mutated``, ``.warnings``) is advice (:func:`advice_lines`)."""
    if outcome.status != "ok":
        return diagnose.Failure(planned.case, outcome.status, error_type=outcome.error_type)
    verdict = _verdict(planned, outcome.value)
    if not verdict.ok:
        return diagnose.Failure(planned.case, "ok", outcome.value, verdict)
    if again is not None and again.status != "ok":  # the second call timed out, crashed or never ran
        return diagnose.Failure(planned.case, again.status, error_type=again.error_type)
    if again is not None and not _verdict(planned, again.value).ok:
        return diagnose.Failure(planned.case, "ok", outcome.value, verdict, contract="mutated-input")
    if again is not None and planned.question.reproducible and not identical(again.value, outcome.value):
        return diagnose.Failure(planned.case, "ok", outcome.value, verdict, contract="not-reproducible")
    return None


def _verdict(planned: PlannedCase, value: Any) -> Verdict:
    if planned.question.judge is not None:
        return judged(planned, value)
    atol = planned.spec.atol if planned.case.atol is None else planned.case.atol  # a probed case's own
    return compare(value, planned.expected, planned.spec.rtol, atol)


def advice_lines(cases: list[PlannedCase], outcomes: list[CallOutcome],
                 failed_labels: set[str]) -> list[str]:
    """Feedback, worth no points, on what the run *said* about the cases it passed: a
    warning on a case the notebook promises none, arguments left changed where the notebook
    asks for them unchanged (e.g. by the rounding of +h, -2h, +h).  Any code of the
    student's can rewrite what its run says, so this never decides a grade (docs/design.md,
    "What a run says about itself"); the visible checks test both in the student's notebook."""
    warned, changed = OrderedDict(), OrderedDict()
    for planned, outcome in zip(cases, outcomes):
        label, question = planned.case.label, planned.question
        if outcome.status != "ok" or label in failed_labels:
            continue
        if label in question.quiet_cases and "RuntimeWarning" in (outcome.warnings or ()):
            warned[label] = None
        if question.keeps_inputs and outcome.mutated:
            changed[label] = None
    lines = []
    if warned:
        lines.append(f"Advice (no points): on {', '.join(warned)} " + CONTRACT_MESSAGES["warning"])
    if changed:
        question = cases[0].question
        message = question.contract_messages.get("mutated-input", CONTRACT_MESSAGES["mutated-input"])
        lines.append(f"Advice (no points): on {', '.join(changed)} your function left an argument changed: {message}")
    return lines


JUDGED = "judged"  # the kind of a judge's verdict; its detail is the judgement's id


def judged(planned: PlannedCase, value: Any) -> Verdict:
    """A judged question's verdict on one result, from its judge (in the grader, with what
    the case held out). A judge that cannot read the result fails the case, never the grader."""
    try:
        with np.errstate(all="ignore"):
            judgement = planned.question.judge(planned.case, value, planned.spec.settings)
    except Exception:  # noqa: BLE001 - whatever the student returned
        judgement = Judgement(False, "unreadable", "the result could not be read: return what the docstring says.")
    return Verdict(True, "ok", "") if judgement.ok else Verdict(False, JUDGED, judgement.message, judgement.id)


def judged_explanation(question: Question, failed: list[diagnose.Failure]) -> diagnose.Explanation | None:
    """The judgement that every failing case of a judged question shares, if one does, else the
    one registered mistake that some of them name (e.g. an exact replay's, beside metric cases).
    A judge that tells careless loops apart on exact cases (``exact``, ``careless_names``) names
    one only when every failing exact case gives it: a mistake one replay supports and another
    contradicts (``epochs - 1`` is "one epoch only" on a 2-epoch replay alone) is not said."""
    ids = {f.verdict.detail if f.verdict is not None and f.verdict.kind == JUDGED else None for f in failed}
    registered = {m.name for m in question.mistakes}
    names_of = getattr(question.judge, "careless_names", None)
    exact = [f for f in failed if names_of is not None and f.status == "ok" and question.judge.exact(f.case)]
    if exact and len(ids) > 1:  # one judgement on every failing case is said as it is, below
        common = set.intersection(*(names_of(f.case, f.value) for f in exact))
        mistake = next((m for m in question.mistakes if m.name in common), None)
        if mistake is not None and None not in ids:
            return diagnose.Explanation(mistake.name, mistake.message)
        if ids & registered:
            return None
    named = ids & {m.name for m in question.mistakes}
    if None in ids or (len(ids) != 1 and len(named) != 1):
        return None
    (name,) = ids if len(ids) == 1 else named
    registered = next((m.message for m in question.mistakes if m.name == name), None)
    return diagnose.Explanation(name, registered or failed[0].verdict.message)


def score_question(spec: QuestionSpec, cases: list[PlannedCase], outcomes: list[CallOutcome],
                   call_timeout_s: float, public_error: str | None = None,
                   again: list[CallOutcome | None] | None = None,
                   located: str | None = None) -> QuestionResult:
    """Compare a question's results with the expected ones, explain the failures, and write
    the feedback (see :mod:`autograder.grading.diagnose` for the order of the explanations).

    ``public_error`` is the exception text of the same function run on a public case (see
    :func:`diagnosis_errors`); it may be shown, and explains a numpy error. ``again`` holds,
    per case, the outcome of the second call on the same arguments (None: not asked).
    ``located`` says where a judged case's result first went wrong (:func:`judged_locations`),
    when known. A derived item whose failures are those of a numerical gradient scores 0
    (:func:`autograder.grading.derived.numerical_gradient`).
    """
    failures: OrderedDict[str, list[str]] = OrderedDict()  # message -> case labels
    failed: list[diagnose.Failure] = []
    passed: list[Case] = []
    timed_out = False
    again = list(again) if again is not None else [None] * len(cases)
    for planned, outcome, second in zip(cases, outcomes, again):
        failure = case_failure(planned, outcome, second)
        if failure is None:
            passed.append(planned.case)
            continue
        failed.append(failure)
        question = planned.question
        if failure.contract:  # the question's own words for it, as its visible checks say
            message = "the result is right, but " + question.contract_messages.get(
                failure.contract, CONTRACT_MESSAGES[failure.contract])
        elif failure.verdict is not None:
            message = named_items(failure.verdict.message, question, planned.expected)
        else:
            message = describe_failure(outcome, call_timeout_s, after_timeout=timed_out)
            timed_out = timed_out or outcome.status == "timeout"
        failures.setdefault(message, []).append(planned.case.label)
    total = len(cases)
    if spec.partial_credit:
        # each case's share is its weight (1, but a large case weighs as much as the others together);
        # a derived item answered by a numerical gradient earns nothing (below: grading/derived.py)
        score = spec.points * sum(c.weight for c in passed) / sum(p.case.weight for p in cases)
    else:
        score = spec.points if len(passed) == total else 0.0
    score = round(score, 4)
    lines = [_headline(spec, len(passed), total, score)]
    for message, labels in failures.items():
        counted = OrderedDict((label, labels.count(label)) for label in labels)
        where = ", ".join(label if count == 1 else f"{label} x{count}" for label, count in counted.items())
        lines.append(f"  - failed on {where}: {message}")
    lines += ["  - " + line for line in advice_lines(cases, outcomes, {f.case.label for f in failed})]
    mistakes = []
    if failed and all(f.status == "error" and f.error_type == "NameError" for f in failed):
        lines.append("  - " + UNDEFINED_NAME)  # not a wrong formula: nothing to diagnose
    elif failed and not _only_stubbed(failed):
        question = cases[0].question
        expected = {id(p.case): p.expected for p in cases}
        if question.judge is not None and not all(f.contract for f in failed):  # its lines say what the judge found
            explanation = judged_explanation(question, failed)
        else:
            # a probed case's own atol (rounding size) is the strictest: a diagnosis that holds there holds
            atol = min([spec.atol] + [f.case.atol for f in failed if f.case.atol is not None])
            explanation = diagnose.explain(question, failed, (spec.rtol, atol),
                                           lambda case: expected[id(case)], passed, public_error)
        stopped = {id(p.case) for p, o in zip(cases, outcomes) if derived.overran(o)}  # by the supervisor
        numerical = None if question.judge is not None else derived.numerical_gradient(
            question, failed, lambda case: expected[id(case)], (spec.rtol, spec.atol),
            lambda case: id(case) in stopped, call_timeout_s, explanation)
        if numerical is not None:  # a derived item answered by differences: nothing (grading/derived.py)
            score = 0.0
            lines[0] = _headline(spec, len(passed), total, score)
            lines.append("  - " + numerical.message)
            mistakes.append({"id": numerical.id, "message": numerical.message, "cases": len(failed)})
        elif explanation is None and question.judge is not None:
            lines.append("  - No single explanation fits every failing case: each line above says what was found; "
                         "the visible checks (check(...)) show what your code does on the public cases.")
        elif explanation is None:
            lines.append("  - " + diagnose.summary([f.case.label for f in failed]))
        else:
            registered = any(m.name == explanation.id for m in question.mistakes)
            if question.judge is not None:  # the judge's message is said once, below, not on every failure line
                below = "the mistake recognised below." if registered else "see the diagnosis below."
                lines = [line.replace(f": {explanation.message}", f": {below}") for line in lines]
            if explanation.id not in CONTRACT_MESSAGES:  # a broken contract is already said on its line
                lines.append(f"  - {'Recognised mistake' if registered else 'Diagnosis'}: {explanation.message}")
            mistakes.append({"id": explanation.id, "message": explanation.message, "cases": len(failed)})
    if failed and located:
        lines.append("  - " + located)
    ended = Counter(call_ending(o.status, o.error_type) for o in outcomes if o.status != "ok")
    return QuestionResult(spec.id, score, spec.points, len(passed), total, "\n".join(lines), mistakes,
                          call_errors=dict(ended))


def _headline(spec: QuestionSpec, passed: int, total: int, score: float) -> str:
    """A question's first line of feedback: its checks passed and its points."""
    return f"{spec.id}: {passed}/{total} checks passed, {points(score)} of {points(spec.points)} points."


_ITEMS = re.compile(r"^((?:item \d+: )+)")


def named_items(message: str, question: Question, expected: Any) -> str:
    """A comparison's message with its position (``item 1: item 1: ``) named as the question
    names its results (``db2: ``, ``Question.wrt``, whose first names name a smaller result's:
    backprop's of two layers has dW1, db1, dW2, db2), when it names each of them."""
    match = _ITEMS.match(message)
    if not match or not question.wrt or expected is None:
        return message
    path = tuple(int(index) for index in re.findall(r"\d+", match.group(1)))
    paths = list(_leaf_paths(expected))
    if len(paths) > len(question.wrt) or path not in paths:
        return message
    return f"{question.wrt[paths.index(path)][0]}: " + message[match.end():]


def _leaf_paths(tree: Any, prefix: tuple[int, ...] = ()) -> Iterable[tuple[int, ...]]:
    """The index path of every leaf of a result tree, in order (that of ``compare.leaves``)."""
    if isinstance(tree, list):
        for index, item in enumerate(tree):
            yield from _leaf_paths(item, prefix + (index,))
    else:
        yield prefix


#: What a question whose every failing call raised NameError is told (there is no formula to diagnose).
UNDEFINED_NAME = ("your function uses a name that is not defined when the grader runs it: the grader runs the "
                  "setup cell and your answer cells only, in notebook order, and the read-only cells as released. "
                  "Define every helper your function needs in an answer cell.")


def lost_definitions(nb: Notebook, release: Notebook) -> dict[str, str]:
    """``{name: grade_id}``: each name a student defined (a function, a class, a variable, an
    import) in a read-only cell they edited that the released cell does not define. Graded as
    released, the cell no longer defines it. The names are the student's own: no hidden input."""
    released = {_grade_id(cell): _source(cell) for cell in release.get("cells", []) if _grade_id(cell)}
    theirs = {_grade_id(cell): _source(cell) for cell in nb.get("cells", []) if isinstance(cell, dict) and _grade_id(cell)}
    lost: dict[str, str] = {}
    for grade_id in edited_read_only_cells(nb, release):
        for name in sorted(_top_level_names(theirs[grade_id]) - _top_level_names(released.get(grade_id, ""))):
            lost.setdefault(name, grade_id)
    return lost


def _top_level_names(source: str) -> set[str]:
    """The names a cell's top-level statements bind (def, class, assignment, import)."""
    try:
        tree = ast.parse(_without_magics(source))
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def lost_definition_notes(results: list[QuestionResult], cells: list[GradedCell], specs: Iterable[QuestionSpec],
                          lost: Mapping[str, str]) -> list[QuestionResult]:
    """Each failed question whose function's cell uses a name of :func:`lost_definitions` is told
    so, by that name: ``batch_mean is not defined: it was in the read-only cell ... you edited``."""
    functions = {spec.id: spec.function for spec in specs}
    out = []
    for result in results:
        sources = [cell.source for cell in cells if functions.get(result.id) in cell.defines]
        used = [name for name in lost if any(re.search(rf"\b{re.escape(name)}\b", source) for source in sources)]
        if result.passed < result.total:
            for name in used:
                result = _with_note(result, f"{name} is not defined when your answer cells run: it was in the "
                                            f"read-only cell {lost[name]!r}, which you edited and which is graded "
                                            f"as released. Define {name} in an answer cell.")
        out.append(result)
    return out


def calls_between(sources: Iterable[str]) -> dict[str, set[str]]:
    """``{function: the names its body uses}`` for every top-level function of the cells."""
    uses: dict[str, set[str]] = {}
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                uses[node.name] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} - {node.name}
    return uses


def _reached(function: str, uses: Mapping[str, set[str]]) -> set[str]:
    """The functions of the cells that ``function`` calls, directly or through others."""
    seen, todo = set(), [function]
    while todo:
        for name in uses.get(todo.pop(), ()):
            if name in uses and name not in seen and name != function:
                seen.add(name)
                todo.append(name)
    return seen


def failing_callee_notes(results: list[QuestionResult], cells: list[GradedCell],
                         specs: Iterable[QuestionSpec]) -> list[QuestionResult]:
    """Each failed question whose function calls (directly or through a helper) the function of
    another question that failed too is told so: ``fit_line calls line_fit_gradient, which
    fails its own checks``; a wrong callee is often the whole reason."""
    functions = {spec.id: spec.function for spec in specs}
    failing = {functions[r.id]: r.id for r in results if r.passed < r.total and r.id in functions}
    if len(failing) < 2:  # no failing function calls another (and no cell is parsed)
        return list(results)
    uses = calls_between(cell.source for cell in cells)
    out = []
    for result in results:
        function = functions.get(result.id)
        callees = sorted(name for name in _reached(function, uses) if name in failing) if function in failing else []
        for callee in callees:
            result = _with_note(result, f"{function} calls {callee}, which fails its own checks ({failing[callee]}): "
                                        f"fix {callee} first; {function} may pass once it does.")
        out.append(result)
    return out


def _only_stubbed(failed: list[diagnose.Failure]) -> bool:
    """Every failure is a stub (NotImplementedError) or a function that is not there: nothing to explain."""
    return all(f.status not in ("ok", "timeout") and f.error_type in (None, "NotImplementedError") for f in failed)


#: Hidden calls that raised one of these (what numpy's shape, broadcasting and axis errors and a
#: wrong signature raise) are run again on public cases, to explain them with the message.
DIAGNOSED_ERRORS = frozenset({"ValueError", "IndexError", "TypeError"})


def diagnosis_errors(sandbox: Sandbox, sources: list[str], course: Course,
                     questions: list[tuple[QuestionSpec, list[CallOutcome]]],
                     budget: "WallBudget | None" = None) -> dict[str, str]:
    """The exception text of each question whose hidden calls raised, from one run of the
    same sources on the question's *public* cases (a run that sees no hidden case, so its
    messages may be shown). Returns ``{function name: message}`` for those that raise there too.
    The run takes its time from the submission's ``budget``; none is left: no diagnosis.
    """
    budget = budget or WallBudget(course.limits.submission_timeout_s)
    wanted = [spec for spec, outcomes in questions
              if any(o.status == "error" and o.error_type in DIAGNOSED_ERRORS for o in outcomes)]
    if not wanted or budget.spent:
        return {}
    calls, owners = [], []
    for spec in wanted:
        for case in public_cases(QUESTIONS[spec.id].bound(spec.settings), course.id, spec.public_cases):
            calls.append(Call(spec.function, case.args))
            owners.append(spec.function)
    run = budget.charge(sandbox.run(sources, calls, limits=course.limits, call_exception_text=True,
                                    wall_s=budget.left_s))
    errors: dict[str, str] = {}
    for owner, outcome in zip(owners, run.calls):
        if outcome.status == "error" and owner not in errors and outcome.message:
            errors[owner] = outcome.message
    return errors


def judged_locations(sandbox: Sandbox, sources: list[str], course: Course,
                     questions: list[tuple[QuestionSpec, list[PlannedCase], list[CallOutcome]]],
                     budget: "WallBudget | None" = None) -> dict[str, str]:
    """Where the first failed case of each judged question that can say so went wrong (a5's
    exact replays: the epoch, the batch, the parameters where the loop leaves the stated one).

    The judge's ``probes(case, failure id)`` are more calls of the student's function on the
    same case (other epochs), made in one more run of the same sources; its ``locate(case,
    results)`` reads their results and the case's own. Those results only explain: they never
    change a score. The run takes its time from the submission's ``budget``; none is left: no
    location. Returns ``{question id: text}``.
    """
    budget = budget or WallBudget(course.limits.submission_timeout_s)
    if budget.spent:
        return {}
    wanted = []
    for spec, cases, outcomes in questions:
        for planned, outcome in zip(cases, outcomes):
            failure = case_failure(planned, outcome) if hasattr(planned.question.judge, "probes") else None
            if failure is not None and failure.verdict is not None and not failure.contract:
                probes = planned.question.judge.probes(planned.case, failure.verdict.detail)
                if probes:
                    wanted.append((spec, planned, outcome, probes))
                    break
    if not wanted:
        return {}
    calls = [Call(spec.function, args) for spec, _, _, probes in wanted for args in probes]
    results = iter(budget.charge(sandbox.run(sources, calls, limits=course.limits, wall_s=budget.left_s)).calls)
    located = {}
    for spec, planned, outcome, probes in wanted:
        runs = [o.value if o.status == "ok" else None for o in (next(results) for _ in probes)]
        try:
            with np.errstate(all="ignore"):
                text = planned.question.judge.locate(planned.case, runs + [outcome.value])
        except Exception:  # noqa: BLE001 - whatever the student returned: no location, never a crash
            text = ""
        if text:
            located[spec.id] = text
    return located


# --------------------------------------------------------------------------- the whole notebook
def grade_notebook(nb: Notebook, assignment: str, student: str, *,
                   notebook: str | None = None, course: Course | None = None,
                   sandbox: Sandbox | None = None, release: Notebook | None = None) -> SubmissionResult:
    """Grade the auto-graded questions of one student's notebook.

    ``notebook`` names the notebook within the assignment (its name in course.yml, without
    ``.ipynb``); by default every question of the assignment is graded. ``release`` is the
    released notebook: its read-only cells are run in place of the student's copies (see
    :func:`graded_cells`), as nbgrader does; both grading paths pass it.
    """
    one_blas_thread()
    arrays_from_the_heap()
    course = course or default_course()
    specs = course.assignment(assignment).questions_of(notebook)
    cells = graded_cells(nb, release)
    sources = [cell.source for cell in cells]
    if sandbox is None:
        with Sandbox(course.limits) as own:
            result, run = grade_sources(own, sources, assignment, student, specs, course)
    else:
        result, run = grade_sources(sandbox, sources, assignment, student, specs, course)
    results, notes = place_cell_errors(result.questions, specs, cells, run.cells)
    if release is not None:
        results = lost_definition_notes(results, cells, specs, lost_definitions(nb, release))
    results = failing_callee_notes(results, cells, specs)
    edited = edited_cells_note(edited_read_only_cells(nb, release) if release is not None else [])
    notes = ([edited] if edited else []) + notes
    # which file was graded (a renamed notebook) is said by whoever found the file: the
    # command line's locate_notebook, nbgrader_plugin.EngineGrade; never the notebook itself
    return replace(result, questions=results, notes=notes)


def grade_sources(sandbox: Sandbox, sources: list[str], assignment: str, student: str,
                  specs: list[QuestionSpec], course: Course) -> tuple[SubmissionResult, RunResult]:
    """Grade the questions ``specs`` of code already picked out of a notebook: the hidden
    run, then (only when a hidden call raised) a diagnosis run on public cases, then scores.
    The hidden cases are those of ``sources`` (:func:`autograder.course.cases.submission_key`), so
    every path that grades the same code grades it on the same cases.
    Returns the result (cell errors not placed yet) and the hidden run (for its cells)."""
    planned = plan(course, assignment, student, specs, submission=submission_key(sources))  # before the adapters
    sources = list(sources) + adapter_cells(specs)  # after the student's cells: see adapter_cells
    calls, first, second = hidden_calls(planned)
    budget = WallBudget(course.limits.submission_timeout_s)  # every run of this submission together
    run, outcomes = run_calls(sandbox, sources, calls, course, budget, groups=call_groups(planned, first, len(calls)))
    per_question, start = [], 0
    for spec in specs:
        count = sum(1 for p in planned if p.spec is spec)
        span = range(start, start + count)
        per_question.append((spec, planned[start:start + count], [outcomes[first[k]] for k in span],
                             [None if second[k] is None else outcomes[second[k]] for k in span]))
        start += count
    public_errors = diagnosis_errors(sandbox, sources, course,
                                     [(spec, outs) for spec, _, outs, _ in per_question], budget)
    located = judged_locations(sandbox, sources, course, [(spec, cases, outs) for spec, cases, outs, _ in per_question],
                               budget)
    results = []
    for spec, cases, outs, agains in per_question:
        result = score_question(spec, cases, outs, course.limits.call_timeout_s, public_errors.get(spec.function),
                                again=agains, located=located.get(spec.id))
        results.append(replace(result, timed_out=any(o.status == "timeout" for o in outs)))
    return SubmissionResult(student, assignment, results, error=run.reason,
                            error_kind=run_error_kind(run.reason)), run


# --------------------------------------------------------------------------- adapters
#: Appended after the student's cells for a question graded through an adapter: the adapters
#: module runs in a namespace of its own and the student's function name is re-bound to the
#: adapted, plain-data callable (left alone when the student defines no such function).
_ADAPTER_CELL = """\
def _autograder_adapt(namespace, source, adapter, function):
    private = {{"__name__": "autograder_adapters"}}
    exec(compile(source, "<autograder adapter>", "exec"), private)
    if callable(namespace.get(function)):
        chosen = private["ADAPTERS"][adapter]
        namespace[function] = chosen.wrap(namespace[function], *[namespace.get(name) for name in chosen.needs])
_autograder_adapt(globals(), {source!r}, {adapter!r}, {function!r})
del _autograder_adapt
"""


def adapter_cells(specs: Iterable[QuestionSpec]) -> list[str]:
    """The cells that let a question whose student function takes a function be called
    with plain data (:mod:`autograder.checks.adapters`), one per such question. They run after
    every cell of the student's, so nothing the student defines can shadow them; the
    calls, their names and the feedback are those of any question. Only inputs reach them."""
    source = Path(adapters.__file__).read_text(encoding="utf-8")
    return [_ADAPTER_CELL.format(source=source, adapter=QUESTIONS[spec.id].adapter, function=spec.function)
            for spec in specs if QUESTIONS[spec.id].adapter]


def run_error_kind(reason: str | None) -> str | None:
    """The kind of a run's reason for stopping early: ``timeout`` or ``crash`` (None: it did not)."""
    if reason is None:
        return None
    return ErrorKind.TIMEOUT if "did not finish within" in reason else ErrorKind.CRASH


_CELL_PLACE = re.compile(r"\bcell (\d+)\b")


def located_cell_error(message: str, cells: list[GradedCell]) -> str:
    """A cell's error with the cell located as the student sees it: the sandbox numbers the
    cells it ran; the student sees their position in the notebook and their first line."""
    def where(match: re.Match) -> str:
        index = int(match.group(1)) - 1
        if not 0 <= index < len(cells):
            return match.group(0)
        cell = cells[index]
        place = f"cell {cell.position} of the notebook" if cell.position else "a read-only cell"
        return f"{place}, the one starting {_first_line(cell.first_line)}"
    # the sandbox has cleaned a cell's message already (cells run before any hidden input exists)
    return _CELL_PLACE.sub(where, message, count=1)


def _first_line(line: str, limit: int = 60) -> str:
    return repr(line if len(line) <= limit else line[:limit - 1] + "…")


def place_cell_errors(results: list[QuestionResult], specs: Iterable[QuestionSpec], cells: list[GradedCell],
                      outcomes: list) -> tuple[list[QuestionResult], list[str]]:
    """Each error of a cell reported once: under the questions whose function the cell
    defines; when it defines none of them (a setup cell, a helper), under the questions that
    lost points; when none did, as a note on the whole submission.

    Returns the questions (with their notes in the feedback) and the submission's notes.
    """
    functions = {spec.id: spec.function for spec in specs}
    by_id = {result.id: result for result in results}
    notes: list[str] = []
    for cell, outcome in zip(cells, outcomes):
        if outcome.ok:
            continue
        text = "Error in your code: " + located_cell_error(outcome.message, cells)
        targets = [qid for qid, function in functions.items() if function in cell.defines]
        targets = targets or [r.id for r in results if r.passed < r.total]
        if not targets:
            notes.append(text)
        for qid in targets:
            by_id[qid] = _with_note(by_id[qid], text)
    return [by_id[result.id] for result in results], notes


MAX_RERUNS = 3


def hidden_calls(planned: list[PlannedCase]) -> tuple[list[Call], list[int], list[int | None]]:
    """The calls of the hidden run: one per case, and for a question whose notebook asks
    for the arguments to be left unchanged (``Question.keeps_inputs``) or for a result of the
    arguments alone (``Question.reproducible``) a second call on the very objects the first was
    given (``Call(again=True)``), whose value must be right too (and, when reproducible, the same).

    That second value is what can be observed of "the function changed its arguments" from
    outside the run (docs/design.md, "What a run says about itself"). Returns the calls and,
    per case, the index of its call and of its second call (None: none)."""
    calls: list[Call] = []
    first: list[int] = []
    second: list[int | None] = []
    for p in planned:
        first.append(len(calls))
        # only a question that keeps its inputs reads what the run says of them (advice_lines)
        calls.append(Call(p.spec.function, p.case.args, watch_inputs=p.question.keeps_inputs))
        if p.question.keeps_inputs or p.question.reproducible:
            second.append(len(calls))
            calls.append(Call(p.spec.function, (), again=True))
        else:
            second.append(None)
    return calls, first, second


def call_groups(planned: list[PlannedCase], first: list[int], n_calls: int) -> list[int]:
    """How the hidden calls are sent (``Sandbox.run(groups=)``): the calls of one question's
    cases together, one round trip instead of one per call, each call timed from the group's
    first byte; the case with many parameters alone (a numerical gradient overruns there: alone,
    it is a time-out of its own, as when every call went alone), and a judged question's calls
    (training runs, seconds each) one at a time. ``first`` is :func:`hidden_calls`'s index of
    each case's first call; a case's second call goes with it."""
    starts = []
    for k, p in enumerate(planned):
        alone = p.question.judge is not None or p.case.label == LARGE_CASE_LABEL
        if k == 0 or alone or planned[k - 1].spec is not p.spec or planned[k - 1].case.label == LARGE_CASE_LABEL \
                or planned[k - 1].question.judge is not None:
            starts.append(first[k])
    ends = starts[1:] + [n_calls]
    return [end - start for start, end in zip(starts, ends)]


@dataclass
class WallBudget:
    """The wall-clock time all the runs of one submission may take together: the hidden
    run, its reruns after a crash or an overrun call, and the diagnosis run. Each run gets
    what is left (``Sandbox.run(wall_s=)``) and is charged what it took, so a notebook whose
    cells take nearly the whole limit cannot take it again in every rerun."""

    total_s: float
    used_s: float = 0.0

    #: Below this, a further run could not even start its cells: it is not tried.
    MIN_RUN_S = 0.25

    @property
    def left_s(self) -> float:
        return max(0.0, self.total_s - self.used_s)

    @property
    def spent(self) -> bool:
        return self.left_s < self.MIN_RUN_S

    def charge(self, run: RunResult) -> RunResult:
        self.used_s += run.wall_s
        return run


def run_calls(sandbox: Sandbox, sources: list[str], calls: list[Call], course: Course,
              budget: WallBudget | None = None, groups: list[int] | None = None):
    """Run the calls; when a call crashes the run (os._exit, a segfault) or overruns its
    time limit (the supervisor then kills the run), run the calls that were not reached
    again in a fresh run, without the function that stopped it, so that one crash or hang
    costs its own question only (at most :data:`MAX_RERUNS` times, and only while the
    submission's ``budget`` lasts).

    ``groups`` (:func:`call_groups`) sends the first run's calls a group at a time; calls of
    a group that overran together come back "not run" and are run again here, one at a time
    (as every rerun's calls are), so that each is timed alone.

    Returns the first run (for its cells and reason) and one outcome per call.
    """
    budget = budget or WallBudget(course.limits.submission_timeout_s)
    # the course's limits, as in the feedback
    run = budget.charge(sandbox.run(sources, calls, limits=course.limits, wall_s=budget.left_s, groups=groups))
    outcomes, last = list(run.calls), run
    for _ in range(MAX_RERUNS):
        stopped = {calls[i].function for i, o in enumerate(outcomes) if o.status in ("crashed", "timeout")}
        todo = [i for i, o in enumerate(outcomes) if o.status == "not_run" and calls[i].function not in stopped]
        todo = [i for i in todo if not calls[i].again or i - 1 in todo]  # a second call goes with its first
        stopped_at_a_call = any(o.status == "crashed" for o in outcomes) or last.reason is None
        if not todo or not stopped_at_a_call:
            break
        if budget.spent:
            used = (f"not run: the submission's time limit of {course.limits.submission_timeout_s:g} s "
                    f"(all its runs together) was used up")
            for i in todo:
                outcomes[i] = CallOutcome("not_run", None, used)
            break
        last = budget.charge(sandbox.run(sources, [calls[i] for i in todo], limits=course.limits,
                                         wall_s=budget.left_s))
        for i, outcome in zip(todo, last.calls):
            outcomes[i] = outcome
    return run, outcomes


def _with_note(result: QuestionResult, note: str) -> QuestionResult:
    return replace(result, feedback=result.feedback + "\n  - " + note)


def read_notebook(path: str | os.PathLike, *, max_bytes: int | None = None,
                  root: str | os.PathLike | None = None) -> Notebook:
    """Read a notebook for grading.

    The file must be a regular file of at most ``max_bytes`` (default: the course's
    ``limits.notebook_mb``), and with ``root`` (the submissions directory) every folder
    below ``root`` a real folder: see :func:`autograder.grading.submission_files.read_submission_file`,
    whose :class:`SubmissionFileError` says why not; nor may it hold more JSON items than
    parsing under that cap may make (:func:`autograder.grading.json_budget.check_items`). A version-4 notebook is read as plain
    JSON: grading needs only the cells' type, metadata and source, and nbformat's import
    and schema validation would cost more than grading. Other versions go through nbformat."""
    max_bytes = default_course().notebook_bytes if max_bytes is None else max_bytes
    data = read_submission_file(path, max_bytes, root)
    check_items(data, max_bytes, f"the notebook {Path(path).name}")  # before json.loads makes them
    text = data.decode("utf-8")
    del data  # the text and its objects are what parsing needs
    nb = json.loads(text)
    if not isinstance(nb, dict):
        raise ValueError("not a notebook")
    if nb.get("nbformat") == 4:
        if not isinstance(nb.get("cells"), list):
            raise ValueError("a notebook without a list of cells")
        return nb
    import nbformat

    return nbformat.reads(text, as_version=4)


@dataclass(frozen=True)
class Refusal:
    """Why a submitted notebook is not graded as submitted: ``reason`` for the student (the
    error of a :class:`SubmissionResult`), ``kind`` one of :class:`ErrorKind`'s values."""

    reason: str
    kind: str


def read_submission(path: str | os.PathLike, *, max_bytes: int,
                    root: str | os.PathLike | None = None) -> Notebook | Refusal:
    """A submitted notebook, read as every grading path reads it (the command line, nbgrader's
    ``autograde`` through :class:`autograder.nbgrader_plugin.SubmissionExporter`), or the
    :class:`Refusal` that makes it a graded zero: missing; a symbolic link, FIFO, device or
    file larger than ``max_bytes`` (never opened or read past the cap, see
    :func:`read_notebook`); not UTF-8, not JSON, not a notebook."""
    try:
        return read_notebook(path, max_bytes=max_bytes, root=root)
    except MissingNotebook as error:
        return Refusal(f"{error}; its questions scored 0", ErrorKind.MISSING)
    except SubmissionFileError as error:  # a link, a FIFO, too large, too many items, ...
        return Refusal(f"{error}; its questions scored 0", ErrorKind.REFUSED)
    except MemoryError:  # over the grader's memory budget: said as such by the batch (batch.budget)
        raise
    except Exception as error:  # not UTF-8, not JSON, not a notebook, ...
        return Refusal(f"the notebook could not be read ({type(error).__name__}); its questions scored 0",
                       ErrorKind.UNREADABLE)


def grade_path(path: str | os.PathLike, assignment: str, student: str, *,
               root: str | os.PathLike | None = None, **kwargs: Any) -> SubmissionResult:
    """Grade a notebook file; a file that cannot be graded is a graded zero with a reason.

    ``root`` is the submissions directory the path lies in (see :func:`read_notebook`);
    the other keywords are :func:`grade_notebook`'s.
    """
    course = kwargs.get("course") or default_course()
    nb = read_submission(path, max_bytes=course.notebook_bytes, root=root)
    if not isinstance(nb, Refusal):
        return grade_notebook(nb, assignment, student, **kwargs)
    kwargs.pop("release", None)  # nothing of the student's to run: "not defined", not the stubs
    result = grade_notebook({"cells": []}, assignment, student, **kwargs)
    return replace(result, error=nb.reason, error_kind=nb.kind)
