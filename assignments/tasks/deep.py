"""Notebook 3 tasks: the MSE head, FullyConnectedNet, four update rules, the Solver, and two trained models.

Nets of depth 1 to 4 get random sizes, a different activation in every hidden layer, non-zero biases,
reg > 0 and inputs with two trailing axes. Update rules are run for several steps on two parameters at
once, one from a fresh config (so the state the rule creates and stores shows) and one from a given state
(so state must persist in each parameter's own config, under its documented key and sign), each with one
coordinate whose gradient is so small that epsilon decides its step.
Each task's `behaviours` says which case shows what. The Solver trains a scripted stand-in model whose loss and accuracy
follow its parameters in a known way, so its histories can be compared exactly while its minibatches
stay free to be drawn in any random order. Trained models are judged from their parameters.
"""
import os
import tempfile

import numpy as np

from .. import datasets
from ..readable import SETTING_DIGITS, number, percent
from ..tolerances import floor, network_scales
from .task import (Behaviour, StudentError, Task, as_dict, call, invoke, keys_of, method, mixed_signs, register,
                   shape_of, snapshot, timed, unpack)
from .recipe import recipe_of, trained_with
from .scripted import ScriptedModel, batch_checks, batches
from .standins import NETWORK, WEIGHT_SHIFT
from .layers import OVERFLOW, SPREAD, real_scalar, stretch, widely_spread
from .two_layer import TIME_CHECK, init_checks, layer_params, seeds_inputs, time_checks, training_tolerance

ACTIVATION_NAMES = ("relu", "sigmoid", "tanh", "linear")


# --- mse_loss ----------------------------------------------------------------------------------

def mse_inputs(rng, case):
    n, k = int(rng.integers(3, 8)), case + 2  # K = 1 could not tell a mean over rows from a mean over entries
    return {"preds": rng.normal(size=(n, k)), "targets": rng.normal(size=(n, k))}


def mse_run(ns, inputs):
    loss, dpreds = unpack(call(ns, "mse_loss", inputs["preds"], inputs["targets"]), "mse_loss", ("loss", "dpreds"))
    return {"loss": loss, "dpreds": dpreds}


def mse_tolerance(inputs, expected):
    # preds - targets cancels at a few ulp of |preds| + |targets|; squared and summed, and as 2 (p - t) / N
    spread = np.abs(inputs["preds"]) + np.abs(inputs["targets"])
    n = len(spread)
    return {"loss": floor(2 * np.sum(spread ** 2) / n), "dpreds": floor(2 * spread / n)}


# --- FullyConnectedNet -------------------------------------------------------------------------

DEPTHS = (3, 4, 3)  # case -> depth of its deep net (every case also has a linear model)
LINEAR = "linear model: "  # prefix of the linear model's inputs and outputs
CURVES = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)), "tanh": np.tanh,
          "linear": lambda z: z}


def hidden_output(X, layers, activations):
    """The last hidden layer's output of a net with these (W, b) layers (all but the last) and activations."""
    out = X.reshape(len(X), -1)
    for (W, b), name in zip(layers, activations):
        out = CURVES[name](out @ W + b)
    return out


def given_net(rng, dims, n, head, trailing):
    """A net's arrays: X of shape (n, *trailing), labels or targets y, W1, b1, ... (mixed-sign weights, biases of
    both signs)."""
    inputs = {"X": rng.normal(size=(n, *trailing)),
              "y": rng.normal(size=(n, dims[-1])) if head == "mse" else rng.integers(0, dims[-1], size=n)}
    for layer, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
        inputs[f"W{layer}"] = mixed_signs(rng, (fan_in, fan_out), scale=1.0 / np.sqrt(fan_in))
        inputs[f"b{layer}"] = rng.normal(scale=0.5, size=fan_out)
    return inputs


