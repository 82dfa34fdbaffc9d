"""Running the facade's GraphQL operations through the router's gateway, as the caller."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from router.fhir.outcome import FhirError
from router.gateway import GraphQLRequest
from router.through_gateway import GatewayRef, HeadersOf

__all__ = ["Caller"]


class Caller:
    """One FHIR request's way to the subgraphs: the caller's token and address go along."""

    def __init__(self, gateway_ref: GatewayRef, headers_of: HeadersOf, request: Request) -> None:
        self._gateway_ref = gateway_ref
        self._headers: Mapping[str, str] = headers_of(request)

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The operation's `data`; any GraphQL error becomes the matching FHIR refusal."""
        gateway = self._gateway_ref()
        if gateway is None:
            raise FhirError(503, "transient", "The router is not ready.")
        outcome = await gateway.execute(
            GraphQLRequest(query=query, variables=variables), headers=self._headers
        )
        errors = outcome.body.get("errors")
        if errors:
            raise FhirError.from_graphql(errors[0])
        data: dict[str, Any] = outcome.body["data"]
        return data
