"""The class report: its numbers equal those recomputed from grades.csv and the grade.json
files; missing, late, crashed, hung and unreadable submissions; an empty class; escaped ids;
the whole course; the command line."""
from __future__ import annotations

import csv
import html
import html.parser
import json
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from autograder.cli import main as cli_main
from autograder.course.config import load_course
from autograder.report import Sources, collect, write_report
from autograder.report.stats import histogram, problem_kind

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report_class as klass  # noqa: E402  (the graded class these tests read)

COURSE = load_course()
ROUNDING = 0.5e-4  # the report's numbers are rounded to 4 decimals


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Path]:
    return klass.make_graded_class(tmp_path_factory.mktemp("class"))


@pytest.fixture(scope="module")
def written(graded) -> dict[str, Path]:
    """The command's files for the class, with the roster file and the submissions folder."""
    out = graded["graded"].parent / "out" / "report.html"
    status = cli_main(["report", klass.ASSIGNMENT, str(graded["graded"]), "--out", str(out),
                       "--roster", str(graded["roster"]), "--submissions", str(graded["submitted"])])
    assert status == 0
    return {name: out.with_name(f"report_{name}.csv") for name in ("students", "questions", "mistakes", "problems")} \
        | {"html": out, "json": out.with_suffix(".json")}


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- numbers, recomputed
def test_totals_mean_and_median_equal_grades_csv(graded, written):
    totals: dict[str, float] = defaultdict(float)
    for row in read_csv(graded["graded"] / "grades.csv"):
        totals[row["student_id"]] += float(row["score"])
    summary = json.loads(written["json"].read_text(encoding="utf-8"))["assignments"][klass.ASSIGNMENT]["summary"]
    assert summary["submitted"] == len(totals) == klass.SUBMITTED
    assert summary["mean"] == pytest.approx(statistics.fmean(totals.values()), abs=ROUNDING)
    assert summary["median"] == pytest.approx(statistics.median(totals.values()), abs=ROUNDING)
    rows = {r["student"]: r for r in read_csv(written["students"])}
    for student, total in totals.items():
        assert float(rows[student]["total"]) == pytest.approx(total, abs=ROUNDING)
        assert rows[student]["status"] == "submitted"


def test_question_means_and_shares_equal_grades_csv(graded, written):
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in read_csv(graded["graded"] / "grades.csv"):
        scores[row["question"]].append((float(row["score"]), float(row["max_score"])))
    reported = {r["question"]: r for r in read_csv(written["questions"])}
    assert list(reported) == [q.id for q in COURSE.assignment(klass.ASSIGNMENT).questions]
    for question, pairs in scores.items():
        row = reported[question]
        n = len(pairs)
        assert int(row["graded"]) == n
        assert float(row["mean"]) == pytest.approx(sum(s for s, _ in pairs) / n, abs=ROUNDING)
        assert float(row["full"]) == pytest.approx(sum(s == m for s, m in pairs) / n, abs=ROUNDING)
        assert float(row["zero"]) == pytest.approx(sum(s == 0 for s, _ in pairs) / n, abs=ROUNDING)
        assert float(row["partial"]) == pytest.approx(sum(0 < s < m for s, m in pairs) / n, abs=ROUNDING)


