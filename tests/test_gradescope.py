"""Grading on Gradescope: the zip, results.json, the student's identity, the visibility policy.

These tests run ``run_autograder`` from the generated zip in a temporary root laid out as
Gradescope lays it out, with this checkout's interpreter (the sandbox at its Landlock level);
``test_gradescope_container.py`` runs ``setup.sh`` for real and grades at the ``uid`` level.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest
import yaml

from autograder.demo import synthetic
from autograder.course.cases import hidden_cases
from autograder.course.config import COURSE_FILE, CourseError, GradescopePolicy, load_course, parse_course
from autograder.gradescope import layout, trial
from autograder.gradescope.bundle import build_bundle, pinned_requirements
from autograder.gradescope.metadata import MetadataError, submitter
from autograder.gradescope.results import DETAILS_SUFFIX, question_tests
from autograder.gradescope.runner import locate
from autograder.grading.pipeline import submission_of
from autograder.questions import QUESTIONS
from autograder.grading.results import QuestionResult, SubmissionResult
sys.path.insert(0, str(Path(__file__).resolve().parent))
from gradescope_format import cli_scores, scored_tests, validate  # noqa: E402

A1, NB = "a1_activations", "activations"


def notebook(kind: str) -> bytes:
    return nbformat.writes(synthetic.make_submission(kind, A1, NB)).encode()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return build_bundle(A1, tmp_path_factory.mktemp("zip"))


@pytest.fixture
def root(bundle) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="gs-root-", dir="/tmp"))
    try:
        yield trial.unpack(bundle, folder / "autograder")
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=True)


def grade(root: Path, files: dict[str, bytes], email: str) -> dict:
    trial.submit(root, files, trial.metadata(email))
    results, done = trial.run_autograder(root)
    assert done.returncode == 0, done.stdout + done.stderr
    validate(results)
    return results


# --------------------------------------------------------------------------- course.yml
def course_data() -> dict:
    return yaml.safe_load(COURSE_FILE.read_text())


def test_the_gradescope_policy_is_read_from_course_yml_with_defaults_for_keys_left_out():
    data = course_data()
    data["gradescope"] = {"scores": "after_published"}
    policy = parse_course(data).gradescope
    assert policy == GradescopePolicy(scores="after_published")
    del data["gradescope"]
    assert parse_course(data).gradescope == GradescopePolicy()


@pytest.mark.parametrize("key, value, message", [
    ("scores", "later", "gradescope.scores: expected one of hidden, after_due_date, after_published, visible"),
    ("student_id", "name", "gradescope.student_id: expected one of email, id"),
    ("leaderboard", True, "gradescope: unknown key 'leaderboard'"),
])
def test_an_invalid_gradescope_policy_names_the_field_and_what_is_allowed(key, value, message):
    data = course_data()
    data["gradescope"] = {key: value}
    with pytest.raises(CourseError, match=message):
        parse_course(data)


# --------------------------------------------------------------------------- who submitted
def test_a_student_is_keyed_by_the_chosen_field_and_a_group_by_its_sorted_members():
    one = trial.metadata("ada@example.edu", user_id=42)
    assert submitter(one).student_id == "ada@example.edu"
    assert submitter(one, "id").student_id == "42"
    assert submitter(one).due_date == one["assignment"]["due_date"]
    group = copy.deepcopy(one)
    group["users"] = [{"email": "zoe@example.edu", "id": 7, "name": "Z"}, *one["users"]]
    assert submitter(group).student_id == "ada@example.edu+zoe@example.edu"


@pytest.mark.parametrize("metadata", [{}, {"users": []}, {"users": [{"id": 3}]}, {"users": [{"email": "../x"}]}])
def test_metadata_that_cannot_name_the_student_is_an_error(metadata):
    with pytest.raises(MetadataError):
        submitter(metadata)


# --------------------------------------------------------------------------- results.json, pure
def _result() -> SubmissionResult:
    failing = QuestionResult("sigmoid", 0.5, 1.0, 6, 12, "sigmoid: 6/12 checks passed, 0.5 of 1 points.\n"
                             "  - failed on random x6: Recognised mistake: the sign.")
    passing = QuestionResult("relu", 1.0, 1.0, 12, 12, "relu: 12/12 checks passed, 1 of 1 points.")
    return SubmissionResult("ada@example.edu", A1, [failing, passing])


def test_scores_and_hidden_case_details_get_the_visibilities_course_yml_gives_them():
    tests = question_tests(_result(), GradescopePolicy(scores="visible", hidden_case_details="after_due_date"))
    assert [(t["name"], t["max_score"], t["visibility"]) for t in tests] == [
        ("sigmoid", 1.0, "visible"), ("sigmoid" + DETAILS_SUFFIX, 0.0, "after_due_date"), ("relu", 1.0, "visible")]
    assert tests[0]["output"] == "sigmoid: 6/12 checks passed, 0.5 of 1 points."
    assert "Recognised mistake" in tests[1]["output"] and tests[1]["score"] == 0


def test_with_one_visibility_for_both_each_question_is_one_test_with_all_its_feedback():
    result = _result()
    tests = question_tests(result, GradescopePolicy(scores="after_published", hidden_case_details="after_published"))
    assert [(t["name"], t["output"], t["visibility"]) for t in tests] == [
        (q.id, q.feedback, "after_published") for q in result.questions]


# --------------------------------------------------------------------------- finding the notebook
def test_a_renamed_or_nested_notebook_is_found_and_a_missing_one_names_what_came_instead(tmp_path):
    (tmp_path / "my copy.ipynb").write_text("{}")
    [found] = locate(tmp_path, [NB])
    assert found.path == tmp_path / "my copy.ipynb" and "please name your notebook activations.ipynb" in found.note
    (tmp_path / "my copy.ipynb").unlink()
    (tmp_path / "hw1").mkdir()
    (tmp_path / "hw1" / "activations.ipynb").write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "other.ipynb").write_text("{}")
    [found] = locate(tmp_path, [NB])
    assert found.path == tmp_path / "hw1" / "activations.ipynb" and found.note is None
    (tmp_path / "hw1" / "activations.ipynb").rename(tmp_path / "hw1" / "activations.pdf")
    [found] = locate(tmp_path, [NB])
    assert not found.path.exists() and "activations.ipynb is missing" in found.note and "hw1/activations.pdf" in found.note


# --------------------------------------------------------------------------- the zip
def test_the_zip_holds_the_scripts_the_engine_the_course_and_a_root_only_secret(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        requirements = archive.read("requirements.txt").decode().split()
    assert names[:2] == ["setup.sh", "run_autograder"] and {"course.yml", "course_secret", "bundle.json"} <= set(names)
    assert [n for n in names if n.startswith("wheels/")] == ["wheels/nn_backprop_course-0.1.0-py3-none-any.whl"]
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755 and modes["course_secret"] == 0o600
    assert f"numpy=={np.__version__}" in requirements and requirements == pinned_requirements()
    assert not [r for r in requirements if r.split("==")[0] in ("nbgrader", "scikit-learn", "matplotlib", "jupyterlab")]
    for script in ("setup.sh", "run_autograder"):
        with zipfile.ZipFile(bundle) as archive:
            subprocess.run(["bash", "-n"], input=archive.read(script), check=True)


def test_an_unknown_assignment_builds_nothing(tmp_path):
    with pytest.raises(CourseError, match="unknown assignment 'a9'"):
        build_bundle("a9", tmp_path)
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- run_autograder
def test_results_json_is_gradescopes_format_and_its_scores_are_the_command_lines(root, tmp_path):
    submissions = {"bob@example.edu": notebook("mistakes"), "alice@example.edu": notebook("correct")}
    graded = {email: grade(root, {f"{NB}.ipynb": nb}, email) for email, nb in submissions.items()}
    expected = cli_scores(A1, {email: {f"{NB}.ipynb": nb} for email, nb in submissions.items()}, tmp_path)
    for email, results in graded.items():
        assert scored_tests(results) == expected[email]
        assert results["score"] == pytest.approx(sum(expected[email].values()), abs=1e-3)
        assert results["extra_data"]["confinement"] == "namespaces" and "namespaces of its own" in results["output"]
        assert results["extra_data"]["student_id"] == email and results["stdout_visibility"] == "hidden"
    bob = {t["name"]: t for t in graded["bob@example.edu"]["tests"]}
    assert bob["sigmoid"]["visibility"] == "visible" and bob["sigmoid"]["score"] < 1
    assert bob["sigmoid" + DETAILS_SUFFIX]["visibility"] == "after_due_date"
    assert "Recognised mistake: sigmoid is 1 / (1 + e^(-z))" in bob["sigmoid" + DETAILS_SUFFIX]["output"]
    assert graded["alice@example.edu"]["score"] == sum(q.points for q in load_course().assignment(A1).questions)


RELU_WRONG_ABOVE_ONE = "return np.maximum(z, 0) + float(np.max(z) > 1.0)"


def _expected_relu_score(student: str, nb: nbformat.NotebookNode) -> float:
    """What the relu above earns on the hidden cases of ``student``'s submission ``nb``: right
    exactly when max(z) <= 1."""
    spec = next(q for q in load_course().assignment(A1).questions if q.id == "relu")
    release = json.loads((COURSE_FILE.parent / "assignments" / A1 / f"{NB}.ipynb").read_text(encoding="utf-8"))
    cases = hidden_cases(QUESTIONS["relu"], load_course().id, A1, student, spec.hidden_cases,
                         submission=submission_of(nb, release))
    return round(sum(np.max(case.args[0]) <= 1.0 for case in cases) / len(cases) * spec.points, 4)


def _relu_wrong_above_one(variant: int = 0) -> nbformat.NotebookNode:
    """The relu above; a ``variant`` adds a comment line: the same function, another submission."""
    nb = synthetic.make_submission("correct", A1, NB)
    synthetic.replace_answer(nb, "relu", RELU_WRONG_ABOVE_ONE + (f"  # variant {variant}" if variant else ""))
    return nb


def test_the_same_notebook_meets_the_same_hidden_cases_and_a_changed_one_or_another_student_other_ones(root):
    """Gradescope keys the hidden cases by the submission as both other paths do (grading.submission_of)."""
    first, nb = "student0@example.edu", _relu_wrong_above_one()
    mine = _expected_relu_score(first, nb)
    changed = next(c for c in map(_relu_wrong_above_one, range(1, 40)) if _expected_relu_score(first, c) != mine)
    other = next(c for c in (f"student{i}@example.edu" for i in range(1, 40)) if _expected_relu_score(c, nb) != mine)
    runs = [grade(root, {f"{NB}.ipynb": nbformat.writes(notebook).encode()}, email)
            for notebook, email in ((nb, first), (nb, first), (changed, first), (nb, other))]
    relu = [scored_tests(results)["relu"] for results in runs]
    assert relu == [mine, mine, _expected_relu_score(first, changed), _expected_relu_score(other, nb)]
    assert runs[0]["tests"] == runs[1]["tests"]


@pytest.mark.parametrize("files, score, says", [
    ({"notes.pdf": b"%PDF-1.4"}, 0, ["activations.ipynb is missing (submitted: notes.pdf)", "scored 0"]),
    ({"activations.ipynb": b"%PDF-1.4 not a notebook"}, 0, ["could not be read", "scored 0"]),
    ({"Activations (1).ipynb": None}, "full", ["Graded Activations (1).ipynb as activations.ipynb"]),
], ids=["missing", "not-a-notebook", "renamed"])
def test_a_missing_renamed_or_broken_notebook_gets_a_clear_message(root, files, score, says):
    files = {name: data if data is not None else notebook("correct") for name, data in files.items()}
    results = grade(root, files, "carol@example.edu")
    questions = load_course().assignment(A1).questions
    score = sum(q.points for q in questions) if score == "full" else score
    assert results["score"] == score and len(scored_tests(results)) == len(questions)
    for text in says:
        assert text in results["output"]


def test_without_metadata_nothing_is_graded_and_results_json_says_so(root):
    trial.submit(root, {f"{NB}.ipynb": notebook("correct")}, {})
    (root / "submission_metadata.json").unlink()
    results, done = trial.run_autograder(root)
    validate(results)
    assert done.returncode == 1 and results["score"] == 0 and results["tests"] == []
    assert results["output"].startswith("Your submission was NOT graded: there is no submission metadata")


def test_the_runtime_files_are_made_root_only_before_student_code_runs(root):
    grade(root, {f"{NB}.ipynb": notebook("correct")}, "dan@example.edu")
    for path, mode in (("submission", 0o700), ("results", 0o700), ("submission_metadata.json", 0o600)):
        assert stat.S_IMODE((root / path).stat().st_mode) == mode


# --------------------------------------------------------------------------- the layout without Landlock
def test_lock_down_leaves_only_numpy_and_the_interpreter_readable_by_others(tmp_path):
    root = Path(tempfile.mkdtemp(prefix="gs-layout-", dir="/tmp"))
    try:
        packages = root / "venv" / "lib" / "python3.11" / "site-packages"
        files = ["source/course.yml", "source/course_secret", "venv/bin/python3", "venv/pyvenv.cfg",
                 "venv/lib/python3.11/site-packages/numpy/__init__.py",
                 "venv/lib/python3.11/site-packages/numpy-2.4.6.dist-info/METADATA",
                 "venv/lib/python3.11/site-packages/nn_core/answers.py",
                 "venv/lib/python3.11/site-packages/autograder/grading/pipeline.py",
                 "venv/lib/python3.11/site-packages/yaml/__init__.py"]
        for name in files:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("x")
            (root / name).chmod(0o644)
        engine = [packages / "nn_core", packages / "autograder"]
        root.chmod(0o755)
        before = layout.exposed(root, packages, engine)
        assert root / "source/course_secret" in before and packages / "nn_core/answers.py" in before
        layout.lock_down(root, packages)
        assert layout.exposed(root, packages, engine) == []
        assert stat.S_IMODE(packages.stat().st_mode) == 0o711
        assert (packages / "numpy/__init__.py").stat().st_mode & stat.S_IROTH
    finally:
        subprocess.run(["rm", "-rf", str(root)], check=True)


def test_without_landlock_a_layout_that_exposes_the_course_is_not_graded(root):
    """This checkout's engine is readable by everyone: at the uid level student code could read
    nn_core, so the runner refuses and says so rather than grade."""
    trial.submit(root, {f"{NB}.ipynb": notebook("correct")}, trial.metadata("eve@example.edu"))
    results, done = trial.run_autograder(root, env={"AUTOGRADER_WITHOUT_LANDLOCK": "1"})
    validate(results)
    assert done.returncode == 1 and results["score"] == 0 and results["extra_data"]["confinement"] is None
    # refused by the runner's layout check, or before it by the sandbox's dry run where this
    # checkout's interpreter is not readable by other users (under /root)
    assert ("NOT graded: without Landlock, student code could read" in results["output"]
            or "NOT graded: this machine cannot confine student code at the uid level" in results["output"])


DOCKER_DEFAULT = ("setpriv", "--bounding-set=-dac_read_search,-sys_admin", "--inh-caps=-dac_read_search,-sys_admin")


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv")
def test_under_dockers_default_capabilities_the_bundle_grades_a_correct_notebook_in_full(root):
    """Issue 20, point 2: on main, without CAP_DAC_READ_SEARCH every run died before its first
    cell and a correct notebook scored 0/19 as if graded."""
    trial.submit(root, {f"{NB}.ipynb": notebook("correct")}, trial.metadata("gil@example.edu"))
    results, done = trial.run_autograder(root, prefix=DOCKER_DEFAULT)
    validate(results)
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["score"] == sum(q.points for q in load_course().assignment(A1).questions)
    assert results["extra_data"]["confinement"] == "namespaces"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv")
def test_where_the_container_cannot_confine_the_bundle_refuses_instead_of_scoring_zero(root):
    """Docker's seccomp profile (no namespaces) and a container started without CAP_SYS_CHROOT:
    the run cannot be given its own directory, the sandbox's dry run fails, so nothing is
    graded and results.json says why (on main: a graded 0 for "could not be started by the
    sandbox", and before the landlock level had its own directory, a run seeing the metadata
    of the container's files)."""
    drop = "-dac_read_search,-sys_admin,-sys_chroot"
    trial.submit(root, {f"{NB}.ipynb": notebook("correct")}, trial.metadata("hal@example.edu"))
    results, done = trial.run_autograder(root, prefix=("setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}"),
                                         env={"AUTOGRADER_WITHOUT_NAMESPACES": "1"})
    validate(results)
    assert done.returncode == 1 and results["extra_data"]["confinement"] is None
    assert "NOT graded: this machine cannot confine student code at the landlock level" in results["output"]
    assert "CAP_SYS_CHROOT" in results["output"]


def test_a_bundle_missing_its_manifest_reports_itself_broken_instead_of_grading(root):
    trial.submit(root, {f"{NB}.ipynb": notebook("correct")}, trial.metadata("fay@example.edu"))
    (root / "source" / "bundle.json").unlink()
    results, done = trial.run_autograder(root)
    validate(results)
    assert done.returncode == 1 and "NOT graded: the autograder's files are broken" in results["output"]


def test_an_edited_read_only_cell_is_graded_from_the_release_as_on_the_command_line(root, tmp_path):
    """The zip carries the released notebooks: their read-only cells run in place of the
    student's copies, as the command line and nbgrader do."""
    nb = synthetic.make_submission("correct", A1, NB)
    locked = next(c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("locked")
                  and not c.metadata["nbgrader"].get("solution") and "import numpy" in c.source)
    locked.source += "\nnp.exp = np.sqrt  # a student's edit of a read-only cell\n"
    edited = nbformat.writes(nb).encode()
    results = grade(root, {f"{NB}.ipynb": edited}, "ed@example.edu")
    expected = cli_scores(A1, {"ed@example.edu": {f"{NB}.ipynb": edited}}, tmp_path)["ed@example.edu"]
    assert scored_tests(results) == expected
    assert results["score"] == sum(q.points for q in load_course().assignment(A1).questions)
