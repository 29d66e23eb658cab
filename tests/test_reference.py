"""The hidden reference passes float64 numerical gradient checks on random shapes."""
import numpy as np
import pytest

from autograder.hidden.reference import layers as ref


def check(f, x, analytic, dout):
    numeric = ref.numerical_gradient_array(f, x, dout)
    assert ref.rel_error(numeric, analytic) <= 1e-8


@pytest.mark.parametrize("seed", range(5))
def test_layer_gradients(seed):
    rng = np.random.default_rng(seed)
    n, dims, m = rng.integers(2, 5), tuple(rng.integers(2, 4, size=rng.integers(1, 4))), rng.integers(2, 5)
    x, w, b = rng.normal(size=(n, *dims)), rng.normal(size=(int(np.prod(dims)), m)), rng.normal(size=m)
    dout = rng.normal(size=(n, m))
    dx, dw, db = ref.affine_backward(dout, ref.affine_forward(x, w, b)[1])
    assert dx.shape == x.shape
    check(lambda v: ref.affine_forward(v, w, b)[0], x, dx, dout)
    check(lambda v: ref.affine_forward(x, v, b)[0], w, dw, dout)
    check(lambda v: ref.affine_forward(x, w, v)[0], b, db, dout)
    for name in ("relu", "sigmoid", "tanh"):
        forward, backward = getattr(ref, f"{name}_forward"), getattr(ref, f"{name}_backward")
        z = rng.normal(size=(n, *dims)) + 0.1  # keep ReLU inputs away from the kink at 0
        z[np.abs(z) < 1e-3] = 0.5
        dz = rng.normal(size=z.shape)
        check(lambda v: forward(v)[0], z, backward(dz, forward(z)[1]), dz)


@pytest.mark.parametrize("loss_name", ["softmax_loss", "svm_loss"])
@pytest.mark.parametrize("seed", range(3))
def test_loss_gradients(loss_name, seed):
    rng = np.random.default_rng(seed)
    n, c = rng.integers(3, 8), rng.integers(3, 6)
    scores, y = rng.normal(size=(n, c)), rng.integers(0, c, size=n)
    loss_fn = getattr(ref, loss_name)
    _, dscores = loss_fn(scores, y)
    numeric = ref.numerical_gradient(lambda s: loss_fn(s, y)[0], scores)
    assert np.max(np.abs(numeric - dscores)) <= 1e-8 * max(1.0, np.max(np.abs(dscores)))


def test_losses_at_known_points():
    y = np.array([0, 2, 1, 3])
    assert np.isclose(ref.softmax_loss(np.zeros((4, 5)), y)[0], np.log(5))
    assert np.isclose(ref.svm_loss(np.full((4, 5), 1e-9), y)[0], 4.0)
    assert np.isfinite(ref.softmax_loss(np.full((4, 5), 1000.0) + np.arange(5), y)[0])


def test_numerical_gradient_on_integers_restores_input():
    x = np.array([1, -2, 3])
    grad = ref.numerical_gradient(lambda v: np.sum(v ** 2), x)
    assert grad.dtype == np.float64 and np.allclose(grad, 2 * x) and x.tolist() == [1, -2, 3]


def test_the_reference_is_right_at_the_extremes_the_hidden_cases_reach():
    x = np.array([-1000.0, -30.0, -14.0, 14.0, 30.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow, no NaN, no log(0)
        s, t = ref.sigmoid_forward(x)[0], ref.tanh_forward(x / 2)[0]
        loss, dscores = ref.softmax_loss(np.array([[1000.0, 0.0, 0.0], [-1000.0, 0.0, 1000.0]]), np.array([1, 0]))
    assert s[0] == 0.0 and s[-1] == 1.0 and np.allclose(s[1:3], np.exp(x[1:3]), rtol=1e-12)
    assert np.all((0 < 1 - s[3:5]) & (1 - s[3:5] < 1e-6))  # within 1e-6 of 1, not on it
    assert np.allclose(1 - s[3:5], np.exp(-x[3:5]) / (1 + np.exp(-x[3:5])), rtol=0, atol=1e-15)
    assert t[0] == -1.0 and t[-1] == 1.0 and np.all(np.abs(t[1:-1]) < 1)
    assert np.isclose(loss, 1500.0) and np.allclose(dscores, [[0.5, -0.5, 0.0], [-0.5, 0.0, 0.5]])
