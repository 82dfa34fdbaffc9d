"""The issue's journeys in headless Chromium against one `healthbook up --seed`: every page
checked by axe-core (no serious/critical) at desktop and 375 px, screenshots kept in
test-artifacts/web/, nothing fetched from outside, no console error (CSP refusals included)."""

from __future__ import annotations

import mailbox
import re
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.e2e.web.conftest import Running
from tests.e2e.web.support import assert_clean, journey

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.timeout(200)]


def _link_in_mail(path: Path, recipient: str, seconds: float = 30) -> str:
    """The newest app link (`…/reset-password?token=…`) mailed to `recipient`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            box = mailbox.mbox(path)
            try:
                bodies = []
                for message in box:
                    if recipient not in str(message.get("To", "")):
                        continue
                    for part in message.walk():
                        if part.get_content_type() == "text/plain":
                            payload = part.get_payload(decode=True)
                            if isinstance(payload, bytes):
                                bodies.append(payload.decode())
            finally:
                box.close()
            links = [m for body in bodies for m in re.findall(r"http\S+token=\S+", body)]
            if links:
                return str(links[-1])
        time.sleep(0.2)
    raise AssertionError(f"no link mailed to {recipient}")


def test_a_patient_books_the_doctor_confirms_live_then_reschedule_and_cancel(
    web_app: Running,
) -> None:
    email = f"pat-{uuid.uuid4().hex[:8]}@example.org"
    report = journey("patientBooks", web_app, email=email, doctorEmail="dr.silva@healthbook.local")
    assert_clean(report)
    notes = report["notes"]
    assert any("Dr. Silva" in card for card in notes["searchCards"])
    assert all("General practice" in card for card in notes["searchCards"])
    # Doctor in Berlin, patient's browser in New York: both clocks, labelled.
    assert "Doctor's time (Europe/Berlin" in notes["zoneLine"]
    assert "Your time (America/New_York" in notes["zoneLine"]
    assert re.search(r"AM|PM", notes["slotLabel"].split("\n")[1])
    assert notes["bookedCount"] == 1  # a double click books once (one idempotency key)
    assert notes["bookedStatus"] == "PENDING"
    assert notes["liveBadge"] == "Confirmed"
    assert notes["rescheduled"][0] != notes["rescheduled"][1]
    assert notes["rescheduledStatus"] == "PENDING"
    assert notes["changeRules"].startswith("Changes possible until ")
    assert notes["changeRules"].endswith("3 reschedules left.")
    assert notes["changeRulesAfter"].endswith("2 reschedules left.")
    assert "Booked" in notes["history"]
    assert "Rescheduled" in notes["history"]
    assert "Cancelled" in notes["history"]


def test_a_patient_joins_a_waitlist_and_books_the_freed_slot_offered(web_app: Running) -> None:
    email = f"wait-{uuid.uuid4().hex[:8]}@example.org"
    report = journey("patientTakesAFreedSlot", web_app, email=email)
    assert_clean(report)
    notes = report["notes"]
    assert notes["joined"] == "You are on the waitlist, number 1 in line."
    assert notes["offer"].startswith("A slot is free for you: ")
    assert "held for you until" in notes["offer"]
    assert notes["appointments"] == 1


def test_a_patient_waits_for_any_doctor_of_a_specialization_from_the_search(
    web_app: Running,
) -> None:
    email = f"area-{uuid.uuid4().hex[:8]}@example.org"
    report = journey("patientWaitsForAnyDoctorOfASpecialization", web_app, email=email)
    assert_clean(report)
    notes = report["notes"]
    assert notes["joined"] == "You are on the waitlist, number 1 in line."
    assert notes["listed"].startswith("Any Cardiology doctor in Berlin")


def test_a_doctor_adds_saturday_hours_and_patients_see_the_slots(web_app: Running) -> None:
    report = journey("doctorEditsAvailability", web_app, doctorEmail="dr.silva@healthbook.local")
    assert_clean(report)
    notes = report["notes"]
    assert "overlap" in notes["overlap"]
    assert notes["saturdaySlots"][:1] == ["9:00 AM"]


def test_an_admin_approves_a_pending_doctor_who_then_appears_in_search(web_app: Running) -> None:
    report = journey("adminApproves", web_app)
    assert_clean(report)
    assert report["notes"]["graphiqlHref"] == "/graphql"
    assert report["notes"]["approvedListed"] is True


def test_a_forgotten_password_is_reset_through_the_mailed_link(web_app: Running) -> None:
    email = f"forgetful-{uuid.uuid4().hex[:8]}@example.org"
    mutation = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
    variables = {"i": {"email": email, "password": "an old secret", "name": "Forgetful"}}
    answer = httpx.post(f"{web_app.base}/graphql", json={"query": mutation, "variables": variables})
    assert "errors" not in answer.json(), answer.text
    assert_clean(journey("requestReset", web_app, email=email))
    link = _link_in_mail(web_app.data_dir / "mail.mbox", email)
    assert link.startswith(f"{web_app.base}/reset-password?token=")
    report = journey(
        "setPassword",
        web_app,
        link=link,
        email=email,
        password="a brand new secret",
        expectHeading="Find a doctor",
        shot="reset-password-form",
    )
    assert_clean(report)
    assert report["notes"]["done"] == "Your password is set. You can sign in now."
    assert report["notes"]["landed"] == "/"


def test_an_invited_doctor_accepts_the_invitation_and_sees_the_calendar(web_app: Running) -> None:
    email = f"dr-{uuid.uuid4().hex[:8]}@example.org"
    assert_clean(journey("inviteDoctor", web_app, email=email))
    link = _link_in_mail(web_app.data_dir / "mail.mbox", email)
    assert link.startswith(f"{web_app.base}/invitation?token=")
    report = journey(
        "setPassword",
        web_app,
        link=link,
        email=email,
        password="an invited secret",
        expectHeading="My week",
        shot="invitation",
    )
    assert_clean(report)
    assert report["notes"]["landed"] == "/doctor/calendar"


def test_a_doctor_edits_the_practice_profile_and_visitors_find_it(web_app: Running) -> None:
    report = journey(
        "doctorEditsProfile",
        web_app,
        doctorEmail="dr.okafor@healthbook.local",
        doctorName="Dr. Okafor",
        city="Potsdam",
        bio="Dermatology with time for questions.",
        insurer="Kasse Potsdam",
    )
    assert_clean(report)
    notes = report["notes"]
    assert "not a language tag" in notes["refusal"], notes["refusal"]
    assert notes["keptBio"] == "Dermatology with time for questions."  # the form kept it
    assert notes["cards"] == 1
    assert "Dermatology with time for questions." in notes["publicPage"]
    assert "Potsdam" in notes["publicPage"]
    assert "Kasse Potsdam" in notes["publicPage"]


def test_offline_and_a_session_ended_elsewhere_are_said_in_words(web_app: Running) -> None:
    email = f"roamer-{uuid.uuid4().hex[:8]}@example.org"
    mutation = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
    variables = {"i": {"email": email, "password": "a roaming secret", "name": "Roamer"}}
    answer = httpx.post(f"{web_app.base}/graphql", json={"query": mutation, "variables": variables})
    assert "errors" not in answer.json(), answer.text
    report = journey("offlineAndEndedSession", web_app, email=email, password="a roaming secret")
    # The browser logs the requests this journey makes fail (offline, revoked token); nothing else.
    expected = ("net::ERR_INTERNET_DISCONNECTED", "status of 401 (Unauthorized)")
    unexpected = [e for e in report["consoleErrors"] if not e.endswith(expected)]
    assert unexpected == [], unexpected
    assert_clean({**report, "consoleErrors": []})
    notes = report["notes"]
    assert notes["offline"] == "You seem to be offline. Check your connection and try again."
    assert notes["keptCity"] == "Berlin"
    assert notes["onlineCards"] >= 1
    assert notes["ended"].startswith("Your session ended. Please sign in again")
    assert notes["back"] == "/inbox"


def test_throttled_sign_in_says_how_long_to_wait_and_keeps_the_email(web_app: Running) -> None:
    email = f"guesser-{uuid.uuid4().hex[:8]}@example.org"
    report = journey("signInThrottled", web_app, email=email)
    # The browser logs the refused sign-in calls (401); nothing else.
    refused = "status of 401 (Unauthorized)"
    unexpected = [e for e in report["consoleErrors"] if not e.endswith(refused)]
    assert unexpected == [], unexpected
    assert_clean({**report, "consoleErrors": []})
    said = report["notes"]["said"]
    assert all(s.startswith("Your email or password is not right") for s in said[:3]), said
    waiting = r"Too many attempts\. Please wait \d+ seconds and try again\."
    assert re.fullmatch(waiting, said[3]), said
    assert report["notes"]["keptEmail"] == email
