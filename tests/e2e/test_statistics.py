"""The admin dashboard through the router: one request gathers the figures of every
subgraph (appointments owns the root field; identity, doctors and notifications add
`users`, `doctors` and `notifications` through `_entities`, and doctors name the top
doctors, and `utilization` joins appointments' booked hours to doctors' offered hours); a
patient or a doctor gets FORBIDDEN, and each refused attempt is in the audit trail."""

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
    utilization(top: 5) { doctor { id name } bookedHours offeredHours utilization }
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
REFUSALS = """
query($actor: ID!) {
  auditTrail(filter: {action: "Query.statistics", outcome: "REFUSED", actorId: $actor}) {
    nodes { component actorId actorRole reason requestId }
  }
}"""
ME = "{ me { id } }"
REGISTER = """
mutation Register($input: RegisterInput!) { register(input: $input) { user { id } } }"""


async def refusals(admin: GraphQLClient, actor: str) -> list[dict[str, object]]:
    """The actor's refused `statistics` entries, once the relay has delivered them."""
    for _ in range(100):
        entries: list[dict[str, object]] = (await admin.execute(REFUSALS, actor=actor))[
            "auditTrail"
        ]["nodes"]
        if entries:
            return entries
        await asyncio.sleep(0.2)
    return []


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
    doctor = await anonymous.login("dr.silva@healthbook.local", DEMO_PASSWORD)
    for refused_user in (patient, doctor):
        with pytest.raises(GraphQLErrors) as refused:
            await refused_user.execute(DASHBOARD, **variables)
        assert refused.value.codes == ["FORBIDDEN"]

    admin = await anonymous.login("admin@healthbook.local", DEMO_PASSWORD)
    for refused_user, role in ((patient, "PATIENT"), (doctor, "DOCTOR")):
        actor = (await refused_user.execute(ME))["me"]["id"]
        entries = await refusals(admin, actor)
        assert [(e["component"], e["actorRole"], e["reason"]) for e in entries] == [
            ("appointments", role, "FORBIDDEN")
        ]
        assert entries[0]["requestId"]

    found = (await admin.execute(DASHBOARD, **variables))["statistics"]
    assert (found["bucket"], found["timeZone"]) == ("WEEK", "Europe/Lisbon")
    figures, users = found["appointments"], found["users"]
    assert figures["totals"]["total"] == sum(b["counts"]["total"] for b in figures["buckets"])
    assert figures["totals"]["total"] > 0  # the demo data books visits in the coming days
    assert figures["leadTime"]["medianSeconds"] is not None
    assert figures["topDoctors"]
    assert all(d["doctor"]["name"] for d in figures["topDoctors"])
    utilization = found["utilization"]
    assert [u["doctor"]["id"] for u in utilization] == [
        d["doctor"]["id"] for d in figures["topDoctors"][:5]
    ]
    assert [u["bookedHours"] for u in utilization] == [
        d["bookedHours"] for d in figures["topDoctors"][:5]
    ]
    for u in utilization:  # the demo doctors have weekly hours over the coming weeks
        assert u["offeredHours"] > 0
        assert u["utilization"] == pytest.approx(u["bookedHours"] / u["offeredHours"])
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
async def test_an_admin_gets_the_whole_dashboard_in_one_request_and_others_are_refused_audited(
    tmp_path: Path,
) -> None:
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    log = tmp_path / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        router_ready = f"http://127.0.0.1:{ports['ROUTER_PORT']}/health/ready"
        await asyncio.to_thread(wait_ready, router_ready, process, log, 180)
        await check(f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql")
