"""Every test, and every process a test starts, grades with a course secret of its own.

The secret is created once per test session in pytest's temporary directory (shared by the
xdist workers, so a batch graded by one worker is checked with the same cases by another)
and named by ``NN_COURSE_SECRET_FILE``, which subprocesses inherit. Nothing relies on a
``.course_secret`` lying in the checkout: CI runs on a fresh clone.

The browser tests share one way to start Chromium: the ``chromium`` fixture.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest

from autograder.course.secret import SECRET_ENV, create_secret

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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


#: Debian's package (``make browser``); playwright's own browsers are never downloaded.
CHROMIUM = Path("/usr/bin/chromium")
#: Headless, and nothing of its own on the network (updates, sync, QUIC probes).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """The browser tests' headless Chromium (a playwright ``Browser``), one per test module,
    closed after it. Without Debian's ``chromium`` the test fails, it does not skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (as root it runs apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
