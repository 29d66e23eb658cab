"""`backprop-lab grade`: autograde every submission through nbgrader, a few students at a time.

Each worker process holds its own nbgrader API and grades whole students, so no student is ever graded
twice at once; the gradebook (an SQLite file that waits for its lock, or PostgreSQL) takes their
concurrent writes. A student whose grading fails is recorded with the reason and the batch goes on.
Each outcome is recorded once the student's grades are in the gradebook, so a rerun after an
interruption grades only the students left. `--scheduler` hands the students to a Dask cluster instead
(autograder.cluster).
"""
import json
import multiprocessing
import os
from contextlib import nullcontext
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import nbformat

from .batch import fingerprint, one_batch_at_a_time
from .course import CourseError, instructor_config, last_error_line, nbgrader_api, submitted_students
from .gradebook import check_gradebook
from .progress import GradingProgress
from .sandbox import Limits, check_sandbox, course_inside_runtime
from .settings import CELL_TIMEOUT
from .submission import linked_path, set_aside_unsafe


def status_path(course_root, assignment, student):
    return Path(course_root) / ".backprop-lab" / "grading" / assignment / f"{student}.json"


def default_workers():
    """One grading process per core, at most 4: each runs a kernel that keeps a core busy."""
    return max(1, min(4, os.cpu_count() or 1))


def grade(course_root, assignment, students=None, timeout=CELL_TIMEOUT, show_progress=True, workers=None,
          sandboxed=True, limits=Limits(), scheduler=None, force=False):
    """Autograde the given (default: all submitted) students that have no grade for their current
    submission yet (force: all of them) -> {student graded in this run: error message or ""}.

    workers: grading processes (default: one per core, at most 4); 1 grades in this process.
    sandboxed: False only for `--unsandboxed`; otherwise a machine without a working sandbox grades nobody.
    limits: resource limits of each grading kernel (autograder.sandbox.Limits).
    scheduler: address of a Dask scheduler; its cluster grades the students instead (autograder.cluster).
    """
    course_root = Path(course_root).resolve()
    check_gradebook(course_root, assignment)
    instructor_config(course_root)  # an nbgrader config that cannot be read stops here, with its reason
    students = students or submitted_students(course_root, assignment)
    missing = [s for s in students if not (course_root / "submitted" / s / assignment).is_dir()]
    if missing:
        raise CourseError(f"no submission folder for: {', '.join(missing)}")
    if sandboxed:
        problem = check_sandbox(limits) or course_inside_runtime(course_root)
        if problem:
            raise CourseError(f"graded nobody: {problem}")
    settings = (timeout, sandboxed, limits)
    if scheduler:
        from .cluster import connect, grade_on_cluster
    client = connect(scheduler) if scheduler else None  # before anything changes: an unreachable cluster grades nobody
    with nullcontext() if client is None else client, one_batch_at_a_time(course_root, assignment):
        todo = list(students) if force else unfinished(course_root, assignment, students)
        for student in todo:
            status_path(course_root, assignment, student).unlink(missing_ok=True)
        with GradingProgress(len(todo), show_progress) as progress:
            if client is not None:
                grade_on_cluster(client, course_root, assignment, todo, settings, progress)
            elif todo:
                grade_locally(course_root, assignment, todo, settings, workers, progress)
    return progress.outcomes


def grade_locally(course_root, assignment, students, settings, workers, progress):
    """Grade students in worker processes of this machine (in this process when workers is 1).
    settings: (timeout, sandboxed, limits), as nbgrader_api takes them."""
    workers = min(workers or default_workers(), len(students))
    progress.workers(workers, workers)
    if workers == 1:
        api = nbgrader_api(course_root, *settings)
        for student in students:
            progress.done(student, grade_one(api, course_root, assignment, student))
        return
    pending = list(students)
    while pending:
        pending = grade_in_pool(course_root, assignment, pending, settings, workers, progress.done)
        # a worker died: whoever it was grading then is graded alone, so a submission that kills
        # its grader takes only itself down; the rest go to a new pool
        started = [s for s in pending if grading_status(course_root, assignment, s)["error"] == STARTED]
        for student in started or list(pending):
            if grade_in_pool(course_root, assignment, [student], settings, 1, progress.done):
                record_status(course_root, assignment, student, KILLED, {})
                progress.done(student, KILLED)
            pending.remove(student)


def unfinished(course_root, assignment, students):
    """The students without a recorded outcome for their submission as it is now: never graded,
    interrupted while grading, or resubmitted since."""
    def finished(student):
        status = grading_status(course_root, assignment, student)
        folder = Path(course_root) / "submitted" / student / assignment
        return status["error"] != STARTED and status.get("submission") == fingerprint(folder)
    return [student for student in students if not finished(student)]


