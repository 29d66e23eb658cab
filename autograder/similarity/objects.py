"""Graded objects and each student's code for them, read straight from the notebooks.

A graded object is a code solution cell of a source notebook, named by its nbgrader grade_id. What the
release ships in that cell (signature, docstring, given lines) is boilerplate: given_spans finds those lines
in the student's cell, and no fingerprint touching them counts or shows as a match.
"""
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat


@dataclass(frozen=True)
class GradedObject:
    name: str      # the nbgrader grade_id, e.g. "affine_backward"
    notebook: str  # file name, e.g. "01_layers.ipynb"
    given: str     # the release's content of the cell ("" if the release has no such cell)


def grade_id(cell):
    info = cell.get("metadata", {}).get("nbgrader")
    return info.get("grade_id") if isinstance(info, dict) and isinstance(info.get("grade_id"), str) else None


def graded_objects(course_root, assignment):
    """[GradedObject] of every code solution cell of source/<assignment>/*.ipynb, in notebook order."""
    found = []
    for path in sorted((Path(course_root) / "source" / assignment).glob("*.ipynb")):
        released = Path(course_root) / "release" / assignment / path.name
        given = ({grade_id(c): c.source for c in nbformat.read(released, as_version=4).cells if grade_id(c)}
                 if released.is_file() else {})
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution") and grade_id(cell):
                found.append(GradedObject(grade_id(cell), path.name, given.get(grade_id(cell), "")))
    return found


def release_code(course_root, assignment):
    """Every code cell the release ships (the stubs of the graded objects included), as one list of sources:
    the boilerplate that matches between students for free."""
    cells = []
    for path in sorted((Path(course_root) / "release" / assignment).glob("*.ipynb")):
        cells += [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    return cells


def given_spans(code, given):
    """((start, end), ...) character spans of `code` holding lines of the release's cell `given`, matched in
    order as a diff would (a line the student edited is theirs)."""
    mine = code.splitlines(keepends=True)
    starts = [0]
    for line in mine:
        starts.append(starts[-1] + len(line))
    theirs = [line.rstrip("\r\n") for line in given.splitlines()]
    matcher = difflib.SequenceMatcher(None, [line.rstrip("\r\n") for line in mine], theirs, autojunk=False)
    return tuple((starts[i], starts[i + size]) for i, _, size in matcher.get_matching_blocks() if size)


def joined(sources, given):
    """A student's cells for one object (one, or more if pasted twice) -> (their code joined, the spans in it
    that are the release's own lines, found cell by cell)."""
    text, spans = "", []
    for source in sources:
        start = len(text) + (1 if text else 0)
        text = text + "\n" + source if text else source
        spans += [(start + a, start + b) for a, b in given_spans(source, given)]
    return text, tuple(spans)


def code_cells(path):
    """[(grade_id or None, source)] of a notebook file's code cells, read as plain JSON: no schema validation
    (thousands of notebooks), and a notebook nbformat would reject still gives its code."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return [(grade_id(c), "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for c in cells if c.get("cell_type") == "code"]


def student_code(folder, objects):
    """A student's code per object from submitted/<student>/<assignment>/ -> ({object name: [cell source]},
    [problem]). A cell pasted twice counts with both copies; a missing or unreadable notebook is a problem,
    not a crash."""
    code, problems = {}, []
    wanted = {}
    for obj in objects:
        wanted.setdefault(obj.notebook, set()).add(obj.name)
    for notebook, names in wanted.items():
        path = Path(folder) / notebook
        if path.is_symlink():
            problems.append(f"{notebook}: a link, not a file; not read")
            continue
        if not path.is_file():
            continue
        try:
            pieces = [(name, source) for name, source in code_cells(path) if name in names]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            problems.append(f"{notebook}: unreadable ({type(error).__name__})")
            continue
        for name, source in pieces:
            code.setdefault(name, []).append(source)
    return code, problems
