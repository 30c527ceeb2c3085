"""No spoilers across assignments: ``python -m autograder release`` refuses to release an assignment
whose given code defines a graded answer of an earlier assignment that is not yet due.

The course here is a small one of its own (two assignments: p1 grades ``sigmoid``, p2's given
cells may define it), released with the repository's nbgrader_config.py, so the tests do not
depend on the course's notebooks of the day.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.course import release
from autograder.course import spoilers

REPO = Path(__file__).resolve().parents[1]
P1_DUE = "2027-02-05T23:59:00"
BEFORE_P1_DUE = "2027-02-05T12:00"
AFTER_P1_DUE = "2027-02-06T00:00"

COURSE_YML = f"""\
course: {{id: spoiler-course, name: Spoiler fixture}}
assignments:
  - id: p1
    title: activations
    due: {P1_DUE}
    notebooks:
      - name: one
        questions:
          - {{id: sigmoid, function: sigmoid, points: 1}}
  - id: p2
    title: networks
    due: 2027-02-19T23:59:00
    notebooks:
      - name: two
        questions:
          - {{id: forward, function: forward, points: 1}}
"""

SIGMOID = "import numpy as np\n\ndef sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"


def nbgrader_cell(source: str, grade_id: str, *, solution: bool = False, grade: bool = False, points: int = 0):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return new_code_cell(source, metadata={"nbgrader": meta})


def answer(name: str, body: str) -> str:
    return f"def {name}(z):\n    ### BEGIN SOLUTION\n    {body}\n    ### END SOLUTION\n"


def write_notebook(path: Path, *cells) -> None:
    nb = new_notebook(cells=[new_markdown_cell("# exercise"), *cells],
                      metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def make_course(root: Path, given: str | None = SIGMOID) -> Path:
    """p1 (sigmoid graded) and p2, whose given cell is ``given`` (None: no given cell)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    shutil.copy2(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    write_notebook(root / "solutions" / "p1" / "one.ipynb",
                   nbgrader_cell(answer("sigmoid", "return 1.0 / (1.0 + np.exp(-z))"), "sigmoid_answer", solution=True),
                   nbgrader_cell("assert sigmoid(0.0) == 0.5", "sigmoid", grade=True, points=1))
    cells = [nbgrader_cell(given, "helpers")] if given is not None else []
    write_notebook(root / "solutions" / "p2" / "two.ipynb", *cells,
                   nbgrader_cell(answer("forward", "return sigmoid(z)"), "forward_answer", solution=True),
                   nbgrader_cell("assert forward(0.0) == 0.5", "forward", grade=True, points=1))
    return root


def names_found(root: Path, now: str = BEFORE_P1_DUE) -> list[str]:
    return [name for s in spoilers.find_spoilers(root, "p2", spoilers.as_utc(now)) for name in s.names]


@pytest.fixture
def course(tmp_path) -> Path:
    return make_course(tmp_path / "course")


# -- the command ------------------------------------------------------------------------------
def test_release_refuses_before_the_earlier_due_date_and_says_which_answers_when_and_how_to_proceed(course, capsys):
    code = release.main(["p2", "--course-root", str(course), "--now", BEFORE_P1_DUE])
    message = capsys.readouterr().err
    assert code == 2
    assert "refused: releasing p2 at 2027-02-05 12:00 UTC" in message
    assert "p1 is due 2027-02-05 23:59 UTC" in message
    assert "graded sigmoid" in message and "two.ipynb cell 2 'helpers' line 3" in message
    assert "python -m autograder release p2 --now 2027-02-06T00:00" in message
    assert "python -m autograder release p2 --force" in message
    assert "Nothing was released." in message
    assert not (course / "assignments" / "p2").exists()


def test_release_proceeds_once_the_earlier_assignment_is_due(course, capsys):
    assert release.main(["p2", "--course-root", str(course), "--now", AFTER_P1_DUE]) == 0
    assert (course / "assignments" / "p2" / "two.ipynb").is_file()
    assert "forced" not in capsys.readouterr().out


def test_force_releases_before_the_due_date_and_says_what_it_forced(course, capsys):
    assert release.main(["p2", "--course-root", str(course), "--now", BEFORE_P1_DUE, "--force"]) == 0
    out = capsys.readouterr().out
    assert (course / "assignments" / "p2" / "two.ipynb").is_file()
    assert "forced: p2 released at 2027-02-05 12:00 UTC with graded answers of p1 (due 2027-02-05 23:59 UTC): sigmoid" in out


def test_check_compares_files_and_notes_spoilers_without_failing(course, capsys):
    assert release.main(["p1", "p2", "--course-root", str(course), "--force", "--now", BEFORE_P1_DUE]) == 0
    capsys.readouterr()
    assert release.main(["--check", "p1", "p2", "--course-root", str(course), "--now", BEFORE_P1_DUE]) == 0
    out = capsys.readouterr().out
    assert "assignments/ is up to date" in out
    assert "note: p2's given code defines p1's graded sigmoid" in out


def test_the_release_function_needs_a_clock_or_force(course):
    with pytest.raises(ValueError, match="clock"):
        release.release(["p2"], course)
    with pytest.raises(spoilers.SpoilerError, match="p1 is due"):
        release.release(["p2"], course, now=dt.datetime(2027, 1, 1))
    assert not (course / "assignments").exists()


def test_the_first_assignment_and_a_clean_one_release_at_any_time(tmp_path):
    root = make_course(tmp_path / "course", given="import numpy as np\nSCALE = 2.0\n")
    assert release.spoilers_at(["p1", "p2"], root, dt.datetime(2026, 1, 1)) == []


# -- what counts as a definition --------------------------------------------------------------
@pytest.mark.parametrize("given", [
    SIGMOID,
    "import numpy as np\nsigmoid = lambda z: 1 / (1 + np.exp(-z))\n",
    "from scipy.special import expit as sigmoid\n",
    "from helpers import sigmoid\n",
    "import numpy as np\nif True:\n    def sigmoid(z):\n        return np.tanh(z / 2) / 2 + 0.5\n",
    "class sigmoid:\n    def __call__(self, z):\n        return z\n",
    "%matplotlib inline\nimport numpy as np\nsigmoid, relu = np.tanh, np.abs\n",
])
def test_a_given_cell_defining_sigmoid_is_caught_under_the_earlier_due_date(tmp_path, given):
    root = make_course(tmp_path / "course", given=given)
    assert names_found(root) == ["sigmoid"]
    assert names_found(root, now=AFTER_P1_DUE) == []


@pytest.mark.parametrize("given", [
    "import numpy as np\nA = sigmoid(np.zeros(3))\n",         # uses it: the student's own, from p1
    "def forward_pass(sigmoid, z):\n    return sigmoid(z)\n",   # a parameter of that name
    "import numpy as np\nnp.sigmoid_table = {}\n",             # an attribute, not a name
    "def sigmoid(z):\n    \"\"\"Paste your own.\"\"\"\n    raise NotImplementedError()\n",  # a stub gives nothing
])
def test_using_or_stubbing_sigmoid_is_not_a_spoiler(tmp_path, given):
    assert names_found(make_course(tmp_path / "course", given=given)) == []


def test_a_solution_cell_defining_sigmoid_is_not_a_spoiler_because_the_release_stubs_it(tmp_path):
    root = make_course(tmp_path / "course", given=None)
    path = root / "solutions" / "p2" / "two.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbgrader_cell(answer("sigmoid", "return 1.0 / (1.0 + np.exp(-z))"), "paste_sigmoid",
                                     solution=True))
    nbformat.write(nb, path)
    assert names_found(root) == []
    nb.cells[1].source = "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"  # no region: all of it is stub
    nbformat.write(nb, path)
    assert names_found(root) == []


