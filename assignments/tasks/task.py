"""A graded object's test: its inputs from a seed, how it is run and what it must do (one Task per object).

A task makes its inputs from a seed and runs a namespace's objects on them. The same code runs the
student's notebook (in the student's kernel) and the reference (in the grader's process), so both see
exactly the same inputs and produce comparable outputs.
"""
import copy
import time
from contextlib import nullcontext
import traceback
import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..environment import numpy_note
from ..kernel_state import LOAD_ERRORS
from ..tolerances import exact
from .budget import Overtime, hung_message

FIXTURE_SEED = 20261128  # public: the visible self-checks always use these inputs, whose answers ship in the kit


def self_check_seed(seed):
    """The seed a self-check cell is graded on, derived from the student's secret grading seed.

    Never FIXTURE_SEED: answers on the public fixture inputs ship in fixtures.json, so they earn nothing.
    """
    derived = zlib.crc32(f"self-check/{seed}".encode()) & 0x7FFFFFFF
    return derived if derived != FIXTURE_SEED else derived + 1


class StudentError(Exception):
    """The student's code raised, returned the wrong structure, or is missing."""


@dataclass(frozen=True)
class Behaviour:
    """A behaviour the notebook states for an object, and which hidden cases can tell it apart.

    `exercised(inputs)` is True when code without the behaviour gives other outputs on that case; every
    case must exercise every behaviour unless `unless` says why some cases cannot (tests/test_coverage.py).
    """
    text: str
    exercised: Callable[[dict], bool]
    unless: str = ""


@dataclass(frozen=True)
class Task:
    name: str
    make_inputs: Callable[[np.random.Generator, int], dict]  # (rng, case index) -> {name: array}
    run: Callable[[dict, dict], dict]  # (namespace, inputs) -> {output name: value}
    describe: Callable[[dict], str]  # inputs -> a few words naming the case ("x of shape (2, 3)")
    n_cases: int = 3
    # (inputs, expected outputs) -> {output name: (atol, rtol)}: how far a correct answer may lie from the
    # expected one in this case, from how the value is computed (tolerances.py); unnamed outputs get EXACT
    tolerance: Callable[[dict, dict], dict] = exact
    # (inputs, raw outputs, trusted namespace) -> the outputs to compare, e.g. `ok:` checks worked out
    # from trained parameters; the grader passes the reference as the namespace
    summarize: Callable[[dict, dict, dict], dict] | None = None
    # notebook-1 functions the object calls: each case also runs with stand-ins for them (see standins.py)
    stand_ins: tuple = ()
    # (inputs, raw outputs, summary, trusted namespace) -> summary: the grader's own second look at a case
    # whose checks fail, e.g. a trained model's recipe retrained with trusted components
    second_chance: Callable[[dict, dict, dict, dict], dict] | None = None
    behaviours: tuple = ()  # Behaviour(...) for every behaviour the notebook states

    def inputs(self, seed):
        """The task's input cases for a seed; different tasks get independent streams."""
        stream = zlib.crc32(self.name.encode())
        return [self.make_inputs(np.random.default_rng([seed, stream, i]), i) for i in range(self.n_cases)]


def run_case(task, namespace, inputs, budget=None):
    """Run one case on a namespace -> {output: value}, plus `input:<name>` as left after the call (the judge
    reports an input changed in place before any value), plus the same again with the stand-ins' prefix
    for a run with stand-ins for the task's notebook-1 functions.

    budget: a RunBudget (budget.py) that times each run of a task with stand-ins, so that a run hanging in
    another object (the own run, inside a notebook-1 function) leaves the run with stand-ins to decide.
    Never raises: a failure becomes {"error": message}.
    """
    from .standins import PREFIX, stand_ins
    budget = budget if task.stand_ins else None
    outputs = run_once(task, namespace, inputs, budget, "own")
    if task.stand_ins:
        with stand_ins(namespace, task.stand_ins):
            their = run_once(task, namespace, inputs, budget, "with stand-ins")
            outputs.update({PREFIX + key: value for key, value in their.items()})
    return outputs


def run_once(task, namespace, inputs, budget=None, kind="own"):
    if budget is not None and kind in budget.hung:  # it hung in an earlier case: it would hang again
        return {"error": budget.hung[kind]}
    args = copy.deepcopy(inputs)
    try:
        with budget.limit() if budget is not None else nullcontext():
            # copies, so a later run (with stand-ins, or the next case) that writes into an array the student's
            # code keeps cannot change what this run returned
            outputs = {name: snapshot(value) for name, value in task.run(namespace, args).items()}
    except Overtime as stop:
        budget.hung[kind] = hung_message(task.name, budget.seconds, stop.where)
        return {"error": budget.hung[kind]}
    except StudentError as error:
        return {"error": str(error)}
    except Exception as error:  # the task's own code tripped over a malformed return value
        return {"error": f"{type(error).__name__}: {error}"}
    outputs.update({f"input:{name}": value.copy() for name, value in args.items() if isinstance(value, np.ndarray)})
    return outputs


def snapshot(value):
    """An output as it is when recorded: a copy, so a later call that writes into the same array (an update
    rule that changes w in place and returns it, a layer that reuses a buffer) cannot change what was
    recorded. Run functions record through it every output that a later call of the student's code could
    reach."""
    if isinstance(value, np.ndarray):
        return value.copy()
    try:
        return copy.deepcopy(value)
    except Exception:  # an object that cannot be copied is recorded as it is (it is no number anyway)
        return value


