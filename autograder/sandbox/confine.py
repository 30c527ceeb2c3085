"""Kernel confinement of one run's process: namespaces, uid, capabilities, Landlock, seccomp.

Guarantees this module enforces (each pinned by a test in ``tests/test_sandbox*.py``; the
list with the tests is in docs/design.md, "The sandbox's guarantees"):

* **Its own namespaces** (:func:`unshare_namespaces`, the ``namespaces`` level, root or not):
  a user, mount, PID and IPC namespace of its own, whose user namespace maps only the
  grader's uid (an ordinary grader) or root and the run's uid (a root grader,
  :func:`map_ids`); the mount namespace holds the run's own filesystem (``view.py``).  The
  run's process is PID 1 of its PID namespace, so it can neither see nor signal nor renice
  any process of the grader or of another student (``kill(-1, SIGKILL)`` reaches nothing),
  and when it dies the kernel kills everything left in that namespace.  Where unprivileged
  namespaces are forbidden, a root grader still makes the PID namespace alone
  (:func:`new_pid_namespace`) when it can.
* **Its own directory** at the ``landlock`` level (:func:`enter_own_directory`): a ``chroot``
  into a directory holding exactly the run's view, where namespaces are forbidden.
* **Its own unprivileged uid** when the grader runs as root (:func:`become_uid`), so that
  RLIMIT_NPROC and the kernel's permission checks apply to it, with **no capability at
  all**: never CAP_DAC_READ_SEARCH (with it a run could stat, enter and watch any folder),
  and nothing Docker's default set lacks, so ``capset`` cannot fail in a container.
* **Landlock** (:func:`landlock_ruleset`, :func:`landlock_enforce`; any ABI >= 1): at the
  ``landlock`` level (no unprivileged namespaces) read-only beneath the run's own directory
  and nothing writable anywhere; below ABI 3, where Landlock does not govern truncate(2),
  seccomp denies truncate(2) instead.  At the ``namespaces`` level it is a second wall over
  the run's own filesystem (read beneath ``/``, write beneath the scratch tmpfs).  TCP is denied
  where the ABI knows it (and socket(2) always, by seccomp).
* **seccomp** (:func:`seccomp_restrict`, x86_64 and aarch64): no new process and no new
  thread (every fork/vfork/clone/clone3 fails), no socket, no System V IPC (it would outlive
  the run and is shared by uid), no ptrace / process_vm_* / io_uring / memfd / bpf / perf /
  userfaultfd / namespaces / mounts / keyrings / exec / file handles, and
  ``prctl(PR_SET_PDEATHSIG)`` cannot be undone; no inotify/fanotify and no utime family
  (nothing to watch, no time of any file to change, at every level alike).
* **No capabilities**, ``no_new_privs`` set.

Pure stdlib + ctypes and self-contained on purpose: the sandbox's zygote (a clean
``python -I -S`` interpreter that cannot import ``autograder``) loads this file by path.
Nothing here runs student code; the run's process calls these functions on itself before the
first line of student code.
"""
from __future__ import annotations

import ctypes
import errno as _errno
import functools
import os
import platform
import struct

# --- syscall numbers --------------------------------------------------------------
_MACHINE = platform.machine().lower()
if _MACHINE in ("x86_64", "amd64"):
    ARCH = "x86_64"
elif _MACHINE in ("aarch64", "arm64"):
    ARCH = "aarch64"
else:
    ARCH = None

# landlock_create_ruleset / add_rule / restrict_self share numbers on all arches
SYS_LANDLOCK_CREATE_RULESET = 444
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446

LANDLOCK_CREATE_RULESET_VERSION = 1 << 0
LANDLOCK_RULE_PATH_BENEATH = 1

# filesystem rights (linux/landlock.h)
FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_CHAR = 1 << 6
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_MAKE_SOCK = 1 << 9
FS_MAKE_FIFO = 1 << 10
FS_MAKE_BLOCK = 1 << 11
FS_MAKE_SYM = 1 << 12
FS_REFER = 1 << 13  # ABI 2
FS_TRUNCATE = 1 << 14  # ABI 3
FS_IOCTL_DEV = 1 << 15  # ABI 5
NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1  # ABI 6

