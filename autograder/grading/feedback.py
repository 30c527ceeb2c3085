"""The feedback a student reads: one text for ``feedback.txt``, results.json and nbgrader's HTML.

Each question's lines come from :func:`autograder.grading.pipeline.score_question` (its score, then
one line per distinct problem); this module assembles them for a whole submission (the
headline once, the submission's notes, the late flag) and wraps every line to the width of
the feedback page, a bullet's continuation lines indented under its text.
"""
from __future__ import annotations

import textwrap

from autograder.grading.results import Late, QuestionResult, SubmissionResult

#: Characters per line: one line of nbgrader's feedback page in a laptop's window (1200 pixels);
#: a narrower window wraps the lines again, and nothing is cut off (the browser test checks both).
WIDTH = 80


def points(value: float) -> str:
    """A score as a person writes it: at most two decimals, no trailing zeros (11.9999 -> 12)."""
    return f"{round(value, 2):g}"


def wrap(text: str, width: int = WIDTH) -> str:
    """Every line of ``text`` wrapped to ``width``; a line ``"  - item"`` continues under
    ``item``. Words are never split (a long name stays whole), blank lines are kept."""
    out = []
    for line in text.splitlines():
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        hanging = indent + ("  " if body.startswith(("- ", "* ")) else "")
        out.append(textwrap.fill(body, width, initial_indent=indent, subsequent_indent=hanging,
                                 break_long_words=False, break_on_hyphens=False) if body else "")
    return "\n".join(out)


def headline(result: SubmissionResult) -> str:
    """``Assignment A, student S: 12 of 14 auto-graded points`` and the written part, pending."""
    text = (f"Assignment {result.assignment}, student {result.student}: {points(result.score)} of "
            f"{points(result.max_score)} auto-graded points")
    if result.written_points:
        text += f" (and {points(result.written_points)} points of written answers, graded by hand)"
    return text + "."


def late_line(late: Late) -> str:
    """How late a submission was, and what it cost (nothing when the policy is none)."""
    text = f"Submitted late: {duration(late.seconds_late)} after the due date ({late.timestamp})."
    if late.penalty:
        text += f" Late penalty: {points(late.penalty)} points."
    return text


def duration(seconds: float) -> str:
    """``2 days 3 h``, ``4 h 12 min``, ``35 min``, ``20 s``: the two largest units."""
    units = (("day", 86400), ("h", 3600), ("min", 60), ("s", 1))
    parts = []
    rest = int(round(seconds))
    for name, size in units:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count} {name}" + ("s" if name == "day" and count > 1 else ""))
    return " ".join(parts[:2]) or "0 s"


def renamed_note(graded: str, expected: str) -> str:
    """Which file was graded when the expected notebook was not submitted under its name."""
    return f"graded {graded}, the only notebook submitted (the assignment's notebook is {expected})"


def submission_notes(result: SubmissionResult) -> list[str]:
    """What concerns the whole submission: the late flag, why it did not run, other notes."""
    notes = [late_line(result.late)] if result.late and result.late.is_late else []
    if result.error:
        notes.append(f"Your notebook was not graded completely: {result.error}")
    return notes + [f"Note: {note}" for note in result.notes]


def question_feedback(question: QuestionResult, width: int = WIDTH) -> str:
    return wrap(question.feedback, width)


def submission_feedback(result: SubmissionResult, width: int = WIDTH) -> str:
    """The whole text: headline, submission notes, then each question's lines, wrapped."""
    parts = [wrap(headline(result), width)]
    notes = submission_notes(result)
    if notes:
        parts.append(wrap("\n".join(notes), width))
    parts += [question_feedback(q, width) for q in result.questions]
    return "\n\n".join(parts) + "\n"


#: Gradescope's "Output String Formatting" keys of results.json, all ``text``: the submission's
#: output and the tests' outputs and names are shown as typed, never as HTML (Gradescope's default
#: for the submission's output, ``simple_format``, renders HTML, and the feedback quotes what the
#: student wrote: an exception's message, a notebook's file name).
PLAIN_TEXT = {"output_format": "text", "test_output_format": "text", "test_name_format": "text"}
#: The same for one test of results.json.
TEST_PLAIN_TEXT = {"output_format": "text", "name_format": "text"}


def gradescope_results(result: SubmissionResult) -> dict:
    """Gradescope's results.json: a total score, one test per question, and the recognised
    mistakes as data in Gradescope's ``extra_data`` (``{"mistakes": [...]}``, each with its
    question, id, message and number of cases); every string plain text (:data:`PLAIN_TEXT`)."""
    return {
        "score": result.score,
        "output": "\n".join([headline(result), *submission_notes(result)]),
        **PLAIN_TEXT,
        "tests": [{"name": q.id, "score": q.score, "max_score": q.max_score,
                   "output": question_feedback(q), **TEST_PLAIN_TEXT, "extra_data": {"mistakes": q.mistakes}}
                  for q in result.questions],
        "extra_data": {"mistakes": result.mistakes},
    }
