"""Grading one notebook: from a student's file to a scored, explained result.

======================  ======================================================================
``pipeline.py``         sources -> hidden cases and expected values -> sandbox run -> scores
                        (:func:`~autograder.grading.pipeline.grade_path`, ``grade_notebook``)
``diagnose.py``         the detectors that explain failed cases (named mistakes)
``derived.py``          a derived item answered by a numerical gradient earns nothing: the
                        evidence (too slow at scale, inexact only where a difference is)
``feedback.py``         the text students read, and Gradescope's results.json of it
``results.py``          :class:`~autograder.grading.results.SubmissionResult` and its parts
``submission_files.py`` reading a student's file without following links, FIFOs or devices
``student_html.py``     student markdown as HTML that shows and never runs (the formgrader's and
                        the feedback page's markdown cells, sanitised with nh3)
``json_budget.py``      the objects parsing a notebook would make, counted (and capped) before
                        it is parsed
======================  ======================================================================

May import: ``course``, ``questions``, ``sandbox``, ``checks`` and ``nn_core``; never batch,
report, gradescope, demo or an entry point.
"""
