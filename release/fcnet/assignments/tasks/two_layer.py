"""Notebook 2 tasks: the two-layer net, its layer objects, and training on the spiral and on digits.

Hidden cases use non-zero biases, mixed-sign hidden pre-activations and reg > 0 (a net without its ReLU
or with regularised biases cannot match), and the softmax losses meet a row of scores spread by ~1000;
each task's `behaviours` says which case shows what. The
training loops are judged on what they own (updates, batches, history) by training a scripted stand-in
model instead of the student's network.
"""
import numpy as np

from ..readable import SETTING_DIGITS, number
from ..tolerances import ULPS, affine_scales, exact, finite_difference, floor, network_scales, softmax_tolerance
from .task import (Behaviour, Task, as_dict, call, invoke, keys_of, method, mixed_signs, register, shape_of,
                   snapshot, unpack, upstream_gradient)
from .layers import real_scalar, spread_row, stretch, widely_spread, with_zeros
from .scripted import ScriptedModel, batch_checks, batches, scripted_rows
from .standins import LAYER_CLASSES, LAYERS, NETWORK, WEIGHT_SHIFT

PARAM_NAMES = ("W1", "b1", "W2", "b2")
TIME_BUDGET = 30.0  # seconds a training run may take (timed in the kernel; the cell timeout is the hard limit)


def net_inputs(rng, case):
    """A small batch and a full parameter set, regularised."""
    n, d, h, c = (int(v) for v in (rng.integers(3, 7), rng.integers(4, 9), rng.integers(5, 11), rng.integers(3, 6)))
    return {
        "X": rng.normal(size=(n, d)),
        "y": rng.integers(0, c, size=n),
        "W1": rng.normal(size=(d, h)), "b1": rng.normal(scale=0.5, size=h),
        "W2": rng.normal(size=(h, c)), "b2": rng.normal(scale=0.5, size=c),
        "reg": np.array(rng.uniform(0.1, 1.0)),
    }


def describe_net(inputs):
    new = f"a new net with weight_scale {number(inputs['weight_scale'], SETTING_DIGITS)}, then " if "dims" in inputs \
        else ""
    spread = " (row 0 scaled up: its scores spread by ~1000)" if widely_spread(two_layer_scores(inputs)) else ""
    return (f"{new}X of shape {shape_of(inputs['X'])}{spread}, y of shape {shape_of(inputs['y'])}, "
            f"reg {number(inputs['reg'], SETTING_DIGITS)}")


def layer_params(params, prefix, num_layers=2):
    """{prefix + "W1": ..., prefix + "b1": ..., ...} in layer order, for the names that exist."""
    names = [key for layer in range(1, num_layers + 1) for key in (f"W{layer}", f"b{layer}")]
    return {f"{prefix}{name}": params[name] for name in names if name in params}


def load_params(model, inputs, label):
    params = as_dict(method(model, "params", label), f"{label}.params")
    for name in PARAM_NAMES:
        params[name] = inputs[name]


def net_scales(inputs, expected, W2=None):
    """network_scales of the two-layer net in `inputs` (with another W2 if given), covering the stand-in run's
    shifted weights; its loss scale also covers the stand-in's squared-error loss, whose terms add up to
    its (expected) value."""
    layers = [(inputs["W1"], inputs["b1"]), (inputs["W2"] if W2 is None else W2, inputs["b2"])]
    scales = network_scales(inputs["X"], layers, float(inputs["reg"]), weight_margin=WEIGHT_SHIFT)
    scales["loss"] += abs(float(np.asarray(expected.get("loss", 0.0)).ravel()[0]))
    return scales


def net_tolerance(inputs, expected, grad_prefix="grad:"):
    """Two matrix products into a softmax and back: each output at a few ulp of the magnitudes of its terms
    (scores and loss through the softmax's condition, see tolerances.network_scales)."""
    scales = net_scales(inputs, expected)
    return {"scores": floor(scales["scores"]), "loss": floor(scales["loss"]),
            **{grad_prefix + name: floor(scales[name]) for name in PARAM_NAMES}}


# --- TwoLayerNet -----------------------------------------------------------------------------

