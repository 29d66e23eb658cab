"""Cells pasted twice: graded as if pasted once.

Jupyter's copy/paste duplicates a cell together with its nbgrader metadata. nbgrader's own DeduplicateIds
empties the copy's metadata, which then crashes `OverwriteCells.add_missing_cells` (KeyError: 'grade_id')
and zeroes the whole notebook. This sanitize step replaces it: of each set of cells sharing a grade_id the
last one stays the graded cell (nbgrader's choice too: it runs after any earlier copy); an earlier copy of a
solution cell is the student's own code (or text) and stays as an ordinary cell; an earlier copy of a test
or read-only cell is dropped. What happened is recorded in the notebook's metadata for the verdicts.
"""
from nbgrader.preprocessors import NbGraderPreprocessor

from .verdicts import METADATA_KEY


def nbgrader_id(cell):
    """The grade_id of an nbgrader cell (solution, test or read-only), else None."""
    info = cell.metadata.get("nbgrader")
    if not isinstance(info, dict) or not (info.get("grade") or info.get("solution") or info.get("locked")):
        return None
    return info.get("grade_id")


class ForgetDuplicateCells(NbGraderPreprocessor):
    """Keep the last cell of each grade_id; earlier solution copies become ordinary cells, other copies go."""

    def preprocess(self, nb, resources):
        seen, duplicates, kept = set(), {}, []
        for cell in reversed(nb.cells):
            if not isinstance(cell.metadata.get("nbgrader", {}).get("grade_id", ""), str):
                del cell.metadata["nbgrader"]  # nbgrader metadata without a usable grade_id crashes nbgrader
            grade_id = nbgrader_id(cell)
            if grade_id is None or grade_id not in seen:
                seen.add(grade_id)
                kept.append(cell)
            elif cell.metadata["nbgrader"].get("solution"):
                del cell.metadata["nbgrader"]
                kept.append(cell)
                duplicates[grade_id] = "solution"
            else:
                duplicates[grade_id] = "test"
        nb.cells = kept[::-1]
        nb.metadata.setdefault(METADATA_KEY, {})["duplicates"] = duplicates  # set by us, whatever was there
        return nb, resources


def duplicate_note(grade_id, name, duplicates):
    """What a verdict says about pasted copies of the cell `grade_id` (object `name`), or ""."""
    notes = []
    if duplicates.get(grade_id) == "test":
        notes.append("this test cell was pasted more than once: the copies were ignored")
    if duplicates.get(name) == "solution":
        notes.append(f"the `{name}` cell was pasted more than once: the earlier copies ran as ordinary code")
    return "; ".join(notes)
