"""Notebook 1 mistakes: functions named `<object>__<slug>` that stand in for `<object>`, or text edits of
the instructor's solution where the mistake is one changed line."""
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


NOT_AVERAGED = ("dscores[rows, y] -= 1\n    dscores /= N", "dscores[rows, y] -= 1")
SVM_NOT_AVERAGED = ("dscores[rows, y] = -dscores.sum(axis=1)\n    dscores /= N", "dscores[rows, y] = -dscores.sum(axis=1)")


def edit(task, slug, hint, *replacements, target=None):
    """A mistake written as text replacements in the solution of `target` (default: the task's object)."""
    return Mistake(task, hint, edits={target or task: replacements}, name=f"{target or task}__{slug}")


MISTAKES = [
    Mistake("numerical_gradient", "your gradient matches a one-sided difference (f(x+h) - f(x)) / h; "
            "use the centred (f(x+h) - f(x-h)) / (2h), whose error is ~h² instead of ~h",
            {"numerical_gradient": numerical_gradient__one_sided}),
    edit("numerical_gradient", "int_truncated", "your gradient matches perturbing an integer array, where x + h "
         "is truncated back to an integer; work on a float64 copy of x",
         ("x = np.array(x, dtype=np.float64)", "x = np.array(x)")),
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
    edit("sigmoid_forward", "caches_input", "your cache holds the input x: cache the output s = σ(x), which "
         "sigmoid_backward needs for dout * s * (1 - s)", ("cache = out", "cache = x")),
    edit("tanh_forward", "caches_input", "your cache holds the input x: cache the output t = tanh(x), which "
         "tanh_backward needs for dout * (1 - t**2)", ("cache = out", "cache = x")),
    edit("softmax_loss", "grad_not_averaged", "your dscores are N times too large: divide the gradient by N "
         "like the loss", NOT_AVERAGED),
    edit("softmax_loss", "summed", "your loss matches summing over the examples; average it over N",
         ("loss = -log_probs[rows, y].mean()", "loss = -log_probs[rows, y].sum()"), NOT_AVERAGED),
    edit("softmax_loss", "no_max_shift", "large scores overflow exp(): subtract each row's max from the scores "
         "first (it leaves the probabilities unchanged)",
         ("shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores")),
    edit("softmax_loss", "wrong_axis", "your softmax is normalised over the wrong axis: each row (one example) "
         "must sum to 1, so use axis=1", ("scores.max(axis=1, keepdims=True)", "scores.max(axis=0, keepdims=True)"),
         ("np.exp(shifted).sum(axis=1, keepdims=True)", "np.exp(shifted).sum(axis=0, keepdims=True)")),
    edit("softmax_loss", "forgot_minus_one", "dscores is missing the -1 at each correct class (the gradient is "
         "probs minus the one-hot labels, over N)", ("dscores[rows, y] -= 1\n    dscores /= N", "dscores /= N")),
    edit("svm_loss", "grad_not_averaged", "your dscores are N times too large: divide the gradient by N like "
         "the loss", SVM_NOT_AVERAGED),
    edit("svm_loss", "summed", "your loss matches summing over the examples; average it over N",
         ("loss = margins.sum() / N", "loss = margins.sum()"), SVM_NOT_AVERAGED),
    edit("svm_loss", "counts_correct_class", "your loss is 1 too large: the correct class's own margin must not "
         "count", ("margins[rows, y] = 0.0", "margins = margins")),
]
