"""`backprop-lab feedback`: one HTML report per student and notebook, with verdicts and hints only."""

from ..course.folder import CourseError, require_course, submitted_students
from ..course.settings import last_error_line, nbgrader_api


def feedback(course_root, assignment):
    """Generate feedback/<student>/<assignment>/*.html -> {student: error message or ""}."""
    course_root = require_course(course_root, assignment)
    if not (course_root / "autograded").is_dir():
        raise CourseError("nothing is graded yet: run `backprop-lab grade` first")
    api = nbgrader_api(course_root)
    outcomes = {}
    for student in submitted_students(course_root, assignment):
        if not (course_root / "autograded" / student / assignment).is_dir():
            outcomes[student] = "not graded yet"
            continue
        result = api.generate_feedback(assignment, student, force=True)
        outcomes[student] = "" if result["success"] else last_error_line(result)
        keep_only_reports(course_root / "feedback" / student / assignment)
    return outcomes


# what nbgrader's release_feedback reads beside the reports to address each to its submission (the student's
# own submit wrote both, so neither tells them anything new)
RELEASE_KEYS = ("timestamp.txt", "submission_secret.txt")


def keep_only_reports(folder):
    """Remove from a feedback folder everything but the HTML reports the grader made (and the files
    release_feedback needs): nbgrader copies the submission's other files there too, and the reports go
    back to the student."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_symlink() or path.is_file():
            kept = path.parent == folder and (path.suffix == ".html" or path.name in RELEASE_KEYS)
            if path.is_symlink() or not kept:
                path.unlink()
        elif path.is_dir():
            path.rmdir()
