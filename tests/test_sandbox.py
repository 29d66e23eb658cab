"""Hostile submissions in real sandboxes: each tries to read, write or reach beyond its own copy.

The hostile students are graded in the same batch as the rest of the test class (conftest.py), so
these tests also show that the honest students around them are graded as before.
"""
import json
import os
import shutil
import site
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.commands.cli import main
from autograder.scheduling.grade import grade
from autograder.isolation.kernel import SANDBOX_MPLCONFIGDIR, font_cache, kernel_environment
from autograder.isolation import sandbox
from autograder.isolation.sandbox import (Limits, bwrap_command, check_sandbox, hand_over, running_as_root,
                                              sandbox_uid)
from autograder.commands.simulate import append_to, solved, submit
from autograder.reports.feedback import RELEASE_KEYS

from conftest import ASSIGNMENT, NOTEBOOK, NOTEBOOK2, TIMEOUT, copy_course, kernel_processes


def cell_outputs(graded, student, grade_id):
    nb = graded.autograded(student)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") + o.get("evalue", "") for o in cell.outputs)


def files_under(*folders):
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def test_links_are_set_aside_reported_and_never_followed(graded, reports):
    course = graded.course
    sources = [p.read_bytes() for p in (course / "source" / ASSIGNMENT).glob("*.ipynb")]
    returned = files_under(course / "autograded" / "hostile_links", course / "feedback" / "hostile_links")
    assert returned
    for path in returned:
        data = path.read_bytes()
        assert not any(source in data or data in source for source in sources), path
        assert b"BEGIN SOLUTION" not in data, path
    feedback = files_under(course / "feedback" / "hostile_links")
    assert feedback and all(p.suffix == ".html" or p.name in RELEASE_KEYS for p in feedback)
    assert not any(p.is_symlink() for p in feedback)
    cells = graded.cells("hostile_links", NOTEBOOK)
    assert all(cells[g][0] == cells[g][1] for g in graded.tested(NOTEBOOK))  # its own notebook still counts
    row = next(r for r in graded.rows if r["student"] == "hostile_links")
    for name in ("leak.txt", "relative.txt", "sources", NOTEBOOK2):
        assert f"{name} (a symbolic link): set aside" in row["set_aside"]
    linked_notebook = graded.cells("hostile_links", NOTEBOOK2)
    assert all(linked_notebook[g][2].startswith(f"{NOTEBOOK2} was not submitted") for g in graded.tested(NOTEBOOK2))
    assert (course / "submitted" / "hostile_links" / ASSIGNMENT / "leak.txt.set-aside").is_symlink()  # kept


def test_the_reference_is_out_of_reach(graded):
    assert "no reference" in cell_outputs(graded, "hostile_reference", "relu_forward")
    cells = graded.cells("hostile_reference")
    assert cells["hidden_relu_forward"][0] == 0 and cells["check_relu_forward"][0] == 0


def test_writes_outside_the_copy_fail_and_change_nothing(graded):
    course = graded.course
    text = cell_outputs(graded, "hostile_write_markers", "rel_error")
    assert "WROTE" not in text and text.count("refused") >= 5
    markers = [course / "marker", course / "submitted/solution/fcnet/marker", course / "autograded/solution/fcnet/marker",
               course / "exports/marker"]
    markers += [Path(folder, "marker.pth") for folder in site.getsitepackages()]
    assert not [m for m in markers if m.exists()]


def test_a_regraded_writer_leaves_other_students_rows_unchanged(graded):
    """Grade the writer again, in this process (--workers 1), and compare everyone else's rows."""
    def rows():
        with sqlite3.connect(graded.course / "gradebook.db") as db:
            return sorted(db.execute("SELECT * FROM grade WHERE notebook_id NOT IN (SELECT submitted_notebook.id "
                                     "FROM submitted_notebook JOIN submitted_assignment ON "
                                     "submitted_notebook.assignment_id = submitted_assignment.id "
                                     "WHERE submitted_assignment.student_id = 'hostile_write_markers')").fetchall())
    before = rows()
    outcome = grade(graded.course, ASSIGNMENT, ["hostile_write_markers"], TIMEOUT, show_progress=False, workers=1,
                    force=True)
    assert outcome == {"hostile_write_markers": ""} and rows() == before


