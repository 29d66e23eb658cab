"""Notebook 1 tasks: gradient checks, layers and losses.

Backward cases get the documented cache (built by the driver, never by the student's forward), so a
backward's points depend on its own code only. Every hidden case exercises every behaviour the notebook
states (each task's `behaviours`): pre-activations and upstream gradients of mixed sign (so a missing or
misplaced mask cannot pass), ReLU inputs that are exactly 0, two or three trailing axes (so dx must keep
x's shape), score rows at offsets from -1000 to 1000 (so a softmax without the max-subtraction overflows
and one maximum for the whole batch underflows) and one row spread by 1000 (so a log of an underflowed
probability shows), sigmoid and tanh inputs at |x| ~ 1000 and just short of saturation, a test function
coupling all entries of x and integer input to the numerical gradients. Forward tasks check the documented
cache; losses must be floats.
"""
import numpy as np

from ..readable import number
from ..tolerances import ULPS, affine_scales, exact, finite_difference, floor, softmax_tolerance
from .task import Behaviour, StudentError, Task, call, mixed_signs, register, shape_of, unpack, upstream_gradient


def batch_shape(rng, case):
    """(N, d1, ..., dk) with N in 2..5 and k = 2 or 3 trailing axes (so flattening and reshaping back matter)."""
    n = int(rng.integers(2, 6))
    trailing = rng.integers(2, 5, size=2 + case % 2)
    return (n, *map(int, trailing))


def several_axes(name):
    return lambda inputs: inputs[name].ndim >= 3


def describe_x(inputs):
    extreme = f", |x| up to {number(np.abs(inputs['x']).max())}" if np.abs(inputs["x"]).max() > 710 else ""
    return f"x of shape {shape_of(inputs['x'])}{extreme}"


def describe_scores(inputs):
    """The arguments of a loss: scores (rows at offsets from -1000 to 1000, one spread by 1000) and labels y."""
    return (f"scores of shape {shape_of(inputs['scores'])}, rows offset from -1000 to 1000 and one spread by 1000, "
            f"and y of shape {shape_of(inputs['y'])}")


# --- extreme inputs and documented types ------------------------------------------------------

SPREAD = 1000.0  # a row of scores this wide: exp() of its lowest entry relative to its largest underflows to 0
OVERFLOW = 900.0  # a score this large: exp() of it overflows (above log(max float), about 709.8)


def stretch(unbiased):
    """The factor k > 0 that makes scores k * unbiased (rows of class scores before any bias) spread by SPREAD
    within their widest row and reach OVERFLOW somewhere, so a softmax that is not shifted by each row's maximum
    overflows and one that takes the log of an underflowed probability gives inf."""
    unbiased = np.atleast_2d(unbiased)
    widest = np.ptp(unbiased, axis=1).max()
    if widest == 0:  # equal scores: no factor spreads them
        return 1.0
    factor = SPREAD / widest
    return max(factor, OVERFLOW / unbiased.max()) if unbiased.max() > 0 else factor


def widely_spread(scores):
    """True when some row of scores spreads by more than 745 (e^-745 underflows to 0) and some score is above
    log(max float) (e^s overflows)."""
    scores = np.atleast_2d(scores)
    return bool(np.ptp(scores, axis=1).max() > 745 and scores.max() > 710)


