"""Where messages leave the system: SMTP for email, an SMS provider, and the in-app store.

:class:`Channels` holds one email sender and one SMS provider, built from the settings
(or replaced by tests). Adapters raise :class:`PermanentDeliveryError` for a message that
can never be delivered (retrying is pointless) and any other exception for a transient one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from subgraphs.notifications.channels.errors import PermanentDeliveryError
from subgraphs.notifications.channels.links import OneTimeLinks
from subgraphs.notifications.channels.sms import SinkSms, SmsProvider, TwilioSms
from subgraphs.notifications.channels.smtp import EmailSender, SmtpSender
from subgraphs.notifications.settings import NotificationSettings

__all__ = [
    "Channels",
    "EmailSender",
    "OneTimeLinks",
    "PermanentDeliveryError",
    "SinkSms",
    "SmsProvider",
    "SmtpSender",
    "TwilioSms",
]


@dataclass(frozen=True)
class Channels:
    """The adapters delivery uses, the sender address of email, and one-time links."""

    email: EmailSender
    sms: SmsProvider
    sender: str
    links: OneTimeLinks | None = None

    @classmethod
    def from_settings(
        cls, settings: NotificationSettings, *, data_dir: Path, links: OneTimeLinks | None = None
    ) -> Channels:
        sms: SmsProvider
        if settings.sms.provider == "twilio":
            sms = TwilioSms(
                api_url=settings.sms.api_url,
                account_sid=settings.sms.account_sid,
                auth_token=settings.sms.auth_token,
                sender=settings.sms.sender,
            )
        else:
            sink = settings.sms.sink_file or str(data_dir / "sms-sink.jsonl")
            sms = SinkSms(Path(sink))
        return cls(
            email=SmtpSender(settings.smtp), sms=sms, sender=settings.smtp.sender, links=links
        )
