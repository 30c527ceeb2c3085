"""A student's path through a released notebook in JupyterLab 4, in a real browser (issue 22).

For a1 and a5, the released folder ``assignments/A/`` is copied to a temporary folder and
JupyterLab is started in it as the README's "For students" says (``jupyter lab --no-browser``),
on a port and with a token of its own, as an ordinary user: run as root, the test starts it as
the user ``make test`` makes for the sandbox tests, with that user's venv (JupyterLab, numpy,
matplotlib), or, without that user, as root with ``--allow-root`` (Jupyter refuses root without it). Debian's headless Chromium (conftest's ``chromium``) opens the
notebook, and the test does what the notebook's "Before you submit" says, through the menu
items the notebook names, clicked in JupyterLab's real menu bar (*Kernel → Restart Kernel and
Run All Cells…*, then *Restart* in the dialog; *File → Save Notebook*); it waits until the page
shows the kernel idle with no cell queued, read from the page, not slept. What the student sees:

* a1 as released: Run All stops at the first visible check, numerical_gradient's (part 0, the
  checker every later derivative's check cell uses), whose one-line
  ``NotImplementedError`` says what to do; no traceback through the course's code, no later
  cell run; JupyterLab leaves the last cell selected (the notebook says to scroll up);
* a1 with numerical_gradient's answer typed into its cell (the reference's code, typed as a student
  types it, without nbgrader's solution markers): its check prints that it passed and Run All
  stops at the next stub's check; saving keeps what was typed;
* a1 with every answer in (written into the file before it is opened): Run All reaches the
  last cell, every check passes, no cell shows an error, the experiments draw their plots;
* a5 as released: Run All stops at the cell for the earlier assignments' code, with that
  cell's message (not a bare ``NotImplementedError:``);
* a5 with that code pasted and ``init_params`` typed: the notebook's own gradient check prints a
  "(good)" line per output, init_params's check passes, and Run All stops at ``train``'s stub.

Each stop is photographed (PNG files in the test's temporary folder) and in the picture the
message's box is drawn: text on the error's tinted background or the output's white one.
"""
from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import nbformat
import numpy as np
import pytest
from PIL import Image

from autograder.course.secret import SECRET_ENV

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lab_server import Server, serving  # noqa: E402

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).parent / "jupyter"  # the project's .venv/bin/jupyter
AS_ROOT = os.geteuid() == 0
STUDENT_USER = "grader"  # an ordinary user (Makefile, OUTSIDE_VENV)
STUDENT_JUPYTER = Path(os.environ.get("NN_OUTSIDE_PYTHON", "/home/grader/venv/bin/python")).parent / "jupyter"
A1, A5 = "a1_activations", "a5_training"
FIRST = "numerical_gradient"  # a1's first graded function (part 0, the checker), so its first visible check
#: How a notebook names a menu item: "*Kernel → Restart Kernel and Run All Cells…*".
MENU_ITEM = re.compile(r"\*([A-Z]\w*) → ([^*]+)\*")
#: JupyterLab's user settings for the test: no question about fetching news (a pop-up over the
#: notebook, and a request to the internet), and every cell drawn (no windowing), so that the
#: page holds every cell's prompt and output.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}
RUN_SECONDS = 240  # a Run All on a loaded two-core machine


def released(assignment: str) -> Path:
    (notebook,) = (REPO / "assignments" / assignment).glob("*.ipynb")
    return notebook


def menu_items_named(notebook: Path) -> set[tuple[str, str]]:
    """The (menu, item) pairs a notebook's text tells the student to click."""
    nb = nbformat.read(notebook, as_version=4)
    return set(MENU_ITEM.findall("\n".join(c.source for c in nb.cells if c.cell_type == "markdown")))


def named_item(assignment: str, words: str) -> tuple[str, str]:
    """The one menu item the notebook names whose label holds ``words`` ("Run All", "Save")."""
    (item,) = [item for item in menu_items_named(released(assignment)) if words in item[1]]
    return item


def before_you_submit(assignment: str) -> str:
    nb = nbformat.read(released(assignment), as_version=4)
    (text,) = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Before you submit")]
    return text


