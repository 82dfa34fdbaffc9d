"""argon2id password hashing and the common-password list shipped with the package.

Parameters come from configuration (at least m=19 MiB, t=2, p=1); a hash made with other
parameters is re-made at the next successful login. Tests use a cheap profile.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

DEFAULT = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
CHEAP_FOR_TESTS = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)


def hasher(*, time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    """An argon2id hasher with these parameters."""
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
    )


def hash_password(password: str, hasher: PasswordHasher = DEFAULT) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str, password: str, hasher: PasswordHasher = DEFAULT) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, hasher: PasswordHasher = DEFAULT) -> bool:
    try:
        return hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower-case)."""
    text = (
        resources.files("subgraphs.identity.credentials")
        .joinpath("common_passwords.txt")
        .read_text()
    )
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def is_common(password: str) -> bool:
    return password.lower() in common_passwords()
