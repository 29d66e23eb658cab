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


# --- more objects ------------------------------------------------------------------------------------

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


def rel_error_loop(x, y):
    """A plain loop over the flattened entries."""
    x, y = np.asarray(x, dtype=np.float64).ravel(), np.asarray(y, dtype=np.float64).ravel()
    worst = 0.0
    for a, b in zip(x, y):
        worst = max(worst, abs(a - b) / max(1e-8, abs(a) + abs(b)))
    return float(worst)


def rel_error_cs231n(x, y):
    return np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))


def numerical_gradient_nditer(f, x, h=1e-5):
    """np.nditer over a float64 copy, as in CS231n's eval_numerical_gradient."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    return grad


def numerical_gradient_flat(f, x, h=1e-5):
    """A flat index over a float copy, as in "Deep Learning from Scratch"."""
    x = x.astype(np.float64)
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    for idx in range(flat_x.size):
        tmp_val = flat_x[idx]
        flat_x[idx] = tmp_val + h
        fxh1 = f(x)
        flat_x[idx] = tmp_val - h
        fxh2 = f(x)
        flat_grad[idx] = (fxh1 - fxh2) / (2 * h)
        flat_x[idx] = tmp_val
    return grad


def numerical_gradient_basis(f, x, h=1e-5):
    """A fresh perturbed copy per entry, built from a basis vector (x itself is never written)."""
    x = np.asarray(x, dtype=np.float64)
    grad = np.empty(x.shape)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        e = e.reshape(x.shape)
        grad.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def affine_forward_loop(x, w, b):
    """One example at a time; caches x and w only, as the text asks."""
    n = x.shape[0]
    rows = x.reshape(n, -1)
    out = np.zeros((n, w.shape[1]))
    for i in range(n):
        out[i] = rows[i] @ w + b
    return out, (x, w)


def affine_forward_list_cache(x, w, b):
    x_row = np.reshape(x, (x.shape[0], -1))
    out = np.matmul(x_row, w) + b.reshape(1, -1)
    return out, [x, w, b]


def affine_backward_dot(dout, cache):
    x, w, b = cache
    dx = np.dot(dout, w.T).reshape(*x.shape)
    dw = np.dot(x.reshape(x.shape[0], -1).T, dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def affine_backward_outer(dout, cache):
    """dw and db as sums over the examples, one outer product per row."""
    x, w, _ = cache
    rows = x.reshape(len(x), -1)
    dw, db = np.zeros(w.shape), np.zeros(w.shape[1])
    for n in range(len(x)):
        dw += np.outer(rows[n], dout[n])
        db += dout[n]
    return (dout @ w.T).reshape(x.shape), dw, db


def relu_forward_where(x):
    return np.where(x > 0, x, 0.0), x


def relu_forward_masked_copy(x):
    """"Deep Learning from Scratch": a copy with the non-positive entries zeroed; the cache is the output,
    which the text allows (out > 0 exactly where x > 0)."""
    out = x.copy()
    out[x <= 0] = 0
    return out, out


def relu_backward_mask(dout, cache):
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx


def relu_backward_float_mask(dout, cache):
    return dout * (cache > 0).astype(dout.dtype)


def sigmoid_forward_naive(x):
    """The textbook formula: exp(-x) overflows to inf at x ~ -1000 (NumPy warns), and 1 / inf = 0 is right."""
    with np.errstate(over="ignore"):
        out = 1 / (1 + np.exp(-x))
    return out, out


def sigmoid_forward_piecewise(x):
    """The stable version the notebook's tip describes."""
    z = np.exp(-np.abs(x))
    out = np.empty_like(x, dtype=np.float64)
    positive = x >= 0
    out[positive] = 1 / (1 + z[positive])
    out[~positive] = z[~positive] / (1 + z[~positive])
    return out, out


def sigmoid_backward_plain(dout, cache):
    return cache * (1 - cache) * dout


def sigmoid_backward_distributed(dout, cache):
    return dout * cache - dout * cache * cache


def tanh_forward_numpy(x):
    t = np.tanh(x)
    return t, t


def tanh_forward_from_sigmoid(x):
    """tanh(x) = 2 sigma(2x) - 1, with the textbook sigmoid (exp(-2x) = inf gives -1, as it should)."""
    with np.errstate(over="ignore"):
        out = 2 / (1 + np.exp(-2 * x)) - 1
    return out, out


def tanh_forward_stable_exp(x):
    """The exp formula on -|x| only, then the sign."""
    e = np.exp(-2 * np.abs(x))
    out = np.sign(x) * (1 - e) / (1 + e)
    return out, out


def tanh_backward_square(dout, cache):
    return dout * (1 - np.square(cache))


def tanh_backward_distributed(dout, cache):
    return dout - dout * cache ** 2