_FS_ABI1 = (1 << 13) - 1

#: The oldest Landlock ABI the ``landlock`` level accepts: ABI 1 (Linux 5.13).  ABI 2 adds
#: cross-directory renames (ABI 1 forbids them outright: a restriction, not a gap) and ABI 3
#: truncate(2), which seccomp denies below it (:func:`seccomp_restrict`).
MIN_LANDLOCK_ABI = 1
MIN_LANDLOCK_KERNEL = "5.13"
#: The first ABI that governs truncate(2) itself.
TRUNCATE_LANDLOCK_ABI = 3


def fs_rights_for_abi(abi: int) -> int:
    """All filesystem access rights the given Landlock ABI knows about."""
    rights = _FS_ABI1
    if abi >= 2:
        rights |= FS_REFER
    if abi >= 3:
        rights |= FS_TRUNCATE
    if abi >= 5:
        rights |= FS_IOCTL_DEV
    return rights


FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
READ_RIGHTS = FS_READ_FILE | FS_READ_DIR
SCRATCH_RIGHTS = (
    FS_READ_FILE | FS_READ_DIR | FS_WRITE_FILE | FS_TRUNCATE | FS_MAKE_REG | FS_MAKE_DIR
    | FS_REMOVE_FILE | FS_REMOVE_DIR | FS_MAKE_SYM
)

_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_O_PATH = getattr(os, "O_PATH", 0o10000000)

try:
    _libc = ctypes.CDLL(None, use_errno=True)
    _syscall = _libc.syscall
    _syscall.restype = ctypes.c_long
    _prctl = _libc.prctl
    _prctl.restype = ctypes.c_int
    _prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
