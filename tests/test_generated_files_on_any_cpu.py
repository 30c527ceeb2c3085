"""Generated files on any CPU (issue 22.1; docs/design.md, "Generated files on any CPU").

numpy's SIMD kernels (exp, tanh, sums, matrix products) round differently on different CPUs,
so a fresh build's numbers differ in the last bits from the committed ones. ``build`` stores
floats to ``STORED_DIGITS`` significant digits and counts a stored number as current within
``VALUE_RTOL``/``VALUE_ATOL`` of a fresh one: a clone built on another CPU stays clean.
The last test builds under another SIMD dispatch of this very CPU (``NPY_DISABLE_CPU_FEATURES``)
and requires ``python -m autograder build --check`` to pass.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.course.build import (CASES_FILE, CHECKS_FILE, STORED_DIGITS, VALUE_ATOL, VALUE_RTOL, build_course_files,
                              public_cases_data, rounded)
from autograder.course.config import load_course

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
A1 = "a1_activations"


def _map_floats(data: Any, change) -> Any:
    """JSON-like data with ``change(x)`` in place of every finite float."""
    if isinstance(data, dict):
        return {key: _map_floats(value, change) for key, value in data.items()}
    if isinstance(data, list):
        return [_map_floats(value, change) for value in data]
    return change(data) if isinstance(data, float) and math.isfinite(data) else data


def _floats(data: Any) -> list[float]:
    if isinstance(data, dict):
        return [x for value in data.values() for x in _floats(value)]
    if isinstance(data, list):
        return [x for value in data for x in _floats(value)]
    return [data] if isinstance(data, float) else []


@pytest.fixture
def a1_copy(tmp_path: Path) -> tuple[Path, Any]:
    """A copy of a1's generated files under tmp_path, and a course of a1 alone to build it."""
    folder = tmp_path / A1
    folder.mkdir()
    for name in (CHECKS_FILE, CASES_FILE):
        shutil.copy(REPO / "solutions" / A1 / name, folder / name)
    return folder / CASES_FILE, dataclasses.replace(COURSE, assignments=(COURSE.assignment(A1),))


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _as_from_another_cpu(data: Any) -> Any:
    """Every number moved by 3e-11 of itself (units of its 12th digit), as another CPU's build may store it."""
    return _map_floats(data, lambda x: rounded(x * (1 + 3e-11)))


# --------------------------------------------------------------------------- the stored form
def test_stored_floats_keep_twelve_significant_digits_and_leave_the_rest_alone():
    data = {"x": [1 / 3, 2.0 / 3e-200, float("nan"), float("inf"), -0.0, 7, True, "text"]}
    stored = rounded(data)["x"]
    assert STORED_DIGITS == 12
    assert stored[:2] == [0.333333333333, 6.66666666667e+199]
    assert math.isnan(stored[2]) and stored[3:5] == [float("inf"), 0.0] and math.copysign(1, stored[4]) == -1
    assert stored[5:] == [7, True, "text"] and type(stored[5]) is int and type(stored[6]) is bool


def test_the_committed_public_cases_are_in_the_stored_form():
    for assignment in COURSE.assignments:
        data = json.loads((REPO / "solutions" / assignment.id / CASES_FILE).read_text(encoding="utf-8"))
        floats = [x for x in _floats(data) if math.isfinite(x)]
        assert floats and all(float(f"{x:.12g}") == x for x in floats), assignment.id


def test_the_build_tolerance_is_far_below_every_question_tolerance_and_above_the_rounding():
    def at_most(a: float, b: float) -> bool:  # 1e-7 / 100 is a hair below 1e-9 in binary
        return a <= b * (1 + 1e-12)

    for spec in (q for a in COURSE.assignments for q in a.questions):
        assert at_most(VALUE_RTOL, spec.rtol / 100) and at_most(VALUE_ATOL, spec.atol / 10), spec.id
    assert at_most(0.5 * 10.0 ** (1 - STORED_DIGITS), VALUE_RTOL / 100)  # the rounding is lost in the tolerance