def real_scalar(value, label):
    """value when it is a real number (a Python or NumPy float or integer, or a 0-d array of one), else a
    StudentError saying what the documented float was instead."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating, np.ndarray)) \
            or np.ndim(value) != 0 or np.asarray(value).dtype.kind not in "iuf":
        got = f"an array of shape {np.shape(value)}" if isinstance(value, np.ndarray) and np.ndim(value) else \
            f"{type(value).__name__} {value!r}"[:80] if not isinstance(value, np.ndarray) else f"an array of dtype {value.dtype}"
        raise StudentError(f"{label} should be a float, got {got}; return a number, e.g. float(loss)")
    return value


# --- rel_error -------------------------------------------------------------------------------

def rel_error_inputs(rng, case):
    """Normal values that agree to about 1e-6, plus tiny entries below the 1e-8 floor (one pair exactly 0),
    where the floor decides the largest error."""
    x = rng.normal(size=batch_shape(rng, case))
    y = x * (1 + rng.normal(scale=1e-6, size=x.shape))
    flat_x, flat_y = x.reshape(-1), y.reshape(-1)
    flat_x[:2] = rng.uniform(1e-10, 3e-10, size=2)
    flat_y[:2] = flat_x[:2] * rng.uniform(0.5, 1.5, size=2)
    flat_x[2] = flat_y[2] = 0.0
    return {"x": x, "y": y}


def relative_errors(inputs):
    x, y = inputs["x"], inputs["y"]
    return np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))


def rel_error_run(ns, inputs):
    return {"value": real_scalar(call(ns, "rel_error", inputs["x"], inputs["y"]), "the value rel_error returns")}


# --- numerical gradients ---------------------------------------------------------------------

def gradient_check_inputs(rng, case, shape):
    """x as floats and as integers (away from 0, where f'' vanishes and a one-sided difference would look
    exact), and a step h of 1e-3 to 3e-3: far enough from the default 1e-5 that ignoring h shows."""
    return {"x": rng.normal(size=shape), "x_int": rng.integers(1, 4, size=shape) * rng.choice([-1, 1], size=shape),
            "h": np.array(10.0 ** rng.uniform(-3, -2.5))}


def numerical_gradient_inputs(rng, case):
    """x of 2 or 3 axes; f couples every entry through sin(a . z), so an entry left perturbed (or not put
    back) changes the derivatives taken after it."""
    shape = tuple(int(v) for v in rng.integers(2, 4, size=2 + case % 2))
    return {**gradient_check_inputs(rng, case, shape), "c": rng.normal(size=shape),
            "a": mixed_signs(rng, shape, scale=0.5)}


def scalar_function(inputs):
    """f(z) = sum(c sin z) + 0.1 sum(z^3) + sin(a . z), which couples every entry of z."""
    c, a = inputs["c"], inputs["a"]

    def f(z):
        return np.sum(c * np.sin(z)) + 0.1 * np.sum(z ** 3) + np.sin(np.sum(a * z))

    return f


def scalar_function_scale(inputs, x):
    """The magnitude of f's terms at x: f rounds at a few ulp of it (sin's argument a . z at a few ulp of
    sum |a z|, and sin has slope at most 1)."""
    c, a = inputs["c"], inputs["a"]
    return np.sum(np.abs(c * np.sin(x))) + 0.1 * np.sum(np.abs(x) ** 3) + 1 + np.sum(np.abs(a * x))


def numerical_gradient_run(ns, inputs):
    f, h = scalar_function(inputs), float(inputs["h"])
    return {"grad": call(ns, "numerical_gradient", f, inputs["x"], h),
            "grad at an integer x": call(ns, "numerical_gradient", f, inputs["x_int"], h)}


def numerical_gradient_tolerance(inputs, expected):
    # f rounds at a few ulp of its terms' magnitudes, divided by h in the centred difference
    return {**{name: finite_difference(scalar_function_scale(inputs, x), inputs["h"], np.abs(x).max())
               for name, x in (("grad", inputs["x"]), ("grad at an integer x", inputs["x_int"]))},
            "input:x": restored(inputs)}


def restored(inputs):
    """x[i] put back by arithmetic (+= h, -= 2h, += h) is a few roundings of |x[i]| + h away: still put back."""
    return ULPS * float(inputs["h"]), ULPS


def describe_numerical_gradient(inputs):
    return f"f, x of shape {shape_of(inputs['x'])} (as floats, then as integers) and h = {number(inputs['h'])}"


def numerical_gradient_array_inputs(rng, case):
    """f(z) = tanh(z @ a) couples the entries of each row of x; a second function returns a view of its
    input (z[:, ::-1]), whose result changes with x unless it is copied."""
    n, d, m = (int(v) for v in rng.integers(2, 5, size=3))
    return {**gradient_check_inputs(rng, case, (n, d)), "a": rng.normal(size=(d, m)),
            "dout": rng.normal(size=(n, m)), "dout_view": rng.normal(size=(n, d))}


def array_functions(inputs):
    """(output, f, x, dout) of each call: f(z) = tanh(z @ a) at a float and at an integer x, and a function
    returning a view of its input."""
    a = inputs["a"]

    def coupled(z):
        return np.tanh(z @ a)

    return (("grad", coupled, inputs["x"], inputs["dout"]),
            ("grad at an integer x", coupled, inputs["x_int"], inputs["dout"]),
            ("grad of a function returning a view", lambda z: z[:, ::-1], inputs["x"], inputs["dout_view"]))


def numerical_gradient_array_run(ns, inputs):
    h = float(inputs["h"])
    return {output: call(ns, "numerical_gradient_array", f, x, dout, h) for output, f, x, dout in array_functions(inputs)}


def describe_numerical_gradient_array(inputs):
    return (f"f, x of shape {shape_of(inputs['x'])} (as floats, as integers, and for an f returning a view of x), "
            f"dout of shape {shape_of(inputs['dout'])} and h = {number(inputs['h'])}")


def numerical_gradient_array_tolerance(inputs, expected):
    # sum(f(x +- h) * dout) in another order (or as two sums subtracted) rounds at a few ulp of
    # sum |f * dout|; the centred difference divides that by h
    return {**{output: finite_difference(np.sum(np.abs(f(x) * dout)), inputs["h"], np.abs(x).max())
               for output, f, x, dout in array_functions(inputs)}, "input:x": restored(inputs)}


# --- affine ----------------------------------------------------------------------------------

def affine_inputs(rng, case):
    shape = batch_shape(rng, case)
    d, m = int(np.prod(shape[1:])), int(rng.integers(2, 6))
    return {
        "x": rng.normal(size=shape),
        "w": rng.normal(size=(d, m)),
        "b": rng.normal(size=m),
        "dout": rng.normal(size=(shape[0], m)),
    }


def affine_forward_run(ns, inputs):
    """out, and the documented cache (x, w, b) with x as given (not flattened). The text asks the cache to hold
    x and w, the docstring (x, w, b): a cache (x, w) is as documented, so b is checked only when cached."""
    result = call(ns, "affine_forward", inputs["x"], inputs["w"], inputs["b"])
    out, cache = unpack(result, "affine_forward", ("out", "cache"))
    if not isinstance(cache, (tuple, list)) or len(cache) not in (2, 3):
        got = f"a {len(cache)}-tuple" if isinstance(cache, (tuple, list)) else type(cache).__name__
        raise StudentError(f"affine_forward's cache should be (x, w, b), got {got}")
    x, w, b = (*cache, inputs["b"])[:3]
    return {"out": out, "cache: x": x, "cache: w": w, "cache: b": b}


def describe_affine_forward(inputs):
    return (f"x of shape {shape_of(inputs['x'])}, w of shape {shape_of(inputs['w'])} and b of shape "
            f"{shape_of(inputs['b'])}")


def affine_tolerance(inputs, expected):
    # the products of affine_forward and affine_backward in another summation order
    scales = affine_scales(inputs["x"], inputs["w"], inputs["b"], inputs["dout"])
    return {name: floor(scale) for name, scale in scales.items()}


def affine_backward_run(ns, inputs):
    """The cache is the documented (x, w, b), built here: the student's affine_forward plays no part."""
    grads = call(ns, "affine_backward", inputs["dout"], (inputs["x"], inputs["w"], inputs["b"]))
    dx, dw, db = unpack(grads, "affine_backward", ("dx", "dw", "db"))
    return {"dx": dx, "dw": dw, "db": db}


