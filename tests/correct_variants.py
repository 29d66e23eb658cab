"""Correct code written the way students write it, not the way the reference does.

Each function or class here is a correct implementation of a graded object that computes in another
order or another formulation than the instructor's solution, so its outputs differ from the reference in
the last bits. tests/test_tolerances.py plants them into a namespace (exec'ing their source there, as a
notebook cell would run, so the class bodies look up Affine, numerical_gradient, ... in that namespace)
and grades them as the grader does.
"""
import numpy as np


# --- softmax_loss --------------------------------------------------------------------------------

def softmax_loss_logsumexp(scores, y):
    """log-sum-exp form: loss_n = lse(s_n) - s_n[y_n], probabilities exp(s - lse)."""
    n = len(y)
    top = np.max(scores, axis=1)
    lse = top + np.log(np.sum(np.exp(scores - top[:, None]), axis=1))
    loss = np.sum(lse - scores[np.arange(n), y]) / n
    dscores = np.exp(scores - lse[:, None])
    dscores[np.arange(n), y] -= 1.0
    return loss, dscores / n


def softmax_loss_per_row(scores, y):
    """One example at a time, as in a first attempt."""
    num_train, num_classes = scores.shape
    loss = 0.0
    dscores = np.zeros_like(scores)
    for i in range(num_train):
        row = scores[i] - np.max(scores[i])
        exp_row = np.exp(row)
        total = np.sum(exp_row)
        loss += -row[y[i]] + np.log(total)
        for j in range(num_classes):
            p = exp_row[j] / total
            dscores[i, j] = (p - (j == y[i])) / num_train
    return loss / num_train, dscores


def softmax_loss_one_hot(scores, y):
    """One-hot labels and whole-matrix sums, dividing by N before subtracting."""
    N, C = scores.shape
    one_hot = np.eye(C)[y]
    shifted = scores - scores.max(axis=1)[:, np.newaxis]
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1))[:, np.newaxis]
    loss = -(one_hot * log_probs).sum() / N
    dscores = np.exp(log_probs) / N - one_hot / N
    return float(loss), dscores


# --- numerical_gradient_array -----------------------------------------------------------------------

def numerical_gradient_array_nditer(f, x, dout, h=1e-5):
    """np.nditer over a float64 copy, as in CS231n's eval_numerical_gradient_array."""
    x = x.astype(np.float64)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = f(x).copy()
        x[ix] = oldval - h
        neg = f(x).copy()
        x[ix] = oldval
        grad[ix] = np.sum((pos - neg) * dout) / (2 * h)
        it.iternext()
    return grad


def numerical_gradient_array_two_sums(f, x, dout, h=1e-5):
    """Flat index over a copy; sums f(x+h) * dout and f(x-h) * dout separately, then subtracts."""
    x_copy = np.array(x, dtype=float)
    flat = x_copy.reshape(-1)  # a view: writing into it changes x_copy
    grad = np.zeros(flat.size)
    for k in range(flat.size):
        saved = flat[k]
        flat[k] = saved + h
        up = np.sum(f(x_copy) * dout)
        flat[k] = saved - h
        down = np.sum(f(x_copy) * dout)
        flat[k] = saved
        grad[k] = (up - down) / (2 * h)
    return grad.reshape(x_copy.shape)


def numerical_gradient_array_backwards(f, x, dout, h=1e-5):
    """Indices last to first, the difference taken with np.vdot."""
    x = np.copy(x).astype(np.float64)
    grad = np.empty(x.shape)
    for index in reversed(list(np.ndindex(*x.shape))):
        keep = x[index]
        x[index] = keep + h
        f_plus = np.array(f(x))
        x[index] = keep - h
        f_minus = np.array(f(x))
        x[index] = keep
        grad[index] = np.vdot(dout, f_plus - f_minus) / (2.0 * h)
    return grad


def numerical_gradient_array_copies(f, x, dout, h=1e-5):
    """A fresh perturbed copy per entry (x itself is never written), then one multiply-and-sum per entry."""
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros(x.shape)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        difference = f(x + step) - f(x - step)
        grad.flat[i] = (difference * dout).sum() / (2 * h)
    return grad


# --- LayerNet (exec'd into a notebook namespace: Affine, Relu, SoftmaxWithLoss, numerical_gradient and
# OrderedDict come from there) --------------------------------------------------------------------

