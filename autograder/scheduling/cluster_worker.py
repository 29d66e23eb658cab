"""What a Dask worker runs: grade one student, from bytes to bytes.

    grade_student(course, assignment, student, submission, settings) -> result

course: a scratch course as built by the client (autograder.scheduling.cluster.course_bundle): under "course/",
  the source notebooks, an SQLite gradebook that knows the assignment and the grading secret; beside it
  "course.id" (what identifies the course) and "grader.sha256" (the client's grader_digest). It is
  unpacked once per worker process and reused for every student.
submission: the files of submitted/<student>/<assignment>/.
result: the files of autograded/<student>/<assignment>/ under "autograded/", and "result.json":
  {"error": outcome, "unreadable": {notebook: reason}, "grades": autograder.course.gradebook.read_results}.

The student is graded by the same code as in the local pool (autograder.scheduling.student.grade_one), so a worker
grades exactly as the instructor's machine would; it writes nothing outside its scratch folder.
"""
import hashlib
import json
import shutil
import tempfile
import threading
from pathlib import Path

from ..course.gradebook import read_results, sqlite_url
from ..course.settings import nbgrader_api
from ..isolation.kernel_pool import POOL
from .bundles import folder_entries, pack, unpack, write_folder
from .student import grade_one, grading_status, prepare_worker_process

SCRATCH = {}  # (course id, settings) -> (scratch course folder, nbgrader API), in this worker process
ONE_AT_A_TIME = threading.Lock()  # nbgrader's API is not thread-safe, and a student needs a core anyway


class GraderMismatch(Exception):
    """This worker's installed grader differs from the client's: its grades would differ."""


def grader_digest():
    """A digest of the installed grader and student kit (their source and data files)."""
    import assignments
    import autograder

    digest = hashlib.sha256()
    for package in (assignments, autograder):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
                digest.update(f"{package.__name__}/{path.relative_to(root).as_posix()}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def shared(data):
    """The task that holds the course bundle on the cluster (recomputed from its bytes if a worker dies)."""
    return data


def grade_student(course, assignment, student, submission, settings):
    with ONE_AT_A_TIME:
        root, api = scratch_course(course, settings)
        for stage in ("submitted", "autograded"):
            shutil.rmtree(root / stage, ignore_errors=True)
        write_folder(unpack(submission), root / "submitted" / student / assignment)
        # the student's notebooks share one sandbox, and none is started beyond it
        POOL.start_ahead(students=1)
        try:
            error = grade_one(api, root, assignment, student)
        finally:  # a Dask worker idles between tasks, and may run the next in another thread: no kernel waits
            POOL.close()
        graded = root / "autograded" / student / assignment
        status = grading_status(root, assignment, student)
        result = {"error": error, "unreadable": status["unreadable"], "sandbox": status.get("sandbox", ""),
                  "graded": graded.is_dir(), "grades": read_results(api.coursedir.db_url, assignment, student)}
        return pack({**folder_entries(graded, prefix="autograded/"), "result.json": json.dumps(result)})


def scratch_course(course, settings):
    """The unpacked scratch course for this bundle, made on first use in this worker process."""
    entries = unpack(course)
    key = (entries["course.id"].decode(), settings)
    if key not in SCRATCH:
        if entries["grader.sha256"].decode() != grader_digest():
            raise GraderMismatch("this worker has a different version of the grader installed than the client: "
                                 "install the same course package on every worker")
        prepare_worker_process()
        root = Path(tempfile.mkdtemp(prefix="backprop-lab-course-", dir=worker_folder()))
        write_folder({name.removeprefix("course/"): data for name, data in entries.items()
                      if name.startswith("course/")}, root)
        SCRATCH[key] = root, nbgrader_api(root, *settings, db_url=sqlite_url(root))
    return SCRATCH[key]


def worker_folder():
    """The Dask worker's own local folder (removed with the worker), or the system's temporary folder."""
    from distributed import get_worker
    try:
        return get_worker().local_directory
    except ValueError:
        return None
