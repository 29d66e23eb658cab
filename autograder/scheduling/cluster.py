"""`backprop-lab grade --scheduler ADDRESS`: grade on a Dask cluster, one task per student.

The cluster gets the scratch course once (course_bundle) and each submission as bytes; a worker grades
the student exactly as the local pool would (autograder.scheduling.cluster_worker) and returns the graded notebooks,
the scores and the outcome as bytes. Only this process writes into the course folder and the gradebook,
one student at a time, and it records a student's outcome last: a client stopped halfway loses no
finished grade, and the rerun grades only the students left. Workers need no shared filesystem.

A student whose worker dies is graded again on another worker; when its grading has killed
`distributed.scheduler.allowed-failures` + 1 workers (2 with the setting 1 that the README's scheduler
uses), Dask gives up and the student is recorded as killed, with the reason.
"""
import hashlib
import json
import shutil
import tempfile
from collections import deque
from pathlib import Path

from ..course.folder import CourseError
from ..course.gradebook import assignment_duedate, assignment_layout, record_results, sqlite_url
from ..course.settings import nbgrader_api, nbgrader_config
from ..isolation.renamed import restore_renamed
from ..isolation.submission import SUFFIX as SET_ASIDE_SUFFIX
from ..isolation.submission import set_aside_unsafe
from ..judging.seeds import course_secret
from .bundles import folder_entries, pack, unpack, write_folder
from .cluster_worker import GraderMismatch, grade_student, grader_digest, shared
from .student import KILLED, record_status, refuse_linked_folder, set_aside_unreadable

CONNECT_SECONDS = 5
# students handed to the cluster at once: one per worker thread, so that no student waits in a worker's
# queue (a worker that dies takes only the students it was grading) and few submissions sit in memory
TASKS_PER_THREAD = 1


def connect(address):
    """A Dask client of the scheduler at address whose workers all run this grader, or a CourseError."""
    from distributed import Client

    try:
        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except Exception as error:
        raise CourseError(f"cannot reach the Dask scheduler at {address} within {CONNECT_SECONDS} s "
                          f"({type(error).__name__}: {error})") from None
    try:
        digests = client.run(grader_digest)
    except Exception as error:
        client.close()
        raise CourseError(f"a Dask worker cannot run the grader ({type(error).__name__}: {error}): "
                          "install the course package on every worker") from None
    different = sorted(worker for worker, digest in digests.items() if digest != grader_digest())
    if different:
        client.close()
        raise CourseError(f"these Dask workers run another version of the grader: {', '.join(different)}")
    return client


