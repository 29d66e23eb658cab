"""Build 6's messages, word for word: every known mistake's verdict as the grader writes it, inputs changed
in place, overflow, numbers as a student reads them; and how many held-out mistakes get a message naming them.

Each verdict is produced as in grading: the mistake planted into the instructor's code, run in process,
encoded as the probe sends it, and judged by verify() on SEED (heldout_mistakes.graded). A change of the
task inputs changes these messages: `python tests/test_hints.py` prints MESSAGES as they are now, to review.
"""
import numpy as np
import pytest

from assignments.judge import compare_values, first_difference, matching_mistake
from assignments.readable import number, percent
from autograder.mistakes import all_mistakes
from autograder.reference import solution_namespace
from autograder.solutions import solution_source
from heldout_mistakes import HELD_OUT, graded

SEED = 424242
KNOWN = {mistake.slug: mistake for mistake in all_mistakes()}

MESSAGES = {
    'numerical_gradient__one_sided': (
        'numerical_gradient: `grad` differs at index (1, 1): got -0.19596, expected -0.195958 (relative error '
        '5.0e-06) (case 1 of 3: f, a float x of shape (3, 2) and h = 1e-05). Hint: your gradient matches a '
        'one-sided difference (f(x+h) - f(x)) / h; use the centred (f(x+h) - f(x-h)) / (2h), whose error is ~h² '
        'instead of ~h'),
    'numerical_gradient__int_truncated': (
        'numerical_gradient: `grad` differs at index (0,): got 46004, expected 0.826575 (relative error '
        '1.0e+00) (case 3 of 3: f, an integer x of shape (3,) and h = 1e-05). Hint: your gradient matches '
        'perturbing an integer array, where x + h is truncated back to an integer; work on a float64 copy of x'),
    'numerical_gradient__not_restored': (
        'numerical_gradient: the input `x` was changed in place; work on a copy or build new arrays (case 1 of '
        '3: f, a float x of shape (3, 2) and h = 1e-05). Hint: x is left changed after the call; put each entry '
        'back to its original value once both f(x+h) and f(x-h) are computed'),
    'numerical_gradient_array__one_sided': (
        'numerical_gradient_array: `grad` differs at index (1, 2): got 2.54168, expected 2.54169 (relative '
        'error 1.7e-06) (case 1 of 3: f, x of shape (2, 3), dout of shape (2, 4) and h = 1e-05). Hint: your '
        'gradient matches a one-sided difference; use the centred (f(x+h) - f(x-h)) / (2h)'),
    'affine_forward__wrong_axes': (
        'affine_forward: `out` differs at index (0, 0): got -3.78894, expected 0.463552 (relative error '
        '1.0e+00) (case 1 of 3: x of shape (2, 4), w of shape (4, 5) and b of shape (5,)). Hint: your output '
        'matches flattening the wrong axes: keep the first axis (the examples) and flatten the rest with '
        'x.reshape(N, -1)'),
    'affine_backward__dx_flat': (
        'affine_backward: `dx` has shape (4, 6), expected (4, 3, 2) (case 2 of 3: dout of shape (4, 4) and the '
        "cache (x, w, b) with x of shape (4, 3, 2)). Hint: dx must have x's original shape (N, d1, ..., dk): "
        'reshape it back with x.shape'),
    'relu_backward__dout_mask': (
        'relu_backward: `dx` differs at index (0, 0): got 0.62842, expected 0 (relative error 1.0e+00) (case 1 '
        'of 3: dout and cache of shape (5, 4)). Hint: your dx matches masking with dout > 0; the mask comes '
        'from the forward input (x > 0), not from the upstream gradient'),
    'relu_backward__returns_mask': (
        'relu_backward: `dx` differs at index (0, 3): got 1, expected -1.41843 (relative error 1.0e+00) (case 1 '
        'of 3: dout and cache of shape (5, 4)). Hint: your dx matches returning the mask itself; multiply the '
        'mask by dout'),
    'relu_backward__in_place': (
        'relu_backward: the input `dout` was changed in place; work on a copy or build new arrays (case 1 of 3: '
        "dout and cache of shape (5, 4)). Hint: you wrote zeros into dout in place, which changes the caller's "
        'array; build a new array (dout * mask or np.where)'),
    'sigmoid_forward__caches_input': (
        'sigmoid_forward: `cache` differs at index (0, 1): got -2.96362, expected 0.0490966 (relative error '
        '1.0e+00) (case 1 of 3: x of shape (2, 4)). Hint: your cache holds the input x: cache the output s = '
        'σ(x), which sigmoid_backward needs for dout * s * (1 - s)'),
    'tanh_forward__caches_input': (
        'tanh_forward: `cache` differs at index (2, 1): got 5.94239, expected 0.999986 (relative error 7.1e-01) '
        '(case 1 of 3: x of shape (5, 3)). Hint: your cache holds the input x: cache the output t = tanh(x), '
        'which tanh_backward needs for dout * (1 - t**2)'),
    'softmax_loss__grad_not_averaged': (
        'softmax_loss: `dscores` differs at index (1, 0): got -0.809308, expected -0.101163 (relative error '
        '7.8e-01) (case 1 of 3: scores of shape (8, 4) and y of shape (8,)). Hint: your dscores are N times too '
        'large: divide the gradient by N like the loss'),
    'softmax_loss__summed': (
        'softmax_loss: `loss` differs: got 19.9907, expected 2.49884 (relative error 7.8e-01) (case 1 of 3: '
        'scores of shape (8, 4) and y of shape (8,)). Hint: your loss matches summing over the examples; '
        'average it over N'),
    'softmax_loss__no_max_shift': (
        'softmax_loss: `loss` contains inf (case 2 of 3: scores of shape (4, 3) around 1000 and y of shape '
        "(4,)). Hint: large scores overflow exp(): subtract each row's max from the scores first (it leaves the "
        'probabilities unchanged)'),
    'softmax_loss__wrong_axis': (
        'softmax_loss: `loss` differs: got 3.38049, expected 2.49884 (relative error 1.5e-01) (case 1 of 3: '
        'scores of shape (8, 4) and y of shape (8,)). Hint: your softmax is normalised over the wrong axis: '
        'each row (one example) must sum to 1, so use axis=1'),
    'softmax_loss__forgot_minus_one': (
        'softmax_loss: `dscores` differs at index (0, 2): got 0.00346822, expected -0.121532 (relative error '
        '1.0e+00) (case 1 of 3: scores of shape (8, 4) and y of shape (8,)). Hint: dscores is missing the -1 at '
        'each correct class (the gradient is probs minus the one-hot labels, over N)'),
    'svm_loss__grad_not_averaged': (
        'svm_loss: `dscores` differs at index (0, 2): got 1, expected 0.333333 (relative error 5.0e-01) (case 1 '
        'of 3: scores of shape (3, 5) and y of shape (3,)). Hint: your dscores are N times too large: divide '
        'the gradient by N like the loss'),
    'svm_loss__summed': (
        'svm_loss: `loss` differs: got 8.38487, expected 2.79496 (relative error 5.0e-01) (case 1 of 3: scores '
        'of shape (3, 5) and y of shape (3,)). Hint: your loss matches summing over the examples; average it '
        'over N'),
    'svm_loss__counts_correct_class': (
        'svm_loss: `loss` differs: got 3.79496, expected 2.79496 (relative error 1.5e-01) (case 1 of 3: scores '
        "of shape (3, 5) and y of shape (3,)). Hint: your loss is 1 too large: the correct class's own margin "
        'must not count'),
    'TwoLayerNet__no_relu': (
        'TwoLayerNet: `scores` differs at index (0, 0): got 0.866461, expected -0.629755 (relative error '
        '1.0e+00) (case 2 of 3: X of shape (5, 5), y of shape (5,), reg 0; with stand-ins for the other graded '
        'objects it calls). Hint: your scores match a net without the ReLU between the two affine layers'),
    'TwoLayerNet__reg_no_half': (
        'TwoLayerNet: `loss` differs: got 41.9104, expected 26.0046 (relative error 2.3e-01) (case 3 of 3: X of '
        'shape (6, 7), y of shape (6,), reg 0.619; with stand-ins for the other graded objects it calls). Hint: '
        'your loss matches an L2 term without the 0.5: use 0.5 * reg * sum(W**2), whose gradient is reg * W'),
    'TwoLayerNet__reg_biases': (
        'TwoLayerNet: `loss` differs: got 26.4843, expected 26.0046 (relative error 9.1e-03) (case 3 of 3: X of '
        'shape (6, 7), y of shape (6,), reg 0.619; with stand-ins for the other graded objects it calls). Hint: '
        'your loss matches regularising the biases too; the L2 term covers the weights W1 and W2 only'),
    'TwoLayerNet__reg_one_weight': (
        'TwoLayerNet: `loss` differs: got 22.3986, expected 26.0046 (relative error 7.4e-02) (case 3 of 3: X of '
        'shape (6, 7), y of shape (6,), reg 0.619; with stand-ins for the other graded objects it calls). Hint: '
        'your loss matches regularising only W1; the L2 term covers both weight matrices'),
    'TwoLayerNet__loss_summed': (
        'TwoLayerNet: `loss` differs: got 211.174, expected 42.2347 (relative error 6.7e-01) (case 2 of 3: X of '
        'shape (5, 5), y of shape (5,), reg 0; with stand-ins for the other graded objects it calls). Hint: '
        'your loss matches summing over the examples; average the data loss (and its gradient) over N'),
    'TwoLayerNet__grad_keys': (
        "TwoLayerNet: `grads keys` is ['dW1', 'dW2', 'db1', 'db2'], expected ['W1', 'W2', 'b1', 'b2'] (case 2 "
        'of 3: X of shape (5, 5), y of shape (5,), reg 0; with stand-ins for the other graded objects it '
        'calls). Hint: grads must use the same keys as params: W1, b1, W2, b2'),
    'TwoLayerNet__rand_init': (
        'TwoLayerNet: W1 has mean about 0: not so (W1 std / weight_scale 0.288, W2 std / weight_scale 0.289) '
        '(case 1 of 3: a new net with weight_scale 0.00358; with stand-ins for the other graded objects it '
        'calls). Hint: your weights look uniform on [0, weight_scale): draw them with np.random.randn (normal, '
        'mean 0), not np.random.rand'),
    'TwoLayerNet__wrong_scale': (
        'TwoLayerNet: W1 has standard deviation within 10% of weight_scale: not so (W1 std / weight_scale 16.6, '
        'W2 std / weight_scale 16.1) (case 1 of 3: a new net with weight_scale 0.00358; with stand-ins for the '
        'other graded objects it calls). Hint: the spread of your weights does not follow weight_scale: '
        'multiply np.random.randn(...) by weight_scale itself'),
    'TwoLayerNet__nonzero_biases': (
        'TwoLayerNet: b1 is 89 zeros: not so (W1 std / weight_scale 0.991, W2 std / weight_scale 0.992) (case 1 '
        'of 3: a new net with weight_scale 0.00358; with stand-ins for the other graded objects it calls). '
        'Hint: biases should start at zero: np.zeros(...)'),
    'Affine__stale': (
        "Affine: `out after params['W'] is rebound` differs at index (0, 1): got 5.55328, expected -0.0470926 "
        "(relative error 1.0e+00) (case 1 of 3: params['W'] of shape (2, 2), x of shape (2, 2) and dout of "
        'shape (2, 2); with stand-ins for the other graded objects it calls). Hint: your layer keeps the arrays '
        "it was built with, so a training step that rebinds params['W'] never reaches it; read params[w_name] "
        'at every forward'),
    'LayerNet__gradient_without_reg': (
        'LayerNet: `gradient:W1` differs at index (1, 1): got 0.197307, expected -0.0262082 (relative error '
        '1.0e+00) (case 1 of 3: X of shape (3, 4), y of shape (3,), reg 0.503; with stand-ins for the other '
        'graded objects it calls). Hint: gradient() leaves out the gradient reg * W of the L2 term that loss() '
        'includes'),
    'train_gd__ascent': (
        'train_gd: `losses` differs at index (6,): got 32.9956, expected 0.0205467 (relative error 1.0e+00) '
        '(case 1 of 3: a scripted model on 24 rows, learning_rate 0.742, 7 iterations). Hint: your parameters '
        'move along the gradient, so the loss goes up: step against it (params -= learning_rate * grads)'),
    'mse_loss__no_half': (
        'mse_loss: `loss` differs: got 1.48711, expected 0.743554 (relative error 3.3e-01) (case 1 of 3: preds '
        'and targets of shape (4, 1)). Hint: your loss is twice the expected one: the MSE loss has a factor '
        '1/2, so its gradient is (preds - targets) / N'),
    'mse_loss__mean_over_entries': (
        'mse_loss: `loss` differs: got 0.963652, expected 1.9273 (relative error 3.3e-01) (case 2 of 3: preds '
        'and targets of shape (7, 2)). Hint: your loss matches averaging over all N * K entries; average over '
        'the N rows only'),
    'FullyConnectedNet__reg_biases': (
        'FullyConnectedNet: `loss` differs: got 6.21035, expected 5.80526 (relative error 3.4e-02) (case 3 of '
        '5: 2 layers (linear), mse loss, X of shape (4, 5), reg 0.552; with stand-ins for the other graded '
        'objects it calls). Hint: your loss matches regularising the biases too; the L2 term covers the weights '
        'W1, ..., WL only'),
    'FullyConnectedNet__reg_one_weight': (
        'FullyConnectedNet: `loss` differs: got 4.79855, expected 5.80526 (relative error 9.5e-02) (case 3 of '
        '5: 2 layers (linear), mse loss, X of shape (4, 5), reg 0.552; with stand-ins for the other graded '
        "objects it calls). Hint: your loss matches an L2 term on the first layer's weights only; add 0.5 * reg "
        '* sum(W**2) for every layer inside the loop'),
    'FullyConnectedNet__first_activation': (
        'FullyConnectedNet: `scores` differs at index (5, 1): got 0.0463974, expected -0.304339 (relative error '
        '1.0e+00) (case 4 of 5: 3 layers (relu, tanh), softmax loss, X of shape (6, 2, 3), reg 0.859; with '
        'stand-ins for the other graded objects it calls). Hint: your scores match using the first hidden '
        "layer's activation in every layer; layer l uses self.activations[l - 1]"),
    'FullyConnectedNet__no_dtype': (
        'FullyConnectedNet: every parameter is float32 when dtype=np.float32: not so (W1 std / weight_scale '
        '1.01, W2 std / weight_scale 0.987, W3 std / weight_scale 0.979) (case 1 of 5: a new float32 net with '
        'weight_scale 0.00157; with stand-ins for the other graded objects it calls). Hint: your parameters are '
        'float64 when dtype=np.float32 was asked for: cast each one with .astype(dtype)'),
    'sgd__ascent': (
        'sgd: `w after step 1` differs at index (2, 0): got -0.595083, expected -0.578058 (relative error '
        '1.5e-02) (case 1 of 3: w and dw of shape (3, 2), config None (the defaults); 3 steps, taking turns '
        'with a second parameter of shape (4,)). Hint: your step goes uphill: subtract learning_rate * dw'),
    'sgd_momentum__sign': (
        'sgd_momentum: `w after step 1` differs at index (0,): got 0.198377, expected 0.200663 (relative error '
        '5.7e-03) (case 1 of 3: w and dw of shape (3,), config None (the defaults); 3 steps, taking turns with '
        'a second parameter of shape (3,)). Hint: your update matches w - v with v = momentum * v - '
        'learning_rate * dw, a step uphill: with that sign convention the update is w + v'),
    'sgd_momentum__velocity_not_stored': (
        'sgd_momentum: `w after step 2` differs at index (0,): got 0.195485, expected 0.196514 (relative error '
        '2.6e-03) (case 1 of 3: w and dw of shape (3,), config None (the defaults); 3 steps, taking turns with '
        'a second parameter of shape (3,)). Hint: the first step is right but later ones are not: store the new '
        "velocity in config['velocity'] so the next step can use it"),
    'rmsprop__cache_not_stored': (
        'rmsprop: `w after step 2` differs at index (2,): got -0.0292149, expected -0.0276776 (relative error '
        '2.7e-02) (case 1 of 3: w and dw of shape (3,), config None (the defaults); 3 steps, taking turns with '
        'a second parameter of shape (3, 4)). Hint: the first step is right but later ones are not: store the '
        "new running average in config['cache'] so the next step can use it"),
    'rmsprop__decay_swapped': (
        'rmsprop: `w after step 1` differs at index (2,): got 0.160735, expected 0.0707851 (relative error '
        '3.9e-01) (case 1 of 3: w and dw of shape (3,), config None (the defaults); 3 steps, taking turns with '
        'a second parameter of shape (3, 4)). Hint: your running average matches decay_rate and 1 - decay_rate '
        'swapped: keep decay_rate of the old cache and add (1 - decay_rate) * dw**2'),
    'adam__no_bias_correction': (
        'adam: `w after step 1` differs at index (3, 0): got 0.0680671, expected 0.0702294 (relative error '
        '1.6e-02) (case 1 of 3: w and dw of shape (4, 2), config None (the defaults); 3 steps, taking turns '
        'with a second parameter of shape (3, 4)). Hint: your steps match Adam without bias correction: divide '
        'm by 1 - beta1**t and v by 1 - beta2**t'),
    'adam__t_late': (
        'adam: `w after step 1` contains NaN at index (0, 0) (case 1 of 3: w and dw of shape (4, 2), config '
        'None (the defaults); 3 steps, taking turns with a second parameter of shape (3, 4)). Hint: your first '
        'step matches t = 0 in the bias correction (a division by zero): increment t before using it, so the '
        'first step has t = 1'),
    'adam__state_not_stored': (
        'adam: `w after step 2` differs at index (3, 0): got 0.0709735, expected 0.0697928 (relative error '
        '8.4e-03) (case 1 of 3: w and dw of shape (4, 2), config None (the defaults); 3 steps, taking turns '
        'with a second parameter of shape (3, 4)). Hint: the first step is right but later ones are not: store '
        'm and v (and t) in config so the next step can use them'),
    'Solver__shared_config': (
        'Solver: `loss_history` differs at index (19,): got 0.282529, expected 0.0881382 (relative error '
        '5.2e-01) (case 1 of 3: 35 training rows, batch_size 9, 5 epochs, lr_decay 0.638). Hint: your '
        'parameters share one optimizer config, so their states mix: give each parameter its own copy of '
        'optim_config'),
    'Solver__decay_per_step': (
        'Solver: `loss_history` differs at index (19,): got 0.455781, expected 0.0881382 (relative error '
        '6.8e-01) (case 1 of 3: 35 training rows, batch_size 9, 5 epochs, lr_decay 0.638). Hint: your learning '
        'rate decays at every minibatch; multiply it by lr_decay once per epoch'),
    'Solver__no_restore': (
        'Solver: after train() the model holds the params with the best validation accuracy: not so (case 1 of '
        '3: 35 training rows, batch_size 9, 5 epochs, lr_decay 0.638). Hint: train() must end by putting the '
        'best validation params back into model.params'),
    'sgd__in_place': (
        'sgd: the input `w` was changed in place; work on a copy or build new arrays (case 1 of 3: w and dw of '
        'shape (3, 2), config None (the defaults); 3 steps, taking turns with a second parameter of shape '
        "(4,)). Hint: your step writes into w (w -= ...), the caller's array: return a new array, next_w = w - "
        'learning_rate * dw'),
}


