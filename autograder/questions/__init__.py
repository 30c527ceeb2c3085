"""The registry of gradable questions: what the student writes, how it is checked.

One module per assignment registers that assignment's questions into :data:`QUESTIONS`
(keys are the question ids of ``course.yml``). To add or change a question, edit its
assignment's module only: see "Adding a question" in ``docs/design.md``.

==========================  ==============================================================
``registry.py``             :class:`Question`, :class:`Case`, :class:`Mistake`, :func:`register`
``inputs.py``               input generators shared by the assignments
``a1_activations.py``       activations, derivatives, maxout, softmax
``a2_feedforward.py``       layer shapes, parameter counts (plain, maxout), dense layer, forward
                            pass, note 004's weight convention
``a3_two_layer.py``         the two-layer derivations, the line fit, gradient descent
``a4_losses_backprop.py``   losses, output errors, hidden deltas, backprop, predictions
``a5_training.py``          initialisation, and the loop graded once on the three networks (judged)
``a6_training_well.py``     L2, momentum and Adam steps, dropout, batch norm, a network as a list
                            of layers
``large.py``                the sizes of the hidden case with many parameters (derived gradients)
``precision.py``            the finite-precision probes of separable derived answers (hidden entries
                            where a finite difference is visibly wrong and a closed form is not)
``variants.py``             building blocks of the wrong variants (mistakes) shared by assignments
==========================  ==============================================================

May import: ``checks`` (the judged checks' constants, the adapters) and ``nn_core``; never a
course loader (a question's course.yml settings are passed in: ``Question.bound``) nor anything
above it.
"""
from autograder.questions.registry import QUESTIONS, Args, Case, Judgement, Mistake, Question, register
from autograder.questions import a1_activations, a2_feedforward, a3_two_layer, a4_losses_backprop  # noqa: F401
from autograder.questions import a5_training, a6_training_well  # noqa: F401

__all__ = ["QUESTIONS", "Args", "Case", "Judgement", "Mistake", "Question", "register"]
