"""The report as one self-contained HTML page: inline CSS, plots as PNG data URIs, no script,
no request to any other file or server. Every text that comes from data (student ids, mistake
messages, error reasons) is escaped; every figure is followed by a table of the same numbers,
which the figure's ``aria-describedby`` points to, for screen readers and for copying.
"""
from __future__ import annotations

import base64
import html
import re
from typing import Callable, Iterable, Sequence

from autograder.report import figures
from autograder.report.contents import AssignmentReport, Report
from autograder.report.stats import histogram

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 68em; padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #0072B2; padding-bottom: .2em; margin-top: 2.2em; }
table { border-collapse: collapse; margin: .6em 0 1.4em; min-width: 24em; }
caption { text-align: left; font-weight: 600; padding: .3em 0; }
th, td { border: 1px solid #bbb; padding: .25em .55em; vertical-align: top; text-align: left; }
th { background: #eef3f8; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0 .3em; } figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #444; font-size: .92em; }
.glance td.n { font-size: 1.15em; font-weight: 600; } .note { color: #444; }
nav ul { columns: 2; } summary { cursor: pointer; font-weight: 600; margin: .5em 0; }
"""


# --------------------------------------------------------------------------- formatting
def esc(value: object) -> str:
    """Text for HTML, quotes included (safe inside attributes too)."""
    return html.escape(str(value), quote=True)


def pts(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def anchor(*parts: str) -> str:
    """An HTML id made of ``parts`` (letters, digits, - and _ only)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts))


class Cell(str):
    """A table cell that is a number (right-aligned)."""


def table(table_id: str, caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]],
          empty: str = "none") -> str:
    """An HTML table; cells are escaped here. ``empty`` is shown in place of no rows."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{esc(c)}</td>' if isinstance(c, Cell) else f"<td>{esc(c)}</td>"
                                    for c in row) + "</tr>" for row in rows)
    if not body:
        body = f'<tr><td colspan="{len(headers)}">{esc(empty)}</td></tr>'
    return (f'<table id="{esc(table_id)}"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def figure(png: bytes, alt: str, caption: str, table_id: str) -> str:
    """A PNG figure described by the table ``table_id`` that follows it."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}" aria-describedby="{esc(table_id)}">'
            f"<figcaption>{esc(caption)} The table below holds the same numbers.</figcaption></figure>")


def names(students: Iterable[str]) -> str:
    return ", ".join(students)


# --------------------------------------------------------------------------- one assignment
def glance(a: AssignmentReport) -> str:
    s = a.summary
    rows = [("students", Cell(s.students)), ("submitted (graded)", Cell(len(s.submitted))),
            ("missing", Cell(len(s.missing))), ("late", Cell(len(s.late))),
            ("mean auto-graded total", Cell(f"{pts(s.mean)} / {s.max_score:g}")),
            ("median auto-graded total", Cell(f"{pts(s.median)} / {s.max_score:g}"))]
    whole = s.max_score + s.written_max
    if s.written is not None:
        rows += [("written answers not all graded yet", Cell(len(s.pending))),
                 ("mean grade (auto + written)", Cell(f"{pts(s.grade_mean)} / {whole:g}")),
                 ("median grade (auto + written)", Cell(f"{pts(s.grade_median)} / {whole:g}"))]
        written = (f"The grade is the auto-graded total plus the written answers' scores from nbgrader's gradebook "
                   f"({s.written_max:g} points, graded by hand in the formgrader; those not graded yet count 0).")
    else:
        written = (f"Written answers ({s.written_max:g} points) are graded by hand and not included: give "
                   "--gradebook gradebook.db for them." if s.written_max else "")
    key = anchor(a.id, "glance")
    who = lambda students: names(a.record.name(x) for x in students)  # noqa: E731
    out = [f'<h3 id="{key}">The class at a glance</h3>',
           f'<p class="note">Due {esc(a.record.spec.due.strftime("%Y-%m-%d %H:%M"))} UTC. '
           f"Roster: {esc(a.record.roster_source)}. Means and medians are over the submitted students. "
           f"{esc(written)}</p>",
           '<div class="glance">' + table(key + "-numbers", f"{a.id}: the class", ("", "number"), rows) + "</div>",
           table(key + "-who", f"{a.id}: missing and late students", ("missing", "late"),
                 [(who(s.missing) or "none", who(s.late) or "none")])]
    if s.submitted:
        hist_id = key + "-histogram"
        out.append(figure(figures.totals_histogram(s), f"Histogram of the totals of {a.id}",
                          f"Totals of the {len(s.submitted)} submissions; the dashed line is the mean.", hist_id))
        out.append(table(hist_id, f"{a.id}: totals by range", ("from", "to", "students"),
                         [(Cell(f"{low:g}"), Cell(f"{high:g}"), Cell(n))
                          for low, high, n in histogram(s.totals.values(), s.max_score)]))
    out.append(students(a))
    return "\n".join(out)


