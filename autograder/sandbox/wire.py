"""The wire format between the supervisor and a run's process, parent side.

One run has one request pipe and one result pipe, both new for that run and closed when it
ends; the zygote passes them to the run's process and never reads either, so no byte of a
submission passes through a process that outlives it.

Request (supervisor -> run), on the request pipe:

1. ``u32 length + JSON`` : scratch directory, limits, caps, the sources of the cells;
2. written only after the last cell has reported, **one call, or one group of calls, at a
   time**: per call ``u32 length + JSON header`` (the call's index and function, each argument
   a tree whose arrays are raw bytes + dtype + shape, or ``"again": true`` for a second call
   on the previous call's objects, ``"unwatched": true`` when the run need not report changes
   to the arguments, ``"more": true`` when the next call of its group follows) followed by
   the raw bytes of every array, whose sizes the header lists.  The next call or group is
   written only once the run has answered these (or they were skipped), so the supervisor's
   clock, not the run's, says how long each call took (from its group's first byte);
   ``{"done": true}`` ends the calls.

Result (run -> supervisor), a sequence of frames ``u32 length + JSON header + .npy blobs``:
``hello`` (the confinement in force), one ``cell`` per source, one ``call`` per call (its
value a tree of ``{"a": i}`` array, ``{"s": i}`` numpy scalar, ``{"i": n}``, ``{"f": hex}``,
``{"b": bool}``, ``{"l": [...]}``, ``{"t": [...]}`` nodes), then ``end``.

Guarantee: the parent parses a run's bytes with ``json.loads`` and a strict ``.npy`` reader
only (``allow_pickle=False``, sizes checked against caps before allocating); nothing is
unpickled, evaluated or imported, and *any* failure to parse, of any kind, is a
:class:`ProtocolError` of that run.
"""
from __future__ import annotations

import io
import json
import math
import re
import struct
from typing import Sequence

import numpy as np

from autograder.sandbox import messages
from autograder.sandbox.records import Call, CallOutcome, CellOutcome, Limits

U32 = struct.Struct(">I")
NUMERIC_KINDS = "biuf"
MAX_HEADER = 1 << 20  # one result frame's JSON header
MAX_DEPTH = 32
MAX_NODES = 100_000


# --- the request ----------------------------------------------------------------------------
def encode_arg(x, blobs, depth=0):
    if depth > MAX_DEPTH:
        raise ValueError("call arguments nested too deeply")
    if isinstance(x, np.ndarray):  # the commonest first: arrays, then lists and tuples of them
        if x.dtype.kind not in NUMERIC_KINDS or x.dtype.fields is not None:
            raise TypeError(f"call arguments must be numeric arrays, got dtype {x.dtype}")
        # raw bytes plus dtype and shape: the worker reads them into an array of its own;
        # written from this view (no copy here when already C-ordered)
        blobs.append(memoryview(np.ascontiguousarray(x)).cast("B") if x.size else b"")
        return {"a": len(blobs) - 1, "d": x.dtype.str, "s": list(x.shape)}
    if isinstance(x, (list, tuple)):
        items = [encode_arg(v, blobs, depth + 1) for v in x]
        return {"l": items} if isinstance(x, list) else {"t": items}
    if isinstance(x, (bool, np.bool_)):
        return {"b": bool(x)}
    if isinstance(x, (int, np.integer)):
        return {"i": int(x)}
    if isinstance(x, (float, np.floating)):
        return {"f": float(x).hex()}
    raise TypeError(f"unsupported call argument of type {type(x).__name__}")


def frame(obj: dict) -> bytes:
    data = json.dumps(obj).encode()
    return U32.pack(len(data)) + data


def encode_cells(sources: Sequence[str], settings: dict) -> bytes:
    """Part 1 of a request: settings and the cells' sources."""
    return frame(dict(settings, sources=list(sources)))


def encode_calls(calls: Sequence[Call], ends: Sequence[int] | None = None) -> list[list]:
    """Part 2 of a request: one message per call, the buffers of its header and of its
    arguments' raw bytes (views of the arrays: the supervisor writes them with ``writev``, so
    the megabytes of a case with many parameters are copied only by the kernel), to be written
    one at a time, or a group at a time: ``ends[i]`` is one past the last call
    of call ``i``'s group (default: every call alone), and every call of a group but its last
    says ``"more": true``, so the run answers the group in one write.  A call ``again`` must
    follow a call of the same function."""
    messages = []
    for index, c in enumerate(calls):
        more = {"more": True} if ends is not None and ends[index] > index + 1 else {}
        if not c.watch_inputs:
            more["unwatched"] = True
        if not isinstance(c.function, str) or not c.function:
            raise TypeError("Call.function must be a non-empty string")
        if c.again:
            if c.args or index == 0 or calls[index - 1].function != c.function:
                raise ValueError("a call again must follow a call of the same function and take no arguments")
            messages.append([frame({"i": index, "f": c.function, "again": True, "blobs": [], **more})])
            continue
        blobs: list[bytes] = []
        args = [encode_arg(a, blobs) for a in c.args]
        messages.append([frame({"i": index, "f": c.function, "args": args,
                                "blobs": [len(b) for b in blobs], **more}), *blobs])
    return messages


