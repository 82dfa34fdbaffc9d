"""A local webhook receiver that checks Standard Webhooks signatures the way the spec says.

with WebhookReceiver() as receiver:
    receiver.secret = "whsec_..."; receiver.fail_next(2, status=503)
    receiver.stall_next(1, seconds=2)  # answer late: the sender's timeout
    ... receiver.url, receiver.received (each: headers, body, verified) ...

A test that only a browser sees the secret of (the admin page shows it once) hands it over
with `PUT <receiver.secret_url>` and the secret as the body.

The check is written from the specification, independently of the sender's code: the key is
the base64 after `whsec_`, the signed content `<webhook-id>.<webhook-timestamp>.<body>`, the
header a space-separated list of `v1,<base64 HMAC-SHA256>`, the timestamp within 5 minutes.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.proxy import free_port

TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Standard Webhooks symmetric verification of one request."""
    message_id = headers.get("webhook-id")
    stamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (message_id and stamp and signatures and secret.startswith("whsec_")):
        return False
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{stamp}.".encode() + body
    expected = hmac.new(key, signed, hashlib.sha256).digest()
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(value), expected):
            return True
    return False


class WebhookReceiver:
    """POST / → 204 when the signature holds (401 otherwise), or the failure asked for."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.secret_url = f"http://127.0.0.1:{self.port}/secret"
        self.secret = ""
        self.received: list[Received] = []
        self._failures = 0
        self._status = 503
        self._stalls = 0
        self._stall_seconds = 0.0
        self._lock = threading.Lock()
        app = Starlette(
            routes=[
                Route("/hook", self._receive, methods=["POST"]),
                Route("/secret", self._take_secret, methods=["PUT"]),
            ]
        )
        self._server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
            )
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def fail_next(self, count: int, *, status: int = 503) -> None:
        """Answer the next `count` requests with `status` (count < 0: fail until told)."""
        with self._lock:
            self._failures, self._status = count, status

    def stall_next(self, count: int, *, seconds: float) -> None:
        """Wait `seconds` before answering each of the next `count` requests."""
        with self._lock:
            self._stalls, self._stall_seconds = count, seconds

    def bodies(self) -> list[Any]:
        return [orjson.loads(item.body) for item in self.received]

    async def _take_secret(self, request: Request) -> Response:
        secret = (await request.body()).decode().strip()
        if not secret.startswith("whsec_"):
            return Response(status_code=400)
        with self._lock:
            self.secret = secret
        return Response(status_code=204)

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        with self._lock:
            stall = self._stall_seconds if self._stalls > 0 else 0.0
            self._stalls = max(0, self._stalls - 1)
        if stall:
            await asyncio.sleep(stall)
        verified = verify(self.secret, headers, body)
        with self._lock:
            self.received.append(Received(headers=headers, body=body, verified=verified))
            if self._failures != 0:
                self._failures -= 1 if self._failures > 0 else 0
                return Response(status_code=self._status)
        return Response(status_code=204 if verified else 401)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the webhook receiver did not start")
            time.sleep(0.01)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(10)
