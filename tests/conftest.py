"""Shared fixtures: one scratch course, released once, and one graded class of simulated students.

Grading every simulated submission in a single batch is what makes the suite fast: each test then
reads the scores and verdicts it needs from that batch.
"""
import base64
import copy as copy_module
import csv
import shutil
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.commands.demo import fresh_course
from autograder.reports.export import export
from autograder.scheduling.grade import grade
from autograder.hidden.mistakes import deep as deep_mistakes, layers as layer_mistakes, two_layer as two_layer_mistakes
from autograder.commands.release import release
from autograder.isolation.sandbox import sandbox_uids
from autograder.reports.feedback import feedback
from autograder.commands.simulate import (ATTACKS, CAPTURE, CHEATS, CRASHES, FIXTURE_LOOKUP, FIXTURE_LOOKUPS,
                                         LIMIT_BREAKERS, REVEAL, append_to, function_source, link_into,
                                         notebook_pairs, plant, plant_mistake, solved, submit)

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "fcnet"
NOTEBOOK = "01_layers.ipynb"
NOTEBOOK2 = "02_two_layer_net.ipynb"
NOTEBOOK3 = "03_deep_networks.ipynb"
NOTEBOOKS = (NOTEBOOK, NOTEBOOK2, NOTEBOOK3)
MISTAKES = {NOTEBOOK: layer_mistakes.MISTAKES, NOTEBOOK2: two_layer_mistakes.MISTAKES,
            NOTEBOOK3: deep_mistakes.MISTAKES}
TIMEOUT = 10  # seconds per cell; generous, so a loaded machine does not fail a correct setup cell
UNGRADABLE = ("renamed_twice",)  # no notebook of theirs can be graded, for a stated reason


def mistake_rounds(mistakes):
    """Groups of mistakes that can share one submission with every lost point still traceable: one mistake
    per object in a group (a mistake costs its own object only, so the others keep full marks)."""
    rounds = []
    for mistake in mistakes:
        for group in rounds:
            if mistake.task not in {m.task for m in group}:
                group.append(mistake)
                break
        else:
            rounds.append([mistake])
    return rounds


def wrong_everywhere(nb):
    """Plant plausible but wrong implementations (zeros) for a few objects a cheat then tries to cover."""
    plant(nb, "relu_forward", function_source("relu_forward", "(x)", "return np.zeros_like(x), x"))
    plant(nb, "softmax_loss", function_source("softmax_loss", "(scores, y)", "return 0.0, np.zeros_like(scores)"))
    return nb


def with_submitted_plots(nb):
    """Give each ungraded cell that draws (calls plt.) a PNG output, as a student's saved notebook has: the
    grader does not re-run those cells, and its reports show what was submitted."""
    png = base64.b64encode(PNG_PIXEL).decode()
    for cell in nb.cells:
        if cell.cell_type == "code" and not cell.metadata.get("nbgrader") and "plt." in cell.source:
            cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    return nb


# a 1x1 PNG: the smallest image a notebook output can hold
PNG_PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201ff6e3e8a0000000049454e44ae426082")


def without_experiments(nb, word):
    """Delete the ungraded code cells that mention `word`."""
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.metadata.get("nbgrader") or word not in c.source]
    return nb


def duplicate(nb, *grade_ids):
    """Paste a copy of each cell `grade_id` right below it, as Jupyter's copy/paste does (same nbgrader
    metadata, a new cell id)."""
    for grade_id in grade_ids:
        index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        copy = nbformat.from_dict(copy_module.deepcopy(nb.cells[index]))
        copy.id = f"{copy.get('id', 'cell')}-copy"
        nb.cells.insert(index + 1, copy)
    return nb


