"""``python -m bench.grading``: this package against plain nbgrader and otter-grader, on one class.

    python -m bench.grading [--n 10] [--full] [--batch 10] [--tools ...] [--large 2000] [--jobs 2]
                            [--dir DIR] [--keep]

The grading tools compared (:data:`TOOLS`), each on the same submissions:

* ``plain-nbgrader``: the alternative an instructor would pick instead of this package.
  The course rebuilt for nbgrader alone (:mod:`bench.alternatives`): hidden test cells of
  literal numbers computed once from ``nn_core`` and ``np.allclose`` with course.yml's
  tolerances (:mod:`bench.literal_tests`), nbgrader's default configuration, so
  ``nbgrader autograde`` executes every notebook in a Jupyter kernel (``Execute``);
* ``otter``: otter-grader's ``otter run`` on each notebook (the same literal cases as
  exception-based tests, one autograder zip per notebook made by ``otter generate``), when
  otter-grader is installed (the optional extra ``otter``); otherwise the benchmark says why
  and leaves it out. ``otter grade`` needs Docker, which is not available here; it runs
  ``otter run`` inside one container per submission, so ``otter run`` is its lower bound;
* ``nbgrader-engine``: ``nbgrader autograde`` of the real course, whose grading step is
  this package's engine (``EngineGrade`` replaces ``Execute``);
* ``command-line``: ``python -m autograder grade ASSIGNMENT DIR --out OUT --jobs J``.

1. The courses are built and released with ``nbgrader generate_assignment`` (not timed), and
   ``--n`` synthetic submissions per assignment (:mod:`autograder.demo.synthetic`) are written for
   each: the kinds cycling correct, mistakes, stub (the hostile kind is left out: it hangs on
   purpose for 5 s). A student's answer cells are the same for every tool.
2. The submissions are graded in batches of ``--batch`` consecutive students of one
   assignment (a power of ten, so that nbgrader's ``--student`` glob selects them; 0: the
   whole assignment at once). Every tool grades a batch before the next batch starts, in an
   order that rotates from batch to batch, so that the tools share the machine's load alike.
   A batch is one command per tool (otter: one ``otter run`` per notebook), timed as a whole
   (process start, imports and shutdown included).
3. Scores: every tool must give full marks to every question of a correct submission and
   zero to a stub (any other score fails the run); ``nbgrader-engine`` and ``command-line``
   must agree exactly on every question. On the mistaken submissions the scores differ by
   design, and the differences are listed with the reason (plain nbgrader scores a test cell
   all or nothing; otter shares a question's points among its fixed cases; the engine among
   the student's own hidden cases).
4. The command line's throughput over plain nbgrader's is printed per assignment, against
   the goal of :data:`GOAL_RATIO` on every one.
5. ``--large`` submissions (default 2,000) of the largest assignment (by questions), the kinds
   cycling as above, go through the command line alone. The time for 10,000 is extrapolated linearly: this run's time plus the rest at
   its steady rate (completions per second over the last 90 % of ``grade.json`` times), so
   the start-up is paid once, as in one run of 10,000; 10,000 / n runs is printed too.

What is measured (printed with the results), per assignment and overall:

* *throughput*: submissions / the commands' wall-clock seconds, summed over the batches;
* *CPU s/subm*: user + system CPU seconds of the command's whole process tree (kernels,
  grading processes and sandboxes included: the command runs under a child subreaper,
  :mod:`bench._reaper`), per submission. It depends far less on the other jobs of a shared
  machine than wall-clock time does;
* *latency* of one submission: nbgrader grades one notebook after another, so a
  submission's latency is the time from the log line that starts it (``Running pre-convert
  hook``) to the one that starts the next (to the process's exit for the last), as read
  live from its log; ``otter run`` grades one notebook per command, so its latency is the
  command's time; the command line grades J at a time, so a submission's latency is the
  time from a worker opening the notebook (its access time, reset before the run; the file
  system must update atime, as ``relatime`` does) to its ``grade.json`` being written;
* *peak memory*: the largest sum of the proportional set size (PSS; shared pages divided
  among the processes sharing them) over the command's whole process tree, sampled every
  0.1 s from ``/proc``, and the largest resident set of any single process in it.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from autograder.course import release
from autograder.demo import synthetic
from autograder.batch.result_files import GRADE_FILE, read_student
from autograder.course.config import Course, load_course
from bench import alternatives

REPO = release.REPO
KINDS = ("correct", "mistakes", "stub")  # not "hostile": it contains a deliberate 5 s hang
GOAL_LARGE_N = 10_000
GOAL_LARGE_S = 300.0
#: the command line's throughput, at least this many times plain nbgrader's, on every assignment
GOAL_RATIO, RATIO_BASELINE = 50.0, "plain-nbgrader"
MARKER = ".bench-grading"  # marks a directory this benchmark created and may empty again
SAMPLE_S = 0.1
REAPER = Path(__file__).resolve().parent / "_reaper.py"
DEFAULT_N, DEFAULT_LARGE, FULL_N, FULL_LARGE = 10, 2000, 50, 2000
Progress = Callable[[str], None]


# --------------------------------------------------------------------------- measuring a command
class TreeMemory:
    """Samples the memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = SAMPLE_S):
        self.pid, self.interval = pid, interval
        self.peak_pss_kb = 0   # largest sum of PSS over the tree
        self.peak_rss_kb = 0   # largest RSS of one process
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _children() -> dict[int, list[int]]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        return children

    @staticmethod
    def _memory_kb(pid: int) -> tuple[int, int]:
        """(PSS, RSS) of one process in kB; (0, 0) if it is gone."""
        pss = rss = 0
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Rss:"):
                        rss = int(line.split()[1])
                    elif line.startswith(b"Pss:"):
                        pss = int(line.split()[1])
                        break
        except OSError:
            pass
        return pss, rss

    def sample(self) -> None:
        children = self._children()
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        total = 0
        for pid in tree:
            pss, rss = self._memory_kb(pid)
            total += pss
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
        self.peak_pss_kb = max(self.peak_pss_kb, total)
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


