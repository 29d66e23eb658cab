"""Reference for notebook 1: gradient checks, layers and losses.

Conventions: a batch x has shape (N, d1, ..., dk); forward functions return (out, cache) and
backward functions take (dout, cache); nothing mutates its inputs.
"""
import numpy as np


def rel_error(x, y):
    """Largest elementwise relative error between two arrays (or scalars)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of a scalar function f at x; returns float64 shaped like x."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Centred-difference vector-Jacobian product sum(dout * df/dx) for an array-valued f."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = np.array(f(x), dtype=np.float64)
        x[index] = original - h
        f_minus = np.array(f(x), dtype=np.float64)
        x[index] = original
        grad[index] = np.sum((f_plus - f_minus) * dout) / (2 * h)
    return grad


def affine_forward(x, w, b):
    """x (N, d1..dk), w (D, M), b (M,) -> out (N, M)."""
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    """dout (N, M) -> dx (N, d1..dk), dw (D, M), db (M,)."""
    x, w, _ = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x):
    """Elementwise max(0, x); the cache is x."""
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    """Pass dout through where the forward input was positive."""
    return dout * (cache > 0)


def sigmoid_forward(x):
    """Elementwise 1 / (1 + exp(-x)), computed without overflow; the cache is the output."""
    out = np.exp(-np.logaddexp(0, -x))
    return out, out


def sigmoid_backward(dout, cache):
    """dout * s * (1 - s) with s the forward output."""
    s = cache
    return dout * s * (1 - s)


def tanh_forward(x):
    """Elementwise tanh; the cache is the output."""
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    """dout * (1 - t**2) with t the forward output."""
    return dout * (1 - cache ** 2)


def softmax_loss(scores, y):
    """Cross-entropy of softmax(scores) averaged over N; scores (N, C), y (N,) -> (loss, dscores)."""
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n


def svm_loss(scores, y):
    """Multiclass hinge loss (margin 1) averaged over N; scores (N, C), y (N,) -> (loss, dscores)."""
    n = scores.shape[0]
    correct = scores[np.arange(n), y][:, None]
    margins = np.maximum(0, scores - correct + 1)
    margins[np.arange(n), y] = 0
    loss = margins.sum() / n
    positive = (margins > 0).astype(scores.dtype)
    positive[np.arange(n), y] = -positive.sum(axis=1)
    return loss, positive / n
