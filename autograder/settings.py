"""The nbgrader configuration of a backprop-lab course, in one place.

The course's nbgrader_config.py merges this, so stock `nbgrader` commands and the `backprop-lab`
command grade the same way.
"""
from pathlib import Path

from traitlets.config import Config

from .gradebook import gradebook_url
from .sandbox import Limits
from .renamed import SUFFIX as RENAMED_SUFFIX
from .submission import SUFFIX as SET_ASIDE_SUFFIX

ASSIGNMENT = "fcnet"
CELL_TIMEOUT = 30  # seconds a single cell may run while grading


def nbgrader_config(course_root, timeout=CELL_TIMEOUT, sandboxed=True, limits=Limits(), db_url=None):
    """The course's nbgrader Config. sandboxed=False (`--unsandboxed`) runs kernels without bubblewrap;
    db_url: the gradebook (default: the course's, see autograder.gradebook)."""
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
    for name, value in limits.describe().items():
        c.SandboxedExecute[name] = value
    c.HideGraderDetails.course_root = root
    c.RestoreCellOrder.course_root = root
    c.Autograde.sanitize_preprocessors = [  # nbgrader's list, DeduplicateIds replaced, cell order restored
        "nbgrader.preprocessors.ClearOutput",
        "autograder.duplicates.ForgetDuplicateCells",
        "autograder.cell_order.RestoreCellOrder",
        "nbgrader.preprocessors.OverwriteKernelspec",
        "nbgrader.preprocessors.OverwriteCells",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.Autograde.autograde_preprocessors = [
        "autograder.preprocessors.SandboxedExecute",
        "autograder.preprocessors.JudgeOutputs",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.GenerateFeedback.exporter_class = "autograder.report_html.FeedbackHTMLExporter"  # no CDN at view time; lines wrap
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "autograder.preprocessors.HideGraderDetails",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    return c