def planted(mistake):
    namespace = solution_namespace()
    mistake.plant_into(namespace)
    return graded(mistake.task, namespace, SEED)


def with_objects(task, **objects):
    return graded(task, {**solution_namespace(), **objects}, SEED)


@pytest.mark.parametrize("slug", list(MESSAGES))
def test_each_known_mistake_gets_its_message_word_for_word(slug):
    judgement = planted(KNOWN[slug])
    assert judgement.passed < judgement.total
    assert judgement.message == MESSAGES[slug]


def test_every_known_mistake_is_named():
    for mistake in all_mistakes():
        judgement = planted(mistake)
        assert judgement.passed < judgement.total and f"Hint: {mistake.hint}" in judgement.message, mistake.slug


# held-out mistakes (same behaviour as a known one, written another way): inputs changed in place, said before
# any value; NaN where the known mistake gives inf; an integer-truncated gradient kept in a float array
HELD_OUT_MESSAGES = {
    "w -= learning_rate * dw": (
        "sgd: the input `w` was changed in place; work on a copy or build new arrays (case 1 of 3: w and dw of "
        "shape (3, 2), config None (the defaults); 3 steps, taking turns with a second parameter of shape (4,)). "
        "Hint: your step writes into w (w -= ...), the caller's array: return a new array, next_w = w - "
        "learning_rate * dw"),
    "zeros written through a view of dout": (
        "relu_backward: the input `dout` was changed in place; work on a copy or build new arrays (case 1 of 3: "
        "dout and cache of shape (5, 4)). Hint: you wrote zeros into dout in place, which changes the caller's "
        "array; build a new array (dout * mask or np.where)"),
    "Relu.backward writes into dout": (
        "Relu: the input `dout` was changed in place; work on a copy or build new arrays (case 1 of 3: x and "
        "dout of shape (3, 3); with stand-ins for the other graded objects it calls)"),
    "np.exp(scores) / sum, no shift": (
        "softmax_loss: `loss` contains NaN (case 2 of 3: scores of shape (4, 3) around 1000 and y of shape (4,)). "
        "Hint: large scores overflow exp(): subtract each row's max from the scores first (it leaves the "
        "probabilities unchanged)"),
    "Adam's step size formula with t from 0": (
        "adam: `w after step 1` contains NaN at index (0, 0) (case 1 of 3: w and dw of shape (4, 2), config None "
        "(the defaults); 3 steps, taking turns with a second parameter of shape (3, 4)). Hint: your first step "
        "matches t = 0 in the bias correction (a division by zero): increment t before using it, so the first "
        "step has t = 1"),
    "float gradient of the caller's integer x": (
        "numerical_gradient: `grad` differs at index (0,): got 46004.6, expected 0.826575 (relative error "
        "1.0e+00) (case 3 of 3: f, an integer x of shape (3,) and h = 1e-05). Hint: your gradient matches "
        "perturbing an integer array, where x + h is truncated back to an integer; work on a float64 copy of x"),
}


