"""The run's own filesystem: nothing but what it may read.  At the ``namespaces`` level a mount
tree of read-only binds and a scratch filesystem whose size and file count the kernel caps
(:func:`build`, :func:`enter`); at the ``landlock`` level a directory of hard links or copies
that the run is ``chroot``\\ ed into, with no writable directory at all (:func:`populate`).

Guarantees (each pinned by a test named in docs/design.md, "The sandbox's guarantees"):

* **Nothing else exists for the run.**  Inside its own user and mount namespace the run
  supervisor builds a root from a small tmpfs holding read-only bind mounts of exactly the
  paths the supervisor lists (``paths.view_plan``: the standard library, numpy, the system's
  shared libraries, ``/dev/null``), with every package directory beneath them hidden under an
  empty read-only tmpfs, then ``pivot_root``\\ s into it and detaches the old root.  The
  grader's files, the course, the secret and classmates' notebooks and grades are not in the
  run's mount tree at all: no open, stat, chdir, readlink, inotify or utime can reach them.
* **Read-only means read-only**: every bind is remounted read-only, ``nosuid`` and ``nodev``
  (keeping the flags the kernel locks), and the root tmpfs is made read-only once built;
  chmod, chown, utime and truncate of anything outside the scratch directory fail (EROFS).
* **Disk and file-count caps are the kernel's**: the scratch directory is a tmpfs mounted with
  ``size=`` (``limits.scratch_mb``) and ``nr_inodes=`` (:data:`MAX_ENTRIES` plus its root), so a
  write past either cap fails with ENOSPC, however deep the tree; the whole filesystem
  disappears with the run's mount namespace.  Its pages are memory (not counted in the run's
  RLIMIT_AS): a run holds at most ``memory_mb + scratch_mb``.
* **At the ``landlock`` level, the same: nothing else exists** (:func:`populate`).  Where
  namespaces are forbidden a root grader's run supervisor still has CAP_SYS_CHROOT (Docker's
  default set keeps it), so the run's process, still root, ``chroot``\\ s into a directory that
  holds exactly the run's view (``paths.chroot_plan``), changes into it, and only then drops to
  its unprivileged uid: without CAP_SYS_CHROOT, holding no descriptor of a directory outside,
  and with chroot(2) denied by seccomp, it cannot leave.  The directory is built once per
  worker from hard links (same filesystem) or copies (otherwise), never through a link; its
  directories are root's and its files keep their owners (never the run's uid), so the run can
  write nothing there, and Landlock allows only reading beneath it.  So stat, readlink, chdir, access, inotify and utime reach nothing of the
  grader's, and there is no disk or file count to cap: no write can start.

Pure stdlib + ctypes, loaded by path by the zygote (like ``confine.py``).
"""
from __future__ import annotations

import ctypes
import errno as _errno
import os
import platform
import stat

#: files and directories a run may create in its scratch directory
MAX_ENTRIES = 10_000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MS_STRICTATIME = 1 << 24
MNT_DETACH = 2

# statvfs f_flag bits that a user namespace may not clear on a bind mount (the kernel locks them)
_LOCKED_FLAGS = ((os.ST_RDONLY, MS_RDONLY), (os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV),
                 (os.ST_NOEXEC, MS_NOEXEC), (os.ST_NOATIME, MS_NOATIME),
                 (os.ST_NODIRATIME, MS_NODIRATIME), (os.ST_RELATIME, MS_RELATIME))

_PIVOT_ROOT_NR = {"x86_64": 155, "amd64": 155, "aarch64": 41, "arm64": 41}.get(platform.machine().lower())

try:
    _libc = ctypes.CDLL(None, use_errno=True)
    _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    _libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    _libc.syscall.restype = ctypes.c_long
except (OSError, AttributeError):  # pragma: no cover - not glibc/linux
    _libc = None


def _err(what: str) -> OSError:
    e = ctypes.get_errno()
    return OSError(e, f"{what}: {os.strerror(e)}")


def _b(text):
    return None if text is None else os.fsencode(text)


