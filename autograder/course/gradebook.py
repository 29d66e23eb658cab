"""The course's gradebook: where it lives (SQLite file or PostgreSQL server) and how one student's
autograde results move from a worker's scratch gradebook into it.

Where: `--db URL` on the command line (exported as $BACKPROP_LAB_DB), else $BACKPROP_LAB_DB, else the
first line of `.backprop-lab/gradebook-url` in the course, else `gradebook.db` in the course folder.
A PostgreSQL URL has the form `postgresql://USER:PASSWORD@HOST:PORT/DATABASE` (psycopg 3 is the driver).

What moves: everything nbgrader's autograde writes for one submission (the submission's timestamp,
each notebook's late penalty, each graded cell's auto score, each answer cell's automatic comment),
as plain JSON-able values: {"timestamp": ISO text or None, "notebooks": {notebook: {"late_penalty":
float or None, "grades": {cell: [auto_score, needs_manual_grade]}, "comments": {cell: text or None}}}}.
"""
import os
from pathlib import Path

URL_VARIABLE = "BACKPROP_LAB_DB"
URL_FILE = Path(".backprop-lab") / "gradebook-url"
CONNECT_SECONDS = 5  # a gradebook server that does not answer in this time is reported, not waited for


def sqlite_url(course_root):
    # parallel local graders wait up to 60 s for SQLite's write lock instead of failing
    return f"sqlite:///{Path(course_root).resolve()}/gradebook.db?timeout=60"


def gradebook_url(course_root):
    """The SQLAlchemy URL of the course's gradebook (see the module docstring for the order of lookup)."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url and (Path(course_root) / URL_FILE).is_file():
        url = (Path(course_root) / URL_FILE).read_text().strip().split("\n")[0].strip()
    if not url:
        return sqlite_url(course_root)
    for scheme in ("postgresql://", "postgres://"):  # SQLAlchemy would look for psycopg2, which we do not ship
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


def shown(url):
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(an unreadable URL)"


def check_gradebook(course_root, assignment):
    """Refuse, with a message saying what to do, a gradebook that is missing, unreachable or does not
    know the assignment; then make sure the rows nbgrader's graders create on first use exist, so that
    parallel graders never race to insert them."""
    from nbgrader.api import Gradebook
    from sqlalchemy import create_engine, inspect, text

    from .folder import CourseError

    url = gradebook_url(course_root)
    if url == sqlite_url(course_root) and not (Path(course_root) / "gradebook.db").exists():
        raise CourseError("no gradebook.db: run `backprop-lab release` first")
    try:
        connect_args = {"connect_timeout": CONNECT_SECONDS} if url.startswith("postgresql") else {}
        engine = create_engine(url, connect_args=connect_args)
        try:
            with engine.connect() as connection:
                known = "assignment" in inspect(connection).get_table_names() and connection.execute(
                    text("SELECT 1 FROM assignment WHERE name = :name"), {"name": assignment}).first()
        finally:
            engine.dispose()
    except Exception as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CourseError(f"cannot open the gradebook {shown(url)}: {reason}") from None
    if not known:
        raise CourseError(f"the gradebook {shown(url)} does not know assignment {assignment}: "
                          "run `backprop-lab release` with the same gradebook first")
    Gradebook(url).close()  # nbgrader's SaveAutoGrades opens the gradebook as course "default_course"


def read_results(db_url, assignment, student):
    """One student's autograde results in the gradebook at db_url, or None when it has no submission."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        return {"timestamp": submission.timestamp.isoformat() if submission.timestamp else None,
                "notebooks": {nb.name: {"late_penalty": nb.late_submission_penalty,
                                        "grades": {g.name: [g.auto_score, g.needs_manual_grade] for g in nb.grades},
                                        "comments": {c.name: c.auto_comment for c in nb.comments}}
                              for nb in submission.notebooks}}


def record_results(gb, assignment, student, results):
    """Write one student's autograde results (from read_results) into an open nbgrader Gradebook, as
    nbgrader's autograde would have: a cell that already has a manual score is marked for review."""
    gb.update_or_create_student(student)
    if results["timestamp"]:
        gb.update_or_create_submission(assignment, student, timestamp=results["timestamp"])
    else:
        gb.update_or_create_submission(assignment, student)
    for name, written in results["notebooks"].items():
        notebook = gb.find_submission_notebook(name, assignment, student)
        notebook.late_submission_penalty = written["late_penalty"]
        for grade in notebook.grades:
            grade.auto_score, needs_review = written["grades"][grade.name]
            grade.needs_manual_grade = bool(needs_review) or grade.manual_score is not None
        for comment in notebook.comments:
            comment.auto_comment = written["comments"][comment.name]
    gb.db.commit()


def assignment_layout(db_url, assignment):
    """{notebook: sorted names of its graded and commented cells}: what two gradebooks must share for
    results to move between them."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {nb.name: sorted({c.name for c in nb.grade_cells} | {c.name for c in nb.solution_cells}
                                | {c.name for c in nb.task_cells})
                for nb in gb.find_assignment(assignment).notebooks}


def assignment_duedate(db_url, assignment):
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return gb.find_assignment(assignment).duedate
