"""Identity's composition root."""

from __future__ import annotations

from subgraphs.identity.routes import on_start, routes
from subgraphs.identity.schema import TYPES, Mutation, Query
from subgraphs.shared.app import SubgraphSpec, schema_factory

SPEC = SubgraphSpec(
    name="identity",
    schema=schema_factory(query=Query, mutation=Mutation, types=TYPES),
    routes=routes,
    on_start=on_start,
)
