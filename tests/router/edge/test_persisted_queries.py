"""Automatic Persisted Queries (Apollo's protocol) and the safelist of persisted operations."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import orjson
import pytest
from starlette.testclient import TestClient

from router.edge.config import EdgeConfig
from tests.router.edge.support import CSRF, canned, edge_app

QUERY = "{ me { id } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()
APQ = {"persistedQuery": {"version": 1, "sha256Hash": DIGEST}}


def test_an_unknown_hash_is_persisted_query_not_found_then_registered() -> None:
    with TestClient(edge_app()) as client:
        first = client.post("/graphql", json={"extensions": APQ})
        assert first.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert first.json()["errors"][0]["message"] == "PersistedQueryNotFound"
        registered = client.post("/graphql", json={"query": QUERY, "extensions": APQ})
        assert registered.json() == {"data": {"me": {"id": "1"}}}
        by_hash = client.get("/graphql", params={"extensions": json.dumps(APQ)}, headers=CSRF)
        assert by_hash.json() == {"data": {"me": {"id": "1"}}}


def test_a_hash_that_does_not_match_the_query_is_refused() -> None:
    with TestClient(edge_app()) as client:
        wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
        response = client.post("/graphql", json={"query": QUERY, "extensions": wrong})
        assert response.status_code == 400
        code = response.json()["errors"][0]["extensions"]["code"]
        assert code == "PERSISTED_QUERY_HASH_MISMATCH"


def test_apq_can_be_turned_off() -> None:
    with TestClient(edge_app(apq=False)) as client:
        response = client.post("/graphql", json={"extensions": APQ})
        code = response.json()["errors"][0]["extensions"]["code"]
        assert code == "PERSISTED_QUERY_NOT_SUPPORTED"


def _manifest(tmp_path: Path, *bodies: str) -> Path:
    path = tmp_path / "operations.json"
    operations = [
        {"id": f"op{i}", "name": f"Op{i}", "type": "query", "body": body}
        for i, body in enumerate(bodies)
    ]
    path.write_bytes(
        orjson.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
        )
    )
    return path


def test_with_the_safelist_only_listed_operations_run(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, QUERY)
    with TestClient(edge_app(persisted_operations=manifest, safelist=True)) as client:
        listed = client.post("/graphql", json={"query": QUERY})
        assert listed.json() == {"data": {"me": {"id": "1"}}}
        by_id = client.post(
            "/graphql", json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "op0"}}}
        )
        assert by_id.json() == {"data": {"me": {"id": "1"}}}
        other = client.post("/graphql", json={"query": "{ me { id name } }"})
        assert other.status_code == 400
        assert other.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
        # APQ cannot smuggle a new operation in either.
        body = "{ me { name } }"
        digest = hashlib.sha256(body.encode()).hexdigest()
        sneaky = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        response = client.post("/graphql", json={"query": body, "extensions": sneaky})
        assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"


def test_the_safelist_needs_its_manifest() -> None:
    with pytest.raises(ValueError, match="ROUTER_PERSISTED_OPERATIONS"):
        EdgeConfig.from_env({"ROUTER_SAFELIST": "true"})


def test_persisted_operations_warm_the_plan_cache(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, QUERY, "query Log { me { name } }")
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return canned(request)

    app = edge_app(handler, persisted_operations=manifest)
    with TestClient(app):
        gateway = app.state.gateway_ref()
        assert len(gateway.plans) == 2
        assert len(gateway.documents) == 2
    assert calls == []
