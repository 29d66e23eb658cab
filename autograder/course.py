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
    config = instructor_config(course_root)
    config.merge(nbgrader_config(course_root, timeout, sandboxed, limits, db_url))
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    api.log_level = logging.WARNING
    return api


def instructor_config(course_root):
    """The settings stock `nbgrader` would read in the course folder: every nbgrader_config file on the
    Jupyter config path (a hub's exchange and course id), then the course's own nbgrader_config.py (late
    penalties, ...). The grader's own settings are merged over these."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(Path(course_root).resolve())]:  # lowest priority first
        for name, loader in (("nbgrader_config.json", JSONFileConfigLoader),
                             ("nbgrader_config.py", PyFileConfigLoader)):
            if (Path(folder) / name).is_file():
                try:
                    config.merge(loader(name, path=folder).load_config())
                except Exception as error:  # the instructor's file: say which one and why
                    raise CourseError(f"cannot read {Path(folder) / name}: {type(error).__name__}: {error}") from None
    return config


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