def softmax_loss_scipy(scores, y):
    """scipy's logsumexp and softmax."""
    from scipy.special import logsumexp, softmax
    n = scores.shape[0]
    loss = np.mean(logsumexp(scores, axis=1) - scores[np.arange(n), y])
    dscores = softmax(scores, axis=1)
    dscores[np.arange(n), y] -= 1
    return float(loss), dscores / n


def svm_loss_vectorised(scores, y):
    """CS231n's vectorised version: margins, then a count of positive ones per row."""
    num_train = scores.shape[0]
    correct = scores[np.arange(num_train), y].reshape(-1, 1)
    margins = np.maximum(0, scores - correct + 1)
    margins[np.arange(num_train), y] = 0
    loss = np.sum(margins) / num_train
    binary = margins
    binary[margins > 0] = 1
    binary[np.arange(num_train), y] = -np.sum(binary, axis=1)
    return loss, binary / num_train


def svm_loss_mask(scores, y):
    """A boolean mask of the wrong classes, the loss summed over it."""
    n, c = scores.shape
    wrong = np.arange(c)[None, :] != y[:, None]
    margins = scores - scores[np.arange(n), y][:, None] + 1
    active = (margins > 0) & wrong
    loss = float(np.sum(margins[active]) / n)
    dscores = active.astype(float)
    dscores[np.arange(n), y] -= active.sum(axis=1)
    return loss, dscores / n


def mse_loss_loop(preds, targets):
    n = len(preds)
    loss, dpreds = 0.0, np.zeros(preds.shape)
    for i in range(n):
        diff = preds[i] - targets[i]
        loss += 0.5 * float(diff @ diff)
        dpreds[i] = diff / n
    return loss / n, dpreds


def mse_loss_einsum(preds, targets):
    diff = preds - targets
    return np.einsum("nk,nk->", diff, diff) / (2 * preds.shape[0]), diff / preds.shape[0]


def mse_loss_norm(preds, targets):
    n = preds.shape[0]
    return 0.5 * np.linalg.norm(preds - targets) ** 2 / n, (preds - targets) / n


# --- update rules --------------------------------------------------------------------------------------