def test_mistake_counts_equal_the_students_grade_json(graded, written):
    made: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in graded["graded"].glob("*/grade.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        for question in record["questions"]:
            for mistake in question.get("mistakes", []):
                made[(question["id"], mistake["id"])].add(record["student"])
    rows = read_csv(written["mistakes"])
    assert {(r["question"], r["mistake_id"]): set(r["who"].split("; ")) for r in rows} == made
    counts = [int(r["students"]) for r in rows]
    assert counts == sorted(counts, reverse=True) and [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    submitted = klass.SUBMITTED
    assert all(float(r["share"]) == pytest.approx(int(r["students"]) / submitted, abs=ROUNDING) for r in rows)
    # the synthetic mistakes of a1 are made by the three "mistakes" students, and named
    mistaken = {s for s, kind in klass.KINDS.items() if kind == "mistakes"}
    for wrong in klass.synthetic.MISTAKES[klass.ASSIGNMENT]:
        assert any(r["question"] == wrong.function and set(r["who"].split("; ")) >= mistaken for r in rows), wrong


# --------------------------------------------------------------------------- missing, late, problems
def test_missing_students_are_the_roster_without_a_grade(written):
    summary = json.loads(written["json"].read_text(encoding="utf-8"))["assignments"][klass.ASSIGNMENT]["summary"]
    assert summary["missing"] == list(klass.ABSENT)
    assert summary["students"] == klass.SUBMITTED + len(klass.ABSENT)
    rows = {r["student"]: r for r in read_csv(written["students"])}
    assert all(rows[s]["status"] == "missing" and rows[s]["total"] == "" for s in klass.ABSENT)


def test_late_submissions_follow_nbgraders_timestamps_and_time_zones(written):
    summary = json.loads(written["json"].read_text(encoding="utf-8"))["assignments"][klass.ASSIGNMENT]["summary"]
    assert sorted(summary["late"]) == sorted(klass.LATE)
    rows = {r["student"]: r for r in read_csv(written["students"])}
    assert rows["li wei"]["submitted_at"] == "2027-02-06 07:30:00"
    assert rows["alice"]["late"] == "False" and rows["carol"]["submitted_at"] == ""


def test_crashed_unreadable_and_hung_submissions_are_listed_apart_from_wrong_answers(written):
    problems = {(r["student"], r["kind"], r["where"]) for r in read_csv(written["problems"])}
    assert (klass.GARBAGE, "unreadable", "submission") in problems
    assert (klass.CRASHER, "crash", "submission") in problems
    assert ("mallory", "timeout", "tanh") in problems
    assert not {s for s, _, _ in problems} & {"alice", "bob", "carol", "li wei"}  # wrong or empty is not an error


@pytest.mark.parametrize("text, kind", [
    ("the notebook could not be read (JSONDecodeError); every question scored 0", "unreadable"),
    ("no notebook activations.ipynb was submitted; its questions scored 0", "notebook missing"),
    ("The submission did not finish within 60 s (time limit of a whole submission), while running cell 2.", "timeout"),
    ("failed on m = 1: took longer than 5 s and was stopped (an endless loop?).", "timeout"),
    ("The submission's process exited with code 3 (os._exit or a fatal error), while running relu (call 41).", "crash"),
    ("The sandbox worker died unexpectedly; the submission could not be run.", "crash"),
])
def test_problem_kinds_follow_the_graders_reasons(text, kind):
    assert problem_kind(text) == kind


# --------------------------------------------------------------------------- the page
class _Checker(html.parser.HTMLParser):
    """Collects the elements and text of a page, and what it would load from elsewhere."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.unbalanced: list[str] = []
        self.text: list[str] = []
        self.sources: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        self.sources += [attrs[k] for k in ("src", "href") if k in attrs]
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.unbalanced.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker


def test_ids_with_spaces_non_ascii_letters_and_html_are_escaped(written):
    page = written["html"].read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page
    assert "&lt;i&gt;eve&amp;co" in page and "<i>eve" not in page
    parsed = parse(page)
    assert "i" not in parsed.tags and not parsed.unbalanced and not parsed.open
    every_student = page.split('id="a1_activations-students"')[1].split("</table>")[0]
    for shown in ("Zoë Ünal", "li wei", "<i>eve&co", "frank", "Dave O'Neil (dave)"):
        assert f"<td>{html.escape(shown)}</td>" in every_student


def test_page_is_self_contained_and_every_figure_has_its_table(written):
    page = written["html"].read_text(encoding="utf-8")
    parsed = parse(page)
    assert all(src.startswith(("data:image/png;base64,", "#")) for src in parsed.sources)
    assert "<script" not in page
    figures = page.count("<img ")
    assert figures == 3  # totals, questions, mistakes
    for described in page.split('aria-describedby="')[1:]:
        assert f'<table id="{described.split(chr(34))[0]}"' in page


def test_headline_numbers_appear_on_the_page(written):
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    top = data["top_mistakes"][0]
    text = "".join(parse(written["html"].read_text(encoding="utf-8")).text)
    assert f"{100 * top['share']:.0f} %" in text and top["message"] in text
    full = sum(q.points for q in COURSE.assignment(klass.ASSIGNMENT).questions)
    assert f"{data['assignments'][klass.ASSIGNMENT]['summary']['mean']:.2f} / {full:g}" in text


# --------------------------------------------------------------------------- an empty class
def test_an_empty_class_has_a_report_of_missing_students(tmp_path):
    graded = tmp_path / "graded"
    graded.mkdir()
    roster = tmp_path / "roster.txt"
    roster.write_text("ann\nben\nclé\n", encoding="utf-8")
    record = collect(COURSE, "a2_feedforward", graded, Sources(roster=roster))
    report, paths = write_report(COURSE.name, [record], tmp_path / "report.html")
    summary = report.assignments[0].summary
    assert (summary.students, summary.submitted, summary.missing) == (3, (), ("ann", "ben", "clé"))
    assert summary.mean is None and summary.median is None and not report.top_mistakes
    page = paths[0].read_text(encoding="utf-8")
    assert "<img" not in page and "no named mistakes" in page and not parse(page).unbalanced
    questions = len(COURSE.assignment("a2_feedforward").questions)
    assert [len(read_csv(p)) for p in paths[1:5]] == [3, questions, 0, 0]  # students, questions, mistakes, problems
    assert all(r["mean"] == "" for r in read_csv(paths[2]))


# --------------------------------------------------------------------------- the whole course
def test_the_course_report_has_students_by_assignment_and_difficulty(graded, tmp_path):
    root = klass.make_course_root(graded["graded"], tmp_path / "graded")
    out = tmp_path / "course.html"
    assert cli_main(["report", "all", str(root), "--out", str(out), "--roster", str(graded["roster"])]) == 0
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert list(data["assignments"]) == [klass.ASSIGNMENT, "a2_feedforward"]  # a3, a4 not graded: left out
    a2_summary = data["assignments"]["a2_feedforward"]["summary"]
    totals = [sum(scores.values()) for scores in klass.SECOND_SCORES.values()]
    assert a2_summary["submitted"] == 3 and a2_summary["mean"] == pytest.approx(statistics.fmean(totals))
    assert [m for m in data["top_mistakes"] if m["assignment"] == "a2_feedforward"] == [
        {"rank": [m["question"] for m in data["top_mistakes"]].index("param_count") + 1, "assignment": "a2_feedforward",
         "question": "param_count", "mistake": "forgot the biases", "mistake_id": "forgot the biases", "students": 1,
         "share": 0.3333,
         "message": klass.FORGOT_BIASES["message"], "who": "bob"}]
    page = out.read_text(encoding="utf-8")
    assert 'id="course-students"' in page and page.count("<img ") == 3 * 2 + 1
    difficulty = [float(r["difficulty"]) for r in read_csv(out.with_name("course_questions.csv"))]
    assert len(difficulty) == sum(len(COURSE.assignment(a).questions) for a in (klass.ASSIGNMENT, "a2_feedforward"))
    students = read_csv(out.with_name("course_students.csv"))
    assert {r["student"] for r in students if r["assignment"] == "a2_feedforward" and r["status"] == "missing"} == \
        set(klass.KINDS) - {"alice", "bob", "carol"} | {klass.GARBAGE, klass.CRASHER, klass.HELPER, klass.RENAMER,
                                                         *klass.ABSENT}


def test_histogram_bins_hold_every_total_once_and_the_maximum_in_the_last():
    bins = histogram([0.0, 0.5, 13.99, 14.0, 7.0], 14.0)
    assert len(bins) == 14 and sum(n for _, _, n in bins) == 5
    assert bins[-1][2] == 2 and bins[0][2] == 2 and bins[7][2] == 1
    assert len(histogram([3.0], 37.5)) == 10


# --------------------------------------------------------------------------- the command line
def test_the_command_prints_the_report_path_and_top_mistakes(capsys, graded, tmp_path):
    html_path = tmp_path / "report.html"  # not the `written` fixture's files, which other tests read
    assert cli_main(["report", klass.ASSIGNMENT, str(graded["graded"]), "--out", str(html_path)]) == 0
    out = capsys.readouterr().out
    assert f"report: {html_path}" in out and "top 3 named mistakes:" in out
    assert out.count("% (") == 3


@pytest.mark.parametrize("argv, message", [
    (["report", "no_such_assignment", "{graded}"], "unknown assignment"),
    (["report", klass.ASSIGNMENT, "{graded}/nowhere"], "does not exist"),
    (["report", klass.ASSIGNMENT, "{graded}", "--roster", "{graded}/no_roster.txt"], "--roster"),
    (["report", "all", "{graded}"], "holds no folder named for an assignment"),
])
def test_usage_errors_name_the_problem(argv, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli_main([a.format(graded=tmp_path) for a in argv])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_the_roster_can_come_from_nbgraders_gradebook(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    from autograder.report.collect import roster_from_gradebook

    db = tmp_path / "gradebook.db"
    with monkeypatch.context() as env:  # nbgrader runs `alembic` from PATH to create a gradebook
        env.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
        with Gradebook(f"sqlite:///{db}", COURSE.id) as gb:
            for student in ("ann", "Zoë Ünal"):
                gb.add_student(student)
    assert roster_from_gradebook(db, COURSE.id) == ["Zoë Ünal", "ann"]
    with pytest.raises(FileNotFoundError):
        roster_from_gradebook(tmp_path / "nowhere.db", COURSE.id)
    assert not (tmp_path / "nowhere.db").exists()


def test_report_csv_cells_never_start_a_formula():
    from autograder.report.export import csv_text

    text = csv_text([{"student": "=HYPERLINK(\"http://x\")", "total": 1.0}], ("student", "total"))
    assert text.splitlines()[1].startswith("\"'=HYPERLINK")


# --------------------------------------------------------------------------- the whole grade (issue 22)
def test_a_function_that_raised_on_every_hidden_case_is_listed_as_an_error(graded, written):
    record = json.loads((graded["graded"] / klass.HELPER / "grade.json").read_text(encoding="utf-8"))
    relu = next(q for q in record["questions"] if q["id"] == "relu")
    assert relu["score"] == 0 and relu["call_errors"] == {"raised NameError": relu["total"]}
    rows = [r for r in read_csv(written["problems"]) if r["student"] == klass.HELPER]
    assert [(r["kind"], r["where"]) for r in rows] == [("exception", "relu")]
    assert f"raised NameError on {relu['total']} of {relu['total']} cases" in rows[0]["detail"]
    section = written["html"].read_text(encoding="utf-8").split('id="a1_activations-problems"')[1]
    assert "raised NameError" in section.split("</table>")[0]
    assert "carol" not in {r["student"] for r in read_csv(written["problems"])}  # a stub is unanswered, not an error
    garbage = [r for r in read_csv(written["problems"]) if r["student"] == klass.GARBAGE]  # said once, not per question
    assert [(r["where"], r["detail"]) for r in garbage] == [
        ("submission", "the notebook could not be read (JSONDecodeError); its questions scored 0")]


def test_every_submission_note_is_in_the_report(graded, written):
    notes = {(path.parent.name, note) for path in graded["graded"].glob("*/grade.json")
             for note in json.loads(path.read_text(encoding="utf-8"))["notes"]}
    assert {s for s, _ in notes} >= {klass.HELPER, klass.RENAMER}
    assert {(r["student"], r["note"]) for r in read_csv(written["html"].with_name("report_notes.csv"))} == notes
    page = written["html"].read_text(encoding="utf-8")
    table = page.split('id="a1_activations-notes-table"')[1].split("</table>")[0]
    for student, note in notes:
        assert html.escape(note) in table
    assert any("read-only" in note for s, note in notes if s == klass.HELPER)
    assert any("activations-Copy1.ipynb" in note for s, note in notes if s == klass.RENAMER)


def test_students_appear_by_name_from_an_nbgrader_students_csv(written):
    rows = {r["student"]: r["name"] for r in read_csv(written["students"])}
    assert rows["alice"] == "Alice Martin" and rows["dave"] == "Dave O'Neil" and rows[klass.HELPER] == "Hana"
    assert rows["bob"] == "" and rows["Zoë Ünal"] == "Zoë Ünal"
    page = written["html"].read_text(encoding="utf-8")
    assert "<td>Alice Martin (alice)</td>" in page and "Hana (helper)" in page


def test_a_roster_file_of_ids_and_names(tmp_path):
    from autograder.report.collect import roster_file_names

    (tmp_path / "plain.txt").write_text("# ids\nann\n\nli wei\n", encoding="utf-8")
    (tmp_path / "names.csv").write_text("id,name\nann,Ann Lee\n\"x,y\",\nli wei,Li Wei\n", encoding="utf-8")
    assert roster_file_names(tmp_path / "plain.txt") == {"ann": "", "li wei": ""}
    assert roster_file_names(tmp_path / "names.csv") == {"ann": "Ann Lee", "x,y": "", "li wei": "Li Wei"}


def _raw_ids(text: str) -> list[str]:
    """Words shaped like the grader's ``family:detail`` ids (shape:transposed, factor:1/m)."""
    import re

    return re.findall(r"\b[a-z][a-z-]*:[^\s,;)]+", text)


def test_every_diagnosis_id_has_a_readable_label():
    from autograder.checks.compare import CONTRACT_MESSAGES, SHAPE_MESSAGES
    from autograder.grading import diagnose
    from autograder.report.labels import mistake_label

    ids = [*CONTRACT_MESSAGES, *(f"shape:{k}" for k in SHAPE_MESSAGES), *(f"type:{k}" for k in diagnose.TYPE_MESSAGES),
           *diagnose.FACTOR_MESSAGES, "factor:3/2", "factor:~", *(i for i, _, _ in diagnose.NUMPY_ERRORS),
           *(f"case-kind:{k}" for k, _, _ in diagnose.CASE_KINDS), "default:slope", "ignored-argument:b",
           "one-gradient:dW", "outputs:dW2 sign, db2 m", "layers:earlier", "region:wrong where z <= 0",
           "same-as:sigmoid_prime", "off-by-one:k", "scaled-argument:lr", "list-argument:grads",
           "argument-in-place:b2", "normalised:other-axis", "affine:-1,2", "in-function:0,1,1"]
    for mistake in ids:
        label = mistake_label(mistake)
        assert label != mistake and not _raw_ids(label), (mistake, label)
    assert mistake_label("forgot the biases") == "forgot the biases"  # a registered mistake is named in words


def test_mistakes_appear_under_readable_names_in_the_tables_and_the_plot(tmp_path, monkeypatch):
    from autograder.batch.grade import write_student
    from autograder.grading.results import QuestionResult, SubmissionResult
    from autograder.report import figures

    spec = COURSE.assignment("a2_feedforward")
    transposed = {"id": "shape:transposed", "message": "yours has the two axes swapped", "cases": 4}
    for student in ("ann", "ben"):
        write_student(tmp_path / "graded", SubmissionResult(student, spec.id, [
            QuestionResult(q.id, 0.0, q.points, 0, 4, "", [transposed] if q.id == "dense_forward" else [])
            for q in spec.questions]))
    drawn: list[str] = []
    plot = figures.mistake_ranking
    monkeypatch.setattr(figures, "mistake_ranking", lambda ranked, top=10: drawn.extend(m.label for m in ranked) or plot(ranked, top))
    report, paths = write_report(COURSE.name, [collect(COURSE, spec.id, tmp_path / "graded")], tmp_path / "r.html")
    text = "".join(parse(paths[0].read_text(encoding="utf-8")).text)
    assert "wrong shape: transposed" in text and "shape:transposed" not in text
    assert drawn == ["wrong shape: transposed"]
    (row,) = read_csv(tmp_path / "r_mistakes.csv")
    assert (row["mistake"], row["mistake_id"]) == ("wrong shape: transposed", "shape:transposed")


def test_every_number_of_the_csv_files_has_at_most_four_decimals(written):
    import re

    for name in ("students", "questions", "mistakes"):
        for row in read_csv(written[name]):
            for column, cell in row.items():
                if re.fullmatch(r"-?\d+\.\d+", cell or ""):
                    assert len(cell.split(".")[1]) <= 4, (name, column, cell)
    shares = {r["share"] for r in read_csv(written["mistakes"])}
    assert f"{3 / klass.SUBMITTED:.4f}".rstrip("0") in shares  # 3 of the class: rounded, not 0.2727272727272727
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert all(len(repr(m["share"]).split(".")[-1]) <= 4 for m in data["top_mistakes"])


@pytest.fixture(scope="module")
def with_gradebook(graded, tmp_path_factory) -> dict[str, Path]:
    """The report with nbgrader's gradebook (names and written scores) and no roster file."""
    root = tmp_path_factory.mktemp("gradebook")
    db = klass.make_gradebook(root / "gradebook.db", klass.everyone())
    out = root / "report.html"
    assert cli_main(["report", klass.ASSIGNMENT, str(graded["graded"]), "--out", str(out),
                     "--gradebook", str(db)]) == 0
    return {"html": out, "students": root / "report_students.csv", "questions": root / "report_questions.csv",
            "json": root / "report.json"}


def test_written_scores_from_the_gradebook_join_the_auto_graded_total(graded, with_gradebook):
    auto: dict[str, float] = defaultdict(float)
    for row in read_csv(graded["graded"] / "grades.csv"):
        auto[row["student_id"]] += float(row["score"])
    rows = {r["student"]: r for r in read_csv(with_gradebook["students"])}
    written_max = sum(w.points for nb in COURSE.assignment(klass.ASSIGNMENT).notebooks for w in nb.written)
    for student, points in klass.WRITTEN.items():
        assert float(rows[student]["written"]) == points
        assert float(rows[student]["grade"]) == pytest.approx(auto[student] + points, abs=ROUNDING)
    assert rows["carol"]["written"] == "" and float(rows["carol"]["grade"]) == pytest.approx(auto["carol"])
    assert float(rows["alice"]["grade_max"]) == float(rows["alice"]["max_score"]) + written_max
    assert rows["alice"]["name"] == "Alice Martin"  # the gradebook's names
    dead_units = next(r for r in read_csv(with_gradebook["questions"]) if r["question"] == "dead_units")
    assert (dead_units["kind"], int(dead_units["graded"])) == ("written", len(klass.WRITTEN))
    assert float(dead_units["mean"]) == pytest.approx(statistics.fmean(klass.WRITTEN.values()))
    summary = json.loads(with_gradebook["json"].read_text(encoding="utf-8"))["assignments"][klass.ASSIGNMENT]["summary"]
    assert summary["grade_mean"] == pytest.approx(statistics.fmean(auto.values()) + sum(klass.WRITTEN.values()) / len(auto),
                                                  abs=ROUNDING)
    assert set(summary["written_pending"]) == set(auto) - set(klass.WRITTEN)
    text = "".join(parse(with_gradebook["html"].read_text(encoding="utf-8")).text)
    assert "mean grade (auto + written)" in text and "dead_units (written)" in text