def students(a: AssignmentReport) -> str:
    """Every student on the roster: total (and written points and grade, with a gradebook) or
    missing, submission time, late."""
    s = a.summary
    grades = s.grades

    def scores(student: str) -> tuple:
        if student not in s.totals:
            return (Cell("missing"),) + ((Cell(""), Cell("")) if grades is not None else ())
        auto = Cell(f"{s.totals[student]:.2f}")
        if grades is None:
            return (auto,)
        written = (s.written or {}).get(student)
        return auto, Cell("not graded" if written is None else f"{written:.2f}"), Cell(f"{grades[student]:.2f}")

    rows = [(a.record.name(student), *scores(student),
             when.strftime("%Y-%m-%d %H:%M") if (when := a.record.submitted_at.get(student)) else "—",
             "late" if student in s.late else "")
            for student in a.record.roster]
    headers = ("student", "auto-graded", *(("written", "grade") if grades is not None else ()), "submitted (UTC)", "late")
    return ('<details><summary>Every student</summary>'
            + table(anchor(a.id, "students"), f"{a.id}: every student", headers, rows, empty="no students")
            + "</details>")


def questions(a: AssignmentReport) -> str:
    named: dict[str, list[str]] = {}
    for m in a.mistakes:
        named.setdefault(m.question, []).append(f"{m.label} ({m.count})")
    key = anchor(a.id, "questions")
    rows = [(q.question + (" (written)" if q.written else ""), Cell(f"{q.points:g}"), Cell(pts(q.mean)), Cell(pct(q.full)), Cell(pct(q.partial)),
             Cell(pct(q.zero)), "; ".join(named.get(q.question, [])) or "—") for q in a.questions]
    out = [f'<h3 id="{key}">Questions</h3>']
    if a.summary.submitted:
        out.append(figure(figures.question_outcomes(a.questions), f"Bar chart of full, partial and zero scores per question of {a.id}",
                          "Share of the submissions with full, partial and zero marks on each question.", key + "-table"))
    out.append(table(key + "-table", f"{a.id}: per question", ("question", "points", "mean score", "full",
                                                               "partial", "zero", "named mistakes (students)"), rows))
    return "\n".join(out)


def mistakes(a: AssignmentReport) -> str:
    key = anchor(a.id, "mistakes")
    out = [f'<h3 id="{key}">Named mistakes, ranked by how many students made them</h3>']
    if a.mistakes:
        out.append(figure(figures.mistake_ranking(a.mistakes), f"Bar chart of the most frequent named mistakes in {a.id}",
                          "The most frequent named mistakes, as a share of the submissions.", key + "-table"))
    out.append(mistake_table(key + "-table", f"{a.id}: named mistakes", a.mistakes, with_assignment=False,
                             who=a.record.name))
    return "\n".join(out)


def mistake_table(table_id: str, caption: str, ranked: Sequence, with_assignment: bool,
                  who: Callable[[str], str] = str) -> str:
    """The ranked mistakes under their readable names; ``who`` names a student."""
    headers = ("rank", *(("assignment",) if with_assignment else ()), "question", "mistake", "students",
               "share", "what to teach (the message students read)", "who")
    rows = [(Cell(i), *((m.assignment,) if with_assignment else ()), m.question, m.label, Cell(m.count),
             Cell(pct(m.share)), m.message, names(who(s) for s in m.students)) for i, m in enumerate(ranked, 1)]
    return table(table_id, caption, headers, rows, empty="no named mistakes")


