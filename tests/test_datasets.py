"""The kit's datasets are the published ones, made fast: MNIST-1D as the `mnist1d` package makes it, the
digits as scikit-learn loads them."""
import random

import numpy as np
import pytest

from assignments import datasets


@pytest.mark.parametrize("seed, num_samples, val_size", [(0, 4000, 800), (918273, 4000, 800), (3, 1000, 300)])
def test_mnist1d_is_the_packages_dataset(seed, num_samples, val_size):
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.num_samples, args.seed, args.train_split = num_samples, seed, 1 - val_size / num_samples
    theirs = make_dataset(args)
    ours = datasets.mnist1d(seed=seed, num_samples=num_samples, val_size=val_size)
    assert ours["X_train"].shape == (num_samples - val_size, 40) and ours["X_val"].shape == (val_size, 40)
    np.testing.assert_allclose(ours["X_train"], theirs["x"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours["X_val"], theirs["x_test"], rtol=0, atol=1e-9)
    assert np.array_equal(ours["y_train"], theirs["y"]) and np.array_equal(ours["y_val"], theirs["y_test"])
    assert ours["y_train"].dtype == np.int64 and ours["X_train"].dtype == np.float64


def test_mnist1d_leaves_the_global_random_states_alone():
    np.random.seed(11)
    random.seed(11)
    numpy_state, python_state = np.random.get_state()[1].copy(), random.getstate()
    first = datasets.mnist1d(seed=2)
    assert np.array_equal(np.random.get_state()[1], numpy_state) and random.getstate() == python_state
    assert np.array_equal(first["X_train"], datasets.mnist1d(seed=2)["X_train"])  # the seed alone decides
    assert not np.array_equal(first["X_train"], datasets.mnist1d(seed=3)["X_train"])


def test_digits_are_scikit_learns():
    from sklearn.datasets import load_digits

    X, y = datasets.digits()
    expected = load_digits()
    assert np.array_equal(X, expected.data / 16.0) and np.array_equal(y, expected.target)
    assert y.dtype == np.int64
    split = datasets.digits_split(seed=4)
    assert sum(len(split[k]) for k in ("y_train", "y_val", "y_test")) == 1797
