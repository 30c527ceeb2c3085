"""The autograder engine: hidden cases from nn_core, student code run out of process, teaching feedback.

The packages, lowest first; each may import only the packages on its own row or above it
(``tests/test_architecture.py`` fails on an import circle or an upward import):

==================  ===========================================================================
``checks/``         the student kit released inside every ``checks.py``: comparison, adapters, the
                    visible and judged checks. numpy and the standard library only; imports
                    nothing of the engine but itself
``sandbox/``        runs untrusted student code; imports nothing of the engine but itself
``questions/``      the registry of gradable questions (references in ``nn_core``); ``checks``
``course/``         course.yml, its secret, the cases drawn from them, the build, the release and
                    the spoiler policy; ``questions``, ``sandbox``, ``checks``
``grading/``        grading one notebook: the pipeline, diagnosis, feedback, results, reading a
                    submission's files; ``course`` and everything above
``batch/``          grading a class from the command line: worker pool, lateness, result files
``report/``         the class report, from graded results
``gradescope/``     the Gradescope bundle and its runner
``demo/``           the main job (``make demo``) and the synthetic class it grades
==================  ===========================================================================

Entry points, imported by nothing of the engine: ``cli.py`` (``python -m autograder``: parses
arguments and dispatches) and ``nbgrader_plugin.py`` (named by ``nbgrader_config.py``).
"""
