"""Known student mistakes, written as code, so a verdict can name the one a student made.

Each Mistake replaces one or more reference functions. The grader runs a failing case through every
mistake of that task and, when the student's output equals a mistake's, the verdict names it.
Tests and the demo also plant these functions in notebooks as simulated students.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mistake:
    task: str
    hint: str  # in the student's terms: what their output matches
    overrides: dict = field(default_factory=dict)  # object name -> mistaken implementation

    @property
    def slug(self):
        """A short id built from the first override's function name (`relu_backward__dout_mask`)."""
        return next(iter(self.overrides.values())).__name__


def mistakes_for(task_name):
    from . import layers
    return [m for m in layers.MISTAKES if m.task == task_name]
