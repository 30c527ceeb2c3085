"""Grading a class from the command line (``python -m autograder grade``).

==================  ==========================================================================
``grade.py``        every submission of an assignment in worker processes, reruns only what
                    changed, per-student files and grades.csv
``budget.py``       the grader's own time and memory per student, and the processes that hold them
``lateness.py``     nbgrader's timestamp.txt, the due date and course.yml's late penalty
``result_files.py`` the files results live in (grade.json, CSV cells), read by the report too
``table.py``        the table the command prints
==================  ==========================================================================

May import: ``grading`` and everything it may import; never report, gradescope, demo or an
entry point.
"""
