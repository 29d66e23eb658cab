"""The instructor's commands, from a new course folder to exports, and the demo's simulated class.

Takes the command line; gives a released assignment, grades, feedback and exports, each by calling the
stages below.
"""
