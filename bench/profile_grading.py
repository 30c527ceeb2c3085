"""``python -m bench.profile_grading``: where one submission's grading time goes.

    python -m bench.profile_grading [--assignment a4_losses_backprop] [--repeats 5]
                                    [--kinds correct mistakes stub] [--cprofile KIND]

For each kind of synthetic submission (:mod:`autograder.demo.synthetic`: correct, mistakes, stub)
it grades the assignment's notebooks with :func:`autograder.grading.pipeline.grade_path` on one warm
sandbox, as a grading process of ``python -m autograder grade`` does, and prints

* per kind: the mean wall and CPU time of ``grade_path`` (grader and sandbox processes
  apart; the sandbox's counted in clock ticks, so take at least 10 repeats), and the grader's
  CPU time in each of the pipeline's steps: reading the notebook, :func:`~autograder.grading.plan`
  (the hidden cases and expected values), the hidden run in the sandbox, the diagnosis run on
  public cases (only when a hidden call raised), scoring and feedback;
* per question (the correct submission): the time of drawing its hidden cases, of its
  expected values, the bytes its calls send and receive, and the time of a sandbox run of
  that question's calls alone minus a run with no call (the run's fixed cost);
* ``--cprofile KIND``: cProfile's top functions of ``grade_path`` on that kind.

Per-question times are medians of ``--repeats`` on the same warm sandbox. The machine is
shared: compare figures of one run with each other, and CPU times rather than wall times.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from autograder.course.cases import hidden_cases, submission_key
from autograder.course.config import REPO_ROOT, Course, load_course
from autograder.course.secret import load_secret
from autograder.demo import synthetic
from autograder.grading import pipeline as grading
from autograder.questions import QUESTIONS
from autograder.sandbox import Call, Sandbox
from autograder.sandbox import wire

KINDS = ("correct", "mistakes", "stub")
STUDENT = "profile-student"


def _cpu_sandbox(sandbox: Sandbox) -> float:
    """CPU seconds of the sandbox's zygote and every process it has reaped (run supervisors, runs)."""
    pid = sandbox.zygote_pid
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Steps:
    """Seconds per step of one graded submission (summed over its notebooks)."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, step: str, elapsed: float) -> None:
        self.seconds[step] = self.seconds.get(step, 0.0) + elapsed


@contextmanager
def instrumented(steps: Steps) -> Iterator[None]:
    """Time the pipeline's steps by wrapping the functions ``grade_sources`` calls."""
    originals = {name: getattr(grading, name) for name in
                 ("read_notebook", "plan", "run_calls", "diagnosis_errors", "score_question")}

    def timed(name: str):
        def wrapper(*args, **kwargs):
            start = time.process_time()  # the grader's CPU: on a shared machine, wall time mostly waits
            try:
                return originals[name](*args, **kwargs)
            finally:
                steps.add(name, time.process_time() - start)
        return wrapper

    for name in originals:
        setattr(grading, name, timed(name))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(grading, name, original)


def write_submissions(course: Course, assignment: str, kinds: tuple[str, ...], root: Path) -> dict[str, list[Path]]:
    """``root/KIND/ASSIGNMENT/NOTEBOOK.ipynb`` for each kind; returns kind -> notebook paths."""
    paths = {}
    for kind in kinds:
        paths[kind] = synthetic.write_class(root, course, {kind: kind}, [assignment])
    return paths


@lru_cache(maxsize=None)
def release_of(assignment: str, notebook: str) -> dict | None:
    """The released notebook as plain JSON, read once (as the command line's grading processes do)."""
    path = REPO_ROOT / "assignments" / assignment / f"{notebook}.ipynb"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def grade_once(course: Course, sandbox: Sandbox, assignment: str, paths: list[Path], root: Path) -> None:
    for path in paths:
        grading.grade_path(path, assignment, STUDENT, root=root, notebook=path.stem, course=course,
                           sandbox=sandbox, release=release_of(assignment, path.stem))