def as_typed(assignment: str, grade_id: str) -> str:
    """The reference's answer cell as a student types it: the solution notebook's cell without
    nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines."""
    nb = nbformat.read(REPO / "solutions" / assignment / released(assignment).name, as_version=4)
    (source,) = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")) + "\n"


def answered_everywhere(notebook: Path) -> None:
    """Type the reference's code into every answer cell of the notebook file (before it is opened)."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and grading.get("solution"):
            cell.source = as_typed(notebook.parent.name, grading["grade_id"])
    nbformat.write(nb, notebook)


def check_cells(assignment: str) -> list[int]:
    """The indices of the notebook's visible-check cells (graded, read-only code cells)."""
    nb = nbformat.read(released(assignment), as_version=4)
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata.nbgrader.get("solution")]


def cell_index(assignment: str, grade_id: str) -> int:
    nb = nbformat.read(released(assignment), as_version=4)
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def student_command() -> tuple[list[str], str | None]:
    """``jupyter lab --no-browser`` as a student runs it, and the user it runs as: the ordinary
    user ``make test`` makes for the sandbox tests (with its own venv, which has JupyterLab,
    numpy and matplotlib) when this test runs as root and that user exists; otherwise this
    user, with ``--allow-root`` for root, as the README says."""
    if AS_ROOT and STUDENT_JUPYTER.exists():
        return [str(STUDENT_JUPYTER), "lab", "--no-browser"], STUDENT_USER
    return [str(JUPYTER), "lab", "--no-browser", *(["--allow-root"] if AS_ROOT else [])], None