def test_code_outside_a_solution_region_is_given_code(tmp_path):
    root = make_course(tmp_path / "course", given=None)
    path = root / "solutions" / "p2" / "two.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = SIGMOID + "\n" + nb.cells[1].source  # a helper above forward's answer
    nbformat.write(nb, path)
    assert names_found(root) == ["sigmoid"]


def test_hidden_tests_never_reach_students_and_are_not_given_code(tmp_path):
    root = make_course(tmp_path / "course", given=None)
    path = root / "solutions" / "p2" / "two.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[-1].source += "\n### BEGIN HIDDEN TESTS\n" + SIGMOID + "### END HIDDEN TESTS\n"
    nbformat.write(nb, path)
    assert names_found(root) == []


def test_a_python_file_released_beside_the_notebook_is_given_code(tmp_path):
    root = make_course(tmp_path / "course", given=None)
    (root / "solutions" / "p2" / "checks.py").write_text(SIGMOID, encoding="utf-8")
    found = spoilers.find_spoilers(root, "p2", spoilers.as_utc(BEFORE_P1_DUE))
    assert [d.where for s in found for d in s.definitions] == ["checks.py line 3", "checks.py line 4"]  # the def, and the answer's line


def test_a_given_cell_that_does_not_parse_is_refused_while_an_earlier_assignment_is_open(tmp_path):
    root = make_course(tmp_path / "course", given="def sigmoid(z) return z\n")
    found = spoilers.find_spoilers(root, "p2", spoilers.as_utc(BEFORE_P1_DUE))
    assert [d.kind for s in found for d in s.definitions] == ["unparsed"]


