"""The probe: run a student's objects on inputs picked at grading time and hand the raw outputs over.

The probe judges nothing. It emits one display output of its own MIME type and then stops the cell
with an error, so a graded cell scores zero unless the grader, in its own process, replaces every
output of the cell with its verdict.
"""

from . import payload
from .kernel_state import grading_seed
from .lines import KitMessage
from .tasks import TASKS, run_case
from .tasks.budget import RunBudget

class AwaitingVerdict(KitMessage):
    pass


def collect(name, namespace, seed):
    """Run task `name` on the namespace for a seed -> list of JSON-safe case outputs. While grading, each run
    of an object with stand-ins has a share of the cell's time (tasks/budget.py)."""
    task = TASKS[name]
    budget = RunBudget.from_environment()
    return [payload.encode_case(run_case(task, namespace, inputs, budget)) for inputs in task.inputs(seed)]


def emit(name, encoded_cases):
    """Display the outputs for the grader, then stop the cell (zero points unless the grader judges it)."""
    from IPython.display import display

    data = {payload.MIME_TYPE: {"task": name, "cases": encoded_cases}, "text/plain": f"<outputs of {name}>"}
    display(data, raw=True)
    raise AwaitingVerdict(f"{name}: outputs collected; the grader judges them outside this notebook")


def probe(name, namespace):
    """A hidden-test cell's whole body: collect `name`'s outputs on the grader's inputs."""
    seed = grading_seed()
    if seed is None:
        raise KitMessage(f"{name}: hidden tests only run when the instructor grades the notebook")
    emit(name, collect(name, namespace, seed))
