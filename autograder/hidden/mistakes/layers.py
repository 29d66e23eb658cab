"""Notebook 1 mistakes: functions named `<object>__<slug>` that stand in for `<object>`, or text edits of
the instructor's solution where the mistake is one changed line."""
import numpy as np

from .mistake import Mistake


def rel_error__no_floor(x, y):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs(x - y) / (np.abs(x) + np.abs(y))))


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


def relu_backward__mask_at_zero(dout, cache):
    return dout * (cache >= 0)


def sigmoid_backward__sigmoid_of_cache(dout, cache):
    s = 1 / (1 + np.exp(-cache))
    return dout * s * (1 - s)


def tanh_backward__tanh_of_cache(dout, cache):
    return dout * (1 - np.tanh(cache) ** 2)


def relu_backward__in_place(dout, cache):
    dout[cache <= 0] = 0
    return dout


def affine_forward__caches_flat_x(x, w, b):
    flat = x.reshape(x.shape[0], -1)
    return flat @ w + b, (flat, w, b)


def relu_forward__in_place(x):
    x[x < 0] = 0
    return x, x


def sigmoid_forward__exp_ratio(x):
    out = np.exp(x) / (1 + np.exp(x))
    return out, out


def sigmoid_forward__clipped(x):
    out = np.clip(1 / (1 + np.exp(-x)), 1e-4, 1 - 1e-4)
    return out, out


def tanh_forward__exp_formula(x):
    out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    return out, out


def tanh_forward__clipped(x):
    out = np.clip(np.tanh(x), -1 + 1e-4, 1 - 1e-4)
    return out, out


def softmax_loss__log_of_probabilities(scores, y):
    n = len(y)
    exps = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exps / exps.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(n), y]))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    return float(loss), dscores / n


NOT_AVERAGED = ("dscores[rows, y] -= 1\n    dscores /= N", "dscores[rows, y] -= 1")
SVM_NOT_AVERAGED = ("dscores[rows, y] = -dscores.sum(axis=1)\n    dscores /= N", "dscores[rows, y] = -dscores.sum(axis=1)")


def edit(task, slug, hint, *replacements, target=None):
    """A mistake written as text replacements in the solution of `target` (default: the task's object)."""
    return Mistake(task, hint, edits={target or task: replacements}, name=f"{target or task}__{slug}")


