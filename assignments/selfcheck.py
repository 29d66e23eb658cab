"""Visible self-checks: one line a student can act on, for each graded object.

Expected outputs (and the outputs of known mistakes) for the public fixture inputs ship in
fixtures.json, written by the instructor's release step from the reference. When the grader runs a
self-check cell it collects outputs on secret inputs instead, so the shipped answers earn nothing.
"""
import json
from functools import lru_cache
from pathlib import Path

from . import payload, warning_places
from .environment import version_warning
from .judge import judge
from .kernel_state import autograding, grading_seed
from .lines import KitMessage, in_student_kernel, show_failure
from .probe import collect, emit
from .tasks import FIXTURE_SEED, TASKS, run_case, self_check_seed, summarized

FIXTURES = Path(__file__).with_name("fixtures.json")

if in_student_kernel():
    warning_places.install()


class SelfCheckFailed(KitMessage):
    pass


@lru_cache(maxsize=None)
def load_fixtures():
    return json.loads(FIXTURES.read_text())


def expected_for(name):
    """(expected case outputs, [(hint, mistake case outputs)]) for task `name` on the fixture inputs."""
    entry = load_fixtures()["tasks"][name]
    expected = [payload.decode_case(case) for case in entry["expected"]]
    mistakes = [(m["hint"], [payload.decode_case(case) for case in m["cases"]]) for m in entry["mistakes"]]
    return expected, mistakes


def verdict(name, namespace):
    """The Judgement of `name` in a namespace on the public fixture inputs (for this kernel's eyes only)."""
    task = TASKS[name]
    inputs = task.inputs(FIXTURE_SEED)
    got = summarized(task, inputs, [run_case(task, namespace, case) for case in inputs], namespace)
    expected, mistakes = expected_for(name)
    return judge(task, inputs, got, expected, mistakes)


WARNED = []  # the environment warning is printed once per kernel


def warn_about_environment():
    line = version_warning(load_fixtures().get("environment", {}))
    if line and not WARNED:
        WARNED.append(line)
        print(line)


def check(name, namespace):
    """Run the self-check of `name`: print a ✔ line, or a ✘ line with what is wrong and a hint.

    In a student's kernel the ✘ line is displayed and the notebook goes on; anywhere else (nbgrader
    validate, plain Python) it is raised as SelfCheckFailed, so the cell fails.
    """
    if autograding():  # a self-check's points come only from the grader's verdict, never from this kernel,
        # and on inputs derived from the secret grading seed, never on the public fixtures
        seed = grading_seed()
        if seed is None:
            raise KitMessage(f"{name}: self-checks are graded only by the instructor's grader")
        emit(name, collect(name, namespace, self_check_seed(seed)))
    warn_about_environment()
    judgement = verdict(name, namespace)
    if judgement.passed < judgement.total:
        line = f"✘ {local_wording(judgement.message)}"
        if not in_student_kernel():
            raise SelfCheckFailed(line)
        show_failure(line)
        return
    print(f"✔ {name}: " + (f"all {judgement.total} checks pass" if judgement.total > 1 else "the check passes"))


def local_wording(message):
    """The tasks describe data as the grader's; a self-check runs them on its own fixture split."""
    return message.replace("the grader's ", "the check's ")
