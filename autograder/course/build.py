"""Write the files released beside each solution notebook, all generated, none typed by hand.

``python -m autograder build`` writes, for every notebook of ``course.yml``, into
``solutions/<assignment>/``:

* ``checks.py``: the visible checks (:mod:`autograder.checks.visible` with
  :mod:`autograder.checks.compare` and :mod:`autograder.checks.adapters` inlined, and
  :mod:`autograder.checks.judged` beside a notebook with judged questions), so students
  need nothing but numpy;
* ``public_cases.json``: each question's public cases with their expected results and
  the results of the question's known mistakes, computed from the reference;
* ``<data set>.npz`` for every data set the notebook lists under ``data`` (the same
  split and standardisation as the reference's loaders);
* ``errata.md``: the student errata, the student parts of ``docs/errata.md``
  (:mod:`autograder.course.errata`; the build fails when they give a graded answer away);

and it sets the points of every grade cell of the solution notebook (nbgrader's
``metadata.nbgrader.points``, whose ``grade_id`` is a question's or a written question's id)
to course.yml's, so a change of points is made in one place and reaches nbgrader's gradebook
through ``python -m autograder release``.

``python -m autograder build --check`` only reports files that are missing or stale; a
test runs it, so a change to the reference, the registry or course.yml that is not
rebuilt (and re-released with ``python -m autograder release``) fails the suite.

The same on any CPU (docs/design.md, "Generated files on any CPU"): numpy's kernels round
differently on different CPUs, so the numbers of ``public_cases.json`` are stored to
:data:`STORED_DIGITS` significant digits, and a stored number is current when it agrees with
a fresh build's within :data:`VALUE_RTOL` and :data:`VALUE_ATOL` (the data sets likewise).
A current file is never rewritten, and a stale one keeps every number that is still
current, so a fresh clone stays clean whichever machine builds it.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from autograder.checks import adapters as adapters_module
from autograder.checks import compare as compare_module
from autograder.checks import judged as judged_module
from autograder.checks import public as public_module
from autograder.checks import visible as visible_module
from autograder.course.cases import public_cases
from autograder.course.config import REPO_ROOT, Course, NotebookSpec, load_course
from autograder.course.errata import STUDENT_FILE, course_student_errata
from autograder.questions import QUESTIONS
from autograder.checks.public import CASES_FILE, encode

CHECKS_FILE = "checks.py"
_INLINED_IMPORT = "from autograder."  # the course's own modules are inlined: their imports go

#: Significant digits of every float stored in public_cases.json (docs/design.md, "Generated
#: files on any CPU"): far above the platform noise (numpy's SIMD kernels for exp, tanh, sums and
#: matrix products round differently on different CPUs, about 1e-16 relative), far below the
#: course's tolerances (rtol >= 1e-7), so stored values are the same bytes on most machines.
STORED_DIGITS = 12
#: A stored number is current when it agrees with a fresh build's within these (``numpy.isclose``;
#: NaN equals NaN, an infinity only itself). They hold the rounding above and the largest noise
#: measured between CPUs, 4.4e-11 absolute in numerical gradients (a difference of two values of f
#: divided by h), and stay 100 times below every question's rtol and 10 times below its atol
#: (tests/test_generated_files_on_any_cpu.py checks course.yml against them).
VALUE_RTOL = 1e-9
VALUE_ATOL = 1e-10


# ----------------------------------------------------------------------- README's course table
def course_table(course: Course) -> str:
    """README's table of the course, from course.yml: each assignment's points (auto-graded and
    written), expected time (``hours``), points per expected hour (over the middle of the hours; the
    balance course.yml asks for) and due date, and the totals (``tests/test_course_notebooks.py``
    checks that README holds exactly this text)."""
    def per_hour(rate: float | None) -> str:
        return "" if rate is None else f"{rate:.1f}"

    rows = ["| assignment | points | expected time | points per hour | due (UTC) |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| `{a.id}`: {a.title} | {a.points:g} | {a.hours_text} | {per_hour(a.points_per_hour)} "
             f"| {a.due:%Y-%m-%d %H:%M} |" for a in course.assignments]
    stated = [a.hours for a in course.assignments if a.hours is not None]
    total = (f"about {sum(h[0] for h in stated):g}-{sum(h[1] for h in stated):g} hours"
             if len(stated) == len(course.assignments) else "not stated for every assignment")
    rate = per_hour(course.points_per_hour)
    rows.append(f"| **the course** | **{course.points:g}** | **{total}** | {rate and f'**{rate}**'} | |")
    return "\n".join(rows)


# ----------------------------------------------------------------------- checks.py
def _body(module) -> str:
    """A module's source without its docstring and its ``from __future__`` line."""
    source = Path(module.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    first = tree.body[0]
    start = first.end_lineno if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) else 0
    kept = [line for line in lines[start:]
            if not line.startswith("from __future__") and not line.lstrip().startswith(_INLINED_IMPORT)]
    return "\n".join(kept).strip() + "\n"


