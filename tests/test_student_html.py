"""Student HTML is shown, never run (issue 21, point 5), without a browser: the sanitiser
(``autograder/grading/student_html.py``), the formgrader's and the feedback page's exporters as the
course configures them, and Gradescope's results.json. ``tests/test_student_html_browser.py``
loads the pages themselves in Chromium."""
from __future__ import annotations

import re
import sys
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from autograder.course.config import GradescopePolicy, load_course
from autograder.gradescope.results import question_tests, refusal_json, results_json
from autograder.grading.feedback import gradescope_results
from autograder.grading.results import QuestionResult, SubmissionResult
from autograder.grading.student_html import ID_PREFIX, markdown2html, sanitise_html
from autograder.nbgrader_plugin import FeedbackExporter, formulas_as_mathml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gradescope_format  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

#: Markup that runs script when a page shows it as HTML: name -> markup.
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img onerror": '<img src="x" onerror="alert(1)">',
    "javascript link": '<a href="javascript:alert(1)">link</a>',
    "javascript link, mixed case and a tab": '<a href=" JaVa&#x09;ScRipt:alert(1)">link</a>',
    "svg onload": '<svg onload="alert(1)"><circle r="4"/></svg>',
    "script in svg": "<svg><script>alert(1)</script></svg>",
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "details ontoggle": '<details open ontoggle="alert(1)">x</details>',
    "img onerror in MathML": '<math><mtext><img src="x" onerror="alert(1)"></mtext></math>',
    "MathML href": '<math><mi href="javascript:alert(1)">x</mi></math>',
    "data: page": '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">link</a>',
    "svg image": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "object": '<object data="javascript:alert(1)"></object>',
    "form": '<form action="javascript:alert(1)"><button>go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="javascript:alert(1)//">',
    "style": "<style>body { display: none }</style>",
}

#: What would run or load: an element that runs script or holds a page, a handler, a scheme.
RUNS = re.compile(r"<\s*(script|svg|iframe|object|embed|form|meta|base|style)\b|\son\w+\s*=|javascript:|data:(?!image/png)",
                  re.IGNORECASE)


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_sanitiser_removes_what_runs(name):
    cleaned = sanitise_html(f"<p>before</p>{PAYLOADS[name]}<p>after</p>")
    assert not RUNS.search(cleaned), cleaned
    assert cleaned.startswith("<p>before</p>") and cleaned.endswith("<p>after</p>")


def test_the_sanitiser_keeps_markdown_code_formulas_and_attached_images():
    html = ('<h2 id="Why">Why<a class="anchor-link" href="#Why">¶</a></h2>'
            "<p>A <strong>list</strong>, <em>a</em> <a href=\"https://example.org/x?a=1\">link</a>:</p>"
            "<ul><li>one</li><li>two</li></ul><blockquote><p>quoted</p></blockquote>"
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
            '<div class="highlight"><pre><span class="k">if</span> a &lt; b: <span class="n">x</span></pre></div>'
            "<p><code>x &lt; y &amp;&amp; z</code> and $\\sigma'(z) &lt; 1$</p>"
            '<img src="data:image/png;base64,iVBORw0KGgo=" alt="my drawing">'
            + formulas_as_mathml(r"$\frac{\partial L}{\partial z} = \sigma(z)(1-\sigma(z))$"))
    cleaned = sanitise_html(html)
    assert _structure(cleaned) == _structure(html)
    assert f'id="{ID_PREFIX}Why"' in cleaned and f'href="#{ID_PREFIX}Why"' in cleaned  # the anchor still leads there


def _structure(html: str) -> list[tuple]:
    """The elements (with their attributes) and the text of ``html``, as a browser reads them;
    ``rel`` (added to links), ``xmlns:*`` and namespaced elements (which nbconvert's heading ids
    write and a browser shows as text) and the id prefix aside."""
    out: list[tuple] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if ":" not in tag:
                out.append((tag, sorted((k, (v or "").replace(ID_PREFIX, "")) for k, v in attrs
                                        if k != "rel" and ":" not in k)))

        def handle_endtag(self, tag):
            if ":" not in tag:
                out.append(("/" + tag,))

        def handle_data(self, data):
            if out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + data)
            else:
                out.append(("text", data))

    Reader(convert_charrefs=True).feed(html)
    return out


def _course_markdown() -> list[tuple[str, nbformat.NotebookNode]]:
    cells = []
    for path in sorted([*REPO.glob("solutions/*/*.ipynb"), *REPO.glob("assignments/*/*.ipynb")]):
        nb = nbformat.read(path, as_version=4)
        cells += [(f"{path.relative_to(REPO)} cell {i}", cell) for i, cell in enumerate(nb.cells)
                  if cell.cell_type == "markdown"]
    return cells


def test_every_markdown_cell_of_the_course_renders_the_same_sanitised():
    """Formulas (as TeX for MathJax, and as the feedback page's MathML), code and markdown: the
    course's own prose loses nothing to the sanitiser."""
    from nbconvert.exporters import HTMLExporter

    exporter = HTMLExporter()
    cells = _course_markdown()
    assert len(cells) > 100
    for where, cell in cells:
        for source in (cell.source, formulas_as_mathml(cell.source)):
            rendered = HTMLExporter.markdown2html(exporter, {"cell": cell, "resources": {}}, source)
            assert _structure(sanitise_html(rendered)) == _structure(rendered), where


def test_the_jinja_filter_renders_markdown_and_sanitises_it():
    html = markdown2html({"cell": {}, "resources": {}}, "# Title\n\nSome *text* `a<b` $x<y$\n\n" + PAYLOADS["img onerror"])
    assert not RUNS.search(html)
    assert "<em>text</em>" in html and "<code>a&lt;b</code>" in html and "$x&lt;y$" in html


