"""Resubmitting reveals nothing about the next grading's cases (issue 21, point 6).

Hidden cases used to depend on (course, assignment, question, student) only, so they were the
same on every resubmission: a submission could choose which of its cases pass and so write
what its code saw during the calls into its scores, one resubmission after another, until a
hidden input was recovered bit-exactly. Now they are keyed by the submission too
(:func:`autograder.course.cases.submission_key` of the code graded): the same notebook meets the same
cases (a regrade is deterministic), a changed notebook meets fresh ones, so what one grading
reveals is about cases that no other submission meets (``docs/design.md``, "What a
resubmission can learn").
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.course.cases import hidden_cases, submission_key
from autograder.course.config import load_course
from autograder.grading.pipeline import grade_notebook, grade_path, grade_sources, graded_sources, submission_of
from autograder.nbgrader_plugin import EngineGrade
from autograder.questions import QUESTIONS
from autograder.sandbox import Sandbox
from autograder.demo.synthetic import make_submission, replace_answer

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
A1, NB = "a1_activations", "activations"
RELEASE = json.loads((REPO / "assignments" / A1 / f"{NB}.ipynb").read_text(encoding="utf-8"))
SPECS = {spec.id: spec for spec in COURSE.assignment(A1).questions}
STUDENT = "mallory"


def arrays_of(tree) -> list[np.ndarray]:
    if isinstance(tree, (list, tuple)):
        return [a for item in tree for a in arrays_of(item)]
    return [np.asarray(tree)]


def same_args(a, b) -> bool:
    xs, ys = arrays_of(a), arrays_of(b)
    return len(xs) == len(ys) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(xs, ys))


def random_cases(question_id: str, submission: str, student: str = STUDENT):
    spec = SPECS[question_id]
    drawn = hidden_cases(QUESTIONS[question_id], COURSE.id, A1, student, spec.hidden_cases, submission=submission)
    return [case for case in drawn if case.label == "random"]


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(COURSE.limits) as box:
        yield box


# --------------------------------------------------------------------------- the key
def test_the_submission_key_is_the_code_as_graded_and_any_change_is_another_submission():
    cells = ["import numpy as np", "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"]
    key = submission_key(cells)
    assert key == submission_key(list(cells)) and len(key) == 64
    changed = [["import numpy as np", cells[1] + " "],                      # a trailing space
               ["import numpy as np", cells[1] + "# a comment\n"],          # a comment
               ["import numpy as np\n" + cells[1]],                         # the same text in one cell
               ["import numpy as n", "p" + cells[1]],                       # re-cut between cells
               cells + [""]]                                                # an empty cell more
    assert len({key} | {submission_key(c) for c in changed}) == 1 + len(changed)


COMMENT_READER = """
import sys
_RUNNER = sys._getframe(1)  # the sandbox's frame that runs this cell holds the cell's text
def relu(z):
    marked = "# variant " + "B" in str(_RUNNER.f_locals.get("src", ""))  # split: not a marker itself
    return np.maximum(z, 0) * (2.0 if marked else 1.0)
