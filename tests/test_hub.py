"""A class goes through `fcnet` on a real JupyterHub with nbgrader's exchange (tests/hub_setup.py).

The instructor releases with `backprop-lab release --exchange`; student A logs in, fetches from the
Assignments tab, answers in the editor, self-checks, validates and submits in Debian's Chromium; student C
submits twice and student B after the due date, from nbgrader's command line as themselves; the instructor
collects, grades, writes and releases feedback; each student fetches their own report. Screenshots of the
browser steps go to .backprop-lab/screenshots/hub-*.png (git-ignored).
"""
import csv
import json
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import nbformat
import pytest
from playwright.sync_api import expect, sync_playwright

from autograder.hidden.solutions import strip_solution_markers
from hub_setup import PASSWORD, REPO, running_hub

ASSIGNMENT = "fcnet"
NOTEBOOK = "01_layers.ipynb"
SCREENSHOTS = REPO / ".backprop-lab" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
TYPED = ("relu_forward", "relu_backward")  # the answers student A types in the browser


@pytest.fixture(scope="module")
def hub():
    assert os.geteuid() == 0, "the hub test creates Unix users and starts JupyterHub: run it as root"
    with running_hub() as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        yield chromium
        chromium.close()


def shot(page, step):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"hub-{step}.png")


