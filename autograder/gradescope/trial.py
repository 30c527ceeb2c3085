"""Grade through a bundle without Gradescope: a root laid out as Gradescope lays it out.

Gradescope unpacks the zip into ``/autograder/source``, copies ``run_autograder`` to
``/autograder/run_autograder``, runs ``setup.sh`` once, then per submission writes the
student's files to ``/autograder/submission/`` and ``/autograder/submission_metadata.json``
and runs ``run_autograder`` in ``/autograder``. :func:`unpack` and :func:`submit` do the
same in any folder; :func:`run_autograder` runs the script with ``AUTOGRADER_ROOT`` pointing
there. Without ``setup.sh`` (the demo, the fast tests) the python3 first on PATH must be able
to import the engine: :func:`run_autograder` puts this interpreter's folder first by default.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import sys
import zipfile
from pathlib import Path

from autograder.gradescope.runner import ROOT_ENV


def unpack(bundle: Path, root: Path) -> Path:
    """Unpack ``bundle`` into ``root/source`` (permissions kept) and place ``run_autograder``."""
    source = root / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            path = archive.extract(info, source)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(path, mode)
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    return root


def metadata(email: str, user_id: int = 1, name: str = "A Student",
             due_date: str = "2027-02-05T23:59:00.000000+00:00") -> dict:
    """A submission_metadata.json of one student, with the fields Gradescope documents."""
    return {"id": 1000 + user_id, "created_at": "2027-02-01T12:00:00.000000+00:00",
            "assignment": {"due_date": due_date, "group_size": None, "group_submission": False,
                           "id": 25828, "course_id": 1234, "late_due_date": None,
                           "release_date": "2027-01-20T00:00:00.000000+00:00", "title": "Assignment",
                           "total_points": "20.0"},
            "submission_method": "upload",
            "users": [{"email": email, "id": user_id, "name": name}],
            "previous_submissions": []}


def submit(root: Path, files: dict[str, bytes], meta: dict) -> None:
    """A new submission in ``root``: ``files`` (name -> content) and its metadata."""
    submission = root / "submission"
    if submission.exists():
        shutil.rmtree(submission)
    shutil.rmtree(root / "results", ignore_errors=True)
    submission.mkdir()
    for name, data in files.items():
        (submission / name).parent.mkdir(parents=True, exist_ok=True)
        (submission / name).write_bytes(data)
    (root / "submission_metadata.json").write_text(json.dumps(meta))


def run_autograder(root: Path, *, path_first: str | None = None, env: dict | None = None,
                   timeout: float = 600, prefix: tuple[str, ...] = ()) -> tuple[dict | None, subprocess.CompletedProcess]:
    """Run ``root/run_autograder`` as Gradescope does; its results.json (None when missing).

    ``path_first`` is put first on PATH (default: this interpreter's folder, so that
    ``python3`` imports the engine when ``setup.sh`` has not run).  ``prefix`` starts it
    through another command (``setpriv --bounding-set=...``: a container's capability set).
    """
    first = path_first if path_first is not None else str(Path(sys.executable).parent)
    environ = {**os.environ, **(env or {}), ROOT_ENV: str(root),
               "PATH": first + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run([*prefix, str(root / "run_autograder")], cwd=root, env=environ, capture_output=True,
                          text=True, timeout=timeout)
    results = root / "results" / "results.json"
    return (json.loads(results.read_text()) if results.exists() else None), done


def demo(course_dir: Path, student: str = "bob", assignment: str = "a1_activations") -> bool:
    """``make demo``'s last step: a zip for every assignment in ``course_dir/gradescope/``, then
    ``student``'s submission of ``assignment`` graded through its zip as Gradescope would (the
    student's id as the metadata's email), compared with the command line's grade of the same
    student (``course_dir/engine/ASSIGNMENT/STUDENT/grade.json``). Returns whether they agree."""
    from autograder.gradescope.bundle import build_all
    out = course_dir / "gradescope"
    zips = build_all(out)
    with zipfile.ZipFile(zips[0]) as archive:
        print(f"  {len(zips)} zips in {out}, each holding: {', '.join(archive.namelist())}")
    bundle = next(z for z in zips if z.name.startswith(f"{assignment}-"))
    root = unpack(bundle, Path(tempfile.mkdtemp(prefix="gs-demo-")) / "autograder")
    try:
        submitted = course_dir / "submitted" / student / assignment
        submit(root, {p.name: p.read_bytes() for p in sorted(submitted.glob("*.ipynb"))}, metadata(student))
        results, done = run_autograder(root)
    finally:
        shutil.rmtree(root.parent)
    if results is None:
        print(f"  run_autograder wrote no results.json:\n{done.stdout}{done.stderr}")
        return False
    saved = out / f"{assignment}-{student}-results.json"
    saved.write_text(json.dumps(results, indent=2))
    cli = json.loads((course_dir / "engine" / assignment / student / "grade.json").read_text())
    ours = {t["name"]: t["score"] for t in results["tests"] if t["max_score"] > 0}
    theirs = {q["id"]: q["score"] for q in cli["questions"]}
    named = next((t for t in results["tests"] if "Recognised mistake" in t["output"]), None)
    print(f"  {student}'s {assignment} through run_autograder: {results['score']:g} points "
          f"(confinement {results['extra_data'].get('confinement')}), results.json in {saved}")
    if named:
        mistake = named["output"].split("Recognised mistake: ", 1)[1].splitlines()[0]
        print(f"    {named['name']} (shown {named['visibility']}): recognised mistake: {mistake}")
    print("  equal to python -m autograder grade, question by question" if ours == theirs
          else f"  DIFFERENT from python -m autograder grade: {ours} != {theirs}")
    return ours == theirs
