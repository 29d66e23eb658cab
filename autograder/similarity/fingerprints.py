"""Winnowed fingerprints of code, by copydetect (MOSS's algorithm over Pygments tokens).

copydetect replaces every name by one letter and drops comments and blank space before hashing, so renamed
variables and changed comments still match. Boilerplate is removed after fingerprinting, two ways: any
fingerprint of the release's code, and any fingerprint that touches the release's own lines of the cell
(a k-gram running from the given docstring into the student's first line is not the student's).
copydetect's own boilerplate filter is not used: it assumes a document never repeats a k-gram.
"""
import functools
import io
import multiprocessing
import os

import numpy as np
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import get_token_coverage

NOISE = 25      # k: characters of filtered code in one fingerprint; shorter matches are noise (copydetect's default)
GUARANTEE = 25  # any match this long is found: winnowing window = GUARANTEE - NOISE + 1 (1 keeps every k-gram)
PARALLEL_FROM = 500  # pieces of code; fewer are fingerprinted in this process


def fingerprint(code, boilerplate=frozenset(), given=()):
    """copydetect's CodeFingerprint of Python `code`, without the hashes in `boilerplate` and without the
    occurrences that touch a `given` (start, end) character span of the code."""
    fp = CodeFingerprint("cell.py", NOISE, GUARANTEE - NOISE + 1, fp=io.StringIO(code), language="python")
    drop = fp.hashes & boilerplate
    if given and fp.hash_idx:
        values = np.concatenate([[value] * len(where) for value, where in fp.hash_idx.items()])
        positions = np.concatenate(list(fp.hash_idx.values()))
        starts, ends = raw_spans(fp, positions)
        spans = np.asarray(given)
        touched = ((starts[:, None] < spans[None, :, 1]) & (spans[None, :, 0] < ends[:, None])).any(axis=1)
        gone = {}
        for value, position in zip(values[touched].tolist(), positions[touched].tolist()):
            gone.setdefault(value, set()).add(position)
        for value, positions_gone in gone.items():
            kept = [i for i in fp.hash_idx[value] if i not in positions_gone]
            if kept:
                fp.hash_idx[value] = kept
            else:
                drop.add(value)
    fp.hashes -= drop
    for value in drop:
        del fp.hash_idx[value]
    if drop or given:
        fp.token_coverage = get_token_coverage(fp.hash_idx, fp.k, len(fp.filtered_code))
    return fp


def raw_spans(fp, positions):
    """The raw-code (starts, ends) of k-grams starting at these filtered-code positions (copydetect's mapping)."""
    positions = np.asarray(positions)
    if not len(fp.offsets):
        return positions, positions + fp.k
    table = fp.offsets

    def raw(p):
        return p + table[:, 1][np.clip(np.searchsorted(table[:, 0], p), 0, len(table) - 1)]
    return raw(positions), raw(positions + fp.k)


def boilerplate_hashes(codes):
    """The set of fingerprints of every piece of given code."""
    found = set()
    for code in codes:
        found |= fingerprint(code).hashes
    return frozenset(found)


_BOILERPLATE = frozenset()  # set in the parent before the pool forks


def _hashes(piece):
    """The fingerprints of one (code, given spans) as an int64 array; None if the code cannot be tokenized."""
    code, given = piece
    try:
        return np.fromiter(fingerprint(code, _BOILERPLATE, given).hashes, dtype=np.int64)
    except Exception:  # noqa: BLE001 (one odd cell must not stop the class; the caller reports it)
        return None


def hash_arrays(codes, boilerplate, workers=None, advance=lambda n: None):
    """codes = [(code, given spans)] -> [sorted int64 array of the fingerprints of each code] (boilerplate
    removed; None for code that could not be fingerprinted); identical pieces are fingerprinted once.
    Forked workers share this process's string-hash seed, so their hashes agree."""
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
    return [None if found[code] is None else np.sort(found[code]) for code in codes]


@functools.lru_cache(maxsize=4096)
def remembered(code, boilerplate, given):
    """fingerprint(), kept: a student in several reported pairs is fingerprinted once for the report."""
    return fingerprint(code, boilerplate, given)


def matched_slices(a, b, boilerplate):
    """Where two pieces (code, given spans) match, for highlighting: (slices of a, slices of b), each a 2 x M
    array of [start, end) character offsets into the raw code, and the share of each side's code matched."""
    fp_a, fp_b = remembered(a[0], boilerplate, a[1]), remembered(b[0], boilerplate, b[1])
    _, shares, slices = compare_files(fp_a, fp_b)
    return slices, shares
