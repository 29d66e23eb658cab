"""Tolerances from an error model: correct code written another way loses no point, known mistakes still fail.

Every variant in correct_variants.py (at least three per graded object, but the trained models) is graded as a
submission is (run_case in the kernel's place -> payload -> verify against the reference) on 300 seeds; none may
lose a point. Past the first ROUND_TRIPS seeds the payload's JSON round trip is skipped: it gives back
np.asarray of every numeric output exactly (np.save / np.load), and decoding it was half the test's time. Every
known mistake of the same objects must score 0 on every seed tried (the first 50).
"""
import functools
import inspect

import numpy as np
import pytest

import correct_variants
from assignments import payload
from assignments.tasks import TASKS, Task, run_case
from assignments.tasks import deep as deep_tasks
from autograder.hidden.mistakes import all_mistakes
from autograder.hidden.reference import solution_namespace
from autograder.judging import verify as grader

SEEDS = range(300)
ROUND_TRIPS = 10  # seeds graded through the payload's JSON encoding, as in a kernel
MISTAKE_SEEDS = SEEDS[:50]  # every known mistake of 27 objects; tests/test_coverage.py runs each on 3 more


@pytest.fixture(scope="module", autouse=True)
def reference_kept_for_every_seed():
    """The grader keeps the reference's outputs of 64 (task, seed) pairs; here variants and mistakes are judged
    on the same 300 seeds, so keep them all and compute each once."""
    patch = pytest.MonkeyPatch()
    patch.setattr(grader, "cached_expected_cases", functools.cache(grader.cached_expected_cases.__wrapped__))
    # and each task's inputs, made once per seed (every run copies them; the judge only reads them), and each
    # trained model's dataset (MNIST-1D takes ~2 s to generate; training only reads it)
    patch.setattr(Task, "inputs", functools.lru_cache(maxsize=None)(Task.inputs))
    for name, (dataset, target, what) in deep_tasks.TRAINING.items():
        patch.setitem(deep_tasks.TRAINING, name, (functools.lru_cache(maxsize=None)(dataset), target, what))
    yield
    patch.undo()


def planted(name, variant):
    """A namespace holding the reference with `variant` as the object `name`; the variants' source runs in
    it like a notebook cell, so their bodies find the namespace's Affine, numerical_gradient, ..."""
    namespace = solution_namespace()
    exec(compile(inspect.getsource(correct_variants), "<student cell>", "exec"), namespace)
    namespace[name] = namespace[variant.__name__]
    return namespace


def graded(name, namespace, seed, round_trip=True):
    task = TASKS[name]
    with grader.quietly():
        cases = [run_case(task, namespace, inputs) for inputs in task.inputs(seed)]
    if round_trip:
        return grader.verify(name, seed, [payload.encode_case(case) for case in cases])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(payload, "decode_case", lambda case: case)
        return grader.verify(name, seed, [carried(case) for case in cases])


def carried(case):
    """A case as payload.decode_case(payload.encode_case(case)) gives it back, without the JSON: each error
    message as text, each numeric value as np.asarray of it (a copy), anything else Unusable."""
    def value(name, output):
        if payload.is_error(name):
            return str(output)[:500]
        try:
            array = np.array(output)
        except Exception:
            array = None
        if array is None or array.dtype.hasobject:
            return payload.Unusable(f"{type(output).__name__}: {repr(output)[:120]}")
        return array
    return {name: value(name, output) for name, output in case.items()}


def lost_points(name, variants, seeds):
    """[(variant, seed, cases lost, message)] over every seed; seeds outermost, so the reference's expected
    outputs (cached per seed) are computed once per seed."""
    namespaces = {variant.__name__: planted(name, variant) for variant in variants}
    lost = []
    for seed in seeds:
        for label, namespace in namespaces.items():
            judgement = graded(name, namespace, seed, round_trip=seed < ROUND_TRIPS)
            if judgement.passed < judgement.total:
                lost.append((label, seed, judgement.total - judgement.passed, judgement.message))
    return lost


@pytest.mark.parametrize("name", list(correct_variants.VARIANTS))
def test_correct_variants_lose_no_point(name):
    lost = lost_points(name, correct_variants.VARIANTS[name], SEEDS)
    assert lost == [], f"{len(lost)} of {len(SEEDS) * len(correct_variants.VARIANTS[name])} gradings lost points; " \
        f"first: {lost[:3]}"


def test_networks_on_a_notebook_one_written_another_way_lose_no_point():
    """The own run of every object built on notebook 1 goes through the student's notebook-1 functions:
    written in other orders, they change the networks' outputs in the last bits only."""
    namespace = solution_namespace()
    namespace.update(correct_variants.NOTEBOOK1_ANOTHER_WAY)
    namespace["ACTIVATIONS"] = {**namespace["ACTIVATIONS"], **{
        kind: (namespace[f"{kind}_forward"], namespace[f"{kind}_backward"]) for kind in ("relu", "sigmoid", "tanh")}}
    lost = [(name, seed, judgement.message) for seed in SEEDS[:100]
            for name in ("TwoLayerNet", "Affine", "Relu", "SoftmaxWithLoss", "LayerNet", "FullyConnectedNet")
            for judgement in [graded(name, namespace, seed, round_trip=seed < ROUND_TRIPS)]
            if judgement.passed < judgement.total]
    assert lost == []


@pytest.mark.parametrize("name", list(correct_variants.VARIANTS))
def test_known_mistakes_score_0_on_every_seed(name, monkeypatch):
    # the mistakes' own outputs only choose a hint, never the points: skip that step to save time
    monkeypatch.setattr(grader, "known_mistakes", lambda task, inputs: [])
    mistakes = [m for m in all_mistakes() if m.task == name]
    assert mistakes
    namespaces = {}
    for mistake in mistakes:
        namespaces[mistake.slug] = solution_namespace()
        mistake.plant_into(namespaces[mistake.slug])
    passed = [(slug, seed) for seed in MISTAKE_SEEDS for slug, namespace in namespaces.items()
              if graded(name, namespace, seed, round_trip=seed < ROUND_TRIPS).passed > 0]
    assert passed == []


@pytest.mark.parametrize("name", list(correct_variants.TRAINED_VARIANTS))
def test_trained_model_recipes_written_other_ways_keep_their_points(name):
    """A trained model's case trains for seconds: its variants are judged on one seed."""
    assert lost_points(name, correct_variants.TRAINED_VARIANTS[name], SEEDS[:1]) == []
