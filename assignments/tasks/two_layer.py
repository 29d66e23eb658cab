"""Notebook 2 tasks: the two-layer net, its layer objects, and training on the spiral and on digits.

Hidden cases use non-zero biases and mixed-sign hidden pre-activations (a net without its ReLU or
with regularised biases cannot match), and training runs on data the grader generates with its own
seed. Training results are judged from the trained parameters, with the judge's own forward pass.
"""
import numpy as np

from .. import datasets
from . import (Task, as_dict, call, invoke, keys_of, method, mixed_signs, register, shape_of, timed, unpack,
               upstream_gradient)

PARAM_NAMES = ("W1", "b1", "W2", "b2")
SPIRAL = {"hidden_dim": 100, "weight_scale": 0.01, "reg": 1e-3, "learning_rate": 1.0, "num_iters": 2000}
DIGITS = {"hidden_dim": 64, "weight_scale": 0.1, "reg": 1e-4, "learning_rate": 0.5, "batch_size": 64,
          "num_epochs": 10}
TIME_BUDGET = 30.0  # seconds a training run may take (timed in the kernel; the cell timeout is the hard limit)


def net_inputs(rng, case):
    """A small batch and a full parameter set; case 2 regularises."""
    n, d, h, c = (int(v) for v in (rng.integers(3, 7), rng.integers(4, 9), rng.integers(5, 11), rng.integers(3, 6)))
    return {
        "X": rng.normal(size=(n, d)),
        "y": rng.integers(0, c, size=n),
        "W1": rng.normal(size=(d, h)), "b1": rng.normal(scale=0.5, size=h),
        "W2": rng.normal(size=(h, c)), "b2": rng.normal(scale=0.5, size=c),
        "reg": np.array(0.0 if case == 1 else rng.uniform(0.1, 1.0)),
    }


def describe_net(inputs):
    if "X" not in inputs:
        return f"a new net with weight_scale {float(inputs['weight_scale']):.3g}"
    return f"X of shape {shape_of(inputs['X'])}, reg {float(inputs['reg']):.3g}"


def layer_params(params, prefix, num_layers=2):
    """{prefix + "W1": ..., prefix + "b1": ..., ...} in layer order, for the names that exist."""
    names = [key for layer in range(1, num_layers + 1) for key in (f"W{layer}", f"b{layer}")]
    return {f"{prefix}{name}": params[name] for name in names if name in params}


def load_params(model, inputs, label):
    params = as_dict(method(model, "params", label), f"{label}.params")
    for name in PARAM_NAMES:
        params[name] = inputs[name]


# --- TwoLayerNet -----------------------------------------------------------------------------

def two_layer_inputs(rng, case):
    if case == 0:  # initialisation statistics on a net large enough for them to be sharp
        return {"dims": rng.integers([100, 80, 5], [150, 120, 11]), "weight_scale": np.array(10 ** rng.uniform(-3, -1)),
                "numpy_seed": np.array(rng.integers(2 ** 31))}
    return net_inputs(rng, case)


def two_layer_run(ns, inputs):
    if "dims" in inputs:
        np.random.seed(int(inputs["numpy_seed"]))
        d, h, c = (int(v) for v in inputs["dims"])
        net = call(ns, "TwoLayerNet", d, h, c, float(inputs["weight_scale"]))
        params = as_dict(method(net, "params", "TwoLayerNet"), "TwoLayerNet.params")
        return {"keys": keys_of(params), **layer_params(params, "init:")}
    d, h = inputs["W1"].shape
    net = call(ns, "TwoLayerNet", d, h, inputs["W2"].shape[1], 1e-2, float(inputs["reg"]))
    load_params(net, inputs, "TwoLayerNet")
    loss_fn = method(net, "loss", "TwoLayerNet")
    scores = invoke("TwoLayerNet.loss", loss_fn, inputs["X"])
    loss, grads = unpack(invoke("TwoLayerNet.loss", loss_fn, inputs["X"], inputs["y"]), "TwoLayerNet.loss(X, y)",
                         ("loss", "grads"))
    grads = as_dict(grads, "grads")
    return {"scores": scores, "loss": loss, "grads keys": keys_of(grads), **layer_params(grads, "grad:")}


def two_layer_summary(inputs, outputs, namespace):
    """Initialisation cases become checks on the statistics of the weights; other cases pass through."""
    if "dims" not in inputs:
        return outputs
    d, h, c = (int(v) for v in inputs["dims"])
    return init_checks(outputs, {"W1": (d, h), "W2": (h, c)}, float(inputs["weight_scale"]))


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
    n, trailing, m = int(rng.integers(2, 6)), tuple(int(v) for v in rng.integers(2, 4, size=int(rng.integers(1, 3)))), \
        int(rng.integers(2, 6))
    d = int(np.prod(trailing))
    return {"x": rng.normal(size=(n, *trailing)), "W": rng.normal(size=(d, m)), "b": rng.normal(size=m),
            "dout": rng.normal(size=(n, m)), "W_next": rng.normal(size=(d, m))}


