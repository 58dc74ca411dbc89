"""Fictitious but valid BSNs for demo data and tests (they pass the eleven-check)."""

import random


def fake_bsn(rng: random.Random) -> str:
    """A random 9-digit number passing the eleven-check, never ``000000000``, first digit not 0."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum((9 - i) * d for i, d in enumerate(digits))
        check = total % 11
        if check < 10:
            return "".join(map(str, [*digits, check]))
