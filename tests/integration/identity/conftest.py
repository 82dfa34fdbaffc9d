"""The identity subgraph app over a fresh store, with a test key ring and a cheap hasher."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest
from sqlmodel import select

from subgraphs.identity.app import SPEC
from subgraphs.identity.credentials.keys import KeyRing
from subgraphs.identity.credentials.passwords import CHEAP_FOR_TESTS
from subgraphs.identity.settings import IdentitySettings
from subgraphs.identity.wiring import EXTRA_KEY, Identity
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.outbox import OutboxMessage
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.tokens import JwtVerifier, StaticJwks, TokenSettings
from tests.conftest import MakeStore

TOKENS = TokenSettings(
    issuer="healthbook-test",
    audience="healthbook-test",
    jwks_url="http://identity/.well-known/jwks.json",
    jwks_refresh_seconds=30,
    jwks_max_age_seconds=300,
    leeway_seconds=0,
)
PASSWORD = "correct horse battery"


@dataclasses.dataclass
class Api:
    """Talks GraphQL to the identity app; knows its identity runtime for white-box checks."""

    http: httpx.AsyncClient
    ident: Identity

    async def gql(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        token: str | None = None,
        address: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if address:
            headers["X-Forwarded-For"] = f"203.0.113.250, {address}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": dict(variables or {})}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    async def ok(self, query: str, variables: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        body = await self.gql(query, variables, **kw)
        assert "errors" not in body, body
        return body["data"]

    async def error(
        self, query: str, variables: Mapping[str, Any] | None = None, **kw: Any
    ) -> dict[str, Any]:
        body = await self.gql(query, variables, **kw)
        assert body.get("errors"), body
        error: dict[str, Any] = body["errors"][0]
        return error

    async def register(self, email: str, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
        data = await self.ok(
            "mutation($i: RegisterInput!) { register(input: $i) { user { id name role } } }",
            {
                "i": {
                    "email": email,
                    "password": password,
                    "name": extra.pop("name", "Ann"),
                    **extra,
                }
            },
        )
        user: dict[str, Any] = data["register"]["user"]
        return user

    async def login(
        self, email: str, password: str = PASSWORD, *, address: str | None = None
    ) -> dict[str, Any]:
        data = await self.ok(LOGIN, {"i": {"email": email, "password": password}}, address=address)
        tokens: dict[str, Any] = data["login"]
        return tokens

    async def outbox(self, event_type: str | None = None) -> list[OutboxMessage]:
        async with self.ident.db.session() as session:
            rows = list((await session.exec(select(OutboxMessage))).all())
        return [r for r in rows if event_type is None or r.event_type == event_type]


LOGIN = """mutation($i: LoginInput!) { login(input: $i) {
  accessToken refreshToken tokenType accessTokenExpiresAt refreshTokenExpiresAt
  user { id role } } }"""


def identity_runtime(db: Any, cache: MemoryCache, **settings: Any) -> Identity:
    return Identity.build(
        db=db,
        cache=cache,
        settings=IdentitySettings(**settings),
        tokens=TOKENS,
        keys=KeyRing.generate(),
        hasher=CHEAP_FOR_TESTS,
    )


@pytest.fixture
def identity_settings() -> dict[str, Any]:
    """Overrides of `IdentitySettings` for the `api` fixture."""
    return {}


@pytest.fixture
async def api(
    make_store: MakeStore, settings: Settings, identity_settings: dict[str, Any]
) -> AsyncIterator[Api]:
    database = await make_store("identity")
    cache = MemoryCache()
    ident = identity_runtime(database, cache, **identity_settings)
    verifier = JwtVerifier(
        keys=StaticJwks(ident.keys.jwks()),
        issuer=TOKENS.issuer,
        audience=TOKENS.audience,
        cache=cache,
        leeway_seconds=0,
    )
    resources = Resources(
        component="identity",
        settings=settings,
        database=database,
        cache=cache,
        pubsub=MemoryPubSub(),
        authenticator=verifier,
    )
    resources.extras[EXTRA_KEY] = ident
    app = create_subgraph_app(SPEC, resources)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 4711))
        async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
            yield Api(http, ident)
