"""`GET /audit/export.ndjson`: the whole audit trail (or a filtered part) as one NDJSON stream.

A thin loop over identity's GraphQL `exportAuditTrail`, run through this router's gateway
with the caller's headers, so the route has the same authentication, signing, limits and
auditing as any operation (each batch is an `AuditTrailExported` entry; a patient's or a
doctor's attempt is `Query.exportAuditTrail` REFUSED). It asks batch after batch
(`afterSeq: lastSeq`, keyset on the chain's `seq`) and writes each out as it arrives: the
client gets every entry in chain order in one response, the router holds one batch at most.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from router.edge.guard import Edge
from router.edge.refusal import Refusal
from router.gateway import GraphQLRequest
from router.through_gateway import GatewayRef, HeadersOf

__all__ = ["NDJSON", "audit_export_route"]

NDJSON: Final = "application/x-ndjson"
FILTERS: Final = (
    "patientId", "actorId", "action", "subjectType", "subjectId", "outcome", "since", "until",
)  # fmt: skip
BATCH_MAX: Final = 10_000
EXPORT: Final = """
query ExportAuditTrail($filter: AuditTrailFilter, $afterSeq: Int!, $limit: Int!) {
  exportAuditTrail(filter: $filter, format: NDJSON, afterSeq: $afterSeq, limit: $limit) {
    body lastSeq complete
  }
}"""
STATUS: Final = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "BAD_USER_INPUT": 400}


def _error(status: int, code: str, message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status)


def _batch_size(value: str | None) -> int | None:
    if value is None:
        return BATCH_MAX
    return int(value) if value.isdigit() and 1 <= int(value) <= BATCH_MAX else None


def audit_export_route(gateway_ref: GatewayRef, edge: Edge | None, headers_of: HeadersOf) -> Route:
    """The route; query parameters are `AuditTrailFilter`'s fields and `batch` (≤ 10,000)."""

    async def export(request: Request) -> Response:
        try:
            if edge is not None:
                await edge.admit(request, csrf=False)
        except Refusal as refusal:
            return refusal.response()
        params = request.query_params
        unknown = sorted(set(params) - {*FILTERS, "batch"})
        batch = _batch_size(params.get("batch"))
        if unknown or batch is None:
            what = f"Unknown parameter {unknown[0]}." if unknown else "batch is 1 to 10000."
            return _error(400, "BAD_USER_INPUT", what)
        gateway = gateway_ref()
        if gateway is None:
            return _error(503, "UNAVAILABLE", "The router is not ready.")
        headers = headers_of(request)
        wanted = {name: params[name] for name in FILTERS if name in params}

        async def fetch(after: int) -> Mapping[str, Any]:
            variables = {"filter": wanted or None, "afterSeq": after, "limit": batch}
            outcome = await gateway.execute(
                GraphQLRequest(query=EXPORT, variables=variables), headers=headers
            )
            return outcome.body

        first = await fetch(0)
        if first.get("errors"):
            code = str(first["errors"][0].get("extensions", {}).get("code", "INTERNAL"))
            return JSONResponse({"errors": first["errors"]}, STATUS.get(code, 502))

        async def lines() -> AsyncIterator[bytes]:
            page = first["data"]["exportAuditTrail"]
            while True:
                yield page["body"].encode()
                if page["complete"]:
                    return
                answer = await fetch(page["lastSeq"])
                if answer.get("errors"):  # the status is sent already: a last line says so
                    yield orjson.dumps({"error": answer["errors"][0]}) + b"\n"
                    return
                page = answer["data"]["exportAuditTrail"]

        disposition = 'attachment; filename="audit-trail.ndjson"'
        return StreamingResponse(
            lines(), media_type=NDJSON, headers={"content-disposition": disposition}
        )

    return Route("/audit/export.ndjson", export, methods=["GET"])