def two_layer_scores(inputs):
    """The scores of the two-layer net in `inputs`, without running any student code."""
    return np.maximum(inputs["X"] @ inputs["W1"] + inputs["b1"], 0) @ inputs["W2"] + inputs["b2"]


def stretched(inputs):
    """Row 0 of X stretched so that its scores spread by ~1000 and reach ~900 (the ReLU net is positively
    homogeneous, so scaling a row scales its scores but for the biases), with its label at the row's lowest
    score: a softmax computed without the row's maximum overflows, and -log of its underflowed probability is
    inf. The other rows keep ordinary scores."""
    X = inputs["X"]

    def unbiased(row):
        return np.maximum(row @ inputs["W1"], 0) @ inputs["W2"]

    # the first of the rows (or their opposites) whose scores reach a positive maximum, so they can reach ~900;
    # else the one whose scores spread the most
    candidates = (*X, *-X)
    row = next((candidate for candidate in candidates if unbiased(candidate).max() > 0 and np.ptp(unbiased(candidate))),
               max(candidates, key=lambda candidate: np.ptp(unbiased(candidate))))
    X[0] = row * stretch(unbiased(row))
    inputs["y"][0] = np.argmin(two_layer_scores(inputs)[0])
    return inputs


def two_layer_inputs(rng, case):
    """Every case: a small net loaded with given parameters, its loss and gradients, with one row of scores
    spread by ~1000 (stretched). Case 0 first builds a fresh net large enough for sharp initialisation
    statistics: W2 has at least 1,500 entries, so a correct std strays from weight_scale by 10% only at over 5
    standard errors."""
    if case > 0:
        return stretched(net_inputs(rng, case))
    return {"dims": rng.integers([100, 150, 10], [150, 250, 16]), "weight_scale": np.array(10 ** rng.uniform(-3, -1)),
            "numpy_seed": np.array(rng.integers(2 ** 31)), **stretched(net_inputs(rng, case))}


def two_layer_run(ns, inputs):
    outputs = {}
    if "dims" in inputs:
        np.random.seed(int(inputs["numpy_seed"]))
        d, h, c = (int(v) for v in inputs["dims"])
        net = call(ns, "TwoLayerNet", d, h, c, float(inputs["weight_scale"]))
        params = as_dict(method(net, "params", "TwoLayerNet"), "TwoLayerNet.params")
        outputs = {"keys": keys_of(params), **layer_params(params, "init:")}
    d, h = inputs["W1"].shape
    net = call(ns, "TwoLayerNet", d, h, inputs["W2"].shape[1], SMALL_NET_SCALE, float(inputs["reg"]))
    new = as_dict(method(net, "params", "TwoLayerNet"), "TwoLayerNet.params")
    outputs |= {"keys of a new net's params": keys_of(new),  # what a small new net shows, before loading
               **{f"{name} of a new net": np.array(new.get(name, np.nan), dtype=np.float64) for name in PARAM_NAMES}}
    load_params(net, inputs, "TwoLayerNet")
    loss_fn = method(net, "loss", "TwoLayerNet")
    scores = snapshot(invoke("TwoLayerNet.loss", loss_fn, inputs["X"]))
    loss, grads = unpack(invoke("TwoLayerNet.loss", loss_fn, inputs["X"], inputs["y"]), "TwoLayerNet.loss(X, y)",
                         ("loss", "grads"))
    grads = as_dict(grads, "grads")
    return {**outputs, "scores": scores, "loss": real_scalar(loss, "the loss TwoLayerNet.loss(X, y) returns"),
            "grads keys": keys_of(grads), **layer_params(grads, "grad:")}


def two_layer_summary(inputs, outputs, namespace):
    """The small new net's weights become a loose check; the fresh large net's params (case 0) become checks
    on their statistics; the other outputs pass through."""
    outputs = dict(outputs)
    weights = [outputs.pop(f"{name} of a new net") for name in ("W1", "W2")]
    checks = {SMALL_NET_CHECK: small_net_check(weights, SMALL_NET_SCALE)}
    if "dims" in inputs:
        d, h, c = (int(v) for v in inputs["dims"])
        checks.update(init_checks(outputs, {"W1": (d, h), "W2": (h, c)}, float(inputs["weight_scale"])))
        outputs = {key: value for key, value in outputs.items() if key != "keys" and not key.startswith("init:")}
    return {**checks, **outputs}


