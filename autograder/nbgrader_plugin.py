"""nbgrader integration: our engine grades, nbgrader keeps the books.

Three pieces, all wired up by ``nbgrader_config.py``:

``EngineGrade``
    Put in place of nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``.
    It never starts a kernel: it hands the sanitized submission (after nbgrader's
    ``ClearOutput``/``OverwriteCells``) to ``autograder.grading.pipeline.grade_notebook`` and
    rewrites the outputs of every autograder-tests cell so that nbgrader's own
    ``nbgrader.utils.determine_grade`` reads back exactly the engine's score:

    * a ``stream``/``stdout`` output with the engine's feedback (shown by
      ``nbgrader generate_feedback`` and in the formgrader), then
    * an ``execute_result`` whose ``text/plain`` is ``repr(score)``.
      ``determine_grade`` stops at the first ``execute_result`` and returns
      ``float(text)`` (``nbgrader.utils.get_partial_grade``); ``repr`` of a float
      round-trips exactly, so fractional scores arrive unchanged.  Any ``error``
      output or ``stderr`` stream before it would make the score 0, so we never
      write those for a graded question.

    A tests cell whose ``grade_id`` the engine does not know gets an ``error``
    output (score 0) saying so.

``ReleaseGuard``
    Appended to ``GenerateAssignment.preprocessors``: refuses to release a notebook
    that still contains solution/hidden-test/mark-scheme delimiters or any other
    forbidden text (``nn_core``).

``SubmissionExporter``
    ``Autograde.exporter_class``: reads each student's notebook as the command line reads
    it (:func:`autograder.batch.grade.locate_notebook`, :func:`autograder.grading.pipeline.read_submission`):
    no symbolic link, FIFO, device or oversized file is read, and such a file is a graded
    zero with the command line's reason; a renamed notebook (``X-Copy1.ipynb``) is read in
    place, without a file written into the student's folder.

``sync_gradebook``
    Creates/updates the assignments and due dates of ``course.yml`` in the gradebook
    (nbgrader 0.9 has no ``db_assignments`` option any more).  Used as
    ``BaseConverter.pre_convert_hook`` and by ``autograder.course.release``.
"""
from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import json
import math
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Tuple

import nbformat
import nbformat.v4
from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter, NotebookExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_notebook, new_output
from traitlets import Dict, Float, List, Unicode, default

from nbgrader import utils
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor, OverwriteCells

from autograder.course.config import DEFAULT_NOTEBOOK_MB, MB
from autograder.grading.feedback import renamed_note, submission_notes, wrap
from autograder.grading.results import SubmissionResult
from autograder.grading.student_html import sanitise_html

DEFAULT_GRADER = "autograder.grading.pipeline.grade_notebook"

#: Text that must never appear in a released notebook.
FORBIDDEN_IN_RELEASE = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "BEGIN HIDDEN TESTS",
    "END HIDDEN TESTS",
    "BEGIN MARK SCHEME",
    "END MARK SCHEME",
    "nn_core",
)


def import_callable(dotted: str) -> Callable[..., Any]:
    """``"package.module.function"`` -> the function (imported now, not at config load)."""
    module_name, _, attr = dotted.rpartition(".")
    if not module_name:
        raise ValueError(f"not a dotted path to a callable: {dotted!r}")
    return getattr(importlib.import_module(module_name), attr)


def is_autograder_tests(cell: NotebookNode) -> bool:
    """An nbgrader "Autograder tests" cell: a code cell with grade=True, solution=False."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def _accepts_keyword(fn: Callable[..., Any], name: str) -> bool:
    """Whether ``fn`` takes keyword ``name`` (the engine's optional ``notebook=``: grade only
    the questions of this notebook of a multi-notebook assignment)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _fmt(x: float) -> str:
    return f"{x:g}"


