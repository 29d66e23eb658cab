"""Which run a failure is described from, word for word: the student's own run whenever it shows the
object's mistake (numbers they can reproduce), the run with stand-ins only when the stand-ins are the reason
the mistake can be seen (another object of theirs is broken too, or never returns)."""
import numpy as np

from autograder.hidden.mistakes import all_mistakes
from autograder.hidden.reference import solution_namespace
from autograder.hidden.solutions import solution_source
from heldout_mistakes import graded
from heldout_mistakes_2 import HELD_OUT_2

SEED = 424242
REG_BIASES = next(m for m in all_mistakes() if m.slug == "TwoLayerNet__reg_biases")
FCN_REG_BIASES = next(m for m in all_mistakes() if m.slug == "FullyConnectedNet__reg_biases")


class TwoLayerNetRegularisingBiases:
    """Its own matrix products (no notebook-1 call), with the biases in the L2 term."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3, reg=0.0):
        self.params = {"W1": weight_scale * np.random.randn(input_dim, hidden_dim), "b1": np.zeros(hidden_dim),
                       "W2": weight_scale * np.random.randn(hidden_dim, num_classes), "b2": np.zeros(num_classes)}
        self.reg = reg

    def loss(self, X, y=None):
        p = self.params
        hidden = np.maximum(0, X @ p["W1"] + p["b1"])
        scores = hidden @ p["W2"] + p["b2"]
        if y is None:
            return scores
        n = len(y)
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        probs = np.exp(log_probs)
        loss = -log_probs[np.arange(n), y].mean() + 0.5 * self.reg * sum(np.sum(v * v) for v in p.values())
        d = probs.copy()
        d[np.arange(n), y] -= 1
        d /= n
        dhidden = (d @ p["W2"].T) * (hidden > 0)
        grads = {"W1": X.T @ dhidden, "b1": dhidden.sum(0), "W2": hidden.T @ d, "b2": d.sum(0)}
        return float(loss), {name: grads[name] + self.reg * p[name] for name in grads}


def test_a_net_that_never_calls_notebook_one_is_told_about_its_loss_from_its_own_run():
    namespace = {**solution_namespace(), "TwoLayerNet": TwoLayerNetRegularisingBiases}
    assert graded("TwoLayerNet", namespace, SEED).message == (
        "TwoLayerNet: `loss` differs: got 2373.57, expected 2373.23 (relative error 1.4e-04) (case 1 of 3: a new "
        "net with weight_scale 0.00358, then X of shape (3, 8) (row 0 scaled up: its scores spread by ~1000), y of "
        "shape (3,), reg 0.595). Hint: your loss matches regularising the biases too; the L2 term covers the "
        "weights W1 and W2 only")


def test_a_softmax_layer_ignoring_dout_is_told_about_dout_first():
    entry = next(entry for entry in HELD_OUT_2 if entry.label == "SoftmaxWithLoss.backward ignores dout")
    assert entry.judgement(SEED).message == (
        "SoftmaxWithLoss: `backward(dout)` differs at index (0, 0): got 0.166667, expected 0.556168 (relative "
        "error 7.0e-01) (case 1 of 3: scores of shape (6, 3), y of shape (6,) and dout 3.34). Hint: your backward "
        "ignores dout: return dscores * dout, so an objective that scales the loss scales its gradient too")


def test_the_stand_ins_are_named_when_a_notebook_one_bug_hides_the_mistake():
    """Its affine_forward forgets the bias, so its own run differs first in `scores`, which the net computes
    right: the run with stand-ins shows the net's own mistake, and says so."""
    namespace = solution_namespace()
    namespace["affine_forward"] = lambda x, w, b: (x.reshape(x.shape[0], -1) @ w, (x, w, b))
    REG_BIASES.plant_into(namespace)
    message = graded("TwoLayerNet", namespace, SEED).message
    assert message.startswith("TwoLayerNet: `loss` differs: ") and message.endswith(
        "reg 0.595; with stand-ins for the other graded objects it calls). Hint: your loss matches regularising "
        "the biases too; the L2 term covers the weights W1 and W2 only"), message


def test_the_stand_ins_are_named_when_the_own_run_hangs_in_another_object(monkeypatch):
    from assignments.probe import collect
    from assignments.tasks.budget import CELL_TIMEOUT_VARIABLE
    from autograder.judging.verify import quietly, verify
    monkeypatch.setenv(CELL_TIMEOUT_VARIABLE, "4")
    namespace = solution_namespace()
    exec("def tanh_forward(x):\n    while True:\n        pass\n", namespace)
    exec(solution_source("FullyConnectedNet"), namespace)
    FCN_REG_BIASES.plant_into(namespace)
    with quietly():
        cases = collect("FullyConnectedNet", namespace, SEED)
    judgement = verify("FullyConnectedNet", SEED, cases)
    assert judgement.passed == 0
    assert "did not finish" not in judgement.message and "with stand-ins for the other graded objects it calls" \
        in judgement.message and "biases" in judgement.message, judgement.message


def test_the_stand_ins_are_named_when_only_their_run_names_the_mistake():
    """No ReLU shows in `scores` in both runs, but the own run's scores also carry its affine_forward's missing
    bias, so only the run with stand-ins matches the known mistake: the message is that run's, and says so."""
    namespace = solution_namespace()
    namespace["affine_forward"] = lambda x, w, b: (x.reshape(x.shape[0], -1) @ w, (x, w, b))
    next(m for m in all_mistakes() if m.slug == "TwoLayerNet__no_relu").plant_into(namespace)
    message = graded("TwoLayerNet", namespace, SEED).message
    assert message.startswith("TwoLayerNet: `scores` differs at index ") and message.endswith(
        "reg 0.595; with stand-ins for the other graded objects it calls). Hint: your scores match a net without "
        "the ReLU between the two affine layers"), message


def test_every_later_mistake_is_named_beside_the_notebook_one_mistakes_it_shares_a_submission_with():
    """As the graded class's mistakes_<k> submissions pair them (conftest.mistake_rounds): a notebook-1 mistake
    in the own run must not keep a later object's known mistake from being named (in the run with stand-ins)."""
    from conftest import MISTAKES, NOTEBOOK, mistake_rounds
    rounds = {filename: mistake_rounds(mistakes) for filename, mistakes in MISTAKES.items()}
    unnamed = []
    for index in range(max(map(len, rounds.values()))):
        first = rounds[NOTEBOOK][index] if index < len(rounds[NOTEBOOK]) else []
        for filename, groups in rounds.items():
            for mistake in groups[index] if filename != NOTEBOOK and index < len(groups) else ():
                namespace = solution_namespace()
                for planted in (*first, mistake):
                    planted.plant_into(namespace)
                judgement = graded(mistake.task, namespace, SEED)
                if not (judgement.passed < judgement.total and mistake.hint in judgement.message):
                    unnamed.append((mistake.slug, judgement.message))
    assert unnamed == []