def describe_affine_backward(inputs):
    return f"dout of shape {shape_of(inputs['dout'])} and the cache (x, w, b) with x of shape {shape_of(inputs['x'])}"


# --- activations -----------------------------------------------------------------------------

def activation_inputs(rng, case):
    shape = batch_shape(rng, case)
    x = mixed_signs(rng, shape, scale=3.0)
    return {"x": x, "dout": upstream_gradient(rng, x)}


SATURATED = {"sigmoid": (14.0, 30.0), "tanh": (7.5, 15.0)}  # |x| where the curve is within 1e-6 of its bounds


def curve_inputs(kind):
    """Mixed signs, plus (for sigmoid and tanh, whose notebook text talks about overflow) one entry of each sign
    at |x| of 800 to 1000, where exp(|x|) overflows, and one of each sign where the output lies within 1e-6 of
    its bounds but not on them (a formula that overflows gives NaN; outputs clamped away from the bounds
    differ there)."""
    def make(rng, case):
        inputs = activation_inputs(rng, case)
        if kind in SATURATED:
            flat = inputs["x"].reshape(-1)
            positive, negative = np.flatnonzero(flat > 0), np.flatnonzero(flat < 0)
            flat[positive[:2]] = (rng.uniform(800, 1000), rng.uniform(*SATURATED[kind]))
            flat[negative[:2]] = (-rng.uniform(800, 1000), -rng.uniform(*SATURATED[kind]))
        return inputs
    return make


def saturated(kind):
    low, high = SATURATED[kind]
    return lambda i: all(((sign * i["x"] > low) & (sign * i["x"] < high)).any() and (sign * i["x"] > 710).any()
                         for sign in (1, -1))