@dataclass
class Run:
    """One timed command."""

    seconds: float
    start_wall: float                     # time.time() just before the process started
    stderr_lines: list[tuple[float, str]]  # (time.time(), line) as read live
    stdout: str
    returncode: int
    peak_pss_mb: float
    peak_rss_mb: float
    cpu_seconds: float                    # user + system, the whole process tree

    def tail(self, lines: int = 40) -> str:
        return "\n".join(line for _, line in self.stderr_lines[-lines:]) or self.stdout[-4000:]


def run_measured(cmd: Sequence[str], cwd: Path, env: dict[str, str],
                 on_line: Callable[[str], None] | None = None) -> Run:
    """Run ``cmd`` under :mod:`bench._reaper`, timing it, reading its stderr live, sampling its
    memory and reading the CPU seconds of its whole process tree."""
    lines: list[tuple[float, str]] = []
    fd, cpu_file = tempfile.mkstemp(prefix="bench-cpu-")
    os.close(fd)
    try:
        start_wall = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-I", "-S", str(REAPER), cpu_file, *cmd], cwd=str(cwd),
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        out: list[str] = []
        reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
        reader.start()
        with TreeMemory(proc.pid) as memory:
            for line in proc.stderr:
                lines.append((time.time(), line.rstrip("\n")))
                if on_line:
                    on_line(line)
            proc.wait()
            seconds = time.perf_counter() - t0
        reader.join()
        text = Path(cpu_file).read_text().strip()
        cpu = float(text) if text else float("nan")
    finally:
        os.unlink(cpu_file)
    return Run(seconds, start_wall, lines, "".join(out), proc.returncode,
               memory.peak_pss_kb / 1024, memory.peak_rss_kb / 1024, cpu)


# --------------------------------------------------------------------------- results of one tool
@dataclass
class Timeline:
    """What one command did per submission, in time.time() seconds."""

    latencies: dict[str, float]  # student -> seconds spent on the submission
    first_start: float | None     # the first submission started
    last_end: float | None        # the last submission finished


@dataclass
class PathResult:
    """Everything one grading tool did over some of the benchmark's submissions."""

    name: str
    submissions: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    startup_seconds: float = 0.0  # summed: command start -> first submission started
    busy_seconds: float = 0.0     # summed: first submission started -> last one finished
    commands: int = 0
    latency_note: str = ""

    @property
    def throughput(self) -> float:
        return self.submissions / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_per_submission(self) -> float:
        return self.cpu_seconds / self.submissions if self.submissions else float("nan")

    def percentile(self, q: float) -> float | None:
        return float(np.percentile(self.latencies, q)) if self.latencies else None

    @property
    def busy_throughput(self) -> float:
        """Submissions per second with each command's start-up and shutdown left out."""
        return self.submissions / self.busy_seconds if self.busy_seconds > 0 else 0.0

    def add(self, count: int, run: Run, timeline: Timeline) -> None:
        """Count one command that graded ``count`` submissions."""
        self.submissions += count
        self.seconds += run.seconds
        self.cpu_seconds += run.cpu_seconds
        self.commands += 1
        self.latencies += list(timeline.latencies.values())
        if timeline.first_start is not None and timeline.last_end is not None:
            self.startup_seconds += timeline.first_start - run.start_wall
            self.busy_seconds += timeline.last_end - timeline.first_start
        self.peak_pss_mb = max(self.peak_pss_mb, run.peak_pss_mb)
        self.peak_rss_mb = max(self.peak_rss_mb, run.peak_rss_mb)

    @classmethod
    def merged(cls, name: str, parts: Iterable["PathResult"], latency_note: str = "") -> "PathResult":
        """The totals of several results (sums; peaks as the largest)."""
        out = cls(name, latency_note=latency_note)
        for p in parts:
            out.submissions += p.submissions
            out.seconds += p.seconds
            out.cpu_seconds += p.cpu_seconds
            out.latencies += p.latencies
            out.peak_pss_mb = max(out.peak_pss_mb, p.peak_pss_mb)
            out.peak_rss_mb = max(out.peak_rss_mb, p.peak_rss_mb)
            out.startup_seconds += p.startup_seconds
            out.busy_seconds += p.busy_seconds
            out.commands += p.commands
        return out


# --------------------------------------------------------------------------- the class and its batches
def student_id(i: int) -> str:
    return f"s{i:05d}"


def kind_of(i: int) -> str:
    return KINDS[i % len(KINDS)]


@dataclass(frozen=True)
class Batch:
    """Consecutive students of one assignment, graded by every tool before the next batch."""

    index: int
    assignment: str
    students: tuple[str, ...]
    glob: str  # nbgrader's --student pattern that selects exactly these students

    @property
    def name(self) -> str:
        return f"b{self.index:03d}"


