"""The supervisor: the grader's side of the sandbox.

Usage::

    with Sandbox(Limits.from_mapping(course["limits"])) as sandbox:
        result = sandbox.run(sources, [Call("sigmoid", (z,)), Call("relu", (z,))])
        result.calls[0].status, result.calls[0].value

:class:`Sandbox` owns a warm zygote (``zygote.py``, a ``python -I -S`` interpreter with a
scrubbed environment that can import numpy and nothing of ours) and runs one submission at
a time through it.  For each run it creates a scratch directory and two new pipes, passes
their far ends to the zygote over its control socket, writes the request (the cells first;
the calls only once the last cell has reported) and parses the results (``wire.py``).

Guarantees enforced here (the others are in ``zygote.py``, ``child.py``, ``confine.py``,
``paths.py``, ``wire.py``, ``messages.py``; docs/design.md lists them all with their tests):

* **One design, root or not; it refuses rather than grade weaker by accident.**  The
  zygote tries the levels in order and reports the first that holds, after a dry run of a
  whole confinement (``zygote._probe_view``, ``zygote._dry_run``):

  ``namespaces`` (any uid, wherever unprivileged user namespaces are allowed)
      the run has its own user, mount, PID and IPC namespaces and a filesystem of its own:
      read-only binds of the standard library, numpy and the system libraries, and a
      scratch tmpfs the kernel caps (``view.py``); Landlock (any ABI) and seccomp on top.
  ``landlock`` (a root grader where namespaces are forbidden, e.g. Docker's default seccomp
      profile; Landlock ABI >= 1; CAP_SYS_CHROOT)
      a directory of its own holding exactly the run's view, entered with chroot (``view.populate``,
      built once per worker in :meth:`Sandbox._new_view`'s directory and removed by ``close``),
      with nothing writable; an unprivileged uid without any capability, Landlock (reading
      beneath that directory only), seccomp (denying truncate(2) below ABI 3).
  ``uid`` (only with ``require_landlock=False``: a container without Landlock, e.g.
      Gradescope's on an old kernel)
      an unprivileged uid without any capability: what it may read is what file
      permissions grant "others" (the bundle makes the course files root-only).

  Anything else raises :class:`SandboxError` naming what is missing and what to do; so does
  a dry run that fails (a run that cannot drop its capabilities or read the interpreter):
  a host that cannot confine is refused before the first submission, never graded zero.
  Every result says which level was in force (``RunResult.confinement``; ``rlimits-only``
  only with Landlock switched off for diagnosis).  Where a container forbids PID namespaces,
  a root grader still runs at the fallback levels (``info["pid_namespace"]`` is then False):
  each run has a uid of its own and seccomp lets it create no process or thread.
* **A run never raises and never outlives ``run``**: whatever the submission sends, the
  result is a :class:`RunResult`; a malformed frame of any kind is a ``protocol`` outcome
  of that run; ``run`` returns only after the zygote has reported every process of the run
  dead, or after the zygote itself was killed (its runs die with it).  The wall clock of a
  whole run is bounded by ``submission_timeout_s`` (or the ``wall_s`` left of the
  submission's budget) here and again in the zygote.
* **Time is measured here, not in the run** (:class:`_CallClock`): the calls are sent one
  at a time (or one group at a time, ``run(groups=)``), each timed from the first byte of its
  group written to its answer parsed; the run is killed when a lone call overruns
  ``call_timeout_s`` by :data:`CALL_GRACE_S` (a group of several: at ``call_timeout_s``, its
  unanswered calls "not run"), and an answer that comes after ``call_timeout_s`` is a
  time-out whatever it says.  The run's own SIGALRM only spares
  an honest endless loop the kill.  Nothing else the run says about itself (``mutated``,
  ``warnings``) is more than advice: see docs/design.md, "What a run says about itself".
* **Nothing of one run reaches the next**: its pipes are closed, its scratch directory is
  removed without following symbolic links, and no byte of it passed through the zygote.
* Expected values never leave this process; only call arguments are sent.
"""
from __future__ import annotations

import collections
import fcntl
import itertools
import json
import os
import secrets
import select
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from typing import Sequence

import numpy as np

from autograder.sandbox import confine, paths, wire
from autograder.sandbox.messages import clean, signal_text
from autograder.sandbox.records import Call, CallOutcome, CellOutcome, Limits, RunResult, SandboxError

_HERE = os.path.dirname(os.path.abspath(__file__))
_ZYGOTE = os.path.join(_HERE, "zygote.py")
_KILL_GRACE_S = 5.0
_START_TIMEOUT_S = 60.0
_MAX_MESSAGE = 1 << 16

#: Directories anyone may write to: swept after every run at the ``uid`` level.
SHARED_TEMPORARIES = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")

