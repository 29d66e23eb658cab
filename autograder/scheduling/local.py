"""The local pool: students graded in worker processes of this machine, a few at a time.

Each worker process holds its own nbgrader API and grades whole students, so no student is ever graded
twice at once; the gradebook (an SQLite file that waits for its lock, or PostgreSQL) takes their
concurrent writes. A worker process that dies takes only the student it was grading with it.
"""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from ..course.settings import nbgrader_api
from ..isolation.kernel_pool import POOL
from .student import KILLED, STARTED, grade_one, grading_status, prepare_worker_process, record_status


def default_workers():
    """One grading process per core, at most 4: each runs a kernel that keeps a core busy."""
    return max(1, min(4, os.cpu_count() or 1))


def grade_locally(course_root, assignment, students, settings, workers, progress):
    """Grade students in worker processes of this machine (in this process when workers is 1).
    settings: (timeout, sandboxed, limits, run_all), as nbgrader_api takes them."""
    workers = min(workers or default_workers(), len(students))
    progress.workers(workers, workers)
    if workers == 1:
        api = nbgrader_api(course_root, *settings)
        POOL.start_ahead(students=len(students))
        try:
            for student in students:
                progress.done(student, grade_one(api, course_root, assignment, student))
        finally:  # this process goes on: the last student's sandbox is not left waiting
            POOL.close()
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
    POOL.start_ahead()  # this process grades until the pool ends; its exit kills the sandboxes left


def grade_in_worker(course_root, assignment, student):
    return grade_one(WORKER_API, course_root, assignment, student)
