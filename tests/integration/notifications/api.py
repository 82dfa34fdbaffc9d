"""The notifications subgraph app in memory with real test tokens, for GraphQL-level tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from subgraphs.notifications.app import SPEC
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.auth import Role
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.database import Database
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.support.tokens import Minter, bearer, make_test_tokens


@dataclass
class Api:
    client: httpx.AsyncClient
    mint: Minter
    resources: Resources

    async def call(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        user: uuid.UUID | None = None,
        role: Role = Role.PATIENT,
    ) -> dict[str, Any]:
        headers = bearer(self.mint(user, role)) if user else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None, **who: Any) -> Any:
        body = await self.call(query, variables, **who)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def error_code(
        self, query: str, variables: dict[str, Any] | None = None, **who: Any
    ) -> str:
        body = await self.call(query, variables, **who)
        assert body.get("errors"), body
        code: str = body["errors"][0]["extensions"]["code"]
        return code


def build_resources(db: Database, settings: Settings) -> tuple[Resources, Minter]:
    authenticator, mint = make_test_tokens()
    resources = Resources(
        component="notifications",
        settings=settings,
        database=db,
        cache=MemoryCache(),
        pubsub=MemoryPubSub(),
        authenticator=authenticator,
    )
    return resources, mint


def open_api(db: Database, settings: Settings) -> Api:
    resources, mint = build_resources(db, settings)
    app = create_subgraph_app(SPEC, resources)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    return Api(client=client, mint=mint, resources=resources)
