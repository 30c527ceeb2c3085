"""The project's decisions on answers an independent corpus labels otherwise (issue 26: "decide from
the notebook's stated contract whether it is a mistake ... or a valid reading (then the notebook must
say so, and it must get full marks)").

An independent corpus is its author's reading of the released notebooks and is never edited here;
where the course decides that a labelled mistake is a valid reading, the decision and the
notebook's words that make it one are recorded below, and ``make accuracy`` grades the answer as
valid (it must get full marks) and says how many answers it relabelled. A decision never turns a
valid answer into a mistake: that is the corpus author's to label.

``DECISIONS[(origin, function, label)] = reason``.
"""
from __future__ import annotations

#: Every notebook's "How your answers are graded": 'Where it says "without warnings", the visible
#: checks test it and the feedback tells you, but no hidden points depend on it.' These answers
#: return the right values and warn on large |z|: valid, with advice (tests/test_grading.py pins it).
_WARNING_IS_ADVICE = ('"without warnings": the visible checks test it and the feedback tells you, but no hidden '
                      'points depend on it (every notebook); the values are right')

DECISIONS: dict[tuple[str, str, str], str] = {
    ("heldout", "sigmoid", "naive_formula"): _WARNING_IS_ADVICE,
    ("heldout", "sigmoid", "where_both_forms"): _WARNING_IS_ADVICE,
    ("fresh", "sigmoid", "naive_overflows"): _WARNING_IS_ADVICE,
    ("fresh", "sigmoid", "where_evaluates_both"): _WARNING_IS_ADVICE,
}
