"""The nbgrader configuration of a backprop-lab course, in one place, and nbgrader's API bound to it.

The course's nbgrader_config.py merges this, so stock `nbgrader` commands and the `backprop-lab`
command grade the same way.
"""
import logging
import os
import re
import sys
from pathlib import Path

from traitlets.config import Config

from ..isolation.renamed import SUFFIX as RENAMED_SUFFIX
from ..isolation.sandbox import Limits
from ..isolation.submission import SUFFIX as SET_ASIDE_SUFFIX
from .folder import CourseError
from .gradebook import gradebook_url

ASSIGNMENT = "fcnet"
CELL_TIMEOUT = 30  # seconds a single cell may run while grading


def nbgrader_config(course_root, timeout=CELL_TIMEOUT, sandboxed=True, limits=Limits(), run_all=True, db_url=None):
    """The course's nbgrader Config. sandboxed=False (`--unsandboxed`) runs kernels without bubblewrap;
    run_all=False runs only the cells grading needs (autograder.judging.needed_cells; `backprop-lab grade`
    does, stock `nbgrader autograde` runs every cell unless the course's nbgrader_config.py sets
    c.SandboxedExecute.run_only_needed = True); db_url: the gradebook (default: the course's, see
    autograder.course.gradebook)."""
    root = str(Path(course_root).resolve())
    c = Config()
    c.CourseDirectory.root = root
    c.CourseDirectory.course_id = "backprop-lab"
    c.CourseDirectory.db_url = db_url or gradebook_url(root)
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*" + SET_ASIDE_SUFFIX,
                                "*" + RENAMED_SUFFIX]
    c.OverwriteCells.add_missing_cells = True  # a deleted test cell is restored and graded, not lost
    c.Execute.timeout = timeout
    c.SandboxedExecute.course_root = root
    c.SandboxedExecute.hung_grace = min(10.0, timeout)
    c.SandboxedExecute.sandboxed = sandboxed
    c.SandboxedExecute.run_only_needed = not run_all
    for name, value in limits.describe().items():
        c.SandboxedExecute[name] = value
    c.HideGraderDetails.course_root = root
    c.JudgeOutputs.course_root = root
    c.RestoreCellOrder.course_root = root
    c.Autograde.sanitize_preprocessors = [  # nbgrader's list, DeduplicateIds replaced, cell order restored
        "nbgrader.preprocessors.ClearOutput",
        "autograder.judging.duplicates.ForgetDuplicateCells",
        "autograder.judging.cell_order.RestoreCellOrder",
        "nbgrader.preprocessors.OverwriteKernelspec",
        "nbgrader.preprocessors.OverwriteCells",
        "autograder.judging.metadata.CheckCellMetadata",
    ]
    c.Autograde.autograde_preprocessors = [
        "autograder.judging.preprocessors.SandboxedExecute",
        "autograder.judging.preprocessors.JudgeOutputs",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "autograder.judging.metadata.CheckCellMetadata",
    ]
    c.GenerateFeedback.exporter_class = "autograder.reports.report_html.FeedbackHTMLExporter"  # no CDN at view time; lines wrap
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "autograder.judging.preprocessors.HideGraderDetails",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    return c


def nbgrader_api(course_root, timeout=CELL_TIMEOUT, sandboxed=True, limits=Limits(), run_all=False, db_url=None):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    tools = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH to create a gradebook
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")
    config = instructor_config(course_root)
    config.merge(nbgrader_config(course_root, timeout, sandboxed, limits, run_all, db_url))
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    api.log_level = logging.WARNING
    return api


def instructor_config(course_root):
    """The settings stock `nbgrader` would read in the course folder: every nbgrader_config file on the
    Jupyter config path (a hub's exchange and course id), then the course's own nbgrader_config.py (late
    penalties, ...). The grader's own settings are merged over these."""
    from jupyter_core.paths import jupyter_config_path
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


def last_error_line(result):
    """The most telling line of an nbgrader result's error or log."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    exceptions = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    telling = exceptions or [line for line in lines if "error" in line.lower()] or lines or ["unknown error"]
    return telling[-1][:300]
