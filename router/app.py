"""The router's HTTP server: GraphQL over HTTP, health and metrics (the composition root)."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from graphql import OperationType
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from router.audit_export import audit_export_route
from router.calendar import calendar_routes
from router.config import RouterConfig
from router.edge.guard import Edge
from router.edge.refusal import Refusal
from router.fhir import fhir_routes
from router.gateway import Gateway, GraphQLRequest, Outcome, RequestError, rejected
from router.graphiql import graphiql_page, graphiql_route, wants_graphiql
from router.http_pool import HttpPool
from router.inflight import InflightRequests, request_key
from router.metrics import RouterMetrics
from router.override_labels import Roll
from router.subgraph_client import FORWARDED_HEADERS, REQUEST_ID, RequestSigner, SubgraphClient
from router.subgraph_transport import HttpxSender, PoolSender, Sender
from router.subscriptions.service import StreamService
from router.subscriptions.sharing import SharedStreams
from router.subscriptions.sse import stream_response, wants_event_stream
from router.subscriptions.websocket import serve_websocket
from router.supergraph import Supergraph, load_supergraph
from router.telemetry import TracingMiddleware
from router.web_session import session_routes
from router.webapp import web_routes

__all__ = ["PLAN_HEADER", "create_app", "subgraph_headers"]


def subgraph_headers(request: Request) -> dict[str, str]:
    """What a subgraph call carries from the client's request: credentials, trace context,
    and the client's address as `X-Forwarded-For` (the peer, or the client a trusted proxy
    named), so that subgraphs throttle and audit per client rather than per router, and a
    fresh `X-Request-ID` (never the client's) shared by every call of this request, so that
    a read the plan makes twice is audited once (not part of any deduplication key)."""
    headers = {k: v for k in FORWARDED_HEADERS if (v := request.headers.get(k))}
    headers[REQUEST_ID] = uuid.uuid4().hex
    if request.client is not None and request.client.host:
        headers["x-forwarded-for"] = request.client.host
    return headers


GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# Request header asking for `extensions.queryPlan` (honoured when the config allows it).
PLAN_HEADER = "x-healthbook-plan"


@dataclass
class _State:
    gateway: Gateway | None = None


def create_app(
    config: RouterConfig,
    *,
    supergraph: Supergraph | None = None,
    signer: RequestSigner | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    edge: Edge | None = None,
    roll: Roll | None = None,
) -> Starlette:
    """A router app; it loads `config.supergraph_path` at startup unless given `supergraph`.

    `edge` adds the rules of `router.edge` (CSRF, limits, persisted queries, rate limits,
    HTTPS policy, keep-alive pool); without it the router trusts its callers (tests, benches).
    `roll` is the random source of progressive `@override` `percent(N)` labels (seeded in
    tests; default a fresh `random.Random`).
    """
    metrics = RouterMetrics()
    state = _State()
    inflight: InflightRequests[Outcome] = InflightRequests()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        loaded = supergraph
        if loaded is None:
            if config.supergraph_path is None:
                raise RuntimeError("ROUTER_SUPERGRAPH is not set and no supergraph was given")
            loaded = load_supergraph(config.supergraph_path)
        async with (
            _subgraph_sender(config, transport) as sender,
            edge.running() if edge else contextlib.nullcontext(),
        ):
            graphs = loaded.graphs.values()
            client = SubgraphClient(
                sender,
                {g.name: config.url_for(g.name, g.url) for g in graphs},
                timeout=config.subgraph_timeout,
                timeouts={g.name: config.timeout_for(g.name) for g in graphs},
                signer=signer,
                observer=metrics.observe_fetch,
                deduplicate=config.deduplicate_subgraph_requests,
            )
            state.gateway = Gateway(
                loaded,
                client,
                document_cache_size=config.document_cache_size,
                plan_cache_size=config.plan_cache_size,
                override_labels=config.override_labels,
                roll=roll,
            )
            if edge is not None:
                edge.warm(state.gateway)
            try:
                yield
            finally:
                state.gateway = None
                await streams.aclose()

    async def graphql(request: Request) -> Response:
        started = time.perf_counter()
        if (edge is None or edge.config.graphiql) and wants_graphiql(request):
            return graphiql_page()
        gateway = state.gateway
        if gateway is None:
            return JSONResponse({"errors": [{"message": "The router is not ready."}]}, 503)
        accept = request.headers.get("accept")
        media = _negotiate(accept)
        if media is None and not wants_event_stream(accept):
            return JSONResponse({"errors": [{"message": "Not acceptable."}]}, 406)
        try:
            principal = await edge.admit(request) if edge is not None else None
            parsed = await _read_request(request)
            if isinstance(parsed, Response):
                return parsed
            if media is None:  # GraphQL over SSE
                forwarded = subgraph_headers(request)
                return stream_response(streams, parsed, forwarded, principal, request.method)
            if edge is not None:
                parsed = edge.resolve(parsed)
        except Refusal as refusal:
            metrics.observe_request(None, refusal.status, time.perf_counter() - started, 1)
            return refusal.response()
        try:
            prepared = gateway.prepare(parsed)
        except RequestError as error:
            outcome = rejected(error, parsed.operation_name)
        else:
            if request.method == "GET" and prepared.kind != OperationType.QUERY:
                return JSONResponse(
                    {"errors": [{"message": "Only queries may be sent with GET; use POST."}]},
                    405,
                    headers={"allow": "POST"},
                )
            headers = subgraph_headers(request)
            if _shares(config, prepared.kind):
                key = request_key(prepared.key, parsed.variables, headers)
                outcome = await inflight.share(
                    key, lambda: gateway.run(prepared, parsed.variables, headers=headers)
                )
            else:
                outcome = await gateway.run(prepared, parsed.variables, headers=headers)
        assert media is not None
        status = 400 if outcome.rejected and media == GRAPHQL_RESPONSE else 200
        body = edge.scrub(outcome.body) if edge is not None else outcome.body
        if (
            config.expose_query_plan
            and outcome.plan is not None
            and request.headers.get(PLAN_HEADER) in ("1", "true")
        ):
            plan = outcome.plan
            body = {
                **body,
                "extensions": {"queryPlan": {**plan.to_json(), "text": plan.describe()}},
            }
        metrics.observe_request(
            outcome.operation_name,
            status,
            time.perf_counter() - started,
            len(body.get("errors", ())),
        )
        return Response(orjson.dumps(body), status, media_type=media)

    streams = StreamService(
        lambda: state.gateway,
        edge=edge,
        signer=signer,
        ping_seconds=edge.config.ping_seconds if edge else 15.0,
        init_timeout=edge.config.init_timeout_seconds if edge else 10.0,
        shared=SharedStreams() if config.share_subscriptions else None,
    )

    async def subscriptions(websocket: WebSocket) -> None:
        await serve_websocket(websocket, streams)

    async def live(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(_request: Request) -> Response:
        gateway = state.gateway
        if gateway is None:
            return JSONResponse({"status": "starting"}, 503)
        if config.ready_checks_subgraphs:
            down = await _unreachable(gateway.client)
            if down:
                return JSONResponse({"status": "degraded", "unreachable": down}, 503)
        return JSONResponse({"status": "ready"})

    async def exposition(_request: Request) -> Response:
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4")

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", subscriptions),
            graphiql_route(),
            fhir_routes(lambda: state.gateway, edge, subgraph_headers),
            audit_export_route(lambda: state.gateway, edge, subgraph_headers),
            calendar_routes(lambda: state.gateway, edge, subgraph_headers),
            Route("/health/live", live),
            Route("/health/ready", ready),
            Route("/metrics", exposition),
            *session_routes(lambda: state.gateway, edge),
            *web_routes(),  # last: the web app's page answers every other GET path
        ],
        lifespan=lifespan,
        middleware=[Middleware(TracingMiddleware), *(edge.middleware() if edge else [])],
    )
    app.state.metrics = metrics
    app.state.gateway_ref = lambda: state.gateway
    app.state.inflight = inflight
    app.state.streams = streams
    return app


@contextlib.asynccontextmanager
async def _subgraph_sender(
    config: RouterConfig, transport: httpx.AsyncBaseTransport | None
) -> AsyncIterator[Sender]:
    """The lean keep-alive pool; an httpx client when a test injects an httpx transport."""
    keepalive = config.keepalive_connections
    sender: Sender
    if transport is not None:
        sender = HttpxSender(httpx.AsyncClient(transport=transport))
    else:
        pool = HttpPool(
            max_connections=config.max_connections,
            max_keepalive=config.max_connections if keepalive is None else keepalive,
            keepalive_expiry=config.keepalive_seconds,
        )
        sender = PoolSender(pool)
    try:
        yield sender
    finally:
        await sender.aclose()


def _shares(config: RouterConfig, kind: OperationType) -> bool:
    if kind == OperationType.QUERY:
        return config.deduplicate_requests
    return kind == OperationType.MUTATION and config.deduplicate_mutations


def _negotiate(accept: str | None) -> str | None:
    if not accept:
        return JSON
    if GRAPHQL_RESPONSE in accept:
        return GRAPHQL_RESPONSE
    if JSON in accept or "*/*" in accept or "application/*" in accept:
        return JSON
    return None


async def _read_request(request: Request) -> GraphQLRequest | Response:
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        if "variables" in params:
            try:
                params["variables"] = orjson.loads(params["variables"])
            except orjson.JSONDecodeError:
                return _bad_request("The variables parameter is not JSON.")
    else:
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith(JSON):
            return JSONResponse(
                {"errors": [{"message": "Send GraphQL requests as application/json."}]}, 415
            )
        try:
            params = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _bad_request("The request body is not JSON.")
        if not isinstance(params, dict):
            return _bad_request("The request body must be a JSON object.")
    query = params.get("query")
    operation_name = params.get("operationName")
    variables = params.get("variables")
    extensions = params.get("extensions")
    if isinstance(extensions, str):  # GET: a JSON parameter
        try:
            extensions = orjson.loads(extensions)
        except orjson.JSONDecodeError:
            return _bad_request("The extensions parameter is not JSON.")
    if extensions is not None and not isinstance(extensions, dict):
        return _bad_request("extensions must be an object.")
    if query is None and extensions and "persistedQuery" in extensions:
        query = ""  # the edge fills it in from the persisted-query cache
    elif not isinstance(query, str) or not query:
        return _bad_request("Must provide query string.")
    if operation_name is not None and not isinstance(operation_name, str):
        return _bad_request("operationName must be a string.")
    if variables is not None and not isinstance(variables, dict):
        return _bad_request("variables must be an object.")
    return GraphQLRequest(
        query=query, operation_name=operation_name, variables=variables, extensions=extensions
    )


def _bad_request(message: str) -> Response:
    return JSONResponse({"errors": [{"message": message}]}, 400)


async def _unreachable(client: SubgraphClient) -> list[str]:
    async def check(name: str) -> str | None:
        try:
            await client.fetch(name, {"query": "{ __typename }"}, {})
        except Exception:
            return name
        return None

    results = await asyncio.gather(*(check(name) for name in client.urls))
    return [name for name in results if name]
