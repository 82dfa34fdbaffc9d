"""A dependency that cannot be reached answers SERVICE_UNAVAILABLE (retry), not
INTERNAL_SERVER_ERROR: issue 15's database cut answered 88 bookings with the latter."""

from __future__ import annotations

import pytest
import strawberry
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import IntegrityError, OperationalError

from subgraphs.shared.errors import MaskUnexpectedErrors, is_outage

FAILURES: dict[str, Exception] = {}


@strawberry.type
class Query:
    @strawberry.field
    def fails(self, kind: str) -> str:
        raise FAILURES[kind]


SCHEMA = strawberry.Schema(query=Query, extensions=[MaskUnexpectedErrors])


def _wrapped_reset() -> Exception:
    try:
        try:
            raise ConnectionResetError("connection reset by peer")
        except ConnectionResetError as error:
            raise RuntimeError("while reading the appointment") from error
    except RuntimeError as outer:
        return outer


FAILURES.update(
    {
        "refused": ConnectionRefusedError("connection refused"),
        "redis": RedisConnectionError("Error 111 connecting to 127.0.0.1:6379"),
        "database": OperationalError("SELECT 1", {}, ConnectionResetError("reset")),
        "wrapped": _wrapped_reset(),
        "bug": ValueError("a bug"),
        "duplicate": IntegrityError("INSERT", {}, Exception("duplicate key")),
    }
)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("refused", "SERVICE_UNAVAILABLE"),
        ("redis", "SERVICE_UNAVAILABLE"),
        ("database", "SERVICE_UNAVAILABLE"),
        ("wrapped", "SERVICE_UNAVAILABLE"),
        ("bug", "INTERNAL_SERVER_ERROR"),
        ("duplicate", "INTERNAL_SERVER_ERROR"),
    ],
)
async def test_an_unreachable_dependency_is_service_unavailable_anything_else_internal(
    kind: str, code: str
) -> None:
    result = await SCHEMA.execute(f'{{ fails(kind: "{kind}") }}')
    assert result.errors is not None
    error = result.errors[0]
    assert error.extensions == {"code": code}
    assert "reset" not in error.message  # nothing of the cause leaks
    assert "bug" not in error.message


def test_the_cause_chain_is_followed_but_bounded() -> None:
    looped = RuntimeError("a")
    looped.__cause__ = looped
    assert not is_outage(looped)
    assert is_outage(TimeoutError())
    assert not is_outage(None)
