"""Through the router, as a client: an admin searches and exports the trail, others are refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from healthbook.components import SUPERGRAPH_PATH
from router.app import create_app as create_router
from router.config import RouterConfig
from router.supergraph import load_supergraph
from tests.integration.identity.conftest import Api
from tests.integration.identity.test_admin import admin_token
from tests.integration.identity.test_audit_trail import EXPORT, TRAIL
from tests.integration.shared.audit_support import chain_outbox


class ToIdentity(httpx.AsyncBaseTransport):
    """Hands the router's subgraph requests to the in-memory identity app."""

    def __init__(self, api: Api) -> None:
        self.api = api

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert request.url.port == 4001, request.url
        answer = await self.api.http.send(request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


@pytest.fixture
async def router(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    app = create_router(
        RouterConfig(), supergraph=load_supergraph(SUPERGRAPH_PATH), transport=ToIdentity(api)
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as http,
    ):
        yield http


async def _post(router: httpx.AsyncClient, query: str, token: str) -> dict[str, object]:
    response = await router.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )
    body: dict[str, object] = response.json()
    return body


async def test_an_admin_searches_and_exports_through_the_router(
    api: Api, router: httpx.AsyncClient
) -> None:
    token = await admin_token(api)
    ann = await api.register("ann@example.org")
    await chain_outbox(api.ident.db, api.ident.db)
    search = '{ auditTrail(filter: {patientId: "%s"}) { total items { action subjectType } } }'
    found = await _post(router, search % ann["id"], token)
    assert "errors" not in found, found
    trail = found["data"]["auditTrail"]  # type: ignore[index]
    assert trail == {"total": 1, "items": [{"action": "UserRegistered", "subjectType": "User"}]}
    exported = await _post(router, "{ exportAuditTrail(format: CSV) { contentType count body } }",
                           token)  # fmt: skip
    assert "errors" not in exported, exported
    export = exported["data"]["exportAuditTrail"]  # type: ignore[index]
    assert export["contentType"] == "text/csv"
    assert export["body"].startswith("seq,id,occurred_at,")
    assert export["count"] >= 2


async def test_a_patient_or_doctor_asking_through_the_router_is_forbidden(
    api: Api, router: httpx.AsyncClient
) -> None:
    await api.register("ann@example.org")
    await api.register("doc@example.org", role="DOCTOR", name="Dr D")
    for email in ("ann@example.org", "doc@example.org"):
        token = (await api.login(email))["accessToken"]
        for query in (TRAIL, EXPORT):
            body = await _post(router, query, token)
            errors = body["errors"]
            assert errors[0]["extensions"]["code"] == "FORBIDDEN", body  # type: ignore[index]
