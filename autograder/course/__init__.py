"""The course: its one description (course.yml), its secret, and what is built and released from them.

==================  ==========================================================================
``config.py``       loads and validates course.yml (:func:`~autograder.course.config.load_course`)
``secret.py``       the course secret that keys every student's hidden cases
``cases.py``        which inputs a question is checked on: hidden (keyed) and public
``build.py``        ``python -m autograder build``: checks.py, public_cases.json, data sets, errata.md
``errata.py``       the student errata: the student parts of docs/errata.md, no correction in them
``release.py``      ``python -m autograder release``: nbgrader generate_assignment, no spoilers
``spoilers.py``     which released text would hand students an open assignment's answers (code
                    and mathematics), and any answer in the student errata
==================  ==========================================================================

May import: ``questions``, ``sandbox`` (for ``Limits``), ``checks`` and ``nn_core``; never
grading, batch, report, gradescope, demo or an entry point.
"""
