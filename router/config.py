"""Router configuration, read once from environment variables.

- `ROUTER_SUPERGRAPH`: path of the supergraph SDL file (no default).
- `ROUTER_HOST`, `ROUTER_PORT`: where to listen (`127.0.0.1`, `4000`).
- `ROUTER_SUBGRAPH_TIMEOUT`: seconds a subgraph call may take (`30`).
- `ROUTER_SUBGRAPH_<NAME>_TIMEOUT`: the same for one subgraph; `<NAME>` is the subgraph's
  name upper-cased with other characters than letters and digits as `_` (`DOCTORS`).
- `ROUTER_SUBGRAPH_<NAME>_URL`: where that subgraph lives (default: its `@join__graph` url).
- `ROUTER_SUBGRAPH_MAX_CONNECTIONS`: subgraph requests in flight at once, i.e. connections
  in use (`100`); more wait for one.
- `ROUTER_SUBGRAPH_KEEPALIVE`: idle keep-alive connections kept per subgraph origin
  (default: `ROUTER_SUBGRAPH_MAX_CONNECTIONS`); `ROUTER_SUBGRAPH_KEEPALIVE_SECONDS`: how long
  one is kept idle (`30`).
- `ROUTER_WORKERS`: router processes serving one port (`SO_REUSEPORT`), `1`; set it to the
  cores the router may use.
- `ROUTER_DOCUMENT_CACHE_SIZE`, `ROUTER_PLAN_CACHE_SIZE`: LRU cache sizes (`1000`).
- `ROUTER_EXPOSE_QUERY_PLAN`: let the request header `X-Healthbook-Plan: 1` add
  `extensions.queryPlan` (default: on when `HEALTHBOOK_ENV` is `development`, its default).
- `ROUTER_DEDUPLICATE_SUBGRAPH_REQUESTS`: a subgraph query identical to one in flight
  (same body and forwarded headers) shares its answer (`true`, like Hive Gateway).
- `ROUTER_DEDUPLICATE_REQUESTS`: identical client queries in flight (same operation,
  variables and every header that reaches a subgraph) share one execution (`true`);
  `ROUTER_DEDUPLICATE_MUTATIONS`: the same for mutations (`false`).
- `ROUTER_SHARE_SUBSCRIPTIONS`: identical client subscriptions (the same key as inbound
  deduplication) share one upstream subscription and one completed body per event
  (`true`); `false` gives every client subscription its own upstream subscription.
- `ROUTER_READY_CHECKS_SUBGRAPHS`: `/health/ready` also needs every subgraph to answer
  (`false`).
- `ROUTER_OVERRIDE_LABELS`: progressive `@override` labels active for every request,
  comma-separated (none; `percent(N)` labels are rolled per request, see
  `router.override_labels`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from router.edge.variables import EDGE_VARIABLES
from router.override_labels import parse_labels
from subgraphs.shared.settings import Variable

__all__ = ["VARIABLES", "ConfigError", "RouterConfig", "env_name"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_SUBGRAPH_VARIABLE = re.compile(r"^ROUTER_SUBGRAPH_(?P<name>[A-Z0-9_]+)_(?P<what>URL|TIMEOUT)$")


_ROUTER = ("router",)

# Every variable the router reads (per-subgraph ones stand for their pattern), collected by
# `healthbook config example|table`; the edge's own are declared in `router.edge.variables`.
VARIABLES: Final[tuple[Variable, ...]] = (
    Variable(
        "ROUTER_SUPERGRAPH",
        "supergraph SDL file (healthbook passes schema/supergraph.graphql)",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_HOST",
        "address the router binds (healthbook uses HEALTHBOOK_HOST)",
        "127.0.0.1",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_WORKERS",
        "router processes sharing the port (SO_REUSEPORT); one per core it may use",
        "1",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_SUBGRAPH_TIMEOUT", "seconds a subgraph call may take", "30", components=_ROUTER
    ),
    Variable(
        "ROUTER_SUBGRAPH_<NAME>_URL",
        "where subgraph <NAME> (e.g. DOCTORS) lives; default: its supergraph url",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_SUBGRAPH_<NAME>_TIMEOUT",
        "ROUTER_SUBGRAPH_TIMEOUT for one subgraph",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_SUBGRAPH_MAX_CONNECTIONS",
        "subgraph requests in flight at once (connections in use); more wait",
        "100",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_SUBGRAPH_KEEPALIVE",
        "idle keep-alive connections kept per subgraph (default: ROUTER_SUBGRAPH_MAX_CONNECTIONS)",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_SUBGRAPH_KEEPALIVE_SECONDS",
        "how long an idle subgraph connection is kept",
        "30",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_DOCUMENT_CACHE_SIZE",
        "parsed and validated documents kept",
        "1000",
        components=_ROUTER,
    ),
    Variable("ROUTER_PLAN_CACHE_SIZE", "query plans kept", "1000", components=_ROUTER),
    Variable(
        "ROUTER_DEDUPLICATE_SUBGRAPH_REQUESTS",
        "identical subgraph queries in flight share one call (never mutations)",
        "true",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_DEDUPLICATE_REQUESTS",
        "identical client queries in flight (operation, variables, subgraph headers) share "
        "one execution",
        "true",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_DEDUPLICATE_MUTATIONS",
        "the same for identical mutations (same user, same variables) in flight",
        "false",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_SHARE_SUBSCRIPTIONS",
        "identical client subscriptions (operation, variables, subgraph headers) share one "
        "upstream subscription; false: one upstream subscription per client subscription",
        "true",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_EXPOSE_QUERY_PLAN",
        "honour X-Healthbook-Plan: 1 (default: on in development)",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_READY_CHECKS_SUBGRAPHS",
        "/health/ready also asks every subgraph",
        "false",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_OVERRIDE_LABELS",
        "progressive @override labels active for every request, comma-separated "
        "(percent(N) labels are rolled per request)",
        components=_ROUTER,
    ),
    *EDGE_VARIABLES,
)


class ConfigError(ValueError):
    """An environment variable holds a value the router cannot use; the message names it."""


def env_name(subgraph: str) -> str:
    """The `<NAME>` part of a subgraph's variables: `doctors` → `DOCTORS`."""
    return re.sub(r"[^A-Za-z0-9]", "_", subgraph).upper()