# --------------------------------------------------------------------------- current, stale, rewritten
def test_a_file_another_cpu_built_is_current_and_never_rewritten(a1_copy):
    path, course = a1_copy
    _write(path, _as_from_another_cpu(json.loads(path.read_text(encoding="utf-8"))))
    before = path.read_bytes()
    assert build_course_files(course, root=path.parents[1], check_only=True) == []
    assert build_course_files(course, root=path.parents[1]) == []
    assert path.read_bytes() == before


def test_a_number_changed_beyond_the_tolerance_is_stale_and_the_rebuild_rewrites_only_it(a1_copy):
    path, course = a1_copy
    other_cpu = _as_from_another_cpu(json.loads(path.read_text(encoding="utf-8")))
    expected = other_cpu["sigmoid"]["cases"][0]["expected"]["data"]
    right = expected[0]
    expected[0] = rounded(right * (1 + 1e-7))  # a tenth of the visible checks' rtol, 100 times the build's
    _write(path, other_cpu)
    assert build_course_files(course, root=path.parents[1], check_only=True) == [path]
    assert build_course_files(course, root=path.parents[1]) == [path]
    rebuilt = json.loads(path.read_text(encoding="utf-8"))
    fixed = rebuilt["sigmoid"]["cases"][0]["expected"]["data"][0]
    assert fixed != expected[0] and np.isclose(fixed, right, rtol=VALUE_RTOL, atol=VALUE_ATOL)
    expected[0] = fixed
    assert rebuilt == other_cpu  # every other number as the other CPU stored it
    assert build_course_files(course, root=path.parents[1], check_only=True) == []


def test_a_file_with_numbers_not_in_the_stored_form_is_stale(a1_copy):
    path, course = a1_copy
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sigmoid"]["cases"][0]["expected"]["data"][0] += 1e-14  # close, but 17 digits: an older build's
    _write(path, data)
    assert build_course_files(course, root=path.parents[1], check_only=True) == [path]


# --------------------------------------------------------------------------- another SIMD dispatch
_UMATH = "numpy._core._multiarray_umath" if np.lib.NumpyVersion(np.__version__) >= "2.0.0" else "numpy.core._multiarray_umath"

_PROBE = textwrap.dedent(f"""\
    import json, sys
    from {_UMATH} import __cpu_dispatch__, __cpu_features__
    from autograder.course.build import public_cases_data
    from autograder.course.config import load_course
    course = load_course()
    data = {{q: e for nb in course.assignment("{A1}").notebooks for q, e in public_cases_data(course, nb).items()}}
    json.dump({{"enabled": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)], "a1": data}}, sys.stdout)
    """)


def _dispatch_targets_of_this_cpu() -> list[str]:
    """numpy's runtime-dispatched kernels this CPU runs (beyond the compiled-in baseline)."""
    import importlib

    umath = importlib.import_module(_UMATH)
    return [feature for feature in umath.__cpu_dispatch__ if umath.__cpu_features__.get(feature)]


def _run(args: list[str], disabled: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": " ".join(disabled)}
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_build_check_passes_under_another_simd_dispatch():
    targets = _dispatch_targets_of_this_cpu()
    if not targets:
        pytest.skip("this CPU runs numpy's baseline kernels only: there is no other dispatch to build under")
    probe = _run(["-c", _PROBE], targets)
    assert probe.returncode == 0, probe.stderr
    other = json.loads(probe.stdout)
    assert other["enabled"] == [], f"NPY_DISABLE_CPU_FEATURES left {other['enabled']} on"  # the dispatch changed
    here = _floats(json.loads(json.dumps({q: e for nb in COURSE.assignment(A1).notebooks
                                          for q, e in public_cases_data(COURSE, nb).items()})))
    there = _floats(other["a1"])
    assert len(here) == len(there)
    differing = sum(a != b and not (math.isnan(a) and math.isnan(b)) for a, b in zip(here, there))
    if differing == 0:
        pytest.skip(f"without {targets} this CPU computes a1's numbers bit for bit the same: nothing to prove")

    check = _run(["-m", "autograder", "build", "--check"], targets)
    assert check.returncode == 0, f"{differing} numbers of a1 differ without {targets}:\n{check.stdout}{check.stderr}"
    assert "up to date" in check.stdout
