"""The hidden reference implementation, one module per notebook topic."""
from . import layers

NAMESPACE = {name: value for name, value in vars(layers).items() if not name.startswith("_")}
