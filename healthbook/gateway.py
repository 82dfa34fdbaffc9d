"""The router as Healthbook runs it: in front of this system's subgraphs, signing every call."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TypedDict

from starlette.applications import Starlette

from router.app import create_app
from router.config import RouterConfig, env_name
from router.edge.config import EdgeConfig
from router.edge.guard import Edge
from router.subgraph_client import RequestSigner, SignableRequest
from subgraphs.shared.auth import Authenticator
from subgraphs.shared.settings import COMPONENTS, Settings
from subgraphs.shared.signing import SIGNATURE_HEADER, sign


def request_signer(key: str) -> RequestSigner:
    """Signs each outgoing subgraph request with the shared key: body for POST, query for GET,
    its path and the forwarded identity headers it carries (a fresh nonce each time)."""

    def apply(request: SignableRequest) -> None:
        signed = request.content if request.method != "GET" else request.url.query
        request.headers[SIGNATURE_HEADER] = sign(
            signed, key=key, path=request.url.path, headers=request.headers
        )

    return apply


def router_config(settings: Settings, supergraph: Path, *, local_subgraphs: bool) -> RouterConfig:
    """The router's own configuration, pointed at this host's subgraphs in the embedded mode."""
    config = dataclasses.replace(
        RouterConfig.from_env(),
        supergraph_path=supergraph,
        host=settings.host,
        port=settings.ports["router"],
    )
    if local_subgraphs:
        urls = {
            env_name(name): f"http://127.0.0.1:{settings.ports[name]}/graphql"
            for name in COMPONENTS
        }
        config = dataclasses.replace(config, subgraph_urls={**urls, **config.subgraph_urls})
    return config


def gateway_app(
    settings: Settings,
    supergraph: Path,
    *,
    local_subgraphs: bool,
    authenticator: Authenticator | None = None,
    edge_config: EdgeConfig | None = None,
) -> Starlette:
    """The router with every edge rule on; `authenticator` verifies tokens at the edge."""
    signer = request_signer(settings.signing_key) if settings.signing_key else None
    config = router_config(settings, supergraph, local_subgraphs=local_subgraphs)
    edge = Edge(edge_config or EdgeConfig.from_env(), authenticator=authenticator)
    return create_app(config, signer=signer, edge=edge)


class TlsFiles(TypedDict):
    ssl_certfile: str | None
    ssl_keyfile: str | None


def tls_files(edge_config: EdgeConfig) -> TlsFiles:
    """uvicorn's certificate and key arguments (None each without TLS)."""
    cert, key = edge_config.tls_cert, edge_config.tls_key
    return {
        "ssl_certfile": str(cert) if cert else None,
        "ssl_keyfile": str(key) if key else None,
    }