def answers():
    """{grade_id: the instructor's solution} for notebook 1's solution cells."""
    nb = nbformat.read(REPO / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: strip_solution_markers(c.source) for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def answered(path, grade_ids):
    """The notebook at path with the given solution cells answered from the source."""
    nb = nbformat.read(path, as_version=4)
    solutions = answers()
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in grade_ids:
            cell.source = solutions[cell.metadata["nbgrader"]["grade_id"]]
    return nb


def log_in(browser, hub, user):
    """A browser page of the user's own JupyterLab, after the hub's login form."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(user.name)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(rf"/user/{user.name}/lab"), timeout=120_000)
    expect(page.locator(".jp-LabShell")).to_be_visible(timeout=120_000)
    return page


def open_assignments(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    expect(page.locator("#released_assignments_list, #fetched_assignments_list").first).to_be_attached(timeout=30_000)


def cell_with(page, text):
    return page.locator(".jp-Notebook .jp-Cell").filter(has=page.locator(".cm-content", has_text=text)).first


def run_cell(page, cell):
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=60_000)


def student_a_in_the_browser(page, hub):
    """Fetch from the Assignments tab, answer two cells in the editor, self-check, validate, submit."""
    student = hub.students["a"]
    open_assignments(page)
    fetch = page.locator("#released_assignments_list").get_by_role("button", name="Fetch")
    expect(fetch).to_be_visible(timeout=30_000)
    shot(page, "1-student-a-released")
    fetch.click()
    expect(page.locator("#fetched_assignments_list")).to_contain_text(ASSIGNMENT, timeout=30_000)
    shot(page, "2-student-a-fetched")
    assert (student.home / ASSIGNMENT / "assignments" / "selfcheck.py").exists()  # the kit came along

    page.goto(f"{hub.url}/user/{student.name}/lab/tree/{ASSIGNMENT}/{NOTEBOOK}")
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=90_000)
    expect(page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Idle")).to_have_count(1,
                                                                                                  timeout=90_000)
    run_cell(page, cell_with(page, "%matplotlib inline"))
    solutions = answers()
    for name in TYPED:
        cell = cell_with(page, f"def {name}(")
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(solutions[name])
        run_cell(page, cell)
    check = cell_with(page, 'check("relu_forward"')
    run_cell(page, check)
    expect(check.locator(".jp-OutputArea-output")).to_contain_text("✔ relu_forward", timeout=60_000)
    check.scroll_into_view_if_needed()
    shot(page, "3-student-a-self-check")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=30_000)

    page.locator(".jp-Toolbar-item").get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Validat", timeout=180_000)
    expect(dialog.locator(".jp-Dialog-body")).to_contain_text('check("rel_error"', timeout=180_000)  # still a stub
    assert 'check("relu_forward"' not in dialog.locator(".jp-Dialog-body").inner_text()  # answered: passes
    shot(page, "4-student-a-validate")
    dialog.get_by_role("button").last.click()

    page.goto(f"{hub.url}/user/{student.name}/lab")
    expect(page.locator(".jp-LabShell")).to_be_visible(timeout=60_000)
    open_assignments(page)
    page.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
    expect(page.locator("#submitted_assignments_list")).to_contain_text(ASSIGNMENT, timeout=60_000)
    shot(page, "5-student-a-submitted")


def submit_from_the_command_line(hub, role, grade_ids):
    """Fetch (once), answer the given cells of notebook 1, submit it alone (nbgrader warns, the grader
    scores the others 0 as not submitted): as the student, with nbgrader's command line."""
    student = hub.students[role]
    if not (student.home / ASSIGNMENT).exists():
        hub.as_user(student, ["nbgrader", "fetch_assignment", ASSIGNMENT])
    nb = answered(student.home / ASSIGNMENT / NOTEBOOK, grade_ids)
    for other in (student.home / ASSIGNMENT).glob("0[23]_*.ipynb"):  # they submit the notebook they worked on
        other.unlink()
    nbformat.write(nb, student.home / ASSIGNMENT / NOTEBOOK)  # the file stays the student's own
    hub.as_user(student, ["nbgrader", "submit", ASSIGNMENT])
    time.sleep(1.1)  # nbgrader's submissions are told apart by their timestamps


def rows_by_cell(csv_path):
    with open(csv_path) as handle:
        return {(r["student"], r["notebook"], r["grade_id"]): r for r in csv.DictReader(handle)}


def test_a_class_goes_through_fcnet_on_the_hub(hub, browser):
    started = time.monotonic()
    timings = {}
    a, b, c = (hub.students[r] for r in "abc")
    with ThreadPoolExecutor(1) as instructor:  # A logs in (the hub starts their server) while the instructor releases
        release = instructor.submit(hub.instructor_runs, "backprop-lab", "release", ASSIGNMENT, "--exchange",
                                    timeout=600)
        page = log_in(browser, hub, a)
        release.result()
    timings["release"] = round(time.monotonic() - started, 1)
    print(f"hub cycle: release done at {timings['release']} s", flush=True)
    direct = hub.instructor.home / "direct"  # the same course, for grading the collected notebooks directly
    hub.instructor_runs("cp", "-r", str(hub.course), str(direct))

    student_a_in_the_browser(page, hub)
    timings["student A"] = round(time.monotonic() - started, 1)
    print(f"hub cycle: student A done at {timings['student A']} s", flush=True)
    # C submits twice: first with relu_forward only, then with relu_backward too
    submit_from_the_command_line(hub, "c", ["relu_forward"])
    submit_from_the_command_line(hub, "c", ["relu_forward", "relu_backward"])
    # the due date passes; B submits after it, with a penalty the course's nbgrader config sets
    due = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    hub.instructor_runs("nbgrader", "db", "assignment", "add", ASSIGNMENT, f"--duedate={due}")
    with open(hub.course / "nbgrader_config.py", "a") as config:
        config.write('c.LateSubmissionPlugin.penalty_method = "zero"  # a late submission scores 0\n')
    time.sleep(1.1)
    submit_from_the_command_line(hub, "b", ["relu_forward", "affine_forward"])
    timings["submissions"] = round(time.monotonic() - started, 1)
    print(f"hub cycle: submissions done at {timings['submissions']} s", flush=True)

    hub.instructor_runs("nbgrader", "collect", ASSIGNMENT)
    submitted = hub.course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted([a.name, b.name, c.name])
    for student in (a, b, c):
        assert (submitted / student.name / ASSIGNMENT / "timestamp.txt").exists()
    graded = hub.instructor_runs("backprop-lab", "grade", ASSIGNMENT, timeout=600)
    assert "graded 3 of 3 submissions" in graded.stdout, graded.stdout
    timings["grade"] = round(time.monotonic() - started, 1)
    print(f"hub cycle: grade done at {timings['grade']} s", flush=True)
    hub.instructor_runs("backprop-lab", "feedback", ASSIGNMENT)
    hub.instructor_runs("backprop-lab", "export", ASSIGNMENT)
    hub.instructor_runs("nbgrader", "release_feedback", ASSIGNMENT)

    # the grades equal those of the same notebooks graded straight from submitted/ (with the same secret,
    # so the same hidden inputs)
    hub.instructor_runs("mkdir", "-p", str(direct / ".backprop-lab"))
    hub.instructor_runs("cp", str(hub.course / ".backprop-lab" / "secret"), str(direct / ".backprop-lab" / "secret"))
    for student in (a, b, c):
        folder = direct / "submitted" / student.name / ASSIGNMENT
        hub.instructor_runs("mkdir", "-p", str(folder))
        hub.instructor_runs("cp", "-r", *[str(p) for p in (submitted / student.name / ASSIGNMENT).iterdir()
                                          if p.name not in ("timestamp.txt", "submission_secret.txt")], str(folder))
    hub.as_user(hub.instructor, ["backprop-lab", "grade", ASSIGNMENT], cwd=direct, timeout=600)
    hub.as_user(hub.instructor, ["backprop-lab", "export", ASSIGNMENT], cwd=direct)
    timings["direct grade"] = round(time.monotonic() - started, 1)
    print(f"hub cycle: direct grade done at {timings['direct grade']} s", flush=True)
    cycle = rows_by_cell(hub.course / "exports" / ASSIGNMENT / "grades.csv")
    straight = rows_by_cell(direct / "exports" / ASSIGNMENT / "grades.csv")
    late = {key: row for key, row in cycle.items() if key[2] == "late_penalty"}
    differ = {key: (row, straight.get(key)) for key, row in cycle.items()
              if key[2] != "late_penalty" and row != straight.get(key)}
    if differ:  # the whole difference, beyond what pytest's assertion message shows
        (hub.root.parent / f"{hub.root.name}-differ.json").write_text(json.dumps([list(v) for v in differ.values()],
                                                                                indent=1))
    assert not differ and len(cycle) - len(late) == len(straight), (timings, differ)

    # B's late submission carries the configured penalty (all its points), shown in the export
    assert list(late) == [(b.name, NOTEBOOK[:-6], "late_penalty")], late
    earned = sum(float(r["score"]) for k, r in straight.items() if k[0] == b.name)
    assert earned > 0 and float(late[b.name, NOTEBOOK[:-6], "late_penalty"]["score"]) == -earned
    summary = {s.name: json.loads((hub.course / "exports" / ASSIGNMENT / f"{s.name}.json").read_text())
               for s in (a, b, c)}
    assert summary[b.name]["score"] == 0 and summary[b.name]["late_penalty"] == earned
    # C is graded on the second submission: relu_backward (only in the second) earned its points
    cell = cycle[c.name, NOTEBOOK[:-6], "hidden_relu_backward"]
    assert float(cell["score"]) == float(cell["max_score"]) > 0, cell
    # A's typed answers earned their hidden tests; an unanswered object did not
    for name in TYPED:
        cell = cycle[a.name, NOTEBOOK[:-6], f"hidden_{name}"]
        assert float(cell["score"]) == float(cell["max_score"]) > 0, cell
    assert float(cycle[a.name, NOTEBOOK[:-6], "hidden_affine_forward"]["score"]) == 0

    # feedback: A from the Assignments tab, B and C from the command line; each gets their own report
    open_assignments(page)
    page.locator("#submitted_assignments_list").get_by_role("button", name="Fetch Feedback").click()
    expect(page.locator("#submitted_assignments_list")).to_contain_text("feedback", timeout=60_000)
    shot(page, "6-student-a-feedback-fetched")
    for student in (b, c):
        hub.as_user(student, ["nbgrader", "fetch_feedback", ASSIGNMENT])
    reports = {}
    for student in (a, b, c):  # one report per submitted notebook: A submitted all three, B and C notebook 1
        fetched = sorted((student.home / ASSIGNMENT / "feedback").glob("*/*.html"))
        submitted_notebooks = sorted((submitted / student.name / ASSIGNMENT).glob("*.ipynb"))
        assert [p.name for p in fetched] == [p.stem + ".html" for p in submitted_notebooks], (student.name, fetched)
        for report in fetched:
            assert report.read_bytes() == (hub.course / "feedback" / student.name / ASSIGNMENT / report.name).read_bytes()
        reports[student.name] = fetched[0].read_bytes()
    assert len(set(reports.values())) == 3  # notebook 1's three reports differ: each student got their own
    page.goto(f"{hub.url}/user/{a.name}/files/{(a.home / ASSIGNMENT / 'feedback').relative_to(a.home)}/"
              f"{next((a.home / ASSIGNMENT / 'feedback').iterdir()).name}/{NOTEBOOK.replace('.ipynb', '.html')}")
    expect(page.locator("body")).to_contain_text("relu_forward", timeout=30_000)
    shot(page, "7-student-a-report")
    timings["total"] = round(time.monotonic() - started, 1)
    print(f"hub cycle: total done at {timings['total']} s", flush=True)


def test_a_students_kernel_cannot_find_another_submission_or_read_the_course(hub, browser):
    """From student A's own server (their uid, in the browser): the exchange's inbound and feedback
    folders cannot be listed, so B's submission (nbgrader names it with 72 random bits) cannot be found,
    and the instructor's course, its gradebook and B's home are closed."""
    a, b = hub.students["a"], hub.students["b"]
    inbound = hub.exchange / "backprop-lab" / "inbound"
    if not list(inbound.glob(f"{b.name}+*")):
        if not (hub.exchange / "backprop-lab" / "outbound" / ASSIGNMENT).exists():
            hub.instructor_runs("backprop-lab", "release", ASSIGNMENT, "--exchange", timeout=600)
        submit_from_the_command_line(hub, "b", ["relu_forward"])
    assert list(inbound.glob(f"{b.name}+*"))  # it is there
    targets = {"inbound": inbound, "feedback": hub.exchange / "backprop-lab" / "feedback", "course": hub.course,
               "gradebook": hub.course / "gradebook.db", "secret": hub.course / ".backprop-lab" / "secret",
               "b_home": b.home / ASSIGNMENT / NOTEBOOK}
    if not targets["feedback"].exists():  # release_feedback has not run (this test alone)
        del targets["feedback"]
    probe = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                              "display_name": "Python 3 (ipykernel)"}})
    probe.cells.append(nbformat.v4.new_code_cell(
        "import glob, json, os\nfound = {}\n"
        f"for name, path in {json.dumps({k: str(v) for k, v in targets.items()})}.items():\n"
        "    try:\n"
        "        found[name] = 'READ ' + (str(os.listdir(path)) if os.path.isdir(path) else open(path, 'rb').read(20).hex())\n"
        "    except OSError as error:\n"
        "        found[name] = type(error).__name__\n"
        f"found['b_submissions'] = glob.glob({str(inbound)!r} + '/{b.name}*')\n"
        "print('uid', os.getuid(), json.dumps(found))"))
    path = a.home / "isolation.ipynb"
    nbformat.write(probe, path)
    shutil.chown(path, a.name, a.name)
    page = log_in(browser, hub, a)
    page.goto(f"{hub.url}/user/{a.name}/lab/workspaces/isolation/tree/isolation.ipynb")  # only this notebook open
    expect(page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Idle")).to_have_count(1,
                                                                                                  timeout=90_000)
    run_cell(page, cell_with(page, "import glob, json, os"))
    output = page.locator(".jp-OutputArea-output").first
    expect(output).to_contain_text("uid", timeout=30_000)
    shot(page, "8-student-a-isolation")
    text = output.inner_text()
    found = json.loads(text[text.index("{"):])
    assert text.startswith(f"uid {a.uid} ")
    assert found == {**{name: "PermissionError" for name in targets}, "b_submissions": []}, found
