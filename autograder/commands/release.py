"""`backprop-lab release`: source notebooks -> student notebooks, kit, README and requirements."""
import json
import platform
import shutil
from pathlib import Path

from assignments.environment import minor
from assignments.tasks import FIXTURE_SEED, TASKS

from ..course.folder import CourseError, require_course
from ..course.lock import LOCK, kernel_lines, versions_here
from ..course.settings import last_error_line, nbgrader_api
from ..hidden.solutions import use_course
from ..isolation.kernel import KIT
from ..judging.verify import fixture_entry

STUDENT_README = """\
# {assignment}: neural networks from scratch

## Set up (once)
    python3 -m venv .venv && . .venv/bin/activate
    pip install -r requirements.txt

## Work
    jupyter lab

Open the notebooks in order. Replace each `raise NotImplementedError()` with your code, run the cell,
then run the self-check cell below it: it prints one line, `✔` when your code agrees with the expected
results, or `✘` with what differs and, for common mistakes, a hint.

## Check everything before you submit
{checks}

It runs the notebook as saved (save it first), prints each self-check's line as it goes and exits with
status 0 only when all pass.
Passing the self-checks is a good sign, not a grade: your submission is graded on other inputs.
Keep the `assignments/` folder and all notebooks together in this folder: later notebooks build on the
functions you wrote in earlier ones. Do not edit `assignments/`.
"""

def requirements(lock_text):
    """requirements.txt for students: the lock's lines for the kernel's packages (autograder.course.lock)."""
    lines = [f"# the grader runs Python {minor(platform.python_version())}; use the same minor version",
             *kernel_lines(lock_text)]
    return "\n".join(lines) + "\n"


def write_fixtures(kits, lock_text):
    """Each kit's fixtures.json: reference and known-mistake outputs on the public fixture inputs, and the
    grader's Python and locked NumPy versions (the self-checks warn when the student's differ)."""
    environment = {"python": minor(platform.python_version()), "numpy": versions_here(lock_text)["numpy"]}
    fixtures = {"seed": FIXTURE_SEED, "environment": environment,
                "tasks": {name: fixture_entry(name) for name in TASKS}}
    # unsorted keys: the order of a case's outputs is the order in which they are checked
    for kit in kits:
        (kit / "fixtures.json").write_text(json.dumps(fixtures, indent=1) + "\n")


def release(course_root, assignment, lock=LOCK):
    """source/<assignment>/ -> release/<assignment>/: nbgrader's student notebooks, the kit (the installed
    `assignments` package, with fixtures from this course's solutions), README and requirements.txt (from
    `lock`). The repository checkout is a course whose kit is the package itself: its fixtures follow."""
    course_root = require_course(course_root, assignment)
    use_course(course_root)
    lock_text = Path(lock).read_text()
    folder = course_root / "release" / assignment
    result = nbgrader_api(course_root).generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise CourseError(f"nbgrader generate_assignment failed: {last_error_line(result)}")
    shutil.rmtree(folder / "assignments", ignore_errors=True)  # a module the kit no longer has must not linger
    shutil.copytree(KIT, folder / "assignments", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    own_kit = [KIT] if KIT.parent == course_root else []
    write_fixtures([folder / "assignments", *own_kit], lock_text)
    checks = "\n".join(f"    python -m assignments check {p.name}" for p in sorted(folder.glob("*.ipynb")))
    (folder / "README.md").write_text(STUDENT_README.format(assignment=assignment, checks=checks))
    (folder / "requirements.txt").write_text(requirements(lock_text))
    return folder


def publish(course_root, assignment):
    """Hand release/<assignment>/ to nbgrader's exchange (`nbgrader release_assignment`), where students
    fetch it; the exchange and course id come from the nbgrader config (see course.instructor_config)."""
    api = nbgrader_api(course_root)
    result = api.release_assignment(assignment)
    if not result["success"]:
        raise CourseError(f"nbgrader release_assignment failed: {last_error_line(result)}")