SMALL_NET_SCALE = 1e-2  # the weight_scale the loss cases build their small net with
SMALL_NET_CHECK = "ok:a new net's weights take both signs, with a spread within a factor 2 of weight_scale"


def small_net_check(weights, scale):
    """A loose check on the 35 or more weights of a small new net: a correct one fails it with probability
    below 3e-6 (its std leaves the band [0.5, 2] * weight_scale that rarely); uniform [0, s) or a wrong scale
    fail it always."""
    try:
        values = np.concatenate([np.ravel(np.asarray(w, dtype=np.float64)) for w in weights])
    except (TypeError, ValueError):
        return False
    return bool(values.size > 1 and (values > 0).any() and (values < 0).any() and 0.5 < values.std() / scale < 2)


def init_checks(outputs, weight_shapes, scale):
    """Checks on freshly initialised params given as `init:<name>` outputs, and their `keys`.

    weight_shapes: {"W1": (D, H), ...}; the bias of layer k is `b<k>`, sized like W<k>'s columns.
    """
    biases = {"b" + name[1:]: shape[1] for name, shape in weight_shapes.items()}
    names = [key for name in weight_shapes for key in (name, "b" + name[1:])]
    checks = {f"ok:params has exactly the keys {', '.join(names)}": list(outputs["keys"]) == sorted(names)}
    for name, shape in weight_shapes.items():
        weights = np.asarray(outputs.get(f"init:{name}", np.zeros(0)), dtype=np.float64)
        good_shape = weights.shape == shape
        checks[f"ok:{name} has shape (input, output) = {shape}"] = good_shape
        # the mean of n draws with spread s strays about s / sqrt(n) from 0; allow 4 times that
        spread = weights.std() if good_shape else 0.0
        checks[f"ok:{name} has mean about 0"] = good_shape and abs(weights.mean()) < 4 * spread / np.sqrt(weights.size)
        checks[f"ok:{name} has standard deviation within 10% of weight_scale"] = \
            good_shape and abs(weights.std() / scale - 1) < 0.1
        checks[f"info:{name} std / weight_scale"] = weights.std() / scale if good_shape else np.nan
    for name, size in biases.items():
        bias = np.asarray(outputs.get(f"init:{name}", np.ones(1)))
        checks[f"ok:{name} is {size} zeros"] = bias.shape == (size,) and not bias.any()
    return checks


# --- layer objects ---------------------------------------------------------------------------

def affine_layer_inputs(rng, case):
    n, trailing, m = int(rng.integers(2, 6)), tuple(int(v) for v in rng.integers(2, 4, size=2 + case % 2)), \
        int(rng.integers(2, 6))
    d = int(np.prod(trailing))
    return {"x": rng.normal(size=(n, *trailing)), "W": rng.normal(size=(d, m)), "b": rng.normal(size=m),
            "dout": rng.normal(size=(n, m)), "W_next": rng.normal(size=(d, m))}


def affine_layer_run(ns, inputs):
    params = {"W": inputs["W"], "b": inputs["b"]}
    layer = call(ns, "Affine", params, "W", "b")
    out = snapshot(invoke("Affine.forward", method(layer, "forward", "Affine"), inputs["x"]))
    dx = invoke("Affine.backward", method(layer, "backward", "Affine"), inputs["dout"])
    outputs = {name: snapshot(value) for name, value in
               (("out", out), ("dx", dx), ("dW", method(layer, "dW", "Affine")), ("db", method(layer, "db", "Affine")))}
    params["W"] = inputs["W_next"]  # a training step that rebinds the array
    outputs["out after params['W'] is rebound"] = invoke("Affine.forward", layer.forward, inputs["x"])
    return outputs


def affine_layer_tolerance(inputs, expected):
    # affine_forward/affine_backward's products, with |W| + the stand-ins' shift to cover their run too
    x, b, dout = inputs["x"], inputs["b"], inputs["dout"]
    scales = affine_scales(x, np.abs(inputs["W"]) + WEIGHT_SHIFT, b, dout)
    rebound = affine_scales(x, np.abs(inputs["W_next"]) + WEIGHT_SHIFT, b, dout)["out"]
    return {"out": floor(scales["out"]), "dx": floor(scales["dx"]), "dW": floor(scales["dw"]),
            "db": floor(scales["db"]), "out after params['W'] is rebound": floor(rebound)}