class EngineGrade(NbGraderPreprocessor):
    """Grade a submission with the course engine instead of executing it in a kernel."""

    grader = Unicode(
        DEFAULT_GRADER,
        help="Dotted path of grade_notebook(nb, assignment, student) -> SubmissionResult.",
    ).tag(config=True)
    course_root = Unicode(
        "",
        help="The course directory: the read-only cells run from assignments/A/NOTEBOOK.ipynb, "
             "as on the command line. Empty: the student's copies of them.",
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> Tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        assignment, student, notebook = info["assignment"], info["student"], info["notebook"]
        grade_notebook = import_callable(self.grader)
        self.log.info("Grading %s/%s/%s with %s (no kernel)", student, assignment, notebook, self.grader)
        # A copy: the engine must not be able to change what nbgrader records.
        # An exception here is a fault of ours, not of the student: let nbgrader
        # report the submission as failed rather than record zeros.
        kwargs = {"notebook": notebook} if _accepts_keyword(grade_notebook, "notebook") else {}
        release = self._release(assignment, notebook)
        refusal = reader_marks(nb).get(REFUSED_KEY)
        if isinstance(refusal, dict):
            # not graded as submitted (SubmissionExporter): as the command line's grade_path
            # grades it, nothing of the student's, the reason as the submission's error
            result = grade_notebook(new_notebook(), assignment, student, **kwargs)
            if isinstance(result, SubmissionResult):
                result = dataclasses.replace(result, error=str(refusal.get("reason")),
                                             error_kind=str(refusal.get("kind")))
        else:
            submission = copy.deepcopy(nb)
            if release is not None and _accepts_keyword(grade_notebook, "release"):
                kwargs["release"] = release
                # nbgrader has restored the read-only cells (RestoreReadOnlyCells recorded the edits)
                # and re-added deleted test cells under a comment: none of that is the student's edit
                _with_read_only_cells_of(submission, release)
            result = grade_notebook(submission, assignment, student, **kwargs)
        result = self._in_context(result, nb, resources)
        notes = submission_notes(result)
        if notes:  # the feedback page shows them above the questions (course_feedback.html.j2)
            nb.metadata.setdefault("autograder", {})[NOTES_KEY] = notes

        by_id = {q.id: q for q in result.questions}
        seen: set[str] = set()
        for cell in nb.cells:
            if not is_autograder_tests(cell):
                continue
            grade_id = cell.metadata.nbgrader["grade_id"]
            seen.add(grade_id)
            question = by_id.get(grade_id)
            if question is None:
                cell.outputs = [self._unknown_question_output(grade_id, result)]
            else:
                # the submission's notes once, in the first graded cell, not in every one
                cell.outputs = self._graded_outputs(cell, question, notes if len(seen) == 1 else [])
            cell.execution_count = None

        for missing in sorted(set(by_id) - seen):
            self.log.warning(
                "The engine graded question %r but %s/%s has no autograder-tests cell with "
                "that grade_id; its score is not recorded by nbgrader.", missing, assignment, notebook)
        return nb, resources

    # -- the course directory ------------------------------------------------------------
    def _release(self, assignment: str, notebook: str) -> dict | None:
        if not self.course_root:
            return None
        path = Path(self.course_root) / "assignments" / assignment / f"{notebook}.ipynb"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def _in_context(self, result: Any, nb: NotebookNode, resources: ResourcesDict) -> Any:
        """The result with what only nbgrader's side knows: the file graded in place of a
        renamed notebook (recorded by :class:`SubmissionExporter`), the read-only cells the student
        edited (recorded by :class:`RestoreReadOnlyCells` before it restored them) and how
        late the submission is (the gradebook's timestamp, from ``timestamp.txt``, and due
        date), worded as the command line words them."""
        if not isinstance(result, SubmissionResult):
            return result
        from autograder.grading.pipeline import edited_cells_note
        from autograder.batch.lateness import lateness

        marks = reader_marks(nb)
        edited = edited_cells_note(marks.get(EDITED_KEY, []))
        notes = ([edited] if edited and edited not in result.notes else []) + list(result.notes)
        graded_from = marks.get(GRADED_FROM_KEY)
        if isinstance(graded_from, str):  # first, as on the command line
            notes.insert(0, renamed_note(graded_from, f"{resources['nbgrader']['notebook']}.ipynb"))
        late = result.late
        db_url = resources["nbgrader"].get("db_url")
        if late is None and db_url:
            from nbgrader.api import Gradebook, MissingEntry

            with Gradebook(db_url) as gb:
                try:
                    submission = gb.find_submission(result.assignment, result.student)
                    due = submission.assignment.duedate
                    per_day = float(self.config.get("CourseLatePolicy", {}).get("per_day", 0.0))
                    late = (lateness(submission.timestamp, due, sum(q.score for q in result.questions), per_day)
                            if due is not None else None)
                except MissingEntry:
                    late = None
        return dataclasses.replace(result, notes=notes, late=late)

    # -- outputs -------------------------------------------------------------------
    def _cell_score(self, cell: NotebookNode, question: Any) -> float:
        points = float(cell.metadata.nbgrader["points"])
        score, max_score = float(question.score), float(question.max_score)
        if not math.isfinite(score):
            self.log.error("Engine score for %s is not finite (%r); recording 0", question.id, score)
            return 0.0
        if max_score != points:
            self.log.warning(
                "Points differ for %s: the notebook says %s, the engine %s; scaling the engine's score.",
                question.id, _fmt(points), _fmt(max_score))
            score = score * points / max_score if max_score > 0 else 0.0
        if score < 0.0 or score > points:
            self.log.warning("Engine score %r for %s is outside [0, %s]; clamping.", score, question.id, points)
            score = min(max(score, 0.0), points)
        return score

    def _graded_outputs(self, cell: NotebookNode, question: Any, notes: list[str]) -> list[NotebookNode]:
        """The question's feedback (its own first line is the score: no second headline),
        wrapped as in feedback.txt; before it, when given, the submission's notes in an output of
        their own (:data:`NOTES_OUTPUT`: the formgrader shows it, the feedback page moves it to its
        heading, out of the question's box)."""
        score = self._cell_score(cell, question)
        text = (wrap(question.feedback.rstrip("\n")) if question.feedback else
                f"{question.id}: {_fmt(score)} of {_fmt(float(cell.metadata.nbgrader['points']))} points.")
        shown = [new_output("display_data", data={"text/plain": wrap("\n".join(notes))},
                            metadata={"autograder": NOTES_OUTPUT})] if notes else []
        return shown + [
            new_output("stream", name="stdout", text=text + "\n"),
            # determine_grade -> get_partial_grade -> float(text/plain): the score. The feedback
            # page drops it (HideScoreOutputs): the score is in the cell's heading already.
            new_output("execute_result", data={"text/plain": repr(score)}, execution_count=None),
        ]

    @staticmethod
    def _unknown_question_output(grade_id: str, result: Any) -> NotebookNode:
        message = (f"The autograder has no question {grade_id!r}, so this cell was not graded "
                   f"(0 points). Please tell the instructor.")
        if getattr(result, "error", None):
            message += f" Your notebook did not run completely: {result.error}"
        return new_output("error", ename="UngradedQuestion", evalue=message,
                          traceback=[f"UngradedQuestion: {message}"])


def _with_read_only_cells_of(nb: NotebookNode, release: dict) -> None:
    """Give ``nb``'s read-only cells the release's sources (matched by ``grade_id``)."""
    released = {cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"): cell for cell in release.get("cells", [])
                if cell.get("metadata", {}).get("nbgrader", {}).get("locked")}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in released:
            source = released[grade_id].get("source", "")
            cell.source = "".join(source) if isinstance(source, list) else source


#: Where the grader's own steps leave notes in a notebook on its way through ``autograde``
#: (``metadata.autograder``). :class:`SubmissionExporter` drops whatever the student's file
#: holds there, so that only the grader writes them.
MARKS_KEY = "autograder"
#: Where :class:`RestoreReadOnlyCells` records the read-only cells a student edited.
EDITED_KEY = "edited_read_only_cells"
#: Where :class:`SubmissionExporter` records the name of a renamed notebook graded in place of
#: the expected one (``two_layer-Copy1.ipynb``).
GRADED_FROM_KEY = "graded_from"
#: Where :class:`SubmissionExporter` records why a submission is not graded as submitted
#: (``{"reason": ..., "kind": ...}``, a :class:`autograder.grading.pipeline.Refusal`).
REFUSED_KEY = "refused"


def reader_marks(nb: NotebookNode) -> dict:
    """The grader's notes in ``nb`` (``metadata.autograder``; empty when there are none)."""
    marks = nb.get("metadata", {}).get(MARKS_KEY, {})
    return marks if isinstance(marks, dict) else {}


class RestoreReadOnlyCells(OverwriteCells):
    """nbgrader's ``OverwriteCells`` without its false alarms.

    nbgrader compares each read-only cell's checksum with the one it saved from the *source*
    notebook, whose test cells still hold the hidden-tests block and whose prompts hold the mark
    scheme: every untouched notebook warned 12-20 times "Attribute 'checksum' ... has changed!".
    Here a read-only cell is compared with the *released* cell (what the student was given):
    an untouched one is restored silently, an edited one is restored with one warning, and
    recorded in the notebook's metadata for :class:`EngineGrade` to tell the student.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> Tuple[NotebookNode, ResourcesDict]:
        self._edited: list[str] = []
        nb, resources = super().preprocess(nb, resources)
        if self._edited:
            info = resources["nbgrader"]
            self.log.warning("%s/%s/%s: the student edited the read-only cell(s) %s; graded as released.",
                             info["student"], info["assignment"], info["notebook"], ", ".join(self._edited))
            nb.metadata.setdefault(MARKS_KEY, {})[EDITED_KEY] = self._edited
        return nb, resources

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        if attr == "checksum":
            return  # decided in preprocess_cell, against the release
        super().report_change(name, attr, old, new)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> Tuple[NotebookNode, ResourcesDict]:
        from autograder.grading.pipeline import _as_released

        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        before = cell.source
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if grade_id and cell.source != before and _as_released(cell.source) != _as_released(before):
            self._edited.append(grade_id)
        return cell, resources


#: Where :class:`EngineGrade` records the submission's notes (the late flag, an edited read-only
#: cell, ...) in the notebook's metadata, and what marks their output in the first graded cell.
NOTES_KEY = "submission_notes"
NOTES_OUTPUT = "submission notes"


class HideScoreOutputs(NbGraderPreprocessor):
    """For the feedback page: drop the score value (``Out[ ]: 0.75``) under each autograder-tests
    cell; nbgrader has read it into the gradebook already and the cell's heading shows it. Drop
    the submission's notes there too: the page's heading shows them, above every question."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> Tuple[NotebookNode, ResourcesDict]:
        if is_autograder_tests(cell):
            cell.outputs = [o for o in cell.get("outputs", []) if o.output_type != "execute_result"
                            and o.get("metadata", {}).get("autograder") != NOTES_OUTPUT]
        return cell, resources


#: A formula in markdown: ``$$...$$`` (display) or ``$...$`` (inline, not ``\$``); and what
#: must stay as typed: fenced code and code spans.
_FORMULA = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.DOTALL)
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