def move(nb, grade_id, above):
    """Drag the cell `grade_id` and the ordinary cells after it (up to the next graded cell) above the cell
    `above`, as a student dragging cells in JupyterLab might."""
    def index(gid):
        return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
    start = index(grade_id)
    end = next((i for i in range(start + 1, len(nb.cells)) if nb.cells[i].metadata.get("nbgrader")), len(nb.cells))
    block = nb.cells[start:end]
    del nb.cells[start:end]
    target = index(above)
    nb.cells[target:target] = block
    return nb


def build_class(notebooks):
    """{student: {notebook file: notebook or raw text}}; notebooks maps file -> (release, source)."""
    def solved_nb(filename):
        return solved(*notebooks[filename])

    release_nb, source_nb = notebooks[NOTEBOOK]
    students = {
        "solution": {f: with_submitted_plots(solved_nb(f)) for f in NOTEBOOKS},
        "release": {f: nbformat.from_dict(notebooks[f][0]) for f in NOTEBOOKS},
    }
    rounds = {filename: mistake_rounds(mistakes) for filename, mistakes in MISTAKES.items()}
    for index in range(max(map(len, rounds.values()))):  # one bug costs once, so notebooks' rounds can share
        files = {NOTEBOOK: solved_nb(NOTEBOOK)}
        for filename, groups in rounds.items():
            if index < len(groups):
                files[filename] = solved_nb(filename)
                for mistake in groups[index]:
                    plant_mistake(files[filename], mistake)
        students[f"mistakes_{index}"] = files
    noisy = solved(release_nb, source_nb)
    plant(noisy, "relu_forward", function_source("relu_forward", "(x)", "np.sqrt(-np.ones(1))  # RuntimeWarning on stderr\n"
                                      "return np.maximum(0, x), x"))
    append_to(noisy, "rel_error", "import sys\nprint('debug output', file=sys.stderr)")
    students["noisy"] = {NOTEBOOK: noisy}
    for cheat in ("patched_allclose", "fake_reference", "output_hooks"):
        students[f"cheat_{cheat}"] = {NOTEBOOK: append_to(wrong_everywhere(solved(release_nb, source_nb)), "rel_error",
                                                          CHEATS[cheat])}
    students["cheat_allclose_subclass"] = {NOTEBOOK: plant(solved(release_nb, source_nb), "affine_forward",
                                                           CHEATS["allclose_subclass"])}
    students["cheat_import_autograder"] = {NOTEBOOK: plant(solved(release_nb, source_nb), "relu_forward",
                                                           "def relu_forward(x):\n    raise NotImplementedError\n"
                                                           + CHEATS["import_autograder"])}
    cheat2 = plant(solved_nb(NOTEBOOK2), "TwoLayerNet", "class TwoLayerNet:\n"
                   "    def __init__(self, *args, **kwargs):\n        self.params = {}\n"
                   "    def loss(self, X, y=None):\n        return 0.0, {}\n"
                   + CHEATS["patched_allclose"] + CHEATS["fake_reference"] + CHEATS["output_hooks"])
    students["cheat_nb2"] = {NOTEBOOK: solved_nb(NOTEBOOK), NOTEBOOK2: cheat2}
    cheat3 = plant(solved_nb(NOTEBOOK3), "adam", "def adam(w, dw, config=None):\n    return w, config or {}\n"
                   + CHEATS["patched_allclose"] + CHEATS["fake_reference"] + CHEATS["output_hooks"])
    plant_mistake(cheat3, next(m for m in deep_mistakes.MISTAKES if m.slug == "FullyConnectedNet__reg_biases"))
    students["cheat_nb3"] = {NOTEBOOK: solved_nb(NOTEBOOK), NOTEBOOK3: cheat3}
    releases = {f: nbformat.from_dict(notebooks[f][0]) for f in NOTEBOOKS}
    for filename, first in zip(NOTEBOOKS, ("rel_error", "TwoLayerNet", "mse_loss")):
        append_to(releases[filename], first, CHEATS["fixture_patch"])
    students["cheat_fixture_patch"] = releases
    lookups = {f: nbformat.from_dict(notebooks[f][0]) for f in NOTEBOOKS}
    for name, source in FIXTURE_LOOKUPS.items():
        target = next(nb for nb in lookups.values() if name in {c.metadata.get("nbgrader", {}).get("grade_id")
                                                                  for c in nb.cells})
        plant(target, name, FIXTURE_LOOKUP + source)
    students["cheat_fixture_lookup"] = lookups
    capture = append_to(append_to(solved_nb(NOTEBOOK2), "TwoLayerNet", CAPTURE), "train_sgd", REVEAL)
    students["cheat_capture"] = {NOTEBOOK: solved_nb(NOTEBOOK), NOTEBOOK2: capture}
    students["missing_nb1"] = {NOTEBOOK2: solved_nb(NOTEBOOK2), NOTEBOOK3: solved_nb(NOTEBOOK3)}
    students["crash_exit"] = {NOTEBOOK: append_to(solved(release_nb, source_nb), "relu_forward", CRASHES["exit"])}
    # notebook 3 reaches the looping tanh_forward through ACTIVATIONS (its tanh experiments deleted, as a student
    # might, so the batch does not wait out their timeouts)
    students["crash_loop"] = {NOTEBOOK: plant(solved(release_nb, source_nb), "tanh_forward",
                                              function_source("tanh_forward", "(x)", CRASHES["infinite_loop"])),
                              NOTEBOOK3: without_experiments(solved_nb(NOTEBOOK3), "tanh")}
    students["crash_kill_grader"] = {NOTEBOOK: append_to(solved(release_nb, source_nb), "relu_forward",
                                                        CRASHES["kill_grader"])}
    students["crash_swallow"] = {NOTEBOOK: plant(solved(release_nb, source_nb), "svm_loss",
                                                 function_source("svm_loss", "(scores, y)", CRASHES["swallows_interrupt"]))}
    students["corrupt"] = {NOTEBOOK: '{"cells": [ not json', NOTEBOOK2: solved_nb(NOTEBOOK2)}
    deleted = solved(release_nb, source_nb)
    deleted.cells = [c for c in deleted.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") not in ("check_relu_forward", "hidden_relu_forward")]
    students["deleted_cells"] = {NOTEBOOK: deleted}
    students["duplicated_solution"] = {NOTEBOOK: duplicate(solved(release_nb, source_nb), "relu_forward")}
    students["duplicated_tests"] = {NOTEBOOK: duplicate(solved(release_nb, source_nb), "check_relu_forward",
                                                        "hidden_relu_forward")}
    students["moved_cells"] = {NOTEBOOK: move(move(solved(release_nb, source_nb), "hidden_relu_forward", "relu_forward"),
                                              "check_affine_forward", "rel_error")}
    students["renamed"] = {"01_layers (1).ipynb": solved(release_nb, source_nb)}  # graded as 01_layers.ipynb
    students["renamed_twice"] = {"01_layers (1).ipynb": solved(release_nb, source_nb),  # which one? not graded
                                 "01_layers-Copy1.ipynb": solved(release_nb, source_nb)}
    students["edited_given"] = {NOTEBOOK: edit_given(solved(release_nb, source_nb), "# Two numbers",
                                                     "np.maximum = np.minimum  # breaks every later relu_forward\n")}
    students["helper_cells"] = {NOTEBOOK: with_helpers(solved(release_nb, source_nb))}
    return students


def edit_given(nb, starts, code):
    """Append code to the given (not graded) code cell whose source starts with `starts`."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts))
    cell.source += "\n" + code
    return nb


def with_helpers(nb):
    """relu_forward calls a helper the student defined in a new cell; numerical_gradient_array calls the
    notebook's own one_sided_gradient, defined in a given plot cell that nothing graded names."""
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell("def positive_part(x):\n    return np.maximum(0, x)\n"))
    plant(nb, "relu_forward", "def relu_forward(x):\n    return positive_part(x), x\n")
    plant(nb, "numerical_gradient_array", function_source(
        "numerical_gradient_array", "(f, x, dout, h=1e-5)",
        "def g(z):\n    return np.sum(f(z) * dout)\n"
        "return (one_sided_gradient(g, x, h) + one_sided_gradient(g, x, -h)) / 2"))
    return nb