# -- the clock --------------------------------------------------------------------------------
@pytest.mark.parametrize("now,refused", [
    ("2027-02-05T23:59", True),          # the due minute itself: still open
    ("2027-02-06T00:00", False),
    ("2027-02-06T00:30+01:00", True),    # 23:30 UTC
    ("2027-02-06T00:00Z", False),
])
def test_the_due_date_is_utc_and_passes_after_its_minute(course, now, refused):
    assert bool(names_found(course, now)) is refused


def test_release_date_is_the_first_minute_after_the_earlier_due_dates(course):
    assert release.release_date(course, ["p1"]) is None
    assert release.release_date(course, ["p2"]) == dt.datetime(2027, 2, 6, 0, 0)
    assert release.release_date(course) == dt.datetime(2027, 2, 6, 0, 0)


def test_the_demo_releases_every_assignment_of_the_course_on_its_term_calendar_without_force(capsys):
    from autograder.demo import main as demo
    from autograder.course.config import load_course

    calendar = demo.term_calendar(load_course(REPO / "course.yml"), REPO)
    assert [spec.id for spec in calendar] == release.course_assignments(REPO)
    for spec, day in calendar.items():
        assert release.spoilers_at([spec.id], REPO, day) == [], spec.id
        assert day <= spec.due
    assert "released" in capsys.readouterr().out


def test_a_renamed_copy_of_an_earlier_answer_is_caught_by_its_lines(tmp_path):
    """The answer's line, whitespace aside, under another name: a copy all the same."""
    given = "import numpy as np\n\ndef stable_logistic(t):\n    return 1.0/(1.0 +  np.exp(-t))\n"
    root = make_course(tmp_path / "course", given=given.replace("-t", "-z"))
    found = [d for s in spoilers.find_spoilers(root, "p2", spoilers.as_utc(BEFORE_P1_DUE)) for d in s.definitions]
    assert [(d.name, d.kind) for d in found] == [("sigmoid", "copied line")]
    assert found[0].where.endswith("'helpers' line 4")
    assert names_found(root, now=AFTER_P1_DUE) == []


def test_short_or_declarative_answer_lines_are_not_copies(tmp_path):
    """A def line, a comment or a short line is any solution's words, not the answer."""
    given = "import numpy as np\n\ndef helper(z):\n    # the answer's comment\n    return z\n"
    assert names_found(make_course(tmp_path / "course", given=given)) == []


# -- answers written as mathematics (the instructor's errata tag them) ---------------------------
ERRATA_SOURCE = """\
<!-- student -->
The notes' sigmoid is wrong.
<!-- /student -->

<!-- answer sigmoid: logistic of z -->
Correct: `sigma(z) = 1 / (1 + exp(-z))`.
"""
SIGMOID_IN_LATEX = "The answer: $\\sigma(z) = \\frac{1}{1 + e^{-z}}$, i.e. $\\sigma(z) = 1/\\left(1 + \\exp(-z)\\right)$."


