"""The query graph of a supergraph: what each subgraph can answer, and how to move between them.

A node is a type as one subgraph knows it (`Node("Product", "PRODUCTS")`). Its edges are the
ways a plan can go on from an object of that type held in a fetch to that subgraph:

- a **field edge** per field the subgraph resolves there (not `@external`, not overridden),
  carrying the field's `@requires` condition, its `@provides` paths and the field's type as
  the subgraph declares it (which may differ from the supergraph's);
- a **key edge** to every other subgraph that resolves the type by a key (`_entities`),
  whose condition is the key's field set; an implementation's key edge into a subgraph that
  only knows its interface as an `@interfaceObject` lands on the interface there;
- a **downcast edge** from an abstract type to each object type the subgraph may return
  there, and from an interface object to the implementations through the interface's owner
  (the "fake downcast": only the owner knows an object's concrete `__typename`);
- a **root edge** from each operation root to every subgraph that has that root type.

The graph is built once per supergraph (`build.py`) and only read afterwards; searching it
is `search.py`'s job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from router.ownership import FieldSetTree
from router.supergraph import ContextArgument

__all__ = ["DowncastEdge", "FieldEdge", "KeyEdge", "Node", "QueryGraph"]


@dataclass(frozen=True, order=True)
class Node:
    """A type as one subgraph (its `join__Graph` id) knows it."""

    type_name: str
    graph: str

    def __str__(self) -> str:
        return f"{self.type_name}({self.graph})"


@dataclass(frozen=True)
class FieldEdge:
    """`head.graph` resolves `head.type_name.name`; composite fields lead on to `tail`."""

    head: Node
    name: str
    tail: Node | None
    # The field's type as this subgraph declares it, e.g. `Book!` where the supergraph
    # says `Media!`; fragments sent to the subgraph are written against this type.
    subgraph_type: str
    requires: str | None = None
    provides: str | None = None
    # `@fromContext` arguments: values from an ancestor, sent with an entity fetch.
    context_arguments: tuple[ContextArgument, ...] = ()

    @property
    def conditional(self) -> bool:
        """The field needs values from elsewhere first (`@requires`, `@fromContext`)."""
        return self.requires is not None or bool(self.context_arguments)


@dataclass(frozen=True)
class KeyEdge:
    """From an object held in `head.graph` to the same object in `tail.graph` via `_entities`.

    `conditions` (the key's fields) must be known before the jump; `tail.type_name` is the
    `__typename` of the representation (the interface, for an interface object).
    """

    head: Node
    tail: Node
    key: str
    conditions: FieldSetTree


@dataclass(frozen=True)
class DowncastEdge:
    """From an abstract type to an object type it may be in the same subgraph, or (fake
    downcast, `through_owner`) from an interface object to an implementation."""

    head: Node
    tail: Node
    through_owner: bool = False


@dataclass
class QueryGraph:
    """Nodes and edges of one supergraph, indexed for the planner's questions."""

    graphs: tuple[str, ...]
    nodes: frozenset[Node]
    fields: Mapping[Node, Mapping[str, FieldEdge]]
    entries: Mapping[str, tuple[KeyEdge, ...]]  # by type: key edges into each subgraph
    downcasts: Mapping[Node, tuple[DowncastEdge, ...]]
    roots: Mapping[str, tuple[Node, ...]]  # by root type name ("Query")
    interface_objects: frozenset[Node] = field(default_factory=frozenset)
    interfaces: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # of object types

    def node(self, type_name: str, graph: str) -> Node | None:
        node = Node(type_name, graph)
        return node if node in self.nodes else None

    def field_edge(self, type_name: str, graph: str, name: str) -> FieldEdge | None:
        return self.fields.get(Node(type_name, graph), {}).get(name)

    def edge_for(self, type_name: str, graph: str, name: str) -> FieldEdge | None:
        """The field edge where `graph` holds an object of the type: its own node's, or for a
        subgraph knowing the type only through an `@interfaceObject`, the interface's."""
        edge = self.field_edge(type_name, graph, name)
        if edge is not None or Node(type_name, graph) in self.nodes:
            return edge
        interface = self.interface_object_in(type_name, graph)
        return None if interface is None else self.field_edge(interface, graph, name)

    def interface_object_in(self, type_name: str, graph: str) -> str | None:
        """The interface object through which `graph` knows objects of the type, if any."""
        return next(
            (
                i
                for i in self.interfaces.get(type_name, ())
                if Node(i, graph) in self.interface_objects
            ),
            None,
        )

    def resolvers(self, type_name: str, name: str) -> list[FieldEdge]:
        """Every subgraph's edge for the field, in the supergraph's order of subgraphs."""
        found = (self.edge_for(type_name, g, name) for g in self.graphs)
        return [e for e in found if e is not None]

    def key_edges(self, type_name: str, head_graph: str) -> list[KeyEdge]:
        """Key edges from the type held in `head_graph` into the other subgraphs."""
        head = Node(type_name, head_graph)
        return [
            KeyEdge(head, e.tail, e.key, e.conditions)
            for e in self.entries.get(type_name, ())
            if e.tail.graph != head_graph
        ]

    def entries_into(self, type_name: str, graph: str) -> list[KeyEdge]:
        """The keys by which `graph` takes objects of the type in `_entities`."""
        return [e for e in self.entries.get(type_name, ()) if e.tail.graph == graph]

    def is_entity(self, type_name: str) -> bool:
        return bool(self.entries.get(type_name))

    def is_interface_object(self, type_name: str, graph: str) -> bool:
        return Node(type_name, graph) in self.interface_objects

    def possible_types(self, type_name: str, graph: str) -> list[str]:
        """The object types `graph` may return where its schema says `type_name`."""
        return [
            e.tail.type_name
            for e in self.downcasts.get(Node(type_name, graph), ())
            if not e.through_owner
        ]

    def describe(self) -> str:
        """Every node with its edges, one per line (for people and tests)."""
        lines: list[str] = []
        for node in sorted(self.nodes):
            lines.append(str(node))
            for edge in self.fields.get(node, {}).values():
                tail = f" -> {edge.tail}" if edge.tail else ""
                extra = "".join(
                    f" @{k}({v})"
                    for k, v in (("requires", edge.requires), ("provides", edge.provides))
                    if v
                )
                lines.append(f"  .{edge.name}: {edge.subgraph_type}{tail}{extra}")
            for down in self.downcasts.get(node, ()):
                how = " through the owner" if down.through_owner else ""
                lines.append(f"  ... on {down.tail.type_name}{how} -> {down.tail}")
            for key in self.key_edges(node.type_name, node.graph):
                lines.append(f"  key {{ {key.key} }} -> {key.tail}")
        return "\n".join(lines)
