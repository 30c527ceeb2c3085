"""The sandbox's warm worker ("zygote"), started by the supervisor as

    python -I -S zygote.py CONFIG_JSON

in a scrubbed environment.  It imports numpy (through a private directory that exposes
numpy only) and a few stdlib modules once, then serves runs, one at a time.

Guarantees:

* **It never holds a submission's data.**  A run's request and result pipes arrive over
  the control socket (SCM_RIGHTS) and are handed to the run's processes unread; so the
  zygote's memory, which every later run is forked from, holds no student's code, input or
  result.
* **One run, one life.**  For each run it forks a *run supervisor*, which moves into new
  user, mount, PID and IPC namespaces (the ``namespaces`` level: the zygote writes its id
  maps, ``confine.map_ids``), builds the run's own filesystem and enters it (``view.py``),
  and forks the run's process as PID 1 of the PID namespace.  Where unprivileged namespaces
  are forbidden (the ``landlock`` and ``uid`` levels) a root grader's run supervisor makes a
  PID namespace alone, when it can; at the ``landlock`` level the run's process then
  ``chroot``\\ s into the run's own directory, built once by this zygote (``view.populate``).
  The run supervisor reaps that process; when its ``wait4`` returns, the kernel has
  killed and reaped everything else in the namespace.  Only then does the zygote report
  the run's end.  Both the run supervisor and the run's process die with their parent
  (PR_SET_PDEATHSIG, which the run cannot undo), and the zygote dies with the supervisor.
* **A bounded life.**  The zygote kills the run at the supervisor's request and on its own
  at the run's wall-clock limit.  Its scratch directory is capped by the kernel at the
  ``namespaces`` level (a sized tmpfs); at the ``landlock`` level the run has no writable
  directory at all (its own directory is root's, and Landlock grants only reading beneath
  it), so there is nothing to cap; at the ``uid`` level, which has neither, seccomp keeps the
  scratch directory flat (no mkdir) and the zygote kills the run when that one directory grows
  past its caps (every entry is counted: no depth hides one).
* **It says what it can enforce before the first run**: the level (``namespaces``,
  ``landlock``, ``uid``), why namespaces are unavailable if they are, and, at the fallback
  levels, the first path a run needs that its unprivileged uid could not read (a run has no
  capability, so it reads by permissions), and at the ``landlock`` level whether its own
  directory could be built and entered (CAP_SYS_CHROOT); the supervisor then refuses to grade.

Control messages (one SOCK_SEQPACKET datagram each, 1 kind byte + JSON):
  supervisor -> zygote: ``R`` settings + fds (request read end, result write end) | ``K`` kill | ``Q`` quit
  zygote -> supervisor: ``Y`` ready (info) | ``S`` started ({pid}) | ``E`` ended (exit/signal/rusage/killed)
"""
import sys

_CONFIG = None


def _bootstrap():
    import json

    global _CONFIG
    _CONFIG = json.loads(sys.argv[1])
    sys.path[:] = [p for p in sys.path if p] + [_CONFIG["numpy_path"]]
    sys.argv[:] = [""]
    sys.dont_write_bytecode = True


_bootstrap()

import collections  # noqa: E402,F401  (preimported for the runs)
import ctypes  # noqa: E402,F401
import dataclasses  # noqa: E402,F401
import functools  # noqa: E402,F401
import gc  # noqa: E402
import importlib.util  # noqa: E402
import itertools  # noqa: E402,F401
import json  # noqa: E402
import math  # noqa: E402,F401
import os  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
import typing  # noqa: E402,F401
import warnings  # noqa: E402,F401

import numpy as np  # noqa: E402
import numpy.fft  # noqa: E402,F401
import numpy.linalg  # noqa: E402,F401
import numpy.random  # noqa: E402,F401