MISTAKES = [
    Mistake("rel_error", "your result matches dividing by |x| + |y| without the floor: where both are (nearly) 0 "
            "that gives NaN or a huge error; divide by max(1e-8, |x| + |y|)", {"rel_error": rel_error__no_floor}),
    Mistake("numerical_gradient", "your gradient matches a one-sided difference (f(x+h) - f(x)) / h; "
            "use the centred (f(x+h) - f(x-h)) / (2h), whose error is ~h² instead of ~h",
            {"numerical_gradient": numerical_gradient__one_sided}),
    edit("numerical_gradient", "int_truncated", "your gradient matches perturbing an integer array, where x + h "
         "is truncated back to an integer; work on a float64 copy of x",
         ("x = np.array(x, dtype=np.float64)", "x = np.array(x)")),
    Mistake("numerical_gradient", "x is left changed after the call; put each entry back to its original "
            "value once both f(x+h) and f(x-h) are computed",
            {"numerical_gradient": numerical_gradient__not_restored}),
    edit("numerical_gradient", "copy_not_restored", "your gradient matches leaving each entry at x - h after "
         "using it, so later entries are differentiated at the wrong point: put the original value back",
         ("        x[i] = original                        # restore before the next index\n", "")),
    Mistake("numerical_gradient_array", "your gradient matches a one-sided difference; use the centred "
            "(f(x+h) - f(x-h)) / (2h)",
            {"numerical_gradient_array": numerical_gradient_array__one_sided}),
    edit("numerical_gradient_array", "f_not_copied", "your gradient is 0 where f returns a view of its input: "
         "copy f's result (np.array(f(x), dtype=np.float64)) before changing x again",
         ("f_plus = np.array(f(x), dtype=np.float64)", "f_plus = f(x)"),
         ("f_minus = np.array(f(x), dtype=np.float64)", "f_minus = f(x)")),
    edit("numerical_gradient_array", "no_dout", "your gradient matches summing the changes of f without "
         "weighting them by dout: multiply (f(x+h) - f(x-h)) by dout before summing",
         ("np.sum((f_plus - f_minus) * dout)", "np.sum(f_plus - f_minus)")),
    Mistake("affine_forward", "your output matches flattening the wrong axes: keep the first axis (the "
            "examples) and flatten the rest with x.reshape(N, -1)",
            {"affine_forward": affine_forward__wrong_axes}),
    Mistake("affine_forward", "your cache holds x flattened to (N, D): keep x as given, cache = (x, w, b), so "
            "affine_backward can give dx x's shape", {"affine_forward": affine_forward__caches_flat_x}),
    Mistake("affine_backward", "dx must have x's original shape (N, d1, ..., dk): reshape it back with "
            "x.shape", {"affine_backward": affine_backward__dx_flat}),
    edit("affine_backward", "db_total", "your db is one number, the sum of all of dout: sum over the rows only, "
         "dout.sum(axis=0), which has shape (M,)", ("db = dout.sum(axis=0)", "db = dout.sum()")),
    edit("affine_backward", "dw_unflattened", "your dw has the wrong shape: flatten x to (N, D) first, then "
         "dw = x_flat.T @ dout has shape (D, M)", ("dw = x.reshape(x.shape[0], -1).T @ dout", "dw = x.T @ dout")),
    Mistake("relu_forward", "you wrote zeros into x in place, which changes the caller's array: build a new array "
            "with np.maximum(0, x)", {"relu_forward": relu_forward__in_place}),
    Mistake("relu_backward", "your dx matches masking with dout > 0; the mask comes from the forward input "
            "(x > 0), not from the upstream gradient", {"relu_backward": relu_backward__dout_mask}),
    Mistake("relu_backward", "your dx lets the gradient through where x is exactly 0: the derivative there is "
            "taken as 0, so mask with x > 0, not x >= 0", {"relu_backward": relu_backward__mask_at_zero}),
    Mistake("relu_backward", "your dx matches returning the mask itself; multiply the mask by dout",
            {"relu_backward": relu_backward__returns_mask}),
    Mistake("relu_backward", "you wrote zeros into dout in place, which changes the caller's array; "
            "build a new array (dout * mask or np.where)", {"relu_backward": relu_backward__in_place}),
    edit("sigmoid_forward", "caches_input", "your cache holds the input x: cache the output s = σ(x), which "
         "sigmoid_backward needs for dout * s * (1 - s)", ("cache = out", "cache = x")),
    edit("tanh_forward", "caches_input", "your cache holds the input x: cache the output t = tanh(x), which "
         "tanh_backward needs for dout * (1 - t**2)", ("cache = out", "cache = x")),
    Mistake("sigmoid_forward", "your output is NaN where x is large: exp(x) / (1 + exp(x)) overflows to inf / inf; "
            "use 1 / (1 + exp(-x)) for x >= 0 and exp(x) / (1 + exp(x)) for x < 0, or np.exp(-np.logaddexp(0, -x))",
            {"sigmoid_forward": sigmoid_forward__exp_ratio}),
    Mistake("sigmoid_forward", "your output matches clipping it to [1e-4, 1 - 1e-4]: the sigmoid comes as close to 0 "
            "and 1 as float64 allows (and reaches them at |x| ~ 1000); do not clip it",
            {"sigmoid_forward": sigmoid_forward__clipped}),
    Mistake("tanh_forward", "your output is NaN where |x| is large: (e^x - e^-x) / (e^x + e^-x) overflows to "
            "inf / inf beyond |x| ~ 710; np.tanh(x) is stable", {"tanh_forward": tanh_forward__exp_formula}),
    Mistake("tanh_forward", "your output matches clipping it to [-1 + 1e-4, 1 - 1e-4]: tanh comes as close to -1 "
            "and 1 as float64 allows; do not clip it", {"tanh_forward": tanh_forward__clipped}),
    Mistake("sigmoid_backward", "your dx matches applying the sigmoid to the cache again: the cache already "
            "holds s = σ(x), so dx = dout * s * (1 - s)", {"sigmoid_backward": sigmoid_backward__sigmoid_of_cache}),
    Mistake("tanh_backward", "your dx matches applying tanh to the cache again: the cache already holds "
            "t = tanh(x), so dx = dout * (1 - t**2)", {"tanh_backward": tanh_backward__tanh_of_cache}),
    edit("softmax_loss", "grad_not_averaged", "your dscores are N times too large: divide the gradient by N "
         "like the loss", NOT_AVERAGED),
    edit("softmax_loss", "no_max_shift", "large scores overflow exp(): subtract each row's max from the scores "
         "first (it leaves the probabilities unchanged)",
         ("shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores")),
    edit("softmax_loss", "global_max", "rows far below the largest score underflow: subtract each row's own "
         "maximum (scores.max(axis=1, keepdims=True)), not one maximum for the whole batch",
         ("scores.max(axis=1, keepdims=True)", "scores.max()")),
    edit("softmax_loss", "column_index", "your loss matches indexing log_probs[:, y], which picks whole columns (an "
         "N x N block); take one entry per row with log_probs[np.arange(N), y]",
         ("loss = -log_probs[rows, y].mean()", "loss = -log_probs[:, y].mean()"),
         ("dscores[rows, y] -= 1", "dscores[:, y] -= 1")),
    edit("softmax_loss", "wrong_axis", "your softmax is normalised over the wrong axis: each row (one example) "
         "must sum to 1, so use axis=1", ("scores.max(axis=1, keepdims=True)", "scores.max(axis=0, keepdims=True)"),
         ("np.exp(shifted).sum(axis=1, keepdims=True)", "np.exp(shifted).sum(axis=0, keepdims=True)")),
    Mistake("softmax_loss", "your loss is inf or NaN where a probability underflows to 0 (a class ~1000 below the "
            "best in its row): np.log of that probability is -inf, and 0 * log(0) is NaN. Take the log in the log "
            "domain, log p = s - m - log(sum(exp(s - m))) with m the row's maximum, and pick log_probs[np.arange(N), y]",
            {"softmax_loss": softmax_loss__log_of_probabilities}),
    edit("softmax_loss", "summed", "your loss matches summing over the examples; average it over N",
         ("loss = -log_probs[rows, y].mean()", "loss = -log_probs[rows, y].sum()"), NOT_AVERAGED),
    edit("softmax_loss", "forgot_minus_one", "dscores is missing the -1 at each correct class (the gradient is "
         "probs minus the one-hot labels, over N)", ("dscores[rows, y] -= 1\n    dscores /= N", "dscores /= N")),
    edit("svm_loss", "grad_not_averaged", "your dscores are N times too large: divide the gradient by N like "
         "the loss", SVM_NOT_AVERAGED),
    edit("svm_loss", "summed", "your loss matches summing over the examples; average it over N",
         ("loss = margins.sum() / N", "loss = margins.sum()"), SVM_NOT_AVERAGED),
    edit("svm_loss", "counts_correct_class", "your loss is 1 too large: the correct class's own margin must not "
         "count", ("margins[rows, y] = 0.0", "margins = margins")),
    edit("svm_loss", "no_hinge", "your loss counts negative margins too: a wrong class more than 1 below the "
         "correct one costs nothing, so take max(0, margin)",
         ("np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)", "scores - scores[rows, y][:, None] + 1.0")),
]
