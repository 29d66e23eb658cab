"""Running only the cells grading needs, in warm kernels: the same grades as running every cell, and no
student sees anything of the one graded before it in the same process."""
import csv
import os

import nbformat

from autograder.commands.demo import fresh_course, simulate_class
from autograder.commands.release import release
from autograder.commands.simulate import append_to, link_into, solved, submit
from autograder.isolation.sandbox import running_as_root, sandbox_uids
from autograder.judging.needed_cells import NOT_RERUN, cell_names, needed_cells
from autograder.reports.export import export
from autograder.scheduling.grade import grade

from conftest import ASSIGNMENT, NOTEBOOK, NOTEBOOK3, TIMEOUT, copy_course, kernel_processes


def rows(records):
    return sorted((r["student"], r["notebook"], r["grade_id"], r["score"], r["message"]) for r in records)


def test_the_fast_path_gives_the_grades_and_messages_of_running_every_cell(graded, tmp_path):
    """The whole test class (solutions, every known mistake, crashes, cheats, hostile code, edited given
    cells, helpers outside the answers), graded again with every cell run."""
    course = copy_course(graded.course, tmp_path)
    for student, files in graded.students.items():
        submit(course, student, ASSIGNMENT, files)
    for student, links in graded.links.items():
        link_into(course, student, ASSIGNMENT, links)
    outcomes = grade(course, ASSIGNMENT, timeout=TIMEOUT, show_progress=False, force=True, run_all=True)
    assert outcomes == graded.outcomes
    with open(export(course, ASSIGNMENT)) as handle:
        fast, full = rows(graded.rows), rows(csv.DictReader(handle))  # graded.rows: exported right after grading
    assert len(fast) > 1000
    assert [row for row in fast if row not in full] == [] and [row for row in full if row not in fast] == []
    edited = graded.cells("edited_given", NOTEBOOK)
    assert edited["hidden_relu_forward"][0] == 0 and edited["hidden_affine_forward"][0] > 0  # the edit ran
    helpers = graded.cells("helper_cells", NOTEBOOK)
    for grade_id in ("hidden_relu_forward", "hidden_numerical_gradient_array"):
        assert helpers[grade_id][0] == helpers[grade_id][1], helpers[grade_id]


def test_the_demo_class_gets_the_same_grades_and_messages_both_ways(tmp_path):
    """`backprop-lab demo`'s class (solved, mistaken, crashing, looping, cheating, linking), each way."""
    graded = {}
    for run_all in (False, True):
        course = tmp_path / ("full" if run_all else "fast") / "course"
        fresh_course(course)
        release(course, ASSIGNMENT)
        simulate_class(course, ASSIGNMENT)
        outcomes = grade(course, ASSIGNMENT, timeout=5, show_progress=False, run_all=run_all)
        with open(export(course, ASSIGNMENT)) as handle:
            graded[run_all] = outcomes, [tuple(cell.replace(str(course), "<course>") for cell in row)
                                         for row in rows(csv.DictReader(handle))]
    assert len(graded[False][1]) > 500 and graded[False] == graded[True]


def test_cells_no_grade_needs_keep_their_submitted_outputs_marked(graded, all_notebooks):
    release_nb, _ = all_notebooks[NOTEBOOK3]
    autograded = graded.autograded("solution", NOTEBOOK3)
    kept = [c for c in autograded.cells if c.cell_type == "code" and c.outputs and c.outputs[0].get("text") == NOT_RERUN]
    assert any(c.source.startswith("rules = ") for c in kept)  # comparing four update rules: no point depends on it
    submitted = nbformat.read(graded.course / "submitted" / "solution" / ASSIGNMENT / NOTEBOOK3, as_version=4)
    for cell in kept:
        original = next(c for c in submitted.cells if c.get("id") == cell.get("id"))
        assert cell.outputs[1:] == original.outputs
    needed = needed_cells(autograded, release_nb)
    graded_cells = [i for i, c in enumerate(autograded.cells)
                    if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert set(graded_cells) <= needed


def test_undecidable_cells_run_with_every_cell_above_them(all_notebooks):
    release_nb, source_nb = all_notebooks[NOTEBOOK]
    nb = nbformat.from_dict(source_nb)
    assert len(needed_cells(nb, release_nb)) < len([c for c in nb.cells if c.cell_type == "code"])
    for dynamic in ("exec('x = 1')", "globals()['x'] = 1", "from numpy import *", "%run other.py", "vars()"):
        assert not cell_names(dynamic).decidable, dynamic
    nb.cells.append(nbformat.v4.new_code_cell("print(eval('rel_error'))"))
    assert needed_cells(nb, release_nb) == {i for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    assert cell_names('from assignments.probe import probe\nprobe("relu_forward", globals())').kit_call


LEAVE_TRACES = """
import os, subprocess, sys, numpy
open("trace-in-workdir.txt", "w").write("A")
open("/tmp/trace-in-tmp.txt", "w").write("A")
open("/dev/shm/trace-in-shm.txt", "w").write("A")
os.environ["TRACE_OF_A"] = "A"
numpy.trace_of_a = "A"
sys.modules["trace_of_a"] = numpy
subprocess.Popen(["sleep", "600", "trace-of-a"])
print("A LEFT TRACES as", os.getuid())
"""

LOOK_FOR_TRACES = """
import os, sys, numpy
def processes_of_a():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            found += [pid] if b"trace-of-a" in open(f"/proc/{pid}/cmdline", "rb").read() else []
        except OSError:
            pass
    return found
seen = [name for name, there in [
    ("workdir file", os.path.exists("trace-in-workdir.txt")), ("tmp file", os.path.exists("/tmp/trace-in-tmp.txt")),
    ("shm file", os.path.exists("/dev/shm/trace-in-shm.txt")), ("env", "TRACE_OF_A" in os.environ),
    ("module attribute", hasattr(numpy, "trace_of_a")), ("module", "trace_of_a" in sys.modules),
    ("process", bool(processes_of_a()))] if there]
print("B SAW", seen, "as", os.getuid())
"""


def test_students_graded_one_after_the_other_see_nothing_of_each_other(course, notebooks, tmp_path):
    """Same grading process (workers=1), warm kernels: B's kernel was started while A's notebook ran."""
    release_nb, source_nb = notebooks
    scratch = copy_course(course, tmp_path)
    submit(scratch, "a_leaves_traces", ASSIGNMENT, {NOTEBOOK: append_to(solved(release_nb, source_nb), "rel_error",
                                                                         LEAVE_TRACES)})
    submit(scratch, "b_looks", ASSIGNMENT, {NOTEBOOK: append_to(solved(release_nb, source_nb), "rel_error",
                                                                LOOK_FOR_TRACES)})
    outcomes = grade(scratch, ASSIGNMENT, ["a_leaves_traces", "b_looks"], TIMEOUT, show_progress=False, workers=1)
    assert outcomes == {"a_leaves_traces": "", "b_looks": ""}

    def printed(student):
        nb = nbformat.read(scratch / "autograded" / student / ASSIGNMENT / NOTEBOOK, as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "rel_error")
        return "".join(o.get("text", "") for o in cell.outputs)
    assert "A LEFT TRACES" in printed("a_leaves_traces")
    assert "B SAW []" in printed("b_looks")
    if running_as_root():  # kernels of one grading process run as uids of their own: limits are not shared
        assert printed("a_leaves_traces").split()[-1] != printed("b_looks").split()[-1]
    assert "TRACE_OF_A" not in os.environ
    if running_as_root():  # nothing of either kernel, nor a kernel started ahead, is left running
        assert [pid for uid in sandbox_uids() for pid in kernel_processes(uid)] == []
