"""The connection fields of identity's lists: `edges`, `nodes`, `pageInfo`, `totalCount`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Self, TypeVar

import strawberry

from subgraphs.shared.connections import ConnectionPageInfo, Edge, Window, edges, page_facts

Node = TypeVar("Node")

MOVED = "Use the connection's "


@strawberry.type(name="IdentityPageInfo", description="Where a page of an identity list is.")
class IdentityPageInfo(ConnectionPageInfo):
    pass


@dataclass(frozen=True)
class Connection(Generic[Node]):
    """The connection fields of one page of `nodes` read at `at` from a list of `total`."""

    edges: list[Edge[Node]]
    page_info: IdentityPageInfo

    @classmethod
    def of(
        cls, *, list_name: str, at: Window, nodes: Sequence[Node], total: int
    ) -> Connection[Node]:
        facts = page_facts(list_name=list_name, offset=at.offset, count=len(nodes), total=total)
        return cls(
            edges=edges(list_name=list_name, offset=at.offset, rows=nodes, to_node=_same),
            page_info=IdentityPageInfo.of(facts),
        )


def _same(node: Node) -> Node:
    return node


@strawberry.type
class ListPage(Generic[Node]):
    """A page of an identity list: the connection fields, and the deprecated offset fields."""

    items: list[Node] = strawberry.field(deprecation_reason=MOVED + "`nodes`.")
    total: int = strawberry.field(deprecation_reason=MOVED + "`totalCount`.")
    offset: int = strawberry.field(
        deprecation_reason=MOVED + "`pageInfo.startCursor` / `endCursor` with `after`."
    )
    limit: int = strawberry.field(deprecation_reason="Use the field's `first` argument.")
    edges: list[Edge[Node]] = strawberry.field(
        description="The items of this page, each with its cursor."
    )
    page_info: IdentityPageInfo = strawberry.field(
        description="Where this page is; pass `endCursor` as `after` for the next one."
    )
    total_count: int = strawberry.field(description="How many items the list holds.")

    @strawberry.field(description="The items of this page, in order.")
    def nodes(self) -> list[Node]:
        return self.items

    @classmethod
    def of(cls, *, list_name: str, at: Window, nodes: list[Node], total: int) -> Self:
        """The page of `nodes` read at `at` from a list of `total` items."""
        parts = Connection.of(list_name=list_name, at=at, nodes=nodes, total=total)
        return cls(
            items=nodes,
            total=total,
            offset=at.offset,
            limit=at.limit,
            edges=parts.edges,
            page_info=parts.page_info,
            total_count=total,
        )
