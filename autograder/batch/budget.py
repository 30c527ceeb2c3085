"""The grader's own budget for one student, and the grading processes that hold it.

The sandbox bounds what a student's code may do; this module bounds what grading a student
costs the grader itself: reading the notebook, planning the cases, the sandbox runs,
scoring and writing the feedback, in a grading process of the batch
(``python -m autograder grade``, :mod:`autograder.batch.grade`). Each student has

- a wall clock, :attr:`Budget.seconds` (course.yml ``limits.grader_s``; by default what the
  sandbox may take for the assignment's notebooks plus :data:`GRACE_S`, see :func:`budget_for`):
  a grading process still busy with a student after that is killed and replaced;
- a memory limit, :attr:`Budget.memory_mb` (``limits.grader_mb``): the grading process's data
  segment (``RLIMIT_DATA``: heap and private mappings), set after its sandbox has started, so
  the sandbox's zygote keeps its own limits. A student whose grading needs more raises
  :class:`MemoryError` in the grading process, which reports it and is replaced.

Either way that student is a graded zero whose reason says which budget was exceeded
(:func:`over_budget_result`, written by the batch process itself), the other students are
graded by the other processes and by the replacement, and ``grades.csv`` is written. Only the
grader's own observations decide: the clock of the batch process and the grading process's
``MemoryError``; nothing the student's code reports. A grading process that dies without a
word (killed from outside, a crash of the grader) is a grader fault of that student only: no
grade.json, retried on the next run.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from autograder.course.config import MB, Course, load_course
from autograder.grading.results import ErrorKind, QuestionResult, SubmissionResult

#: Seconds for the grader's own work on one student on top of the sandbox's runs.
GRACE_S = 60.0
#: Seconds a grading process past its deadline gets to close its sandbox after SIGTERM.
TERM_GRACE_S = 5.0
#: Grading processes in a row that may die while setting up before the batch gives up.
MAX_FAILED_STARTS = 3

TIME, MEMORY = "time", "memory"  # the budgets
READY, GRADED, FAULT = "ready", "graded", "fault"  # what else a grading process says


@dataclass(frozen=True)
class Budget:
    """What grading one student may cost the grader: ``seconds`` of wall clock in a grading
    process, whose data memory is at most ``memory_mb``."""

    seconds: float
    memory_mb: float


def budget_for(course: Course, assignment: str) -> Budget:
    """The budget of one student of ``assignment``: course.yml's ``limits.grader_s`` when set,
    else the sandbox's wall clock for each notebook of the assignment (``limits.submission_timeout_s``,
    which the hidden run, its reruns and the diagnosis run share: ``grading.pipeline.WallBudget``)
    plus :data:`GRACE_S`; the memory is ``limits.grader_mb``."""
    if course.grader_s is not None:
        seconds = course.grader_s
    else:
        notebooks = len(course.assignment(assignment).notebooks)
        seconds = notebooks * course.limits.submission_timeout_s + GRACE_S
    return Budget(seconds, course.grader_mb)


def over_budget_reason(kind: str, budget: Budget) -> str:
    """The student's reason for a zero over the grader's budget ``kind`` (:data:`TIME`, :data:`MEMORY`)."""
    if kind == TIME:
        spent = f"took longer than the grader's limit of {budget.seconds:g} s per student"
    else:
        spent = f"needed more memory than the grader's limit of {budget.memory_mb:g} MB per student"
    return (f"grading this submission {spent} and was stopped; its questions scored 0. A notebook "
            f"of this assignment needs a small fraction of that: look for very large cells or outputs, "
            f"or code that runs when the notebook is loaded")


def over_budget_result(course: Course, assignment: str, student: str, kind: str, budget: Budget,
                       inputs: dict | None = None) -> SubmissionResult:
    """A graded zero for every question of ``assignment``, with the reason :func:`over_budget_reason`.

    ``inputs`` are the fingerprints of what was graded, as for any grade.json, so that a rerun
    keeps this zero until the student resubmits or the grader (course.yml: the budget) changes.
    """
    spec = course.assignment(assignment)
    questions = [QuestionResult(q.id, 0.0, q.points, 0, 0, f"{q.id}: not graded (see above), 0 of {q.points:g} points.")
                 for q in spec.questions]
    written = sum(w.points for nb in spec.notebooks for w in nb.written)
    return SubmissionResult(student, assignment, questions, over_budget_reason(kind, budget), ErrorKind.OVER_BUDGET,
                            [], None, written, dict(inputs or {}))


def limit_memory(memory_mb: float) -> None:
    """Cap this process's data segment (``RLIMIT_DATA``) at ``memory_mb``: an allocation beyond
    it fails, which Python raises as :class:`MemoryError`."""
    limit = int(memory_mb * MB)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


# --------------------------------------------------------------------------- the grading process
class Task(NamedTuple):
    submissions_dir: str
    out_dir: str
    assignment: str
    student: str
    inputs: dict


Setup = Callable[[str], None]  # set up a grading process, given course.yml's path
Grade = Callable[[str, str, str, str, dict], object]  # grade and write one student: a Task's fields
Write = Callable[[Path, SubmissionResult], None]  # write a student's files into OUT_DIR


def _grading_process(conn: Connection, course_path: str, memory_mb: float, setup: Setup, grade: Grade) -> None:
    """A grading process: ``setup`` (a sandbox of its own), then grade one :class:`Task` at a
    time with ``grade`` and answer ``(GRADED | FAULT | MEMORY, text)``. After a MemoryError it
    answers and leaves: the batch starts a fresh one."""
    signal.signal(signal.SIGTERM, _leave)
    try:
        setup(course_path)  # the sandbox first: its zygote keeps its own limits
        limit_memory(memory_mb)
        broken = None
    except Exception:  # noqa: BLE001 - said for every student it is given
        broken = "the grading process could not start\n" + traceback.format_exc()
    conn.send((READY, ""))  # a student's clock starts when they are given to a ready process
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        if broken:
            conn.send((FAULT, broken))
            continue
        try:
            grade(task.submissions_dir, task.out_dir, task.assignment, task.student, task.inputs)
        except MemoryError:
            conn.send((MEMORY, ""))
            return
        except Exception:  # noqa: BLE001 - a grader fault of this student only
            conn.send((FAULT, traceback.format_exc()))
        else:
            conn.send((GRADED, ""))


def _leave(signum: int, frame: object) -> None:
    """SIGTERM in a grading process: leave through SystemExit, so that multiprocessing's
    finalizers close its sandbox (its zygote and scratch folders)."""
    raise SystemExit(1)


class _Process:
    """One grading process as the batch sees it: its pipe, and the task it is working on."""

    def __init__(self, context: multiprocessing.context.BaseContext, course_path: str, budget: Budget,
                 setup: Setup, grade: Grade):
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_grading_process, daemon=True,
                                       args=(theirs, course_path, budget.memory_mb, setup, grade))
        self.process.start()
        theirs.close()
        self.task: Task | None = None
        self.deadline = 0.0
        self.ready = False  # set up and waiting for a task
        self.done = False  # stopped: never given another task

    def give(self, task: Task, seconds: float) -> None:
        self.conn.send(task)
        self.task, self.deadline = task, time.monotonic() + seconds

    def take(self) -> Task:
        task, self.task = self.task, None
        return task

    def stop(self, terminate: bool = False) -> None:
        """Ask the process to leave (``terminate``: SIGTERM); SIGKILL when it has not left after
        :data:`TERM_GRACE_S`."""
        self.done = True
        try:
            if terminate:
                self.process.terminate()
            else:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(TERM_GRACE_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class Outcome(NamedTuple):
    """What became of one student: graded (a grade.json was written, maybe a zero over
    budget), or not, with the grader's ``fault`` (no grade.json: retried on the next run)."""

    student: str
    graded: bool
    fault: str | None = None


