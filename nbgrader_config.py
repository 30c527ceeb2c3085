"""nbgrader configuration for the course, read by every ``nbgrader`` command run here.

Instructors use nbgrader's own commands and gradebook; scores come from our engine:

* ``nbgrader generate_assignment A`` : solutions/A/*.ipynb -> assignments/A/ (no kernel, no
  solutions, hidden tests or mark schemes; ``ReleaseGuard`` refuses anything mentioning them
  or ``nn_core``).
* ``nbgrader autograde A``           : submitted/STUDENT/A/ -> autograded/STUDENT/A/, graded by
  ``autograder.nbgrader_plugin.EngineGrade`` in place of nbgrader's ``Execute``: student code
  never runs in a Jupyter kernel.
* ``nbgrader generate_feedback A``   : feedback HTML with the engine's feedback; hidden tests
  and mark schemes removed.
* the formgrader (Jupyter started here): the submissions' pages; like the feedback page, they
  render the students' markdown sanitised (``autograder.grading.student_html``): no student HTML runs.
* ``nbgrader export``                : grades.csv.

The gradebook is ``<root>/gradebook.db`` (gitignored). The exchange is not used: we never run
``release_assignment``/``collect``; submissions are laid out as submitted/STUDENT/A/ directly.
"""
import functools
import os
import sys
from pathlib import Path

import yaml

from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory

from autograder.nbgrader_plugin import GRADED_INPUTS_FILE, before_conversion, regrade_changed_submissions

ROOT = Path(__file__).resolve().parent

# The one line to swap for ``autograder.course.config.load_course(ROOT / "course.yml")`` once it
# returns the same plain mapping (course.id, assignments[].id, assignments[].due).
COURSE = yaml.safe_load((ROOT / "course.yml").read_text(encoding="utf-8"))

COURSE_ID = COURSE["course"]["id"]
ASSIGNMENTS = [(a["id"], a.get("due")) for a in COURSE["assignments"]]
NOTEBOOKS = {a["id"]: [n["name"] for n in a["notebooks"]] for a in COURSE["assignments"]}

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# nbgrader creates a new gradebook by running the `alembic` script found on PATH; make it the
# one next to this interpreter, so `.venv/bin/nbgrader` works without activating the venv.
_BIN = os.path.dirname(sys.executable)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

# -- where things are ------------------------------------------------------------------
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.course_id = COURSE_ID
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///" + str(ROOT / "gradebook.db")  # gitignored

# nbgrader 0.9 has no CourseDirectory.db_assignments; the assignments and due dates of
# course.yml are written into the gradebook before every conversion instead. Before autograding
# a student, a notebook submitted under another name (activations-Copy1.ipynb) is graded when it
# is the only one, as on the command line (read in place: nothing is written into submitted/).
c.BaseConverter.pre_convert_hook = functools.partial(
    before_conversion, c.CourseDirectory.db_url, COURSE_ID, ASSIGNMENTS, NOTEBOOKS)

# -- reading submissions: as the command line reads them. No symbolic link, FIFO, device or
# notebook larger than course.yml's limits.notebook_mb is read; such a file is a graded zero
# with the command line's reason (autograder.nbgrader_plugin.SubmissionExporter). ----------
c.Autograde.exporter_class = "autograder.nbgrader_plugin.SubmissionExporter"
c.SubmissionExporter.notebooks = NOTEBOOKS
if "notebook_mb" in (COURSE.get("limits") or {}):
    c.SubmissionExporter.notebook_mb = float(COURSE["limits"]["notebook_mb"])

# -- release: nbgrader's default list without InstantiateTests (it would start a kernel
# for ### AUTOTEST cells, which we do not use), plus a final guard. -------------------------
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "autograder.nbgrader_plugin.ClearSolutionsWithOwnStub",  # nbgrader's, with a cell's own stub where given
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",          # the gradebook keeps hidden tests/mark schemes
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.nbgrader_plugin.ReleaseGuard",
]
# Allow "=== BEGIN MARK SCHEME ===" in the read-only prompt cell above a manually graded
# answer (nbgrader only allows it in "task" cells by default). It is still removed on release.
c.ClearMarkScheme.enforce_metadata = False