def net_inputs(rng, case):
    """Every case builds three nets, so every case can show every documented behaviour:
    - a fresh float32 net for the initialisation statistics (every W has at least 1,500 entries, as in
      two_layer), whose params must all be float32, and whose scores must be float32 too (X is cast);
    - a deep net of depth DEPTHS[case] (each hidden layer with another activation, the last a sigmoid or tanh,
      so an activation after the last layer shows) with given weights and biases;
    - a linear model (hidden_dims=[]) with the other head.
    The deep net has the softmax head in cases 0 and 2 and the MSE head in case 1; reg > 0 and inputs with two
    trailing axes everywhere. A softmax head's scores spread by ~1000 within a row (the deep net's through its
    last bias, the linear model's in one row of X) and reach ~900."""
    new = {"new_dims": rng.integers([80, 60, 150, 10], [120, 100, 200, 16]),
           "new_activations": np.array(["relu", "tanh"]),
           "weight_scale": np.array(10 ** rng.uniform(-3, -1)), "numpy_seed": np.array(rng.integers(2 ** 31))}
    n, depth = int(rng.integers(4, 8)), DEPTHS[case]
    trailing = (2, int(rng.integers(2, 4)))
    dims = [int(np.prod(trailing)), *(int(v) for v in rng.integers(3, 8, size=depth - 1)), int(rng.integers(2, 5))]
    # the last hidden activation is never linear, nor ReLU (whose stand-in can leave positive scores alone), so
    # an activation after the last layer would show
    last = str(rng.choice(["sigmoid", "tanh"]))
    others = [name for name in rng.permutation(ACTIVATION_NAMES) if name != last]
    activations = [*others[:depth - 2], last]
    head = "mse" if case == 1 else "softmax"
    inputs = {"dims": np.array(dims), "activations": np.array(activations, dtype=str), "loss_type": np.array(head),
              "reg": np.array(rng.uniform(0.1, 1.0)), **given_net(rng, dims, n, head, trailing)}
    linear_head = "softmax" if head == "mse" else "mse"
    linear_dims = [dims[0], int(rng.integers(2, 5))]
    linear = given_net(rng, linear_dims, int(rng.integers(4, 8)), linear_head, trailing)
    if head == "softmax":  # the last bias lifts one class to ~OVERFLOW and puts another ~SPREAD below it
        high, low = rng.choice(dims[-1], size=2, replace=False)
        inputs[f"b{depth}"][[high, low]] += (OVERFLOW, OVERFLOW - SPREAD)
    else:  # one row of the linear model's X stretched: the other rows keep ordinary scores
        X = linear["X"]
        if (X[0].reshape(-1) @ linear["W1"]).max() <= 0:  # its opposite reaches a positive maximum
            X[0] = -X[0]
        X[0] *= stretch(X[0].reshape(-1) @ linear["W1"])
    inputs.update({f"{LINEAR}{key}": value for key, value in
                   {**linear, "dims": np.array(linear_dims), "loss_type": np.array(linear_head)}.items()})
    return {**new, **inputs}


def linear_part(inputs):
    """The linear model's inputs under the deep net's names (dims, loss_type, X, y, W1, b1), with the shared reg."""
    return {**{key[len(LINEAR):]: value for key, value in inputs.items() if key.startswith(LINEAR)},
            "activations": np.array([], dtype=str), "reg": inputs["reg"]}


def describe_net(inputs):
    activations = ", ".join(str(a) for a in inputs["activations"])
    return (f"a new float32 net with weight_scale {number(inputs['weight_scale'], SETTING_DIGITS)}; a "
            f"{len(inputs['dims']) - 1}-layer net ({activations}) with {inputs['loss_type']} loss and a linear model "
            f"(hidden_dims=[]) with {inputs[LINEAR + 'loss_type']} loss, X of shape {shape_of(inputs['X'])}, "
            f"reg {number(inputs['reg'], SETTING_DIGITS)}")


def new_net(ns, dims, activations, **options):
    dims = [int(v) for v in dims]
    return call(ns, "FullyConnectedNet", dims[1:-1], dims[0], dims[-1], [str(a) for a in activations], **options)


def net_run(ns, inputs):
    np.random.seed(int(inputs["numpy_seed"]))
    net = new_net(ns, inputs["new_dims"], inputs["new_activations"], weight_scale=float(inputs["weight_scale"]),
                  dtype=np.float32)
    params = as_dict(method(net, "params", "FullyConnectedNet"), "FullyConnectedNet.params")
    outputs = {"keys": keys_of(params), "dtypes": np.array([str(np.asarray(v).dtype) for v in params.values()]),
               **layer_params(params, "init:", len(inputs["new_dims"]) - 1)}
    X = np.random.default_rng(int(inputs["numpy_seed"])).normal(size=(3, int(inputs["new_dims"][0])))
    scores = invoke("FullyConnectedNet.loss", method(net, "loss", "FullyConnectedNet"), X)
    outputs["dtype of a float32 net's scores"] = np.array(str(getattr(scores, "dtype", type(scores).__name__)))
    for prefix, part in (("", inputs), (LINEAR, linear_part(inputs))):
        outputs.update({prefix + key: value for key, value in given_net_run(ns, part).items()})
    return outputs


