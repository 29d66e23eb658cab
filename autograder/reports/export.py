"""`backprop-lab export`: grades.csv (one row per student and graded cell) and one JSON per student."""
import csv
import json

import nbformat

from ..course.folder import require_course, submitted_students
from ..course.settings import nbgrader_config
from ..isolation.renamed import renamed_from, renamed_note
from ..judging.verdicts import METADATA_KEY
from ..scheduling.student import grading_status

COLUMNS = ["student", "notebook", "grade_id", "score", "max_score", "message", "sandbox", "set_aside"]


def graded_cells(notebook_path):
    """grade_ids of the graded cells of a notebook, in notebook order."""
    nb = nbformat.read(notebook_path, as_version=4)
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def verdict_messages(path):
    """({grade_id: verdict message}, "on"/"off"/"") recorded by the grader in an autograded notebook:
    the verdicts and whether its kernel ran in the sandbox."""
    if not path.exists():
        return {}, ""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return {}, ""
    messages = {c.metadata["nbgrader"]["grade_id"]: c.metadata[METADATA_KEY]["message"]
                for c in nb.cells if METADATA_KEY in c.metadata and "nbgrader" in c.metadata}
    return messages, nb.metadata.get(METADATA_KEY, {}).get("sandbox", "")


def renamed_hint(folder, notebooks):
    """' (found X.ipynb: ...)' when the folder holds notebooks under names the assignment does not know."""
    strangers = sorted(p.name for p in folder.glob("*.ipynb") if p.stem not in notebooks)
    return f" (found {', '.join(strangers)}: notebooks must keep their released names)" if strangers else ""


def student_rows(gb, course_root, assignment, student, notebooks):
    from nbgrader.api import MissingEntry

    status = grading_status(course_root, assignment, student)
    failure, unreadable = status["error"], status.get("unreadable", {})
    set_aside = "; ".join(f"{path} ({kind}): set aside, not graded" for path, kind in status.get("set_aside", {}).items())
    rows = []
    for notebook, grade_ids in notebooks.items():
        submitted = course_root / "submitted" / student / assignment / f"{notebook}.ipynb"
        messages, sandbox = verdict_messages(course_root / "autograded" / student / assignment / f"{notebook}.ipynb")
        for grade_id in grade_ids:
            by_hand = None
            try:
                grade = gb.find_grade(grade_id, notebook, assignment, student)
                awaiting = grade.needs_manual_grade and grade.manual_score is None
                score, max_score = (None if awaiting else grade.score), grade.max_score
                if grade.manual_score is not None:  # scored in formgrader
                    by_hand = hand_graded_message(gb, grade_id, notebook, assignment, student, messages.get(grade_id))
            except MissingEntry:
                score, max_score = 0.0, gb.find_grade_cell(grade_id, notebook, assignment).max_score
            if notebook in unreadable:
                message, score = f"{notebook}.ipynb could not be read ({unreadable[notebook]})", 0.0
            elif not submitted.exists():
                message = f"{notebook}.ipynb was not submitted" + renamed_hint(submitted.parent, notebooks)
                score = 0.0
            elif by_hand:
                message = by_hand
            elif grade_id in messages:
                message = messages[grade_id]
            elif failure:
                message, score = f"not graded: {failure}", 0.0
            elif score is None:
                message = "awaiting manual grading"
            else:
                message = "no answer was given" if score < max_score else ""
            original = renamed_from(submitted.parent, notebook)
            if original and renamed_note(original, notebook) not in message:  # cells without a verdict of ours
                message = "; ".join(part for part in (message, renamed_note(original, notebook)) if part)
            rows.append({"student": student, "notebook": notebook, "grade_id": grade_id,
                         "score": "" if score is None else round(float(score), 2),
                         "max_score": round(float(max_score), 2), "message": message,
                         "sandbox": sandbox or status.get("sandbox", ""), "set_aside": set_aside})
    return rows


def late_rows(gb, assignment, student):
    """One row per notebook that nbgrader's AssignLatePenalties charged (as the course's nbgrader config
    says, `LateSubmissionPlugin`): a negative score, so a student's rows add up to their grade."""
    from nbgrader.api import MissingEntry

    try:
        submission = gb.find_submission(assignment, student)
    except MissingEntry:
        return []
    late_by = round(submission.total_seconds_late or 0)
    return [{"student": student, "notebook": notebook.name, "grade_id": "late_penalty",
             "score": -round(float(notebook.late_submission_penalty), 2), "max_score": 0.0,
             "message": f"late penalty: submitted {late_by} s after the due date ({submission.duedate} UTC)",
             "sandbox": "", "set_aside": ""}
            for notebook in sorted(submission.notebooks, key=lambda n: n.name) if notebook.late_submission_penalty]


def hand_graded_message(gb, grade_id, notebook, assignment, student, verdict=None):
    """'graded by hand', with the instructor's comment and (for an autograded cell) the grader's verdict."""
    from nbgrader.api import MissingEntry

    try:
        comment = gb.find_comment(grade_id, notebook, assignment, student)
        remark = (comment.manual_comment or comment.auto_comment or "").strip()
    except MissingEntry:  # only solution cells have comments
        remark = ""
    return "graded by hand" + (f": {remark}" if remark else "") + (f" (the grader said: {verdict})" if verdict else "")


def export(course_root, assignment):
    """Write exports/<assignment>/grades.csv and <student>.json; return the CSV path."""
    from nbgrader.api import Gradebook

    course_root = require_course(course_root, assignment)
    source = course_root / "source" / assignment
    notebooks = {p.stem: graded_cells(p) for p in sorted(source.glob("*.ipynb"))}
    out = course_root / "exports" / assignment
    out.mkdir(parents=True, exist_ok=True)
    config = nbgrader_config(course_root)
    all_rows = []
    with Gradebook(config.CourseDirectory.db_url, course_id=config.CourseDirectory.course_id) as gb:
        for student in submitted_students(course_root, assignment):
            rows = student_rows(gb, course_root, assignment, student, notebooks)
            rows += late_rows(gb, assignment, student)
            all_rows += rows
            scored = [r for r in rows if r["score"] != ""]
            summary = {"student": student, "assignment": assignment,
                       "score": round(sum(r["score"] for r in scored), 2),
                       "late_penalty": -round(sum(r["score"] for r in rows if r["grade_id"] == "late_penalty"), 2),
                       "max_score": round(sum(r["max_score"] for r in rows), 2),
                       "sandbox": next((s for s in ("off", "on") if any(r["sandbox"] == s for r in rows)), ""),
                       "set_aside": grading_status(course_root, assignment, student).get("set_aside", {}),
                       "renamed": {f"{notebook}.ipynb": original for notebook in notebooks
                                   for original in [renamed_from(course_root / "submitted" / student / assignment,
                                                                 notebook)] if original},
                       "cells": rows}
            (out / f"{student}.json").write_text(json.dumps(summary, indent=1) + "\n")
    with open(out / "grades.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(all_rows)
    return out / "grades.csv"
