"""`backprop-lab similarity` on a simulated class: planted copies rank first, honest code stays out.

The class: most students hand in the instructor's solution (common code, it weighs nothing); a few write
their own honest versions of some objects, short and long; alice writes original code that bob copies with
renamed variables, new comments, blank lines, reordered helpers and one added line; carol copies from a
folder of known solutions (one function under another name there); one student hands in the untouched
release, one a corrupt notebook, one a link to alice's notebook. No notebook is executed: similarity
reads the submitted files.
"""
import csv
import re
import shutil
import textwrap

import nbformat
import numpy as np
import pytest
from playwright.sync_api import sync_playwright

from autograder.commands.cli import main
from autograder.commands.demo import fresh_course
from autograder.similarity import similarity
from autograder.similarity.fingerprints import boilerplate_hashes, fingerprint, hash_arrays
from autograder.similarity.known import known_pieces
from autograder.similarity.objects import graded_objects, joined, release_code
from autograder.commands.simulate import notebook_pairs, plant, solved, submit

from conftest import ASSIGNMENT, NOTEBOOK, NOTEBOOK3, NOTEBOOKS, REPO

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / ".backprop-lab" / "screenshots"
HONEST = [f"honest_{i}" for i in range(8)]


def release_cell(release_nb, name):
    return next(c.source for c in release_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == name)


def answer(release_nb, name, body, before="", after=""):
    """A student's cell: the release's cell with `body` in place of `# YOUR CODE HERE` and its
    `raise NotImplementedError()`, helper code before or after."""
    lines = release_cell(release_nb, name).splitlines()
    at = next(i for i, line in enumerate(lines) if "YOUR CODE HERE" in line)
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
    code = lines[:at] + textwrap.indent(textwrap.dedent(body).strip("\n"), indent).splitlines() + [
        line for line in lines[at + 1:] if "NotImplementedError" not in line]
    return (before + "\n" if before else "") + "\n".join(code) + "\n" + ("\n" + after if after else "")


# Honest, independently written versions: short objects that students write alike by chance, and longer
# ones written differently.
RELU = {"mult": "out = x * (x > 0)\nreturn out, x", "where": "out = np.where(x > 0, x, 0)\nreturn out, x",
        "clip": "return x.clip(min=0), x"}
RELU_BACKWARD = {"mask": "mask = cache > 0\nreturn dout * mask", "where": "return np.where(cache > 0, dout, 0.0)"}
SOFTMAX = {
    "loop": """
        n = scores.shape[0]
        loss, grad = 0.0, np.zeros_like(scores, dtype=float)
        for i in range(n):
            z = scores[i] - np.max(scores[i])
            p = np.exp(z) / np.sum(np.exp(z))
            loss -= np.log(p[y[i]])
            p[y[i]] -= 1
            grad[i] = p / n
        return loss / n, grad
        """,
    "onehot": """
        num = len(y)
        e = np.exp(scores - scores.max(1)[:, np.newaxis])
        probs = e / e.sum(1)[:, np.newaxis]
        onehot = np.eye(scores.shape[1])[y]
        loss = float(-(onehot * np.log(probs)).sum() / num)
        return loss, (probs - onehot) / num
        """,
}
SVM = {
    "loop": """
        total, d = 0.0, np.zeros(scores.shape)
        for i, label in enumerate(y):
            for c in range(scores.shape[1]):
                if c == label:
                    continue
                m = scores[i, c] - scores[i, label] + 1
                if m > 0:
                    total += m
                    d[i, c] += 1
                    d[i, label] -= 1
        return total / len(y), d / len(y)
        """,
}
AFFINE_BACKWARD = {
    "dot": """
        x, w, b = cache
        flat = x.reshape(len(x), -1)
        dw = np.dot(flat.T, dout)
        db = np.sum(dout, axis=0)
        dx = np.dot(dout, w.T).reshape(*x.shape)
        return dx, dw, db
        """,
}