def batches(n: int, assignments: Sequence[str], size: int) -> list[Batch]:
    """Each assignment's ``n`` students (``s00000``...) cut into batches of ``size`` (a power of
    ten, so that one glob selects a batch; 0: one batch per assignment), assignment after
    assignment."""
    if size and (size < 1 or 10 ** round(math.log10(size)) != size):
        raise ValueError(f"the batch size must be a power of ten or 0, not {size}")
    digits = round(math.log10(size)) if size else 5
    out: list[Batch] = []
    for assignment in assignments:
        for start in range(0, n, size or max(n, 1)):
            stop = min(n, start + size) if size else n
            prefix = student_id(start)[:6 - digits] if size else "s"
            out.append(Batch(len(out), assignment, tuple(student_id(i) for i in range(start, stop)),
                             prefix + ("?" * digits if size else "*")))
    return out


def write_submissions(course_root: Path, submitted: Path, assignments: Sequence[str], n: int,
                      solutions: Path, released: Path) -> dict[str, dict[str, str]]:
    """Write ``n`` submissions per assignment from these solution and released folders;
    returns assignment -> {student: kind}."""
    course = load_course(course_root / "course.yml")
    written: dict[str, dict[str, str]] = {}
    for assignment in assignments:
        written[assignment] = {student_id(i): kind_of(i) for i in range(n)}
        synthetic.write_class(submitted, course, written[assignment], [assignment],
                              solutions=solutions, released=released)
    return written


def prepare_course(root: Path, assignments: Sequence[str]) -> None:
    """A released copy of the course in ``root`` (nbgrader's gradebook.db included)."""
    release.make_course_copy(root, REPO)
    release.release(list(assignments), root, force=True)  # a benchmark's course, never handed to students


@dataclass
class Workspace:
    """The benchmark's directory: the real course (for the engine's tools and the class
    every tool grades), the plain-nbgrader course, the otter autograders."""

    root: Path
    env: dict[str, str]
    jobs: int
    assignments: list[str]
    n: int
    kinds: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def submitted(self) -> Path:
        return self.course / "submitted"

    @property
    def plain(self) -> Path:
        return self.root / "plain_nbgrader"

    @property
    def otter(self) -> Path:
        return self.root / "otter"

    @cached_property
    def spec(self) -> Course:
        return load_course(self.course / "course.yml")


Scores = dict[str, dict[str, float | None]]  # student -> question id -> points


# --------------------------------------------------------------------------- the tools
_START = "Running pre-convert hook"
_STUDENT = "Creating/updating student with ID '"


def nbgrader_timeline(run: Run) -> Timeline:
    """Per student: from the log line that starts it to the one that starts the next (to the
    process's exit for the last). A student starts with the course's pre-convert hook (the
    real course has one) or else with nbgrader's "Creating/updating student" line."""
    starts: list[tuple[float, str | None]] = []
    for t, line in run.stderr_lines:
        if _START in line:
            starts.append((t, None))
        elif _STUDENT in line:
            student = line.split(_STUDENT, 1)[1].split("'", 1)[0]
            if starts and starts[-1][1] is None:
                starts[-1] = (starts[-1][0], student)
            else:
                starts.append((t, student))
    end = run.start_wall + run.seconds
    out = {}
    for k, (t, student) in enumerate(starts):
        if student is not None:
            out[student] = (starts[k + 1][0] if k + 1 < len(starts) else end) - t
    return Timeline(out, starts[0][0] if starts else None, end if starts else None)


def run_nbgrader(course_root: Path, batch: Batch, env: dict[str, str]) -> tuple[Run, Timeline]:
    """``nbgrader autograde`` of one batch in ``course_root``, with that course's config."""
    cmd = [sys.executable, "-m", "nbgrader", "autograde", batch.assignment, "--create", "--force",
           f"--student={batch.glob}"]
    run = run_measured(cmd, course_root, env)
    if run.returncode != 0:
        raise RuntimeError(f"nbgrader autograde {batch.assignment} in {course_root} failed "
                           f"(exit {run.returncode}):\n{run.tail()}")
    return run, nbgrader_timeline(run)


def gradebook_scores(course_root: Path, assignment: str, questions: Sequence[str]) -> Scores:
    """Per student the ``auto_score`` of each auto-graded question, from nbgrader's gradebook
    (written answers are graded by hand: left out)."""
    book = release.read_gradebook(course_root, assignment)
    return {student: {q: entry.cells.get(q) for q in questions} for student, entry in book.items()}


def reset_atimes(submitted: Path, assignment: str) -> None:
    """Make the next read of every notebook update its access time (relatime updates atime
    when it is not later than mtime)."""
    for path in submitted.glob(f"*/{assignment}/*.ipynb"):
        st = path.stat()
        os.utime(path, ns=(st.st_mtime_ns - 1_000_000_000, st.st_mtime_ns))


def cli_timeline(submitted: Path, out_dir: Path, assignment: str, run: Run) -> Timeline:
    """Per student: from a worker opening the notebook (atime) to grade.json written (mtime).
    Students whose notebook's atime did not move during the run are left out."""
    end = run.start_wall + run.seconds
    out, starts, ends = {}, [], []
    for grade in out_dir.glob(f"*/{GRADE_FILE}"):
        student = grade.parent.name
        done = grade.stat().st_mtime
        ends.append(done)
        atimes = [p.stat().st_atime for p in (submitted / student / assignment).glob("*.ipynb")]
        atimes = [a for a in atimes if run.start_wall - 1 <= a <= end + 1]
        if atimes:
            out[student] = done - min(atimes)
            starts.append(min(atimes))
    return Timeline(out, min(starts) if starts else None, max(ends) if starts else None)


def cli_command(assignment: str, submitted: Path, out_dir: Path, jobs: int, course_yml: Path) -> list[str]:
    return [sys.executable, "-m", "autograder", "grade", assignment, str(submitted), "--out", str(out_dir),
            "--jobs", str(jobs), "--course", str(course_yml)]


