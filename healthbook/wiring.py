"""Composition helpers shared by `up` (embedded) and `serve` (distributed)."""

from __future__ import annotations

from typing import Any

import dramatiq

from healthbook.components import SUPERGRAPH_PATH
from healthbook.gateway import gateway_app, tls_files
from healthbook.servers import Server, server
from router.edge.config import EdgeConfig
from subgraphs.shared.auth import Anonymous, Authenticator
from subgraphs.shared.bus import EventBus, build_broker
from subgraphs.shared.cache import Cache
from subgraphs.shared.modules import optional_module
from subgraphs.shared.settings import Settings
from workers import events
from workers.runtime import Runtime


def build_bus(settings: Settings) -> EventBus:
    """The broker for these settings with the routing table derived from the consumers."""
    return EventBus(build_broker(settings), events.event_routes(events.load_consumers()))


def build_authenticator(settings: Settings, cache: Cache) -> Authenticator:
    """The shared JWT verifier when identity's token library is present, else nobody."""
    tokens = optional_module("subgraphs.shared.tokens")
    if tokens is None:
        return Anonymous()
    authenticator: Authenticator = tokens.authenticator_from_settings(settings, cache)
    return authenticator


def declare_actors(broker: dramatiq.Broker, runtime: Runtime) -> list[dramatiq.Actor[Any, Any]]:
    """Every actor of the system: event consumers plus each component's own jobs."""
    runtime.attach(broker)
    actors = events.declare(broker, runtime, events.load_consumers())
    for component in ("notifications",):
        module = optional_module(f"workers.{component}")
        if module is None:
            continue
        actors.extend(module.declare(broker, runtime))
    return actors


def router_server(settings: Settings, authenticator: Authenticator | None = None) -> Server:
    """The router in front of this host's subgraphs (the embedded mode)."""
    edge_config = EdgeConfig.from_env()
    app = gateway_app(
        settings,
        SUPERGRAPH_PATH,
        local_subgraphs=True,
        authenticator=authenticator,
        edge_config=edge_config,
    )
    return server(app, host=settings.host, port=settings.ports["router"], **tls_files(edge_config))