# alice's own code: distinctive enough that nobody else writes it so by chance
ALICE = {
    "softmax_loss": dict(before='''
def _log_softmax_rows(s):
    """Row-wise log-softmax, shifted for stability."""
    top = s.max(axis=1, keepdims=True)
    logz = top + np.log(np.sum(np.exp(s - top), axis=1, keepdims=True))
    return s - logz
''', body="""
        batch = scores.shape[0]
        logp = _log_softmax_rows(scores)
        picked = logp[np.arange(batch), y]
        loss = -np.sum(picked) / batch
        grad = np.exp(logp)
        grad[np.arange(batch), y] = grad[np.arange(batch), y] - 1.0
        grad = grad / batch
        return float(loss), grad
        """),
    "svm_loss": dict(body="""
        batch, classes = scores.shape
        correct = scores[np.arange(batch), y].reshape(batch, 1)
        hinge = scores - correct + 1.0
        hinge[np.arange(batch), y] = 0.0
        active = hinge > 0
        loss = np.sum(hinge * active) / batch
        grad = active.astype(float)
        count = np.sum(active, axis=1)
        grad[np.arange(batch), y] = -count
        return float(loss), grad / batch
        """),
    "affine_backward": dict(body="""
        x, w, b = cache
        x2d = np.reshape(x, (x.shape[0], int(np.prod(x.shape[1:]))))
        db = np.einsum('nm->m', dout)
        dw = np.einsum('nd,nm->dm', x2d, dout)
        dx = np.einsum('nm,dm->nd', dout, w).reshape(x.shape)
        return dx, dw, db
        """),
    "adam": dict(body="""
        config = {} if config is None else config
        for key, default in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
            config.setdefault(key, default)
        step = config.get("t", 0) + 1
        first = config.get("m", np.zeros_like(w)) * config["beta1"] + dw * (1 - config["beta1"])
        second = config.get("v", np.zeros_like(w)) * config["beta2"] + np.square(dw) * (1 - config["beta2"])
        unbiased_first = first / (1 - np.power(config["beta1"], step))
        unbiased_second = second / (1 - np.power(config["beta2"], step))
        next_w = w - config["learning_rate"] * unbiased_first / (np.sqrt(unbiased_second) + config["epsilon"])
        config.update(t=step, m=first, v=second)
        return next_w, config
        """),
}

# bob's disguise of alice's code: names changed, comments and blank lines added, the helper moved below the
# function, one line added
BOB_NAMES = {"batch": "N", "logp": "log_probs", "picked": "correct_logp", "grad": "dscores",
             "_log_softmax_rows": "stable_log_softmax", "top": "row_max", "logz": "log_norm", "correct": "true_scores",
             "hinge": "margins", "active": "positive", "count": "n_pos", "x2d": "x_flat", "first": "m", "second": "v",
             "step": "t", "unbiased_first": "m_hat", "unbiased_second": "v_hat", "default": "value"}


def disguised(code):
    code = renamed(code, BOB_NAMES)
    lines = []
    for line in code.splitlines():
        if line.strip().startswith('"""Row-wise'):
            line = line.replace("Row-wise log-softmax, shifted for stability.", "log softmax of each row")
        lines.append(line)
        if line.strip().startswith(("loss =", "return")) and line.startswith("    "):
            lines.append("")  # blank lines where alice had none
        if re.match(r"\s+\w+ = .*einsum\('nm->m'", line):
            lines.append(line[:len(line) - len(line.lstrip())] + "# sum over the batch")
    return "\n".join(lines)


def bob_cell(release_nb, name):
    spec = ALICE[name]
    body = spec["body"]
    if name == "svm_loss":  # the one added line
        body = body.replace("active = hinge > 0\n", "active = hinge > 0\n        assert hinge.shape == scores.shape\n")
    return disguised(answer(release_nb, name, body, after=spec.get("before", "")))  # helper moved below


KNOWN_LAYERS = '''"""Layers from a public repository (as an instructor might download it)."""
import numpy as np


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1).dot(w) + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    x_rows = x.reshape(x.shape[0], -1)
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x_rows.T.dot(dout)
    db = np.sum(dout, axis=0)
    if dw.shape != w.shape:
        raise ValueError("weight gradient has the wrong shape")
    if dx.shape != x.shape:
        raise ValueError("input gradient has the wrong shape")
    return dx, dw, db


def softmax_loss(x, y):
    shifted_logits = x - np.max(x, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted_logits), axis=1, keepdims=True)
    log_probs = shifted_logits - np.log(Z)
    probs = np.exp(log_probs)
    N = x.shape[0]
    loss = -np.sum(log_probs[np.arange(N), y]) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
'''

