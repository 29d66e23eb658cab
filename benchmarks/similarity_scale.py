"""How `backprop-lab similarity` scales with the class: simulated classes of 100, 300 and 1,000 students,
every graded code object of the course (29) answered by every student, plus a folder of known solutions.

Each student's answers start from the instructor's solution and are mutated for variety: local names
renamed, methods of classes reordered, one of a few honest variants per object shared by a group of the
class (the same hint from the same TA), and a few edits of the student's own. Planted on top: copies
between pairs of students (renamed, one line added) and from the known folder. Prints, per size, the time
of each phase (reading notebooks, fingerprinting, comparing, report), which dominates, whether the planted
pairs came first, and what copydetect's own all-pairs comparison (compare_files on every pair and object)
would take, extrapolated from a sample timed in the same run.

Usage: python benchmarks/similarity_scale.py [--sizes 100 300 1000] [--workers N]
"""
import argparse
import ast
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from copydetect import compare_files

from autograder.commands.demo import fresh_course
from autograder.similarity import similarity
from autograder.similarity.fingerprints import fingerprint
from autograder.similarity.objects import graded_objects, joined, student_code
from autograder.commands.simulate import notebook_pairs, plant, solved, submit

REPO = Path(__file__).resolve().parents[1]

ASSIGNMENT = "fcnet"
GROUP_VARIANTS = 6   # honest variants per object; each student takes one (about a sixth of the class shares it)
OWN_EDITS = 2        # edits of the student's own per object
COPIED_PAIRS = 5     # planted student-to-student copies
KNOWN_COPIERS = 3    # planted copies from the known folder
NAMES = ["tmp", "val", "res", "acc", "buf", "cur", "part", "piece", "term", "item"]


def assignments(code):
    """Line numbers of simple `name = ...` statements inside a function or method body."""
    return [i for i, line in enumerate(code.splitlines()) if re.match(r"^\s{4,}[A-Za-z_]\w* = ", line)]


def edit(code, rng, unique):
    """One plausible edit after a random assignment: a temporary, a sanity check or a tuned constant.
    unique=True draws numbers no other student uses (the student's own code); else from a small set."""
    lines = code.splitlines()
    spots = assignments(code)
    if not spots:
        return code
    at = rng.choice(spots)
    indent = re.match(r"^(\s*)", lines[at]).group(1)
    name = lines[at].strip().split(" = ")[0]
    number = rng.randrange(10**6) if unique else rng.randrange(4)
    extra = rng.choice([
        f"{rng.choice(NAMES)}_{number} = {name}",
        f"assert {name} is not None, {number}",
        f"if {number} < 0:\n{indent}    {name} = {name} * {number}",
        f"for _ in range({number}):\n{indent}    pass",
    ])
    lines[at + 1:at + 1] = [indent + line.strip() if not line.startswith(" ") else line
                            for line in extra.splitlines()]
    return "\n".join(lines)


def rename_locals(code, rng):
    """Rename every assigned local name (not parameters or attributes) to another plausible name."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for name in sorted(assigned):
        code = re.sub(rf"(?<![.\w]){name}\b", f"{name}_{rng.choice(NAMES)}", code)
    return code


def reorder_methods(code, rng):
    """Swap two methods of a class cell (its behaviour is the same)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    methods = [m for c in classes for m in c.body if isinstance(m, ast.FunctionDef)]
    if len(methods) < 3:
        return code
    lines = code.splitlines()
    first, second = sorted(rng.sample(methods[1:], 2), key=lambda m: m.lineno)  # __init__ stays first
    a = lines[first.lineno - 1:first.end_lineno]
    b = lines[second.lineno - 1:second.end_lineno]
    return "\n".join(lines[:first.lineno - 1] + b + lines[first.end_lineno:second.lineno - 1] + a
                     + lines[second.end_lineno:])


def answer(solution, obj_index, student_rng, group):
    group_rng = random.Random(obj_index * 1000 + group)
    code = solution
    for _ in range(2):
        code = edit(code, group_rng, unique=False)
    for _ in range(OWN_EDITS):
        code = edit(code, student_rng, unique=True)
    if student_rng.random() < 0.5:
        code = reorder_methods(code, student_rng)
    return rename_locals(code, student_rng)


