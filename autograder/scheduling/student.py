"""Grading one student: the submission made safe, nbgrader's autograde in the sandbox, the outcome recorded.

The same code grades a student in the local pool (autograder.scheduling.local) and on a Dask worker
(autograder.scheduling.cluster_worker). Each outcome is recorded once the student's grades are in the
gradebook, so a rerun after an interruption grades only the students left.
"""
import json
from pathlib import Path

import nbformat

from ..course.settings import last_error_line
from ..isolation.renamed import restore_renamed
from ..isolation.sandbox import running_as_root, sandbox_uids
from ..isolation.submission import linked_path, set_aside_unsafe
from .batch import fingerprint

STARTED = "grading started but did not finish"
KILLED = "the grading process was killed while running this submission (did its code kill its parent?)"


def status_path(course_root, assignment, student):
    return Path(course_root) / ".backprop-lab" / "grading" / assignment / f"{student}.json"


def grade_one(api, course_root, assignment, student):
    record_status(course_root, assignment, student, STARTED, {})
    folder = Path(course_root) / "submitted" / student / assignment
    refused = refuse_linked_folder(course_root, assignment, student)
    if refused:
        return refused
    set_aside = set_aside_unsafe(folder)
    unreadable = set_aside_unreadable(folder)
    restore_renamed(folder, Path(course_root) / "source" / assignment)  # `01_layers (1).ipynb`, said in its verdicts
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
    sandboxed = api.config.SandboxedExecute.sandboxed
    record_status(course_root, assignment, student, error, unreadable, set_aside, sandbox="on" if sandboxed else "off",
                  kernel_uids=list(sandbox_uids()) if sandboxed and running_as_root() else [])
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


def record_status(course_root, assignment, student, error, unreadable, set_aside=None, sandbox="", kernel_uids=()):
    """Record the outcome of grading the submission as it is now (written whole or not at all); kernel_uids:
    the uids its kernels ran as (autograder.isolation.sandbox.sandbox_uids), when the grader dropped to them."""
    path = status_path(course_root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    submission = fingerprint(Path(course_root) / "submitted" / student / assignment)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"student": student, "error": error, "unreadable": unreadable,
                                   "set_aside": set_aside or {}, "sandbox": sandbox, "submission": submission,
                                   "kernel_uids": list(kernel_uids)}))
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


def prepare_worker_process():
    """Settings of a process that grades students alongside others (local pool or cluster worker)."""
    import warnings

    from threadpoolctl import threadpool_limits
    threadpool_limits(1)  # the reference's matrices are small; workers must not fight over the cores
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy chatter