def test_secrets_stay_secret(graded, reports):
    text = cell_outputs(graded, "hostile_read_secrets", "rel_error")
    assert "READ" not in text and text.count("refused") == 6
    secret = (graded.course / ".backprop-lab" / "secret").read_text().strip()
    for path in files_under(graded.course / "autograded", graded.course / "feedback", graded.course / "exports"):
        assert secret.encode() not in path.read_bytes(), path


def test_no_network(graded, outside):
    text = cell_outputs(graded, "hostile_network", "rel_error")
    assert "no connection" in text and "no DNS" in text and "CONNECTED" not in text and "RESOLVED" not in text
    assert outside.connections() == 0


def test_nothing_outlives_its_grading(graded, outside, neighbour):
    uids = graded.kernel_uids()
    assert uids and not uids & neighbour.kernel_uids
    assert neighbour.running()  # another course's kernels are being graded beside this check, as uids of their own
    assert [pid for uid in uids for pid in kernel_processes(uid)] == []
    time.sleep(max(0.0, 30 - (time.monotonic() - graded.graded_at)))  # the daemon would have written at 20 s
    assert not (outside.folder / "daemon-marker").exists()
    cells = graded.cells("hostile_daemon")
    assert all(cells[g][0] == cells[g][1] for g in graded.tested(NOTEBOOK))


def test_each_limit_stops_its_cell_with_the_reason_and_nothing_else(graded):
    cells = graded.cells("hostile_limits")
    for name, reason in [("relu_forward", "ran out of memory (the grading kernel's limit is 2 GiB)"),
                         ("sigmoid_forward", "more processes or threads than the grading kernel's limit of 256"),
                         ("tanh_forward", "a file larger than the grading kernel's limit of 256 MiB")]:
        score, _, message = cells[f"hidden_{name}"]
        assert score == 0 and reason in message, (name, message)
    others = [g for g in graded.tested(NOTEBOOK) if g.split("_", 1)[1] not in LIMITED]
    assert all(cells[g][0] == cells[g][1] for g in others), {g: cells[g] for g in others}


LIMITED = ("relu_forward", "sigmoid_forward", "tanh_forward", "relu_backward", "sigmoid_backward", "tanh_backward")


def test_kernels_find_matplotlibs_font_list_made_once(tmp_path):
    """The font list made in a sandbox once per grading process reaches a kernel's private /tmp, and matplotlib
    there loads it instead of listing the machine's fonts again."""
    cache = font_cache(Limits())
    assert cache is not None and list(Path(cache).glob("fontlist-*.json"))
    work, run = tmp_path / "work", tmp_path / "run"
    work.mkdir(), run.mkdir()
    uid = sandbox_uid() if running_as_root() else None
    hand_over(run, uid)
    command = bwrap_command([sys.executable, "-S", "-c", "import logging; logging.basicConfig(level='DEBUG'); "
                             "import matplotlib.font_manager"], str(work), str(run), Limits(), uid, cache,
                            SANDBOX_MPLCONFIGDIR)
    result = subprocess.run(command, env=kernel_environment("", "/tmp"), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"Using fontManager instance from {SANDBOX_MPLCONFIGDIR}/fontlist-" in result.stderr, result.stderr
    assert "generated new fontManager" not in result.stderr


def test_the_process_limit_binds_the_kernel_uid(tmp_path):
    """RLIMIT_NPROC never binds uid 0: the sandboxed process must run as another uid, and stop forking."""
    work, run = tmp_path / "work", tmp_path / "run"
    work.mkdir(), run.mkdir()
    uid = sandbox_uid() if running_as_root() else None
    hand_over(tmp_path, uid)
    forks = ("import os, time\ncount = 0\ntry:\n    for _ in range(5000):\n        if os.fork() == 0:\n"
             "            time.sleep(30)\n            os._exit(0)\n        count += 1\nexcept OSError:\n    pass\n"
             "print(os.getuid(), count)\n")
    command = bwrap_command([sys.executable, "-S", "-c", forks], str(work), str(run), Limits(processes=50), uid)
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    kernel_uid, count = map(int, result.stdout.split())
    assert kernel_uid != 0 and count < 50, result.stdout
    deadline = time.monotonic() + 5  # the kernel kills a dead namespace's processes at once; they exit soon after
    while kernel_processes(uid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kernel_processes(uid) == []  # the children, asleep for 30 s, died with the sandbox


def test_killing_the_parent_does_not_stop_in_process_grading(course, notebooks, tmp_path):
    root = copy_course(course, tmp_path)
    submit(root, "killer", ASSIGNMENT, {NOTEBOOK: append_to(solved(*notebooks), "relu_forward",
                                                           "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n")})
    assert grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1) == {"killer": ""}


def test_a_sandbox_that_cannot_start_grades_nobody(course, notebooks, tmp_path, capsys):
    """Fail closed: a sandbox in which Python cannot start (here: too little memory to import NumPy) grades
    nobody and says why, rather than grading anyone another way."""
    root = copy_course(course, tmp_path)
    submit(root, "someone", ASSIGNMENT, {NOTEBOOK: solved(*notebooks)})
    assert main(["grade", "--course", str(root), "--workers", "1", "--memory-limit", "64"]) == 2
    out = capsys.readouterr().out.replace("\n", " ")
    assert "graded nobody" in out and "the sandbox did not start" in out
    assert not (root / "autograded").exists()


def test_unsandboxed_grading_is_recorded_in_the_exports(course, notebooks, tmp_path, capsys, monkeypatch):
    """--unsandboxed is what a machine without bubblewrap is told to use; what it grades says `sandbox: off`."""
    which = shutil.which
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None if name == "bwrap" else which(name))
    advice = check_sandbox()
    assert "bubblewrap" in advice and "--unsandboxed" in advice
    monkeypatch.undo()
    root = copy_course(course, tmp_path)
    submit(root, "someone", ASSIGNMENT, {NOTEBOOK: solved(*notebooks)})
    assert main(["grade", "--course", str(root), "--workers", "1", "--unsandboxed", "--timeout", str(TIMEOUT)]) == 0
    assert "warning" in capsys.readouterr().out
    assert main(["export", "--course", str(root)]) == 0
    text = (root / "exports" / ASSIGNMENT / "grades.csv").read_text()
    assert ",off," in text and ",on," not in text
    assert json.loads((root / "exports" / ASSIGNMENT / "someone.json").read_text())["sandbox"] == "off"


