"""Reference for notebook 3: a fully connected net of any depth, four update rules and a trainer."""
import numpy as np

from .layers import (
    affine_backward,
    affine_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    softmax_loss,
    tanh_backward,
    tanh_forward,
)


def linear_forward(x):
    return x, None


def linear_backward(dout, cache):
    return dout


ACTIVATIONS = {
    "relu": (relu_forward, relu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "linear": (linear_forward, linear_backward),
}


def mse_loss(preds, targets):
    """preds, targets (N, K) -> (0.5 * sum of squared errors / N, dpreds (N, K))."""
    diff = preds - targets
    n = preds.shape[0]
    return 0.5 * np.sum(diff ** 2) / n, diff / n


class FullyConnectedNet:
    """{affine -> activation} x (L - 1) -> affine -> softmax or MSE, with L2 on the weights."""

    def __init__(self, hidden_dims, input_dim=64, num_classes=10, activation="relu", reg=0.0, weight_scale=1e-2,
                 dtype=np.float64, loss="softmax"):
        dims = [input_dim, *hidden_dims, num_classes]
        self.num_layers = len(dims) - 1
        self.activations = [activation] * len(hidden_dims) if isinstance(activation, str) else list(activation)
        self.reg, self.dtype, self.loss_type = reg, dtype, loss
        self.params = {}
        for layer, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
            self.params[f"W{layer}"] = (weight_scale * np.random.randn(fan_in, fan_out)).astype(dtype)
            self.params[f"b{layer}"] = np.zeros(fan_out, dtype=dtype)

    def loss(self, X, y=None):
        """X (N, d1, ..., dk) -> scores (N, C) when y is None, else (loss, grads keyed like params)."""
        out = X.astype(self.dtype)
        caches = []
        for layer in range(1, self.num_layers + 1):
            out, affine_cache = affine_forward(out, self.params[f"W{layer}"], self.params[f"b{layer}"])
            activation_cache = None
            if layer < self.num_layers:
                out, activation_cache = ACTIVATIONS[self.activations[layer - 1]][0](out)
            caches.append((affine_cache, activation_cache))
        if y is None:
            return out

        loss, dout = softmax_loss(out, y) if self.loss_type == "softmax" else mse_loss(out, y)
        grads = {}
        for layer in range(self.num_layers, 0, -1):
            affine_cache, activation_cache = caches[layer - 1]
            if layer < self.num_layers:
                dout = ACTIVATIONS[self.activations[layer - 1]][1](dout, activation_cache)
            dout, dW, grads[f"b{layer}"] = affine_backward(dout, affine_cache)
            W = self.params[f"W{layer}"]
            grads[f"W{layer}"] = dW + self.reg * W
            loss += 0.5 * self.reg * np.sum(W * W)
        return loss, grads


# --- update rules: update(w, dw, config) -> (next_w, config) -------------------------------------

def sgd(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    velocity = config["momentum"] * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    config["velocity"] = velocity
    return w + velocity, config


def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    decay = config["decay_rate"]
    config["cache"] = decay * config.get("cache", np.zeros_like(w)) + (1 - decay) * dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"]), config


def adam(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    beta1, beta2 = config["beta1"], config["beta2"]
    config["t"] = config.get("t", 0) + 1
    config["m"] = beta1 * config.get("m", np.zeros_like(w)) + (1 - beta1) * dw
    config["v"] = beta2 * config.get("v", np.zeros_like(w)) + (1 - beta2) * dw ** 2
    m_hat = config["m"] / (1 - beta1 ** config["t"])
    v_hat = config["v"] / (1 - beta2 ** config["t"])
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


# --- the trainer ---------------------------------------------------------------------------------

class Solver:
    """Minibatch training of a model with .params and .loss(X, y=None), keeping the best validation params."""

    def __init__(self, model, data, update_rule=sgd, optim_config=None, lr_decay=1.0, batch_size=100,
                 num_epochs=10, seed=0, checkpoint=None, verbose=False):
        self.model, self.update_rule = model, update_rule
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]
        self.lr_decay, self.batch_size, self.num_epochs = lr_decay, batch_size, num_epochs
        self.checkpoint, self.verbose = checkpoint, verbose
        self.rng = np.random.default_rng(seed)
        self.optim_configs = {name: dict(optim_config or {}) for name in model.params}
        self.epoch = 0
        self.best_val_acc, self.best_params = -1.0, {}
        self.loss_history, self.train_acc_history, self.val_acc_history = [], [], []

    def check_accuracy(self, X, y, batch_size=1000):
        """Fraction of the rows of X whose highest score is at their label y."""
        predictions = [np.argmax(self.model.loss(X[start:start + batch_size]), axis=1)
                       for start in range(0, len(X), batch_size)]
        return float(np.mean(np.concatenate(predictions) == y))

    def _step(self, batch):
        """One update of every parameter from the minibatch with row indices `batch`."""
        loss, grads = self.model.loss(self.X_train[batch], self.y_train[batch])
        self.loss_history.append(float(loss))
        for name, value in self.model.params.items():
            self.model.params[name], self.optim_configs[name] = \
                self.update_rule(value, grads[name], self.optim_configs[name])

    def train(self):
        num_train = len(self.X_train)
        for self.epoch in range(1, self.num_epochs + 1):
            order = self.rng.permutation(num_train)
            for start in range(0, num_train, self.batch_size):
                self._step(order[start:start + self.batch_size])
            for config in self.optim_configs.values():
                config["learning_rate"] *= self.lr_decay
            train_acc = self.check_accuracy(self.X_train, self.y_train)
            val_acc = self.check_accuracy(self.X_val, self.y_val)
            self.train_acc_history.append(train_acc)
            self.val_acc_history.append(val_acc)
            if val_acc > self.best_val_acc:
                self.best_val_acc = val_acc
                self.best_params = {name: value.copy() for name, value in self.model.params.items()}
            if self.checkpoint:
                np.savez(self.checkpoint, epoch=self.epoch, **self.model.params)
            if self.verbose:
                print(f"epoch {self.epoch}/{self.num_epochs}: loss {self.loss_history[-1]:.4f}, "
                      f"train {train_acc:.3f}, val {val_acc:.3f}")
        self.model.params.update(self.best_params)


def digits_solver(data):
    """A Solver (untrained) that takes a one-hidden-layer net past 95% validation accuracy on digits."""
    model = FullyConnectedNet([200], 64, 10, weight_scale=0.1, reg=1e-3)
    return Solver(model, data, adam, {"learning_rate": 3e-3}, lr_decay=0.9, batch_size=32, num_epochs=25)


def mnist1d_solver(data):
    """A Solver (untrained) for MNIST-1D: two hidden layers of 128 reach about 59% validation accuracy."""
    model = FullyConnectedNet([128, 128], 40, 10, weight_scale=0.1, reg=1e-4)
    return Solver(model, data, adam, {"learning_rate": 3e-3}, lr_decay=0.95, batch_size=100, num_epochs=15)
