"""``python -m bench.grading``: nbgrader autograde and the command line, side by side, on one class.

    python -m bench.grading [--n 200] [--large 1000] [--jobs 2] [--dir DIR] [--keep]

1. A copy of the course is made (``--dir``, default a temporary directory) and released with
   ``nbgrader generate_assignment`` (not timed).
2. ``--n`` synthetic submissions (:mod:`autograder.synthetic`) are written to
   ``submitted/STUDENT/ASSIGNMENT/``: ``n / 4`` students per assignment, the kinds cycling
   correct, mistakes, stub (the hostile kind is left out: it hangs on purpose for 5 s).
3. For each assignment, one after the other on the same files:

   * ``nbgrader autograde ASSIGNMENT --create --force`` in the course directory, the
     instructor's command (whose grading step is the engine, ``EngineGrade``);
   * ``python -m autograder grade ASSIGNMENT submitted --out engine/ASSIGNMENT --jobs J
     --course course.yml``, the command line.

   Both are timed as whole commands (process start, imports and shutdown included).
   Their per-question scores are then compared (the gradebook's ``auto_score`` of every
   auto-graded question of course.yml against the command line's ``grade.json``, exactly);
   any difference fails the run. Written answers are left out: they are graded by hand
   (nbgrader records 0 for one left unchanged, the command line does not grade them).
4. ``--large`` submissions of the largest assignment (by questions) go through the command
   line alone. The time for 10,000 is extrapolated linearly: this run's time plus the rest at
   its steady rate (completions per second over the last 90 % of ``grade.json`` times), so
   the start-up is paid once, as in one run of 10,000; 10,000 / n runs is printed too.

What is measured (printed with the results):

* *throughput*: submissions / the commands' wall-clock seconds, summed over assignments;
* *latency* of one submission:
  nbgrader grades one notebook after another, so a submission's latency is the time from
  the log line that starts it (``Running pre-convert hook``) to the one that starts the next
  (to the process's exit for the last), as read live from its log;
  the command line grades J at a time, so a submission's latency is the time from a worker
  opening the notebook (its access time, reset before the run; the file system must update
  atime, as ``relatime`` does) to its ``grade.json`` being written by the main process;
* *peak memory*: the largest sum of the proportional set size (PSS; shared pages divided
  among the processes sharing them) over the command's whole process tree, sampled every
  0.1 s from ``/proc``, and the largest resident set of any single process in it.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from autograder import release, synthetic
from autograder.cli import GRADE_FILE, read_student
from autograder.course import load_course

REPO = release.REPO
KINDS = ("correct", "mistakes", "stub")  # not "hostile": it contains a deliberate 5 s hang
GOAL_RATIO = 30.0
GOAL_LARGE_N = 10_000
GOAL_LARGE_S = 300.0
MARKER = ".bench-grading"  # marks a directory this benchmark created and may empty again
SAMPLE_S = 0.1


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


def run_measured(cmd: Sequence[str], cwd: Path, env: dict[str, str],
                 on_line: Callable[[str], None] | None = None) -> Run:
    """Run ``cmd``, timing it, reading its stderr live and sampling its memory."""
    lines: list[tuple[float, str]] = []
    start_wall = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=str(cwd), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1)
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
    return Run(seconds, start_wall, lines, "".join(out), proc.returncode,
               memory.peak_pss_kb / 1024, memory.peak_rss_kb / 1024)


# --------------------------------------------------------------------------- results of one path
@dataclass
class Timeline:
    """What one command did per submission, in time.time() seconds."""

    latencies: dict[str, float]  # student -> seconds spent on the submission
    first_start: float | None     # the first submission started
    last_end: float | None        # the last submission finished


@dataclass
class PathResult:
    """Everything one grading path did over the benchmark's submissions."""

    name: str
    submissions: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    per_assignment: dict[str, float] = field(default_factory=dict)  # assignment -> seconds
    startup_seconds: float = 0.0  # summed: command start -> first submission started
    busy_seconds: float = 0.0     # summed: first submission started -> last one finished
    commands: int = 0
    latency_note: str = ""

    @property
    def throughput(self) -> float:
        return self.submissions / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, q: float) -> float | None:
        return float(np.percentile(self.latencies, q)) if self.latencies else None

    @property
    def busy_throughput(self) -> float:
        """Submissions per second with each command's start-up and shutdown left out."""
        return self.submissions / self.busy_seconds if self.busy_seconds > 0 else 0.0

    def add(self, assignment: str, count: int, run: Run, timeline: Timeline) -> None:
        self.submissions += count
        self.seconds += run.seconds
        self.commands += 1
        self.per_assignment[assignment] = run.seconds
        self.latencies += list(timeline.latencies.values())
        if timeline.first_start is not None and timeline.last_end is not None:
            self.startup_seconds += timeline.first_start - run.start_wall
            self.busy_seconds += timeline.last_end - timeline.first_start
        self.peak_pss_mb = max(self.peak_pss_mb, run.peak_pss_mb)
        self.peak_rss_mb = max(self.peak_rss_mb, run.peak_rss_mb)


