"""Gradescope's autograder zip for one assignment.

    python -m autograder gradescope ASSIGNMENT [--out DIR]     # DIR/ASSIGNMENT-gradescope.zip

The zip holds, at its root (where Gradescope looks for them):

===================  =====================================================================
``setup.sh``         installs the engine into ``/autograder/venv`` and locks the files down
                     (see the script and :mod:`autograder.gradescope.layout`)
``run_autograder``   grades one submission (:mod:`autograder.gradescope.runner`)
``requirements.txt`` what grading imports (numpy, pyyaml, nbformat, tqdm, threadpoolctl and their
                     own requirements), pinned to the versions installed here
``wheels/``          a wheel of this repository's packages (``autograder``: the engine and the
                     question registry; ``nn_core``: the reference), built now
``course.yml``       the course, with its ``gradescope:`` visibility policy
``course_secret``    the course secret (the instructor's, never in git): hidden cases are
                     keyed by it; root-only in the container
``bundle.json``      the assignment this zip grades, and what built it
===================  =====================================================================

The zip carries the course secret: keep it like the secret itself. It is written with mode
0600 (a folder created for it, 0700), like the secret.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as metadata
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from autograder.course import secret
from autograder.course.config import COURSE_FILE, REPO_ROOT, CourseError, load_course
from autograder.gradescope.runner import COURSE_FILE as BUNDLED_COURSE, MANIFEST, SECRET_FILE

HERE = Path(__file__).resolve().parent
SCRIPTS = ("setup.sh", "run_autograder")
# what grading imports outside the standard library: numpy (the sandbox and the reference),
# pyyaml (course.yml), nbformat (notebooks older than version 4), tqdm (autograder.batch.grade),
# threadpoolctl (the grader's BLAS on one thread)
GRADING_REQUIREMENTS = ("numpy", "pyyaml", "nbformat", "tqdm", "threadpoolctl")
# a judged question whose judge loads a data set (``loads_data``: a5's trained networks, judged on a test
# split nn_core.data loads from scikit-learn's bundled files, in the grader)
DATA_REQUIREMENTS = ("scikit-learn",)
WHEEL_SOURCES = ("pyproject.toml", "README.md", "autograder", "nn_core")
EXECUTABLE = 0o755


def pinned_requirements(roots: tuple[str, ...] = GRADING_REQUIREMENTS) -> list[str]:
    """``name==version`` for ``roots`` and everything they require, as installed here.

    Requirements that only an extra asks for, or whose environment marker is false here,
    are left out.
    """
    pins: dict[str, str] = {}
    todo = list(roots)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in pins:
            continue
        dist = metadata.distribution(name)
        pins[name] = dist.version
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return [f"{name}=={version}" for name, version in sorted(pins.items())]


def grading_requirements(course, assignment: str) -> tuple[str, ...]:
    """What grading ``assignment`` imports: :data:`GRADING_REQUIREMENTS`, and
    :data:`DATA_REQUIREMENTS` when one of its questions' judge loads a data set (``loads_data``)."""
    from autograder.questions import QUESTIONS

    loads = any(getattr(QUESTIONS[q.id].judge, "loads_data", False) for q in course.assignment(assignment).questions)
    return GRADING_REQUIREMENTS + (DATA_REQUIREMENTS if loads else ())


def build_wheel(out_dir: Path, repo: Path = REPO_ROOT) -> Path:
    """A wheel of the repository's packages (no dependencies), built from a clean copy so the
    checkout gains no ``build/`` or ``*.egg-info``."""
    with tempfile.TemporaryDirectory(prefix="nn-wheel-") as tmp:
        copy = Path(tmp) / "src"
        copy.mkdir()
        for name in WHEEL_SOURCES:
            source = repo / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(source, copy / name)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--disable-pip-version-check", "--wheel-dir", str(out_dir), str(copy)],
                       check=True, stdout=subprocess.DEVNULL)
    wheels = sorted(out_dir.glob("*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one wheel in {out_dir}, found {[w.name for w in wheels]}")
    return wheels[0]


def manifest(assignment: str, course_id: str) -> dict:
    """``bundle.json``: which assignment, and what built the zip."""
    return {"assignment": assignment, "course": course_id,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "built_with_python": platform.python_version(), "numpy": metadata.version("numpy")}


def build_bundle(assignment: str, out_dir: Path, *, course_file: Path = COURSE_FILE,
                 secret_file: Path | None = None, wheel: Path | None = None) -> Path:
    """Write ``out_dir/ASSIGNMENT-gradescope.zip`` and return its path.

    Parameters
    ----------
    assignment
        An assignment id of the course.
    out_dir
        Where the zip goes (created with mode 0700 when missing; the zip's mode is 0600).
    course_file
        The course.yml to ship (the repository's by default).
    secret_file
        The course secret to ship (default: where the grader looks, :func:`secret.secret_path`).
    wheel
        A wheel already built by :func:`build_wheel` (to build several zips from one).

    Raises
    ------
    CourseError
        An unknown assignment or an invalid course.yml.
    secret.SecretError
        No usable course secret.
    """
    course = load_course(course_file)
    course.assignment(assignment)
    secret_file = secret.secret_path() if secret_file is None else Path(secret_file)
    secret.load_secret(secret_file)  # refuse a missing or group-readable secret before building
    secret.private_folder(out_dir)
    target = out_dir / f"{assignment}-gradescope.zip"
    with tempfile.TemporaryDirectory(prefix="nn-bundle-") as tmp:
        wheel = wheel or build_wheel(Path(tmp))
        entries: list[tuple[str, bytes, int]] = [
            *((name, (HERE / name).read_bytes(), EXECUTABLE) for name in SCRIPTS),
            ("requirements.txt", ("\n".join(pinned_requirements(grading_requirements(course, assignment)))
                                  + "\n").encode(), 0o644),
            (f"wheels/{wheel.name}", wheel.read_bytes(), 0o644),
            (BUNDLED_COURSE, Path(course_file).read_bytes(), 0o644),
            (SECRET_FILE, secret_file.read_bytes(), 0o600),
            (MANIFEST, json.dumps(manifest(assignment, course.id), indent=2).encode(), 0o644),
            # the released notebooks: their read-only cells run in place of the student's copies,
            # as on the command line and in nbgrader
            *((f"assignments/{assignment}/{nb.name}.ipynb",
               (Path(course_file).parent / "assignments" / assignment / f"{nb.name}.ipynb").read_bytes(), 0o644)
              for nb in course.assignment(assignment).notebooks),
        ]
    partial = target.with_suffix(".zip.tmp")
    with secret.open_private(partial) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    partial.replace(target)
    return target


def build_all(out_dir: Path, **kwargs) -> list[Path]:
    """One zip per assignment of the course, from one wheel."""
    course = load_course(kwargs.get("course_file", COURSE_FILE))
    with tempfile.TemporaryDirectory(prefix="nn-wheel-") as tmp:
        wheel = build_wheel(Path(tmp))
        return [build_bundle(a.id, out_dir, wheel=wheel, **kwargs) for a in course.assignments]


def command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``python -m autograder gradescope ASSIGNMENT [--out DIR]``."""
    try:
        if args.assignment == "all":
            paths = build_all(args.out)
        else:
            paths = [build_bundle(args.assignment, args.out)]
    except (CourseError, secret.SecretError) as error:
        parser.error(str(error))
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): {', '.join(names)}")
    print("Upload it as the assignment's autograder on Gradescope (see the README, 'Grading on "
          "Gradescope'). It holds the course secret: keep it out of git and of public places.")
    return 0
