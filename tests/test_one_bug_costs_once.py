"""One bug costs once: an object's points depend on its own code only.

Each later object runs in a namespace holding the instructor's notebook-2/3 code and a broken notebook 1
(stubs, each known mistake, bugs nobody listed); graded like a submission's payload, it keeps full marks.
"""
import numpy as np
import pytest

from assignments import payload
from assignments.tasks import TASKS, run_case
from assignments.tasks.layers import NOTEBOOK_TASKS
from autograder.hidden.mistakes import layers as layer_mistakes
from autograder.hidden.reference import solution_namespace
from autograder.judging.verify import quietly, verify

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
    from autograder.hidden.mistakes import two_layer as two_layer_mistakes
    for mistake in two_layer_mistakes.MISTAKES[:3]:
        namespace = solution_namespace()
        mistake.plant_into(namespace)
        for name in ("train_gd", "train_sgd"):
            judgement = judged(name, namespace)
            assert judgement.passed == judgement.total, (mistake.slug, name)


class StubLayer:
    """A layer class as released: constructible, every method still a stub."""

    def __init__(self, *args):
        pass

    def forward(self, *args):
        raise NotImplementedError()

    def backward(self, *args):
        raise NotImplementedError()


class ReluChangingItsInput:
    def forward(self, x):
        self.mask = x > 0
        x[~self.mask] = 0
        return x

    def backward(self, dout):
        return dout * self.mask


def broken_layer_classes():
    from autograder.hidden.mistakes import two_layer as two_layer_mistakes
    yield "stub classes", {name: StubLayer for name in ("Affine", "Relu", "SoftmaxWithLoss")}
    yield "in-place Relu", {"Relu": ReluChangingItsInput}
    for mistake in two_layer_mistakes.MISTAKES:
        if mistake.task in ("Affine", "Relu", "SoftmaxWithLoss"):
            yield mistake.slug, mistake


def broken(namespace, change):
    if isinstance(change, dict):
        namespace.update(change)
    else:
        change.plant_into(namespace)
    return namespace


@pytest.mark.parametrize("label, change", list(broken_layer_classes()), ids=lambda v: v if isinstance(v, str) else "")
def test_broken_layer_classes_cost_layer_net_nothing(label, change):
    judgement = judged("LayerNet", broken(solution_namespace(), change))
    assert judgement.passed == judgement.total, (label, judgement.message)


def test_a_broken_mse_loss_costs_the_fully_connected_net_nothing():
    from autograder.hidden.mistakes import deep as deep_mistakes
    changes = [{"mse_loss": stub}] + [m for m in deep_mistakes.MISTAKES if m.task == "mse_loss"]
    for change in changes:
        judgement = judged("FullyConnectedNet", broken(solution_namespace(), change))
        assert judgement.passed == judgement.total, (change, judgement.message)


def trained_model_namespace(name, change):
    """The solution namespace with the trained-model function run from its solution cell, as in a notebook,
    so it looks FullyConnectedNet, Solver and the update rules up in the namespace."""
    from autograder.hidden.solutions import solution_source
    namespace = solution_namespace()
    exec(solution_source(name), namespace)
    return broken(namespace, change)


def notebook_three_breakages():
    from autograder.hidden.mistakes import deep as deep_mistakes
    yield "stubs", {name: stub for name in ("FullyConnectedNet", "Solver", "adam")}
    for mistake in deep_mistakes.MISTAKES:
        if mistake.task in ("FullyConnectedNet", "Solver", "adam", "sgd"):
            yield mistake.slug, mistake


@pytest.mark.parametrize("label, change", list(notebook_three_breakages()), ids=lambda v: v if isinstance(v, str) else "")
def test_a_good_recipe_keeps_its_points_whatever_trains_it(label, change):
    judgement = judged("digits_solver", trained_model_namespace("digits_solver", change))
    assert judgement.passed == judgement.total, (label, judgement.message)


def test_mnist1d_recipe_with_a_stub_adam_keeps_its_points():
    judgement = judged("mnist1d_solver", trained_model_namespace("mnist1d_solver", {"adam": stub}))
    assert judgement.passed == judgement.total, judgement.message


WEAK_RECIPE = '''
def digits_solver(data):
    model = FullyConnectedNet([20], 64, 10, weight_scale=0.1, reg=1e-3)
    return Solver(model, data, adam, {"learning_rate": 1e-4}, lr_decay=0.9, batch_size=32, num_epochs=2)
'''


def test_a_weak_recipe_fails_with_or_without_correct_components():
    for change in ({}, {"adam": stub}):
        namespace = broken(solution_namespace(), change)
        exec(WEAK_RECIPE, namespace)
        judgement = judged("digits_solver", namespace)
        assert judgement.passed == 0
        assert "your recipe" in judgement.message and "trained with correct components" in judgement.message


