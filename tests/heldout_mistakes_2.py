"""A second held-out set, written for issue 17 before the generic diagnoses were: mistakes whose outputs
relate to the expected ones by a plain transform (a sign, a factor, a transpose, a missing term, other
keys, other places), and a few more, across every notebook's objects.

Each entry is written the way a student slips (whole functions in their own style, or one line of the
solution changed) and says which words the grader's message must hold to name the mistake: all of
`words` (a tuple), or a known mistake's hint (a slug, as in heldout_mistakes.py). tests/test_hints.py and
benchmarks/hint_rate.py measure how many get named.
"""
from dataclasses import dataclass

import numpy as np

from heldout_mistakes import HeldOut, graded  # noqa: F401  (graded: the same grading path)


@dataclass(frozen=True)
class HeldOutWords(HeldOut):
    words: tuple = ()

    def wanted(self):
        return self.words if self.words else (super().wanted(),)

    def named(self, seed):
        judgement = self.judgement(seed)
        return judgement.passed < judgement.total and all(word in judgement.message for word in self.wanted())


def mistake(label, task, change, *words):
    return HeldOutWords(label, task, change, "", tuple(words))


def known(label, task, change, slug):
    """A held-out mistake that does what a known mistake does: its hint names it."""
    return HeldOutWords(label, task, change, slug)


# --- notebook 1 ----------------------------------------------------------------------------------------

def rel_error_mean(x, y):
    return np.mean(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))


def rel_error_summed(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return float((np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))).sum())


