"""The web app's session calls: the refresh token only ever travels in an HttpOnly, Secure,
SameSite=Strict cookie scoped to /auth/session; the page sees the access token alone; CSRF
and cross-origin calls are refused; logout ends the session and clears the cookie."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.testclient import TestClient

from router.gateway import GraphQLRequest, Outcome
from router.web_session import COOKIE, session_routes

HEADERS = {"x-healthbook-csrf": "1", "content-type": "application/json"}
LOGIN = "/auth/session/login"
CREDENTIALS = {"email": "a@b.c", "password": "pw"}


class FakeGateway:
    """Answers the identity mutations the way the identity subgraph does; records calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        self.issued = 0

    async def execute(self, request: GraphQLRequest, *, headers: Mapping[str, str]) -> Outcome:
        variables = request.variables or {}
        self.calls.append((request.query, variables, dict(headers)))
        if "logout" in request.query:
            return Outcome(body={"data": {"logout": {"__typename": "LogoutPayload"}}})
        field = "login" if "login(" in request.query else "refreshToken"
        given = variables["input"]
        if given.get("password") == "wrong" or given.get("refreshToken") == "used":
            error = {"message": "Invalid credentials.", "extensions": {"code": "UNAUTHENTICATED"}}
            return Outcome(body={"data": None, "errors": [error]})
        self.issued += 1
        payload = {
            "accessToken": f"access-{self.issued}",
            "accessTokenExpiresAt": "2099-01-01T00:15:00Z",
            "refreshToken": f"refresh-{self.issued}",
            "refreshTokenExpiresAt": "2099-01-30T00:00:00Z",
            "user": {"id": "u1", "name": "Ada", "role": "PATIENT"},
        }
        return Outcome(body={"data": {field: payload}})


def _client(gateway: FakeGateway) -> TestClient:
    app = Starlette(routes=session_routes(lambda: gateway, None))  # type: ignore[arg-type, return-value]
    return TestClient(app, base_url="https://testserver")


def test_login_hands_the_page_the_access_token_and_hides_the_refresh_token() -> None:
    gateway = FakeGateway()
    client = _client(gateway)
    answer = client.post(
        "/auth/session/login", json={"email": "a@b.c", "password": "pw"}, headers=HEADERS
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "accessToken": "access-1",
        "accessTokenExpiresAt": "2099-01-01T00:15:00Z",
        "user": {"id": "u1", "name": "Ada", "role": "PATIENT"},
    }
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=refresh-1;")
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/auth/session"):
        assert attribute.lower() in cookie.lower()
    assert "refresh-1" not in answer.text


def test_refresh_swaps_the_cookie_and_no_cookie_means_no_session() -> None:
    gateway = FakeGateway()
    client = _client(gateway)
    assert client.post("/auth/session/refresh", headers=HEADERS).json() == {"session": None}
    client.post(LOGIN, json=CREDENTIALS, headers=HEADERS)
    answer = client.post("/auth/session/refresh", headers=HEADERS)
    assert answer.json()["accessToken"] == "access-2"
    assert gateway.calls[-1][1] == {"input": {"refreshToken": "refresh-1"}}
    assert client.cookies.get(COOKIE) == "refresh-2"


def test_a_refused_refresh_clears_the_cookie() -> None:
    client = _client(FakeGateway())
    client.cookies.set(COOKIE, "used", domain="testserver.local", path="/auth/session")
    answer = client.post("/auth/session/refresh", headers=HEADERS)
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (
        'hb_refresh=""' in answer.headers["set-cookie"]
        or "Max-Age=0" in answer.headers["set-cookie"]
    )


def test_wrong_credentials_come_back_as_the_api_error_without_a_cookie() -> None:
    client = _client(FakeGateway())
    answer = client.post(
        "/auth/session/login", json={"email": "a@b.c", "password": "wrong"}, headers=HEADERS
    )
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "set-cookie" not in answer.headers


def test_calls_without_the_csrf_header_or_from_another_origin_are_refused() -> None:
    gateway = FakeGateway()
    client = _client(gateway)
    body = {"email": "a@b.c", "password": "pw"}
    assert client.post("/auth/session/login", json=body).status_code == 400
    form = client.post("/auth/session/refresh", data={"x": "1"}, headers={"x-healthbook-csrf": "1"})
    assert form.status_code == 415
    evil = {**HEADERS, "origin": "https://evil.example"}
    assert client.post("/auth/session/login", json=body, headers=evil).status_code == 403
    same = {**HEADERS, "origin": "https://testserver"}
    assert client.post("/auth/session/login", json=body, headers=same).status_code == 200
    assert len(gateway.calls) == 1


def test_logout_ends_the_session_named_by_the_cookie_and_clears_it() -> None:
    gateway = FakeGateway()
    client = _client(gateway)
    client.post(LOGIN, json=CREDENTIALS, headers=HEADERS)
    answer = client.post(
        "/auth/session/logout", headers={**HEADERS, "authorization": "Bearer access-1"}
    )
    assert answer.json() == {"ok": True}
    query, variables, headers = gateway.calls[-1]
    assert "logout" in query
    assert variables == {"input": {"refreshToken": "refresh-1"}}
    assert headers["authorization"] == "Bearer access-1"
    assert client.cookies.get(COOKIE) is None


def test_each_session_call_carries_its_own_fresh_request_id_never_the_clients() -> None:
    gateway = FakeGateway()
    client = _client(gateway)
    client.post(LOGIN, json=CREDENTIALS, headers={**HEADERS, "x-request-id": "chosen"})
    client.post("/auth/session/refresh", headers={**HEADERS, "x-request-id": "chosen"})
    ids = [headers["x-request-id"] for _, _, headers in gateway.calls]
    assert len(ids) == 2
    assert len(set(ids)) == 2
    assert "chosen" not in ids