def _load(name):
    """A sibling module of this file, loaded by path (``autograder`` is not importable)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    spec = importlib.util.spec_from_file_location("_sandbox_" + name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


confine = _load("confine")
view = _load("view")
child = _load("child")
inert = _load("inert")

MAX_MESSAGE = 1 << 16
MAX_ENTRIES = view.MAX_ENTRIES  # files and directories a run may create in its scratch directory
_MAP_TIMEOUT_S = 10.0


# --- talking to the supervisor ------------------------------------------------------------
def _send(sock, kind, obj):
    sock.send(kind + json.dumps(obj).encode())


def _scratch_usage(path, limit_entries):
    total, entries, stack = 0, 0, [path]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    entries += 1
                    if entries > limit_entries:
                        return total, entries
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        else:
                            total += entry.stat(follow_symlinks=False).st_blocks * 512
                    except OSError:
                        pass
        except OSError:
            pass
    return total, entries


# --- the run supervisor (a child of the zygote, outside the run's namespace) ----------------
def _enter_namespaces(sync, scratch, scratch_mb):
    """The run supervisor's side of the ``namespaces`` level: new namespaces, wait for the
    zygote to write their id maps, then build the run's filesystem and enter it.  Returns a
    Landlock ruleset for the run over that filesystem (read beneath ``/``, write beneath the
    scratch directory), or None where Landlock is off."""
    ready_w, go_r = sync
    confine.unshare_namespaces()
    os.write(ready_w, b"u")
    os.close(ready_w)
    if os.read(go_r, 1) != b"g":
        raise OSError("the zygote could not map the user namespace's ids")
    os.close(go_r)
    view.build(scratch, _CONFIG["view"], scratch, scratch_mb)
    view.enter(scratch)
    abi = _CONFIG["landlock_abi"]
    return confine.landlock_ruleset(["/"], [scratch], abi) if abi > 0 else None


def _run_supervisor(request_fd, result_fd, status_w, kill_r, zygote_pid, uid, settings, sync):
    """Fork the run's process as PID 1 of a new PID namespace, relay kills, reap it.

    At the ``namespaces`` level it first enters the run's own namespaces and filesystem
    (:func:`_enter_namespaces`).  Where no PID namespace can be made (a container whose
    seccomp profile forbids it), the supervisor accepts runs without one only for a root
    grader (see ``Sandbox``): the run then has a uid of its own and seccomp lets it create
    no process or thread, so it is still alone, and reaping it still ends everything it was."""
    def report(obj):
        os.write(status_w, json.dumps(obj).encode() + b"\n")

    try:
        confine.set_parent_death_signal(signal.SIGKILL)
        if os.getppid() != zygote_pid:
            return
        config = dict(_CONFIG, run_uid=uid)
        if _CONFIG["level"] == "namespaces":
            config["ruleset_fd"] = _enter_namespaces(sync, settings["scratch"], float(settings["disk_mb"]))
        elif _CONFIG["pid_namespace"]:
            confine.new_pid_namespace(user_namespace=False)
        alive_r, alive_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the run's process: PID 1 of the new namespace
            try:
                confine.set_parent_death_signal(signal.SIGKILL)
                os.close(alive_w)
                if select.select([alive_r], [], [], 0)[0]:  # the run supervisor already died
                    os._exit(71)
                os.close(alive_r)
                os.close(status_w)
                os.close(kill_r)
            except BaseException:
                os._exit(71)
            child.main(request_fd, result_fd, config, confine)
        os.close(alive_r)
        os.close(request_fd)
        os.close(result_fd)
        if _CONFIG["level"] == "namespaces" and config["ruleset_fd"] is not None:
            os.close(config["ruleset_fd"])  # the run's own copy is its fd 5
        report({"pid": pid})
        pidfd = os.pidfd_open(pid)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(kill_r, select.POLLIN)
        while True:
            ready = {fd for fd, _ in poller.poll()}
            if pidfd in ready:
                break
            if kill_r in ready:  # a kill request, or the zygote is gone
                os.kill(pid, signal.SIGKILL)  # not reaped yet, so the pid is still this process
                poller.unregister(kill_r)
        _, status, usage = os.wait4(pid, 0)  # returns once the whole namespace is gone
        end = {"cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss, "reaped": True}
        if os.WIFSIGNALED(status):
            end["signal"] = os.WTERMSIG(status)
        elif os.WIFEXITED(status):
            end["exit"] = os.WEXITSTATUS(status)
        report(end)
    except BaseException as exc:
        try:
            report({"error": f"{type(exc).__name__}: {exc}"[:300]})
        except BaseException:
            pass
    finally:
        os._exit(0)


# --- the zygote's side of a run -------------------------------------------------------------
class _RunWatch:
    """Watches one run from the zygote: kills on request, at the wall-clock limit or when
    its scratch directory is full, and reports its end once everything of it is dead."""

    def __init__(self, sock, settings, fds):
        self.sock, self.settings = sock, settings
        self.request_fd, self.result_fd = fds
        self.killed = None
        self.run_pid = None
        self.end = {}

    def serve(self):
        status_r, status_w = os.pipe()
        kill_r, kill_w = os.pipe()
        ready_r, ready_w = os.pipe()  # the run supervisor has unshared: map its ids
        go_r, go_w = os.pipe()  # mapped
        zygote_pid = os.getpid()
        try:
            pid = os.fork()
        except OSError as exc:
            for fd in (status_r, status_w, kill_r, kill_w, self.request_fd, self.result_fd,
                       ready_r, ready_w, go_r, go_w):
                os.close(fd)
            _send(self.sock, b"E", {"error": f"fork failed: {exc}"[:300]})
            return
        if pid == 0:
            try:
                self.sock.close()
                for fd in (status_r, kill_w, ready_r, go_w):
                    os.close(fd)
            finally:
                _run_supervisor(self.request_fd, self.result_fd, status_w, kill_r, zygote_pid,
                                self.settings.get("uid"), self.settings, (ready_w, go_r))
        for fd in (self.request_fd, self.result_fd, status_w, kill_r, ready_w, go_r):
            os.close(fd)
        if _CONFIG["level"] == "namespaces":
            _map_when_ready(pid, ready_r, go_w, self.settings.get("uid"))
        os.close(ready_r)
        os.close(go_w)
        try:
            self._watch(pid, status_r, kill_w)
        finally:
            os.close(status_r)
            os.close(kill_w)
        _send(self.sock, b"E", self.end)

    def _kill(self, kill_w, why):
        if self.killed is None:
            self.killed = why
            try:
                os.write(kill_w, b"K")
            except OSError:
                pass

    def _watch(self, pid, status_r, kill_w):
        started = time.monotonic()
        wall_deadline = started + float(self.settings["wall_s"])
        scratch = self.settings["scratch"]
        disk_cap = int(self.settings["disk_mb"]) << 20
        next_disk_check = started + 0.05
        pidfd = os.pidfd_open(pid)
        poller = select.poll()
        for fd in (pidfd, status_r, self.sock.fileno()):
            poller.register(fd, select.POLLIN)
        buf = b""
        exited = False
        while not exited:
            for fd, _ in poller.poll(200):
                if fd == status_r:
                    data = os.read(status_r, 4096)
                    if not data:
                        poller.unregister(status_r)
                    buf += data
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        self._status(json.loads(line))
                elif fd == pidfd:
                    exited = True
                else:
                    message = self.sock.recv(MAX_MESSAGE)
                    if message[:1] == b"K":
                        self._kill(kill_w, "parent")
                    elif not message or message[:1] == b"Q":  # the supervisor is gone
                        self._kill(kill_w, "parent")
                        poller.unregister(self.sock.fileno())
            now = time.monotonic()
            if now >= wall_deadline:
                self._kill(kill_w, "timeout")
            if self.killed is None and now >= next_disk_check and _CONFIG["level"] not in ("namespaces", "landlock"):
                next_disk_check = now + 0.1
                used, entries = _scratch_usage(scratch, MAX_ENTRIES)
                if used > disk_cap:
                    self._kill(kill_w, "disk")
                elif entries >= MAX_ENTRIES:
                    self._kill(kill_w, "files")
        while True:  # the rest of what the run supervisor reported
            data = os.read(status_r, 4096)
            if not data:
                break
            buf += data
        for line in buf.split(b"\n"):
            if line.strip():
                self._status(json.loads(line))
        os.waitpid(pid, 0)
        os.close(pidfd)
        if not self.end.get("reaped") and self.run_pid:
            # the run supervisor died first: the run's process (PID 1 of its namespace) got
            # SIGKILL from its parent-death signal and is now our child (we are a subreaper)
            try:
                os.kill(self.run_pid, signal.SIGKILL)
                os.waitpid(self.run_pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
        self.end["killed"] = self.killed
        self.end["wall_s"] = time.monotonic() - started

    def _status(self, obj):
        if "pid" in obj and self.run_pid is None:
            self.run_pid = obj["pid"]
            _send(self.sock, b"S", {"pid": obj["pid"]})
        else:
            self.end.update(obj)


def _map_when_ready(pid, ready_r, go_w, run_uid):
    """Write the id maps of ``pid``'s new user namespace once it says it has made it, then
    let it go on; if it never says so or the maps cannot be written, it is told to stop
    (it then reports the error and exits)."""
    ok = False
    try:
        if select.select([ready_r], [], [], _MAP_TIMEOUT_S)[0] and os.read(ready_r, 1) == b"u":
            confine.map_ids(pid, run_uid)
            ok = True
    except OSError:
        pass
    try:
        os.write(go_w, b"g" if ok else b"n")
    except OSError:
        pass


def _probe_view(uid):
    """Whether a run can get the ``namespaces`` level here: '' if so, else why not.  Goes
    through everything a run does (namespaces, id maps, the run's filesystem, a process that
    is PID 1 there and can read the interpreter's files and write its scratch directory)."""
    probe = os.path.join(_CONFIG["runs_dir"], ".probe")
    os.mkdir(probe, 0o700)
    r, w = os.pipe()
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for fd in (r, ready_r, go_w):
                os.close(fd)
            confine.set_parent_death_signal(signal.SIGKILL)
            ruleset = _enter_namespaces((ready_w, go_r), probe, 1)
            inner = os.fork()
            if inner == 0:
                why = "" if os.getpid() == 1 else "the run's process is not PID 1 of its namespace"
                os.write(w, (why or _dry_run(uid, ruleset, probe)).encode()[:300])
                os._exit(0)
            if ruleset is not None:
                os.close(ruleset)
            _, status = os.waitpid(inner, 0)
            code = 0 if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 2
        except BaseException as exc:
            os.write(w, f"{type(exc).__name__}: {exc}"[:200].encode())
        os._exit(code)
    for fd in (w, ready_w, go_r):
        os.close(fd)
    _map_when_ready(pid, ready_r, go_w, uid)
    os.close(ready_r)
    os.close(go_w)
    why = _read_all(r).decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    try:
        os.rmdir(probe)  # empty: what the probe wrote was in its own tmpfs
    except OSError:
        pass
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and not why:
        return ""
    return why or "the namespace's first process did not start"


def _read_all(fd):
    data = b""
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            os.close(fd)
            return data
        data += chunk


def _dry_run(uid, ruleset_fd, scratch):
    """Confine the calling (forked) process exactly as a run is confined, then read every
    path a run needs and write to ``scratch`` (at the ``landlock`` level: fail to write in
    its own directory): '' if all of that went as it must, else what did not.  Run before the
    first submission, so that a host where confinement fails (``capset`` in a container, an
    unreadable interpreter, no CAP_SYS_CHROOT) is refused at start instead of every
    submission scoring zero."""
    chroot = _CONFIG.get("chroot")
    try:
        os.close(os.open("/dev/null", os.O_RDWR))  # what a run's process opens first
        if chroot is not None:
            try:
                confine.enter_own_directory(chroot, view.CWD)
            except OSError as exc:
                return (f"the run's process cannot enter its own directory ({exc.strerror}): without "
                        "namespaces a root grader needs CAP_SYS_CHROOT (Docker's default capability "
                        "set has it: do not drop it)")
            scratch = view.CWD
        elif uid is not None:
            os.chown(scratch, uid, uid)
        if uid is not None:
            confine.become_uid(uid, uid, ())
        report = confine.confine(ruleset_fd=ruleset_fd, seccomp=_CONFIG["seccomp"],
                                 abi=_CONFIG["landlock_abi"], deny_truncate=_CONFIG.get("deny_truncate", False),
                                 deny_mkdir=_CONFIG.get("deny_mkdir", False))
        if report["error"] or (_CONFIG["seccomp"] and not report["seccomp"]):
            return f"confining a run failed ({report['error'] or 'seccomp'})"
    except BaseException as exc:
        return f"confining a run failed ({type(exc).__name__}: {exc})"
    for path in _CONFIG["needed_paths"]:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                os.close(os.open(path, os.O_RDONLY))
        except OSError as exc:
            return (f"the run's unprivileged process cannot read {path} ({exc.strerror}); the "
                    f"interpreter, its standard library and numpy must be readable by other users")
    try:
        with open(os.path.join(scratch, "probe"), "w") as handle:
            handle.write("x")
    except OSError as exc:
        return "" if chroot else f"the run's unprivileged process cannot write its scratch directory ({exc.strerror})"
    return "the run's process could write in its own directory, which must hold nothing writable" if chroot else ""


def _probe_fallback(uid):
    """'' when a run at a fallback level (no namespaces) can be confined and read what it
    needs, else why not (a dry run in a forked process, :func:`_dry_run`)."""
    scratch = os.path.join(_CONFIG["runs_dir"], ".probe")
    os.mkdir(scratch, 0o700)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            confine.set_parent_death_signal(signal.SIGKILL)
            os.write(w, _dry_run(uid, _CONFIG.get("ruleset_fd"), scratch).encode()[:400])
        finally:
            os._exit(0)
    os.close(w)
    why = _read_all(r).decode(errors="replace")
    os.waitpid(pid, 0)
    try:
        os.unlink(os.path.join(scratch, "probe"))
    except OSError:
        pass
    os.rmdir(scratch)
    return why


def _build_own_directory(abi):
    """The ``landlock`` level's view (``view.populate``) in the directory the supervisor made
    for it, and the Landlock ruleset every run enforces there (read beneath it, nothing else
    writable); '' or why it could not be built."""
    root = _CONFIG["chroot_dir"]
    try:
        view.populate(root, _CONFIG["chroot_plan"])
        _CONFIG["ruleset_fd"] = confine.landlock_ruleset([root], [], abi)
    except OSError as exc:
        return f"the run's own directory could not be built ({exc})"
    _CONFIG["chroot"], _CONFIG["chroot_cwd"] = root, view.CWD
    return ""


def _probe_namespaces():
    """Whether a run supervisor can create a PID namespace here: '' if so, else why not."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(r)
            confine.new_pid_namespace(user_namespace=False)
            inner = os.fork()
            if inner == 0:
                os._exit(0 if os.getpid() == 1 else 3)
            _, status = os.waitpid(inner, 0)
            code = 0 if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 2
        except BaseException as exc:
            os.write(w, f"{type(exc).__name__}: {exc}"[:200].encode())
        os._exit(code)
    os.close(w)
    why = os.read(r, 400).decode(errors="replace")
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return ""
    return why or "the namespace's first process did not start"


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    confine.set_parent_death_signal(signal.SIGKILL)  # dies with the supervisor
    try:  # orphaned processes of a run come back to us, not to init
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass
    sock = socket.socket(fileno=_CONFIG["control_fd"])
    abi = confine.landlock_abi() if _CONFIG["landlock"] else 0
    if _CONFIG.get("landlock_abi_cap") is not None:  # an older kernel, for tests
        abi = min(abi, int(_CONFIG["landlock_abi_cap"]))
    _CONFIG["landlock_abi"] = abi
    uid = confine.unprivileged_uid() if os.geteuid() == 0 else None
    _CONFIG["level"] = "namespaces"
    namespaces = "assumed unavailable" if _CONFIG.get("assume_no_namespaces") else _probe_view(uid)
    confine_error = ""
    if namespaces:  # the fallback levels: Landlock and/or file permissions, as root only
        _CONFIG["level"] = "landlock" if abi > 0 else ("uid" if uid is not None else "rlimits-only")
        pid_error = "assumed unavailable" if _CONFIG.get("assume_no_pid_namespace") or uid is None \
            else _probe_namespaces()
        _CONFIG["pid_namespace"] = pid_error == ""
    else:
        _CONFIG["pid_namespace"] = True
    _CONFIG["deny_truncate"] = _CONFIG["level"] == "landlock" and abi < confine.TRUNCATE_LANDLOCK_ABI
    _CONFIG["deny_mkdir"] = _CONFIG["level"] != "namespaces"
    if _CONFIG["level"] == "landlock" and uid is not None:  # its own directory, built once: read-only
        confine_error = _build_own_directory(abi)
    if _CONFIG["level"] != "namespaces" and uid is not None and not confine_error:
        confine_error = _probe_fallback(uid)
    if _CONFIG["seccomp"] and confine.ARCH is not None:  # built once here, inherited by every run
        confine._seccomp_program(confine.ARCH, _CONFIG["deny_truncate"], _CONFIG["deny_mkdir"])
    inert.install(_CONFIG.get("inert_modules", ()))
    level = _CONFIG["level"]
    gc.collect()
    gc.freeze()
    _send(sock, b"Y", {"pid": os.getpid(), "landlock_abi": abi, "numpy": np.__version__,
                       "python": sys.version.split()[0],
                       "seccomp": _CONFIG["seccomp"] and confine.ARCH is not None,
                       "numpy_file": np.__file__, "namespaces_error": namespaces, "run_uid": uid,
                       "level": level, "pid_namespace": _CONFIG["pid_namespace"],
                       "confine_error": confine_error})
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(sock, MAX_MESSAGE, 2)
        except OSError:
            return
        kind = message[:1]
        if kind == b"R" and len(fds) == 2:
            settings = json.loads(message[1:])
            settings["uid"] = uid
            _RunWatch(sock, settings, fds).serve()
            continue
        for fd in fds:
            os.close(fd)
        if kind in (b"Q", b""):
            return
        # a stray K between runs: nothing to kill


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
