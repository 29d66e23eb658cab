"""How grading scales: students per minute with the local pool and a Dask LocalCluster at 1 and 2 workers,
our wall time against stock `nbgrader autograde` on a class, our per-notebook cost against running the same
notebook in a bare kernel, and what follows for 1,000 and 10,000 students on 1, 10 and 100 workers.

Prints measured numbers and ratios; asserts nothing. Takes about 30 minutes on 2 idle cores.
Usage: python benchmarks/grading_at_scale.py [--students 40] [--rate-students 6]
"""
import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from grading_vs_stock import BIN, STOCK_CONFIG, run_all_seconds, simulate, timed  # noqa: E402

import autograder.scheduling.cluster  # noqa: E402
from autograder.course.settings import nbgrader_api
from autograder.course.folder import submitted_students  # noqa: E402
from autograder.commands.demo import fresh_course  # noqa: E402
from autograder.scheduling.grade import grade  # noqa: E402
from autograder.scheduling.student import grade_one  # noqa: E402
from autograder.commands.release import release  # noqa: E402

ASSIGNMENT = "fcnet"
TIMEOUT = 30


def course_copy(template, target, students):
    """A copy of the released course holding only the first `students` submissions."""
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("submitted"))
    for student in submitted_students(template, ASSIGNMENT)[:students]:
        shutil.copytree(template / "submitted" / student, target / "submitted" / student)
    return target


def seconds_to_grade(course, **where):
    start = time.perf_counter()
    outcomes = grade(course, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, **where)
    seconds = time.perf_counter() - start
    failed = {student: error for student, error in outcomes.items() if error}
    if failed:
        print(f"  (not graded: {failed})")
    return seconds


def on_local_cluster(workers, course):
    """Seconds to grade the course on a fresh LocalCluster of `workers` single-threaded worker processes."""
    import dask
    from distributed import LocalCluster

    settings = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(settings), LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1",
                                                 dashboard_address=None) as cluster:
        return seconds_to_grade(course, scheduler=cluster.scheduler_address)


RECORDING = []  # seconds the client spent recording each student graded on a cluster


def timing_records(record):
    """The client's own cost per graded student (files, gradebook, status) bounds a cluster batch's rate
    however many workers there are: time it."""
    def timed_record(*args):
        start = time.perf_counter()
        try:
            return record(*args)
        finally:
            RECORDING.append(time.perf_counter() - start)
    return timed_record


def grading_vs_bare_seconds(course, student):
    """(seconds our grader takes for one solved student, warm, in one process; seconds to start a bare
    kernel, run the same three notebooks with their tests, and stop it)."""
    api = nbgrader_api(course, TIMEOUT)
    grade_one(api, course, ASSIGNMENT, student)  # warm: imports, the reference's first calls
    start = time.perf_counter()
    grade_one(api, course, ASSIGNMENT, student)
    ours = time.perf_counter() - start
    return ours, sum(run_all_seconds(course).values())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=40, help="class size for the comparison with stock nbgrader")
    parser.add_argument("--rate-students", type=int, default=6, help="class size for the students-per-minute runs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="backprop-scale-"))
    template = work / "template"
    fresh_course(template)
    release(template, ASSIGNMENT)
    simulate(template, args.students)

    autograder.scheduling.cluster.record_result = timing_records(autograder.scheduling.cluster.record_result)
    n = args.rate_students
    rates = {}
    for label, run in [("local pool, 1 worker", lambda c: seconds_to_grade(c, workers=1)),
                       ("local pool, 2 workers", lambda c: seconds_to_grade(c, workers=2)),
                       ("LocalCluster, 1 worker", lambda c: on_local_cluster(1, c)),
                       ("LocalCluster, 2 workers", lambda c: on_local_cluster(2, c))]:
        seconds = run(course_copy(template, work / label.replace(" ", "_").replace(",", ""), n))
        rates[label] = n / seconds * 60
        print(f"{label:<24} {n} students in {seconds:6.1f} s: {rates[label]:5.2f} students/minute", flush=True)

    solver = submitted_students(template, ASSIGNMENT)[0]  # student000 solves everything
    grader_seconds, bare_seconds = grading_vs_bare_seconds(course_copy(template, work / "bare", 1), solver)
    print(f"one solved student, 3 notebooks: our grading {grader_seconds:.2f} s, bare kernel start-run-stop "
          f"{bare_seconds:.2f} s: ratio {grader_seconds / bare_seconds:.2f} (goal <= 1.2), overhead "
          f"{(grader_seconds - bare_seconds) / 3:.2f} s per notebook", flush=True)

    per_student = 60 / rates["local pool, 1 worker"]
    client = sum(RECORDING) / len(RECORDING)
    speedup = rates["LocalCluster, 2 workers"] / rates["LocalCluster, 1 worker"]
    print(f"\nprojection from {per_student:.1f} s of one core per student (local pool, 1 worker) and "
          f"{client:.3f} s of client work per student:")
    print("  assumes one single-threaded worker per core, each core as fast as this machine's, grading time per "
          "student as measured (a class like the simulated one), workers starting in parallel, the client "
          "recording results one at a time (its cost bounds the rate), the scheduler's and network's cost "
          f"per task negligible next to ~{per_student:.0f} s of work; measured speedup from 1 to 2 cluster "
          f"workers here: {speedup:.2f}x (2 shared cores)")
    for students in (1000, 10000):
        cells = []
        for workers in (1, 10, 100):
            seconds = max(students * per_student / workers, students * client)
            cells.append(f"{workers:>3} workers {seconds / 3600:7.2f} h")
        print(f"  {students:>6} students: " + "   ".join(cells), flush=True)

    ours, stock = course_copy(template, work / "ours", args.students), course_copy(template, work / "stock", args.students)
    (stock / "nbgrader_config.py").write_text(STOCK_CONFIG)
    ours_seconds = seconds_to_grade(ours)
    print(f"\n{args.students} students: backprop-lab grade {ours_seconds:.1f} s (one worker per core)", flush=True)
    stock_seconds = timed([str(BIN / "nbgrader"), "autograde", ASSIGNMENT], stock)
    print(f"{args.students} students: stock nbgrader autograde {stock_seconds:.1f} s: ratio ours / stock "
          f"{ours_seconds / stock_seconds:.2f} (goal <= 0.5)")

    shutil.rmtree(work)


if __name__ == "__main__":
    main()
