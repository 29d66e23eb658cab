"""The hidden reference implementation, one module per notebook topic."""
from . import deep, layers, two_layer

NAMESPACE = {name: value for module in (layers, two_layer, deep) for name, value in vars(module).items()
             if not name.startswith("_")}