class Outside:
    """What a hostile submission reaches for outside its sandbox: a TCP listener on 127.0.0.1 and a
    folder of the test's own."""

    def __init__(self, folder):
        self.folder = folder
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]

    def connections(self):
        """How many connections reached the listener (each accepted and closed)."""
        count = 0
        while True:
            try:
                self.listener.accept()[0].close()
                count += 1
            except BlockingIOError:
                return count


def hostile_class(course, notebooks, outside):
    """{student: {notebook file: notebook}} trying to escape, plus {student: links to add after submitting}."""
    release_nb, source_nb = notebooks
    fill = {"course": str(course), "victim": "solution", "port": outside.port,
            "marker": str(outside.folder / "daemon-marker"), "home": str(Path.home())}

    def attacking(attack, grade_id="rel_error"):
        return {NOTEBOOK: append_to(solved(release_nb, source_nb), grade_id, ATTACKS[attack].format(**fill))}

    students = {f"hostile_{attack}": attacking(attack)
                for attack in ("read_secrets", "write_markers", "network", "daemon")}
    stub = next(c.source for c in release_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "relu_forward")
    thief = plant(solved(release_nb, source_nb), "relu_forward", stub + "\n" + ATTACKS["steal_reference"].format(**fill))
    students["hostile_reference"] = {NOTEBOOK: thief}
    breaker = solved(release_nb, source_nb)
    for name, (signature, body) in LIMIT_BREAKERS.items():
        plant(breaker, name, function_source(name, signature, body))
    students["hostile_limits"] = {NOTEBOOK: breaker}
    students["hostile_links"] = {NOTEBOOK: solved(release_nb, source_nb)}
    source = course / "source" / ASSIGNMENT
    links = {"hostile_links": {"leak.txt": source / NOTEBOOK, "relative.txt": f"../../../source/{ASSIGNMENT}/{NOTEBOOK}",
                               "sources": source, NOTEBOOK2: source / NOTEBOOK2}}
    return students, links


