"""The main job, ``make demo`` (``python -m autograder.demo``), and the synthetic class it grades.

==================  ==========================================================================
``main.py``         trains the reference networks, releases, grades a demo class both ways,
                    checks Gradescope and writes the class report
``synthetic.py``    synthetic submissions: correct, mistakes, stub, hostile
``__main__.py``     ``python -m autograder.demo``
==================  ==========================================================================

May import every package of the engine; nothing imports it but the tests and benchmarks
(which use its synthetic class).
"""
