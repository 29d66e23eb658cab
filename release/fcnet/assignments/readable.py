"""Numbers as a student reads them, in every message the kit or the grader writes.

Compared values get six significant digits (enough to show where two outputs part), accuracies four;
settings and quoted measurements get three. A zero is never written "-0", and a fraction that is an
accuracy is written as a percentage.
"""
import math

VALUE_DIGITS = 6  # a compared value: "got 1.25205e-07, expected 1.25211e-07"
SETTING_DIGITS = 3  # a case's setting or a quoted measurement: "learning_rate 0.123"
PERCENT_DIGITS = 4  # an accuracy, a fraction of at most a few thousand rows: "93.33%"


def number(value, digits=VALUE_DIGITS):
    """`value` with `digits` significant digits; 0 for -0.0, "NaN", "inf" and "-inf" as they are."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    text = f"{value + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0
    return "0" if text in ("-0", "0") else text


def percent(fraction, digits=PERCENT_DIGITS):
    """A fraction in [0, 1] as a percentage: 0.9333 -> "93.33%", 0.5 -> "50%". Anything else is no fraction
    (a count of rows, NaN, the -1 of "no accuracy") and is written as a number."""
    fraction = float(fraction)
    return number(100 * fraction, digits) + "%" if 0 <= fraction <= 1 else number(fraction, digits)


def is_accuracy(name):
    """True for an output or quote holding an accuracy (a fraction of rows classified right)."""
    return "acc" in name.lower()


def quantity(name, value, digits=VALUE_DIGITS):
    """`value` of the output or quote `name`: a percentage for accuracies, else a number."""
    return percent(value, min(digits, PERCENT_DIGITS)) if is_accuracy(name) else number(value, digits)