# Modules a notebook imports for what is not graded (plots, the visible checks, display):
# inside the sandbox they import as inert stand-ins whose every call does nothing.
INERT_MODULES = ("matplotlib", "matplotlib.pyplot", "checks", "IPython", "IPython.display", "tqdm", "tqdm.auto")


#: glibc's allocator settings for the zygote, read once when it starts and inherited by every run
#: it forks (the runs' own environment does not carry them): arrays up to 32 MB come from the
#: heap, which keeps what is freed, so the megabytes of a case with many parameters reuse pages
#: the run has already touched instead of faulting in fresh ones for every array (glibc's default
#: maps and unmaps each array of 128 KB or more anew, a page fault per 4 KB each time).
ZYGOTE_MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(128 << 20)}


class _ZygoteDied(Exception):
    pass


#: The capacity asked for a run's two pipes (Linux's default is 64 KiB; an unprivileged process
#: may ask up to /proc/sys/fs/pipe-max-size, 1 MiB by default): a case with many parameters
#: sends and returns megabytes, and each pipe-full is a hand-over between the two processes,
#: which on a loaded machine waits for the scheduler.
PIPE_BYTES = 1 << 20


def _widen_pipe(fd: int) -> None:
    """Ask for a pipe of :data:`PIPE_BYTES` (kept at the default when the system refuses)."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (OSError, AttributeError):
        pass


class _NotStarted(Exception):
    """The sandbox failed before the student's first line (no ``hello``): its fault, not the
    submission's, so never a result (``run`` retries once, then raises SandboxError)."""


def remove_tree(path: str) -> None:
    """Remove a directory tree a run wrote, never following a symbolic link, at any depth.

    Called only once every process of the run is dead, so nothing can swap a directory for
    a link behind our back.  Works on directory file descriptors opened with ``O_NOFOLLOW``:
    each subdirectory found one level down is first moved up beside the others, under a fresh
    random name that is checked to be free, so the tree is flattened as it is removed and
    neither the path length, Python's recursion limit nor a name the run chose can stop the
    cleanup (a student may nest directories thousands deep).  Directories the run made
    unreadable are opened up through their own descriptor (``fchmod``).
    """
    try:
        top_stat = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(top_stat.st_mode):
        os.unlink(path)
        return
    top = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        os.fchmod(top, 0o700)
        while True:
            names = os.listdir(top)
            if not names:
                break
            for name in names:
                if not stat.S_ISDIR(os.lstat(name, dir_fd=top).st_mode):
                    os.unlink(name, dir_fd=top)
                    continue
                sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
                try:
                    os.fchmod(sub, 0o700)
                    for inner in os.listdir(sub):
                        if stat.S_ISDIR(os.lstat(inner, dir_fd=sub).st_mode):
                            os.rename(inner, _free_name(top), src_dir_fd=sub, dst_dir_fd=top)
                        else:
                            os.unlink(inner, dir_fd=sub)
                finally:
                    os.close(sub)
                os.rmdir(name, dir_fd=top)
    finally:
        os.close(top)
    os.rmdir(path)


def _free_name(dir_fd: int) -> str:
    """A random name that nothing in the directory has."""
    while True:
        name = f".flat-{secrets.token_hex(8)}"
        try:
            os.lstat(name, dir_fd=dir_fd)
        except FileNotFoundError:
            return name


#: How long past ``call_timeout_s`` a call may take before the run is killed: time for the
#: run's own timer (a convenience) to report an honest endless loop without a killed run.
CALL_GRACE_S = 1.0