def checks_source(judged: bool = False) -> str:
    """The text of the released ``checks.py``; with ``judged``, for a notebook with judged
    questions, the checks of :mod:`autograder.checks.judged` too."""
    return (
        '"""Visible checks for this notebook: ``check("sigmoid", sigmoid)``.\n\n'
        "Generated by ``python -m autograder build``; do not edit. The same comparisons and\n"
        "mistake messages as the autograder, on the public cases in public_cases.json.\n"
        '"""\n'
        "from __future__ import annotations\n\n"
        "# ---- comparison (the autograder's own) ----\n"
        + _body(compare_module)
        + "\n\n# ---- adapters: questions whose function takes a function (the autograder's own) ----\n"
        + _body(adapters_module)
        + "\n\n# ---- the public cases file (the autograder's own) ----\n"
        + _body(public_module)
        + "\n\n# ---- the checks ----\n"
        + _body(visible_module)
        + ("\n\n# ---- the checks of judged questions ----\n" + _body(judged_module) if judged else "")
    )


# ----------------------------------------------------------------------- public_cases.json
def public_cases_data(course: Course, notebook: NotebookSpec) -> dict[str, Any]:
    """Everything the visible checks of one notebook need, as JSON data."""
    data: dict[str, Any] = {}
    for spec in notebook.questions:
        question = QUESTIONS[spec.id].bound(spec.settings)
        cases = public_cases(question, course.id, spec.public_cases)
        if question.judge is not None:  # judged: the judge says what its visible checks need
            data[spec.id] = {"function": spec.function, **question.judge.public(cases, spec.settings)}
            continue
        mistakes = []
        for mistake in question.mistakes:
            outputs = []
            for case in cases:
                try:
                    with np.errstate(all="ignore"):
                        outputs.append(encode(mistake.fn(*case.args)))
                except Exception:  # a mistake may not apply to every input
                    outputs.append(None)
            mistakes.append({"name": mistake.name, "message": mistake.message, "outputs": outputs})
        data[spec.id] = {
            "function": spec.function,
            "rtol": spec.rtol,
            "atol": spec.atol,
            "keeps_inputs": question.keeps_inputs,
            "cases": [{"label": case.label, "args": encode(case.args),
                       "expected": encode(question.reference(*case.args)),
                       "quiet": case.label in question.quiet_cases} for case in cases],
            "mistakes": mistakes,
        }
        if question.contract_messages:  # its own words for a broken contract (the visible checks use them)
            data[spec.id]["contract_messages"] = dict(question.contract_messages)
        if question.adapter:  # the student's function takes a function: check() applies the adapter
            data[spec.id]["adapter"] = question.adapter
        if question.wrt:  # the student's own gradient check (visible.check_gradients)
            data[spec.id]["wrt_names"] = [name for name, _ in question.wrt]
            data[spec.id]["wrt"] = [list(path) for _, path in question.wrt]
    return data


def _json_text(data: Any) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


# ----------------------------------------------------------------------- data sets
def dataset_arrays(name: str) -> dict[str, np.ndarray]:
    """The arrays of ``<name>.npz``: the reference's split, standardised."""
    from nn_core import data as datasets

    split = getattr(datasets, f"load_{name}")()
    if isinstance(split, dict):  # arrays of their own (the raw digit images)
        return split
    return {"X_train": split.X_train, "X_test": split.X_test,
            "y_train": split.y_train, "y_test": split.y_test}


# ----------------------------------------------------------------------- staleness
def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _stored_float(value: float) -> float:
    """``value`` to :data:`STORED_DIGITS` significant digits (NaN and infinities as they are)."""
    return float(f"{value:.{STORED_DIGITS}g}") if np.isfinite(value) else value