def summarized(task, inputs, cases, namespace):
    """Apply the task's summarize step to every case (and its stand-in run) that did not fail."""
    if task.summarize is None:
        return cases
    from .standins import PREFIX, split
    results = []
    for case_inputs, outputs in zip(inputs, cases):
        own, theirs = split(outputs)
        result = summary(task, case_inputs, own, namespace)
        if theirs is not None:
            result.update({PREFIX + key: value for key, value in summary(task, case_inputs, theirs, namespace).items()})
        results.append(result)
    return results


def summary(task, inputs, outputs, namespace):
    try:
        return dict(outputs) if "error" in outputs else task.summarize(inputs, outputs, namespace)
    except Exception as error:
        return {"error": f"the results could not be used ({type(error).__name__}: {error})"}


def call(namespace, name, *args, **kwargs):
    """Call namespace[name](*args, **kwargs), turning any failure into a StudentError that names the function."""
    function = namespace.get(name)
    if function is None:
        raise StudentError(f"`{name}` is not defined: run its cell first{missing_notebooks()}")
    return invoke(name, function, *args, **kwargs)


def method(obj, name, label):
    """obj.name, or a StudentError saying `label` lacks it."""
    try:
        return getattr(obj, name)
    except Exception:
        raise StudentError(f"{label} has no `{name}`") from None


def invoke(label, function, *args, **kwargs):
    """function(*args, **kwargs), turning any failure into a StudentError that names `label`."""
    try:
        return function(*args, **kwargs)
    except NotImplementedError as error:
        if culprit(error):
            raise StudentError(f"{label} fails because your {culprit(error)} is still a stub") from None
        if other_stub(error, label, function):
            raise StudentError(f"{label} fails because your `{other_stub(error, label, function)}` is still a "
                               "stub") from None
        raise StudentError(f"{label} raised NotImplementedError: it is still a stub; write its code and run "
                           "its cell") from None
    except Exception as error:
        if culprit(error):
            raise StudentError(f"{label} fails because your {culprit(error)} raised {type(error).__name__}: "
                               f"{error}{numpy_note(error)}") from None
        if isinstance(error, NameError):
            raise StudentError(f"{label} raised NameError: {error}{missing_notebooks()}") from None
        raise StudentError(f"{label} raised {type(error).__name__}: {error}{numpy_note(error)}") from None


def other_stub(error, label, function):
    """The name of the function that raised NotImplementedError, when that is not the one called (`label`,
    `function`) but another it calls (a Solver whose update rule is still a stub), else ""."""
    frames = list(traceback.walk_tb(error.__traceback__))
    if len(frames) < 2:
        return ""
    code = frames[-1][0].f_code
    called = getattr(function, "__code__", None) or getattr(getattr(function, "__func__", None), "__code__", None)
    if code is called or code.co_filename == __file__ or code.co_qualname.startswith(label.split("(")[0]):
        return ""
    return code.co_qualname


def culprit(error):
    """"notebook-1 `affine_forward`" when `error` was raised inside a function loaded from an earlier
    notebook (load_definitions labels its cells "<01_layers.ipynb, cell N>"), else ""."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.startswith("<") and ".ipynb, cell " in frame.filename:
            notebook = frame.filename[1:].split(",")[0]
            return f"notebook-{int(notebook[:2])} `{frame.name}`" if notebook[:2].isdigit() else \
                f"`{frame.name}` (from {notebook})"
    return ""


def missing_notebooks():
    """Why an earlier notebook's definitions are missing, if that is known."""
    return "".join(f"; {filename} could not be loaded ({reason})" for filename, reason in LOAD_ERRORS.items())


def timed(label, function, *args):
    """(function(*args), seconds it took), with failures turned into a StudentError naming `label`."""
    start = time.perf_counter()
    result = invoke(label, function, *args)
    return result, time.perf_counter() - start


def as_dict(value, label):
    if not isinstance(value, dict):
        raise StudentError(f"{label} should be a dict, got {type(value).__name__}")
    return value


def keys_of(mapping):
    return np.array(sorted(str(key) for key in mapping))


def unpack(result, name, fields):
    """Check that `name` returned a tuple with the given fields and return it."""
    if not isinstance(result, (tuple, list)) or len(result) != len(fields):
        got = f"a {len(result)}-tuple" if isinstance(result, (tuple, list)) else type(result).__name__
        raise StudentError(f"{name} should return ({', '.join(fields)}), got {got}")
    return result


def mixed_signs(rng, shape, scale=1.0):
    """Normal-looking values with exactly half (rounded) positive and none near 0, so no mask, missing
    activation or sign mistake can match by luck."""
    size = int(np.prod(shape))
    signs = rng.permutation(np.resize([1.0, -1.0], size))
    return (signs * (np.abs(rng.normal(scale=scale, size=size)) + 0.05 * scale)).reshape(shape)


def upstream_gradient(rng, x):
    """A mixed-sign dout shaped like x that is negative somewhere x > 0 and positive somewhere x < 0,
    so a mask taken from dout instead of x cannot match."""
    dout = mixed_signs(rng, x.shape)
    flat_x, flat_dout = x.reshape(-1), dout.reshape(-1)
    flat_dout[np.argmax(flat_x > 0)] = -abs(flat_dout[np.argmax(flat_x > 0)])
    flat_dout[np.argmax(flat_x < 0)] = abs(flat_dout[np.argmax(flat_x < 0)])
    return dout


def shape_of(array):
    return str(tuple(np.shape(array)))


TASKS = {}


def register(*tasks):
    for task in tasks:
        TASKS[task.name] = task