def run_cli(course_root: Path, submitted: Path, out_dir: Path, assignment: str, jobs: int,
            env: dict[str, str]) -> tuple[Run, Timeline]:
    """The command line on every submission of ``assignment`` in ``submitted`` (a fresh ``out_dir``)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    reset_atimes(submitted, assignment)
    run = run_measured(cli_command(assignment, submitted, out_dir, jobs, course_root / "course.yml"), REPO, env)
    if run.returncode != 0:
        raise RuntimeError(f"python -m autograder grade {assignment} failed (exit {run.returncode}):\n{run.tail()}")
    return run, cli_timeline(submitted, out_dir, assignment, run)


class Tool:
    """One way of grading the class. ``prepare`` builds what it needs (not timed); ``grade``
    grades one batch and returns its timed commands; ``scores`` reads what it gave."""

    name = ""
    title = ""
    latency_note = ""

    def unavailable(self) -> str | None:
        """Why this tool cannot run here, or None."""
        return None

    def prepare(self, ws: Workspace, progress: Progress) -> None:
        pass

    def grade(self, ws: Workspace, batch: Batch) -> list[tuple[int, Run, Timeline]]:
        raise NotImplementedError

    def scores(self, ws: Workspace, assignment: str) -> Scores:
        raise NotImplementedError

    def explain(self, ws: Workspace, assignment: str, students: Sequence[str], question: str) -> str:
        """Why this tool's scores of ``question`` may differ from the engine's."""
        return SCORING_RULES[self.name]


class NbgraderAutograde(Tool):
    """``nbgrader autograde`` of a batch in some course directory, with that course's config."""

    latency_note = "from its log: one submission's start to the next's (one at a time)"

    def course_root(self, ws: Workspace) -> Path:
        raise NotImplementedError

    def grade(self, ws: Workspace, batch: Batch) -> list[tuple[int, Run, Timeline]]:
        run, timeline = run_nbgrader(self.course_root(ws), batch, ws.env)
        return [(len(batch.students), run, timeline)]

    def scores(self, ws: Workspace, assignment: str) -> Scores:
        questions = [q.id for q in ws.spec.assignment(assignment).questions]
        return gradebook_scores(self.course_root(ws), assignment, questions)


class PlainNbgrader(NbgraderAutograde):
    name = "plain-nbgrader"
    title = "plain nbgrader autograde (Execute, literal asserts)"

    def course_root(self, ws: Workspace) -> Path:
        return ws.plain

    def explain(self, ws: Workspace, assignment: str, students: Sequence[str], question: str) -> str:
        """What the autograded notebooks show: a failed assert, an error, or a warning."""
        reasons = alternatives.nbgrader_failures(ws.plain / "autograded", assignment, students, question)
        return "; ".join(sorted(reasons)) or SCORING_RULES[self.name]

    def prepare(self, ws: Workspace, progress: Progress) -> None:
        progress(f"  building and releasing the plain-nbgrader course in {ws.plain} ...")
        alternatives.build_plain_nbgrader_course(ws.plain, ws.assignments, REPO)
        write_submissions(ws.course, ws.plain / "submitted", ws.assignments, ws.n,
                          solutions=ws.plain / "source", released=ws.plain / "release")


class Otter(Tool):
    name = "otter"
    title = "otter run, one per notebook (literal asserts)"
    latency_note = "one otter run per notebook: its command's time"

    def unavailable(self) -> str | None:
        return alternatives.otter_available()

    def _zip(self, ws: Workspace, assignment: str, notebook: str) -> Path:
        return ws.otter / "autograders" / assignment / notebook / "autograder.zip"

    def prepare(self, ws: Workspace, progress: Progress) -> None:
        progress(f"  otter generate: one autograder zip per notebook in {ws.otter} ...")
        course = ws.spec
        for assignment in ws.assignments:
            for notebook in course.assignment(assignment).notebooks:
                alternatives.build_otter_autograder(self._zip(ws, assignment, notebook.name).parent, course,
                                                    assignment, notebook.name, ws.course / "assignments" / assignment)

    def grade(self, ws: Workspace, batch: Batch) -> list[tuple[int, Run, Timeline]]:
        out = []
        for student in batch.students:
            for notebook in ws.spec.assignment(batch.assignment).notebooks:
                result_dir = ws.otter / "results" / batch.assignment / student / notebook.name
                result_dir.mkdir(parents=True, exist_ok=True)
                submission = ws.submitted / student / batch.assignment / f"{notebook.name}.ipynb"
                cmd = alternatives.otter_run_command(self._zip(ws, batch.assignment, notebook.name),
                                                     submission, result_dir)
                run = run_measured(cmd, result_dir, ws.env)
                if run.returncode != 0 or not (result_dir / "results.json").exists():
                    raise RuntimeError(f"otter run {submission} failed (exit {run.returncode}):\n{run.tail()}")
                end = run.start_wall + run.seconds
                out.append((1, run, Timeline({f"{student}/{notebook.name}": run.seconds}, run.start_wall, end)))
        return out

    def scores(self, ws: Workspace, assignment: str) -> Scores:
        out: Scores = {}
        for student in ws.kinds[assignment]:
            scores: dict[str, float | None] = {}
            for path in (ws.otter / "results" / assignment / student).glob("*/results.json"):
                scores.update(alternatives.read_otter_scores(path))
            out[student] = scores
        return out


class NbgraderEngine(NbgraderAutograde):
    name = "nbgrader-engine"
    title = "nbgrader autograde with this engine (EngineGrade)"

    def course_root(self, ws: Workspace) -> Path:
        return ws.course