def affine_layer_run(ns, inputs):
    params = {"W": inputs["W"], "b": inputs["b"]}
    layer = call(ns, "Affine", params, "W", "b")
    out = invoke("Affine.forward", method(layer, "forward", "Affine"), inputs["x"])
    dx = invoke("Affine.backward", method(layer, "backward", "Affine"), inputs["dout"])
    outputs = {"out": out, "dx": dx, "dW": method(layer, "dW", "Affine"), "db": method(layer, "db", "Affine")}
    params["W"] = inputs["W_next"]  # a training step that rebinds the array
    outputs["out after params['W'] is rebound"] = invoke("Affine.forward", layer.forward, inputs["x"])
    return outputs


def relu_layer_inputs(rng, case):
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 7)))
    x = mixed_signs(rng, shape)
    return {"x": x, "dout": upstream_gradient(rng, x)}


def relu_layer_run(ns, inputs):
    layer = call(ns, "Relu")
    out = invoke("Relu.forward", method(layer, "forward", "Relu"), inputs["x"])
    return {"out": out, "dx": invoke("Relu.backward", method(layer, "backward", "Relu"), inputs["dout"])}


def softmax_layer_inputs(rng, case):
    n, c = int(rng.integers(3, 8)), int(rng.integers(3, 6))
    return {"scores": rng.normal(scale=3.0, size=(n, c)) + (1000.0 if case == 2 else 0.0),
            "y": rng.integers(0, c, size=n)}


def softmax_layer_run(ns, inputs):
    layer = call(ns, "SoftmaxWithLoss")
    loss = invoke("SoftmaxWithLoss.forward", method(layer, "forward", "SoftmaxWithLoss"), inputs["scores"],
                  inputs["y"])
    return {"loss": loss, "dscores": invoke("SoftmaxWithLoss.backward", method(layer, "backward", "SoftmaxWithLoss"))}


# --- LayerNet --------------------------------------------------------------------------------

def layer_net_inputs(rng, case):
    inputs = net_inputs(rng, case)
    n, d = inputs["X"].shape  # keep numerical gradients cheap
    return {**inputs, "X": inputs["X"][:, :4], "W1": inputs["W1"][:4, :6], "b1": inputs["b1"][:6],
            "W2": inputs["W2"][:6], "W2_next": rng.normal(size=inputs["W2"][:6].shape)}


def layer_net_run(ns, inputs):
    d, h = inputs["W1"].shape
    net = call(ns, "LayerNet", d, h, inputs["W2"].shape[1], 0.01, float(inputs["reg"]))
    load_params(net, inputs, "LayerNet")
    X, y = inputs["X"], inputs["y"]
    outputs = {
        "scores": invoke("LayerNet.predict", method(net, "predict", "LayerNet"), X),
        "loss": invoke("LayerNet.loss", method(net, "loss", "LayerNet"), X, y),
        "accuracy": invoke("LayerNet.accuracy", method(net, "accuracy", "LayerNet"), X, y),
    }
    grads = as_dict(invoke("LayerNet.gradient", method(net, "gradient", "LayerNet"), X, y), "LayerNet.gradient")
    numeric = as_dict(invoke("LayerNet.numerical_gradient", method(net, "numerical_gradient", "LayerNet"), X, y),
                      "LayerNet.numerical_gradient")
    outputs.update({"gradient keys": keys_of(grads), **layer_params(grads, "gradient:"),
                    **layer_params(numeric, "numerical_gradient:")})
    net.params["W2"] = inputs["W2_next"]  # a training step that rebinds the array
    outputs["loss after params['W2'] is rebound"] = invoke("LayerNet.loss", net.loss, X, y)
    return outputs


# --- training --------------------------------------------------------------------------------

def seeds_inputs(rng, case):
    """A training case: the seed of the grader's dataset and the seed numpy's global generator starts from."""
    return {"data_seed": np.array(rng.integers(2 ** 31)), "numpy_seed": np.array(rng.integers(2 ** 31))}


def time_checks(outputs):
    seconds = float(outputs["seconds"])
    return {f"ok:training took under {TIME_BUDGET:g} s": seconds <= TIME_BUDGET, "info:seconds": seconds}


