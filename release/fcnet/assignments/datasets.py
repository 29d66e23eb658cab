"""Small datasets made on the spot or shipped inside a package, so everything works offline."""
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
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data / 16.0, digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(X))
    test, val, train = np.split(order, [test_size, test_size + val_size])
    return {"X_train": X[train], "y_train": y[train], "X_val": X[val], "y_val": y[val],
            "X_test": X[test], "y_test": y[test]}


def mnist1d(seed=0, num_samples=4000, val_size=800):
    """MNIST-1D (Greydanus 2020): ten 1-D digit templates, shifted, scaled, sheared and noised; made on the
    spot by the `mnist1d` package's generator, so nothing is downloaded.

    Returns a dict with X_train (N, 40), y_train (N,), X_val, y_val: float64 signals, int64 labels.
    The generator reseeds numpy's global random state; this function puts it back.
    """
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.num_samples, args.seed, args.train_split = num_samples, seed, 1 - val_size / num_samples
    state = np.random.get_state()
    try:
        data = make_dataset(args)
    finally:
        np.random.set_state(state)
    return {"X_train": data["x"], "y_train": data["y"].astype(np.int64),
            "X_val": data["x_test"], "y_val": data["y_test"].astype(np.int64)}