def gradient_minus_first(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        keep = x[i]
        x[i] = keep - h
        low = f(x)
        x[i] = keep + h
        high = f(x)
        x[i] = keep
        grad[i] = (low - high) / (2 * h)
        it.iternext()
    return grad


def gradient_over_h(f, x, h=1e-5):
    x = x.astype(np.float64)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / h
    return grad


def array_gradient_reversed(f, x, dout, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in range(x.size):
        idx = np.unravel_index(i, x.shape)
        old = x[idx]
        x[idx] = old - h
        neg = np.array(f(x), dtype=float)
        x[idx] = old + h
        pos = np.array(f(x), dtype=float)
        x[idx] = old
        grad[idx] = np.sum((neg - pos) * dout) / (2 * h)
    return grad


def affine_forward_no_bias(x, w, b):
    N = x.shape[0]
    out = np.dot(x.reshape(N, -1), w)
    return out, (x, w, b)


def affine_backward_db_mean(dout, cache):
    x, w, b = cache
    dx = np.dot(dout, w.T).reshape(x.shape)
    dw = np.dot(x.reshape(x.shape[0], -1).T, dout)
    db = np.mean(dout, axis=0)
    return dx, dw, db


def affine_backward_dw_transposed(dout, cache):
    x, w, b = cache
    x2 = x.reshape(x.shape[0], -1)
    dx = (dout @ w.T).reshape(*x.shape)
    dw = dout.T @ x2  # (M, D): the product the other way round
    return dx, dw, dout.sum(0)


def affine_backward_dw_averaged(dout, cache):
    x, w, b = cache
    n = x.shape[0]
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(n, -1).T @ dout / n
    db = dout.sum(axis=0)
    return dx, dw, db


def affine_backward_fortran_dx(dout, cache):
    x, w, b = cache
    dx = np.reshape(dout.dot(w.T), x.shape, order="F")
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def sigmoid_backward_flipped(dout, cache):
    s = cache
    return dout * s * (s - 1)


def tanh_backward_flipped(dout, cache):
    return dout * (cache ** 2 - 1)


def svm_no_margin(scores, y):
    n = scores.shape[0]
    correct = scores[np.arange(n), y].reshape(-1, 1)
    margins = np.maximum(0, scores - correct)
    margins[np.arange(n), y] = 0
    loss = np.sum(margins) / n
    mask = (margins > 0).astype(float)
    mask[np.arange(n), y] = -np.sum(mask, axis=1)
    return loss, mask / n


def svm_gradient_flipped(scores, y):
    num_train, num_classes = scores.shape
    loss = 0.0
    dscores = np.zeros_like(scores)
    for i in range(num_train):
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[i, j] - scores[i, y[i]] + 1
            if margin > 0:
                loss += margin
                dscores[i, j] -= 1
                dscores[i, y[i]] += 1
    return loss / num_train, dscores / num_train


def softmax_gradient_y_minus_p(scores, y):
    n = scores.shape[0]
    z = scores - scores.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    loss = -log_p[np.arange(n), y].sum() / n
    one_hot = np.zeros_like(p)
    one_hot[np.arange(n), y] = 1
    return loss, (one_hot - p) / n


def softmax_divided_twice(scores, y):
    N = len(y)
    z = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    probs = np.exp(log_probs)
    loss = np.mean(-log_probs[np.arange(N), y])
    dscores = probs / N
    dscores[np.arange(N), y] -= 1 / N
    dscores /= N
    return loss, dscores


# --- notebook 2 ----------------------------------------------------------------------------------------

TLN_SCORES = "scores, cache2 = affine_forward(activated, W2, b2)\n        if y is None:\n            return scores"
TLN_GRADS = 'grads = {"W1": dW1 + self.reg * W1, "b1": db1, "W2": dW2 + self.reg * W2, "b2": db2}'


class TwoLayerNetBiasAveraged:
    """Written with its own matrix products; the bias gradients are averaged over the batch."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3, reg=0.0):
        self.params = {"W1": weight_scale * np.random.randn(input_dim, hidden_dim), "b1": np.zeros(hidden_dim),
                       "W2": weight_scale * np.random.randn(hidden_dim, num_classes), "b2": np.zeros(num_classes)}
        self.reg = reg

    def loss(self, X, y=None):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        h = np.maximum(0, X @ W1 + b1)
        scores = h @ W2 + b2
        if y is None:
            return scores
        N = X.shape[0]
        z = scores - scores.max(axis=1, keepdims=True)
        log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        probs = np.exp(log_probs)
        loss = -log_probs[np.arange(N), y].mean() + 0.5 * self.reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        d = probs.copy()
        d[np.arange(N), y] -= 1
        d /= N
        dh = (d @ W2.T) * (h > 0)
        grads = {"W1": X.T @ dh + self.reg * W1, "b1": dh.mean(axis=0),
                 "W2": h.T @ d + self.reg * W2, "b2": d.mean(axis=0)}
        return float(loss), grads


class AffineDWTransposed:
    """Affine written out by hand, with dW as dout.T @ x."""

    def __init__(self, params, w_name, b_name):
        self.params, self.w_name, self.b_name = params, w_name, b_name
        self.x = self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return x.reshape(x.shape[0], -1) @ self.params[self.w_name] + self.params[self.b_name]

    def backward(self, dout):
        W = self.params[self.w_name]
        self.dW = dout.T @ self.x.reshape(self.x.shape[0], -1)
        self.db = dout.sum(axis=0)
        return (dout @ W.T).reshape(self.x.shape)


class SoftmaxWithLossIgnoringDout:
    def __init__(self):
        self.probs = self.y = None

    def forward(self, scores, y):
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.y = np.exp(log_probs), y
        return float(-log_probs[np.arange(len(y)), y].mean())

    def backward(self, dout=1):
        dx = self.probs.copy()
        dx[np.arange(len(self.y)), self.y] -= 1
        return dx / len(self.y)


LAYERNET_GRADS = ('"W1": affine1.dW + self.reg * self.params["W1"],\n            "b1": affine1.db,\n'
                  '            "W2": affine2.dW + self.reg * self.params["W2"],\n            "b2": affine2.db,')

# --- notebook 3 ----------------------------------------------------------------------------------------


def mse_gradient_flipped(preds, targets):
    n = preds.shape[0]
    return 0.5 * np.sum((preds - targets) ** 2) / n, (targets - preds) / n


def mse_summed(preds, targets):
    diff = preds - targets
    return 0.5 * np.sum(diff ** 2), diff


def mse_gradient_doubled(preds, targets):
    n = len(preds)
    err = preds - targets
    return 0.5 * (err ** 2).sum() / n, 2 * err / n


def sgd_returns_step(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    return -config["learning_rate"] * dw, config


def momentum_other_convention(w, dw, config=None):
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v + config["learning_rate"] * dw  # v points uphill, so step with -v
    config["velocity"] = v
    return w - v, config


def momentum_key_v(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["v"] = v
    return w + v, config


def rmsprop_adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))
    cache = cache + dw ** 2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def rmsprop_uphill(w, dw, config=None):
    config = {} if config is None else config
    lr = config.setdefault("learning_rate", 1e-2)
    rho = config.setdefault("decay_rate", 0.99)
    eps = config.setdefault("epsilon", 1e-8)
    config["cache"] = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * np.square(dw)
    return w + lr * dw / (np.sqrt(config["cache"]) + eps), config


def adam_moments_swapped(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
    step = config["learning_rate"] * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + config["epsilon"])
    config["t"], config["m"], config["v"] = t, v, m
    return w - step, config


FCN_RETURN = "        if y is None:\n            return out\n"
FCN_GRADS = '            grads[f"W{layer}"] = dW + self.reg * W\n            grads[f"b{layer}"] = db\n'

HELD_OUT_2 = [
    mistake("rel_error with np.mean", "rel_error", {"rel_error": rel_error_mean}, "relative errors", "mean"),
    mistake("rel_error summed", "rel_error", {"rel_error": rel_error_summed}, "relative errors", "sum"),
    mistake("centred difference taken the other way round", "numerical_gradient",
            {"numerical_gradient": gradient_minus_first}, "wrong sign"),
    mistake("centred difference over h", "numerical_gradient", {"numerical_gradient": gradient_over_h}, "twice"),
    mistake("array gradient the other way round", "numerical_gradient_array",
            {"numerical_gradient_array": array_gradient_reversed}, "wrong sign"),
    mistake("affine forward without its bias", "affine_forward", {"affine_forward": affine_forward_no_bias},
            "`b`"),
    mistake("db as the mean of dout", "affine_backward", {"affine_backward": affine_backward_db_mean}, "1/N"),
    mistake("dw as dout.T @ x", "affine_backward", {"affine_backward": affine_backward_dw_transposed},
            "transposed"),
    mistake("dw averaged over the batch", "affine_backward", {"affine_backward": affine_backward_dw_averaged},
            "1/N"),
    mistake("dx reshaped in Fortran order", "affine_backward", {"affine_backward": affine_backward_fortran_dx},
            "wrong places"),
    mistake("sigmoid backward with s * (s - 1)", "sigmoid_backward", {"sigmoid_backward": sigmoid_backward_flipped},
            "wrong sign"),
    mistake("tanh backward with t**2 - 1", "tanh_backward", {"tanh_backward": tanh_backward_flipped}, "wrong sign"),
    mistake("hinge with margin 0", "svm_loss", {"svm_loss": svm_no_margin}, "margin"),
    mistake("SVM gradient with the signs swapped", "svm_loss", {"svm_loss": svm_gradient_flipped}, "wrong sign"),
    mistake("softmax gradient as (y - p) / N", "softmax_loss", {"softmax_loss": softmax_gradient_y_minus_p},
            "wrong sign"),
    mistake("softmax gradient divided by N twice", "softmax_loss", {"softmax_loss": softmax_divided_twice}, "1/N"),
    mistake("TwoLayerNet returns softmax probabilities", "TwoLayerNet",
            {"TwoLayerNet": ((TLN_SCORES, TLN_SCORES.replace(
                "return scores", "e = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
                                 "            return e / e.sum(axis=1, keepdims=True)")),)},
            "probabilities"),
    known("TwoLayerNet grads keyed dW1, db1, ...", "TwoLayerNet",
          {"TwoLayerNet": ((TLN_GRADS, 'grads = {"dW1": dW1 + self.reg * W1, "db1": db1, '
                                       '"dW2": dW2 + self.reg * W2, "db2": db2}'),)},
          "TwoLayerNet__grad_keys"),
    mistake("TwoLayerNet without its second bias", "TwoLayerNet",
            {"TwoLayerNet": (("scores, cache2 = affine_forward(activated, W2, b2)",
                              "scores, cache2 = affine_forward(activated, W2, np.zeros_like(b2))"),)},
            "`b2`"),
    mistake("TwoLayerNet bias gradients averaged, own products", "TwoLayerNet", {"TwoLayerNet": TwoLayerNetBiasAveraged},
            "1/N"),
    mistake("Affine.dW as dout.T @ x", "Affine", {"Affine": AffineDWTransposed}, "transposed"),
    mistake("SoftmaxWithLoss.backward ignores dout", "SoftmaxWithLoss",
            {"SoftmaxWithLoss": SoftmaxWithLossIgnoringDout}, "ignores dout"),
    mistake("LayerNet gradient keyed dW1, db1, ...", "LayerNet",
            {"LayerNet": ((LAYERNET_GRADS, LAYERNET_GRADS.replace('"W1": affine1', '"dW1": affine1')
                           .replace('"b1": affine1', '"db1": affine1').replace('"W2": affine2', '"dW2": affine2')
                           .replace('"b2": affine2', '"db2": affine2')),)},
            "`dW1`", "`W1`"),
    mistake("MSE gradient as targets - preds", "mse_loss", {"mse_loss": mse_gradient_flipped}, "wrong sign"),
    mistake("MSE summed over the batch", "mse_loss", {"mse_loss": mse_summed}, "N times"),
    mistake("MSE gradient 2 * err / N", "mse_loss", {"mse_loss": mse_gradient_doubled}, "twice"),
    mistake("FullyConnectedNet returns probabilities", "FullyConnectedNet",
            {"FullyConnectedNet": ((FCN_RETURN, "        if y is None:\n"
                                    "            e = np.exp(out - out.max(axis=1, keepdims=True))\n"
                                    "            return e / e.sum(axis=1, keepdims=True)\n"),)},
            "probabilities"),
    mistake("FullyConnectedNet grads keyed dW1, db1, ...", "FullyConnectedNet",
            {"FullyConnectedNet": ((FCN_GRADS, FCN_GRADS.replace('f"W{', 'f"dW{').replace('f"b{', 'f"db{')),)},
            "`dW1`", "`W1`"),
    mistake("sgd returns the step", "sgd", {"sgd": sgd_returns_step}, "`w`"),
    known("momentum with v pointing uphill", "sgd_momentum", {"sgd_momentum": momentum_other_convention},
          "sgd_momentum__stores_negative"),
    known("momentum keeps its velocity under 'v'", "sgd_momentum", {"sgd_momentum": momentum_key_v},
          "sgd_momentum__velocity_not_stored"),
    mistake("RMSProp cache summed like AdaGrad", "rmsprop", {"rmsprop": rmsprop_adagrad}, "AdaGrad"),
    mistake("RMSProp steps uphill", "rmsprop", {"rmsprop": rmsprop_uphill}, "wrong sign"),
    mistake("Adam stores m and v swapped", "adam", {"adam": adam_moments_swapped}, "`m`", "`v`"),
]
