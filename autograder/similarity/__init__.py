"""The similarity stage: submitted notebooks (and folders of known solutions) in, a ranked report out.

Each graded object (solution cell) is compared on its own, with the release's content of the cell as
boilerplate; a pair's evidence sums the rarity-weighted share of matching code over objects. Read-only:
it writes exports/<assignment>/similarity.html and similarity.csv and never touches a grade.
"""
from .stage import similarity

__all__ = ["similarity"]
