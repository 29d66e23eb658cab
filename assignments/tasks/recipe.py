"""The recipe of a trained-model function, so it is judged on its own choices only.

`digits_solver(data)` owns a recipe: the FullyConnectedNet it builds (sizes, activations, reg, weight
scale) and how the Solver trains it (update rule, its config, lr_decay, batch size, epochs). The net, the
Solver and the update rule it uses are other graded objects. In the kernel the function is called once
more with recorders in place of FullyConnectedNet and Solver, which keep the arguments they get and do
nothing else; the recipe travels as JSON. When the student's own trained model misses the target, the
grader trains the recipe with trusted components: a good recipe earns its points whatever is wrong in
the classes it names.
"""
import inspect
import json

import numpy as np

UPDATE_RULES = ("sgd", "sgd_momentum", "rmsprop", "adam")
MAX_MULTIPLY_ADDS = 5e9  # forward multiply-adds the grader spends on one recipe (the solutions: 4.4e8, 1.1e9)


def documented_net(hidden_dims, input_dim=64, num_classes=10, activation="relu", reg=0.0, weight_scale=1e-2,
                   dtype=np.float64, loss="softmax"):
    """The signature notebook 3 gives FullyConnectedNet.__init__."""


def documented_solver(model, data, update_rule=None, optim_config=None, lr_decay=1.0, batch_size=100,
                      num_epochs=10, seed=0, checkpoint=None, verbose=False):
    """The signature notebook 3 gives Solver.__init__ (update_rule defaults to sgd)."""


class RecordedCall:
    """What a recorder returns: the arguments it was called with, bound to the documented signature."""

    def __init__(self, signature, args, kwargs):
        bound = inspect.signature(signature).bind(*args, **kwargs)
        bound.apply_defaults()
        self.arguments = bound.arguments
        self.params = {}  # a recorded net has no params: code that reads them gets an empty dict


def recorder(signature):
    def record(*args, **kwargs):
        return RecordedCall(signature, args, kwargs)
    return record


def recipe_of(namespace, name, data):
    """The recipe `namespace[name](data)` follows, as JSON; "" when it cannot be read (the function does
    not simply build one FullyConnectedNet and one Solver on `data`, or it raised)."""
    recorders = {"FullyConnectedNet": recorder(documented_net), "Solver": recorder(documented_solver)}
    saved = {key: namespace[key] for key in recorders if key in namespace}
    try:
        namespace.update(recorders)
        solver = namespace[name](data)
        recipe = describe(solver, namespace, data)
    except Exception:
        return ""
    finally:
        for key in recorders:
            namespace.pop(key, None)
        namespace.update(saved)
    return json.dumps(recipe) if recipe else ""


def describe(solver, namespace, data):
    """The recorded calls -> a dict of plain numbers, strings and lists, or None."""
    if not isinstance(solver, RecordedCall) or not isinstance(solver.arguments.get("model"), RecordedCall):
        return None
    trainer, net = dict(solver.arguments), solver.arguments["model"].arguments
    if not same_data(trainer["data"], data):
        return None
    rule = next((rule for rule in UPDATE_RULES if trainer["update_rule"] is namespace.get(rule)), None)
    if trainer["update_rule"] is None:
        rule = "sgd"
    activation = net["activation"]
    return {
        "hidden_dims": [int(size) for size in net["hidden_dims"]],
        "input_dim": int(net["input_dim"]), "num_classes": int(net["num_classes"]),
        "activation": activation if isinstance(activation, str) else [str(a) for a in activation],
        "reg": float(net["reg"]), "weight_scale": float(net["weight_scale"]),
        "dtype": np.dtype(net["dtype"]).name, "loss": str(net["loss"]),
        "update_rule": rule,
        "optim_config": {str(key): float(value) for key, value in dict(trainer["optim_config"] or {}).items()},
        "lr_decay": float(trainer["lr_decay"]), "batch_size": int(trainer["batch_size"]),
        "num_epochs": int(trainer["num_epochs"]), "seed": int(trainer["seed"]),
    }


def same_data(given, data):
    """True when the Solver trains on the very arrays the function was handed (maybe in a new dict)."""
    return given is data or (isinstance(given, dict) and all(
        given.get(key) is data[key] or np.array_equal(given.get(key), data[key]) for key in data))


def trained_with(namespace, recipe_json, data, numpy_seed):
    """Validation accuracy of the recipe trained by namespace's FullyConnectedNet, Solver and update rule
    (the grader passes the trusted ones), or a sentence saying why it cannot be tried. The JSON comes from
    a student's kernel: anything but the documented kinds of value is refused before it is used."""
    try:
        recipe = json.loads(recipe_json)
        problem = refusal(recipe, data)
        if problem:
            return problem
        np.random.seed(numpy_seed)
        net = namespace["FullyConnectedNet"](
            recipe["hidden_dims"], recipe["input_dim"], recipe["num_classes"], recipe["activation"], recipe["reg"],
            recipe["weight_scale"], np.dtype(recipe["dtype"]), recipe["loss"])
        solver = namespace["Solver"](net, data, namespace[recipe["update_rule"]], recipe["optim_config"],
                                     recipe["lr_decay"], recipe["batch_size"], recipe["num_epochs"], recipe["seed"])
        solver.train()
        return solver.check_accuracy(data["X_val"], data["y_val"])
    except Exception as error:
        return f"it could not be trained ({type(error).__name__}: {error})"


def refusal(recipe, data):
    """Why the grader will not train this recipe, or "" when it will."""
    def numbers(values, kind):
        return all(isinstance(value, kind) and not isinstance(value, bool) for value in values)

    scalars = ("reg", "weight_scale", "lr_decay")
    if recipe.get("update_rule") is None:
        return "it trains with an update rule of its own, not one of notebook 3's"
    activation = recipe.get("activation")
    activations = [activation] if isinstance(activation, str) else activation
    if not (recipe["update_rule"] in UPDATE_RULES and recipe.get("dtype") in ("float32", "float64")
            and recipe.get("loss") in ("softmax", "mse") and isinstance(activations, list)
            and numbers(activations, str) and isinstance(recipe.get("hidden_dims"), list)
            and numbers([*recipe["hidden_dims"], *(recipe.get(k) for k in ("input_dim", "num_classes", "batch_size",
                                                                              "num_epochs", "seed"))], int)
            and numbers([recipe.get(k) for k in scalars], (int, float))
            and isinstance(recipe.get("optim_config"), dict) and numbers(recipe["optim_config"].values(), (int, float))):
        return "it is not made of the documented arguments"
    sizes = [recipe["input_dim"], *recipe["hidden_dims"], recipe["num_classes"]]
    if recipe["input_dim"] != data["X_train"][0].size or min(sizes) < 1 or recipe["batch_size"] < 1:
        return "its net or its batches do not fit the data"
    work = recipe["num_epochs"] * len(data["X_train"]) * sum(a * b for a, b in zip(sizes, sizes[1:]))
    if work > MAX_MULTIPLY_ADDS:
        return f"it needs {work:.1e} multiply-adds, more than the {MAX_MULTIPLY_ADDS:.0e} the grader spends"
    return ""
