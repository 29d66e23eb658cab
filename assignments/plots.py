"""Plots the notebooks share: training curves, decision boundaries and weight images."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator


def count_axis(ax, values, label):
    """Plot against 1, 2, ..., len(values) (steps or epochs are counted from 1) with integer ticks."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label)
    return np.arange(1, len(values) + 1)


def plot_history(losses, train_acc=None, val_acc=None, title=""):
    """Loss per step on the left; train/validation accuracy per epoch on the right (when given)."""
    columns = 2 if train_acc is not None or val_acc is not None else 1
    fig, axes = plt.subplots(1, columns, figsize=(5 * columns, 3.2), squeeze=False)
    axes[0, 0].plot(count_axis(axes[0, 0], losses, "step"), losses)
    axes[0, 0].set(ylabel="loss", title=title or "training loss")
    if columns == 2:
        for values, label in ((train_acc, "train"), (val_acc, "validation")):
            if values is not None:
                axes[0, 1].plot(count_axis(axes[0, 1], values, "epoch"), values, marker="o", label=label)
        axes[0, 1].set(ylabel="accuracy", title="accuracy")
        axes[0, 1].legend()
    fig.tight_layout()
    return fig


def plot_decision_boundary(predict, X, y, title="", resolution=200):
    """Colour the plane by predict(points) -> labels, with the data (X (N, 2), y (N,)) on top."""
    margin = 0.2
    xs = np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution)
    ys = np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    labels = np.asarray(predict(np.column_stack([grid_x.ravel(), grid_y.ravel()]))).reshape(grid_x.shape)
    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    ax.contourf(grid_x, grid_y, labels, alpha=0.3, cmap="brg")
    ax.scatter(X[:, 0], X[:, 1], c=y, s=12, cmap="brg", edgecolors="k", linewidths=0.3)
    ax.set(title=title, xticks=[], yticks=[])
    return fig


def show_weight_images(W, image_shape=(8, 8), count=16, columns=8, title=""):
    """Show the first `count` columns of W (D, H), each reshaped to an image of image_shape.

    All images share one colour scale, symmetric around zero: a weight of 0 is white in every image,
    red is positive, blue negative, so images (and pixels) can be compared with each other.
    """
    count = min(count, W.shape[1])
    rows = int(np.ceil(count / columns))
    largest = float(np.abs(W[:, :count]).max()) or 1.0
    fig, axes = plt.subplots(rows, columns, figsize=(1.2 * columns + 0.8, 1.2 * rows + 0.4), squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if index < count:
            image = ax.imshow(W[:, index].reshape(image_shape), cmap="RdBu_r", vmin=-largest, vmax=largest)
    fig.suptitle(title or f"first {count} hidden units' input weights")
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="weight")
    return fig


def plot_comparison(runs, title=""):
    """Several training runs side by side: runs maps a label to (loss per step, validation accuracy per epoch)."""
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.2))
    for label, (losses, val_acc) in runs.items():
        loss_ax.plot(count_axis(loss_ax, losses, "step"), losses, label=label, alpha=0.8)
        acc_ax.plot(count_axis(acc_ax, val_acc, "epoch"), val_acc, marker="o", label=label)
    loss_ax.set(ylabel="loss", title=title or "training loss")
    acc_ax.set(ylabel="validation accuracy", title="validation accuracy")
    loss_ax.legend()
    fig.tight_layout()
    return fig


def layer_sizes(params):
    """'40 → 128 → 64 → 10': the widths of a net whose params hold weights W1, W2, ... of shape (in, out)."""
    weights = sorted((int(key[1:]), value) for key, value in params.items() if key[:1] == "W" and key[1:].isdigit())
    if not weights:
        return "no weights"
    return " → ".join(str(size) for size in [np.shape(weights[0][1])[0]] + [np.shape(w)[1] for _, w in weights])
