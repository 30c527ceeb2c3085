"""The README's formgrader step (step 5) works as written, for root and for anyone else
(issue 22, point 2).

The README's own command starts JupyterLab in a course directory where one student's a1 is
autograded: ``.venv/bin/jupyter lab --no-browser``, with ``--allow-root`` when the test runs as
root (the README's second line; without it Jupyter refuses root, which is pinned too). The URL it
prints opens the formgrader, and the two places the README says to click lead to the submission:
the number under "# Submissions" (``/formgrader/manage_submissions/A``) and *Manual Grading*
(``/formgrader/gradebook/A/NOTEBOOK``).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from autograder.course import release

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

pytestmark = pytest.mark.slow
A = "a1_activations"
STUDENT = "ada"
REPO = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).parent / "jupyter"  # the README's .venv/bin/jupyter
AS_ROOT = os.geteuid() == 0


def readme_commands() -> list[str]:
    """Step 5's command lines in the README, without their comments."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    step = text[text.index("**5. Grade the written answers"):text.index("**6. Feedback**")]
    return [line.split("#")[0].strip() for line in step.splitlines() if line.startswith("    .venv/bin/jupyter")]


def command_for_this_user() -> list[str]:
    """The README's line for the user running the test, with this interpreter's ``jupyter``."""
    (line,) = [c for c in readme_commands() if ("--allow-root" in c) == AS_ROOT]
    return [str(JUPYTER), *line.split()[1:]]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = wc.make_course(tmp_path_factory.mktemp("formgrader") / "course", [A])
    wc.submit(course, STUDENT, A, wc.answered(course, A))
    release.nbgrader(["autograde", A], course)
    return course


@pytest.fixture(scope="module")
def lab(course) -> Iterator[str]:
    """The URL JupyterLab prints, started by the README's command in the course directory."""
    log_path = course / "jupyter_lab.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command_for_this_user(), cwd=course, stdout=log, stderr=subprocess.STDOUT,
                                  env={**os.environ, "JUPYTER_RUNTIME_DIR": str(course / ".runtime")})
        try:
            yield _printed_url(log_path, server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _printed_url(log_path: Path, server: subprocess.Popen, seconds: float = 120.0) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(r"http://(?:localhost|127\.0\.0\.1):\d+/lab\?token=\w+", log_path.read_text(errors="replace"))
        if found:
            return found.group(0)
        if server.poll() is not None:
            pytest.fail(f"jupyter lab exited with {server.returncode}:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.5)
    pytest.fail(f"jupyter lab printed no URL within {seconds:.0f} s")


def get(url: str, path: str) -> tuple[int, str]:
    base, token = url.split("/lab?")
    with urllib.request.urlopen(f"{base}{path}?{token}", timeout=60) as answer:
        return answer.status, answer.read().decode("utf-8", "replace")


def test_the_readme_gives_a_command_for_root_and_one_for_anyone_else():
    assert readme_commands() == [".venv/bin/jupyter lab --no-browser", ".venv/bin/jupyter lab --no-browser --allow-root"]


@pytest.mark.skipif(not AS_ROOT, reason="only root is refused without --allow-root")
def test_jupyter_refuses_root_without_allow_root(course):
    proc = subprocess.run([str(JUPYTER), "lab", "--no-browser"], cwd=course, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "JUPYTER_RUNTIME_DIR": str(course / ".runtime")})
    assert proc.returncode != 0 and "--allow-root" in proc.stdout + proc.stderr


def test_the_formgrader_counts_the_submission_under_its_number(lab):
    status, body = get(lab, "/formgrader/api/assignments")
    assert status == 200
    (row,) = [a for a in json.loads(body) if a["name"] == A]
    assert row["num_submissions"] == 1


def test_the_number_under_submissions_opens_the_students_submission(lab):
    status, body = get(lab, f"/formgrader/manage_submissions/{A}")
    assert status == 200 and "Manage Submissions" in body
    status, body = get(lab, f"/formgrader/api/submissions/{A}")
    assert [s["student"] for s in json.loads(body)] == [STUDENT]


def test_manual_grading_leads_to_the_submission(course, lab):
    notebook = wc.notebook_name(course, A)
    status, body = get(lab, f"/formgrader/gradebook/{A}/{notebook}")
    assert status == 200 and "Manual Grading" in body
    status, body = get(lab, f"/formgrader/api/submitted_notebooks/{A}/{notebook}")
    assert status == 200 and len(json.loads(body)) == 1
