"""The hidden reference implementation, one module per notebook topic."""
from functools import lru_cache

from . import deep, layers, two_layer

NAMESPACE = {name: value for module in (layers, two_layer, deep) for name, value in vars(module).items()
             if not name.startswith("_")}

# the objects of notebooks 2-3 that call notebook-1 functions, as the instructor's solution cells
SOLUTION_CELLS = ("TwoLayerNet", "Affine", "Relu", "SoftmaxWithLoss", "LayerNet", "FullyConnectedNet")


@lru_cache(maxsize=None)
def compiled_solutions():
    from ..solutions import solution_source
    return [compile(solution_source(name), f"<solution {name}>", "exec") for name in SOLUTION_CELLS]


def solution_namespace():
    """A fresh namespace: the reference, with the notebook-2/3 objects that call notebook-1 functions run
    from the solution cells into it, so (as in a student's notebook) they look those functions up in it."""
    namespace = dict(NAMESPACE)
    for code in compiled_solutions():
        exec(code, namespace)
    return namespace