def relu_cache(inputs, out, cache):
    """The cache to compare with the documented x: a cache holding out = max(0, x) is recorded as x, since the
    text allows the mask from out > 0 (it is positive exactly where x is)."""
    x = inputs["x"]
    try:
        if np.array_equal(np.asarray(cache), np.maximum(0, x)) and np.array_equal(np.asarray(out), np.maximum(0, x)):
            return x
    except Exception:  # not an array: compared as it is
        pass
    return cache


def forward_task(name, formula):
    """relu caches its input x (or its output), sigmoid and tanh their output: the cache is checked too."""
    kind = name.split("_")[0]

    def run(ns, inputs):
        out, cache = unpack(call(ns, name, inputs["x"]), name, ("out", "cache"))
        return {"out": out, "cache": relu_cache(inputs, out, cache) if kind == "relu" else cache}

    behaviours = (Behaviour(f"out = {formula} elementwise, for inputs of both signs", mixed_sign("x")),
                  Behaviour("the caller's x is left unchanged", lambda inputs: True),
                  Behaviour("cache = x (or out)" if kind == "relu" else "cache = out", lambda inputs: True))
    if kind in SATURATED:
        behaviours += (Behaviour("no overflow at |x| ~ 1000; outputs near the bounds within rounding of them",
                                 saturated(kind)),)

    def curve_tolerance(inputs, expected):
        # equivalent formulas of a curve bounded by 1 (1 / (1 + e^-x), e^x / (1 + e^x), (1 + tanh(x/2)) / 2,
        # ...) agree to a few ulp of 1, not of a value near 0
        return {"out": floor(1.0), "cache": floor(1.0)}

    # ReLU only selects and copies values: exact
    return Task(name, curve_inputs(kind), run, describe_x, tolerance=curve_tolerance if kind in SATURATED else exact,
                behaviours=behaviours)


def mixed_sign(name):
    return lambda inputs: (inputs[name] > 0).any() and (inputs[name] < 0).any()


def with_zeros(rng, x):
    """x with two entries set to exactly 0, where ReLU's derivative is documented as 0."""
    flat = x.reshape(-1)
    flat[rng.choice(flat.size, size=2, replace=False)] = 0.0
    return x


def backward_tolerance(kind):
    """relu: dout times a mask, exact. sigmoid: dout * s * (1 - s) may be written dout * (s - s**2), which
    rounds at a few ulp of |dout| s. tanh: dout * (1 - t**2) or dout * (1 - t) * (1 + t), at a few ulp of
    |dout| (1 + t^2)."""
    scales = {"sigmoid": lambda dout, s: dout * s, "tanh": lambda dout, t: dout * (1 + t ** 2)}
    if kind not in scales:
        return exact
    return lambda inputs, expected: {"dx": floor(scales[kind](np.abs(inputs["dout"]), inputs["cache"]))}


def cache_inputs(kind):
    """Backward cases get the documented cache directly (relu: x, with exact zeros; sigmoid: s = σ(x) in
    (0, 1); tanh: t = tanh(x) in (-1, 1)), so a backward is judged on its own code, whatever its forward does."""
    def make(rng, case):
        shape = batch_shape(rng, case)
        if kind == "relu":
            cache = mixed_signs(rng, shape, scale=3.0)
            dout = upstream_gradient(rng, cache)
            return {"dout": dout, "cache": with_zeros(rng, cache)}
        magnitude = rng.uniform(0.05, 0.95, size=shape)
        cache = magnitude if kind == "sigmoid" else magnitude * rng.permutation(np.resize([1.0, -1.0], magnitude.size)
                                                                                ).reshape(shape)
        return {"dout": mixed_signs(rng, shape), "cache": cache}
    return make


def backward_task(name, *behaviours):
    def run(ns, inputs):
        return {"dx": call(ns, name, inputs["dout"], inputs["cache"])}

    def describe(inputs):
        return f"dout and cache of shape {shape_of(inputs['dout'])}"

    upstream = Behaviour("dx is dout times the local derivative (dout of mixed sign, not all ones)",
                         mixed_sign("dout"))
    kind = name.split("_")[0]
    return Task(name, cache_inputs(kind), run, describe, tolerance=backward_tolerance(kind),
                behaviours=(upstream, *behaviours))


# --- losses ----------------------------------------------------------------------------------

