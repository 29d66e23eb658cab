"""Wall time of `backprop-lab grade` against stock `nbgrader autograde` on copies of the same class.

Also times Run All of the solution notebook. Prints measured numbers and ratios; asserts nothing.
Usage: python benchmarks/grading_vs_stock.py [--students N]
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.demo import fresh_course
from autograder.mistakes.layers import MISTAKES
from autograder.release import release
from autograder.simulate import plant_mistake, solved, submit

ASSIGNMENT, NOTEBOOK = "fcnet", "01_layers.ipynb"
BIN = Path(sys.executable).parent
STOCK_CONFIG = "c = get_config()\nc.CourseDirectory.course_id = 'backprop-lab'\n"


def simulate(course, count):
    release_nb = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    source_nb = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    for index in range(count):
        nb = solved(release_nb, source_nb)
        if index % 2:
            plant_mistake(nb, MISTAKES[index % len(MISTAKES)])
        submit(course, f"student{index:03d}", ASSIGNMENT, {NOTEBOOK: nb})


def timed(command, cwd):
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def run_all_seconds(course):
    folder = Path(tempfile.mkdtemp())
    shutil.copy(course / "source" / ASSIGNMENT / NOTEBOOK, folder)
    shutil.copytree(course / "assignments", folder / "assignments")
    nb = nbformat.read(folder / NOTEBOOK, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    ours, stock = work / "ours", work / "stock"
    fresh_course(ours)
    release(ours, ASSIGNMENT)
    simulate(ours, args.students)
    shutil.copytree(ours, stock)
    (stock / "nbgrader_config.py").write_text(STOCK_CONFIG)

    ours_seconds = timed([str(BIN / "backprop-lab"), "grade", ASSIGNMENT, "--course", str(ours)], ours)
    stock_seconds = timed([str(BIN / "nbgrader"), "autograde", ASSIGNMENT], stock)
    print(f"students graded:            {args.students}")
    print(f"backprop-lab grade:         {ours_seconds:6.1f} s  ({ours_seconds / args.students:.2f} s per student)")
    print(f"stock nbgrader autograde:   {stock_seconds:6.1f} s  ({stock_seconds / args.students:.2f} s per student)")
    print(f"ratio ours / stock:         {ours_seconds / stock_seconds:6.2f}")
    print(f"solution notebook Run All:  {run_all_seconds(ours):6.2f} s (kernel start included)")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
