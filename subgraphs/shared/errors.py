"""Domain errors with stable GraphQL error codes, and the masking of everything else.

Domain code raises a :class:`DomainError` subclass; graphql-core copies its `extensions`
into the GraphQL error, so clients see `extensions.code`. Any other exception is masked
as `INTERNAL_SERVER_ERROR` with no detail (it is logged with its trace, without secrets).
"""

from __future__ import annotations

from typing import Any, ClassVar

from graphql import GraphQLError
from strawberry.extensions import MaskErrors


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
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked
