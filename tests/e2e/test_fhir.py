"""The FHIR R4 read API at the router (`/fhir/`), against `healthbook up --seed`: the public
directory and free slots for anyone, appointments by role, every resource valid FHIR."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.router.fhir.validation import validate
from tests.support.processes import free_ports, healthbook, wait_ready

DEMO_PASSWORD = "healthbook-demo"
ALEX = "patient@healthbook.local"


def user_id(email: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{email}"))


def doctor_id(email: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:doctor:{email}"))


@dataclass
class Server:
    base: str

    def token(self, email: str) -> str:
        body = {
            "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            "variables": {"i": {"email": email, "password": DEMO_PASSWORD}},
        }
        answer = httpx.post(f"{self.base}/graphql", json=body, timeout=30).json()
        return str(answer["data"]["login"]["accessToken"])

    def graphql(self, token: str | None, query: str, **variables: Any) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = {"query": query, "variables": variables}
        answer = httpx.post(f"{self.base}/graphql", json=body, headers=headers, timeout=30)
        return answer.json()["data"]

    def fhir(self, path: str, token: str | None = None, status: int = 200) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = httpx.get(f"{self.base}/fhir/{path}", headers=headers, timeout=30)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/fhir+json"
        body = response.json()
        validate(body)
        for entry in body.get("entry", ()):
            validate(entry["resource"])
        return body


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("fhir")
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp / "data"), "LOG_LEVEL": "WARNING"}
    log = tmp / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        base = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
        wait_ready(f"{base}/health/ready", process, log, 180)
        yield Server(base)


def ids(bundle: dict[str, Any]) -> set[str]:
    return {entry["resource"]["id"] for entry in bundle.get("entry", ())}


def test_metadata_is_a_capability_statement(server: Server) -> None:
    statement = server.fhir("metadata")
    assert statement["fhirVersion"] == "4.0.1"
    assert "SMART-on-FHIR" in str(statement["rest"][0]["security"])


def test_anyone_searches_the_practitioner_directory(server: Server) -> None:
    berlin = server.fhir("Practitioner?address-city=Berlin&_count=50")
    assert doctor_id("dr.silva@healthbook.local") in ids(berlin)
    assert all(e["resource"]["address"][0]["city"] == "Berlin" for e in berlin["entry"])
    assert berlin["total"] == len(berlin["entry"])
    cardiology = server.fhir("PractitionerRole?specialty=cardiology")
    assert doctor_id("dr.tanaka@healthbook.local") in ids(cardiology)
    one = server.fhir(f"Practitioner/{doctor_id('dr.silva@healthbook.local')}")
    assert one["name"][0]["text"].endswith("Silva")
    schedule = server.fhir(f"Schedule?actor=Practitioner/{doctor_id('dr.silva@healthbook.local')}")
    assert schedule["total"] == 1


def test_paging_follows_the_next_link(server: Server) -> None:
    first = server.fhir("Practitioner?_count=5")
    assert len(first["entry"]) == 5
    assert first["total"] > 5
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = httpx.get(following, timeout=30).json()
    assert not ids(first) & ids(second)


def test_free_slots_equal_the_graphql_api_and_read_back_by_id(server: Server) -> None:
    doctor = doctor_id("dr.silva@healthbook.local")
    start = datetime.now(UTC).date() + timedelta(days=1)
    end = start + timedelta(days=7)
    bundle = server.fhir(
        f"Slot?schedule=Schedule/{doctor}&start=ge{start}&start=lt{end}&_count=100"
    )
    slots = server.graphql(
        None,
        "query($d: ID!, $f: DateTime!, $t: DateTime!) { availableSlots(doctorId: $d, from: $f, to: $t) { start } }",  # noqa: E501
        d=doctor,
        f=f"{start}T00:00:00+00:00",
        t=f"{end}T00:00:00+00:00",
    )["availableSlots"]
    fhir_starts = [e["resource"]["start"] for e in bundle["entry"]]
    assert fhir_starts
    assert fhir_starts == [s["start"] for s in slots][:100]
    first = bundle["entry"][0]["resource"]
    assert server.fhir(f"Slot/{first['id']}") == first


def test_appointments_need_a_token_and_patients_see_only_their_own(server: Server) -> None:
    refused = server.fhir("Appointment", status=401)
    assert refused["resourceType"] == "OperationOutcome"
    alex = server.token(ALEX)
    own = server.fhir("Appointment?_count=100", alex)
    mine = server.graphql(
        alex,
        "{ a: myAppointments(when: UPCOMING) { total } b: myAppointments(when: PAST) { total } }",
    )
    assert own["total"] == mine["a"]["total"] + mine["b"]["total"] > 0
    patients = {e["resource"]["participant"][1]["actor"]["reference"] for e in own["entry"]}
    assert patients == {f"Patient/{user_id(ALEX)}"}
    other = user_id("patient2@healthbook.local")
    assert server.fhir(f"Appointment?patient=Patient/{other}", alex, 403)["issue"]
    first = own["entry"][0]["resource"]
    assert server.fhir(f"Appointment/{first['id']}", alex)["id"] == first["id"]
    sam = server.token("patient2@healthbook.local")
    assert server.fhir(f"Appointment/{first['id']}", sam, 404)["issue"][0]["code"] == "not-found"


def test_an_admin_searches_a_patients_appointments_by_date(server: Server) -> None:
    admin = server.token("admin@healthbook.local")
    alex = server.token(ALEX)
    everything = server.fhir(f"Appointment?patient=Patient/{user_id(ALEX)}&_count=100", admin)
    assert ids(everything) == ids(server.fhir("Appointment?_count=100", alex))
    starts = sorted(e["resource"]["start"] for e in everything["entry"])
    day = starts[0][:10]
    on_day = server.fhir(f"Appointment?patient={user_id(ALEX)}&date={day}", admin)
    assert on_day["total"] >= 1
    assert all(
        e["resource"]["start"][:10] <= day <= e["resource"]["end"][:10] for e in on_day["entry"]
    )


def test_busy_slots_are_for_the_doctor_and_admins_only(server: Server) -> None:
    alex = server.token(ALEX)
    unknown = server.fhir("Appointment?status=pending,waiting", alex, 400)
    assert unknown["issue"][0]["code"] == "invalid"
    active = server.fhir("Appointment?status=pending,booked&_count=100", alex)["entry"]
    upcoming = [e["resource"] for e in active]
    assert {v["status"] for v in upcoming} <= {"pending", "booked"}
    assert upcoming, "the seed gives Alex upcoming visits"
    visit = upcoming[0]
    doctor = visit["participant"][0]["actor"]["reference"].split("/")[1]
    day = visit["start"][:10]
    after = (datetime.fromisoformat(visit["start"]) + timedelta(days=1)).date()
    query = f"Slot?schedule=Schedule/{doctor}&start=ge{day}&start=lt{after}&status=busy"
    assert server.fhir(query, alex, 403)["issue"][0]["code"] == "forbidden"
    admin = server.token("admin@healthbook.local")
    busy = server.fhir(query.replace("status=busy", "_count=100"), admin)
    taken = {e["resource"]["start"] for e in busy["entry"] if e["resource"]["status"] != "free"}
    assert visit["start"] in taken


def test_bad_searches_get_an_operation_outcome(server: Server) -> None:
    assert (
        server.fhir("Practitioner?birthdate=1970", status=400)["issue"][0]["code"]
        == "not-supported"
    )
    assert server.fhir("Slot?start=ge2027-01-01", status=400)["issue"][0]["code"] == "required"
    doctor = doctor_id("dr.silva@healthbook.local")
    wide = f"Slot?schedule=Schedule/{doctor}&start=ge2027-01-01&start=lt2027-06-01"
    assert server.fhir(wide, status=400)["issue"][0]["code"] == "too-costly"
    assert server.fhir("Practitioner/not-a-doctor", status=404)["issue"][0]["code"] == "not-found"
    assert server.fhir("Observation", status=404)["issue"][0]["code"] == "not-supported"
