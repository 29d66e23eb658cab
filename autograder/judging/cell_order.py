"""Cells dragged out of order: graded in the notebook's own order.

A student can drag a cell anywhere in JupyterLab. A test cell moved above the solution it tests would
run before the object exists and score 0 for no fault of the code. This sanitize step puts the cells the
assignment gave back in the source notebook's order: graded cells (known by grade_id, which survives a
copy and paste) and the given text and code cells (known by cell id, which a drag keeps). A cell the
student added travels with the cell it followed; cells above every given cell stay first. Which graded
cells moved is recorded for the verdicts.
"""
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from .duplicates import nbgrader_id
from .verdicts import METADATA_KEY


def source_order(path):
    """{key: index} of the cells of the notebook at `path` (see `key`), or {} when it cannot be read."""
    try:
        cells = nbformat.read(path, as_version=4).cells
    except Exception:  # no source notebook, or not one nbformat can read: nothing is reordered
        return {}
    return {key(cell): index for index, cell in enumerate(cells)}


def key(cell, order=None):
    """A given cell's key: ("grade_id", ...) for a graded cell, ("id", ...) for another; None for a cell the
    source (`order`, when given) does not have."""
    grade_id = nbgrader_id(cell)
    found = ("grade_id", grade_id) if grade_id is not None else ("id", cell.get("id"))
    return found if order is None or found in order else None


def blocks(cells, order):
    """The cells cut before every given cell: [[cells before the first], [given cell, ...], ...]."""
    cut = [[]]
    for cell in cells:
        if key(cell, order) is not None:
            cut.append([])
        cut[-1].append(cell)
    return cut


def staying(places, weights):
    """Indices of the blocks that need not move: a non-decreasing run of `places` of the largest total
    weight (graded cells weigh more than text, so a dragged test cell is named, not the cells it passed)."""
    best = []  # best[i]: (weight, indices) of the heaviest such run ending at i
    for i, (place, weight) in enumerate(zip(places, weights)):
        before = [best[j] for j in range(i) if places[j] <= place]
        heaviest = max(before, key=lambda run: run[0], default=(0.0, []))
        best.append((heaviest[0] + weight, heaviest[1] + [i]))
    return set(max(best, key=lambda run: run[0], default=(0.0, []))[1])


class RestoreCellOrder(NbGraderPreprocessor):
    """Sort the blocks led by given cells into the source notebook's order; record which graded cells moved."""

    course_root = Unicode("", help="The course folder, whose source/ holds the assignment's notebooks").tag(
        config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        order = source_order(Path(self.course_root) / "source" / info.get("assignment", "") /
                             f"{info.get('notebook', '')}.ipynb")
        head, *rest = blocks(nb.cells, order)
        places = [order[key(block[0])] for block in rest]
        ranked = sorted(range(len(rest)), key=lambda i: places[i])
        stayed = staying(places, [1.0 if nbgrader_id(block[0]) else 0.01 for block in rest])
        moved = [nbgrader_id(block[0]) for i, block in enumerate(rest) if i not in stayed and nbgrader_id(block[0])]
        nb.cells = head + [cell for i in ranked for cell in rest[i]]
        nb.metadata.setdefault(METADATA_KEY, {})["moved"] = moved  # set by us, whatever was there
        return nb, resources


def moved_note(grade_id, name, moved):
    """What a verdict says when the cell `grade_id` or the solution of `name` had been moved, or ""."""
    if grade_id in moved or name in moved:
        return "cells of this object had been moved; they were graded in the notebook's own order"
    return ""
