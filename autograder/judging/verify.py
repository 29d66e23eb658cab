"""Judge a graded cell's payload in the grader's own process, against the reference."""
import warnings
from contextlib import contextmanager
from functools import lru_cache

import numpy as np

from assignments import payload
from assignments.judge import Judgement, judge
from assignments.tasks import FIXTURE_SEED, TASKS, run_case, summarized
from assignments.tasks.two_layer import TIME_CHECK

from ..hidden.mistakes import mistakes_for
from ..hidden.reference import NAMESPACE, solution_namespace
from ..hidden.solutions import source_folder

KINDS = {"check_": "self-check", "hidden_": "hidden"}


def cell_task(grade_id):
    """'hidden_affine_forward' -> ('hidden_', 'affine_forward'); None for cells we do not judge."""
    for prefix in KINDS:
        if grade_id.startswith(prefix) and grade_id[len(prefix):] in TASKS:
            return prefix, grade_id[len(prefix):]
    return None


@contextmanager
def quietly():
    """No warnings while the reference, the mistakes or summaries run: some mistakes overflow on purpose."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def reference_cases(task, inputs, mistake=None, overrides=None):
    """Outputs of the reference (with a known mistake planted, or some objects replaced) on every case,
    summarized. The objects run from one namespace, as a student's do, so stand-ins swapped into it reach
    them."""
    namespace = solution_namespace()
    if mistake is not None:
        mistake.plant_into(namespace)
    namespace.update(overrides or {})
    with quietly():
        return summarized(task, inputs, [run_case(task, namespace, case) for case in inputs], NAMESPACE)


def expected_cases(name, seed):
    """The reference's outputs for task `name` on the inputs of `seed`; the self-check seed is shared by
    every student, so caching it saves most of the cost of judging self-check cells."""
    return cached_expected_cases(name, seed, source_folder())


@lru_cache(maxsize=64)
def cached_expected_cases(name, seed, course_source):
    task = TASKS[name]
    return reference_cases(task, task.inputs(seed))


def known_mistakes(task, inputs):
    """[(hint, outputs per case)] for every known mistake of the task."""
    return [(m.hint, reference_cases(task, inputs, m)) for m in mistakes_for(task.name)]


def verify(name, seed, encoded_cases):
    """Judge the encoded outputs of task `name` on the inputs of `seed`."""
    task = TASKS[name]
    inputs = task.inputs(seed)
    if not isinstance(encoded_cases, list) or len(encoded_cases) != len(inputs):
        return Judgement(0, len(inputs), f"{name}: the collected outputs are incomplete")
    try:
        got = [raw_outputs(payload.decode_case(case)) for case in encoded_cases]
    except Exception as error:
        return Judgement(0, len(inputs), f"{name}: the collected outputs could not be read ({type(error).__name__})")
    with quietly():
        got = second_looks(task, inputs, got, summarized(task, inputs, got, NAMESPACE))
    if all(holds(case) for case in got):  # only checks, all true: no reference run needed (e.g. training)
        return Judgement(len(got), len(got), "")
    expected = expected_cases(name, seed)
    judgement = judge(task, inputs, got, expected)
    if judgement.passed == judgement.total:
        return judgement
    return judge(task, inputs, got, expected, known_mistakes(task, inputs))  # run mistakes only to name one


def second_looks(task, inputs, raw, summaries):
    """The task's second chance for every case whose checks do not all hold (the grader's alone: a
    student's own self-check never gets one)."""
    if task.second_chance is None:
        return summaries
    return [summary if holds(summary) else task.second_chance(case_inputs, outputs, summary, NAMESPACE)
            for case_inputs, outputs, summary in zip(inputs, raw, summaries)]


def raw_outputs(case):
    """A case as the kernel may report it: checks (`ok:`) and quotes (`info:`) are worked out here, from the
    raw outputs, so any the payload carries are dropped (a forged `ok:` would otherwise pass unseen)."""
    return {key: value for key, value in case.items() if not key.split("/")[-1].startswith(("ok:", "info:"))}


def holds(case):
    """True when a case's outputs are nothing but `ok:` checks (and quoted `info:`), all true."""
    checks = [value for key, value in case.items() if not key.startswith("info:")]
    return bool(checks) and all(key.startswith(("ok:", "info:")) for key in case) and all(map(np.all, checks))


def fixture_entry(name):
    """What a self-check needs for task `name`: expected outputs and known mistakes' outputs, encoded.

    `info:` outputs (timings, accuracies) are only quoted, never compared, and the time check depends on
    the machine's load, so they are left out: the file must not change between two releases of the same
    source (a student's self-check then does not judge the time; the grader does).
    """
    task = TASKS[name]
    inputs = task.inputs(FIXTURE_SEED)

    def encoded(cases):
        return [payload.encode_case({k: v for k, v in case.items() if not (k.startswith("info:") or k == TIME_CHECK)})
                for case in cases]

    return {
        "expected": encoded(reference_cases(task, inputs)),
        "mistakes": [{"hint": hint, "cases": encoded(cases)} for hint, cases in known_mistakes(task, inputs)],
    }
