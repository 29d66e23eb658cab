"""A scripted stand-in model for judging training loops on what they own.

A training loop (train_gd, train_sgd, the Solver) owns the updates it applies to the gradients it gets,
the minibatches it draws and the history it keeps; the network it trains is another object. Trained on
this stand-in, whose loss and gradients follow its parameters in a known way, a loop's results can be
compared exactly with the reference whatever order its random minibatches come in, and a mistake in the
student's network cannot cost the loop anything.
"""
import numpy as np


class ScriptedModel:
    """Params a (2,) and b (3,); loss 0.5 * curvature * (|a|^2 + |b|^2) whatever the batch, with gradient
    curvature * params; the scores of row (id, t) favour class 1 exactly when a[0] > t. Records the rows
    and labels of every batch it computes a loss on."""

    def __init__(self, a, b, curvature=1.0):
        self.params = {"a": np.array(a, dtype=np.float64), "b": np.array(b, dtype=np.float64)}
        self.curvature = float(curvature)
        self.batch_ids, self.batch_labels = [], []

    def loss(self, X, y=None):
        a, b = self.params["a"], self.params["b"]
        if y is None:
            return np.column_stack([np.zeros(len(X)), a[0] - X[:, 1]])
        self.batch_ids.append(X[:, 0].astype(np.int64))
        self.batch_labels.append(np.asarray(y))
        loss = 0.5 * self.curvature * (np.sum(a * a) + np.sum(b * b))
        return loss, {"a": self.curvature * a, "b": self.curvature * b}


def scripted_rows(rng, count, first_id=0):
    """Rows (id, t) with t uniform in [0, 1.2): the id names the row, t is its threshold."""
    return np.column_stack([first_id + np.arange(count), rng.uniform(0, 1.2, size=count)])


def batches(model):
    """What a model saw: {"batch ids", "batch sizes", "batch labels"} as arrays."""
    empty = np.zeros(0, dtype=np.int64)
    return {
        "batch ids": np.concatenate(model.batch_ids) if model.batch_ids else empty,
        "batch sizes": np.array([len(ids) for ids in model.batch_ids], dtype=np.int64),
        "batch labels": np.concatenate(model.batch_labels) if model.batch_labels else empty,
    }


def batch_checks(outputs, y_train, batch_size, num_epochs):
    """Checks on the minibatches a loop drew (popped from `outputs`): every row once per epoch, in a new
    shuffled order each epoch, at most batch_size rows per batch, each label with its own row. Any random
    order passes."""
    num_train = len(y_train)
    ids, sizes = np.asarray(outputs.pop("batch ids")), np.asarray(outputs.pop("batch sizes"))
    labels = np.asarray(outputs.pop("batch labels"))
    per_epoch = ids.reshape(num_epochs, num_train) if ids.size == num_epochs * num_train else None
    # a correct loop's orders repeat, or come out sorted, with probability below 1 / 30!
    shuffled = per_epoch is not None and len({tuple(epoch) for epoch in per_epoch}) == num_epochs and \
        not any(np.array_equal(epoch, np.arange(num_train)) for epoch in per_epoch)
    return {
        "ok:each epoch uses every training row exactly once": per_epoch is not None and
            all(np.array_equal(np.sort(epoch), np.arange(num_train)) for epoch in per_epoch),
        "ok:each epoch visits the rows in a new random order": shuffled,
        f"ok:minibatches hold at most batch_size = {batch_size} rows": sizes.size > 0 and sizes.max() <= batch_size,
        "ok:each minibatch's labels belong to its rows": labels.shape == ids.shape and ids.size > 0 and
            bool(np.all((ids < num_train) & (labels == y_train[np.minimum(ids, num_train - 1)]))),
    }