def grade_on_cluster(client, course_root, assignment, students, settings, progress):
    """Grade students on the client's cluster, calling progress.done(student, outcome) for each.
    settings: (timeout, sandboxed, limits, run_all), as nbgrader_api takes them; each worker grades sandboxed."""
    from distributed import wait
    from nbgrader.api import Gradebook

    if not students:
        return
    tolerated = scheduler_allowed_failures(client)
    if tolerated not in (1, None):
        progress.note(f"note: this scheduler retries a student until it has killed {tolerated + 1} workers "
                      "(distributed.scheduler.allowed-failures: 1 stops at 2)")
    bundle = course_bundle(course_root, assignment)
    course_id = unpack(bundle)["course.id"].decode()
    course = client.submit(shared, bundle, key=f"backprop-lab-course-{course_id[:20]}")
    config = nbgrader_config(course_root).CourseDirectory
    waiting, running, set_aside = deque(students), {}, {}
    with Gradebook(config.db_url, course_id=config.course_id) as gb, client.as_current():
        while waiting or running:
            threads = client.nthreads()
            while waiting and len(running) < max(1, TASKS_PER_THREAD * sum(threads.values())):
                student = waiting.popleft()
                refused = refuse_linked_folder(course_root, assignment, student)
                if refused:
                    progress.done(student, refused)
                    continue
                folder = course_root / "submitted" / student / assignment
                set_aside[student] = set_aside_unsafe(folder)  # links and devices stay here, unsent
                restore_renamed(folder, course_root / "source" / assignment)  # here, so the export says so too
                submission = pack({name: path for name, path in folder_entries(folder).items()
                                   if not name.endswith(SET_ASIDE_SUFFIX)})
                key = f"backprop-lab-grade-{task_token(course_id, assignment, settings, submission)}-{student}"
                running[client.submit(grade_student, course, assignment, student, submission, settings, key=key)] = student
            progress.workers(sum(1 for keys in client.processing().values() if keys), len(threads))
            try:
                finished = wait(list(running), timeout=1, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                continue
            for future in finished:
                student = running.pop(future)
                progress.done(student, collect(future, gb, course_root, assignment, student, set_aside[student]))


def collect(future, gb, course_root, assignment, student, set_aside):
    """Record a finished task's student in the course folder and the gradebook -> the outcome."""
    from distributed import KilledWorker

    try:
        result = future.result()
    except KilledWorker:
        record_status(course_root, assignment, student, KILLED, {})
        return KILLED
    except GraderMismatch as error:  # not the submission's doing: left ungraded, for a rerun to retry
        return f"not graded: {error}"
    except Exception as error:
        return f"not graded, the cluster failed: {type(error).__name__}: {error}"
    return record_result(gb, course_root, assignment, student, unpack(result), set_aside)


def record_result(gb, course_root, assignment, student, entries, set_aside):
    """Write what the worker sent back: graded files, then grades, then the outcome (last, so that an
    interruption before it leaves the student to be graded again)."""
    outcome = json.loads(entries.pop("result.json"))
    graded = course_root / "autograded" / student / assignment
    shutil.rmtree(graded, ignore_errors=True)
    if outcome["graded"]:
        write_folder({name.removeprefix("autograded/"): data for name, data in entries.items()}, graded)
    set_aside_unreadable(course_root / "submitted" / student / assignment)  # as the worker did with its copy
    if outcome["grades"]:
        record_results(gb, assignment, student, outcome["grades"])
    record_status(course_root, assignment, student, outcome["error"], outcome["unreadable"], set_aside,
                  outcome["sandbox"])
    return outcome["error"]


def course_bundle(course_root, assignment):
    """The scratch course each worker grades in, as bytes (layout in autograder.scheduling.cluster_worker): the
    assignment released from source/ into an SQLite gradebook, checked to have the same graded cells
    and due date as the course's own gradebook."""
    course_url = nbgrader_config(course_root).CourseDirectory.db_url
    source = course_root / "source" / assignment
    with tempfile.TemporaryDirectory(prefix="backprop-lab-bundle-") as scratch:
        scratch = Path(scratch)
        shutil.copytree(source, scratch / "source" / assignment)
        (scratch / ".backprop-lab").mkdir()
        (scratch / ".backprop-lab" / "secret").write_text(course_secret(course_root))
        url = sqlite_url(scratch)
        result = nbgrader_api(scratch, db_url=url).generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise CourseError(f"cannot prepare {assignment} for the workers: {result.get('error') or result['log']}")
        if assignment_layout(url, assignment) != assignment_layout(course_url, assignment):
            raise CourseError(f"source/{assignment} has changed since it was released: run `backprop-lab release`")
        duedate = assignment_duedate(course_url, assignment)
        if duedate:
            from nbgrader.api import Gradebook
            with Gradebook(url) as gb:
                gb.update_or_create_assignment(assignment, duedate=duedate)
        course_files = {name: path for name, path in folder_entries(scratch, prefix="course/").items()
                        if not name.startswith("course/release/")}
        identity = hashlib.sha256(f"{assignment}\n{duedate}\n{course_secret(course_root)}\n{grader_digest()}\n".encode())
        for name, path in sorted(folder_entries(source).items()):
            identity.update(name.encode() + b"\0" + path.read_bytes())
        return pack({**{name: path.read_bytes() for name, path in course_files.items()},
                     "course.id": identity.hexdigest(), "grader.sha256": grader_digest()})


def task_token(course_id, assignment, settings, submission):
    """A task's key names its inputs: grading a student is a pure function of them, so the same
    submission in the same course is one task, which the scheduler gives to one worker at a time."""
    return hashlib.sha256(f"{course_id}\n{assignment}\n{settings}\n".encode() + submission).hexdigest()[:20]


def scheduler_allowed_failures(client):
    """How many worker deaths the scheduler forgives a task, or None when it will not say."""
    try:  # a lambda travels by value: the scheduler's machine need not have the course package
        return client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures)
    except Exception:
        return None
