"""Grading on Gradescope's autograder platform with the same engine, cases and sandbox.

    python -m autograder gradescope ASSIGNMENT [--out DIR]   # builds DIR/ASSIGNMENT-gradescope.zip

==============  ==========================================================================
``bundle.py``   the zip: setup.sh, run_autograder, pinned requirements, a wheel of the
                engine and the reference, course.yml, the course secret, bundle.json
``setup.sh``    (in the zip) installs all that into ``/autograder/venv`` and locks it down
``layout.py``   which files student code may read in the container, and the check of it
``runner.py``   ``run_autograder``'s Python: finds the notebooks, grades them, writes results.json
``metadata.py`` who submitted (submission_metadata.json): the id that keys the hidden cases
``results.py``  results.json: scores, feedback, visibility (course.yml ``gradescope:``),
                execution time, the confinement in force
``trial.py``    a root laid out as Gradescope lays it out, for the tests and the demo
==============  ==========================================================================

A student graded on Gradescope gets the scores ``python -m autograder grade`` gives the
folder named by the same id (``gradescope.student_id``: their email by default).

May import: ``grading``, ``batch`` and everything they may import; never report, demo or an
entry point.
"""
