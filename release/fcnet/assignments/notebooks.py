"""Use the definitions of an earlier notebook (your notebook-1 layers) in a later one.

Only imports, function and class definitions run: no plots, prints or experiments.
"""
import ast
import linecache
from pathlib import Path

import nbformat

from . import warning_places
from .lines import in_student_kernel
from .probe import KitMessage

if in_student_kernel():
    warning_places.install()  # a warning from a loaded definition names its function

LOAD_ERRORS = {}  # notebook file name -> why it could not be loaded; task drivers mention it


class NotebookNotLoaded(KitMessage):
    pass


def load_definitions(filename):
    """Run the imports, `def`s and `class`es of `filename` (next to this notebook) -> {name: object}.

    Test cells are skipped. Raises NotebookNotLoaded, with the reason, when the file is missing or broken.
    """
    path = Path(filename)
    try:
        nb = nbformat.read(path, as_version=4)
        namespace = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                exec(definitions_of(cell.source, f"<{path.name}, cell {index + 1}>"), namespace)
    except Exception as error:
        reason = "it is missing" if isinstance(error, FileNotFoundError) else f"{type(error).__name__}: {error}"
        LOAD_ERRORS[path.name] = reason
        raise NotebookNotLoaded(f"could not load the definitions of {path.name}: {reason}") from None
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
