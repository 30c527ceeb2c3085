"""The sandbox's warm worker ("zygote"), started by the supervisor as

    python -I -S zygote.py CONFIG_JSON

in a scrubbed environment.  It imports numpy (through a private directory that exposes
numpy only) and a few stdlib modules once, then serves runs, one at a time.

Guarantees:

* **It never holds a submission's data.**  A run's request and result pipes arrive over
  the control socket (SCM_RIGHTS) and are handed to the run's processes unread; so the
  zygote's memory, which every later run is forked from, holds no student's code, input or
  result.
* **One run, one life.**  For each run it forks a *run supervisor*, which moves into a new
  PID namespace (and a user namespace when not root) and forks the run's process as PID 1
  of it.  The run supervisor reaps that process; when its ``wait4`` returns, the kernel has
  killed and reaped everything else in the namespace.  Only then does the zygote report
  the run's end.  Both the run supervisor and the run's process die with their parent
  (PR_SET_PDEATHSIG, which the run cannot undo), and the zygote dies with the supervisor.
* **A bounded life.**  The zygote kills the run at the supervisor's request, when its
  scratch directory grows past its cap, and on its own at the run's wall-clock limit.

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
child = _load("child")
inert = _load("inert")

MAX_MESSAGE = 1 << 16
MAX_ENTRIES = 10_000  # files and directories a run may create in its scratch directory


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
def _run_supervisor(request_fd, result_fd, status_w, kill_r, zygote_pid, uid):
    """Fork the run's process as PID 1 of a new PID namespace, relay kills, reap it.

    Where no PID namespace can be made (a container whose seccomp profile forbids it), the
    supervisor accepts runs without one only for a root grader (see ``Sandbox``): the run
    then has a uid of its own and seccomp lets it create no process or thread, so it is
    still alone, and reaping it still ends everything it was."""
    def report(obj):
        os.write(status_w, json.dumps(obj).encode() + b"\n")

    try:
        confine.set_parent_death_signal(signal.SIGKILL)
        if os.getppid() != zygote_pid:
            return
        if _CONFIG["pid_namespace"]:
            confine.new_pid_namespace(user_namespace=os.geteuid() != 0)
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
            child.main(request_fd, result_fd, dict(_CONFIG, run_uid=uid), confine)
        os.close(alive_r)
        os.close(request_fd)
        os.close(result_fd)
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
        zygote_pid = os.getpid()
        try:
            pid = os.fork()
        except OSError as exc:
            for fd in (status_r, status_w, kill_r, kill_w, self.request_fd, self.result_fd):
                os.close(fd)
            _send(self.sock, b"E", {"error": f"fork failed: {exc}"[:300]})
            return
        if pid == 0:
            try:
                self.sock.close()
                os.close(status_r)
                os.close(kill_w)
            finally:
                _run_supervisor(self.request_fd, self.result_fd, status_w, kill_r, zygote_pid,
                                self.settings.get("uid"))
        for fd in (self.request_fd, self.result_fd, status_w, kill_r):
            os.close(fd)
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
            if self.killed is None and now >= next_disk_check:
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


def _probe_namespaces():
    """Whether a run supervisor can create a PID namespace here: '' if so, else why not."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(r)
            confine.new_pid_namespace(user_namespace=os.geteuid() != 0)
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
    _CONFIG["landlock_abi"] = abi
    if abi > 0:  # built once; every run only enforces it (write access: the runs directory)
        _CONFIG["ruleset_fd"] = confine.landlock_ruleset(_CONFIG["read_paths"], [_CONFIG["runs_dir"]], abi)
    namespaces = "assumed unavailable" if _CONFIG.get("assume_no_pid_namespace") else _probe_namespaces()
    _CONFIG["pid_namespace"] = namespaces == ""
    if _CONFIG["seccomp"] and confine.ARCH is not None:
        confine._seccomp_program(confine.ARCH)  # built once here, inherited by every run
    inert.install(_CONFIG.get("inert_modules", ()))
    uid = confine.unprivileged_uid() if os.geteuid() == 0 else None
    level = "landlock" if abi > 0 else ("uid" if uid is not None else "rlimits-only")
    gc.collect()
    gc.freeze()
    _send(sock, b"Y", {"pid": os.getpid(), "landlock_abi": abi, "numpy": np.__version__,
                       "python": sys.version.split()[0],
                       "seccomp": _CONFIG["seccomp"] and confine.ARCH is not None,
                       "numpy_file": np.__file__, "namespaces_error": namespaces, "run_uid": uid,
                       "level": level, "pid_namespace": _CONFIG["pid_namespace"]})
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
