"""Identity's composition root."""

from __future__ import annotations

from subgraphs.identity.schema import Mutation, Query, UserType
from subgraphs.shared.app import SubgraphSpec, schema_factory

SPEC = SubgraphSpec(
    name="identity",
    schema=schema_factory(query=Query, mutation=Mutation, types=[UserType]),
)