def loss_inputs(rng, case):
    """Rows at offsets spread from -1000 to 1000 (exp() of the raw scores overflows; one maximum for the
    whole batch leaves the lower rows at exp(-2000) = 0); row 0's correct class leads every other class
    by more than the margin 1, row 1's trails them all, so hinge margins of both signs occur."""
    n, c = int(rng.integers(3, 9)), int(rng.integers(3, 7))
    scores = rng.normal(scale=(2.0, 5.0, 10.0)[case % 3], size=(n, c))
    y = rng.integers(0, c, size=n)
    y[1] = (y[0] + rng.integers(1, c)) % c  # labels differ, so a whole column of y's cannot pass for y
    scores[0, y[0]] = np.delete(scores[0], y[0]).max() + rng.uniform(1.5, 3.0)
    scores[1, y[1]] = np.delete(scores[1], y[1]).min() - rng.uniform(1.5, 3.0)
    spread_row(rng, scores, y, 2)
    scores += rng.permutation(np.linspace(-1000.0, 1000.0, n))[:, None]
    return {"scores": scores, "y": y}


def spread_row(rng, scores, y, row):
    """Row `row` of scores spread by ~SPREAD with its correct class at the bottom and another class near it, so
    the probabilities of both underflow to 0: a loss that takes np.log of a probability gives inf there, and
    one that multiplies log-probabilities by one-hot labels gives 0 * log(0) = NaN."""
    c = scores.shape[1]
    top, other = rng.choice(np.delete(np.arange(c), y[row]), size=2, replace=False) if c > 2 else \
        (1 - y[row], None)
    scores[row] = rng.normal(scale=2.0, size=c)
    scores[row, top] = 10.0
    scores[row, y[row]] = 10.0 - SPREAD
    if other is not None:
        scores[row, other] = 10.0 - rng.uniform(0.8, 0.95) * SPREAD


def margins(inputs):
    """The hinge margins s_nc - s_n,y_n + 1 of the wrong classes, flattened."""
    scores, y = inputs["scores"], inputs["y"]
    rows = np.arange(len(y))
    wrong = np.ones(scores.shape, dtype=bool)
    wrong[rows, y] = False
    return (scores - scores[rows, y][:, None] + 1.0)[wrong]


def loss_task(name, behaviours):
    def run(ns, inputs):
        loss, dscores = unpack(call(ns, name, inputs["scores"], inputs["y"]), name, ("loss", "dscores"))
        return {"loss": real_scalar(loss, f"the loss {name} returns"), "dscores": dscores}

    return Task(name, loss_inputs, run, describe_scores, tolerance=LOSS_TOLERANCES[name],
                behaviours=behaviours)


def svm_tolerance(inputs, expected):
    # the margins s - s_y + 1 cancel, so the loss rounds at a few ulp of sum(|s| + |s_y| + 1) / N; dscores
    # counts violations over N: exact
    scores = inputs["scores"]
    terms = np.abs(scores) + np.abs(scores[np.arange(len(scores)), inputs["y"]])[:, None] + 1
    return {"loss": floor(terms.sum() / len(scores))}


LOSS_TOLERANCES = {"softmax_loss": lambda inputs, expected: softmax_tolerance(inputs["scores"]),
                   "svm_loss": svm_tolerance}

# --- what the notebook states, and which inputs show it ----------------------------------------

GRADIENT_CHECKS = (
    Behaviour("a centred difference (f(x+h) - f(x-h)) / 2h, with the h given", lambda i: float(i["h"]) >= 1e-3),
    Behaviour("works on a float64 copy, so an integer x is allowed", lambda i: i["x_int"].dtype.kind == "i"),
    Behaviour("each entry is put back before the next one (f couples the entries)",
              lambda i: i["x"].size >= 2 and np.all(i["a"] != 0)),
    Behaviour("the result has x's shape (x of any shape)", lambda i: i["x"].ndim >= 2),
    Behaviour("the caller's x is never modified", lambda i: True),
)
ROW_MAXIMUM = Behaviour("subtract each row's maximum, not one maximum for the whole batch",
                        lambda i: i["scores"].max() - i["scores"].max(axis=1).min() > 800)
NO_OVERFLOW = Behaviour("no overflow for large scores", lambda i: i["scores"].max() > 710)
NO_UNDERFLOW = Behaviour("a finite loss when a probability underflows (a row spread by ~1000, its correct class at the "
                         "bottom)", lambda i: widely_spread(i["scores"]) and
                         (i["scores"].max(axis=1) - i["scores"][np.arange(len(i["y"])), i["y"]]).max() > 745)
