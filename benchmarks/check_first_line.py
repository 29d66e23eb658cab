"""How soon `python -m assignments check` tells a student something, on notebook 3 (solved and untouched).

Prints the seconds to the first line, to the first self-check line and to the end, and the share of
the whole run after which the first line appeared. Asserts nothing.
Usage: python benchmarks/check_first_line.py
"""
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.commands.demo import fresh_course
from autograder.commands.release import release
from autograder.commands.simulate import notebook_pairs, solved

ASSIGNMENT = "fcnet"
NOTEBOOK3 = "03_deep_networks.ipynb"


def timed_lines(folder):
    """[(seconds since start, line)] of one `check` run on notebook 3 in folder."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "assignments", "check", NOTEBOOK3], cwd=folder,
                               stdout=subprocess.PIPE, text=True)
    lines = [(time.monotonic() - started, line.rstrip()) for line in process.stdout]
    process.wait()
    return lines


def main():
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        fresh_course(course)
        release(course, ASSIGNMENT)
        pairs = notebook_pairs(course, ASSIGNMENT)
        for state in ("untouched", "solved"):
            folder = Path(scratch) / state
            shutil.copytree(course / "release" / ASSIGNMENT, folder)
            if state == "solved":
                for name, pair in pairs.items():
                    nbformat.write(solved(*pair), folder / name)
            lines = timed_lines(folder)
            first_check = next(t for t, line in lines if line.startswith(("✔", "✘")))
            total = lines[-1][0]
            print(f"{state:9s}: first line {lines[0][0]:.2f} s, first self-check line {first_check:.2f} s, "
                  f"all done {total:.2f} s; first line after {lines[0][0] / total:.1%} of the run")


if __name__ == "__main__":
    main()
