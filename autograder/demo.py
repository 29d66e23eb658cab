"""`backprop-lab demo`: the whole pipeline on a simulated class, in a scratch course folder."""
import csv
import shutil
import time
from pathlib import Path

import nbformat
from rich.table import Table

from .export import export
from .feedback import feedback
from .grading import grade
from .mistakes.layers import MISTAKES
from .release import release
from .simulate import CHEATS, CRASHES, append_to, plant, plant_mistake, solved, submit

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "01_layers.ipynb"


def mistake(slug):
    return next(m for m in MISTAKES if m.slug == slug)


def with_mistakes(*slugs):
    def build(release_nb, source_nb):
        nb = solved(release_nb, source_nb)
        for slug in slugs:
            plant_mistake(nb, mistake(slug))
        return nb
    return build


def with_code(grade_id, code, base="solved"):
    def build(release_nb, source_nb):
        nb = solved(release_nb, source_nb) if base == "solved" else nbformat.from_dict(release_nb)
        return append_to(nb, grade_id, code)
    return build


def with_body(name, signature, body):
    """A solution where `name` runs `body` when called (an endless loop, a crash)."""
    def build(release_nb, source_nb):
        code = f"def {name}{signature}:\n" + "".join(f"    {line}\n" for line in body.splitlines())
        return plant(solved(release_nb, source_nb), name, code)
    return build


CLASS = [
    ("alice", "complete solution", lambda release_nb, source_nb: solved(release_nb, source_nb)),
    ("bob", "ReLU backward masked with dout > 0; softmax without the max shift",
     with_mistakes("relu_backward__dout_mask", "softmax_loss__no_max_shift")),
    ("carol", "one-sided numerical gradient; affine dx returned flat",
     with_mistakes("numerical_gradient__one_sided", "affine_backward__dx_flat")),
    ("dan", "sigmoid backward uses x; SVM loss summed",
     with_mistakes("sigmoid_forward__caches_input", "svm_loss__summed")),
    ("erin", "untouched release notebook", lambda release_nb, source_nb: nbformat.from_dict(release_nb)),
    ("frank", "calls os._exit halfway through", with_code("relu_forward", CRASHES["exit"])),
    ("grace", "tanh_forward loops forever", with_body("tanh_forward", "(x)", CRASHES["infinite_loop"])),
    ("heidi", "svm_loss loops, swallowing KeyboardInterrupt",
     with_body("svm_loss", "(scores, y)", CRASHES["swallows_interrupt"])),
    ("ivan", "untouched stubs + monkeypatched numpy and fake-pass output hooks",
     with_code("rel_error", CHEATS["patched_allclose"] + CHEATS["output_hooks"], base="release")),
    ("judy", "corrupt notebook file", lambda release_nb, source_nb: '{"cells": [ this is not json'),
]


def fresh_course(course):
    """An empty course folder holding the repository's source notebooks, kit and nbgrader config."""
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    for folder in ("source", "assignments"):
        shutil.copytree(REPO / folder, course / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "nbgrader_config.py", course)


def simulate_class(course, assignment="fcnet"):
    release_nb = nbformat.read(course / "release" / assignment / NOTEBOOK, as_version=4)
    source_nb = nbformat.read(course / "source" / assignment / NOTEBOOK, as_version=4)
    for student, _, build in CLASS:
        submit(course, student, assignment, {NOTEBOOK: build(release_nb, source_nb)})


def demo(course, timeout, console, assignment="fcnet"):
    course = course.resolve()
    start = time.perf_counter()
    console.rule("backprop-lab demo")
    fresh_course(course)
    release(course, assignment)
    console.print(f"released {assignment} into {course / 'release' / assignment}")
    simulate_class(course, assignment)
    console.print(f"simulated {len(CLASS)} submissions in {course / 'submitted'}")
    outcomes = grade(course, assignment, timeout=timeout)
    feedback(course, assignment)
    csv_path = export(course, assignment)
    console.print(score_table(csv_path, outcomes))
    console.print(f"feedback: {course / 'feedback'}   grades: {csv_path}")
    console.print(f"done in {time.perf_counter() - start:.0f} s")


def score_table(csv_path, outcomes):
    with open(csv_path) as handle:
        rows = list(csv.DictReader(handle))
    table = Table(title="scores (hidden + self-check cells; written answers await manual grading)")
    for column in ("student", "what they did", "score", "what the grader told them"):
        table.add_column(column, overflow="fold")
    for student, description, _ in CLASS:
        mine = [r for r in rows if r["student"] == student]
        score = sum(float(r["score"]) for r in mine if r["score"])
        possible = sum(float(r["max_score"]) for r in mine if r["score"])
        told = sorted({r["message"] for r in mine if r["message"] and r["grade_id"].startswith("hidden_")})
        if outcomes.get(student):
            told = [f"not graded: {outcomes[student]}"]
        shown = "\n".join(m[:120] for m in told[:2]) + (f"\n(+{len(told) - 2} more)" if len(told) > 2 else "")
        table.add_row(student, description, f"{score:g} / {possible:g}", shown or "all correct")
    return table
