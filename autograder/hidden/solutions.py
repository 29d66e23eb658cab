"""The instructor's solution code, read from the course's source notebooks (markers removed).

The grader is a package and a course is a folder: whoever grades or releases a course names it
(`use_course`), and every solution cell the reference or the known mistakes need is then read from
that course's `source/<assignment>/*.ipynb`. Until one is named (tests, benchmarks), the source
notebooks packaged with the grader are used.
"""
from functools import lru_cache
from pathlib import Path

import nbformat

PACKAGE = Path(__file__).resolve().parent
_course = {"source": None}


class NoSolution(Exception):
    """The course's source notebooks lack a solution cell the grader needs."""


def packaged_source():
    """The source notebooks packaged with the grader: in a wheel, autograder/hidden/course_source/; in a
    checkout (an editable install), the repository's source/."""
    for folder in (PACKAGE / "course_source", PACKAGE.parents[1] / "source"):
        if any(folder.glob("*/*.ipynb")):
            return folder
    raise NoSolution("this installation of backprop-lab carries no source notebooks")


def use_course(course_root):
    """Read solution cells from `course_root/source` from now on (in this process)."""
    _course["source"] = Path(course_root).resolve() / "source"


def source_folder():
    return _course["source"] or packaged_source()


def strip_solution_markers(source):
    return "\n".join(line for line in source.splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


@lru_cache(maxsize=None)
def solutions_in(source):
    """{grade_id: solution source} for every solution cell of every notebook under the folder `source`."""
    found = {}
    for path in sorted(Path(source).glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            nbgrader = cell.metadata.get("nbgrader", {})
            if nbgrader.get("solution"):
                found[nbgrader["grade_id"]] = strip_solution_markers(cell.source)
    return found


def solution_source(grade_id):
    """The solution cell `grade_id` of the course in use."""
    found = solutions_in(source_folder())
    if grade_id not in found:
        raise NoSolution(f"the source notebooks in {source_folder()} have no solution cell `{grade_id}`")
    return found[grade_id]
