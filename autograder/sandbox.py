"""Run untrusted student code: a warm zygote forks one confined child per submission.

Usage::

    with Sandbox(Limits.from_mapping(course["limits"])) as sandbox:
        result = sandbox.run(sources, [Call("sigmoid", (z,)), Call("relu", (z,))])
        result.calls[0].status, result.calls[0].value

How it works (see ``autograder/_zygote.py`` for the worker side):

* ``Sandbox`` starts ``python -I -S autograder/_zygote.py`` with a scrubbed environment.
  The zygote's ``sys.path`` is the stdlib plus a private directory holding only a
  symlink to numpy, so ``nn_core``/``autograder`` (and everything else in the venv)
  cannot be imported there.  It imports numpy and common stdlib modules once.
* ``run`` sends the zygote the sources and the calls' arguments (JSON header + raw
  ``.npy`` blobs, ``allow_pickle=False``).  Expected values never leave this process.
  The zygote decodes them and forks a child that: starts a new session, keeps only its
  result pipe and /dev/null (stdout/stderr go to /dev/null), works in a fresh scratch
  directory, sets RLIMIT_AS/CPU/FSIZE/NOFILE/CORE(/NPROC), drops all capabilities and
  confines itself with Landlock (read-only stdlib, numpy and system libraries;
  read-write scratch; no TCP; signals scoped) and seccomp (no new processes, no
  sockets, no ptrace ...), see ``autograder/landlock.py``.  It then execs every source
  in one namespace (like a notebook kernel), calls each function with a per-call
  timeout and streams each result back as soon as it is ready.
* This process parses the stream with ``json.loads`` and ``np.load(allow_pickle=False)``
  only, validating every size against caps; nothing from the child is unpickled,
  evaluated or imported.  It enforces the wall-clock limit (the child's process group
  is SIGKILLed), reports crashes with a reason, keeps the results streamed before a
  crash and restarts the zygote transparently if it ever dies.

Messages are built here from structured fields; free text coming from the child (an
exception's message) is truncated and stripped of decimal numbers so that a submission
cannot echo its hidden inputs into feedback; the message of an exception raised inside a
call is dropped altogether by default (its type and place are kept), and
``exception_text=False`` drops the messages of cells too.

One ``run`` at a time per ``Sandbox`` (concurrent calls are serialised by a lock); use
one ``Sandbox`` per parallel grading job.
"""
from __future__ import annotations

import io
import json
import math
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field, fields
from typing import Any, Mapping, Sequence, Union

import numpy as np

__all__ = [
    "Call", "CallOutcome", "CellOutcome", "Limits", "RunResult", "Sandbox", "SandboxError",
    "STATUSES", "Tree",
]

Tree = Union[np.ndarray, np.generic, int, float, bool, list, tuple]
STATUSES = ("ok", "error", "timeout", "crashed", "not_run", "protocol")

_HERE = os.path.dirname(os.path.abspath(__file__))
_ZYGOTE = os.path.join(_HERE, "_zygote.py")
_LANDLOCK = os.path.join(_HERE, "landlock.py")
_U32 = struct.Struct(">I")
_NUMERIC_KINDS = "biuf"
_MAX_HEADER = 1 << 20  # one child frame's JSON header
_MAX_ZFRAME = 4 << 20  # one zygote frame
_MAX_DEPTH = 32
_MAX_NODES = 100_000
_KILL_GRACE_S = 5.0
_START_TIMEOUT_S = 60.0


class SandboxError(RuntimeError):
    """The sandbox itself could not work (e.g. the worker does not start)."""


