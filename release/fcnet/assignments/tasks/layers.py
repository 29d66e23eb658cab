"""Notebook 1 tasks: gradient checks, layers and losses.

Backward cases get the documented cache (built by the driver, never by the student's forward), so a
backward's points depend on its own code only. Hidden cases avoid coincidences: pre-activations and
upstream gradients of mixed sign (so a missing or misplaced mask cannot pass), trailing dimensions of 1
to 3 axes (so dx must keep x's shape), scores around 1000 (so a softmax without the max-subtraction
overflows) and integer input to the numerical gradient.
"""
import numpy as np

from ..tolerances import affine_scales, exact, finite_difference, floor, softmax_tolerance
from . import Task, call, mixed_signs, register, shape_of, unpack, upstream_gradient


def batch_shape(rng, case):
    """(N, d1, ..., dk) with N in 2..5 and k = case + 1 trailing axes (cases 0, 1, 2 cover k = 1, 2, 3)."""
    n = int(rng.integers(2, 6))
    trailing = rng.integers(2, 5, size=case % 3 + 1)
    return (n, *map(int, trailing))


def describe_x(inputs):
    return f"x of shape {shape_of(inputs['x'])}"


# --- rel_error -------------------------------------------------------------------------------

def rel_error_inputs(rng, case):
    if case == 0:
        x = rng.normal(size=(4, 5))
        return {"x": x, "y": x + rng.normal(scale=1e-3, size=x.shape)}
    if case == 1:  # tiny values: the 1e-8 floor in the denominator decides the answer
        x = rng.uniform(1e-10, 3e-10, size=6)
        return {"x": x, "y": x * rng.uniform(0.5, 1.5, size=6)}
    x = rng.normal(size=batch_shape(rng, case))
    return {"x": x, "y": x * (1 + rng.normal(scale=1e-6, size=x.shape))}


def rel_error_run(ns, inputs):
    return {"value": call(ns, "rel_error", inputs["x"], inputs["y"])}


# --- numerical gradients ---------------------------------------------------------------------

def numerical_gradient_inputs(rng, case):
    shape = (3,) if case == 2 else (int(rng.integers(2, 4)), int(rng.integers(2, 4)))
    # integers away from 0, where f'' vanishes and a one-sided difference would look exact
    x = rng.integers(1, 4, size=shape) * rng.choice([-1, 1], size=shape) if case == 2 else rng.normal(size=shape)
    return {"x": x, "c": rng.normal(size=shape), "h": np.array(10.0 ** -rng.integers(4, 6))}


def scalar_function(inputs):
    """(f, the magnitude of f's terms at x): f(z) = sum(c sin z) + 0.1 sum(z^3)."""
    c, x = inputs["c"], inputs["x"]

    def f(z):
        return np.sum(c * np.sin(z)) + 0.1 * np.sum(z ** 3)

    return f, np.sum(np.abs(c * np.sin(x))) + 0.1 * np.sum(np.abs(x) ** 3)


def numerical_gradient_run(ns, inputs):
    return {"grad": call(ns, "numerical_gradient", scalar_function(inputs)[0], inputs["x"], float(inputs["h"]))}


def numerical_gradient_tolerance(inputs, expected):
    # f rounds at a few ulp of its terms' magnitudes, divided by h in the centred difference
    return {"grad": finite_difference(scalar_function(inputs)[1], inputs["h"], np.abs(inputs["x"]).max())}


def describe_numerical_gradient(inputs):
    kind = "an integer" if inputs["x"].dtype.kind == "i" else "a float"
    return f"{kind} x of shape {shape_of(inputs['x'])}"


def numerical_gradient_array_inputs(rng, case):
    n, d, m = (int(v) for v in rng.integers(2, 5, size=3))
    return {
        "x": rng.normal(size=(n, d)),
        "a": rng.normal(size=(d, m)),
        "dout": rng.normal(size=(n, m)),
        "h": np.array(1e-5),
    }


def array_function(inputs):
    a = inputs["a"]
    return lambda z: np.tanh(z @ a)


def numerical_gradient_array_run(ns, inputs):
    grad = call(ns, "numerical_gradient_array", array_function(inputs), inputs["x"], inputs["dout"],
                float(inputs["h"]))
    return {"grad": grad}


def numerical_gradient_array_tolerance(inputs, expected):
    # sum(f(x +- h) * dout) in another order (or as two sums subtracted) rounds at a few ulp of
    # sum |f * dout|; the centred difference divides that by h
    products = np.sum(np.abs(array_function(inputs)(inputs["x"]) * inputs["dout"]))
    return {"grad": finite_difference(products, inputs["h"], np.abs(inputs["x"]).max())}


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
    result = call(ns, "affine_forward", inputs["x"], inputs["w"], inputs["b"])
    out, _ = unpack(result, "affine_forward", ("out", "cache"))
    return {"out": out}


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


