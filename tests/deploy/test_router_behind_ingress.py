"""The router the chart deploys serves GraphQL, WebSockets and SSE behind an Ingress.

The chart is rendered by Helm with its default values (plus the secrets an operator must
give, pointing at this machine's Redis and RabbitMQ). The router is started as the
Deployment runs it: with the rendered container's arguments and environment, changed only
where a pod differs from this machine (the supergraph's path in the image, the address it
binds, its two ports). Requests come from a loopback address standing in for the ingress
controller, carrying the X-Forwarded-Proto/For that the controller adds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.deploy.chart_values import INGRESS
from tests.deploy.helm_chart import render_chart
from tests.deploy.processes import IMAGE_SUPERGRAPH
from tests.support.processes import REPO_ROOT, wait_ready
from tests.support.proxy import free_port
from tests.support.suite_logs import keep

pytestmark = pytest.mark.redis

INGRESS_ADDRESS = "127.0.0.2"  # the "ingress controller"
FORWARDED = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}
QUERY = {"query": "query Typename { __typename }", "operationName": "Typename"}


def _rendered_router() -> tuple[list[str], dict[str, str]]:
    """The router container's arguments and environment, secrets resolved."""
    values = json.loads(json.dumps(INGRESS))
    values["secrets"]["values"]["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    values["secrets"]["values"]["BROKER_URL"] = "amqp://guest:guest@127.0.0.1:5672/"
    values["env"] = {**values["env"], "REDIS_PREFIX": f"test-ingress-{os.getpid()}:"}
    manifests = render_chart(values)
    [secret] = [m for m in manifests if m["kind"] == "Secret"]
    [deployment] = [
        m
        for m in manifests
        if m["kind"] == "Deployment" and m["metadata"]["name"] == "demo-healthbook-router"
    ]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    env: dict[str, str] = {}
    for item in container["env"]:
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if ref is None:
            env[item["name"]] = item["value"]
        elif ref["key"] in secret["stringData"]:
            env[item["name"]] = secret["stringData"][ref["key"]]
    args = [str(REPO_ROOT / "schema/supergraph.graphql") if a == IMAGE_SUPERGRAPH else a
            for a in container["args"]]  # fmt: skip
    return args, env


@pytest.fixture(scope="module")
def router(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    args, env = _rendered_router()
    assert env["HEALTHBOOK_ENV"] == "production"
    public, ops = free_port(), free_port()
    env |= {"HEALTHBOOK_HOST": "127.0.0.1", "ROUTER_PORT": str(public)}
    env |= {"HEALTHBOOK_OPS_PORT": str(ops), "PATH": os.environ["PATH"], "PYTHONUNBUFFERED": "1"}
    log = tmp_path_factory.mktemp("router") / "router.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "healthbook", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_ready(f"http://127.0.0.1:{ops}/health/ready", process, log)
            transport = httpx.HTTPTransport(local_address=INGRESS_ADDRESS)
            with httpx.Client(transport=transport, timeout=10) as client:
                yield {"public": public, "ops": ops, "client": client, "log": log}
        finally:
            process.terminate()
            process.wait(30)
            keep(log)


def test_graphql_through_the_ingress_is_served(router: dict[str, Any]) -> None:
    client: httpx.Client = router["client"]
    response = client.post(f"http://127.0.0.1:{router['public']}/graphql", json=QUERY,
                           headers=FORWARDED)  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}
    assert "max-age=" in response.headers["strict-transport-security"]


def test_plain_http_not_from_the_ingress_is_still_refused(router: dict[str, Any]) -> None:
    client: httpx.Client = router["client"]
    response = client.post(f"http://127.0.0.1:{router['public']}/graphql", json=QUERY)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "HTTPS_REQUIRED"


def test_sse_through_the_ingress_streams_the_result(router: dict[str, Any]) -> None:
    client: httpx.Client = router["client"]
    headers = {**FORWARDED, "accept": "text/event-stream"}
    url = f"http://127.0.0.1:{router['public']}/graphql"
    with client.stream("POST", url, json=QUERY, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    assert 'event: next\ndata: {"data":{"__typename":"Query"}}' in text
    assert "event: complete" in text


def test_websockets_through_the_ingress_are_accepted(router: dict[str, Any]) -> None:
    url = f"ws://127.0.0.1:{router['public']}/graphql"
    with connect(
        url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers=FORWARDED,
        source_address=(INGRESS_ADDRESS, 0),
        open_timeout=10,
    ) as websocket:
        websocket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(websocket.recv(timeout=10)) == {"type": "connection_ack"}
        websocket.send(json.dumps({"id": "1", "type": "subscribe", "payload": QUERY}))
        assert json.loads(websocket.recv(timeout=10)) == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"__typename": "Query"}},
        }


def test_metrics_and_health_are_only_on_the_ops_port(router: dict[str, Any]) -> None:
    client: httpx.Client = router["client"]
    public, ops = router["public"], router["ops"]
    client.post(f"http://127.0.0.1:{public}/graphql", json=QUERY, headers=FORWARDED)
    for path in ("/metrics", "/health/ready", "/health/live"):
        assert client.get(f"http://127.0.0.1:{public}{path}", headers=FORWARDED).status_code == 404
    scraped = httpx.get(f"http://127.0.0.1:{ops}/metrics")
    assert scraped.status_code == 200
    assert 'router_requests_total{operation="Typename",status="200"}' in scraped.text
    assert httpx.get(f"http://127.0.0.1:{ops}/health/live").status_code == 200
    assert httpx.get(f"http://127.0.0.1:{ops}/graphql").status_code == 404


def test_the_log_names_no_secret(router: dict[str, Any]) -> None:
    text = Path(router["log"]).read_text(encoding="utf-8")
    assert INGRESS["secrets"]["values"]["HEALTHBOOK_SIGNING_KEY"] not in text
