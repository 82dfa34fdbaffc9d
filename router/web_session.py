"""The web app's session at the router: the refresh token lives in a cookie no script reads.

`POST /auth/session/login`, `/refresh` and `/logout` run the identity subgraph's `login`,
`refreshToken` and `logout` mutations through the gateway. The browser gets the access token
in the JSON answer (the app keeps it in memory only) and the refresh token as an
`HttpOnly; Secure; SameSite=Strict` cookie whose `Path` is `/auth/session`, so it is sent to
these calls alone, never with `/graphql`. CSRF: every call must be `application/json`
with the `x-healthbook-csrf` header (a cross-site page cannot send either without a
preflight the router never grants), and an `Origin`, when sent, must be the router's own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from router.edge.guard import Edge
from router.edge.refusal import Refusal
from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import FORWARDED_HEADERS, REQUEST_ID

__all__ = ["COOKIE", "COOKIE_PATH", "session_routes"]

COOKIE = "hb_refresh"
COOKIE_PATH = "/auth/session"
CSRF_HEADER = "x-healthbook-csrf"
_TOKENS = "accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt"
_USER = "user { id name role email language timeZone }"
LOGIN = (
    "mutation WebSessionLogin($input: LoginInput!) "
    f"{{ login(input: $input) {{ {_TOKENS} {_USER} }} }}"
)
REFRESH = (
    "mutation WebSessionRefresh($input: RefreshTokenInput!) "
    f"{{ refreshToken(input: $input) {{ {_TOKENS} {_USER} }} }}"
)
LOGOUT = "mutation WebSessionLogout($input: LogoutInput) { logout(input: $input) { __typename } }"


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


def _csrf_refusal(request: Request) -> JSONResponse | None:
    if not request.headers.get(CSRF_HEADER):
        return _error(400, "CSRF_PREVENTED", f"Send the {CSRF_HEADER} header.")
    if not request.headers.get("content-type", "").startswith("application/json"):
        return _error(415, "CSRF_PREVENTED", "Send application/json.")
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        return _error(403, "CSRF_PREVENTED", "Cross-origin session calls are refused.")
    return None


def _forwarded(request: Request, *, authorization: bool) -> dict[str, str]:
    """What a session call carries to identity, as `/graphql` calls do: the client's address
    and a fresh `X-Request-ID` (never the client's), which the router's signature covers."""
    names = [n for n in FORWARDED_HEADERS if authorization or n != "authorization"]
    headers = {name: value for name in names if (value := request.headers.get(name))}
    headers[REQUEST_ID] = uuid.uuid4().hex
    if request.client is not None and request.client.host:
        headers["x-forwarded-for"] = request.client.host
    return headers


def _set_cookie(response: Response, token: str, expires_at: str) -> None:
    try:
        expiry = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
        max_age = max(0, int((expiry - datetime.now(UTC)).total_seconds()))
    except ValueError:
        max_age = 0
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path=COOKIE_PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )


def _clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict")


def _session_body(payload: Mapping[str, Any]) -> dict[str, Any]:
    """What the page may see: everything but the refresh token."""
    return {
        "accessToken": payload["accessToken"],
        "accessTokenExpiresAt": payload["accessTokenExpiresAt"],
        "user": payload["user"],
    }


def session_routes(gateway_ref: Callable[[], Gateway | None], edge: Edge | None) -> list[Route]:
    """The three session calls, for the router's route list."""

    async def run(
        query: str, variables: dict[str, Any], headers: Mapping[str, str]
    ) -> dict[str, Any] | JSONResponse:
        gateway = gateway_ref()
        if gateway is None:
            return _error(503, "SERVICE_UNAVAILABLE", "The router is not ready.")
        outcome = await gateway.execute(
            GraphQLRequest(query=query, variables=variables), headers=headers
        )
        return outcome.body

    async def guard(request: Request) -> JSONResponse | None:
        refusal = _csrf_refusal(request)
        if refusal is not None:
            return refusal
        if edge is not None:
            try:
                await edge.limit_rate(request, None)
            except Refusal as refused:
                response = refused.response()
                assert isinstance(response, JSONResponse)
                return response
        return None

    async def login(request: Request) -> Response:
        if (refusal := await guard(request)) is not None:
            return refusal
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _error(400, "BAD_REQUEST", "The request body is not JSON.")
        email, password = (
            (body.get("email"), body.get("password")) if isinstance(body, dict) else (None, None)
        )
        if not isinstance(email, str) or not isinstance(password, str):
            return _error(400, "BAD_USER_INPUT", "Send an email and a password.")
        answer = await run(
            LOGIN,
            {"input": {"email": email, "password": password}},
            _forwarded(request, authorization=False),
        )
        return _answer(answer, "login")

    async def refresh(request: Request) -> Response:
        if (refusal := await guard(request)) is not None:
            return refusal
        token = request.cookies.get(COOKIE)
        if not token:  # not signed in: an answer, not an error (every page load asks)
            return JSONResponse({"session": None}, headers={"cache-control": "no-store"})
        answer = await run(
            REFRESH, {"input": {"refreshToken": token}}, _forwarded(request, authorization=False)
        )
        response = _answer(answer, "refreshToken")
        if response.status_code != 200:
            _clear_cookie(response)
        return response

    async def logout(request: Request) -> Response:
        if (refusal := await guard(request)) is not None:
            return refusal
        token = request.cookies.get(COOKIE)
        if token:
            await run(
                LOGOUT, {"input": {"refreshToken": token}}, _forwarded(request, authorization=True)
            )
        response = JSONResponse({"ok": True})
        _clear_cookie(response)
        return response

    return [
        Route(f"{COOKIE_PATH}/login", login, methods=["POST"]),
        Route(f"{COOKIE_PATH}/refresh", refresh, methods=["POST"]),
        Route(f"{COOKIE_PATH}/logout", logout, methods=["POST"]),
    ]


def _answer(answer: dict[str, Any] | JSONResponse, field: str) -> Response:
    if isinstance(answer, JSONResponse):
        return answer
    payload = (answer.get("data") or {}).get(field)
    if not payload:
        errors = answer.get("errors") or [
            {"message": "Sign-in failed.", "extensions": {"code": "UNAUTHENTICATED"}}
        ]
        return JSONResponse({"errors": errors}, 401)
    response = JSONResponse(_session_body(payload))
    _set_cookie(response, payload["refreshToken"], payload["refreshTokenExpiresAt"])
    response.headers["cache-control"] = "no-store"
    return response