def given_net_run(ns, inputs):
    """A net built for inputs' dims, activations, reg and head, loaded with its given params: its scores, then
    its loss and gradients."""
    num_layers = len(inputs["dims"]) - 1
    net = new_net(ns, inputs["dims"], inputs["activations"], reg=float(inputs["reg"]), loss=str(inputs["loss_type"]))
    params = as_dict(method(net, "params", "FullyConnectedNet"), "FullyConnectedNet.params")
    params.update(layer_params(inputs, "", num_layers))
    loss_fn = method(net, "loss", "FullyConnectedNet")
    scores = snapshot(invoke("FullyConnectedNet.loss", loss_fn, inputs["X"]))
    loss, grads = unpack(invoke("FullyConnectedNet.loss", loss_fn, inputs["X"], inputs["y"]),
                         "FullyConnectedNet.loss(X, y)", ("loss", "grads"))
    grads = as_dict(grads, "grads")
    return {"scores": scores, "loss": real_scalar(loss, "the loss FullyConnectedNet.loss(X, y) returns"),
            "grads keys": keys_of(grads), **layer_params(grads, "grad:", num_layers)}


def net_summary(inputs, outputs, namespace):
    """The fresh float32 net's params become checks on shapes, statistics and dtype; the rest passes through."""
    dims = [int(v) for v in inputs["new_dims"]]
    shapes = {f"W{layer}": (fan_in, fan_out) for layer, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), 1)}
    checks = init_checks(outputs, shapes, float(inputs["weight_scale"]))
    checks["ok:every parameter is float32 when dtype=np.float32"] = set(outputs["dtypes"].tolist()) == {"float32"}
    rest = {key: value for key, value in outputs.items()
            if key not in ("keys", "dtypes") and not key.startswith("init:")}
    return {**checks, **rest}


def net_tolerance(inputs, expected):
    """Products into a softmax or MSE head and back: each output at a few ulp of the magnitudes of its terms
    (tolerances.network_scales, which bounds every activation, stand-ins' included). Graded nets are float64
    (the float32 net is judged by checks and its scores' dtype)."""
    tolerances = {}
    for prefix, part in (("", inputs), (LINEAR, linear_part(inputs))):
        num_layers = len(part["dims"]) - 1
        layers = [(part[f"W{layer}"], part[f"b{layer}"]) for layer in range(1, num_layers + 1)]
        head = str(part["loss_type"])
        scales = network_scales(part["X"], layers, float(part["reg"]), head, part["y"] if head == "mse" else None,
                                WEIGHT_SHIFT)
        loss = scales.pop("loss") + abs(float(np.asarray(expected.get(prefix + "loss", 0.0)).ravel()[0]))
        tolerances.update({prefix + "scores": floor(scales.pop("scores")), prefix + "loss": floor(loss),
                           **{f"{prefix}grad:{name}": floor(scale) for name, scale in scales.items()}})
    return tolerances


# --- update rules ------------------------------------------------------------------------------

STEPS = 3
HYPERPARAMETERS = {  # name -> (low, high) of a random setting; case 0 uses the rule's defaults
    "sgd": {"learning_rate": (0.05, 0.5)},
    "sgd_momentum": {"learning_rate": (0.05, 0.5), "momentum": (0.5, 0.95)},
    "rmsprop": {"learning_rate": (0.01, 0.1), "decay_rate": (0.8, 0.99)},
    "adam": {"learning_rate": (0.01, 0.1), "beta1": (0.7, 0.95), "beta2": (0.9, 0.999)},
}


STATE = {"sgd": (), "sgd_momentum": ("velocity",), "rmsprop": ("cache",), "adam": ("m", "v", "t")}
TINY = 1e-6  # the size of one coordinate's gradients: near epsilon's scale once squared and averaged
FRESH, GIVEN = "a", "b"  # the parameter whose config starts without state, and the one that starts from a given state


def labels(rule):
    """(output label of the fresh parameter, of the given-state parameter)."""
    return "w", ("a second parameter" if not STATE[rule] else f"w from a given {'/'.join(STATE[rule])}")


def initial_state(rng, rule, tag, shape):
    """The state a parameter's config starts from, under the documented keys (`velocity_b`, `t_b`, ...):
    non-zero, so reading it, its sign and where it is stored all show; tiny where the gradient is."""
    state = {"velocity": mixed_signs(rng, shape, scale=0.1), "m": mixed_signs(rng, shape, scale=0.5),
             "cache": rng.uniform(0.1, 2.0, size=shape), "v": rng.uniform(0.1, 2.0, size=shape),
             "t": np.array(int(rng.integers(1, 6)))}
    for key in ("m", "cache", "v"):
        state[key].reshape(-1)[0] *= TINY ** (1 if key == "m" else 2)
    return {f"{key}_{tag}": state[key] for key in STATE[rule]}


