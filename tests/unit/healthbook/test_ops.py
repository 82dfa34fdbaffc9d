"""The ops port: /metrics and health apart from the public port."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from healthbook.ops import ops_app, ops_port, public_app
from subgraphs.shared.settings import ConfigError


def _app() -> Starlette:
    async def text(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"app {request.url.path}")

    paths = ("/graphql", "/metrics", "/health/live", "/health/ready")
    return Starlette(routes=[Route(path, text) for path in paths])


async def _get(app: object, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


def test_the_ops_port_is_read_from_the_environment() -> None:
    assert ops_port({}) is None
    assert ops_port({"HEALTHBOOK_OPS_PORT": "0"}) is None
    assert ops_port({"HEALTHBOOK_OPS_PORT": "9464"}) == 9464
    for wrong in ("metrics", "70000", "-1"):
        with pytest.raises(ConfigError, match="HEALTHBOOK_OPS_PORT"):
            ops_port({"HEALTHBOOK_OPS_PORT": wrong})


async def test_the_public_port_hides_metrics_and_health_only() -> None:
    public = public_app(_app())
    for path in ("/metrics", "/health/live", "/health/ready"):
        assert (await _get(public, path)).status_code == 404
    assert (await _get(public, "/graphql")).text == "app /graphql"


async def test_the_ops_port_serves_health_and_the_given_exposition_only() -> None:
    ops = ops_app(_app(), lambda: b"metric_total 1\n")
    assert (await _get(ops, "/health/ready")).text == "app /health/ready"
    assert (await _get(ops, "/metrics")).text == "metric_total 1\n"
    assert (await _get(ops, "/graphql")).status_code == 404
    assert (await _get(ops_app(_app()), "/metrics")).text == "app /metrics"
