"""Compare a namespace's outputs with the expected ones and say, in one line, what differs.

Used by the visible self-checks (in the student's kernel, against shipped fixtures) and by the
grader (in its own process, against the reference). Only the grader's verdicts award points.
"""
from dataclasses import dataclass
from functools import partial

import numpy as np

from .payload import Unusable
from .tasks.standins import split
from .tolerances import EXACT


@dataclass(frozen=True)
class Judgement:
    passed: int
    total: int
    message: str  # empty when every case passed

    @property
    def fraction(self):
        return self.passed / self.total if self.total else 0.0


def first_difference(got, expected, tolerances, lenient=True):
    """None when the two case outputs agree, else (output name, sentence).

    tolerances: {output name: (atol, rtol)} (see tolerances.py); outputs not named there get EXACT.

    Outputs named `ok:<claim>` are checks (1 or 0) worked out from the raw outputs; `info:<what>`
    outputs are not compared, only quoted when a check fails. When `lenient`, a check that the expected
    outputs fail themselves is skipped (it cannot be held against anyone).
    """
    if "error" in got:
        return "error", got["error"]
    for name, want in expected.items():
        if name.startswith("info:") or (lenient and name.startswith("ok:") and not np.all(want)):
            continue
        if name not in got:
            return name, f"no `{name}` was returned"
        problem = compare_values(name, got[name], want, tolerances.get(name, EXACT))
        if problem and name.startswith("ok:"):
            details = ", ".join(f"{key[5:]} {float(value):.4g}" for key, value in got.items()
                                if key.startswith("info:"))
            problem += f" ({details})" if details else ""
        if problem:
            return name, problem
    return None


def compare_values(name, got, want, tolerance):
    """One sentence describing how `got` differs from `want`, or None when they agree: within tolerance =
    (atol, rtol), |got - want| <= atol + rtol * |want| elementwise (atol may be an array shaped like want)."""
    if name.startswith("input:"):
        if isinstance(got, Unusable) or np.shape(got) != np.shape(want) or not np.array_equal(got, want):
            return f"the input `{name[6:]}` was changed in place; work on a copy or build new arrays"
        return None
    if name.startswith("ok:"):
        return None if bool(np.all(got)) == bool(np.all(want)) else f"{name[3:]}: not so"
    if isinstance(got, Unusable):
        return f"`{name}` should be a number or array, got {got.description}"
    got, want = np.asarray(got), np.asarray(want)
    if want.dtype.kind in "US":
        return None if got.shape == want.shape and np.array_equal(got, want) else \
            f"`{name}` is {got.tolist()}, expected {want.tolist()}"
    if got.dtype.kind not in "biuf":
        return f"`{name}` has dtype {got.dtype}, expected real numbers"
    if got.shape != want.shape and not (got.size == want.size == 1 and want.ndim == 0):
        return f"`{name}` has shape {got.shape}, expected {want.shape}"
    got, want = got.reshape(want.shape).astype(np.float64), want.astype(np.float64)
    bad = ~np.isfinite(got) & np.isfinite(want)
    if bad.any():
        return f"`{name}` contains {'NaN' if np.isnan(got[bad]).any() else 'inf'}{at(bad, want.ndim)}"
    same_non_finite = ~np.isfinite(got) & ((np.isnan(got) & np.isnan(want)) | (got == want))
    atol, rtol = tolerance
    if np.ndim(atol) and np.shape(atol) != want.shape:  # expected outputs shaped otherwise (a mistake's)
        atol = np.max(atol)
    with np.errstate(invalid="ignore"):
        beyond = np.abs(got - want) - (atol + rtol * np.abs(want))  # > 0: outside the tolerance
    # NaN: a number where NaN or inf was expected, or infs of opposite signs
    beyond = np.where(same_non_finite, 0.0, np.where(np.isnan(beyond), np.inf, beyond))
    if not (beyond > 0).any():
        return None
    worst = np.unravel_index(np.argmax(beyond), beyond.shape) if beyond.ndim else ()
    difference, expected = abs(got[worst] - want[worst]), want[worst]
    error = "" if not np.isfinite(expected) else f" (relative error {difference / abs(expected):.1e})" if expected \
        else f" (absolute error {difference:.1e})"
    return f"`{name}` differs{at_index(worst)}: got {got[worst]:.6g}, expected {expected:.6g}{error}"


def at(mask, ndim):
    return at_index(np.unravel_index(np.argmax(mask), mask.shape)) if ndim else ""


def at_index(index):
    return f" at index {tuple(int(i) for i in index)}" if len(index) else ""


def judge(task, inputs, got_cases, expected_cases, mistakes=()):
    """Judge every case of a task.

    mistakes: (hint, outputs per case) pairs; a failing case whose differing output equals a
    mistake's names that mistake.
    """
    failures = []
    for index, (got, expected) in enumerate(zip(got_cases, expected_cases)):
        difference = case_difference(got, expected, partial(task.tolerance, inputs[index]))
        if difference is not None:
            failures.append((index, difference))
    total = len(expected_cases)
    if not failures:
        return Judgement(total, total, "")
    index, (part, name, sentence) = failures[0]
    named = sentence if sentence.startswith(task.name) else f"{task.name}: {sentence}"
    where = "; with stand-ins for the notebook-1 functions it calls" if part else ""
    message = f"{named} (case {index + 1} of {total}: {task.describe(inputs[index])}{where})"
    theirs = [(hint, [split(case)[part] or {} for case in cases]) for hint, cases in mistakes]
    hint = matching_mistake(split(got_cases[index])[part] or {}, name, theirs, index,
                            partial(task.tolerance, inputs[index]))
    if hint:
        message += f". Hint: {hint}"
    return Judgement(total - len(failures), total, message)


def case_difference(got, expected, tolerances):
    """None when a case passes, else (part, output name, sentence), part 0 for the object's own run and 1
    for its run with stand-ins for notebook-1 functions. A case with a stand-in run passes when either run
    agrees with what is expected of it (the stand-in run depends on the object's own code only), and a
    failure is described from the stand-in run, which no notebook-1 bug can have caused. tolerances:
    expected outputs -> {output name: (atol, rtol)}."""
    own_got, their_got = split(got)
    own_expected, their_expected = split(expected)
    own = first_difference(own_got, own_expected, tolerances(own_expected))
    if own is None:
        return None
    if their_expected is None:
        return (0, *own)
    theirs = first_difference(their_got or {"error": "the run with stand-ins is missing"}, their_expected,
                              tolerances(their_expected))
    return None if theirs is None else (1, *theirs)


def matching_mistake(got, name, mistakes, index, tolerances):
    """The hint of the mistake that explains the student's case best.

    First choice: a mistake whose outputs all equal the student's; else the first whose output `name`
    (the first one that differs from the expected) equals the student's, unless that output is an `ok:`
    check: a failed check alone is too coarse to name a cause (a NaN loss also fails "the loss went down").
    """
    if name == "error" or name not in got:
        return None
    candidates = [(hint, cases[index]) for hint, cases in mistakes if "error" not in cases[index]]
    for hint, theirs in candidates:
        if first_difference(got, theirs, tolerances(theirs), lenient=False) is None:
            return hint
    if name.startswith("ok:"):
        return None
    for hint, theirs in candidates:
        tolerance = tolerances(theirs).get(name, EXACT)
        if name in theirs and compare_values(name, got[name], theirs[name], tolerance) is None:
            return hint
    return None
