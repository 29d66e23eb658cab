"""Wall time of `backprop-lab grade` (parallel workers, and one worker) against stock `nbgrader autograde`
on copies of the same class.

The three runs alternate (ours, stock, ours with one worker), so that a shared machine's load weighs on
each alike; the load average before and after is printed. Also times Run All of each solution notebook, and
prints where one solved student's grading time goes (grading_breakdown.py).
Prints measured numbers and ratios; asserts nothing.
Usage: python benchmarks/grading_vs_stock.py [--students N]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.commands.demo import fresh_course
from autograder.hidden.mistakes import all_mistakes
from autograder.commands.release import release
from autograder.commands.simulate import notebook_pairs, plant_mistake, solved, submit
from grading_breakdown import print_breakdown  # this script's folder is on sys.path when it runs

ASSIGNMENT = "fcnet"
BIN = Path(sys.executable).parent
STOCK_CONFIG = "c = get_config()\nc.CourseDirectory.course_id = 'backprop-lab'\n"


def simulate(course, count):
    """Every other student solves everything; the rest make one known mistake each."""
    pairs = notebook_pairs(course, ASSIGNMENT)
    mistakes = all_mistakes()
    for index in range(count):
        files = {name: solved(*pair) for name, pair in pairs.items()}
        if index % 2:
            mistake = mistakes[index % len(mistakes)]
            for nb in files.values():
                if all(name in cell_ids(nb) for name in mistake.sources()):
                    plant_mistake(nb, mistake)
        submit(course, f"student{index:03d}", ASSIGNMENT, files)


def cell_ids(nb):
    return {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells}


def timed(command, cwd):
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def run_all_seconds(course):
    """{notebook: seconds} to run each solution notebook top to bottom, kernel start included."""
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(course / "source" / ASSIGNMENT, folder, dirs_exist_ok=True)
    shutil.copytree(course / "release" / ASSIGNMENT / "assignments", folder / "assignments")  # the released kit
    seconds = {}
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute(
            stderr=subprocess.DEVNULL)
        seconds[path.name] = time.perf_counter() - start
    shutil.rmtree(folder)
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    ours, sequential, stock = work / "ours", work / "sequential", work / "stock"
    fresh_course(ours)
    release(ours, ASSIGNMENT)
    simulate(ours, args.students)
    shutil.copytree(ours, sequential)
    shutil.copytree(ours, stock)
    (stock / "nbgrader_config.py").write_text(STOCK_CONFIG)

    load_before = os.getloadavg()[0]
    ours_seconds = timed([str(BIN / "backprop-lab"), "grade", ASSIGNMENT, "--course", str(ours)], ours)
    stock_seconds = timed([str(BIN / "nbgrader"), "autograde", ASSIGNMENT], stock)
    sequential_seconds = timed([str(BIN / "backprop-lab"), "grade", ASSIGNMENT, "--course", str(sequential),
                                "--workers", "1"], sequential)
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"students graded:            {args.students}")
    print(f"backprop-lab grade:         {ours_seconds:6.1f} s  ({ours_seconds / args.students:.2f} s per student)")
    print(f"backprop-lab, one worker:   {sequential_seconds:6.1f} s  ({sequential_seconds / args.students:.2f} s per "
          "student)")
    print(f"stock nbgrader autograde:   {stock_seconds:6.1f} s  ({stock_seconds / args.students:.2f} s per student)")
    print(f"ratio ours / stock:         {ours_seconds / stock_seconds:6.2f}  (one worker: "
          f"{sequential_seconds / stock_seconds:.2f})")
    for name, seconds in run_all_seconds(ours).items():
        print(f"Run All {name}: {seconds:6.2f} s (solution notebook, kernel start included)")
    shutil.rmtree(work)
    print("\nwhere one student's grading time goes (benchmarks/grading_breakdown.py):")
    print_breakdown()


if __name__ == "__main__":
    main()
