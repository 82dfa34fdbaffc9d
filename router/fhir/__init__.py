"""A FHIR R4 read API over the supergraph, served by the router at `/fhir/`.

FHIR REST requests become GraphQL operations run by the router's own gateway, with the
caller's token: the subgraphs that own the data decide who may see it (and audit the read),
exactly as for any GraphQL client. Nothing here stores or caches data.
"""

from router.fhir.routes import fhir_routes

__all__ = ["fhir_routes"]
