"""Use the definitions of an earlier notebook (your notebook-1 layers) in a later one.

Only imports, function and class definitions run: no plots, prints or experiments.
"""
import ast
from pathlib import Path

import nbformat

from .probe import KitMessage

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
        cells = [c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")]
        tree = ast.Module(body=[node for cell in cells for node in ast.parse(strip_magics(cell.source)).body
                                if isinstance(node, DEFINITIONS)], type_ignores=[])
        namespace = {}
        exec(compile(tree, str(path), "exec"), namespace)
    except Exception as error:
        reason = "it is missing" if isinstance(error, FileNotFoundError) else f"{type(error).__name__}: {error}"
        LOAD_ERRORS[path.name] = reason
        raise NotebookNotLoaded(f"could not load the definitions of {path.name}: {reason}") from None
    LOAD_ERRORS.pop(path.name, None)
    return {name: value for name, value in namespace.items() if not name.startswith("__")}


DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


def strip_magics(source):
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