def problems(a: AssignmentReport) -> str:
    key = anchor(a.id, "problems")
    rows = [(a.record.name(p.student), p.kind, p.where, p.detail) for p in a.problems]
    return (f'<h3 id="{key}">Errors and timeouts</h3>'
            '<p class="note">Submissions that crashed, hung or could not be read, questions whose hidden calls '
            "raised an exception (a stub's NotImplementedError aside), and questions whose calls were stopped by "
            "the time limit: points lost for a reason other than a wrong answer.</p>"
            + table(key + "-table", f"{a.id}: errors and timeouts", ("student", "kind", "where", "what happened"),
                    rows, empty="no errors or timeouts"))


def notes(a: AssignmentReport) -> str:
    """What the grader told students about their submission as a whole, one note a row."""
    key = anchor(a.id, "notes")
    rows = [(a.record.name(n.student), n.note) for n in a.notes]
    return (f'<h3 id="{key}">Submission notes</h3>'
            '<p class="note">What the grader told each student about the submission as a whole: a notebook '
            "graded under another name, a read-only cell that was edited (graded as released), an error in a "
            "cell.</p>"
            + table(key + "-table", f"{a.id}: submission notes", ("student", "note"), rows, empty="no notes"))


SECTIONS = (glance, questions, mistakes, problems, notes)  # the parts of an assignment's section, in order


def assignment_section(a: AssignmentReport) -> str:
    return (f'<section id="{anchor(a.id)}"><h2>{esc(a.id)}: {esc(a.title)}</h2>\n'
            + "\n".join(part(a) for part in SECTIONS) + "</section>")


# --------------------------------------------------------------------------- the course
def course_section(report: Report) -> str:
    ids = [a.id for a in report.assignments]
    rows = []
    for row in report.course_rows:
        cells = [Cell("missing" if row.totals[i] is None else f"{row.totals[i]:.2f}" + (" (late)" if i in row.late else ""))
                 for i in ids]
        graded = [v for v in row.totals.values() if v is not None]
        rows.append((report.name(row.student), *cells, Cell(f"{sum(graded):.2f}")))
    maxima = " + ".join(f"{a.summary.max_score + (a.summary.written_max if a.summary.written is not None else 0):g}"
                        for a in report.assignments)
    hardest = report.difficulty
    out = ['<section id="course"><h2>The whole course</h2>',
           mistake_table("course-mistakes", "Named mistakes over the course, ranked", report.top_mistakes,
                         with_assignment=True, who=report.name),
           table("course-students", f"Students by assignment (the grade: auto-graded total, plus the written answers "
                 f"where nbgrader's gradebook was given; out of {maxima})",
                 ("student", *ids, "sum"), rows, empty="no students")]
    if any(q.difficulty is not None for q in hardest):
        out.append(figure(figures.difficulty_chart(hardest), "Bar chart of each question's difficulty, hardest first",
                          "Each question's difficulty: the share of its points the submitted students did not score.",
                          "course-difficulty"))
    out.append(table("course-difficulty", "Questions by difficulty, hardest first",
                     ("assignment", "question", "points", "mean score", "difficulty", "full", "zero"),
                     [(q.assignment, q.question, Cell(f"{q.points:g}"), Cell(pts(q.mean)), Cell(pct(q.difficulty)),
                       Cell(pct(q.full)), Cell(pct(q.zero))) for q in hardest]))
    return "\n".join(out) + "</section>"


def render(report: Report) -> str:
    """The whole report as an HTML document."""
    course_wide = len(report.assignments) > 1
    title = f"{report.course_name}: class report"
    if len(report.assignments) == 1:
        title += f" for {report.assignments[0].id}"
    links = ([("course", "The whole course")] if course_wide else []) + [(anchor(a.id), a.id) for a in report.assignments]
    nav = "<nav><ul>" + "".join(f'<li><a href="#{esc(k)}">{esc(t)}</a></li>' for k, t in links) + "</ul></nav>"
    body = ([course_section(report)] if course_wide else []) + [assignment_section(a) for a in report.assignments]
    if not report.assignments:
        body = ['<p>No graded assignment was found.</p>']
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{esc(title)}</title>"
            f"<style>{CSS}</style></head><body>\n<header><h1>{esc(title)}</h1>"
            f"<p class=\"note\">Made {esc(report.generated.strftime('%Y-%m-%d %H:%M'))} UTC from the graded results "
            "(grade.json of each student); nothing was regraded.</p></header>\n"
            + nav + "\n" + "\n".join(body) + "\n</body></html>\n")
