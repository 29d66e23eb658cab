"""Every documented behaviour in every hidden case; every known mistake loses its object's points.

Each task declares the behaviours its notebook text states (`Task.behaviours`) with a predicate saying
whether a case's inputs can tell code with the behaviour from code without it. A case that cannot must be
explained (`Behaviour.unless`), and no case that cannot show a behaviour carries points of its own: every
known mistake, judged as the grader judges a submission, scores 0 on its hidden cell, with no exception.
"""
import pytest

from assignments import payload
from assignments.tasks import TASKS, run_case
from autograder.mistakes import all_mistakes
from autograder.reference import solution_namespace
from autograder.verify import quietly, verify

SEEDS = range(20)
MISTAKE_SEEDS = range(3)
TRAINED = {"digits_solver", "mnist1d_solver"}  # one case each, judged by checks on the trained model only


@pytest.mark.parametrize("name", [name for name in TASKS if name not in TRAINED])
def test_every_case_exercises_every_documented_behaviour(name):
    task = TASKS[name]
    assert task.behaviours, f"{name} declares no behaviours"
    for seed in SEEDS:
        for index, inputs in enumerate(task.inputs(seed)):
            for behaviour in task.behaviours:
                assert behaviour.exercised(inputs) or behaviour.unless, (name, seed, index, behaviour.text)
        for behaviour in task.behaviours:  # an explained exception still leaves some case that shows it
            assert any(behaviour.exercised(inputs) for inputs in task.inputs(seed)), (name, seed, behaviour.text)


@pytest.mark.parametrize("mistake", all_mistakes(), ids=lambda m: m.slug)
def test_every_known_mistake_scores_0_on_its_hidden_cell(mistake):
    task = TASKS[mistake.task]
    for seed in MISTAKE_SEEDS:
        namespace = solution_namespace()
        mistake.plant_into(namespace)
        inputs = task.inputs(seed)
        with quietly():
            cases = [payload.encode_case(run_case(task, namespace, case)) for case in inputs]
        judgement = verify(task.name, seed, cases)
        assert judgement.passed == 0, (seed, judgement.message)
