"""Password hashing with Argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Check ``password`` against ``stored``; a missing hash still costs one verification."""
    try:
        if stored is None:
            # Spend the same time as a real check, so timing does not reveal
            # whether an account exists.
            _hasher().verify(_dummy_hash(), password)
            return False
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-just-for-timing")


def needs_rehash(stored: str) -> bool:
    """True when the stored hash uses outdated parameters."""
    return _hasher().check_needs_rehash(stored)
