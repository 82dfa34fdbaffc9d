"""A subgraph process as a client (the router) sees it: GraphQL, health, metrics, signing."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Mapping

import httpx
import orjson
import pytest
from argon2 import PasswordHasher

from subgraphs.identity.app import SPEC
from subgraphs.identity.credentials import passwords
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.signing import SIGNATURE_HEADER, sign
from tests.conftest import MakeStore

KEY = "test-signing-key"
REGISTER = (
    """mutation($input: RegisterInput!) { register(input: $input) { user { id name role } } }"""
)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        passwords, "DEFAULT", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
async def client(make_store: MakeStore, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    database = await make_store("identity")
    settings = dataclasses.replace(settings, signing_key=KEY)
    resources = Resources.open("identity", settings)
    await resources.database.dispose()
    resources.database = database
    app = create_subgraph_app(SPEC, resources)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
            yield http


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: Mapping[str, object] | None = None,
    *,
    key: str | None = KEY,
) -> httpx.Response:
    body = orjson.dumps({"query": query, "variables": dict(variables or {})})
    headers = {"content-type": "application/json"}
    if key is not None:
        headers[SIGNATURE_HEADER] = sign(body, key=key)
    return await client.post("/graphql", content=body, headers=headers)


async def test_a_signed_mutation_changes_state_and_answers(client: httpx.AsyncClient) -> None:
    variables = {"input": {"email": "Ann@Example.org", "password": "long enough", "name": "Ann"}}
    response = await post(client, REGISTER, variables)
    assert response.status_code == 200
    user = response.json()["data"]["register"]["user"]
    assert user["name"] == "Ann"
    assert user["role"] == "PATIENT"
    assert response.headers["x-request-id"]


async def test_unsigned_requests_are_refused(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ _service { sdl } }", key=None)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_requests_signed_with_another_key_are_refused(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ _service { sdl } }", key="someone-else")
    assert response.status_code == 403


async def test_bad_input_gets_a_stable_code_and_no_trace(client: httpx.AsyncClient) -> None:
    variables = {"input": {"email": "not-an-email", "password": "long enough", "name": "Ann"}}
    error = (await post(client, REGISTER, variables)).json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Traceback" not in orjson.dumps(error).decode()


async def test_invalid_documents_get_graphql_errors(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ nope }")
    assert response.json()["errors"][0]["message"].startswith("Cannot query field 'nope'")


async def test_health_reports_live_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "live"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "up", "cache": "up"}


async def test_metrics_count_operations_by_name(client: httpx.AsyncClient) -> None:
    await post(client, "query Probe { _service { sdl } }")
    text = (await client.get("/metrics")).text
    assert 'graphql_requests_total{component="identity",operation="Probe",type="query"} 1.0' in text