def relu_layer_inputs(rng, case):
    """Mixed signs (at least 4 of each) and two entries exactly 0 (derivative 0 there)."""
    shape = (int(rng.integers(3, 6)), int(rng.integers(3, 7)))
    x = mixed_signs(rng, shape)
    dout = upstream_gradient(rng, x)
    return {"x": with_zeros(rng, x), "dout": dout}


def relu_layer_run(ns, inputs):
    layer = call(ns, "Relu")
    out = snapshot(invoke("Relu.forward", method(layer, "forward", "Relu"), inputs["x"]))
    return {"out": out, "dx": invoke("Relu.backward", method(layer, "backward", "Relu"), inputs["dout"])}


def softmax_layer_inputs(rng, case):
    """Scores with one row spread by 1000 (its label at the bottom; layers.spread_row) and one at ~900, labels
    and an upstream dout far from the default 1 (of either sign)."""
    n, c = int(rng.integers(3, 8)), int(rng.integers(3, 6))
    scores, y = rng.normal(scale=3.0, size=(n, c)), rng.integers(0, c, size=n)
    spread_row(rng, scores, y, 0)
    scores[0] += 890.0
    return {"scores": scores, "y": y, "dout": np.array(rng.choice([-1.0, 1.0]) * rng.uniform(1.5, 4.0))}


def softmax_layer_tolerance(inputs, expected):
    # softmax_loss's tolerance; the gradient times dout (the stand-in's squared error is within it)
    loss = softmax_tolerance(inputs["scores"], float(inputs["dout"]))
    plain = softmax_tolerance(inputs["scores"])
    return {"loss": loss["loss"], "backward(dout)": loss["dscores"], "backward() after it": plain["dscores"]}


def softmax_layer_run(ns, inputs):
    """backward(dout) and then backward() with the default dout = 1: scaling the stored dscores in place
    would change the second answer."""
    layer = call(ns, "SoftmaxWithLoss")
    loss = real_scalar(snapshot(invoke("SoftmaxWithLoss.forward", method(layer, "forward", "SoftmaxWithLoss"),
                                       inputs["scores"], inputs["y"])), "the loss SoftmaxWithLoss.forward returns")
    backward = method(layer, "backward", "SoftmaxWithLoss")
    scaled = snapshot(invoke("SoftmaxWithLoss.backward", backward, float(inputs["dout"])))
    return {"loss": loss, "backward(dout)": scaled, "backward() after it": invoke("SoftmaxWithLoss.backward", backward)}


# --- LayerNet --------------------------------------------------------------------------------

def layer_net_inputs(rng, case):
    """TwoLayerNet's inputs cut down (numerical gradients stay cheap), with row 0 stretched as there, a W2 to
    rebind, and one row predicted right and one wrong, so a count of hits cannot pass for their fraction."""
    inputs = net_inputs(rng, case)
    inputs = {**inputs, "X": inputs["X"][:, :4].copy(), "W1": inputs["W1"][:4, :6], "b1": inputs["b1"][:6],
              "W2": inputs["W2"][:6], "W2_next": rng.normal(size=inputs["W2"][:6].shape)}
    inputs = stretched(inputs)  # row 0 is labelled with its lowest score: a miss
    inputs["y"][1] = np.argmax(two_layer_scores(inputs)[1])  # a hit: the accuracy lies strictly between 0 and 1
    return inputs


NUMERICAL_STEP = 1e-5  # LayerNet.numerical_gradient uses notebook 1's default h (the stand-in's 1e-4 is less noisy)


def layer_net_tolerance(inputs, expected):
    """As TwoLayerNet, plus: the numerical gradients are centred differences of the loss, at its noise floor
    (a few ulp of the loss's scale over h); the accuracy is a fraction of rows, exact."""
    scales = net_scales(inputs, expected)
    rebound = net_scales(inputs, {"loss": expected.get("loss after params['W2'] is rebound", 0.0)}, inputs["W2_next"])
    largest = max(np.abs(inputs[name]).max() for name in PARAM_NAMES)
    return {**net_tolerance(inputs, expected, "gradient:"),
            "loss after params['W2'] is rebound": floor(rebound["loss"]),
            **{f"numerical_gradient:{name}": finite_difference(scales["loss"], NUMERICAL_STEP, largest)
               for name in PARAM_NAMES}}


