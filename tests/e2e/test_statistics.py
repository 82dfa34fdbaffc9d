"""The admin dashboard through the router: one request gathers the figures of every
subgraph (appointments owns the root field; identity, doctors and notifications add
`users`, `doctors` and `notifications` through `_entities`, and doctors name the top
doctors); a patient gets FORBIDDEN."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.graphql import GraphQLClient, GraphQLErrors
from tests.support.processes import free_ports, healthbook, wait_ready

DEMO_PASSWORD = "healthbook-demo"
DASHBOARD = """
query Dashboard($range: StatisticsRange!, $bucket: StatisticsBucket!, $tz: String!) {
  statistics(range: $range, bucket: $bucket, timeZone: $tz) {
    from to bucket timeZone
    appointments {
      totals { total pending confirmed rejected cancelled completed noShow
               cancelledByPatient cancelledByDoctor cancelledByAdmin }
      buckets { start startsAt endsAt counts { total } }
      cancellationRate noShowRate
      leadTime { medianSeconds p90Seconds }
      topDoctors { doctor { id name } appointments bookedHours }
    }
    doctors {
      byStatus { status doctors } approvals approvalMedianSeconds approvalP90Seconds
      bySpecialization { value doctors } byCity { value doctors }
      buckets { start registrations approvals }
    }
    notifications {
      totals { channel status count }
      buckets { start counts { channel status count } }
      latency { channel sent medianSeconds p90Seconds }
    }
    users {
      byRole { role active deactivated }
      registrations activeUsers
      buckets { start registrations activeUsers }
    }
  }
}"""
REGISTER = """
mutation Register($input: RegisterInput!) { register(input: $input) { user { id } } }"""


async def check(router: str) -> None:
    today = datetime.now(UTC).date()
    variables = {
        "range": {
            "from": (today - timedelta(days=3)).isoformat(),
            "to": (today + timedelta(days=30)).isoformat(),
        },
        "bucket": "WEEK",
        "tz": "Europe/Lisbon",
    }
    anonymous = GraphQLClient(router)
    await anonymous.execute(
        REGISTER,
        input={"email": "stats@example.org", "password": "counted once only", "name": "Sam"},
    )
    patient = await anonymous.login("stats@example.org", "counted once only")
    with pytest.raises(GraphQLErrors) as refused:
        await patient.execute(DASHBOARD, **variables)
    assert refused.value.codes == ["FORBIDDEN"]

    admin = await anonymous.login("admin@healthbook.local", DEMO_PASSWORD)
    found = (await admin.execute(DASHBOARD, **variables))["statistics"]
    assert (found["bucket"], found["timeZone"]) == ("WEEK", "Europe/Lisbon")
    figures, users = found["appointments"], found["users"]
    assert figures["totals"]["total"] == sum(b["counts"]["total"] for b in figures["buckets"])
    assert figures["totals"]["total"] > 0  # the demo data books visits in the coming days
    assert figures["leadTime"]["medianSeconds"] is not None
    assert figures["topDoctors"]
    assert all(d["doctor"]["name"] for d in figures["topDoctors"])
    assert users["registrations"] >= 1
    assert users["activeUsers"] >= 2  # Sam and the admin
    assert users["registrations"] == sum(b["registrations"] for b in users["buckets"])
    assert {r["role"] for r in users["byRole"]} == {"PATIENT", "DOCTOR", "ADMIN"}
    doctors = found["doctors"]
    approved = next(s["doctors"] for s in doctors["byStatus"] if s["status"] == "APPROVED")
    assert approved > 0
    assert sum(c["doctors"] for c in doctors["byCity"]) == approved
    notifications = found["notifications"]
    assert {x["channel"] for x in notifications["latency"]} == {"EMAIL", "SMS", "IN_APP"}
    assert len(notifications["totals"]) == 12


@pytest.mark.timeout(300)
async def test_an_admin_gets_the_whole_dashboard_in_one_request_and_a_patient_is_refused(
    tmp_path: Path,
) -> None:
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    log = tmp_path / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        router_ready = f"http://127.0.0.1:{ports['ROUTER_PORT']}/health/ready"
        await asyncio.to_thread(wait_ready, router_ready, process, log, 180)
        await check(f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql")
