"""The course as an instructor would build it without this package: plain nbgrader, otter-grader.

Both are built from the same solution notebooks as the real course, when the benchmark
starts (not timed):

* **plain nbgrader** (:func:`build_plain_nbgrader_course`): a course directory with
  nbgrader's default layout (``source/``, ``release/``, ``submitted/``, ``autograded/``) and
  default configuration, so ``nbgrader autograde`` runs every notebook in a Jupyter kernel
  with its ``Execute`` preprocessor and default timeout. Each autograder-tests cell keeps
  its visible ``check(...)`` line; its ``### BEGIN HIDDEN TESTS`` block holds literal cases
  (:func:`bench.literal_tests.nbgrader_hidden_tests`). nbgrader scores a test cell all or
  nothing, with the cell's points from course.yml.
* **otter-grader** (:func:`build_otter_autograder`): one autograder zip per notebook made by
  ``otter generate`` from exception-based test files (:func:`bench.literal_tests.otter_test_file`),
  with the released support files (``checks.py``, ``public_cases.json``, data); graded by
  ``otter run``, which executes the submission in a Jupyter kernel without a container.
  ``otter grade`` needs Docker, which this machine does not have; ``otter run`` is what
  it runs inside each container.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from autograder.course import release
from autograder.course.config import Course, load_course
from bench.literal_tests import nbgrader_hidden_tests, otter_test_file

HIDDEN = re.compile(r"(### BEGIN HIDDEN TESTS\n).*?(\n?### END HIDDEN TESTS)", re.S)
NOTEBOOK_SUFFIX = ".ipynb"

#: nbgrader's defaults, and only what this course's notebooks need to be released at all.
PLAIN_CONFIG = '''\
"""Plain nbgrader, written by bench.alternatives: nbgrader's default preprocessors (autograde
runs each notebook in a Jupyter kernel with Execute and its default timeout)."""
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
# The read-only prompt above each written answer carries its mark scheme (removed on release).
c.ClearMarkScheme.enforce_metadata = False
'''


# --------------------------------------------------------------------------- plain nbgrader
def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def plain_source_notebook(nb: dict, course: Course, assignment: str) -> dict:
    """A copy of the solution notebook ``nb`` whose autograder-tests cells hide literal cases.

    Parameters
    ----------
    nb : the solution notebook's JSON
    course : the course; the tests cell's ``grade_id`` names the question
    assignment : the assignment id (the cases are drawn for it)
    """
    specs = {q.id: q for q in course.assignment(assignment).questions}
    out = json.loads(json.dumps(nb))
    for cell in out["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("grade_id") not in specs:
            continue
        spec = specs[meta["grade_id"]]
        source = _cell_source(cell)
        if not HIDDEN.search(source):
            raise ValueError(f"{assignment}: the tests cell of {spec.id} has no hidden-tests block")
        hidden = nbgrader_hidden_tests(spec, course, assignment)
        cell["source"] = HIDDEN.sub(lambda m: m.group(1) + hidden + m.group(2), source)
        meta["points"] = spec.points
    return out


def build_plain_nbgrader_course(root: Path, assignments: Sequence[str], source_root: Path = release.REPO) -> Path:
    """Write the plain-nbgrader course into ``root`` and release it with
    ``nbgrader generate_assignment``; returns ``root``.

    ``root/source/A/`` holds the rewritten notebooks and the solution folder's other files
    (``checks.py``, ``public_cases.json``, data), which ``nbgrader autograde`` copies beside
    every submission; ``root/course.yml`` is the course's, for reading the gradebook.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    course = load_course(source_root / "course.yml")
    shutil.copy2(source_root / "course.yml", root / "course.yml")
    (root / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(course_id=course.id))
    for assignment in assignments:
        src, dest = source_root / release.SOURCE_DIR / assignment, root / "source" / assignment
        shutil.copytree(src, dest, ignore=release.IGNORED, dirs_exist_ok=True)
        for path in dest.glob(f"*{NOTEBOOK_SUFFIX}"):
            nb = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(plain_source_notebook(nb, course, assignment), indent=1) + "\n",
                            encoding="utf-8")
        release.nbgrader(["generate_assignment", assignment, "--force"], root)
    return root


