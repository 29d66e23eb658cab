"""Judging, inside nbgrader's autograde: cells put back in order, the notebook run in the sandbox, each
graded cell's collected outputs verified against the reference in the grader's own process.

Takes a submitted notebook and the student's seed; gives the notebook with a verdict in every graded cell.
"""