def forward_task(name, caches_output=False):
    """caches_output: the documented cache is the output itself (sigmoid, tanh), so it is checked too."""
    def run(ns, inputs):
        out, cache = unpack(call(ns, name, inputs["x"]), name, ("out", "cache"))
        return {"out": out, "cache": cache} if caches_output else {"out": out}

    def curve_tolerance(inputs, expected):
        # equivalent formulas of a curve bounded by 1 (1 / (1 + e^-x), e^x / (1 + e^x), (1 + tanh(x/2)) / 2,
        # ...) agree to a few ulp of 1, not of a value near 0
        return {"out": floor(1.0), "cache": floor(1.0)}

    # ReLU only selects and copies values: exact
    return Task(name, activation_inputs, run, describe_x, tolerance=curve_tolerance if caches_output else exact)


def backward_tolerance(kind):
    """relu: dout times a mask, exact. sigmoid: dout * s * (1 - s) may be written dout * (s - s**2), which
    rounds at a few ulp of |dout| s. tanh: dout * (1 - t**2) or dout * (1 - t) * (1 + t), at a few ulp of
    |dout| (1 + t^2)."""
    scales = {"sigmoid": lambda dout, s: dout * s, "tanh": lambda dout, t: dout * (1 + t ** 2)}
    if kind not in scales:
        return exact
    return lambda inputs, expected: {"dx": floor(scales[kind](np.abs(inputs["dout"]), inputs["cache"]))}


def cache_inputs(kind):
    """Backward cases get the documented cache directly (relu: x; sigmoid: s = σ(x) in (0, 1); tanh:
    t = tanh(x) in (-1, 1)), so a backward is judged on its own code, whatever its forward does."""
    def make(rng, case):
        shape = batch_shape(rng, case)
        if kind == "relu":
            cache = mixed_signs(rng, shape, scale=3.0)
            return {"dout": upstream_gradient(rng, cache), "cache": cache}
        magnitude = rng.uniform(0.05, 0.95, size=shape)
        cache = magnitude if kind == "sigmoid" else magnitude * rng.permutation(np.resize([1.0, -1.0], magnitude.size)
                                                                                ).reshape(shape)
        return {"dout": mixed_signs(rng, shape), "cache": cache}
    return make


def backward_task(name):
    def run(ns, inputs):
        return {"dx": call(ns, name, inputs["dout"], inputs["cache"])}

    def describe(inputs):
        return f"dout and cache of shape {shape_of(inputs['dout'])}"

    kind = name.split("_")[0]
    return Task(name, cache_inputs(kind), run, describe, tolerance=backward_tolerance(kind))


# --- losses ----------------------------------------------------------------------------------

def loss_inputs(rng, case):
    n, c = int(rng.integers(3, 9)), int(rng.integers(3, 7))
    scale = 10.0 if case == 2 else 2.0
    scores = rng.normal(scale=scale, size=(n, c))
    if case == 1:
        scores += 1000.0
    return {"scores": scores, "y": rng.integers(0, c, size=n)}


def loss_task(name):
    def run(ns, inputs):
        loss, dscores = unpack(call(ns, name, inputs["scores"], inputs["y"]), name, ("loss", "dscores"))
        return {"loss": loss, "dscores": dscores}

    def describe(inputs):
        scores = inputs["scores"]
        around = " around 1000" if scores.mean() > 500 else ""
        return f"scores of shape {shape_of(scores)}{around}"

    return Task(name, loss_inputs, run, describe, tolerance=LOSS_TOLERANCES[name])


def svm_tolerance(inputs, expected):
    # the margins s - s_y + 1 cancel, so the loss rounds at a few ulp of sum(|s| + |s_y| + 1) / N; dscores
    # counts violations over N: exact
    scores = inputs["scores"]
    terms = np.abs(scores) + np.abs(scores[np.arange(len(scores)), inputs["y"]])[:, None] + 1
    return {"loss": floor(terms.sum() / len(scores))}


LOSS_TOLERANCES = {"softmax_loss": lambda inputs, expected: softmax_tolerance(inputs["scores"]),
                   "svm_loss": svm_tolerance}


NOTEBOOK_TASKS = (
    # |x - y| / max(1e-8, |x| + |y|) of given x, y: one rounding per operation, no cancellation of results
    Task("rel_error", rel_error_inputs, rel_error_run, lambda inputs: f"x of shape {shape_of(inputs['x'])}",
         tolerance=exact),
    Task("numerical_gradient", numerical_gradient_inputs, numerical_gradient_run, describe_numerical_gradient,
         tolerance=numerical_gradient_tolerance),
    Task("numerical_gradient_array", numerical_gradient_array_inputs, numerical_gradient_array_run, describe_x,
         tolerance=numerical_gradient_array_tolerance),
    Task("affine_forward", affine_inputs, affine_forward_run, describe_x, tolerance=affine_tolerance),
    Task("affine_backward", affine_inputs, affine_backward_run, describe_affine_backward,
         tolerance=affine_tolerance),
    forward_task("relu_forward"),
    backward_task("relu_backward"),
    forward_task("sigmoid_forward", caches_output=True),
    backward_task("sigmoid_backward"),
    forward_task("tanh_forward", caches_output=True),
    backward_task("tanh_backward"),
    loss_task("softmax_loss"),
    loss_task("svm_loss"),
)
register(*NOTEBOOK_TASKS)
