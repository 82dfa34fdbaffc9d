"""Domain errors with stable GraphQL error codes, and the masking of everything else.

Domain code raises a :class:`DomainError` subclass; graphql-core copies its `extensions`
into the GraphQL error, so clients see `extensions.code`. Any other exception is masked
as `INTERNAL_SERVER_ERROR` with no detail (it is logged with its trace, without secrets),
except a dependency that could not be reached (the database cut, a connection reset):
that is `SERVICE_UNAVAILABLE`, which a client may retry, not a bug in the request.
"""

from __future__ import annotations

from typing import Any, ClassVar

from graphql import GraphQLError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from strawberry.extensions import MaskErrors

OUTAGE_MESSAGE = "A service this request needs is unavailable right now; retry."


class DomainError(Exception):
    """A refusal the client can act on: a stable `code`, a plain message, optional details."""

    code: ClassVar[str] = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, **self.details}


class BadUserInput(DomainError):
    code = "BAD_USER_INPUT"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Authentication is required.", **details: Any) -> None:
        super().__init__(message, **details)


class Forbidden(DomainError):
    code = "FORBIDDEN"

    def __init__(self, message: str = "You are not allowed to do this.", **details: Any) -> None:
        super().__init__(message, **details)


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"


class ServiceUnavailable(DomainError):
    code = "SERVICE_UNAVAILABLE"


def is_expected(error: GraphQLError) -> bool:
    """Errors the client caused or may act on: syntax, validation, variables, domain refusals."""
    original = error.original_error
    if original is None:
        return True
    return isinstance(original, DomainError | GraphQLError)


def is_outage(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) says a dependency could not be reached: a
    refused or reset connection, a timeout, a database connection that dropped."""
    for _ in range(10):  # the cause chain, bounded
        if error is None:
            return False
        if isinstance(error, OSError | TimeoutError | RedisConnectionError | RedisTimeoutError):
            return True  # (the built-in ConnectionError is an OSError)
        if isinstance(error, DBAPIError) and (
            error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
        ):
            return True
        error = error.__cause__ or error.__context__
    return False


class MaskUnexpectedErrors(MaskErrors):
    """Hide unexpected errors behind `INTERNAL_SERVER_ERROR`; keep domain refusals as they are."""

    def __init__(self) -> None:
        super().__init__(
            should_mask_error=lambda error: not is_expected(error),
            error_message="Internal server error.",
        )

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            # No path: the request itself was refused (syntax, validation, a variable that
            # does not coerce), which is the client's doing.
            if error.path is None and not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
        return processed

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if is_outage(error.original_error):
            return GraphQLError(
                message=OUTAGE_MESSAGE,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                original_error=None,
                extensions={"code": "SERVICE_UNAVAILABLE"},
            )
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked
