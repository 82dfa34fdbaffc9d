"""The admin's dashboard and audit trail in Chromium against the seeded stack: the figures on
the page are the API's `statistics` for the same window, and a patient's booking is found in
the trail filtered by that patient and exported (axe-core and screenshots as every journey)."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.web.conftest import Running
from tests.e2e.web.support import assert_clean, journey

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
