"""nbgrader integration: our engine grades, nbgrader keeps the books.

Three pieces, all wired up by ``nbgrader_config.py``:

``EngineGrade``
    Put in place of nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``.
    It never starts a kernel: it hands the sanitized submission (after nbgrader's
    ``ClearOutput``/``OverwriteCells``) to ``autograder.grading.grade_notebook`` and
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

``sync_gradebook``
    Creates/updates the assignments and due dates of ``course.yml`` in the gradebook
    (nbgrader 0.9 has no ``db_assignments`` option any more).  Used as
    ``BaseConverter.pre_convert_hook`` and by ``autograder.release``.
"""
from __future__ import annotations

import copy
import importlib
import inspect
import json
import math
from typing import Any, Callable, Iterable, Tuple

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from traitlets import List, Unicode

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

DEFAULT_GRADER = "autograder.grading.grade_notebook"

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

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> Tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        assignment, student, notebook = info["assignment"], info["student"], info["notebook"]
        grade_notebook = import_callable(self.grader)
        self.log.info("Grading %s/%s/%s with %s (no kernel)", student, assignment, notebook, self.grader)
        # A copy: the engine must not be able to change what nbgrader records.
        # An exception here is a fault of ours, not of the student: let nbgrader
        # report the submission as failed rather than record zeros.
        kwargs = {"notebook": notebook} if _accepts_keyword(grade_notebook, "notebook") else {}
        result = grade_notebook(copy.deepcopy(nb), assignment, student, **kwargs)

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
                cell.outputs = self._graded_outputs(cell, question, result)
            cell.execution_count = None

        for missing in sorted(set(by_id) - seen):
            self.log.warning(
                "The engine graded question %r but %s/%s has no autograder-tests cell with "
                "that grade_id; its score is not recorded by nbgrader.", missing, assignment, notebook)
        return nb, resources

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

    def _graded_outputs(self, cell: NotebookNode, question: Any, result: Any) -> list[NotebookNode]:
        score = self._cell_score(cell, question)
        points = float(cell.metadata.nbgrader["points"])
        lines = [f"{question.id}: {_fmt(score)} / {_fmt(points)} points "
                 f"({question.passed} of {question.total} checks passed)"]
        if getattr(result, "error", None):
            lines.append(f"Your notebook did not run completely: {result.error}")
        if question.feedback:
            lines.append(question.feedback.rstrip("\n"))
        return [
            new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
            # determine_grade -> get_partial_grade -> float(text/plain): the score.
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
