"""nbgrader end to end with our engine in place of nbgrader's Execute.

A tiny fixture course (tests/fixtures/nbgrader/course: course.yml, solutions/fx/demo.ipynb,
checks.py and ``fake_engine.py``, a stand-in with grade_notebook's signature) is copied into a
temporary directory together with the repo's real ``nbgrader_config.py``; every nbgrader step
runs as ``python -m nbgrader`` there, through ``autograder.course.release``.

The fixture notebook: a read-only ``setup`` cell, an answer cell (``square_answer``), its
autograder-tests cell (``square``, 2 points, hidden tests), a tests cell the engine does not know
(``orphan``, 1 point), a read-only prompt with a mark scheme and a manually graded markdown
answer (``explain``, 1 point). Secret text in the source is tagged ``SECRET-...``.
"""
from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder import nbgrader_plugin
from autograder.course import release
from autograder.nbgrader_plugin import EngineGrade
from autograder.grading.results import QuestionResult, SubmissionResult
from nbgrader.utils import determine_grade

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "nbgrader" / "course"
ASSIGNMENT = "fx"
#: When the fixture is released: fx is its course's only assignment, so no date can spoil another's.
RELEASED = release.utc_now()
SECRETS = ("SECRET-SOLUTION-TEXT", "SECRET-HIDDEN-TEST-TEXT", "SECRET-MARK-SCHEME-TEXT",
           "SECRET-MODEL-ANSWER-TEXT")
FAKE = ["--EngineGrade.grader=fake_engine.grade_notebook"]

sys.path.insert(0, str(FIXTURE))
import fake_engine  # noqa: E402  (the fixture's stand-in engine: its SCORES are the expectations)

STUDENTS = sorted(fake_engine.SCORES)


# -- helpers --------------------------------------------------------------------------------
def make_course(dest: Path) -> Path:
    """The fixture course plus the repo's real nbgrader_config.py."""
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    return dest


def isolated_env(root: Path) -> dict[str, str]:
    """No user Jupyter config; the only "python3" kernel writes ``KERNEL_STARTED`` when started."""
    kernel_dir = root / "jupyter_data" / "kernels" / "python3"
    kernel_dir.mkdir(parents=True, exist_ok=True)
    sentinel = root / "KERNEL_STARTED"
    code = (f"import pathlib, sys; pathlib.Path({str(sentinel)!r}).write_text('kernel started'); "
            "from ipykernel import kernelapp; sys.exit(kernelapp.launch_new_instance())")
    (kernel_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", code, "-f", "{connection_file}"],
        "display_name": "Python 3 (sentinel)", "language": "python"}))
    (root / "jupyter_config").mkdir(exist_ok=True)
    return {"JUPYTER_CONFIG_DIR": str(root / "jupyter_config"),
            "JUPYTER_PATH": str(root / "jupyter_data"),
            "JUPYTER_DATA_DIR": str(root / "jupyter_data"),
            "FAKE_ENGINE_LOG": str(root / "engine.log")}


def submit(course: Path, student: str, sentinel_dir: Path) -> None:
    """A submission made from the released notebook: the answer writes a file if executed and
    the student also tampers with the (locked) tests cell."""
    nb = nbformat.read(course / "assignments" / ASSIGNMENT / "demo.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "square_answer":
            cell.source = (f"import pathlib\npathlib.Path({str(sentinel_dir / ('EXECUTED_' + student))!r})"
                           f".write_text('student code ran')\n\ndef square(x):\n    return abs(x) * x\n")
        elif grade_id == "square":
            cell.source = "print('all tests passed')  # tampered"
        elif grade_id == "explain":
            cell.source = f"{student} explains: minus times minus is plus."
    dest = course / "submitted" / student / ASSIGNMENT
    dest.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest / "demo.ipynb")


