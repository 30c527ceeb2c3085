"""nbgrader's feedback page in a real browser (issue 14, point 3): Debian's headless Chromium
(``make browser``; the test fails, it does not skip, without it), driven by playwright. The
page of a student with a cell error and a recognised softmax mistake: every line of feedback is
visible (nothing runs off the page or is cut off in its box), the index names the questions,
no bare ``Out[ ]`` score sits under a question, no hidden value appears, and the formulas
are drawn offline (MathML, nothing loaded from the network)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from autograder.course import release
from autograder.course.config import load_course

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workflow_class as wc  # noqa: E402

pytestmark = pytest.mark.slow
A1 = "a1_activations"
STUDENT = "dave"
ANSWERS = {
    "softmax": "def softmax(Z):\n    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)\n",
    "sigmoid": "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n\n\nprint(sigmoid(x_that_is_not_defined))\n",
}
WIDTHS = (1200, 760)  # a laptop, and half a screen


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    course = wc.make_course(tmp_path_factory.mktemp("feedback-page") / "course", [A1])
    wc.submit(course, STUDENT, A1, wc.answered(course, A1, ANSWERS))
    release.run_pipeline(course, A1, release_first=False)
    return course / "feedback" / STUDENT / A1 / "activations.html"


@pytest.fixture(scope="module")
def seen(page_file, chromium) -> dict[int, dict]:
    """What the page shows at each of :data:`WIDTHS`."""
    facts = {}
    for width in WIDTHS:
        page = chromium.new_page(viewport={"width": width, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.route(re.compile(r"^https?://"), lambda route: route.abort())  # offline, as a student may be
        page.goto(page_file.as_uri(), wait_until="load")
        facts[width] = page.evaluate("""() => {
            const outputs = Array.from(document.querySelectorAll('div.output_area pre'));
            return {
                text: document.body.innerText,
                page_width: document.documentElement.scrollWidth,
                window_width: window.innerWidth,
                cut: outputs.filter(pre => pre.scrollWidth > pre.clientWidth + 1
                                    || pre.getBoundingClientRect().right > window.innerWidth)
                            .map(pre => pre.innerText.slice(0, 80)),
                outputs: outputs.map(pre => pre.innerText),
                rewrapped: outputs.filter(pre => {
                    const style = getComputedStyle(pre);
                    const shown = Math.round((pre.clientHeight - parseFloat(style.paddingTop)
                                              - parseFloat(style.paddingBottom)) / parseFloat(style.lineHeight));
                    return shown > pre.innerText.replace(/\\n$/, '').split('\\n').length;
                }).length,
                index: Array.from(document.querySelectorAll('#toc li')).map(li => li.innerText),
                scores: document.querySelectorAll('.output_execute_result').length,
                formulas: Array.from(document.querySelectorAll('.text_cell_render math')).map(m => {
                    const box = m.getBoundingClientRect();
                    return {w: box.width, h: box.height};
                }),
                prose: Array.from(document.querySelectorAll('.text_cell_render')).map(e => e.innerText).join(' '),
            };
        }""")
        facts[width]["requests"] = requests
        page.close()
    return facts


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_of_feedback_is_cut_off(seen, width):
    facts = seen[width]
    assert facts["cut"] == []
    assert facts["page_width"] <= facts["window_width"]


def test_at_a_laptops_width_the_browser_keeps_the_graders_lines(seen):
    assert seen[WIDTHS[0]]["rewrapped"] == 0


def test_the_student_reads_the_mistake_and_the_located_error(seen):
    text = " ".join(" ".join(seen[WIDTHS[0]]["outputs"]).split())
    assert "Recognised mistake: unstable softmax: e^z overflows for large z" in text
    assert text.count("NameError") == 1
    assert re.search(r"NameError: name 'x_that_is_not_defined' is not defined \(line 5 of cell \d+ of the "
                     r"notebook, the one starting 'def sigmoid\(z\):'\)", text)


def test_the_index_names_every_question(seen):
    index = seen[WIDTHS[0]]["index"]
    questions = [q.id for q in load_course().assignment(A1).questions]
    assert not [line for line in index if "Test cell" in line]
    for question in questions:
        assert any(line.startswith(f"Question {question} ") for line in index), question
    assert any(line.startswith("Written answer dead_units ") for line in index)


def test_no_bare_score_value_under_a_question(seen):
    facts = seen[WIDTHS[0]]
    assert facts["scores"] == 0
    assert "Out[" not in facts["text"]


def test_no_hidden_value_appears(seen, page_file):
    # what the grader wrote (the released notebook's own prose has the lecture's worked examples)
    shown = "\n".join(seen[WIDTHS[0]]["outputs"] + seen[WIDTHS[0]]["index"])
    course = page_file.parents[3]  # feedback/STUDENT/A1/activations.html
    graded = wc.graded_submission(course / "submitted" / STUDENT / A1 / page_file.with_suffix(".ipynb").name,
                                  course / "assignments" / A1 / page_file.with_suffix(".ipynb").name)
    assert not wc.leaked_hidden_numbers(shown, load_course(), A1, STUDENT, graded)


def test_formulas_are_drawn_offline(seen):
    facts = seen[WIDTHS[0]]
    assert all(url.startswith(("file:", "data:")) for url in facts["requests"]), facts["requests"]
    assert len(facts["formulas"]) > 20
    assert all(box["w"] > 0 and box["h"] > 0 for box in facts["formulas"])
    assert "$" not in facts["prose"] and "\\frac" not in facts["prose"]  # no raw TeX left