def test_a_forged_recipe_is_refused_before_anything_runs():
    import json
    from assignments.tasks.deep import splits
    from assignments.tasks.recipe import trained_with
    good = {"hidden_dims": [20], "input_dim": 64, "num_classes": 10, "activation": "relu", "reg": 0.0,
            "weight_scale": 0.1, "dtype": "float64", "loss": "softmax", "update_rule": "adam",
            "optim_config": {"learning_rate": 1e-3}, "lr_decay": 1.0, "batch_size": 32, "num_epochs": 1, "seed": 0}
    data = splits("digits_solver", TASKS["digits_solver"].inputs(SEED)[0])
    forged = {"update_rule": "digits_solver", "dtype": "object", "hidden_dims": ["20"], "reg": True,
              "optim_config": {"learning_rate": "0.1"}}
    for key, value in forged.items():
        assert trained_with(solution_namespace(), json.dumps({**good, key: value}), data, 0) == \
            "it is not made of the documented arguments", key
    assert "multiply-adds" in trained_with(solution_namespace(), json.dumps({**good, "hidden_dims": [10 ** 9]}), data, 0)
    assert trained_with(solution_namespace(), "{not json", data, 0).startswith("it could not be trained")
    assert isinstance(trained_with(solution_namespace(), json.dumps(good), data, 0), float)


def test_a_stub_called_from_the_same_notebook_is_named():
    from assignments.tasks import StudentError, invoke
    namespace = {}
    exec("def adam(w, dw, config=None):\n    raise NotImplementedError()\n\n"
         "class Solver:\n    def train(self):\n        return adam(1, 2)\n", namespace)
    with pytest.raises(StudentError) as failure:
        invoke("the Solver from digits_solver(data): train", namespace["Solver"]().train)
    assert str(failure.value) == "the Solver from digits_solver(data): train fails because your `adam` is still a stub"
    with pytest.raises(StudentError) as failure:
        invoke("adam", namespace["adam"], 1, 2)
    assert str(failure.value) == "adam raised NotImplementedError: it is still a stub; write its code and run its cell"


# --- code that never returns ---------------------------------------------------------------------------

LOOP = "def {name}({args}):\n    while True:\n        pass\n"


def collected_with_a_budget(name, namespace, monkeypatch, cell_timeout=4):
    """(Judgement, seconds) of task `name` collected as the probe does in a grading kernel whose cells may run
    `cell_timeout` seconds (the grader passes that in the kernel's environment)."""
    import time
    from assignments.probe import collect
    from assignments.tasks.budget import CELL_TIMEOUT_VARIABLE
    monkeypatch.setenv(CELL_TIMEOUT_VARIABLE, str(cell_timeout))
    start = time.perf_counter()
    with quietly():
        cases = collect(name, namespace, SEED)
    return verify(name, SEED, cases), time.perf_counter() - start


def test_a_notebook_one_function_that_never_returns_costs_the_fully_connected_net_nothing(monkeypatch):
    """The own run hangs in the student's tanh_forward (reached through ACTIVATIONS): stopped after a share of
    the cell's time, once for all cases; the run with stand-ins decides. The cell stays well within its
    timeout."""
    from autograder.hidden.solutions import solution_source
    namespace = solution_namespace()
    exec(LOOP.format(name="tanh_forward", args="x"), namespace)
    exec(solution_source("FullyConnectedNet"), namespace)  # its ACTIVATIONS table holds the looping function
    judgement, seconds = collected_with_a_budget("FullyConnectedNet", namespace, monkeypatch)
    assert judgement.passed == judgement.total, judgement.message
    assert seconds < 4 * 0.5 + 1


def test_an_object_that_never_returns_itself_fails_with_a_clear_message(monkeypatch):
    namespace = solution_namespace()
    exec("class TwoLayerNet:\n    def __init__(self, *args, **kwargs):\n        self.params = {}\n"
         "    def loss(self, X, y=None):\n        while True:\n            pass\n", namespace)
    judgement, seconds = collected_with_a_budget("TwoLayerNet", namespace, monkeypatch)
    assert judgement.passed == 0 and seconds < 4 * 0.5 + 1
    assert judgement.message.startswith(
        "TwoLayerNet did not finish within 1 s: it was still running `TwoLayerNet.loss` (an endless loop?) (case 1 "
        "of 3: ")


def test_a_budget_leaves_no_timer_behind(monkeypatch):
    import signal
    namespace = solution_namespace()
    handler = signal.getsignal(signal.SIGALRM)
    judgement, _ = collected_with_a_budget("Relu", namespace, monkeypatch)
    assert judgement.passed == judgement.total
    assert signal.getsignal(signal.SIGALRM) == handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