@pytest.mark.parametrize("what", ["a symbolic link to a folder", "a FIFO"])
def test_a_linked_submission_folder_or_fifo_is_not_followed(course, notebooks, tmp_path, what):
    root = copy_course(course, tmp_path)
    if what == "a FIFO":
        folder = submit(root, "piper", ASSIGNMENT, {NOTEBOOK: solved(*notebooks)})
        os.mkfifo(folder / "pipe")
        assert grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1) == {"piper": ""}
        assert (folder / "pipe.set-aside").exists()
    else:
        (root / "submitted" / "linker").mkdir(parents=True)
        (root / "submitted" / "linker" / ASSIGNMENT).symlink_to(root / "source" / ASSIGNMENT)
        outcome = grade(root, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, workers=1)
        assert "is a link, not a folder: not graded" in outcome["linker"]
        assert not (root / "autograded" / "linker").exists()


def test_stock_nbgrader_autograde_uses_the_same_sandbox(course, notebooks, tmp_path):
    root = copy_course(course, tmp_path)
    peek = "import os\nprint('course visible' if os.path.exists(%r) else 'course hidden')\n" % str(root / "gradebook.db")
    submit(root, "peeker", ASSIGNMENT, {NOTEBOOK: append_to(solved(*notebooks), "rel_error", peek)})
    linker = submit(root, "linker", ASSIGNMENT, {})
    (linker / NOTEBOOK).symlink_to(root / "source" / ASSIGNMENT / NOTEBOOK)
    nbgrader = Path(sys.executable).parent / "nbgrader"
    subprocess.run([str(nbgrader), "autograde", ASSIGNMENT, "--Execute.timeout=10"], cwd=root, capture_output=True,
                   timeout=600)
    nb = nbformat.read(root / "autograded" / "peeker" / ASSIGNMENT / NOTEBOOK, as_version=4)
    assert nb.metadata["backprop_lab"]["sandbox"] == "on"
    printed = str([c.outputs for c in nb.cells if c.cell_type == "code"])
    assert "course hidden" in printed and "course visible" not in printed
    linked = root / "autograded" / "linker" / ASSIGNMENT / NOTEBOOK
    assert not linked.exists() or b"BEGIN SOLUTION" not in linked.read_bytes()