#: Written after the last call: the run sends ``end`` and exits.
CALLS_DONE = frame({"done": True})


# --- the results ----------------------------------------------------------------------------
class ProtocolError(Exception):
    """The run sent something that is not a valid frame: a fault of that run only."""


_NPY_FAST = re.compile(
    rb"\x93NUMPY\x01\x00(..)\{'descr': '([<>|][biuf][0-9]{1,2})', 'fortran_order': (False|True), "
    rb"'shape': \(((?:[0-9]{1,19}, ?)*(?:[0-9]{1,19})?)\), \} *\n", re.DOTALL)


def read_npy(blob: bytes | bytearray) -> np.ndarray:
    """A numeric ndarray from .npy bytes, header checked before anything is allocated.

    The common case (a header exactly as numpy writes it for a plain numeric array) is
    parsed by a strict regular expression; anything else goes through numpy's own
    header parser and ``np.load(allow_pickle=False)``.  Never unpickles.  A ``bytearray``
    blob becomes the array's memory (the caller gives it up); ``bytes`` are copied.
    """
    m = _NPY_FAST.match(blob)
    if m is not None and 10 + int.from_bytes(m.group(1), "little") == m.end():
        try:
            dtype = np.dtype(m.group(2).decode())
        except TypeError:
            dtype = None
        if dtype is not None and dtype.kind in NUMERIC_KINDS and dtype.fields is None:
            shape = tuple(int(n) for n in m.group(4).split(b",") if n.strip())
            count = math.prod(shape)
            if len(shape) <= 32 and count * dtype.itemsize == len(blob) - m.end():
                arr = np.frombuffer(blob, dtype=dtype, count=count, offset=m.end())
                arr = arr.reshape(shape, order="F" if m.group(3) == b"True" else "C")
                return arr if isinstance(blob, bytearray) else arr.copy(order="K")  # writable either way
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
            raise ProtocolError(f"unsupported .npy version {version}")
    except ProtocolError:
        raise
    except Exception as exc:
        raise ProtocolError(f"bad .npy header ({type(exc).__name__})") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.hasobject:
        raise ProtocolError(f"non-numeric dtype {dtype}")
    if not isinstance(shape, tuple) or len(shape) > 32 or not all(
            type(n) is int and n >= 0 for n in shape):
        raise ProtocolError("bad .npy shape")
    if math.prod(shape) * dtype.itemsize != len(blob) - fp.tell():
        raise ProtocolError(".npy size does not match its header")
    fp.seek(0)
    try:
        arr = np.load(fp, allow_pickle=False)
    except Exception as exc:
        raise ProtocolError(f"bad .npy data ({type(exc).__name__})") from None
    if type(arr) is not np.ndarray or arr.dtype.kind not in NUMERIC_KINDS:
        raise ProtocolError("bad .npy data")
    return arr


def decode_tree(node, arrays, used, state, depth=0):
    state[0] += 1
    if state[0] > MAX_NODES or depth > MAX_DEPTH:
        raise ProtocolError("result tree too large")
    if type(node) is not dict or len(node) != 1:
        raise ProtocolError("bad tree node")
    (key, val), = node.items()
    if key in ("a", "s"):
        if type(val) is not int or not 0 <= val < len(arrays) or val in used:
            raise ProtocolError("bad array reference")
        used.add(val)
        arr = arrays[val]
        if key == "s":
            if arr.ndim != 0:
                raise ProtocolError("scalar is not 0-d")
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
            raise ProtocolError("bad float") from None
    if key in ("l", "t") and type(val) is list:
        items = [decode_tree(v, arrays, used, state, depth + 1) for v in val]
        return items if key == "l" else tuple(items)
    raise ProtocolError("bad tree node")


def timed_out(fname: str, limits: Limits, *, skipped: bool = False, **extra) -> CallOutcome:
    """The outcome of a call that overran its time limit (or was not sent after one did)."""
    timeout_s = f"{limits.call_timeout_s:g}"
    if skipped:
        message = f"{fname} was not called again: an earlier call did not return within {timeout_s} s"
    else:
        message = f"{fname} did not return within {timeout_s} s (time limit of one call)"
    return CallOutcome("timeout", None, message, **extra)