class LayerNetExplicit:
    """Layers called by name, the regulariser summed term by term, gradients collected second layer first."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, reg=0.0):
        self.params = {}
        self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params["b2"] = np.zeros(output_size)
        self.reg = reg
        self.layers = OrderedDict()  # noqa: F821
        self.layers["Affine1"] = Affine(self.params, "W1", "b1")  # noqa: F821
        self.layers["Relu1"] = Relu()  # noqa: F821
        self.layers["Affine2"] = Affine(self.params, "W2", "b2")  # noqa: F821
        self.last_layer = SoftmaxWithLoss()  # noqa: F821

    def predict(self, x):
        h = self.layers["Relu1"].forward(self.layers["Affine1"].forward(x))
        return self.layers["Affine2"].forward(h)

    def loss(self, x, t):
        reg_loss = 0.5 * self.reg * np.sum(self.params["W1"] ** 2) + 0.5 * self.reg * np.sum(self.params["W2"] ** 2)
        return self.last_layer.forward(self.predict(x), t) + reg_loss

    def accuracy(self, x, t):
        return np.sum(np.argmax(self.predict(x), axis=1) == t) / float(x.shape[0])

    def numerical_gradient(self, x, t):
        grads = {}
        for key in ("W2", "b2", "W1", "b1"):
            saved = self.params[key]

            def f(w, key=key):
                self.params[key] = w
                return self.loss(x, t)

            grads[key] = numerical_gradient(f, saved)  # noqa: F821
            self.params[key] = saved
        return grads

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward()
        for name in ("Affine2", "Relu1", "Affine1"):
            dout = self.layers[name].backward(dout)
        grads = {"W2": self.layers["Affine2"].dW + self.reg * self.params["W2"], "b2": self.layers["Affine2"].db}
        grads["W1"] = self.layers["Affine1"].dW + self.reg * self.params["W1"]
        grads["b1"] = self.layers["Affine1"].db
        return grads


class LayerNetStableSoftmax:
    """Computes its own softmax loss in log-sum-exp form (scores shifted by each row's max) instead of
    calling last_layer.forward, and its gradient from those probabilities."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, reg=0.0):
        self.params = {"W1": weight_init_std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                       "W2": weight_init_std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}
        self.reg = reg
        self.layers = OrderedDict([("Affine1", Affine(self.params, "W1", "b1")), ("Relu1", Relu()),  # noqa: F821
                                   ("Affine2", Affine(self.params, "W2", "b2"))])  # noqa: F821
        self.last_layer = SoftmaxWithLoss()  # noqa: F821

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def probabilities(self, x):
        scores = self.predict(x)
        scores = scores - np.max(scores, axis=1, keepdims=True)
        log_norm = np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
        return scores - log_norm

    def loss(self, x, t):
        log_probs = self.probabilities(x)
        data_loss = -np.mean(log_probs[np.arange(len(t)), t])
        squares = sum(np.sum(self.params[name] * self.params[name]) for name in ("W1", "W2"))
        return data_loss + self.reg * squares / 2

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x).argmax(axis=1) == t))

    def numerical_gradient(self, x, t):
        grads = {}
        for name in self.params:
            original = self.params[name]

            def loss_at(value):
                self.params[name] = value
                return self.loss(x, t)

            grads[name] = numerical_gradient(loss_at, original)  # noqa: F821
            self.params[name] = original
        return grads

    def gradient(self, x, t):
        probs = np.exp(self.probabilities(x))
        probs[np.arange(len(t)), t] -= 1
        dout = probs / len(t)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        grads = {}
        for k in ("1", "2"):
            grads["W" + k] = self.layers["Affine" + k].dW + self.reg * self.params["W" + k]
            grads["b" + k] = self.layers["Affine" + k].db
        return grads


class LayerNetOwnLoop(LayerNetExplicit):
    """Its numerical gradient is its own loop, perturbing each parameter array in place and putting every
    entry back (the reference rebinds the parameter to a perturbed copy instead)."""

    def numerical_gradient(self, x, t, h=1e-5):
        grads = {}
        for key, param in self.params.items():
            grad = np.zeros_like(param)
            for index in np.ndindex(param.shape):
                old = param[index]
                param[index] = old + h
                loss_plus = self.loss(x, t)
                param[index] = old - h
                loss_minus = self.loss(x, t)
                param[index] = old
                grad[index] = (loss_plus - loss_minus) / (2 * h)
            grads[key] = grad
        return grads


class LayerNetVectorised(LayerNetStableSoftmax):
    """Forward pass as one expression per layer, the regulariser as one sum over both weight matrices,
    and the data loss as a sum of per-row losses divided by N."""

    def loss(self, x, t):
        log_probs = self.probabilities(x)
        data_loss = np.sum(-log_probs[np.arange(x.shape[0]), t]) / x.shape[0]
        weights = np.concatenate([self.params["W1"].ravel(), self.params["W2"].ravel()])
        return float(data_loss + 0.5 * self.reg * np.dot(weights, weights))

    def gradient(self, x, t):
        self.last_layer.forward(self.predict(x), t)
        dout = self.last_layer.backward(1.0)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {name: getattr(self.layers["Affine" + name[1]], "d" + name[0]) + (self.reg * self.params[name]
                                                                                 if name[0] == "W" else 0)
                for name in ("W1", "b1", "W2", "b2")}


VARIANTS = {
    "softmax_loss": (softmax_loss_logsumexp, softmax_loss_per_row, softmax_loss_one_hot),
    "numerical_gradient_array": (numerical_gradient_array_nditer, numerical_gradient_array_two_sums,
                                 numerical_gradient_array_backwards, numerical_gradient_array_copies),
    "LayerNet": (LayerNetExplicit, LayerNetStableSoftmax, LayerNetOwnLoop, LayerNetVectorised),
}


