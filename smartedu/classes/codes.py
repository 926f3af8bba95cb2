"""Join codes (班级码): pure rules, no database.

A code is 7 characters from an alphabet without the look-alikes 0/O, 1/I/L, so that a code read aloud
or copied from a blackboard is typed right. Users may type it in lower case, with spaces or dashes.
31 ** 7 ≈ 2.75 × 10¹⁰ codes; with joins rate-limited per user and per address (``ratelimit.py``) guessing
one is out of reach.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7
MIN_LENGTH = 6
MAX_LENGTH = 8

_SEPARATORS = re.compile(r"[\s\-_]+")


def code_generate() -> str:
    """A fresh random code (uniqueness is the database's job)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_normalise(raw: str) -> str:
    """What the user typed, upper-cased, without spaces, dashes or underscores."""
    return _SEPARATORS.sub("", raw).upper()


def code_is_well_formed(code: str) -> bool:
    """6–8 characters of the alphabet (after ``code_normalise``)."""
    return MIN_LENGTH <= len(code) <= MAX_LENGTH and all(c in ALPHABET for c in code)
