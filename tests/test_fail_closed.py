"""With the verdict step missing or broken, graded cells score zero, never full marks."""
import pytest

import autograder.judging.preprocessors
from autograder.course.settings import nbgrader_api
from autograder.commands.simulate import solved, submit

from conftest import ASSIGNMENT, NOTEBOOK, TIMEOUT, copy_course


@pytest.fixture
def solved_course(course, notebooks, tmp_path):
    root = copy_course(course, tmp_path)
    submit(root, "solver", ASSIGNMENT, {NOTEBOOK: solved(*notebooks)})
    return root


def scores_of(api, student):
    from nbgrader.api import Gradebook
    with Gradebook(api.coursedir.db_url, course_id=api.coursedir.course_id) as gb:
        notebook = gb.find_submission_notebook(NOTEBOOK[:-6], ASSIGNMENT, student)
        return {g.name: (g.score, g.max_score) for g in notebook.grades if g.name.startswith(("check_", "hidden_"))}


def autograde(api, student):
    result = api.autograde(ASSIGNMENT, student, force=True, create=True)
    assert result["success"], result.get("error")


def test_without_the_verdict_step_every_tested_cell_scores_zero(solved_course):
    api = nbgrader_api(solved_course, TIMEOUT)
    pipeline = [p for p in api.config.Autograde.autograde_preprocessors if not p.endswith("JudgeOutputs")]
    api.config.Autograde.autograde_preprocessors = pipeline
    autograde(api, "solver")
    scores = scores_of(api, "solver")
    assert len(scores) == 26 and all(score == 0 for score, _ in scores.values())


def test_with_stock_nbgrader_execute_every_tested_cell_scores_zero(solved_course):
    api = nbgrader_api(solved_course, TIMEOUT)
    api.config.Autograde.autograde_preprocessors = [
        "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.SaveAutoGrades"]
    autograde(api, "solver")
    assert all(score == 0 for score, _ in scores_of(api, "solver").values())


def test_a_crashing_verifier_scores_zero_with_a_reason(solved_course, monkeypatch):
    def broken(*args):
        raise RuntimeError("verifier bug")

    monkeypatch.setattr(autograder.judging.preprocessors, "verify", broken)
    api = nbgrader_api(solved_course, TIMEOUT)
    autograde(api, "solver")
    assert all(score == 0 for score, _ in scores_of(api, "solver").values())
