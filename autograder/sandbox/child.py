"""The run's process: confines itself, runs the student's cells, then the calls.

Loaded by path into the zygote (which cannot import ``autograder``); :func:`main` runs in
the process the zygote's run supervisor forks as PID 1 of a fresh PID namespace.

Order of events, each a guarantee:

1. Read part 1 of the request (settings and the cells' sources) from the run's own
   request pipe: the zygote never held it.
2. Keep only the result pipe (fd 3), the request pipe (fd 4) and /dev/null; scrubbed
   environment; rlimits (address space, CPU, file size, open files, core, processes);
   drop to the run's unprivileged uid when started as root; Landlock, seccomp, no
   capabilities at all (``confine.py``).  At the ``namespaces`` level this process already
   lives in the run's own filesystem (``view.py``); at the ``landlock`` level it enters its
   own directory (``chroot``) first, while still root.
3. Execute every cell in one namespace, reporting each.  No hidden input exists in this
   process yet: the supervisor writes part 2 of the request (the calls) only after the
   last cell has reported.
4. Read the calls one at a time (the supervisor sends them one, or one group, at a time)
   and answer each; the answers of a group go back in one write.  The supervisor
   times each call from outside and kills the run when one overruns; the SIGALRM timer
   here is a convenience only (an honest endless loop ends with a ``timeout`` frame
   instead of a killed run), never what bounds a call.  ``mutated`` and ``warnings`` are
   reported as advice: nothing here can be trusted once the student's code has run.
5. Send each result back as a frame as soon as it is computed; ``end``.
"""
import builtins
import json
import math
import os
import random
import resource
import signal
import struct
import sys
import tempfile
import types
import warnings

import numpy as np

_U32 = struct.Struct(">I")
CHUNK = 1 << 20
_NUMERIC_KINDS = "biuf"
_NUMPY_SCALAR_TYPES = frozenset(
    t for t in set(np.sctypeDict.values()) if np.dtype(t).kind in _NUMERIC_KINDS
)
RESULT_FD, REQUEST_FD, RULESET_FD = 3, 4, 5


def _write_all(fd, parts):
    """Write the buffers ``parts`` in order (``writev``: a result's data is not first joined into
    one buffer, a copy of megabytes for a case with many parameters)."""
    views = [memoryview(p).cast("B") for p in parts if len(p)]
    while views:
        n = os.writev(fd, views[:256])
        while n:
            if views[0].nbytes > n:
                views[0] = views[0][n:]
                break
            n -= views.pop(0).nbytes


def _read_exact(fd, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, min(n - len(buf), CHUNK))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _read_frame(fd):
    (n,) = _U32.unpack(_read_exact(fd, 4))
    return json.loads(_read_exact(fd, n))


# --- part 2 of the request (trusted input from the supervisor) -----------------------------
def _decode_tree(node, blobs):
    if isinstance(node, dict) and "a" in node:  # an array, read by _read_calls
        return blobs[node["a"]]
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


def _array_nodes(node, found):
    """Every array node of an argument's tree, in the order of their blobs."""
    if isinstance(node, dict) and "a" in node:
        found.append(node)
    elif isinstance(node, dict) and len(node) == 1:
        (key, val), = node.items()
        if key in ("l", "t"):
            for item in val:
                _array_nodes(item, found)
    return found


class _Calls:
    """Part 2 of the request, read from ``fd`` a pipe-full at a time (the calls of a group are
    in the pipe together: one read for all their headers and small arrays, not two or three
    per call); a large array's bytes beyond what is buffered are read straight into it."""

    READ_AHEAD = 1 << 16

    def __init__(self, fd):
        self.fd, self.buf, self.pos = fd, b"", 0

    def _fill(self, need):
        """At least ``need`` bytes buffered from ``pos`` on."""
        while len(self.buf) - self.pos < need:
            chunk = os.read(self.fd, max(self.READ_AHEAD, need - (len(self.buf) - self.pos)))
            if not chunk:
                raise EOFError
            self.buf, self.pos = self.buf[self.pos:] + chunk, 0

    def exact(self, n):
        self._fill(n)
        data = self.buf[self.pos:self.pos + n]
        self.pos += n
        return data

    def frame(self):
        (n,) = _U32.unpack(self.exact(4))
        return json.loads(self.exact(n))

    def into(self, array):
        """Fill ``array`` (new, C-ordered) with the next ``array.nbytes`` bytes: what is buffered,
        then the rest read straight into the student's copy."""
        view = memoryview(array).cast("B") if array.nbytes else memoryview(b"")
        have = min(view.nbytes, len(self.buf) - self.pos)
        with memoryview(self.buf) as buffered:
            view[:have] = buffered[self.pos:self.pos + have]
        self.pos += have
        view = view[have:]
        while view.nbytes:
            n = os.readv(self.fd, [view[:CHUNK]])
            if not n:
                raise EOFError
            view = view[n:]


