"""Who is asking, bound once per request so that every audit entry of the request knows it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

SYSTEM = "SYSTEM"
"""The actor role of changes no person asked for (event consumers, schedulers, commands)."""


@dataclass(frozen=True)
class Caller:
    """The person behind a request (None for an anonymous one) and where they came from."""

    user_id: uuid.UUID | None = None
    role: str | None = None
    client_address: str | None = None

    @property
    def actor_role(self) -> str:
        if self.role is not None:
            return self.role
        return "ANONYMOUS" if self.client_address is not None else SYSTEM


NOBODY = Caller()
_caller: ContextVar[Caller] = ContextVar("audit_caller", default=NOBODY)


def current() -> Caller:
    """The caller bound to this request, or the system (no request)."""
    return _caller.get()


def bind(caller: Caller) -> None:
    """Bind `caller` for the rest of this request's context."""
    _caller.set(caller)


@contextmanager
def acting_as(caller: Caller) -> Iterator[None]:
    """Bind `caller` for the duration of the block (commands, tests)."""
    token = _caller.set(caller)
    try:
        yield
    finally:
        _caller.reset(token)


def client_address(headers: Mapping[str, str], peer: str | None) -> str | None:
    """The last `X-Forwarded-For` entry (added by the router), else the peer address."""
    forwarded = [part.strip() for part in headers.get("x-forwarded-for", "").split(",")]
    address = next((part for part in reversed(forwarded) if part), None) or peer
    return address[:64] if address else None
