"""nbgrader's cell-metadata check, each distinct cell checked once: what passed passes, what fails fails
every time, as with nbgrader's own check."""
import copy

import nbformat
import pytest
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheck

from autograder.judging.metadata import CheckCellMetadata

from conftest import ASSIGNMENT, NOTEBOOK3


def corruptions(nb):
    """Copies of nb, each with one graded cell's metadata broken as nbgrader's check refuses it."""
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    for change in ({"points": None}, {"grade_id": ""}, {"schema_version": 1}, {"grade": "yes"}):
        broken = copy.deepcopy(nb)
        meta = broken.cells[index].metadata.nbgrader
        meta.update({k: v for k, v in change.items() if v is not None})
        for key in [k for k, v in change.items() if v is None]:
            del meta[key]
        yield broken
    duplicated = copy.deepcopy(nb)
    duplicated.cells.append(copy.deepcopy(nb.cells[index]))
    yield duplicated


def test_each_cell_checked_once_refuses_what_nbgrader_refuses(course):
    nb = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK3, as_version=4)
    for _ in range(2):  # the second time every cell has passed once already
        CheckCellMetadata().preprocess(nb, {})
        NbgraderCheck().preprocess(nb, {})
    for broken in corruptions(nb):
        with pytest.raises(Exception) as theirs:
            NbgraderCheck().preprocess(broken, {})
        with pytest.raises(theirs.type):
            CheckCellMetadata().preprocess(broken, {})
