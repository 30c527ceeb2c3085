"""Attacks on the hidden cases: predicting them from public names, grading without the secret,
reading the secret from student code. Issue 9, point 2.

The first edition seeded a student's hidden cases with SHA-256 of (course, assignment,
question, student): public names, so anyone with the repository could compute every
student's hidden inputs and expected values. Now the seed is an HMAC under a course secret
that is not in the repository (tests/conftest.py gives every test session its own).
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.course import cases
from autograder.course.build import build_course_files, public_cases_data
from autograder.course.cases import hidden_cases, public_cases, submission_key
from autograder.cli import main
from autograder.course.config import load_course
from autograder.grading.pipeline import grade_notebook, plan
from autograder.sandbox.confine import landlock_abi
from autograder.nbgrader_plugin import EngineGrade
from autograder.questions import QUESTIONS
from autograder.sandbox import Call, Sandbox
from autograder.demo.synthetic import make_submission, replace_answer
from autograder.course.secret import (
    INIT_COMMAND, SECRET_BYTES, SECRET_ENV, MissingSecretError, SecretError, create_secret, ensure_secret, load_secret,
    secret_path,
)

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
A2 = "a2_feedforward"
SPECS = COURSE.assignment(A2).questions
N_RANDOM = 8
SUBMISSION = submission_key([])  # the cases of one submission of alice's


def first_edition_seed(course: str, assignment: str, question: str, student: str) -> int:
    """The unkeyed seed of the first edition, as an attacker with the repository computes it."""
    digest = hashlib.sha256("\x1f".join((course, assignment, question, student)).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def first_edition_cases(question, student: str, n_random: int = N_RANDOM):
    rng = np.random.default_rng(first_edition_seed(COURSE.id, A2, question.id, student))
    return question.edge_cases(rng) + [question.random_case(rng) for _ in range(n_random)]


def arrays_of(tree) -> list[np.ndarray]:
    if isinstance(tree, (list, tuple)):
        return [a for item in tree for a in arrays_of(item)]
    return [np.asarray(tree)]


def same_case(a, b) -> bool:
    xs, ys = arrays_of(a.args), arrays_of(b.args)
    return len(xs) == len(ys) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(xs, ys))


def random_part(drawn):
    return drawn[-N_RANDOM:]


@pytest.fixture
def other_secret(tmp_path) -> bytes:
    return load_secret(create_secret(tmp_path / "other_secret"))


# --------------------------------------------------------------------------- keyed cases
def test_a_students_cases_are_stable_under_one_secret():
    key = load_secret()
    for spec in SPECS:
        question = QUESTIONS[spec.id]
        once = hidden_cases(question, COURSE.id, A2, "alice", N_RANDOM, submission=SUBMISSION)  # read from the file
        again = hidden_cases(question, COURSE.id, A2, "alice", N_RANDOM, secret=key, submission=SUBMISSION)
        assert len(once) == len(again) and all(same_case(a, b) for a, b in zip(once, again)), spec.id


def test_another_secret_gives_other_cases(other_secret):
    for spec in SPECS:
        question = QUESTIONS[spec.id]
        ours = random_part(hidden_cases(question, COURSE.id, A2, "alice", N_RANDOM, submission=SUBMISSION))
        theirs = random_part(hidden_cases(question, COURSE.id, A2, "alice", N_RANDOM, secret=other_secret,
                                          submission=SUBMISSION))
        assert not any(same_case(a, b) for a, b in zip(ours, theirs)), spec.id


def test_the_first_editions_public_formula_does_not_give_the_hidden_cases():
    """The attack of the issue: compute alice's cases from public names before submitting."""
    for spec in SPECS:
        question = QUESTIONS[spec.id]
        predicted = random_part(first_edition_cases(question, "alice"))
        actual = random_part(hidden_cases(question, COURSE.id, A2, "alice", N_RANDOM, submission=SUBMISSION))
        assert not any(same_case(p, a) for p, a in zip(predicted, actual)), spec.id
        assert not any(same_case(p, a) for p in predicted for a in actual), spec.id


def test_predicted_expected_values_do_not_match_the_graders():
    """Even the expected values an attacker would precompute differ from the ones graded."""
    planned = plan(COURSE, A2, "alice", SPECS, submission=SUBMISSION)
    predicted = []
    for spec in SPECS:
        question = QUESTIONS[spec.id]
        predicted += [question.reference(*case.args) for case in first_edition_cases(question, "alice")]
    graded = [p.expected for p in planned]
    assert len(predicted) == len(graded)
    differing = sum(not all(x.shape == y.shape and np.allclose(x, y) for x, y in zip(arrays_of(a), arrays_of(b)))
                    for a, b in zip(predicted, graded))
    random_cases = len(SPECS) * N_RANDOM
    assert differing >= random_cases - len(SPECS)  # param_count's small ints may collide by chance


