"""One bug costs once: an object's points depend on its own code only.

Each later object runs in a namespace holding the instructor's notebook-2/3 code and a broken notebook 1
(stubs, each known mistake, bugs nobody listed); graded like a submission's payload, it keeps full marks.
"""
import numpy as np
import pytest

from assignments import payload
from assignments.tasks import TASKS, run_case
from assignments.tasks.layers import NOTEBOOK_TASKS
from autograder.mistakes import layers as layer_mistakes
from autograder.reference import solution_namespace
from autograder.verify import quietly, verify

NOTEBOOK1 = {task.name for task in NOTEBOOK_TASKS}
LATER = [name for name in TASKS if name not in NOTEBOOK1 and name not in ("digits_solver", "mnist1d_solver")]
SEED = 424242


def stub(*args, **kwargs):
    raise NotImplementedError()


def affine_forward_newshape(x, w, b):  # NumPy 2.4 removed the keyword
    return np.reshape(x, newshape=(x.shape[0], -1)) @ w + b, (x, w, b)


def relu_forward_in_place(x):
    x[x < 0] = 0
    return x, x


def softmax_loss_transposed(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(len(y)), y] -= 1
    return float(-np.log(probs[np.arange(len(y)), y]).mean()), dscores.T.T / len(y) * 2


UNLISTED = {
    "newshape keyword": {"affine_forward": affine_forward_newshape},
    "in-place relu": {"relu_forward": relu_forward_in_place},
    "doubled softmax gradient": {"softmax_loss": softmax_loss_transposed},
}
BROKEN = {
    "untouched stubs": {name: stub for name in NOTEBOOK1},
    **{m.slug: m for m in layer_mistakes.MISTAKES},
    **UNLISTED,
}


def judged(name, namespace):
    task = TASKS[name]
    with quietly():
        cases = [payload.encode_case(run_case(task, namespace, inputs)) for inputs in task.inputs(SEED)]
    return verify(name, SEED, cases)


@pytest.mark.parametrize("broken", list(BROKEN), ids=str)
def test_a_broken_notebook_one_costs_later_objects_nothing(broken):
    namespace = solution_namespace()
    change = BROKEN[broken]
    if isinstance(change, dict):
        namespace.update(change)
    else:
        change.plant_into(namespace)
    for name in LATER:
        judgement = judged(name, namespace)
        assert judgement.passed == judgement.total, (broken, name, judgement.message)


def test_unlisted_notebook_one_bugs_do_fail_their_own_object():
    for changes in UNLISTED.values():
        for name, function in changes.items():
            assert judged(name, {**solution_namespace(), name: function}).passed < TASKS[name].n_cases, name


def test_a_failure_in_an_earlier_notebook_names_it():
    from assignments.notebooks import definitions_of
    namespace = {}
    exec(definitions_of("def affine_forward(x, w, b):\n    raise NotImplementedError()\n",
                        "<01_layers.ipynb, cell 23>"), namespace)
    from assignments.tasks import StudentError, invoke
    with pytest.raises(StudentError) as failure:
        invoke("TwoLayerNet.loss", lambda: namespace["affine_forward"](1, 2, 3))
    assert str(failure.value) == "TwoLayerNet.loss fails because your notebook-1 `affine_forward` is still a stub"


def test_a_wrong_network_costs_the_training_loops_nothing():
    from autograder.mistakes import two_layer as two_layer_mistakes
    for mistake in two_layer_mistakes.MISTAKES[:3]:
        namespace = solution_namespace()
        mistake.plant_into(namespace)
        for name in ("train_gd", "train_sgd"):
            judgement = judged(name, namespace)
            assert judgement.passed == judgement.total, (mistake.slug, name)