def given_state(inputs, rule, tag):
    """A parameter's starting state from the inputs, copied (so a rule may update it in place); none for the
    fresh parameter."""
    return {key: inputs[f"{key}_{tag}"].copy() if key != "t" else int(inputs[f"t_{tag}"]) for key in STATE[rule]
            if f"{key}_{tag}" in inputs}


def update_inputs(rule):
    """Two parameters of random shapes, STEPS gradients each. The first starts from a fresh config (None in
    case 0, so every default is used; the hyperparameters alone in the others), so the state the rule
    creates on its first call (zeros, t = 0) and stores for the next shows; the second starts from a given
    state, so reading it, its sign and its keys show."""
    def make(rng, case):
        shapes = [tuple(int(v) for v in rng.integers(2, 5, size=int(rng.integers(1, 3)))) for _ in range(2)]
        inputs = {}
        for tag, shape in zip((FRESH, GIVEN), shapes):
            inputs[f"w_{tag}"] = mixed_signs(rng, shape)
            # gradients that change size and sign from step to step, so every piece of state shows
            dw = np.stack([mixed_signs(rng, shape, scale=10.0 ** rng.uniform(-1, 1)) for _ in range(STEPS)])
            dw.reshape(STEPS, -1)[:, 0] *= TINY
            inputs[f"dw_{tag}"] = dw
        inputs.update(initial_state(rng, rule, GIVEN, shapes[1]))
        if case > 0:
            ranges = HYPERPARAMETERS[rule].items()
            inputs.update({name: np.array(rng.uniform(low, high)) for name, (low, high) in ranges})
        return inputs
    return make


DEFAULTS = {"learning_rate": 1e-2, "momentum": 0.9, "decay_rate": 0.99, "beta1": 0.9, "beta2": 0.999}  # notebook text
ADAM_LEARNING_RATE = 1e-3  # adam's default differs


def update_tolerance(rule):
    """w after step k = w0 + the sum of the steps so far; each step rounds at a few ulp of its terms:
    sgd lr |dw|; momentum mu |v| + lr |dw|; rmsprop the step itself (a ratio of positive terms); adam lr
    times the condition of its bias corrections 1 - beta^t, which lose ~1 / (1 - beta) ulp to cancellation.
    Steps are read from the expected values (v = the last step; momentum's first from the given velocity,
    or 0 on a fresh config)."""
    def tolerance(inputs, expected):
        setting = {**DEFAULTS, **({"learning_rate": ADAM_LEARNING_RATE} if rule == "adam" else {}),
                   **{name: float(value) for name, value in inputs.items() if value.ndim == 0}}
        lr = setting["learning_rate"]
        tolerances = {}
        for tag, label in zip((FRESH, GIVEN), labels(rule)):
            previous, last_step = inputs[f"w_{tag}"], np.abs(inputs.get(f"velocity_{tag}", 0.0))
            scale = np.abs(previous)
            for step in range(STEPS):
                name = f"{label} after step {step + 1}"
                if name not in expected:
                    break
                dw = np.abs(inputs[f"dw_{tag}"][step])
                now = np.asarray(expected[name], dtype=np.float64)
                size = np.abs(now - previous) if now.shape == previous.shape else 0.0
                terms = {"sgd": lr * dw, "sgd_momentum": setting["momentum"] * last_step + lr * dw, "rmsprop": size,
                         "adam": lr * (1 / (1 - setting["beta1"]) + 1 / (1 - setting["beta2"]))}[rule]
                scale = scale + size + terms
                tolerances[name] = floor(scale)
                previous, last_step = now, size
        return tolerances
    return tolerance


def update_run(rule):
    """The two parameters take turns for STEPS steps, each with its own config (the fresh one: None in case 0,
    else the hyperparameters alone; the other: the hyperparameters and the given state). The rule gets copies
    of the case's arrays; `w` and `dw` are compared with what was passed after every call (the first change
    is recorded as `input:w` / `input:dw`: a rule must never change them), and every next_w is recorded as a
    snapshot, since a later step may write into the very array a rule returned."""
    def run(ns, inputs):
        settings = {name: float(inputs[name]) for name in HYPERPARAMETERS[rule] if name in inputs}
        weights = {tag: inputs[f"w_{tag}"].copy() for tag in (FRESH, GIVEN)}
        configs = {FRESH: dict(settings) or None, GIVEN: {**settings, **given_state(inputs, rule, GIVEN)} or None}
        passed = {"w": inputs[f"w_{FRESH}"].copy(), "dw": inputs[f"dw_{FRESH}"][0].copy()}  # unchanged unless changed
        changed, outputs = {}, {}
        for step in range(STEPS):
            for tag, label in zip((FRESH, GIVEN), labels(rule)):
                arguments = {"w": weights[tag], "dw": inputs[f"dw_{tag}"][step].copy()}
                before = {name: snapshot(value) for name, value in arguments.items()}
                result = unpack(call(ns, rule, arguments["w"], arguments["dw"], configs[tag]), rule,
                                ("next_w", "config"))
                for name, value in arguments.items():
                    if name not in changed and not same_array(value, before[name]):
                        changed[name] = snapshot(value)
                weights[tag], configs[tag] = result[0], as_dict(result[1], f"the config {rule} returns")
                outputs[f"{label} after step {step + 1}"] = snapshot(weights[tag])
        return {**{f"input:{name}": changed.get(name, value) for name, value in passed.items()}, **outputs}
    return run