def _read_call(requests):
    """The next call ``(index, function, args or None for "again", more, watch)``, or None when
    done; ``more``: the supervisor sent the next call with this one (their answers go in one
    write); ``watch``: report whether the call changed its arguments.
    ``requests`` is the request pipe's :class:`_Calls`."""
    header = requests.frame()
    if header.get("done"):
        return None
    more, watch = bool(header.get("more")), not header.get("unwatched")
    if header.get("again"):
        return header["i"], header["f"], None, more, watch
    nodes = []
    for a in header["args"]:
        _array_nodes(a, nodes)
    arrays = {}
    for node in sorted(nodes, key=lambda n: n["a"]):  # the blobs follow the header in this order
        array = np.empty(node["s"], dtype=np.dtype(node["d"]))  # writable, owned by the student's code
        if array.nbytes != header["blobs"][node["a"]]:
            raise ValueError("blob size")
        requests.into(array)
        arrays[node["a"]] = array
    return header["i"], header["f"], [_decode_tree(a, arrays) for a in header["args"]], more, watch


# --- what a call did to its arguments ------------------------------------------------------
def _snapshot(x):
    """A deep copy of an argument's numbers and structure, to tell later if it changed."""
    if type(x) is np.ndarray:
        return x.copy()
    if type(x) in (list, tuple):
        return (type(x), [_snapshot(v) for v in x])
    return x


def _unchanged(x, snap):
    if type(snap) is np.ndarray:
        if not (type(x) is np.ndarray and x.shape == snap.shape and x.dtype == snap.dtype):
            return False
        if x.flags.c_contiguous and x.size:
            # bit for bit (nan included), without copying either, and only through ndarray's own
            # C methods (ndarray.all() would call numpy Python code the student's cells could patch)
            same = x.reshape(-1).view(np.uint8) == snap.reshape(-1).view(np.uint8)
            return bool(same[same.argmin()])
        return x.tobytes() == snap.tobytes()
    if type(snap) is tuple and len(snap) == 2 and snap[0] in (list, tuple):
        kind, items = snap
        return type(x) is kind and len(x) == len(items) and all(_unchanged(a, b) for a, b in zip(x, items))
    return type(x) is type(snap) and x == snap


def _builtin_base(exc):
    """The name of the nearest built-in class of an exception (never a student's name)."""
    return _builtin_class(type(exc))


_MRO = type.__dict__["__mro__"]
_BUILTIN_CLASSES = {id(obj): name for name, obj in vars(builtins).items()
                    if isinstance(obj, type) and obj.__name__ == name}  # OSError, not its alias IOError


