"""The nbgrader configuration of a backprop-lab course, in one place.

The course's nbgrader_config.py merges this, so stock `nbgrader` commands and the `backprop-lab`
command grade the same way.
"""
from pathlib import Path

from traitlets.config import Config

ASSIGNMENT = "fcnet"
CELL_TIMEOUT = 30  # seconds a single cell may run while grading


def nbgrader_config(course_root, timeout=CELL_TIMEOUT):
    root = str(Path(course_root).resolve())
    c = Config()
    c.CourseDirectory.root = root
    c.CourseDirectory.course_id = "backprop-lab"
    c.CourseDirectory.db_url = f"sqlite:///{root}/gradebook.db?timeout=60"  # parallel graders wait for the lock
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
    c.OverwriteCells.add_missing_cells = True  # a deleted test cell is restored and graded, not lost
    c.Execute.timeout = timeout
    c.SandboxedExecute.course_root = root
    c.SandboxedExecute.hung_grace = min(10.0, timeout)
    c.HideGraderDetails.course_root = root
    c.Autograde.autograde_preprocessors = [
        "autograder.preprocessors.SandboxedExecute",
        "autograder.preprocessors.JudgeOutputs",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.GenerateFeedback.exporter_class = "autograder.offline_math.OfflineMathHTMLExporter"  # no CDN at view time
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "autograder.preprocessors.HideGraderDetails",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    return c
