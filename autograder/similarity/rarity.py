"""How unusual a fingerprint is in the class: code most students share is common knowledge, not copying."""
import numpy as np

COMMON_SHARE = 0.5  # a fingerprint found in more than this share of the class weighs nothing


def rarity(doc_freq, class_size):
    """Weight in [0, 1] of fingerprints found in doc_freq (array) of the class_size students who wrote code for
    the object.

    1 when at most two students have it (one pair, or a student and a known source); then falling as the
    square of log(class_size / doc_freq) / log(class_size / 2), to 0 for a fingerprint in most of the class.
    Squared, so that lines a sixth of the class shares (one hint, one tutorial) weigh little (0.08 in a class
    of 1,000, 0.2 in a class of 100) while a copy passed round ten students of 1,000 still weighs 0.55.
    """
    doc_freq = np.asarray(doc_freq, dtype=float)
    if class_size <= 2:
        return np.ones_like(doc_freq)
    weight = (np.log(class_size / np.maximum(doc_freq, 2)) / np.log(class_size / 2)) ** 2
    weight[(doc_freq > COMMON_SHARE * class_size) & (doc_freq > 2)] = 0.0
    return np.clip(weight, 0.0, 1.0)
