"""The student and instructor paths in a real JupyterLab, driven in Debian's Chromium through Playwright.

JupyterLab is the one this environment installed for the release's requirements.txt; the browser is
the system's /usr/bin/chromium (`bash .ci/system-packages browser`), never a browser Playwright
downloads. Each test saves a screenshot to .backprop-lab/screenshots/<test name>.png (git-ignored).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import namedtuple

import nbformat
import pytest
from packaging.requirements import Requirement
from playwright.sync_api import expect, sync_playwright

from autograder.reports.export import export
from autograder.reports.feedback import feedback
from autograder.scheduling.grade import grade
from autograder.hidden.mistakes import all_mistakes
from autograder.course.settings import nbgrader_config
from autograder.commands.simulate import plant_mistake, solved, submit

from conftest import ASSIGNMENT, NOTEBOOK, NOTEBOOK2, REPO, copy_course

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO / ".backprop-lab" / "screenshots"
MARKER = "END OF NOTEBOOK REACHED"
DOUT_MASK = next(m for m in all_mistakes() if m.slug == "relu_backward__dout_mask")
SVM_SUMMED = next(m for m in all_mistakes() if m.slug == "svm_loss__summed")


def shot(page, request):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{request.node.name}.png"
    page.screenshot(path=path, full_page=False)
    print(f"screenshot: {path}")
    return path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def jupyter_lab(root, home):
    """Start `jupyter lab` serving root (no token, no browser; its runtime files in home/runtime)
    -> (process, base URL)."""
    port = free_port()
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))  # every cell in the DOM
    notices = home / "settings" / "@jupyterlab" / "apputils-extension"
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))  # no news toast
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}", "--allow-root"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "w"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=2)
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"jupyter lab did not start: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def student_folder(course, folder, notebooks):
    shutil.copytree(course / "release" / ASSIGNMENT, folder, ignore=shutil.ignore_patterns("*.ipynb"))
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)


Lab = namedtuple("Lab", "url root runtime")


@pytest.fixture(scope="module")
def lab(course, all_notebooks, tmp_path_factory):
    """A JupyterLab serving three student folders: `fresh` (the release), `partly` (notebook 1 done with
    relu_backward wrong, plus a last cell printing a marker) and `solved` (notebooks 1 and 2 done)."""
    release_nb1 = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    assert Requirement(next(line for line in (course / "release" / ASSIGNMENT / "requirements.txt").read_text()
                            .splitlines() if line.startswith("jupyterlab"))).specifier.contains(lab_version())
    root = tmp_path_factory.mktemp("lab")
    student_folder(course, root / "fresh", {NOTEBOOK: release_nb1})
    partly = plant_mistake(solved(*all_notebooks[NOTEBOOK]), DOUT_MASK)
    partly.cells.append(nbformat.v4.new_code_cell(f'print("{MARKER}")'))
    student_folder(course, root / "partly", {NOTEBOOK: partly})
    student_folder(course, root / "solved", {NOTEBOOK: solved(*all_notebooks[NOTEBOOK]),
                                             NOTEBOOK2: solved(*all_notebooks[NOTEBOOK2])})
    home = tmp_path_factory.mktemp("lab-home")
    process, url = jupyter_lab(root, home)
    yield Lab(url, root, home / "runtime")
    stop(process)


def lab_version():
    import jupyterlab
    return jupyterlab.__version__


def open_notebook(page, url):
    """Open a notebook (in a workspace of its own: JupyterLab would reopen the last test's notebooks)."""
    page.goto(url)
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=90_000)
    # the kernel has started (before that, running a cell asks which kernel to start)
    expect(page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Idle")).to_have_count(1, timeout=90_000)


def cell_with(page, text):
    """The notebook cell whose editor contains `text`."""
    return page.locator(".jp-Notebook .jp-Cell").filter(has=page.locator(".cm-content", has_text=text)).first


def type_into(page, cell, code):
    """Replace a code cell's text as a student would: click into its editor, select all, type."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)  # typed in one go, so the editor's auto-indent does not re-indent it


def run_cell(page, cell):
    """Run one cell (Ctrl+Enter in its editor) and wait until it has finished: its prompt shows a number."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=30_000)


def run_all(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def test_student_sees_the_pass_line_and_the_fail_line_with_its_hint(page, lab, request):
    open_notebook(page, f"{lab.url}/lab/workspaces/{request.node.name}/tree/fresh/{NOTEBOOK}")
    run_cell(page, cell_with(page, "%matplotlib inline"))
    type_into(page, cell_with(page, "def relu_forward(x):"),
              "def relu_forward(x):\n    out = np.maximum(0, x)\n    return out, x\n")
    run_cell(page, cell_with(page, "def relu_forward(x):"))
    forward_check = cell_with(page, 'check("relu_forward"')
    run_cell(page, forward_check)
    expect(forward_check.locator(".jp-OutputArea-output")).to_contain_text("✔ relu_forward", timeout=30_000)

    type_into(page, cell_with(page, "def relu_backward(dout, cache):"),
              "def relu_backward(dout, cache):\n    return dout * (dout > 0)\n")
    run_cell(page, cell_with(page, "def relu_backward(dout, cache):"))
    backward_check = cell_with(page, 'check("relu_backward"')
    run_cell(page, backward_check)
    failure = backward_check.locator(".backprop-lab-failure")
    expect(failure).to_contain_text("✘ relu_backward", timeout=30_000)
    expect(failure).to_contain_text("Hint:")
    expect(failure).to_contain_text("dout > 0")
    assert backward_check.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert failure.evaluate("e => getComputedStyle(e).wordBreak") == "normal"  # wraps between words
    backward_check.scroll_into_view_if_needed()
    shot(page, request)

    # the student has not saved: the check command, run from a terminal, says the open notebook looks newer
    check = subprocess.run([sys.executable, "-m", "assignments", "check", NOTEBOOK], cwd=lab.root / "fresh",
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "JUPYTER_RUNTIME_DIR": str(lab.runtime)})
    assert f"warning: {NOTEBOOK} is open in JupyterLab and its kernel ran code at" in check.stdout, check.stdout


def test_run_all_on_a_partly_done_notebook_reaches_the_last_cell(page, lab, request):
    open_notebook(page, f"{lab.url}/lab/workspaces/{request.node.name}/tree/partly/{NOTEBOOK}")
    run_all(page)
    marker = page.locator(".jp-OutputArea-output", has_text=MARKER)
    expect(marker).to_have_count(1, timeout=180_000)
    expect(page.locator(".backprop-lab-failure")).to_have_count(1)
    expect(page.locator(".backprop-lab-failure")).to_contain_text("✘ relu_backward")
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0
    marker.scroll_into_view_if_needed()
    shot(page, request)


def test_a_plot_renders_as_an_image_in_notebook_2(page, lab, request):
    open_notebook(page, f"{lab.url}/lab/workspaces/{request.node.name}/tree/solved/{NOTEBOOK2}")
    run_all(page)
    weights = cell_with(page, "plots.show_weight_images").locator(".jp-OutputArea-output img")
    expect(weights).to_have_count(1, timeout=180_000)
    assert weights.evaluate("img => img.complete && img.naturalWidth > 300 && img.naturalHeight > 100")
    assert page.locator(".jp-OutputArea-output img").count() >= 5  # the spiral, boundaries, curves, weights
    weights.scroll_into_view_if_needed()
    shot(page, request)


@pytest.fixture(scope="module")
def graded_course(course, all_notebooks, tmp_path_factory):
    """A course with one graded student whose notebook 1 has relu_backward and svm_loss wrong."""
    root = copy_course(course, tmp_path_factory.mktemp("instructor"))
    mistaken = plant_mistake(plant_mistake(solved(*all_notebooks[NOTEBOOK]), DOUT_MASK), SVM_SUMMED)
    submit(root, "ada", ASSIGNMENT, {NOTEBOOK: mistaken})
    assert grade(root, ASSIGNMENT, ["ada"], timeout=10, show_progress=False, workers=1) == {"ada": ""}
    return root


def saved_by_hand(config, grade_id, student):
    """(score, comment) formgrader saved for a notebook-1 cell, read in a short transaction of its own (a
    reader holding the SQLite file open would keep the server from writing)."""
    from nbgrader.api import Gradebook

    with Gradebook(config.CourseDirectory.db_url, course_id=config.CourseDirectory.course_id) as gb:
        return (gb.find_grade(grade_id, NOTEBOOK[:-6], ASSIGNMENT, student).manual_score,
                gb.find_comment(grade_id, NOTEBOOK[:-6], ASSIGNMENT, student).manual_comment)


def test_instructor_scores_a_written_answer_in_formgrader_and_the_export_shows_it(page, graded_course, request,
                                                                                     tmp_path):
    config = nbgrader_config(graded_course)
    process, url = jupyter_lab(graded_course, tmp_path)
    try:
        page.goto(f"{url}/formgrader/gradebook/{ASSIGNMENT}/{NOTEBOOK[:-6]}")
        page.get_by_role("link", name="Submission #1").click()  # formgrader lists submissions with names hidden
        score = page.locator("input.score#question_centred_difference")
        expect(score).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")  # formgrader has loaded the grades its inputs save to
        score.click()
        score.fill("0.5")
        comment = page.locator("textarea#question_centred_difference-comment")
        comment.click()  # leaving the score field saves it
        comment.fill("Right about truncation; say where roundoff takes over.")
        score.click()  # leaving the comment field saves it
        deadline = time.monotonic() + 30
        while None in saved_by_hand(config, "question_centred_difference", "ada"):
            assert time.monotonic() < deadline, ("formgrader did not save the score and the comment",
                                                 saved_by_hand(config, "question_centred_difference", "ada"))
            time.sleep(0.3)
        score.scroll_into_view_if_needed()
        shot(page, request)
    finally:
        stop(process)
    export(graded_course, ASSIGNMENT)
    rows = (graded_course / "exports" / ASSIGNMENT / "grades.csv").read_text()
    row = next(line for line in rows.splitlines() if ",question_centred_difference," in line)
    assert ",0.5,1.0," in row and "graded by hand" in row and "roundoff" in row and "awaiting" not in row
    summary = json.loads((graded_course / "exports" / ASSIGNMENT / "ada.json").read_text())
    cell = next(c for c in summary["cells"] if c["grade_id"] == "question_centred_difference")
    assert cell["score"] == 0.5


def test_feedback_html_shows_rendered_math_and_every_verdict_offline(page, graded_course, request):
    assert feedback(graded_course, ASSIGNMENT)["ada"] == ""
    report = graded_course / "feedback" / "ada" / ASSIGNMENT / f"{NOTEBOOK[:-6]}.html"
    requested = []
    page.context.set_offline(True)
    page.context.route("**/*", lambda route: (requested.append(route.request.url), route.continue_()))
    page.goto(report.as_uri())
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
    text = page.locator("body").inner_text()
    assert "$" not in text  # every formula was rendered, none left as source
    formulas = page.locator("math")
    assert formulas.count() > 20
    fraction = page.locator("mfrac").first  # drawn as a fraction: numerator above the denominator
    parts = fraction.evaluate("f => [...f.children].map(c => c.getBoundingClientRect().top)")
    assert parts[0] < parts[1]
    autograded = nbformat.read(graded_course / "autograded" / "ada" / ASSIGNMENT / NOTEBOOK, as_version=4)
    verdicts = ["".join(o.get("text", "") or "\n".join(o.get("traceback", [])) for o in c.outputs).strip()
                for c in autograded.cells if c.metadata.get("backprop_lab")]
    assert len(verdicts) > 20
    for verdict in verdicts:
        assert verdict.splitlines()[0] in text, verdict
    assert "✘ relu_backward" in text and "dout > 0" in text
    page.locator("mfrac").first.scroll_into_view_if_needed()
    shot(page, request)


def test_feedback_verdict_lines_wrap_so_the_hint_is_in_sight(page, graded_course, request):
    """At 1280 px every verdict block of the report fits its box (no sideways scrolling), and each failing
    verdict's hint lies inside the visible width of the page."""
    assert feedback(graded_course, ASSIGNMENT)["ada"] == ""
    report = graded_course / "feedback" / "ada" / ASSIGNMENT / f"{NOTEBOOK[:-6]}.html"
    page.goto(report.as_uri())
    blocks = page.locator("div.output_area pre, .jp-OutputArea-output pre")  # nbgrader's classic template, or lab
    sizes = blocks.evaluate_all("pres => pres.map(p => [p.innerText.slice(0, 60), p.scrollWidth, p.clientWidth])")
    assert len(sizes) > 20
    assert [size for size in sizes if size[1] > size[2]] == []
    failing = blocks.filter(has_text="✘")
    assert failing.count() >= 2
    width = page.evaluate("document.documentElement.clientWidth")
    for index in range(failing.count()):
        block = failing.nth(index)
        assert "Hint:" in block.inner_text()
        box = block.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        hint = block.evaluate("""p => { const range = document.createRange(); const text = p.firstChild;
            const at = p.textContent.indexOf('Hint:'); let node = p, offset = at;
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) { node = walker.currentNode; if (offset < node.length) break; offset -= node.length; }
            range.setStart(node, offset); range.setEnd(node, Math.min(node.length, offset + 5));
            const r = range.getBoundingClientRect(); return [r.left, r.right]; }""")
        assert 0 <= hint[0] < hint[1] <= width, hint
    failing.first.scroll_into_view_if_needed()
    shot(page, request)
