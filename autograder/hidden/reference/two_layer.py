"""Reference for notebook 2: a two-layer net, the same net as layer objects, and training loops."""
from collections import OrderedDict

import numpy as np

from .layers import affine_backward, affine_forward, numerical_gradient, relu_backward, relu_forward, softmax_loss


def init_params(input_dim, hidden_dim, num_classes, weight_scale):
    """W1 (D, H), W2 (H, C) ~ weight_scale * N(0, 1); b1 (H,), b2 (C,) zeros."""
    return {
        "W1": weight_scale * np.random.randn(input_dim, hidden_dim),
        "b1": np.zeros(hidden_dim),
        "W2": weight_scale * np.random.randn(hidden_dim, num_classes),
        "b2": np.zeros(num_classes),
    }


def l2_penalty(params, reg):
    """0.5 * reg * (sum W1**2 + sum W2**2): weights only."""
    return 0.5 * reg * sum(np.sum(params[name] ** 2) for name in ("W1", "W2"))


class TwoLayerNet:
    """affine -> relu -> affine -> softmax, built from the notebook-1 functions."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale=1e-3, reg=0.0):
        self.params = init_params(input_dim, hidden_dim, num_classes, weight_scale)
        self.reg = reg

    def loss(self, X, y=None):
        """X (N, D) -> scores (N, C) when y is None, else (loss, grads keyed like params)."""
        hidden, hidden_cache = affine_forward(X, self.params["W1"], self.params["b1"])
        activated, relu_cache = relu_forward(hidden)
        scores, scores_cache = affine_forward(activated, self.params["W2"], self.params["b2"])
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        dactivated, dW2, db2 = affine_backward(dscores, scores_cache)
        _, dW1, db1 = affine_backward(relu_backward(dactivated, relu_cache), hidden_cache)
        grads = {"W1": dW1 + self.reg * self.params["W1"], "b1": db1,
                 "W2": dW2 + self.reg * self.params["W2"], "b2": db2}
        return loss + l2_penalty(self.params, self.reg), grads


class Affine:
    """Reads its weights from a shared params dict at every forward, so rebinding never goes stale."""

    def __init__(self, params, w_name, b_name):
        self.params, self.w_name, self.b_name = params, w_name, b_name
        self.cache = self.dW = self.db = None

    def forward(self, x):
        out, self.cache = affine_forward(x, self.params[self.w_name], self.params[self.b_name])
        return out

    def backward(self, dout):
        dx, self.dW, self.db = affine_backward(dout, self.cache)
        return dx


class Relu:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        out, self.cache = relu_forward(x)
        return out

    def backward(self, dout):
        return relu_backward(dout, self.cache)


class SoftmaxWithLoss:
    def __init__(self):
        self.dscores = None

    def forward(self, scores, y):
        loss, self.dscores = softmax_loss(scores, y)
        return loss

    def backward(self, dout=1.0):
        return self.dscores * dout


class LayerNet:
    """The two-layer net as layer objects chained in an OrderedDict."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, reg=0.0):
        self.params = init_params(input_size, hidden_size, output_size, weight_init_std)
        self.reg = reg
        self.layers = OrderedDict(Affine1=Affine(self.params, "W1", "b1"), Relu1=Relu(),
                                  Affine2=Affine(self.params, "W2", "b2"))
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t) + l2_penalty(self.params, self.reg)

    def accuracy(self, x, t):
        return float(np.mean(np.argmax(self.predict(x), axis=1) == t))

    def numerical_gradient(self, x, t):
        grads = {}
        for name, value in list(self.params.items()):
            def loss_at(w, name=name):
                self.params[name] = w
                return self.loss(x, t)
            grads[name] = numerical_gradient(loss_at, value)
            self.params[name] = value
        return grads

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1.0)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        first, second = self.layers["Affine1"], self.layers["Affine2"]
        return {"W1": first.dW + self.reg * self.params["W1"], "b1": first.db,
                "W2": second.dW + self.reg * self.params["W2"], "b2": second.db}


def train_gd(model, X, y, learning_rate=1.0, num_iters=2000):
    """Full-batch gradient descent, updating model.params in place -> loss per iteration."""
    losses = []
    for _ in range(num_iters):
        loss, grads = model.loss(X, y)
        for name, grad in grads.items():
            model.params[name] -= learning_rate * grad
        losses.append(float(loss))
    return losses


def train_sgd(model, X, y, X_val, y_val, learning_rate=0.5, batch_size=64, num_epochs=20, seed=0):
    """Minibatch SGD -> {"loss": per step, "train_acc": per epoch, "val_acc": per epoch}."""
    rng = np.random.default_rng(seed)
    history = {"loss": [], "train_acc": [], "val_acc": []}
    for _ in range(num_epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            loss, grads = model.loss(X[batch], y[batch])
            for name, grad in grads.items():
                model.params[name] -= learning_rate * grad
            history["loss"].append(float(loss))
        history["train_acc"].append(accuracy(model, X, y))
        history["val_acc"].append(accuracy(model, X_val, y_val))
    return history


def accuracy(model, X, y):
    return float(np.mean(np.argmax(model.loss(X), axis=1) == y))
