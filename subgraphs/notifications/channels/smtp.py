"""Email over real SMTP with aiosmtplib: plain, STARTTLS or implicit TLS, optional login."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol

import aiosmtplib

from subgraphs.notifications.channels.errors import PermanentDeliveryError
from subgraphs.notifications.settings import SmtpSettings


class EmailSender(Protocol):
    async def send(self, message: EmailMessage) -> str:
        """Hand the message to the mail system; returns its provider id (the Message-ID)."""
        ...


class SmtpSender:
    """Sends through the configured SMTP server, one connection per message."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    async def send(self, message: EmailMessage) -> str:
        s = self._settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.host,
                port=s.port,
                username=s.username or None,
                password=s.password or None,
                use_tls=s.security == "tls",
                start_tls=s.security == "starttls",
                timeout=s.timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            # Every other failure (connection, 4xx, 5xx on DATA) is retried.
            raise PermanentDeliveryError("the SMTP server refused the recipient") from error
        return str(message["Message-ID"])