class ResultStream:
    """Incremental, validating parser of one run's result frames.

    ``feed`` raises :class:`ProtocolError` for anything malformed, whatever the cause.
    ``full_call_text`` (public cases only) keeps call exceptions' messages and places.
    """

    def __init__(self, sources: Sequence[str], calls: Sequence[Call], limits: Limits, *,
                 cell_text: bool = True, full_call_text: bool = False):
        self.calls_in, self.limits = list(calls), limits
        self.n_sources = len(sources)
        self.n_lines = [src.count("\n") + 2 for src in sources]
        self.cell_text, self.full_call_text = cell_text, full_call_text
        self.buf = bytearray()
        self.total = 0
        self.frame_cap = (limits.result_mb << 20) + (1 << 20)
        self.total_cap = 4 * (limits.result_mb << 20) + (16 << 20)
        self.hello: dict | None = None
        self.cells: list[CellOutcome] = []
        self.calls: list[CallOutcome] = []
        self.ended = False
        self.sent = 0  # the calls before this index have been sent (or recorded)

    def expect(self, start: int, end: int) -> None:
        """The supervisor sent calls ``start`` to ``end - 1``: their frames, in order, may come next."""
        self.sent = end

    def record(self, outcome: CallOutcome) -> None:
        """An outcome the supervisor decided itself (a call it did not send)."""
        self.calls.append(outcome)

    @property
    def cells_done(self) -> bool:
        return self.hello is not None and len(self.cells) == self.n_sources

    def feed(self, data: bytes) -> None:
        try:
            self._feed(data)
        except ProtocolError:
            raise
        except Exception as exc:  # an unexpected frame of any kind is the run's fault, never ours
            raise ProtocolError(f"unreadable results ({type(exc).__name__})") from None

    def _feed(self, data: bytes) -> None:
        self.total += len(data)
        if self.total > self.total_cap:
            raise ProtocolError(f"results larger than {self.total_cap >> 20} MB in total")
        self.buf += data
        buf, pos = self.buf, 0  # frames are parsed from an offset; the buffer is cut once
        try:
            while len(buf) - pos >= 4:
                (hlen,) = U32.unpack_from(buf, pos)
                if hlen > MAX_HEADER:
                    raise ProtocolError("frame header too large")
                if len(buf) - pos < 4 + hlen:
                    return
                try:
                    header = json.loads(bytes(buf[pos + 4:pos + 4 + hlen]))
                except (ValueError, UnicodeDecodeError, RecursionError):
                    raise ProtocolError("frame header is not JSON") from None
                if type(header) is not dict:
                    raise ProtocolError("frame header is not an object")
                sizes = header.get("blobs")
                if (type(sizes) is not list or len(sizes) > MAX_NODES
                        or not all(type(n) is int and 0 <= n <= self.frame_cap for n in sizes)
                        or sum(sizes) > self.frame_cap):
                    raise ProtocolError("bad blob sizes")
                need = 4 + hlen + sum(sizes)
                if len(buf) - pos < need:
                    return
                blobs, at = [], pos + 4 + hlen
                with memoryview(buf) as view:  # one copy per blob (a slice of buf would be two)
                    for n in sizes:
                        blobs.append(bytearray(view[at:at + n]))
                        at += n
                pos += need
                self._frame(header, blobs)
        finally:
            del buf[:pos]

    def _frame(self, h: dict, blobs: list) -> None:
        kind = h.get("k")
        if self.ended:
            raise ProtocolError("frame after the end")
        if self.hello is None:
            if kind != "hello" or h.get("confinement") not in ("namespaces", "landlock", "uid", "rlimits-only"):
                raise ProtocolError("missing hello")
            self.hello = h
            return
        if kind != "call" and blobs:
            raise ProtocolError("unexpected data")
        index = h.get("i")
        if kind == "cell":
            if type(index) is not int or index != len(self.cells) or index >= self.n_sources \
                    or type(h.get("ok")) is not bool:
                raise ProtocolError("bad cell frame")
            self.cells.append(CellOutcome(True, "") if h["ok"] else
                              CellOutcome(False, messages.cell_error(h, self.n_lines, self.cell_text)))
        elif kind == "call":
            if (not self.cells_done or type(index) is not int or index != len(self.calls)
                    or index >= len(self.calls_in) or index >= self.sent):
                raise ProtocolError("bad call frame")
            self.calls.append(self._call(h, blobs, self.calls_in[index].function))
        elif kind == "end":
            if len(self.calls) != len(self.calls_in):
                raise ProtocolError("early end")
            self.ended = True
        else:
            raise ProtocolError("unknown frame")

    def _call(self, h: dict, blobs: list, fname: str) -> CallOutcome:
        status = h.get("status")
        mutated = h.get("mutated", [])
        if type(mutated) is not list or not all(type(n) is int and 0 <= n < 64 for n in mutated):
            raise ProtocolError("bad mutated list")
        extra = {"mutated": tuple(sorted(set(mutated))), "warnings": messages.builtin_warnings(h.get("warnings", []))}
        if status == "ok":
            arrays = [read_npy(b) for b in blobs]
            used: set = set()
            value = decode_tree(h.get("tree"), arrays, used, [0])
            if len(used) != len(arrays):
                raise ProtocolError("unreferenced data")
            return CallOutcome("ok", value, "", **extra)
        if blobs:
            raise ProtocolError("bad call status")
        if status == "timeout":
            return timed_out(fname, self.limits, **extra)
        if status == "error":
            if h.get("err") == "exception":
                error_type = messages.builtin_exception(h.get("builtin"))
                message = messages.call_exception(fname, h, self.n_lines, self.full_call_text)
                return CallOutcome("error", None, message, error_type, **extra)
            return CallOutcome("error", None, messages.call_rejected(fname, h, self.limits), **extra)
        raise ProtocolError("bad call status")
