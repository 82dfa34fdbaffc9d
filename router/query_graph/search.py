"""Search the query graph for the ways to reach a field from the subgraphs holding an object.

The planner holds an object in one or more fetches (the subgraphs "holding" it: the fetch it
came from, and entity fetches already made for it at the same place). To resolve a field
none of them resolves, `routes` looks for chains of key edges from that set to the subgraphs
that do. A key edge may be taken when each field of its key is given by a subgraph already
holding the object (locally: a field edge without `@requires`, or a `@provides`d one); after
the jump the new subgraph holds the object too, so the fields of a later key may come from
several subgraphs (multi-hop keys, any depth).

The search is breadth-first over sets of holding subgraphs, so the first route found to a
subgraph has the fewest jumps (fetches); ties go to the supergraph's order of subgraphs. It
is bounded: at most `MAX_JUMPS` jumps per route and `MAX_STATES` sets of subgraphs visited
per question, and every answer is memoised per (type, holders), so a supergraph's search
cost is paid once per distinct question, not per operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import GraphQLInterfaceType, GraphQLObjectType, get_named_type

from router.ownership import FieldSetTree
from router.query_graph.graph import KeyEdge, QueryGraph

__all__ = ["MAX_JUMPS", "MAX_STATES", "Jump", "PathSearch", "Route"]

MAX_JUMPS = 4
MAX_STATES = 256


@dataclass(frozen=True)
class Jump:
    """One key edge taken, and which holding subgraph gives each top-level key field."""

    edge: KeyEdge
    sources: tuple[tuple[str, str], ...]  # (key field, subgraph giving it)


Route = tuple[Jump, ...]


class PathSearch:
    """Questions about a query graph, each answer memoised."""

    def __init__(self, graph: QueryGraph, schema_types: dict[str, object]) -> None:
        self.graph = graph
        self.types = schema_types
        self._routes: dict[tuple[str, tuple[str, ...]], dict[str, Route]] = {}

    def local(
        self, type_name: str, graph: str, name: str, provided: FieldSetTree | None = None
    ) -> bool:
        """`graph` resolves the field itself where it holds the object (no `@requires`)."""
        edge = self.graph.edge_for(type_name, graph, name)
        if edge is not None:
            return not edge.conditional
        return (
            provided is not None
            and name in provided.names()
            and self.graph.node(type_name, graph) is not None
        )

    def gives(
        self, type_name: str, graph: str, tree: FieldSetTree, provided: FieldSetTree | None = None
    ) -> bool:
        """`graph` can select the whole field set `tree` on the type by itself."""
        for name, sub in tree.fields:
            if name == "__typename":
                continue
            if not self.local(type_name, graph, name, provided):
                return False
            if sub is not None:
                edge = self.graph.edge_for(type_name, graph, name)
                tail = (
                    edge.tail.type_name if edge and edge.tail else self._field_type(type_name, name)
                )
                sub_provided = provided.get(name) if provided else None
                if tail is None or not self.gives(tail, graph, sub, sub_provided):
                    return False
        return True

    def routes(self, type_name: str, holders: tuple[str, ...]) -> dict[str, Route]:
        """The shortest route from the holding subgraphs to every subgraph reachable by keys."""
        memo_key = (type_name, holders)
        found = self._routes.get(memo_key)
        if found is not None:
            return found
        found = {}
        frontier: list[tuple[tuple[str, ...], Route]] = [(holders, ())]
        seen = {frozenset(holders)}
        for _ in range(MAX_JUMPS):
            following: list[tuple[tuple[str, ...], Route]] = []
            for holding, route in frontier:
                for edge in self.graph.entries.get(type_name, ()):
                    target = edge.tail.graph
                    if target in holding:
                        continue
                    sources = self._sources(type_name, edge.conditions, holding)
                    if sources is None:
                        continue
                    longer = (*route, Jump(edge, sources))
                    found.setdefault(target, longer)
                    state = frozenset((*holding, target))
                    if state not in seen and len(seen) < MAX_STATES:
                        seen.add(state)
                        following.append(((*holding, target), longer))
            frontier = following
            if not frontier:
                break
        self._routes[memo_key] = found
        return found

    def route(self, type_name: str, holders: tuple[str, ...], target: str) -> Route | None:
        return self.routes(type_name, holders).get(target)

    def jump_into(self, type_name: str, holders: tuple[str, ...], target: str) -> Jump | None:
        """One key jump into `target` whose key the holders give, even when `target` holds
        the object already (a field with `@requires` needs its own entity fetch)."""
        for edge in self.graph.entries_into(type_name, target):
            sources = self._sources(type_name, edge.conditions, holders)
            if sources is not None:
                return Jump(edge, sources)
        return None

    def _sources(
        self, type_name: str, key: FieldSetTree, holding: tuple[str, ...]
    ) -> tuple[tuple[str, str], ...] | None:
        """For each top-level key field, the earliest holder giving it (fewest dependent
        steps: the object's first fetch is waited for anyway), or None."""
        out: list[tuple[str, str]] = []
        for name, sub in key.fields:
            single = FieldSetTree(((name, sub),))
            giver = next((g for g in holding if self.gives(type_name, g, single)), None)
            if giver is None:
                return None
            out.append((name, giver))
        return tuple(out)

    def _field_type(self, type_name: str, name: str) -> str | None:
        type_ = self.types.get(type_name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType) and name in type_.fields:
            return str(get_named_type(type_.fields[name].type).name)
        return None
