"""Evidence of copying per pair, per graded object, from fingerprints and their rarity.

For one object, students x fingerprints is a sparse 0/1 matrix M; with the rarity weights w,
C = M diag(w) M^T holds, for every pair at once, the rarity-weighted count of fingerprints they share
(an inverted index multiplied out in C, so only pairs sharing a rare fingerprint cost anything).
A pair's share of an object is C / (each side's fingerprint count). The object counts when the weighted
match is at least MIN_MATCHED fingerprints (a one-liner such as np.maximum(0, x) never is), and its evidence
is the mean share of the two sides, scaled down for a match shorter than FULL_MATCH (two students may
write the same four short lines; twenty is another matter). A pair's evidence sums its objects'. Known
sources are compared the same way, on the student's share only.
"""
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .rarity import rarity

MIN_MATCHED = 20     # rarity-weighted fingerprints (about 20 characters of filtered code beyond NOISE)
FULL_MATCH = 60      # rarity-weighted fingerprints from which a match counts in full (about five statements)
MIN_EVIDENCE = 0.5   # a pair is reported from this much evidence: half of one object's code, rarely written so


@dataclass
class ObjectMatch:
    name: str
    share_a: float  # rarity-weighted share of side a's code for this object that b also has
    share_b: float  # the same for side b (for a known source: the share of the student's code, again)
    evidence: float
    matched: float  # rarity-weighted fingerprints in common


@dataclass
class Pair:
    a: str           # a student
    b: str           # a student, or a known source file
    known: bool      # b is a known source
    evidence: float
    objects: list = field(default_factory=list)  # [ObjectMatch], most evidence first


def incidence(hash_arrays, vocabulary):
    """Sparse rows x vocabulary 0/1 matrix of which fingerprints each row has (unknown ones dropped)."""
    lengths = np.array([len(h) for h in hash_arrays], dtype=np.int64)
    values = np.concatenate(hash_arrays) if len(hash_arrays) else np.array([], np.int64)
    columns = np.clip(np.searchsorted(vocabulary, values), 0, max(len(vocabulary) - 1, 0))
    rows = np.repeat(np.arange(len(hash_arrays)), lengths)
    known = (vocabulary[columns] == values) if len(vocabulary) else np.zeros(len(values), bool)
    return sparse.csr_matrix((np.ones(known.sum()), (rows[known], columns[known])),
                             shape=(len(hash_arrays), len(vocabulary)))


def object_evidence(students, known=()):
    """For one object: students = [fingerprint array per student] (empty if none), known = [fingerprint array
    per known source file] -> two arrays of rows (i, j, share_i, share_j, evidence, matched): student pairs
    i < j, and (student i, known source j) pairs."""
    vocabulary = np.unique(np.concatenate(students)) if students else np.array([], np.int64)
    m = incidence(students, vocabulary)
    attempted = sum(1 for h in students if len(h))  # the class, for this object: who wrote code for it
    weight = rarity(np.asarray(m.sum(axis=0)).ravel(), attempted)
    rare = np.flatnonzero(weight > 0)
    m_rare, w_rare = m[:, rare], weight[rare]
    size = np.array([max(len(h), 1) for h in students], dtype=float)
    weighted = m_rare.multiply(w_rare).tocsr()
    shared = sparse.triu(weighted @ m_rare.T, k=1).tocoo()
    keep = shared.data >= MIN_MATCHED
    i, j, c = shared.row[keep], shared.col[keep], shared.data[keep]
    share_i, share_j = np.minimum(c / size[i], 1), np.minimum(c / size[j], 1)
    pairs = np.column_stack([i, j, share_i, share_j, (share_i + share_j) / 2 * np.minimum(c / FULL_MATCH, 1), c])
    if not len(known):
        return pairs, np.zeros((0, 6))
    k_rare = incidence(list(known), vocabulary)[:, rare]
    against = (weighted @ k_rare.T).tocoo()
    keep = against.data >= MIN_MATCHED
    i, source, c = against.row[keep], against.col[keep], against.data[keep]
    share = np.minimum(c / size[i], 1)
    return pairs, np.column_stack([i, source, share, share, share * np.minimum(c / FULL_MATCH, 1), c])


def rank(per_object, students, sources, min_evidence=MIN_EVIDENCE):
    """per_object = {object name: (student-pair rows, known rows)} -> [Pair] with evidence >= min_evidence,
    most evidence first (ties: by name)."""
    found = {}
    for name, (pairs, known) in per_object.items():
        for rows, is_known in ((pairs, False), (known, True)):
            for i, j, share_i, share_j, evidence, matched in rows:
                key = (int(i), int(j), is_known)
                found.setdefault(key, []).append(ObjectMatch(name, float(share_i), float(share_j), float(evidence),
                                                             float(matched)))
    ranked = []
    for (i, j, is_known), matches in found.items():
        total = sum(m.evidence for m in matches)
        if total >= min_evidence:
            matches.sort(key=lambda m: -m.evidence)
            ranked.append(Pair(students[i], sources[j] if is_known else students[j], is_known, total, matches))
    return sorted(ranked, key=lambda p: (-p.evidence, p.a, p.b))
