"""The sandbox's warm worker ("zygote").  Started by ``autograder.sandbox.Sandbox`` as

    python -I -S _zygote.py CONFIG_JSON

in a scrubbed environment.  It imports numpy (through a private directory that exposes
numpy only) and a few stdlib modules, then serves run requests on stdin, forking one
child per request.  It never imports ``autograder`` or ``nn_core`` and never sees an
expected value.  The child confines itself (rlimits, Landlock, seccomp, no
capabilities), executes the student's sources and calls and streams each result as a
frame on a pipe; the zygote relays the child's bytes verbatim (wrapped in its own
frames) and reports how the child ended.

Zygote -> parent frames: 1 type byte + 4-byte big-endian length + payload.
  b"Y" ready (JSON)      b"S" child started (JSON {pid})
  b"D" child bytes       b"E" child ended (JSON: exit code / signal / rusage / killed)
Parent -> zygote: b"R" + 4-byte length + request  |  b"K" kill the running child  |  b"Q" quit.
Request and child frames: 4-byte big-endian header length + JSON header + raw ``.npy``
blobs whose sizes the header lists.
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

import collections  # noqa: E402,F401  (preimported for the children)
import ctypes  # noqa: E402,F401
import dataclasses  # noqa: E402,F401
import functools  # noqa: E402,F401
import gc  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import itertools  # noqa: E402,F401
import json  # noqa: E402
import math  # noqa: E402,F401
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import struct  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
import typing  # noqa: E402,F401
import warnings  # noqa: E402,F401

import numpy as np  # noqa: E402
import numpy.fft  # noqa: E402,F401
import numpy.linalg  # noqa: E402,F401
import numpy.random  # noqa: E402,F401

_spec = importlib.util.spec_from_file_location("_sandbox_confine", _CONFIG["landlock_module"])
_confine = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_confine)

_U32 = struct.Struct(">I")
MAX_REQUEST = 1 << 31
CHUNK = 1 << 20
_NUMERIC_KINDS = "biuf"
_NUMPY_SCALAR_TYPES = frozenset(
    t for t in set(np.sctypeDict.values()) if np.dtype(t).kind in _NUMERIC_KINDS
)


# --- low-level io ---------------------------------------------------------------------
def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, min(n - len(buf), CHUNK))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _send(kind, payload):
    _write_all(1, kind + _U32.pack(len(payload)) + payload)


def _send_json(kind, obj):
    _send(kind, json.dumps(obj).encode())


# --- request decoding (trusted input from the grader) -------------------------------
def _decode_tree(node, blobs):
    if isinstance(node, dict) and "a" in node:  # an array: raw bytes, dtype and shape
        array = np.frombuffer(blobs[node["a"]], dtype=np.dtype(node["d"]))
        return array.reshape(node["s"]).copy()  # writable, owned by the student's code
    if isinstance(node, dict) and len(node) == 1:
        (key, val), = node.items()
        if key == "i" or key == "b":
            return val
        if key == "f":
            return float.fromhex(val)
        if key == "l":
            return [_decode_tree(v, blobs) for v in val]
        if key == "t":
            return tuple(_decode_tree(v, blobs) for v in val)
    raise ValueError("bad tree node")


def _split_blobs(body, start, sizes):
    blobs, pos = [], start
    for size in sizes:
        blobs.append(body[pos:pos + size])
        pos += size
    if pos != len(body):
        raise ValueError("blob sizes do not match the request")
    return blobs


def _decode_request(body):
    (hlen,) = _U32.unpack_from(body, 0)
    header = json.loads(body[4:4 + hlen])
    blobs = _split_blobs(body, 4 + hlen, header["blobs"])
    calls = [(c["f"], [_decode_tree(a, blobs) for a in c["args"]]) for c in header["calls"]]
    return header, calls


# --- the child ------------------------------------------------------------------------
class CallTimeout(BaseException):
    """Raised by SIGALRM inside a call that exceeded its time limit."""


class Reject(Exception):
    def __init__(self, code, **info):
        super().__init__(code)
        self.info = dict(info, err=code)


def _type_name(obj):
    try:
        name = type.__dict__["__name__"].__get__(type(obj))
        return name if isinstance(name, str) else "?"
    except BaseException:
        return "?"


def _npy_bytes(arr):
    """``.npy`` version 1.0 bytes of a C-contiguous numeric array, exactly as
    ``np.lib.format.write_array`` writes them, in a fraction of its time."""
    if not arr.flags.c_contiguous:  # (np.ascontiguousarray would turn a 0-d array into 1-d)
        arr = arr.copy(order="C")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (
        arr.dtype.str, tuple(int(n) for n in arr.shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + arr.tobytes()


class _Encoder:
    """Turns a returned value into a JSON tree + .npy blobs, without trusting it."""

    def __init__(self, max_bytes, max_nodes, max_depth):
        self.blobs = []
        self.nbytes = 0
        self.nodes = 0
        self.max_bytes, self.max_nodes, self.max_depth = max_bytes, max_nodes, max_depth

    def _array(self, arr, key):
        kind = arr.dtype.kind
        if kind not in _NUMERIC_KINDS or arr.dtype.fields is not None:
            if kind == "c":
                raise Reject("complex")
            raise Reject("dtype", dtype=str(arr.dtype)[:40])
        self.nbytes += arr.nbytes
        if self.nbytes > self.max_bytes:
            raise Reject("too_big")
        self.blobs.append(_npy_bytes(arr))
        return {key: len(self.blobs) - 1}

    def encode(self, x, depth=0):
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise Reject("too_big")
        t = type(x)
        if t is bool:
            return {"b": x}
        if t is int:
            if -(1 << 63) <= x < (1 << 63):
                return {"i": x}
            raise Reject("int_range")
        if t is float:
            return {"f": float.hex(x)}
        if t is list or t is tuple:
            if depth >= self.max_depth:
                raise Reject("too_deep")
            items = [self.encode(v, depth + 1) for v in x]
            return {"l": items} if t is list else {"t": items}
        if isinstance(x, np.ndarray):
            # a plain copy of the data: no method of a subclass is involved
            arr = np.array(x, copy=True, subok=False).view(np.ndarray)
            if type(arr) is not np.ndarray:
                raise Reject("type", tname=_type_name(x))
            return self._array(arr, "a")
        if t in _NUMPY_SCALAR_TYPES:
            return self._array(np.array(x), "s")
        if x is None:
            raise Reject("none")
        raise Reject("type", tname=_type_name(x))


def _error_info(exc, tb):
    """Structured description of an exception: type, text and where in the cells."""
    info = {"etype": _type_name(exc), "emsg": "", "cell": None, "line": None, "func": None}
    try:
        text = str(exc)
        info["emsg"] = text[:400] if isinstance(text, str) else ""
    except BaseException:
        pass
    try:
        while tb is not None:
            code = tb.tb_frame.f_code
            name = code.co_filename
            if isinstance(name, str) and name.startswith("<cell ") and name.endswith(">"):
                info["cell"] = int(name[6:-1])
                info["line"] = tb.tb_lineno
                info["func"] = code.co_name
            tb = tb.tb_next
    except BaseException:
        pass
    return info


class _Child:
    def __init__(self, wfd, header, calls):
        self.wfd = wfd
        self.header = header
        self.calls = calls
        self.pending = []
        self.pending_bytes = 0

    # Frames are buffered and written at the end of each function's run of calls (and when
    # the buffer grows large): one write per question instead of one per call, which makes
    # a submission several times cheaper. A crash loses only the buffered results of the
    # function that crashed, and the parent reports that function as crashed.
    FLUSH_BYTES = 1 << 20

    def frame(self, obj, blobs=()):
        obj["blobs"] = [len(b) for b in blobs]
        head = json.dumps(obj).encode()
        self.pending += [_U32.pack(len(head)), head, *blobs]
        self.pending_bytes += 4 + len(head) + sum(len(b) for b in blobs)
        if self.pending_bytes >= self.FLUSH_BYTES:
            self.flush()

    def flush(self):
        if self.pending:
            data, self.pending, self.pending_bytes = b"".join(self.pending), [], 0
            _write_all(self.wfd, data)

    def setup(self):
        hdr = self.header
        scratch = hdr["scratch"]
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        os.chdir(scratch)
        devnull = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        if self.wfd != 3:  # (devnull may itself be fd 3: replaced here, which is fine)
            os.dup2(self.wfd, 3, inheritable=False)
            self.wfd = 3
        os.closerange(4, 1 << 20)
        os.environ.clear()
        os.environ.update(_CONFIG["env"])
        os.environ["HOME"] = scratch
        os.environ["TMPDIR"] = scratch
        lim = hdr["limits"]
        mem = int(lim["memory_mb"]) << 20
        cpu = max(1, int(math.ceil(lim["cpu_s"])))
        nproc = _CONFIG.get("nproc")
        for res, soft, hard in (
            (resource.RLIMIT_AS, mem, mem),
            (resource.RLIMIT_CPU, cpu, cpu + 1),
            (resource.RLIMIT_FSIZE, int(lim["fsize_mb"]) << 20, int(lim["fsize_mb"]) << 20),
            (resource.RLIMIT_NOFILE, 64, 64),
            (resource.RLIMIT_CORE, 0, 0),
            (resource.RLIMIT_NPROC, nproc, nproc),
        ):
            if soft is None:
                continue
            try:
                resource.setrlimit(res, (soft, hard))
            except (ValueError, OSError):
                pass
        report = _confine.confine(_CONFIG["read_paths"], [scratch],
                                  landlock=_CONFIG["landlock"], seccomp=_CONFIG["seccomp"],
                                  abi=_CONFIG.get("landlock_abi"))
        # same starting point for every submission: reproducible grading
        random.seed(0)
        np.random.seed(0)
        tempfile.tempdir = scratch
        return report

    def run(self):
        report = self.setup()
        self.frame({"k": "hello", "confinement": report["level"],
                    "landlock_abi": report["landlock_abi"], "seccomp": report["seccomp"]})
        self.flush()
        module = types.ModuleType("__main__")
        ns = module.__dict__
        ns["__builtins__"] = __builtins__
        sys.modules["__main__"] = module
        for i, src in enumerate(self.header["sources"]):
            try:
                exec(compile(src, f"<cell {i + 1}>", "exec"), ns)
                frame = {"k": "cell", "i": i, "ok": True}
            except BaseException as exc:
                frame = {"k": "cell", "i": i, "ok": False, **_error_info(exc, exc.__traceback__)}
                exc = None
            self.frame(frame)
            self.flush()  # a cell that hangs or crashes must not take the earlier cells with it
        timeout = float(self.header["call_timeout_s"])
        caps = self.header["caps"]

        def on_alarm(signum, frame):
            raise CallTimeout()

        hung = set()  # functions that timed out once are not called again: one hang costs one question
        self.flush()  # the cells' outcomes
        previous = None
        for i, (fname, args) in enumerate(self.calls):
            blobs = ()
            if fname != previous:
                self.flush()
                previous = fname
            if fname in hung:
                self.frame({"k": "call", "i": i, "status": "timeout", "skipped": True})
                continue
            try:
                try:
                    signal.signal(signal.SIGALRM, on_alarm)
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                    try:
                        fn = ns.get(fname, _MISSING)
                        if fn is _MISSING:
                            raise Reject("missing")
                        if not callable(fn):
                            raise Reject("not_callable", tname=_type_name(fn))
                        value = fn(*args)
                        enc = _Encoder(caps["result_bytes"], caps["result_nodes"], caps["result_depth"])
                        tree = enc.encode(value)
                        value = None
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                    frame = {"k": "call", "i": i, "status": "ok", "tree": tree}
                    blobs = enc.blobs
                except CallTimeout:
                    frame = {"k": "call", "i": i, "status": "timeout"}
                    hung.add(fname)
                except Reject as rej:
                    frame = {"k": "call", "i": i, "status": "error", **rej.info}
                except MemoryError as exc:
                    frame = {"k": "call", "i": i, "status": "error", "err": "memory",
                             **_error_info(exc, exc.__traceback__)}
                except BaseException as exc:
                    frame = {"k": "call", "i": i, "status": "error", "err": "exception",
                             **_error_info(exc, exc.__traceback__)}
                    exc = None
            except CallTimeout:  # the alarm fired inside an except clause
                frame = {"k": "call", "i": i, "status": "timeout"}
                hung.add(fname)
            self.frame(frame, blobs)
            del blobs
        self.frame({"k": "end"})
        self.flush()


_MISSING = object()


def _child_main(wfd, header, calls):
    code = 70
    try:
        _Child(wfd, header, calls).run()
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)


# --- the zygote -----------------------------------------------------------------------
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


def _serve_run(body):
    try:
        header, calls = _decode_request(body)
    except Exception as exc:
        _send_json(b"E", {"error": f"bad request: {type(exc).__name__}: {exc}"[:300]})
        return
    del body
    rfd, wfd = os.pipe()
    try:
        pid = os.fork()
    except OSError as exc:
        os.close(rfd)
        os.close(wfd)
        _send_json(b"E", {"error": f"fork failed: {exc}"[:300]})
        return
    if pid == 0:
        os.close(rfd)
        _child_main(wfd, header, calls)
    os.close(wfd)
    del calls
    _send_json(b"S", {"pid": pid})
    os.set_blocking(rfd, False)
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    poller = select.poll()
    poller.register(rfd, select.POLLIN)
    poller.register(0, select.POLLIN)
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    killed = None
    exited = False
    pipe_open = True
    scratch = header["scratch"]
    disk_cap = int(header["limits"]["scratch_mb"]) << 20
    started = time.monotonic()
    next_disk_check = started + 0.2

    def kill(why):
        nonlocal killed
        if killed is None:
            killed = why
        try:
            os.killpg(pid, signal.SIGKILL)  # pid (== pgid) is ours until we reap it
        except OSError:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def drain():
        nonlocal pipe_open
        while pipe_open:
            try:
                data = os.read(rfd, CHUNK)
            except BlockingIOError:
                return
            if not data:
                pipe_open = False
                poller.unregister(rfd)
                return
            _send(b"D", data)

    while not exited:
        timeout_ms = 200 if pidfd is not None else 20
        events = poller.poll(timeout_ms)
        for fd, ev in events:
            if fd == rfd:
                drain()
            elif fd == 0:
                try:
                    cmd = os.read(0, 1)
                except OSError:
                    cmd = b""
                if cmd == b"K":
                    kill("parent")
                elif cmd == b"":  # the parent is gone
                    kill("parent")
                    poller.unregister(0)
                    _reap(pid)
                    os._exit(0)
            elif fd == pidfd:
                exited = True
        if pidfd is None:
            try:
                exited = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
            except ChildProcessError:
                exited = True
        now = time.monotonic()
        if not exited and killed is None and now >= next_disk_check:
            next_disk_check = now + 0.25
            used, entries = _scratch_usage(scratch, 10000)
            if used > disk_cap or entries >= 10000:
                kill("disk")
    drain()
    # the child is dead but still unreaped: its pgid cannot have been reused
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    status, ru = _reap(pid)
    os.close(rfd)
    if pidfd is not None:
        os.close(pidfd)
    end = {"killed": killed, "wall_s": time.monotonic() - started}
    if status is not None:
        if os.WIFSIGNALED(status):
            end["signal"] = os.WTERMSIG(status)
        elif os.WIFEXITED(status):
            end["exit"] = os.WEXITSTATUS(status)
    if ru is not None:
        end["cpu_s"] = ru.ru_utime + ru.ru_stime
        end["maxrss_kb"] = ru.ru_maxrss
    _send_json(b"E", end)
    _reap_strays()


def _reap(pid):
    while True:
        try:
            _, status, ru = os.wait4(pid, 0)
            return status, ru
        except InterruptedError:
            continue
        except ChildProcessError:
            return None, None


def _reap_strays():
    while True:
        try:
            wpid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if wpid == 0:
            return


class _Inert:
    """Stands in for anything of a module the grader does not provide: plots and the
    visible checks are not graded, so ``plt.plot(...)`` or ``check(...)`` does nothing.
    Calling, indexing or reading an attribute gives another inert object; iterating
    gives two, so ``fig, ax = plt.subplots()`` works."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter((self, self))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _InertModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Inert()


