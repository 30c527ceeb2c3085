"""The report in a real browser: Debian's headless Chromium (``make browser`` installs it; the
test fails, it does not skip, when it is missing), driven by playwright (conftest's
``chromium``). The page loads from file:// with no console error and no failed or outside
request, every image decodes, and in a screenshot every figure's box holds a drawing, not a
blank."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from autograder.cli import main as cli_main

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report_class as klass  # noqa: E402  (the graded class the report is made of)

FIGURES = 3 * 2 + 1  # per assignment: totals, questions, mistakes; for the course: difficulty


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    """The course report (two assignments) of the test class."""
    tmp = tmp_path_factory.mktemp("browser")
    graded = klass.make_graded_class(tmp / "class")
    root = klass.make_course_root(graded["graded"], tmp / "graded")
    out = tmp / "report.html"
    gradebook = klass.make_gradebook(tmp / "gradebook.db", klass.everyone())
    assert cli_main(["report", "all", str(root), "--out", str(out), "--roster", str(graded["roster"]),
                     "--submissions", str(graded["submitted"]), "--gradebook", str(gradebook)]) == 0
    return out


@pytest.fixture(scope="module")
def loaded(report_file, chromium):
    """The report loaded in headless Chromium: (page facts, screenshot path, events)."""
    events: dict[str, list[str]] = {"console errors": [], "page errors": [], "failed requests": [], "requests": []}
    shot = report_file.with_name("report.png")
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.on("console", lambda m: m.type == "error" and events["console errors"].append(m.text))
        page.on("pageerror", lambda e: events["page errors"].append(str(e)))
        page.on("requestfailed", lambda r: events["failed requests"].append(f"{r.url} {r.failure}"))
        page.on("request", lambda r: events["requests"].append(r.url))
        page.goto(report_file.as_uri(), wait_until="load")
        images = page.evaluate("""() => Array.from(document.images).map(img => {
            const box = img.getBoundingClientRect();
            return {complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
                    x: box.left + window.scrollX, y: box.top + window.scrollY, w: box.width, h: box.height,
                    alt: img.alt, describedby: img.getAttribute('aria-describedby'),
                    table: !!document.getElementById(img.getAttribute('aria-describedby'))};
        })""")
        title = page.title()
        text = page.evaluate("() => document.body.innerText")  # what a reader sees (closed details aside)
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    return {"images": images, "title": title, "text": text}, shot, events


def test_the_report_opens_without_errors_or_outside_requests(loaded):
    facts, _, events = loaded
    assert events["console errors"] == [] and events["page errors"] == [] and events["failed requests"] == []
    assert all(url.startswith(("file:", "data:")) for url in events["requests"]), events["requests"]
    assert facts["title"].endswith("class report")


def test_every_image_decodes_and_is_described_by_a_table(loaded):
    images = loaded[0]["images"]
    assert len(images) == FIGURES
    for image in images:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image["alt"]
        assert image["alt"] and image["table"], image["describedby"]


def test_every_plot_is_visibly_drawn_in_the_screenshot(loaded):
    facts, shot, _ = loaded
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    for image in facts["images"]:
        x, y, w, h = (int(round(image[k])) for k in ("x", "y", "w", "h"))
        box = pixels[y:y + h, x:x + w]
        assert box.shape[0] > 100 and box.shape[1] > 300, image["alt"]
        ink = (box < 200).mean()  # the share of clearly non-white pixels: bars, text, axes
        assert box.std() > 20 and 0.02 < ink < 0.9, f"{image['alt']}: std {box.std():.1f}, ink {ink:.3f}"


def test_the_whole_grade_is_visible_on_the_page(loaded):
    """Written scores, a function that raised, the submission notes and names are on screen;
    no mistake shows as a raw id (``shape:transposed``)."""
    text = loaded[0]["text"]
    assert "mean grade (auto + written)" in text and "dead_units (written)" in text
    assert "raised NameError" in text and f"Hana ({klass.HELPER})" in text
    assert "Submission notes" in text and "activations-Copy1.ipynb" in text and "read-only" in text
    assert not re.search(r"\b(shape|type|factor|case-kind|default|ignored-argument|one-gradient):\S", text)