def layer_net_run(ns, inputs):
    d, h = inputs["W1"].shape
    net = call(ns, "LayerNet", d, h, inputs["W2"].shape[1], 0.01, float(inputs["reg"]))
    load_params(net, inputs, "LayerNet")
    X, y = inputs["X"], inputs["y"]
    outputs = {
        "scores": snapshot(invoke("LayerNet.predict", method(net, "predict", "LayerNet"), X)),
        "loss": real_scalar(snapshot(invoke("LayerNet.loss", method(net, "loss", "LayerNet"), X, y)),
                            "the loss LayerNet.loss returns"),
        "accuracy": real_scalar(snapshot(invoke("LayerNet.accuracy", method(net, "accuracy", "LayerNet"), X, y)),
                                "the accuracy LayerNet.accuracy returns"),
    }
    grads = snapshot(as_dict(invoke("LayerNet.gradient", method(net, "gradient", "LayerNet"), X, y),
                             "LayerNet.gradient"))
    numeric = as_dict(invoke("LayerNet.numerical_gradient", method(net, "numerical_gradient", "LayerNet"), X, y),
                      "LayerNet.numerical_gradient")
    outputs.update({"gradient keys": keys_of(grads), **layer_params(grads, "gradient:"),
                    **snapshot(layer_params(numeric, "numerical_gradient:"))})
    net.params["W2"] = inputs["W2_next"]  # a training step that rebinds the array
    outputs["loss after params['W2'] is rebound"] = invoke("LayerNet.loss", net.loss, X, y)
    return outputs


# --- training ---------------------------------------------------------------------------------

def seeds_inputs(rng, case):
    """A training case: the seed of the grader's dataset and the seed numpy's global generator starts from."""
    return {"data_seed": np.array(rng.integers(2 ** 31)), "numpy_seed": np.array(rng.integers(2 ** 31))}


TIME_CHECK = f"ok:training took under {TIME_BUDGET:g} s"


def time_checks(outputs):
    seconds = float(outputs["seconds"])
    return {TIME_CHECK: seconds <= TIME_BUDGET, "info:seconds": seconds}


# train_gd and train_sgd own their updates, their batches and their history, not the network: they train
# the scripted stand-in model, so a mistake in the student's TwoLayerNet (or notebook 1) costs them nothing

def scripted_inputs(rng, num_train):
    """A scripted model's start (a[0] above every threshold, so accuracies change as it shrinks), its
    curvature, and labelled rows; learning_rate * curvature < 1, so a correct loop shrinks the params."""
    return {"X": scripted_rows(rng, num_train), "y": rng.integers(0, 2, size=num_train),
            "a": np.array([rng.uniform(1.0, 1.2), rng.normal()]), "b": mixed_signs(rng, (3,)),
            "curvature": np.array(rng.uniform(0.2, 0.5)), "learning_rate": np.array(rng.uniform(0.3, 1.5))}


def scripted_model(inputs):
    return ScriptedModel(inputs["a"], inputs["b"], float(inputs["curvature"]))


def train_gd_inputs(rng, case):
    return {**scripted_inputs(rng, int(rng.integers(20, 41))), "num_iters": np.array(int(rng.integers(5, 16)))}


def train_gd_run(ns, inputs):
    model = scripted_model(inputs)
    losses = call(ns, "train_gd", model, inputs["X"], inputs["y"], float(inputs["learning_rate"]),
                  int(inputs["num_iters"]))
    return {"losses": np.asarray(losses, dtype=np.float64), "params after training: a": model.params["a"],
            "params after training: b": model.params["b"], **batches(model)}


