"""Instructor-only grading side of backprop-lab: never released, never importable by a student kernel."""
