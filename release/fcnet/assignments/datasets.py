"""Small datasets made on the spot or shipped inside a package, so everything works offline."""
import importlib.util
from pathlib import Path

import numpy as np


def spiral(points_per_class=100, num_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class.

    Returns X (points_per_class * num_classes, 2) float64 and y (same N,) int64 labels.
    """
    rng = np.random.default_rng(seed)
    X, y = [], []
    for label in range(num_classes):
        radius = np.linspace(0.0, 1.0, points_per_class)
        angle = np.linspace(label * 4.0, (label + 1) * 4.0, points_per_class) + rng.normal(scale=noise,
                                                                                           size=points_per_class)
        X.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        y.append(np.full(points_per_class, label))
    return np.concatenate(X), np.concatenate(y).astype(np.int64)


def digits_split(seed=0, val_size=300, test_size=300):
    """scikit-learn's 8x8 handwritten digits (1797 images), scaled to [0, 1] and split at random.

    Returns a dict with X_train (N, 64), y_train (N,), X_val, y_val, X_test, y_test.
    """
    X, y = digits()
    order = np.random.default_rng(seed).permutation(len(X))
    test, val, train = np.split(order, [test_size, test_size + val_size])
    return {"X_train": X[train], "y_train": y[train], "X_val": X[val], "y_val": y[val],
            "X_test": X[test], "y_test": y[test]}


def digits():
    """The digits as X (1797, 64) in [0, 1] and y (1797,) int64, read straight from the file scikit-learn
    ships (importing scikit-learn costs a second, loading the file a hundredth)."""
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz" if spec and spec.origin else None
    if path is not None and path.is_file():
        table = np.loadtxt(path, delimiter=",")
        X, y = table[:, :-1], table[:, -1]
    else:  # a scikit-learn that keeps its data elsewhere
        from sklearn.datasets import load_digits
        X, y = load_digits(return_X_y=True)
    return X / 16.0, y.astype(np.int64)


# MNIST-1D's ten digit templates (Greydanus 2020), 12 points each, before whitening
MNIST1D_TEMPLATES = np.array([
    [5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5],
    [5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5],
    [5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5],
    [5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5],
    [5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5],
    [5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5],
    [5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5],
    [5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5],
    [5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5],
    [5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5],
])
# the generator's settings: padding of 36-60 zeros, the padded signal stretched to 72 points, scaled by
# 1 +- 0.2, rolled by 0-47, correlated noise (std 0.25, Gaussian blur of sigma 2) where it is zero, white
# noise (std 0.02), sheared by +- 0.375, and sampled at 40 points
PADDING, STRETCHED, SCALE, TRANSLATION, CORR_NOISE, BLUR, IID_NOISE, SHEAR, LENGTH = (
    (36, 60), 72, 0.4, 48, 0.25, 2.0, 2e-2, 0.75, 40)


def mnist1d(seed=0, num_samples=4000, val_size=800):
    """MNIST-1D (Greydanus 2020): ten 1-D digit templates, padded, stretched, scaled, shifted, noised and
    sheared; made on the spot. The `mnist1d` package's generator, vectorised: the same random draws in
    the same order, so the same signals (tests/test_datasets.py checks it to 1e-9) in 30 ms, not a second.
    numpy's global random state is left as it was.

    Returns a dict with X_train (N, 40), y_train (N,), X_val, y_val: float64 signals, int64 labels.
    """
    rng = np.random.RandomState(seed)  # the stream np.random.seed(seed) starts, without touching it
    templates = MNIST1D_TEMPLATES - MNIST1D_TEMPLATES.mean(1, keepdims=True)
    templates /= templates.std(1, keepdims=True)
    templates = (templates - templates[:, :1]) / 6.0  # every signal starts and ends at 0
    labels = np.repeat(np.arange(10), num_samples // 10)
    # one sample's draws, in the order its transformations make them: padding and scale, shift, correlated
    # and white noise, shear (consecutive draws of one kind in one call: the same numbers, fewer calls)
    draws = [(rng.rand(2), rng.randint(TRANSLATION), rng.randn(2 * STRETCHED), rng.rand()) for _ in labels]
    uniform, shift, normal, shear = (np.array(column) for column in zip(*draws))
    pad, scale, corr, iid = uniform[:, 0], uniform[:, 1], normal[:, :STRETCHED], normal[:, STRETCHED:]

    lengths = 12 + PADDING[0] + (pad * (PADDING[1] - PADDING[0] + 1)).astype(int)
    padded = np.zeros((len(labels), 12 + PADDING[1]))
    padded[:, :12] = templates[labels] + 1e-8  # the epsilon keeps the signal apart from the padding's zeros
    x = stretch(padded, lengths, STRETCHED)
    x *= (1 + SCALE * (scale - 0.5))[:, None]
    x = x[np.arange(len(x))[:, None], (np.arange(STRETCHED) - shift[:, None]) % STRETCHED]  # rolled by shift
    x = np.where(x != 0, x, blur(CORR_NOISE * corr, BLUR))
    x = x + IID_NOISE * iid
    x = x - (SHEAR * (shear - 0.5))[:, None] * np.linspace(-0.5, 0.5, STRETCHED)
    x = stretch(x, np.full(len(x), STRETCHED), LENGTH)

    order = rng.permutation(len(labels))
    x, labels = x[order], labels[order]
    x = (x - x.mean()) / x.std()
    split = int(len(labels) * (1 - val_size / num_samples))
    return {"X_train": x[:split], "y_train": labels[:split], "X_val": x[split:], "y_val": labels[split:]}


def stretch(signals, lengths, points):
    """Linear interpolation of each row's first lengths[i] values, as a curve over [0, 1], at `points`
    evenly spaced places: (N, >= max length) -> (N, points)."""
    position = np.linspace(0, 1, points)[None, :] * (lengths[:, None] - 1)
    below = np.minimum(np.floor(position).astype(int), lengths[:, None] - 2)
    weight = position - below
    rows = np.arange(len(signals))[:, None]
    low, high = signals[rows, below], signals[rows, below + 1]
    return low + weight * (high - low)


def blur(signals, sigma):
    """Gaussian blur of each row (scipy.ndimage.gaussian_filter1d's kernel, radius 4 sigma, mirrored ends)."""
    radius = int(4 * sigma + 0.5)
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(signals, ((0, 0), (radius, radius)), mode="symmetric")
    return np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1, axis=1) @ kernel
