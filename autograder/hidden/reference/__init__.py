"""The hidden reference implementation, one module per notebook topic."""
from functools import lru_cache

from . import deep, layers, two_layer

NAMESPACE = {name: value for module in (layers, two_layer, deep) for name, value in vars(module).items()
             if not name.startswith("_")}

# the objects of notebooks 2-3 that call notebook-1 functions, as the instructor's solution cells
SOLUTION_CELLS = ("TwoLayerNet", "Affine", "Relu", "SoftmaxWithLoss", "LayerNet", "FullyConnectedNet")


def compiled_solutions():
    """The course's solution cells of SOLUTION_CELLS, compiled once per distinct text."""
    from ..solutions import solution_source
    return compiled(tuple(solution_source(name) for name in SOLUTION_CELLS))


@lru_cache(maxsize=8)
def compiled(sources):
    return [compile(source, f"<solution {name}>", "exec") for name, source in zip(SOLUTION_CELLS, sources)]


def solution_namespace():
    """A fresh namespace: the reference, with the notebook-2/3 objects that call notebook-1 functions run
    from the solution cells into it, so (as in a student's notebook) they look those functions up in it."""
    namespace = dict(NAMESPACE)
    for code in compiled_solutions():
        exec(code, namespace)
    return namespace