def nbgrader_cell_failure(cell: dict) -> str | None:
    """Why nbgrader gave an executed grade cell no points, or None if it gave them all.

    nbgrader scores a code cell 0 when any of its outputs is an error or text on stderr
    (``nbgrader.utils.determine_grade``), so a numpy RuntimeWarning costs the whole cell too.
    """
    outputs = cell.get("outputs", [])
    for output in outputs:
        if output.get("output_type") == "error":
            name = output.get("ename", "an error")
            return ("an assert of the test cell failed" if name == "AssertionError"
                    else f"the test cell raised {name}") + ": nbgrader scores the cell all or nothing"
    if any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in outputs):
        return ("the test cell passed its asserts but wrote to stderr (a warning): "
                "nbgrader scores a cell with stderr output 0, like an error")
    return None


def nbgrader_failures(autograded: Path, assignment: str, students: Sequence[str], question: str) -> set[str]:
    """The distinct reasons (:func:`nbgrader_cell_failure`) for which nbgrader gave these students'
    ``question`` cell no points, read from ``autograded/STUDENT/ASSIGNMENT/*.ipynb``."""
    reasons = set()
    for student in students:
        for path in (Path(autograded) / student / assignment).glob(f"*{NOTEBOOK_SUFFIX}"):
            for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
                if (cell.get("cell_type") == "code"
                        and cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == question):
                    reasons.add(nbgrader_cell_failure(cell))
    reasons.discard(None)
    return reasons


# --------------------------------------------------------------------------- otter-grader
def otter_available() -> str | None:
    """None if otter-grader can be used here, else why not."""
    try:
        import otter  # noqa: F401
    except ImportError:
        return ("otter-grader is not installed (it is the optional extra `otter`: "
                ".venv/bin/pip install -e '.[otter]')")
    return None


def otter_executable() -> list[str]:
    return [sys.executable, "-m", "otter"]


def build_otter_autograder(dest: Path, course: Course, assignment: str, notebook: str,
                           released: Path) -> Path:
    """``otter generate`` an autograder zip for one notebook in ``dest``; returns the zip.

    Parameters
    ----------
    dest : a new directory for ``tests/`` and the zip
    course, assignment, notebook : which questions (those of the notebook in course.yml)
    released : the released assignment folder, whose non-notebook files are the support files
    """
    tests = Path(dest) / "tests"
    tests.mkdir(parents=True, exist_ok=True)
    for spec in course.assignment(assignment).questions_of(notebook):
        (tests / f"{spec.id}.py").write_text(otter_test_file(spec, course, assignment), encoding="utf-8")
    support = sorted(p.name for p in Path(released).iterdir() if p.is_file() and p.suffix != NOTEBOOK_SUFFIX)
    for name in support:
        shutil.copy2(Path(released) / name, Path(dest) / name)
    zip_path = Path(dest) / "autograder.zip"
    cmd = [*otter_executable(), "generate", "-t", "tests", "-o", zip_path.name, "--no-config",
           "--no-requirements", "--no-environment", *support]
    proc = subprocess.run(cmd, cwd=dest, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"otter generate failed in {dest}:\n{proc.stdout}\n{proc.stderr}")
    return zip_path


def otter_run_command(zip_path: Path, submission: Path, out_dir: Path) -> list[str]:
    """``otter run`` of one submission, writing ``out_dir/results.json``."""
    return [*otter_executable(), "run", "-a", str(zip_path), "-o", str(out_dir), "--no-logo", str(submission)]


def read_otter_scores(results_json: Path) -> dict[str, float]:
    """Per question (otter's test file name) the points earned, from ``otter run``'s results.json
    (its unscored "Public Tests" summary left out)."""
    data = json.loads(Path(results_json).read_text())
    return {test["name"]: float(test["score"]) for test in data.get("tests", []) if "max_score" in test}
