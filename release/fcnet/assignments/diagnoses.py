"""Generic diagnoses: a plain relation between a failing output and the expected one, in a student's words.

The catalogue of named mistakes (autograder/mistakes) knows whole slips of one object; the judge tries it
first. What is left is often a slip any object can make, visible as a plain relation between what came
back and what was expected: the wrong sign, a factor of the batch size or of 2, a transpose, a term of the
inputs left out or added twice, the right values under other keys or in other places, probabilities where
scores belong; and, for an update rule, a step taken the wrong way or returned without w. A few
formula-level slips that the inputs let us recompute are here too (a relative error reduced by its mean or
sum, a hinge with margin 0, RMSProp's cache summed like AdaGrad's).

A relation is said only when it explains the output and says something: the transformed expected output
agrees with the student's within the output's tolerance, and differs from the expected output itself, so
correct code (and an expected output of zeros) never gets a diagnosis.
"""
import re
from dataclasses import dataclass

import numpy as np

from .payload import Unusable
from .tolerances import EXACT

BATCH_INPUTS = ("x", "X", "dout", "scores", "preds", "targets", "y")  # inputs whose first axis is the batch
STEP = re.compile(r"^(w|a second parameter) after step 1$")  # an update rule's first step (deep.update_run)
LOOSENESS = 4.0  # a relation recomputes the expected value once more: a few more roundings than the output's own


@dataclass(frozen=True)
class Case:
    task: str
    name: str  # the failing output
    got: np.ndarray
    want: np.ndarray
    tolerance: tuple  # (atol, rtol) of the output
    inputs: dict

    def agrees(self, target, scale=1.0):
        """True when the student's output equals `target` (shaped like it) within the output's tolerance,
        its absolute part scaled by `scale`, and `target` is no mere restatement of the expected output."""
        return fits(self.got, target, self.tolerance, scale) and not fits(target, self.want, self.tolerance, scale)


def fits(values, target, tolerance, scale=1.0, looseness=LOOSENESS):
    values, target = np.asarray(values, dtype=np.float64), np.asarray(target, dtype=np.float64)
    if values.shape != target.shape or not (np.isfinite(values).all() and np.isfinite(target).all()):
        return False
    atol, rtol = tolerance
    atol = np.asarray(atol, dtype=np.float64)
    if atol.ndim and atol.shape != target.shape:
        atol = np.max(atol)
    return bool(np.all(np.abs(values - target) <= looseness * (atol * scale + rtol * np.abs(target))))


def numeric(value):
    """value as a float64 array, or None when it is no array of numbers."""
    if isinstance(value, Unusable):
        return None
    array = np.asarray(value)
    return array.astype(np.float64) if array.dtype.kind in "biuf" else None


def diagnose(task, name, got_case, expected_case, inputs, tolerances):
    """A sentence saying how output `name` of a failing case relates to the expected one, or None.

    got_case, expected_case: one run's outputs; inputs: the case's inputs; tolerances: {output: (atol, rtol)}.
    """
    if name.startswith(("ok:", "input:", "info:")) or name not in got_case or name not in expected_case:
        return None
    if name.endswith("keys"):
        try:
            return wrong_keys(name, got_case[name], expected_case[name])
        except Exception:  # keys of an unexpected form: no hint
            return None
    got, want = numeric(got_case[name]), numeric(expected_case[name])
    if got is None or want is None or fits(got, want, tolerances.get(name, EXACT), looseness=1.0):
        return None  # no relation needed: the output is right
    case = Case(task, name, got, want, tolerances.get(name, EXACT), inputs)
    for relation in RELATIONS:
        try:
            sentence = relation(case)
        except Exception:  # inputs or outputs of an unexpected form: a hint is a courtesy, never a failure
            sentence = None
        if sentence:
            return sentence
    return None


def wrong_keys(name, got, want):
    """Keys that are the expected ones with a prefix or suffix added (`dW1` for `W1`)."""
    got, want = sorted(str(key) for key in np.ravel(got)), sorted(str(key) for key in np.ravel(want))
    if len(got) != len(want) or got == want:
        return None
    for other in got:
        for key in want:
            start = other.find(key)
            if other == key or start < 0:
                continue
            prefix, suffix = other[:start], other[start + len(key):]
            if sorted(prefix + k + suffix for k in want) == got:
                return (f"your keys are {', '.join(f'`{prefix + k + suffix}`' for k in want)}: use the keys of "
                        f"params ({', '.join(f'`{k}`' for k in want)}), each gradient under its parameter's name")
    return None


# --- relations, tried in this order ----------------------------------------------------------------------

def negated(case):
    if case.got.shape == case.want.shape and case.agrees(-case.want):
        return (f"`{case.name}` has the wrong sign: it is exactly minus the expected one; check the order of a "
                "difference (a - b, not b - a) or a sign in the formula")
    return None


def batch_sizes(inputs):
    sizes = {int(np.shape(inputs[key])[0]) for key in BATCH_INPUTS if key in inputs and np.ndim(inputs[key]) >= 1}
    return sorted(size for size in sizes if size > 1)


def scaled(case):
    if case.got.shape != case.want.shape:
        return None
    for n in [n for n in batch_sizes(case.inputs) if n != 2]:  # N = 2 is said with the factor 2 below
        if case.agrees(case.want / n, 1 / n):
            return (f"`{case.name}` is exactly 1/N of the expected one (N = {n}, the batch size): it is averaged over "
                    "the batch where a sum belongs, or divided by N once too often")
        if case.agrees(case.want * n, n):
            return (f"`{case.name}` is exactly N times the expected one (N = {n}, the batch size): it is summed over "
                    "the batch where the mean belongs, or a division by N is missing")
    also = " (or N times it: N = 2 here)" if 2 in batch_sizes(case.inputs) else ""
    if case.agrees(2 * case.want, 2):
        return (f"`{case.name}` is exactly twice the expected one{also}: look for a factor 2 too many (h where 2h "
                "belongs, a 2 that the 0.5 was there to cancel)")
    if case.agrees(case.want / 2, 0.5):
        also = " (or 1/N of it: N = 2 here)" if also else ""
        return f"`{case.name}` is exactly half the expected one{also}: look for a factor 2 missing or a 0.5 too many"
    return None


