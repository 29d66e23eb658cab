"""Mistakes held out from the known list: the same behaviour as a known mistake, written another way.

Written by hand in the styles students use (loops or vectorised, np.dot or @, probabilities or
log-probabilities, a second array or a view), none copied from autograder/mistakes. Each entry says which
words of the grader's message name the mistake: a known mistake's hint, or the in-place sentence for an
input changed in place. tests/test_hints.py and benchmarks/hint_rate.py measure how many get named.
"""
from dataclasses import dataclass

import numpy as np

from assignments import payload
from assignments.tasks import TASKS, run_case
from autograder.hidden.mistakes import all_mistakes
from autograder.hidden.reference import solution_namespace
from autograder.hidden.solutions import solution_source
from autograder.judging.verify import quietly, verify


@dataclass(frozen=True)
class HeldOut:
    label: str
    task: str
    change: dict  # object name -> mistaken function, or -> ((old, new), ...) edits of the solution cell
    names: str  # the mistake's slug (its hint must appear in the message) or "input:<argument>"

    def plant_into(self, namespace):
        for name, change in self.change.items():
            if callable(change):
                namespace[name] = change
                continue
            source = solution_source(name)
            for old, new in change:
                assert old in source, (self.label, old)
                source = source.replace(old, new)
            exec(compile(source, f"<held-out {self.label}>", "exec"), namespace)

    def wanted(self):
        """The words a message must hold to name this mistake."""
        if self.names.startswith("input:"):
            return f"the input `{self.names[6:]}` was changed in place"
        return next(m.hint for m in all_mistakes() if m.slug == self.names)

    def judgement(self, seed):
        """The grader's Judgement of this mistake, planted into the instructor's code, as in grading: run in
        process, encoded as the probe sends it, verified."""
        namespace = solution_namespace()
        self.plant_into(namespace)
        return graded(self.task, namespace, seed)

    def named(self, seed):
        """True when the grader's message on `seed` names this mistake."""
        judgement = self.judgement(seed)
        return judgement.passed < judgement.total and self.wanted() in judgement.message


def graded(name, namespace, seed):
    """verify()'s Judgement of task `name` run on a namespace, through the payload a probe would send."""
    task = TASKS[name]
    with quietly():
        cases = [payload.encode_case(run_case(task, namespace, inputs)) for inputs in task.inputs(seed)]
    return verify(name, seed, cases)


# --- numerical gradients -------------------------------------------------------------------------

def gradient_forward_difference(f, x, h=1e-5):
    x = x.astype(float)
    fx = f(x)
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        fxh = f(x)
        x[ix] = old
        grad[ix] = (fxh - fx) / h
        it.iternext()
    return grad