#: latex2mathml takes about 50 microseconds per character of TeX and as much again per formula
#: (a minute for a formula of a megabyte, a student's to write): a formula longer than this stays
#: as typed, and so do a notebook's formulas once this many characters of TeX, one more per
#: formula, have been converted (:class:`FormulasAsMathML`; the released notebooks use at most 3,800).
MAX_FORMULA_CHARS = 2_000
MAX_NOTEBOOK_TEX_CHARS = 20_000


def formulas_as_mathml(markdown: str, budget: list[int] | None = None) -> str:
    """``markdown`` with every formula as MathML, which browsers render themselves (no script,
    no network). A formula latex2mathml cannot read stays as it was, and so does one longer
    than :data:`MAX_FORMULA_CHARS` or beyond ``budget`` (a one-item list: the characters of TeX
    still to convert, spent as formulas are converted, one more for each formula; by default
    :data:`MAX_NOTEBOOK_TEX_CHARS`)."""
    from latex2mathml.converter import convert

    budget = [MAX_NOTEBOOK_TEX_CHARS] if budget is None else budget

    def mathml(match: re.Match) -> str:
        tex = match.group("display") or match.group("inline")
        if len(tex) + 1 > min(MAX_FORMULA_CHARS, budget[0]):
            return match.group(0)
        budget[0] -= len(tex) + 1
        try:
            return convert(tex.strip(), display="block" if match.group("display") else "inline")
        except Exception:  # an unknown macro, nesting too deep: leave the formula as typed
            return match.group(0)

    parts = _CODE.split(markdown)
    return "".join(part if i % 2 else _FORMULA.sub(mathml, part) for i, part in enumerate(parts))


