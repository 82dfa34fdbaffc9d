"""ASGI middleware every server shares: request ids, trace context, JSON access logs and the
router signature check on `/graphql`.

The signature check fails closed: a request whose nonce cannot be checked (the replay cache
unreachable, Redis cut or reconnecting) is never let through. It is answered as any other
outage is, 503 with a `SERVICE_UNAVAILABLE` GraphQL error the router hands on to the client
(a WebSocket upgrade closes with 1013, try again later), not with a 500 the router can only
call `SUBREQUEST_HTTP_ERROR`."""

from __future__ import annotations

import logging
import time
import uuid

from opentelemetry import context as otel_context
from opentelemetry import trace
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from subgraphs.shared import signing, telemetry
from subgraphs.shared.errors import OUTAGE_MESSAGE, ServiceUnavailable, is_outage
from subgraphs.shared.logs import request_id_var

log = logging.getLogger("healthbook.access")
signature_log = logging.getLogger("healthbook.signature")


class RequestContext:
    """Gives each request an id (kept from `X-Request-ID` when sane), continues the caller's
    trace, and writes one access log line."""

    def __init__(self, app: ASGIApp, *, component: str) -> None:
        self.app = app
        self.tracer = telemetry.tracer(f"healthbook.{component}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given = headers.get("x-request-id", "")
        request_id = given if 0 < len(given) <= 64 and given.isascii() else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        parent = telemetry.extract(headers)
        attach = otel_context.attach(parent)
        status = 0
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        path = scope.get("path", "")
        try:
            with self.tracer.start_as_current_span(
                f"{scope.get('method', 'WS')} {path}", kind=trace.SpanKind.SERVER
            ):
                await self.app(scope, receive, send_with_id)
        finally:
            if not path.startswith(("/health", "/metrics")):
                log.info(
                    "request",
                    extra={
                        "method": scope.get("method", "WEBSOCKET"),
                        "path": path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            otel_context.detach(attach)
            request_id_var.reset(token)


class RequireSignature:
    """Refuses `/graphql` requests not signed by the router with the shared key."""

    def __init__(
        self, app: ASGIApp, *, key: str, nonces: signing.NonceLedger, path: str = "/graphql"
    ) -> None:
        self.app = app
        self.key = key
        self.nonces = nonces
        self.path = path

    async def _valid(self, header: str | None, signed_part: bytes, headers: Headers) -> bool:
        """A valid signature of this request whose nonce was not used before (no replay);
        `ServiceUnavailable` when the nonce cannot be checked (never accepted unchecked)."""
        if not signing.verify(header, signed_part, key=self.key, path=self.path, headers=headers):
            return False
        nonce = signing.nonce_of(header)
        if nonce is None:
            return False
        try:
            return await self.nonces.first_use(nonce)
        except Exception as error:
            if not is_outage(error):
                raise
            signature_log.warning(
                "signature nonce not checked, request refused: the replay cache is unreachable",
                extra={"error": type(error).__name__},
            )
            raise ServiceUnavailable(OUTAGE_MESSAGE) from error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope.get("path") != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        header = headers.get(signing.SIGNATURE_HEADER)
        if scope["type"] == "websocket":
            try:
                valid = await self._valid(header, b"", headers)
            except ServiceUnavailable:
                await send({"type": "websocket.close", "code": 1013, "reason": "unavailable"})
                return
            if not valid:
                await send({"type": "websocket.close", "code": 4403, "reason": "unsigned"})
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        signed_part = body if scope.get("method") != "GET" else scope.get("query_string", b"")
        try:
            valid = await self._valid(header, signed_part, headers)
        except ServiceUnavailable as outage:
            await _refusal(503, outage.message, outage.code, retry_after=True)(scope, receive, send)
            return
        if not valid:
            await _refusal(403, "Requests must come through the router.", "FORBIDDEN")(
                scope, receive, send
            )
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _refusal(status: int, message: str, code: str, *, retry_after: bool = False) -> JSONResponse:
    """A GraphQL error answer the router hands on to the client as it is (its code kept)."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"retry-after": "1"} if retry_after else None,
    )