def gradient_on_the_callers_ints(f, x, h=1e-5):
    grad = np.zeros(x.shape)  # a float gradient, but x itself stays an integer array
    for ix in np.ndindex(*x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = f(x)
        x[ix] = old - h
        minus = f(x)
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def gradient_float_entries(f, x, h=1e-5):
    grad = np.zeros(x.shape, dtype=float)
    for i in range(x.size):
        index = np.unravel_index(i, x.shape)
        value = float(x[index])  # a float here, but written back into an integer x it is truncated again
        x[index] = value + h
        plus = f(x)
        x[index] = value - h
        minus = f(x)
        x[index] = value
        grad[index] = (plus - minus) / (2 * h)
    return grad


def gradient_int_copy(f, x, h=1e-5):
    x = np.copy(x)
    grad = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        plus = f(x)
        x.flat[i] = old - h
        minus = f(x)
        x.flat[i] = old
        grad.flat[i] = (plus - minus) / (2 * h)
    return grad


def gradient_never_restored(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=np.float64)
    for ix in np.ndindex(x.shape):
        x[ix] += h
        plus = f(x)
        x[ix] -= 2 * h
        grad[ix] = (plus - f(x)) / (2 * h)
    return grad


def array_gradient_forward_difference(f, x, dout, h=1e-5):
    x = x.astype(np.float64)
    base = np.sum(f(x) * dout)
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        grad[ix] = (np.sum(f(x) * dout) - base) / h
        x[ix] = old
    return grad


# --- affine ----------------------------------------------------------------------------------------

def affine_forward_columns(x, w, b):
    out = np.dot(x.reshape(w.shape[0], -1).T, w) + b
    return out, (x, w, b)


def affine_backward_flat_dx(dout, cache):
    x, w, b = cache
    x_rows = x.reshape(x.shape[0], np.prod(x.shape[1:]))
    return np.dot(dout, w.T), np.dot(x_rows.T, dout), np.sum(dout, axis=0)


# --- ReLU --------------------------------------------------------------------------------------------

def relu_backward_where_dout(dout, cache):
    return np.where(dout > 0, dout, 0.0)


def relu_backward_mask_only(dout, cache):
    return 1.0 * (cache > 0)


def relu_backward_through_a_view(dout, cache):
    dx = dout.reshape(dout.shape)  # a view: writing into it writes into dout
    dx[cache < 0] = 0
    return dx


def relu_backward_multiply_in_place(dout, cache):
    dout *= cache > 0
    return dout


class ReluWritingIntoDout:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


# --- activations -------------------------------------------------------------------------------------

def sigmoid_forward_keeps_x(x):
    return 1.0 / (1.0 + np.exp(-x)), x


def tanh_forward_keeps_x(x):
    out = np.tanh(x)
    cache = x
    return out, cache


# --- losses ------------------------------------------------------------------------------------------

def softmax_probabilities(scores, axis=1):
    exp_scores = np.exp(scores)
    return exp_scores / np.sum(exp_scores, axis=axis, keepdims=True)


def softmax_naive(scores, y):
    num_train = scores.shape[0]
    probs = softmax_probabilities(scores)
    loss = np.sum(-np.log(probs[np.arange(num_train), y])) / num_train
    dscores = probs.copy()
    dscores[np.arange(num_train), y] -= 1
    return loss, dscores / num_train


def softmax_loop_summed(scores, y):
    loss, dscores = 0.0, np.zeros_like(scores)
    for i in range(scores.shape[0]):
        shifted = scores[i] - np.max(scores[i])
        p = np.exp(shifted) / np.sum(np.exp(shifted))
        loss += -np.log(p[y[i]])
        dscores[i] = p
        dscores[i, y[i]] -= 1
    return loss, dscores


def softmax_gradient_summed(scores, y):
    n = len(y)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.mean(log_probs[range(n), y])
    probs = np.exp(log_probs)
    probs[range(n), y] -= 1
    return loss, probs


def softmax_columns(scores, y):
    n = scores.shape[0]
    probs = np.exp(scores - scores.max(axis=0)) / np.exp(scores - scores.max(axis=0)).sum(axis=0)
    loss = -np.log(probs[np.arange(n), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n


def softmax_no_one_hot(scores, y):
    n = scores.shape[0]
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(n), y]), np.exp(log_probs) / n


def svm_summed(scores, y):
    n = scores.shape[0]
    correct = scores[np.arange(n), y][:, None]
    margins = np.maximum(0, scores - correct + 1.0)
    margins[np.arange(n), y] = 0
    loss = np.sum(margins)
    dscores = (margins > 0).astype(float)
    dscores[np.arange(n), y] = -np.sum(dscores, axis=1)
    return loss, dscores


def svm_gradient_summed(scores, y):
    n = scores.shape[0]
    margins = np.maximum(0, scores - scores[np.arange(n), y].reshape(-1, 1) + 1)
    margins[np.arange(n), y] = 0
    dscores = np.zeros_like(scores)
    dscores[margins > 0] = 1
    dscores[np.arange(n), y] -= dscores.sum(axis=1)
    return margins.sum() / n, dscores


def mse_without_half(preds, targets):
    n = preds.shape[0]
    diff = preds - targets
    return np.sum(diff * diff) / n, 2 * diff / n


def mse_over_entries(preds, targets):
    return 0.5 * np.mean((preds - targets) ** 2), (preds - targets) / preds.size


# --- update rules ------------------------------------------------------------------------------------

def sgd_in_place(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    w -= config["learning_rate"] * dw
    return w, config


def sgd_uphill(w, dw, config=None):
    config = config or {}
    lr = config.get("learning_rate", 1e-2)
    config["learning_rate"] = lr
    return w + lr * dw, config


def momentum_forgets_velocity(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    return w + v, config


def rmsprop_forgets_cache(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-2), ("decay_rate", 0.99), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    cache = config.get("cache", np.zeros_like(w))
    cache = config["decay_rate"] * cache + (1 - config["decay_rate"]) * dw * dw
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adam_uncorrected(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    m = config.get("m", np.zeros_like(w))
    v = config.get("v", np.zeros_like(w))
    config["t"] = config.get("t", 0) + 1
    m = config["beta1"] * m + (1 - config["beta1"]) * dw
    v = config["beta2"] * v + (1 - config["beta2"]) * (dw ** 2)
    config["m"], config["v"] = m, v
    return w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"]), config


def adam_keeps_only_t(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    t = config.get("t", 0) + 1
    m = config["beta1"] * config.get("m", np.zeros_like(w)) + (1 - config["beta1"]) * dw
    v = config["beta2"] * config.get("v", np.zeros_like(w)) + (1 - config["beta2"]) * dw ** 2
    config["t"] = t
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def softmax_loss_summed_gradient_averaged(scores, y):
    n = scores.shape[0]
    log_probs = scores - scores.max(axis=1, keepdims=True)
    log_probs -= np.log(np.sum(np.exp(log_probs), axis=1, keepdims=True))
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    return -np.sum(log_probs[np.arange(n), y]), dscores / n


def svm_counting_own_margin(scores, y):
    n = scores.shape[0]
    loss, dscores = 0.0, np.zeros_like(scores)
    for i in range(n):
        for j in range(scores.shape[1]):
            margin = scores[i, j] - scores[i, y[i]] + 1
            if margin > 0:
                loss += margin  # the correct class adds its own margin of 1
                if j != y[i]:
                    dscores[i, j] += 1
                    dscores[i, y[i]] -= 1
    return loss / n, dscores / n


def mse_loss_doubled_only(preds, targets):
    diff = preds - targets
    return np.mean(np.sum(diff ** 2, axis=1)), diff / preds.shape[0]


def adam_counts_after(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    t = config.get("t", 0)
    m = config["beta1"] * config.get("m", np.zeros_like(w)) + (1 - config["beta1"]) * dw
    v = config["beta2"] * config.get("v", np.zeros_like(w)) + (1 - config["beta2"]) * dw ** 2
    next_w = w - config["learning_rate"] * (m / (1 - config["beta1"] ** t)) / (
        np.sqrt(v / (1 - config["beta2"] ** t)) + config["epsilon"])
    config.update(t=t + 1, m=m, v=v)
    return next_w, config


class TwoLayerNetWithoutRelu:
    """Written with its own matrix products instead of the notebook-1 functions, and no ReLU."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3, reg=0.0):
        self.params = {"W1": weight_scale * np.random.randn(input_dim, hidden_dim), "b1": np.zeros(hidden_dim),
                       "W2": weight_scale * np.random.randn(hidden_dim, num_classes), "b2": np.zeros(num_classes)}
        self.reg = reg

    def loss(self, X, y=None):
        W1, b1, W2, b2 = (self.params[key] for key in ("W1", "b1", "W2", "b2"))
        hidden = X.dot(W1) + b1
        scores = hidden.dot(W2) + b2
        if y is None:
            return scores
        n = X.shape[0]
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(n), y]).mean() + 0.5 * self.reg * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
        dscores = probs
        dscores[np.arange(n), y] -= 1
        dscores /= n
        dhidden = dscores.dot(W2.T)
        grads = {"W1": X.T.dot(dhidden) + self.reg * W1, "b1": dhidden.sum(axis=0),
                 "W2": hidden.T.dot(dscores) + self.reg * W2, "b2": dscores.sum(axis=0)}
        return loss, grads


LOSS_LINE = "loss = data_loss + 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))"
HELD_OUT = [
    HeldOut("forward difference, nditer", "numerical_gradient",
            {"numerical_gradient": gradient_forward_difference}, "numerical_gradient__one_sided"),
    HeldOut("float gradient of the caller's integer x", "numerical_gradient",
            {"numerical_gradient": gradient_on_the_callers_ints}, "numerical_gradient__int_truncated"),
    HeldOut("float() of each entry, written back into an integer x", "numerical_gradient",
            {"numerical_gradient": gradient_float_entries}, "numerical_gradient__int_truncated"),
    HeldOut("np.copy of an integer x, flat index", "numerical_gradient",
            {"numerical_gradient": gradient_int_copy}, "numerical_gradient__int_truncated"),
    HeldOut("x never restored, += and -=", "numerical_gradient",
            {"numerical_gradient": gradient_never_restored}, "input:x"),
    HeldOut("forward difference of sums", "numerical_gradient_array",
            {"numerical_gradient_array": array_gradient_forward_difference}, "numerical_gradient_array__one_sided"),
    HeldOut("reshape to (D, N) then transpose", "affine_forward", {"affine_forward": affine_forward_columns},
            "affine_forward__wrong_axes"),
    HeldOut("dx left as (N, D)", "affine_backward", {"affine_backward": affine_backward_flat_dx},
            "affine_backward__dx_flat"),
    HeldOut("np.where on dout", "relu_backward", {"relu_backward": relu_backward_where_dout},
            "relu_backward__dout_mask"),
    HeldOut("1.0 * mask", "relu_backward", {"relu_backward": relu_backward_mask_only}, "relu_backward__returns_mask"),
    HeldOut("zeros written through a view of dout", "relu_backward", {"relu_backward": relu_backward_through_a_view},
            "input:dout"),
    HeldOut("dout *= mask", "relu_backward", {"relu_backward": relu_backward_multiply_in_place}, "input:dout"),
    HeldOut("Relu.backward writes into dout", "Relu", {"Relu": ReluWritingIntoDout}, "input:dout"),
    HeldOut("sigmoid caches x", "sigmoid_forward", {"sigmoid_forward": sigmoid_forward_keeps_x},
            "sigmoid_forward__caches_input"),
    HeldOut("tanh caches x", "tanh_forward", {"tanh_forward": tanh_forward_keeps_x}, "tanh_forward__caches_input"),
    HeldOut("np.exp(scores) / sum, no shift", "softmax_loss", {"softmax_loss": softmax_naive},
            "softmax_loss__no_max_shift"),
    HeldOut("loop over rows, summed", "softmax_loss", {"softmax_loss": softmax_loop_summed}, "softmax_loss__summed"),
    HeldOut("gradient not divided by N", "softmax_loss", {"softmax_loss": softmax_gradient_summed},
            "softmax_loss__grad_not_averaged"),
    HeldOut("normalised down the columns", "softmax_loss", {"softmax_loss": softmax_columns},
            "softmax_loss__wrong_axis"),
    HeldOut("probabilities as the gradient", "softmax_loss", {"softmax_loss": softmax_no_one_hot},
            "softmax_loss__forgot_minus_one"),
    HeldOut("SVM summed", "svm_loss", {"svm_loss": svm_summed}, "svm_loss__summed"),
    HeldOut("SVM gradient not divided by N", "svm_loss", {"svm_loss": svm_gradient_summed},
            "svm_loss__grad_not_averaged"),
    HeldOut("MSE without the half", "mse_loss", {"mse_loss": mse_without_half}, "mse_loss__no_half"),
    HeldOut("MSE over all entries", "mse_loss", {"mse_loss": mse_over_entries}, "mse_loss__mean_over_entries"),
    HeldOut("w -= learning_rate * dw", "sgd", {"sgd": sgd_in_place}, "input:w"),
    HeldOut("w + learning_rate * dw", "sgd", {"sgd": sgd_uphill}, "sgd__ascent"),
    HeldOut("velocity kept in a local", "sgd_momentum", {"sgd_momentum": momentum_forgets_velocity},
            "sgd_momentum__velocity_not_stored"),
    HeldOut("cache kept in a local", "rmsprop", {"rmsprop": rmsprop_forgets_cache}, "rmsprop__cache_not_stored"),
    HeldOut("Adam on raw moments", "adam", {"adam": adam_uncorrected}, "adam__no_bias_correction"),
    HeldOut("Adam stores t only", "adam", {"adam": adam_keeps_only_t}, "adam__state_not_stored"),
    HeldOut("L2 as reg * sum(W**2) with gradient 2 * reg * W", "TwoLayerNet",
            {"TwoLayerNet": ((LOSS_LINE, LOSS_LINE.replace("0.5 * self.reg", "self.reg")),
                             ("dW1 + self.reg * W1", "dW1 + 2 * self.reg * W1"),
                             ("dW2 + self.reg * W2", "dW2 + 2 * self.reg * W2"))},
            "TwoLayerNet__reg_no_half"),
    HeldOut("loss and scores times N", "TwoLayerNet",
            {"TwoLayerNet": (("data_loss, dscores = softmax_loss(scores, y)",
                              "data_loss, dscores = softmax_loss(scores, y)\n"
                              "        data_loss *= len(y)\n        dscores = dscores * len(y)"),)},
            "TwoLayerNet__loss_summed"),
    HeldOut("uniform weights", "TwoLayerNet",
            {"TwoLayerNet": (("weight_scale * np.random.randn(input_dim, hidden_dim)",
                              "np.random.uniform(0, weight_scale, (input_dim, hidden_dim))"),
                             ("weight_scale * np.random.randn(hidden_dim, num_classes)",
                              "np.random.uniform(0, weight_scale, (hidden_dim, num_classes))"))},
            "TwoLayerNet__rand_init"),
    HeldOut("loss summed, gradient averaged", "softmax_loss", {"softmax_loss": softmax_loss_summed_gradient_averaged},
            "softmax_loss__summed"),
    HeldOut("SVM loops counting the correct class", "svm_loss", {"svm_loss": svm_counting_own_margin},
            "svm_loss__counts_correct_class"),
    HeldOut("MSE loss without the half, gradient right", "mse_loss", {"mse_loss": mse_loss_doubled_only},
            "mse_loss__no_half"),
    HeldOut("Adam's bias correction with t from 0", "adam", {"adam": adam_counts_after}, "adam__t_late"),
    HeldOut("every layer uses activations[0]", "FullyConnectedNet",
            {"FullyConnectedNet": (("ACTIVATIONS[self.activations[layer - 1]]",
                                    "ACTIVATIONS[self.activations[0]]"),)},
            "FullyConnectedNet__first_activation"),
    HeldOut("LayerNet gradient from the layers alone", "LayerNet",
            {"LayerNet": (('"W1": affine1.dW + self.reg * self.params["W1"]', '"W1": affine1.dW.copy()'),
                          ('"W2": affine2.dW + self.reg * self.params["W2"]', '"W2": affine2.dW.copy()'))},
            "LayerNet__gradient_without_reg"),
    HeldOut("learning rate decayed inside the minibatch loop", "Solver",
            {"Solver": (("                self._step(order[start:start + self.batch_size])\n",
                         "                self._step(order[start:start + self.batch_size])\n"
                         "                for name in self.optim_configs:\n"
                         "                    self.optim_configs[name][\"learning_rate\"] *= self.lr_decay\n"),
                        ('            for config in self.optim_configs.values():\n'
                         '                config["learning_rate"] *= self.lr_decay\n', ""))},
            "Solver__decay_per_step"),
    HeldOut("TwoLayerNet with its own matrix products and no ReLU", "TwoLayerNet",
            {"TwoLayerNet": TwoLayerNetWithoutRelu}, "TwoLayerNet__no_relu"),
]