class FormulasAsMathML(NbGraderPreprocessor):
    """For the feedback page: the markdown cells' formulas as MathML, so that the page shows
    them offline (nbgrader's template loads MathJax from the network; a student reading the
    page on a train sees raw TeX)."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> Tuple[NotebookNode, ResourcesDict]:
        self._tex_budget = [MAX_NOTEBOOK_TEX_CHARS]  # per notebook: see formulas_as_mathml
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> Tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "markdown":
            cell.source = formulas_as_mathml(cell.source, getattr(self, "_tex_budget", None))
        return cell, resources


#: nbconvert's MathJax loader and configuration, dropped from the feedback page: its formulas
#: are MathML already (:class:`FormulasAsMathML`) and the page loads nothing from the network.
_MATHJAX = ("<!-- Load mathjax -->", "<!-- End of mathjax configuration -->")


def without_mathjax(page: str) -> str:
    """``page`` without the template's MathJax block: the first :data:`_MATHJAX` pair, in the
    page's head, before any student text. Found with :meth:`str.find`: a lazy regular expression
    scanned to the end from every copy of the opening comment a student wrote (quadratic)."""
    start = page.find(_MATHJAX[0])
    end = page.find(_MATHJAX[1], start) if start != -1 else -1
    return page if end == -1 else page[:start] + page[end + len(_MATHJAX[1]):]


#: The feedback page's template: nbgrader's, with question names in its index and the
#: feedback wrapped to the page (``autograder/templates/course_feedback.html.j2``).
TEMPLATES = Path(__file__).resolve().parent / "templates"
FEEDBACK_TEMPLATE = "course_feedback.html.j2"


class FeedbackExporter(HTMLExporter):
    """``nbgrader generate_feedback``'s exporter (``GenerateFeedback.exporter_class``, also
    used by the formgrader's feedback button): nbgrader's HTML exporter and ``feedback``
    template, with :data:`FEEDBACK_TEMPLATE` on top, every markdown cell sanitised and nbconvert's
    ``sanitize_html`` on. A class of its own, so the formgrader's other pages keep their templates."""

    @default("template_file")
    def _template_file_default(self) -> str:
        return FEEDBACK_TEMPLATE

    @default("template_paths")
    def _template_paths(self, prune: bool = True, root_dirs: Any = None) -> list[str]:
        return [str(TEMPLATES), *super()._template_paths(prune, root_dirs)]

    @default("sanitize_html")
    def _sanitize_html_default(self) -> bool:
        return True  # nbconvert's own sanitiser for outputs and raw cells (no JavaScript output runs)

    @pass_context
    def markdown2html(self, context: Any, source: str) -> str:
        """nbconvert's markdown cells, sanitised (:mod:`autograder.grading.student_html`): a written
        answer is the student's markdown, and its HTML must never run in the page."""
        return sanitise_html(super().markdown2html(context, source))

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
        output, resources = super().from_notebook_node(nb, resources, **kw)
        return without_mathjax(output), resources