def train_gd_summary(inputs, outputs, namespace):
    """The batches become one check (every iteration sees the whole training set); the rest is compared."""
    outputs = dict(outputs)
    sizes, num_iters = np.asarray(outputs.pop("batch sizes")), int(inputs["num_iters"])
    ids = np.asarray(outputs.pop("batch ids"))
    outputs.pop("batch labels")
    whole = sizes.size == num_iters and ids.size == num_iters * len(inputs["y"]) and np.array_equal(
        ids.reshape(num_iters, -1), np.tile(np.arange(len(inputs["y"])), (num_iters, 1)))
    return {"ok:each iteration computes model.loss(X, y) once, on the whole training set": whole, **outputs}


def describe_scripted(inputs):
    steps = (f"{int(inputs['num_iters'])} iterations" if "num_iters" in inputs else
             f"batch_size {int(inputs['batch_size'])}, {int(inputs['num_epochs'])} epochs")
    return (f"a scripted model on {len(inputs['y'])} rows, "
            f"learning_rate {number(inputs['learning_rate'], SETTING_DIGITS)}, {steps}")


def train_sgd_inputs(rng, case):
    """A batch size that does not divide the training set (the last batch is smaller) and several epochs."""
    batch_size = int(rng.integers(7, 17))
    num_train = int(rng.integers(30, 61))
    inputs = scripted_inputs(rng, num_train + (num_train % batch_size == 0))
    return {**inputs, "X_val": scripted_rows(rng, 40, first_id=len(inputs["y"])), "y_val": rng.integers(0, 2, size=40),
            "batch_size": np.array(batch_size), "num_epochs": np.array(int(rng.integers(3, 6))),
            "seed": np.array(int(rng.integers(1000)))}


def train_sgd_run(ns, inputs):
    model = scripted_model(inputs)
    history = call(ns, "train_sgd", model, inputs["X"], inputs["y"], inputs["X_val"], inputs["y_val"],
                   float(inputs["learning_rate"]), int(inputs["batch_size"]), int(inputs["num_epochs"]),
                   int(inputs["seed"]))
    history = as_dict(history, "train_sgd's result")
    return {**{f"history['{key}']": np.asarray(history.get(key, []), dtype=np.float64)
               for key in ("loss", "train_acc", "val_acc")},
            "params after training: a": model.params["a"], "params after training: b": model.params["b"],
            **batches(model)}


def training_tolerance(steps):
    """A loop's parameters shrink by a factor (1 - learning_rate * curvature) per step: a loop written
    another way (w -= lr * g, w = w - lr * g, ...) drifts by a few ulp per step, relative; accuracies
    are fractions of rows. steps: inputs -> the number of update steps."""
    return lambda inputs, expected: {name: (0.0, ULPS * (1 + steps(inputs))) for name in expected}