class CommandLine(Tool):
    name = "command-line"
    title = "python -m autograder grade --jobs J"
    latency_note = "a worker opens the notebook -> grade.json written (J at a time)"

    def _out(self, ws: Workspace, batch: Batch) -> Path:
        return ws.course / "engine" / batch.assignment / batch.name

    def grade(self, ws: Workspace, batch: Batch) -> list[tuple[int, Run, Timeline]]:
        """The batch's students are put in a folder of their own, graded as one command: real
        folders with hard links to the notebooks (the grader refuses symbolic links)."""
        folder = ws.course / "batches" / batch.assignment / batch.name
        folder.mkdir(parents=True, exist_ok=True)
        for student in batch.students:
            copy = folder / student
            if not copy.exists():
                shutil.copytree(ws.submitted / student, copy, copy_function=os.link)
        run, timeline = run_cli(ws.course, folder, self._out(ws, batch), batch.assignment, ws.jobs, ws.env)
        return [(len(batch.students), run, timeline)]

    def scores(self, ws: Workspace, assignment: str) -> Scores:
        out: Scores = {}
        for path in (ws.course / "engine" / assignment).glob(f"*/*/{GRADE_FILE}"):
            out[path.parent.name] = {q.id: q.score for q in read_student(path).questions}
        return out

    def cases(self, ws: Workspace, assignment: str) -> dict[str, dict[str, tuple[int, int]]]:
        """Per student and question: (hidden cases passed, hidden cases)."""
        return {path.parent.name: {q.id: (q.passed, q.total) for q in read_student(path).questions}
                for path in (ws.course / "engine" / assignment).glob(f"*/*/{GRADE_FILE}")}


#: Every tool, in the order of the printed tables; the ratios are taken against ``command-line``.
TOOLS: dict[str, Tool] = {tool.name: tool for tool in (PlainNbgrader(), Otter(), NbgraderEngine(), CommandLine())}
REFERENCE_TOOL = "command-line"


# --------------------------------------------------------------------------- scores
#: Why a tool's score of a mistaken submission may differ from the engine's.
SCORING_RULES: dict[str, str] = {
    "plain-nbgrader": "nbgrader scores a test cell all or nothing: one failed case of the cell's fixed cases gives 0",
    "otter": "otter shares a question's points among its test cases, the same fixed cases for every student",
    "nbgrader-engine": "the engine shares a question's points among each student's own hidden cases",
    "command-line": "the engine shares a question's points among each student's own hidden cases",
}


@dataclass
class ScoreCheck:
    problems: list[str] = field(default_factory=list)     # any one fails the run
    differences: list[str] = field(default_factory=list)  # mistaken submissions, explained


def _values(scores: Iterable[float | None]) -> str:
    distinct = sorted({round(s, 4) for s in scores if s is not None})
    missing = any(s is None for s in scores)
    text = "/".join(f"{s:g}" for s in distinct) or "none"
    return text + (" (some missing)" if missing and distinct else "")


def expected_scores(kind: str, points: dict[str, float]) -> dict[str, float] | None:
    """What every tool must give a submission of this kind: all points, nothing, or (for a
    mistaken one) no fixed answer."""
    return {"correct": dict(points), "stub": {q: 0.0 for q in points}}.get(kind)


def check_scores(ws: Workspace, tools: Sequence[str]) -> ScoreCheck:
    """Correct submissions full and stubs zero with every tool; the engine's two paths equal on
    every question; the mistaken submissions' differences listed with their reason."""
    check = ScoreCheck()
    for assignment in ws.assignments:
        points = {q.id: q.points for q in ws.spec.assignment(assignment).questions}
        scores = {tool: TOOLS[tool].scores(ws, assignment) for tool in tools}
        for tool, by_student in scores.items():
            for student, kind in ws.kinds[assignment].items():
                want = expected_scores(kind, points)
                got = by_student.get(student)
                if got is None:
                    check.problems.append(f"{tool} {assignment}/{student}: no scores")
                    continue
                for q in want or {}:
                    if got.get(q) is None or abs(got[q] - want[q]) > 1e-9:
                        check.problems.append(f"{tool} {assignment}/{student} ({kind})/{q}: "
                                              f"{got.get(q)!r}, expected {want[q]:g}")
        if {"nbgrader-engine", "command-line"} <= set(scores):
            a, b = scores["nbgrader-engine"], scores["command-line"]
            for student in ws.kinds[assignment]:
                for q in points:
                    x, y = a.get(student, {}).get(q), b.get(student, {}).get(q)
                    if x != y:
                        check.problems.append(f"{assignment}/{student}/{q}: nbgrader-engine {x!r} != "
                                              f"command line {y!r}")
        check.differences += mistake_differences(ws, assignment, points, scores)
    return check


def mistake_differences(ws: Workspace, assignment: str, points: dict[str, float],
                        scores: dict[str, Scores]) -> list[str]:
    """One line per question where a tool scored the mistaken submissions differently from the
    engine (the command line), with each tool's scores and the rule behind them."""
    mistaken = [s for s, kind in ws.kinds[assignment].items() if kind == "mistakes"]
    if REFERENCE_TOOL not in scores or not mistaken:
        return []
    cases = TOOLS[REFERENCE_TOOL].cases(ws, assignment)
    lines = []
    for q, full in points.items():
        engine = [scores[REFERENCE_TOOL].get(s, {}).get(q) for s in mistaken]
        others = {t: [scores[t].get(s, {}).get(q) for s in mistaken] for t in scores if t != REFERENCE_TOOL}
        differ = {t: v for t, v in others.items() if sorted(map(str, v)) != sorted(map(str, engine))}
        if not differ:
            continue
        passed = _values([cases.get(s, {}).get(q, (None, None))[0] for s in mistaken])
        total = _values([cases.get(s, {}).get(q, (None, None))[1] for s in mistaken])
        parts = [f"engine {_values(engine)} (passed {passed} of {total} hidden cases)"]
        parts += [f"{t} {_values(v)} ({TOOLS[t].explain(ws, assignment, mistaken, q)})" for t, v in differ.items()]
        lines.append(f"{assignment}/{q} ({full:g} points), {len(mistaken)} mistaken: " + "; ".join(parts))
    return lines


