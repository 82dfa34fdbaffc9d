"""The edge's configuration, read once from environment variables (see `variables.py`)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from router.config import ConfigError, _bool, _int, _positive_float

__all__ = ["EdgeConfig", "Network"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class EdgeConfig:
    production: bool = False
    csrf_prevention: bool = True
    max_body_bytes: int = 2 * 1024 * 1024
    max_tokens: int = 5000
    max_depth: int = 15
    max_aliases: int = 30
    max_root_fields: int = 20
    introspection: bool = True
    field_suggestions: bool = True
    apq: bool = True
    apq_cache_size: int = 1000
    persisted_operations: Path | None = None
    safelist: bool = False
    rate_limit: int = 600
    rate_limit_window: float = 60.0
    redis_url: str = ""
    redis_prefix: str = "healthbook:"
    tls_cert: Path | None = None
    tls_key: Path | None = None
    require_https: bool = False
    hsts_max_age: int = 31_536_000
    trusted_proxies: tuple[Network, ...] = ()
    ping_seconds: float = 15.0
    init_timeout_seconds: float = 10.0
    graphiql: bool = True
    max_cost: int = 0
    default_list_size: int = 10

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> EdgeConfig:
        """Read the edge variables; `ConfigError` names any malformed one."""
        env = os.environ if environ is None else environ
        production = env.get("HEALTHBOOK_ENV", "development") == "production"
        introspection = _bool(env, "ROUTER_INTROSPECTION", not production)
        cert, key = env.get("ROUTER_TLS_CERT") or None, env.get("ROUTER_TLS_KEY") or None
        if (cert is None) != (key is None):
            raise ConfigError("ROUTER_TLS_CERT and ROUTER_TLS_KEY must be set together")
        safelist = _bool(env, "ROUTER_SAFELIST", False)
        operations = env.get("ROUTER_PERSISTED_OPERATIONS") or None
        if safelist and operations is None:
            raise ConfigError("ROUTER_SAFELIST needs ROUTER_PERSISTED_OPERATIONS (the list)")
        return cls(
            production=production,
            csrf_prevention=_bool(env, "ROUTER_CSRF_PREVENTION", True),
            max_body_bytes=_int(env, "ROUTER_MAX_BODY_BYTES", 2 * 1024 * 1024, low=1),
            max_tokens=_int(env, "ROUTER_MAX_TOKENS", 5000, low=1),
            max_depth=_int(env, "ROUTER_MAX_DEPTH", 15, low=1),
            max_aliases=_int(env, "ROUTER_MAX_ALIASES", 30, low=0),
            max_root_fields=_int(env, "ROUTER_MAX_ROOT_FIELDS", 20, low=1),
            introspection=introspection,
            field_suggestions=_bool(env, "ROUTER_FIELD_SUGGESTIONS", introspection),
            apq=_bool(env, "ROUTER_APQ", True),
            apq_cache_size=_int(env, "ROUTER_APQ_CACHE_SIZE", 1000, low=1),
            persisted_operations=Path(operations) if operations else None,
            safelist=safelist,
            rate_limit=_int(env, "ROUTER_RATE_LIMIT", 600, low=0),
            rate_limit_window=_positive_float(
                "ROUTER_RATE_LIMIT_WINDOW_SECONDS",
                env.get("ROUTER_RATE_LIMIT_WINDOW_SECONDS", "60"),
            ),
            redis_url=env.get("REDIS_URL", ""),
            redis_prefix=env.get("REDIS_PREFIX", "healthbook:"),
            tls_cert=Path(cert) if cert else None,
            tls_key=Path(key) if key else None,
            require_https=_bool(env, "ROUTER_REQUIRE_HTTPS", production),
            hsts_max_age=_int(env, "ROUTER_HSTS_MAX_AGE", 31_536_000, low=0),
            trusted_proxies=_networks(env.get("ROUTER_TRUSTED_PROXIES", "")),
            ping_seconds=_positive_float(
                "ROUTER_WS_PING_SECONDS", env.get("ROUTER_WS_PING_SECONDS", "15")
            ),
            init_timeout_seconds=_positive_float(
                "ROUTER_WS_INIT_TIMEOUT_SECONDS", env.get("ROUTER_WS_INIT_TIMEOUT_SECONDS", "10")
            ),
            graphiql=_bool(env, "ROUTER_GRAPHIQL", True),
            max_cost=_int(env, "ROUTER_MAX_COST", 0, low=0),
            default_list_size=_int(env, "ROUTER_DEFAULT_LIST_SIZE", 10, low=0),
        )

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None


def _networks(raw: str) -> tuple[Network, ...]:
    networks: list[Network] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"ROUTER_TRUSTED_PROXIES holds {item!r}, not an address or network"
            ) from None
    return tuple(networks)