# --------------------------------------------------------------------------- the class
def assignment_counts(n: int, assignments: Sequence[str]) -> dict[str, int]:
    """``n`` submissions spread over the assignments as evenly as possible."""
    k = len(assignments)
    return {a: n // k + (1 if i < n % k else 0) for i, a in enumerate(assignments)}


def student_id(i: int) -> str:
    return f"s{i:05d}"


def kind_of(i: int) -> str:
    return KINDS[i % len(KINDS)]


def write_submissions(root: Path, submitted: Path, counts: dict[str, int]) -> dict[str, dict[str, str]]:
    """Write the submissions; returns assignment -> {student: kind}."""
    course = load_course(root / "course.yml")
    written: dict[str, dict[str, str]] = {}
    for assignment, count in counts.items():
        written[assignment] = {student_id(i): kind_of(i) for i in range(count)}
        synthetic.write_class(submitted, course, written[assignment], [assignment],
                              solutions=root / "solutions", released=root / "assignments")
    return written


def prepare_course(root: Path, assignments: Sequence[str]) -> None:
    """A released copy of the course in ``root`` (nbgrader's gradebook.db included)."""
    release.make_course_copy(root, REPO)
    (root / MARKER).write_text("created by python -m bench.grading\n")
    release.release(list(assignments), root)


# --------------------------------------------------------------------------- the two paths
_START = "Running pre-convert hook"
_STUDENT = "Creating/updating student with ID '"


def nbgrader_timeline(run: Run) -> Timeline:
    """Per student: from the log line that starts it to the one that starts the next (to the
    process's exit for the last)."""
    starts: list[tuple[float, str | None]] = []
    for t, line in run.stderr_lines:
        if _START in line:
            starts.append((t, None))
        elif _STUDENT in line and starts and starts[-1][1] is None:
            starts[-1] = (starts[-1][0], line.split(_STUDENT, 1)[1].split("'", 1)[0])
    end = run.start_wall + run.seconds
    out = {}
    for k, (t, student) in enumerate(starts):
        if student is not None:
            out[student] = (starts[k + 1][0] if k + 1 < len(starts) else end) - t
    return Timeline(out, starts[0][0] if starts else None, end if starts else None)


def run_nbgrader(root: Path, assignment: str, count: int, env: dict[str, str],
                 progress: Callable[[str], None]) -> tuple[Run, Timeline]:
    done = [0]

    def on_line(line: str) -> None:
        if _STUDENT in line:
            done[0] += 1
            if done[0] % 25 == 0:
                progress(f"    nbgrader {assignment}: {done[0]}/{count} started")

    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--create", "--force"]
    run = run_measured(cmd, root, env, on_line)
    if run.returncode != 0:
        tail = "\n".join(line for _, line in run.stderr_lines[-40:])
        raise RuntimeError(f"nbgrader autograde {assignment} failed (exit {run.returncode}):\n{tail}")
    return run, nbgrader_timeline(run)


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


def run_cli(root: Path, submitted: Path, out_dir: Path, assignment: str, jobs: int,
            env: dict[str, str]) -> tuple[Run, Timeline]:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    reset_atimes(submitted, assignment)
    run = run_measured(cli_command(assignment, submitted, out_dir, jobs, root / "course.yml"), REPO, env)
    if run.returncode != 0:
        tail = "\n".join(line for _, line in run.stderr_lines[-40:])
        raise RuntimeError(f"python -m autograder grade {assignment} failed (exit {run.returncode}):\n{tail}")
    return run, cli_timeline(submitted, out_dir, assignment, run)


def compare_scores(root: Path, out_dir: Path, assignment: str, students: Sequence[str]) -> list[str]:
    """Differences between nbgrader's gradebook and the command line's grade.json, per question."""
    book = release.read_gradebook(root, assignment)
    auto = [q.id for q in load_course(root / "course.yml").assignment(assignment).questions]
    problems = []
    for student in students:
        path = out_dir / student / GRADE_FILE
        if not path.exists():
            problems.append(f"{assignment}/{student}: the command line wrote no {GRADE_FILE}")
            continue
        if student not in book:
            problems.append(f"{assignment}/{student}: not in nbgrader's gradebook")
            continue
        result, cells = read_student(path), book[student].cells
        engine = {q.id: q.score for q in result.questions}
        if sorted(engine) != sorted(auto):
            problems.append(f"{assignment}/{student}: the command line graded {sorted(engine)}, "
                            f"course.yml has {sorted(auto)}")
        for qid in auto:  # written answers are nbgrader's manual grades: not compared
            if qid not in cells or cells[qid] != engine.get(qid):
                problems.append(f"{assignment}/{student}/{qid}: nbgrader {cells.get(qid, 'no cell')!r} != "
                                f"command line {engine.get(qid, 'no question')!r}")
    return problems


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


def run_large(root: Path, assignment: str, n: int, jobs: int, env: dict[str, str],
              progress: Callable[[str], None]) -> LargeResult:
    submitted = root / "submitted_large"
    out_dir = root / "engine_large" / assignment
    write_submissions(root, submitted, {assignment: n})
    progress(f"  command line, {n} submissions of {assignment}, --jobs {jobs} ...")
    run, timeline = run_cli(root, submitted, out_dir, assignment, jobs, env)
    result = PathResult(f"command line --jobs {jobs}")
    result.add(assignment, n, run, timeline)
    result.latency_note = f"{len(timeline.latencies)} of {n} with a measured latency"
    graded = list(out_dir.glob(f"*/{GRADE_FILE}"))
    if len(graded) != n:
        raise RuntimeError(f"the command line wrote {len(graded)} {GRADE_FILE} for {n} submissions")
    rate = steady_rate([p.stat().st_mtime for p in graded])
    extrapolated = run.seconds + (GOAL_LARGE_N - n) / rate if rate and n < GOAL_LARGE_N else (
        run.seconds * GOAL_LARGE_N / n)
    questions = len(load_course(root / "course.yml").assignment(assignment).questions)
    return LargeResult(assignment, questions, result, rate, extrapolated, run.seconds * GOAL_LARGE_N / n)


# --------------------------------------------------------------------------- the benchmark
@dataclass
class Report:
    n: int
    jobs: int
    counts: dict[str, int]
    nbgrader: PathResult
    cli: PathResult
    disagreements: list[str]
    large: LargeResult | None
    setup_seconds: float

    @property
    def ratio(self) -> float:
        return self.cli.throughput / self.nbgrader.throughput if self.nbgrader.throughput else float("inf")

    @property
    def busy_ratio(self) -> float:
        nb = self.nbgrader.busy_throughput
        return self.cli.busy_throughput / nb if nb else float("inf")


def largest_assignment(root: Path, assignments: Sequence[str]) -> str:
    """The assignment with the most auto-graded questions."""
    course = load_course(root / "course.yml")
    return max(assignments, key=lambda a: len(course.assignment(a).questions))


def run_benchmark(root: Path, n: int = 200, large: int = 1000, jobs: int = 2,
                  assignments: Sequence[str] | None = None,
                  progress: Callable[[str], None] = lambda s: print(s, flush=True)) -> Report:
    """Release the course in ``root`` (an empty or missing directory), write the class, grade it
    both ways, compare; then the large run. Does not check any timing."""
    root = Path(root).resolve()
    env = release.nbgrader_env()
    t0 = time.perf_counter()
    assignments = list(assignments or release.course_assignments(REPO, with_source=True))
    progress(f"releasing {len(assignments)} assignments with nbgrader into {root} ...")
    prepare_course(root, assignments)
    counts = assignment_counts(n, assignments)
    submitted = root / "submitted"
    kinds = write_submissions(root, submitted, counts)
    setup = time.perf_counter() - t0
    progress(f"  done in {setup:.0f} s; {n} submissions written "
             f"({', '.join(f'{a}: {c}' for a, c in counts.items())}), kinds cycling {'/'.join(KINDS)}")

    nb_path = PathResult("nbgrader autograde")
    nb_path.latency_note = "from its log: one submission's start to the next's"
    cli_path = PathResult(f"command line --jobs {jobs}")
    cli_path.latency_note = "worker opens the notebook -> grade.json written"
    disagreements: list[str] = []
    for assignment in assignments:
        count = counts[assignment]
        if count == 0:
            continue
        progress(f"  {assignment}: nbgrader autograde, {count} submissions ...")
        run, timeline = run_nbgrader(root, assignment, count, env, progress)
        nb_path.add(assignment, count, run, timeline)
        progress(f"  {assignment}: nbgrader {run.seconds:.1f} s ({count / run.seconds:.2f}/s); "
                 f"command line --jobs {jobs} ...")
        out_dir = root / "engine" / assignment
        run, timeline = run_cli(root, submitted, out_dir, assignment, jobs, env)
        cli_path.add(assignment, count, run, timeline)
        progress(f"  {assignment}: command line {run.seconds:.1f} s ({count / run.seconds:.2f}/s)")
        problems = compare_scores(root, out_dir, assignment, sorted(kinds[assignment]))
        progress(f"  {assignment}: scores " + ("IDENTICAL" if not problems else f"DIFFER ({len(problems)})"))
        disagreements += problems

    large_result = None
    if large > 0:
        large_result = run_large(root, largest_assignment(root, assignments), large, jobs, env, progress)
    return Report(n, jobs, counts, nb_path, cli_path, disagreements, large_result, setup)


# --------------------------------------------------------------------------- printing
def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 1000:.0f} ms"


