"""Visible self-checks: one line a student can act on, for each graded object.

Expected outputs (and the outputs of known mistakes) for the public fixture inputs ship in
fixtures.json, written by the instructor's release step from the reference.
"""
import json
from functools import lru_cache
from pathlib import Path

from . import payload, warning_places
from .judge import judge
from .lines import in_student_kernel, show_failure
from .probe import KitMessage, autograding, collect, emit
from .tasks import FIXTURE_SEED, TASKS, run_case, summarized

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


def check(name, namespace):
    """Run the self-check of `name`: print a ✔ line, or a ✘ line with what is wrong and a hint.

    In a student's kernel the ✘ line is displayed and the notebook goes on; anywhere else (nbgrader
    validate, plain Python) it is raised as SelfCheckFailed, so the cell fails.
    """
    if autograding():  # a self-check's points come only from the grader's verdict, never from this kernel
        emit(name, collect(name, namespace, FIXTURE_SEED))
    task = TASKS[name]
    inputs = task.inputs(FIXTURE_SEED)
    got = summarized(task, inputs, [run_case(task, namespace, case) for case in inputs], namespace)
    expected, mistakes = expected_for(name)
    judgement = judge(task, inputs, got, expected, mistakes)
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
