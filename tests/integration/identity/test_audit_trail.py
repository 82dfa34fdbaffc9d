"""Admins search and export the hash-chained trail; others are refused, and that is audited."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from subgraphs.shared.audit import chain
from subgraphs.shared.audit.trail import TrailEntry
from tests.integration.identity.conftest import PASSWORD, Api
from tests.integration.identity.test_admin import admin_token
from tests.integration.shared.audit_support import chain_outbox, recorded

TRAIL = """query($f: AuditTrailFilter, $o: Int, $l: Int) {
  auditTrail(filter: $f, offset: $o, limit: $l) { total offset limit items {
    seq id action outcome actorId actorRole subjectType subjectId patientId reason
    component clientAddress occurredAt hash } } }"""
EXPORT = """query($f: AuditTrailFilter, $fmt: AuditExportFormat, $a: Int, $l: Int) {
  exportAuditTrail(filter: $f, format: $fmt, afterSeq: $a, limit: $l) {
    format contentType count lastSeq complete body } }"""
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
PATIENT, OTHER, DOCTOR = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _entry(minute: int, **fields: Any) -> TrailEntry:
    payload = {
        "component": "appointments",
        "action": "AppointmentRead",
        "outcome": "ALLOWED",
        "actor_id": str(DOCTOR),
        "actor_role": "DOCTOR",
        "subject_type": "Appointment",
        "subject_id": str(uuid.uuid4()),
        "patient_id": str(PATIENT),
        "client_address": "198.51.100.9",
        **fields,
    }
    return chain.entry_from(uuid.uuid4(), T0 + timedelta(minutes=minute), payload)


async def _seed(api: Api) -> list[TrailEntry]:
    entries = [
        _entry(0),
        _entry(1, action="AppointmentBooked", actor_id=str(PATIENT), actor_role="PATIENT"),
        _entry(2, patient_id=str(OTHER)),
        _entry(3, outcome="REFUSED", reason="NOT_FOUND", patient_id=None, subject_id="x-1"),
        _entry(4, subject_type="Notification", component="notifications"),
    ]
    async with api.ident.db.transaction() as session:
        added = await chain.append(session, entries)
    return added


async def _search(api: Api, token: str, **filters: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await api.ok(TRAIL, {"f": filters, "l": 100}, token=token))[
        "auditTrail"
    ]
    found["items"] = [i for i in found["items"] if i["component"] != "identity"]
    return found


async def test_admins_search_the_trail_by_each_filter_newest_first(api: Api) -> None:
    token = await admin_token(api)
    seeded = await _seed(api)
    ids = [str(e.id) for e in seeded]

    async def ids_of(**filters: Any) -> list[str]:
        return [i["id"] for i in (await _search(api, token, **filters))["items"]]

    assert await ids_of(patientId=str(PATIENT)) == [ids[4], ids[1], ids[0]]
    assert await ids_of(actorId=str(PATIENT)) == [ids[1]]
    assert await ids_of(action="AppointmentRead", patientId=str(OTHER)) == [ids[2]]
    assert await ids_of(subjectType="Appointment", subjectId="x-1") == [ids[3]]
    assert await ids_of(outcome="REFUSED") == [ids[3]]
    since, until = (T0 + timedelta(minutes=1)).isoformat(), (T0 + timedelta(minutes=3)).isoformat()
    assert await ids_of(since=since, until=until) == [ids[2], ids[1]]
    [refused] = (await _search(api, token, outcome="REFUSED"))["items"]
    assert (refused["reason"], refused["actorRole"], refused["clientAddress"]) == (
        "NOT_FOUND",
        "DOCTOR",
        "198.51.100.9",
    )
    assert refused["hash"] == seeded[3].hash


async def test_the_trail_pages_with_offset_and_limit(api: Api) -> None:
    token = await admin_token(api)
    seeded = await _seed(api)
    first = await api.ok(TRAIL, {"o": 0, "l": 2}, token=token)
    page = first["auditTrail"]
    assert (page["offset"], page["limit"], len(page["items"])) == (0, 2, 2)
    assert page["total"] >= len(seeded)
    second = (await api.ok(TRAIL, {"o": 2, "l": 2}, token=token))["auditTrail"]
    assert {i["seq"] for i in page["items"]}.isdisjoint(i["seq"] for i in second["items"])
    bad = await api.error(TRAIL, {"l": 101}, token=token)
    assert bad["extensions"]["code"] == "BAD_USER_INPUT"
    bad = await api.error(TRAIL, {"f": {"patientId": "not-an-id"}}, token=token)
    assert bad["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_search_is_itself_one_entry_naming_the_admin_and_the_patient(api: Api) -> None:
    token = await admin_token(api)
    before = len(await recorded(api.ident.db))
    await api.ok(TRAIL, {"f": {"patientId": str(PATIENT)}}, token=token)
    [searched] = (await recorded(api.ident.db))[before:]
    assert (searched["action"], searched["actor_role"], searched["patient_id"]) == (
        "AuditTrailSearched",
        "ADMIN",
        str(PATIENT),
    )


async def test_patients_and_doctors_are_refused_and_the_refusal_is_audited(api: Api) -> None:
    user = await api.register("ann@example.org")
    patient = (await api.login("ann@example.org"))["accessToken"]
    await api.register("doc@example.org", role="DOCTOR", name="Dr D")
    doctor = (await api.login("doc@example.org"))["accessToken"]
    for token in (patient, doctor):
        before = len(await recorded(api.ident.db))
        for query in (TRAIL, EXPORT):
            assert (await api.error(query, {}, token=token))["extensions"]["code"] == "FORBIDDEN"
        refusals = (await recorded(api.ident.db))[before:]
        assert [(r["action"], r["outcome"], r["reason"]) for r in refusals] == [
            ("Query.auditTrail", "REFUSED", "FORBIDDEN"),
            ("Query.exportAuditTrail", "REFUSED", "FORBIDDEN"),
        ]
    assert refusals[0]["actor_role"] == "DOCTOR"
    assert user["id"] != refusals[0]["actor_id"]


async def test_an_export_in_ndjson_and_csv_carries_the_filtered_entries_and_their_chain(
    api: Api,
) -> None:
    token = await admin_token(api)
    seeded = await _seed(api)
    mine = [e for e in seeded if e.patient_id == PATIENT]
    variables = {"f": {"patientId": str(PATIENT)}, "fmt": "NDJSON"}
    ndjson = (await api.ok(EXPORT, variables, token=token))["exportAuditTrail"]
    assert (ndjson["contentType"], ndjson["count"], ndjson["complete"]) == (
        "application/x-ndjson",
        3,
        True,
    )
    lines = [orjson.loads(line) for line in ndjson["body"].splitlines()]
    assert [(r["seq"], r["id"], r["hash"]) for r in lines] == [
        (e.seq, str(e.id), e.hash) for e in mine
    ]
    assert lines[0]["prev_hash"] == seeded[0].prev_hash
    variables["fmt"] = "CSV"
    exported = (await api.ok(EXPORT, variables, token=token))["exportAuditTrail"]
    rows = list(csv.DictReader(io.StringIO(exported["body"])))
    assert exported["contentType"] == "text/csv"
    assert [(r["id"], r["action"], r["patient_id"]) for r in rows] == [
        (str(e.id), e.action, str(PATIENT)) for e in mine
    ]


async def test_an_export_comes_in_bounded_batches_continued_after_the_last_seq(api: Api) -> None:
    token = await admin_token(api)
    seeded = await _seed(api)
    seen: list[str] = []
    after, complete = 0, False
    while not complete:
        batch = (await api.ok(EXPORT, {"a": after, "l": 2}, token=token))["exportAuditTrail"]
        assert batch["count"] <= 2
        seen += [orjson.loads(line)["id"] for line in batch["body"].splitlines()]
        after, complete = batch["lastSeq"], batch["complete"]
    assert [str(e.id) for e in seeded] == [i for i in seen if i in {str(e.id) for e in seeded}]
    assert len(seen) == len(set(seen))
    too_big = await api.error(EXPORT, {"l": 10_001}, token=token)
    assert too_big["extensions"]["code"] == "BAD_USER_INPUT"


async def test_no_password_token_or_email_reaches_the_trail(api: Api) -> None:
    token = await admin_token(api)
    await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    await chain_outbox(api.ident.db, api.ident.db)
    body = (await api.ok(EXPORT, {}, token=token))["exportAuditTrail"]["body"]
    assert body.count("\n") >= 3  # registrations and sign-ins were chained
    for secret in (PASSWORD, tokens["accessToken"], tokens["refreshToken"], "ann@example.org"):
        assert secret not in body
    assert "$argon2" not in body