except (OSError, AttributeError):  # pragma: no cover - not glibc/linux
    _libc = None


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is unavailable or disabled."""
    if _libc is None or ARCH is None:
        return 0
    res = _syscall(ctypes.c_long(SYS_LANDLOCK_CREATE_RULESET), None, ctypes.c_size_t(0),
                   ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return int(res) if res > 0 else 0


def _err(what: str) -> OSError:
    e = ctypes.get_errno()
    return OSError(e, f"{what}: {os.strerror(e)}")


def no_new_privs() -> None:
    if _prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _err("prctl(PR_SET_NO_NEW_PRIVS)")


def landlock_ruleset(read_paths, write_paths, abi: int | None = None) -> int:
    """A Landlock ruleset (a file descriptor) granting read-only access beneath
    ``read_paths`` (files and directory listings) and read-write access beneath
    ``write_paths``, and denying everything else on the filesystem, TCP bind/connect
    (ABI >= 4), and signals to / abstract unix sockets of processes outside (ABI >= 6).

    Built once by the zygote and enforced by each run with :func:`landlock_enforce`, so a
    run pays one system call instead of one per path.  Paths that do not exist are skipped.
    Raises OSError when Landlock is unavailable or a step fails.
    """
    if abi is None:
        abi = landlock_abi()
    if abi < 1:
        raise OSError(_errno.ENOSYS, "Landlock is not available")
    handled_fs = fs_rights_for_abi(abi)
    attr = _RulesetAttr(handled_fs, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
        size = 24
    rfd = _syscall(ctypes.c_long(SYS_LANDLOCK_CREATE_RULESET), ctypes.byref(attr),
                   ctypes.c_size_t(size), ctypes.c_uint32(0))
    if rfd < 0:
        raise _err("landlock_create_ruleset")
    rfd = int(rfd)
    try:
        for paths, rights in ((read_paths, READ_RIGHTS), (write_paths, SCRATCH_RIGHTS)):
            for path in paths:
                try:
                    pfd = os.open(path, _O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    allowed = rights & handled_fs
                    if not os.path.isdir(path):
                        allowed &= FILE_RIGHTS
                    rule = _PathBeneathAttr(allowed, pfd)
                    if _syscall(ctypes.c_long(SYS_LANDLOCK_ADD_RULE), ctypes.c_int(rfd),
                                ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH), ctypes.byref(rule),
                                ctypes.c_uint32(0)) != 0:
                        raise _err(f"landlock_add_rule({path})")
                finally:
                    os.close(pfd)
    except BaseException:
        os.close(rfd)
        raise
    return rfd


def landlock_enforce(ruleset_fd: int) -> None:
    """Confine the calling process (and any child it could make) with a ruleset."""
    no_new_privs()
    if _syscall(ctypes.c_long(SYS_LANDLOCK_RESTRICT_SELF), ctypes.c_int(ruleset_fd),
                ctypes.c_uint32(0)) != 0:
        raise _err("landlock_restrict_self")


# --- capabilities -------------------------------------------------------------------
class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


CAP_DAC_READ_SEARCH = 2


def _drop_bounding_set(keep: tuple) -> None:
    """Remove every capability but ``keep`` from the bounding set (needs CAP_SETPCAP; a
    no-op once it is gone)."""
    for cap in range(64):
        if cap in keep:
            continue
        if _prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == _errno.EINVAL:
            break


def drop_capabilities(keep: tuple = ()) -> bool:
    """Empty the bounding, ambient and inheritable sets; keep only ``keep`` (capability
    numbers, each < 32) in the effective and permitted sets."""
    if _libc is None:
        return False
    _drop_bounding_set(keep)
    _prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    mask = 0
    for cap in keep:
        mask |= 1 << cap
    data[0].effective = data[0].permitted = mask
    try:
        return _libc.capset(ctypes.byref(header), ctypes.byref(data)) == 0
    except AttributeError:  # pragma: no cover
        return False


# --- namespaces, uid, parent-death signal ------------------------------------------------
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
_PR_SET_PDEATHSIG = 1
_PR_SET_KEEPCAPS = 8


def set_parent_death_signal(sig: int) -> None:
    """Ask the kernel to send ``sig`` to the caller when its parent dies."""
    if _libc is None or _prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
        raise _err("prctl(PR_SET_PDEATHSIG)")


def new_pid_namespace(user_namespace: bool) -> None:
    """The caller's next child becomes PID 1 of a new PID namespace (with an IPC namespace of
    its own, so no System V object it could make outlives it).

    ``user_namespace`` (needed without root) also gives the caller a new user namespace in
    which its own uid and gid map to themselves.
    """
    if _libc is None:
        raise OSError(_errno.ENOSYS, "unshare is not available")
    uid, gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWPID | CLONE_NEWIPC | (CLONE_NEWUSER if user_namespace else 0)
    if _libc.unshare(ctypes.c_int(flags)) != 0:
        raise _err("unshare(CLONE_NEWPID)")
    if user_namespace:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(text)


def unshare_namespaces() -> None:
    """Move the caller into a new user, mount and IPC namespace; its next child becomes PID 1
    of a new PID namespace.  The user namespace has no ids mapped until :func:`map_ids` is
    called from outside (by the zygote) with this process's pid."""
    if _libc is None:
        raise OSError(_errno.ENOSYS, "unshare is not available")
    if _libc.unshare(ctypes.c_int(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC)) != 0:
        raise _err("unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID)")


