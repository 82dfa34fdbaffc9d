"""A router with its edge on, over the shop scenario with canned subgraph answers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import httpx
import orjson
from starlette.applications import Starlette

from router.app import create_app
from router.config import RouterConfig
from router.edge.config import EdgeConfig
from router.edge.guard import Edge
from subgraphs.shared.auth import Authenticator
from tests.router.scenarios import all_scenarios

CSRF = {"x-healthbook-csrf": "1"}


def canned(request: httpx.Request) -> httpx.Response:
    """Stands in for the shop subgraphs: `me` for queries, a log line for mutations."""
    body = orjson.loads(request.content)
    if body["query"].startswith("mutation"):
        return httpx.Response(200, json={"data": {"appendLog": ["x"]}})
    return httpx.Response(200, json={"data": {"me": {"id": "1", "name": "Ada"}}})


def edge_app(
    handler: Callable[[httpx.Request], httpx.Response] = canned,
    *,
    authenticator: Authenticator | None = None,
    **changes: Any,
) -> Starlette:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    edge = Edge(dataclasses.replace(EdgeConfig(), **changes), authenticator=authenticator)
    return create_app(
        RouterConfig(),
        supergraph=shop.supergraph(),
        transport=httpx.MockTransport(handler),
        edge=edge,
    )
