"""`backprop-lab demo`: the whole pipeline on a simulated class, in a scratch course folder."""
import csv
import shutil
import time
from pathlib import Path

import nbformat
from rich.table import Table

from ..hidden.mistakes import all_mistakes
from ..isolation.sandbox import Limits
from ..reports.export import export
from ..reports.feedback import feedback
from ..scheduling.grade import grade
from .quickstart import init_course
from .release import release
from .simulate import (
    ATTACKS,
    CHEATS,
    CRASHES,
    append_to,
    function_source,
    link_into,
    notebook_pairs,
    plant,
    plant_mistake,
    solved,
    submit,
)

NOTEBOOK1 = "01_layers.ipynb"


def mistake(slug):
    return next(m for m in all_mistakes() if m.slug == slug)


def solved_all(pairs):
    return {name: solved(*pair) for name, pair in pairs.items()}


def with_mistakes(*slugs):
    """Everything solved, then each named mistake planted in the notebook that holds its object."""
    def build(pairs):
        files = solved_all(pairs)
        for slug in slugs:
            found = mistake(slug)
            target = next(nb for nb in files.values()
                          if set(found.sources()) <= {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells})
            plant_mistake(target, found)
        return files
    return build


def with_code(grade_id, code, base="solved"):
    """Notebook 1 with `code` appended to one answer; notebook 2 solved (or both untouched)."""
    def build(pairs):
        files = solved_all(pairs) if base == "solved" else {n: nbformat.from_dict(p[0]) for n, p in pairs.items()}
        append_to(files[NOTEBOOK1], grade_id, code)
        return files
    return build


def with_body(name, signature, body):
    """A solution where `name` runs `body` when called (an endless loop, a crash)."""
    def build(pairs):
        files = solved_all(pairs)
        plant(files[NOTEBOOK1], name, function_source(name, signature, body))
        return files
    return build


def hostile(course):
    """Notebook 1 solved but for relu_forward, which it tries to take from the reference on disk; it also
    reads the grading secret and links the instructor's source notebook into the submission."""
    fill = {"course": str(course), "victim": "alice", "port": 9, "marker": "/tmp/marker", "home": str(Path.home())}

    def build(pairs):
        files = solved_all(pairs)
        stub = next(c.source for c in pairs[NOTEBOOK1][0].cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == "relu_forward")
        plant(files[NOTEBOOK1], "relu_forward", stub + "\n" + ATTACKS["steal_reference"].format(**fill))
        append_to(files[NOTEBOOK1], "rel_error", ATTACKS["read_secrets"].format(**fill))
        return files
    return build


def corrupt_first(pairs):
    files = solved_all(pairs)
    files[NOTEBOOK1] = '{"cells": [ this is not json'
    return files


CLASS = [
    ("alice", "complete solution", solved_all),
    ("bob", "ReLU backward masked with dout > 0; softmax without the max shift; Adam with t incremented late",
     with_mistakes("relu_backward__dout_mask", "softmax_loss__no_max_shift", "adam__t_late")),
    ("carol", "one-sided numerical gradient; affine dx returned flat; two-layer net without its ReLU; "
     "momentum velocity not stored",
     with_mistakes("numerical_gradient__one_sided", "affine_backward__dx_flat", "TwoLayerNet__no_relu",
                   "sgd_momentum__velocity_not_stored")),
    ("dan", "sigmoid forward caches x instead of σ(x); SVM loss summed; biases regularised (notebooks 2 and 3)",
     with_mistakes("sigmoid_forward__caches_input", "svm_loss__summed", "TwoLayerNet__reg_biases",
                   "FullyConnectedNet__reg_biases")),
    ("erin", "untouched release notebooks", lambda pairs: {n: nbformat.from_dict(p[0]) for n, p in pairs.items()}),
    ("frank", "calls os._exit halfway through notebook 1", with_code("relu_forward", CRASHES["exit"])),
    ("grace", "tanh_forward loops forever", with_body("tanh_forward", "(x)", CRASHES["infinite_loop"])),
    ("heidi", "svm_loss loops, swallowing KeyboardInterrupt",
     with_body("svm_loss", "(scores, y)", CRASHES["swallows_interrupt"])),
    ("ivan", "untouched stubs + monkeypatched numpy and fake-pass output hooks",
     with_code("rel_error", CHEATS["patched_allclose"] + CHEATS["output_hooks"], base="release")),
    ("judy", "notebook 1 is a corrupt file; notebook 2 solved", corrupt_first),
    ("ken", "layers keep stale weights; weights drawn with rand; lr decayed every minibatch",
     with_mistakes("Affine__stale", "TwoLayerNet__rand_init", "Solver__decay_per_step")),
    ("leo", "Adam without bias correction; RMSProp cache not stored; MSE averaged over all entries",
     with_mistakes("adam__no_bias_correction", "rmsprop__cache_not_stored", "mse_loss__mean_over_entries")),
    ("mallory", "links the instructor's source notebook into her submission; her relu_forward reads the "
     "reference from the course folder; reads the grading secret", None),
]
LINKS = {"mallory": {"leak.txt": "../../../source/fcnet/01_layers.ipynb"}}


