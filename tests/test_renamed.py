"""Notebooks saved under another name (autograder/renamed.py), without a kernel: which file is taken, and when none."""
import json

import nbformat

from autograder.isolation.renamed import SUFFIX, renamed_from, restore_renamed

from conftest import NOTEBOOK, NOTEBOOK2


def write(folder, name, nb):
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)


def test_a_copy_is_taken_under_the_released_name_and_remembered(course, all_notebooks, tmp_path):
    folder, source = tmp_path / "submission", course / "source" / "fcnet"
    write(folder, "01_layers-Copy1.ipynb", all_notebooks[NOTEBOOK][0])
    write(folder, "02_two_layer_net.ipynb", all_notebooks[NOTEBOOK2][0])
    write(folder, "scratch.ipynb", nbformat.v4.new_notebook())  # no graded cells: never a candidate
    assert restore_renamed(folder, source) == {"01_layers": "01_layers-Copy1.ipynb"}
    assert sorted(p.name for p in folder.iterdir()) == ["01_layers.ipynb", "01_layers.ipynb" + SUFFIX,
                                                        "02_two_layer_net.ipynb", "scratch.ipynb"]
    assert renamed_from(folder, "01_layers") == "01_layers-Copy1.ipynb"
    assert restore_renamed(folder, source) == {}  # a regrade finds it in place, and still says so
    assert renamed_from(folder, "01_layers") == "01_layers-Copy1.ipynb"
    assert renamed_from(folder, "02_two_layer_net") == ""


def test_a_notebook_changed_since_is_no_longer_called_renamed(course, all_notebooks, tmp_path):
    folder = tmp_path / "submission"
    write(folder, "01_layers (1).ipynb", all_notebooks[NOTEBOOK][0])
    restore_renamed(folder, course / "source" / "fcnet")
    write(folder, NOTEBOOK, all_notebooks[NOTEBOOK][1])  # submitted again, under its own name
    assert renamed_from(folder, "01_layers") == ""
    assert json.loads((folder / (NOTEBOOK + SUFFIX)).read_text())["from"] == "01_layers (1).ipynb"


def test_two_candidates_or_a_present_notebook_leave_everything_as_it_is(course, all_notebooks, tmp_path):
    source = course / "source" / "fcnet"
    twice = tmp_path / "twice"
    write(twice, "01_layers (1).ipynb", all_notebooks[NOTEBOOK][0])
    write(twice, "01_layers-Copy1.ipynb", all_notebooks[NOTEBOOK][0])
    present = tmp_path / "present"
    write(present, NOTEBOOK, all_notebooks[NOTEBOOK][0])
    write(present, "01_layers (1).ipynb", all_notebooks[NOTEBOOK][0])
    for folder in (twice, present):
        before = sorted(p.name for p in folder.iterdir())
        assert restore_renamed(folder, source) == {} and sorted(p.name for p in folder.iterdir()) == before
