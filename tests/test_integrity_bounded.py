"""Every piece of grader work on a student's files is bounded. Issue 21, points 1 and 2.

The grader's own process reads each student's notebook and scans its text before and after
the sandbox. On the first edition a 1.1 MB answer cell of ``# BEGIN HIDDEN TESTS`` lines
stopped the grading of the whole class (a backtracking regular expression: 82 s at 304 KB),
and a 19.5 MB notebook of empty cells made the grading process peak at 1.3 GB. The attacks
come from ``tests/hostile_notebooks.py``; sizes go up to the cap (``limits.notebook_mb``).

- the scans of student text are linear: each at 300 KB within a second, ten times the text
  within ten times the time and a little more (a child process is stopped after a bound, so
  a quadratic scan fails in seconds, not hours);
- a notebook at the cap is parsed within a memory bound proportional to its size, or
  refused for holding more JSON items than the cap allows (before it is parsed);
- the batch (``python -m autograder grade``) gives each student a budget of time and memory
  of the grader's own: a student over it is a graded zero saying so, the others are graded
  and grades.csv is written.
"""
from __future__ import annotations

import csv
import json
import multiprocessing
import re
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.grading import pipeline as grading
from autograder.course.config import MB, CourseError, load_course
from autograder.batch.budget import Budget, budget_for, over_budget_reason
from autograder.grading.json_budget import TooManyItems, json_items, max_items
from autograder.nbgrader_plugin import MAX_FORMULA_CHARS, formulas_as_mathml, without_mathjax

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_notebooks as hostile  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
CAP = COURSE.notebook_bytes
NEAR_CAP = CAP - MB // 2
A2 = hostile.A2
QUESTIONS = [q.id for q in COURSE.assignment(A2).questions]
MAX_SCORE = sum(q.points for q in COURSE.assignment(A2).questions)
RELEASE = json.loads((REPO / "assignments" / A2 / f"{hostile.NOTEBOOK}.ipynb").read_text())


def seconds_in_a_child(function, *args, limit: float) -> float:
    """How long ``function(*args)`` takes, run in a forked child that is killed after ``limit``
    seconds (then the test fails at once instead of waiting for a quadratic scan to end)."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)

    def timed() -> None:
        start = time.perf_counter()
        function(*args)
        writer.send(time.perf_counter() - start)

    child = context.Process(target=timed, daemon=True)
    child.start()
    try:
        if not reader.poll(limit):
            pytest.fail(f"{getattr(function, '__name__', function)} took longer than {limit:g} s")
        return reader.recv()
    finally:
        child.kill()
        child.join()


# --------------------------------------------------------------------------- _as_released
#: The first edition's rule, kept as the oracle: what nbgrader's release removes from a cell.
FIRST_EDITION = re.compile(r"^[^\n]*BEGIN (HIDDEN TESTS|MARK SCHEME).*?END \1[^\n]*$", re.MULTILINE | re.DOTALL)
PIECES = ["BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN MARK SCHEME", "END MARK SCHEME", "BEGIN ", "END ",
          "HIDDEN TESTS", "\n", "\n\n", "\r\n", " ", "x = 1", "#"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16))
def test_as_released_removes_exactly_what_the_first_editions_rule_removed(pieces):
    source = "".join(pieces)
    assert grading._as_released(source) == FIRST_EDITION.sub("", source).strip()


@pytest.mark.parametrize("attack", list(hostile.TEXTS))
def test_as_released_is_linear_in_the_students_text(attack):
    """300 KB took 82 s on the first edition (the issue's attack; 20 minutes at 1 MB)."""
    small, large = hostile.TEXTS[attack](300_000), hostile.TEXTS[attack](3_000_000)
    assert seconds_in_a_child(grading._as_released, small, limit=5) < 1.0
    assert seconds_in_a_child(grading._as_released, large, limit=20) < 10.0


def test_edited_read_only_cells_still_tells_an_edit_from_a_copy_of_the_source_notebook():
    nb = json.loads(hostile.in_a_read_only_cell("x = 1"))
    copy_of_source = json.loads(hostile.in_a_read_only_cell("# BEGIN HIDDEN TESTS\nx = 1\n# END HIDDEN TESTS"))
    assert grading.edited_read_only_cells(nb, RELEASE) != []
    assert grading.edited_read_only_cells(copy_of_source, RELEASE) == []
    assert grading.edited_read_only_cells(json.loads(hostile.in_an_answer_cell("x = 1")), RELEASE) == []


# --------------------------------------------------------------------------- the other scans of a cell
def first_edition_without_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def first_edition_first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")


LINE_PIECES = ["%a", "!ls", "  %time", "x = 1", "def f():", "\n", "\r\n", "\r", "\x0c", "\x1c", "\u2028",
               " ", "\t", "\xa0"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES), max_size=20))