class _CallClock:
    """Sends a run's calls, one group at a time, and times each from outside the run.

    A group is one call, or (``Sandbox.run(groups=)``) consecutive calls written together
    (the grader groups a question's small cases: ``grading.pipeline.call_groups``).  Every call's clock starts when the first byte of its group is queued
    for the run and stops when its answer has been parsed: the run cannot see a call before
    its clock starts, and the next group is written only once the run has answered every
    call of this one.  An answer may come at most ``call_timeout_s`` after its group was
    written, so every accepted value was computed within the limit of one call, whatever
    the run did with the time (e.g. work on the group's later calls).

    A group of one call is timed as the call always was: an answer after ``call_timeout_s``
    is a time-out whatever the run said, the run is killed when the call overruns by
    :data:`CALL_GRACE_S`, and the later calls of a function that timed out are not sent.
    A group of several calls that overruns says nothing about which call was slow: the run
    is killed at once and the calls not answered in time are "not run" (``cut``), to be run
    again, one at a time, in a fresh run (``grading.pipeline.run_calls``); so grouping
    changes how fast a submission is graded, never its outcomes."""

    def __init__(self, calls: Sequence[Call], messages: Sequence[list], limits: Limits,
                 stream: wire.ResultStream, groups: Sequence[int] | None = None):
        self.calls, self.messages, self.limits, self.stream = list(calls), list(messages), limits, stream
        self.ends = _group_ends(len(self.calls), groups)
        self.next = 0
        self.outstanding: int | None = None  # the first call of the group in flight
        self.end = 0  # one past its last call
        self.started = 0.0
        self.done = False
        self.hung: set[str] = set()
        self.settled = 0  # the calls before this one are settled
        self.cut: int | None = None  # a group overran: the first call whose answer is not accepted

    def next_message(self, now: float) -> list:
        """The buffers to send next, if the run may have them now (else none)."""
        if self.done or self.outstanding is not None or self.cut is not None:
            return []
        while self.next < len(self.calls) and self.calls[self.next].function in self.hung:
            self.stream.record(wire.timed_out(self.calls[self.next].function, self.limits, skipped=True))
            self.next += 1
        if self.next == len(self.calls):
            self.done = True
            return [wire.CALLS_DONE]
        self.outstanding, self.end, self.started = self.next, max(self.ends[self.next], self.next + 1), now
        self.stream.expect(self.next, self.end)
        self.settled, self.next = self.next, self.end
        return [part for message in self.messages[self.outstanding:self.end] for part in message]

    @property
    def grouped(self) -> bool:
        """Whether the group in flight has more than one call."""
        return self.outstanding is not None and self.end - self.outstanding > 1

    def answered(self, now: float) -> None:
        """Settle the calls of the group in flight whose answers have been parsed."""
        first = self.outstanding
        if first is None:
            return
        answered = min(len(self.stream.calls), self.end)
        late = now - self.started > self.limits.call_timeout_s
        if self.grouped:
            if late and answered > self.settled:
                self.cut = self.settled  # answers after the group's limit: not accepted
                return
            for index in range(self.settled, answered):
                fname = self.calls[index].function
                if fname in self.hung:  # the run said a call timed out: its later calls count as not sent
                    self.stream.calls[index] = wire.timed_out(fname, self.limits, skipped=True)
                elif self.stream.calls[index].status == "timeout":
                    self.hung.add(fname)
        elif answered > first:
            fname = self.calls[first].function
            if late:
                self.stream.calls[first] = wire.timed_out(fname, self.limits)
            if self.stream.calls[first].status == "timeout":
                self.hung.add(fname)
        self.settled = answered
        if answered == self.end:
            self.outstanding = None

    def deadline(self) -> float:
        """When the group in flight is over its time (infinity: none in flight): a group of
        one call gets :data:`CALL_GRACE_S` more, for the run's own timer to report it."""
        if self.outstanding is None:
            return float("inf")
        return self.started + self.limits.call_timeout_s + (0.0 if self.grouped else CALL_GRACE_S)

    def overrun(self, now: float) -> bool:
        if now < self.deadline():
            return False
        if self.grouped:
            self.cut = min(len(self.stream.calls), self.end)
        return True


class _Outbox:
    """What is still to be written to the run, as the buffers it is in (the arguments' arrays
    are written from views of them, never first copied into one buffer)."""

    #: at most this many buffers per ``writev`` (Linux's IOV_MAX is 1024)
    MAX_PARTS = 256

    def __init__(self) -> None:
        self.parts: collections.deque[memoryview] = collections.deque()

    def add(self, buffers: Sequence) -> None:
        for buffer in buffers:
            view = memoryview(buffer).cast("B")
            if view.nbytes:
                self.parts.append(view)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def write(self, fd: int) -> None:
        """Write what the pipe takes now (``fd`` is non-blocking); raises as ``os.writev`` does."""
        n = os.writev(fd, list(itertools.islice(self.parts, self.MAX_PARTS)))
        while n:
            first = self.parts[0]
            if first.nbytes > n:
                self.parts[0] = first[n:]
                return
            n -= first.nbytes
            self.parts.popleft()


def _group_ends(n: int, groups: Sequence[int] | None) -> list[int]:
    """For each of ``n`` calls, one past the last call of its group (``groups``: the sizes of
    consecutive groups, summing to ``n``; None: every call alone)."""
    if groups is None:
        return [i + 1 for i in range(n)]
    sizes = [int(g) for g in groups]
    if any(g < 1 for g in sizes) or sum(sizes) != n:
        raise ValueError(f"groups must be positive sizes summing to the {n} calls, got {sizes}")
    ends, start = [], 0
    for size in sizes:
        ends += [start + size] * size
        start += size
    return ends


