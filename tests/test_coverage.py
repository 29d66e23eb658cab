"""Every documented behaviour in every hidden case; every known mistake loses its object's points.

Each task declares the behaviours its notebook text states (`Task.behaviours`) with a predicate saying
whether a case's inputs can tell code with the behaviour from code without it. A case that cannot must be
explained (`Behaviour.unless`), and no case that cannot show a behaviour carries points of its own: every
known mistake, judged as the grader judges a submission, scores 0 on its hidden cell, with no exception.
"""
import numpy as np
import pytest

from assignments import payload
from assignments.tasks import TASKS, run_case
from autograder.hidden.mistakes import all_mistakes
from autograder.hidden.reference import solution_namespace
from autograder.judging.verify import quietly, verify

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


def graded(name, namespace, seed=0):
    task = TASKS[name]
    with quietly():
        cases = [payload.encode_case(run_case(task, namespace, case)) for case in task.inputs(seed)]
    return verify(name, seed, cases)


@pytest.mark.parametrize("rule", ["sgd_momentum", "rmsprop", "adam"])
def test_every_update_rule_case_starts_one_parameter_fresh_and_one_from_a_given_state(rule):
    """The first call for one parameter gets None or the hyperparameters alone; the first call for the other
    gets the documented state; later calls get back the config the rule returned."""
    from assignments.tasks.deep import HYPERPARAMETERS, STATE
    reference = solution_namespace()[rule]
    for seed in range(3):
        for case in TASKS[rule].inputs(seed):
            calls = []

            def recording(w, dw, config=None):
                calls.append((id(w), None if config is None else dict(config)))
                return reference(w, dw, config)

            run_case(TASKS[rule], {rule: recording}, case)
            first, second = calls[0][1], calls[1][1]
            assert first is None or set(first) <= set(HYPERPARAMETERS[rule]), first
            assert set(STATE[rule]) <= set(second), second
            assert all(set(STATE[rule]) <= set(config) for _, config in calls[2:]), "later steps continue from state"


def test_a_loss_returned_as_an_array_loses_every_case_with_a_clear_message():
    def softmax_loss_1x1(scores, y):
        loss, dscores = solution_namespace()["softmax_loss"](scores, y)
        return np.array([[loss]]), dscores

    judgement = graded("softmax_loss", {**solution_namespace(), "softmax_loss": softmax_loss_1x1})
    assert judgement.passed == 0
    assert "the loss softmax_loss returns should be a float, got an array of shape (1, 1)" in judgement.message


def test_forward_caches_are_checked_as_documented():
    namespace = solution_namespace()
    affine, relu = namespace["affine_forward"], namespace["relu_forward"]
    allowed = {  # the text: cache x and w (the docstring adds b); relu's mask may come from out
        "affine_forward": lambda x, w, b: (affine(x, w, b)[0], (x, w)),
        "relu_forward": lambda x: (relu(x)[0], relu(x)[0]),
    }
    wrong = {
        "affine_forward": lambda x, w, b: (affine(x, w, b)[0], (x.reshape(len(x), -1), w, b)),
        "relu_forward": lambda x: (relu(x)[0], x > 0),
    }
    for name in allowed:
        assert graded(name, {**namespace, name: allowed[name]}).passed == 3, name
        judgement = graded(name, {**namespace, name: wrong[name]})
        assert judgement.passed == 0 and "`cache" in judgement.message, judgement.message


def test_a_loss_with_0_log_0_scores_0_and_is_told_why():
    """One-hot labels times log(p) give 0 * log(0) = NaN where a probability underflows: every case has such a
    row, and the hint of np.log of an underflowed probability (the same overflow) explains it."""
    def softmax_loss_one_hot_log(scores, y):
        n, c = scores.shape
        one_hot = np.eye(c)[y]
        exps = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = exps / exps.sum(axis=1, keepdims=True)
        return float(-np.sum(one_hot * np.log(probs)) / n), (probs - one_hot) / n

    judgement = graded("softmax_loss", {**solution_namespace(), "softmax_loss": softmax_loss_one_hot_log})
    assert judgement.passed == 0 and "0 * log(0) is NaN" in judgement.message, judgement.message