# --- other exact formulas, one or two students' versions each ----------------------------------------

def rel_error_divide_first(x, y):
    x, y = np.array(x, dtype=float), np.array(y, dtype=float)
    denominator = np.maximum(np.abs(x) + np.abs(y), 1e-8)
    return np.max(np.abs(x - y) / denominator)


def affine_forward_dot(x, w, b):
    out = np.dot(x.reshape(x.shape[0], np.prod(x.shape[1:])), w) + b
    return out, (x, w, b)


def affine_forward_einsum(x, w, b):
    return np.einsum("nd,dm->nm", x.reshape(len(x), -1), w) + b[None, :], (x, w, b)


def affine_backward_einsum(dout, cache):
    x, w, b = cache
    x_rows = x.reshape(x.shape[0], -1)
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    dw = np.einsum("nd,nm->dm", x_rows, dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db


def relu_forward_multiply(x):
    out = x * (x > 0)
    return out, x


def relu_backward_where(dout, cache):
    return np.where(cache > 0, dout, 0.0)


def sigmoid_forward_tanh(x):
    out = 0.5 * (1 + np.tanh(0.5 * x))
    return out, out


def sigmoid_backward_squares(dout, cache):
    return dout * (cache - cache ** 2)


def tanh_backward_factored(dout, cache):
    return dout * (1 - cache) * (1 + cache)


def svm_loss_per_row(scores, y):
    num_train, num_classes = scores.shape
    loss, dscores = 0.0, np.zeros(scores.shape)
    for i in range(num_train):
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[i, j] - scores[i, y[i]] + 1
            if margin > 0:
                loss += margin
                dscores[i, j] += 1
                dscores[i, y[i]] -= 1
    return loss / num_train, dscores / num_train


def mse_loss_mean(preds, targets):
    n = preds.shape[0]
    diff = preds - targets
    return 0.5 * np.mean(np.sum(diff * diff, axis=1)), diff * (1.0 / n)


def sgd_in_steps(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-2)
    config["learning_rate"] = lr
    return w + (-lr) * dw, config


def sgd_momentum_in_place(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = np.copy(config.get("velocity", np.zeros_like(w)))
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def rmsprop_squares(w, dw, config=None):
    config = config if config is not None else {}
    lr, decay = config.setdefault("learning_rate", 1e-2), config.setdefault("decay_rate", 0.99)
    eps = config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))
    cache = cache + (1 - decay) * (dw ** 2 - cache)
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config


def adam_powers(w, dw, config=None):
    if config is None:
        config = {}
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw * dw
    config.update(t=t, m=m, v=v)
    m_hat = m / (1 - np.power(b1, t))
    v_hat = v / (1 - np.power(b2, t))
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def numerical_gradient_put_back_by_arithmetic(f, x, h=1e-5):
    """Works on the caller's float x in place and puts each entry back with += h, -= 2h, += h (a rounding
    away from where it was); an integer x is copied to floats first."""
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    grad = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        f_minus = f(x)
        x[index] += h
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array_put_back_by_arithmetic(f, x, dout, h=1e-5):
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    grad = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        x[index] += h
        f_plus = np.array(f(x))
        x[index] -= 2 * h
        f_minus = np.array(f(x))
        x[index] += h
        grad[index] = np.sum((f_plus - f_minus) * dout) / (2 * h)
    return grad


OTHER_VARIANTS = {
    "rel_error": (rel_error_divide_first,),
    "numerical_gradient": (numerical_gradient_put_back_by_arithmetic,),
    "numerical_gradient_array": (numerical_gradient_array_put_back_by_arithmetic,),
    "affine_forward": (affine_forward_dot, affine_forward_einsum),
    "affine_backward": (affine_backward_einsum,),
    "relu_forward": (relu_forward_multiply,),
    "relu_backward": (relu_backward_where,),
    "sigmoid_forward": (sigmoid_forward_tanh,),
    "sigmoid_backward": (sigmoid_backward_squares,),
    "tanh_forward": (),
    "tanh_backward": (tanh_backward_factored,),
    "svm_loss": (svm_loss_per_row,),
    "mse_loss": (mse_loss_mean,),
    "sgd": (sgd_in_steps,),
    "sgd_momentum": (sgd_momentum_in_place,),
    "rmsprop": (rmsprop_squares,),
    "adam": (adam_powers,),
}


# a whole notebook 1 in those other styles, for the objects of notebooks 2-3 that call it
NOTEBOOK1_ANOTHER_WAY = {
    "affine_forward": affine_forward_einsum, "affine_backward": affine_backward_einsum,
    "relu_forward": relu_forward_multiply, "relu_backward": relu_backward_where,
    "sigmoid_forward": sigmoid_forward_tanh, "sigmoid_backward": sigmoid_backward_squares,
    "tanh_forward": np.tanh and None, "tanh_backward": tanh_backward_factored,
    "softmax_loss": softmax_loss_logsumexp, "mse_loss": mse_loss_mean,
}