def test_magics_and_first_lines_are_what_they_were_when_read_a_chunk_at_a_time(pieces):
    source = "".join(pieces)
    with mock.patch.object(grading, "_CHUNK_CHARS", 3):  # many chunks, cut everywhere a "\n" allows
        assert grading._without_magics(source) == first_edition_without_magics(source)
    assert grading._without_magics(source) == first_edition_without_magics(source)
    assert grading._first_line_of(source) == first_edition_first_line(source)


@pytest.mark.parametrize("attack", ["magic lines", "short lines", "def lines", "one huge line"])
def test_a_huge_graded_cell_is_read_in_linear_time(attack):
    """``ast`` took 7 s and 600 MB per megabyte of short lines: a cell that large is read by its lines."""
    cell = {"cell_type": "code", "metadata": {}, "source": hostile.TEXTS[attack](3_000_000)}
    assert seconds_in_a_child(grading._graded_cell, cell, 1, limit=30) < 10.0


def test_a_cell_too_large_for_ast_still_names_its_functions():
    source = "def relu(z):\n    return z\n" + "# padding\n" * grading.PARSED_CELL_CHARS
    assert grading._defined_functions(source) == {"relu"}


# --------------------------------------------------------------------------- JSON items before parsing
def made_by_json(value) -> int:
    """The objects ``json.loads`` makes for ``value``: every value, and every key."""
    if isinstance(value, dict):
        return 1 + sum(1 + made_by_json(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(made_by_json(v) for v in value)
    return 1


JSON_TEXT = st.text(alphabet=st.sampled_from('ab"\\{}[],: \n\u00e9\U0001F600'), max_size=8)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | JSON_TEXT,
                           lambda inner: st.lists(inner, max_size=5) | st.dictionaries(JSON_TEXT, inner, max_size=5),
                           max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 1, 2]), st.booleans())
def test_json_items_bound_what_parsing_makes(value, indent, ascii_only):
    data = json.dumps(value, indent=indent, ensure_ascii=ascii_only).encode()
    assert json_items(data) >= made_by_json(value)


def test_the_released_notebooks_hold_a_hundredth_of_the_items_allowed():
    for path in (REPO / "assignments").glob("*/*.ipynb"):
        assert json_items(path.read_bytes()) < max_items(CAP) / 100, path


def test_a_notebook_of_too_many_items_is_refused_before_it_is_parsed_and_told_why(tmp_path, monkeypatch):
    path = hostile.write(tmp_path / "feedforward.ipynb", hostile.many_empty_cells(2 * MB))
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(TooManyItems) as refused:
        grading.read_notebook(path, max_bytes=2 * MB)  # a cap of 2 MB allows 40,000
    assert "feedforward.ipynb holds more than 40,000 JSON items" in str(refused.value)
    assert "Clear its outputs" in str(refused.value)


# --------------------------------------------------------------------------- memory at the cap
PEAK = """
import json, sys, time
from autograder.grading import pipeline as grading
def peak_mb():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
release = json.load(open(sys.argv[2]))
before = peak_mb()
try:
    nb = grading.read_notebook(sys.argv[1], max_bytes=int(sys.argv[3]))
    grading.graded_cells(nb, release)
    grading.graded_cells(nb)
    grading.edited_read_only_cells(nb, release)
    outcome = "read"
except Exception as error:
    outcome = str(error)
print(json.dumps({"outcome": outcome, "growth_mb": peak_mb() - before}))
"""

