"""Password hashing with Argon2id (argon2-cffi's recommended parameters), and the policy.

The policy follows NIST SP 800-63B section 5.1.1.2: a minimum length, no composition
rules, and a check against lists of commonly used and easily guessed passwords. The
lists and the guessability estimate come from zxcvbn (Dropbox's estimator, the
maintained Python port), which also penalises repeats, sequences, keyboard walks and
words taken from the account's own name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.matching import RANKED_DICTIONARIES

from ketenzicht.config import get_settings
from ketenzicht.core.i18n import N_

MIN_LENGTH = 12
# zxcvbn's 0-4 scale; 3 is "safely unguessable: moderate protection from an offline
# slow-hash scenario" (about 10^8 guesses), the level its authors advise for accounts.
MIN_SCORE = 3
TOO_COMMON = N_("This password is on a list of commonly used passwords. Choose another.")
TOO_WEAK = N_("This password is too easy to guess (repeats, sequences, common words or your "
              "own name). Use a longer phrase of unrelated words.")


def weakness(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why ``password`` is refused (an English msgid), or None when it may be used.

    The length is checked by the schemas; this adds the common-password list and the
    guessability estimate. ``user_inputs`` (username, display name) count as known words.
    """
    if password.lower() in RANKED_DICTIONARIES["passwords"]:
        return TOO_COMMON
    # zxcvbn's matching is quadratic in the length; past 100 characters the first 100
    # decide (a longer passphrase only gets stronger).
    result = zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])
    if int(result["score"]) < MIN_SCORE:
        return TOO_WEAK
    return None


# At most ``KZ_PASSWORD_HASH_CONCURRENCY`` (2) argon2 computations at once per process.
# Each takes 64 MiB and about a core for tens of milliseconds; the thread pool has 40
# threads, and a burst of logins for unknown names (each hashed, so that timing does not
# tell whether the account exists) would otherwise put 40 on 2 cores at once and starve
# every page. Read once per process, when the first password is hashed.
@lru_cache(maxsize=1)
def _hashing() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(get_settings().password_hash_concurrency)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    with _hashing():
        return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Check ``password`` against ``stored``; a missing hash still costs one verification."""
    try:
        if stored is None:
            # Spend the same time as a real check, so timing does not reveal
            # whether an account exists.
            dummy = _dummy_hash()
            with _hashing():
                _hasher().verify(dummy, password)
            return False
        with _hashing():
            return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-just-for-timing")


def needs_rehash(stored: str) -> bool:
    """True when the stored hash uses outdated parameters."""
    return _hasher().check_needs_rehash(stored)
