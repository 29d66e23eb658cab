"""The course: a folder anywhere (source notebooks, release, gradebook, secret) and what binds nbgrader to it.

Takes a course folder; gives its nbgrader configuration and API, its gradebook's location, and the
grading environment's lock.
"""