def transposed(case):
    if case.want.ndim == 2 and case.got.shape == case.want.T.shape and case.want.shape[0] != case.want.shape[1] \
            and fits(case.got, case.want.T, (np.max(case.tolerance[0]), case.tolerance[1])):
        return (f"`{case.name}` holds the expected values transposed, shape {case.got.shape} instead of "
                f"{case.want.shape}: write the product the other way round (x.T @ dout, not dout.T @ x) or "
                "transpose it")
    return None


def off_by_a_term(case):
    """An input array (a bias, w) left out of the output or added once too often."""
    if STEP.match(case.name):
        return None  # an update rule's inputs are named per parameter (w_a); steps are read below
    for key, value in case.inputs.items():
        term = numeric(value)
        if term is None or term.ndim == 0 or not np.any(term) or key in BATCH_INPUTS:
            continue
        try:
            term = np.broadcast_to(term, case.want.shape)
        except ValueError:
            continue
        if case.agrees(case.want - term):
            return f"`{case.name}` is the expected one minus `{key}`: `{key}` is left out"
        if case.agrees(case.want + term):
            return f"`{case.name}` is the expected one plus `{key}`: `{key}` is added once too often"
    return None


def permuted(case):
    tolerance = (np.max(case.tolerance[0]), case.tolerance[1])
    # values in place within a relation's looseness are right values in the right places, a little noisy
    if case.got.shape == case.want.shape and case.got.size > 1 and not fits(case.got, case.want, tolerance) and \
            fits(np.sort(case.got, axis=None), np.sort(case.want, axis=None), tolerance):
        return (f"`{case.name}` has the right values in the wrong places: check the axes and the order of every "
                "reshape, transpose or index (keep the batch axis first, C order)")
    return None


def probabilities(case):
    if case.want.ndim != 2 or case.got.shape != case.want.shape:
        return None
    shifted = np.exp(case.want - case.want.max(axis=1, keepdims=True))
    if fits(case.got, shifted / shifted.sum(axis=1, keepdims=True), (1e-12, 1e-9)):
        return (f"`{case.name}` holds probabilities, the softmax of the expected scores: return the raw scores; the "
                "softmax belongs in the loss")
    return None


def relative_errors_reduced(case):
    """rel_error's elementwise relative errors reduced by their mean or sum instead of their largest."""
    x, y = numeric(case.inputs.get("x")), numeric(case.inputs.get("y"))
    if case.task != "rel_error" or x is None or y is None or x.shape != y.shape or case.got.size != 1:
        return None
    errors = np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))
    for word, reduce in (("mean", np.mean), ("sum", np.sum)):
        if case.agrees(np.full(case.want.shape, reduce(errors)), errors.size):
            return (f"your value is the {word} of the elementwise relative errors: rel_error reports their largest "
                    "(np.max), so one bad entry cannot hide among good ones")
    return None


def hinge_margin(case):
    """svm_loss computed with a margin of 0 instead of 1."""
    scores, y = numeric(case.inputs.get("scores")), case.inputs.get("y")
    if case.task != "svm_loss" or scores is None or y is None or case.name not in ("loss", "dscores"):
        return None
    n = scores.shape[0]
    margins = np.maximum(0, scores - scores[np.arange(n), y][:, None])
    margins[np.arange(n), y] = 0
    positive = (margins > 0).astype(np.float64)
    positive[np.arange(n), y] = -positive.sum(axis=1)
    target = margins.sum() / n if case.name == "loss" else positive / n
    if case.agrees(np.reshape(target, case.want.shape), n):
        return ("your hinge uses a margin of 0: each wrong class costs max(0, s_j - s_y + 1), so it must beat the "
                "correct class by a margin of 1")
    return None


def update_step(case):
    """An update rule's first step: taken the wrong way, returned without w, or (RMSProp) scaled by a cache
    summed like AdaGrad's."""
    match = STEP.match(case.name)
    if not match:
        return None
    tag = "a" if match.group(1) == "w" else "b"
    w = numeric(case.inputs.get(f"w_{tag}"))
    if w is None or w.shape != case.want.shape:
        return None
    step = case.want - w
    if case.agrees(w - step):
        return "your step goes the wrong way: it has the wrong sign; subtract the step from w (w - learning_rate * ...)"
    if case.agrees(step):
        return "your rule returns the step alone: next_w is w plus the step, so add `w`"
    if case.task == "rmsprop":
        dw = numeric(case.inputs[f"dw_{tag}"])[0]
        cache = numeric(case.inputs.get(f"cache_{tag}", np.zeros_like(w)))
        rate = float(case.inputs.get("learning_rate", 1e-2))
        adagrad = w - rate * dw / (np.sqrt(cache + dw ** 2) + 1e-8)
        if case.agrees(adagrad):
            return ("your cache adds dw**2 at every step, as AdaGrad does: RMSProp keeps a running average, "
                    "cache = decay_rate * cache + (1 - decay_rate) * dw**2")
    return None


RELATIONS = (negated, scaled, transposed, probabilities, off_by_a_term, update_step, relative_errors_reduced,
             hinge_margin, permuted)