#: Where a solution cell's metadata gives its own stub (see :class:`ClearSolutionsWithOwnStub`).
STUB_KEY = "stub"


class ClearSolutionsWithOwnStub(ClearSolutions):
    """nbgrader's ``ClearSolutions``, with a cell's own stub where its metadata gives one
    (``metadata.autograder.stub``): a5's cell for the code of assignments 1-4 raises
    ``NotImplementedError`` saying what to paste there, not a bare ``NotImplementedError:``
    that stops Run All without a word. Every other cell gets nbgrader's stub."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> Tuple[NotebookNode, ResourcesDict]:
        own = cell.get("metadata", {}).get("autograder", {}).get(STUB_KEY)
        if not isinstance(own, str):
            return super().preprocess_cell(cell, resources, cell_index)
        stubs = dict(self.code_stub)
        self.code_stub = {language: own for language in stubs}
        try:
            return super().preprocess_cell(cell, resources, cell_index)
        finally:
            self.code_stub = stubs


class ReleaseGuard(NbGraderPreprocessor):
    """Last step of ``generate_assignment``: fail loudly if anything secret survived."""

    forbidden = List(list(FORBIDDEN_IN_RELEASE), help="Text that must not appear in a released notebook.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> Tuple[NotebookNode, ResourcesDict]:
        problems = []
        for index, cell in enumerate(nb.cells):
            text = json.dumps(cell, ensure_ascii=False)
            for word in self.forbidden:
                if word in text:
                    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
                    problems.append(f"cell {index} {grade_id!r} contains {word!r}")
        meta = json.dumps(nb.metadata, ensure_ascii=False)
        problems += [f"notebook metadata contains {w!r}" for w in self.forbidden if w in meta]
        if problems:
            raise RuntimeError(
                f"Refusing to release {resources.get('nbgrader', {}).get('notebook', 'notebook')}: "
                + "; ".join(problems))
        return nb, resources


class CourseLatePolicy(LateSubmissionPlugin):
    """nbgrader's late penalty by course.yml's policy (``late.penalty_per_day``, wired up by
    nbgrader_config.py): the same :func:`autograder.batch.lateness.late_penalty` as the command line."""

    per_day = Float(0.0, help="Share of the score taken off per day late begun (course.yml late.penalty_per_day).").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        from autograder.batch.lateness import late_penalty

        return late_penalty(score, total_seconds_late, self.per_day)


def adopt_renamed_notebook(expected: Iterable[str], notebooks: list[str], log: Any = None) -> str | None:
    """nbgrader's side of "a renamed notebook is graded when it is the only one".

    ``notebooks`` is the list of paths nbgrader is about to convert for one student (the very
    list ``Autograde`` uses, changed in place). When the assignment has one notebook, which is
    missing, and the student's folder holds exactly one other notebook (``X-Copy1.ipynb``),
    its entry becomes the expected path (``X.ipynb``), so that nbgrader grades it as that
    notebook; :class:`SubmissionExporter` then finds the renamed file there
    (:func:`autograder.batch.grade.locate_notebook`) and reads it in place. Nothing is written into
    the student's folder: a copy there would shadow every corrected ``X-Copy1.ipynb`` the
    student hands in later. Returns the renamed file's name.
    """
    expected = list(expected)
    if len(expected) != 1 or len(notebooks) != 1:
        return None
    found = Path(notebooks[0])
    target = found.with_name(f"{expected[0]}.ipynb")
    if found.name == target.name or os.path.lexists(target):
        return None
    notebooks[:] = [str(target)]
    if log is not None:
        log.warning("grading %s as %s (the only notebook the student submitted)", found, target.name)
    return found.name


class SubmissionExporter(NotebookExporter):
    """``Autograde.exporter_class``: the student's notebook read as the command line reads it.

    nbgrader's ``autograde`` reads each submitted notebook through its exporter's
    ``from_filename`` (first pass, ``submitted/STUDENT/A/NB.ipynb``; the second pass reads
    its own output in ``autograded/``). Stock nbconvert opens whatever is at that path,
    following links and waiting on FIFOs. Here a submitted notebook is found by
    :func:`autograder.batch.grade.locate_notebook` (a renamed notebook in place) and read by
    :func:`autograder.grading.pipeline.read_submission` below the submissions directory (real folders,
    a regular file of at most :attr:`notebook_mb`, no link followed). A notebook that is
    refused (a link, a FIFO, a device, too large, not a notebook) is replaced by the released
    notebook marked ``metadata.autograder.refused``, which :class:`EngineGrade` grades as the
    command line does: every question 0, the same reason in the feedback. Whatever the
    student's file holds under ``metadata.autograder`` is dropped: only the grader marks.
    """

    notebook_mb = Float(DEFAULT_NOTEBOOK_MB, help="course.yml's limits.notebook_mb: the largest "
                                                  "notebook file read.").tag(config=True)
    notebooks = Dict(help="assignment id -> the names of its notebooks (course.yml); an assignment of "
                          "one notebook is graded from a renamed copy").tag(config=True)

    def from_filename(self, filename: str, resources: dict | None = None, **kw: Any) -> tuple[Any, dict]:
        coursedir = getattr(self.parent, "coursedir", None)
        if coursedir is None or _is_below(filename, _step_root(coursedir, coursedir.autograded_directory)):
            return super().from_filename(filename, resources, **kw)  # nbgrader's own output
        path = Path(filename)
        resources = ResourcesDict() if resources is None else resources
        if not resources.get("metadata"):
            resources["metadata"] = ResourcesDict()
        resources["metadata"].update(name=path.stem, path=str(path.parent))
        return self.from_notebook_node(self.read_submitted(path, coursedir), resources, **kw)

    def read_submitted(self, path: Path, coursedir: Any) -> NotebookNode:
        """The notebook graded for ``path`` (``submitted/STUDENT/A/NB.ipynb``), marked."""
        from autograder.batch.grade import locate_notebook
        from autograder.grading.pipeline import Refusal, read_submission

        submitted = _step_root(coursedir, coursedir.submitted_directory)
        root = submitted if _is_below(str(path), submitted) else None
        assignment = path.parent.name
        max_bytes = int(self.notebook_mb * MB)
        found = locate_notebook(path.parent, path.name, len(self.notebooks.get(assignment, [])) == 1,
                                max_bytes=max_bytes, root=root)
        nb = read_submission(found.path, max_bytes=max_bytes, root=root)
        marks = {GRADED_FROM_KEY: found.path.name} if found.path.name != path.name else {}
        if isinstance(nb, Refusal):
            marks[REFUSED_KEY] = {"reason": nb.reason, "kind": nb.kind}
            self.log.warning("%s is not graded as submitted: %s", found.path, nb.reason)
            nb = self._release(coursedir, assignment, path.name)
        else:
            nb = nbformat.v4.to_notebook_json(nb)  # as nbformat.read makes it: sources joined
        nb.setdefault("metadata", {})[MARKS_KEY] = marks
        return nb

    @staticmethod
    def _release(coursedir: Any, assignment: str, name: str) -> NotebookNode:
        """What the student was given (the instructor's file), or an empty notebook."""
        path = Path(_step_root(coursedir, coursedir.release_directory)) / assignment / name
        return nbformat.read(str(path), as_version=4) if path.is_file() else new_notebook()


def _step_root(coursedir: Any, step: str) -> str:
    """The folder of one nbgrader step (``submitted``, ``autograded``) in the course."""
    return os.path.normpath(coursedir.format_path(step, ".", "."))


def _is_below(path: str, folder: str) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))