# --------------------------------------------------------------------------- the large run
@dataclass
class LargeResult:
    assignment: str
    questions: int
    result: PathResult
    steady_rate: float | None  # submissions/s over the last 90% of completions
    extrapolated_s: float | None  # GOAL_LARGE_N: the run's time + the rest at the steady rate
    naive_s: float  # GOAL_LARGE_N / n * the run's time (start-up paid again every n)


def steady_rate(done_times: Sequence[float]) -> float | None:
    """Completions per second between the 10 % and the last completion."""
    times = sorted(done_times)
    if len(times) < 10:
        return None
    first = len(times) // 10
    span = times[-1] - times[first]
    return (len(times) - 1 - first) / span if span > 0 else None


def largest_assignment(course: Course, assignments: Sequence[str]) -> str:
    """The assignment with the most auto-graded questions."""
    return max(assignments, key=lambda a: len(course.assignment(a).questions))


def run_large(ws: Workspace, n: int, progress: Progress) -> LargeResult:
    assignment = largest_assignment(ws.spec, ws.assignments)
    submitted = ws.course / "submitted_large"
    out_dir = ws.course / "engine_large" / assignment
    write_submissions(ws.course, submitted, [assignment], n, ws.course / "solutions", ws.course / "assignments")
    progress(f"  command line, {n} submissions of {assignment}, --jobs {ws.jobs} ...")
    run, timeline = run_cli(ws.course, submitted, out_dir, assignment, ws.jobs, ws.env)
    result = PathResult(f"command line --jobs {ws.jobs}")
    result.add(n, run, timeline)
    result.latency_note = f"{len(timeline.latencies)} of {n} with a measured latency"
    graded = list(out_dir.glob(f"*/{GRADE_FILE}"))
    if len(graded) != n:
        raise RuntimeError(f"the command line wrote {len(graded)} {GRADE_FILE} for {n} submissions")
    rate = steady_rate([p.stat().st_mtime for p in graded])
    extrapolated = run.seconds + (GOAL_LARGE_N - n) / rate if rate and n < GOAL_LARGE_N else (
        run.seconds * GOAL_LARGE_N / n)
    questions = len(ws.spec.assignment(assignment).questions)
    return LargeResult(assignment, questions, result, rate, extrapolated, run.seconds * GOAL_LARGE_N / n)


# --------------------------------------------------------------------------- the benchmark
@dataclass
class Report:
    n: int                      # submissions per assignment
    jobs: int
    batch: int
    assignments: list[str]
    tools: list[str]            # the tools that ran, in TOOLS order
    skipped: dict[str, str]     # tool -> why it did not run
    results: dict[str, dict[str, PathResult]]  # tool -> assignment -> what it did
    scores: ScoreCheck
    large: LargeResult | None
    setup_seconds: float

    def overall(self, tool: str) -> PathResult:
        return PathResult.merged(TOOLS[tool].title, self.results[tool].values(), TOOLS[tool].latency_note)

    @property
    def problems(self) -> list[str]:
        return self.scores.problems


def rotated(items: Sequence[str], k: int) -> list[str]:
    """``items`` starting at position ``k`` (mod its length): batch ``k``'s order of the tools."""
    k %= max(len(items), 1)
    return list(items[k:]) + list(items[:k])


def select_tools(names: Sequence[str] | None, progress: Progress) -> tuple[list[str], dict[str, str]]:
    """The tools to run (in :data:`TOOLS` order) and those skipped, with why."""
    names = list(names or TOOLS)
    unknown = [t for t in names if t not in TOOLS]
    if unknown:
        raise ValueError(f"unknown tools {unknown}; known: {', '.join(TOOLS)}")
    if REFERENCE_TOOL not in names:
        raise ValueError(f"the ratios are taken against {REFERENCE_TOOL}: it must be one of the tools")
    skipped = {t: why for t in names if (why := TOOLS[t].unavailable())}
    for tool, why in skipped.items():
        progress(f"  {tool} is left out: {why}")
    return [t for t in TOOLS if t in names and t not in skipped], skipped


