"""HTTPS: TLS with a certificate and key, HSTS, plain HTTP refused in production, and
X-Forwarded-Proto believed only from configured proxies."""

from __future__ import annotations

import contextlib
import ipaddress
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from router.edge.config import EdgeConfig
from router.testing.servers import free_port
from tests.router.edge.certificates import self_signed
from tests.router.edge.support import edge_app

QUERY = {"query": "{ me { id } }"}


@contextlib.contextmanager
def serving_tls(app: Starlette, cert: Path, key: Path) -> Iterator[str]:
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "server died"
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield f"https://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_the_router_serves_tls_with_hsts_and_refuses_plain_http_in_production(
    tmp_path: Path,
) -> None:
    cert, key = self_signed(tmp_path)
    config = EdgeConfig.from_env(
        {"HEALTHBOOK_ENV": "production", "ROUTER_TLS_CERT": str(cert), "ROUTER_TLS_KEY": str(key)}
    )
    assert config.tls
    assert config.require_https
    app = edge_app(require_https=True)
    with serving_tls(app, cert, key) as base:
        context = ssl.create_default_context(cafile=str(cert))
        response = httpx.post(f"{base}/graphql", json=QUERY, verify=context)
        assert response.json() == {"data": {"me": {"id": "1"}}}
        assert response.headers["strict-transport-security"] == (
            "max-age=31536000; includeSubDomains"
        )
        with pytest.raises(httpx.ConnectError):
            httpx.post(f"{base}/graphql", json=QUERY, verify=True)  # not a trusted CA
    with TestClient(app, base_url="http://router") as plain:
        refused = plain.post("/graphql", json=QUERY)
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "HTTPS_REQUIRED"
        assert "strict-transport-security" not in refused.headers
        assert plain.get("/health/live").status_code == 200


def test_forwarded_proto_is_believed_only_from_trusted_proxies() -> None:
    proxies = (ipaddress.ip_network("10.0.0.0/8"),)
    app = edge_app(require_https=True, trusted_proxies=proxies)
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    with TestClient(app, base_url="http://router", client=("10.1.2.3", 5000)) as via_proxy:
        response = via_proxy.post("/graphql", json=QUERY, headers=forwarded)
        assert response.status_code == 200
        assert "strict-transport-security" in response.headers
    with TestClient(app, base_url="http://router", client=("198.51.100.7", 5000)) as direct:
        response = direct.post("/graphql", json=QUERY, headers=forwarded)
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "HTTPS_REQUIRED"


def test_trusted_proxies_must_be_addresses_and_tls_needs_both_files() -> None:
    with pytest.raises(ValueError, match="ROUTER_TRUSTED_PROXIES"):
        EdgeConfig.from_env({"ROUTER_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"})
    with pytest.raises(ValueError, match="ROUTER_TLS_KEY"):
        EdgeConfig.from_env({"ROUTER_TLS_CERT": "/tmp/cert.pem"})
    parsed = EdgeConfig.from_env({"ROUTER_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1"})
    assert len(parsed.trusted_proxies) == 2