def test_public_cases_do_not_depend_on_the_secret_and_keep_the_first_editions_seed(other_secret, monkeypatch):
    for spec in SPECS:
        question = QUESTIONS[spec.id]
        rng = np.random.default_rng(first_edition_seed(COURSE.id, "public", spec.id, "__public__"))
        first_edition = question.edge_cases(rng) + [question.random_case(rng) for _ in range(spec.public_cases)]
        now = public_cases(question, COURSE.id, spec.public_cases)
        assert len(now) == len(first_edition) and all(same_case(a, b) for a, b in zip(now, first_edition))
    notebook = COURSE.assignment(A2).notebooks[0]
    before = json.dumps(public_cases_data(COURSE, notebook))  # as text: the data hold NaNs
    monkeypatch.setenv(SECRET_ENV, str(Path(os.environ[SECRET_ENV]).parent / "no_secret_here"))
    assert json.dumps(public_cases_data(COURSE, notebook)) == before  # built without any secret


def test_the_released_public_cases_are_unchanged():
    assert build_course_files(check_only=True) == []


# --------------------------------------------------------------------------- the attack, end to end
LOOKUP = """\
import hashlib
TABLE = {table!r}
key = hashlib.sha256(b"".join(np.ascontiguousarray(a, dtype=float).tobytes() for a in (X, W, b))).hexdigest()
if key in TABLE:
    return np.array(TABLE[key])
return np.zeros((np.shape(X)[0], np.shape(W)[0]))
"""


def case_key(args) -> str:
    return hashlib.sha256(b"".join(np.ascontiguousarray(a, dtype=float).tobytes() for a in args)).hexdigest()


def precomputing_attacker(student: str) -> nbformat.NotebookNode:
    """dense_forward answered from a table of the cases the first edition's formula predicts."""
    spec = next(s for s in SPECS if s.id == "dense_forward")
    question = QUESTIONS[spec.id]
    table = {case_key(case.args): question.reference(*case.args).tolist()
             for case in first_edition_cases(question, student, spec.hidden_cases)}
    nb = make_submission("correct", A2, "feedforward")
    replace_answer(nb, "dense_forward", LOOKUP.format(table=table))
    return nb


def score_of(result, question: str) -> float:
    return next(q.score for q in result.questions if q.id == question)


@pytest.mark.slow
def test_an_attacker_answering_from_precomputed_cases_gets_a_fair_zero(monkeypatch):
    attacker = precomputing_attacker("mallory")
    honest = make_submission("correct", A2, "feedforward")
    with Sandbox(COURSE.limits) as sandbox:
        alice_alone = grade_notebook(honest, A2, "alice", sandbox=sandbox)
    with Sandbox(COURSE.limits) as sandbox:
        with monkeypatch.context() as first_edition:  # control: the attack worked on the first edition
            first_edition.setattr(cases, "hidden_seed",
                                lambda secret, *names, submission: first_edition_seed(*names))
            assert score_of(grade_notebook(attacker, A2, "mallory", sandbox=sandbox), "dense_forward") == 2
        mallory = grade_notebook(attacker, A2, "mallory", sandbox=sandbox)
        alice = grade_notebook(honest, A2, "alice", sandbox=sandbox)
    assert score_of(mallory, "dense_forward") == 0
    assert mallory.score == alice_alone.score - 2  # the rest of mallory's notebook is the solution
    assert alice.to_dict() == alice_alone.to_dict() and alice.score == sum(q.points for q in SPECS)


# --------------------------------------------------------------------------- no secret, no grading
@pytest.fixture
def no_secret(tmp_path, monkeypatch) -> Path:
    missing = tmp_path / "nowhere" / "course_secret"
    monkeypatch.setenv(SECRET_ENV, str(missing))
    return missing


def test_grade_notebook_without_a_secret_is_an_error_naming_the_set_up_command(no_secret):
    nb = nbformat.read(str(REPO / "solutions" / A2 / "feedforward.ipynb"), as_version=4)
    with pytest.raises(MissingSecretError) as error:
        grade_notebook(nb, A2, "alice")
    assert INIT_COMMAND in str(error.value) and str(no_secret) in str(error.value)


