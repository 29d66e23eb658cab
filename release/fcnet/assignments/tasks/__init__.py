"""What every graded object is tested on, and how: a Task per object (task.py), registered by the notebook
that teaches it (layers, two_layer, deep), with the stand-ins, recipes and scripted models they use.
"""
from . import deep, layers, two_layer  # noqa: F401  (each registers its notebook's tasks)
from .task import (FIXTURE_SEED, TASKS, Behaviour, StudentError, Task, invoke,  # noqa: F401
                   run_case, self_check_seed, summarized)
