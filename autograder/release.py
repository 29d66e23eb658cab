"""`backprop-lab release`: source notebooks -> student notebooks, kit, README and requirements."""
import json
import platform
import shutil
from importlib.metadata import version
from pathlib import Path

import numpy as np

from assignments.environment import minor
from assignments.tasks import FIXTURE_SEED, TASKS

from .course import CourseError, last_error_line, nbgrader_api
from .verify import fixture_entry

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

# what the grading kernel imports (directly or through these), pinned to the versions it has; with them a
# student's self-checks run on the same NumPy as the grader
PINNED = ("numpy", "scipy", "matplotlib", "scikit-learn", "mnist1d", "ipykernel", "ipython", "jupyterlab",
          "nbclient", "nbformat")


def requirements():
    """requirements.txt for students: the grading environment's exact versions, in a fixed order."""
    lines = [f"# the grader runs Python {minor(platform.python_version())}; use the same minor version",
             *(f"{name}=={version(name)}" for name in PINNED)]
    return "\n".join(lines) + "\n"


def write_fixtures(kit):
    """The kit's fixtures.json: reference and known-mistake outputs on the public fixture inputs, and the
    grader's Python and NumPy versions (the self-checks warn when the student's differ)."""
    environment = {"python": minor(platform.python_version()), "numpy": np.__version__}
    fixtures = {"seed": FIXTURE_SEED, "environment": environment,
                "tasks": {name: fixture_entry(name) for name in TASKS}}
    # unsorted keys: the order of a case's outputs is the order in which they are checked
    (kit / "fixtures.json").write_text(json.dumps(fixtures, indent=1) + "\n")


def release(course_root, assignment):
    course_root = Path(course_root).resolve()
    kit = course_root / "assignments"
    if not (course_root / "source" / assignment).is_dir():
        raise CourseError(f"no source folder {course_root / 'source' / assignment}")
    if not kit.is_dir():
        raise CourseError(f"no student kit at {kit}")
    write_fixtures(kit)
    result = nbgrader_api(course_root).generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise CourseError(f"nbgrader generate_assignment failed: {last_error_line(result)}")
    folder = course_root / "release" / assignment
    shutil.copytree(kit, folder / "assignments", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    checks = "\n".join(f"    python -m assignments check {p.name}" for p in sorted(folder.glob("*.ipynb")))
    (folder / "README.md").write_text(STUDENT_README.format(assignment=assignment, checks=checks))
    (folder / "requirements.txt").write_text(requirements())
    return folder


def publish(course_root, assignment):
    """Hand release/<assignment>/ to nbgrader's exchange (`nbgrader release_assignment`), where students
    fetch it; the exchange and course id come from the nbgrader config (see course.instructor_config)."""
    api = nbgrader_api(course_root)
    result = api.release_assignment(assignment)
    if not result["success"]:
        raise CourseError(f"nbgrader release_assignment failed: {last_error_line(result)}")