# --- public records -------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission (``course.yml`` ``limits`` block)."""

    call_timeout_s: float = 5.0  # wall clock, one call of a student function
    submission_timeout_s: float = 60.0  # wall clock, the whole run
    cpu_s: float = 60.0  # CPU seconds of the whole run (RLIMIT_CPU)
    memory_mb: int = 1024  # address space of the child (RLIMIT_AS)
    file_size_mb: int = 16  # largest file the child may write (RLIMIT_FSIZE)
    scratch_mb: int = 64  # total disk use of the scratch directory
    result_mb: int = 64  # size of one call's returned value

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"limits.{f.name} must be a positive number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"limits.{f.name} must be finite")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> "Limits":
        """Build from the ``limits`` mapping of ``course.yml``; unknown keys are an error."""
        mapping = dict(mapping or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        return cls(**mapping)


@dataclass(frozen=True)
class Call:
    """Call ``function(*args)`` in the submission's namespace; args are Trees."""

    function: str
    args: tuple = ()


@dataclass(frozen=True)
class CellOutcome:
    ok: bool
    message: str = ""


@dataclass(frozen=True)
class CallOutcome:
    status: str  # one of STATUSES
    value: Any = None  # a Tree when status == "ok"
    message: str = ""


@dataclass(frozen=True)
class RunResult:
    cells: list = field(default_factory=list)  # list[CellOutcome], one per source
    calls: list = field(default_factory=list)  # list[CallOutcome], one per Call
    reason: str | None = None  # why the run as a whole stopped early, if it did
    confinement: str = "rlimits-only"  # "landlock" | "rlimits-only"
    wall_s: float = 0.0


# --- encoding the calls' arguments ----------------------------------------------------
def _encode_arg(x, blobs, depth=0):
    if depth > _MAX_DEPTH:
        raise ValueError("call arguments nested too deeply")
    if isinstance(x, (bool, np.bool_)):
        return {"b": bool(x)}
    if isinstance(x, (int, np.integer)):
        return {"i": int(x)}
    if isinstance(x, (float, np.floating)):
        return {"f": float(x).hex()}
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in _NUMERIC_KINDS or x.dtype.fields is not None:
            raise TypeError(f"call arguments must be numeric arrays, got dtype {x.dtype}")
        # raw bytes plus dtype and shape: the worker rebuilds the array with np.frombuffer
        blobs.append(np.ascontiguousarray(x).tobytes())
        return {"a": len(blobs) - 1, "d": x.dtype.str, "s": list(x.shape)}
    if isinstance(x, (list, tuple)):
        items = [_encode_arg(v, blobs, depth + 1) for v in x]
        return {"l": items} if isinstance(x, list) else {"t": items}
    raise TypeError(f"unsupported call argument of type {type(x).__name__}")


# --- decoding the child's stream ------------------------------------------------------
class _ProtocolError(Exception):
    pass


_NPY_FAST = re.compile(
    rb"\x93NUMPY\x01\x00(..)\{'descr': '([<>|][biuf][0-9]{1,2})', 'fortran_order': (False|True), "
    rb"'shape': \(((?:[0-9]{1,19}, ?)*(?:[0-9]{1,19})?)\), \} *\n", re.DOTALL)


def _read_npy(blob: bytes) -> np.ndarray:
    """A numeric ndarray from .npy bytes, header checked before anything is allocated.

    The common case (a header exactly as numpy writes it for a plain numeric array) is
    parsed by a strict regular expression; anything else goes through numpy's own
    header parser and ``np.load(allow_pickle=False)``.  Never unpickles.
    """
    m = _NPY_FAST.match(blob)
    if m is not None and 10 + int.from_bytes(m.group(1), "little") == m.end():
        try:
            dtype = np.dtype(m.group(2).decode())
        except TypeError:
            dtype = None
        if dtype is not None and dtype.kind in _NUMERIC_KINDS and dtype.fields is None:
            shape = tuple(int(n) for n in m.group(4).split(b",") if n.strip())
            count = math.prod(shape)
            if len(shape) <= 32 and count * dtype.itemsize == len(blob) - m.end():
                arr = np.frombuffer(blob, dtype=dtype, count=count, offset=m.end())
                order = "F" if m.group(3) == b"True" else "C"
                return arr.reshape(shape, order=order).copy(order="K")
    return _read_npy_slow(blob)


def _read_npy_slow(blob: bytes) -> np.ndarray:
    fp = io.BytesIO(blob)
    try:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
        else:
            raise _ProtocolError(f"unsupported .npy version {version}")
    except _ProtocolError:
        raise
    except Exception as exc:
        raise _ProtocolError(f"bad .npy header ({type(exc).__name__})") from None
    if dtype.kind not in _NUMERIC_KINDS or dtype.fields is not None or dtype.hasobject:
        raise _ProtocolError(f"non-numeric dtype {dtype}")
    if not isinstance(shape, tuple) or len(shape) > 32 or not all(
            type(n) is int and n >= 0 for n in shape):
        raise _ProtocolError("bad .npy shape")
    if math.prod(shape) * dtype.itemsize != len(blob) - fp.tell():
        raise _ProtocolError(".npy size does not match its header")
    fp.seek(0)
    try:
        arr = np.load(fp, allow_pickle=False)
    except Exception as exc:
        raise _ProtocolError(f"bad .npy data ({type(exc).__name__})") from None
    if type(arr) is not np.ndarray or arr.dtype.kind not in _NUMERIC_KINDS:
        raise _ProtocolError("bad .npy data")
    return arr


def _decode_tree(node, arrays, used, state, depth=0):
    state[0] += 1
    if state[0] > _MAX_NODES or depth > _MAX_DEPTH:
        raise _ProtocolError("result tree too large")
    if type(node) is not dict or len(node) != 1:
        raise _ProtocolError("bad tree node")
    (key, val), = node.items()
    if key in ("a", "s"):
        if type(val) is not int or not 0 <= val < len(arrays) or val in used:
            raise _ProtocolError("bad array reference")
        used.add(val)
        arr = arrays[val]
        if key == "s":
            if arr.ndim != 0:
                raise _ProtocolError("scalar is not 0-d")
            return arr[()]
        return arr
    if key == "b" and type(val) is bool:
        return val
    if key == "i" and type(val) is int and -(1 << 63) <= val < (1 << 63):
        return val
    if key == "f" and type(val) is str and len(val) <= 40:
        try:
            return float.fromhex(val)
        except ValueError:
            raise _ProtocolError("bad float") from None
    if key in ("l", "t") and type(val) is list:
        items = [_decode_tree(v, arrays, used, state, depth + 1) for v in val]
        return items if key == "l" else tuple(items)
    raise _ProtocolError("bad tree node")


_FLOATISH = re.compile(
    r"[-+]?(?:\d+\.\d*|\.\d+|\d+(?=[eE][-+]?\d))(?:[eE][-+]?\d+)?|\d{7,}|\b(?:nan|inf)\b",
    re.IGNORECASE)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,79}")


