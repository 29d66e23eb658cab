"""Hidden inputs avoid coincidences: no known mistake or lazy fake passes by luck, whatever the seed."""
import numpy as np
import pytest

from assignments.judge import judge
from assignments.tasks import TASKS
from autograder.hidden.mistakes import all_mistakes
from autograder.judging.verify import reference_cases

SEEDS = range(25)
FAKES = [
    ("relu_forward", lambda x: (np.zeros_like(x), x)),
    ("relu_forward", lambda x: (x, x)),
    ("relu_backward", lambda dout, cache: dout * (dout > 0)),
    ("sigmoid_forward", lambda x: (np.full(x.shape, 0.5), x)),
]


def passed(task, seed, mistake=None, overrides=None):
    inputs = task.inputs(seed)
    expected, got = reference_cases(task, inputs), reference_cases(task, inputs, mistake, overrides)
    return judge(task, inputs, got, expected).passed


@pytest.mark.parametrize("mistake", [m for m in all_mistakes() if TASKS[m.task].n_cases > 1], ids=lambda m: m.slug)
def test_no_known_mistake_passes_every_case(mistake):
    task = TASKS[mistake.task]
    assert all(passed(task, seed, mistake) < task.n_cases for seed in SEEDS)


@pytest.mark.parametrize("name, fake", FAKES)
def test_lazy_fakes_pass_no_case(name, fake):
    assert all(passed(TASKS[name], seed, overrides={name: fake}) == 0 for seed in SEEDS)
