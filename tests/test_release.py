"""The release is generated, in sync with source/, and carries nothing secret."""
import filecmp
import json
import re
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
import numpy as np

from assignments import payload
from assignments.judge import compare_values
from assignments.tasks import FIXTURE_SEED, TASKS
from assignments.tasks.standins import PREFIX, split
from assignments.tolerances import EXACT
from autograder.course.lock import LOCK, versions_here
from autograder.commands.release import release
from conftest import ASSIGNMENT, REPO, copy_course

SECRETS = [r"BEGIN HIDDEN TESTS", r"(from|import)\s+autograder", r"autograder\.reference", r"BEGIN SOLUTION"]
NOTEBOOK_SECRETS = SECRETS + [r"\bprobe\("]  # the kit defines probe(); only notebooks must not call it


def differing_files(left, right, ignore=("__pycache__",)):
    comparison = filecmp.dircmp(left, right, ignore=list(ignore))
    found = [f"{left}/{name}" for name in comparison.left_only + comparison.right_only + comparison.diff_files]
    for sub in comparison.common_dirs:
        found += differing_files(Path(left) / sub, Path(right) / sub, ignore)
    return found


def fixture_differences(committed, fresh):
    """Where two fixtures.json files differ: the same keys in the same order, strings and the dtypes and shapes
    of arrays exactly, numbers within each task's tolerances (another CPU or BLAS may round the last bits
    of a few values otherwise)."""
    committed, fresh = (json.loads(Path(path).read_text()) for path in (committed, fresh))
    found = [] if committed.keys() == fresh.keys() and committed["tasks"].keys() == fresh["tasks"].keys() else ["keys"]
    found += [key for key in committed if key != "tasks" and committed[key] != fresh.get(key)]
    for name, entry in committed["tasks"].items():
        task, other = TASKS[name], fresh["tasks"].get(name, {})
        runs = [("expected", entry["expected"], other.get("expected"))] + [
            (mistake["hint"], mistake["cases"], theirs["cases"] if theirs["hint"] == mistake["hint"] else None)
            for mistake, theirs in zip(entry["mistakes"], other.get("mistakes", []))]
        if len(entry["mistakes"]) != len(other.get("mistakes", [])):
            found.append(f"{name}: mistakes")
        for label, cases, fresh_cases in runs:
            if fresh_cases is None or len(fresh_cases) != len(cases):
                found.append(f"{name}/{label}")
                continue
            for inputs, case, fresh_case in zip(task.inputs(FIXTURE_SEED), cases, fresh_cases):
                found += [f"{name}/{label}/{key}" for key in case_differences(task, inputs, case, fresh_case)]
    return found


def case_differences(task, inputs, case, fresh_case):
    if list(case) != list(fresh_case):
        return ["keys"]
    want, got = payload.decode_case(case), payload.decode_case(fresh_case)
    own, theirs = split(want)
    tolerances = {**task.tolerance(inputs, own),
                  **{PREFIX + key: value for key, value in (task.tolerance(inputs, theirs) if theirs else {}).items()}}
    differences = []
    for key, value in want.items():
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "fc":
            same = case[key] == fresh_case[key]  # errors, strings, integers, booleans: byte for byte
        else:
            same = (got[key].dtype, got[key].shape) == (value.dtype, value.shape) and compare_values(
                key, got[key], value, tolerances.get(key, EXACT)) is None
        differences += [] if same else [key]
    return differences


def test_committed_release_and_fixtures_match_a_fresh_release(course):
    """The committed release/ and the package's kit fixtures are what `release` makes from the lock and the
    source today (the course folder is a fresh one, elsewhere: nothing is read from beside the package)."""
    ignore = ("__pycache__", "fixtures.json")  # compared below, within the tolerances
    assert differing_files(REPO / "release" / ASSIGNMENT, course / "release" / ASSIGNMENT, ignore) == []
    fresh = course / "release" / ASSIGNMENT / "assignments" / "fixtures.json"
    for kit in (REPO / "assignments", REPO / "release" / ASSIGNMENT / "assignments"):
        assert fixture_differences(kit / "fixtures.json", fresh) == [], kit
    assert not (course / "assignments").exists()  # a course folder holds no copy of the kit


def test_the_release_follows_the_lock_not_the_installed_packages(course, tmp_path):
    """A lock bumped to a version nobody installed: the students' requirements and the version the
    self-checks compare with are the lock's, and the same on every Python the lock covers."""
    lock = (LOCK.read_text()
            .replace(f"numpy=={version('numpy')} ;", "numpy==9.9.9 ;")
            .replace(f"\nipython=={version('ipython')}\n", "\nipython==99.0.1\n"))
    assert "numpy==9.9.9" in lock and "ipython==99.0.1" in lock
    fake = tmp_path / "requirements.lock"
    fake.write_text(lock)
    folder = release(copy_course(course, tmp_path), ASSIGNMENT, lock=fake)
    requirements = (folder / "requirements.txt").read_text()
    assert "\nnumpy==9.9.9 ; python_full_version < '3.12'\n" in requirements
    assert "\nipython==99.0.1\n" in requirements
    assert json.loads((folder / "assignments" / "fixtures.json").read_text())["environment"]["numpy"] == "9.9.9"
    assert requirements.replace("9.9.9", version("numpy")).replace("99.0.1", version("ipython")) == \
        (course / "release" / ASSIGNMENT / "requirements.txt").read_text()


def test_fixtures_are_compared_within_rounding_and_no_further(tmp_path):
    fixtures = json.loads((REPO / "assignments" / "fixtures.json").read_text())
    case = fixtures["tasks"]["LayerNet"]["expected"][1]
    for name, shift in (("numerical_gradient:W2", 4), ("with stand-ins/scores", 2), ("loss", 1)):
        value = payload.decode_value(case[name])
        case[name] = payload.encode_value((value.view(np.int64) + shift).view(np.float64))  # a few ulp off
    rounded = tmp_path / "rounded.json"
    rounded.write_text(json.dumps(fixtures))
    assert fixture_differences(REPO / "assignments" / "fixtures.json", rounded) == []
    case["scores"] = payload.encode_value(payload.decode_value(case["scores"]) * (1 + 1e-9))
    case["accuracy"] = payload.encode_value(payload.decode_value(case["accuracy"]).astype(np.float32))
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(fixtures))
    assert fixture_differences(REPO / "assignments" / "fixtures.json", wrong) == \
        ["LayerNet/expected/scores", "LayerNet/expected/accuracy"]


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
    here = versions_here("\n".join(requirements))
    assert here["numpy"] == np.__version__
    for name in ("matplotlib", "scikit-learn", "mnist1d", "ipykernel", "jupyterlab"):
        assert here[name] == version(name), name  # installed from the lock, as the README says
    assert not list(release.rglob("__pycache__"))