def map_ids(pid: int, run_uid: int | None) -> None:
    """Write the id maps of the user namespace ``pid`` has just made (:func:`unshare_namespaces`).

    An ordinary grader maps its own uid and gid only (so the namespace holds nothing the
    grader could not do itself).  A root grader maps root, so that the run supervisor can
    bind what it reads wherever it lives, and ``run_uid``, which the run drops to before any
    student code; no other id exists inside."""
    uid, gid = os.geteuid(), os.getegid()
    if uid == 0 and run_uid is not None:
        uids = gids = f"0 0 1\n{run_uid} {run_uid} 1\n"
        steps = (("uid_map", uids), ("gid_map", gids))
    else:
        steps = (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1"))
    for name, text in steps:
        with open(f"/proc/{pid}/{name}", "w") as handle:
            handle.write(text)


def unprivileged_uid() -> int:
    """A uid for a root grader's students: near the top of the uids this user namespace maps,
    below the overflow ids, and derived from the calling zygote's pid, so that two zygotes
    alive at once never share one (where fewer uids are mapped than pids exist, as in a
    small container, it falls back to the pid modulo what is mapped)."""
    top = 65535
    try:
        with open("/proc/self/uid_map") as handle:
            for line in handle:
                inside, _outside, count = (int(n) for n in line.split())
                top = max(top, inside + count - 1)
    except (OSError, ValueError):
        pass
    top = min(top, 4294967293)
    try:
        with open("/proc/sys/kernel/pid_max") as handle:
            pid_max = int(handle.read())
    except (OSError, ValueError):
        pid_max = 1 << 22
    span = top - 2 - 65536  # never one of the system's own low uids
    return top - 2 - (os.getpid() if span > pid_max else os.getpid() % span)


def enter_own_directory(root: str, cwd: str) -> None:
    """Make ``root`` the calling process's ``/`` and ``cwd`` (a path inside it) its working
    directory: the ``landlock`` level's own directory (``view.populate``), entered while the
    process is still root (chroot(2) needs CAP_SYS_CHROOT) and before :func:`become_uid`.
    Once the process has no CAP_SYS_CHROOT (and seccomp denies chroot(2)), holds no
    descriptor of a directory outside, and works inside, it has no way out."""
    os.chroot(root)
    os.chdir(cwd)


def become_uid(uid: int, gid: int, keep: tuple = ()) -> None:
    """Drop from root to ``uid``/``gid`` (no supplementary groups), keeping only ``keep``
    (the sandbox keeps nothing: what a run reads must be readable by its uid, which the
    zygote checks before the first run)."""
    _drop_bounding_set(keep)  # while root may still do it
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    if _prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0:
        raise _err("prctl(PR_SET_KEEPCAPS)")
    os.setresuid(uid, uid, uid)
    _prctl(_PR_SET_KEEPCAPS, 0, 0, 0, 0)
    if not drop_capabilities(keep=keep):
        raise _err("capset")


# --- seccomp --------------------------------------------------------------------------
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_RET_ALLOW = 0x7FFF0000


def _ret_errno(e: int) -> int:
    return 0x00050000 | (e & 0xFFFF)


# (syscall, errno) denied for the child: no process and no thread can be created
_DENY = {
    "x86_64": {
        "fork": (57, _errno.EAGAIN), "vfork": (58, _errno.EAGAIN), "clone3": (435, _errno.ENOSYS),
        "socket": (41, _errno.EACCES), "ptrace": (101, _errno.EPERM),
        "process_vm_readv": (310, _errno.EPERM), "process_vm_writev": (311, _errno.EPERM),
        "io_uring_setup": (425, _errno.EPERM), "memfd_create": (319, _errno.EPERM),
        "bpf": (321, _errno.EPERM), "perf_event_open": (298, _errno.EPERM),
        "userfaultfd": (323, _errno.EPERM), "unshare": (272, _errno.EPERM),
        "setns": (308, _errno.EPERM), "mount": (165, _errno.EPERM),
        "keyctl": (250, _errno.EPERM), "add_key": (248, _errno.EPERM),
        "request_key": (249, _errno.EPERM), "execve": (59, _errno.EACCES),
        "execveat": (322, _errno.EACCES), "clone": (56, _errno.EAGAIN),
        "name_to_handle_at": (303, _errno.EPERM), "open_by_handle_at": (304, _errno.EPERM),
        # System V IPC outlives the process and is shared by uid: nothing a run may leave behind
        "shmget": (29, _errno.EPERM), "shmat": (30, _errno.EPERM), "shmctl": (31, _errno.EPERM),
        "shmdt": (67, _errno.EPERM), "semget": (64, _errno.EPERM), "semop": (65, _errno.EPERM),
        "semctl": (66, _errno.EPERM), "semtimedop": (220, _errno.EPERM), "msgget": (68, _errno.EPERM),
        "msgsnd": (69, _errno.EPERM), "msgrcv": (70, _errno.EPERM), "msgctl": (71, _errno.EPERM),
        "mount_setattr": (442, _errno.EPERM), "open_tree": (428, _errno.EPERM),
        "move_mount": (429, _errno.EPERM), "fsopen": (430, _errno.EPERM), "umount2": (166, _errno.EPERM),
        "pivot_root": (155, _errno.EPERM), "chroot": (161, _errno.EPERM),
        # nothing to watch, no time to change (Landlock governs neither)
        "inotify_init": (253, _errno.EPERM), "inotify_init1": (294, _errno.EPERM),
        "fanotify_init": (300, _errno.EPERM), "utime": (132, _errno.EPERM),
        "utimes": (235, _errno.EPERM), "futimesat": (261, _errno.EPERM), "utimensat": (280, _errno.EPERM),
    },
    "aarch64": {
        "clone3": (435, _errno.ENOSYS), "socket": (198, _errno.EACCES),
        "ptrace": (117, _errno.EPERM), "process_vm_readv": (270, _errno.EPERM),
        "process_vm_writev": (271, _errno.EPERM), "io_uring_setup": (425, _errno.EPERM),
        "memfd_create": (279, _errno.EPERM), "bpf": (280, _errno.EPERM),
        "perf_event_open": (241, _errno.EPERM), "userfaultfd": (282, _errno.EPERM),
        "unshare": (97, _errno.EPERM), "setns": (268, _errno.EPERM),
        "mount": (40, _errno.EPERM), "keyctl": (219, _errno.EPERM),
        "add_key": (217, _errno.EPERM), "request_key": (218, _errno.EPERM),
        "execve": (221, _errno.EACCES), "execveat": (281, _errno.EACCES),
        "clone": (220, _errno.EAGAIN), "name_to_handle_at": (264, _errno.EPERM),
        "open_by_handle_at": (265, _errno.EPERM),
        "msgget": (186, _errno.EPERM), "msgctl": (187, _errno.EPERM), "msgrcv": (188, _errno.EPERM),
        "msgsnd": (189, _errno.EPERM), "semget": (190, _errno.EPERM), "semctl": (191, _errno.EPERM),
        "semtimedop": (192, _errno.EPERM), "semop": (193, _errno.EPERM), "shmget": (194, _errno.EPERM),
        "shmctl": (195, _errno.EPERM), "shmat": (196, _errno.EPERM), "shmdt": (197, _errno.EPERM),
        "mount_setattr": (442, _errno.EPERM), "open_tree": (428, _errno.EPERM),
        "move_mount": (429, _errno.EPERM), "fsopen": (430, _errno.EPERM), "umount2": (39, _errno.EPERM),
        "pivot_root": (41, _errno.EPERM), "chroot": (51, _errno.EPERM),
        "inotify_init1": (26, _errno.EPERM), "fanotify_init": (262, _errno.EPERM),
        "utimensat": (88, _errno.EPERM),
    },
}
_PRCTL_NR = {"x86_64": 157, "aarch64": 167}
#: truncate(2) by path: denied where Landlock (ABI < 3) does not govern it; ftruncate needs
#: a file opened for writing, which Landlock does govern
_TRUNCATE_NR = {"x86_64": 76, "aarch64": 45}
#: mkdir(2) and mkdirat(2): denied at the fallback levels, whose scratch directory is not a
#: filesystem of its own, so that it stays flat and the zygote's count of it is complete
_MKDIR_NRS = {"x86_64": (83, 258), "aarch64": (34,)}


def _bpf(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k & 0xFFFFFFFF)


@functools.lru_cache(maxsize=None)
def _seccomp_program(arch: str, deny_truncate: bool = False, deny_mkdir: bool = False) -> bytes:
    """The filter's BPF code (built once per process: the zygote builds it before forking)."""
    LD = 0x20  # BPF_LD | BPF_W | BPF_ABS
    JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
    JGE = 0x35
    RET = 0x06
    prog = [
        _bpf(LD, 0, 0, 4),  # arch
        _bpf(JEQ, 1, 0, _AUDIT_ARCH[arch]),
        _bpf(RET, 0, 0, _ret_errno(_errno.ENOSYS)),  # foreign syscall ABI (e.g. int 0x80)
        _bpf(LD, 0, 0, 0),  # nr
    ]
    if arch == "x86_64":
        prog += [_bpf(JGE, 0, 1, 0x40000000), _bpf(RET, 0, 0, _ret_errno(_errno.ENOSYS))]  # x32
    denied = list(_DENY[arch].values()) + ([(_TRUNCATE_NR[arch], _errno.EPERM)] if deny_truncate else [])
    denied += [(nr, _errno.EPERM) for nr in _MKDIR_NRS[arch]] if deny_mkdir else []
    for nr, err in denied:
        prog += [_bpf(JEQ, 0, 1, nr), _bpf(RET, 0, 0, _ret_errno(err))]
    prog += [
        _bpf(JEQ, 1, 0, _PRCTL_NR[arch]),
        _bpf(RET, 0, 0, _RET_ALLOW),
        _bpf(LD, 0, 0, 16),  # args[0] (low 32 bits on little endian) = prctl option
        _bpf(JEQ, 0, 1, _PR_SET_PDEATHSIG),
        _bpf(RET, 0, 0, _ret_errno(_errno.EPERM)),
        _bpf(RET, 0, 0, _RET_ALLOW),
    ]
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def seccomp_restrict(deny_truncate: bool = False, deny_mkdir: bool = False) -> bool:
    """Install the child's seccomp filter; False if unsupported here.  ``deny_truncate``
    where Landlock is the wall and its ABI (< 3) does not govern truncate(2); ``deny_mkdir``
    where the scratch directory is not a filesystem of its own (the fallback levels)."""
    if _libc is None or ARCH not in _AUDIT_ARCH:
        return False
    code = _seccomp_program(ARCH, deny_truncate, deny_mkdir)
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    no_new_privs()
    _prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    try:
        ok = _prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) == 0
    finally:
        _prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return ok