def mount(source, target, fstype, flags, data=None) -> None:
    """mount(2); raises OSError naming the target."""
    if _libc is None:
        raise OSError(_errno.ENOSYS, "mount is not available")
    if _libc.mount(_b(source), _b(target), _b(fstype), flags, _b(data)) != 0:
        raise _err(f"mount({target})")


def _mountpoint(target: str, is_dir: bool) -> None:
    """Create ``target`` (a directory, or an empty file to bind a file onto) and its parents."""
    if os.path.lexists(target):
        return
    missing, parent = [], os.path.dirname(target)
    while not os.path.lexists(parent):
        missing.append(parent)
        parent = os.path.dirname(parent)
    for path in reversed(missing):  # traversable, not listable: no path but the binds' shows
        os.mkdir(path, 0o111)
    if is_dir:
        os.mkdir(target, 0o755)
    else:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644))


def bind_read_only(source: str, target: str) -> None:
    """Bind ``source`` at ``target`` read-only, nosuid, nodev; a character device
    (``/dev/null``) is bound as it is mounted (a device cannot be opened through a ``nodev``
    mount, nor for writing through a read-only one; only root may change its mode)."""
    _mountpoint(target, os.path.isdir(source))
    mount(source, target, None, MS_BIND)
    if stat.S_ISCHR(os.stat(source).st_mode):
        return
    locked = 0
    try:
        flags = os.statvfs(target).f_flag
        locked = sum(ms for st, ms in _LOCKED_FLAGS if flags & st)
    except OSError:
        pass
    mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | locked)


def _tmpfs(target: str, options: str, flags: int = MS_NOSUID | MS_NODEV) -> None:
    mount("nn-run", target, "tmpfs", flags, options)


