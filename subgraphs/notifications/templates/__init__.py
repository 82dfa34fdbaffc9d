"""Message templates per language: subject, plain text, HTML, SMS and in-app text.

Templates are `string.Template`s. SMS text is rendered from a mapping that holds only
:data:`SMS_FIELDS` (date, time, clinic, contact number), so an SMS template cannot carry a
reason or anything medical: a placeholder outside that set fails the rendering.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from string import Template
from typing import Final

from subgraphs.notifications.templates import de, en
from subgraphs.notifications.templates.message import Message

SMS_FIELDS: Final = ("date", "time", "clinic", "clinic_phone")
CATALOGS: Final[Mapping[str, Mapping[tuple[str, str], Message]]] = {
    "en": en.CATALOG,
    "de": de.CATALOG,
}
_LINK = re.compile(r"(https?://[^\s<>&]+)")


@dataclass(frozen=True)
class Rendered:
    """One message, ready for each channel."""

    subject: str
    text: str
    html: str
    sms: str
    title: str
    in_app: str


class UnknownTemplate(LookupError):
    """No template for this (template, audience) in English either: a programming error."""


def message_for(template: str, audience: str, language: str) -> tuple[str, Message]:
    """The language actually used and the message; English when a translation is missing."""
    for lang in (language, "en"):
        found = CATALOGS.get(lang, {}).get((template, audience))
        if found is not None:
            return lang, found
    raise UnknownTemplate(f"{template}/{audience}")


def render(template: str, audience: str, language: str, values: Mapping[str, str]) -> Rendered:
    """Fill the message's templates with `values` (missing values render empty)."""
    lang, message = message_for(template, audience, language)
    filled = _Defaults(values)
    text = Template(message.text).substitute(filled)
    subject = Template(message.subject).substitute(filled)
    sms_values = {name: values.get(name, "") for name in SMS_FIELDS}
    return Rendered(
        subject=" ".join(subject.split()),
        text=text,
        html=_html(lang, subject, text),
        sms=Template(message.sms).substitute(sms_values),
        title=Template(message.title).substitute(filled),
        in_app=Template(message.in_app).substitute(filled),
    )


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


_LAYOUT: Final = Template(
    """<!doctype html>
<html lang="$lang">
<head><meta charset="utf-8"><title>$subject</title></head>
<body style="font-family: Arial, sans-serif; color: #1f2933; max-width: 560px">
<h2 style="color: #0b6e4f">$subject</h2>
$paragraphs
<p style="color: #7b8794; font-size: 12px">Healthbook</p>
</body>
</html>
"""
)


def _html(lang: str, subject: str, text: str) -> str:
    paragraphs = []
    for block in text.strip().split("\n\n"):
        escaped = html.escape(block).replace("\n", "<br>\n")
        linked = _LINK.sub(r'<a href="\1">\1</a>', escaped)
        paragraphs.append(f"<p>{linked}</p>")
    return _LAYOUT.substitute(
        lang=lang, subject=html.escape(subject), paragraphs="\n".join(paragraphs)
    )
