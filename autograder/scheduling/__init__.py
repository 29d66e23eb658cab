"""Scheduling: which students to grade and where, one student at a time per worker.

Takes the submitted students; gives each an outcome recorded after their grades are in the gradebook,
graded in this process, a local pool or on a Dask cluster, resumable after any interruption.
"""
