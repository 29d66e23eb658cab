"""`backprop-lab similarity`: read, fingerprint, compare, report, with a progress bar."""
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..course import CourseError, submitted_students  # the only imports from the rest of autograder
from ..settings import ASSIGNMENT
from .compare import MIN_EVIDENCE, MIN_MATCHED, object_evidence, rank
from .fingerprints import boilerplate_hashes, hash_arrays, matched_slices
from .known import known_pieces
from .objects import given_spans, graded_objects, release_code, student_code
from .report import Side, write_csv, write_html


@dataclass
class Outcome:
    html: Path
    csv: Path
    pairs: list                                   # [compare.Pair], most evidence first
    problems: dict = field(default_factory=dict)  # {student or known file: [problem]}
    seconds: dict = field(default_factory=dict)   # {phase: seconds}


def similarity(course_root, assignment=ASSIGNMENT, against=(), show_progress=True, workers=None,
               min_evidence=MIN_EVIDENCE):
    """Compare every pair of students, and every student with the known solutions in `against`, per graded
    object; write exports/<assignment>/similarity.html and .csv -> Outcome. Reads only; grades stay as they are."""
    course_root = Path(course_root)
    objects = graded_objects(course_root, assignment)
    if not objects:
        raise CourseError(f"no solution cells in {course_root / 'source' / assignment}: nothing to compare")
    missing = [str(folder) for folder in against if not Path(folder).is_dir()]
    if missing:
        raise CourseError(f"--against: no such folder: {', '.join(missing)}")
    students = submitted_students(course_root, assignment)
    seconds, problems = {}, {}
    columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=not show_progress) as progress:
        start = time.perf_counter()
        task = progress.add_task("reading", total=len(students))
        code = {}
        for student in students:
            code[student], trouble = student_code(course_root / "submitted" / student / assignment, objects)
            if trouble:
                problems[student] = trouble
            progress.advance(task)
        pieces, trouble = known_pieces(against)
        for line in trouble:
            problems.setdefault(line.split(":")[0], []).append(line)
        seconds["reading"] = time.perf_counter() - start

        start = time.perf_counter()
        boilerplate = boilerplate_hashes(release_code(course_root, assignment))
        texts = [piece_of(code[s], o) for o in objects for s in students] + [(p.code, ()) for p in pieces]
        task = progress.add_task("fingerprinting", total=len(texts))
        hashes = hash_arrays(texts, boilerplate, workers, lambda n: progress.advance(task, n))
        seconds["fingerprinting"] = time.perf_counter() - start

        start = time.perf_counter()
        sources = sorted({p.source for p in pieces})
        lookup = {(p.source, p.name): i for i, p in enumerate(pieces)}  # a name defined twice: the last one
        known_hashes = hashes[len(objects) * len(students):]
        task = progress.add_task("comparing", total=len(objects))
        per_object = {}
        for index, obj in enumerate(objects):
            rows = hashes[index * len(students):(index + 1) * len(students)]
            chosen = [known_piece(lookup, source, obj.name) for source in sources]
            per_object[obj.name] = object_evidence(rows, [known_hashes[i] for i in chosen])
            progress.advance(task)
        pairs = rank(per_object, students, sources, min_evidence)
        seconds["comparing"] = time.perf_counter() - start

        start = time.perf_counter()
        task = progress.add_task("report", total=1)
        out = course_root / "exports" / assignment
        out.mkdir(parents=True, exist_ok=True)

        by_name = {obj.name: obj for obj in objects}

        def details(pair):
            found = []
            for match in pair.objects:
                obj = by_name[match.name]
                mine = Side(pair.a, piece_of(code[pair.a], obj))
                if pair.known:
                    piece = pieces[known_piece(lookup, pair.b, match.name)]
                    theirs = Side(pair.b + ("" if piece.name is None else f": {piece.name}"), (piece.code, ()))
                else:
                    theirs = Side(pair.b, piece_of(code[pair.b], obj))
                slices, _ = matched_slices(mine.code, theirs.code, boilerplate)
                found.append((match, mine, theirs, slices, pair.known and piece.name is None))
            return found

        summary = (f"{len(students)} students, {len(objects)} graded objects, {len(sources)} known source files. "
                   f"Evidence of a pair = the sum over objects of the share of each side's code that matches, "
                   f"weighted by how rare the matching fingerprints are in the class (code most of the class "
                   f"shares weighs nothing; an object counts from {MIN_MATCHED} weighted fingerprints). "
                   f"Pairs from {min_evidence} are listed. The release's own code never counts. "
                   f"A match is a reason to look, not a verdict; grades are unchanged.")
        html_path, csv_path = out / "similarity.html", out / "similarity.csv"
        write_html(html_path, f"Similarity report: {assignment}", summary, pairs, details)
        write_csv(csv_path, pairs)
        progress.advance(task)
        seconds["report"] = time.perf_counter() - start
    return Outcome(html_path, csv_path, pairs, problems, seconds)


def piece_of(code, obj):
    """(a student's code for obj, the spans in it that are the release's own lines)."""
    text = code.get(obj.name, "")
    return text, given_spans(text, obj.given)


def known_piece(lookup, source, name):
    """The index of the piece of a known file compared with object `name`: its definition of that name, else
    the whole file. lookup = {(source, name or None): piece index}."""
    return lookup.get((source, name), lookup[(source, None)])
