"""Notebooks saved under another name: `01_layers (1).ipynb` graded as `01_layers.ipynb`, and said so.

A student who downloads and uploads a notebook again often submits `01_layers (1).ipynb` or
`01_layers-Copy1.ipynb`. When a released notebook is missing from a submission and exactly one submitted
notebook of another name carries its graded cells (known by grade_id, which a copy keeps), that notebook
is moved to the released name before grading, and a record beside it (`01_layers.ipynb.renamed`: the
name it came under and the hash of its content; nbgrader ignores the suffix) lets every later step say
so: each verdict of the notebook, the export, a regrade. Two candidates for one notebook are left as
they are, and the export's "was not submitted (found ...)" names them.
"""
import hashlib
import json
from pathlib import Path

SUFFIX = ".renamed"


def graded_ids(path):
    """grade_ids of the graded cells of a notebook file (an empty set when it is no readable notebook)."""
    try:
        cells = json.loads(Path(path).read_text())["cells"]
        return {c["metadata"]["nbgrader"]["grade_id"] for c in cells
                if isinstance(c.get("metadata", {}).get("nbgrader"), dict) and c["metadata"]["nbgrader"].get("grade")
                and c["metadata"]["nbgrader"].get("grade_id")}
    except Exception:
        return set()


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def restore_renamed(folder, source_folder):
    """Move each submitted notebook that is the only one carrying a missing released notebook's graded cells
    to the released name, recording where it came from -> {released stem: submitted file name}."""
    folder = Path(folder)
    released = {path.stem: graded_ids(path) for path in sorted(Path(source_folder).glob("*.ipynb"))}
    strangers = {path: graded_ids(path) for path in sorted(folder.glob("*.ipynb")) if path.stem not in released}
    candidates = {stem: [] for stem in released if not (folder / f"{stem}.ipynb").exists()}
    for path, ids in strangers.items():
        overlaps = {stem: len(ids & released[stem]) for stem in candidates}
        best = max(overlaps, key=overlaps.get, default=None)
        if best is not None and overlaps[best]:
            candidates[best].append(path)
    moved = {}
    for stem, paths in candidates.items():
        if len(paths) != 1:
            continue
        target = folder / f"{stem}.ipynb"
        paths[0].rename(target)
        Path(f"{target}{SUFFIX}").write_text(json.dumps({"from": paths[0].name, "sha256": digest(target)}))
        moved[stem] = paths[0].name
    return moved


def renamed_from(folder, stem):
    """The name the notebook `stem` was submitted under when the grader renamed it (and it has not changed
    since), else ""."""
    notebook = Path(folder) / f"{stem}.ipynb"
    record = Path(f"{notebook}{SUFFIX}")
    try:
        found = json.loads(record.read_text())
        return found["from"] if notebook.is_file() and found["sha256"] == digest(notebook) else ""
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def renamed_note(original, stem):
    return f"submitted as {original}, graded as {stem}.ipynb"
