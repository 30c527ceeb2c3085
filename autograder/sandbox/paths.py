"""What a run may read: the standard library and numpy, never the environment's packages.

Guarantee: the run's own filesystem (``namespaces`` level, :func:`view_plan`) and its own
directory (``landlock`` level, :func:`chroot_plan`) hold the interpreter's standard library
(without any ``site-packages``/``dist-packages``), numpy (and its bundled libraries), the
system's shared libraries they load, and the private directory through which the zygote
imports numpy; never ``nn_core``, ``autograder``, the course files, the course secret or any
other package, whether the project is installed editable, from a wheel or into the system's
site-packages.
"""
from __future__ import annotations

import glob
import os
import site
import struct
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


def chroot_plan(numpy_dirs: list[str]) -> dict:
    """What the run's own directory holds at the ``landlock`` level (``view.populate``), where
    there is no mount namespace and the view is made of files (hard links or copies), not binds.

    ``trees``: the standard library and ``numpy_dirs``, entry by entry; ``files``: the shared
    libraries that the interpreter, the standard library's extension modules and numpy load
    (:func:`shared_libraries`), and the dynamic loader's cache; ``denied``: the package
    directories (:func:`denied_paths`) left out wherever they lie beneath a tree.  Unlike
    :func:`view_plan` it does not hold the whole of ``/usr/lib`` (72,000 files and 4 GB on the
    test machine), only what something in the view can load.
    """
    trees = _stdlib_dirs() + [os.path.realpath(p) for p in numpy_dirs if os.path.exists(p)]
    trees += [os.path.abspath(p) for p in numpy_dirs if os.path.exists(p)]  # the shim's own path: links
    denied = denied_paths()
    loaded = [os.path.realpath(sys.executable)]
    for tree in trees:
        for folder, dirs, files in os.walk(tree):
            dirs[:] = [d for d in dirs if not any(_beneath(os.path.join(folder, d), x) for x in denied)]
            loaded += [os.path.join(folder, f) for f in files if ".so" in f]
    files = shared_libraries(loaded) + [p for p in ("/etc/ld.so.cache",) if os.path.exists(p)]
    return {"trees": list(dict.fromkeys(trees)), "files": files, "denied": denied}


def shared_libraries(objects: list[str]) -> list[str]:
    """The shared libraries ``objects`` (ELF files) need, directly or not, as the dynamic
    loader would find them: their ``RPATH``/``RUNPATH`` (``$ORIGIN`` expanded), then the
    directories of ``/etc/ld.so.conf`` and the system's defaults.  A name found nowhere is left
    out (the loader would not find it either)."""
    search = _library_dirs()
    found: list[str] = []
    todo, seen = list(objects), set()
    while todo:
        path = todo.pop()
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        needed, rpaths = _elf_dynamic(real)
        origin = os.path.dirname(real)
        dirs = [r.replace("$ORIGIN", origin).replace("${ORIGIN}", origin) for r in rpaths] + search
        for name in needed:
            where = name if "/" in name else next(
                (os.path.join(d, name) for d in dirs if os.path.isfile(os.path.join(d, name))), None)
            if where and os.path.isfile(where):
                found.append(where)
                todo.append(where)
    return list(dict.fromkeys(found))


def _library_dirs() -> list[str]:
    """The directories the dynamic loader searches: ``/etc/ld.so.conf`` (with its includes),
    the multiarch directories, then the defaults."""
    dirs: list[str] = []

    def read(conf: str, depth: int = 0) -> None:
        try:
            with open(conf) as handle:
                lines = handle.read().splitlines()
        except OSError:
            return
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line.startswith("include") and depth < 4:
                pattern = line.split(None, 1)[1] if " " in line else ""
                for name in sorted(glob.glob(os.path.join("/etc", pattern))):
                    read(name, depth + 1)
            elif line.startswith("/"):
                dirs.append(line)

    read("/etc/ld.so.conf")
    arch = sysconfig.get_config_var("MULTIARCH")
    if arch:
        dirs += [f"/lib/{arch}", f"/usr/lib/{arch}"]
    dirs += ["/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"]
    return [d for d in dict.fromkeys(dirs) if os.path.isdir(d)]


_DT_NEEDED, _DT_RPATH, _DT_RUNPATH = 1, 15, 29
_SHT_DYNAMIC = 6


def _elf_dynamic(path: str) -> tuple[list[str], list[str]]:
    """``DT_NEEDED`` names and ``RPATH``/``RUNPATH`` directories of a 64-bit little-endian ELF
    file (the sandbox's architectures); ``([], [])`` for anything else."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
                return [], []
            (shoff,) = struct.unpack_from("<Q", head, 0x28)
            entsize, count = struct.unpack_from("<HH", head, 0x3A)
            handle.seek(shoff)
            table = handle.read(entsize * count)
            # (type, offset, size, link) of each section header
            sections = [struct.unpack_from("<4xI16xQQI", table, i * entsize) for i in range(count)
                        if len(table) >= (i + 1) * entsize]
            needed: list[str] = []
            rpaths: list[str] = []
            for kind, offset, size, link in sections:
                if kind != _SHT_DYNAMIC or link >= len(sections):
                    continue
                handle.seek(offset)
                entries = handle.read(size)
                _, str_offset, str_size, _ = sections[link]
                handle.seek(str_offset)
                strings = handle.read(str_size)
                for i in range(0, len(entries) - 15, 16):
                    tag, value = struct.unpack_from("<qQ", entries, i)
                    if tag in (_DT_NEEDED, _DT_RPATH, _DT_RUNPATH) and value < len(strings):
                        text = strings[value:strings.find(b"\0", value)].decode(errors="replace")
                        (needed if tag == _DT_NEEDED else rpaths).extend(
                            [text] if tag == _DT_NEEDED else text.split(":"))
            return needed, rpaths
    except (OSError, struct.error):
        return [], []
