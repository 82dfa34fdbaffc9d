"""The `/fhir/` HTTP routes: metadata, read and search-type for each resource."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from router.edge.guard import Edge
from router.edge.refusal import Refusal
from router.fhir.capability import SEARCH_PARAMS, capability_statement, require_scope
from router.fhir.graphql import Caller
from router.fhir.outcome import FhirError, operation_outcome
from router.fhir.params import SearchParams
from router.fhir.search import read, search
from router.through_gateway import GatewayRef, HeadersOf

__all__ = ["FHIR_JSON", "fhir_routes"]

FHIR_JSON = "application/fhir+json"
_PUBLISHED = datetime.now(UTC).date().isoformat()


def fhir_routes(gateway_ref: GatewayRef, edge: Edge | None, headers_of: HeadersOf) -> Mount:
    """`/fhir/...`, answered through the gateway with the caller's own rights."""

    async def metadata(request: Request) -> Response:
        return _json(capability_statement(_base(request), _PUBLISHED))

    def handler(
        answer: Callable[[Request, Caller, Any], Any],
    ) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            kind = request.path_params["kind"]
            if kind not in SEARCH_PARAMS:
                return _json(operation_outcome("not-supported", f"No resource {kind}."), 404)
            try:
                principal = await edge.admit(request, csrf=False) if edge is not None else None
                require_scope(principal, kind)
                body = await answer(request, Caller(gateway_ref, headers_of, request), principal)
            except Refusal as refusal:
                code = "login" if refusal.status == 401 else "throttled"
                headers = refusal.headers
                return _json(operation_outcome(code, refusal.message), refusal.status, headers)
            except FhirError as error:
                return _json(error.body(), error.status)
            return _json(body)

        return endpoint

    async def read_one(request: Request, caller: Caller, principal: Any) -> Any:
        return await read(request.path_params["kind"], request.path_params["id"], caller, principal)

    async def search_type(request: Request, caller: Caller, principal: Any) -> Any:
        kind = request.path_params["kind"]
        params = SearchParams(request.query_params, SEARCH_PARAMS[kind])
        found, total = await search(kind, params, caller, principal)
        return _bundle(request, kind, found, total, params)

    return Mount(
        "/fhir",
        routes=[
            Route("/metadata", metadata, methods=["GET"]),
            Route("/{kind}", handler(search_type), methods=["GET"]),
            Route("/{kind}/{id}", handler(read_one), methods=["GET"]),
        ],
    )


def _bundle(
    request: Request, kind: str, found: list[dict[str, Any]], total: int, params: SearchParams
) -> dict[str, Any]:
    base = _base(request)
    page = params.page()
    links = [{"relation": "self", "url": str(request.url)}]
    if page.offset + len(found) < total:
        following = request.url.include_query_params(_offset=page.offset + page.count)
        links.append({"relation": "next", "url": str(following)})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/{kind}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in found
        ],
    }


def _base(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}/fhir"


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers=headers, media_type=FHIR_JSON)
