"""A local SMTP server that keeps what it receives: the embedded mode's and the tests' mailbox.

    sink = SmtpSink(port=1025, mbox=data_dir / "mail.mbox").start()
    ... sink.messages ...   # email.message.EmailMessage objects, in arrival order
    sink.stop()

`reject_next(n)` makes the next n deliveries fail with a transient `451` (failure drills).
"""

from __future__ import annotations

import email.policy
import mailbox
import socket
import threading
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from subgraphs.shared.private_files import private_file


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class SinkHandler:
    """aiosmtpd handler storing every accepted message in memory and, optionally, an mbox."""

    def __init__(self, mbox: Path | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self._mbox = mbox
        self._lock = threading.Lock()
        self._rejections = 0
        self.received = threading.Condition(self._lock)

    def reject_next(self, count: int) -> None:
        with self._lock:
            self._rejections = count

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self._rejections > 0:
                self._rejections -= 1
                return "451 4.3.0 Temporary failure, try again later"
        raw: bytes = envelope.original_content or envelope.content
        parsed = BytesParser(policy=email.policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self.messages.append(parsed)
            if self._mbox is not None:
                box = mailbox.mbox(private_file(self._mbox))
                try:
                    box.add(raw)
                    box.flush()
                finally:
                    box.close()
            self.received.notify_all()
        return "250 Message accepted for delivery"


class SmtpSink:
    """An aiosmtpd server on `host:port` (a free port when 0), in a thread of its own."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, mbox: Path | None = None):
        self.host = host
        self.port = port or free_port(host)
        self.handler = SinkHandler(mbox)
        self._controller = Controller(self.handler, hostname=host, port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.received:
            return list(self.handler.messages)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages once at least `count` arrived (or what arrived within `timeout`)."""
        with self.handler.received:
            self.handler.received.wait_for(lambda: len(self.handler.messages) >= count, timeout)
            return list(self.handler.messages)

    def start(self) -> SmtpSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