def grade_within_budget(tasks: list[Task], course_path: str | os.PathLike, jobs: int, budget: Budget | None = None,
                        *, setup: Setup, grade: Grade, write: Write) -> Iterator[Outcome]:
    """Grade every task in at most ``jobs`` grading processes, each student within ``budget``
    (default :func:`budget_for` of the tasks' assignment); yield each student's
    :class:`Outcome` as it is known.

    Each grading process runs ``setup(course_path)`` once, then ``grade(*task)`` per student
    (module-level functions: they are sent to the process by name). A student over budget
    is written as a graded zero (:func:`over_budget_result`) with ``write`` by this, the
    batch process. (The batch passes its own functions in: ``batch.grade`` imports this
    module, not the other way round.)"""
    if not tasks:
        return
    course = load_course(course_path)
    budget = budget or budget_for(course, tasks[0].assignment)
    context = multiprocessing.get_context("forkserver")
    queue: deque[Task] = deque(tasks)
    processes: list[_Process] = []
    failed_starts = 0
    try:
        while queue or any(p.task for p in processes):
            processes = [p for p in processes if not p.done]
            while queue and failed_starts >= MAX_FAILED_STARTS:  # the machine, not a student: said for everyone left
                yield Outcome(queue.popleft().student, False, "no grading process could start")
            while queue and len(processes) < max(1, jobs):
                processes.append(_Process(context, str(course_path), budget, setup, grade))
            for process in processes:
                if queue and process.ready and process.task is None:
                    process.give(queue.popleft(), budget.seconds)
            deadlines = [p.deadline for p in processes if p.task]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            answered = wait([p.conn for p in processes if p.task or not p.ready], timeout=timeout)
            for process in processes:
                if process.conn in answered and not process.ready:
                    process.ready = _started(process)
                    failed_starts = 0 if process.ready else failed_starts + 1
                elif process.conn in answered:
                    yield _answer(process, course, budget, write)
                elif process.task and time.monotonic() >= process.deadline:
                    process.stop(terminate=True)
                    yield _over_budget(process.take(), course, budget, TIME, write)
    finally:
        for process in processes:
            if not process.done:
                process.stop(terminate=process.task is not None)


def _started(process: _Process) -> bool:
    """Read a new process's READY (False: it died setting up, and is stopped)."""
    try:
        return process.conn.recv()[0] == READY
    except (EOFError, OSError):
        process.stop(terminate=True)
        return False


def _answer(process: _Process, course: Course, budget: Budget, write: Write) -> Outcome:
    """The outcome of the student ``process`` has answered for, or died grading."""
    try:
        status, text = process.conn.recv()
    except (EOFError, OSError):
        process.stop(terminate=True)
        status, text = FAULT, f"the grading process died grading this student (exit code {process.process.exitcode})"
    task = process.take()
    if status == MEMORY:
        process.stop()  # it leaves by itself
        return _over_budget(task, course, budget, MEMORY, write)
    if status == FAULT:
        return Outcome(task.student, False, text)
    return Outcome(task.student, True)


def _over_budget(task: Task, course: Course, budget: Budget, kind: str, write: Write) -> Outcome:
    """Write the student's zero over budget ``kind`` (a failure to write is a grader fault)."""
    try:
        write(Path(task.out_dir), over_budget_result(course, task.assignment, task.student, kind, budget, task.inputs))
    except Exception:  # noqa: BLE001 - the student's folder cannot be written: theirs only
        return Outcome(task.student, False, traceback.format_exc())
    return Outcome(task.student, True)
