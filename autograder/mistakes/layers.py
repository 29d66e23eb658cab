"""Notebook 1 mistakes. A function named `<object>__<slug>` stands in for `<object>`."""
import numpy as np

from . import Mistake


def numerical_gradient__one_sided(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    fx = f(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        grad[index] = (f(x) - fx) / h
        x[index] = original
    return grad


def numerical_gradient__int_truncated(f, x, h=1e-5):
    x = np.array(x)
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient__not_restored(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        f_minus = f(x)
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array__one_sided(f, x, dout, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    fx = np.array(f(x))
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        grad[index] = np.sum((f(x) - fx) * dout) / h
        x[index] = original
    return grad


def affine_backward__dx_flat(dout, cache):
    x, w = cache[0], cache[1]
    flat = x.reshape(x.shape[0], -1)
    return dout @ w.T, flat.T @ dout, dout.sum(axis=0)


def affine_forward__wrong_axes(x, w, b):
    flat = x.reshape(-1, x.shape[0]).T
    return flat @ w + b, (x, w, b)


def relu_backward__dout_mask(dout, cache):
    return dout * (dout > 0)


def relu_backward__returns_mask(dout, cache):
    return (cache > 0).astype(np.float64)


def relu_backward__in_place(dout, cache):
    dout[cache <= 0] = 0
    return dout


def sigmoid_forward__caches_input(x):
    return 1 / (1 + np.exp(-x)), x


def sigmoid_backward__uses_input(dout, cache):
    x = cache
    return dout * x * (1 - x)


def tanh_backward__uses_input(dout, cache):
    x = cache
    return dout * (1 - x ** 2)


def tanh_forward__caches_input(x):
    return np.tanh(x), x


def softmax_loss__summed(scores, y):
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).sum()
    probs[np.arange(n), y] -= 1
    return loss, probs


def softmax_loss__grad_not_averaged(scores, y):
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).mean()
    probs[np.arange(n), y] -= 1
    return loss, probs


def softmax_loss__no_max_shift(scores, y):
    n = scores.shape[0]
    exp = np.exp(scores)
    probs = exp / exp.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).mean()
    probs[np.arange(n), y] -= 1
    return loss, probs / n


def softmax_loss__wrong_axis(scores, y):
    n = scores.shape[0]
    shifted = scores - scores.max(axis=0, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).mean()
    probs[np.arange(n), y] -= 1
    return loss, probs / n


def softmax_loss__forgot_minus_one(scores, y):
    n = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).mean()
    return loss, probs / n


def svm_loss__grad_not_averaged(scores, y):
    n = scores.shape[0]
    margins = np.maximum(0, scores - scores[np.arange(n), y][:, None] + 1)
    margins[np.arange(n), y] = 0
    dscores = (margins > 0).astype(float)
    dscores[np.arange(n), y] = -dscores.sum(axis=1)
    return margins.sum() / n, dscores


def svm_loss__summed(scores, y):
    n = scores.shape[0]
    margins = np.maximum(0, scores - scores[np.arange(n), y][:, None] + 1)
    margins[np.arange(n), y] = 0
    dscores = (margins > 0).astype(float)
    dscores[np.arange(n), y] = -dscores.sum(axis=1)
    return margins.sum(), dscores


def svm_loss__counts_correct_class(scores, y):
    n = scores.shape[0]
    margins = np.maximum(0, scores - scores[np.arange(n), y][:, None] + 1)
    dscores = (margins > 0).astype(float)
    dscores[np.arange(n), y] = -(dscores.sum(axis=1) - 1)
    return margins.sum() / n, dscores / n


MISTAKES = [
    Mistake("numerical_gradient", "your gradient matches a one-sided difference (f(x+h) - f(x)) / h; "
            "use the centred (f(x+h) - f(x-h)) / (2h), whose error is ~h² instead of ~h",
            {"numerical_gradient": numerical_gradient__one_sided}),
    Mistake("numerical_gradient", "your gradient matches perturbing an integer array in place, where x + h is "
            "truncated back to an integer; work on a float64 copy of x",
            {"numerical_gradient": numerical_gradient__int_truncated}),
    Mistake("numerical_gradient", "x is left changed after the call; put each entry back to its original "
            "value once both f(x+h) and f(x-h) are computed",
            {"numerical_gradient": numerical_gradient__not_restored}),
    Mistake("numerical_gradient_array", "your gradient matches a one-sided difference; use the centred "
            "(f(x+h) - f(x-h)) / (2h)",
            {"numerical_gradient_array": numerical_gradient_array__one_sided}),
    Mistake("affine_forward", "your output matches flattening the wrong axes: keep the first axis (the "
            "examples) and flatten the rest with x.reshape(N, -1)",
            {"affine_forward": affine_forward__wrong_axes}),
    Mistake("affine_backward", "dx must have x's original shape (N, d1, ..., dk): reshape it back with "
            "x.shape", {"affine_backward": affine_backward__dx_flat}),
    Mistake("relu_backward", "your dx matches masking with dout > 0; the mask comes from the forward input "
            "(x > 0), not from the upstream gradient", {"relu_backward": relu_backward__dout_mask}),
    Mistake("relu_backward", "your dx matches returning the mask itself; multiply the mask by dout",
            {"relu_backward": relu_backward__returns_mask}),
    Mistake("relu_backward", "you wrote zeros into dout in place, which changes the caller's array; "
            "build a new array (dout * mask or np.where)", {"relu_backward": relu_backward__in_place}),
    Mistake("sigmoid_backward", "your dx matches dout * x * (1 - x): the formula needs the sigmoid "
            "output σ(x), not x itself",
            {"sigmoid_forward": sigmoid_forward__caches_input, "sigmoid_backward": sigmoid_backward__uses_input}),
    Mistake("tanh_backward", "your dx matches dout * (1 - x**2): the formula needs tanh(x), not x itself",
            {"tanh_forward": tanh_forward__caches_input, "tanh_backward": tanh_backward__uses_input}),
    Mistake("softmax_loss", "your dscores are N times too large: divide the gradient by N like the loss",
            {"softmax_loss": softmax_loss__grad_not_averaged}),
    Mistake("softmax_loss", "your loss matches summing over the examples; average it over N",
            {"softmax_loss": softmax_loss__summed}),
    Mistake("softmax_loss", "large scores overflow exp(): subtract each row's max from the scores first "
            "(it leaves the probabilities unchanged)", {"softmax_loss": softmax_loss__no_max_shift}),
    Mistake("softmax_loss", "your softmax is normalised over the wrong axis: each row (one example) must sum "
            "to 1, so use axis=1", {"softmax_loss": softmax_loss__wrong_axis}),
    Mistake("softmax_loss", "dscores is missing the -1 at each correct class (the gradient is probs minus "
            "the one-hot labels, over N)", {"softmax_loss": softmax_loss__forgot_minus_one}),
    Mistake("svm_loss", "your dscores are N times too large: divide the gradient by N like the loss",
            {"svm_loss": svm_loss__grad_not_averaged}),
    Mistake("svm_loss", "your loss matches summing over the examples; average it over N",
            {"svm_loss": svm_loss__summed}),
    Mistake("svm_loss", "your loss is 1 too large: the correct class's own margin must not count",
            {"svm_loss": svm_loss__counts_correct_class}),
]
