"""How many held-out mistakes (tests/heldout_mistakes.py) get a message naming them, over a few seeds.

Prints one line per mistake and seed that is not named (with the message it got) and the fraction named.
Run it from any checkout to compare (e.g. the main branch before a change, with this file and the held-out
module copied in). Asserts nothing.
Usage: python benchmarks/hint_rate.py [seed ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from heldout_mistakes import HELD_OUT  # noqa: E402


def main(seeds):
    named = total = 0
    for entry in HELD_OUT:
        for seed in seeds:
            judgement = entry.judgement(seed)
            hit = judgement.passed < judgement.total and entry.wanted() in judgement.message
            named, total = named + hit, total + 1
            if not hit:
                print(f"not named: {entry.task} / {entry.label} (seed {seed}): {judgement.passed}/{judgement.total} "
                      f"{judgement.message}")
    print(f"named {named} of {total} ({named / total:.0%}) held-out mistakes x seeds")


if __name__ == "__main__":
    main([int(seed) for seed in sys.argv[1:]] or [424242, 7, 20261129])
