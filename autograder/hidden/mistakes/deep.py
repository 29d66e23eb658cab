"""Notebook 3 mistakes, as small edits of the instructor's solution cells."""
from .mistake import Mistake

LOSS_LINE = "            loss += 0.5 * self.reg * np.sum(W * W)\n"
BIAS_GRAD = 'grads[f"b{layer}"] = db'
W_INIT = "(weight_scale * np.random.randn(dims[layer - 1], dims[layer])).astype(dtype)"
DECAY = ('            for config in self.optim_configs.values():\n'
         '                config["learning_rate"] *= self.lr_decay\n')
STEP = "                self._step(order[start:start + self.batch_size])\n"
MOMENTUM = '    velocity = config["momentum"] * velocity - config["learning_rate"] * dw\n'
ADAM_STATE = 'config["t"], config["m"], config["v"] = t, m, v'


FORWARD = ('            out, affine_cache = affine_forward(out, self.params[f"W{layer}"], self.params[f"b{layer}"])\n'
           '            activation_cache = None\n')
ACTIVATION = ('            if layer < self.num_layers:\n'
              '                forward, _ = ACTIVATIONS[self.activations[layer - 1]]\n'
              '                out, activation_cache = forward(out)\n')
BACKWARD = ('            if layer < self.num_layers:\n'
            '                _, backward = ACTIVATIONS[self.activations[layer - 1]]\n'
            '                dout = backward(dout, activation_cache)\n'
            '            dout, dW, db = affine_backward(dout, affine_cache)\n')
BACKWARD_SWAPPED = ('            dout, dW, db = affine_backward(dout, affine_cache)\n'
                    '            if layer < self.num_layers:\n'
                    '                _, backward = ACTIVATIONS[self.activations[layer - 1]]\n'
                    '                dout = backward(dout, activation_cache)\n')


def mistake(task, name, hint, *edits):
    return Mistake(task, hint, edits={task: edits}, name=f"{task}__{name}")


