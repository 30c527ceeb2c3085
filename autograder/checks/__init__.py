"""The student kit: what ``python -m autograder build`` inlines into every released ``checks.py``.

==================  ==========================================================================
``compare.py``      comparing a result with the expected one under the type policy; mistakes
``adapters.py``     questions whose student function takes a function: plain-data wrappers
``public.py``       the public cases file (encode/decode) and what a failed check raises
``visible.py``      ``check(...)`` and ``check_gradients(...)``, the checks students run
``judged.py``       the checks of judged questions (a5: initialisation, trained networks)
==================  ==========================================================================

Every module here runs in the student's notebook, so it needs numpy and the standard library
only and imports nothing of the engine but this package (its ``from autograder.checks...``
lines are dropped when inlined). The grader imports ``compare`` and ``adapters`` too, and
the question registry the judged checks' constants: one source for both sides.
"""
