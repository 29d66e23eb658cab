"""Reports, from the gradebook and the graded notebooks: an HTML page per student and notebook (verdicts
and hints, no hidden test, math rendered offline) and the exports (grades.csv, one JSON per student).
"""
