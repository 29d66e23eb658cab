"""How many held-out mistakes get a message naming them, over a few seeds, on both held-out sets
(tests/heldout_mistakes.py, and tests/heldout_mistakes_2.py written for issue 17), and whether any correct
variant (tests/correct_variants.py) gets a hint it should not.

Prints one line per mistake and seed that is not named (with the message it got), the fraction named per
set, and the correct variants that got a hint. Run it from any checkout to compare (e.g. the main branch
before a change, with this file and the held-out modules copied in). Asserts nothing.
Usage: python benchmarks/hint_rate.py [seed ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from heldout_mistakes import HELD_OUT  # noqa: E402
from heldout_mistakes_2 import HELD_OUT_2  # noqa: E402


def wanted(entry):
    words = entry.wanted()
    return (words,) if isinstance(words, str) else words


def rate(entries, seeds, label):
    named = total = 0
    for entry in entries:
        for seed in seeds:
            judgement = entry.judgement(seed)
            hit = judgement.passed < judgement.total and all(word in judgement.message for word in wanted(entry))
            named, total = named + hit, total + 1
            if not hit:
                print(f"not named: {entry.task} / {entry.label} (seed {seed}, wants {wanted(entry)}): "
                      f"{judgement.passed}/{judgement.total} {judgement.message}")
    print(f"{label}: named {named} of {total} ({named / total:.0%}) held-out mistakes x seeds")
    return named, total


def false_hints(seeds):
    """Correct variants whose message carries a hint (they should pass, and say nothing of a mistake)."""
    from correct_variants import VARIANTS
    from test_tolerances import graded, planted
    found = total = 0
    for name, variants in VARIANTS.items():
        for variant in variants:
            namespace = planted(name, variant)
            for seed in seeds:
                judgement = graded(name, namespace, seed)
                total += 1
                if "Hint" in judgement.message or judgement.passed < judgement.total:
                    found += 1
                    print(f"false hint: {name} / {variant.__name__} (seed {seed}): {judgement.message}")
    print(f"correct variants with a hint or a lost point: {found} of {total} variants x seeds")
    return found


def main(seeds):
    rate(HELD_OUT, seeds, "held-out set 1")
    rate(HELD_OUT_2, seeds, "held-out set 2 (issue 17)")
    false_hints(seeds)


if __name__ == "__main__":
    main([int(seed) for seed in sys.argv[1:]] or [424242, 7, 20261129])
