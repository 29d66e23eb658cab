"""Time of one SGD training step of our NumPy reference nets against the same nets in PyTorch (CPU).

A step is forward, softmax loss with L2 on the weights, backward and a plain SGD update of every
parameter. Runs the two-layer and three-layer nets at a CIFAR-like and a digits-like size, in float32
and float64, with PyTorch on as many threads as NumPy's BLAS. Before timing, each configuration checks
that both sides compute the same loss and gradients on the same weights and batch.
Prints measured times and ratios; asserts nothing.
Usage: pip install torch==2.13.0, then python benchmarks/step_vs_torch.py
"""
import os
import statistics
import sys
import time

import numpy as np
from rich import box
from rich.console import Console
from rich.table import Table

from autograder.hidden.reference.deep import FullyConnectedNet
from autograder.hidden.reference.two_layer import TwoLayerNet

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("step_vs_torch needs PyTorch, which the project does not install: pip install torch==2.13.0")

SIZES = {"cifar": dict(N=256, D=3072, H=512, C=10), "digits": dict(N=64, D=64, H=64, C=10)}
NETS = ("2-layer", "3-layer")
DTYPES = (np.float32, np.float64)
TOLERANCE = {np.float32: 1e-4, np.float64: 1e-10}
REG, LR = 1e-3, 1e-2
REPEATS, LOOP_SECONDS = 7, 0.15


def blas_threads():
    """Threads NumPy's BLAS uses, from threadpoolctl when installed, else the CPU count."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count()
    return max(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")


def numpy_net(net, size, dtype):
    """Our reference net with params in dtype."""
    if net == "2-layer":
        model = TwoLayerNet(size["D"], size["H"], size["C"], weight_scale=1e-2, reg=REG)
        model.params = {name: value.astype(dtype) for name, value in model.params.items()}
        return model
    return FullyConnectedNet([size["H"], size["H"]], size["D"], size["C"], reg=REG, dtype=dtype)


def numpy_step(model, X, y):
    loss, grads = model.loss(X, y)
    for name, grad in grads.items():
        model.params[name] = model.params[name] - LR * grad
    return loss


def torch_loss(params, X, y):
    """affine -> relu -> ... -> affine -> cross-entropy (mean) + 0.5 * reg * sum W**2 over weights."""
    layers = len(params) // 2
    out = X
    for layer in range(1, layers + 1):
        out = out @ params[f"W{layer}"] + params[f"b{layer}"]
        if layer < layers:
            out = torch.relu(out)
    penalty = sum((params[f"W{layer}"] ** 2).sum() for layer in range(1, layers + 1))
    return F.cross_entropy(out, y) + 0.5 * REG * penalty


def torch_step(params, optimizer, X, y):
    optimizer.zero_grad()
    loss = torch_loss(params, X, y)
    loss.backward()
    optimizer.step()
    return loss


def relative(a, b):
    """Relative difference of two arrays, by norm."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-30))


def agreement(model, params, X, y):
    """(loss, worst gradient) relative difference between ours and torch on the current weights."""
    loss, grads = model.loss(X, y)
    for value in params.values():
        value.grad = None
    torch_value = torch_loss(params, torch.from_numpy(X), torch.from_numpy(y))
    torch_value.backward()
    return (relative(loss, torch_value.item()),
            max(relative(grads[name], params[name].grad.numpy()) for name in grads))


def ms_per_step(step):
    """Median over REPEATS timed loops of step(), each loop about LOOP_SECONDS long."""
    for _ in range(3):
        step()
    start = time.perf_counter()
    step()
    number = max(1, int(LOOP_SECONDS / (time.perf_counter() - start)))
    loops = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(number):
            step()
        loops.append((time.perf_counter() - start) / number)
    return 1e3 * statistics.median(loops)


def run(size_name, net, dtype):
    size = SIZES[size_name]
    rng = np.random.default_rng(0)
    np.random.seed(0)
    X = rng.standard_normal((size["N"], size["D"])).astype(dtype)
    y = rng.integers(size["C"], size=size["N"])
    model = numpy_net(net, size, dtype)
    params = {name: torch.tensor(value, requires_grad=True) for name, value in model.params.items()}
    loss_diff, grad_diff = agreement(model, params, X, y)

    optimizer = torch.optim.SGD(params.values(), lr=LR)
    X_torch, y_torch = torch.from_numpy(X), torch.from_numpy(y)
    ours = ms_per_step(lambda: numpy_step(model, X, y))
    theirs = ms_per_step(lambda: torch_step(params, optimizer, X_torch, y_torch))
    agree = max(loss_diff, grad_diff) < TOLERANCE[dtype]
    row = [size_name, net, np.dtype(dtype).name, f"{ours:.3f}", f"{theirs:.3f}", f"{ours / theirs:.2f}",
           f"{loss_diff:.1e}", f"{grad_diff:.1e}"]
    return row, agree


def main():
    start = time.perf_counter()
    threads = blas_threads()
    torch.set_num_threads(threads)
    console = Console()
    console.print(f"threads: NumPy BLAS {threads}, torch {torch.get_num_threads()}; "
                  f"numpy {np.__version__}, torch {torch.__version__}")
    for size_name, size in SIZES.items():
        console.print(f"{size_name}: " + ", ".join(f"{key}={value}" for key, value in size.items()))
    table = Table("size", "net", "dtype", "numpy ms", "torch ms", "ratio", "loss diff", "grad diff",
                  title="ms per SGD step; ratio = numpy / torch; diffs = relative, ours vs torch",
                  box=box.SIMPLE_HEAD)
    mismatches = []
    for size_name in SIZES:
        for net in NETS:
            for dtype in DTYPES:
                row, agree = run(size_name, net, dtype)
                table.add_row(*row)
                if not agree:
                    mismatches.append(" ".join(row[:3]))
    console.print(table)
    if mismatches:
        console.print("[red]loss or gradients differ beyond tolerance:[/red] " + "; ".join(mismatches))
    else:
        console.print("same work: every loss and gradient agrees (float32 < 1e-4, float64 < 1e-10)")
    console.print(f"total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
