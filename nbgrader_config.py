# A backprop-lab course folder: stock nbgrader commands here grade as `backprop-lab` does.
from pathlib import Path

from autograder.course.settings import nbgrader_config

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)
c.merge(nbgrader_config(Path(__file__).parent))
