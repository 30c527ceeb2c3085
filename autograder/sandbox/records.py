"""The sandbox's public records: what a run is asked to do and what it reports.

Plain frozen dataclasses, shared by the supervisor, the grader and the tests.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, Mapping, Union

import numpy as np

Tree = Union[np.ndarray, np.generic, int, float, bool, list, tuple]
STATUSES = ("ok", "error", "timeout", "crashed", "not_run", "protocol")


class SandboxError(RuntimeError):
    """The sandbox itself could not work (e.g. the worker does not start, or the kernel
    cannot enforce a guarantee the sandbox promises)."""


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
    """Call ``function(*args)`` in the submission's namespace; args are Trees.

    ``again=True`` calls ``function`` once more on the very objects the previous call was
    given, as that call left them (``args`` must then be empty, and the previous call must be
    of the same function): a function that changed its arguments answers the second call
    from the changed values, which the grader sees in the returned value.

    ``watch_inputs=False`` spares the run copying the arguments to report whether the call
    changed them (``CallOutcome.mutated`` is then empty): for callers that do not read it.
    """

    function: str
    args: tuple = ()
    again: bool = False
    watch_inputs: bool = True


@dataclass(frozen=True)
class CellOutcome:
    ok: bool
    message: str = ""


@dataclass(frozen=True)
class CallOutcome:
    """What one call did.

    ``message`` is in course terms and, for a hidden case, carries nothing the student
    chose (no exception text, no names, no numbers).  ``error_type`` is the nearest
    built-in exception class of what was raised (``None`` otherwise).

    ``mutated`` (the indices of the positional arguments the call changed in place) and
    ``warnings`` (the built-in warning categories it emitted, e.g. ``("RuntimeWarning",)``)
    are what the run *says* about itself: any code of the student's can rewrite them, so
    they are advice for feedback and never decide a grade (docs/design.md, "What a run
    says about itself").  ``status`` "timeout" and the call's duration, by contrast, are
    measured by the supervisor, outside the run.
    """

    status: str  # one of STATUSES
    value: Any = None  # a Tree when status == "ok"
    message: str = ""
    error_type: str | None = None
    mutated: tuple = ()
    warnings: tuple = ()


@dataclass(frozen=True)
class RunResult:
    cells: list = field(default_factory=list)  # list[CellOutcome], one per source
    calls: list = field(default_factory=list)  # list[CallOutcome], one per Call
    reason: str | None = None  # why the run as a whole stopped early, if it did
    confinement: str = "rlimits-only"  # "namespaces" | "landlock" | "uid" | "rlimits-only"
    wall_s: float = 0.0
