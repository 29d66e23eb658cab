"""`backprop-lab grade`: autograde every submission through nbgrader, a few students at a time.

Each worker process holds its own nbgrader API and grades whole students, so no student is ever graded
twice at once; the gradebook is one SQLite file that waits for a lock instead of failing. A student
whose grading fails is recorded with the reason and the batch goes on.
"""
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import nbformat

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .course import CourseError, last_error_line, nbgrader_api, submitted_students
from .sandbox import Limits, check_sandbox, course_inside_runtime
from .settings import CELL_TIMEOUT
from .submission import linked_path, set_aside_unsafe


def status_path(course_root, assignment, student):
    return Path(course_root) / ".backprop-lab" / "grading" / assignment / f"{student}.json"


def default_workers():
    """One grading process per core, at most 4: each runs a kernel that keeps a core busy."""
    return max(1, min(4, os.cpu_count() or 1))


def grade(course_root, assignment, students=None, timeout=CELL_TIMEOUT, show_progress=True, workers=None,
          sandboxed=True, limits=Limits()):
    """Autograde the given (default: all submitted) students -> {student: error message or ""}.

    workers: grading processes (default: one per core, at most 4); 1 grades in this process.
    sandboxed: False only for `--unsandboxed`; otherwise a machine without a working sandbox grades nobody.
    """
    course_root = Path(course_root).resolve()
    if not (course_root / "gradebook.db").exists():
        raise CourseError("no gradebook.db: run `backprop-lab release` first")
    students = students or submitted_students(course_root, assignment)
    missing = [s for s in students if not (course_root / "submitted" / s / assignment).is_dir()]
    if missing:
        raise CourseError(f"no submission folder for: {', '.join(missing)}")
    if sandboxed:
        problem = check_sandbox(limits) or course_inside_runtime(course_root)
        if problem:
            raise CourseError(f"graded nobody: {problem}")
    settings = (timeout, sandboxed, limits)
    workers = min(workers or default_workers(), len(students)) or 1
    for student in students:
        status_path(course_root, assignment, student).unlink(missing_ok=True)
    outcomes = {}
    columns = (TextColumn("grading {task.fields[student]:<12}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, disable=not show_progress, transient=False) as progress:
        bar = progress.add_task("grade", total=len(students), student="")

        def done(student, outcome):
            outcomes[student] = outcome
            progress.update(bar, student=student)
            progress.advance(bar)

        if workers == 1:
            api = nbgrader_api(course_root, *settings)
            for student in students:
                done(student, grade_one(api, course_root, assignment, student))
        else:
            pending = list(students)
            while pending:
                pending = grade_in_pool(course_root, assignment, pending, settings, workers, done)
                # a worker died: whoever it was grading then is graded alone, so a submission that kills
                # its grader takes only itself down; the rest go to a new pool
                started = [s for s in pending if grading_status(course_root, assignment, s)["error"] == STARTED]
                for student in started or list(pending):
                    if grade_in_pool(course_root, assignment, [student], settings, 1, done):
                        record_status(course_root, assignment, student, KILLED, {})
                        done(student, KILLED)
                    pending.remove(student)
    return {student: outcomes[student] for student in students}


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
    import warnings

    from threadpoolctl import threadpool_limits
    threadpool_limits(1)  # the reference's matrices are small; workers must not fight over the cores
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy chatter
    WORKER_API = nbgrader_api(course_root, *settings)


def grade_in_worker(course_root, assignment, student):
    return grade_one(WORKER_API, course_root, assignment, student)


STARTED = "grading started but did not finish"
KILLED = "the grading process was killed while running this submission (did its code kill its parent?)"


def grade_one(api, course_root, assignment, student):
    record_status(course_root, assignment, student, STARTED, {})
    folder = Path(course_root) / "submitted" / student / assignment
    linked = linked_path(course_root, "submitted", student, assignment)
    if linked is not None:  # never graded: every file read through it would come from elsewhere
        error = f"{linked.relative_to(course_root)} is a link, not a folder: not graded"
        record_status(course_root, assignment, student, error, {})
        return error
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


def record_status(course_root, assignment, student, error, unreadable, set_aside=None, sandbox=""):
    path = status_path(course_root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"student": student, "error": error, "unreadable": unreadable,
                                "set_aside": set_aside or {}, "sandbox": sandbox}))


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
