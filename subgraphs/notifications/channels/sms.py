"""SMS: a provider interface, Twilio's Messages REST API, and a local sink for the embedded mode."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx
import orjson

from subgraphs.notifications.channels.errors import PermanentDeliveryError
from subgraphs.shared.private_files import private_file


class SmsProvider(Protocol):
    async def send(self, *, to: str, body: str, reference: str) -> str:
        """Send `body` to the E.164 number `to`; returns the provider's message id."""
        ...


class TwilioSms:
    """`POST {api}/2010-04-01/Accounts/{sid}/Messages.json` (form, Basic auth) → `sid`."""

    def __init__(
        self,
        *,
        api_url: str,
        account_sid: str,
        auth_token: str,
        sender: str,
        timeout_seconds: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._auth = httpx.BasicAuth(account_sid, auth_token)
        self._sender = sender
        self._timeout = timeout_seconds
        self._transport = transport

    async def send(self, *, to: str, body: str, reference: str) -> str:
        async with httpx.AsyncClient(
            timeout=self._timeout, transport=self._transport, auth=self._auth
        ) as client:
            response = await client.post(
                self._url,
                data={"To": to, "From": self._sender, "Body": body},
                headers={"I-Twilio-Idempotency-Token": reference},
            )
        if response.status_code in (400, 401, 403, 404):
            raise PermanentDeliveryError(
                f"SMS provider refused the message: {response.status_code}"
            )
        response.raise_for_status()
        sid = response.json().get("sid")
        if not isinstance(sid, str) or not sid:
            raise RuntimeError("SMS provider answered without a message sid")
        return sid


class SinkSms:
    """Appends each SMS as one JSON line to a file (the embedded mode's stand-in provider)."""

    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, *, to: str, body: str, reference: str) -> str:
        sid = f"SM{uuid.uuid4().hex}"
        line = orjson.dumps(
            {
                "sid": sid,
                "to": to,
                "body": body,
                "reference": reference,
                "at": datetime.now(UTC).isoformat(),
            }
        )
        await asyncio.to_thread(self._append, line)
        return sid

    def _append(self, line: bytes) -> None:
        with self._lock, private_file(self.path).open("ab") as file:
            file.write(line + b"\n")

    def messages(self) -> list[dict[str, str]]:
        """Everything sent so far (for the embedded mode and tests)."""
        if not self.path.exists():
            return []
        return [orjson.loads(line) for line in self.path.read_bytes().splitlines() if line]