def _row(p: PathResult) -> list[str]:
    return [p.name, str(p.submissions), f"{p.seconds:.1f}", f"{p.throughput:.2f}", _ms(p.percentile(50)),
            _ms(p.percentile(95)), f"{p.peak_pss_mb:.0f}", f"{p.peak_rss_mb:.0f}"]


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


HEADER = ["path", "submissions", "seconds", "subm/s", "p50", "p95", "peak MB", "max proc MB"]


def format_report(report: Report) -> str:
    lines = [f"\n== grading {report.n} submissions of the whole course "
             f"({', '.join(f'{a} x{c}' for a, c in report.counts.items())}) ==",
             _table(HEADER, [_row(report.nbgrader), _row(report.cli)]), ""]
    per = ["  per assignment, seconds (nbgrader / command line):"]
    for a in report.counts:
        if a in report.nbgrader.per_assignment:
            per.append(f"    {a:<20} {report.nbgrader.per_assignment[a]:7.1f} / "
                       f"{report.cli.per_assignment[a]:5.1f}")
    lines += per + [""]
    verdict = "PASS" if report.ratio >= GOAL_RATIO else "MISS"
    lines.append(f"throughput ratio, command line / nbgrader: {report.ratio:.1f}x   "
                 f"(goal >= {GOAL_RATIO:g}x: {verdict})")
    nb, cli = report.nbgrader, report.cli
    if nb.commands and cli.commands:
        lines.append(f"  start-up, mean per command (command start -> first submission started): "
                     f"nbgrader {nb.startup_seconds / nb.commands:.1f} s, "
                     f"command line {cli.startup_seconds / cli.commands:.1f} s")
        lines.append(f"  for information, start-up and shutdown left out (first submission started -> last "
                     f"finished): nbgrader {nb.busy_throughput:.2f}/s, command line "
                     f"{cli.busy_throughput:.2f}/s, ratio {report.busy_ratio:.1f}x")
    if report.disagreements:
        lines.append(f"scores: {len(report.disagreements)} DIFFERENCES between nbgrader's gradebook and the "
                     f"command line:\n  " + "\n  ".join(report.disagreements[:50]))
    else:
        lines.append(f"scores: identical, every question of every submission "
                     f"({report.nbgrader.submissions} submissions)")
    if report.large:
        lr = report.large
        p = lr.result
        lines += ["", f"== {p.submissions} submissions of {lr.assignment}, the largest assignment "
                  f"({lr.questions} questions), command line only ==",
                  _table(HEADER, [_row(p)]), ""]
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
    lines += ["",
              "How: throughput = submissions / wall-clock seconds of the whole commands (process start,",
              "imports and shutdown included), summed over the commands (one per assignment).",
              f"Latency p50/p95, nbgrader: {report.nbgrader.latency_note} (one at a time);",
              f"command line: {report.cli.latency_note} ({report.jobs} at a time).",
              "peak MB: the largest sum of PSS over the command's process tree, sampled every 0.1 s;",
              "max proc MB: the largest RSS of one process in it.",
              "nbgrader grades with the same engine (EngineGrade replaces its Execute), one notebook at a time."]
    return "\n".join(lines)