def fresh_course(course):
    """A new course folder (`backprop-lab init`, emptied first) with a fixed grading secret, so that every
    demo (and test) run grades on the same inputs."""
    if course.exists():
        shutil.rmtree(course)
    course = init_course(course)
    (course / ".backprop-lab").mkdir()
    (course / ".backprop-lab" / "secret").write_text("a simulated class, not a real one")


def simulate_class(course, assignment="fcnet"):
    pairs = notebook_pairs(course, assignment)
    for student, _, build in CLASS:
        submit(course, student, assignment, (build or hostile(course))(pairs))
    for student, links in LINKS.items():
        link_into(course, student, assignment, links)


def demo(course, timeout, console, assignment="fcnet", workers=None, limits=Limits()):
    course = course.resolve()
    start = time.perf_counter()
    console.rule("backprop-lab demo")
    fresh_course(course)
    release(course, assignment)
    console.print(f"released {assignment} into {course / 'release' / assignment}")
    simulate_class(course, assignment)
    console.print(f"simulated {len(CLASS)} submissions in {course / 'submitted'}")
    outcomes = grade(course, assignment, timeout=timeout, workers=workers, limits=limits)
    feedback(course, assignment)
    csv_path = export(course, assignment)
    console.print(score_table(csv_path, outcomes))
    console.print("sandbox: on — every kernel ran in bubblewrap, with no network, no view of the course folder "
                  f"and the limits {limits.describe()}")
    console.print(f"feedback: {course / 'feedback'}   grades: {csv_path}")
    console.print(f"done in {time.perf_counter() - start:.0f} s")


def headline(message, width=110):
    """A verdict shortened for the table: the object and its hint when there is one."""
    if "Hint: " in message:
        message = message.split(":", 1)[0] + ": " + message.split("Hint: ", 1)[1]
    return message if len(message) <= width else message[:width - 1] + "…"


def score_table(csv_path, outcomes):
    with open(csv_path) as handle:
        rows = list(csv.DictReader(handle))
    table = Table(title="scores (hidden + self-check cells; written answers await manual grading)")
    for column in ("student", "what they did", "score", "sandbox", "what the grader told them"):
        table.add_column(column, overflow="fold")
    for student, description, _ in CLASS:
        mine = [r for r in rows if r["student"] == student]
        score = sum(float(r["score"]) for r in mine if r["score"])
        possible = sum(float(r["max_score"]) for r in mine if r["score"])
        told = list(dict.fromkeys(r["message"] for r in mine if r["message"] and r["grade_id"].startswith("hidden_")))
        told.sort(key=lambda message: "Hint: " not in message)  # named mistakes first, then their consequences
        if outcomes.get(student):
            told = [f"not graded: {outcomes[student]}"]
        told += list(dict.fromkeys(r["set_aside"] for r in mine if r["set_aside"]))
        shown = "\n".join(map(headline, told[:4])) + (f"\n(+{len(told) - 4} more)" if len(told) > 4 else "")
        sandbox = "/".join(sorted({r["sandbox"] for r in mine if r["sandbox"]}))
        table.add_row(student, description, f"{score:g} / {possible:g}", sandbox, shown or "all correct")
    return table
