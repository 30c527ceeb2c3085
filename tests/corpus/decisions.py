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

#: a5's notebook (part 1 and "The loop, exactly"): init_params is judged on the statistics of what it
#: returns, and train's replays start from the student's own init_params (issue 24: "so the draw
#: order does not matter"). These draw He's normal weights and zero biases from another generator or
#: in another order, reproducibly from the seed: valid. (A generator created anew for every layer,
#: which repeats its draws, and an unseeded one, which another call does not reproduce, stay mistakes:
#: the blind corpus's legacy_global draws from numpy's global generator without seeding it.)
_DRAW_ORDER_IS_FREE = ("a5's notebook: init_params is judged on its statistics, and train's replays start from "
                       "your own init_params: another order of the draws, or another seeded generator, is valid")

#: a5's notebook, "The loop, exactly": a loop that skips each epoch's last, shorter batch (PyTorch's
#: drop_last) is accepted as well as one that keeps it.
_DROP_LAST_IS_ACCEPTED = "a5's notebook: skipping each epoch's last, shorter batch (drop_last) is accepted"

DECISIONS: dict[tuple[str, str, str], str] = {
    ("fresh", "train", "drops_last_batch"): _DROP_LAST_IS_ACCEPTED,
    ("heldout", "train", "short_batch_dropped"): _DROP_LAST_IS_ACCEPTED,
    ("blind", "train", "drops_short_batch"): _DROP_LAST_IS_ACCEPTED,
    ("heldout", "init_params", "drawn_transposed"): _DRAW_ORDER_IS_FREE,
    ("heldout", "init_params", "column_by_column"): _DRAW_ORDER_IS_FREE,
    ("heldout", "init_params", "legacy_global_seed"): _DRAW_ORDER_IS_FREE,
    ("fresh", "init_params", "drawn_transposed"): _DRAW_ORDER_IS_FREE,
    ("fresh", "init_params", "global_seed"): _DRAW_ORDER_IS_FREE,
    ("blind", "init_params", "drawn_transposed"): _DRAW_ORDER_IS_FREE,
    ("blind", "init_params", "zero_biases_drawn"): _DRAW_ORDER_IS_FREE,
    ("heldout", "sigmoid", "naive_formula"): _WARNING_IS_ADVICE,
    ("heldout", "sigmoid", "where_both_forms"): _WARNING_IS_ADVICE,
    ("fresh", "sigmoid", "naive_overflows"): _WARNING_IS_ADVICE,
    ("fresh", "sigmoid", "where_evaluates_both"): _WARNING_IS_ADVICE,
}
