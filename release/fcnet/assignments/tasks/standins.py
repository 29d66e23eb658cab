"""Stand-ins for the notebook-1 functions, so a later object is judged on its own code only.

An object of notebooks 2-3 (TwoLayerNet, the layer classes, FullyConnectedNet) calls the student's
notebook-1 functions; LayerNet calls the student's layer classes, FullyConnectedNet the student's
mse_loss. Each of its cases is run twice: once as written, and once with those objects replaced, for
the duration of the call, by the stand-ins below. The stand-ins share the notebook-1
interface (shapes, `(out, cache)` pairs, caches the backward reads) but deliberately compute *other*
functions (a shifted weight, a leaky ReLU, softsign curves, a squared-error loss, a one-sided
difference), so they are no answer to notebook 1. The grader runs the instructor's object with the same
stand-ins: an object that wires its calls correctly matches there whatever its notebook 1 does.
"""
from contextlib import contextmanager

import numpy as np

PREFIX = "with stand-ins/"  # outputs of the stand-in run carry this prefix
WEIGHT_SHIFT = 0.25  # the stand-in affine layer computes with w + WEIGHT_SHIFT


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1) @ (w + WEIGHT_SHIFT) + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    x, w, _ = cache
    dx = (dout @ (w + WEIGHT_SHIFT).T).reshape(x.shape)
    return dx, x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


def relu_forward(x):
    return np.where(x > 0, x, 0.2 * x), x


def relu_backward(dout, cache):
    return dout * np.where(cache > 0, 1.0, 0.2)


def sigmoid_forward(x):
    return 0.5 + 0.5 * x / (1 + np.abs(x)), x


def sigmoid_backward(dout, cache):
    return dout * 0.5 / (1 + np.abs(cache)) ** 2


def tanh_forward(x):
    return x / (1 + np.abs(x)), x


def tanh_backward(dout, cache):
    return dout / (1 + np.abs(cache)) ** 2


def softmax_loss(scores, y):
    diff = scores - np.eye(scores.shape[1])[y]
    return float(0.5 * np.sum(diff ** 2) / scores.shape[0]), diff / scores.shape[0]


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad, fx = np.zeros_like(x), f(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + 1e-4
        grad[index] = (f(x) - fx) / 1e-4
        x[index] = original
    return grad


def mse_loss(preds, targets):
    diff = preds - targets
    return float(np.sum(np.log(np.cosh(diff))) / preds.shape[0]), np.tanh(diff) / preds.shape[0]


STAND_INS = {function.__name__: function for function in (
    affine_forward, affine_backward, relu_forward, relu_backward, sigmoid_forward, sigmoid_backward,
    tanh_forward, tanh_backward, softmax_loss, numerical_gradient, mse_loss)}


# notebook 2's layer classes, with the documented interface; they reach the stand-in functions through
# STAND_INS, never through a notebook's names


class Affine:
    def __init__(self, params, w_name, b_name):
        self.params, self.w_name, self.b_name = params, w_name, b_name
        self.cache = self.dW = self.db = None

    def forward(self, x):
        out, self.cache = STAND_INS["affine_forward"](x, self.params[self.w_name], self.params[self.b_name])
        return out

    def backward(self, dout):
        dx, self.dW, self.db = STAND_INS["affine_backward"](dout, self.cache)
        return dx


class Relu:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        out, self.cache = STAND_INS["relu_forward"](x)
        return out

    def backward(self, dout):
        return STAND_INS["relu_backward"](dout, self.cache)


class SoftmaxWithLoss:
    def __init__(self):
        self.dscores = None

    def forward(self, scores, y):
        loss, self.dscores = STAND_INS["softmax_loss"](scores, y)
        return loss

    def backward(self, dout=1.0):
        return self.dscores * dout


STAND_INS.update({layer.__name__: layer for layer in (Affine, Relu, SoftmaxWithLoss)})
LAYERS = ("affine_forward", "affine_backward", "relu_forward", "relu_backward")
NETWORK = (*LAYERS, "softmax_loss")
LAYER_CLASSES = ("Affine", "Relu", "SoftmaxWithLoss")


@contextmanager
def stand_ins(namespace, names):
    """Within the block, namespace[name] is the stand-in for each name, and so is the (forward, backward)
    pair of each activation in notebook 3's ACTIVATIONS table whose functions are replaced; everything is
    put back afterwards."""
    replaced = {name: namespace[name] for name in names if name in namespace}
    table = namespace.get("ACTIVATIONS")
    rows = dict(table) if isinstance(table, dict) else {}
    try:
        namespace.update({name: STAND_INS[name] for name in names})
        for key in rows:
            pair = (f"{key}_forward", f"{key}_backward")
            if set(pair) <= set(names):
                table[key] = tuple(STAND_INS[name] for name in pair)
        yield
    finally:
        for name in names:
            namespace.pop(name, None)
        namespace.update(replaced)
        if rows:
            table.update(rows)


def split(case):
    """A case's outputs -> (own run, stand-in run or None)."""
    own = {key: value for key, value in case.items() if not key.startswith(PREFIX)}
    theirs = {key[len(PREFIX):]: value for key, value in case.items() if key.startswith(PREFIX)}
    return own, theirs or None
