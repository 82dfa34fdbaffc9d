"""The environment variables of the router's edge (collected by `router.config.VARIABLES`)."""

from __future__ import annotations

from typing import Final

from subgraphs.shared.settings import Variable

__all__ = ["EDGE_VARIABLES"]

_ROUTER = ("router",)

EDGE_VARIABLES: Final[tuple[Variable, ...]] = (
    Variable(
        "ROUTER_MAX_COST",
        "refuse operations whose estimated cost (the supergraph's @cost/@listSize) is above this"
        " (0 = off)",
        "0",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_DEFAULT_LIST_SIZE",
        "list size assumed by the cost estimate where @listSize says nothing",
        "10",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_GRAPHIQL",
        "serve GraphiQL (assets from `make node`) to browsers at GET /graphql",
        "true",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_CSRF_PREVENTION",
        "refuse requests a browser could send cross-site without a preflight",
        "true",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_MAX_BODY_BYTES",
        "largest request body accepted (413 above)",
        "2097152",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_MAX_TOKENS", "most lexical tokens in an operation", "5000", components=_ROUTER
    ),
    Variable("ROUTER_MAX_DEPTH", "deepest field nesting in an operation", "15", components=_ROUTER),
    Variable("ROUTER_MAX_ALIASES", "most aliased fields in an operation", "30", components=_ROUTER),
    Variable(
        "ROUTER_MAX_ROOT_FIELDS", "most root fields in an operation", "20", components=_ROUTER
    ),
    Variable(
        "ROUTER_INTROSPECTION",
        "answer __schema/__type (default: on in development, off in production)",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_FIELD_SUGGESTIONS",
        "'Did you mean …' hints in validation errors (default: as ROUTER_INTROSPECTION)",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_APQ",
        "accept Automatic Persisted Queries (sha256 hashes)",
        "true",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_APQ_CACHE_SIZE",
        "queries the APQ cache keeps per process",
        "1000",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_PERSISTED_OPERATIONS",
        "JSON manifest of persisted operations (plans are warmed from it); unset: none",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_SAFELIST",
        "run only the operations of ROUTER_PERSISTED_OPERATIONS",
        "false",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_RATE_LIMIT",
        "requests per client (user, else address) per window; 0 turns it off",
        "600",
        components=_ROUTER,
    ),
    Variable("ROUTER_RATE_LIMIT_WINDOW_SECONDS", "the rate-limit window", "60", components=_ROUTER),
    Variable(
        "ROUTER_TLS_CERT", "PEM certificate: serve HTTPS (with ROUTER_TLS_KEY)", components=_ROUTER
    ),
    Variable("ROUTER_TLS_KEY", "PEM private key of ROUTER_TLS_CERT", components=_ROUTER),
    Variable(
        "ROUTER_REQUIRE_HTTPS",
        "refuse plain HTTP except health checks (default: on in production)",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_HSTS_MAX_AGE",
        "Strict-Transport-Security max-age sent over HTTPS",
        "31536000",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_TRUSTED_PROXIES",
        "comma-separated proxy addresses/networks whose X-Forwarded-Proto/-For are believed",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_WS_PING_SECONDS",
        "interval of keep-alive pings on subscription sockets and SSE streams",
        "15",
        components=_ROUTER,
    ),
    Variable(
        "ROUTER_WS_INIT_TIMEOUT_SECONDS",
        "time a WebSocket client has to send connection_init",
        "10",
        components=_ROUTER,
    ),
)
