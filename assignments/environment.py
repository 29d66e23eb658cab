"""The Python and NumPy the grader runs, compared with the ones running this notebook.

Code that passes every self-check on one NumPy can raise on another (a keyword removed, a function
moved), so the self-checks warn once when the minor versions differ, and a verdict for an error raised
by NumPy names the version it came from.
"""
import platform
import traceback
from pathlib import Path

import numpy as np

from .kernel_state import autograding

NUMPY_FOLDER = str(Path(np.__file__).parent)


def python_version():
    return platform.python_version()


def numpy_version():
    return np.__version__


def minor(version):
    """'2.4.6' -> '2.4'."""
    return ".".join(str(version).split(".")[:2])


def version_warning(grader):
    """One line when this Python's or NumPy's minor version differs from the grader's, else "".

    grader: {"python": "3.11.2", "numpy": "2.4.6"}, as recorded in fixtures.json by the release.
    """
    mine = {"python": python_version(), "numpy": numpy_version()}
    differ = [f"{label} {mine[key]} here, {grader[key]} in the grader" for key, label in
              (("python", "Python"), ("numpy", "NumPy")) if key in grader and minor(mine[key]) != minor(grader[key])]
    if not differ:
        return ""
    return ("⚠ your environment differs from the grader's (" + "; ".join(differ) + "): code that passes here can "
            "fail there; install the versions in requirements.txt")


def numpy_note(error):
    """' (raised by NumPy X.Y.Z ...)' when `error` came from a NumPy call, else ''.

    A NumPy call is the innermost frame being inside NumPy, or (for errors NumPy's C functions and argument
    checks raise without a frame of their own) the innermost line calling `np.` or `numpy.`.
    """
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    inside = last.filename.startswith(NUMPY_FOLDER)
    calls = isinstance(error, (TypeError, AttributeError, ValueError)) and any(
        token in (last.line or "") for token in ("np.", "numpy."))
    if not (inside or calls):
        return ""
    return f" (raised by NumPy {numpy_version()}{', the version the grader uses' if autograding() else ''})"
