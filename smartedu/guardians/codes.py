"""Link codes (家长绑定码): pure rules, no database.

8 characters of the class-code alphabet (no 0/O, 1/I/L): 31⁸ ≈ 8.5 × 10¹¹ codes. A code lives
``GUARDIANS_CODE_TTL_SECONDS`` (30 minutes by default), is used up by the link it makes, and only one is
live per child; attempts are rate-limited per parent and per client address. Guessing a live code is out
of reach (at most a few hundred guesses per address and window, against ~10¹¹ codes each one can be).
The database keeps a keyed digest (HMAC-SHA256 with the secret key), never the code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from smartedu.classes.codes import ALPHABET, code_normalise

LENGTH = 8


def link_code_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def link_code_normalise(raw: str) -> str:
    """What the parent typed, upper-cased, without spaces, dashes or underscores."""
    return code_normalise(raw)


def link_code_is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def link_code_digest(code: str) -> str:
    key = f"guardians.link-code:{settings.SECRET_KEY}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def link_code_display(code: str) -> str:
    """``ABCD2345`` → ``ABCD-2345`` (easier to read aloud)."""
    return f"{code[:4]}-{code[4:]}"
