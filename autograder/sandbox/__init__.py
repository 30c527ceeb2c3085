"""Run untrusted student code: a warm zygote forks one confined, namespaced run per submission.

The package, one job per module (each module's docstring states the guarantees it enforces;
docs/design.md lists every guarantee with the test that pins it):

==================  ==========================================================================
``supervisor.py``   :class:`Sandbox`, the grader's side: starts the zygote, refuses to run where
                    the kernel cannot confine, feeds a run and parses its results, bounds its time
``zygote.py``       the warm worker: picks the level, forks a run supervisor and the run's process
                    (PID 1 of new namespaces) per submission, proves the run dead before its end
``child.py``        inside the run's process: confinement, the cells, then the calls
``confine.py``      namespaces, uid, capabilities, Landlock and seccomp
``view.py``         the run's own filesystem (read-only binds, a scratch tmpfs the kernel caps)
``paths.py``        what a run may read (stdlib and numpy, never the environment's packages)
``wire.py``         the request and result formats, and the validating parser
``messages.py``     feedback text in course terms, with nothing the student chose on hidden cases
``records.py``      the public records: :class:`Limits`, :class:`Call`, :class:`RunResult`, ...
``inert.py``        do-nothing stand-ins for matplotlib, IPython, tqdm and the visible checks
==================  ==========================================================================

Usage::

    with Sandbox(Limits.from_mapping(course["limits"])) as sandbox:
        result = sandbox.run(sources, [Call("sigmoid", (z,)), Call("relu", (z,))])

It imports nothing of the engine but itself: it knows nothing of questions, courses or grades.
"""
from autograder.sandbox.records import (
    STATUSES, Call, CallOutcome, CellOutcome, Limits, RunResult, SandboxError, Tree)
from autograder.sandbox.supervisor import INERT_MODULES, Sandbox

__all__ = [
    "Call", "CallOutcome", "CellOutcome", "INERT_MODULES", "Limits", "RunResult", "Sandbox",
    "SandboxError", "STATUSES", "Tree",
]