A_FLOAT = Behaviour("the loss is a float", lambda i: True)
MEAN = Behaviour("loss and gradient averaged over the N rows", lambda i: len(i["y"]) >= 2)
ONE_PER_ROW = Behaviour("one entry per row, scores[n, y[n]] (labels differ between rows)",
                        lambda i: len(set(i["y"].tolist())) >= 2)
CORRECT_MARGIN = Behaviour("the correct class's own margin does not count", lambda i: len(i["y"]) >= 1)
HINGE = Behaviour("max(0, margin): a margin below 0 costs nothing", lambda i: (margins(i) < 0).any())
HINGE_GRADIENT = Behaviour("each positive margin adds 1/N at its class and -1/N at the correct class",
                           lambda i: (margins(i) > 0).any())

NOTEBOOK_TASKS = (
    # |x - y| / max(1e-8, |x| + |y|) of given x, y: one rounding per operation, no cancellation of results
    Task("rel_error", rel_error_inputs, rel_error_run, lambda inputs: f"x and y of shape {shape_of(inputs['x'])}",
         tolerance=exact, behaviours=(
             Behaviour("the largest elementwise relative error, as a float", lambda i: np.ptp(relative_errors(i)) > 0),
             Behaviour("the 1e-8 floor in the denominator (entries below it, one pair exactly 0)",
                       lambda i: (np.abs(i["x"]) + np.abs(i["y"]) < 1e-8).any()))),
    Task("numerical_gradient", numerical_gradient_inputs, numerical_gradient_run, describe_numerical_gradient,
         tolerance=numerical_gradient_tolerance, behaviours=GRADIENT_CHECKS),
    Task("numerical_gradient_array", numerical_gradient_array_inputs, numerical_gradient_array_run,
         describe_numerical_gradient_array, tolerance=numerical_gradient_array_tolerance, behaviours=(*GRADIENT_CHECKS, Behaviour(
             "sum_j dout_j * (f_j(x+h) - f_j(x-h)) / 2h, with a copy of f's result (f may return a view)",
             lambda i: np.all(i["dout"] != 0) and np.all(i["dout_view"] != 0)))),
    Task("affine_forward", affine_inputs, affine_forward_run, describe_affine_forward, tolerance=affine_tolerance,
         behaviours=(
        Behaviour("each example flattened into a row, x.reshape(N, D)", several_axes("x")),
        Behaviour("cache = (x, w, b) with x as given, not flattened", several_axes("x")),
        Behaviour("the bias is added to every row", lambda i: np.all(i["b"] != 0)))),
    Task("affine_backward", affine_inputs, affine_backward_run, describe_affine_backward, tolerance=affine_tolerance,
         behaviours=(
        Behaviour("dx reshaped to x's shape", several_axes("x")),
        Behaviour("dw = (x flattened to (N, D)).T @ dout", several_axes("x")),
        Behaviour("db sums dout over the rows, shape (M,)", lambda i: i["dout"].shape[0] >= 2))),
    forward_task("relu_forward", "max(0, x)"),
    backward_task("relu_backward",
                  Behaviour("the mask comes from the forward input x > 0, not from dout",
                            lambda i: ((i["cache"] > 0) != (i["dout"] > 0)).any()),
                  Behaviour("derivative 0 at exactly x = 0", lambda i: (i["cache"] == 0).any())),
    forward_task("sigmoid_forward", "1 / (1 + exp(-x))"),
    backward_task("sigmoid_backward", Behaviour("dx = dout * s * (1 - s) with s the cached output",
                                                lambda i: np.all((i["cache"] > 0) & (i["cache"] < 1)))),
    forward_task("tanh_forward", "tanh(x)"),
    backward_task("tanh_backward", Behaviour("dx = dout * (1 - t**2) with t the cached output",
                                             lambda i: np.all(np.abs(i["cache"]) < 1))),
    loss_task("softmax_loss", (ROW_MAXIMUM, NO_OVERFLOW, NO_UNDERFLOW, A_FLOAT, MEAN,
                               Behaviour("probabilities normalised over axis 1 (the classes)",
                                         lambda i: min(i["scores"].shape) >= 2),
                               Behaviour("the gradient has -1 at each correct class", lambda i: len(i["y"]) >= 1),
                               ONE_PER_ROW)),
    loss_task("svm_loss", (MEAN, CORRECT_MARGIN, HINGE, HINGE_GRADIENT, ONE_PER_ROW, A_FLOAT,
                           Behaviour("scores of magnitude ~1000 and margins of ~1000", lambda i: widely_spread(i["scores"])))),
)
register(*NOTEBOOK_TASKS)
