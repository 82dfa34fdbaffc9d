"""A request refused at the edge: an HTTP status, a stable error code and a message."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.responses import Response

__all__ = ["Refusal", "error_body"]


def error_body(message: str, code: str) -> dict[str, object]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


class Refusal(Exception):
    """Raised by an edge rule; `response()` is what the client gets."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> dict[str, object]:
        return error_body(self.message, self.code)

    def response(self) -> Response:
        return Response(
            orjson.dumps(self.body()),
            self.status,
            headers=self.headers,
            media_type="application/json",
        )