def new_net(ns, input_dim, num_classes, settings):
    return call(ns, "TwoLayerNet", input_dim, settings["hidden_dim"], num_classes, settings["weight_scale"],
                settings["reg"])


def train_gd_run(ns, inputs):
    X, y = datasets.spiral(seed=int(inputs["data_seed"]))
    np.random.seed(int(inputs["numpy_seed"]))
    model = new_net(ns, 2, 3, SPIRAL)
    losses, seconds = timed("train_gd", ns.get("train_gd"), model, X, y, SPIRAL["learning_rate"], SPIRAL["num_iters"])
    return {**layer_params(model.params, "trained:"), "losses": np.asarray(losses, dtype=np.float64),
            "seconds": seconds}


def accuracy_of(namespace, params, X, y, num_classes):
    model = namespace["TwoLayerNet"](X.shape[1], params["W1"].shape[1], num_classes)
    model.params = {name: np.asarray(params[name], dtype=np.float64) for name in PARAM_NAMES}
    return float(np.mean(np.argmax(model.loss(X), axis=1) == y))


def trained_params(outputs):
    return {name: outputs[f"trained:{name}"] for name in PARAM_NAMES}


def train_gd_summary(inputs, outputs, namespace):
    X, y = datasets.spiral(seed=int(inputs["data_seed"]))
    accuracy = accuracy_of(namespace, trained_params(outputs), X, y, 3)
    losses = np.asarray(outputs["losses"]).ravel()
    return {
        "ok:one loss recorded per iteration": losses.size == SPIRAL["num_iters"],
        "ok:the loss went down": losses.size > 1 and losses[-1] < losses[0],
        "ok:the loss never rose above its first value": losses.size > 0 and not np.any(losses > losses[0]),
        "ok:train accuracy on the grader's spiral is at least 95%": accuracy >= 0.95,
        "info:train accuracy": accuracy,
        **time_checks(outputs),
    }


def train_sgd_run(ns, inputs):
    data = datasets.digits_split(seed=int(inputs["data_seed"]))
    np.random.seed(int(inputs["numpy_seed"]))
    model = new_net(ns, 64, 10, DIGITS)
    history, seconds = timed("train_sgd", ns.get("train_sgd"), model, data["X_train"], data["y_train"], data["X_val"],
                             data["y_val"], DIGITS["learning_rate"], DIGITS["batch_size"], DIGITS["num_epochs"],
                             int(inputs["numpy_seed"]) % 1000)
    history = as_dict(history, "train_sgd's result")
    return {**layer_params(model.params, "trained:"), "seconds": seconds,
            **{f"history:{key}": np.asarray(history.get(key, []), dtype=np.float64)
               for key in ("loss", "train_acc", "val_acc")}}


def train_sgd_summary(inputs, outputs, namespace):
    data = datasets.digits_split(seed=int(inputs["data_seed"]))
    accuracy = accuracy_of(namespace, trained_params(outputs), data["X_val"], data["y_val"], 10)
    steps = DIGITS["num_epochs"] * int(np.ceil(len(data["X_train"]) / DIGITS["batch_size"]))
    val_history = np.asarray(outputs["history:val_acc"]).ravel()
    return {
        "ok:history['loss'] has one loss per minibatch step": np.asarray(outputs["history:loss"]).size == steps,
        "ok:history['val_acc'] has one accuracy per epoch": val_history.size == DIGITS["num_epochs"],
        "ok:the last history['val_acc'] is the trained model's validation accuracy":
            val_history.size > 0 and abs(val_history[-1] - accuracy) < 1e-9,
        "ok:validation accuracy on the grader's digits split is at least 93%": accuracy >= 0.93,
        "info:validation accuracy": accuracy,
        **time_checks(outputs),
    }


register(
    Task("TwoLayerNet", two_layer_inputs, two_layer_run, describe_net, summarize=two_layer_summary),
    Task("Affine", affine_layer_inputs, affine_layer_run, lambda i: f"x of shape {shape_of(i['x'])}"),
    Task("Relu", relu_layer_inputs, relu_layer_run, lambda i: f"x of shape {shape_of(i['x'])}"),
    Task("SoftmaxWithLoss", softmax_layer_inputs, softmax_layer_run,
         lambda i: f"scores of shape {shape_of(i['scores'])}{' around 1000' if i['scores'].mean() > 500 else ''}"),
    Task("LayerNet", layer_net_inputs, layer_net_run, describe_net),
    Task("train_gd", seeds_inputs, train_gd_run, lambda i: "the grader's spiral", n_cases=1,
         summarize=train_gd_summary),
    Task("train_sgd", seeds_inputs, train_sgd_run, lambda i: "the grader's digits split", n_cases=1,
         summarize=train_sgd_summary),
)
