"""The report's plots, drawn with matplotlib into PNG bytes (embedded in the HTML as data URIs).

Each function draws one figure from the report's numbers and nothing else; the page shows the
same numbers as a table beside it. Figures are made with ``matplotlib.figure.Figure`` (no
pyplot, no global state, no display needed). Colours are the Okabe-Ito palette, which stays
distinguishable with the common colour-vision deficiencies.
"""
from __future__ import annotations

import io
from typing import Sequence

from matplotlib.figure import Figure

from autograder.report.stats import ClassSummary, MistakeStats, QuestionStats, histogram

FULL, PARTIAL, ZERO, BAR = "#009E73", "#E69F00", "#D55E00", "#0072B2"
WIDTH_IN = 7.5
DPI = 100


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes (no timestamp in the metadata, so equal plots are equal bytes)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _height(rows: int) -> float:
    return max(2.2, 0.32 * rows + 1.2)


def totals_histogram(summary: ClassSummary) -> bytes:
    """Histogram of the submitted students' totals over [0, max_score] (bins of :func:`histogram`)."""
    counts = histogram(summary.totals.values(), summary.max_score)
    figure = Figure(figsize=(WIDTH_IN, 3.0))
    ax = figure.subplots()
    ax.bar([low for low, _, _ in counts], [n for _, _, n in counts], width=counts[0][1] - counts[0][0],
           align="edge", color=BAR, edgecolor="white")
    if summary.mean is not None:
        ax.axvline(summary.mean, color="black", linestyle="--", label=f"mean {summary.mean:.2f}")
        ax.legend(loc="upper left", frameon=False)
    ax.set_xlim(0, summary.max_score)
    ax.set_xlabel(f"total auto-graded points (of {summary.max_score:g})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"{summary.assignment}: totals of {len(summary.totals)} submissions")
    return png(figure)


def question_outcomes(questions: Sequence[QuestionStats]) -> bytes:
    """One horizontal bar per question, split into the shares of full, partial and zero scores."""
    shown = [q for q in questions if q.graded]
    figure = Figure(figsize=(WIDTH_IN, _height(len(shown))))
    ax = figure.subplots()
    labels = [q.question for q in shown]
    left = [0.0] * len(shown)
    for name, colour, attribute in (("full", FULL, "full"), ("partial", PARTIAL, "partial"), ("zero", ZERO, "zero")):
        widths = [100 * getattr(q, attribute) for q in shown]
        ax.barh(labels, widths, left=left, color=colour, label=name)
        left = [a + b for a, b in zip(left, widths)]
    ax.invert_yaxis()  # course order from the top
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of submissions")
    ax.legend(ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return png(figure)


def mistake_ranking(mistakes: Sequence[MistakeStats], top: int = 10) -> bytes:
    """The ``top`` most frequent named mistakes as horizontal bars of the share of students."""
    shown = list(mistakes[:top])
    figure = Figure(figsize=(WIDTH_IN, _height(len(shown))))
    ax = figure.subplots()
    ax.barh([f"{m.question}: {m.label}" for m in shown], [100 * m.share for m in shown], color=ZERO)
    for y, m in enumerate(shown):
        ax.text(100 * m.share, y, f" {m.count}", va="center")
    ax.invert_yaxis()
    ax.set_xlim(0, 108)
    ax.set_xlabel("% of submissions that made the mistake (number of students at the bar's end)")
    return png(figure)


def difficulty_chart(questions: Sequence[QuestionStats]) -> bytes:
    """Each question's difficulty (1 - mean score / points), in the order given."""
    shown = [q for q in questions if q.difficulty is not None]
    figure = Figure(figsize=(WIDTH_IN, _height(len(shown))))
    ax = figure.subplots()
    ax.barh([f"{q.assignment}: {q.question}" for q in shown], [100 * q.difficulty for q in shown], color=PARTIAL)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("difficulty: % of the points the class did not score")
    return png(figure)
