"""The grader installed as a regular package: a wheel built from the repository, installed from the lock
into a fresh virtualenv outside it, runs a whole course folder in /tmp (init, release, grade in the
sandbox, feedback, export), and no grading kernel can import or read it."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.course.lock import LOCK
from autograder.commands.simulate import ATTACKS, notebook_pairs, plant, solved, submit
from conftest import ASSIGNMENT, NOTEBOOK, REPO, checkout_wheel

UV = Path(sys.executable).with_name("uv")  # a test dependency, from the lock
BASE_PYTHON = Path(sys.base_prefix) / "bin" / "python3"


def run(command, cwd, env, timeout=600):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (command, result.stdout[-3000:], result.stderr[-3000:])
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(virtualenv, environment for its commands): the wheel of this checkout, installed from the lock."""
    root = tmp_path_factory.mktemp("installed")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "BACKPROP_LAB_SECRET", "BACKPROP_LAB_DB")}
    wheel = checkout_wheel(root)
    venv = root / "venv"
    run([str(UV), "venv", "--quiet", "--python", str(BASE_PYTHON), str(venv)], root, env)
    run([str(UV), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "-c", str(LOCK), str(wheel)],
        root, env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return venv, env


@pytest.fixture(scope="module")
def graded_elsewhere(installed, tmp_path_factory):
    """A course folder in /tmp, made and graded with the installed command only: a solved student and a
    thief whose relu_forward is whatever of the installed grader's reference it can reach."""
    venv, env = installed
    course = tmp_path_factory.mktemp("elsewhere") / "course"
    command = str(venv / "bin" / "backprop-lab")
    run([command, "init", str(course)], course.parent, env)
    run([command, "release"], course, env)
    release_nb, source_nb = notebook_pairs(course, ASSIGNMENT)[NOTEBOOK]
    submit(course, "alice", ASSIGNMENT, {NOTEBOOK: solved(release_nb, source_nb)})
    stub = next(c.source for c in release_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "relu_forward")
    thief = plant(solved(release_nb, source_nb), "relu_forward",
                  stub + "\n" + ATTACKS["steal_installed_grader"].format(course=str(course)))
    submit(course, "thief", ASSIGNMENT, {NOTEBOOK: thief})
    outputs = {step: run([command, step, *extra], course, env)
               for step, extra in (("grade", ["--workers", "1", "--timeout", "20"]), ("feedback", []), ("export", []))}
    with open(course / "exports" / ASSIGNMENT / "grades.csv") as handle:
        rows = [r for r in csv.DictReader(handle) if r["notebook"] + ".ipynb" == NOTEBOOK]
    return course, outputs, rows


def test_the_wheel_carries_the_grader_and_the_course_template_but_runs_from_its_own_folder(installed):
    venv, env = installed
    where = run([str(venv / "bin" / "python"), "-c", "import autograder, assignments; "
                 "print(autograder.__file__); print(assignments.__file__)"], "/", env)
    assert all(str(venv) in line and str(REPO) not in line for line in where.split()), where


def test_a_course_folder_elsewhere_goes_through_every_command(graded_elsewhere):
    course, outputs, rows = graded_elsewhere
    assert "graded 2 of 2 submissions" in outputs["grade"]
    assert "warning" not in outputs["grade"]  # installed from the lock: no drift from what students were told
    alice = {r["grade_id"]: r for r in rows if r["student"] == "alice"}
    tested = [g for g in alice if g.startswith(("check_", "hidden_"))]
    assert len(tested) == 26 and all(alice[g]["score"] == alice[g]["max_score"] for g in tested), alice
    assert {r["sandbox"] for r in rows} == {"on"}
    for student in ("alice", "thief"):
        assert list((course / "feedback" / student / ASSIGNMENT).glob("*.html"))
    assert (course / "release" / ASSIGNMENT / "assignments" / "fixtures.json").is_file()


# Run with the installed grader's Python: the attack in its sandbox as the grader builds it, then in the same
# sandbox with nothing masked, the control that shows the masks are what stop it.
MASKED_AND_NOT = """\
import json, os, subprocess, sys, tempfile
from pathlib import Path
from autograder.isolation import sandbox


def attack():
    with tempfile.TemporaryDirectory() as scratch:
        work, run = Path(scratch, "work"), Path(scratch, "run")
        work.mkdir(), run.mkdir()
        uid = sandbox.sandbox_uid() if sandbox.running_as_root() else None
        sandbox.hand_over(scratch, uid)
        command = sandbox.bwrap_command([sys.executable, "-S", "-c", sys.argv[1]], str(work), str(run),
                                        sandbox.Limits(), uid)
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": os.pathsep.join(sandbox.package_paths())}
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120).stdout


masked = attack()
sandbox.grader_paths = lambda: []
print(json.dumps({"masked": masked, "unmasked": attack()}))
"""


def test_no_kernel_reaches_the_installed_grader(installed, graded_elsewhere, tmp_path):
    venv, env = installed
    course, _, rows = graded_elsewhere
    site_packages = run([str(venv / "bin" / "python"), "-c", "import site; print(site.getsitepackages()[0])"],
                        "/", env).strip()
    attack = ATTACKS["steal_installed_grader"].format(course=str(course))
    printed = json.loads(run([str(venv / "bin" / "python"), "-c", MASKED_AND_NOT, attack], tmp_path, env))
    assert f"STOLE {site_packages}/autograder/hidden/reference/layers.py" in printed["unmasked"], printed
    assert "no import ModuleNotFoundError" in printed["masked"] and "STOLE" not in printed["masked"], printed
    # in the sandbox it found nothing: the thief's relu_forward stayed a stub
    thief = {r["grade_id"]: r for r in rows if r["student"] == "thief"}
    for grade_id in ("check_relu_forward", "hidden_relu_forward"):
        assert float(thief[grade_id]["score"]) == 0 and "still a stub" in thief[grade_id]["message"], thief[grade_id]
    others = [g for g in thief if g.startswith(("check_", "hidden_")) and not g.endswith("_relu_forward")]
    assert all(thief[g]["score"] == thief[g]["max_score"] for g in others)
    autograded = nbformat.read(course / "autograded" / "thief" / ASSIGNMENT / NOTEBOOK, as_version=4)
    printed = "".join(output.get("text", "") for cell in autograded.cells for output in cell.get("outputs", []))
    assert "no import ModuleNotFoundError" in printed and "STOLE" not in printed, printed
