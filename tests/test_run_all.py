"""Run All, as JupyterLab does it, on each release notebook with one object wrong: the failing self-check
shows its ✘ line and the notebook still reaches its last cell."""
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.hidden.mistakes import all_mistakes
from autograder.commands.simulate import plant_mistake, solved

from conftest import ASSIGNMENT, NOTEBOOK, NOTEBOOKS

ONE_MISTAKE = {"01_layers.ipynb": "relu_backward__dout_mask", "02_two_layer_net.ipynb": "TwoLayerNet__reg_biases",
               "03_deep_networks.ipynb": "FullyConnectedNet__reg_biases"}
MARKER = "the last cell ran"


def failure_lines(cell):
    return [o.data["text/plain"] for o in cell.outputs
            if o.output_type == "display_data" and o.data.get("text/plain", "").startswith("✘")]


@pytest.mark.parametrize("filename", NOTEBOOKS)
def test_run_all_reaches_the_last_cell_past_a_failing_self_check(course, all_notebooks, tmp_path, filename):
    folder = tmp_path / "student"
    shutil.copytree(course / "release" / ASSIGNMENT, folder)
    nbformat.write(solved(*all_notebooks[NOTEBOOK]), folder / NOTEBOOK)  # later notebooks load it
    slug = ONE_MISTAKE[filename]
    mistake = next(m for m in all_mistakes() if m.slug == slug)
    nb = plant_mistake(solved(*all_notebooks[filename]), mistake)
    nb.cells.append(nbformat.v4.new_code_cell(f"print({MARKER!r})"))

    NotebookClient(nb, timeout=120, allow_errors=False, resources={"metadata": {"path": str(folder)}}).execute()

    assert MARKER in "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    check_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"check_{mistake.task}")
    lines = failure_lines(check_cell)
    assert len(lines) == 1 and lines[0].startswith(f"✘ {mistake.task}"), check_cell.outputs
    html = next(o.data["text/html"] for o in check_cell.outputs if o.output_type == "display_data")
    assert "backprop-lab-failure" in html and "white-space: normal" in html
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
