"""Generic diagnoses (assignments/diagnoses.py): plain relations between a failing output and the expected one.

The second held-out set (heldout_mistakes_2.py, written before the diagnoses) must be named at 85% or more;
no correct variant may get a diagnosis on any of its outputs, compared one by one with the reference's even
where the case passes; named mistakes keep priority; and the sentences read word for word as below.
"""
import inspect

import numpy as np
import pytest

import correct_variants
from assignments.diagnoses import diagnose
from assignments.tasks import TASKS, run_case, summarized
from assignments.tasks.standins import split
from autograder.hidden.reference import NAMESPACE, solution_namespace
from autograder.judging.verify import expected_cases, quietly
from heldout_mistakes_2 import HELD_OUT_2

SEED = 424242
SEEDS = (424242, 7, 20261129)


def test_most_of_the_second_held_out_set_is_named():
    named = [(entry.label, seed) for entry in HELD_OUT_2 for seed in SEEDS if entry.named(seed)]
    missed = sorted({(entry.label, seed) for entry in HELD_OUT_2 for seed in SEEDS} - set(named))
    assert len(named) / (len(HELD_OUT_2) * len(SEEDS)) >= 0.85, missed
    assert len(HELD_OUT_2) >= 30 and len(named) >= 99, missed  # measured: 99 of 102 (97%)


def variant_namespaces():
    for table in (correct_variants.VARIANTS,):
        for name, variants in table.items():
            for variant in variants:
                namespace = solution_namespace()
                exec(compile(inspect.getsource(correct_variants), "<student cell>", "exec"), namespace)
                namespace[name] = namespace[variant.__name__]
                yield name, variant.__name__, namespace


@pytest.mark.parametrize("seed", range(20))
def test_no_correct_variant_gets_a_diagnosis_on_any_output(seed):
    """Stronger than "no hint on a passing case": every output of every run of every case of every correct
    variant is put to every relation against the reference's, and none may fit."""
    found = []
    for name, label, namespace in variant_namespaces():
        task = TASKS[name]
        inputs = task.inputs(seed)
        with quietly():
            got = summarized(task, inputs, [run_case(task, namespace, case) for case in inputs], NAMESPACE)
        for case_inputs, got_case, expected_case in zip(inputs, got, expected_cases(name, seed)):
            for run in (0, 1):
                got_run, expected_run = split(got_case)[run] or {}, split(expected_case)[run] or {}
                tolerances = task.tolerance(case_inputs, expected_run) if expected_run else {}
                for output in expected_run:
                    sentence = diagnose(name, output, got_run, expected_run, case_inputs, tolerances)
                    if sentence:
                        found.append((label, output, sentence))
    assert found == []


def with_object(task, name, function):
    namespace = {**solution_namespace(), name: function}
    from heldout_mistakes import graded
    return graded(task, namespace, SEED)


def test_a_named_mistake_keeps_priority():
    """The bias gradient of a known mistake that is also 1/N of the expected one gets the known hint."""
    entry = next(entry for entry in HELD_OUT_2 if entry.label == "SoftmaxWithLoss.backward ignores dout")
    assert entry.judgement(SEED).message.endswith(
        "Hint: your backward ignores dout: return dscores * dout, so an objective that scales the loss scales its "
        "gradient too")


def test_no_diagnosis_where_the_expected_output_is_all_zeros():
    zeros = {"dx": np.zeros((3, 2))}
    assert diagnose("relu_backward", "dx", {"dx": np.ones((3, 2))}, zeros, {"dout": np.ones((3, 2))}, {}) is None
    assert diagnose("relu_backward", "dx", {"dx": -np.zeros((3, 2))}, zeros, {}, {}) is None


MESSAGES = {
    "db as the mean of dout": (
        'affine_backward: `db` differs at index (0,): got 0.65109, expected 1.30218 (relative error 5.0e-01) '
        '(case 1 of 3: dout of shape (2, 2) and the cache (x, w, b) with x of shape (2, 2, 3)). Hint: `db` is '
        'exactly half the expected one (or 1/N of it: N = 2 here): look for a factor 2 missing or a 0.5 too '
        'many'),
    "affine forward without its bias": (
        'affine_forward: `out` differs at index (1, 2): got -0.957443, expected -1.53114 (relative error '
        '3.7e-01) (case 1 of 3: x of shape (2, 4, 4), w of shape (16, 4) and b of shape (4,)). Hint: `out` is '
        'the expected one minus `b`: `b` is left out'),
    "dw as dout.T @ x": (
        'affine_backward: `dw` has shape (2, 6), expected (6, 2) (case 1 of 3: dout of shape (2, 2) and the '
        'cache (x, w, b) with x of shape (2, 2, 3)). Hint: `dw` holds the expected values transposed, shape (2, '
        '6) instead of (6, 2): write the product the other way round (x.T @ dout, not dout.T @ x) or transpose '
        'it'),
    'LayerNet gradient keyed dW1, db1, ...': (
        "LayerNet: `gradient keys` is ['dW1', 'dW2', 'db1', 'db2'], expected ['W1', 'W2', 'b1', 'b2'] (case 1 "
        'of 3: X of shape (3, 4) (row 0 scaled up: its scores spread by ~1000), y of shape (3,), reg 0.503). '
        'Hint: your keys are `dW1`, `dW2`, `db1`, `db2`: use the keys of params (`W1`, `W2`, `b1`, `b2`), each '
        "gradient under its parameter's name"),
    'RMSProp cache summed like AdaGrad': (
        'rmsprop: `w after step 1` differs at index (1,): got 0.619333, expected 0.709333 (relative error '
        '1.3e-01) (case 1 of 3: w and dw of shape (3,) from a fresh config None (every default), taking turns '
        'with a second parameter of shape (3, 4) from a given cache; 3 steps each). Hint: your cache adds dw**2 '
        'at every step, as AdaGrad does: RMSProp keeps a running average, cache = decay_rate * cache + (1 - '
        'decay_rate) * dw**2'),
    'sgd returns the step': (
        'sgd: `w after step 1` differs at index (1, 1): got 0.00173812, expected 1.99606 (relative error '
        '1.0e+00) (case 1 of 3: w and dw of shape (3, 2) from a fresh config None (every default), taking turns '
        'with a second parameter of shape (4,) from the same config; 3 steps each). Hint: your rule returns the '
        'step alone: next_w is w plus the step, so add `w`'),
}


def test_outputs_of_any_form_never_break_a_verdict():
    from assignments.payload import Unusable
    odd = {"keys": np.array(["{}", "{0}", "d{W}"]), "dx": Unusable("a str"), "loss": np.array("x")}
    expected = {"keys": np.array(["W1", "b1", "W2"]), "dx": np.ones(3), "loss": np.array(1.0)}
    for name in odd:
        assert diagnose("TwoLayerNet", name, odd, expected, {"X": "not an array", "b": None}, {}) is None


@pytest.mark.parametrize("label", list(MESSAGES))
def test_diagnoses_word_for_word(label):
    entry = next(entry for entry in HELD_OUT_2 if entry.label == label)
    assert entry.judgement(SEED).message == MESSAGES[label]


if __name__ == "__main__":  # print the second held-out set's messages on SEED, to review
    for entry in HELD_OUT_2:
        print(f"{entry.label}:\n    {entry.judgement(SEED).message}\n")
