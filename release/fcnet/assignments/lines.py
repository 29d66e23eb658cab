"""How the kit's one-line messages reach a student: whole, readable, and without stopping Run All.

A failing self-check in a student's JupyterLab shows a styled ✘ line and lets the notebook go on.
Under nbgrader (autograde, or `nbgrader validate` / the Validate button) and in plain Python it raises,
so the cell fails there: the self-check stays fail-closed wherever a notebook is judged.
"""
import html
import os
import textwrap

# nbgrader validate indents each traceback line by 4 and cuts it at its width (90) - 3 characters
WRAP_WIDTH = 80

FAILURE_STYLE = ("color: #8a1c1c; background: #fdecea; border-left: 4px solid #d32f2f; padding: 4px 10px; "
                 "white-space: normal; word-break: normal; overflow-wrap: break-word; "
                 "font-family: var(--jp-code-font-family, monospace); font-size: var(--jp-code-font-size, 13px)")


def wrapped(message):
    """The message as lines of at most WRAP_WIDTH characters, broken between words only."""
    lines = []
    for paragraph in str(message).splitlines() or [""]:
        lines += textwrap.wrap(paragraph, WRAP_WIDTH, subsequent_indent="  ", break_long_words=False,
                               break_on_hyphens=False) or [""]
    return lines


def in_student_kernel():
    """True in a kernel a student runs (JupyterLab, or `python -m assignments check`), not under nbgrader.

    (Under grading the self-check never gets this far: it hands its outputs to the grader and stops.)
    """
    if os.environ.get("NBGRADER_EXECUTION") or os.environ.get("NBGRADER_VALIDATING"):
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def show_failure(line):
    """Display a ✘ line (text for the `check` command and terminals, styled HTML for JupyterLab)."""
    from IPython.display import display

    display({"text/plain": line,
             "text/html": f'<div class="backprop-lab-failure" style="{FAILURE_STYLE}">{html.escape(line)}</div>'},
            raw=True)


class KitMessage(Exception):
    """An exception IPython shows as its message alone, without a traceback, wrapped between words
    (so JupyterLab's error box and `nbgrader validate` show every line whole)."""

    def _render_traceback_(self):
        return wrapped(self)