class GradedClass:
    def __init__(self, course, students, outcomes, csv_path, graded_at, links=None):
        self.course, self.students, self.outcomes, self.graded_at = course, students, outcomes, graded_at
        self.links = links or {}  # {student: links added to the submission after it was written}
        with open(csv_path) as handle:
            self.rows = list(csv.DictReader(handle))

    def cells(self, student, notebook=None):
        """{grade_id: (score or None, max_score, message)} for one student (and notebook file)."""
        return {r["grade_id"]: (float(r["score"]) if r["score"] else None, float(r["max_score"]), r["message"])
                for r in self.rows if r["student"] == student and notebook in (None, r["notebook"] + ".ipynb")}

    def tested(self, notebook=None):
        """grade_ids of the self-check and hidden-test cells (of one notebook file)."""
        return [g for g in self.cells("solution", notebook) if g.startswith(("check_", "hidden_"))]

    def kernel_uids(self):
        """The uids this class's grading kernels ran as (recorded with each student's outcome)."""
        statuses = (self.course / ".backprop-lab" / "grading" / ASSIGNMENT).glob("*.json")
        return {uid for path in statuses for uid in json.loads(path.read_text())["kernel_uids"]}

    def autograded(self, student, notebook=NOTEBOOK):
        return nbformat.read(self.course / "autograded" / student / ASSIGNMENT / notebook, as_version=4)


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A scratch course (source, kit, nbgrader config) released once."""
    root = tmp_path_factory.mktemp("course")
    fresh_course(root)
    release(root, ASSIGNMENT)
    return root


@pytest.fixture(scope="session")
def all_notebooks(course):
    """{notebook file: (release notebook, source notebook)}."""
    pairs = notebook_pairs(course, ASSIGNMENT)
    assert set(pairs) == set(NOTEBOOKS)
    return pairs


@pytest.fixture(scope="session")
def notebooks(all_notebooks):
    return all_notebooks[NOTEBOOK]


@pytest.fixture(scope="session")
def outside(tmp_path_factory):
    return Outside(tmp_path_factory.mktemp("outside"))


def kernel_processes(uid):
    """pids of the processes running as this uid (a grading kernel's), anywhere on the machine."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(int(entry.name))
        except FileNotFoundError:
            continue
    return found


class Neighbour:
    """Another course graded on the same machine while the suite runs: a `backprop-lab grade` process of
    its own (one worker, so its kernels run as its sandbox_uids) whose students' cells sleep through an
    hour's cell timeout, so it is still grading when the session ends and is interrupted. Every test must pass
    beside it: none may look at what it did not start."""

    def __init__(self, course, notebooks):
        release_nb, source_nb = notebooks
        for student in ("sleeper_1", "sleeper_2", "sleeper_3"):
            submit(course, student, ASSIGNMENT,
                   {NOTEBOOK: append_to(solved(release_nb, source_nb), "rel_error", "import time\ntime.sleep(1e6)\n")})
        self.course = course
        self.process = subprocess.Popen([sys.executable, "-m", "autograder.commands.cli", "grade",
                                         "--course", str(course), "--workers", "1", "--timeout", "3600"],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.kernel_uids = set(sandbox_uids(self.process.pid))

    def running(self):
        return self.process.poll() is None

    def stop(self):
        """Stop it (SIGTERM: its sandboxed kernel dies with it) -> what it printed."""
        if self.running():
            self.process.terminate()
        return self.process.communicate(timeout=60)[0]


@pytest.fixture(scope="session")
def neighbour(course, all_notebooks, tmp_path_factory):
    grader = Neighbour(copy_course(course, tmp_path_factory.mktemp("neighbour")), all_notebooks[NOTEBOOK])
    yield grader
    was_running = grader.running()
    printed = grader.stop()
    assert was_running and "Traceback" not in printed, printed  # it graded beside the whole session, unharmed
    deadline = time.monotonic() + 10
    while any(kernel_processes(uid) for uid in grader.kernel_uids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for uid in grader.kernel_uids for pid in kernel_processes(uid)] == []


@pytest.fixture(scope="session")
def graded(course, all_notebooks, outside, neighbour):
    students = build_class(all_notebooks)
    hostile, links = hostile_class(course, all_notebooks[NOTEBOOK], outside)
    students.update(hostile)
    for student, files in students.items():
        submit(course, student, ASSIGNMENT, files)
    for student, student_links in links.items():
        link_into(course, student, ASSIGNMENT, student_links)
    outcomes = grade(course, ASSIGNMENT, timeout=TIMEOUT, show_progress=False)
    return GradedClass(course, students, outcomes, export(course, ASSIGNMENT), time.monotonic(), links)


@pytest.fixture(scope="session")
def reports(graded):
    """{student: feedback error or ""}, after writing every student's feedback once."""
    return feedback(graded.course, ASSIGNMENT)


def checkout_wheel(scratch):
    """A wheel of this checkout's files (tracked, or new and not ignored), built below `scratch` with uv (a test
    dependency): a stale build/ folder in the checkout never reaches it."""
    source = scratch / "checkout"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for name in listed:
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    subprocess.run([str(Path(sys.executable).with_name("uv")), "build", "--wheel", "--quiet", "--out-dir",
                    str(scratch / "wheel"), str(source)], capture_output=True, check=True)
    return next((scratch / "wheel").glob("backprop_lab-*.whl"))


def copy_course(course, tmp_path):
    """An independent copy of the released course, for tests that change its configuration."""
    target = tmp_path / "course"
    shutil.copytree(course, target, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback", "exports"))
    return target
