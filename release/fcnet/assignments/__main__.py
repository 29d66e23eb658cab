"""`python -m assignments check NOTEBOOK`."""
import argparse
import sys

from .notebook_check import main

parser = argparse.ArgumentParser(prog="python -m assignments")
sub = parser.add_subparsers(dest="command", required=True)
sub.add_parser("check", help="run a notebook's self-checks; exit 0 only when all pass").add_argument("notebook")
args = parser.parse_args()
sys.exit(main(args.notebook))