KNOWN_HINGE = '''import numpy as np

def multiclass_hinge(x, y, delta=1.0):
    num_train = x.shape[0]
    correct_class_scores = x[np.arange(num_train), y]
    margins = np.maximum(0, x - correct_class_scores[:, np.newaxis] + delta)
    margins[np.arange(num_train), y] = 0
    loss = np.sum(margins) / num_train
    num_pos = np.sum(margins > 0, axis=1)
    dx = np.zeros_like(x)
    dx[margins > 0] = 1
    dx[np.arange(num_train), y] -= num_pos
    dx /= num_train
    return loss, dx
'''


def renamed(code, names):
    for old, new in names.items():
        code = re.sub(rf"\b{old}\b", new, code)
    return code


def carol_cells(release_nb):
    """carol's copies from the known folder: the bodies of the known functions, renamed to fit her cells."""
    affine = textwrap.dedent(KNOWN_LAYERS.split("def affine_backward(dout, cache):\n")[1].split("\n\n\n")[0])
    affine = renamed(affine, {"x_rows": "flat"}).replace("weight gradient has the wrong shape", "bad dw")
    softmax = textwrap.dedent(KNOWN_LAYERS.split("def softmax_loss(x, y):\n")[1])
    softmax = renamed(softmax, {"x": "scores", "Z": "norm", "dx": "dscores"})
    hinge = textwrap.dedent(KNOWN_HINGE.split("delta=1.0):\n")[1])
    hinge = renamed(hinge, {"x": "scores", "delta": "1.0", "num_train": "n", "dx": "dscores"})
    return {"affine_backward": answer(release_nb, "affine_backward", affine),
            "softmax_loss": answer(release_nb, "softmax_loss", "# softmax, stable\n" + softmax),
            "svm_loss": answer(release_nb, "svm_loss", hinge)}


def known_folder(root):
    """A folder of known solutions: a .py file, a notebook and a file under another name."""
    folder = root / "known"
    (folder / "cs231n-2019").mkdir(parents=True)
    (folder / "cs231n-2019" / "layers.py").write_text(KNOWN_LAYERS)
    (folder / "hinge.py").write_text(KNOWN_HINGE)
    forward = "def affine_forward" + KNOWN_LAYERS.split("def affine_forward")[1].split("\n\n\n")[0]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np"),
                                         nbformat.v4.new_code_cell("def unfinished(x):\n    return (x"),
                                         nbformat.v4.new_code_cell(forward)])
    nbformat.write(nb, folder / "past.ipynb")
    (folder / "broken.py").write_bytes(b"\xff\xfe not utf-8")
    return folder


