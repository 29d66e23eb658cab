"""A course directory and the nbgrader API bound to it."""
import logging
import os
import re
import sys
from pathlib import Path

from .sandbox import Limits
from .settings import CELL_TIMEOUT, nbgrader_config


class CourseError(Exception):
    """Something about the course folder or an nbgrader step that the instructor must fix."""


def nbgrader_api(course_root, timeout=CELL_TIMEOUT, sandboxed=True, limits=Limits(), db_url=None):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    tools = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH to create a gradebook
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")
    config = nbgrader_config(course_root, timeout, sandboxed, limits, db_url)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    api.log_level = logging.WARNING
    return api


def submitted_students(course_root, assignment):
    """Students with a folder submitted/<student>/<assignment>/, sorted."""
    submitted = Path(course_root) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


def last_error_line(result):
    """The most telling line of an nbgrader result's error or log."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    exceptions = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    telling = exceptions or [line for line in lines if "error" in line.lower()] or lines or ["unknown error"]
    return telling[-1][:300]


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