# -- autograde: nbgrader's default list with Execute replaced by the engine ----------------
c.Autograde.autograde_preprocessors = [
    "autograder.nbgrader_plugin.EngineGrade",
    "nbgrader.preprocessors.IgnorePattern",               # disabled unless configured
    "nbconvert.preprocessors.ClearMetadataPreprocessor",  # disabled unless configured
    "nbgrader.preprocessors.LimitOutput",                 # bounds long feedback text
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.create_student = True
# A student who deleted an autograder-tests cell still gets it graded.
c.OverwriteCells.add_missing_cells = True
# nbgrader's sanitizing steps, with OverwriteCells compared against the release (no checksum
# warnings for untouched notebooks; one warning, and a note in the feedback, for a real edit).
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "autograder.nbgrader_plugin.RestoreReadOnlyCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Whom to regrade: a student whose notebooks, timestamp.txt or grading inputs changed since
# they were graded, as on the command line (nbgrader alone regrades only on a later timestamp).
regrade_changed_submissions(Autograde)
# Its record is nbgrader's to ignore: never copied from a student's folder, nor into the feedback.
c.CourseDirectory.ignore = [*CourseDirectory.class_traits()["ignore"].make_dynamic_default(), GRADED_INPUTS_FILE]
# The engine runs the read-only cells from assignments/, as the command line does.
c.EngineGrade.course_root = str(ROOT)
# Late work: course.yml's policy (a share of the score per day late begun; 0: none), as on the
# command line; nbgrader reads the lateness from submitted/STUDENT/A/timestamp.txt.
c.AssignLatePenalties.plugin_class = "autograder.nbgrader_plugin.CourseLatePolicy"
c.CourseLatePolicy.per_day = float((COURSE.get("late") or {}).get("penalty_per_day", 0.0))

# -- feedback: the autograded notebook has the hidden tests and mark schemes back (nbgrader's
# OverwriteCells restores locked cells from the gradebook); strip them for students. -------
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "autograder.nbgrader_plugin.HideScoreOutputs",  # no bare Out[ ]: 0.75 under each question
    "autograder.nbgrader_plugin.FormulasAsMathML",  # formulas shown offline, without MathJax
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# nbgrader's feedback page with question names in its index and the feedback wrapped to the page
# (autograder/templates/course_feedback.html.j2, on top of nbgrader's own template).
c.GenerateFeedback.exporter_class = "autograder.nbgrader_plugin.FeedbackExporter"

# -- every HTML page made from a notebook here (the formgrader's submission views, which build
# their HTMLExporter from this file, and the feedback page): a written answer is the student's
# markdown, whose HTML nbconvert would render as typed (<script>, onerror=, javascript: links),
# in the formgrader with the instructor's Jupyter session. Markdown cells are rendered by
# nbconvert and then sanitised (autograder/grading/student_html.py, nh3): formulas, code and markdown stay.
c.HTMLExporter.filters = {"markdown2html": "autograder.grading.student_html.markdown2html"}
# ... and the HTML of cell outputs and raw cells goes through nbconvert's own sanitiser (bleach).
# The engine clears every output before grading (nbgrader's ClearOutput), so this is a second wall.
c.HTMLExporter.sanitize_html = True
# ... and the formulas of the formgrader's views are MathML, as on the feedback page: shown offline,
# where the formgrader's MathJax (from the network) would leave raw TeX. FormulasAsMathML leaves
# MathML alone, so the feedback page, which runs it too, is unchanged.
c.HTMLExporter.preprocessors = ["autograder.nbgrader_plugin.FormulasAsMathML"]
