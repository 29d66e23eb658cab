"""What makes a grading batch resumable: a fingerprint of each submission, and one batch per course at a time.

A student counts as graded when their status record holds an outcome for the submission as it is now
(autograder.scheduling.grade.unfinished), so a rerun after an interruption grades only the others and a
resubmitted student is graded again. Two `grade` runs on one course would grade the same students at
once; the lock refuses the second.
"""
import fcntl
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

from ..course.folder import CourseError
from ..isolation.submission import regular_files


def fingerprint(folder):
    """A digest of the names, sizes and modification times of the files of a submission folder: it
    changes when a student resubmits, not when the grader reads the folder."""
    digest = hashlib.sha256()
    for path in regular_files(folder):
        info = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@contextmanager
def one_batch_at_a_time(course_root, assignment):
    """Hold the course's grading lock for this assignment, or refuse when another run holds it. The
    operating system releases the lock when the holder exits, however it exits."""
    path = Path(course_root) / ".backprop-lab" / "grading" / f"{assignment}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CourseError(f"{assignment} is being graded in this course by {holder}: wait for it to finish") from None
        handle.truncate(0)
        handle.write(f"process {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
