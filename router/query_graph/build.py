"""Build the query graph (`graph.py`) of a supergraph from its join metadata."""

from __future__ import annotations

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_composite_type,
)

from router.ownership import Ownership, field_set_tree
from router.query_graph.graph import DowncastEdge, FieldEdge, KeyEdge, Node, QueryGraph
from router.supergraph import Supergraph

__all__ = ["build_query_graph"]

_NOWHERE = ""  # the head of a stored entry: filled in by `QueryGraph.key_edges`


def build_query_graph(supergraph: Supergraph, ownership: Ownership | None = None) -> QueryGraph:
    own = ownership or Ownership(supergraph)
    schema = supergraph.schema
    nodes: set[Node] = set()
    interface_objects: set[Node] = set()
    for type_name, joins in supergraph.type_joins.items():
        if not is_composite_type(schema.get_type(type_name)):
            continue
        for join in joins:
            node = Node(type_name, join.graph)
            nodes.add(node)
            if join.is_interface_object:
                interface_objects.add(node)
    fields: dict[Node, dict[str, FieldEdge]] = {}
    downcasts: dict[Node, tuple[DowncastEdge, ...]] = {}
    for node in nodes:
        type_ = schema.get_type(node.type_name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            fields[node] = _field_edges(own, node, type_)
        if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
            through_owner = node in interface_objects
            downcasts[node] = tuple(
                DowncastEdge(node, Node(member.name, node.graph), through_owner)
                for member in own.possible_types(type_, node.graph)
            )
    roots: dict[str, tuple[Node, ...]] = {}
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is not None:
            roots[root.name] = tuple(
                Node(root.name, g) for g in supergraph.graphs if Node(root.name, g) in nodes
            )
    return QueryGraph(
        graphs=tuple(supergraph.graphs),
        nodes=frozenset(nodes),
        fields=fields,
        entries=_entries(supergraph, own),
        downcasts=downcasts,
        roots=roots,
        interface_objects=frozenset(interface_objects),
        interfaces={
            name: tuple(i.name for i in type_.interfaces)
            for name, type_ in schema.type_map.items()
            if isinstance(type_, GraphQLObjectType) and type_.interfaces
        },
    )


def _field_edges(
    own: Ownership, node: Node, type_: GraphQLObjectType | GraphQLInterfaceType
) -> dict[str, FieldEdge]:
    edges: dict[str, FieldEdge] = {}
    for name, definition in type_.fields.items():
        join = own.join_in(node.type_name, name, node.graph)
        if join is None:
            continue
        subgraph_type = join.type or str(definition.type)
        named = _named(subgraph_type) if join.type else get_named_type(definition.type).name
        composite = is_composite_type(own.supergraph.schema.get_type(named))
        edges[name] = FieldEdge(
            head=node,
            name=name,
            tail=Node(named, node.graph) if composite else None,
            subgraph_type=subgraph_type,
            requires=join.requires,
            provides=join.provides,
            context_arguments=join.context_arguments,
        )
    return edges


def _entries(supergraph: Supergraph, own: Ownership) -> dict[str, tuple[KeyEdge, ...]]:
    """For each type, the key edges into every subgraph that resolves it by key."""
    entries: dict[str, list[KeyEdge]] = {}
    schema = supergraph.schema
    for type_name, joins in supergraph.type_joins.items():
        for join in joins:
            if not join.key or not join.resolvable:
                continue
            tail = Node(type_name, join.graph)
            edge = KeyEdge(Node(type_name, _NOWHERE), tail, join.key, field_set_tree(join.key))
            entries.setdefault(type_name, []).append(edge)
            type_ = schema.get_type(type_name)
            if join.is_interface_object and isinstance(type_, GraphQLInterfaceType):
                # Implementations reach the interface object as the interface.
                for member in schema.get_possible_types(type_):
                    head = Node(member.name, _NOWHERE)
                    entries.setdefault(member.name, []).append(
                        KeyEdge(head, tail, join.key, field_set_tree(join.key))
                    )
    graph_order = list(supergraph.graphs)
    return {
        t: tuple(sorted(es, key=lambda e: graph_order.index(e.tail.graph)))
        for t, es in entries.items()
    }


def _named(type_text: str) -> str:
    return type_text.replace("[", "").replace("]", "").replace("!", "").strip()
