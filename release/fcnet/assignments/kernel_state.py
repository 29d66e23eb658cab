"""What the kit knows of the kernel it runs in: whether nbgrader is grading it (and on which seed), and
which earlier notebooks could not be loaded into it."""
import os

SEED_VARIABLE = "BACKPROP_LAB_SEED"

LOAD_ERRORS = {}  # notebook file name -> why it could not be loaded (assignments.notebooks); verdicts quote it


def grading_seed():
    """The seed the grader chose for this notebook, or None outside grading."""
    value = os.environ.get(SEED_VARIABLE)
    return int(value) if value and value.isdigit() else None


def autograding():
    """True inside an nbgrader autograde run (stock or ours), where a notebook must not judge itself."""
    return grading_seed() is not None or os.environ.get("NBGRADER_EXECUTION") == "autograde"
