"""Student HTML never runs (issue 21, point 5), in a real browser: Debian's headless Chromium
(``make browser``; the test fails, it does not skip, without it), driven by playwright.

One student's a1 written answer carries script in the usual forms: ``<script>``, event handlers
(``<img onerror>``, ``<details ontoggle>``, MathML holding an ``<img onerror>``), a
``javascript:`` link, SVG (``<svg onload>``, script inside ``<svg>``) and an ``<iframe srcdoc>``;
a raw HTML cell of the student's own carries an ``<img onerror>``. Before the fix, five of them
ran in the formgrader and in the feedback page. Every payload, if it ran, would add its name to
``window.__ran`` (and the page's title). The submission is graded through nbgrader (autograde,
generate_feedback) and through the command line, and each page made from it is loaded:

* the formgrader's view of the submission, served by a real Jupyter server with nbgrader's
  formgrader extension, started in the course directory (so it reads the course's
  ``nbgrader_config.py``) with a token, as the instructor's session is: the page's own scripts
  (jQuery, the grading forms) run, anything not from that server is refused;
* the feedback page of ``nbgrader generate_feedback``;
* the class report of the command line's grades, where a second student's notebook, named
  with a payload, is listed in the reason of that student's zero.

Each page must run none of them after load (and after every ``javascript:`` link is clicked),
and still show the answer's prose, its code and its formula.
"""
from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path
from typing import Iterator

import nbformat
import pytest

from autograder.course import release
from autograder.cli import main as cli_main

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402
from lab_server import serving  # noqa: E402

pytestmark = pytest.mark.slow
A1 = "a1_activations"
STUDENT = "mallory"
WRITTEN = "dead_units"  # a1's written answer (a markdown cell graded by hand)


def ran(name: str) -> str:
    """JavaScript that records that the payload ``name`` ran (quotes free: it goes in attributes)."""
    return f"(window.__ran=window.__ran||[]).push(`{name}`);document.title=`ran {name}`;void 0"


#: The payloads of the written answer: name -> markup.
PAYLOADS = {
    "script": f"<script>{ran('script')}</script>",
    "img onerror": f'<img src="no-such-image.png" onerror="{ran("img onerror")}">',
    "javascript link": f'<a class="jslink" href="javascript:{ran("javascript link")}">a link</a>',
    "svg onload": f'<svg width="10" height="10" onload="{ran("svg onload")}"><circle r="4"/></svg>',
    "svg script": f"<svg><script>{ran('svg script')}</script></svg>",
    "iframe srcdoc": f'<iframe srcdoc="<script>parent.{ran("iframe srcdoc")}</script>"></iframe>',
    "details ontoggle": f'<details open ontoggle="{ran("details ontoggle")}"><summary>more</summary>x</details>',
    "math img onerror": f'<math><mtext><img src="no-such-image.png" onerror="{ran("math img onerror")}"></mtext></math>',
}
PROSE = "ReLU keeps the gradient alive for positive inputs"
CODE = "relu(z) = max(0, z)"
FORMULA = r"\sigma'(z) = \sigma(z)(1 - \sigma(z))"
ANSWER = (f"{PROSE}, unlike the sigmoid, whose derivative ${FORMULA}$ is at most 1/4.\n\n"
          f"In code: `{CODE}`.\n\n" + "\n\n".join(PAYLOADS.values()) + "\n")
RAW_HTML = f'<img src="no-such-image.png" onerror="{ran("raw cell img onerror")}">'


def hostile_submission(course: Path) -> nbformat.NotebookNode:
    """The released a1 notebook, answered correctly, with :data:`ANSWER` as the written answer
    and a raw HTML cell of the student's own after it."""
    nb = wc.answered(course, A1)
    index = wc.cell_index(nb, WRITTEN)
    nb.cells[index].source = ANSWER
    raw = nbformat.v4.new_raw_cell(RAW_HTML, metadata={"raw_mimetype": "text/html"})
    nb.cells.insert(index + 1, raw)
    return nb