def build_class(root):
    """Submit the simulated class into the course at root; -> the known solutions folder."""
    pairs = notebook_pairs(root, ASSIGNMENT)
    release1, release3 = pairs[NOTEBOOK][0], pairs[NOTEBOOK3][0]

    def solved_all():
        return {f: solved(*pairs[f]) for f in NOTEBOOKS}

    honest_choices = {  # student -> {object: (variants, key)}
        "honest_0": {"relu_forward": (RELU, "mult"), "softmax_loss": (SOFTMAX, "loop")},
        "honest_1": {"relu_forward": (RELU, "mult"), "relu_backward": (RELU_BACKWARD, "mask"),
                     "svm_loss": (SVM, "loop")},
        "honest_2": {"relu_forward": (RELU, "where"), "relu_backward": (RELU_BACKWARD, "mask"),
                     "affine_backward": (AFFINE_BACKWARD, "dot")},
        "honest_3": {"relu_forward": (RELU, "where"), "relu_backward": (RELU_BACKWARD, "where"),
                     "softmax_loss": (SOFTMAX, "onehot")},
        "honest_4": {"relu_forward": (RELU, "clip"), "relu_backward": (RELU_BACKWARD, "where")},
        "honest_5": {"relu_forward": (RELU, "clip")},
    }
    for student in HONEST:
        files = solved_all()
        for name, (variants, key) in honest_choices.get(student, {}).items():
            plant(files[NOTEBOOK], name, answer(release1, name, variants[key]))
        submit(root, student, ASSIGNMENT, files)
    alice, bob, carol = solved_all(), solved_all(), solved_all()
    for name, spec in ALICE.items():
        notebook, release_nb = (NOTEBOOK3, release3) if name == "adam" else (NOTEBOOK, release1)
        plant(alice[notebook], name, answer(release_nb, name, spec["body"], before=spec.get("before", "")))
        plant(bob[notebook], name, bob_cell(release_nb, name))
    for who in (alice, bob):  # both also write the short relu the way honest_0 and honest_1 do
        plant(who[NOTEBOOK], "relu_forward", answer(release1, "relu_forward", RELU["mult"]))
    for name, cell in carol_cells(release1).items():
        plant(carol[NOTEBOOK], name, cell)
    for student, files in (("alice", alice), ("bob", bob), ("carol", carol)):
        submit(root, student, ASSIGNMENT, files)
    submit(root, "untouched", ASSIGNMENT, {f: nbformat.from_dict(pairs[f][0]) for f in NOTEBOOKS})
    submit(root, "corrupt", ASSIGNMENT, {NOTEBOOK: '{"cells": [ not json', NOTEBOOK3: solved(*pairs[NOTEBOOK3])})
    linked = submit(root, "linked", ASSIGNMENT, {NOTEBOOK3: solved(*pairs[NOTEBOOK3])})
    (linked / NOTEBOOK).symlink_to(root / "submitted" / "alice" / ASSIGNMENT / NOTEBOOK)  # a link is not read
    return known_folder(root)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """(course root, known folder, Outcome) of one similarity run on the simulated class. The release is
    the repository's committed one (test_release proves it is what `backprop-lab release` makes)."""
    root = tmp_path_factory.mktemp("similarity") / "course"
    fresh_course(root)
    shutil.copytree(REPO / "release", root / "release", ignore=shutil.ignore_patterns("__pycache__"))
    known = build_class(root)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    outcome = similarity(root, ASSIGNMENT, [known], show_progress=False)
    return root, known, outcome, before


def pair_of(outcome, a, b):
    return next((p for p in outcome.pairs if {p.a, p.b} == {a, b}), None)


def test_planted_copies_rank_first_with_their_objects(simulated):
    _, _, outcome, _ = simulated
    top = {frozenset((p.a, p.b)) for p in outcome.pairs[:3]}
    assert top == {frozenset(("alice", "bob")), frozenset(("carol", "known/cs231n-2019/layers.py")),
                   frozenset(("carol", "known/hinge.py"))}, [(p.a, p.b, p.evidence) for p in outcome.pairs]
    copied = pair_of(outcome, "alice", "bob")
    assert {m.name for m in copied.objects} == set(ALICE)  # the disguised relu they share is not evidence
    assert all(m.share_a > 0.5 and m.share_b > 0.5 for m in copied.objects), copied.objects
    layers = pair_of(outcome, "carol", "known/cs231n-2019/layers.py")
    assert layers.known and {m.name for m in layers.objects} == {"affine_backward", "softmax_loss"}
    hinge = pair_of(outcome, "carol", "known/hinge.py")  # a function of another name: the whole file matches
    assert hinge.known and [m.name for m in hinge.objects] == ["svm_loss"]


def test_honest_and_short_code_is_not_reported(simulated):
    _, _, outcome, _ = simulated
    reported = {frozenset((p.a, p.b)) for p in outcome.pairs}
    assert reported == {frozenset(("alice", "bob")), frozenset(("carol", "known/cs231n-2019/layers.py")),
                        frozenset(("carol", "known/hinge.py"))}
    # the pairs that wrote the same short relu variants, and the whole honest class, stay out
    assert not any(set(pair) & set(HONEST) for pair in reported)