def profile_kinds(course: Course, sandbox: Sandbox, assignment: str, paths: dict[str, list[Path]],
                  root: Path, repeats: int) -> None:
    print(f"\n{assignment}: grade_path on a warm sandbox, mean of {repeats} (ms; the steps are the grader's CPU)")
    steps_names = ["read_notebook", "plan", "run_calls", "diagnosis_errors", "score_question"]
    print("| kind | wall | grader CPU | sandbox CPU | " + " | ".join(steps_names) + " |")
    print("| --- " * (4 + len(steps_names)) + "|")
    for kind, kind_paths in paths.items():
        grade_once(course, sandbox, assignment, kind_paths, root)  # warm-up
        walls, own, children, per_step = [], [], [], []
        for _ in range(repeats):
            steps = Steps()
            cpu0, child0, start = _cpu_self(), _cpu_sandbox(sandbox), time.perf_counter()
            with instrumented(steps):
                grade_once(course, sandbox, assignment, kind_paths, root)
            walls.append(time.perf_counter() - start)
            own.append(_cpu_self() - cpu0)
            children.append(_cpu_sandbox(sandbox) - child0)
            per_step.append(steps.seconds)
        cells = [statistics.mean(s.get(name, 0.0) for s in per_step) * 1e3 for name in steps_names]
        print(f"| {kind} | {statistics.mean(walls) * 1e3:.1f} | {statistics.mean(own) * 1e3:.1f} | "
              f"{statistics.mean(children) * 1e3:.1f} | " + " | ".join(f"{c:.1f}" for c in cells) + " |")


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def profile_questions(course: Course, sandbox: Sandbox, assignment: str, path: Path, repeats: int) -> None:
    """Per question of a correct submission: case generation, expected values, bytes, run."""
    nb = grading.read_notebook(path)
    spec_assignment = course.assignment(assignment)
    specs = spec_assignment.questions_of(path.stem)
    graded = grading.graded_sources(nb, release_of(assignment, path.stem))
    key = submission_key(graded)  # the cases this notebook meets, as grading draws them
    sources = graded + grading.adapter_cells(specs)
    secret = load_secret()
    baseline = _median_time(lambda: sandbox.run(sources, [], limits=course.limits), repeats)
    print(f"\n{assignment} ({path.stem}), per question of a correct submission, median of {repeats}; "
          f"a run with no call: {baseline * 1e3:.1f} ms")
    print("| question | cases | cases ms | expected ms | MB sent | MB back | run ms (minus empty run) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals = [0.0] * 5
    for spec in specs:
        question = QUESTIONS[spec.id].bound(spec.settings)

        def draw():
            return hidden_cases(question, course.id, assignment, STUDENT, spec.hidden_cases, secret=secret,
                                submission=key)

        cases = draw()
        gen = _median_time(draw, repeats)
        expected = 0.0 if question.judge else _median_time(
            lambda: [question.reference(*case.args) for case in cases], repeats)
        calls = [Call(spec.function, case.args) for case in cases]
        sent = sum(memoryview(part).nbytes for m in wire.encode_calls(calls) for part in m) / 1e6
        result = sandbox.run(sources, calls, limits=course.limits)
        back = sum(_tree_bytes(o.value) for o in result.calls) / 1e6
        run = _median_time(lambda: sandbox.run(sources, calls, limits=course.limits), repeats) - baseline
        for i, value in enumerate((gen, expected, sent, back, run)):
            totals[i] += value
        print(f"| {spec.id} | {len(cases)} | {gen * 1e3:.2f} | {expected * 1e3:.2f} | {sent:.2f} | {back:.2f} | "
              f"{run * 1e3:.1f} |")
    print(f"| all | | {totals[0] * 1e3:.1f} | {totals[1] * 1e3:.1f} | {totals[2]:.2f} | {totals[3]:.2f} | "
          f"{totals[4] * 1e3:.1f} |")


def _tree_bytes(value) -> int:
    if hasattr(value, "nbytes"):
        return int(value.nbytes)
    if isinstance(value, (list, tuple)):
        return sum(_tree_bytes(v) for v in value)
    return 8


def cprofile_kind(course: Course, sandbox: Sandbox, assignment: str, paths: list[Path], root: Path,
                  repeats: int, top: int = 30) -> None:
    grade_once(course, sandbox, assignment, paths, root)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeats):
        grade_once(course, sandbox, assignment, paths, root)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_grading", description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="a4_losses_backprop")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--cprofile", choices=KINDS, help="also print cProfile's top functions for this kind")
    parser.add_argument("--no-questions", action="store_true", help="leave out the per-question table")
    args = parser.parse_args(argv)
    course = load_course()
    load_secret()
    with tempfile.TemporaryDirectory(prefix="profile-grading-") as tmp, Sandbox(course.limits) as sandbox:
        root = Path(tmp)
        paths = write_submissions(course, args.assignment, tuple(args.kinds), root)
        print(f"machine load average: {os.getloadavg()[0]:.2f}")
        profile_kinds(course, sandbox, args.assignment, paths, root, args.repeats)
        if not args.no_questions:
            for path in paths.get("correct", []):
                profile_questions(course, sandbox, args.assignment, path, args.repeats)
        if args.cprofile:
            cprofile_kind(course, sandbox, args.assignment, paths[args.cprofile], root, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
