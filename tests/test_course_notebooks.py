"""CI validation of the real course: the solution notebooks, their release and both grading paths.

- the generated files beside the notebooks (checks.py, public_cases.json, data) are current;
- every solution notebook executes with its visible checks passing, and passes ``nbgrader validate``;
- every released notebook runs for a student who has only numpy, matplotlib and Jupyter
  plus the released files, and its visible checks fail with a helpful message;
- every solution scores full marks and every stub zero, through the engine and through
  ``nbgrader autograde``, with identical per-question scores.
(That ``assignments/`` is exactly nbgrader's release of ``solutions/`` is pinned in
test_nbgrader_integration.py; that every registry mistake is named, in test_grading.py.)
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course import release
from autograder.course.build import build_course_files
from autograder.course.config import load_course
from autograder.grading.pipeline import grade_notebook
from autograder.sandbox import Sandbox

REPO = Path(__file__).resolve().parent.parent
COURSE = load_course()
NOTEBOOKS = [(a.id, n.name) for a in COURSE.assignments for n in a.notebooks]
IDS = [f"{a}/{n}" for a, n in NOTEBOOKS]

# A student's machine: the course's own packages are not importable.
_NO_COURSE_PACKAGES = ("import sys\n"
                       "for _name in ('nn_core', 'autograder', 'sklearn', 'torch'):\n"
                       "    sys.modules[_name] = None  # importing it raises ImportError\n")


def _execute(path: Path, allow_errors: bool = False, prelude: str | None = None) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    if prelude:
        nb.cells.insert(0, nbformat.v4.new_code_cell(prelude))
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def _errors(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """(cell source, exception name, message) of every cell that raised."""
    return [(cell.source, out.ename, out.evalue) for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "error"]


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(COURSE.limits) as box:
        yield box


def test_generated_files_beside_the_notebooks_are_up_to_date():
    stale = build_course_files(check_only=True)
    assert stale == [], f"run `python -m autograder build` then `python -m autograder release`: {stale}"


@pytest.mark.parametrize("assignment, notebook", NOTEBOOKS, ids=IDS)
def test_engine_gives_the_solution_full_marks_and_the_stub_zero(sandbox, assignment, notebook):
    solution = nbformat.read(REPO / "solutions" / assignment / f"{notebook}.ipynb", as_version=4)
    stub = nbformat.read(REPO / "assignments" / assignment / f"{notebook}.ipynb", as_version=4)
    full = grade_notebook(solution, assignment, "ref", notebook=notebook, sandbox=sandbox)
    zero = grade_notebook(stub, assignment, "stub", notebook=notebook, sandbox=sandbox)
    assert full.error is None and zero.error is None
    assert full.questions and full.score == full.max_score, [q.feedback for q in full.questions if q.score < q.max_score]
    assert zero.score == 0
    assert all("not implemented yet" in q.feedback for q in zero.questions)


@pytest.mark.slow
@pytest.mark.parametrize("assignment, notebook", NOTEBOOKS, ids=IDS)
def test_solution_notebook_runs_with_every_visible_check_passing(tmp_path, assignment, notebook):
    folder = tmp_path / assignment
    shutil.copytree(REPO / "solutions" / assignment, folder)
    nb = _execute(folder / f"{notebook}.ipynb")  # raises on the first failing cell
    printed = "".join(out.text for cell in nb.cells if cell.cell_type == "code" and cell.source.startswith("check(")
                      for out in cell.outputs if out.output_type == "stream")
    for spec in COURSE.assignment(assignment).questions_of(notebook):
        assert f"{spec.id}: all " in printed and "visible checks passed" in printed, spec.id


@pytest.mark.slow
@pytest.mark.parametrize("assignment, notebook", NOTEBOOKS, ids=IDS)
def test_released_notebook_runs_with_only_the_released_files(tmp_path, assignment, notebook):
    folder = tmp_path / assignment
    shutil.copytree(REPO / "assignments" / assignment, folder)
    nb = _execute(folder / f"{notebook}.ipynb", allow_errors=True, prelude=_NO_COURSE_PACKAGES)
    errors = _errors(nb)
    assert errors, "the stubs should make the visible checks fail"
    assert {name for _, name, _ in errors} == {"NotImplementedError"}, errors
    check_errors = [message for source, _, message in errors if source.startswith("check(")]
    graded = COURSE.assignment(assignment).questions_of(notebook)
    assert len(check_errors) == len(graded)
    assert all("not implemented yet. Replace `raise NotImplementedError()`" in m for m in check_errors)


@pytest.mark.slow
@pytest.mark.parametrize("assignment, notebook", NOTEBOOKS, ids=IDS)
def test_nbgrader_validate_passes_on_the_solution(assignment, notebook):
    proc = release.nbgrader(["validate", str(REPO / "solutions" / assignment / f"{notebook}.ipynb")], REPO)
    assert "Success! Your notebook passes all the tests." in proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("assignment, notebook", NOTEBOOKS, ids=IDS)
def test_nbgrader_autograde_scores_equal_the_engine_for_solution_and_stub(tmp_path, sandbox, assignment, notebook):
    course = release.make_course_copy(tmp_path / "course", REPO, [assignment])
    submissions = {"ref": REPO / "solutions" / assignment / f"{notebook}.ipynb",
                   "stub": REPO / "assignments" / assignment / f"{notebook}.ipynb"}
    for student, source in submissions.items():
        dest = course / "submitted" / student / assignment
        dest.mkdir(parents=True)
        shutil.copy2(source, dest / source.name)
    env = {"JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter_config")}
    book = release.run_pipeline(course, assignment, env=env)
    for student, source in submissions.items():
        result = grade_notebook(nbformat.read(source, as_version=4), assignment, student,
                                notebook=notebook, sandbox=sandbox)
        assert {q.id: q.score for q in result.questions} == {
            q.id: book[student].cells[q.id] for q in result.questions}
    assert book["ref"].score == sum(q.points for q in COURSE.assignment(assignment).questions)
    assert book["stub"].score == 0
    feedback = "".join(p.read_text() for p in (course / "feedback").rglob("*.html"))
    assert "BEGIN HIDDEN TESTS" not in feedback and "MARK SCHEME" not in feedback