@dataclass(frozen=True)
class RouterConfig:
    supergraph_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 4000
    workers: int = 1
    subgraph_timeout: float = 30.0
    subgraph_timeouts: Mapping[str, float] = field(default_factory=dict)
    subgraph_urls: Mapping[str, str] = field(default_factory=dict)
    max_connections: int = 100
    keepalive_connections: int | None = None
    keepalive_seconds: float = 30.0
    document_cache_size: int = 1000
    plan_cache_size: int = 1000
    expose_query_plan: bool = True
    ready_checks_subgraphs: bool = False
    deduplicate_subgraph_requests: bool = True
    deduplicate_requests: bool = True
    deduplicate_mutations: bool = False
    share_subscriptions: bool = True
    override_labels: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RouterConfig:
        """Read the configuration; `ConfigError` names any malformed variable."""
        env = os.environ if environ is None else environ
        development = env.get("HEALTHBOOK_ENV", "development") == "development"
        timeouts: dict[str, float] = {}
        urls: dict[str, str] = {}
        for name, value in env.items():
            match = _SUBGRAPH_VARIABLE.match(name)
            if match is None:
                continue
            if match["what"] == "URL":
                if not value.startswith(("http://", "https://")):
                    raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
                urls[match["name"]] = value
            else:
                timeouts[match["name"]] = _positive_float(name, value)
        supergraph = env.get("ROUTER_SUPERGRAPH")
        return cls(
            supergraph_path=Path(supergraph) if supergraph else None,
            host=env.get("ROUTER_HOST", "127.0.0.1"),
            port=_int(env, "ROUTER_PORT", 4000, low=0, high=65535),
            workers=_int(env, "ROUTER_WORKERS", 1, low=1, high=256),
            subgraph_timeout=_positive_float(
                "ROUTER_SUBGRAPH_TIMEOUT", env.get("ROUTER_SUBGRAPH_TIMEOUT", "30")
            ),
            subgraph_timeouts=timeouts,
            subgraph_urls=urls,
            max_connections=_int(env, "ROUTER_SUBGRAPH_MAX_CONNECTIONS", 100, low=1),
            keepalive_connections=(
                _int(env, "ROUTER_SUBGRAPH_KEEPALIVE", 0, low=0)
                if env.get("ROUTER_SUBGRAPH_KEEPALIVE")
                else None
            ),
            keepalive_seconds=_positive_float(
                "ROUTER_SUBGRAPH_KEEPALIVE_SECONDS",
                env.get("ROUTER_SUBGRAPH_KEEPALIVE_SECONDS", "30"),
            ),
            document_cache_size=_int(env, "ROUTER_DOCUMENT_CACHE_SIZE", 1000, low=1),
            plan_cache_size=_int(env, "ROUTER_PLAN_CACHE_SIZE", 1000, low=1),
            expose_query_plan=_bool(env, "ROUTER_EXPOSE_QUERY_PLAN", development),
            ready_checks_subgraphs=_bool(env, "ROUTER_READY_CHECKS_SUBGRAPHS", False),
            deduplicate_subgraph_requests=_bool(env, "ROUTER_DEDUPLICATE_SUBGRAPH_REQUESTS", True),
            deduplicate_requests=_bool(env, "ROUTER_DEDUPLICATE_REQUESTS", True),
            deduplicate_mutations=_bool(env, "ROUTER_DEDUPLICATE_MUTATIONS", False),
            share_subscriptions=_bool(env, "ROUTER_SHARE_SUBSCRIPTIONS", True),
            override_labels=_labels(env),
        )

    def url_for(self, subgraph: str, default: str) -> str:
        return self.subgraph_urls.get(env_name(subgraph), default)

    def timeout_for(self, subgraph: str) -> float:
        return self.subgraph_timeouts.get(env_name(subgraph), self.subgraph_timeout)


def _int(
    env: Mapping[str, str], name: str, default: int, *, low: int, high: int | None = None
) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < low or (high is not None and value > high):
        raise ConfigError(f"{name} must be between {low} and {high or 'any'}, got {value}")
    return value


def _labels(env: Mapping[str, str]) -> frozenset[str]:
    try:
        return parse_labels(env.get("ROUTER_OVERRIDE_LABELS", ""))
    except ValueError as error:
        raise ConfigError(f"ROUTER_OVERRIDE_LABELS: {error}") from None


def _positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")
