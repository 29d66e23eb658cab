"""Feedback reports and grade exports: verdicts and hints in, hidden tests and grader paths out."""
import csv
import json

import nbformat

from conftest import ASSIGNMENT, NOTEBOOK, UNGRADABLE


def hidden_test_lines(course):
    nb = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    lines = set()
    for cell in nb.cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            block = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            lines |= {line.strip() for line in block.splitlines() if line.strip()}
    return lines


def test_feedback_html_shows_verdicts_but_no_hidden_tests_or_paths(graded, reports):
    failed = {student: error for student, error in reports.items() if error and student not in UNGRADABLE}
    assert not failed, failed
    secrets = hidden_test_lines(graded.course) | {"BEGIN HIDDEN TESTS", str(graded.course), "/autograder/"}
    assert 'probe("svm_loss", globals())' in secrets
    reports = list((graded.course / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert len(reports) >= len(graded.students) - 1 - len(UNGRADABLE)  # and the corrupt notebook
    for report in reports:
        html = report.read_text()
        if report.parts[-3].startswith("hostile_"):  # their own code names the course folder, as a student might
            html = html.replace(str(graded.course), "")
        leaked = [s for s in secrets if s in html]
        assert not leaked, (report, leaked)
    # a round of known mistakes now covers every notebook-1 object: its report shows hints, the solution's passes
    mistaken = (graded.course / "feedback" / "mistakes_0" / ASSIGNMENT / "01_layers.html").read_text()
    solved = (graded.course / "feedback" / "solution" / ASSIGNMENT / "01_layers.html").read_text()
    assert "Hint:" in mistaken and "judged by the grader" in solved
    plots = (graded.course / "feedback" / "solution" / ASSIGNMENT / "02_two_layer_net.html").read_text()
    # the student's own training curves and boundaries, as submitted: the grader does not re-run plot cells
    assert plots.count("data:image/png;base64") >= 3 and "not re-run by the grader" in plots


def test_grades_csv_has_one_row_per_student_and_graded_cell(graded):
    with open(graded.course / "exports" / ASSIGNMENT / "grades.csv") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["student", "notebook", "grade_id", "score", "max_score", "message", "sandbox",
                                 "set_aside"]
    per_student = {s: [r for r in rows if r["student"] == s] for s in graded.students}
    counts = {len(r) for r in per_student.values()}
    assert len(counts) == 1 and counts.pop() == 29 + 17 + 20  # per notebook: objects + checks + hidden + answers
    assert all(r["message"] == "" for r in per_student["solution"] if r["grade_id"].startswith(("check", "hidden")))


def test_one_json_per_student_with_totals(graded):
    summary = json.loads((graded.course / "exports" / ASSIGNMENT / "solution.json").read_text())
    assert summary["student"] == "solution" and summary["score"] == 45 + 25 + 30 and summary["max_score"] == 48 + 28 + 32
    assert len(summary["cells"]) == 29 + 17 + 20


def test_whatever_a_submission_captures_holds_no_reference(graded, reports):
    """A TwoLayerNet that records the module, file and source of every function it is given, printed in a
    later cell: the student gets back the stand-ins (public kit code) and their own code, nothing else."""
    nb = graded.autograded("cheat_capture", "02_two_layer_net.ipynb")
    text = str([c.get("outputs") for c in nb.cells])
    html = (graded.course / "feedback" / "cheat_capture" / ASSIGNMENT / "02_two_layer_net.html").read_text()
    assert "affine_forward from assignments.tasks.standins" in text  # the capture ran, in the stand-in run too
    reference = (graded.course / "source" / ASSIGNMENT / "01_layers.ipynb").read_text()
    for returned in (text, html):
        assert "autograder" not in returned and "<solution " not in returned and "<mistake " not in returned
        assert "logaddexp" not in returned  # a line only the hidden reference has
    assert graded.cells("cheat_capture", "02_two_layer_net.ipynb")["hidden_TwoLayerNet"][0] == 3
    assert reference  # the source notebook exists (its solutions are the student's own code here)
