"""Through the router, as clients: a doctor reading an appointment's reason, its history and
its patient's name is three entries of the trail (appointments and identity), each once and
all with the one request id the router gave the request; the doctor refused the patient's
email is a REFUSED entry of that request too."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.graphql import GraphQLClient, GraphQLErrors
from tests.support.processes import free_ports, healthbook, wait_ready

DEMO_PASSWORD = "healthbook-demo"
MINE = "{ me { id } myAppointments(first: 1) { nodes { id patient { id } } } }"
READ = """
query($id: ID!) { appointment(id: $id) { reason history { action } patient { name } } }"""
EMAIL = "query($id: ID!) { appointment(id: $id) { patient { email } } }"
TRAIL = """
query($actor: ID!, $since: DateTime!) {
  auditTrail(filter: {actorId: $actor, since: $since}, first: 100) {
    nodes { component action outcome actorRole subjectType subjectId patientId reason requestId }
  }
}"""
READS = {"AppointmentRead", "AppointmentHistoryRead", "PatientProfileRead"}


async def reads_of(admin: GraphQLClient, actor: str, since: str, n: int) -> list[dict[str, str]]:
    """The actor's read entries since `since`, once the relays have delivered `n` of them."""
    found: list[dict[str, str]] = []
    for _ in range(100):
        nodes = (await admin.execute(TRAIL, actor=actor, since=since))["auditTrail"]["nodes"]
        found = [e for e in nodes if e["action"] in READS]
        if len(found) >= n:
            break
        await asyncio.sleep(0.2)
    return found


async def check(router: str) -> None:
    anonymous = GraphQLClient(router)
    doctor = await anonymous.login("dr.silva@healthbook.local", DEMO_PASSWORD)
    admin = await anonymous.login("admin@healthbook.local", DEMO_PASSWORD)
    mine = await doctor.execute(MINE)
    actor, (visit,) = mine["me"]["id"], mine["myAppointments"]["nodes"]
    since = datetime.now(UTC).isoformat()

    read = (await doctor.execute(READ, id=visit["id"]))["appointment"]
    assert read["patient"]["name"]
    assert read["history"]
    entries = await reads_of(admin, actor, since, 3)
    assert Counter((e["component"], e["action"], e["outcome"]) for e in entries) == Counter(
        [
            ("appointments", "AppointmentRead", "ALLOWED"),
            ("appointments", "AppointmentHistoryRead", "ALLOWED"),
            ("identity", "PatientProfileRead", "ALLOWED"),
        ]
    )
    assert {e["patientId"] for e in entries} == {visit["patient"]["id"]}
    assert {e["actorRole"] for e in entries} == {"DOCTOR"}
    (request_id,) = {e["requestId"] for e in entries}  # one request: one id in both subgraphs
    assert request_id

    since = datetime.now(UTC).isoformat()
    with pytest.raises(GraphQLErrors) as refused:
        await doctor.execute(EMAIL, id=visit["id"])
    assert "FORBIDDEN" in refused.value.codes
    entries = await reads_of(admin, actor, since, 3)
    assert Counter((e["action"], e["outcome"], e["reason"]) for e in entries) == Counter(
        [
            ("AppointmentRead", "ALLOWED", None),
            ("PatientProfileRead", "ALLOWED", None),
            ("PatientProfileRead", "REFUSED", "FORBIDDEN"),
        ]
    )
    assert len({e["requestId"] for e in entries} | {request_id}) == 2


@pytest.mark.timeout(300)
async def test_a_doctors_reads_of_patient_data_are_audited_once_per_request_through_the_router(
    tmp_path: Path,
) -> None:
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    log = tmp_path / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        router_ready = f"http://127.0.0.1:{ports['ROUTER_PORT']}/health/ready"
        await asyncio.to_thread(wait_ready, router_ready, process, log, 180)
        await check(f"http://127.0.0.1:{ports['ROUTER_PORT']}/graphql")
