"""Refused attempts are audited: a root field that answers FORBIDDEN or NOT_FOUND records a
REFUSED entry (in a transaction of its own, the use case having changed nothing) before the
error goes back to the caller."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any, Final

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.utils.await_maybe import AwaitableOrValue

from . import capture

AUDITED_CODES: Final = frozenset({"FORBIDDEN", "NOT_FOUND"})
log = logging.getLogger(__name__)


def _code(error: BaseException) -> str | None:
    extensions = getattr(error, "extensions", None)
    code = extensions.get("code") if isinstance(extensions, dict) else None
    return code if isinstance(code, str) and code in AUDITED_CODES else None


def _subject(kwargs: dict[str, Any]) -> object:
    if kwargs.get("id") is not None:
        return kwargs["id"]
    given = kwargs.get("input")
    return getattr(given, "id", None)


class AuditRefusals(SchemaExtension):
    """Schema extension: audit refusals of root fields (other fields pass straight through)."""

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        *args: str,
        **kwargs: Any,
    ) -> AwaitableOrValue[object]:
        if info.path.prev is not None:
            passed: object = _next(root, info, *args, **kwargs)
            return passed
        try:
            result: object = _next(root, info, *args, **kwargs)
        except Exception as error:
            if _code(error) is None:
                raise
            return self._refused(error, info, kwargs)
        if inspect.isawaitable(result):
            return self._awaited(result, info, kwargs)
        return result

    async def _awaited(self, result: Any, info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> Any:
        try:
            return await result
        except Exception as error:
            if _code(error) is None:
                raise
            return await self._refused(error, info, kwargs)

    async def _refused(
        self, error: Exception, info: GraphQLResolveInfo, kwargs: dict[str, Any]
    ) -> Any:
        resources = info.context.resources
        action = f"{info.operation.operation.value.capitalize()}.{info.field_name}"
        try:
            await capture.refusal(
                resources.database,
                component=resources.component,
                action=action,
                code=str(_code(error)),
                subject_id=_subject(kwargs),
            )
        except Exception:
            log.exception("could not audit a refusal", extra={"action": action})
        raise error
