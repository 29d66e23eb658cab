"""What a student reads: whole ✘ lines under nbgrader validate, the check command's progress and warnings,
a clear message without the kit's dependencies, and warnings that name the student's function."""
import os
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from nbclient import NotebookClient

from assignments.lines import WRAP_WIDTH, wrapped
from assignments.selfcheck import local_wording
from autograder.hidden.mistakes import all_mistakes
from autograder.commands.simulate import plant_mistake, solved

from conftest import ASSIGNMENT, NOTEBOOK, NOTEBOOK3

DOUT_MASK = next(m for m in all_mistakes() if m.slug == "relu_backward__dout_mask")


@pytest.fixture
def student_folder(course, tmp_path):
    folder = tmp_path / "student"
    shutil.copytree(course / "release" / ASSIGNMENT, folder)
    return folder


def test_wrapping_breaks_between_words_only():
    line = "✘ relu_backward: `dx` differs at index (0, 0): got 0, expected -1.5 (case 1 of 3: dout and cache of " \
           "shape (5, 4)). Hint: your dx matches masking with dout > 0; the mask comes from the forward input"
    lines = wrapped(line)
    assert len(lines) > 1 and all(len(part) <= WRAP_WIDTH for part in lines)
    assert " ".join(part.strip() for part in lines) == line


def test_nbgrader_validate_shows_each_failing_line_whole(student_folder, notebooks):
    nbformat.write(plant_mistake(solved(*notebooks), DOUT_MASK), student_folder / NOTEBOOK)
    result = subprocess.run([sys.executable, "-m", "nbgrader", "validate", NOTEBOOK], cwd=student_folder,
                            capture_output=True, text=True, timeout=300)
    assert "VALIDATION FAILED ON 1 CELL" in result.stdout, result.stdout
    assert "..." not in result.stdout.split("check(\"relu_backward\"")[-1]  # nothing cut short
    words = " ".join(line.strip() for line in result.stdout.splitlines())
    assert "✘ relu_backward: `dx` differs at index" in words
    assert "Hint: your dx matches masking with dout > 0" in words
    assert "not from the upstream gradient" in words  # the end of the hint, which validate used to cut


def test_check_command_reports_the_file_and_its_first_line_at_once(student_folder):
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "assignments", "check", NOTEBOOK3], cwd=student_folder,
                               stdout=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    first_after = time.monotonic() - started
    rest = process.stdout.read()
    assert process.wait(300) == 1
    assert first.startswith(f"checking {NOTEBOOK3} as saved at ") and "unsaved changes" in first
    assert rest.count("✘") == 9 and "0 of 9 self-checks pass" in rest
    assert "the check's digits split" in rest and "the grader's" not in rest
    print(f"first line after {first_after:.2f} s")  # the benchmark of this is benchmarks/check_first_line.py


def test_check_command_warns_when_jupyterlabs_checkpoint_is_newer(student_folder):
    checkpoints = student_folder / ".ipynb_checkpoints"
    checkpoints.mkdir()
    shutil.copy(student_folder / NOTEBOOK, checkpoints / "01_layers-checkpoint.ipynb")
    old = time.time() - 600
    os.utime(student_folder / NOTEBOOK, (old, old))
    result = subprocess.run([sys.executable, "-m", "assignments", "check", NOTEBOOK], cwd=student_folder,
                            capture_output=True, text=True, timeout=300)
    assert "warning: JupyterLab's checkpoint of 01_layers.ipynb is newer" in result.stdout
    assert "(10 min ago)" in result.stdout.splitlines()[0]


def test_check_command_names_the_python_when_the_kit_dependencies_are_missing(student_folder):
    # `python -S` skips site-packages: a Python with none of the requirements installed
    result = subprocess.run([sys.executable, "-S", "-m", "assignments", "check", NOTEBOOK], cwd=student_folder,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"This Python ({sys.executable}) does not have nbformat" in result.stdout
    assert "pip install -r requirements.txt" in result.stdout


def test_a_warning_from_student_code_names_the_function(student_folder):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        "import numpy as np\nfrom assignments.selfcheck import check",
        "def sigmoid_forward(x):\n    out = 1 / (1 + np.exp(-x))\n    return out, out",
        "sigmoid_forward(np.array([-1000.0]))",
    )])
    NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(student_folder)}}).execute()
    stderr = "".join(o.text for o in nb.cells[-1].outputs if o.output_type == "stream" and o.name == "stderr")
    assert stderr.startswith("RuntimeWarning in `sigmoid_forward`: overflow encountered in exp"), stderr
    assert "out = 1 / (1 + np.exp(-x))" in stderr and "ipykernel" not in stderr


def test_local_self_checks_speak_of_their_own_split():
    assert local_wording("train_sgd: ok (case 1 of 1: the grader's digits split)") == \
        "train_sgd: ok (case 1 of 1: the check's digits split)"
