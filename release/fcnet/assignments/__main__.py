"""`python -m assignments check NOTEBOOK`."""
import argparse
import importlib.util
import sys

NEEDED = ("nbformat", "nbclient", "ipykernel", "numpy", "matplotlib")  # to run a notebook and its self-checks


def missing_modules():
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


parser = argparse.ArgumentParser(prog="python -m assignments")
sub = parser.add_subparsers(dest="command", required=True)
sub.add_parser("check", help="run a notebook's self-checks; exit 0 only when all pass").add_argument("notebook")
args = parser.parse_args()
missing = missing_modules()
if missing:
    print(f"This Python ({sys.executable}) does not have {', '.join(missing)}, which the check needs.\n"
          "Run it with the Python you installed requirements.txt into: activate that environment first\n"
          "(`. .venv/bin/activate`, or `.venv\\Scripts\\activate` on Windows), or install them here with\n"
          f"    {sys.executable} -m pip install -r requirements.txt")
    sys.exit(2)

from .notebook_check import main  # noqa: E402  (after the check above, which needs none of these)

sys.exit(main(args.notebook))