def run_benchmark(root: Path, n: int = DEFAULT_N, large: int = 0, jobs: int = 2, batch: int = 10,
                  tools: Sequence[str] | None = None, assignments: Sequence[str] | None = None,
                  progress: Progress = lambda s: print(s, flush=True)) -> Report:
    """Build the courses in ``root`` (an empty or missing directory), write the class, grade it
    with every tool batch by batch, check the scores; then the large run. Checks no timing."""
    root = Path(root).resolve()
    t0 = time.perf_counter()
    chosen, skipped = select_tools(tools, progress)
    ws = Workspace(root, release.nbgrader_env(), jobs,
                   list(assignments or release.course_assignments(REPO, with_source=True)), n)
    progress(f"releasing {len(ws.assignments)} assignments with nbgrader into {ws.course} ...")
    prepare_course(ws.course, ws.assignments)
    ws.kinds = write_submissions(ws.course, ws.submitted, ws.assignments, n,
                                 ws.course / "solutions", ws.course / "assignments")
    for tool in chosen:
        TOOLS[tool].prepare(ws, progress)
    setup = time.perf_counter() - t0
    progress(f"  done in {setup:.0f} s; {n} submissions per assignment, kinds cycling {'/'.join(KINDS)}")

    results = {tool: {a: PathResult(TOOLS[tool].title) for a in ws.assignments} for tool in chosen}
    for b in batches(n, ws.assignments, batch):
        took = []
        for tool in rotated(chosen, b.index):
            for count, run, timeline in TOOLS[tool].grade(ws, b):
                results[tool][b.assignment].add(count, run, timeline)
            took.append(f"{tool} {results[tool][b.assignment].seconds:.1f} s")
        progress(f"  {b.assignment} {b.name} ({len(b.students)} submissions): graded by "
                 f"{', '.join(rotated(chosen, b.index))}; so far {'; '.join(took)}")
    check = check_scores(ws, chosen)
    progress("  scores: " + ("as required" if not check.problems else f"{len(check.problems)} PROBLEMS"))
    large_result = run_large(ws, large, progress) if large > 0 else None
    return Report(n, jobs, batch, ws.assignments, chosen, skipped, results, check, large_result, setup)


# --------------------------------------------------------------------------- printing
HEADER = ["tool", "submissions", "seconds", "subm/s", "CPU s/subm", "p50", "p95", "peak MB", "max proc MB"]
RATIO_HEADER = ["tool", "throughput: command line / tool", "CPU s/subm: tool / command line",
                "p50: tool / command line"]


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 1000:.0f} ms"


def _row(name: str, p: PathResult) -> list[str]:
    return [name, str(p.submissions), f"{p.seconds:.1f}", f"{p.throughput:.2f}", f"{p.cpu_per_submission:.2f}",
            _ms(p.percentile(50)), _ms(p.percentile(95)), f"{p.peak_pss_mb:.0f}", f"{p.peak_rss_mb:.0f}"]


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def _ratio(x: float, y: float) -> str:
    return f"{x / y:.1f}x" if y and x == x and y == y else "n/a"


def ratio_rows(results: dict[str, PathResult]) -> list[list[str]]:
    """Each tool against the command line: how many times its throughput the command line's is,
    and how many times the command line's its CPU per submission and median latency are."""
    ref = results[REFERENCE_TOOL]
    rows = []
    for tool, p in results.items():
        if tool == REFERENCE_TOOL:
            continue
        p50, ref50 = p.percentile(50), ref.percentile(50)
        rows.append([tool, _ratio(ref.throughput, p.throughput), _ratio(p.cpu_per_submission, ref.cpu_per_submission),
                     _ratio(p50, ref50) if p50 is not None and ref50 is not None else "n/a"])
    return rows


GOAL_RATIO_HEADER = ["assignment", f"{RATIO_BASELINE} s/subm (CPU)", f"{REFERENCE_TOOL} s/subm (CPU)",
                     "throughput ratio", "start-up and shutdown left out", "CPU ratio"]


def goal_ratio_lines(report: Report) -> list[str]:
    """The command line's throughput over plain nbgrader's, assignment by assignment, against
    :data:`GOAL_RATIO` (none when plain nbgrader did not run); beside it, the same with every
    command's start-up and shutdown left out (what a class graded in one command approaches),
    and plain nbgrader's CPU per submission over the command line's (the least load-dependent)."""
    if RATIO_BASELINE not in report.tools:
        return []
    rows, missed = [], []
    for assignment in report.assignments:
        base, ours = report.results[RATIO_BASELINE][assignment], report.results[REFERENCE_TOOL][assignment]
        ratio = ours.throughput / base.throughput if base.throughput and ours.throughput else float("nan")
        if not ratio >= GOAL_RATIO:
            missed.append(assignment)
        rows.append([assignment, f"{base.seconds / max(base.submissions, 1):.2f} ({base.cpu_per_submission:.2f})",
                     f"{ours.seconds / max(ours.submissions, 1):.3f} ({ours.cpu_per_submission:.3f})",
                     _ratio(ours.throughput, base.throughput), _ratio(ours.busy_throughput, base.busy_throughput),
                     _ratio(base.cpu_per_submission, ours.cpu_per_submission)])
    verdict = "PASS" if not missed else f"MISS on {', '.join(missed)}"
    return ["", f"-- the command line against {RATIO_BASELINE}, per assignment (goal: a throughput ratio of at "
                f"least {GOAL_RATIO:g}x on every one: {verdict}) --", _table(GOAL_RATIO_HEADER, rows)]