def _clean(text: Any, limit: int = 160) -> str:
    """Printable, short, and with decimal numbers (possible hidden inputs) elided."""
    if not isinstance(text, str):
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in text[: 4 * limit])
    text = _FLOATISH.sub("…", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ident(text: Any, default: str = "") -> str:
    return text if isinstance(text, str) and _IDENT.fullmatch(text) else default


_SIGNALS = {
    signal.SIGSEGV: "crashed with a segmentation fault",
    signal.SIGBUS: "crashed with a bus error",
    signal.SIGABRT: "aborted",
    signal.SIGFPE: "crashed with a floating-point exception",
    signal.SIGILL: "crashed with an illegal instruction",
    signal.SIGXCPU: "exceeded its CPU time limit",
    signal.SIGSYS: "made a forbidden system call",
}


class _Stream:
    """Incremental, validating parser of the child's frames."""

    def __init__(self, sandbox: "Sandbox", sources, calls, limits: Limits):
        self.sb = sandbox
        self.sources, self.calls_in, self.limits = sources, calls, limits
        self.n_lines = [src.count("\n") + 2 for src in sources]
        self.buf = bytearray()
        self.total = 0
        self.frame_cap = (limits.result_mb << 20) + (1 << 20)
        self.total_cap = 4 * (limits.result_mb << 20) + (16 << 20)
        self.hello = None
        self.cells: list[CellOutcome] = []
        self.calls: list[CallOutcome] = []
        self.ended = False
        self.error: str | None = None

    # parsing -----------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        self.total += len(data)
        if self.total > self.total_cap:
            raise _ProtocolError(f"results larger than {self.total_cap >> 20} MB in total")
        self.buf += data
        buf, pos = self.buf, 0  # frames are parsed from an offset; the buffer is cut once
        try:
            while len(buf) - pos >= 4:
                (hlen,) = _U32.unpack_from(buf, pos)
                if hlen > _MAX_HEADER:
                    raise _ProtocolError("frame header too large")
                if len(buf) - pos < 4 + hlen:
                    return
                try:
                    header = json.loads(bytes(buf[pos + 4:pos + 4 + hlen]))
                except (ValueError, UnicodeDecodeError, RecursionError):
                    raise _ProtocolError("frame header is not JSON") from None
                if type(header) is not dict:
                    raise _ProtocolError("frame header is not an object")
                sizes = header.get("blobs")
                if (type(sizes) is not list or len(sizes) > _MAX_NODES
                        or not all(type(n) is int and 0 <= n <= self.frame_cap for n in sizes)
                        or sum(sizes) > self.frame_cap):
                    raise _ProtocolError("bad blob sizes")
                need = 4 + hlen + sum(sizes)
                if len(buf) - pos < need:
                    return
                blobs, at = [], pos + 4 + hlen
                for n in sizes:
                    blobs.append(bytes(buf[at:at + n]))
                    at += n
                pos += need
                self._frame(header, blobs)
        finally:
            del buf[:pos]

    def _frame(self, h: dict, blobs: list) -> None:
        kind = h.get("k")
        if self.ended:
            raise _ProtocolError("frame after the end")
        if self.hello is None:
            if kind != "hello" or h.get("confinement") not in ("landlock", "rlimits-only"):
                raise _ProtocolError("missing hello")
            self.hello = h
            return
        if kind != "call" and blobs:
            raise _ProtocolError("unexpected data")
        if kind == "cell":
            i = h.get("i")
            if i != len(self.cells) or i >= len(self.sources) or type(h.get("ok")) is not bool:
                raise _ProtocolError("bad cell frame")
            self.cells.append(CellOutcome(True, "") if h["ok"] else
                              CellOutcome(False, self._exception_text(h, None)))
        elif kind == "call":
            i = h.get("i")
            if (len(self.cells) != len(self.sources) or i != len(self.calls)
                    or i >= len(self.calls_in)):
                raise _ProtocolError("bad call frame")
            status = h.get("status")
            fname = self.calls_in[i].function
            if status == "ok":
                arrays = [_read_npy(b) for b in blobs]
                used: set = set()
                value = _decode_tree(h.get("tree"), arrays, used, [0])
                if len(used) != len(arrays):
                    raise _ProtocolError("unreferenced data")
                self.calls.append(CallOutcome("ok", value, ""))
            elif status == "timeout" and not blobs:
                self.calls.append(CallOutcome(
                    "timeout", None,
                    f"{fname} was not called again: an earlier call did not return within "
                    f"{self.limits.call_timeout_s:g} s" if h.get("skipped") is True else
                    f"{fname} did not return within {self.limits.call_timeout_s:g} s "
                    f"(time limit of one call)"))
            elif status == "error" and not blobs:
                self.calls.append(CallOutcome("error", None, self._call_error(fname, h)))
            else:
                raise _ProtocolError("bad call status")
        elif kind == "end":
            if len(self.calls) != len(self.calls_in):
                raise _ProtocolError("early end")
            self.ended = True
        else:
            raise _ProtocolError("unknown frame")

    # messages ----------------------------------------------------------------------
    def _where(self, h: dict) -> str:
        cell, line = h.get("cell"), h.get("line")
        if type(cell) is int and 1 <= cell <= len(self.sources):
            where = f"cell {cell}"
            if type(line) is int and 1 <= line <= self.n_lines[cell - 1]:
                where = f"line {line} of {where}"
            func = _ident(h.get("func"))
            if func and func != "<module>":
                where += f", in {func}"
            return where
        return ""

    def _exception_text(self, h: dict, fname: str | None) -> str:
        etype = _ident(h.get("etype"), "an exception")
        shown = self.sb.exception_text and (fname is None or self.sb.call_exception_text)
        text = _clean(h.get("emsg")) if shown else ""
        msg = f"{etype}: {text}" if text else etype
        if fname:
            msg = f"{fname} raised {msg}"
        where = self._where(h)
        return f"{msg} ({where})" if where else msg

    def _call_error(self, fname: str, h: dict) -> str:
        err = h.get("err")
        tname = _ident(h.get("tname"), "unknown")
        if err == "missing":
            return (f"function '{fname}' is not defined (no graded cell defines it, "
                    f"or the cell that defines it failed)")
        if err == "not_callable":
            return f"'{fname}' is a {tname}, not a function"
        if err == "none":
            return f"{fname} returned None, expected a numeric array (is a return statement missing?)"
        if err == "type":
            return f"{fname} returned an object of type {tname}, expected a numeric array"
        if err == "complex":
            return f"{fname} returned a complex array, expected a real numeric array"
        if err == "dtype":
            dtype = _clean(h.get("dtype"), 40)
            return f"{fname} returned an array of dtype {dtype}, expected a numeric (bool, int or float) array"
        if err == "too_big":
            return f"{fname} returned a value larger than {self.limits.result_mb} MB"
        if err == "too_deep":
            return f"{fname} returned lists nested more than {_MAX_DEPTH} levels deep"
        if err == "int_range":
            return f"{fname} returned an integer that does not fit in 64 bits"
        if err == "memory":
            where = self._where(h)
            return (f"{fname} ran out of memory (limit {self.limits.memory_mb} MB)"
                    + (f" ({where})" if where else ""))
        if err == "exception":
            return self._exception_text(h, fname)
        return f"{fname} failed"


# --- the sandbox ----------------------------------------------------------------------
class _ZygoteDied(Exception):
    pass


def _rmtree(path: str) -> None:
    def onerror(func, p, exc_info):
        try:
            os.chmod(os.path.dirname(p), 0o700)
            os.chmod(p, 0o700)
            func(p)
        except OSError:
            pass

    if os.path.lexists(path):
        shutil.rmtree(path, onerror=onerror)


def _system_read_paths() -> list[str]:
    paths = []
    sp = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib"):
        if sp.get(key):
            paths.append(sp[key])
    paths.append(os.path.dirname(os.__file__))
    paths += ["/usr/lib", "/lib", "/usr/lib64", "/lib64", "/usr/local/lib", "/etc/ld.so.cache"]
    out = []
    for p in paths:
        if os.path.exists(p):
            real = os.path.realpath(p)
            if real not in out:
                out.append(real)
    return out


# Modules a notebook imports for what is not graded (plots, the visible checks, display):
# inside the sandbox they import as inert stand-ins whose every call does nothing.
INERT_MODULES = ("matplotlib", "matplotlib.pyplot", "checks", "IPython", "IPython.display", "tqdm", "tqdm.auto")


class Sandbox:
    """Owns a warm zygote; ``run`` executes one submission in a fresh confined child.

    ``inert_modules`` import as do-nothing stand-ins (see :data:`INERT_MODULES`).

    ``landlock``/``seccomp`` can be switched off (for tests and diagnosis only).
    ``exception_text=False`` keeps exceptions' messages out of feedback entirely. The
    messages of exceptions raised inside calls (which see the hidden inputs) are dropped
    unless ``call_exception_text=True``: only their type and place are reported.
    """

    def __init__(self, limits: Limits | None = None, *, landlock: bool = True,
                 seccomp: bool = True, exception_text: bool = True, call_exception_text: bool = False,
                 inert_modules: Sequence[str] = INERT_MODULES):
        self.limits = limits or Limits()
        self.inert_modules = tuple(inert_modules)
        self.landlock = landlock
        self.seccomp = seccomp
        self.exception_text = exception_text
        self.call_exception_text = call_exception_text
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._info: dict = {}
        self._base: str | None = None
        self._zbuf = bytearray()
        self.restarts = -1  # number of zygote (re)starts beyond the first
        self._closed = False

    # lifecycle ---------------------------------------------------------------------
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
            if self._base:
                _rmtree(self._base)
                self._base = None
            self._closed = True

    @property
    def zygote_pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    @property
    def confinement(self) -> str:
        """The level children get: "landlock" or "rlimits-only"."""
        with self._lock:
            self._ensure_zygote()
            return "landlock" if self._info.get("landlock_abi", 0) > 0 else "rlimits-only"

    @property
    def info(self) -> dict:
        """What the zygote reported at start: python, numpy, landlock_abi, seccomp."""
        with self._lock:
            self._ensure_zygote()
            return dict(self._info)

    def _ensure_zygote(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._stop_zygote()
        if self._base is None:
            self._base = tempfile.mkdtemp(prefix="nn-sandbox-")
            shim = os.path.join(self._base, "pylib")
            os.mkdir(shim)
            np_dir = os.path.realpath(os.path.dirname(np.__file__))
            os.symlink(np_dir, os.path.join(shim, "numpy"))
            libs = os.path.join(os.path.dirname(np_dir), "numpy.libs")
            if os.path.isdir(libs):
                os.symlink(os.path.realpath(libs), os.path.join(shim, "numpy.libs"))
            os.mkdir(os.path.join(self._base, "runs"))
        base = self._base
        shim = os.path.join(base, "pylib")
        np_dir = os.path.realpath(os.path.dirname(np.__file__))
        read_paths = _system_read_paths() + [np_dir, shim]
        libs = os.path.join(shim, "numpy.libs")
        if os.path.exists(libs):
            read_paths.append(os.path.realpath(libs))
        child_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        config = {
            "numpy_path": shim, "landlock_module": _LANDLOCK, "read_paths": read_paths,
            "env": child_env, "landlock": bool(self.landlock), "seccomp": bool(self.seccomp),
            "inert_modules": list(self.inert_modules),
        }
        log = open(os.path.join(base, "zygote.log"), "ab")
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-S", _ZYGOTE, json.dumps(config)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                env=dict(child_env, HOME=base), cwd=base, close_fds=True,
                start_new_session=True, bufsize=0)
        finally:
            log.close()
        self._zbuf = bytearray()
        self.restarts += 1
        try:
            kind, payload = self._read_zframe(time.monotonic() + _START_TIMEOUT_S)
            if kind != b"Y":
                raise _ZygoteDied("unexpected first frame")
            self._info = json.loads(payload)
        except (_ZygoteDied, ValueError, TimeoutError) as exc:
            self._stop_zygote()
            try:
                with open(os.path.join(base, "zygote.log"), "rb") as f:
                    tail = f.read()[-2000:].decode(errors="replace")
            except OSError:
                tail = ""
            raise SandboxError(f"the sandbox worker did not start ({exc}): {tail}") from None
        if not str(self._info.get("numpy_file", "")).startswith(shim + os.sep):
            self._stop_zygote()
            raise SandboxError("the sandbox worker imported numpy from an unexpected place")

    def _stop_zygote(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.poll() is None:
                try:
                    proc.stdin.write(b"Q")
                    proc.stdin.flush()
                except OSError:
                    pass
                try:
                    proc.wait(timeout=1.0)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except OSError:
                        proc.kill()
                    proc.wait(timeout=5.0)
        finally:
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass

    # zygote io -----------------------------------------------------------------------
    def _send(self, data: bytes) -> None:
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise _ZygoteDied(f"write failed: {exc}") from None

    def _read_zframe(self, deadline: float):
        """Next zygote frame, or raise TimeoutError at the deadline / _ZygoteDied."""
        fd = self._proc.stdout.fileno()
        while True:
            if len(self._zbuf) >= 5:
                (n,) = _U32.unpack_from(self._zbuf, 1)
                if n > _MAX_ZFRAME:
                    raise _ZygoteDied("oversized frame from the worker")
                if len(self._zbuf) >= 5 + n:
                    kind = bytes(self._zbuf[:1])
                    payload = bytes(self._zbuf[5:5 + n])
                    del self._zbuf[:5 + n]
                    return kind, payload
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            try:
                data = os.read(fd, 1 << 20)
            except OSError as exc:
                raise _ZygoteDied(str(exc)) from None
            if not data:
                raise _ZygoteDied("the worker exited")
            self._zbuf += data

    # running -------------------------------------------------------------------------
    def run(self, sources: Sequence[str], calls: Sequence[Call], *,
            limits: Limits | None = None) -> RunResult:
        """Execute ``sources`` in one namespace, then each call; never raises for
        anything the submission does."""
        limits = limits or self.limits
        sources = [str(s) for s in sources]
        calls = [c if isinstance(c, Call) else Call(*c) for c in calls]
        blobs: list[bytes] = []
        wire_calls = []
        for c in calls:
            if not isinstance(c.function, str) or not c.function:
                raise TypeError("Call.function must be a non-empty string")
            wire_calls.append({"f": c.function, "args": [_encode_arg(a, blobs) for a in c.args]})
        t0 = time.monotonic()
        with self._lock:
            if self._closed:
                raise SandboxError("the sandbox is closed")
            last_error = ""
            for _attempt in range(2):
                self._ensure_zygote()
                scratch = tempfile.mkdtemp(dir=os.path.join(self._base, "runs"))
                try:
                    return self._run_once(sources, calls, wire_calls, blobs, limits, scratch, t0)
                except _ZygoteDied as exc:
                    last_error = str(exc)
                    self._kill_zygote()
                finally:
                    _rmtree(scratch)
        reason = "The sandbox worker died unexpectedly; the submission could not be run."
        return RunResult(
            cells=[CellOutcome(False, "not run: " + reason) for _ in sources],
            calls=[CallOutcome("not_run", None, "not run: " + reason) for _ in calls],
            reason=reason + (f" ({_clean(last_error, 80)})" if last_error else ""),
            confinement=self._level(), wall_s=time.monotonic() - t0)

    def _level(self) -> str:
        return "landlock" if self._info.get("landlock_abi", 0) > 0 else "rlimits-only"

    def _kill_zygote(self, child_pid: int | None = None) -> None:
        proc, self._proc = self._proc, None
        if child_pid:
            try:
                os.killpg(child_pid, signal.SIGKILL)
            except OSError:
                pass
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:  # pragma: no cover
                pass
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass

    def _run_once(self, sources, calls, wire_calls, blobs, limits, scratch, t0) -> RunResult:
        header = {
            "sources": sources, "calls": wire_calls, "blobs": [len(b) for b in blobs],
            "scratch": scratch, "call_timeout_s": float(limits.call_timeout_s),
            "limits": {"memory_mb": int(limits.memory_mb), "cpu_s": float(limits.cpu_s),
                       "fsize_mb": int(limits.file_size_mb), "scratch_mb": int(limits.scratch_mb)},
            "caps": {"result_bytes": int(limits.result_mb) << 20, "result_nodes": _MAX_NODES,
                     "result_depth": _MAX_DEPTH},
        }
        head = json.dumps(header).encode()
        body_len = 4 + len(head) + sum(len(b) for b in blobs)
        self._send(b"".join([b"R", _U32.pack(body_len), _U32.pack(len(head)), head, *blobs]))

        stream = _Stream(self, sources, calls, limits)
        deadline = t0 + float(limits.submission_timeout_s)
        killed: str | None = None  # "timeout" | "protocol" when we asked for the kill
        hard_deadline = None
        pid = None
        end = None
        while end is None:
            now = time.monotonic()
            if killed is None and now >= deadline:
                killed = "timeout"
                self._send(b"K")
                hard_deadline = now + _KILL_GRACE_S
            try:
                kind, payload = self._read_zframe(hard_deadline if killed else deadline)
            except TimeoutError:
                if killed is None:
                    continue
                # the worker did not report the kill: treat it as broken and replace it
                self._kill_zygote(pid)
                end = {"killed": "parent"}
                break
            if kind == b"S":
                pid = json.loads(payload).get("pid")
            elif kind == b"D":
                if stream.error is None:
                    try:
                        stream.feed(payload)
                    except _ProtocolError as exc:
                        stream.error = str(exc)
                        if killed is None:
                            killed = "protocol"
                            self._send(b"K")
                            hard_deadline = time.monotonic() + _KILL_GRACE_S
            elif kind == b"E":
                end = json.loads(payload)
            else:
                raise _ZygoteDied("unexpected frame from the worker")
        return self._assemble(stream, end, killed, limits, t0)

    def _assemble(self, stream: _Stream, end: dict, killed, limits: Limits, t0) -> RunResult:
        sources, calls = stream.sources, stream.calls_in
        n_cells, n_calls = len(sources), len(calls)
        cells, outs = list(stream.cells), list(stream.calls)
        confinement = stream.hello["confinement"] if stream.hello else self._level()
        if len(cells) < n_cells:
            where = f"while running cell {len(cells) + 1}"
        elif len(outs) < n_calls:
            where = f"while running {calls[len(outs)].function} (call {len(outs) + 1})"
        else:
            where = "after its last call"
        status = "crashed"
        if stream.error is not None and not stream.ended:
            status = "protocol"
            reason = f"The submission's process sent malformed results ({_clean(stream.error, 80)})."
        elif killed == "timeout":
            status = "timeout"
            reason = (f"The submission did not finish within {limits.submission_timeout_s:g} s "
                      f"(time limit of a whole submission), {where}.")
        elif end.get("error"):
            reason = f"The sandbox could not run the submission ({_clean(end['error'], 120)})."
        elif stream.ended:
            reason = None
        elif end.get("killed") == "disk":
            reason = f"The submission wrote more than {limits.scratch_mb} MB to disk, {where}."
        else:
            sig, code = end.get("signal"), end.get("exit")
            cpu = end.get("cpu_s") or 0.0
            if type(sig) is int:
                if sig in (signal.SIGKILL, signal.SIGXCPU) and cpu >= limits.cpu_s - 0.5:
                    what = f"exceeded its CPU time limit of {limits.cpu_s:g} s"
                elif sig == signal.SIGKILL:
                    what = f"was killed (most likely out of memory; limit {limits.memory_mb} MB)"
                else:
                    try:
                        name = signal.Signals(sig).name
                    except ValueError:
                        name = str(sig)
                    what = _SIGNALS.get(sig, f"was killed by signal {name}")
            elif type(code) is int:
                what = f"exited with code {code} (os._exit or a fatal error)"
            else:
                what = "stopped for an unknown reason"
            if stream.hello is None and type(code) is int and code == 70:
                what = "could not be started by the sandbox"
            reason = f"The submission's process {what}, {where}."
        if reason is not None:
            if len(cells) < n_cells:
                cells.append(CellOutcome(False, reason))
                cells += [CellOutcome(False, "not run: the submission stopped earlier")
                          for _ in range(n_cells - len(cells))]
                rest = "protocol" if status == "protocol" else "not_run"
                outs += [CallOutcome(rest, None, f"not run: {reason}") for _ in range(n_calls)]
            elif len(outs) < n_calls:
                fname = calls[len(outs)].function
                outs.append(CallOutcome(status, None, f"{fname}: {reason}"))
                rest = "protocol" if status == "protocol" else "not_run"
                outs += [CallOutcome(rest, None, f"not run: {reason}")
                         for _ in range(n_calls - len(outs))]
        return RunResult(cells=cells, calls=outs, reason=reason, confinement=confinement,
                         wall_s=time.monotonic() - t0)
