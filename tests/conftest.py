"""Every test, and every process a test starts, grades with a course secret of its own.

The secret is created once per test session in pytest's temporary directory (shared by the
xdist workers, so a batch graded by one worker is checked with the same cases by another)
and named by ``NN_COURSE_SECRET_FILE``, which subprocesses inherit. Nothing relies on a
``.course_secret`` lying in the checkout: CI runs on a fresh clone.
"""
from __future__ import annotations

import fcntl
import os

import pytest

from autograder.course.secret import SECRET_ENV, create_secret


@pytest.fixture(scope="session", autouse=True)
def course_secret(tmp_path_factory, request):
    """The path of the session's course secret, set in ``NN_COURSE_SECRET_FILE``."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if hasattr(request.config, "workerinput") else base  # one per session, not per worker
    path = root / "course_secret"
    with open(root / "course_secret.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            create_secret(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_ENV, str(path))
        yield path
