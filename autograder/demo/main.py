"""The main job (``make demo``): the whole course, end to end, on a synthetic class.

1. Train the reference networks on scikit-learn's bundled data sets and print their metrics.
2. The instructor's set-up: create the course secret when there is none
   (``python -m autograder secret init``), then release the course with nbgrader into a
   fresh course directory (default ``demo_class/``), one assignment at a time on a simulated
   term's calendar: each on the first minute after the earlier assignments are due (the
   release refuses an earlier assignment's open answers: ``autograder.course.spoilers``).
3. Write a class of submissions made from the notebooks (:mod:`autograder.demo.synthetic`):
   a correct one, one with typical mistakes, an untouched stub, and a hostile one; the
   collection step writes nbgrader's ``timestamp.txt`` beside each (one of them late) and
   the roster (names) goes into nbgrader's gradebook.
4. Grade every assignment twice: through the instructor's ``nbgrader autograde`` (whose
   grading step is the engine), ``generate_feedback`` and ``export``, and through
   ``python -m autograder grade --jobs 2``.
5. Print the grade table, the mistakes the engine named, and whether both paths agree
   to the last digit. The exit status is 1 when they do not.
6. Write the class report (``demo_class/report.html``, CSV and JSON beside it) and print its
   path and the three most frequent named mistakes.
7. A resubmission: carol hands in a1 again; the command line regrades her alone.
8. Build Gradescope's autograder zip for every assignment (``demo_class/gradescope/``) and
   grade one submission through one, as Gradescope would; it must equal step 4's grade.

    python -m autograder.demo [--dir demo_class] [--skip-training]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

from autograder.course import release
from autograder import report
from autograder.course import secret
from autograder.demo import synthetic
from autograder.batch.grade import grade_batch
from autograder.course.config import REPO_ROOT, load_course
from autograder.gradescope import trial as gradescope_trial
from autograder.grading.feedback import duration, points
from autograder.batch.lateness import write_timestamp
from autograder.report.command import print_top_mistakes

STUDENTS = {"alice": "correct", "bob": "mistakes", "carol": "stub", "mallory": "hostile"}
#: The roster nbgrader's gradebook gets (``nbgrader db student import``): id, first and last name.
NAMES = {"alice": ("Alice", "Archer"), "bob": ("Bob", "Baker"), "carol": ("Carol", "Chen"),
         "mallory": ("Mallory", "Moss")}
#: When each student handed in, relative to the due date (bob is late for every assignment).
HANDED_IN = {"alice": dt.timedelta(days=-2), "bob": dt.timedelta(hours=3, minutes=20),
             "carol": dt.timedelta(hours=-1), "mallory": dt.timedelta(minutes=-5)}


def collect(course, submitted: Path) -> None:
    """The collection step of a plain-folder course: nbgrader's ``timestamp.txt`` beside every
    submission (what ``nbgrader collect`` writes), read by both grading paths for late work."""
    for spec in course.assignments:
        for student, offset in HANDED_IN.items():
            if (submitted / student / spec.id).is_dir():
                write_timestamp(submitted / student / spec.id, spec.due + offset)


def import_roster(root: Path) -> Path:
    """The class list into nbgrader's gradebook, names included (nbgrader's own command)."""
    path = root / "students.csv"
    with open(path, "w", newline="") as handle:
        rows = [["id", "first_name", "last_name", "email"]]
        rows += [[student, first, last, f"{student}@example.org"] for student, (first, last) in NAMES.items()]
        csv.writer(handle).writerows(rows)
    release.nbgrader(["db", "student", "import", path.name], root)
    return path


def _course_summary(course) -> None:
    print(f"\n== course {course.id}: {len(course.assignments)} assignments ==")
    for a in course.assignments:
        auto = sum(q.points for q in a.questions)
        written = [w for n in a.notebooks for w in n.written]
        manual = sum(w.points for w in written)
        print(f"  {a.id:<20} {len(a.questions):>2} auto-graded questions ({auto:g} points)"
              + (f" + {len(written)} written ({manual:g} points)" if written else "")
              + f", due {a.due:%Y-%m-%d}")


#: The simulated term starts this long before the first assignment is due.
TERM_START_BEFORE_FIRST_DUE = dt.timedelta(weeks=2)


def term_calendar(course, root: Path) -> dict:
    """When each assignment of the course in ``root`` reaches students in the simulated term: the
    first at the start of term, every other one the first minute after the earlier assignments
    are due (the earliest release without spoilers). Prints the calendar."""
    start = course.assignments[0].due - TERM_START_BEFORE_FIRST_DUE
    days = {spec: release.release_date(root, [spec.id]) or start for spec in course.assignments}
    for spec, day in days.items():
        print(f"    {spec.id:<20} released {day:%Y-%m-%d %H:%M} UTC, due {spec.due:%Y-%m-%d %H:%M} UTC")
    return days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=REPO_ROOT / "demo_class", help="course directory to (re)create")
    parser.add_argument("--skip-training", action="store_true", help="skip step 1")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)

    if not args.skip_training:
        print("== 1. reference networks (nn_core) ==", flush=True)
        from nn_core import demo as reference
        reference.main()

    course = load_course()
    _course_summary(course)
    root = args.dir.resolve()
    if root.exists():
        shutil.rmtree(root)
    print("\n== 2. set-up: the course secret, then the release ==", flush=True)
    secret_file, created = secret.ensure_secret()
    print(f"  {'created' if created else 'using'} the course secret {secret_file} "
          f"(every student's hidden cases are keyed by it; keep it out of git)")
    print(f"  releasing the course with nbgrader into {root}", flush=True)
    release.make_course_copy(root)
    t0 = time.perf_counter()
    released = [path for spec, day in term_calendar(course, root).items()
                for path in release.release([spec.id], root, now=day)]
    print(f"  released {len(released)} assignments in {time.perf_counter() - t0:.1f} s")

    print(f"\n== 3. a class of {len(STUDENTS)}: "
          + ", ".join(f"{s} ({k})" for s, k in STUDENTS.items()) + " ==", flush=True)
    submitted = root / "submitted"
    synthetic.write_class(submitted, course, STUDENTS, solutions=root / "solutions", released=root / "assignments")
    collect(course, submitted)
    print(f"  collected into {submitted}/STUDENT/ASSIGNMENT/ with nbgrader's timestamp.txt "
          f"(bob hands in {duration(HANDED_IN['bob'].total_seconds())} late)")
    print(f"  roster with names imported into nbgrader's gradebook from {import_roster(root)}", flush=True)

    print("\n== 4. grading: nbgrader autograde (engine inside) and the command line ==", flush=True)
    table: dict[str, dict[str, float]] = {s: {} for s in STUDENTS}
    disagreements = []
    cli_results = {}
    timings = []
    for spec in course.assignments:
        t0 = time.perf_counter()
        gradebook = release.run_pipeline(root, spec.id, release_first=False, grades_csv=f"nbgrader_{spec.id}.csv")
        t_nb = time.perf_counter() - t0
        t0 = time.perf_counter()
        results, faults, skipped, *_ = grade_batch(spec.id, submitted, root / "engine" / spec.id, args.jobs,
                                                   root / "course.yml", progress=False)
        t_cli = time.perf_counter() - t0
        timings.append((spec.id, t_nb, t_cli))
        disagreements += faults + skipped
        for result in results:
            cli_results[(result.student, spec.id)] = result
            table[result.student][spec.id] = result.score
            book = gradebook[result.student]
            for q in result.questions:
                if book.cells.get(q.id) != q.score:
                    disagreements.append(f"{result.student} {spec.id} {q.id}: nbgrader {book.cells.get(q.id)} "
                                         f"!= engine {q.score}")
        print(f"  {spec.id:<20} nbgrader pipeline {t_nb:5.1f} s, command line {t_cli:5.1f} s", flush=True)

    print("\n== 5. grades (auto-graded points; written answers await manual grading; * late) ==")
    header = f"{'student':<9} {'kind':<9}" + "".join(f" {a.id[:14]:>14}" for a in course.assignments) + "   total"
    print(header)
    for student, kind in STUDENTS.items():
        late = {a.id: "*" if cli_results[(student, a.id)].late and cli_results[(student, a.id)].late.is_late else ""
                for a in course.assignments}
        cells = [f"{points(table[student][a.id])}/{points(sum(q.points for q in a.questions))}{late[a.id]}"
                 for a in course.assignments]
        total = sum(q.score for a in course.assignments for q in cli_results[(student, a.id)].questions)
        print(f"{student:<9} {kind:<9}" + "".join(f" {c:>14}" for c in cells) + f"   {points(total)}")

    print("\n  mistakes the engine named in bob's work (grade.json's structured mistakes):")
    for spec in course.assignments:
        for mistake in cli_results[("bob", spec.id)].mistakes:
            print(f"    {spec.id}/{mistake['question']}: {mistake['message']}")
    print("\n  what mallory's attack earned (patched numpy, a lying array, an endless loop):")
    for spec in course.assignments:
        for q in cli_results[("mallory", spec.id)].questions:
            if q.score < q.max_score:
                print(f"    {spec.id}/{q.id}: {q.score:g}/{q.max_score:g}: {q.feedback.splitlines()[1].strip()[:110]}")
    print(f"\n  feedback: {root}/engine/<assignment>/<student>/feedback.txt and "
          f"{root}/feedback/<student>/<assignment>/*.html (nbgrader)")
    if disagreements:
        print("\nnbgrader and the command line DISAGREE:\n  " + "\n  ".join(disagreements))
    else:
        print("\n  nbgrader's gradebook and the command line agree on every question of every student.")

    print("\n== 6. the class report ==", flush=True)
    write_class_report(course, root)

    print("\n== 7. a resubmission: carol hands in a1_activations again, now correct ==", flush=True)
    resubmit(course, root, args.jobs)
    print("\n== 8. Gradescope: the autograder zips, one submission graded through one ==", flush=True)
    through_gradescope_agrees = gradescope_trial.demo(root)
    return 1 if disagreements or not through_gradescope_agrees else 0


def resubmit(course, root: Path, jobs: int) -> None:
    """carol's a1 replaced by a correct notebook (a new timestamp too); the command line
    regrades exactly her and keeps the others, and says so."""
    spec = course.assignment("a1_activations")
    submitted = root / "submitted"
    synthetic.write_class(submitted, course, {"carol": "correct"}, [spec.id],
                          solutions=root / "solutions", released=root / "assignments")
    write_timestamp(submitted / "carol" / spec.id, spec.due - dt.timedelta(minutes=30))
    command = (f"python -m autograder grade {spec.id} {submitted} --out {root / 'engine' / spec.id} "
               f"--jobs {jobs} --course {root / 'course.yml'}")
    batch = grade_batch(spec.id, submitted, root / "engine" / spec.id, jobs, root / "course.yml", progress=False)
    carol = next(r for r in batch.results if r.student == "carol")
    print(f"  $ {command}\n  {batch.summary()}  (carol now {points(carol.score)}/{points(carol.max_score)})")


def write_class_report(course, root: Path) -> Path:
    """The report on every assignment graded into ``root/engine/``, with nbgrader's gradebook
    and ``submitted/`` as the roster; prints where it is and the most frequent mistakes."""
    sources = report.Sources(gradebook=root / "gradebook.db", submissions=root / "submitted")
    written, paths = report.write_report(course.name, report.collect_course(course, root / "engine", sources),
                                         root / "report.html")
    print(f"  {paths[0]}\n  (and beside it {', '.join(p.name for p in paths[1:])})")
    print_top_mistakes(written, indent="  ")
    print(f"  made by: python -m autograder report all {root / 'engine'} --gradebook {root / 'gradebook.db'} "
          f"--submissions {root / 'submitted'} --out {paths[0]}")
    return paths[0]


if __name__ == "__main__":
    sys.exit(main())