def texts(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Release, submit for three students, autograde, feedback, export: once for the module."""
    root = tmp_path_factory.mktemp("nbgrader_e2e")
    course = make_course(root / "course")
    env = isolated_env(root)
    release.release([ASSIGNMENT], course, now=RELEASED, env=env)
    for student in STUDENTS:
        submit(course, student, root)
    scores = release.run_pipeline(course, ASSIGNMENT, release_first=False, extra_args=FAKE, env=env)
    return SimpleNamespace(root=root, course=course, env=env, scores=scores)


# -- release --------------------------------------------------------------------------------
@pytest.mark.slow
def test_release_strips_solutions_hidden_tests_and_mark_schemes(graded):
    source = texts(graded.course / "solutions" / ASSIGNMENT / "demo.ipynb")
    released_path = graded.course / "assignments" / ASSIGNMENT / "demo.ipynb"
    released = texts(released_path)
    for secret in SECRETS:
        assert secret in source  # the check below would be vacuous otherwise
        assert secret not in released, secret
    for word in ("BEGIN", "END SOLUTION", "HIDDEN", "MARK SCHEME", "nn_core"):
        assert word not in released, word
    assert "nn_core" in source
    nb = nbformat.read(released_path, as_version=4)
    by_id = {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    assert "raise NotImplementedError()" in by_id["square_answer"].source
    assert by_id["square"].source == 'check("square", square)'
    assert by_id["explain"].source == "YOUR ANSWER HERE"
    assert by_id["explain_prompt"].source.startswith("**Written (1 point).**")
    assert by_id["setup"].metadata.tags == ["setup"] and by_id["setup"].metadata.editable is False
    assert (graded.course / "assignments" / ASSIGNMENT / "checks.py").is_file()
    assert all(not c.get("outputs") for c in nb.cells)


@pytest.mark.slow
def test_release_is_deterministic(graded, tmp_path):
    again = release.release_to(tmp_path, [ASSIGNMENT], source_root=graded.course, env=graded.env)
    assert release.diff_trees(again / ASSIGNMENT, graded.course / "assignments" / ASSIGNMENT) == []


def test_diff_trees_sees_a_one_byte_change(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    (a / "x").mkdir(parents=True)
    (a / "x" / "n.ipynb").write_text("{}\n")
    shutil.copytree(a, b)
    assert release.diff_trees(a, b) == []
    (b / "x" / "n.ipynb").write_text("{} \n")
    (b / "extra.py").write_text("")
    assert release.diff_trees(a, b) == [f"only in {b}: extra.py", "differs: x/n.ipynb"]


@pytest.mark.slow
def test_release_refuses_a_visible_mention_of_nn_core(tmp_path):
    course = make_course(tmp_path / "course")
    path = course / "solutions" / ASSIGNMENT / "demo.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n\n(reference: nn_core.activations)"
    nbformat.write(nb, path)
    with pytest.raises(release.NbgraderError, match="nn_core"):
        release.release([ASSIGNMENT], course, now=RELEASED, env=isolated_env(tmp_path))
    assert not (course / "assignments" / ASSIGNMENT / "demo.ipynb").exists()


def test_check_release_dir_scans_every_file(tmp_path):
    (tmp_path / "checks.py").write_text("from nn_core import sigmoid\n")
    with pytest.raises(release.NbgraderError, match="checks.py"):
        release.check_release_dir(tmp_path)


# -- autograde ------------------------------------------------------------------------------
@pytest.mark.slow
def test_gradebook_holds_exactly_the_engine_scores(graded):
    assert sorted(graded.scores) == STUDENTS
    for student in STUDENTS:
        expected = fake_engine.SCORES[student][0]
        got = graded.scores[student]
        assert got.cells["square"] == expected  # exact, including alice's 1.25 of 2
        assert got.cells["orphan"] == 0.0       # unknown to the engine
        assert got.cells["explain"] is None     # manually graded, left to the grader
        assert got.needs_manual_grade
        assert got.score == expected and got.max_score == 4.0
    assert graded.scores["alice"].cells["square"] == 1.25


@pytest.mark.slow
def test_engine_sees_the_students_code_and_ids(graded):
    calls = [json.loads(line) for line in texts(graded.root / "engine.log").splitlines()]
    assert sorted(c["student"] for c in calls) == STUDENTS
    assert {c["assignment"] for c in calls} == {ASSIGNMENT}
    for call in calls:
        assert any("return abs(x) * x" in a for a in call["answers"])
        # nbgrader restored the tampered, locked tests cell (with its hidden tests)
        assert not any("tampered" in t for t in call["tests"])


@pytest.mark.slow
def test_autograde_starts_no_kernel_and_runs_no_student_code(graded):
    assert not (graded.root / "KERNEL_STARTED").exists()
    assert not list(graded.root.glob("EXECUTED_*"))


@pytest.mark.slow
def test_stock_nbgrader_would_have_run_the_code(tmp_path):
    """Control for the test above: with nbgrader's own Execute the sentinels do appear."""
    pytest.importorskip("ipykernel")
    course = make_course(tmp_path / "course")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write("\nc.Autograde.autograde_preprocessors = [  # nbgrader 0.9's default\n"
                 "    'nbgrader.preprocessors.Execute', 'nbgrader.preprocessors.IgnorePattern',\n"
                 "    'nbconvert.preprocessors.ClearMetadataPreprocessor', 'nbgrader.preprocessors.LimitOutput',\n"
                 "    'nbgrader.preprocessors.SaveAutoGrades', 'nbgrader.preprocessors.AssignLatePenalties',\n"
                 "    'nbgrader.preprocessors.CheckCellMetadata']\n")
    env = isolated_env(tmp_path)
    release.release([ASSIGNMENT], course, now=RELEASED, env=env)
    submit(course, "alice", tmp_path)
    release.nbgrader(["autograde", ASSIGNMENT, "--force"], course, env=env)
    assert (tmp_path / "KERNEL_STARTED").exists()
    assert (tmp_path / "EXECUTED_alice").exists()


@pytest.mark.slow
def test_autograded_notebook_carries_feedback_and_score_outputs(graded):
    nb = nbformat.read(graded.course / "autograded" / "alice" / ASSIGNMENT / "demo.ipynb", as_version=4)
    by_id = {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    square = by_id["square"]
    from autograder.nbgrader_plugin import NOTES_OUTPUT

    # the submission's notes (alice's late flag), when any, are an output of their own before these
    outputs = [o for o in square.outputs if o.get("metadata", {}).get("autograder") != NOTES_OUTPUT]
    assert [o.output_type for o in outputs] == ["stream", "execute_result"]
    assert outputs[0].name == "stdout"
    assert fake_engine.feedback_for("alice") in outputs[0].text
    assert "checks passed" not in outputs[0].text  # the engine's own first line is the headline: no second
    assert outputs[1].data["text/plain"] == "1.25"
    assert by_id["orphan"].outputs[0].output_type == "error"
    assert "no question 'orphan'" in by_id["orphan"].outputs[0].evalue
    assert by_id["square_answer"].outputs == []
    # the autograded copy still has the hidden tests and mark scheme (feedback must strip them)
    raw = json.dumps(nb)
    assert "SECRET-HIDDEN-TEST-TEXT" in raw and "SECRET-MARK-SCHEME-TEXT" in raw


# -- feedback and export --------------------------------------------------------------------
@pytest.mark.slow
def test_feedback_shows_engine_feedback_and_no_secrets(graded):
    for student in STUDENTS:
        html = texts(graded.course / "feedback" / student / ASSIGNMENT / "demo.html")
        assert fake_engine.feedback_for(student) in html
        assert f"{student} explains" in html
        for other in set(STUDENTS) - {student}:
            assert fake_engine.feedback_for(other) not in html
        for secret in SECRETS:
            assert secret not in html, (student, secret)
        assert "MARK SCHEME" not in html and "HIDDEN TESTS" not in html and "nn_core" not in html
    alice = texts(graded.course / "feedback" / "alice" / ASSIGNMENT / "demo.html")
    assert "Score: 1.25 / 2.0" in alice


@pytest.mark.slow
def test_export_writes_the_scores_to_csv(graded):
    with open(graded.course / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert sorted(rows) == STUDENTS
    for student in STUDENTS:
        assert float(rows[student]["raw_score"]) == fake_engine.SCORES[student][0]
        assert rows[student]["assignment"] == ASSIGNMENT
        assert rows[student]["max_score"] == "4.0"
        assert rows[student]["duedate"] == "2030-01-01 12:00:00"  # from course.yml
    assert rows["alice"]["score"] == "1.25"


# -- EngineGrade in-process (fast) ----------------------------------------------------------
def make_tests_cell(grade_id: str, points: float) -> nbformat.NotebookNode:
    cell = new_code_cell("check()", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": grade_id, "points": points,
        "schema_version": 3}})
    cell.outputs = [new_output("stream", name="stderr", text="stale output from the student\n")]
    return cell


def run_engine_grade(monkeypatch, cells, questions, error=None):
    calls = []

    def fake_grade(nb, assignment, student, notebook=None):
        calls.append((assignment, student, notebook))
        return SubmissionResult(student=student, assignment=assignment, questions=questions, error=error)

    monkeypatch.setattr(nbgrader_plugin, "import_callable", lambda dotted: fake_grade)
    nb = new_notebook(cells=cells)
    resources = {"nbgrader": {"assignment": "a1", "student": "s1", "notebook": "n", "db_url": ""}}
    nb, _ = EngineGrade().preprocess(nb, resources)
    assert calls == [("a1", "s1", "n")]
    return nb


def q(id, score, max_score, feedback="fb"):
    return QuestionResult(id=id, score=score, max_score=max_score, passed=1, total=3, feedback=feedback)


@pytest.mark.parametrize("score,points", [
    (0.0, 1), (1.0, 1), (0.1 + 0.2, 1), (2 / 3, 1), (1.25, 2), (3.0, 3), (5 / 8 * 3, 3), (1e-12, 2)])
def test_determine_grade_reads_back_the_exact_engine_score(monkeypatch, score, points):
    nb = run_engine_grade(monkeypatch, [make_tests_cell("qa", points)], [q("qa", score, float(points))])
    assert determine_grade(nb.cells[0]) == (score, float(points))


def test_points_mismatch_is_scaled_and_out_of_range_clamped(monkeypatch):
    nb = run_engine_grade(monkeypatch, [make_tests_cell("a", 2), make_tests_cell("b", 1), make_tests_cell("c", 1)],
                          [q("a", 3.0, 4.0), q("b", 1.0 + 1e-12, 1.0), q("c", -0.5, 1.0)])
    assert [determine_grade(c)[0] for c in nb.cells] == [1.5, 1.0, 0.0]


def test_unknown_question_and_submission_error(monkeypatch):
    nb = run_engine_grade(monkeypatch, [make_tests_cell("known", 1), make_tests_cell("mystery", 2)],
                          [q("known", 1.0, 1.0, feedback="well done")], error="timed out after 60 s")
    known, mystery = nb.cells
    assert determine_grade(known) == (1.0, 1.0)
    notes, feedback = known.outputs[:2]  # the submission's notes in an output of their own, then the question's
    assert "timed out after 60 s" in notes.data["text/plain"] and "well done" in feedback.text
    assert "timed out after 60 s" not in feedback.text
    assert determine_grade(mystery) == (0.0, 2.0)
    assert mystery.outputs[0].output_type == "error" and "mystery" in mystery.outputs[0].evalue


def test_only_autograder_tests_cells_are_touched(monkeypatch):
    answer = new_code_cell("def f(): pass", metadata={"nbgrader": {
        "grade": False, "solution": True, "locked": False, "grade_id": "f_answer", "schema_version": 3}})
    answer.outputs = [new_output("stream", name="stdout", text="kept\n")]
    written = new_markdown_cell("my answer", metadata={"nbgrader": {
        "grade": True, "solution": True, "locked": False, "grade_id": "w", "points": 2, "schema_version": 3}})
    plain = new_code_cell("x = 1")
    nb = run_engine_grade(monkeypatch, [answer, written, plain], [q("f", 1.0, 1.0)])
    assert nb.cells[0].outputs[0].text == "kept\n"
    assert determine_grade(nb.cells[1]) == (None, 2.0)
    assert nb.cells[2].outputs == []


def test_engine_failure_is_not_recorded_as_zero(monkeypatch):
    def broken(nb, assignment, student):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(nbgrader_plugin, "import_callable", lambda dotted: broken)
    nb = new_notebook(cells=[make_tests_cell("qa", 1)])
    with pytest.raises(RuntimeError, match="engine bug"):
        EngineGrade().preprocess(nb, {"nbgrader": {"assignment": "a", "student": "s", "notebook": "n"}})


def test_why_feedback_goes_to_stdout_not_stderr():
    """nbgrader scores any stderr/error output before the result as 0."""
    cell = make_tests_cell("qa", 2)
    cell.outputs = [new_output("stream", name="stderr", text="feedback\n"),
                    new_output("execute_result", data={"text/plain": "1.5"}, execution_count=None)]
    assert determine_grade(cell) == (0, 2.0)
    cell.outputs[0].name = "stdout"
    assert determine_grade(cell) == (1.5, 2.0)


def test_config_replaces_execute_and_clears_secrets_in_feedback():
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    pre = cfg.Autograde.autograde_preprocessors
    assert pre[0] == "autograder.nbgrader_plugin.EngineGrade"
    assert not any(p.endswith(".Execute") for p in pre)
    assert "nbgrader.preprocessors.SaveAutoGrades" in pre
    assert not any(p.endswith("InstantiateTests") for p in cfg.GenerateAssignment.preprocessors)
    assert cfg.GenerateAssignment.preprocessors[-1] == "autograder.nbgrader_plugin.ReleaseGuard"
    fb = cfg.GenerateFeedback.preprocessors
    assert "nbgrader.preprocessors.ClearHiddenTests" in fb and "nbgrader.preprocessors.ClearMarkScheme" in fb
    assert cfg.CourseDirectory.root == str(REPO)
    assert cfg.CourseDirectory.source_directory == "solutions"
    assert cfg.CourseDirectory.release_directory == "assignments"
    assert cfg.CourseDirectory.course_id == "nn-backprop"


# -- the real course (skipped until the notebooks and the engine exist) ---------------------
def _real_notebooks():
    return sorted((REPO / "solutions").glob("*/*.ipynb"))


@pytest.mark.slow
@pytest.mark.skipif(not _real_notebooks(), reason="no solution notebooks yet")
def test_committed_assignments_are_up_to_date(tmp_path):
    released = release.release_to(tmp_path, env=isolated_env(tmp_path))
    for assignment in release.course_assignments(REPO, with_source=True):
        assert release.diff_trees(released / assignment, REPO / "assignments" / assignment) == []


def test_the_feedback_page_shows_the_submission_notes_above_the_questions_not_in_the_first_box(monkeypatch):
    """Issue 22.7: "Submitted late" (any note on the whole submission) sat inside the first question's box."""
    from autograder.grading.results import Late

    late = Late("2027-02-06 09:15:00 UTC", 9 * 3600 + 16 * 60)

    def late_result(nb, assignment, student, notebook=None):
        return SubmissionResult(student=student, assignment=assignment, questions=[q("qa", 1.0, 1.0, "qa: well done")],
                                late=late)

    monkeypatch.setattr(nbgrader_plugin, "import_callable", lambda dotted: late_result)
    nb = new_notebook(cells=[make_tests_cell("qa", 1), make_tests_cell("qb", 1)])
    resources = {"nbgrader": {"assignment": "a1", "student": "s1", "notebook": "n", "db_url": ""}}
    nb, _ = EngineGrade().preprocess(nb, resources)
    assert "Submitted late" in nb.cells[0].outputs[0].data["text/plain"]  # the formgrader still shows it
    nb, _ = nbgrader_plugin.HideScoreOutputs().preprocess(nb, resources)
    for cell in nb.cells:  # what nbgrader's GetGrades adds before rendering
        cell.metadata.nbgrader["score"] = 1.0
    assert all("Submitted late" not in output.get("text", "") for output in nb.cells[0].outputs)
    import os

    import nbgrader.converters.generate_feedback as generate_feedback
    from traitlets.config import Config

    config = Config()  # what nbgrader's GenerateFeedback configures
    config.HTMLExporter.template_name = "feedback"
    config.HTMLExporter.extra_template_basedirs = [os.path.abspath(os.path.join(
        os.path.dirname(generate_feedback.__file__), "..", "server_extensions", "formgrader", "templates"))]
    config.HTMLExporter.extra_template_paths = [os.path.abspath(os.path.join(
        os.path.dirname(generate_feedback.__file__), "..", "server_extensions", "formgrader", "static", "node_modules",
        "bootstrap", "dist", "css"))]
    html, _ = nbgrader_plugin.FeedbackExporter(config=config).from_notebook_node(
        nb, resources={"nbgrader": {"notebook": "n", "score": 1.0, "max_score": 2.0, "late_penalty": 0}})
    heading, body = html.split('<div class="panel-body">', 1)
    assert "Submitted late: 9 h 16 min after the due date" in heading and "Submitted late" not in body
    assert "qa: well done" in body
