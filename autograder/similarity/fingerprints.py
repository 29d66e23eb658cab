"""Winnowed fingerprints of code, by copydetect (MOSS's algorithm over Pygments tokens).

copydetect replaces every name by one letter and drops comments and blank space before hashing, so renamed
variables and changed comments still match. Boilerplate (the release's own code) is removed after
fingerprinting: copydetect's own boilerplate filter assumes a document never repeats a k-gram.
"""
import io
import multiprocessing
import os

import numpy as np
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import get_token_coverage

NOISE = 25      # k: characters of filtered code in one fingerprint; shorter matches are noise (copydetect's default)
GUARANTEE = 25  # any match this long is found: winnowing window = GUARANTEE - NOISE + 1 (1 keeps every k-gram)
PARALLEL_FROM = 500  # pieces of code; fewer are fingerprinted in this process


def fingerprint(code, boilerplate=frozenset()):
    """copydetect's CodeFingerprint of Python `code`, without the hashes in `boilerplate`."""
    fp = CodeFingerprint("cell.py", NOISE, GUARANTEE - NOISE + 1, fp=io.StringIO(code), language="python")
    given = fp.hashes & boilerplate
    if given:
        fp.hashes -= given
        for value in given:
            del fp.hash_idx[value]
        fp.token_coverage = get_token_coverage(fp.hash_idx, fp.k, len(fp.filtered_code))
    return fp


def boilerplate_hashes(codes):
    """The set of fingerprints of every piece of given code."""
    found = set()
    for code in codes:
        found |= fingerprint(code).hashes
    return frozenset(found)


_BOILERPLATE = frozenset()  # set in the parent before the pool forks


def _hashes(code):
    return np.fromiter(fingerprint(code, _BOILERPLATE).hashes, dtype=np.int64)


def hash_arrays(codes, boilerplate, workers=None, advance=lambda n: None):
    """[sorted int64 array of the fingerprints of each code] (boilerplate removed); identical texts are
    fingerprinted once. Forked workers share this process's string-hash seed, so their hashes agree."""
    global _BOILERPLATE
    _BOILERPLATE = boilerplate
    unique = list(dict.fromkeys(codes))
    workers = workers or min(4, os.cpu_count() or 1)
    found = {}
    if workers == 1 or len(unique) < PARALLEL_FROM:
        for code in unique:
            found[code] = _hashes(code)
            advance(1)
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for code, hashes in zip(unique, pool.imap(_hashes, unique, chunksize=32)):
                found[code] = hashes
                advance(1)
    advance(len(codes) - len(unique))
    return [np.sort(found[code]) for code in codes]


def matched_slices(code_a, code_b, boilerplate):
    """Where two pieces of code match, for highlighting: (slices of a, slices of b), each a 2 x M array of
    [start, end) character offsets into the raw code, and the share of each side's fingerprinted code matched."""
    fp_a, fp_b = fingerprint(code_a, boilerplate), fingerprint(code_b, boilerplate)
    _, shares, slices = compare_files(fp_a, fp_b)
    return slices, shares
