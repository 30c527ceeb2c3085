"""What the sandbox's isolation costs per submission: this engine against an earlier one.

    python -m bench.isolation [--baseline f808ee0] [--n 60] [--rounds 3]

Checks out the engine of ``--baseline`` (by default the last commit before the sandbox became
a package with per-run PID namespaces, its own uid, per-run pipes and a zygote that never
reads a submission) into a temporary directory with ``git archive``, then measures both
engines side by side, alternating rounds in separate processes so they share the machine's
state: for an empty submission (one cell, one call) and for a correct a4 submission graded
by ``grade_notebook``, the wall time and the CPU time per submission of the grader and of
the sandbox's processes (zygote, run supervisors and runs, reaped when the sandbox closes).
Prints the medians over rounds and the ratios new/old.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = "f808ee0"  # the first edition's sandbox (one module, one pipe through the zygote)

# Runs in a fresh interpreter with ``tree`` first on sys.path, so it measures that tree's engine.
MEASURE = r"""
import json, resource, sys, time
from pathlib import Path
tree, n, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, tree)
import autograder
assert autograder.__file__.startswith(tree), autograder.__file__
from autograder.course.config import load_course
from autograder.grading.pipeline import grade_notebook
from autograder.sandbox import Call, Sandbox
from autograder.demo.synthetic import make_submission

course = load_course(Path(tree) / "course.yml")
nb = make_submission("correct", "a4_losses_backprop", "losses_backprop",
                     solutions=Path(tree) / "solutions", released=Path(tree) / "assignments")


def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def one(sandbox, i):
    if kind == "a4":
        grade_notebook(nb, "a4_losses_backprop", f"student{i}", course=course, sandbox=sandbox)
    else:
        sandbox.run(["x = 1\n"], [Call("f", ())])


sandbox = Sandbox(course.limits).__enter__()
one(sandbox, -1)  # warm
children0, self0, t0 = cpu(resource.RUSAGE_CHILDREN), cpu(resource.RUSAGE_SELF), time.perf_counter()
for i in range(n):
    one(sandbox, i)
wall = time.perf_counter() - t0
grader = cpu(resource.RUSAGE_SELF) - self0
sandbox.close()  # the zygote is reaped: its CPU, and its children's, count from here
print(json.dumps({"wall_ms": 1000 * wall / n, "grader_cpu_ms": 1000 * grader / n,
                  "sandbox_cpu_ms": 1000 * (cpu(resource.RUSAGE_CHILDREN) - children0) / (n + 1)}))
"""


def baseline_tree(ref: str, into: Path) -> Path:
    """The files of ``ref`` that grading needs, extracted with ``git archive``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "autograder", "nn_core", "course.yml",
                              "solutions", "assignments"], capture_output=True, check=True).stdout
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measure(tree: Path, n: int, kind: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(tree), str(n), kind], capture_output=True,
                         text=True, cwd=tempfile.gettempdir(), check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help="the git revision to compare with")
    parser.add_argument("--n", type=int, default=60, help="submissions per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-isolation-") as tmp:
        try:
            old_tree = baseline_tree(args.baseline, Path(tmp) / "before")
        except subprocess.CalledProcessError as error:
            print(f"cannot check out {args.baseline} ({error.stderr.decode(errors='replace').strip()}); "
                  f"a shallow clone lacks the history: fetch it and run again", file=sys.stderr)
            return 2
        from autograder.course.secret import SECRET_ENV, create_secret

        secret = Path(tmp) / "course_secret"  # the benchmark's own: no instructor secret is needed
        create_secret(secret)
        env = dict(os.environ, **{SECRET_ENV: str(secret)})
        trees = {"before": old_tree, "now": REPO}
        rows = []
        for kind in ("empty", "a4"):
            samples = {name: [] for name in trees}
            for _ in range(args.rounds):
                for name, tree in trees.items():  # alternate, so both see the same machine
                    samples[name].append(measure(tree, args.n, kind, env))
            medians = {name: {key: statistics.median(s[key] for s in runs) for key in runs[0]}
                       for name, runs in samples.items()}
            rows.append((kind, medians))
    print(f"per submission, median of {args.rounds} rounds of {args.n}; before = {args.baseline}")
    print(f"{'submission':<10} {'engine':<7} {'wall ms':>8} {'grader cpu ms':>14} {'sandbox cpu ms':>15} {'total cpu ms':>13}")
    for kind, medians in rows:
        for name, m in medians.items():
            total = m["grader_cpu_ms"] + m["sandbox_cpu_ms"]
            print(f"{kind:<10} {name:<7} {m['wall_ms']:8.1f} {m['grader_cpu_ms']:14.1f} {m['sandbox_cpu_ms']:15.1f} {total:13.1f}")
        before, now = medians["before"], medians["now"]
        extra = (now["grader_cpu_ms"] + now["sandbox_cpu_ms"]) - (before["grader_cpu_ms"] + before["sandbox_cpu_ms"])
        print(f"{kind:<10} {'now/before':<7} {now['wall_ms'] / before['wall_ms']:8.2f}x "
              f"{'':>14} {'':>15} {extra:+12.1f} ms of CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
