"""Compare a namespace's outputs with the expected ones and say, in one line, what differs.

Used by the visible self-checks (in the student's kernel, against shipped fixtures) and by the
grader (in its own process, against the reference). Only the grader's verdicts award points.
"""
from dataclasses import dataclass
from functools import partial

import numpy as np

from .diagnoses import diagnose
from .readable import SETTING_DIGITS, is_accuracy, quantity
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


def first_difference(got, expected, tolerances):
    """None when the two case outputs agree, else (output name, sentence).

    tolerances: {output name: (atol, rtol)} (see tolerances.py); outputs not named there get EXACT.

    Inputs changed in place (`input:<name>` outputs) are reported before any value: a changed input is the
    cause a student must fix first, and it can make every later value differ. Outputs named `ok:<claim>`
    are checks (1 or 0) worked out from the raw outputs; `info:<what>` outputs are not compared, only
    quoted when a check fails. A check that the expected outputs fail themselves is skipped (it cannot be
    held against anyone).
    """
    if "error" in got:
        return "error", got["error"]
    for name in compared(expected):
        want = expected[name]
        if name.startswith("ok:") and not np.all(want):
            continue
        if name not in got:
            return name, f"no `{name}` was returned"
        problem = compare_values(name, got[name], want, tolerances.get(name, EXACT))
        if problem and name.startswith("ok:"):
            details = ", ".join(f"{key[5:]} {quantity(key, value, SETTING_DIGITS)}" for key, value in got.items()
                                if key.startswith("info:"))
            problem += f" ({details})" if details else ""
        if problem:
            return name, problem
    return None


def compared(outputs):
    """The names of a case's outputs that are compared, `input:` ones first."""
    names = [name for name in outputs if not name.startswith("info:")]
    return sorted(names, key=lambda name: not name.startswith("input:"))


def compare_values(name, got, want, tolerance):
    """One sentence describing how `got` differs from `want`, or None when they agree: within tolerance =
    (atol, rtol), |got - want| <= atol + rtol * |want| elementwise (atol may be an array shaped like want)."""
    if name.startswith("input:"):  # exactly as passed, but for the rounding a task's tolerance allows
        if isinstance(got, Unusable) or np.shape(got) != np.shape(want) or not unchanged(got, want, tolerance):
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
    shown = quantity(name, got[worst])
    if is_accuracy(name) and got[worst] == 1:  # also a count of one row (an accuracy summed, not averaged)
        shown = f"1 ({shown})"
    return f"`{name}` differs{at_index(worst)}: got {shown}, expected {quantity(name, expected)}{error}"


def unchanged(got, want, tolerance):
    """True when an input left after the call equals what was passed, within `tolerance` for float inputs
    (a gradient check that puts x[i] back by arithmetic, x[i] += h ... x[i] -= 2h ... x[i] += h, may leave
    it a rounding away)."""
    got, want = np.asarray(got), np.asarray(want)
    if np.array_equal(got, want):
        return True
    if want.dtype.kind != "f" or got.dtype.kind not in "biuf":
        return False
    atol, rtol = tolerance
    return bool(np.all(np.abs(got - want) <= atol + rtol * np.abs(want)))


def at(mask, ndim):
    return at_index(np.unravel_index(np.argmax(mask), mask.shape)) if ndim else ""


def at_index(index):
    return f" at index {tuple(int(i) for i in index)}" if len(index) else ""


