"""What the sandbox tells a student, built from structured fields in course terms.

Guarantee: text that reaches feedback from a run carries nothing the student's code chose
while it could see a hidden input.  During calls (which see the hidden inputs) that means:
no exception message, no function or class name of the student's, no line number, no
exit code and no call index; an exception is named only by its nearest built-in class.
Cells run before any hidden input exists in the process (the calls are sent only after
the last cell has reported), so a cell's error keeps its message, cleaned of numbers, and
its place.  A run on *public* cases may ask for the full text of call errors too
(``call_exception_text=True``), to help a student find a broken line.
"""
from __future__ import annotations

import builtins
import re
import signal
from typing import Any

#: Exception and warning classes named in feedback: the built-in ones only, a fixed vocabulary.
BUILTIN_EXCEPTIONS = frozenset(
    name for name, obj in vars(builtins).items()
    if isinstance(obj, type) and issubclass(obj, BaseException) and not issubclass(obj, Warning))
BUILTIN_WARNINGS = frozenset(
    name for name, obj in vars(builtins).items() if isinstance(obj, type) and issubclass(obj, Warning))

_FLOATISH = re.compile(
    r"[-+]?(?:\d+\.\d*|\.\d+|\d+(?=[eE][-+]?\d))(?:[eE][-+]?\d+)?|\d{7,}|\b(?:nan|inf)\b",
    re.IGNORECASE)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,79}")

SIGNALS = {
    signal.SIGSEGV: "crashed with a segmentation fault",
    signal.SIGBUS: "crashed with a bus error",
    signal.SIGABRT: "aborted",
    signal.SIGFPE: "crashed with a floating-point exception",
    signal.SIGILL: "crashed with an illegal instruction",
    signal.SIGXCPU: "exceeded its CPU time limit",
    signal.SIGSYS: "made a forbidden system call",
}


def clean(text: Any, limit: int = 160) -> str:
    """Printable, short, and with decimal numbers (possible hidden inputs) elided."""
    if not isinstance(text, str):
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in text[: 4 * limit])
    text = _FLOATISH.sub("…", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ident(text: Any, default: str = "") -> str:
    """``text`` if it is a plain Python identifier (dotted allowed), else ``default``."""
    return text if isinstance(text, str) and _IDENT.fullmatch(text) else default


def builtin_exception(name: Any) -> str | None:
    return name if isinstance(name, str) and name in BUILTIN_EXCEPTIONS else None


def builtin_warnings(names: Any) -> tuple:
    if not isinstance(names, list):
        return ()
    return tuple(sorted({n for n in names if isinstance(n, str) and n in BUILTIN_WARNINGS}))


def where(frame: dict, n_lines: list[int]) -> str:
    """``line L of cell C, in f`` from a frame's fields, each validated."""
    cell, line = frame.get("cell"), frame.get("line")
    if type(cell) is int and 1 <= cell <= len(n_lines):
        text = f"cell {cell}"
        if type(line) is int and 1 <= line <= n_lines[cell - 1]:
            text = f"line {line} of {text}"
        func = ident(frame.get("func"))
        if func and func != "<module>":
            text += f", in {func}"
        return text
    return ""


def cell_error(frame: dict, n_lines: list[int], with_text: bool) -> str:
    """A cell that raised: its exception's type, message (cleaned) and place."""
    etype = ident(frame.get("etype"), "an exception")
    text = clean(frame.get("emsg")) if with_text else ""
    message = f"{etype}: {text}" if text else etype
    place = where(frame, n_lines)
    return f"{message} ({place})" if place else message


def call_exception(fname: str, frame: dict, n_lines: list[int], full: bool) -> str:
    """A call that raised.  On hidden cases (``full=False``): the built-in class only."""
    if full:
        return f"{fname} raised " + cell_error(frame, n_lines, with_text=True)
    etype = builtin_exception(frame.get("builtin"))
    return f"{fname} raised {etype}" if etype else f"{fname} raised an exception"


#: Why a call gave no value, by the run's ``err`` code. A returned object is described the same
#: whatever its type: the type a call chose to return could carry what it saw of a hidden input.
REJECTIONS = {
    "missing": "function '{fname}' is not defined (no graded cell defines it, or the cell that defines it failed)",
    "not_callable": "'{fname}' is not a function",
    "none": "{fname} returned None, expected a numeric array (is a return statement missing?)",
    "type": "{fname} returned something that is not a number, an array, or a tuple or list of them",
    "complex": "{fname} returned a complex array, expected a real numeric array",
    "dtype": "{fname} returned an array that is not numeric, expected a numeric (bool, int or float) array",
    "too_big": "{fname} returned a value larger than {limits.result_mb} MB",
    "too_deep": "{fname} returned lists nested too deeply",
    "int_range": "{fname} returned an integer that does not fit in 64 bits",
    "memory": "{fname} ran out of memory (limit {limits.memory_mb} MB)",
}


def call_rejected(fname: str, frame: dict, limits) -> str:
    """A call whose value could not be sent back, or whose function could not be called."""
    template = REJECTIONS.get(frame.get("err"), "{fname} failed")
    return template.format(fname=fname, limits=limits)


def signal_text(sig: int) -> str:
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = "an unknown signal"
    return SIGNALS.get(sig, f"was killed by {name}")