@pytest.mark.parametrize("label", list(HELD_OUT_MESSAGES))
def test_held_out_mistakes_get_their_message_word_for_word(label):
    entry = next(entry for entry in HELD_OUT if entry.label == label)
    assert entry.judgement(SEED).message == HELD_OUT_MESSAGES[label]


def test_an_update_rule_changing_dw_is_told_so():
    def rmsprop_scaling_dw(w, dw, config=None):
        config = {} if config is None else config
        config["cache"] = 0.99 * config.get("cache", np.zeros_like(w)) + 0.01 * dw ** 2
        dw /= np.sqrt(config["cache"]) + 1e-8
        return w - config.get("learning_rate", 1e-2) * dw, config

    assert with_objects("rmsprop", rmsprop=rmsprop_scaling_dw).message == (
        "rmsprop: the input `dw` was changed in place; work on a copy or build new arrays (case 1 of 3: w and dw "
        "of shape (3,), config None (the defaults); 3 steps, taking turns with a second parameter of shape (3, "
        "4))")


def test_outputs_are_recorded_as_snapshots():
    """A layer whose backward writes dx into the array its forward returned is right: the caller's `out` was
    recorded before backward ran."""
    class ReluReusingItsBuffer:
        def forward(self, x):
            self.mask = x > 0
            self.buffer = np.where(self.mask, x, 0.0)
            return self.buffer

        def backward(self, dout):
            np.multiply(dout, self.mask, out=self.buffer)
            return self.buffer

    judgement = with_objects("Relu", Relu=ReluReusingItsBuffer)
    assert judgement.passed == judgement.total, judgement.message


