"""The backprop-lab student kit: self-checks, the grading probe and a `check` command.

Everything here is public and ships inside every release folder.
"""
