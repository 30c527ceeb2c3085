"""The file layout inside Gradescope's container: what student code may read there.

Gradescope runs the autograder as root, in a Docker container whose kernel or seccomp
profile may not offer Landlock. There the sandbox runs student code at its ``uid`` level
(:class:`autograder.sandbox.Sandbox` with ``require_landlock=False``): an unprivileged uid
without any capability, which can read only what file permissions grant "others". So
``setup.sh`` calls :func:`lock_down` once, after installing the engine:

==============================================  =========================================
``ROOT`` (``/autograder``)                      0711: others may pass through, not list
``ROOT/source`` (course.yml, the course secret,  0700 / go-rwx throughout: root only
the wheel, requirements)
``ROOT/venv/lib/pythonX.Y/site-packages``       0711, and every entry in it go-rwx
                                                (``autograder``, ``nn_core``, pyyaml, ...)
                                                except numpy and ``numpy.libs``
numpy, the Python standard library, ``venv/bin``  world-readable, as installed
==============================================  =========================================

and :func:`exposed` lists whatever under ROOT others can still read outside numpy and the
interpreter; ``setup.sh`` fails when that list is not empty, and the runner refuses to grade
at the ``uid`` level when it is not (see :mod:`autograder.gradescope.runner`).

    python -m autograder.gradescope.layout ROOT     # lock down, then check (setup.sh)
"""
from __future__ import annotations

import os
import stat
import sys
import sysconfig
from pathlib import Path

SOURCE = "source"
VENV = "venv"
PUBLIC_PACKAGES = ("numpy", "numpy.libs")  # what student code imports, beside the standard library
PUBLIC_VENV_ENTRIES = ("bin", "pyvenv.cfg", "include", "lib64")  # the interpreter's own, nothing of ours


def site_packages() -> Path:
    """The running interpreter's site-packages (the bundle's virtual environment's in Gradescope)."""
    return Path(sysconfig.get_paths()["purelib"])


def _chmod_tree(top: Path, clear: int) -> None:
    """Clear the ``clear`` permission bits on ``top`` and everything beneath it (no link followed)."""
    for path in [top, *_walk(top)]:
        mode = os.lstat(path).st_mode
        if not stat.S_ISLNK(mode):
            os.chmod(path, stat.S_IMODE(mode) & ~clear)


def _walk(top: Path):
    for folder, dirs, files in os.walk(top, followlinks=False):
        for name in dirs + files:
            yield Path(folder) / name


def lock_down(root: Path, packages: Path | None = None) -> None:
    """Make the course's files under ``root`` readable by root only, numpy and the interpreter
    by anyone (see the module docstring). ``packages`` is the engine's site-packages."""
    root = Path(root)
    packages = site_packages() if packages is None else Path(packages)
    os.chmod(root, 0o711)
    _chmod_tree(root / SOURCE, 0o077)
    for entry in packages.iterdir():
        if not _is_public_package(entry.name):
            _chmod_tree(entry, 0o077)
    os.chmod(packages, 0o711)
    for folder in packages.parents:  # venv/lib/pythonX.Y, venv/lib, venv: passable by all
        if folder == root:
            break
        os.chmod(folder, stat.S_IMODE(os.stat(folder).st_mode) | 0o111)


def _is_public_package(name: str) -> bool:
    return name in PUBLIC_PACKAGES or (name.startswith("numpy-") and name.endswith(".dist-info"))


def _others_may(path: Path, bits: int) -> bool:
    return bool(os.lstat(path).st_mode & bits)


def _readable_files(top: Path, skip) -> list[Path]:
    """Files beneath ``top`` that others can read, skipping folders for which ``skip`` holds."""
    if not all(_others_may(folder, stat.S_IXOTH) for folder in [top, *top.parents]):
        return []  # nobody but root gets past one of the folders on the way
    found = []
    for folder, dirs, files in os.walk(top, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if _others_may(here / d, stat.S_IXOTH) and not skip(here / d)]
        found += [here / f for f in files
                  if not stat.S_ISLNK(os.lstat(here / f).st_mode) and _others_may(here / f, stat.S_IROTH)
                  and not skip(here / f)]
    return found


def engine_dirs() -> list[Path]:
    """Where the engine and the reference are installed (``autograder``, ``nn_core``)."""
    import autograder
    import nn_core
    return [Path(autograder.__file__).resolve().parent, Path(nn_core.__file__).resolve().parent]


def exposed(root: Path, packages: Path | None = None, engine: list[Path] | None = None) -> list[Path]:
    """Files that a user other than root can read under ``root`` (except numpy's and the
    virtual environment's interpreter files) or in the engine's packages wherever they are
    installed: the list must be empty for the ``uid`` level to keep the reference, the
    course files and the secret from student code. ``packages`` is the engine's site-packages
    and ``engine`` its package folders (by default the running interpreter's)."""
    root = Path(root).resolve()
    packages = (site_packages() if packages is None else Path(packages)).resolve()
    public = {root / VENV / name for name in PUBLIC_VENV_ENTRIES} | {root / "run_autograder"}  # a copy of the zip's

    def skip(path: Path) -> bool:
        return path in public or (path.parent == packages and _is_public_package(path.name))

    found = _readable_files(root, skip)
    for folder in engine_dirs() if engine is None else engine:
        found += _readable_files(folder, skip)
    return sorted(set(found))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m autograder.gradescope.layout ROOT", file=sys.stderr)
        return 2
    root = Path(args[0])
    lock_down(root)
    leaks = exposed(root)
    for path in leaks:
        print(f"readable by student code: {path}", file=sys.stderr)
    if leaks:
        return 1
    print(f"locked down {root}: the course's files are root-only; numpy and the interpreter stay readable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