def test_no_hint_for_a_bug_no_mistake_explains():
    def softmax_doubled_gradient(scores, y):
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(len(y)), y]).mean()
        probs[np.arange(len(y)), y] -= 1
        return loss, 2 * probs / len(y)

    def sgd_double_step(w, dw, config=None):
        config = {} if config is None else config
        return w - 2 * config.setdefault("learning_rate", 1e-2) * dw, config

    for task, objects in (("softmax_loss", {"softmax_loss": softmax_doubled_gradient}),
                          ("sgd", {"sgd": sgd_double_step})):
        judgement = with_objects(task, **objects)
        assert judgement.passed < judgement.total and "Hint:" not in judgement.message, judgement.message


def test_a_hint_needs_the_mistake_to_explain_more_than_no_mistake():
    expected = {"loss": np.array(1.0), "dscores": np.ones(3), "input:scores": np.zeros(3)}
    summed = {"loss": np.array(4.0), "dscores": np.full(3, 4.0), "input:scores": np.zeros(3)}
    only_loss = {**expected, "loss": np.array(4.0)}  # explains as much as no mistake: named
    within_1e6 = lambda outputs: {name: (0.0, 1e-6) for name in outputs}  # noqa: E731
    assert matching_mistake(only_loss, expected, "loss", [("summed", summed)], within_1e6) == "summed"
    three = {**expected, "db": np.ones(2)}  # the mistake explains 2 outputs, no mistake 3: not named
    mistake = {**summed, "db": np.zeros(2)}
    assert matching_mistake({**three, "loss": np.array(4.0)}, three, "loss", [("summed", mistake)], within_1e6) is None
    within = {**summed, "loss": np.array(4.0 * (1 + 1e-9))}  # agrees within the tolerance, not bit for bit
    assert matching_mistake(within, expected, "loss", [("summed", summed)], within_1e6) == "summed"


