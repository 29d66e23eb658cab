"""The instructor's solution code, read from the source notebooks (markers removed)."""
from functools import lru_cache
from pathlib import Path

import nbformat

SOURCE = Path(__file__).resolve().parents[1] / "source"


def strip_solution_markers(source):
    return "\n".join(line for line in source.splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


@lru_cache(maxsize=None)
def solutions():
    """{grade_id: solution source} for every solution cell of every source notebook."""
    found = {}
    for path in sorted(SOURCE.glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            nbgrader = cell.metadata.get("nbgrader", {})
            if nbgrader.get("solution"):
                found[nbgrader["grade_id"]] = strip_solution_markers(cell.source)
    return found


def solution_source(grade_id):
    return solutions()[grade_id]
