"""`backprop-lab grade`: autograde every submission that has no grade for its current version yet.

It checks the course, the gradebook and the sandbox before anyone is graded, holds the course's batch
lock, and hands the students to the local pool (autograder.scheduling.local) or, with `--scheduler`, to a
Dask cluster (autograder.scheduling.cluster). A student whose grading fails is recorded with the reason
and the batch goes on.
"""
from contextlib import nullcontext
from pathlib import Path

from ..course.folder import CourseError, require_course, submitted_students
from ..course.gradebook import check_gradebook
from ..course.settings import CELL_TIMEOUT, instructor_config
from ..isolation.sandbox import Limits, check_sandbox, course_inside_runtime
from .batch import fingerprint, one_batch_at_a_time
from .local import grade_locally
from .progress import GradingProgress
from .student import STARTED, grading_status, status_path


def grade(course_root, assignment, students=None, timeout=CELL_TIMEOUT, show_progress=True, workers=None,
          sandboxed=True, limits=Limits(), scheduler=None, force=False, run_all=False):
    """Autograde the given (default: all submitted) students that have no grade for their current
    submission yet (force: all of them) -> {student graded in this run: error message or ""}.

    workers: grading processes (default: one per core, at most 4); 1 grades in this process.
    sandboxed: False only for `--unsandboxed`; otherwise a machine without a working sandbox grades nobody.
    limits: resource limits of each grading kernel (autograder.isolation.sandbox.Limits).
    scheduler: address of a Dask scheduler; its cluster grades the students instead (autograder.scheduling.cluster).
    run_all: run every cell of each notebook (default: only the cells grading needs; same grades, less time).
    """
    course_root = require_course(course_root, assignment)
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
    settings = (timeout, sandboxed, limits, run_all)
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


def unfinished(course_root, assignment, students):
    """The students without a recorded outcome for their submission as it is now: never graded,
    interrupted while grading, or resubmitted since."""
    def finished(student):
        status = grading_status(course_root, assignment, student)
        folder = Path(course_root) / "submitted" / student / assignment
        return status["error"] != STARTED and status.get("submission") == fingerprint(folder)
    return [student for student in students if not finished(student)]
