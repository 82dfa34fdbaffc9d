"""A local HTTP server speaking the Twilio Messages API shape, for the SMS adapter's tests.

with FakeSmsProvider(account_sid="AC1", auth_token="secret") as provider:
    ... provider.url, provider.messages, provider.fail_next(3, status=503) ...
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from types import TracebackType
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.proxy import free_port


class FakeSmsProvider:
    """POST /2010-04-01/Accounts/{sid}/Messages.json with Basic auth → 201 {"sid": ...}."""

    def __init__(self, *, account_sid: str = "AC_TEST", auth_token: str = "token") -> None:  # noqa: S107
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.messages: list[dict[str, str]] = []
        self.requests = 0
        self._failures = 0
        self._failure_status = 503
        self._lock = threading.Lock()
        app = Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{sid}/Messages.json", self._create, methods=["POST"])
            ]
        )
        self._server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
            )
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def fail_next(self, count: int, *, status: int = 503) -> None:
        """Answer the next `count` requests with `status` (count < 0: fail forever)."""
        with self._lock:
            self._failures, self._failure_status = count, status

    async def _create(self, request: Request) -> JSONResponse:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse({"code": 20003, "message": "Authenticate"}, status_code=401)
        if request.path_params["sid"] != self.account_sid:
            return JSONResponse({"code": 20404, "message": "Not found"}, status_code=404)
        with self._lock:
            self.requests += 1
            if self._failures != 0:
                self._failures -= 1 if self._failures > 0 else 0
                return JSONResponse({"message": "unavailable"}, status_code=self._failure_status)
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        sid = f"SM{uuid.uuid4().hex}"
        with self._lock:
            self.messages.append({"sid": sid, **form})
        return JSONResponse(
            {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")},
            status_code=201,
        )

    def __enter__(self) -> FakeSmsProvider:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake SMS provider did not start")
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