def before_conversion(db_url: str, course_id: str, assignments: Iterable[tuple[str, Any]],
                      notebooks_of: dict[str, list[str]], *, assignment: str = "", student: str = "",
                      notebooks: list[str] | None = None) -> None:
    """nbgrader's ``BaseConverter.pre_convert_hook`` for this course: the gradebook's
    assignments and due dates from course.yml, then, when autograding a student's submission,
    :func:`adopt_renamed_notebook`."""
    sync_gradebook(db_url, course_id, assignments)
    if student and notebooks is not None and "submitted" in Path(notebooks[0] if notebooks else "").parts:
        import logging

        adopt_renamed_notebook(notebooks_of.get(assignment, []), notebooks, logging.getLogger("AutogradeApp"))


def sync_gradebook(db_url: str, course_id: str, assignments: Iterable[tuple[str, Any]], **_hook_kwargs: Any) -> None:
    """Create/update every ``(assignment_id, duedate)`` in the gradebook.

    Extra keyword arguments (nbgrader's hook passes ``assignment``, ``student``,
    ``notebooks``) are ignored, so ``functools.partial(sync_gradebook, db_url,
    course_id, assignments)`` is a valid ``BaseConverter.pre_convert_hook``. A naive
    due date is taken as UTC (that is what nbgrader does with it).
    """
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        for name, due in assignments:
            kwargs = {"duedate": due} if due is not None else {}
            gb.update_or_create_assignment(str(name), **kwargs)


