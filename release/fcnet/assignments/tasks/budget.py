"""A time budget for each run of an object that also runs with stand-ins, inside the grading kernel.

One bug costs once, also for code that never returns: a FullyConnectedNet whose own run hangs inside the
student's notebook-1 `tanh_forward` must still be judged on its run with stand-ins. So each run gets a
share of the cell's timeout (the grader passes it in CELL_TIMEOUT_VARIABLE); when the share is spent, a
timer signal stops the run in the kernel's main thread, the run is recorded as an error naming the
function it was stuck in, and the other run goes ahead. A run that hung once is not tried again in the
cell's later cases (they would hang too), so a cell spends at most two shares: its total stays within the
grader's cell timeout. Without the variable (a student's own kernel, the grader's process) nothing is timed.
"""
import os
import signal
import sysconfig
import threading
from contextlib import contextmanager
from pathlib import Path

CELL_TIMEOUT_VARIABLE = "BACKPROP_LAB_CELL_TIMEOUT"
SHARE = 0.25  # of the cell's timeout, for one run: two runs that hang leave half of it for the rest
KIT = str(Path(__file__).resolve().parents[1])
LIBRARIES = tuple({sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")})


class Overtime(BaseException):
    """Raised in the main thread when a run's share of the time is spent. A BaseException, like
    KeyboardInterrupt, so a student's `except Exception:` does not swallow it."""

    def __init__(self, where):
        super().__init__(where)
        self.where = where


class RunBudget:
    """Seconds for each run of one cell, and the runs that already hung ({kind: message})."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.hung = {}

    @classmethod
    def from_environment(cls):
        """The budget for this grading kernel's cells, or None outside grading."""
        value = os.environ.get(CELL_TIMEOUT_VARIABLE, "")
        try:
            seconds = float(value) * SHARE
        except ValueError:
            return None
        return cls(seconds) if seconds > 0 else None

    @contextmanager
    def limit(self):
        """Within the block, raise Overtime once self.seconds have passed (main thread only; elsewhere a
        signal cannot be delivered, so the block runs untimed). The previous handler and timer come back."""
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            yield
            return
        armed = [True]

        def expire(signum, frame):
            if armed[0]:
                raise Overtime(stuck_in(frame))

        previous = signal.signal(signal.SIGALRM, expire)
        # repeating: a student's bare `except:` that swallows the first signal gets another a moment later
        signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.2)
        try:
            yield
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def stuck_in(frame):
    """The innermost function of the student's code running at `frame`: "notebook-1 `tanh_forward`" for a
    definition loaded from an earlier notebook, "`FullyConnectedNet.loss`" for one of this notebook."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith("<") and ".ipynb, cell " in filename:
            notebook = filename[1:].split(",")[0]
            prefix = f"notebook-{int(notebook[:2])} " if notebook[:2].isdigit() else ""
            return f"{prefix}`{frame.f_code.co_name}`"
        if not filename.startswith((KIT, *LIBRARIES)) and not filename.startswith("<frozen"):
            return f"`{getattr(frame.f_code, 'co_qualname', frame.f_code.co_name)}`"
        frame = frame.f_back
    return "its code"


def hung_message(label, seconds, where):
    return f"{label} did not finish within {seconds:g} s: it was still running {where} (an endless loop?)"

