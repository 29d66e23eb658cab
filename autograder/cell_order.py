"""Cells dragged out of order: graded in the notebook's own order.

A student can drag a cell anywhere in JupyterLab. A test cell moved above the solution it tests would
run before the object exists and score 0 for no fault of the code. This sanitize step puts the graded
cells back in the source notebook's order. Each graded cell (solution, test or read-only) leads a block
that holds the ordinary cells after it (the student's own helper cells and notes travel with the graded
cell they followed); the blocks are sorted by their leading cell's place in the source notebook, and the
cells before the first graded cell stay first. Which cells moved is recorded for the verdicts.
"""
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from .duplicates import nbgrader_id
from .verdicts import METADATA_KEY


def source_order(path):
    """{grade_id: index} of the nbgrader cells of the notebook at `path`, or {} when it cannot be read."""
    try:
        cells = nbformat.read(path, as_version=4).cells
    except Exception:  # no source notebook, or not one nbformat can read: nothing is reordered
        return {}
    return {grade_id: index for index, grade_id in enumerate(filter(None, map(nbgrader_id, cells)))}


def blocks(cells):
    """The cells cut before every graded cell: [[cells before the first], [graded cell, ...], ...]."""
    cut = [[]]
    for cell in cells:
        if nbgrader_id(cell) is not None:
            cut.append([])
        cut[-1].append(cell)
    return cut


def longest_increasing(values):
    """Indices of a longest non-decreasing subsequence of `values`: the blocks that need not move."""
    best = []  # best[i]: the longest such run ending at i, as indices
    for i, value in enumerate(values):
        before = [best[j] for j in range(i) if values[j] <= value]
        best.append(max(before, key=len, default=[]) + [i])
    return set(max(best, key=len, default=[]))


class RestoreCellOrder(NbGraderPreprocessor):
    """Sort the blocks led by graded cells into the source notebook's order; record which cells moved."""

    course_root = Unicode("", help="The course folder, whose source/ holds the assignment's notebooks").tag(
        config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        order = source_order(Path(self.course_root) / "source" / info.get("assignment", "") /
                             f"{info.get('notebook', '')}.ipynb")
        head, *rest = blocks(nb.cells)
        places = [order.get(nbgrader_id(block[0]), len(order)) for block in rest]
        ranked = sorted(range(len(rest)), key=lambda i: places[i])  # stable: unknown ids keep their order
        stayed = longest_increasing(places)
        moved = [nbgrader_id(block[0]) for i, block in enumerate(rest) if i not in stayed]
        nb.cells = head + [cell for i in ranked for cell in rest[i]]
        nb.metadata.setdefault(METADATA_KEY, {})["moved"] = moved  # set by us, whatever was there
        return nb, resources


def moved_note(grade_id, name, moved):
    """What a verdict says when the cell `grade_id` or the solution of `name` had been moved, or ""."""
    if grade_id in moved or name in moved:
        return "cells of this object had been moved; they were graded in the notebook's own order"
    return ""
