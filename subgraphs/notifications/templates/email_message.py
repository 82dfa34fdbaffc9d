"""The MIME email of a notification: plain text, HTML and the optional calendar attachment."""

from __future__ import annotations

import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

MESSAGE_ID_DOMAIN = "healthbook.local"


def message_id(notification_id: uuid.UUID) -> str:
    """Stable per notification, so a retried send is recognisable as the same message."""
    return f"<{notification_id}@{MESSAGE_ID_DOMAIN}>"


def build_email(
    *,
    notification_id: uuid.UUID,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None,
    ics: str | None,
    created_at: datetime,
) -> EmailMessage:
    """A multipart email: text/plain + text/html alternatives and `appointment.ics`."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id(notification_id)
    message["Date"] = format_datetime(created_at)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    if ics:
        method = "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST"
        message.add_attachment(
            ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="appointment.ics",
            params={"method": method, "charset": "utf-8"},
        )
    return message
