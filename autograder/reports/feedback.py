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


def keep_only_reports(folder):
    """Remove from a feedback folder everything but the HTML reports the grader made: nbgrader copies the
    submission's other files there too, and the folder goes back to the student."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_symlink() or path.is_file():
            if path.is_symlink() or path.suffix != ".html" or path.parent != folder:
                path.unlink()
        elif path.is_dir():
            path.rmdir()
