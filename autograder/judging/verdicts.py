"""A judgement as the outputs of a graded cell, which is how nbgrader scores it.

nbgrader gives 0 to a cell with an error output, the number in its first execute_result when there
is one, and full points otherwise. So: full marks -> one stdout line; partial -> a line and the
points; nothing -> an error carrying the reason.
"""
import nbformat

from assignments.judge import Judgement

METADATA_KEY = "backprop_lab"  # where the grader records seeds, verdicts and notes in a graded notebook


def fail_closed(name, reason):
    return Judgement(0, 1, f"{name}: {reason}")


def verdict_outputs(judgement, points):
    if judgement.passed == judgement.total:
        note = f" ({judgement.message})" if judgement.message else ""
        return [nbformat.v4.new_output("stream", name="stdout",
                                       text=f"✔ passed all {judgement.total} cases (judged by the grader){note}\n")]
    if judgement.passed == 0:
        return [nbformat.v4.new_output("error", ename="Failed", evalue=judgement.message,
                                       traceback=[f"✘ {judgement.message}"])]
    score = round(points * judgement.fraction, 2)
    line = f"◐ passed {judgement.passed} of {judgement.total} cases: {judgement.message}\n"
    return [nbformat.v4.new_output("stream", name="stdout", text=line),
            nbformat.v4.new_output("execute_result", data={"text/plain": f"{score}"}, execution_count=None)]
