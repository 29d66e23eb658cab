"""A course folder: what it must hold, who submitted, and the error that tells an instructor what to fix."""
from pathlib import Path


class CourseError(Exception):
    """Something about the course folder or an nbgrader step that the instructor must fix."""


def submitted_students(course_root, assignment):
    """Students with a folder submitted/<student>/<assignment>/, sorted."""
    submitted = Path(course_root) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


def require_course(course_root, assignment):
    """The course folder, resolved, once it holds the assignment's source notebooks; else a one-line
    CourseError naming what is missing."""
    root = Path(course_root).resolve()
    if not root.is_dir():
        raise CourseError(f"no course folder at {root} (make one with `backprop-lab init {course_root}`)")
    source = root / "source" / assignment
    if not any(source.glob("*.ipynb")):
        raise CourseError(f"{root} is not a course folder of {assignment}: no notebooks in source/{assignment}/ "
                          f"(make one with `backprop-lab init DIR`, or pass --course DIR)")
    return root