"""


def test_a_comment_can_change_what_a_submission_does_so_the_key_keeps_comments(sandbox):
    """Why the key is not normalised (no comments or whitespace dropped, no AST): two cells
    that differ in a comment only can behave differently, so they must be two submissions."""
    a, b = (["import numpy as np", COMMENT_READER + f"# variant {variant}\n"] for variant in "AB")
    scores = [grade_sources(sandbox, cells, A1, STUDENT, [SPECS["relu"]], COURSE)[0].questions[0].score
              for cells in (a, b)]
    assert scores[0] == SPECS["relu"].points and scores[1] < scores[0]
    assert submission_key(a) != submission_key(b)


def test_the_key_ignores_what_is_not_graded_outputs_and_the_read_only_cells_copy():
    """What never runs is not the submission: outputs, execution counts and edits of read-only
    cells (graded as released) leave the cases as they were; so nbgrader's copy of a notebook,
    which it re-saves with other outputs, meets the cases the command line draws."""
    nb = make_submission("correct", A1, NB)
    other = copy.deepcopy(nb)
    for cell in other.cells:
        if cell.cell_type == "code":
            cell.execution_count = 7
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="noise\n")]
            if cell.metadata.get("nbgrader", {}).get("locked"):
                cell.source += "\n# an edit of a read-only cell"
    assert submission_of(other, RELEASE) == submission_of(nb, RELEASE)
    assert submission_of(nb, RELEASE) == submission_key(graded_sources(nb, RELEASE))


@pytest.mark.parametrize("question_id", sorted(SPECS))
def test_every_question_draws_fresh_random_cases_for_another_submission_and_the_same_for_the_same(question_id):
    first, second = submission_key(["def f(): pass"]), submission_key(["def f(): pass "])
    mine, again, fresh = (random_cases(question_id, key) for key in (first, first, second))
    assert mine and all(same_args(a.args, b.args) for a, b in zip(mine, again))
    assert not any(same_args(a.args, b.args) for a in mine for b in fresh), question_id


def test_a_made_up_submission_key_is_refused():
    for bad in ("", "abc", "0" * 63, "G" * 64):
        with pytest.raises(ValueError, match="submission key"):
            random_cases("sigmoid", bad)


# --------------------------------------------------------------------------- the attack of the issue
#: sigmoid's body: right on every case, except that after the first random case it fails as
#: many of the following cases as bits SHIFT..SHIFT+2 of that case's first input say. The number
#: of cases passed ("k/n checks passed", and the score) carries three bits of a hidden input out.
SIGMOID_LEAKING = """
z = np.asarray(z, dtype=np.float64)
e = np.exp(-np.abs(z))
right = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
k = sigmoid.__dict__.setdefault("calls", 0)
sigmoid.calls = k + 1
if k == {source}:
    sigmoid.leak = (int(z.ravel()[:1].view(np.uint64)[0]) >> {shift}) & 7
elif {source} < k <= {source} + sigmoid.__dict__.get("leak", 0):
    return right + 1.0
return right
"""
CHUNKS = range(0, 64, 3)  # 22 resubmissions, three bits each: a float64 bit by bit
EDGE_CASES = len(QUESTIONS["sigmoid"].edge_cases(np.random.default_rng(0)))


def leaking_notebook(shift: int) -> nbformat.NotebookNode:
    nb = make_submission("correct", A1, NB)
    replace_answer(nb, "sigmoid", SIGMOID_LEAKING.format(source=EDGE_CASES, shift=shift).strip())
    return nb


def bits_of(value: float) -> int:
    return int(np.array([value], dtype=np.float64).view(np.uint64)[0])


def attack(sandbox, key_of) -> tuple[int, list[int]]:
    """Resubmit one leaking notebook per chunk; return the number assembled from what the
    scores said, and the true first input of the first random sigmoid case of each submission
    (its cases drawn with the key ``key_of(notebook)``)."""
    assembled, truths = 0, []
    for shift in CHUNKS:
        nb = leaking_notebook(shift)
        # what grade_notebook runs for this notebook (with the release, as every path grades it),
        # for sigmoid alone: the other twelve questions would only make the test slower
        result, _ = grade_sources(sandbox, graded_sources(nb, RELEASE), A1, STUDENT, [SPECS["sigmoid"]], COURSE)
        sigmoid = result.question("sigmoid")
        assembled |= (sigmoid.total - sigmoid.passed) << shift  # what the student reads: "k/n checks passed"
        truths.append(bits_of(np.ravel(random_cases("sigmoid", key_of(nb))[0].args[0])[0]))
    return assembled & (2 ** 64 - 1), truths


@pytest.mark.slow
def test_scores_of_resubmissions_no_longer_assemble_a_hidden_input(sandbox, monkeypatch):
    """Control first: with the old rule (one set of cases per student, whatever the code) the
    22 resubmissions recover the hidden input bit-exactly. With cases keyed by the submission
    each submission still leaks three bits, but of its own case, which no other submission
    meets: the assembled number is none of the inputs."""
    constant = submission_key([])
    with monkeypatch.context() as old_rule:
        old_rule.setattr("autograder.grading.pipeline.submission_key", lambda sources: constant)
        assembled, truths = attack(sandbox, lambda nb: constant)
    assert len(set(truths)) == 1 and assembled == truths[0]  # the attack works on the old rule

    assembled, truths = attack(sandbox, lambda nb: submission_of(nb, RELEASE))
    assert len(set(truths)) == len(CHUNKS)  # every resubmission met another hidden input
    assert assembled not in truths
    for shift, truth in zip(CHUNKS, truths):  # each grading told its own three bits, nothing more
        assert (assembled >> shift) & 7 == (truth >> shift) & 7


def test_the_same_notebook_is_graded_on_the_same_inputs_and_a_changed_one_on_fresh_ones(sandbox, monkeypatch):
    """What the sandbox receives: the inputs of sigmoid's calls, per grading."""
    sent: list[list] = []
    real_run = Sandbox.run

    def recording_run(self, sources, calls, *args, **kwargs):
        sent.append([call.args for call in calls if call.function == "sigmoid"])
        return real_run(self, sources, calls, *args, **kwargs)

    monkeypatch.setattr(Sandbox, "run", recording_run)
    nb = make_submission("correct", A1, NB)
    changed = copy.deepcopy(nb)
    replace_answer(changed, "sigmoid", "return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))  # resubmitted")
    results = [grade_notebook(n, A1, STUDENT, notebook=NB, course=COURSE, sandbox=sandbox, release=RELEASE)
               for n in (nb, nb, changed)]
    assert len(sent) == 3 and all(sent)
    first, again, fresh = ([args for args in calls if args] for calls in sent)
    assert all(same_args(a, b) for a, b in zip(first, again)) and results[0] == results[1]
    randoms = slice(EDGE_CASES, None)
    assert not any(same_args(a, b) for a in first[randoms] for b in fresh[randoms])