def test_short_objects_never_count_even_when_identical(simulated):
    root, known, _, _ = simulated
    # honest_2 and honest_3 handed in the very same relu_forward: fingerprints they share, but too few
    release1 = nbformat.read(root / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    boilerplate = boilerplate_hashes(release_code(root, ASSIGNMENT))
    same = hash_arrays([(answer(release1, "relu_forward", RELU["where"]), ())] * 2, boilerplate, workers=1)
    assert len(same[0]) > 0 and np.array_equal(same[0], same[1])
    everything = similarity(root, ASSIGNMENT, [known], show_progress=False, min_evidence=0.0)
    assert {frozenset((p.a, p.b)) for p in everything.pairs} == {
        frozenset(("alice", "bob")), frozenset(("carol", "known/cs231n-2019/layers.py")),
        frozenset(("carol", "known/hinge.py"))}


def test_release_stubs_never_match(simulated):
    root, _, outcome, _ = simulated
    assert not any("untouched" in (p.a, p.b) for p in outcome.pairs)
    boilerplate = boilerplate_hashes(release_code(root, ASSIGNMENT))
    release1 = nbformat.read(root / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    stubs = [release_cell(release1, o.name) for o in graded_objects(root, ASSIGNMENT) if o.notebook == NOTEBOOK]
    pieces = [(stub, ()) for stub in stubs]
    assert len(stubs) >= 10 and all(len(h) == 0 for h in hash_arrays(pieces, boilerplate, workers=1))
    # the same stubs fingerprinted without the boilerplate do have fingerprints: the removal is what empties them
    assert all(len(h) > 0 for h in hash_arrays(pieces, frozenset(), workers=1))


def test_a_cell_pasted_twice_has_the_release_lines_of_both_copies_masked(simulated):
    root, _, _, _ = simulated
    release1 = nbformat.read(root / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    given = release_cell(release1, "softmax_loss")
    mine = answer(release1, "softmax_loss", SOFTMAX["loop"])
    once, twice = joined([mine], given), joined([mine, mine], given)
    assert len(twice[1]) == 2 * len(once[1]) > 0
    # no boilerplate hashes here: the masked lines alone keep the docstring and signature out, in both copies
    assert fingerprint(*twice[:1], frozenset(), twice[1]).hashes == fingerprint(once[0], frozenset(), once[1]).hashes
    assert fingerprint(given, frozenset(), joined([given], given)[1]).hashes == set()


def test_csv_names_both_sides_most_suspicious_first(simulated):
    root, _, outcome, _ = simulated
    with open(root / "exports" / ASSIGNMENT / "similarity.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student"], r["other"]) for r in rows] == [(p.a, p.b) for p in outcome.pairs]
    evidence = [float(r["evidence"]) for r in rows]
    assert evidence == sorted(evidence, reverse=True)
    kinds = {frozenset((r["student"], r["other"])): r["other_kind"] for r in rows}
    assert kinds[frozenset(("alice", "bob"))] == "student"
    assert kinds[frozenset(("carol", "known/hinge.py"))] == "known"
    alice_bob = next(r for r in rows if {r["student"], r["other"]} == {"alice", "bob"})
    assert all(name in alice_bob["objects"] for name in ALICE)


def test_problems_are_reported_and_nothing_else_changes(simulated):
    root, _, outcome, before = simulated
    assert any("unreadable" in p for p in outcome.problems["corrupt"])
    assert outcome.problems["linked"] == [f"{NOTEBOOK}: a link, not a file; not read"]
    assert not any("linked" in (p.a, p.b) for p in outcome.pairs)
    assert outcome.problems["known/broken.py"] == ["unreadable (UnicodeDecodeError)"]
    after = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file() and "exports" not in p.parts}
    assert after == before  # no grade, gradebook or submission touched
    assert not (root / "gradebook.db").exists()


def test_known_files_split_into_definitions(simulated, tmp_path):
    _, known, _, _ = simulated
    pieces, problems = known_pieces([known])
    names = {(p.source, p.name) for p in pieces}
    assert {("known/cs231n-2019/layers.py", "affine_backward"), ("known/cs231n-2019/layers.py", "softmax_loss"),
            ("known/hinge.py", "multiclass_hinge"), ("known/hinge.py", None)} <= names
    # a notebook's cell that does not parse hides none of the others
    assert ("known/past.ipynb", "affine_forward") in names and ("known/past.ipynb", "unfinished") not in names
    whole = next(p for p in pieces if p.source == "known/past.ipynb" and p.name is None)
    assert "%matplotlib" not in whole.code and "def affine_forward" in whole.code
    assert problems == [("known/broken.py", "unreadable (UnicodeDecodeError)")]
    twin = tmp_path / "elsewhere" / "known"  # two folders of the same name are told apart by their paths
    twin.mkdir(parents=True)
    (twin / "hinge.py").write_text(KNOWN_HINGE)
    sources = {p.source for p in known_pieces([known, twin])[0]}
    assert str(twin / "hinge.py") in sources and str(known / "hinge.py") in sources


