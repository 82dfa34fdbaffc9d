"""A patient's whole journey by keyboard only (Tab, Shift+Tab, Enter, Space, arrow keys,
Escape, typing; no mouse): sign in, search, open a doctor, pick a slot, book, cancel. Every
focus stop shows a focus ring and is on screen, the skip link comes first, a route change puts
focus on the page's heading, and the dialog takes focus, keeps it and gives it back."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.web.conftest import Running
from tests.e2e.web.support import assert_clean, journey

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.timeout(200)]


def test_a_patient_signs_in_searches_books_and_cancels_by_keyboard_only(
    web_app: Running,
) -> None:
    email = f"keys-{uuid.uuid4().hex[:8]}@example.org"
    password = "a keyboard secret"
    mutation = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
    variables = {"i": {"email": email, "password": password, "name": "Kim Keys"}}
    answer = httpx.post(f"{web_app.base}/graphql", json={"query": mutation, "variables": variables})
    assert "errors" not in answer.json(), answer.text
    report = journey(
        "keyboardOnly", web_app, email=email, password=password, doctorName="Dr. Silva"
    )
    assert_clean(report)
    notes = report["notes"]["keyboard"]
    assert notes["unseen"] == [], notes["unseen"]  # every stop had a visible ring, on screen
    assert notes["firstStop"] == "Skip to content"
    assert notes["skipVisible"] is True
    assert notes["afterSkip"] == "content"
    assert notes["firstInMain"] == "Email"
    # Route changes: focus on the new page's heading.
    assert notes["searchHeading"] == "Find a doctor"
    assert notes["doctorHeading"] == "Dr. Silva"
    assert notes["appointmentsHeading"] == "My appointments"
    assert notes["specialization"] == "General practice"
    # The slot radio group: arrow keys move and choose.
    assert notes["secondSlot"] != notes["firstSlot"]
    assert notes["secondSlotChecked"] == "true"
    assert notes["backToFirst"] is True
    assert notes["bookButton"].startswith("Book ")
    # Booked (the Book button is disabled now): focus on the confirmation, its ring visible.
    assert notes["afterBooking"]["name"].startswith("Booked."), notes["afterBooking"]
    assert notes["afterBooking"]["visible"] is True
    assert notes["tabs"] == ["Upcoming", "Past", "Upcoming"]
    # The dialog: focus inside, trapped, and back on the trigger after Escape.
    assert notes["dialogFocus"] is True
    assert notes["trapped"] is True, notes["dialogStops"]
    assert "Cancel this appointment" in notes["dialogStops"]
    assert notes["focusReturned"] is True
    # Cancelled (no Cancel button to return to): focus on the appointment's heading.
    assert notes["afterCancel"]["tag"] == "h3", notes["afterCancel"]
    assert notes["afterCancel"]["visible"] is True
    assert notes["stops"] > 20


@pytest.mark.timeout(720)  # some 400 Tab presses, each checked: slow on a loaded machine
def test_every_control_of_the_patients_doctors_and_admins_pages_shows_focus_when_tabbed_to(
    web_app: Running,
) -> None:
    email = f"sweep-{uuid.uuid4().hex[:8]}@example.org"
    password = "a sweeping secret"
    mutation = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
    variables = {"i": {"email": email, "password": password, "name": "Sam Sweep"}}
    answer = httpx.post(f"{web_app.base}/graphql", json={"query": mutation, "variables": variables})
    assert "errors" not in answer.json(), answer.text
    report = journey(
        "focusSweep",
        web_app,
        patientEmail=email,
        password=password,
        doctorEmail="dr.silva@healthbook.local",
        seconds=700,
    )
    # The profile's switch, saved and read back from User.notificationChannels.
    assert report["notes"]["channelsAfterSave"] == {"email": True, "inApp": False}
    assert_clean(report)
    sweeps = report["notes"]["sweeps"]
    assert set(sweeps) >= {"/", "/appointments", "/doctor/calendar", "/doctor/availability"}
    admin = {"/admin", "/admin/doctors", "/admin/users", "/admin/audit", "/admin/notifications"}
    admin.add("/admin/webhooks")
    assert set(sweeps) >= admin
    for path, sweep in sweeps.items():
        assert sweep["stops"] >= 5, (path, sweep)
        assert sweep["unseen"] == [], (path, sweep["unseen"])