def machine_summary() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average at start "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.grading", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="submissions over the whole course (default 200)")
    parser.add_argument("--large", type=int, default=1000,
                        help="submissions of the largest assignment for the 10,000 extrapolation "
                             "(command line only; 0 skips it; default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the command line (default 2)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="course directory to create (must be missing or empty, or an earlier run's); "
                             "default: a temporary directory, removed afterwards")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.n < 0 or args.large < 0 or args.jobs < 1:
        parser.error("--n and --large must be >= 0, --jobs >= 1")
    return args


def _fresh_dir(path: Path) -> Path:
    path = path.resolve()
    if path.exists() and any(path.iterdir()):
        if not (path / MARKER).exists():
            raise SystemExit(f"{path} is not empty and was not made by this benchmark; choose another --dir")
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(machine_summary(), flush=True)
    if args.dir is not None:
        root, cleanup = _fresh_dir(args.dir), None
    else:
        cleanup = Path(tempfile.mkdtemp(prefix="bench-grading-"))
        root = cleanup / "course"
    try:
        report = run_benchmark(root, args.n, args.large, args.jobs)
    finally:
        if cleanup is not None and not args.keep:
            shutil.rmtree(cleanup, ignore_errors=True)
        elif cleanup is not None:
            print(f"kept {root}")
    print(format_report(report), flush=True)
    return 1 if report.disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