def add_markdown(root: Path, text: str, *, solution: bool = False) -> None:
    """A markdown cell (a solution cell: a written answer, stubbed in the release) first in p2."""
    path = root / "solutions" / "p2" / "two.ipynb"
    nb = nbformat.read(path, as_version=4)
    meta = {"nbgrader": {"grade": solution, "grade_id": "written", "locked": False, "points": 1,
                         "schema_version": 3, "solution": True}} if solution else {}
    nb.cells.insert(1, new_markdown_cell(text, metadata=meta))
    nbformat.write(nb, path)


@pytest.fixture
def course_with_errata(tmp_path) -> Path:
    root = make_course(tmp_path / "course", given=None)
    (root / spoilers.ERRATA_SOURCE).parent.mkdir(parents=True)
    (root / spoilers.ERRATA_SOURCE).write_text(ERRATA_SOURCE, encoding="utf-8")
    return root


@pytest.mark.parametrize("a,b", [
    ("(Delta @ W) * g'(Z)", r"$(\Delta W) \odot g'(Z)$"),
    ("dW = Delta.T @ A / m", r"$dW = \Delta^T A / m$"),
    ("diag(y) - y y^T", r"$\mathrm{diag}(y) - y\, y^{\top}$"),
    ("a_2 (1 - a_2)", r"$a_{2} \left(1 - a_{2}\right)$"),
    ("δ (.) σ'(z)", r"\delta \odot \sigma'(z)"),
])
def test_math_form_reads_code_ascii_latex_and_unicode_alike(a, b):
    assert spoilers.math_form(a) == spoilers.math_form(b)


def test_answer_forms_are_the_tagged_paragraphs_code_spans_and_the_listed_forms():
    assert spoilers.answer_forms(ERRATA_SOURCE) == {"sigma(z)=1/(1+exp(-z))": ("sigmoid",), "logisticofz": ("sigmoid",)}
    assert spoilers.answer_forms("Quoted: `<!-- answer sigmoid -->` and `sigma(z) = 1 / (1 + exp(-z))`.") == {}


def test_an_earlier_answer_written_as_mathematics_in_a_markdown_cell_is_caught_until_it_is_due(course_with_errata):
    add_markdown(course_with_errata, SIGMOID_IN_LATEX)
    found = [d for s in spoilers.find_spoilers(course_with_errata, "p2", spoilers.as_utc(BEFORE_P1_DUE))
             for d in s.definitions]
    assert [(d.name, d.kind) for d in found] == [("sigmoid", "answer form")]
    assert found[0].where == "two.ipynb cell 2: sigma(z)=1/(1+exp(-z))"
    assert names_found(course_with_errata, now=AFTER_P1_DUE) == []


@pytest.mark.parametrize("solution,text", [
    (True, SIGMOID_IN_LATEX),                                                     # a written answer: stubbed
    (False, f"Ask.\n=== BEGIN MARK SCHEME ===\n{SIGMOID_IN_LATEX}\n=== END MARK SCHEME ===\n"),  # removed
    (False, "The sigmoid squashes z into (0, 1)."),                               # words, not the answer
])
def test_text_that_never_reaches_students_or_does_not_give_the_answer_is_not_a_spoiler(course_with_errata, solution, text):
    add_markdown(course_with_errata, text, solution=solution)
    assert names_found(course_with_errata) == []


def test_a_student_errata_beside_the_notebook_is_given_text(course_with_errata):
    (course_with_errata / "solutions" / "p2" / "errata.md").write_text(SIGMOID_IN_LATEX, encoding="utf-8")
    assert names_found(course_with_errata) == ["sigmoid"]


def test_the_release_refuses_an_errata_that_gives_any_answer_away_even_when_forced(course_with_errata):
    (course_with_errata / "solutions" / "p1" / "errata.md").write_text(SIGMOID_IN_LATEX, encoding="utf-8")
    with pytest.raises(release.NbgraderError, match="errata give graded answers away"):
        release.release(["p1"], course_with_errata, force=True)  # p1's own answer, no earlier assignment