# --------------------------------------------------------------------------- when autograde regrades
#: The file in ``autograded/STUDENT/A/`` recording what nbgrader's ``autograde`` graded there:
#: the command line's fingerprints of the student's files and of the grading inputs. It is in
#: ``CourseDirectory.ignore`` (nbgrader_config.py): never copied from a student's folder, never
#: into the feedback.
GRADED_INPUTS_FILE = ".autograder_inputs.json"


def graded_inputs(course_root: Path, submissions_dir: Path, student: str, assignment: str) -> dict[str, str]:
    """What a grade of ``student``'s ``assignment`` is made from, exactly as the command line
    records it in ``grade.json`` (``inputs``): a hash of the student's notebooks and
    ``timestamp.txt``, and a hash of course.yml, the release, the engine and the course secret.

    Parameters
    ----------
    course_root : Path
        The folder of ``course.yml``.
    submissions_dir : Path
        nbgrader's ``submitted/`` folder (``STUDENT/ASSIGNMENT/`` below it).
    student, assignment : str
        Whose submission, of which assignment.

    Returns
    -------
    dict
        ``{"submission": sha256 hex, "grader": sha256 hex}``.
    """
    from autograder.batch.grade import grader_fingerprint, submission_fingerprint
    from autograder.course.config import COURSE_FILE, load_course

    course_path = Path(course_root) / COURSE_FILE
    max_bytes = load_course(course_path).notebook_bytes
    return {"submission": submission_fingerprint(Path(submissions_dir), student, assignment, max_bytes),
            "grader": grader_fingerprint(course_path, assignment)}


