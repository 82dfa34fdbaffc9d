"""The parts of one message template."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """`string.Template` sources; `sms` may use only $date, $time, $clinic and $clinic_phone."""

    subject: str
    text: str
    sms: str
    title: str
    in_app: str
