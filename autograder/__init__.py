"""backprop-lab's grader: instructor only, never released, never importable from a grading kernel.

A submission travels through the stages in this order (each subpackage says what it takes and gives):
  course/      the course folder, its nbgrader settings, gradebook and locked environment
  commands/    `backprop-lab init | release | grade | feedback | export | demo`: what the instructor runs
  isolation/   submission hygiene, the bubblewrap sandbox and the kernel that runs inside it
  judging/     nbgrader preprocessors: run the notebook, verify each graded cell against hidden/
  hidden/      what students never see: the reference, known mistakes, the solution cells
  scheduling/  who grades whom: one student, the local pool, resumable batches, a Dask cluster
  reports/     feedback pages and exports, from the gradebook
"""
