"""Behind a trusted proxy, through the router as a client: the rate limit and the audit trail
key on the right-most untrusted `X-Forwarded-For` entry, so a client rotating the first
(client-controlled) entry neither escapes the limit nor forges its audited address."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from healthbook.components import SUPERGRAPH_PATH
from router.app import create_app as create_router
from router.config import RouterConfig
from router.edge.config import EdgeConfig
from router.edge.guard import Edge
from router.supergraph import load_supergraph
from tests.integration.identity.conftest import LOGIN, PASSWORD, Api
from tests.integration.identity.test_audit_trail_router import ToIdentity

LIMIT = 4
CLIENT = "203.0.113.7"  # the address our trusted proxy saw
OTHER = "198.51.100.8"


@pytest.fixture
async def router(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """The router with its edge read from the environment it is deployed with; the test
    client connects from 127.0.0.1, the trusted proxy."""
    edge = Edge(
        EdgeConfig.from_env(
            {
                "ROUTER_TRUSTED_PROXIES": "127.0.0.1/32",
                "ROUTER_RATE_LIMIT": str(LIMIT),
                "ROUTER_RATE_LIMIT_WINDOW_SECONDS": "3600",
            }
        )
    )
    app = create_router(
        RouterConfig(),
        supergraph=load_supergraph(SUPERGRAPH_PATH),
        transport=ToIdentity(api),
        edge=edge,
    )
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://r") as http,
    ):
        yield http


async def _login(
    router: httpx.AsyncClient, email: str, password: str, forwarded_for: str
) -> httpx.Response:
    return await router.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"i": {"email": email, "password": password}}},
        headers={"X-Forwarded-For": forwarded_for},
    )


async def test_rotating_the_first_entry_neither_escapes_the_limit_nor_forges_the_audit(
    api: Api, router: httpx.AsyncClient
) -> None:
    await api.register("ann@example.org")
    # Guesses at other accounts each (identity's own per-account throttle stays out of it).
    answers = [
        await _login(router, f"who{n}@example.org", "a wrong guess", f"127.66.9.{n}, {CLIENT}")
        for n in range(LIMIT + 1)
    ]
    codes = [
        (a.status_code, a.json()["errors"][0]["extensions"]["code"]) for a in answers
    ]  # every answer here is an error
    assert codes == [(200, "UNAUTHENTICATED")] * LIMIT + [(429, "RATE_LIMITED")], codes
    # Another client behind the same proxy has its own budget, whatever its first entry.
    signed_in = await _login(router, "ann@example.org", PASSWORD, f"127.66.9.1, {OTHER}")
    assert signed_in.status_code == 200
    assert signed_in.json()["data"]["login"]["accessToken"]
    audited = [
        (row.payload["outcome"], row.payload["client_address"])
        for row in await api.outbox("AuthenticationAudited")
        if row.payload["action"] == "LOGIN"
    ]
    # The refused attempt never reached identity: four failures, then the sign-in.
    assert sorted(audited) == sorted([("FAILURE", CLIENT)] * LIMIT + [("SUCCESS", OTHER)])