#: Peak memory of reading a notebook (read, parse, pick the graded cells, compare the read-only
#: ones), per MB of the file: 4 copies of a string of 4-byte characters are the most.
MEMORY_PER_FILE_MB = 18


@pytest.mark.parametrize("attack", list(hostile.NOTEBOOKS))
def test_a_notebook_at_the_cap_is_read_within_a_memory_bound_proportional_to_its_size(attack, tmp_path):
    """The first edition: 1.3 GB for 19.5 MB of empty cells (67 times the file)."""
    path = hostile.write(tmp_path / "feedforward.ipynb", hostile.NOTEBOOKS[attack](NEAR_CAP))
    size_mb = path.stat().st_size / MB
    assert 0.9 * NEAR_CAP / MB < size_mb <= CAP / MB
    run = subprocess.run([sys.executable, "-c", PEAK, str(path), str(REPO / "assignments" / A2 / "feedforward.ipynb"),
                          str(CAP)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    measured = json.loads(run.stdout)
    assert measured["growth_mb"] < MEMORY_PER_FILE_MB * size_mb, measured
    assert measured["outcome"] == "read" or "JSON items" in measured["outcome"], measured


# --------------------------------------------------------------------------- the feedback page
def test_the_feedback_pages_mathjax_block_is_removed_in_linear_time():
    page = "<head><!-- Load mathjax -->x<!-- End of mathjax configuration --></head><body>y</body>"
    assert without_mathjax(page) == "<head></head><body>y</body>"
    hostile_page = page.replace("y", "<!-- Load mathjax -->" * 50_000)  # 1 MB of a student's markdown
    assert seconds_in_a_child(without_mathjax, hostile_page, limit=10) < 1.0  # 0.6 s at 40 KB before, quadratic


def test_formulas_beyond_the_pages_budget_stay_as_typed():
    huge = "$" + "x+" * MAX_FORMULA_CHARS + "x$"
    assert formulas_as_mathml(huge) == huge
    assert "<math" in formulas_as_mathml("$x^2$")
    many = "$x$ " * 250_000  # 1 MB of formulas: 15 s of latex2mathml before
    assert seconds_in_a_child(formulas_as_mathml, many, limit=30) < 10.0
    budget = [10]
    assert formulas_as_mathml("$x$ $y$ $z$ $w$ $v$ $u$", budget).count("<math") == 5 and budget == [0]


# --------------------------------------------------------------------------- the grader's budget
def test_the_budget_covers_every_run_the_sandbox_may_make_by_default():
    """The runs of one notebook share limits.submission_timeout_s (grading.pipeline.WallBudget)."""
    budget = budget_for(COURSE, A2)
    notebooks = len(COURSE.assignment(A2).notebooks)
    assert budget.seconds > notebooks * COURSE.limits.submission_timeout_s and budget.memory_mb == COURSE.grader_mb
    assert "took longer than the grader's limit of 9 s" in over_budget_reason("time", Budget(9, 100))
    assert "more memory than the grader's limit of 100 MB" in over_budget_reason("memory", Budget(9, 100))


@pytest.mark.parametrize("value", [0, -1, "fast", True])
def test_course_yml_validates_the_graders_budget(tmp_path, value):
    text = (REPO / "course.yml").read_text().replace("  notebook_mb: 20", f"  notebook_mb: 20\n  grader_s: {value}")
    (tmp_path / "course.yml").write_text(text)
    with pytest.raises(CourseError, match="limits.grader_s"):
        load_course(tmp_path / "course.yml")


def test_course_yml_refuses_a_grader_memory_below_the_sandboxs(tmp_path):
    """A grading process's sandbox worker, when restarted, inherits the process's RLIMIT_DATA:
    a grader_mb below memory_mb would silently lower every later run's memory limit."""
    text = re.sub(r"(?m)^  grader_mb: .*$", "  grader_mb: 100", (REPO / "course.yml").read_text())
    assert "  grader_mb: 100\n" in text
    (tmp_path / "course.yml").write_text(text)
    with pytest.raises(CourseError, match="limits.grader_mb: expected at least limits.memory_mb"):
        load_course(tmp_path / "course.yml")


# --------------------------------------------------------------------------- one batch, end to end
HANG = "import time\ntime.sleep(3600)\n"  # at load: the sandbox stops it at limits.submission_timeout_s
BATCH_BUDGET = Budget(seconds=25, memory_mb=260)  # alice needs < 220 MB, bulky > 300 MB
CLASS = {  # student -> (their notebook, what their grade.json must say)
    "alice": (lambda: hostile.in_an_answer_cell("# my answers"), None),
    "mallory": (lambda: hostile.in_a_read_only_cell(hostile.TEXTS["begin lines without an end"](1_100_000)), None),
    "eve": (lambda: hostile.in_an_answer_cell(hostile.TEXTS["begin lines without an end"](1_100_000)), None),
    "crowd": (lambda: hostile.many_empty_cells(NEAR_CAP), "JSON items"),
    "bulky": (lambda: hostile.one_character_outside_the_bmp(NEAR_CAP), "more memory than the grader's limit of 260 MB"),
    "sloth": (lambda: hostile.in_an_answer_cell(HANG), "took longer than the grader's limit of 25 s"),
}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """One batch of the class above, two grading processes, the budget :data:`BATCH_BUDGET`."""
    from autograder.batch.grade import grade_batch

    root = tmp_path_factory.mktemp("bounded-class")
    for student, (notebook, _) in CLASS.items():
        hostile.write(root / "submitted" / student / A2 / f"{hostile.NOTEBOOK}.ipynb", notebook())
    start = time.monotonic()
    batch = grade_batch(A2, root / "submitted", root / "out", jobs=2, progress=False, budget=BATCH_BUDGET)
    return root / "out", batch, time.monotonic() - start


@pytest.mark.slow
def test_hostile_students_do_not_stop_the_class(graded_class):
    out, batch, seconds = graded_class
    assert batch.faults == [] and sorted(batch.graded) == sorted(CLASS)
    with open(out / "grades.csv", newline="") as handle:
        assert sorted({row["student_id"] for row in csv.DictReader(handle)}) == sorted(CLASS)
    assert seconds < 240  # the first edition: mallory alone took 20 minutes, eve as long, sloth's process for ever


@pytest.mark.slow
@pytest.mark.parametrize("student", ["alice", "mallory", "eve"])
def test_a_notebook_full_of_hidden_tests_lines_is_graded_like_any_other(graded_class, student):
    grade = json.loads((graded_class[0] / student / "grade.json").read_text())
    assert grade["score"] == MAX_SCORE and grade["error"] is None


@pytest.mark.slow
@pytest.mark.parametrize("student", [s for s, (_, reason) in CLASS.items() if reason])
def test_a_student_over_the_graders_budget_is_a_graded_zero_saying_so(graded_class, student):
    out = graded_class[0]
    grade = json.loads((out / student / "grade.json").read_text())
    assert grade["score"] == 0 and [q["id"] for q in grade["questions"]] == QUESTIONS
    assert CLASS[student][1] in grade["error"]
    assert CLASS[student][1] in " ".join((out / student / "feedback.txt").read_text().split())


@pytest.mark.parametrize("cell", ["x = " + "-" * 40_000 + "1", "x = " + "1+" * 24_000 + "1"],
                         ids=["deep unary minus", "long chain of additions"])
def test_a_small_cell_too_deep_for_ast_is_read_by_its_def_lines(cell):
    """A cell under PARSED_CELL_CHARS can still make ast.parse raise MemoryError or RecursionError
    (found by review): the grader guesses its functions from its text instead of losing the grade."""
    source = cell + "\ndef relu(z):\n    return z\n"
    assert len(source) <= grading.PARSED_CELL_CHARS
    assert grading._defined_functions(source) == frozenset({"relu"})