def sgd_cs231n(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    w = w - config["learning_rate"] * dw
    return w, config


def sgd_get(w, dw, config=None):
    config = dict() if config is None else config
    lr = config.get("learning_rate", 1e-2)
    config["learning_rate"] = lr
    next_w = w.copy()
    next_w -= lr * dw
    return next_w, config


def sgd_momentum_cs231n(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def sgd_momentum_setdefault(w, dw, config=None):
    """Velocity created with setdefault on a first call, then replaced."""
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros(w.shape))
    config["velocity"] = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    return w + config["velocity"], config


def sgd_momentum_if_missing(w, dw, config=None):
    """CMU 11-785 style: the state is created when the key is missing."""
    if config is None:
        config = {}
    lr, mu = config.setdefault("learning_rate", 1e-2), config.setdefault("momentum", 0.9)
    if "velocity" not in config:
        config["velocity"] = np.zeros_like(w)
    velocity = mu * config["velocity"] - lr * dw
    config["velocity"] = velocity
    return w + velocity, config


def rmsprop_cs231n(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    config["cache"] = config["decay_rate"] * config["cache"] + (1 - config["decay_rate"]) * (dw * dw)
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    return next_w, config


def rmsprop_if_missing(w, dw, config=None):
    config = {} if config is None else config
    lr = config.setdefault("learning_rate", 1e-2)
    rho = config.setdefault("decay_rate", 0.99)
    eps = config.setdefault("epsilon", 1e-8)
    if "cache" not in config:
        config["cache"] = np.zeros(w.shape)
    cache = rho * config["cache"] + (1 - rho) * np.square(dw)
    config["cache"] = cache
    step = lr / (np.sqrt(cache) + eps)
    return w - step * dw, config


def adam_cs231n(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * (dw ** 2)
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    return next_w, config


def adam_if_missing(w, dw, config=None):
    """CMU 11-785 style: state created when missing, t counted as an int."""
    config = {} if config is None else config
    lr, b1 = config.setdefault("learning_rate", 1e-3), config.setdefault("beta1", 0.9)
    b2, eps = config.setdefault("beta2", 0.999), config.setdefault("epsilon", 1e-8)
    if "m" not in config:
        config["m"], config["v"], config["t"] = np.zeros_like(w), np.zeros_like(w), 0
    t = int(config["t"]) + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw * dw
    config["m"], config["v"], config["t"] = m, v, t
    return w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps), config


# --- notebook 2 (exec'd into a notebook namespace: affine_forward, relu_backward, softmax_loss, ... come from
# there) -------------------------------------------------------------------------------------------------

class TwoLayerNetCS231n:
    """Caches in local variables, the regulariser term by term, gradients added to the dict afterwards."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3, reg=0.0):
        self.params = {}
        self.reg = reg
        self.params["W1"] = weight_scale * np.random.randn(input_dim, hidden_dim)
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["W2"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b2"] = np.zeros(num_classes)

    def loss(self, X, y=None):
        h, fc1_cache = affine_forward(X, self.params["W1"], self.params["b1"])  # noqa: F821
        a, relu_cache = relu_forward(h)  # noqa: F821
        scores, fc2_cache = affine_forward(a, self.params["W2"], self.params["b2"])  # noqa: F821
        if y is None:
            return scores
        grads = {}
        loss, dscores = softmax_loss(scores, y)  # noqa: F821
        loss += 0.5 * self.reg * np.sum(self.params["W1"] ** 2)
        loss += 0.5 * self.reg * np.sum(self.params["W2"] ** 2)
        da, grads["W2"], grads["b2"] = affine_backward(dscores, fc2_cache)  # noqa: F821
        dh = relu_backward(da, relu_cache)  # noqa: F821
        _, grads["W1"], grads["b1"] = affine_backward(dh, fc1_cache)  # noqa: F821
        grads["W2"] += self.reg * self.params["W2"]
        grads["W1"] += self.reg * self.params["W1"]
        return loss, grads


class TwoLayerNetCacheList:
    """Layers as (forward, backward) pairs walked forwards and backwards, caches in a list."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3, reg=0.0):
        dims = (input_dim, hidden_dim, num_classes)
        self.params = {}
        for i in (1, 2):
            self.params[f"W{i}"] = np.random.randn(dims[i - 1], dims[i]) * weight_scale
            self.params[f"b{i}"] = np.zeros(dims[i])
        self.reg = reg

    def loss(self, X, y=None):
        out, caches = X, []
        for i in (1, 2):
            out, cache = affine_forward(out, self.params[f"W{i}"], self.params[f"b{i}"])  # noqa: F821
            caches.append(cache)
            if i == 1:
                out, cache = relu_forward(out)  # noqa: F821
                caches.append(cache)
        if y is None:
            return out
        data_loss, dout = softmax_loss(out, y)  # noqa: F821
        grads = {}
        for i in (2, 1):
            if i == 1:
                dout = relu_backward(dout, caches[1])  # noqa: F821
            dout, dW, db = affine_backward(dout, caches[0 if i == 1 else 2])  # noqa: F821
            grads[f"W{i}"], grads[f"b{i}"] = dW + self.reg * self.params[f"W{i}"], db
        reg_loss = self.reg / 2 * sum(np.sum(np.square(self.params[f"W{i}"])) for i in (1, 2))
        return float(data_loss + reg_loss), grads


class TwoLayerNetFlat:
    """The weights regularised as one vector; a float loss; a dict built at the end."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3, reg=0.0):
        W1 = weight_scale * np.random.randn(input_dim, hidden_dim)
        W2 = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params = dict(W1=W1, b1=np.zeros(hidden_dim), W2=W2, b2=np.zeros(num_classes))
        self.reg = reg

    def loss(self, X, y=None):
        p = self.params
        hidden, c1 = affine_forward(X, p["W1"], p["b1"])  # noqa: F821
        act, c2 = relu_forward(hidden)  # noqa: F821
        scores, c3 = affine_forward(act, p["W2"], p["b2"])  # noqa: F821
        if y is None:
            return scores
        data_loss, dscores = softmax_loss(scores, y)  # noqa: F821
        weights = np.concatenate([p["W1"].ravel(), p["W2"].ravel()])
        loss = data_loss + 0.5 * self.reg * weights @ weights
        dact, dW2, db2 = affine_backward(dscores, c3)  # noqa: F821
        _, dW1, db1 = affine_backward(relu_backward(dact, c2), c1)  # noqa: F821
        return float(loss), {"W1": dW1 + self.reg * p["W1"], "b1": db1, "W2": dW2 + self.reg * p["W2"], "b2": db2}


class AffineScratch:
    """"Deep Learning from Scratch": the layer computes its own products and keeps x's original shape."""

    def __init__(self, params, w_name, b_name):
        self.params, self.w_name, self.b_name = params, w_name, b_name
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.params[self.w_name]) + self.params[self.b_name]

    def backward(self, dout):
        dx = np.dot(dout, self.params[self.w_name].T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class AffineCalls:
    """The notebook-1 pair, the cache kept under another name."""

    def __init__(self, params, w_name, b_name):
        self.params = params
        self.names = (w_name, b_name)
        self.saved = None

    def forward(self, x):
        w, b = (self.params[name] for name in self.names)
        out, self.saved = affine_forward(x, w, b)  # noqa: F821
        return out

    def backward(self, dout):
        dx, dW, db = affine_backward(dout, self.saved)  # noqa: F821
        self.dW, self.db = dW, db
        return dx


class AffineEinsum:
    """Its own einsum products; the input kept as given."""

    def __init__(self, params, w_name, b_name):
        self.params, self.w_name, self.b_name = params, w_name, b_name

    def forward(self, x):
        self.x = x
        return np.einsum("nd,dm->nm", x.reshape(len(x), -1), self.params[self.w_name]) + self.params[self.b_name]

    def backward(self, dout):
        self.dW = np.einsum("nd,nm->dm", self.x.reshape(len(self.x), -1), dout)
        self.db = dout.sum(0)
        return np.einsum("nm,dm->nd", dout, self.params[self.w_name]).reshape(self.x.shape)


class ReluScratch:
    """"Deep Learning from Scratch": a mask of the non-positive inputs (dout copied, not written into)."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class ReluCalls:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        out, self.cache = relu_forward(x)  # noqa: F821
        return out

    def backward(self, dout):
        return relu_backward(dout, self.cache)  # noqa: F821


class ReluWhere:
    def forward(self, x):
        self.positive = x > 0
        return np.where(self.positive, x, 0.0)

    def backward(self, dout):
        return np.where(self.positive, dout, 0.0)


class SoftmaxWithLossScratch:
    """"Deep Learning from Scratch": its own softmax (shifted by each row's max, logs in the log domain) and
    one-hot labels kept for backward."""

    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        shifted = x - np.max(x, axis=1, keepdims=True)
        log_y = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        self.y = np.exp(log_y)
        self.t = np.eye(x.shape[1])[t]
        self.loss = float(-np.sum(self.t * log_y) / x.shape[0])
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        return (self.y - self.t) * dout / batch_size


class SoftmaxWithLossCalls:
    def __init__(self):
        self.dscores = None

    def forward(self, scores, y):
        loss, self.dscores = softmax_loss(scores, y)  # noqa: F821
        return float(loss)

    def backward(self, dout=1.0):
        return dout * self.dscores


class SoftmaxWithLossCopy:
    """Keeps a copy of dscores and scales a new array with np.multiply."""

    def forward(self, scores, y):
        result = softmax_loss(scores, y)  # noqa: F821
        self.grad = np.array(result[1], copy=True)
        return float(result[0])

    def backward(self, dout=1.0):
        return np.multiply(self.grad, dout)


def train_gd_items(model, X, y, learning_rate=1.0, num_iters=2000):
    losses = []
    for _ in range(num_iters):
        loss, grads = model.loss(X, y)
        losses.append(float(loss))
        for name, grad in grads.items():
            model.params[name] -= learning_rate * grad
    return losses


def train_gd_keys(model, X, y, learning_rate=1.0, num_iters=2000):
    losses = [0.0] * num_iters
    for it in range(num_iters):
        loss, grads = model.loss(X, y)
        losses[it] = loss.item() if hasattr(loss, "item") else float(loss)
        for key in list(model.params.keys()):
            step = learning_rate * grads[key]
            model.params[key] -= step
    return losses


def train_gd_while(model, X, y, learning_rate=1.0, num_iters=2000):
    losses, it = [], 0
    while it < num_iters:
        loss, grads = model.loss(X, y)
        for key in model.params:
            np.subtract(model.params[key], learning_rate * grads[key], out=model.params[key])
        losses.append(float(loss))
        it += 1
    return losses


def train_sgd_items(model, X, y, X_val, y_val, learning_rate=0.5, batch_size=64, num_epochs=20, seed=0):
    rng = np.random.default_rng(seed)
    history = {"loss": [], "train_acc": [], "val_acc": []}
    n = X.shape[0]
    for epoch in range(num_epochs):
        idx = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = idx[start:start + batch_size]
            loss, grads = model.loss(X[batch], y[batch])
            history["loss"].append(float(loss))
            for name, grad in grads.items():
                model.params[name] -= learning_rate * grad
        for key, (A, b) in (("train_acc", (X, y)), ("val_acc", (X_val, y_val))):
            history[key].append(float((model.loss(A).argmax(axis=1) == b).mean()))
    return history


def train_sgd_shuffled_copies(model, X, y, X_val, y_val, learning_rate=0.5, batch_size=64, num_epochs=20, seed=0):
    """Shuffles copies of X and y each epoch (rng.shuffle of an index array) and walks them in order."""
    rng = np.random.default_rng(seed)
    losses, train_acc, val_acc = [], [], []
    for _ in range(num_epochs):
        order = np.arange(len(y))
        rng.shuffle(order)
        X_shuffled, y_shuffled = X[order], y[order]
        start = 0
        while start < len(y):
            loss, grads = model.loss(X_shuffled[start:start + batch_size], y_shuffled[start:start + batch_size])
            for key in model.params:
                model.params[key] -= learning_rate * grads[key]
            losses.append(float(loss))
            start += batch_size
        train_acc.append(np.mean(np.argmax(model.loss(X), axis=1) == y))
        val_acc.append(np.mean(np.argmax(model.loss(X_val), axis=1) == y_val))
    return {"loss": losses, "train_acc": [float(a) for a in train_acc], "val_acc": [float(a) for a in val_acc]}


def train_sgd_batches(model, X, y, X_val, y_val, learning_rate=0.5, batch_size=64, num_epochs=20, seed=0):
    """The batches of an epoch listed first, then used."""
    rng = np.random.default_rng(seed)
    history = {"loss": [], "train_acc": [], "val_acc": []}
    num_batches = int(np.ceil(len(X) / batch_size))
    for _ in range(num_epochs):
        order = rng.permutation(len(X))
        for batch in [order[k * batch_size:(k + 1) * batch_size] for k in range(num_batches)]:
            loss, grads = model.loss(X[batch], y[batch])
            for name in grads:
                model.params[name] -= learning_rate * grads[name]
            history["loss"].append(float(loss))
        history["train_acc"].append(float(np.mean(np.argmax(model.loss(X), 1) == y)))
        history["val_acc"].append(float(np.mean(np.argmax(model.loss(X_val), 1) == y_val)))
    return history


# --- notebook 3 -------------------------------------------------------------------------------------------

class FullyConnectedNetCS231n:
    """A cache dict keyed by layer, the regulariser summed in its own loop over the weights."""

    def __init__(self, hidden_dims, input_dim=64, num_classes=10, activation="relu", reg=0.0,
                 weight_scale=1e-2, dtype=np.float64, loss="softmax"):
        self.num_layers = 1 + len(hidden_dims)
        self.activations = [activation] * len(hidden_dims) if isinstance(activation, str) else list(activation)
        self.reg, self.dtype, self.loss_type = reg, dtype, loss
        self.params = {}
        layer_dims = [input_dim] + list(hidden_dims) + [num_classes]
        for i in range(self.num_layers):
            self.params["W%d" % (i + 1)] = weight_scale * np.random.randn(layer_dims[i], layer_dims[i + 1])
            self.params["b%d" % (i + 1)] = np.zeros(layer_dims[i + 1])
        for k, v in self.params.items():
            self.params[k] = v.astype(dtype)

    def loss(self, X, y=None):
        X = X.astype(self.dtype)
        cache = {}
        out = X
        for i in range(1, self.num_layers + 1):
            out, cache["affine%d" % i] = affine_forward(out, self.params["W%d" % i], self.params["b%d" % i])  # noqa: F821
            if i != self.num_layers:
                out, cache["act%d" % i] = ACTIVATIONS[self.activations[i - 1]][0](out)  # noqa: F821
        scores = out
        if y is None:
            return scores
        if self.loss_type == "mse":
            loss, dout = mse_loss(scores, y)  # noqa: F821
        else:
            loss, dout = softmax_loss(scores, y)  # noqa: F821
        for i in range(1, self.num_layers + 1):
            loss += 0.5 * self.reg * np.sum(self.params["W%d" % i] ** 2)
        grads = {}
        for i in reversed(range(1, self.num_layers + 1)):
            if i != self.num_layers:
                dout = ACTIVATIONS[self.activations[i - 1]][1](dout, cache["act%d" % i])  # noqa: F821
            dout, grads["W%d" % i], grads["b%d" % i] = affine_backward(dout, cache["affine%d" % i])  # noqa: F821
            grads["W%d" % i] += self.reg * self.params["W%d" % i]
        return loss, grads


class FullyConnectedNetLayerList:
    """CMU 11-785 style: a list of layer records built once, walked forwards and backwards; the activation
    table made of the notebook-1 names at call time."""

    def __init__(self, hidden_dims, input_dim=64, num_classes=10, activation="relu", reg=0.0,
                 weight_scale=1e-2, dtype=np.float64, loss="softmax"):
        if isinstance(activation, str):
            activation = [activation for _ in hidden_dims]
        self.activations = list(activation)
        self.num_layers = len(hidden_dims) + 1
        self.reg, self.dtype, self.loss_type = reg, dtype, loss
        sizes = [input_dim, *hidden_dims, num_classes]
        self.params = {}
        for l, (d_in, d_out) in enumerate(zip(sizes, sizes[1:]), start=1):
            self.params[f"W{l}"] = np.asarray(weight_scale * np.random.randn(d_in, d_out), dtype=dtype)
            self.params[f"b{l}"] = np.zeros((d_out,), dtype)

    def table(self):
        return {"relu": (relu_forward, relu_backward), "sigmoid": (sigmoid_forward, sigmoid_backward),  # noqa: F821
                "tanh": (tanh_forward, tanh_backward), "linear": (lambda x: (x, None), lambda d, c: d)}  # noqa: F821

    def loss(self, X, y=None):
        table = self.table()
        h = np.asarray(X, dtype=self.dtype)
        trace = []
        for l in range(1, self.num_layers + 1):
            z, affine_cache = affine_forward(h, self.params[f"W{l}"], self.params[f"b{l}"])  # noqa: F821
            name = self.activations[l - 1] if l < self.num_layers else "linear"
            h, act_cache = table[name][0](z)
            trace.append((name, affine_cache, act_cache))
        if y is None:
            return h
        data_loss, grad = (mse_loss if self.loss_type == "mse" else softmax_loss)(h, y)  # noqa: F821
        grads = {}
        for l in range(self.num_layers, 0, -1):
            name, affine_cache, act_cache = trace[l - 1]
            grad = table[name][1](grad, act_cache)
            grad, dW, db = affine_backward(grad, affine_cache)  # noqa: F821
            grads[f"W{l}"] = dW + self.reg * self.params[f"W{l}"]
            grads[f"b{l}"] = db
        squares = sum(float(np.sum(self.params[f"W{l}"] * self.params[f"W{l}"])) for l in range(1, self.num_layers + 1))
        return data_loss + 0.5 * self.reg * squares, grads


class FullyConnectedNetLoops:
    """Parameters kept in lists and mirrored into params; backward collects layer gradients in a list first."""

    def __init__(self, hidden_dims, input_dim=64, num_classes=10, activation="relu", reg=0.0,
                 weight_scale=1e-2, dtype=np.float64, loss="softmax"):
        self.num_layers = len(hidden_dims) + 1
        self.activations = [activation] * len(hidden_dims) if isinstance(activation, str) else list(activation)
        self.reg, self.dtype, self.loss_type = reg, dtype, loss
        dims = [input_dim] + list(hidden_dims) + [num_classes]
        self.params = {}
        for i in range(len(dims) - 1):
            W = weight_scale * np.random.randn(dims[i], dims[i + 1])
            self.params["W" + str(i + 1)] = W.astype(dtype)
            self.params["b" + str(i + 1)] = np.zeros(dims[i + 1]).astype(dtype)

    def loss(self, X, y=None):
        out = X.astype(self.dtype)
        affine_caches, act_caches = [], []
        for i in range(self.num_layers):
            out, c = affine_forward(out, self.params["W" + str(i + 1)], self.params["b" + str(i + 1)])  # noqa: F821
            affine_caches.append(c)
            if i < self.num_layers - 1:
                out, c = ACTIVATIONS[self.activations[i]][0](out)  # noqa: F821
                act_caches.append(c)
        if y is None:
            return out
        loss, dout = softmax_loss(out, y) if self.loss_type == "softmax" else mse_loss(out, y)  # noqa: F821
        layer_grads = [None] * self.num_layers
        for i in range(self.num_layers - 1, -1, -1):
            if i < self.num_layers - 1:
                dout = ACTIVATIONS[self.activations[i]][1](dout, act_caches[i])  # noqa: F821
            dout, dW, db = affine_backward(dout, affine_caches[i])  # noqa: F821
            layer_grads[i] = (dW, db)
        grads = {}
        for i, (dW, db) in enumerate(layer_grads):
            W = self.params["W" + str(i + 1)]
            loss = loss + self.reg * np.sum(W ** 2) / 2
            grads["W" + str(i + 1)], grads["b" + str(i + 1)] = dW + self.reg * W, db
        return loss, grads


class SolverCS231n:
    """Configs deep-copied, the decay in its own loop, best params copied with copy.deepcopy."""

    def __init__(self, model, data, update_rule=None, optim_config=None, lr_decay=1.0, batch_size=100,
                 num_epochs=10, seed=0, checkpoint=None, verbose=False):
        import copy
        self.model, self.update_rule = model, update_rule or sgd  # noqa: F821
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]
        self.lr_decay, self.batch_size, self.num_epochs = lr_decay, batch_size, num_epochs
        self.checkpoint, self.verbose = checkpoint, verbose
        self.rng = np.random.default_rng(seed)
        self.epoch = 0
        self.best_val_acc, self.best_params = -1.0, {}
        self.loss_history, self.train_acc_history, self.val_acc_history = [], [], []
        self.optim_configs = {}
        for p in self.model.params:
            self.optim_configs[p] = copy.deepcopy(optim_config) if optim_config else {}

    def check_accuracy(self, X, y, batch_size=1000):
        predictions = [np.argmax(self.model.loss(X[start:start + batch_size]), axis=1)
                       for start in range(0, len(X), batch_size)]
        return float(np.mean(np.concatenate(predictions) == y))

    def _step(self, batch):
        loss, grads = self.model.loss(self.X_train[batch], self.y_train[batch])
        self.loss_history.append(float(loss))
        for p, w in self.model.params.items():
            next_w, next_config = self.update_rule(w, grads[p], self.optim_configs[p])
            self.model.params[p] = next_w
            self.optim_configs[p] = next_config

    def train(self):
        import copy
        num_train = self.X_train.shape[0]
        for epoch in range(self.num_epochs):
            self.epoch = epoch + 1
            order = self.rng.permutation(num_train)
            for start in range(0, num_train, self.batch_size):
                self._step(order[start:start + self.batch_size])
            for k in self.optim_configs:
                self.optim_configs[k]["learning_rate"] *= self.lr_decay
            train_acc = self.check_accuracy(self.X_train, self.y_train)
            val_acc = self.check_accuracy(self.X_val, self.y_val)
            self.train_acc_history.append(train_acc)
            self.val_acc_history.append(val_acc)
            if val_acc > self.best_val_acc:
                self.best_val_acc = val_acc
                self.best_params = copy.deepcopy(self.model.params)
            if self.checkpoint is not None:
                np.savez(self.checkpoint, epoch=self.epoch, **self.model.params)
        self.model.params = self.best_params


class SolverWhile(SolverCS231n):
    """Batches walked with a while loop, the learning rate decayed by reassignment, best params copied one by
    one and put back one by one."""

    def train(self):
        num_train = len(self.y_train)
        self.epoch = 0
        while self.epoch < self.num_epochs:
            self.epoch += 1
            order = self.rng.permutation(num_train)
            start = 0
            while start < num_train:
                self._step(order[start:start + self.batch_size])
                start += self.batch_size
            for config in self.optim_configs.values():
                config["learning_rate"] = config["learning_rate"] * self.lr_decay
            self.train_acc_history.append(self.check_accuracy(self.X_train, self.y_train))
            self.val_acc_history.append(self.check_accuracy(self.X_val, self.y_val))
            if self.val_acc_history[-1] > self.best_val_acc:
                self.best_val_acc = self.val_acc_history[-1]
                self.best_params = {}
                for name, value in self.model.params.items():
                    self.best_params[name] = np.copy(value)
            if self.checkpoint:
                arrays = dict(self.model.params)
                np.savez(self.checkpoint, epoch=np.array(self.epoch), **arrays)
        for name, value in self.best_params.items():
            self.model.params[name] = value


class SolverIterations(SolverCS231n):
    """CS231n's iteration count, with batches from the epoch's permutation and the epoch end detected by the
    iteration number."""

    def train(self):
        num_train = len(self.y_train)
        per_epoch = -(-num_train // self.batch_size)
        order = None
        for it in range(self.num_epochs * per_epoch):
            k = it % per_epoch
            if k == 0:
                order = self.rng.permutation(num_train)
            self._step(order[k * self.batch_size:(k + 1) * self.batch_size])
            if k == per_epoch - 1:
                self.epoch = it // per_epoch + 1
                for config in self.optim_configs.values():
                    config["learning_rate"] *= self.lr_decay
                train_acc = self.check_accuracy(self.X_train, self.y_train)
                val_acc = self.check_accuracy(self.X_val, self.y_val)
                self.train_acc_history.append(train_acc)
                self.val_acc_history.append(val_acc)
                if val_acc > self.best_val_acc:
                    self.best_val_acc, self.best_params = val_acc, {n: v.copy() for n, v in self.model.params.items()}
                if self.checkpoint:
                    np.savez(self.checkpoint, epoch=self.epoch, **self.model.params)
        self.model.params.update(self.best_params)


VARIANTS = {
    "rel_error": (rel_error_divide_first, rel_error_loop, rel_error_cs231n),
    "numerical_gradient": (numerical_gradient_put_back_by_arithmetic, numerical_gradient_nditer,
                           numerical_gradient_flat, numerical_gradient_basis),
    "numerical_gradient_array": (numerical_gradient_array_nditer, numerical_gradient_array_two_sums,
                                 numerical_gradient_array_backwards, numerical_gradient_array_copies,
                                 numerical_gradient_array_put_back_by_arithmetic),
    "affine_forward": (affine_forward_dot, affine_forward_einsum, affine_forward_loop, affine_forward_list_cache),
    "affine_backward": (affine_backward_einsum, affine_backward_dot, affine_backward_outer),
    "relu_forward": (relu_forward_multiply, relu_forward_where, relu_forward_masked_copy),
    "relu_backward": (relu_backward_where, relu_backward_mask, relu_backward_float_mask),
    "sigmoid_forward": (sigmoid_forward_tanh, sigmoid_forward_naive, sigmoid_forward_piecewise),
    "sigmoid_backward": (sigmoid_backward_squares, sigmoid_backward_plain, sigmoid_backward_distributed),
    "tanh_forward": (tanh_forward_numpy, tanh_forward_from_sigmoid, tanh_forward_stable_exp),
    "tanh_backward": (tanh_backward_factored, tanh_backward_square, tanh_backward_distributed),
    "softmax_loss": (softmax_loss_logsumexp, softmax_loss_per_row, softmax_loss_one_hot, softmax_loss_scipy),
    "svm_loss": (svm_loss_per_row, svm_loss_vectorised, svm_loss_mask),
    "TwoLayerNet": (TwoLayerNetCS231n, TwoLayerNetCacheList, TwoLayerNetFlat),
    "Affine": (AffineScratch, AffineCalls, AffineEinsum),
    "Relu": (ReluScratch, ReluCalls, ReluWhere),
    "SoftmaxWithLoss": (SoftmaxWithLossScratch, SoftmaxWithLossCalls, SoftmaxWithLossCopy),
    "LayerNet": (LayerNetExplicit, LayerNetStableSoftmax, LayerNetOwnLoop, LayerNetVectorised),
    "train_gd": (train_gd_items, train_gd_keys, train_gd_while),
    "train_sgd": (train_sgd_items, train_sgd_shuffled_copies, train_sgd_batches),
    "mse_loss": (mse_loss_mean, mse_loss_loop, mse_loss_einsum, mse_loss_norm),
    "FullyConnectedNet": (FullyConnectedNetCS231n, FullyConnectedNetLayerList, FullyConnectedNetLoops),
    "sgd": (sgd_in_steps, sgd_cs231n, sgd_get),
    "sgd_momentum": (sgd_momentum_in_place, sgd_momentum_cs231n, sgd_momentum_setdefault, sgd_momentum_if_missing),
    "rmsprop": (rmsprop_squares, rmsprop_cs231n, rmsprop_if_missing),
    "adam": (adam_powers, adam_cs231n, adam_if_missing),
    "Solver": (SolverCS231n, SolverWhile, SolverIterations),
}


# a whole notebook 1 in those other styles, for the objects of notebooks 2-3 that call it
NOTEBOOK1_ANOTHER_WAY = {
    "affine_forward": affine_forward_einsum, "affine_backward": affine_backward_einsum,
    "relu_forward": relu_forward_multiply, "relu_backward": relu_backward_where,
    "sigmoid_forward": sigmoid_forward_tanh, "sigmoid_backward": sigmoid_backward_squares,
    "tanh_forward": tanh_forward_from_sigmoid, "tanh_backward": tanh_backward_factored,
    "softmax_loss": softmax_loss_logsumexp, "mse_loss": mse_loss_mean,
}


# --- trained models: recipes written other ways (each training takes seconds: judged on one seed) ------------

def digits_solver_wide_adam(data):
    model = FullyConnectedNet([256], 64, 10, "relu", weight_scale=0.1, reg=1e-3)  # noqa: F821
    return Solver(model, data, adam, {"learning_rate": 3e-3}, lr_decay=0.9, batch_size=32, num_epochs=20)  # noqa: F821


def digits_solver_keywords(data):
    model = FullyConnectedNet(hidden_dims=[128, 64], input_dim=64, num_classes=10, activation="tanh",  # noqa: F821
                              weight_scale=0.1)
    return Solver(model, data, update_rule=rmsprop, optim_config={"learning_rate": 1e-3}, batch_size=64,  # noqa: F821
                  num_epochs=20)


def digits_solver_sigmoid(data):
    net = FullyConnectedNet([64], 64, 10, activation="sigmoid", weight_scale=0.1, reg=1e-4)  # noqa: F821
    solver = Solver(net, data, adam, optim_config={"learning_rate": 1e-2}, lr_decay=0.9, batch_size=32,  # noqa: F821
                    num_epochs=15)
    return solver


def mnist1d_solver_one_layer(data):
    model = FullyConnectedNet([256], 40, 10, "relu", weight_scale=0.1, reg=1e-4)  # noqa: F821
    return Solver(model, data, adam, {"learning_rate": 2e-3}, batch_size=64, num_epochs=10)  # noqa: F821


def mnist1d_solver_momentum(data):
    model = FullyConnectedNet([128, 128], 40, 10, "tanh", weight_scale=0.1)  # noqa: F821
    return Solver(model, data, sgd_momentum, {"learning_rate": 0.05, "momentum": 0.9}, lr_decay=0.95,  # noqa: F821
                  batch_size=50, num_epochs=10)


def mnist1d_solver_mixed(data):
    layers = [100, 100]
    model = FullyConnectedNet(layers, 40, 10, ["relu", "tanh"], reg=1e-4, weight_scale=0.1)  # noqa: F821
    return Solver(model, data, rmsprop, {"learning_rate": 2e-3}, lr_decay=0.9, batch_size=100,  # noqa: F821
                  num_epochs=10)


TRAINED_VARIANTS = {
    "digits_solver": (digits_solver_wide_adam, digits_solver_keywords, digits_solver_sigmoid),
    "mnist1d_solver": (mnist1d_solver_one_layer, mnist1d_solver_momentum, mnist1d_solver_mixed),
}
