"""Cells dragged out of order are put back in the source notebook's order before grading (fast, no kernel;
the graded class's `moved_cells` student covers the real grading run)."""
from pathlib import Path

import nbformat

from autograder.judging.cell_order import RestoreCellOrder
from autograder.judging.duplicates import nbgrader_id
from autograder.judging.verdicts import METADATA_KEY

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = {"nbgrader": {"assignment": "fcnet", "notebook": "01_layers"}}


def release():
    return nbformat.read(ROOT / "release" / "fcnet" / "01_layers.ipynb", as_version=4)


def restored(nb):
    return RestoreCellOrder(course_root=str(ROOT)).preprocess(nb, RESOURCES)[0]


def index(nb, grade_id):
    return next(i for i, cell in enumerate(nb.cells) if nbgrader_id(cell) == grade_id)


def test_a_dragged_cell_goes_back_with_the_students_own_cell_after_it_and_is_the_only_one_named():
    nb = release()
    own = nbformat.v4.new_code_cell("print('my check')")  # a cell of the student's, right after the test cell
    nb.cells.insert(index(nb, "hidden_relu_forward") + 1, own)
    expected = [cell.source for cell in nb.cells]
    start = index(nb, "hidden_relu_forward")
    block = nb.cells[start:start + 2]
    del nb.cells[start:start + 2]
    nb.cells[0:0] = block  # dragged above everything, even the title and the imports
    nb = restored(nb)
    assert [cell.source for cell in nb.cells] == expected
    assert nb.metadata[METADATA_KEY]["moved"] == ["hidden_relu_forward"]


def test_an_unknown_grade_id_stays_after_the_cell_it_followed_and_nothing_else_moves():
    nb = release()
    stray = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade_id": "my_own", "solution": True}})
    nb.cells.insert(index(nb, "relu_forward") + 1, stray)
    before = [cell.source for cell in nb.cells]
    nb = restored(nb)
    assert [cell.source for cell in nb.cells] == before
    assert nb.metadata[METADATA_KEY]["moved"] == []


def test_without_a_readable_source_nothing_is_reordered():
    nb = release()
    nb.cells.reverse()
    before = [cell.source for cell in nb.cells]
    nb = RestoreCellOrder(course_root="/nonexistent").preprocess(nb, RESOURCES)[0]
    assert [cell.source for cell in nb.cells] == before
