"""What a trained model's second chance costs the grader.

When a student's own digits or MNIST-1D model misses its target, the grader trains the student's recipe
with trusted components on one BLAS thread (assignments/tasks/recipe.py). This prints, per task, the
seconds the instructor's solution takes to train in a kernel-like run (as the student's own training
would, all BLAS threads) and the seconds of the grader's retraining of the same recipe, and their ratio.

    python benchmarks/recipe_retrain.py [repeats]
"""
import sys
import time

import numpy as np

from assignments.tasks import TASKS
from assignments.tasks.deep import retrain, splits
from assignments.tasks.recipe import recipe_of
from autograder.hidden.reference import NAMESPACE, solution_namespace
from autograder.hidden.solutions import solution_source


def seconds(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(repeats=3):
    for name in ("digits_solver", "mnist1d_solver"):
        inputs = TASKS[name].inputs(20261129)[0]
        data = splits(name, inputs)
        namespace = solution_namespace()
        exec(solution_source(name), namespace)
        recipe = recipe_of(namespace, name, data)
        own, again = [], []
        for _ in range(repeats):
            np.random.seed(int(inputs["numpy_seed"]))
            own.append(seconds(lambda: namespace[name](data).train()))
            again.append(seconds(lambda: retrain(NAMESPACE, recipe, data, int(inputs["numpy_seed"]))))
        print(f"{name}: own training {min(own):.2f} s, grader's retraining {min(again):.2f} s "
              f"(ratio {min(again) / min(own):.2f}, best of {repeats})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
