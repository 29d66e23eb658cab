"""`backprop-lab feedback`: one HTML report per student and notebook, with verdicts and hints only."""
from pathlib import Path

from .course import CourseError, last_error_line, nbgrader_api, submitted_students


def feedback(course_root, assignment):
    """Generate feedback/<student>/<assignment>/*.html -> {student: error message or ""}."""
    course_root = Path(course_root).resolve()
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
    return outcomes