def test_a_class_of_one_against_known_solutions(simulated, tmp_path):
    root, known, _, _ = simulated
    alone = tmp_path / "course"
    shutil.copytree(root, alone, ignore=shutil.ignore_patterns("submitted", "exports"))
    shutil.copytree(root / "submitted" / "carol", alone / "submitted" / "carol")
    outcome = similarity(alone, ASSIGNMENT, [known], show_progress=False)
    assert [(p.a, p.b) for p in outcome.pairs] == [("carol", "known/cs231n-2019/layers.py"), ("carol", "known/hinge.py")]
    shutil.rmtree(alone / "submitted")
    assert similarity(alone, ASSIGNMENT, [known], show_progress=False).pairs == []


def test_cli(simulated, tmp_path, capsys):
    root, known, _, _ = simulated
    assert main(["similarity", "--course", str(root), "--against", str(known)]) == 0
    out = capsys.readouterr().out
    assert "3 pairs reported: alice ~ bob" in out and "similarity.html" in out and "corrupt" in out
    assert main(["similarity", "--course", str(root), "--against", str(tmp_path / "missing")]) == 2
    assert "--against: no such folder" in capsys.readouterr().out
    assert main(["similarity", "--course", str(root), "--against", str(known), "--min-evidence", "1.0"]) == 0
    assert "2 pairs reported" in capsys.readouterr().out  # carol and hinge.py (0.73) left out
    assert main(["similarity", "--course", str(tmp_path)]) == 2
    assert "no solution cells" in capsys.readouterr().out
    unreleased = tmp_path / "unreleased"
    shutil.copytree(root / "source", unreleased / "source")
    assert main(["similarity", "--course", str(unreleased)]) == 2
    assert "run `backprop-lab release` first" in capsys.readouterr().out.replace("\n", " ")


def test_report_renders_offline_and_marks_are_readable(simulated):
    root, known, _, _ = simulated
    outcome = similarity(root, ASSIGNMENT, [known], show_progress=False)  # the page as the default run writes it
    page_path = root / "exports" / ASSIGNMENT / "similarity.html"
    text = page_path.read_text()
    assert "<script" not in text and not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def only_files(route):
                requests.append(route.request.url)
                return route.continue_() if route.request.url.startswith("file://") else route.abort()
            page.route("**/*", only_files)
            page.goto(page_path.as_uri())
            assert all(url.startswith("file://") for url in requests)
            assert page.locator("table.ranking tbody tr").count() == len(outcome.pairs)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "similarity_report_ranking.png")
            page.locator("#pair-1").scroll_into_view_if_needed()
            marks = page.locator("#pair-1 mark")
            assert marks.count() >= 4
            page.screenshot(path=SCREENSHOTS / "similarity_report.png")
            checks = marks.evaluate_all("""marks => marks.map(m => {
                const style = getComputedStyle(m), box = m.getBoundingClientRect();
                const pre = m.closest('pre').getBoundingClientRect();
                const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
                const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
                    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
                const [hi, lo] = [lum(style.backgroundColor), lum(style.color)].sort((a, b) => b - a);
                return {contrast: (hi + 0.05) / (lo + 0.05), size: parseFloat(style.fontSize),
                        visible: box.width > 0 && box.height > 0,
                        inside: box.left >= pre.left - 1 && box.right <= pre.right + 1};
            })""")
            for check in checks:
                assert check["visible"] and check["inside"], check
                assert check["contrast"] >= 4.5 and check["size"] >= 12, check
            # the two sides of an object stand next to each other
            left, right = page.locator("#pair-1 .sides").first.locator("pre").all()
            assert left.bounding_box()["x"] + left.bounding_box()["width"] <= right.bounding_box()["x"]
        finally:
            browser.close()
