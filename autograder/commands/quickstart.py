"""`backprop-lab init DIR`: a new course folder, made from the assignment packaged with the grader.

A course folder holds what is the course's own: the source notebooks (solutions, visible checks,
hidden tests), an nbgrader_config.py that merges the grader's settings, and a .gitignore for the
run-time state (gradebook, submissions, the grading secret). The grader itself stays in the package.
"""
import shutil
from pathlib import Path

from ..course.folder import CourseError
from ..hidden.solutions import packaged_source

NBGRADER_CONFIG = """\
# A backprop-lab course folder: stock nbgrader commands here grade as `backprop-lab` does.
from pathlib import Path

from autograder.course.settings import nbgrader_config

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)
c.merge(nbgrader_config(Path(__file__).parent))
"""

GITIGNORE = """\
# run-time state of the course (regenerate, never commit): the gradebook holds hidden tests, the secret
# derives every student's inputs
gradebook.db
gradebook.db-journal
submitted/
autograded/
feedback/
exports/
.backprop-lab/
.ipynb_checkpoints/
"""


def init_course(course):
    """Make `course` a new course folder -> its resolved path; refuses a folder that holds anything."""
    course = Path(course).resolve()
    if course.exists() and (not course.is_dir() or any(course.iterdir())):
        raise CourseError(f"{course} already exists and is not empty: init makes a new course folder")
    course.mkdir(parents=True, exist_ok=True)
    shutil.copytree(packaged_source(), course / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    (course / ".gitignore").write_text(GITIGNORE)
    return course