def confine(*, ruleset_fd: int | None, seccomp: bool = True, abi: int = 0,
            keep_caps: tuple = (), deny_truncate: bool = False, deny_mkdir: bool = False) -> dict:
    """Apply every layer to the calling process: capabilities (all but ``keep_caps``),
    ``no_new_privs``, the Landlock ruleset the zygote built (``None``: no Landlock), seccomp.

    Returns ``{"level": "landlock"|"rlimits-only", "landlock_abi": int, "seccomp": bool,
    "caps_dropped": bool, "error": str|None}``.  Never raises.
    """
    report = {"level": "rlimits-only", "landlock_abi": 0, "seccomp": False,
              "caps_dropped": False, "error": None}
    try:
        report["caps_dropped"] = drop_capabilities(keep_caps)
    except Exception as exc:  # pragma: no cover
        report["error"] = f"capabilities: {exc}"
    try:
        no_new_privs()
    except Exception as exc:  # pragma: no cover
        report["error"] = f"no_new_privs: {exc}"
    if ruleset_fd is not None:
        try:
            landlock_enforce(ruleset_fd)
            report["landlock_abi"], report["level"] = abi, "landlock"
        except Exception as exc:
            report["error"] = f"landlock: {exc}"
    if seccomp:
        try:
            report["seccomp"] = seccomp_restrict(deny_truncate, deny_mkdir)
        except Exception as exc:  # pragma: no cover
            report["error"] = f"seccomp: {exc}"
    return report
