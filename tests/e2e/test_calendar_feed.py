"""Calendar feeds through the router as a calendar app reads them, against `healthbook up
--seed`: the address from the API, the `.ics` over HTTP, rotation, caching, bad tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from tests.support.processes import free_ports, healthbook, wait_ready

DEMO_PASSWORD = "healthbook-demo"
PATIENT = "patient@healthbook.local"
DOCTOR = "dr.silva@healthbook.local"


@dataclass
class Server:
    base: str

    def graphql(self, email: str, query: str) -> Any:
        login = {
            "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            "variables": {"i": {"email": email, "password": DEMO_PASSWORD}},
        }
        answer = httpx.post(f"{self.base}/graphql", json=login, timeout=30).json()
        token = answer["data"]["login"]["accessToken"]
        body = httpx.post(
            f"{self.base}/graphql",
            json={"query": query},
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        assert "errors" not in body, body
        return body["data"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("feeds")
    ports = free_ports()
    base = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
    env = {
        **ports,
        "HEALTHBOOK_DATA_DIR": str(tmp / "data"),
        "LOG_LEVEL": "WARNING",
        "PUBLIC_APP_URL": base,
    }
    log = tmp / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        wait_ready(f"{base}/health/ready", process, log, 180)
        yield Server(base)


def events(response: httpx.Response) -> list[Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_patient_subscribes_and_reads_their_appointments_with_doctor_names(
    server: Server,
) -> None:
    url = server.graphql(PATIENT, "{ calendarFeedUrl }")["calendarFeedUrl"]
    assert url.startswith(f"{server.base}/calendar/")
    assert url.endswith(".ics")
    mine = server.graphql(PATIENT, "{ myAppointments(first: 50) { items { id reason } } }")
    response = httpx.get(url, timeout=30)
    found = events(response)
    assert found, "the seed books appointments for this patient"
    uids = {str(event["uid"]) for event in found}
    for item in mine["myAppointments"]["items"]:
        assert f"appointment-{item['id']}@healthbook" in uids
        if item["reason"]:
            assert item["reason"].encode() not in response.content
    assert all(str(e["summary"]).startswith("Appointment with Dr") for e in found)
    assert {str(e["status"]) for e in found} <= {"CONFIRMED", "TENTATIVE", "CANCELLED"}
    assert response.headers["cache-control"] == "private, max-age=300"
    again = httpx.get(url, headers={"if-none-match": response.headers["etag"]}, timeout=30)
    assert again.status_code == 304
    assert not again.content


def test_rotation_revokes_the_old_address_through_the_router(server: Server) -> None:
    old = server.graphql(DOCTOR, "{ calendarFeedUrl }")["calendarFeedUrl"]
    assert events(httpx.get(old, timeout=30))
    assert all(str(e["summary"]) == "Patient appointment" for e in events(httpx.get(old)))
    new = server.graphql(DOCTOR, "mutation { rotateCalendarFeed }")["rotateCalendarFeed"]
    gone = httpx.get(old, timeout=30)
    assert (gone.status_code, gone.content) == (404, b"")
    assert events(httpx.get(new, timeout=30))


def test_a_bad_token_is_a_bare_404(server: Server) -> None:
    for path in ("/calendar/" + "A" * 48 + ".ics", "/calendar/short.ics"):
        response = httpx.get(server.base + path, timeout=30)
        assert (response.status_code, response.content) == (404, b""), path
