"""Use the definitions of an earlier notebook (your notebook-1 layers) in a later one.

Only imports, function and class definitions run: no plots, prints or experiments.
"""
import ast
import json
import linecache
from pathlib import Path

import numpy as np

from . import warning_places
from .kernel_state import LOAD_ERRORS, autograding
from .lines import in_student_kernel

if in_student_kernel():
    warning_places.install()  # a warning from a loaded definition names its function

def placeholders(filename):
    """{name: a function raising NameError} for the graded objects of notebook `filename`."""
    from .tasks.layers import NOTEBOOK_TASKS
    names = [task.name for task in NOTEBOOK_TASKS] if filename == "01_layers.ipynb" else []

    def placeholder(name):
        def missing(*args, **kwargs):
            raise NameError(f"name '{name}' is not defined")
        missing.__name__ = name
        return missing

    return {name: placeholder(name) for name in names}


def load_definitions(filename):
    """Run the imports, `def`s and `class`es of `filename` (next to this notebook) -> {name: object}.

    Test cells are skipped. When the file is missing or broken, the reason is recorded (the status line and
    verdicts quote it) and the notebook's graded objects become placeholders that raise NameError, so the
    cells that refer to them at definition time (a table of activations) still run.
    """
    path = Path(filename)
    try:
        # plain JSON: importing nbformat (and its schema validation) costs a grading kernel seconds under load
        cells = json.loads(path.read_text())["cells"]
        namespace = {}
        for index, cell in enumerate(cells):
            source = "".join(cell.get("source", ""))
            if cell.get("cell_type") == "code" and not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                exec(definitions_of(source, f"<{path.name}, cell {index + 1}>"), namespace)
    except Exception as error:
        reason = "it is missing" if isinstance(error, FileNotFoundError) else f"{type(error).__name__}: {error}"
        LOAD_ERRORS[path.name] = reason
        return placeholders(path.name)
    LOAD_ERRORS.pop(path.name, None)
    return {name: value for name, value in namespace.items() if not name.startswith("__")}


DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


def definitions_of(source, label):
    """The imports and definitions of one cell, compiled under `label`.

    Tracebacks then quote the cell's own lines (registered with linecache), never lines of the notebook
    file, whose JSON can hold more than the student wrote.
    """
    source = strip_magics(source)
    linecache.cache[label] = (len(source), None, source.splitlines(keepends=True), label)
    tree = ast.Module(body=[node for node in ast.parse(source).body if isinstance(node, DEFINITIONS)], type_ignores=[])
    return compile(tree, label, "exec")


def strip_magics(source):
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def notebook1_status(definitions):
    """One line saying which notebook-1 objects are stubs or fail their self-checks (run quietly here).

    Later notebooks judge their own objects with stand-ins for these, so the line is for the student only.
    """
    from .selfcheck import verdict
    from .tasks.layers import NOTEBOOK_TASKS
    if LOAD_ERRORS:
        return "; ".join(f"{name} could not be loaded ({reason})" for name, reason in LOAD_ERRORS.items()) + \
            " (this notebook's own objects are graded without it)"
    if autograding():  # the grader judges notebook 1 in its own notebook; save the grading kernel the time
        return "notebook 1: loaded; the grader judges its objects in their own notebook"
    stubs, failing = [], []
    for task in NOTEBOOK_TASKS:
        with np.errstate(all="ignore"):
            judgement = verdict(task.name, definitions)
        if judgement.passed < judgement.total:
            (stubs if "NotImplementedError" in judgement.message else failing).append(f"`{task.name}`")
    if not stubs and not failing:
        return f"notebook 1: all {len(NOTEBOOK_TASKS)} objects pass their self-checks"
    parts = [f"stubs: {', '.join(stubs)}" if stubs else "", f"failing their self-checks: {', '.join(failing)}"
             if failing else ""]
    return ("notebook 1 — " + "; ".join(p for p in parts if p) + " (this notebook's own objects are graded "
            "without them)")
