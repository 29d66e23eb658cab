"""Notebook 2 mistakes, as one- or two-line edits of the instructor's solution cells."""
from .mistake import Mistake

LOSS_LINE = "loss = data_loss + 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))"
GRADS_LINE = 'grads = {"W1": dW1 + self.reg * W1, "b1": db1, "W2": dW2 + self.reg * W2, "b2": db2}'
W1_INIT = "weight_scale * np.random.randn(input_dim, hidden_dim)"
W2_INIT = "weight_scale * np.random.randn(hidden_dim, num_classes)"


def two_layer(name, hint, *edits):
    """A TwoLayerNet mistake (the training tasks train a scripted model, so it costs them nothing)."""
    return Mistake("TwoLayerNet", hint, edits={"TwoLayerNet": edits}, name=f"TwoLayerNet__{name}")


def layer(task, name, hint, *edits):
    return Mistake(task, hint, edits={task: edits}, name=f"{task}__{name}")


MISTAKES = [
    two_layer("no_relu", "your scores match a net without the ReLU between the two affine layers",
              ("activated, cache_relu = relu_forward(hidden)", "activated, cache_relu = hidden, None"),
              ("dhidden = relu_backward(dactivated, cache_relu)", "dhidden = dactivated")),
    two_layer("reg_no_half", "your loss matches an L2 term without the 0.5: use 0.5 * reg * sum(W**2), whose "
              "gradient is reg * W", (LOSS_LINE, LOSS_LINE.replace("0.5 * self.reg", "self.reg"))),
    two_layer("reg_biases", "your loss matches regularising the biases too; the L2 term covers the weights W1 "
              "and W2 only",
              (LOSS_LINE, LOSS_LINE.replace("np.sum(W2 * W2))", "np.sum(W2 * W2) + np.sum(b1 * b1) + np.sum(b2 * b2))")),
              (GRADS_LINE, GRADS_LINE.replace('"b1": db1', '"b1": db1 + self.reg * b1')
               .replace('"b2": db2', '"b2": db2 + self.reg * b2'))),
    two_layer("reg_one_weight", "your loss matches regularising only W1; the L2 term covers both weight "
              "matrices", (LOSS_LINE, LOSS_LINE.replace(" + np.sum(W2 * W2)", "")),
              (GRADS_LINE, GRADS_LINE.replace('"W2": dW2 + self.reg * W2', '"W2": dW2'))),
    two_layer("loss_summed", "your loss matches summing over the examples; average the data loss (and its "
              "gradient) over N",
              ("data_loss, dscores = softmax_loss(scores, y)",
               "data_loss, dscores = softmax_loss(scores, y)\n"
               "        data_loss, dscores = data_loss * X.shape[0], dscores * X.shape[0]")),
    two_layer("grad_keys", "grads must use the same keys as params: W1, b1, W2, b2",
              (GRADS_LINE, GRADS_LINE.replace('{"W1"', '{"dW1"').replace('"b1":', '"db1":')
               .replace('"W2":', '"dW2":').replace('"b2":', '"db2":'))),
    two_layer("grad_without_reg", "your loss includes the L2 term but your gradients do not: add reg * W1 and "
              "reg * W2 to dW1 and dW2",
              (GRADS_LINE, GRADS_LINE.replace(" + self.reg * W1", "").replace(" + self.reg * W2", ""))),
    two_layer("rand_init", "your weights look uniform on [0, weight_scale): draw them with np.random.randn "
              "(normal, mean 0), not np.random.rand",
              (W1_INIT, W1_INIT.replace("randn", "rand")), (W2_INIT, W2_INIT.replace("randn", "rand"))),
    two_layer("wrong_scale", "the spread of your weights does not follow weight_scale: multiply "
              "np.random.randn(...) by weight_scale itself",
              (W1_INIT, "np.sqrt(weight_scale) * np.random.randn(input_dim, hidden_dim)"),
              (W2_INIT, "np.sqrt(weight_scale) * np.random.randn(hidden_dim, num_classes)")),
    two_layer("nonzero_biases", "biases should start at zero: np.zeros(...)",
              ('"b1": np.zeros(hidden_dim)', '"b1": weight_scale * np.random.randn(hidden_dim)')),
    Mistake("Affine", "your layer keeps the arrays it was built with, so a training step that rebinds "
            "params['W'] never reaches it; read params[w_name] at every forward",
            edits={"Affine": (("self.params = params", "self.params = params\n        self.W, self.b = params[w_name], "
                               "params[b_name]"),
                              ("affine_forward(x, self.params[self.w_name], self.params[self.b_name])",
                               "affine_forward(x, self.W, self.b)"))},
            name="Affine__stale"),
    Mistake("Relu", "your backward writes zeros into dout in place, which changes the caller's array: return a new "
            "array (dout * mask, np.where(...), or relu_backward with what you cached)", edits={"Relu": (("return relu_backward(dout, self.cache)",
                                                                        "dout[self.cache <= 0] = 0\n        return dout"),)},
            name="Relu__in_place"),
    layer("SoftmaxWithLoss", "ignores_dout", "your backward ignores dout: return dscores * dout, so an objective "
          "that scales the loss scales its gradient too", ("return self.dscores * dout", "return self.dscores")),
    layer("SoftmaxWithLoss", "scales_in_place", "your backward scales the stored dscores in place, so the next call "
          "starts from a scaled array: return a new array, self.dscores * dout",
          ("return self.dscores * dout", "self.dscores *= dout\n        return self.dscores")),
    layer("SoftmaxWithLoss", "divides_by_n", "your gradient is N times too small: softmax_loss already divides "
          "dscores by N, so backward only multiplies by dout",
          ("return self.dscores * dout", "return self.dscores * dout / self.dscores.shape[0]")),
    layer("LayerNet", "loss_without_reg", "your loss leaves out the L2 term 0.5 * reg * (sum W1**2 + sum W2**2) "
          "that gradient() differentiates",
          ("data_loss + 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))", "data_loss")),
    Mistake("LayerNet", "gradient() leaves out the gradient reg * W of the L2 term that loss() includes",
            edits={"LayerNet": (('"W1": affine1.dW + self.reg * self.params["W1"]', '"W1": affine1.dW'),
                                ('"W2": affine2.dW + self.reg * self.params["W2"]', '"W2": affine2.dW'))},
            name="LayerNet__gradient_without_reg"),
    Mistake("train_gd", "your parameters move along the gradient, so the loss goes up: step against it "
            "(params -= learning_rate * grads)",
            edits={"train_gd": (("model.params[name] -= learning_rate", "model.params[name] += learning_rate"),)},
            name="train_gd__ascent"),
    layer("train_sgd", "rng_per_epoch", "your epochs visit the rows in the same order: create the generator "
          "np.random.default_rng(seed) once, before the first epoch, and shuffle with order = rng.permutation(N) "
          "in every epoch", ("        order = rng.permutation(num_train)",
                             "        rng = np.random.default_rng(seed)\n        order = rng.permutation(num_train)")),
]