def test_nbgrader_autograde_without_a_secret_fails_instead_of_grading(no_secret):
    """nbgrader's autograde step (EngineGrade) stops with the error; nbgrader records no score."""
    nb = nbformat.read(str(REPO / "solutions" / A2 / "feedforward.ipynb"), as_version=4)
    resources = {"nbgrader": {"assignment": A2, "student": "alice", "notebook": "feedforward"}}
    with pytest.raises(MissingSecretError, match=INIT_COMMAND.replace(" ", r"\s")):
        EngineGrade().preprocess(copy.deepcopy(nb), resources)


def test_the_command_line_without_a_secret_stops_before_grading(no_secret, tmp_path):
    subs = tmp_path / "submitted" / "alice" / A2
    subs.mkdir(parents=True)
    (subs / "feedforward.ipynb").write_bytes((REPO / "solutions" / A2 / "feedforward.ipynb").read_bytes())
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", A2, str(tmp_path / "submitted"),
                           "--out", str(tmp_path / "out"), "--quiet"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert INIT_COMMAND in proc.stderr and str(no_secret) in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "alice").exists() and not (tmp_path / "out" / "grades.csv").exists()


@pytest.mark.parametrize("content, mode, complaint", [
    ("ab" * SECRET_BYTES + "\n", 0o644, "chmod 600"),
    ("ab" * (SECRET_BYTES - 1) + "\n", 0o600, f"{SECRET_BYTES} bytes"),
    ("not hex at all" * 8, 0o600, f"{SECRET_BYTES} bytes"),
    ("", 0o600, f"{SECRET_BYTES} bytes"),
])
def test_an_unusable_secret_file_is_refused(tmp_path, content, mode, complaint):
    path = tmp_path / "course_secret"
    path.write_text(content)
    path.chmod(mode)
    with pytest.raises(SecretError, match=complaint):
        load_secret(path)


def test_a_short_key_is_never_used_for_hidden_cases():
    with pytest.raises(SecretError):
        hidden_cases(QUESTIONS["dense_forward"], COURSE.id, A2, "alice", N_RANDOM, secret=b"",
                     submission=SUBMISSION)


# --------------------------------------------------------------------------- the set-up command
def test_secret_init_creates_a_private_random_secret_once(tmp_path, monkeypatch, capsys):
    path = tmp_path / "course" / ".course_secret"
    monkeypatch.setenv(SECRET_ENV, str(path))
    assert main(["secret", "show-path"]) == 0 and capsys.readouterr().out.strip() == str(path)
    assert main(["secret", "init"]) == 0
    out = capsys.readouterr().out
    assert str(path) in out and "every student's hidden cases" in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = load_secret(path)
    assert len(key) >= SECRET_BYTES and len(set(key)) > 8
    assert main(["secret", "init"]) == 1  # refuses to overwrite
    err = capsys.readouterr().err
    assert "already exists" in err and str(path) in err and "--force" in err
    assert load_secret(path) == key
    assert main(["secret", "init", "--force"]) == 0
    assert load_secret(path) != key and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_demos_set_up_creates_a_secret_only_when_there_is_none(tmp_path):
    path = tmp_path / ".course_secret"
    assert ensure_secret(path) == (path, True)
    key = load_secret(path)
    assert ensure_secret(path) == (path, False) and load_secret(path) == key


def test_the_default_secret_lies_beside_course_yml_and_is_ignored_by_git():
    assert secret_path({}) == REPO / ".course_secret"
    proc = subprocess.run(["git", "check-ignore", "-q", ".course_secret"], cwd=REPO)
    assert proc.returncode == 0


# --------------------------------------------------------------------------- the sandbox never sees it
needs_landlock = pytest.mark.skipif(
    landlock_abi() < 1, reason="Landlock is not available on this kernel (file reads are not confined)")

PROBE = """
import os
def probe():
    return [read({secret!r}), read({default!r})]
def read(path):
    try:
        with open(path) as handle:
            leaked = handle.read()
    except OSError as error:
        leaked = ""
    return [len(leaked), {env!r} in os.environ, any({fragment!r} in v for v in os.environ.values())]
"""


@needs_landlock
def test_student_code_cannot_read_the_secret_file_or_its_location():
    path = secret_path()
    fragment = load_secret().hex()[:16]
    source = PROBE.format(env=SECRET_ENV, fragment=fragment, secret=str(path), default=str(REPO / ".course_secret"))
    with Sandbox(COURSE.limits) as sandbox:
        run = sandbox.run([source], [Call("probe", ())])
    assert [c.status for c in run.calls] == ["ok"], [c.message for c in run.calls]
    assert [list(x) for x in run.calls[0].value] == [[0, False, False], [0, False, False]]
