"""The hidden case with many parameters of each question whose answer is a derived gradient.

A student can differentiate a loss numerically instead of deriving its gradient: the
central difference of assignment 1 needs only the loss, which every notebook defines. On
the small cases that is as right as the derivation (to about 1e-10). It is not on a case
with many parameters (or entries): two loss evaluations per parameter, each as dear as a
forward pass, cannot finish within the call's time limit (``limits.call_timeout_s``), while
the derived gradient costs about one forward pass. So each such question gets one such case,
the last of its hidden set, weighing as much as all its other cases together
(:attr:`autograder.questions.Question.large_case`, scored in
:func:`autograder.grading.pipeline.score_question`). An answer the supervisor stops there at the
limit of one call earns nothing on the item (:mod:`autograder.grading.derived`); one that fails
there alone in another way is named by the diagnosis's ``many-parameters`` case kind. It is never
a public case (the visible checks stay small).

Sizes (measured on the course's 2-core machine; a vectorised derivation takes milliseconds):

* a two-layer network with 200 inputs and 200 hidden units (about 40,000 parameters) on 64
  examples: a loop of central differences needs 80,000 forward passes, over a minute;
* a loss gradient or an output error on 1,000 x 100 entries: 200,000 loss evaluations of
  100,000 entries, over half a minute;
* backprop through 100 -> 200 -> 100 -> 10 (about 41,000 parameters) on 64 examples;
* the L2 penalty's gradient of a 300 -> 300 -> 100 network (about 120,000 weights): the penalty is
  one sum over them all, so each of its 240,000 evaluations costs a pass over every weight.

Each assignment's module makes its large cases with its own case generators at these sizes
and registers them with ``register(..., large_case=...)``, so the large inputs follow the
question's own conventions (probabilities in (0.02, 0.98), one-hot or 0/1 targets, relu
pre-activations off the kink).
"""
from __future__ import annotations

#: a two-layer network's large case: examples, and the width of its input and hidden layer
NETWORK_ROWS, NETWORK_WIDTH = 64, 200
#: (rows, columns) of a loss gradient's or an output error's large case
ENTRIES = (1000, 100)
#: backprop's large network (its examples: NETWORK_ROWS)
BACKPROP_SIZES = [100, 200, 100, 10]
#: the L2 penalty's gradient's large network (a6)
L2_SIZES = [300, 300, 100]