MISTAKES = [
    mistake("mse_loss", "no_half", "your loss is twice the expected one: the MSE loss has a factor 1/2, so its "
            "gradient is (preds - targets) / N",
            ("loss = 0.5 * np.sum(diff ** 2) / n", "loss = np.sum(diff ** 2) / n"),
            ("dpreds = diff / n", "dpreds = 2 * diff / n")),
    mistake("mse_loss", "mean_over_entries", "your loss matches averaging over all N * K entries; average over the N "
            "rows only", ("n = preds.shape[0]", "n = preds.size")),
    mistake("FullyConnectedNet", "reg_biases", "your loss matches regularising the biases too; the L2 term covers "
            "the weights W1, ..., WL only",
            (LOSS_LINE, LOSS_LINE.replace("np.sum(W * W)",
                                          'np.sum(W * W) + 0.5 * self.reg * np.sum(self.params[f"b{layer}"] ** 2)')),
            (BIAS_GRAD, BIAS_GRAD + ' + self.reg * self.params[f"b{layer}"]')),
    mistake("FullyConnectedNet", "reg_one_weight", "your loss matches an L2 term on the first layer's weights "
            "only; add 0.5 * reg * sum(W**2) for every layer inside the loop",
            (LOSS_LINE, ""), ("        return loss, grads", "        loss += 0.5 * self.reg * np.sum(W * W)\n"
                                                             "        return loss, grads"),),
    mistake("FullyConnectedNet", "first_activation", "your scores match using the first hidden layer's activation in "
            "every layer; layer l uses self.activations[l - 1]",
            ("ACTIVATIONS[self.activations[layer - 1]]", "ACTIVATIONS[self.activations[0]]"),),
    mistake("FullyConnectedNet", "activation_after_last", "your scores match applying the last hidden activation "
            "after the last affine layer too; the scores come straight out of affine L",
            ("if layer < self.num_layers:", "if self.activations:"),
            ("ACTIVATIONS[self.activations[layer - 1]]",
             "ACTIVATIONS[self.activations[min(layer, len(self.activations)) - 1]]")),
    mistake("FullyConnectedNet", "reg_stale_W", "your loss matches an L2 term that adds 0.5 * reg * sum(W**2) once "
            "per layer with the same W, the one left over from the backward loop (W1): read each layer's own "
            "self.params[f'W{l}'] inside the sum",
            (LOSS_LINE, ""), ("        return loss, grads",
                              "        for _ in range(self.num_layers):\n"
                              "            loss += 0.5 * self.reg * np.sum(W * W)\n"
                              "        return loss, grads")),
    mistake("FullyConnectedNet", "activation_before_affine", "your scores match applying each hidden activation "
            "before its affine layer, so the first one acts on X itself: layer l is affine_l and then activation l",
            (FORWARD + ACTIVATION, ACTIVATION.replace("            activation_cache", "            activation_cache")
             .replace("            if layer", "            activation_cache = None\n            if layer", 1)
             + FORWARD.split("\n")[0] + "\n"),
            (BACKWARD, BACKWARD_SWAPPED)),
    mistake("FullyConnectedNet", "no_dtype", "your parameters are float64 when dtype=np.float32 was asked for: "
            "cast each one with .astype(dtype)",
            (W_INIT, "weight_scale * np.random.randn(dims[layer - 1], dims[layer])"),
            ("np.zeros(dims[layer], dtype=dtype)", "np.zeros(dims[layer])")),
    mistake("sgd", "ascent", "your step goes uphill: subtract learning_rate * dw", ("w - config", "w + config")),
    mistake("sgd_momentum", "sign", "your update matches w - v with v = momentum * v - learning_rate * dw, a step "
            "uphill: with that sign convention the update is w + v",
            ("next_w = w + velocity", "next_w = w - velocity")),
    mistake("sgd_momentum", "stores_negative", "your steps match keeping v = momentum * v + learning_rate * dw and "
            "stepping w - v: that stores the velocity with the opposite sign, so a velocity given in config moves "
            "w the wrong way; keep v = momentum * v - learning_rate * dw and next_w = w + v",
            (MOMENTUM, MOMENTUM.replace("- config", "+ config")),
            ("next_w = w + velocity", "next_w = w - velocity")),
    mistake("sgd_momentum", "stale_velocity", "your step uses the velocity from before this update: compute the "
            "new v first, then next_w = w + v",
            (MOMENTUM + "    next_w = w + velocity\n", "    next_w = w + velocity\n" + MOMENTUM)),
    mistake("sgd_momentum", "velocity_not_stored", "the first step is right but later ones are not: store the new "
            "velocity in config['velocity'] so the next step can use it", ('    config["velocity"] = velocity\n', "")),
    mistake("sgd_momentum", "velocity_starts_at_w", "your first step from a config without a velocity matches "
            "starting the velocity at w: a new velocity starts at zeros, config.get('velocity', np.zeros_like(w))",
            ('config.get("velocity", np.zeros_like(w))', 'config.get("velocity", w)')),
    mistake("rmsprop", "cache_not_stored", "the first step is right but later ones are not: store the new running "
            "average in config['cache'] so the next step can use it", ('    config["cache"] = cache\n', "")),
    mistake("rmsprop", "decay_swapped", "your running average matches decay_rate and 1 - decay_rate swapped: keep "
            "decay_rate of the old cache and add (1 - decay_rate) * dw**2",
            ("decay * config.get(\"cache\", np.zeros_like(w)) + (1 - decay) * dw ** 2",
             "(1 - decay) * config.get(\"cache\", np.zeros_like(w)) + decay * dw ** 2")),
    mistake("rmsprop", "eps_inside_sqrt", "where the gradients are tiny your steps match sqrt(cache + epsilon): add "
            "epsilon after the square root, sqrt(cache) + epsilon",
            ('dw / (np.sqrt(cache) + config["epsilon"])', 'dw / np.sqrt(cache + config["epsilon"])')),
    mistake("adam", "no_bias_correction", "your steps match Adam without bias correction: divide m by 1 - beta1**t "
            "and v by 1 - beta2**t",
            ("m_hat = m / (1 - beta1 ** t)", "m_hat = m"), ("v_hat = v / (1 - beta2 ** t)", "v_hat = v")),
    mistake("adam", "bias_power", "your bias correction divides by 1 - beta1 and 1 - beta2 at every step: raise "
            "them to the step count, 1 - beta1**t and 1 - beta2**t",
            ("m_hat = m / (1 - beta1 ** t)", "m_hat = m / (1 - beta1)"),
            ("v_hat = v / (1 - beta2 ** t)", "v_hat = v / (1 - beta2)")),
    mistake("adam", "corrected_state", "your later steps match storing the bias-corrected m_hat and v_hat in config: "
            "store the raw averages m and v, and correct them anew at each step",
            (ADAM_STATE, ADAM_STATE.replace("= t, m, v", "= t, m_hat, v_hat"))),
    mistake("adam", "t_late", "your steps match using t before incrementing it (on a fresh config that is t = 0, a "
            "division by zero): increment t first, so the first step has t = 1",
            ('t = config.get("t", 0) + 1', 't = config.get("t", 0)'),
            (ADAM_STATE, ADAM_STATE.replace("= t, m, v", "= t + 1, m, v"))),
    mistake("adam", "t_starts_at_1", "your steps from a config without state match a step count that starts at 1, "
            "so the first step uses t = 2: t starts at 0 and is incremented before use, so the first step has t = 1",
            ('t = config.get("t", 0) + 1', 'config.setdefault("t", 1)\n    t = config["t"] + 1')),
    mistake("adam", "state_not_stored", "the first step is right but later ones are not: store m and v (and t) in "
            "config so the next step can use them",
            (ADAM_STATE, 'config["t"] = t')),
    mistake("Solver", "shared_config", "your parameters share one optimizer config, so their states mix: give each "
            "parameter its own copy of optim_config",
            ("{name: dict(optim_config or {}) for name in model.params}",
             "{name: optim_config if optim_config is not None else {} for name in model.params}")),
    mistake("Solver", "decay_per_step", "your learning rate decays at every minibatch; multiply it by lr_decay once "
            "per epoch", (STEP + DECAY, STEP + DECAY.replace("            ", "                "))),
    mistake("Solver", "no_shuffle", "your epochs visit the rows in their stored order: shuffle each epoch with "
            "order = self.rng.permutation(num_train)",
            ("order = self.rng.permutation(num_train)", "order = np.arange(num_train)")),
    mistake("Solver", "no_restore", "train() must end by putting the best validation params back into model.params",
            ("        self.model.params.update(self.best_params)", "")),
    mistake("sgd", "in_place", "your step writes into w (w -= ...), the caller's array: return a new array, "
            "next_w = w - learning_rate * dw", ('next_w = w - config["learning_rate"] * dw',
                                                 'w -= config["learning_rate"] * dw\n    next_w = w')),
]