def grade_in_pool(course_root, assignment, students, settings, workers, done):
    """Grade students in a pool of worker processes, calling done(student, outcome) for each -> the
    students left ungraded because a worker process died."""
    left = list(students)
    with grading_pool(course_root, settings, workers) as pool:
        futures = {pool.submit(grade_in_worker, str(course_root), assignment, s): s for s in students}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:  # fails every unfinished student of the pool
                continue
            left.remove(futures[future])
            done(futures[future], outcome)
    return left


def grading_pool(course_root, settings, workers):
    # spawn, not fork: a forked child would share the parent's open database and kernel sockets
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker,
                               initargs=(str(course_root), settings))


WORKER_API = None


def start_worker(course_root, settings):
    global WORKER_API
    prepare_worker_process()
    WORKER_API = nbgrader_api(course_root, *settings)


def prepare_worker_process():
    """Settings of a process that grades students alongside others (local pool or cluster worker)."""
    import warnings

    from threadpoolctl import threadpool_limits
    threadpool_limits(1)  # the reference's matrices are small; workers must not fight over the cores
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy chatter


def grade_in_worker(course_root, assignment, student):
    return grade_one(WORKER_API, course_root, assignment, student)


STARTED = "grading started but did not finish"
KILLED = "the grading process was killed while running this submission (did its code kill its parent?)"


def grade_one(api, course_root, assignment, student):
    record_status(course_root, assignment, student, STARTED, {})
    folder = Path(course_root) / "submitted" / student / assignment
    refused = refuse_linked_folder(course_root, assignment, student)
    if refused:
        return refused
    set_aside = set_aside_unsafe(folder)
    unreadable = set_aside_unreadable(folder)
    try:
        result = api.autograde(assignment, student, force=True, create=True)
        error = "" if result["success"] else last_error_line(result)
    except Exception as exc:  # nbgrader itself broke on this submission; the batch goes on
        error = f"{type(exc).__name__}: {exc}"
    if error and unreadable:  # nbgrader's own words would blame the course ("no notebooks found")
        error = "; ".join(f"{name}.ipynb could not be read ({reason})" for name, reason in unreadable.items())
    elif "No notebooks found" in error:
        found = sorted(p.name for p in (Path(course_root) / "submitted" / student / assignment).glob("*.ipynb"))
        error = f"none of {assignment}'s notebooks is in the submission (found: {', '.join(found) or 'nothing'})"
    record_status(course_root, assignment, student, error, unreadable, set_aside,
                  sandbox="on" if api.config.SandboxedExecute.sandboxed else "off")
    return error


def refuse_linked_folder(course_root, assignment, student):
    """A submission folder that is a link is never graded (every file read through it would come from
    elsewhere) -> the reason, recorded, or "" for a real folder."""
    linked = linked_path(course_root, "submitted", student, assignment)
    if linked is None:
        return ""
    error = f"{linked.relative_to(course_root)} is a link, not a folder: not graded"
    record_status(course_root, assignment, student, error, {})
    return error


def record_status(course_root, assignment, student, error, unreadable, set_aside=None, sandbox=""):
    """Record the outcome of grading the submission as it is now (written whole or not at all)."""
    path = status_path(course_root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    submission = fingerprint(Path(course_root) / "submitted" / student / assignment)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"student": student, "error": error, "unreadable": unreadable,
                                   "set_aside": set_aside or {}, "sandbox": sandbox, "submission": submission}))
    partial.replace(path)


def set_aside_unreadable(folder):
    """Rename each notebook nbformat cannot read to <name>.ipynb.unreadable (kept, not deleted), so that
    nbgrader grades the others -> {notebook name: reason}, including notebooks set aside by an earlier run
    (a regrade) unless a readable notebook of that name has been submitted since."""
    for path in sorted(folder.glob("*.ipynb")):
        if unreadable_reason(path):
            path.rename(path.with_name(path.name + ".unreadable"))
    set_aside = sorted(folder.glob("*.ipynb.unreadable"))
    return {path.name.removesuffix(".ipynb.unreadable"): unreadable_reason(path) for path in set_aside
            if not path.with_suffix("").exists()}


def unreadable_reason(path):
    """Why nbformat cannot read the notebook at path, or "" when it can."""
    try:
        nbformat.read(path, as_version=4)
    except Exception as error:
        return f"{type(error).__name__}: {str(error)[:200]}"
    return ""


def grading_status(course_root, assignment, student):
    """{"error": why grading failed or "", "unreadable": {notebook: reason}} as recorded by the last run."""
    path = status_path(course_root, assignment, student)
    return json.loads(path.read_text()) if path.exists() else {"error": "", "unreadable": {}, "set_aside": {}}
