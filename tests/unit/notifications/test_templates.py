"""Every message renders in every language; SMS text can only carry date, time, clinic, phone."""

from __future__ import annotations

from string import Template

import pytest

from subgraphs.notifications import templates
from subgraphs.notifications.templates import CATALOGS, SMS_FIELDS, render
from subgraphs.notifications.templates.message import Message

SECRET_REASON = "HIV test results"
VALUES = {
    "recipient_name": "Pat",
    "doctor_name": "Dr. Who",
    "patient_name": "Pat Patient",
    "date": "Tue 9 Mar 2027",
    "time": "09:30 CET",
    "clinic": "Hauptstr. 1",
    "clinic_address": "Hauptstr. 1",
    "clinic_phone": "+49301234567",
    "reason": SECRET_REASON,
    "reason_line": f"Reason: {SECRET_REASON}\n\n",
    "cancelled_by": "the doctor",
    "previous_date": "Mon 8 Mar 2027",
    "previous_time": "10:00 CET",
    "lead": "2 hours",
    "link": "https://app.example/reset#t=abc",
    "expires": "2027-03-01 10:00 UTC",
}
ENTRIES = [(lang, key) for lang, catalog in CATALOGS.items() for key in catalog]


@pytest.mark.parametrize(("language", "key"), ENTRIES)
def test_every_template_renders_without_leftover_placeholders(
    language: str, key: tuple[str, str]
) -> None:
    rendered = render(key[0], key[1], language, VALUES)
    for text in (rendered.subject, rendered.text, rendered.sms, rendered.title, rendered.in_app):
        assert "$" not in text


@pytest.mark.parametrize(("language", "key"), ENTRIES)
def test_sms_text_never_carries_the_reason(language: str, key: tuple[str, str]) -> None:
    sms = render(key[0], key[1], language, VALUES).sms
    assert SECRET_REASON not in sms
    assert "Pat Patient" not in sms  # nor who the patient is


@pytest.mark.parametrize(("language", "key"), ENTRIES)
def test_sms_templates_use_only_date_time_clinic_and_phone(
    language: str, key: tuple[str, str]
) -> None:
    source = CATALOGS[language][key].sms
    used = {m.group("named") or m.group("braced") for m in Template.pattern.finditer(source)}
    assert used - {None} <= set(SMS_FIELDS)


def test_an_sms_template_naming_the_reason_fails_to_render(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = Message(subject="s", text="t", sms="Reason: $reason", title="x", in_app="y")
    monkeypatch.setitem(templates.CATALOGS, "xx", {("bad", "user"): bad})
    with pytest.raises(KeyError):
        render("bad", "user", "xx", VALUES)


def test_a_missing_translation_falls_back_to_english() -> None:
    rendered = render("appointment_booked", "doctor", "de", VALUES)
    assert rendered.subject.startswith("New booking")
    assert 'lang="en"' in rendered.html


def test_html_escapes_values_and_links_urls() -> None:
    rendered = render("password_reset", "user", "en", {**VALUES, "recipient_name": "<b>Pat</b>"})
    assert "&lt;b&gt;Pat&lt;/b&gt;" in rendered.html
    assert '<a href="https://app.example/reset#t=abc">' in rendered.html
