"""Similarity: takes submitted notebooks (and folders of known solutions), compares each graded object's
code pair by pair with the release's code as boilerplate, and gives exports/<assignment>/similarity.html and
similarity.csv, pairs ranked by rarity-weighted evidence of copying. Reads only; never touches a grade."""
from .stage import similarity

__all__ = ["similarity"]