def judge(task, inputs, got_cases, expected_cases, mistakes=()):
    """Judge every case of a task.

    mistakes: (hint, outputs per case) pairs; the first failing case names the mistake that explains it
    (see matching_mistake).
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
    got, expected, tolerances = got_cases[index], expected_cases[index], partial(task.tolerance, inputs[index])
    hint, run = case_hint(got, expected, part, name, [(hint, cases[index]) for hint, cases in mistakes], tolerances,
                          partial(diagnose, task.name, inputs=inputs[index]))
    if run == 1 and part == 0:  # named only in the run with stand-ins: the stand-ins are the reason; say that run
        their_expected = split(expected)[1]
        part, (name, sentence) = 1, first_difference(split(got)[1] or {}, their_expected, tolerances(their_expected))
    named = sentence if sentence.startswith(task.name) else f"{task.name}: {sentence}"
    where = "; with stand-ins for the other graded objects it calls" if part else ""
    message = f"{named} (case {index + 1} of {total}: {task.describe(inputs[index])}{where})"
    if hint:
        message += f". Hint: {hint}"
    return Judgement(total - len(failures), total, message)


def case_hint(got, expected, part, name, mistakes, tolerances, diagnosis=None):
    """(hint, run it was found in) for a failing case, or (None, None): a known mistake (see matching_mistake)
    matched on the run the failure was described from (`part`, output `name`), else on the other run when
    that failed too (an object that computes everything itself behaves like a mistake in its own run only;
    one whose own run also carries a notebook-1 bug, in the run with stand-ins only). When no known mistake
    explains either run, a generic diagnosis (diagnoses.py) of the same runs, if one fits:
    diagnosis(name, got run, expected run, tolerances=...) -> sentence or None."""
    runs = [(part, name)]
    if split(expected)[1] is not None:
        other = 1 - part
        failed = first_difference(split(got)[other] or {"error": "missing"}, split(expected)[other],
                                  tolerances(split(expected)[other]))
        runs += [(other, failed[0])] if failed else []
    for run, failing in runs:
        hint = matching_mistake(split(got)[run] or {}, split(expected)[run] or {}, failing,
                                [(hint, split(theirs)[run] or {}) for hint, theirs in mistakes], tolerances)
        if hint:
            return hint, run
    for run, failing in runs if diagnosis else ():
        got_run, expected_run = split(got)[run] or {}, split(expected)[run] or {}
        sentence = diagnosis(failing, got_run, expected_run, tolerances=tolerances(expected_run))
        if sentence:
            return sentence, run
    return None, None


def case_difference(got, expected, tolerances):
    """None when a case passes, else (part, output name, sentence), part 0 for the object's own run and 1
    for its run with stand-ins for notebook-1 functions. A case with a stand-in run passes when either run
    agrees with what is expected of it (the stand-in run depends on the object's own code only). When both
    fail, the failure is described from the student's own run (numbers they can reproduce) if that run shows
    the object's mistake: its first differing output differs in the run with stand-ins too, or both runs
    raised the same error. Otherwise the own run's failure may come from another object (a notebook-1 bug,
    a function that never returns), and the run with stand-ins, which no other object can have caused, is
    the one described. tolerances: expected outputs -> {output name: (atol, rtol)}."""
    own_got, their_got = split(got)
    own_expected, their_expected = split(expected)
    own = first_difference(own_got, own_expected, tolerances(own_expected))
    if own is None:
        return None
    if their_expected is None:
        return (0, *own)
    their_got = their_got or {"error": "the run with stand-ins is missing"}
    theirs = first_difference(their_got, their_expected, tolerances(their_expected))
    if theirs is None:
        return None
    return (0, *own) if shows_in_both(own[0], own_got, their_got, their_expected, tolerances) else (1, *theirs)


def shows_in_both(name, own_got, their_got, their_expected, tolerances):
    """True when output `name`, the first to differ in the own run, also differs in the run with stand-ins
    (or both runs raised the same error): the object's own mistake, not another object's."""
    if name == "error":
        return their_got.get("error") == own_got["error"]
    if name not in their_expected or "error" in their_got:
        return False
    if name not in their_got:
        return True  # missing from both runs
    if overflows_only_in(own_got.get(name), their_got[name]):
        return False  # the object's code is the same in both runs: another object overflowed
    tolerance = tolerances(their_expected).get(name, EXACT)
    return compare_values(name, their_got[name], their_expected[name], tolerance) is not None


def overflows_only_in(own, theirs):
    """True when `own` holds NaN or inf in an entry where `theirs` is finite (both real arrays of one shape)."""
    own, theirs = np.asarray(own), np.asarray(theirs)
    if own.dtype.kind not in "biuf" or theirs.dtype.kind not in "biuf" or own.size != theirs.size:
        return False
    return bool((~np.isfinite(own.ravel().astype(np.float64)) & np.isfinite(theirs.ravel().astype(np.float64))).any())


def matching_mistake(got, expected, name, mistakes, tolerances):
    """The hint of the known mistake that explains a student's failing case, or None.

    got, expected: the case's outputs; name: the first output that differs; mistakes: (hint, the mistake's
    outputs on this case) pairs. A mistake explains the case when it behaves like the student's code on
    `name` (see same_behaviour) and on at least as many compared outputs as the expected outputs do: a
    hint is named only when the mistake explains the case better than no mistake at all. The mistake
    agreeing on most outputs wins (the first listed on a tie). A failed `ok:` check alone is too coarse
    to name a cause (a NaN loss also fails "the loss went down"): there the mistake must agree on every
    output.
    """
    if name == "error" or name not in got:
        return None
    names = compared(expected)
    wanted = tolerances(expected)
    baseline = sum(key in got and compare_values(key, got[key], expected[key], wanted.get(key, EXACT)) is None
                   for key in names)
    best, best_score = None, -1
    for hint, theirs in mistakes:
        if "error" in theirs or name not in theirs:
            continue
        allowed = tolerances(theirs)
        if not same_behaviour(name, got[name], theirs[name], allowed.get(name, EXACT)):
            continue
        score = sum(key in got and key in theirs and same_behaviour(key, got[key], theirs[key], allowed.get(key, EXACT))
                    for key in names)
        whole = score == len(names)
        if (whole or not name.startswith("ok:")) and score >= baseline and score > best_score:
            best, best_score = hint, score
    return best


def same_behaviour(name, got, theirs, tolerance):
    """True when the student's output `name` does what a mistake's does: equal within `tolerance`, overflowing in
    the same entries (NaN, inf and -inf alike: the same overflow computed another way), and equal up to
    truncation when one of them is kept in an integer array."""
    if name.startswith(("ok:", "input:")) or isinstance(got, Unusable) or isinstance(theirs, Unusable):
        return compare_values(name, got, theirs, tolerance) is None
    got, theirs = np.asarray(got), np.asarray(theirs)
    if got.dtype.kind not in "biuf" or theirs.dtype.kind not in "biuf" or \
            (got.shape != theirs.shape and not got.size == theirs.size == 1):
        return compare_values(name, got, theirs, tolerance) is None
    one_is_integer = (got.dtype.kind == "f") != (theirs.dtype.kind == "f")
    got, theirs = got.astype(np.float64).reshape(theirs.shape), theirs.astype(np.float64)
    if one_is_integer:
        got, theirs = truncated(got), truncated(theirs)
    overflow = ~np.isfinite(got) | ~np.isfinite(theirs)
    if not np.array_equal(overflowing(got, theirs), overflow):
        return False
    return compare_values(name, got[~overflow], theirs[~overflow], tolerance) is None


LOG_MAX = np.log(np.finfo(np.float64).max)  # about 709.78: exp of anything larger overflows


def overflowing(got, theirs):
    """Entries where both sides are NaN or inf, or the student's is and the mistake's is a finite value beyond
    LOG_MAX: the same overflow, once in the probability domain (exp overflows, log(0) = -inf) and once computed
    in the log domain (a loss of 1500 where exp(-1500) underflowed). A finite answer of the student's is never
    explained by a mistake's overflow (a summed loss of 1016 is no log of an underflowed probability)."""
    return ~np.isfinite(got) & (~np.isfinite(theirs) | (np.abs(np.nan_to_num(theirs)) > LOG_MAX))


def truncated(values):
    """Finite values truncated towards zero, as storing them into an integer array does."""
    return np.where(np.isfinite(values), np.trunc(values), values)