@contextlib.contextmanager
def student_lab(assignment: str, logs: Path) -> Iterator[tuple[Server, Path]]:
    """JupyterLab started in a copy of the released folder, in a folder of the student's own
    (outside pytest's folder, which only root may enter); yields (server, the copy's notebook)."""
    command, user = student_command()
    home = Path(tempfile.mkdtemp(prefix=f"student-{assignment}-"))
    try:
        folder = home / assignment
        shutil.copytree(REPO / "assignments" / assignment, folder)
        for name, values in LAB_SETTINGS.items():
            path = home / "lab-settings" / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        if user is not None:
            for path in [home, *home.rglob("*")]:
                shutil.chown(path, user, user)
        env = {"JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
               "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), SECRET_ENV: None}
        if user is not None:
            env |= {"HOME": pwd.getpwnam(user).pw_dir, "USER": user, "LOGNAME": user}
        with serving(command, folder, logs / "jupyter_lab.log", env, user=user) as server:
            yield server, folder / released(assignment).name
    finally:
        shutil.rmtree(home, ignore_errors=True)


class StudentNotebook:
    """A notebook open in JupyterLab, driven as a student drives it: menu bar, dialog, keyboard."""

    def __init__(self, page: Page, notebook: Path, shots: Path):
        self.page, self.notebook, self.shots = page, notebook, shots

    def menu(self, menu: str, item: str) -> None:
        """Click ``menu`` in the menu bar, then its item ``item``, both by their exact labels."""
        self.page.locator(".lm-MenuBar-itemLabel").get_by_text(menu, exact=True).click()
        items = self.page.locator(".lm-Menu .lm-Menu-itemLabel")
        items.first.wait_for()
        labels = items.all_inner_texts()
        assert item in labels, f"JupyterLab's {menu} menu has no {item!r}: {[x for x in labels if x]}"
        items.get_by_text(item, exact=True).click()

    def restart_and_run_all(self) -> dict[str, str]:
        """The notebook's own "run it from the top" menu item, confirmed in its dialog; returns
        once the kernel is idle with no cell queued (for a second, so a pause between two cells
        is not taken for the end). Returns the dialog's text and the label of the button clicked."""
        self.page.evaluate("""() => {
            const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
            window.__leftIdle = false;
            new MutationObserver(() => { if (indicator.dataset.status !== 'idle') window.__leftIdle = true; })
                .observe(indicator, {attributes: true, attributeFilter: ['data-status']});
        }""")
        self.menu(*named_item(self.notebook.parent.name, "Run All"))
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for()
        accept = dialog.locator("button.jp-mod-accept")
        seen = {"text": dialog.inner_text(), "accept": accept.inner_text().strip()}
        accept.click()
        self.page.wait_for_function("""() => {
            const idle = window.__leftIdle
                && document.querySelector('.jp-Notebook-ExecutionIndicator').dataset.status === 'idle'
                && !Array.from(document.querySelectorAll('.jp-InputArea-prompt')).some(p => p.textContent.includes('*'));
            if (!idle) { window.__idleSince = undefined; return false; }
            window.__idleSince = window.__idleSince || Date.now();
            return Date.now() - window.__idleSince > 1000;
        }""", polling=250, timeout=RUN_SECONDS * 1000)
        return seen

    def type_into(self, index: int, source: str) -> None:
        """Replace cell ``index``'s code by ``source``, typed into its editor."""
        self.cell(index).locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(source)  # as typed, without the editor's auto-indent
        self.page.keyboard.press("Escape")

    def save(self) -> None:
        """The notebook's named menu item to save (*File → Save Notebook*), and wait until the
        tab no longer shows unsaved changes."""
        self.menu(*named_item(self.notebook.parent.name, "Save"))
        self.page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')")

    def cell(self, index: int) -> Locator:
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def seen(self) -> list[dict]:
        """Each cell's prompt (``[3]:``, ``[ ]:``) and outputs (mime type, the text shown)."""
        return self.page.evaluate("""() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(cell => ({
            prompt: (cell.querySelector('.jp-InputArea-prompt') || {textContent: ''}).textContent.trim(),
            outputs: Array.from(cell.querySelectorAll('.jp-OutputArea-output'))
                          .map(o => ({mime: o.dataset.mimeType, text: o.innerText})),
        }))""")

    def active(self) -> int:
        """The index of the selected cell (where the page is scrolled to)."""
        return self.page.evaluate("""() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))
            .findIndex(cell => cell.classList.contains('jp-mod-active'))""")

    def photograph(self, index: int, name: str) -> dict:
        """A screenshot with cell ``index``'s output in view; the output's box and the file."""
        output = self.cell(index).locator(".jp-OutputArea-output").first
        output.scroll_into_view_if_needed()
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        return {"path": path, "box": output.bounding_box()}


def open_notebook(chromium: Browser, server: Server, notebook: Path, shots: Path) -> StudentNotebook:
    """A new page with ``notebook`` open and its kernel idle (as the status bar says it)."""
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(server.url(f"/lab/tree/{notebook.name}"))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| Idle")).first.wait_for()
    return StudentNotebook(page, notebook, shots)


def stop(seen: list[dict]) -> int:
    """The cell Run All stopped at: the last one that ran."""
    return max(i for i, cell in enumerate(seen) if re.fullmatch(r"\[\d+\]:", cell["prompt"]))


@pytest.fixture(scope="module")
def a1(tmp_path_factory, chromium: Browser) -> dict:
    """a1 run from the top as released, then with numerical_gradient typed in and saved, then (the file
    edited before it is opened again) with every answer in."""
    tmp = tmp_path_factory.mktemp("student-a1")
    facts: dict = {"shots": tmp}
    with student_lab(A1, tmp) as (server, notebook):
        student = open_notebook(chromium, server, notebook, tmp)
        try:
            facts["dialog"] = student.restart_and_run_all()
            facts["released"] = student.seen()
            facts["active"] = student.active()
            facts["released shot"] = student.photograph(stop(facts["released"]), "a1-released")
            facts["typed"] = as_typed(A1, f"{FIRST}_answer")
            student.type_into(cell_index(A1, f"{FIRST}_answer"), facts["typed"])
            student.restart_and_run_all()
            facts["answered"] = student.seen()
            facts["answered shot"] = student.photograph(cell_index(A1, FIRST), "a1-first-passed")
            student.save()
            facts["saved"] = nbformat.read(notebook, as_version=4)
            facts["saved by"] = notebook.owner()
        finally:
            student.page.close()
        answered_everywhere(notebook)
        student = open_notebook(chromium, server, notebook, tmp)
        try:
            student.restart_and_run_all()
            facts["everything"] = student.seen()
        finally:
            student.page.close()
    return facts


@pytest.fixture(scope="module")
def a5(tmp_path_factory, chromium: Browser) -> dict:
    """a5 run from the top as released, then with the earlier code pasted and init_params typed."""
    tmp = tmp_path_factory.mktemp("student-a5")
    facts: dict = {"shots": tmp}
    with student_lab(A5, tmp) as (server, notebook):
        student = open_notebook(chromium, server, notebook, tmp)
        try:
            student.restart_and_run_all()
            facts["released"] = student.seen()
            facts["released shot"] = student.photograph(stop(facts["released"]), "a5-released")
            for grade_id in ("earlier_code", "init_params_answer"):
                student.type_into(cell_index(A5, grade_id), as_typed(A5, grade_id))
            student.restart_and_run_all()
            facts["answered"] = student.seen()
            facts["answered shot"] = student.photograph(stop(facts["answered"]), "a5-train-stub")
        finally:
            student.page.close()
    return facts


def shown(cell: dict) -> str:
    return "".join(output["text"] for output in cell["outputs"])


def assert_stopped_at(seen: list[dict], index: int) -> None:
    """Run All ran every code cell up to ``index`` and none after it."""
    assert stop(seen) == index, f"Run All stopped at cell {stop(seen)}: {shown(seen[stop(seen)])[:300]}"
    later = [i for i, cell in enumerate(seen[index + 1:], index + 1) if cell["outputs"]]
    assert later == [], f"cells {later} show outputs after the stop"


def assert_no_course_traceback(seen: list[dict]) -> None:
    """No output shows a traceback, least of all one through the course's checks.py."""
    for i, cell in enumerate(seen):
        assert "Traceback" not in shown(cell) and "checks.py" not in shown(cell), (i, shown(cell)[:500])


def assert_drawn(shot: dict, tinted: bool) -> None:
    """In the screenshot, the output's box holds text on its background: on the error's tint
    (reddish) or on white."""
    pixels = np.asarray(Image.open(shot["path"]).convert("RGB"), dtype=float)
    assert pixels.std() > 20, f"{shot['path'].name} is blank"
    x, y, w, h = (int(round(shot["box"][k])) for k in ("x", "y", "width", "height"))
    box = pixels[y:y + h, x:x + w]
    assert box.shape[0] >= 15 and box.shape[1] >= 300, (shot["path"].name, box.shape)
    background = np.median(box.reshape(-1, 3), axis=0)
    ink = (np.abs(box - background).max(axis=2) > 80).mean()  # the share of pixels that are text
    assert 0.005 < ink < 0.5, f"{shot['path'].name}: ink {ink:.3f}"
    red, _, blue = background
    assert (red - blue > 10) == tinted, f"{shot['path'].name}: background {background}"


# ---------------------------------------------------------------- what the notebooks say
def test_every_released_notebook_names_the_menu_items_the_browser_test_clicks():
    """Every notebook names the same items (the browser test clicks them in a1 and a5, and
    fails when JupyterLab has no such item): one to run from the top, one to save."""
    from autograder.course.config import load_course
    named = {path.parent.name: menu_items_named(path) for path in (REPO / "assignments").glob("*/*.ipynb")}
    assert sorted(named) == sorted(a.id for a in load_course().assignments)
    assert len({frozenset(items) for items in named.values()}) == 1, named
    for assignment in named:
        assert named_item(assignment, "Run All")[0] == "Kernel" and named_item(assignment, "Save")[0] == "File"
        text = before_you_submit(assignment)
        assert "then *Restart*" in text and "scroll up" in text and "last cell" in text, assignment


def test_the_readme_tells_students_the_menu_item_and_the_dialogs_button():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    students = text[text.index("## For students"):]
    students = students[:students.index("\n## ", 1)]
    assert "*Kernel → Restart Kernel and Run All Cells…*" in students and "*Restart*" in students
    assert "*File → Save Notebook*" in students and "jupyter lab" in students
    assert "last cell" in students and "scroll up" in students


# ---------------------------------------------------------------- a1 in the browser
def test_a1_run_all_uses_the_notebooks_menu_item_and_asks_to_restart(a1):
    assert a1["dialog"]["text"].startswith("Restart Kernel?")
    assert f"then *{a1['dialog']['accept']}*" in before_you_submit(A1)  # the button the notebook names


def test_a1_run_all_leaves_the_last_cell_selected_as_the_notebook_says(a1):
    """The notebook and the README tell students to scroll up to the cell that stopped the
    run: JupyterLab selects the notebook's last cell, far below it."""
    assert a1["active"] == len(a1["released"]) - 1


def test_a1_as_released_stops_at_the_first_check_with_what_to_do(a1):
    seen = a1["released"]
    check = cell_index(A1, FIRST)
    assert_stopped_at(seen, check)
    assert [o["mime"] for o in seen[check]["outputs"]] == ["application/vnd.jupyter.stderr"]
    assert shown(seen[check]).strip() == (
        f"NotImplementedError: {FIRST}: not implemented yet. Replace `raise NotImplementedError()` in {FIRST} "
        "by your code, run that cell, then this one.")
    assert_no_course_traceback(seen)


def test_a1_with_the_first_answer_typed_passes_its_check_and_stops_at_the_next_stub(a1):
    seen = a1["answered"]
    assert re.fullmatch(rf"{FIRST}: all \d+ visible checks passed\. More cases are checked when you submit\.\n?",
                        shown(seen[cell_index(A1, FIRST)]))
    assert_stopped_at(seen, cell_index(A1, "sigmoid"))
    assert shown(seen[cell_index(A1, "sigmoid")]).startswith("NotImplementedError: sigmoid: not implemented yet.")
    assert_no_course_traceback(seen)


def test_a1_save_keeps_what_the_student_typed(a1):
    saved = a1["saved"].cells[cell_index(A1, f"{FIRST}_answer")]
    assert saved.source.strip() == a1["typed"].strip()
    assert "### BEGIN SOLUTION" not in saved.source
    assert a1["saved by"] == (student_command()[1] or pwd.getpwuid(os.geteuid()).pw_name)  # JupyterLab ran as the student


def test_a1_screenshots_show_the_message_and_the_pass(a1):
    assert_drawn(a1["released shot"], tinted=True)
    assert_drawn(a1["answered shot"], tinted=False)


def test_a1_fully_answered_runs_to_the_end_and_every_check_passes(a1):
    seen = a1["everything"]
    code = [i for i, cell in enumerate(seen) if cell["prompt"]]
    assert_stopped_at(seen, code[-1])
    assert all(re.fullmatch(r"\[\d+\]:", seen[i]["prompt"]) for i in code), "a cell did not run"
    for i in check_cells(A1):
        assert re.search(r": all \d+ visible checks passed\.", shown(seen[i])), (i, shown(seen[i])[:300])
    errors = [(i, shown(cell)[:200]) for i, cell in enumerate(seen)
              if any(o["mime"] == "application/vnd.jupyter.stderr" for o in cell["outputs"])]
    assert errors == []
    assert sum(o["mime"] == "image/png" for cell in seen for o in cell["outputs"]) >= 3  # the experiments' plots


# ---------------------------------------------------------------- a5 in the browser
def test_a5_as_released_stops_at_the_paste_cell_with_its_message(a5):
    seen = a5["released"]
    paste = cell_index(A5, "earlier_code")
    assert_stopped_at(seen, paste)
    text = shown(seen[paste])
    assert "NotImplementedError: Paste your functions of assignments 1-4 into this cell" in text
    assert not re.search(r"NotImplementedError:\s*$", text, re.M)  # never the bare exception
    assert_drawn(a5["released shot"], tinted=True)


def test_a5_with_the_earlier_code_and_init_params_runs_to_trains_stub(a5):
    seen = a5["answered"]
    assert shown(seen[cell_index(A5, "gradient_check")]).count("(good)") == 3
    assert re.match(r"init_params: all \d+ visible checks passed\.", shown(seen[cell_index(A5, "init_params")]))
    check = cell_index(A5, "train")
    assert_stopped_at(seen, check)
    assert shown(seen[check]).startswith("NotImplementedError: train: not implemented yet.")
    assert_no_course_traceback(seen)
    assert_drawn(a5["answered shot"], tinted=True)