def test_numbers_read_as_a_student_reads_them():
    assert number(-0.0) == "0" and number(-1e-300 * 1e-300) == "0" and number(np.float32(-0.0)) == "0"
    assert number(0.1234567891) == "0.123457" and number(0.1234567891, 3) == "0.123"
    assert number(np.nan) == "NaN" and number(-np.inf) == "-inf"
    assert percent(0.9333333) == "93.33%" and percent(0.5) == "50%" and percent(1.0) == "100%"
    assert percent(2.0) == "2" and percent(-1.0) == "-1" and percent(np.nan) == "NaN"
    assert compare_values("dx", np.array([-0.0, 2.0]), np.array([-1.5, 2.0]), (0.0, 1e-6)) == \
        "`dx` differs at index (0,): got 0, expected -1.5 (relative error 1.0e+00)"
    assert compare_values("accuracy", np.array(0.5), np.array(0.75), (0.0, 1e-6)) == \
        "`accuracy` differs: got 50%, expected 75% (relative error 3.3e-01)"
    assert compare_values("history['val_acc']", np.array([0.9, 0.85]), np.array([0.9, 0.95]), (0.0, 1e-6)) == \
        "`history['val_acc']` differs at index (1,): got 85%, expected 95% (relative error 1.1e-01)"
    got = {"ok:validation accuracy is at least 95%": False, "info:validation accuracy": 0.9333333,
           "info:seconds": 1.23456}
    assert first_difference(got, {"ok:validation accuracy is at least 95%": True}, {}) == (
        "ok:validation accuracy is at least 95%",
        "validation accuracy is at least 95%: not so (validation accuracy 93.3%, seconds 1.23)")


