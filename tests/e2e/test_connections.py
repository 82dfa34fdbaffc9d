"""Every list through the router pages the same way: Relay cursor connections (`first`/
`after`, `edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`), against
`healthbook up --seed`, as a client (urql Graphcache's relayPagination) would page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.processes import free_ports, healthbook, wait_ready

DEMO_PASSWORD = "healthbook-demo"


class Client:
    def __init__(self, base: str) -> None:
        self.base = base

    def token(self, email: str) -> str:
        body = {
            "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            "variables": {"i": {"email": email, "password": DEMO_PASSWORD}},
        }
        answer = httpx.post(f"{self.base}/graphql", json=body, timeout=30).json()
        return str(answer["data"]["login"]["accessToken"])

    def call(self, token: str, query: str, **variables: Any) -> Any:
        headers = {"authorization": f"Bearer {token}"}
        body = {"query": query, "variables": variables}
        answer = httpx.post(f"{self.base}/graphql", json=body, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    tmp = tmp_path_factory.mktemp("connections")
    ports = free_ports()
    env = {**ports, "HEALTHBOOK_DATA_DIR": str(tmp / "data"), "LOG_LEVEL": "WARNING"}
    log = tmp / "up.log"
    with healthbook(["up", "--seed"], env, log) as process:
        base = f"http://127.0.0.1:{ports['ROUTER_PORT']}"
        wait_ready(f"{base}/health/ready", process, log, 180)
        yield Client(base)


def walk(client: Client, token: str, query: str, field: str) -> list[dict[str, Any]]:
    """Every page of a list, two at a time, following `pageInfo.endCursor`."""
    pages: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        answer = client.call(token, query, first=2, after=after)
        assert "errors" not in answer, answer["errors"]
        page = answer["data"][field]
        pages.append(page)
        assert len(pages) < 200
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


ADMIN_APPOINTMENTS = """query($first: Int, $after: String) {
  appointments(first: $first, after: $after) {
    totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""


def test_the_admins_appointments_page_through_by_cursor(client: Client) -> None:
    admin = client.token("admin@healthbook.local")
    pages = walk(client, admin, ADMIN_APPOINTMENTS, "appointments")
    seen = [node["id"] for page in pages for node in page["nodes"]]
    assert len(seen) == len(set(seen)) == pages[0]["totalCount"] > 2
    assert all(len(page["nodes"]) == 2 for page in pages[:-1])
    old = client.call(admin, "{ appointments(page: {limit: 100}) { items { id } total } }")
    assert sorted(seen) == sorted(item["id"] for item in old["data"]["appointments"]["items"])
    bad = client.call(admin, ADMIN_APPOINTMENTS, first=2, after="bm90LW91cnM")
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


ADMIN_NOTIFICATIONS = """query($first: Int, $after: String) {
  notifications(first: $first, after: $after) {
    totalCount nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""


def settled_total(client: Client, token: str, query: str, field: str) -> int:
    """The list's size once the seed's events stop adding to it (cursors are positions in
    the list's order: items added at its head while paging shift the later pages)."""
    previous = -1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        total = int(client.call(token, query, first=1)["data"][field]["totalCount"])
        if total == previous:
            return total
        previous = total
        time.sleep(2)
    raise AssertionError("the list kept growing")


def test_the_admins_notifications_page_through_by_cursor(client: Client) -> None:
    admin = client.token("admin@healthbook.local")
    settled_total(client, admin, ADMIN_NOTIFICATIONS, "notifications")
    pages = walk(client, admin, ADMIN_NOTIFICATIONS, "notifications")
    seen = [node["id"] for page in pages for node in page["nodes"]]
    assert len(seen) == len(set(seen)) == pages[0]["totalCount"]


DOCTORS = """query($first: Int, $after: String) {
  doctors(first: $first, after: $after) {
    totalCount edges { cursor node { id } } nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


ADMIN_USERS = """query($first: Int, $after: String) {
  users(first: $first, after: $after) {
    totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""


def test_the_doctor_search_pages_through_by_cursor(client: Client) -> None:
    patient = client.token("patient@healthbook.local")
    pages = walk(client, patient, DOCTORS, "doctors")
    seen = [node["id"] for page in pages for node in page["nodes"]]
    assert len(seen) == len(set(seen)) == pages[0]["totalCount"] > 2
    assert [edge["node"]["id"] for page in pages for edge in page["edges"]] == seen
    assert pages[0]["pageInfo"]["hasPreviousPage"] is False
    assert pages[-1]["pageInfo"]["hasPreviousPage"] is True
    # The web app's deprecated `page` argument answers the same list.
    old = client.call(patient, "{ doctors(page: {first: 100}) { nodes { id } } }")
    assert [node["id"] for node in old["data"]["doctors"]["nodes"]] == seen
    own = pages[0]["pageInfo"]["endCursor"]
    admin = client.token("admin@healthbook.local")
    appointments = client.call(admin, ADMIN_APPOINTMENTS, first=2, after=None)
    # A cursor of another list (the admin's appointments) or an edited one is refused.
    for after in (appointments["data"]["appointments"]["pageInfo"]["endCursor"], "bm90"):
        bad = client.call(patient, DOCTORS, first=2, after=after)
        assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "errors" not in client.call(patient, DOCTORS, first=2, after=own)


def test_the_admins_users_page_through_by_cursor(client: Client) -> None:
    admin = client.token("admin@healthbook.local")
    pages = walk(client, admin, ADMIN_USERS, "users")
    seen = [node["id"] for page in pages for node in page["nodes"]]
    assert len(seen) == len(set(seen)) == pages[0]["totalCount"] > 2
    old = client.call(admin, "{ users(limit: 100) { items { id } total } }")
    assert sorted(seen) == sorted(item["id"] for item in old["data"]["users"]["items"])
    second = client.call(admin, ADMIN_USERS, first=2, after=pages[0]["pageInfo"]["endCursor"])
    assert second["data"]["users"]["nodes"] == pages[1]["nodes"]