def format_report(report: Report) -> str:
    lines = [f"\n== grading {report.n} submissions per assignment (kinds cycling {'/'.join(KINDS)}), "
             f"in batches of {report.batch or 'a whole assignment'}, the tools interleaved batch by batch; "
             f"command line --jobs {report.jobs} =="]
    for tool, why in report.skipped.items():
        lines.append(f"left out: {tool}: {why}")
    for assignment in report.assignments:
        per = {t: report.results[t][assignment] for t in report.tools}
        lines += ["", f"-- {assignment} --", _table(HEADER, [_row(t, p) for t, p in per.items()])]
    lines += goal_ratio_lines(report)
    overall = {t: report.overall(t) for t in report.tools}
    lines += ["", f"-- overall ({len(report.assignments)} assignments) --",
              _table(HEADER, [_row(t, p) for t, p in overall.items()]), "",
              "ratios, overall (per assignment: the tables above):",
              _table(RATIO_HEADER, ratio_rows(overall)), ""]
    for tool, p in overall.items():
        if p.commands:
            lines.append(f"  {tool}: {p.commands} commands, start-up {p.startup_seconds / p.commands:.2f} s "
                         f"per command (start -> first submission started); start-up and shutdown left out: "
                         f"{p.busy_throughput:.2f} submissions/s")
    lines.append("")
    if report.problems:
        lines.append(f"scores: {len(report.problems)} PROBLEMS:\n  " + "\n  ".join(report.problems[:50]))
    else:
        lines.append("scores: correct submissions full marks and stubs zero with every tool; nbgrader-engine "
                     "and the command line identical on every question" if "nbgrader-engine" in report.tools else
                     "scores: correct submissions full marks and stubs zero with every tool")
    if report.scores.differences:
        lines.append("mistaken submissions, where a tool differs from the engine (by design):")
        lines += [f"  {line}" for line in report.scores.differences]
    else:
        lines.append("mistaken submissions: every tool gave the engine's scores")
    if report.large:
        lr = report.large
        p = lr.result
        lines += ["", f"== {p.submissions} submissions of {lr.assignment}, the largest assignment "
                  f"({lr.questions} questions), command line only ==",
                  _table(HEADER, [_row(REFERENCE_TOOL, p)]), ""]
        if p.commands:
            lines.append(f"start-up (command start -> first submission started): {p.startup_seconds:.1f} s")
        if lr.steady_rate:
            lines.append(f"steady rate (last 90 % of completions): {lr.steady_rate:.2f} submissions/s")
        verdict = "PASS" if lr.extrapolated_s is not None and lr.extrapolated_s <= GOAL_LARGE_S else "MISS"
        lines.append(f"{GOAL_LARGE_N:,} submissions, extrapolated linearly: {lr.extrapolated_s:.0f} s "
                     f"(this run's {p.seconds:.1f} s + {GOAL_LARGE_N - p.submissions:,} more at the steady rate)"
                     f"   (goal <= {GOAL_LARGE_S:g} s: {verdict})")
        lines.append(f"  without start-up amortised ({GOAL_LARGE_N // p.submissions} runs of "
                     f"{p.submissions}): {lr.naive_s:.0f} s")
    lines += ["", "How: seconds = wall clock of the whole commands (process start, imports and shutdown "
              "included), summed over the batches; CPU = user + system of each command's whole process tree."]
    lines += [f"Latency p50/p95, {t}: {TOOLS[t].latency_note}." for t in report.tools]
    lines += ["peak MB: the largest sum of PSS over a command's process tree, sampled every 0.1 s; "
              "max proc MB: the largest RSS of one process in it."]
    return "\n".join(lines)


def _version(module: str) -> str:
    try:
        return __import__(module).__version__
    except ImportError:
        return "not installed"


def machine_summary() -> str:
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (f"machine: {cpu}, {os.cpu_count()} CPUs; load average at start {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f}; python {platform.python_version()}, numpy {np.__version__}, nbgrader "
            f"{_version('nbgrader')}, ipykernel {_version('ipykernel')}, otter-grader {_version('otter')}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.grading", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=None,
                        help=f"submissions per assignment (default {DEFAULT_N}; {FULL_N} with --full)")
    parser.add_argument("--full", action="store_true",
                        help=f"the full run: {FULL_N} submissions per assignment and --large {FULL_LARGE}")
    parser.add_argument("--batch", type=int, default=10,
                        help="students per batch, a power of ten; 0: a whole assignment per command (default 10)")
    parser.add_argument("--tools", default=",".join(TOOLS),
                        help=f"comma-separated, from {', '.join(TOOLS)} (default: all; {REFERENCE_TOOL} is required)")
    parser.add_argument("--assignments", default=None, help="comma-separated assignment ids (default: all)")
    parser.add_argument("--large", type=int, default=None,
                        help="submissions of the largest assignment for the 10,000 extrapolation "
                             f"(command line only; default {DEFAULT_LARGE}; 0: none)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the command line (default 2)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="directory to create (must be missing or empty, or an earlier run's); "
                             "default: a temporary directory, removed afterwards")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    args.n = args.n if args.n is not None else (FULL_N if args.full else DEFAULT_N)
    args.large = args.large if args.large is not None else (FULL_LARGE if args.full else DEFAULT_LARGE)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    args.assignments = [a.strip() for a in args.assignments.split(",")] if args.assignments else None
    if args.n < 1 or args.large < 0 or args.jobs < 1 or args.batch < 0:
        parser.error("--n and --jobs must be >= 1, --large and --batch >= 0")
    return args


def _fresh_dir(path: Path) -> Path:
    path = path.resolve()
    if path.exists() and any(path.iterdir()):
        if not (path / MARKER).exists():
            raise SystemExit(f"{path} is not empty and was not made by this benchmark; choose another --dir")
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).write_text("created by python -m bench.grading\n")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    from autograder.course.secret import ensure_secret

    args = parse_args(argv)
    ensure_secret()  # the engine draws hidden cases with the course secret (a fresh clone has none)
    print(machine_summary(), flush=True)
    if args.dir is not None:
        root, cleanup = _fresh_dir(args.dir), None
    else:
        cleanup = Path(tempfile.mkdtemp(prefix="bench-grading-"))
        root = cleanup
    try:
        report = run_benchmark(root, args.n, args.large, args.jobs, args.batch, args.tools, args.assignments)
    finally:
        if cleanup is not None and not args.keep:
            shutil.rmtree(cleanup, ignore_errors=True)
        elif cleanup is not None:
            print(f"kept {root}")
    print(format_report(report), flush=True)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
