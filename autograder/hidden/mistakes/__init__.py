"""Known student mistakes, written as code, so a verdict can name the one a student made.

A mistake is either a set of mistaken functions (`overrides`) or a set of text edits to the
instructor's solution cells (`edits`), which suits classes whose mistake is one changed line. The
grader runs a failing case through every mistake of that task and, when the student's output equals
a mistake's, the verdict names it. Tests and the demo plant the same code in simulated submissions.
"""
from . import deep, layers, two_layer
from .mistake import Mistake, renamed_source  # noqa: F401  (the names tests and the demo use)


def all_mistakes():
    return layers.MISTAKES + two_layer.MISTAKES + deep.MISTAKES


def mistakes_for(task_name):
    return [m for m in all_mistakes() if m.task == task_name]
