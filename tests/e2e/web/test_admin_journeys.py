"""The admin's dashboard, audit trail and webhooks in Chromium against the seeded stack: the
figures on the page are the API's `statistics` for the same window, a patient's booking is
found in the trail filtered by that patient and exported, and a webhook registered, rotated,
replayed and deleted on the page delivers to a local receiver that checks every signature
(axe-core and screenshots as every journey)."""

from __future__ import annotations

import uuid

import orjson
import pytest

from tests.e2e.web.conftest import Running
from tests.e2e.web.support import assert_clean, journey
from tests.support.webhook_receiver import WebhookReceiver, verify

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.timeout(200)]


def _read(action: str) -> bool:
    """The admin's own reading of the trail (searched, exported)."""
    return action.startswith("AuditTrail")


def test_the_admin_sees_the_seeded_figures_and_finds_a_patients_booking_in_the_trail(
    web_app: Running,
) -> None:
    email = f"audra-{uuid.uuid4().hex[:8]}@example.org"
    report = journey("adminDashboardAndAudit", web_app, patientEmail=email)
    assert_clean(report)
    notes = report["notes"]
    api, figures = notes["api"], notes["figures"]

    # The dashboard shows the API's figures for its window (the seed and this booking).
    users_now = sum(r["active"] + r["deactivated"] for r in api["users"]["byRole"])
    assert users_now >= 10  # the seed's admin, doctors and patients, and this patient
    assert figures["Users now"] == str(users_now)
    assert figures["Registrations"] == str(api["users"]["registrations"])
    pending = {s["status"]: s["doctors"] for s in api["doctors"]["byStatus"]}.get("PENDING", 0)
    assert figures["Doctors waiting for approval"] == str(pending)
    appointments = api["appointments"]["totals"]["total"]
    assert appointments >= 5  # the seed's four visits and this booking
    assert figures["Appointments"] == str(appointments)
    sent = sum(c["count"] for c in api["notifications"]["totals"] if c["status"] == "SENT")
    assert figures["Notifications sent"] == str(sent)
    assert notes["byRole"] == [
        [r["role"], str(r["active"]), str(r["deactivated"])] for r in api["users"]["byRole"]
    ]
    by_status = api["doctors"]["byStatus"]
    assert notes["byStatus"] == [[s["status"], str(s["doctors"])] for s in by_status]
    top = [[u["doctor"]["name"], str(u["appointments"])] for u in api["utilization"]]
    assert [row[:2] for row in notes["topDoctors"]] == top
    assert "Dr. Silva" in [name for name, _ in top]

    # The trail filtered by the patient: their entries only, the booking among them. Reading
    # the trail about a patient is itself recorded with that patient (AuditTrailSearched), so
    # the API's later read and the export hold the page's searches too.
    booking = notes["booking"]
    rows, trail = notes["trailRows"], notes["trailApi"]["nodes"]
    assert all(row[5] == booking["patientId"] for row in rows)
    assert {row[1].split("\n")[0] for row in rows} - {"AuditTrailSearched"} == {
        e["action"] for e in trail if not _read(e["action"])
    }
    booked = [e for e in trail if e["subjectId"] == booking["appointmentId"]]
    assert booked, trail
    assert any("Book" in e["action"] for e in booked), booked
    assert any(booking["appointmentId"] in row[4] for row in rows)

    # The export is the same filtered trail, in chain order, with the hashes.
    exported = notes["exported"]
    assert notes["exportName"].endswith(".ndjson")
    assert notes["exportSaid"] == f"{len(exported)} entries exported."
    assert {e["patient_id"] for e in exported} == {booking["patientId"]}
    assert sorted(e["action"] for e in exported if not _read(e["action"])) == sorted(
        e["action"] for e in trail if not _read(e["action"])
    )
    assert "AuditTrailSearched" in {e["action"] for e in exported}
    assert [e["seq"] for e in exported] == sorted(e["seq"] for e in exported)
    assert all(e["hash"] for e in exported)
    header, *lines = notes["csvLines"]
    assert notes["csvName"].endswith(".csv")
    assert header.split(",")[:3] == ["seq", "id", "occurred_at"]
    assert len(lines) >= len(exported)  # the CSV export is audited too, one entry more
    assert all(booking["patientId"] in line for line in lines)


def test_the_admin_registers_rotates_replays_and_deletes_a_webhook_on_its_page(
    web_app: Running,
) -> None:
    emails = [f"wendy-{uuid.uuid4().hex[:8]}@example.org" for _ in range(2)]
    with WebhookReceiver() as receiver:
        report = journey(
            "adminManagesWebhooks",
            web_app,
            receiverUrl=receiver.url,
            secretUrl=receiver.secret_url,
            patientEmails=emails,
        )
        received = list(receiver.received)
    assert_clean(report)
    notes = report["notes"]
    first, second = notes["firstSecret"], notes["secondSecret"]
    assert first.startswith("whsec_")
    assert second.startswith("whsec_")
    assert first != second
    assert "you won't see it again" in notes["secretWarning"]
    enabled = notes["disabledRow"][2].split("\n")
    assert enabled[0] == "no"
    assert enabled[1].startswith("disabled ")
    assert "history is kept" in notes["deleteExplain"]
    assert notes["deletedButtons"] == ["Deliveries"]

    # Three requests: the first booking, the second (after the rotation), the replay of the
    # first; each signed, the second and the replay with the old and the new secret.
    assert len(received) == 3, [r.headers for r in received]
    assert all(r.verified for r in received)
    booked_first, booked_second, replayed = received
    assert verify(first, booked_first.headers, booked_first.body)
    assert not verify(second, booked_first.headers, booked_first.body)
    for after_rotation in (booked_second, replayed):
        assert verify(first, after_rotation.headers, after_rotation.body)
        assert verify(second, after_rotation.headers, after_rotation.body)
        assert after_rotation.headers["webhook-signature"].count("v1,") == 2
    assert replayed.headers["webhook-id"] == booked_first.headers["webhook-id"]
    assert replayed.body == booked_first.body
    assert replayed.headers["webhook-id"] == f"msg_{uuid.UUID(notes['replayedId']).hex}"
    bodies = [orjson.loads(r.body) for r in (booked_first, booked_second)]
    assert [b["data"]["appointmentId"] for b in bodies] == [
        booking["appointmentId"] for booking in notes["bookings"]
    ]
    assert all(b["type"] == "appointment.booked" for b in bodies)
    assert b"Audit trail e2e" not in booked_first.body, "no reason in the body"

    # The page's deliveries table: both SENT, the replayed one after two attempts.
    rows = notes["replayedRows"]
    assert [(row[2], row[3]) for row in rows] == [("Sent", "1"), ("Sent", "2")]
