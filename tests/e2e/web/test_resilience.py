"""Errors a person must understand, in a real browser, with the form keeping what was typed:
the router's own rate limit (its 429 and Retry-After, on a stack started with a low
ROUTER_RATE_LIMIT), and a subgraph down (the appointments subgraph behind a TCP proxy the test
cuts): the pages of the other subgraphs keep working, and once it is back the retry works."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from tests.e2e.web.conftest import Running, running_app
from tests.e2e.web.support import assert_clean, journey
from tests.support.processes import free_ports
from tests.support.proxy import TcpProxy, tcp_proxy

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.timeout(300)]


@pytest.fixture
def limited_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    # The search page's load makes three calls (session refresh, specializations, doctors):
    # the first or second search after it is refused however slowly this machine clicks.
    limit = {"ROUTER_RATE_LIMIT": "4", "ROUTER_RATE_LIMIT_WINDOW_SECONDS": "10"}
    with running_app(tmp_path_factory.mktemp("web-limited"), limit) as app:
        yield app


def test_the_routers_rate_limit_is_said_with_the_wait_and_the_search_is_kept(
    limited_app: Running,
) -> None:
    report = journey("rateLimited", limited_app)
    # The browser logs the refused requests (429); nothing else.
    refused = "status of 429 (Too Many Requests)"
    unexpected = [e for e in report["consoleErrors"] if not e.endswith(refused)]
    assert unexpected == [], unexpected
    assert_clean({**report, "consoleErrors": []})
    notes = report["notes"]
    assert notes["statuses"][-1] == 429, notes["statuses"]
    waiting = r"Too many attempts\. Please wait ([1-9]|10) seconds and try again\."
    assert re.fullmatch(waiting, notes["said"]), notes["said"]
    assert notes["keptCity"] == "Berlin"
    assert notes["afterWait"] == 200
    assert notes["cardsAfterWait"] >= 1
    assert notes["cityAfterWait"] == "Berlin"


class _Switch(BaseHTTPRequestHandler):
    """POST /cut and /restore: the journey's way to take the proxied subgraph down and up."""

    proxy: ClassVar[TcpProxy]

    def do_POST(self) -> None:
        if self.path == "/cut":
            self.proxy.cut()
        elif self.path == "/restore":
            self.proxy.restore()
        else:
            self.send_error(404)
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def appointments_behind_a_proxy(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Running, str]]:
    ports = free_ports()
    with tcp_proxy(("127.0.0.1", int(ports["APPOINTMENTS_PORT"]))) as proxy:
        switch = type("Switch", (_Switch,), {"proxy": proxy})
        server = ThreadingHTTPServer(("127.0.0.1", 0), switch)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{proxy.port}/graphql"
        extra = {"ROUTER_SUBGRAPH_APPOINTMENTS_URL": url}
        try:
            with running_app(tmp_path_factory.mktemp("web-proxied"), extra, ports) as app:
                yield app, f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            proxy.restore()
            server.shutdown()
            server.server_close()


def test_a_subgraph_down_is_said_the_rest_works_and_the_retry_books_once(
    appointments_behind_a_proxy: tuple[Running, str],
) -> None:
    app, control = appointments_behind_a_proxy
    email = f"patient-{uuid.uuid4().hex[:8]}@example.org"
    password = "a resilient secret"
    mutation = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
    variables = {"i": {"email": email, "password": password, "name": "Robin Resilient"}}
    answer = httpx.post(f"{app.base}/graphql", json={"query": mutation, "variables": variables})
    assert "errors" not in answer.json(), answer.text
    report = journey(
        "subgraphDown", app, email=email, password=password, doctorName="Dr. Silva", control=control
    )
    assert_clean(report)
    notes = report["notes"]
    down = "Part of Healthbook is not answering right now. Please try again in a minute."
    assert notes["listSaid"] == down
    assert "Signed in as Robin Resilient" in notes["headerWhileDown"]
    # The doctors subgraph's page still works: profile and free slots.
    assert notes["slotsWhileDown"] >= 1
    assert "General practice" in notes["profileWhileDown"]
    assert notes["bookSaid"] == down
    assert notes["keptReason"] == "Back pain since Monday"
    assert notes["keptBookLabel"] == notes["bookLabel"]  # the chosen slot is still chosen
    assert notes["errorAfterRestore"] is False
    assert notes["booked"] == 1
    assert "Back pain since Monday" in notes["bookedReason"]


def test_a_page_whose_code_cannot_be_loaded_says_so_and_the_reload_works(
    web_app: Running,
) -> None:
    report = journey("chunkFails", web_app, doctorName="Dr. Silva")
    # The browser logs the refused chunk and React the error the page's boundary caught.
    errors = report["consoleErrors"]
    assert errors, "the refused chunk should be in the console"
    expected = ("net::ERR_INTERNET_DISCONNECTED", "dynamically imported module")
    assert all(any(x in e for x in expected) for e in errors), errors
    assert_clean({**report, "consoleErrors": []})
    notes = report["notes"]
    assert len(notes["refused"]) >= 1
    said = "This page could not be loaded. Check your connection, then reload the page."
    assert notes["said"] == said
    assert notes["heading"] == "This page cannot be shown right now"
    assert notes["focus"] == notes["heading"]  # the route change's focus found this heading
    assert notes["buttons"] == ["Reload the page"]
    assert "Find a doctor" in notes["headerLinks"]  # the app around the page still works
    assert notes["afterReload"] == "Dr. Silva"
