# The repository root is the nbgrader course directory; the settings live in autograder/settings.py.
from pathlib import Path

from autograder.settings import nbgrader_config

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)
c.merge(nbgrader_config(Path(__file__).parent))
