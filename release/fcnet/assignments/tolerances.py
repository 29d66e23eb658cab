"""How far a correct answer may lie from the reference's: tolerances from an error model.

Two correct programs computing the same value in another order, or by another exact formula, differ by
rounding alone, and rounding has a known size: a result built from terms t_i carries an error of a few
ulp of sum |t_i| (not of the result, which may cancel to about 0), times the condition of whatever comes
after. A finite difference (f(x + h) - f(x - h)) / 2h turns a rounding error of f into one of about
eps |f| / h. Each task declares, per output, an absolute floor from those magnitudes and a relative part
of a few ulp; judge.compare_values accepts |got - want| <= atol + rtol * |want| elementwise.

A tolerance function takes (inputs, expected outputs) and returns {output name: (atol, rtol)}; outputs
it leaves out get EXACT. The expected outputs are those of the run being judged (the object's own run or
its run with stand-ins), so scales read from them fit either run.
"""
import numpy as np

# graded values are float64 (notebook 1 asks for float64 gradient checks; FullyConnectedNet's dtype=np.float32
# appears only in its initialisation case, judged by statistics)
EPS = np.finfo(np.float64).eps
ULPS = 16 * EPS  # a few ulp: a handful of roundings, with room for a BLAS's blocked and pairwise sums
EXACT = (0.0, ULPS)  # elementwise formulas without cancellation (masks, copies, products, ratios)


def exact(inputs, expected):
    return {}


def floor(scale, rtol=ULPS):
    """(atol, rtol) for a value whose terms have magnitudes summing to `scale` (an array shaped like the
    value, or a number)."""
    return ULPS * np.asarray(scale, dtype=np.float64), rtol


def matmul_scale(a, b):
    """sum_k |a_ik| |b_kj|: the magnitude of the terms of a @ b."""
    return np.abs(a) @ np.abs(b)


def softmax_scale(scores):
    """Per row, 1 + max_c |s_c|: the probabilities exp(s - logsumexp(s)) are computed from differences of
    scores of that size, so a correct softmax loses that many ulp relative to 1 (a lot for scores around
    1000: the loss then has an absolute error of ~1000 ulp)."""
    return 1.0 + np.max(np.abs(scores), axis=1)


def softmax_tolerance(scores, dout=1.0):
    """{loss, dscores} of a softmax cross-entropy: its probabilities come from score differences as large as
    each row's largest |score|, and lose that many ulp (hundreds for scores around 1000), in the loss (a mean
    over rows) and in dscores ((p - onehot) / N, times dout)."""
    rows = softmax_scale(scores)
    dscores = np.repeat(rows[:, None], scores.shape[1], axis=1) / len(scores)
    return {"loss": floor(np.mean(rows)), "dscores": floor(dscores * np.abs(dout))}


def affine_scales(x, w, b, dout):
    """Magnitudes of the terms of affine_forward's out and of affine_backward's dx, dw, db: three matrix
    products and a sum over rows, each at a few ulp of its terms' magnitudes in another summation order."""
    rows = x.reshape(len(x), -1)
    return {"out": matmul_scale(rows, w) + np.abs(b), "dx": matmul_scale(dout, w.T).reshape(x.shape),
            "dw": matmul_scale(rows.T, dout), "db": np.abs(dout).sum(axis=0)}


def finite_difference(f_scale, h, x_scale):
    """(atol, rtol) of a centred difference of a function whose value rounds at a few ulp of `f_scale`:
    each of f(x + h), f(x - h) may differ by that much, and the difference is divided by 2h. Both sides
    use the same h and formula, so the truncation error (h^2 f'(3) / 6) is common to them and cancels.
    Dividing by the step actually taken, (x + h) - (x - h), is as valid as dividing by 2h: the two differ
    by a rounding of x + h, a relative ~eps |x| / h (x_scale: the largest |x|)."""
    return ULPS * float(f_scale) / float(h), ULPS + 2 * EPS * float(x_scale) / float(h)


def network_scales(X, layers, reg, head="softmax", y=None, weight_margin=0.0):
    """Magnitudes of the terms of a fully connected net's outputs: {"scores": (N, C), "loss": number,
    "W1": ..., "b1": ..., ...} (gradients by parameter name).

    layers: [(W, b)] in order; every hidden activation g has |g(z)| <= max(|z|, 1) and |g'(z)| <= 1 (ReLU,
    leaky ReLU, sigmoid, tanh, softsign, linear). The forward bound takes |W| + weight_margin, so it also
    covers a run with stand-ins whose affine layer uses w + margin. head: "softmax" (integer labels) or
    "mse" (targets y); a softmax head's gradient (p - onehot) / N carries the error of its probabilities,
    a few ulp times softmax_scale per row.
    """
    activations = [np.abs(np.reshape(X, (len(X), -1)))]
    for W, b in layers:
        activations.append(np.maximum(matmul_scale(activations[-1], np.abs(W) + weight_margin) + np.abs(b), 1.0))
    scores = activations.pop()
    n = len(scores)
    if head == "softmax":
        rows = softmax_scale(scores)
        loss, upstream = float(np.mean(rows)), np.repeat(rows[:, None], scores.shape[1], axis=1) / n
    else:
        spread = scores + np.abs(y)
        loss, upstream = float(np.sum(spread ** 2) / n), 2 * spread / n
    scales = {"scores": scores, "loss": loss + 0.5 * reg * sum(np.sum(W * W) for W, _ in layers)}
    for layer in range(len(layers), 0, -1):
        W = layers[layer - 1][0]
        scales[f"W{layer}"] = matmul_scale(activations[layer - 1].T, upstream) + reg * np.abs(W)
        scales[f"b{layer}"] = upstream.sum(axis=0)
        upstream = upstream @ (np.abs(W) + weight_margin).T
    return scales