def _builtin_class(cls):
    """The name of the nearest built-in ancestor of ``cls``, read without running any of
    the student's code (no metaclass property, no ``__eq__``)."""
    try:
        for base in _MRO.__get__(cls):
            name = _BUILTIN_CLASSES.get(id(base))
            if name is not None:
                return name
    except BaseException:
        pass
    return None


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
    """``.npy`` version 1.0 of a numeric array, exactly as ``np.lib.format.write_array``
    writes it, in a fraction of its time: the header's bytes and a view of the data (copied
    once, when the frame is written)."""
    if not arr.flags.c_contiguous:  # (np.ascontiguousarray would turn a 0-d array into 1-d)
        arr = arr.copy(order="C")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (
        arr.dtype.str, tuple(int(n) for n in arr.shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    data = memoryview(arr).cast("B") if arr.size else b""
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"), data


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
        self.blobs.append(_npy_bytes(arr))  # (header, data): one blob on the wire
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
    info = {"etype": _type_name(exc), "builtin": _builtin_base(exc), "emsg": "", "cell": None,
            "line": None, "func": None}
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



class _Run:
    """One run inside its confined process."""

    # Frames are buffered until the end of a cell or a call (or until the buffer grows large).
    FLUSH_BYTES = 1 << 20

    def __init__(self, settings, config, confine):
        self.settings, self.config, self.confine = settings, config, confine
        self.pending = []
        self.pending_bytes = 0

    def frame(self, obj, blobs=()):
        """Queue a frame; each blob is bytes or (header, data view) parts of one .npy."""
        parts = [blob if isinstance(blob, tuple) else (blob,) for blob in blobs]
        obj["blobs"] = [sum(len(p) for p in blob) for blob in parts]
        head = json.dumps(obj).encode()
        self.pending += [_U32.pack(len(head)), head, *(p for blob in parts for p in blob)]
        self.pending_bytes += 4 + len(head) + sum(obj["blobs"])
        if self.pending_bytes >= self.FLUSH_BYTES:
            self.flush()

    def flush(self):
        if self.pending:
            parts, self.pending, self.pending_bytes = self.pending, [], 0
            _write_all(RESULT_FD, parts)

    # --- step 2: confinement --------------------------------------------------------------
    def setup(self):
        s = self.settings
        scratch = s["scratch"]
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        uid = self.config.get("run_uid")
        if self.config.get("chroot") is not None:  # the landlock level: its own directory, nothing writable
            scratch = self.config["chroot_cwd"]
            self.confine.enter_own_directory(self.config["chroot"], scratch)
        elif uid is not None:  # a root grader: the scratch directory becomes the student's
            os.chown(scratch, uid, uid)
        os.chdir(scratch)
        os.environ.clear()
        os.environ.update(self.config["env"])
        os.environ["HOME"] = scratch
        os.environ["TMPDIR"] = scratch
        lim = s["limits"]
        mem = int(lim["memory_mb"]) << 20
        cpu = max(1, int(math.ceil(lim["cpu_s"])))
        fsize = int(lim["fsize_mb"]) << 20
        for res, soft, hard in (
            (resource.RLIMIT_AS, mem, mem),
            (resource.RLIMIT_CPU, cpu, cpu + 1),
            (resource.RLIMIT_FSIZE, fsize, fsize),
            (resource.RLIMIT_NOFILE, 64, 64),
            (resource.RLIMIT_CORE, 0, 0),
            (resource.RLIMIT_NPROC, 1, 1),  # this process; counted for its own uid only
        ):
            try:
                resource.setrlimit(res, (soft, hard))
            except (ValueError, OSError):
                pass
        if uid is not None:  # no capability kept: what it reads, its uid must be able to read
            self.confine.become_uid(uid, uid, ())
        report = self.confine.confine(ruleset_fd=self.config.get("ruleset_fd"), seccomp=self.config["seccomp"],
                                      abi=self.config.get("landlock_abi", 0),
                                      deny_truncate=bool(self.config.get("deny_truncate")),
                                      deny_mkdir=bool(self.config.get("deny_mkdir")))
        if self.config.get("ruleset_fd") is not None:
            os.close(RULESET_FD)
        if self.config.get("level") == "namespaces" and not report["error"]:
            report["level"] = "namespaces"  # its own filesystem, whatever Landlock adds
        elif uid is not None and report["level"] != "landlock":
            report["level"] = "uid"  # reads confined by file permissions alone
        # same starting point for every submission: reproducible grading
        random.seed(0)
        np.random.seed(0)
        tempfile.tempdir = scratch
        return report

    # --- step 3: the cells ------------------------------------------------------------------
    def run_cells(self, ns):
        for i, src in enumerate(self.settings["sources"]):
            try:
                exec(compile(src, f"<cell {i + 1}>", "exec"), ns)
                frame = {"k": "cell", "i": i, "ok": True}
            except BaseException as exc:
                frame = {"k": "cell", "i": i, "ok": False, **_error_info(exc, exc.__traceback__)}
                exc = None
            self.frame(frame)
            self.flush()  # a cell that hangs or crashes must not take the earlier cells with it

    # --- step 4: the calls ------------------------------------------------------------------
    def run_calls(self, ns):
        """Answer the calls the supervisor sends, one at a time, until it says it is done."""
        timeout = float(self.settings["call_timeout_s"])
        caps = self.settings["caps"]
        full_text = bool(self.settings.get("call_exception_text"))

        def on_alarm(signum, frame):
            raise CallTimeout()

        args = None
        requests = _Calls(REQUEST_FD)
        while True:
            call = _read_call(requests)
            if call is None:
                return
            i, fname, given, more, watch = call
            args = args if given is None else given  # "again": the previous call's objects
            blobs = ()
            seen = []
            snapshot = [_snapshot(a) for a in args] if watch else None
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
                        with warnings.catch_warnings(record=True) as seen:
                            warnings.simplefilter("always")
                            value = fn(*args)
                        enc = _Encoder(caps["result_bytes"], caps["result_nodes"], caps["result_depth"])
                        tree = enc.encode(value)
                        if len(json.dumps(tree)) > caps["header_bytes"]:
                            raise Reject("too_big")  # the parent would refuse the frame
                        value = None
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                    frame = {"k": "call", "i": i, "status": "ok", "tree": tree}
                    blobs = enc.blobs
                except CallTimeout:
                    frame = {"k": "call", "i": i, "status": "timeout"}
                except Reject as rej:
                    frame = {"k": "call", "i": i, "status": "error", **rej.info}
                except MemoryError:
                    frame = {"k": "call", "i": i, "status": "error", "err": "memory"}
                except BaseException as exc:
                    info = _error_info(exc, exc.__traceback__) if full_text else {"builtin": _builtin_base(exc)}
                    frame = {"k": "call", "i": i, "status": "error", "err": "exception", **info}
                    exc = None
                frame["mutated"] = [n for n, (a, s) in enumerate(zip(args, snapshot or ())) if not _unchanged(a, s)]
                frame["warnings"] = sorted({_warning_name(w) for w in seen})[:8]
            except CallTimeout:  # the alarm fired inside an except clause
                frame = {"k": "call", "i": i, "status": "timeout"}
            self.frame(frame, blobs)
            if not more:
                self.flush()  # the supervisor sends the next calls only once these are answered
            del blobs, snapshot

    def run(self):
        report = self.setup()
        self.frame({"k": "hello", "confinement": report["level"], "landlock_abi": report["landlock_abi"],
                    "seccomp": report["seccomp"]})
        self.flush()
        module = types.ModuleType("__main__")
        ns = module.__dict__
        ns["__builtins__"] = builtins
        sys.modules["__main__"] = module
        self.run_cells(ns)
        self.flush()
        self.run_calls(ns)
        os.close(REQUEST_FD)
        self.frame({"k": "end"})
        self.flush()


def _warning_name(record):
    try:
        category = record.category
    except BaseException:
        return "Warning"
    return _builtin_class(category) if isinstance(category, type) else "Warning"


_MISSING = object()


def main(request_fd, result_fd, config, confine):
    """Run one submission; never returns (``os._exit``): 0 after ``end``, 70 otherwise."""
    code = 70
    try:
        settings = _read_frame(request_fd)
        devnull = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        # result pipe at fd 3, request pipe at fd 4, the Landlock ruleset at fd 5, nothing else
        ruleset = config.get("ruleset_fd")
        moved = [os.dup(fd) if fd is not None else None for fd in (result_fd, request_fd, ruleset)]
        for fd, target in zip(moved, (RESULT_FD, REQUEST_FD, RULESET_FD)):
            if fd is not None:
                os.dup2(fd, target, inheritable=False)
        os.closerange(RULESET_FD + 1, 1 << 20)
        config = dict(config, ruleset_fd=RULESET_FD if ruleset is not None else None)
        _Run(settings, config, confine).run()
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)