def simulate(root, size, seed=0):
    """Submit `size` students; -> (planted student pairs, planted (student, known file) pairs, known folder)."""
    pairs = notebook_pairs(root, ASSIGNMENT)
    solutions = {}
    for filename, (release_nb, source_nb) in pairs.items():
        full = solved(release_nb, source_nb)
        for cell in full.cells:
            info = cell.metadata.get("nbgrader", {})
            if info.get("solution") and cell.cell_type == "code":
                solutions[info["grade_id"]] = (filename, cell.source)
    rng = random.Random(seed)
    students = [f"s{i:04d}" for i in range(size)]
    answers = {}
    for student in students:
        student_rng = random.Random(f"{seed}-{student}")
        answers[student] = {name: answer(code, i, student_rng, student_rng.randrange(GROUP_VARIANTS))
                            for i, (name, (_, code)) in enumerate(solutions.items())}
    layer_objects = [n for n, (f, _) in solutions.items() if f == "01_layers.ipynb"]
    copied = []
    shuffled = rng.sample(students, 2 * COPIED_PAIRS + KNOWN_COPIERS)
    for original, copier in zip(shuffled[:COPIED_PAIRS], shuffled[COPIED_PAIRS:2 * COPIED_PAIRS]):
        for name in rng.sample(layer_objects, 4):
            answers[copier][name] = edit(rename_locals(answers[original][name], rng), rng, unique=True)
        copied.append(frozenset((original, copier)))
    known = root / "known"
    known.mkdir()
    source = random.Random(f"{seed}-known")
    public = {name: answer(code, i, source, GROUP_VARIANTS + 1) for i, (name, (_, code)) in enumerate(solutions.items())
              if name in layer_objects}
    (known / "layers.py").write_text("import numpy as np\n\n\n" + "\n\n\n".join(public.values()) + "\n")
    from_known = []
    for copier in shuffled[2 * COPIED_PAIRS:]:
        for name in rng.sample(layer_objects, 4):
            answers[copier][name] = rename_locals(public[name], rng)
        from_known.append(frozenset((copier, "known/layers.py")))
    for student in students:
        notebooks = {f: nbformat.from_dict(release_nb) for f, (release_nb, _) in pairs.items()}
        for name, code in answers[student].items():
            plant(notebooks[solutions[name][0]], name, code)
        submit(root, student, ASSIGNMENT, notebooks)
    return copied, from_known, known


def all_pairs_estimate(root, students, sample=600, seed=1):
    """Seconds copydetect's compare_files would take on every pair of students and every object, from a timed
    random sample (fingerprints built outside the timing)."""
    rng = random.Random(seed)
    objects = graded_objects(root, ASSIGNMENT)
    codes = {}
    chosen = []
    for _ in range(sample):
        a, b = rng.sample(students, 2)
        obj = rng.choice(objects)
        for s in (a, b):
            if s not in codes:
                codes[s] = student_code(root / "submitted" / s / ASSIGNMENT, objects)[0]
        pieces = [joined(codes[s].get(obj.name, []), obj.given) for s in (a, b)]
        chosen.append([fingerprint(code, frozenset(), given) for code, given in pieces])
    start = time.perf_counter()
    for fp_a, fp_b in chosen:
        compare_files(fp_a, fp_b)
    per_compare = (time.perf_counter() - start) / sample
    return per_compare * len(students) * (len(students) - 1) / 2 * len(objects), per_compare


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--workers", type=int, default=None, help="fingerprinting processes (default: one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        template = Path(scratch) / "template"
        fresh_course(template)
        shutil.copytree(REPO / "release", template / "release", ignore=shutil.ignore_patterns("__pycache__"))
        objects = len(graded_objects(template, ASSIGNMENT))
        print(f"{objects} graded code objects per student; {GROUP_VARIANTS} honest variants per object; "
              f"{COPIED_PAIRS} copied pairs and {KNOWN_COPIERS} copies of a known file planted\n")
        print(f"{'students':>8} {'simulate':>9} {'read':>7} {'fingerprint':>12} {'compare':>8} {'report':>7} "
              f"{'total':>7}  {'dominant':<14} {'planted found':>13} {'lowest':>6} {'reported':>8} {'others':>6} "
              f"{'all-pairs copydetect':>21}")
        for size in args.sizes:
            root = Path(scratch) / f"class-{size}"
            shutil.copytree(template, root)
            start = time.perf_counter()
            copied, from_known, known = simulate(root, size)
            simulated = time.perf_counter() - start
            start = time.perf_counter()
            outcome = similarity(root, ASSIGNMENT, [known], show_progress=False, workers=args.workers)
            total = time.perf_counter() - start
            planted = set(copied) | set(from_known)
            found = {frozenset((p.a, p.b)): p.evidence for p in outcome.pairs}
            # besides the planted pairs, students who copied the same known file match each other too
            same_source = {frozenset((a, b)) for a, in map(tuple, (k - {"known/layers.py"} for k in from_known))
                           for b, in map(tuple, (k - {"known/layers.py"} for k in from_known)) if a != b}
            others = [p for p in outcome.pairs if frozenset((p.a, p.b)) not in planted | same_source]
            lowest = min((found[k] for k in planted if k in found), default=0)
            estimate, per_compare = all_pairs_estimate(root, [f"s{i:04d}" for i in range(size)])
            phases = outcome.seconds
            dominant = max(phases, key=phases.get)
            print(f"{size:>8} {simulated:>8.1f}s {phases['reading']:>6.1f}s {phases['fingerprinting']:>11.1f}s "
                  f"{phases['comparing']:>7.1f}s {phases['report']:>6.1f}s {total:>6.1f}s  "
                  f"{dominant + f' {100 * phases[dominant] / total:.0f}%':<14} "
                  f"{len(planted & set(found)):>6} of {len(planted):<4} {lowest:>6.2f} {len(outcome.pairs):>8} "
                  f"{len(others):>6} "
                  f"{estimate:>10.0f}s ({estimate / max(phases['comparing'], 1e-9):,.0f}x)")
            sys.stdout.flush()
            shutil.rmtree(root)
        print("\nplanted found: planted pairs reported; lowest: the least evidence among them; reported: all "
              "pairs reported; others: reported pairs neither planted nor two copiers of the same known file")
        print("all-pairs copydetect: compare_files on every pair of students and every object "
              f"({per_compare * 1e3:.2f} ms each, timed on a sample), against our sparse inverted-index comparison")


if __name__ == "__main__":
    main()
