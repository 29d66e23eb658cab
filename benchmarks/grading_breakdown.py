"""Where one student's grading time goes, per notebook: kernel start (sandbox, Python, ipykernel), the
setup cell (imports, the notebook-1 loader), the student's definitions, given experiment cells, the
self-checks and hidden probes (own and stand-in runs, in the kernel), judging in the grader's process,
kernel stop, and nbgrader's own steps (sanitizing, gradebook, conversion, writing), for the fast path
(`backprop-lab grade`) and with every cell run (`--run-all`).

Grades a fully solved student in this process (one worker, sandboxed) and prints seconds of wall time.
Usage: python benchmarks/grading_breakdown.py [--repeat N]
"""
import argparse
import shutil
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from autograder.commands.demo import fresh_course
from autograder.commands.release import release
from autograder.commands.simulate import notebook_pairs, solved, submit
from autograder.course.settings import nbgrader_api
from autograder.isolation.kernel_pool import POOL, KernelPool
from autograder.judging import preprocessors
from autograder.judging.needed_cells import is_graded, is_solution

ASSIGNMENT = "fcnet"
PARTS = ("kernel start", "setup cell", "student's definitions", "experiment cells", "self-checks",
         "hidden probes", "kernel stop", "judging (grader)", "nbgrader's own steps")
TIMES = defaultdict(lambda: defaultdict(float))  # notebook -> part -> seconds
CELLS = defaultdict(float)  # (where, grade_id) -> seconds, where: "kernel" or "grader"
CURRENT = {"notebook": None}


@contextmanager
def timing(part):
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMES[CURRENT["notebook"]][part] += time.perf_counter() - start


def wrap(cls, name, part_of, where=None):
    """Time cls.name under the part part_of(self, *args) names (and, with where, per graded cell)."""
    original = getattr(cls, name)

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        with timing(part_of(self, *args)):
            result = original(self, *args, **kwargs)
        grade_id = args[0].metadata.get("nbgrader", {}).get("grade_id") if where else None
        if grade_id:
            CELLS[where, grade_id] += time.perf_counter() - start
        return result
    setattr(cls, name, timed)


def cell_part(executor, cell, index, *rest):
    if index < next((i for i, c in enumerate(executor.nb.cells) if is_solution(c)), len(executor.nb.cells)):
        return "setup cell"
    if is_solution(cell):
        return "student's definitions"
    if is_graded(cell):
        return "self-checks" if cell.metadata["nbgrader"]["grade_id"].startswith("check_") else "hidden probes"
    return "experiment cells"


def instrument():
    execute, judge = preprocessors.SandboxedExecute, preprocessors.JudgeOutputs
    original = execute.preprocess

    def preprocess(self, nb, resources=None, km=None):
        CURRENT["notebook"] = resources["nbgrader"]["notebook"]
        return original(self, nb, resources, km)
    execute.preprocess = preprocess
    wrap(execute, "run_cell", cell_part, "kernel")
    wrap(KernelPool, "take", lambda self, *a: "kernel start")  # a kernel started ahead, answering
    wrap(execute, "_cleanup_kernel", lambda self, *a: "kernel stop")
    wrap(KernelPool, "finish", lambda self, *a: "kernel stop")  # and the student's next kernel forked
    wrap(judge, "preprocess", lambda self, *a: "judging (grader)")
    original_judge = judge.judge_cell

    def judge_cell(self, cell, record):
        start = time.perf_counter()
        try:
            return original_judge(self, cell, record)
        finally:
            CELLS["grader", cell.metadata["nbgrader"]["grade_id"]] += time.perf_counter() - start
    judge.judge_cell = judge_cell


def grade_student(course, run_all):
    """Seconds of api.autograde for the student; TIMES holds its parts."""
    TIMES.clear()
    CELLS.clear()
    api = nbgrader_api(course, run_all=run_all)
    start = time.perf_counter()
    result = api.autograde(ASSIGNMENT, "solved", force=True, create=True)
    total = time.perf_counter() - start
    assert result["success"], result.get("error")
    return total


def table(total):
    measured = sum(sum(parts.values()) for parts in TIMES.values())
    notebooks = sorted(n for n in TIMES if n)
    rows = {part: [TIMES[n][part] for n in notebooks] for part in PARTS}
    rows["nbgrader's own steps"] = [0.0] * (len(notebooks) - 1) + [total - measured]
    print(f"{'':24s}" + "".join(f"{n[:16]:>18s}" for n in notebooks) + f"{'all':>10s}")
    for part in PARTS:
        print(f"{part:24s}" + "".join(f"{s:18.2f}" for s in rows[part]) + f"{sum(rows[part]):10.2f}")
    print(f"{'total':24s}" + " " * 18 * len(notebooks) + f"{total:10.2f}")
    print("(nbgrader's own steps: the student's whole autograde minus the parts above, shown in the last column)")
    slowest = sorted(CELLS.items(), key=lambda item: -item[1])[:8]
    print("slowest cells: " + ", ".join(f"{grade_id} in the {where} {seconds:.2f} s"
                                        for (where, grade_id), seconds in slowest))


def print_breakdown(repeat=1):
    """Grade one solved student `repeat` times each way, in a scratch course, and print the tables."""
    work = Path(tempfile.mkdtemp(prefix="backprop-breakdown-"))
    fresh_course(work)
    release(work, ASSIGNMENT)
    submit(work, "solved", ASSIGNMENT, {name: solved(*pair) for name, pair in notebook_pairs(work, ASSIGNMENT).items()})
    instrument()
    POOL.start_ahead()  # as `backprop-lab grade` does: each next kernel is forked while a notebook is recorded
    for _ in range(repeat):  # interleaved, so both ways see the same machine load
        for run_all in (True, False):
            total = grade_student(work, run_all)
            print(f"\n{'every cell run (--run-all)' if run_all else 'fast path (backprop-lab grade)'}: "
                  f"{total:.2f} s for one solved student")
            table(total)
    POOL.close()
    shutil.rmtree(work)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1, help="grade the student this many times each way")
    print_breakdown(parser.parse_args().repeat)


if __name__ == "__main__":
    main()
