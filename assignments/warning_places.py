"""Warnings from a student's code name the function they come from.

Python names the file of the line that warned: for a notebook cell that is an ipykernel temporary file
(`/tmp/ipykernel_812/2041.py`), and for notebook-1 definitions loaded by a later notebook it is a label
like `<01_layers.ipynb, cell 40>`. Neither is something a student can find in JupyterLab, which shows
no cell numbers; the function's name is.
"""
import linecache
import re
import sys
import warnings

ORIGINAL_FORMAT = warnings.formatwarning
INSTALLED_PACKAGES = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
LOADED_NOTEBOOK = re.compile(r"^<(?P<notebook>[^,>]+\.ipynb), cell \d+>$")


def function_at(filename, lineno):
    """Name of the function running line `lineno` of `filename` on the current stack, or None."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == filename and frame.f_lineno == lineno:
            return frame.f_code.co_name
        frame = frame.f_back
    return None


def format_warning(message, category, filename, lineno, line=None):
    """warnings.formatwarning for a student's kernel: "RuntimeWarning in `sigmoid_forward`: ..."."""
    name = None if filename.startswith(INSTALLED_PACKAGES) else function_at(filename, lineno)
    if name is None:
        return ORIGINAL_FORMAT(message, category, filename, lineno, line)
    place = "a notebook cell" if name.startswith("<") else f"`{name}`"
    loaded = LOADED_NOTEBOOK.match(filename)
    if loaded:
        place += f" (from {loaded['notebook']})"
    text = f"{category.__name__} in {place}: {message}\n"
    if line is None:
        line = linecache.getline(filename, lineno)
    return text + (f"    {line.strip()}\n" if line and line.strip() else "")


def install():
    """Use format_warning from now on in this process (idempotent)."""
    warnings.formatwarning = format_warning