def same_array(value, before):
    """False when an array passed to the student's code was written into (NaN equal to NaN)."""
    if not isinstance(value, np.ndarray):
        return True
    return value.shape == before.shape and np.array_equal(value, before, equal_nan=value.dtype.kind in "fc")


def describe_update(inputs):
    state = [key for keys in STATE.values() for key in keys if f"{key}_{GIVEN}" in inputs]
    names = [name for name in inputs if inputs[name].ndim == 0 and name[:-2] not in state]
    config = "{" + ", ".join(f"'{name}': {number(inputs[name], SETTING_DIGITS)}" for name in names) + "}" \
        if names else "None (every default)"
    given = f"from a given {', '.join(state)}" if state else "from the same config"
    return (f"w and dw of shape {shape_of(inputs['w_' + FRESH])} from a fresh config {config}, taking turns with a "
            f"second parameter of shape {shape_of(inputs['w_' + GIVEN])} {given}; {STEPS} steps each")


# --- Solver ------------------------------------------------------------------------------------

def scripted_rule(w, dw, config):
    """A stateful update: step k of a config moves by learning_rate * dw / sqrt(k)."""
    config["calls"] = config.get("calls", 0) + 1
    return w - config["learning_rate"] * dw / np.sqrt(config["calls"]), config


def path_of_a0(a0, num_train, batch_size, num_epochs, learning_rate, lr_decay):
    """a[0] step by step as a correct Solver moves it (the gradient of 0.5 * a**2 is a), and its value at
    the end of each epoch."""
    path, ends, config = [a0], [], {"learning_rate": learning_rate}
    for _ in range(num_epochs):
        for _ in range(0, num_train, batch_size):
            path.append(scripted_rule(path[-1], path[-1], config)[0])
        ends.append(path[-1])
        config["learning_rate"] *= lr_decay
    return path, ends


def solver_inputs(rng, case):
    """Random sizes (the batch size never divides the training set) and a validation set whose best
    threshold lies mid-way along the path a[0] takes; one validation row lies between a[0]'s values after
    the last two epochs, so the last epoch is never the best one."""
    batch_size = int(rng.integers(7, 17))
    num_train = int(rng.integers(30, 61))
    num_train += num_train % batch_size == 0
    num_epochs, lr_decay, lr = int(rng.integers(4, 7)), rng.uniform(0.5, 0.9), rng.uniform(0.1, 0.3)
    a = np.array([rng.uniform(1.0, 1.2), rng.normal()])
    path, ends = path_of_a0(a[0], num_train, batch_size, num_epochs, lr, lr_decay)
    best = path[len(path) * 2 // 5]
    t_train, t_val = rng.uniform(0, 1.2, size=num_train), rng.uniform(0, 1.2, size=60)
    t_val[0] = rng.uniform(ends[-1], ends[-2])
    return {
        "X_train": np.column_stack([np.arange(num_train), t_train]),
        "y_train": rng.integers(0, 2, size=num_train),
        "X_val": np.column_stack([num_train + np.arange(60), t_val]),
        "y_val": (t_val < best).astype(np.int64),
        "a": a, "b": rng.normal(size=3),
        "batch_size": np.array(batch_size), "num_epochs": np.array(num_epochs),
        "lr_decay": np.array(lr_decay), "learning_rate": np.array(lr),
        "checkpoint": np.array(True),
    }


def solver_run(ns, inputs):
    model = ScriptedModel(inputs["a"], inputs["b"])
    data = {name: inputs[name] for name in ("X_train", "y_train", "X_val", "y_val")}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "checkpoint.npz") if inputs["checkpoint"] else None
        solver = call(ns, "Solver", model, data, scripted_rule, {"learning_rate": float(inputs["learning_rate"])},
                      float(inputs["lr_decay"]), int(inputs["batch_size"]), int(inputs["num_epochs"]), 0, path)
        invoke("Solver.train", method(solver, "train", "Solver"))
        outputs = {name: np.asarray(method(solver, name, "Solver"), dtype=np.float64)
                   for name in ("loss_history", "train_acc_history", "val_acc_history", "best_val_acc")}
        if path:
            if not os.path.exists(path):
                raise StudentError("Solver(checkpoint=path) wrote no file at that path after training")
            with np.load(path, allow_pickle=False) as saved:
                outputs.update({f"checkpoint:{name}": saved[name] for name in ("epoch", "a", "b") if name in saved})
    return {**outputs, "final:a": model.params["a"], **batches(model)}


