"""What a run may read: the standard library and numpy, never the environment's packages.

Guarantee: the read-only paths handed to Landlock cover the interpreter's standard library
(without any ``site-packages``/``dist-packages``), numpy (and its bundled libraries), the
system's shared libraries, and the private directory through which the zygote imports
numpy; they never cover ``nn_core``, ``autograder``, the course files, the course secret or
any other package, whether the project is installed editable, from a wheel or into the
system's site-packages.  A directory that contains something denied is granted entry by
entry instead of as a whole (Landlock rules only add access).
"""
from __future__ import annotations

import glob
import os
import site
import sys
import sysconfig

_PACKAGE_DIRS = ("site-packages", "dist-packages")
_SYSTEM_ROOTS = ("/usr/lib", "/lib", "/usr/lib64", "/lib64", "/usr/local/lib", "/etc/ld.so.cache")


def denied_paths() -> list[str]:
    """Directories no run may read: every package directory of this interpreter and of the
    system, and the project's own packages and repository."""
    here = os.path.dirname(os.path.abspath(__file__))
    autograder_dir = os.path.dirname(here)
    project_root = os.path.dirname(autograder_dir)
    candidates = [autograder_dir, project_root]
    try:
        candidates += site.getsitepackages()
    except AttributeError:  # pragma: no cover - old virtualenv
        pass
    candidates.append(site.getusersitepackages())
    candidates += [p for p in sys.path if p]
    for root in ("/usr/lib", "/usr/local/lib", "/usr/lib64", sys.prefix, sys.base_prefix):
        for name in _PACKAGE_DIRS:
            candidates += glob.glob(os.path.join(root, "python3*", name))
            candidates += glob.glob(os.path.join(root, "lib", "python3*", name))
    stdlib = _stdlib_dirs()
    out = []
    for path in candidates:
        if not path or not os.path.exists(path):
            continue
        real = os.path.realpath(path)
        if real in stdlib or any(real == s + os.sep + "lib-dynload" for s in stdlib):
            continue  # a sys.path entry that *is* the standard library stays readable
        if real not in out:
            out.append(real)
    return out


def _stdlib_dirs() -> list[str]:
    paths = sysconfig.get_paths()
    dirs = [paths.get("stdlib"), paths.get("platstdlib"), os.path.dirname(os.__file__)]
    return sorted({os.path.realpath(d) for d in dirs if d and os.path.isdir(d)})


def _beneath(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip(os.sep) + os.sep)


def grant(roots: list[str], denied: list[str]) -> list[str]:
    """The paths that cover ``roots`` except what lies beneath ``denied``.

    A root with nothing denied beneath it is granted whole; a root that is itself denied,
    or named ``site-packages``/``dist-packages``, is left out; otherwise its entries are
    granted one by one, recursively.
    """
    out: list[str] = []
    for root in roots:
        real = os.path.realpath(root)
        if not os.path.exists(real) or any(_beneath(real, d) for d in denied):
            continue
        if os.path.basename(real) in _PACKAGE_DIRS:
            continue
        if not any(_beneath(d, real) for d in denied):
            out.append(real)
            continue
        try:
            entries = sorted(os.listdir(real))
        except OSError:
            continue
        out += grant([os.path.join(real, name) for name in entries], denied)
    return list(dict.fromkeys(out))


def readable_paths(numpy_dirs: list[str]) -> list[str]:
    """The read-only paths of a run: stdlib and system libraries minus the denied
    directories, plus ``numpy_dirs`` (numpy, numpy.libs, the zygote's private shim)."""
    denied = denied_paths()
    numpy_real = [os.path.realpath(p) for p in numpy_dirs if os.path.exists(p)]
    # numpy's own directories are granted explicitly, so its site-packages can be denied whole
    roots = _stdlib_dirs() + [p for p in _SYSTEM_ROOTS if os.path.exists(p)]
    paths = grant(roots, denied)
    return list(dict.fromkeys(paths + numpy_real))


def view_plan(numpy_dirs: list[str]) -> dict:
    """What the run's own filesystem holds at the ``namespaces`` level (``view.build``).

    ``binds``: directories and files mounted read-only at their own (real) paths: the
    standard library, the system's shared libraries, ``numpy_dirs`` and ``/dev/null``;
    ``masks``: the denied directories (:func:`denied_paths`) that lie beneath a bind, each
    hidden under an empty read-only filesystem; ``links``: symbolic links among the roots
    (``/lib -> usr/lib`` on a merged ``/usr``), recreated as they are.
    """
    links = [(p, os.readlink(p)) for p in _SYSTEM_ROOTS if os.path.islink(p)]
    roots = _stdlib_dirs() + [os.path.realpath(p) for p in _SYSTEM_ROOTS if os.path.exists(p)]
    roots += [os.path.realpath(p) for p in numpy_dirs if os.path.exists(p)] + ["/dev/null"]
    numpy_real = {os.path.realpath(p) for p in numpy_dirs}
    binds: list[str] = []
    for root in sorted(set(roots), key=len):  # a numpy beneath a mask needs its own bind
        if root in numpy_real or not any(_beneath(root, b) for b in binds):
            binds.append(root)
    masks = [d for d in denied_paths() if any(_beneath(d, b) and d != b for b in binds)]
    return {"binds": binds, "masks": masks, "links": links}


def needed_paths(numpy_dirs: list[str]) -> list[str]:
    """Files every run reads (a module of the standard library, one of its extension modules,
    numpy's package file, through the zygote's shim too): the dry run before the first
    submission checks that a run's unprivileged, confined process can open them."""
    stdlib = os.path.dirname(os.path.realpath(os.__file__))
    files = [os.path.realpath(os.__file__)]
    files += sorted(glob.glob(os.path.join(stdlib, "lib-dynload", "*.so")))[:1]
    files += [os.path.join(d, "numpy", "__init__.py") for d in numpy_dirs]
    files += [os.path.join(d, "__init__.py") for d in numpy_dirs]
    return [f for f in files if os.path.isfile(f)]
