"""`GET /audit/export.ndjson` on the router: the trail streamed as NDJSON batch after batch
through `exportAuditTrail`, in chain order with nothing skipped or repeated; refused for a
patient (403, audited by identity as for the GraphQL export) and for a bad parameter."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from healthbook.components import SUPERGRAPH_PATH
from router.app import create_app as create_router
from router.config import RouterConfig
from router.supergraph import load_supergraph
from tests.integration.identity.conftest import Api
from tests.integration.identity.test_admin import admin_token
from tests.integration.identity.test_audit_trail_router import ToIdentity
from tests.integration.shared.audit_support import chain_outbox, recorded, trail_entries


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


async def _get(router: httpx.AsyncClient, query: str, token: str) -> httpx.Response:
    return await router.get(
        f"/audit/export.ndjson{query}", headers={"Authorization": f"Bearer {token}"}
    )


async def test_an_admin_streams_the_whole_trail_in_chain_order_across_batches(
    api: Api, router: httpx.AsyncClient
) -> None:
    token = await admin_token(api)
    for name in ("ann", "bob", "cid", "dee"):
        await api.register(f"{name}@example.org", name=name.title())
    await chain_outbox(api.ident.db, api.ident.db)
    kept = await trail_entries(api.ident.db)
    assert len(kept) >= 5

    response = await _get(router, "?batch=2", token)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [orjson.loads(line) for line in response.text.splitlines()]
    assert [line["seq"] for line in lines] == [entry.seq for entry in kept]
    assert [line["hash"] for line in lines] == [entry.hash for entry in kept]

    filtered = await _get(router, "?action=UserRegistered", token)
    actions = {orjson.loads(line)["action"] for line in filtered.text.splitlines()}
    assert actions == {"UserRegistered"}
    exported = [e for e in await recorded(api.ident.db) if e["action"] == "AuditTrailExported"]
    assert len(exported) >= 3  # each batch is looked at, so each is audited


async def test_a_patient_is_refused_and_a_bad_parameter_is_bad_input(
    api: Api, router: httpx.AsyncClient
) -> None:
    await api.register("ann@example.org")
    patient = (await api.login("ann@example.org"))["accessToken"]
    refused = await _get(router, "", patient)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert [
        e["reason"] for e in await recorded(api.ident.db) if e["action"] == "Query.exportAuditTrail"
    ] == ["FORBIDDEN"]
    admin = await admin_token(api)
    for query in ("?format=CSV", "?batch=0", "?batch=10001"):
        bad = await _get(router, query, admin)
        assert bad.status_code == 400
        assert bad.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