# --------------------------------------------------------------------------- one rule on every path
RELU_WRONG_ABOVE_ONE = "return np.maximum(z, 0) + float(np.max(z) > 1.0)"


def relu_notebook(variant: int) -> nbformat.NotebookNode:
    """relu right exactly when max(z) <= 1 (its score depends on the cases); a variant is the
    same function with a comment: another submission."""
    nb = make_submission("correct", A1, NB)
    replace_answer(nb, "relu", f"{RELU_WRONG_ABOVE_ONE}  # variant {variant}")
    return nb


def expected_relu_score(nb: nbformat.NotebookNode) -> float:
    spec = SPECS["relu"]
    cases = hidden_cases(QUESTIONS["relu"], COURSE.id, A1, STUDENT, spec.hidden_cases,
                         submission=submission_of(nb, RELEASE))
    return round(sum(np.max(case.args[0]) <= 1.0 for case in cases) / len(cases) * spec.points, 4)


def nbgrader_relu_score(nb: nbformat.NotebookNode) -> float:
    """nbgrader's path: EngineGrade, with the course's release, writes the score into the cell."""
    resources = {"nbgrader": {"assignment": A1, "student": STUDENT, "notebook": NB}}
    graded, _ = EngineGrade(course_root=str(REPO)).preprocess(copy.deepcopy(nb), resources)
    cell = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "relu"
                and not c.metadata.nbgrader.get("solution"))
    return float(next(o for o in cell.outputs if o.output_type == "execute_result").data["text/plain"])


def command_line_relu_score(nb: nbformat.NotebookNode, submitted: Path, sandbox) -> float:
    """The command line's path: the file in SUBMISSIONS/STUDENT/ASSIGNMENT, read and graded
    with the release (as ``python -m autograder grade`` does for each student)."""
    folder = submitted / STUDENT / A1
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / f"{NB}.ipynb"))
    result = grade_path(folder / f"{NB}.ipynb", A1, STUDENT, root=submitted, notebook=NB, course=COURSE,
                        sandbox=sandbox, release=RELEASE)
    return result.question("relu").score


def test_nbgrader_and_the_command_line_key_the_cases_by_the_same_submission(sandbox, tmp_path):
    """Gradescope: tests/test_gradescope.py::test_the_same_notebook_meets_the_same_hidden_cases_..."""
    nb = relu_notebook(0)
    changed = next(c for c in map(relu_notebook, range(1, 40)) if expected_relu_score(c) != expected_relu_score(nb))
    for submission in (nb, changed):
        expected = expected_relu_score(submission)
        assert nbgrader_relu_score(submission) == expected
        assert command_line_relu_score(submission, tmp_path / "submitted", sandbox) == expected