def build(root: str, plan: dict, scratch: str, scratch_mb: float) -> None:
    """Mount the run's filesystem beneath ``root`` (an existing empty directory): a tmpfs,
    then ``plan["binds"]`` read-only at their own paths, ``plan["masks"]`` hidden under
    empty read-only tmpfs, and the scratch tmpfs at ``scratch``.  The caller is in a new
    mount namespace (whose mounts it may change) and calls :func:`enter` next."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount leaks out, nothing leaks in
    _tmpfs(root, "size=1m,nr_inodes=16384,mode=0111")
    for path, points_to in plan.get("links", ()):
        if not os.path.lexists(root + path):
            os.symlink(points_to, root + path)
    masks = []
    for kind, path in sorted(((k, p) for k in ("binds", "masks") for p in plan[k]),
                             key=lambda item: (item[1].count("/"), item[1])):
        target = root + path
        if kind == "binds":
            bind_read_only(path, target)
        else:
            _mountpoint(target, True)
            _tmpfs(target, "size=4k,nr_inodes=64,mode=0111")
            masks.append(target)
    for target in reversed(masks):  # after anything bound beneath a mask
        mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    target = root + scratch
    _mountpoint(target, True)
    size_kb = max(1, int(scratch_mb * 1024))  # never 0: size=0 would mean no limit at all
    _tmpfs(target, f"size={size_kb}k,nr_inodes={MAX_ENTRIES + 1},mode=0700",
           MS_NOSUID | MS_NODEV | MS_NOEXEC)


def enter(root: str) -> None:
    """Make ``root`` the calling process's ``/`` and detach the old root entirely; the new
    root becomes read-only."""
    if _PIVOT_ROOT_NR is None:
        raise OSError(_errno.ENOSYS, "pivot_root: unknown architecture")
    os.chdir(root)
    if _libc.syscall(ctypes.c_long(_PIVOT_ROOT_NR), b".", b".") != 0:
        raise _err("pivot_root")
    if _libc.umount2(b".", MNT_DETACH) != 0:  # the old root, stacked on the new one
        raise _err("umount2(old root)")
    os.chdir("/")
    mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


#: The run's working directory and HOME inside its own directory (``landlock`` level): empty,
#: and, like everything there, not writable by the run.
CWD = "/home/run"


def populate(root: str, plan: dict) -> None:
    """Fill ``root`` (an existing empty directory of the zygote's) with the ``landlock``
    level's view: ``plan["trees"]`` entry by entry and ``plan["files"]`` at their own real
    paths (``paths.chroot_plan``), every symbolic link met on the way recreated as it is,
    nothing beneath ``plan["denied"]``; then ``/dev/null`` and :data:`CWD`.  Regular files are
    hard links where the filesystem allows (nothing copied, nothing to remove but the link)
    and copies otherwise; set-id bits are never carried over.  Nothing is ever written through
    a link: entries are created with ``O_EXCL``/``O_NOFOLLOW`` at fully resolved paths."""
    _Populate(root).run(plan)


class _Populate:
    def __init__(self, root: str):
        self.root = root
        self.made = {"/"}  # directories already made beneath root (real paths outside)

    def run(self, plan: dict) -> None:
        for top in plan["trees"]:
            real = self.resolve(top)
            # what is denied beneath this tree (a tree may itself lie beneath a denied folder:
            # numpy in a site-packages, a virtual environment inside the project)
            denied = [d.rstrip("/") + "/" for d in plan["denied"] if d.startswith(real.rstrip("/") + "/")]
            for folder, dirs, files in os.walk(real):
                if any((folder + "/").startswith(d) for d in denied):
                    dirs[:] = []
                    continue
                self.makedirs(folder)
                for name in dirs + files:
                    self.recreate(os.path.join(folder, name))
        for path in plan["files"]:
            self.recreate(self.resolve(path))
        self.makedirs(CWD)
        try:  # a run's own /dev/null, as at the namespaces level (Landlock: for reading only)
            self.makedirs("/dev")
            os.mknod(self.root + "/dev/null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except OSError:
            pass

    def makedirs(self, folder: str) -> None:
        """Create the real directory path ``folder`` beneath the root, refusing to pass a link."""
        if folder in self.made:
            return
        self.makedirs(os.path.dirname(folder))
        here = self.root + folder
        try:
            os.mkdir(here, 0o755)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(here).st_mode):
                raise OSError(_errno.ENOTDIR, f"not a directory in the run's view: {here}") from None
        self.made.add(folder)

    def resolve(self, path: str) -> str:
        """The real path of ``path``, with each symbolic link met on the way (``/lib -> usr/lib``,
        ``libz.so.1 -> libz.so.1.2.13``) recreated beneath the root at its own place."""
        resolved, pending, hops = "/", [p for p in path.split("/") if p], 0
        while pending:
            name = pending.pop(0)
            if name == ".":
                continue
            if name == "..":
                resolved = os.path.dirname(resolved)
                continue
            here = os.path.join(resolved, name)
            if not os.path.islink(here):
                resolved = here
                continue
            hops += 1
            if hops > 40:
                raise OSError(_errno.ELOOP, f"too many links: {path}")
            target = os.readlink(here)
            self.recreate(here)
            pending = [p for p in target.split("/") if p] + pending
            if target.startswith("/"):
                resolved = "/"
        return resolved

    def recreate(self, path: str) -> None:
        """``path`` (whose parent is a real directory) beneath the root: a link as the same
        link, a regular file as a hard link or a copy; directories (made as they are walked),
        devices and sockets are left out."""
        info = os.lstat(path)
        target = self.root + path
        self.makedirs(os.path.dirname(path))
        try:
            if stat.S_ISLNK(info.st_mode):
                os.symlink(os.readlink(path), target)
            elif stat.S_ISREG(info.st_mode):
                if info.st_mode & (stat.S_ISUID | stat.S_ISGID):
                    _copy(path, target, info)
                else:
                    try:
                        os.link(path, target, follow_symlinks=False)
                    except FileExistsError:
                        raise
                    except OSError:  # another filesystem, or protected_hardlinks without CAP_FOWNER
                        _copy(path, target, info)
        except FileExistsError:
            pass


def _copy(source: str, target: str, info: os.stat_result) -> None:
    """A copy of ``source``, root's, with its permissions for reading and executing only and
    its modification time (so that the standard library's cached bytecode stays valid)."""
    mode = info.st_mode & 0o755
    src = os.open(source, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    try:
        dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
        try:
            while os.sendfile(dst, src, None, 1 << 24):
                pass
            os.fchmod(dst, mode)  # not narrowed by the umask
            os.utime(dst, ns=(info.st_atime_ns, info.st_mtime_ns))
        finally:
            os.close(dst)
    finally:
        os.close(src)
