"""The release is generated, in sync with source/, and carries nothing secret."""
import filecmp
import re
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
import numpy as np

from conftest import ASSIGNMENT, REPO

SECRETS = [r"BEGIN HIDDEN TESTS", r"(from|import)\s+autograder", r"autograder\.reference", r"BEGIN SOLUTION"]
NOTEBOOK_SECRETS = SECRETS + [r"\bprobe\("]  # the kit defines probe(); only notebooks must not call it


def differing_files(left, right):
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [f"{left}/{name}" for name in comparison.left_only + comparison.right_only + comparison.diff_files]
    for sub in comparison.common_dirs:
        found += differing_files(Path(left) / sub, Path(right) / sub)
    return found


def test_committed_release_and_fixtures_match_a_fresh_release(course):
    assert differing_files(REPO / "release" / ASSIGNMENT, course / "release" / ASSIGNMENT) == []
    assert (REPO / "assignments" / "fixtures.json").read_text() == (course / "assignments" / "fixtures.json").read_text()


def test_release_holds_no_hidden_tests_solutions_or_grader(course):
    release = course / "release" / ASSIGNMENT
    files = [p for p in release.rglob("*") if p.is_file()]
    assert any(p.suffix == ".ipynb" for p in files) and (release / "assignments" / "probe.py").exists()
    source_nb = nbformat.read(course / "source" / ASSIGNMENT / "01_layers.ipynb", as_version=4)
    hidden_lines = {line.strip() for c in source_nb.cells if "BEGIN HIDDEN TESTS" in c.source
                    for line in c.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0].splitlines()
                    if line.strip()}
    for path in files:
        text = path.read_text(errors="replace")
        for pattern in NOTEBOOK_SECRETS if path.suffix == ".ipynb" else SECRETS:
            assert not re.search(pattern, text), (path, pattern)
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            sources = "\n".join(c.source for c in nb.cells)
            assert not any(line in sources for line in hidden_lines - {""}), path


def test_release_stubs_raise_and_keep_signatures(course):
    counts = {}
    for path in sorted((course / "release" / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        solutions = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
        counts[path.name] = len(solutions)
        for cell in solutions:
            name = cell.metadata["nbgrader"]["grade_id"]
            assert re.search(rf"^(def|class) {name}\b", cell.source, re.M), (path.name, name)
            assert "raise NotImplementedError()" in cell.source
    assert counts == {"01_layers.ipynb": 13, "02_two_layer_net.ipynb": 7, "03_deep_networks.ipynb": 9}


def test_student_folder_has_readme_requirements_and_kit(course):
    release = course / "release" / ASSIGNMENT
    assert "python -m assignments check" in (release / "README.md").read_text()
    requirements = (release / "requirements.txt").read_text().splitlines()
    assert requirements[0] == f"# the grader runs Python {sys.version_info.major}.{sys.version_info.minor}; use the " \
        "same minor version"
    pinned = dict(line.split("==") for line in requirements[1:])
    assert pinned["numpy"] == np.__version__
    for name in ("matplotlib", "scikit-learn", "mnist1d", "ipykernel", "jupyterlab"):
        assert pinned[name] == version(name), name
    assert not list(release.rglob("__pycache__"))