def sgd_steps(inputs):
    return int(inputs["num_epochs"]) * -(-len(inputs["y"]) // int(inputs["batch_size"]))


def train_sgd_summary(inputs, outputs, namespace):
    """Minibatches become checks (any random order passes); the histories and params are compared."""
    outputs = dict(outputs)
    return {**batch_checks(outputs, inputs["y"], int(inputs["batch_size"]), int(inputs["num_epochs"])), **outputs}


# --- what the notebook states, and which inputs show it ----------------------------------------

INITIALISATION = (
    Behaviour("weights weight_scale * randn (mean 0, std weight_scale): sharp statistics on a large net",
              lambda i: "dims" in i, unless="sharp statistics need a fresh, large net: case 1 builds one before its "
                                            "loss; every case checks signs and spread of a small new net loosely"),
    Behaviour("weights of both signs, spread near weight_scale; biases zero; keys W1, b1, W2, b2",
              lambda i: np.prod(i["W1"].shape) + np.prod(i["W2"].shape) >= 35),
)
def relu_matters(inputs):
    """The hidden pre-activations X W1 + b1 take both signs, so the ReLU changes them."""
    hidden = inputs["X"] @ inputs["W1"] + inputs["b1"]
    return bool((hidden > 0).any() and (hidden < 0).any())


NET = (
    Behaviour("affine -> ReLU -> affine (hidden pre-activations of both signs)", relu_matters),
    Behaviour("loss adds 0.5 * reg * (sum W1**2 + sum W2**2), the gradients reg * W; nothing for the biases",
              lambda i: float(i["reg"]) > 0 and np.all(i["b1"] != 0)),
    Behaviour("data loss and gradients averaged over the N rows", lambda i: len(i["y"]) >= 2),
    Behaviour("the loss is a float, finite for a row of scores spread by ~1000", lambda i: widely_spread(
        two_layer_scores(i))),
)

register(
    Task("TwoLayerNet", two_layer_inputs, two_layer_run, describe_net, summarize=two_layer_summary,
         stand_ins=NETWORK, tolerance=net_tolerance, behaviours=(*INITIALISATION, *NET)),
    Task("Affine", affine_layer_inputs, affine_layer_run,
         lambda i: f"params['W'] of shape {shape_of(i['W'])}, x of shape {shape_of(i['x'])} and dout of shape "
                   f"{shape_of(i['dout'])}", stand_ins=LAYERS[:2], tolerance=affine_layer_tolerance, behaviours=(
             Behaviour("reads params[w_name] at every forward (a rebound W is used)",
                       lambda i: not np.array_equal(i["W"], i["W_next"])),
             Behaviour("dx shaped like x", lambda i: i["x"].ndim >= 3),
             Behaviour("stores dW and db", lambda i: True))),
    # ReLU (and the stand-in's leaky ReLU) selects and scales values: exact
    Task("Relu", relu_layer_inputs, relu_layer_run, lambda i: f"x and dout of shape {shape_of(i['x'])}",
         stand_ins=LAYERS[2:], tolerance=exact, behaviours=(Behaviour("dx = dout where x > 0, 0 elsewhere (also at exactly 0)",
                               lambda i: (i["x"] == 0).any() and (i["x"] > 0).any() and (i["x"] < 0).any()),)),
    Task("SoftmaxWithLoss", softmax_layer_inputs, softmax_layer_run,
         lambda i: f"scores of shape {shape_of(i['scores'])}, y of shape {shape_of(i['y'])} and dout "
                   f"{number(i['dout'], SETTING_DIGITS)}",
         stand_ins=("softmax_loss",), tolerance=softmax_layer_tolerance, behaviours=(
             Behaviour("backward(dout) returns dscores * dout", lambda i: abs(float(i["dout"])) != 1),
             Behaviour("backward returns a new array: the stored dscores stay as they are",
                       lambda i: abs(float(i["dout"])) != 1),
             Behaviour("forward returns the loss as a float, finite for a row of scores spread by ~1000",
                       lambda i: widely_spread(i["scores"])))),
    Task("LayerNet", layer_net_inputs, layer_net_run, describe_net,
         stand_ins=(*NETWORK, "numerical_gradient", *LAYER_CLASSES), tolerance=layer_net_tolerance, behaviours=(
             Behaviour("loss adds 0.5 * reg * (sum W1**2 + sum W2**2); gradient adds reg * W to the weights",
                       lambda i: float(i["reg"]) > 0),
             Behaviour("the layers read the current params (a rebound W2 is used)", lambda i: True),
             Behaviour("loss and accuracy are floats; the loss is finite for a row of scores spread by ~1000",
                       lambda i: widely_spread(two_layer_scores(i))),
             Behaviour("accuracy is the fraction of rows predicted right, not their count",
                       lambda i: 0 < np.mean(np.argmax(two_layer_scores(i), axis=1) == i["y"]) < 1))),
    Task("train_gd", train_gd_inputs, train_gd_run, describe_scripted, summarize=train_gd_summary,
         tolerance=training_tolerance(lambda inputs: int(inputs["num_iters"])), behaviours=(
        Behaviour("each iteration: the loss on the whole set, then params -= learning_rate * grads",
                  lambda i: int(i["num_iters"]) >= 2),)),
    Task("train_sgd", train_sgd_inputs, train_sgd_run, describe_scripted, summarize=train_sgd_summary,
         tolerance=training_tolerance(sgd_steps), behaviours=(
        Behaviour("a new random order every epoch, from one generator made before the first",
                  lambda i: int(i["num_epochs"]) >= 2),
        Behaviour("the last minibatch may be smaller", lambda i: len(i["y"]) % int(i["batch_size"]) != 0),
        Behaviour("one loss per minibatch, one accuracy of each kind per epoch", lambda i: True))),
)