class Sandbox:
    """Owns a warm zygote; ``run`` executes one submission in fresh confined processes.

    ``inert_modules`` import as do-nothing stand-ins (see :data:`INERT_MODULES`).

    ``landlock``/``seccomp`` can be switched off (for tests and diagnosis only).
    ``exception_text=False`` keeps the messages of cells' exceptions out of feedback too.
    The messages of exceptions raised inside calls (which see the hidden inputs) are
    dropped unless ``call_exception_text=True`` (for runs on public cases only).
    """

    def __init__(self, limits: Limits | None = None, *, landlock: bool = True,
                 seccomp: bool = True, exception_text: bool = True, call_exception_text: bool = False,
                 inert_modules: Sequence[str] = INERT_MODULES,
                 require_landlock: bool = True, assume_landlock_abi: int | None = None,
                 assume_no_pid_namespace: bool = False, assume_no_namespaces: bool = False):
        self.limits = limits or Limits()
        self.inert_modules = tuple(inert_modules)
        self.landlock = landlock
        self.seccomp = seccomp
        self.exception_text = exception_text
        self.call_exception_text = call_exception_text
        self.require_landlock = require_landlock
        self._assume_abi = assume_landlock_abi  # tests: pretend the kernel has this ABI
        self._assume_no_pid_namespace = assume_no_pid_namespace  # tests: pretend namespaces are forbidden
        self._assume_no_namespaces = assume_no_namespaces  # tests: pretend unprivileged namespaces are
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._sock: socket.socket | None = None
        self._info: dict = {}
        self._base: str | None = None
        self._view: str | None = None  # the landlock level's own directory for the runs
        self.restarts = -1  # number of zygote (re)starts beyond the first
        self._closed = False

    # lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> "Sandbox":
        with self._lock:
            self._ensure_zygote()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):  # pragma: no cover - best effort
        try:
            self.close()
        except Exception:
            pass

    def close(self) -> None:
        with self._lock:
            self._stop_zygote()
            self._remove_view()
            if self._base:
                remove_tree(self._base)
                self._base = None
            self._closed = True

    @property
    def zygote_pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    @property
    def confinement(self) -> str:
        """The level runs get: "namespaces", "landlock", "uid" or "rlimits-only"."""
        with self._lock:
            self._ensure_zygote()
            return self._level()

    @property
    def info(self) -> dict:
        """What the zygote reported at start: python, numpy, landlock_abi, seccomp, run_uid."""
        with self._lock:
            self._ensure_zygote()
            return dict(self._info)

    def _empty_runs_directory(self) -> None:
        """Remove the run's scratch directory and anything else it left where it could
        write (the runs directory, and at the ``uid`` level the machine's shared temporary
        directories), so the next run starts from nothing of it.

        Never raises: if a tree cannot be removed, the whole base directory is abandoned
        (the zygote is stopped and a new base made for the next run), so one submission's
        leftovers can neither reach nor stop the next."""
        try:
            runs = os.path.join(self._base, "runs")
            for name in os.listdir(runs):
                remove_tree(os.path.join(runs, name))
            if self._level() == "uid":
                self._sweep_shared_temporaries()
        except Exception:
            self._abandon_base()

    def _sweep_shared_temporaries(self) -> None:
        """At the ``uid`` level nothing stops a run writing where anyone may (/tmp, /dev/shm):
        remove everything there that belongs to the runs' uid."""
        uid = self._info.get("run_uid")
        for shared in SHARED_TEMPORARIES:
            try:
                names = os.listdir(shared)
            except OSError:
                continue
            for name in names:
                path = os.path.join(shared, name)
                try:
                    if os.lstat(path).st_uid == uid:
                        remove_tree(path)
                except OSError:
                    pass

    def _abandon_base(self) -> None:
        self._kill_zygote()
        base, self._base = self._base, None
        try:
            self._remove_view()
            remove_tree(base)
        except Exception:
            pass  # left for the system's temporary-file cleaner; nothing of it is reused

    def _level(self) -> str:
        return self._info.get("level", "rlimits-only")

    def _new_view(self, plan: dict) -> str:
        """An empty directory for the ``landlock`` level's view of this worker (the zygote
        fills it only at that level, ``view.populate``), replacing a previous worker's.  It is
        made on the filesystem that holds most of what the view links to, so that hard links,
        not copies, make it: in the sandbox's base directory when that filesystem is the
        temporary directory's, else in ``/var/tmp``.  Removed by :meth:`close`."""
        self._remove_view()
        devices = []
        for tree in plan["trees"]:
            try:
                devices.append(os.stat(tree).st_dev)
            except OSError:
                pass
        parents = [self._base] + [p for p in ("/var/tmp",) if os.path.isdir(p)]
        parent = max(parents, key=lambda p: sum(d == os.stat(p).st_dev for d in devices))  # first of the best
        self._view = tempfile.mkdtemp(prefix="nn-view-", dir=parent)  # 0700: no other user of the host looks in
        root = os.path.join(self._view, "root")
        os.mkdir(root)
        os.chmod(root, 0o755)  # the run's "/", which its uid must be able to enter
        return root

    def _remove_view(self) -> None:
        view, self._view = getattr(self, "_view", None), None
        if view:
            remove_tree(view)

    def _make_base(self) -> str:
        base = tempfile.mkdtemp(prefix="nn-sandbox-")
        shim = os.path.join(base, "pylib")
        os.mkdir(shim)
        np_dir = os.path.realpath(os.path.dirname(np.__file__))
        os.symlink(np_dir, os.path.join(shim, "numpy"))
        libs = os.path.join(os.path.dirname(np_dir), "numpy.libs")
        if os.path.isdir(libs):
            os.symlink(os.path.realpath(libs), os.path.join(shim, "numpy.libs"))
        os.mkdir(os.path.join(base, "runs"))
        return base

    def _ensure_zygote(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._stop_zygote()
        if self._base is None:
            self._base = self._make_base()
        base = self._base
        shim = os.path.join(base, "pylib")
        np_dir = os.path.realpath(os.path.dirname(np.__file__))
        numpy_dirs = [np_dir, shim]
        if os.path.exists(os.path.join(shim, "numpy.libs")):
            numpy_dirs.append(os.path.realpath(os.path.join(shim, "numpy.libs")))
        child_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        # the fallback levels: a run without capabilities reaches its scratch and numpy by permissions
        for path, mode in ((base, 0o711), (shim, 0o755), (os.path.join(base, "runs"), 0o711)):
            os.chmod(path, mode)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        chroot_plan = paths.chroot_plan(numpy_dirs)
        config = {
            "numpy_path": shim, "chroot_plan": chroot_plan, "chroot_dir": self._new_view(chroot_plan),
            "view": paths.view_plan(numpy_dirs), "needed_paths": paths.needed_paths(numpy_dirs),
            "env": child_env, "landlock": bool(self.landlock), "seccomp": bool(self.seccomp),
            "landlock_abi_cap": self._assume_abi,
            "inert_modules": list(self.inert_modules), "control_fd": theirs.fileno(),
            "runs_dir": os.path.join(base, "runs"), "assume_no_pid_namespace": self._assume_no_pid_namespace,
            "assume_no_namespaces": self._assume_no_namespaces,
        }
        log = open(os.path.join(base, "zygote.log"), "ab")
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-S", _ZYGOTE, json.dumps(config)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                env=dict(child_env, HOME=base, **ZYGOTE_MALLOC), cwd=base, close_fds=True, pass_fds=(theirs.fileno(),),
                start_new_session=True)
        finally:
            log.close()
            theirs.close()
        self._sock = ours
        self.restarts += 1
        try:
            kind, info = self._receive(time.monotonic() + _START_TIMEOUT_S)
            if kind != b"Y":
                raise _ZygoteDied("unexpected first message")
        except (_ZygoteDied, TimeoutError) as exc:
            self._stop_zygote()
            try:
                with open(os.path.join(base, "zygote.log"), "rb") as f:
                    tail = f.read()[-2000:].decode(errors="replace")
            except OSError:
                tail = ""
            raise SandboxError(f"the sandbox worker did not start ({exc}): {tail}") from None
        self._info = info
        problem = self._unenforceable()
        first = getattr(self, "_first_level", None)
        if not problem and first is not None and info.get("level") != first:
            problem = (f"the sandbox started at the {first} level and a restarted worker offers only "
                       f"{info.get('level')} ({clean(info.get('namespaces_error') or '', 120)}); it never "
                       "goes on at another level silently. Nothing was graded.")
        if problem:
            self._stop_zygote()
            raise SandboxError(problem)
        self._first_level = info.get("level")

    def _unenforceable(self) -> str | None:
        """Why a guarantee this sandbox promises cannot be enforced here, if one cannot."""
        info = self._info
        if not str(info.get("numpy_file", "")).startswith(os.path.join(self._base, "pylib") + os.sep):
            return "the sandbox worker imported numpy from an unexpected place"
        if self.seccomp and not info.get("seccomp"):
            return ("this machine cannot confine student code: seccomp filters are needed "
                    "(x86_64 or aarch64 Linux); nothing was graded.")
        level = info.get("level")
        why = clean(info.get("namespaces_error") or "", 120)
        if level == "namespaces" or not self.landlock:  # (Landlock off: tests and diagnosis only)
            return self._dry_run_problem(level)
        if info.get("run_uid") is None:
            return ("this machine cannot confine student code for an ordinary user: the sandbox "
                    f"needs unprivileged user namespaces, which are unavailable here ({why}). Allow "
                    "them (Ubuntu 24.04: sysctl kernel.apparmor_restrict_unprivileged_userns=0, or an "
                    "AppArmor profile granting userns to this Python; Debian before 11: sysctl "
                    "kernel.unprivileged_userns_clone=1; a container: run it with a seccomp profile "
                    "that allows unshare), or grade as root (sudo, or a container) on Linux >= "
                    f"{confine.MIN_LANDLOCK_KERNEL} with Landlock. Nothing was graded.")
        if level == "uid" and self.require_landlock:
            return ("this machine cannot confine student code: unprivileged namespaces are "
                    f"unavailable ({why}) and so is Landlock (the sandbox needs one of them; Landlock "
                    f"needs Linux >= {confine.MIN_LANDLOCK_KERNEL} with Landlock enabled, this kernel "
                    f"offers ABI {info.get('landlock_abi', 0)}). Allow unprivileged user namespaces "
                    "or grade on a kernel with Landlock (or, in a container whose files are laid out "
                    "for it, accept the uid level with require_landlock=False); nothing was graded.")
        return self._dry_run_problem(level)

    def _dry_run_problem(self, level) -> str | None:
        problem = self._info.get("confine_error")
        if not problem:
            return None
        return (f"this machine cannot confine student code at the {level} level: "
                f"{clean(problem, 300)}. Nothing was graded.")

    def _stop_zygote(self) -> None:
        proc, self._proc = self._proc, None
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.send(b"Q")
            except OSError:
                pass
        if proc is not None and proc.poll() is None:
            try:
                proc.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                self._kill_process_group(proc)
        if sock is not None:
            sock.close()

    @staticmethod
    def _kill_process_group(proc: subprocess.Popen) -> None:
        """SIGKILL the zygote; its run supervisors and runs die with it (parent-death signals)."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        try:
            proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass

    def _kill_zygote(self) -> None:
        proc, self._proc = self._proc, None
        sock, self._sock = self._sock, None
        if proc is not None:
            self._kill_process_group(proc)
        if sock is not None:
            sock.close()

    # zygote io ---------------------------------------------------------------------------
    def _receive(self, deadline: float):
        """The zygote's next message (kind, JSON), or TimeoutError / _ZygoteDied."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([self._sock], [], [], remaining)[0]:
            raise TimeoutError
        try:
            message = self._sock.recv(_MAX_MESSAGE)
        except OSError as exc:
            raise _ZygoteDied(str(exc)) from None
        if not message:
            raise _ZygoteDied("the worker exited")
        try:
            return message[:1], json.loads(message[1:])
        except ValueError:
            raise _ZygoteDied("unreadable message from the worker") from None

    def _send(self, data: bytes, fds: Sequence[int] = ()) -> None:
        try:
            if fds:
                socket.send_fds(self._sock, [data], list(fds))
            else:
                self._sock.send(data)
        except (OSError, AttributeError) as exc:
            raise _ZygoteDied(f"write failed: {exc}") from None

    # running -----------------------------------------------------------------------------
    def run(self, sources: Sequence[str], calls: Sequence[Call], *,
            limits: Limits | None = None, call_exception_text: bool | None = None,
            wall_s: float | None = None, groups: Sequence[int] | None = None) -> RunResult:
        """Execute ``sources`` in one namespace, then each call; never raises for anything
        the submission does.  ``call_exception_text`` (default: the sandbox's setting) shows
        call exceptions' messages: pass True only when every call's inputs are public.

        ``wall_s`` caps this run's wall clock below ``limits.submission_timeout_s``: what is
        left of a submission's budget after its earlier runs (see
        :class:`autograder.grading.pipeline.WallBudget`).

        ``groups`` (sizes of consecutive runs of calls, summing to ``len(calls)``) writes each
        group's calls together, one round trip per group instead of per call, each call of a
        group timed from the group's first byte (:class:`_CallClock`); by default every call
        is its own group."""
        limits = limits or self.limits
        full_text = self.call_exception_text if call_exception_text is None else call_exception_text
        sources = [str(s) for s in sources]
        calls = [c if isinstance(c, Call) else Call(*c) for c in calls]
        calls_bytes = wire.encode_calls(calls, _group_ends(len(calls), groups))
        cap = float(limits.submission_timeout_s) if wall_s is None else min(float(limits.submission_timeout_s),
                                                                           max(0.0, float(wall_s)))
        t0 = time.monotonic()
        with self._lock:
            if self._closed:
                raise SandboxError("the sandbox is closed")
            last_error = ""
            not_started = ""
            for _attempt in range(2):
                self._ensure_zygote()
                scratch = tempfile.mkdtemp(dir=os.path.join(self._base, "runs"))
                try:
                    return self._run_once(sources, calls, calls_bytes, limits, scratch, t0, full_text, cap, groups)
                except _ZygoteDied as exc:
                    last_error = str(exc)
                    self._kill_zygote()
                except _NotStarted as exc:
                    not_started = str(exc)
                    self._kill_zygote()
                finally:
                    self._empty_runs_directory()
            if not_started:  # could not confine: nothing is graded, never a zero
                raise SandboxError(f"the sandbox could not start a confined run ({clean(not_started, 200)}); "
                                   "nothing was graded for this submission.")
        reason = "The sandbox worker died unexpectedly; the submission could not be run."
        return RunResult(
            cells=[CellOutcome(False, "not run: " + reason) for _ in sources],
            calls=[CallOutcome("not_run", None, "not run: " + reason) for _ in calls],
            reason=reason + (f" ({clean(last_error, 80)})" if last_error else ""),
            confinement=self._level(), wall_s=time.monotonic() - t0)

    def _run_once(self, sources, calls, calls_bytes, limits, scratch, t0, full_text, cap, groups) -> RunResult:
        settings = {
            "scratch": scratch, "call_timeout_s": float(limits.call_timeout_s),
            "call_exception_text": bool(full_text),
            "limits": {"memory_mb": int(limits.memory_mb), "cpu_s": float(limits.cpu_s),
                       "fsize_mb": int(limits.file_size_mb)},
            "caps": {"result_bytes": int(limits.result_mb) << 20, "result_nodes": wire.MAX_NODES,
                     "result_depth": wire.MAX_DEPTH, "header_bytes": wire.MAX_HEADER - 4096},
        }
        pending = _Outbox()
        pending.add([wire.encode_cells(sources, settings)])
        request_r, request_w = os.pipe()
        result_r, result_w = os.pipe()
        for fd in (request_w, result_w):
            _widen_pipe(fd)
        try:
            self._send(b"R" + json.dumps({
                "scratch": scratch, "disk_mb": int(limits.scratch_mb),
                "wall_s": cap + _KILL_GRACE_S}).encode(),
                fds=(request_r, result_w))
        finally:
            os.close(request_r)
            os.close(result_w)
        os.set_blocking(request_w, False)
        os.set_blocking(result_r, False)
        try:
            return self._exchange(sources, calls, calls_bytes, limits, t0, full_text,
                                  pending, request_w, result_r, cap, groups)
        finally:
            for fd in (request_w, result_r):
                try:
                    os.close(fd)
                except OSError:
                    pass

    def _exchange(self, sources, calls, calls_bytes, limits, t0, full_text,
                  pending: _Outbox, request_w: int, result_r: int, cap: float,
                  groups: Sequence[int] | None = None) -> RunResult:
        """Feed the request, parse the results, enforce the deadlines, until the zygote
        reports the run over and its result pipe is drained.

        The calls go one group at a time (:class:`_CallClock`): each is timed here, from the
        moment its group is written until its answer is parsed, and the run is killed when one
        overruns ``call_timeout_s`` by more than :data:`CALL_GRACE_S` (a group of several
        calls: as soon as it overruns); an answer that comes after the limit is a time-out
        whatever it says (in a group of several calls: "not run", to be run again).  A
        function that overran is not called again in this run."""
        stream = wire.ResultStream(sources, calls, limits, cell_text=self.exception_text,
                                   full_call_text=full_text)
        deadline = t0 + cap
        clock = _CallClock(calls, calls_bytes, limits, stream, groups)
        killed: str | None = None  # "timeout" | "call" | "protocol" when we asked for the kill
        overrun: int | None = None  # the call that overran, when killed == "call"
        protocol_error: str | None = None
        request_open = True
        result_open = True
        end: dict | None = None
        hard_deadline = None

        def kill(why: str) -> None:
            nonlocal killed, hard_deadline
            if killed is None:
                killed = why
                self._send(b"K")
                hard_deadline = time.monotonic() + _KILL_GRACE_S

        while end is None or result_open:
            now = time.monotonic()
            if killed is None and now >= deadline:
                kill("timeout")
            if killed is None and clock.overrun(now):
                overrun = clock.outstanding
                kill("call" if clock.cut is None else "group")
            if hard_deadline is not None and now >= hard_deadline:
                # the worker did not report the kill: treat it as broken and replace it
                self._kill_zygote()
                end = end or {"killed": "parent"}
                break
            if killed is None and protocol_error is None and stream.cells_done:
                pending.add(clock.next_message(now))
            readers = [self._sock] + ([result_r] if result_open else [])
            writers = [request_w] if request_open and pending else []
            next_deadline = min(deadline, clock.deadline()) if killed is None else hard_deadline
            wait = 1.0 if end is not None else min(1.0, max(0.01, next_deadline - now))
            ready_r, ready_w, _ = select.select(readers, writers, [], wait)
            if request_w in ready_w:
                try:
                    pending.write(request_w)
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:  # the run is gone; its end will be reported
                    request_open = False
            if result_r in ready_r:
                try:
                    data = os.read(result_r, 1 << 20)
                except (BlockingIOError, InterruptedError):
                    data = None
                if data == b"":
                    result_open = False
                elif data and protocol_error is None:
                    try:
                        stream.feed(data)
                    except wire.ProtocolError as exc:
                        protocol_error = str(exc)
                        if killed is None:
                            kill("protocol")
                    clock.answered(time.monotonic())
                    if clock.cut is not None and killed is None:
                        kill("group")
            if self._sock in ready_r:
                kind, payload = self._receive(time.monotonic() + 1.0)
                if kind == b"E":
                    end = payload
                elif kind != b"S":
                    raise _ZygoteDied("unexpected message from the worker")
            if end is not None and result_open and not ready_r:
                result_open = False  # the run is dead and reaped: nothing more can come
        return self._assemble(sources, calls, stream, end or {}, killed, protocol_error, limits, t0, cap,
                              overrun, clock.cut)

    def _assemble(self, sources, calls, stream: wire.ResultStream, end: dict, killed,
                  protocol_error: str | None, limits: Limits, t0, cap: float,
                  overrun: int | None = None, cut: int | None = None) -> RunResult:
        """The run's outcomes, completed with the reason it stopped early, if it did.

        The reason names the function that was running, never the call's index or the exit
        code: both could carry what the student's code saw of a hidden input."""
        n_cells, n_calls = len(sources), len(calls)
        cells, outs = list(stream.cells), list(stream.calls)
        confinement = stream.hello["confinement"] if stream.hello else self._level()
        if len(cells) < n_cells:
            where = f"while running cell {len(cells) + 1}"
        elif len(outs) < n_calls:
            where = f"while running {calls[len(outs)].function}"
        else:
            where = "after its last call"
        status = "crashed"
        if protocol_error is not None and not stream.ended:
            status = "protocol"
            reason = f"The submission's process sent malformed results ({clean(protocol_error, 80)})."
        elif killed == "call" and overrun is not None:
            # one call overran: it alone is a time-out (and the later calls of its function,
            # which would not have been sent); the others were not reached, and may be run again
            fname = calls[overrun].function
            stopped = CallOutcome("not_run", None, f"not run: the run was stopped when a call of {fname} "
                                                   f"did not return within {limits.call_timeout_s:g} s")
            if len(outs) == overrun:  # (its answer may have come, late, before the run died)
                outs.append(wire.timed_out(fname, limits))
            outs += [wire.timed_out(c.function, limits, skipped=True) if c.function == fname else stopped
                     for c in calls[len(outs):]]
            reason = None
        elif killed == "group" and cut is not None:
            # calls sent together overran together: which one was slow is not known, so none is
            # a time-out; those not answered in time were not run, and are run again one at a time
            fname = calls[cut].function
            stopped = CallOutcome("not_run", None, f"not run: the run was stopped when calls of {fname} "
                                                   f"sent together did not return within {limits.call_timeout_s:g} s")
            outs = outs[:cut] + [stopped for _ in calls[cut:]]
            reason = None
        elif killed == "timeout" or end.get("killed") == "timeout":
            status = "timeout"
            earlier = "" if cap >= limits.submission_timeout_s else ", counting its earlier runs"
            reason = (f"The submission did not finish within {limits.submission_timeout_s:g} s "
                      f"(time limit of a whole submission{earlier}), {where}.")
        elif end.get("error") or (stream.hello is None and end.get("exit") in (70, 71)):
            if stream.hello is None:  # before the student's first line: the sandbox's failure
                raise _NotStarted(end.get("error") or "the run's process failed while confining itself")
            reason = f"The sandbox could not run the submission ({clean(end['error'], 120)})."
        elif stream.ended:
            reason = None
        elif end.get("killed") == "disk":
            reason = f"The submission wrote more than {limits.scratch_mb} MB to disk, {where}."
        elif end.get("killed") == "files":
            reason = f"The submission created more than 10,000 files or directories, {where}."
        else:
            sig, code = end.get("signal"), end.get("exit")
            cpu = end.get("cpu_s") or 0.0
            if type(sig) is int:
                if sig in (signal.SIGKILL, signal.SIGXCPU) and cpu >= limits.cpu_s - 0.5:
                    what = f"exceeded its CPU time limit of {limits.cpu_s:g} s"
                elif sig == signal.SIGKILL:
                    what = f"was killed (most likely out of memory; limit {limits.memory_mb} MB)"
                else:
                    what = signal_text(sig)
            elif type(code) is int:
                what = "exited early (os._exit, sys.exit outside a function, or a fatal error)"
            else:
                what = "stopped for an unknown reason"
            if stream.hello is None and code in (70, 71):
                what = "could not be started by the sandbox"
            reason = f"The submission's process {what}, {where}."
        if reason is not None:
            rest = "protocol" if status == "protocol" else "not_run"
            if len(cells) < n_cells:
                cells.append(CellOutcome(False, reason))
                cells += [CellOutcome(False, "not run: the submission stopped earlier")
                          for _ in range(n_cells - len(cells))]
                outs += [CallOutcome(rest, None, f"not run: {reason}") for _ in range(n_calls)]
            elif len(outs) < n_calls:
                fname = calls[len(outs)].function
                outs.append(CallOutcome(status, None, f"{fname}: {reason}"))
                outs += [CallOutcome(rest, None, f"not run: {reason}") for _ in range(n_calls - len(outs))]
        return RunResult(cells=cells, calls=outs, reason=reason, confinement=confinement,
                         wall_s=time.monotonic() - t0)