def _hostile_notebook() -> nbformat.NotebookNode:
    answer = "My answer, with $x^2$ and `code`.\n\n" + "\n\n".join(PAYLOADS.values())
    raw = nbformat.v4.new_raw_cell(PAYLOADS["img onerror"], metadata={"raw_mimetype": "text/html"})
    code = nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": PAYLOADS["svg onload"], "application/javascript": "alert(1)"})])
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(answer), raw, code])


def _page_runs(html: str) -> list[str]:
    """The student's payloads (``alert(1)``) that ``html`` holds as markup, not as text: in a
    script or style element's text, a handler, a URL or any attribute of an element that runs or
    loads. The page's own scripts and handlers (the formgrader's buttons) aside."""
    found: list[str] = []

    class Reader(HTMLParser):
        raw = None

        def handle_starttag(self, tag, attrs):
            self.raw = tag if tag in ("script", "style") else None
            for name, value in attrs:
                if "alert(1)" in (value or "") or "alert(1)" in html_unescape(value or ""):
                    found.append(f"<{tag} {name}=...>")

        def handle_data(self, data):
            if self.raw and "alert(1)" in data:
                found.append(f"<{self.raw}> text")

        def handle_endtag(self, tag):
            self.raw = None

    Reader(convert_charrefs=True).feed(html)
    return found


def test_the_formgraders_exporter_from_the_courses_nbgrader_config_sanitises(monkeypatch):
    """nbgrader's formgrader builds its ``HTMLExporter`` from the course directory's
    nbgrader_config.py (``FormgradeExtension``, template ``formgrade``); rendered so, no student
    markup runs, in a markdown cell, a raw cell or an output."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension

    monkeypatch.chdir(REPO)
    formgrader = FormgradeExtension()
    formgrader.root_dir = str(REPO)
    formgrader.initialize([])
    exporter = HTMLExporter(config=formgrader.config)
    assert exporter.template_name == "formgrade"
    resources = {"assignment_id": "a1_activations", "notebook_id": "activations", "submission_id": "s", "index": 0,
                 "total": 1, "base_url": "", "student": "s", "last_name": "", "first_name": "", "notebook_path": "x"}
    html, _ = exporter.from_notebook_node(_hostile_notebook(), resources=resources)
    assert "My answer" in html and "<code>code</code>" in html
    assert _page_runs(html) == []


def test_the_feedback_exporter_sanitises_without_the_courses_configuration():
    """As ``nbgrader generate_feedback`` configures it (nbgrader's feedback template), without
    the course's ``HTMLExporter`` settings: the exporter's own markdown filter sanitises."""
    from nbgrader.converters import generate_feedback
    from traitlets.config import Config

    formgrader = Path(generate_feedback.__file__).resolve().parent.parent / "server_extensions" / "formgrader"
    config = Config({"HTMLExporter": {
        "template_name": "feedback", "extra_template_basedirs": [str(formgrader / "templates")],
        "extra_template_paths": [str(formgrader / "static" / "node_modules" / "bootstrap" / "dist" / "css")]}})
    resources = {"nbgrader": {"notebook": "activations", "score": 0, "max_score": 1, "late_penalty": 0}}
    html, _ = FeedbackExporter(config=config).from_notebook_node(_hostile_notebook(), resources=resources)
    assert "My answer" in html and "<code>code</code>" in html
    assert _page_runs(html) == []


# --------------------------------------------------------------------------- Gradescope
def _hostile_result() -> SubmissionResult:
    text = f"relu: 0 of 1 points. Your code raised ValueError: {PAYLOADS['img onerror']}"
    return SubmissionResult("mallory", "a1_activations", [QuestionResult("relu", 0.0, 1.0, 0, 1, text, [])],
                            notes=[f"graded {PAYLOADS['script']}.ipynb, the only notebook submitted"])


def test_gradescope_results_declare_every_string_plain_text():
    policy = load_course().gradescope
    results = results_json(_hostile_result(), policy, confinement="landlock", execution_time=1.0)
    gradescope_format.validate(results)
    assert "onerror=" in "".join(t["output"] for t in results["tests"])  # the student's text, as typed
    assert {results[k] for k in ("output_format", "test_output_format", "test_name_format")} == {"text"}
    for test in results["tests"]:
        assert test["output_format"] == "text" and test["name_format"] == "text", test["name"]
    for test in question_tests(_hostile_result(), GradescopePolicy(scores="visible", hidden_case_details="hidden")):
        assert test["output_format"] == "text" and test["name_format"] == "text", test["name"]  # the details too
    refused = refusal_json(PAYLOADS["script"], policy, execution_time=1.0)
    gradescope_format.validate(refused)
    assert refused["output_format"] == "text"


def test_the_command_lines_results_json_declares_every_string_plain_text():
    results = gradescope_results(_hostile_result())
    gradescope_format.validate(results)
    assert {results[k] for k in ("output_format", "test_output_format", "test_name_format")} == {"text"}
    assert all(t["output_format"] == "text" and t["name_format"] == "text" for t in results["tests"])


#: data: URLs written as browsers still read them: a control character before the scheme, a tab or a
#: line break inside it (browsers and nh3's URL parser drop those characters).
DISGUISED_DATA_URLS = {
    "control character first": '<a href="\x01data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">link</a>',
    "tab in the scheme": '<img src="da\tta:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "line break in the scheme": '<img src="d&#x0a;ata:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
}


@pytest.mark.parametrize("name", DISGUISED_DATA_URLS)
def test_a_disguised_data_url_is_removed_like_a_plain_one(name):
    cleaned = sanitise_html(DISGUISED_DATA_URLS[name])
    assert "href=" not in cleaned and "src=" not in cleaned, cleaned