def _recorded_inputs(dest: Path) -> dict | None:
    try:
        recorded = json.loads((dest / GRADED_INPUTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return recorded if isinstance(recorded, dict) else None


def regrade_changed_submissions(autograde_class: type) -> None:
    """Make nbgrader's ``autograde`` follow the command line's rule for regrading.

    nbgrader 0.9 decides whom to grade in ``BaseConverter.init_destination``, before any hook or
    preprocessor runs: a student it has graded is regraded with ``--force``, or when the new
    ``timestamp.txt`` is later than the one it graded, and never when only the notebook changed
    (the gradebook silently keeps the old score). No setting reaches that decision, so this
    wraps ``autograde_class.init_destination`` (nbgrader's ``Autograde``; called once, from
    nbgrader_config.py): a student whose notebooks, ``timestamp.txt`` or grading inputs differ
    from those recorded in ``autograded/STUDENT/A/`` (:data:`GRADED_INPUTS_FILE`) is
    regraded, as ``python -m autograder grade`` regrades them; nbgrader's own rules (``--force``,
    a later timestamp, a missing output) still apply. A submission graded before the record
    existed is regraded once.
    """
    original = autograde_class.init_destination
    if getattr(original, "_regrades_changed_submissions", False):
        return  # nbgrader loads its configuration more than once

    def init_destination(self: Any, assignment_id: str, student_id: str) -> bool:
        import shutil

        dest = Path(self._format_dest(assignment_id, student_id))
        source = Path(self._format_source(assignment_id, student_id))
        inputs = graded_inputs(Path(self.coursedir.root), source.parent.parent, student_id, assignment_id)
        if dest.is_dir() and not self.force and _recorded_inputs(dest) != inputs:
            self.log.warning("Regrading %s: the submission or the grading inputs changed since it was graded", dest)
            shutil.rmtree(dest)
        process = original(self, assignment_id, student_id)
        if process:  # recorded before grading: a failure removes the folder, and the record with it
            dest.mkdir(parents=True, exist_ok=True)
            (dest / GRADED_INPUTS_FILE).write_text(json.dumps(inputs), encoding="utf-8")
        return process

    init_destination._regrades_changed_submissions = True  # type: ignore[attr-defined]
    init_destination.__doc__ = original.__doc__
    autograde_class.init_destination = init_destination
