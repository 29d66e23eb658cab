"""`backprop-lab similarity`: read, fingerprint, compare, report, each phase timed under a progress bar."""
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..course.folder import CourseError, submitted_students  # the only imports from the rest of autograder
from ..course.settings import ASSIGNMENT
from .compare import FULL_MATCH, MIN_EVIDENCE, MIN_MATCHED, object_evidence, rank
from .fingerprints import boilerplate_hashes, hash_arrays, matched_slices
from .known import known_pieces
from .objects import graded_objects, joined, release_code, student_code
from .report import Side, write_csv, write_html


@dataclass
class Outcome:
    html: Path
    csv: Path
    pairs: list                                   # [compare.Pair], most evidence first
    problems: dict = field(default_factory=dict)  # {student or known file: [problem]}
    seconds: dict = field(default_factory=dict)   # {phase: seconds}


@dataclass
class Class:
    """What is compared: each student's code per object, and the pieces of the known files."""
    students: list   # student ids, sorted
    code: dict       # {student: {object name: [cell source]}}
    pieces: list     # [known.KnownPiece]
    problems: dict   # {student or known file: [problem]}

    @cached_property
    def sources(self):
        """The known files, sorted."""
        return sorted({p.source for p in self.pieces})

    @cached_property
    def lookup(self):
        return {(p.source, p.name): i for i, p in enumerate(self.pieces)}  # a name defined twice: the last one

    def known_index(self, source, name):
        """The piece of a known file compared with object `name`: its definition of that name, else the whole
        file."""
        return self.lookup.get((source, name), self.lookup[(source, None)])

    def note_failures(self, hashes, objects):
        """hashes in the order of the pieces (every object's students, then the known pieces) with None for
        code that could not be fingerprinted: each None becomes a problem and an empty array."""
        owners = [(s, o.name) for o in objects for s in self.students] + [(p.source, p.name) for p in self.pieces]
        for (owner, name), found in zip(owners, hashes):
            if found is None:
                self.problems.setdefault(owner, []).append(f"{name or 'the whole file'}: could not be tokenized")
        return [np.array([], np.int64) if found is None else found for found in hashes]

    def piece(self, student, obj):
        """(the student's code for obj, the spans in it that are the release's own lines)."""
        return joined(self.code[student].get(obj.name, []), obj.given)


class Phases:
    """One progress bar and one timing per phase."""

    def __init__(self, progress):
        self.progress, self.seconds = progress, {}

    @contextmanager
    def __call__(self, name, total):
        task = self.progress.add_task(name, total=total)
        start = time.perf_counter()
        yield lambda n=1: self.progress.advance(task, n)
        self.seconds[name] = time.perf_counter() - start


def similarity(course_root, assignment=ASSIGNMENT, against=(), show_progress=True, workers=None,
               min_evidence=MIN_EVIDENCE):
    """Compare every pair of students, and every student with the known solutions in `against`, per graded
    object; write exports/<assignment>/similarity.html and .csv -> Outcome. Reads only; grades stay as they are."""
    course_root = Path(course_root)
    objects = graded_objects(course_root, assignment)
    if not objects:
        raise CourseError(f"no solution cells in {course_root / 'source' / assignment}: nothing to compare")
    if not list((course_root / "release" / assignment).glob("*.ipynb")):
        raise CourseError("no release notebooks: run `backprop-lab release` first (the release's own code is what "
                          "never counts as a match)")
    missing = [str(folder) for folder in against if not Path(folder).is_dir()]
    if missing:
        raise CourseError(f"--against: no such folder: {', '.join(missing)}")
    students = submitted_students(course_root, assignment)
    columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=not show_progress) as progress:
        phase = Phases(progress)
        with phase("reading", len(students)) as advance:
            group = read_class(course_root, assignment, students, objects, against, advance)
        boilerplate = boilerplate_hashes(release_code(course_root, assignment))
        pieces = [group.piece(s, o) for o in objects for s in students] + [(p.code, ()) for p in group.pieces]
        with phase("fingerprinting", len(pieces)) as advance:
            hashes = hash_arrays(pieces, boilerplate, workers, advance)
        hashes = group.note_failures(hashes, objects)
        with phase("comparing", len(objects)) as advance:
            pairs = compare_all(group, objects, hashes, min_evidence, advance)
        with phase("report", 1) as advance:
            out = course_root / "exports" / assignment
            out.mkdir(parents=True, exist_ok=True)
            write_html(out / "similarity.html", f"Similarity report: {assignment}",
                       summary(group, objects, min_evidence), pairs, lambda pair: details(group, objects, pair,
                                                                                         boilerplate))
            write_csv(out / "similarity.csv", pairs)
            advance()
    return Outcome(out / "similarity.html", out / "similarity.csv", pairs, group.problems, phase.seconds)


def read_class(course_root, assignment, students, objects, against, advance):
    code, problems = {}, {}
    for student in students:
        code[student], trouble = student_code(course_root / "submitted" / student / assignment, objects)
        if trouble:
            problems[student] = trouble
        advance()
    pieces, trouble = known_pieces(against)
    for label, problem in trouble:
        problems.setdefault(label, []).append(problem)
    return Class(students, code, pieces, problems)


def compare_all(group, objects, hashes, min_evidence, advance):
    """hashes: the fingerprints of every (object, student) in that order, then of every known piece."""
    size = len(group.students)
    known = hashes[len(objects) * size:]
    per_object = {}
    for index, obj in enumerate(objects):
        chosen = [known[group.known_index(source, obj.name)] for source in group.sources]
        per_object[obj.name] = object_evidence(hashes[index * size:(index + 1) * size], chosen)
        advance()
    return rank(per_object, group.students, group.sources, min_evidence)


def details(group, objects, pair, boilerplate):
    """What the report shows of one pair: per matching object, both sides' code and where they match."""
    by_name = {obj.name: obj for obj in objects}
    found = []
    for match in pair.objects:
        obj = by_name[match.name]
        mine = Side(pair.a, group.piece(pair.a, obj))
        whole_file = False
        if pair.known:
            piece = group.pieces[group.known_index(pair.b, match.name)]
            whole_file = piece.name is None
            theirs = Side(pair.b + ("" if whole_file else f": {piece.name}"), (piece.code, ()))
        else:
            theirs = Side(pair.b, group.piece(pair.b, obj))
        slices, _ = matched_slices(mine.code, theirs.code, boilerplate)
        found.append((match, mine, theirs, slices, whole_file))
    return found


def summary(group, objects, min_evidence):
    return (f"{len(group.students)} students, {len(objects)} graded objects, {len(group.sources)} known source "
            f"files. A pair's evidence is the sum over objects of the share of each side's code that matches, "
            f"weighted by how rare the matching fingerprints are in the class (code most of the class shares "
            f"weighs nothing; an object counts from {MIN_MATCHED} weighted fingerprints, in full from {FULL_MATCH}). "
            f"Pairs from evidence "
            f"{min_evidence} are listed. The release's own code never counts. A match is a reason to look, not a "
            f"verdict; grades are unchanged.")