#: A second student for the command line, whose folder holds two notebooks, one of them named
#: with a payload: the zero's reason lists the files, and the class report shows that reason.
NAMER = "eve"
NAMED = f'<img src="x" onerror="{ran("file name img onerror")}">.ipynb'


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course copy in which :data:`STUDENT`'s hostile submission went through nbgrader
    (autograde, generate_feedback) and, with :data:`NAMER`'s, through ``python -m autograder grade``."""
    root = wc.make_course(tmp_path_factory.mktemp("student-html") / "course", [A1])
    path = wc.submit(root, STUDENT, A1, hostile_submission(root))
    release.run_pipeline(root, A1, release_first=False)
    cli = root / "cli-submitted"
    for student, names in ((STUDENT, [path.name]), (NAMER, [NAMED, "notes.ipynb"])):
        (cli / student / A1).mkdir(parents=True)
        for name in names:
            (cli / student / A1 / name).write_bytes(path.read_bytes())
    status = cli_main(["grade", A1, str(cli), "--out", str(root / "graded"), "--jobs", "1", "--quiet"])
    assert status == 0
    return root


@pytest.fixture(scope="module")
def formgrader(course) -> Iterator[str]:
    """The URL of :data:`STUDENT`'s submission in nbgrader's formgrader, served by a Jupyter
    server run in the course directory (stopped after the module)."""
    from nbgrader.api import Gradebook

    command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", f"--ServerApp.root_dir={course}"]
    with serving(command, course, course / "jupyter_server.log") as server:
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission_notebook(wc.notebook_name(course, A1), A1, STUDENT).id
        yield server.url(f"/formgrader/submissions/{submission}/")


@pytest.fixture(scope="module")
def pages(course, formgrader) -> dict[str, str]:
    """Page name -> the URL playwright loads it from."""
    report = course / "report.html"
    assert cli_main(["report", A1, str(course / "graded"), "--out", str(report)]) == 0
    return {
        "formgrader": formgrader,
        "feedback": (course / "feedback" / STUDENT / A1 / f"{wc.notebook_name(course, A1)}.html").as_uri(),
        "report": report.as_uri(),
    }


def _only_from(url: str):
    """A playwright route handler: requests to ``url``'s origin (or, for a file, that file) go
    through, every other one is refused (offline: no CDN, no other site)."""
    origin = urllib.parse.urlsplit(url)

    def route(route, request):
        asked = urllib.parse.urlsplit(request.url)
        same = (asked.scheme == "http" and asked.netloc == origin.netloc) or request.url == url
        route.continue_() if same else route.abort()
    return route


@pytest.fixture(scope="module")
def seen(pages, chromium) -> dict[str, dict]:
    """What each page ran and showed, loaded offline in Chromium."""
    facts = {}
    for name, url in pages.items():
        page = chromium.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.route("**/*", _only_from(url))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(500)  # an image's error and an iframe's load come after 'load'
        facts[name] = page.evaluate("""() => ({
            ran: (window.__ran || []).slice(),
            title: document.title,
            text: document.body.innerText,
            code: Array.from(document.querySelectorAll('code')).map(c => c.innerText),
            math: Array.from(document.querySelectorAll('math')).length,
        })""")
        # then what a click would run: every javascript: link, clicked
        facts[name]["clicked"] = page.evaluate("""() => {
            const links = Array.from(document.querySelectorAll('a[href]'))
                .filter(a => a.protocol === 'javascript:');
            links.forEach(a => a.click());
            return links.length;
        }""")
        page.wait_for_timeout(200)
        facts[name]["ran after clicks"] = page.evaluate("() => (window.__ran || []).slice()")
        page.close()
    return facts


@pytest.mark.parametrize("name", ["formgrader", "feedback", "report"])
def test_no_student_script_runs_in_the_page(seen, name):
    facts = seen[name]
    assert facts["ran"] == [], f"the {name} page ran the student's {facts['ran']}"
    assert not facts["title"].startswith("ran "), facts["title"]
    assert facts["ran after clicks"] == [], f"clicks in the {name} page ran the student's {facts['ran after clicks']}"
    assert facts["clicked"] == 0, f"the {name} page has {facts['clicked']} javascript: link(s)"


@pytest.mark.parametrize("name", ["formgrader", "feedback"])
def test_the_written_answer_keeps_its_prose_code_and_formula(seen, name):
    facts = seen[name]
    assert PROSE in facts["text"]
    assert CODE in facts["code"]
    assert facts["math"] > 0 and FORMULA not in facts["text"]  # MathML, drawn offline, on both pages


def test_the_pages_show_the_payloads_as_text(seen):
    """The pages are made from the hostile submission (a pass is not a page without it): the
    report shows the file name as typed, the formgrader and the feedback page the answer."""
    assert NAMED in seen["report"]["text"]
    for name in ("formgrader", "feedback"):
        assert PROSE in seen[name]["text"], name
