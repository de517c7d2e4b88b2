"""One-time passwords: generated strong, shown once, replaced by the user at their next login.

A one-time password is 18 characters from an alphabet without look-alikes (about 100 bits),
so it cannot be guessed from its hash however fast the hash is. It is stored with PBKDF2 at
few iterations (a roster of 1,400 is hashed in a second, not in the eight minutes Argon2
takes); the login upgrades it to Argon2 (Django rehashes a password whose hasher is not the
preferred one), and the user replaces it at once anyway (`must_change_password`).
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher

# No 0/O, 1/l/I, 5/S, 2/Z: read aloud or copied from paper without mistakes.
ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRTUVWXY346789"
GROUPS, GROUP_LENGTH = 3, 6
ONE_TIME_ITERATIONS = 1000


def one_time_password() -> str:
    """Return a fresh password like "k7Qm9x-Rt4bWe-3nPa8c", with lower, upper and digits."""
    while True:
        groups = ["".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)]
        password = "-".join(groups)
        kinds = (str.islower, str.isupper, str.isdigit)
        if all(any(kind(c) for c in password) for kind in kinds):
            return password


def one_time_hash(password: str) -> str:
    """The stored form of a one-time password (see the module docstring for why it is fast)."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt(), iterations=ONE_TIME_ITERATIONS)