def test_a_wrong_accuracy_reads_as_a_count_against_a_percentage():
    layer_net = ("        return float(np.mean(np.argmax(self.predict(x), axis=1) == t))",
                 "        return float(np.sum(np.argmax(self.predict(x), axis=1) == t))")
    namespace = solution_namespace()
    exec(solution_source("LayerNet").replace(*layer_net), namespace)
    assert graded("LayerNet", namespace, SEED).message == (
        "LayerNet: `accuracy` differs: got 2, expected 33.33% (relative error 5.0e+00) (case 2 of 3: X of shape "
        "(6, 4), y of shape (6,), reg 0; with stand-ins for the other graded objects it calls)")


def test_most_held_out_mistakes_are_named():
    """The issue asks for at least 85%; all 41 are named on SEED. Before this change 34 were: NaN against the
    stored inf (naive softmax), integer truncation kept in a float array (three times), an update rule and a
    Relu layer changing an input in place (a value was reported first), and a TwoLayerNet computed without
    the notebook-1 functions (its hint was only sought in the run with stand-ins) were missed."""
    named = [entry.label for entry in HELD_OUT if entry.named(SEED)]
    assert len(named) / len(HELD_OUT) >= 0.85
    assert len(named) >= 41, sorted({entry.label for entry in HELD_OUT} - set(named))


def as_literal(text, indent=8, width=112):
    """`text` as adjacent string literals, split between words, that fit in `width` columns."""
    pieces, current = [], ""
    for word in text.split(" "):
        longer = f"{current} {word}" if current else word
        if current and indent + len(repr(longer)) > width:
            pieces.append(current + " ")
            current = word
        else:
            current = longer
    return ("\n" + " " * indent).join(repr(piece) for piece in [*pieces, current])


if __name__ == "__main__":  # after a change of the task inputs: print MESSAGES as the grader now writes them
    print("MESSAGES = {")
    for mistake in all_mistakes():
        print(f"    {mistake.slug!r}: (\n        {as_literal(planted(mistake).message)}),")
    print("}")