def _install_inert_modules(names):
    """Register inert stand-ins (e.g. matplotlib.pyplot, checks) so a notebook's
    set-up cell imports them without the real packages being readable here."""
    for name in names:
        module = _InertModule(name)
        module.__path__ = []  # a package, so submodules can be imported from it
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # orphaned descendants of a child come back to us, not to init
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass
    abi = _confine.landlock_abi() if _CONFIG["landlock"] else 0
    _CONFIG["landlock_abi"] = abi
    if os.geteuid() != 0:
        try:
            uid = os.getuid()
            count = sum(1 for d in os.listdir("/proc") if d.isdigit() and _owned(d, uid))
            _CONFIG["nproc"] = count + 64
        except OSError:
            _CONFIG["nproc"] = None
    else:
        _CONFIG["nproc"] = None  # not enforced for uid 0: seccomp blocks fork instead
    _install_inert_modules(_CONFIG.get("inert_modules", ()))
    gc.collect()
    gc.freeze()
    _send_json(b"Y", {"pid": os.getpid(), "landlock_abi": abi, "numpy": np.__version__,
                      "python": sys.version.split()[0], "seccomp": _CONFIG["seccomp"]
                      and _confine.ARCH is not None, "numpy_file": np.__file__})
    while True:
        try:
            kind = _read_exact(0, 1)
        except (EOFError, OSError):
            return
        if kind == b"Q":
            return
        if kind == b"K":
            continue
        if kind != b"R":
            return
        (n,) = _U32.unpack(_read_exact(0, 4))
        if n > MAX_REQUEST:
            return
        _serve_run(_read_exact(0, n))


def _owned(pid_dir, uid):
    try:
        return os.stat(f"/proc/{pid_dir}").st_uid == uid
    except OSError:
        return False


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