def solver_summary(inputs, outputs, namespace):
    """Batches and the restored params become checks; the histories are compared as they are."""
    outputs = dict(outputs)
    checks = batch_checks(outputs, inputs["y_train"], int(inputs["batch_size"]), int(inputs["num_epochs"]))
    final_a = np.asarray(outputs.pop("final:a"), dtype=np.float64).ravel()
    X_val, y_val = inputs["X_val"], inputs["y_val"]
    final_val_acc = float(np.mean((final_a[0] > X_val[:, 1]) == y_val)) if final_a.size == 2 else -1.0
    val_history = np.asarray(outputs["val_acc_history"]).ravel()
    return {
        **checks,
        **outputs,
        "ok:after train() the model holds the params with the best validation accuracy":
            val_history.size > 0 and final_val_acc == val_history.max(),
    }


def solver_steps(inputs):
    return int(inputs["num_epochs"]) * -(-len(inputs["y_train"]) // int(inputs["batch_size"]))


def describe_solver(inputs):
    return (f"{len(inputs['y_train'])} training rows, batch_size {int(inputs['batch_size'])}, "
            f"{int(inputs['num_epochs'])} epochs, lr_decay {number(inputs['lr_decay'], SETTING_DIGITS)}"
            + (", with a checkpoint" if inputs["checkpoint"] else ""))


# --- trained models ----------------------------------------------------------------------------

TRAINING = {  # task -> (dataset, validation accuracy to reach, what it is)
    "digits_solver": (datasets.digits_split, 0.95, "digits"),
    "mnist1d_solver": (datasets.mnist1d, 0.50, "MNIST-1D"),
}


def splits(name, inputs):
    data = TRAINING[name][0](seed=int(inputs["data_seed"]))
    return {key: data[key] for key in ("X_train", "y_train", "X_val", "y_val")}


def training_run(name):
    """The student's own training (its trained params, or the error it raised) and the recipe it follows."""
    def run(ns, inputs):
        data = splits(name, inputs)
        recipe = recipe_of(ns, name, data)
        np.random.seed(int(inputs["numpy_seed"]))
        try:
            outputs = trained_outputs(ns, name, data)
        except StudentError as error:
            outputs = {TRAINING_ERROR: str(error)}
        return {**outputs, "recipe": recipe}
    return run


TRAINING_ERROR = "training error"


def trained_outputs(ns, name, data):
    solver = call(ns, name, data)
    label = f"the Solver from {name}(data)"
    model = method(solver, "model", label)
    _, seconds = timed(f"{label}: train", method(solver, "train", label))
    params = as_dict(method(model, "params", f"{label}: its model"), "model.params")
    activations = method(model, "activations", f"{label}: its model")
    activations = [activations] if isinstance(activations, str) else list(activations)
    return {**{f"trained:{key}": np.asarray(value) for key, value in params.items()},
            "activations": np.array([str(a) for a in activations]), "seconds": seconds}


def trained_accuracy(namespace, outputs, X, y):
    """Accuracy of the trained params and activations through the trusted FullyConnectedNet; -1 if the
    params are not those of a FullyConnectedNet."""
    params = {key[8:]: np.asarray(value, dtype=np.float64) for key, value in outputs.items()
              if key.startswith("trained:")}
    num_layers = len(params) // 2
    names = {key for layer in range(1, num_layers + 1) for key in (f"W{layer}", f"b{layer}")}
    activations = [str(a) for a in np.asarray(outputs["activations"]).ravel()]
    if set(params) != names or len(activations) != num_layers - 1 or not set(activations) <= set(ACTIVATION_NAMES):
        return -1.0
    dims = [params["W1"].shape[0], *(params[f"W{layer}"].shape[1] for layer in range(1, num_layers + 1))]
    net = namespace["FullyConnectedNet"](dims[1:-1], dims[0], dims[-1], activations)
    net.params = params
    return float(np.mean(np.argmax(net.loss(X), axis=1) == y))


def training_summary(name):
    """Checks on the student's trained model (or the error its training raised)."""
    def summarize(inputs, outputs, namespace):
        if TRAINING_ERROR in outputs:
            return {"error": str(outputs[TRAINING_ERROR])}
        data, target = splits(name, inputs), TRAINING[name][1]
        accuracy = trained_accuracy(namespace, outputs, data["X_val"], data["y_val"])
        is_net, reaches, _ = training_checks(name)
        return {is_net: accuracy >= 0, reaches: accuracy >= target, "info:validation accuracy": accuracy,
                **time_checks(outputs)}
    return summarize


def training_checks(name):
    target, what = TRAINING[name][1:]
    return ("ok:the model is a FullyConnectedNet (params W1, b1, ..., WL, bL and one activation per hidden layer)",
            f"ok:validation accuracy on the grader's {what} split is at least {target:.0%}", TIME_CHECK)


RETRAINED = "info:validation accuracy of your recipe trained with correct components"


def recipe_second_chance(name):
    """For the grader, when the student's own model misses a check: the student's recipe trained with the
    trusted components decides instead, so a wrong net, Solver or update rule costs this object nothing."""
    def second_chance(inputs, outputs, summary, namespace):
        data, target = splits(name, inputs), TRAINING[name][1]
        retried = retrain(namespace, str(outputs.get("recipe", "")), data, int(inputs["numpy_seed"]))
        if isinstance(retried, str):
            return summary
        if retried >= target:
            return {**dict.fromkeys(training_checks(name), True), RETRAINED: retried}
        if "error" in summary:
            return {"error": f"{summary['error']}; your recipe, trained with correct components, reaches "
                             f"{percent(retried)} validation accuracy"}
        return {**summary, RETRAINED: retried}
    return second_chance


def retrain(namespace, recipe, data, numpy_seed):
    """The recipe's validation accuracy with namespace's classes on one BLAS thread (the grader runs many
    students at once), or why it cannot be tried."""
    if not recipe:
        return "it does not simply return Solver(FullyConnectedNet(...), data, ...)"
    from threadpoolctl import threadpool_limits
    with threadpool_limits(1):
        return trained_with(namespace, recipe, data, numpy_seed)


# --- what the notebook states, and which inputs show it ----------------------------------------

def hidden_layers(inputs):
    return [str(a) for a in inputs["activations"]]


def last_is_best(inputs):
    """Whether a correct Solver's last epoch has the best validation accuracy (then restoring is invisible)."""
    _, ends = path_of_a0(float(inputs["a"][0]), len(inputs["y_train"]), int(inputs["batch_size"]),
                         int(inputs["num_epochs"]), float(inputs["learning_rate"]), float(inputs["lr_decay"]))
    accuracies = [np.mean((end > inputs["X_val"][:, 1]) == inputs["y_val"]) for end in ends]
    return accuracies[-1] >= max(accuracies)


def net_scores(inputs):
    """Scores of the net in `inputs` (deep or linear) without running any student code."""
    depth = len(inputs["dims"]) - 1
    layers = [(inputs[f"W{layer}"], inputs[f"b{layer}"]) for layer in range(1, depth + 1)]
    return hidden_output(inputs["X"], layers[:-1], hidden_layers(inputs)) @ layers[-1][0] + layers[-1][1]


def softmax_part(inputs):
    return inputs if str(inputs["loss_type"]) == "softmax" else linear_part(inputs)


NET_BEHAVIOURS = (
    Behaviour("every parameter of the dtype asked for; X cast to it", lambda i: True),
    Behaviour("weights weight_scale * randn, biases zero", lambda i: "new_dims" in i),
    Behaviour("hidden_dims=[] is a linear model", lambda i: len(i[LINEAR + "dims"]) == 2),
    Behaviour("layer l uses activation l (a different one in every hidden layer)",
              lambda i: len(set(hidden_layers(i))) >= 2),
    Behaviour("no activation after the last affine layer, none before the first",
              lambda i: hidden_layers(i)[-1] in ("sigmoid", "tanh")),
    Behaviour("the L2 term 0.5 * reg * sum W**2 covers every layer's W and no b (gradient reg * W)",
              lambda i: float(i["reg"]) > 0 and len(i["dims"]) >= 3),
    Behaviour("X of shape (N, d1, ..., dk) is flattened by affine_forward", lambda i: i["X"].ndim >= 3),
    Behaviour('loss="mse" uses mse_loss with real targets, loss="softmax" softmax_loss',
              lambda i: {str(i["loss_type"]), str(i[LINEAR + "loss_type"])} == {"mse", "softmax"}),
    Behaviour("the softmax loss stays finite for scores spread by ~1000 within a row",
              lambda i: widely_spread(net_scores(softmax_part(i)))),
    Behaviour("the loss is a float", lambda i: True),
)
def fresh_config(inputs):
    """The fresh parameter starts without state (its config is None or the hyperparameters alone)."""
    return not any(key.endswith(f"_{FRESH}") and not key.startswith(("w_", "dw_")) for key in inputs)


def tiny_gradient(inputs):
    return all(np.abs(inputs[f"dw_{tag}"]).min() < 1e-4 for tag in (FRESH, GIVEN))


FRESH_STATE = {
    "sgd_momentum": "the velocity starts at zeros when config has none",
    "rmsprop": "the cache starts at zeros when config has none",
    "adam": "m and v start at zeros and t at 0 when config has none, so the first step has t = 1",
}
UPDATE_BEHAVIOURS = {
    "sgd": (Behaviour("next_w = w - learning_rate * dw, a new array; w and dw unchanged", lambda i: True),
            Behaviour("the default learning rate 1e-2 fills a config without one", fresh_config)),
    "sgd_momentum": (
        Behaviour("v = momentum * v - learning_rate * dw; next_w = w + v", lambda i: True),
        Behaviour("the velocity under config['velocity'], read from it and written back (a given velocity is used)",
                  lambda i: np.any(i[f"velocity_{GIVEN}"] != 0))),
    "rmsprop": (
        Behaviour("cache = decay_rate * cache + (1 - decay_rate) * dw**2, under config['cache'] (a given cache is "
                  "used)", lambda i: np.all(i[f"cache_{GIVEN}"] > 0)),
        Behaviour("epsilon added after the square root", tiny_gradient)),
    "adam": (
        Behaviour("t incremented before use; m, v and t under config['m'], ['v'], ['t'] (a given state is used)",
                  lambda i: int(i[f"t_{GIVEN}"]) >= 1 and np.all(i[f"v_{GIVEN}"] > 0)),
        Behaviour("bias correction by 1 - beta1**t and 1 - beta2**t", lambda i: int(i[f"t_{GIVEN}"]) < 20),
        Behaviour("epsilon added after the square root", tiny_gradient)),
}
for rule, text in FRESH_STATE.items():  # state created on the first call, then continued from what was stored
    UPDATE_BEHAVIOURS[rule] += (Behaviour(f"{text}; later steps continue from the state stored in config",
                                          fresh_config),)
SOLVER_BEHAVIOURS = (
    Behaviour("one config per parameter, each a copy of optim_config", lambda i: len(i["a"]) + len(i["b"]) >= 2),
    Behaviour("every learning rate times lr_decay once per epoch", lambda i: float(i["lr_decay"]) < 1),
    Behaviour("after train() the params with the best validation accuracy are put back",
              lambda i: not last_is_best(i)),
    Behaviour("a new random order every epoch; the last minibatch may be smaller",
              lambda i: len(i["y_train"]) % int(i["batch_size"]) != 0),
    Behaviour("with a checkpoint file name, the epoch and the current params are saved every epoch",
              lambda i: bool(i["checkpoint"])),
)

register(
    Task("mse_loss", mse_inputs, mse_run, lambda i: f"preds and targets of shape {shape_of(i['preds'])}",
         tolerance=mse_tolerance, behaviours=(
             Behaviour("loss = sum((preds - targets)**2) / (2N): the 1/2, and a mean over the N rows, not the N*K "
                       "entries", lambda i: i["preds"].shape[1] >= 2),)),
    Task("FullyConnectedNet", net_inputs, net_run, describe_net, summarize=net_summary,
         stand_ins=(*NETWORK, "sigmoid_forward", "sigmoid_backward", "tanh_forward", "tanh_backward", "mse_loss"),
         tolerance=net_tolerance, behaviours=NET_BEHAVIOURS),
    *(Task(rule, update_inputs(rule), update_run(rule), describe_update, tolerance=update_tolerance(rule),
           behaviours=UPDATE_BEHAVIOURS[rule]) for rule in HYPERPARAMETERS),
    # the Solver's histories follow a training loop (see training_tolerance)
    Task("Solver", solver_inputs, solver_run, describe_solver, summarize=solver_summary,
         tolerance=training_tolerance(solver_steps), behaviours=SOLVER_BEHAVIOURS),
    # trained models are judged by `ok:` checks against their thresholds (accuracy, time): no tolerance
    *(Task(name, seeds_inputs, training_run(name), lambda i, what=what: f"the grader's {what} split", n_cases=1,
           summarize=training_summary(name), second_chance=recipe_second_chance(name))
      for name, (_, _, what) in TRAINING.items()),
)