def rounded(data: Any) -> Any:
    """JSON-like data with every float to :data:`STORED_DIGITS` significant digits: the stored form."""
    if isinstance(data, dict):
        return {key: rounded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [rounded(value) for value in data]
    return _stored_float(data) if isinstance(data, float) else data


def _same_number(stored: Any, fresh: Any) -> bool:
    """A stored float in its stored form and within :data:`VALUE_RTOL`, :data:`VALUE_ATOL` of fresh."""
    if isinstance(stored, float) and not (np.isnan(stored) or stored == _stored_float(stored)):
        return False  # written by hand or by an older build: not the stored form
    return bool(np.isclose(stored, fresh, rtol=VALUE_RTOL, atol=VALUE_ATOL, equal_nan=True))


def same_data(stored: Any, fresh: Any) -> bool:
    """Whether stored JSON-like data is current for ``fresh`` (the same structure, strings and
    integers; floats by :func:`_same_number`)."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        return stored.keys() == fresh.keys() and all(same_data(stored[k], fresh[k]) for k in fresh)
    if isinstance(stored, list) and isinstance(fresh, list):
        return len(stored) == len(fresh) and all(same_data(s, f) for s, f in zip(stored, fresh))
    if _is_number(stored) and _is_number(fresh) and (isinstance(stored, float) or isinstance(fresh, float)):
        return _same_number(stored, fresh)
    return type(stored) is type(fresh) and stored == fresh


def keep_current(stored: Any, fresh: Any) -> Any:
    """``fresh``, with every number that is current (:func:`same_data`) as ``stored`` has it: a
    rebuild rewrites only what changed, never a number that differs by another CPU's rounding."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        return {key: keep_current(stored[key], value) if key in stored else value for key, value in fresh.items()}
    if isinstance(stored, list) and isinstance(fresh, list) and len(stored) == len(fresh):
        return [keep_current(s, f) for s, f in zip(stored, fresh)]
    return stored if same_data(stored, fresh) else fresh


def _stored_json(path: Path) -> Any:
    """The data of a generated JSON file, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _npz_is_current(path: Path, arrays: dict[str, np.ndarray]) -> bool:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return set(stored.files) == set(arrays) and all(
                stored[k].dtype == v.dtype and stored[k].shape == v.shape
                and np.allclose(stored[k], v, rtol=VALUE_RTOL, atol=VALUE_ATOL, equal_nan=True)
                for k, v in arrays.items())
    except (OSError, ValueError):
        return False


# ----------------------------------------------------------------------- points of the grade cells
def notebook_with_course_points(text: str, notebook: NotebookSpec) -> str | None:
    """The solution notebook ``text`` with every grade cell's points set to course.yml's, or None
    when they already are (a grade cell's ``grade_id`` is the question's id).

    Raises ValueError when a question of ``notebook`` has no grade cell: nbgrader would never
    record its score.
    """
    points = {q.id: q.points for q in notebook.questions} | {w.id: w.points for w in notebook.written}
    nb = nbformat.reads(text, as_version=4)
    changed, seen = False, set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if not meta.get("grade") or grade_id not in points:
            continue
        seen.add(grade_id)
        wanted = int(points[grade_id]) if float(points[grade_id]).is_integer() else points[grade_id]
        if meta.get("points") != wanted:
            meta["points"], changed = wanted, True
    if missing := sorted(set(points) - seen):
        raise ValueError(f"{notebook.name}: no grade cell for {', '.join(missing)} (course.yml lists them)")
    return nbformat.writes(nb) + "\n" if changed else None


def build_course_files(course: Course | None = None, root: Path = REPO_ROOT / "solutions",
                       check_only: bool = False) -> list[Path]:
    """Write (or, with ``check_only``, only find) the missing or stale generated files.

    Returns the paths that were written, or that would be.
    """
    course = course or load_course()
    stale: list[Path] = []
    errata_text = course_student_errata(Path(root).parent)
    for assignment in course.assignments:
        folder = root / assignment.id
        for notebook in assignment.notebooks:
            path = folder / f"{notebook.name}.ipynb"
            if path.exists() and (text := notebook_with_course_points(path.read_text(encoding="utf-8"),
                                                                      notebook)) is not None:
                stale.append(path)
                if not check_only:
                    path.write_text(text, encoding="utf-8")
        checks = folder / CHECKS_FILE
        checks_text = checks_source(any(QUESTIONS[q.id].judge is not None for q in assignment.questions))
        texts = {checks: checks_text} if errata_text is None else {checks: checks_text, folder / STUDENT_FILE: errata_text}
        for path, text in texts.items():
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
                if not check_only:
                    path.write_text(text, encoding="utf-8")
        cases = folder / CASES_FILE  # one file for all notebooks of the assignment
        data = {qid: entry for notebook in assignment.notebooks
                for qid, entry in public_cases_data(course, notebook).items()}
        fresh, stored = rounded(json.loads(_json_text(data))), _stored_json(cases)
        if not same_data(stored, fresh):
            stale.append(cases)
            if not check_only:
                cases.write_text(_json_text(keep_current(stored, fresh)), encoding="utf-8")
        for name in sorted({name for notebook in assignment.notebooks for name in notebook.data}):
            path = folder / f"{name}.npz"
            arrays = dataset_arrays(name)
            if not _npz_is_current(path, arrays):
                stale.append(path)
                if not check_only:
                    np.savez_compressed(path, **arrays)
    return stale
