"""Which subgraph can resolve which field: the join facts the query graph is built from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from graphql import (
    FieldNode,
    GraphQLAbstractType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
    parse,
)
from graphql.language import OperationDefinitionNode

from router.override_labels import percent_of
from router.supergraph import FieldJoin, Supergraph, TypeJoin

__all__ = ["FieldSetTree", "Ownership", "label_active", "parse_field_set"]


def label_active(label: str, active: frozenset[str] = frozenset()) -> bool:
    """Whether a progressive `@override` label is in effect for this plan: named in
    `active` (rolled per request by `router.override_labels`), or `percent(100)`."""
    return label in active or percent_of(label) == 100


def _in_effect(join: FieldJoin, active: frozenset[str]) -> bool:
    """A join with a progressive override label resolves the field now."""
    if join.override_label is None:
        return True
    in_effect = label_active(join.override_label, active)
    return in_effect if join.override is not None else not in_effect


@dataclass(frozen=True)
class FieldSetTree:
    """A parsed `join__FieldSet` ("id", "price weight", "owner { id }") as nested names."""

    fields: tuple[tuple[str, FieldSetTree | None], ...]

    def get(self, name: str) -> FieldSetTree | None:
        return next((sub for n, sub in self.fields if n == name), None)

    def names(self) -> set[str]:
        return {n for n, _ in self.fields}


@cache
def parse_field_set(field_set: str) -> SelectionSetNode:
    """Parse a field set as a selection set."""
    (definition,) = parse("{" + field_set + "}", no_location=True).definitions
    assert isinstance(definition, OperationDefinitionNode)
    return definition.selection_set


@cache
def field_set_tree(field_set: str) -> FieldSetTree:
    return _tree(parse_field_set(field_set))


def _tree(selection_set: SelectionSetNode) -> FieldSetTree:
    out: dict[str, FieldSetTree | None] = {}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            sub = _tree(selection.selection_set) if selection.selection_set else None
            out[selection.name.value] = _merge(out.get(selection.name.value), sub)
        elif isinstance(selection, InlineFragmentNode):
            for name, sub in _tree(selection.selection_set).fields:
                out[name] = _merge(out.get(name), sub)
    return FieldSetTree(tuple(out.items()))


def _merge(a: FieldSetTree | None, b: FieldSetTree | None) -> FieldSetTree | None:
    if a is None or b is None:
        return a or b
    merged = dict(a.fields)
    for name, sub in b.fields:
        merged[name] = _merge(merged.get(name), sub)
    return FieldSetTree(tuple(merged.items()))


class Ownership:
    """Answers about the supergraph's join metadata, with the answers memoised."""

    def __init__(self, supergraph: Supergraph, active_labels: frozenset[str] = frozenset()) -> None:
        self.supergraph = supergraph
        self.active_labels = active_labels
        self.graph_order = list(supergraph.graphs)
        self._resolvers: dict[tuple[str, str], tuple[FieldJoin, ...]] = {}

    def type_joins(self, type_name: str) -> tuple[TypeJoin, ...]:
        return self.supergraph.type_joins.get(type_name, ())

    def in_graph(self, type_name: str, graph: str) -> bool:
        return any(j.graph == graph for j in self.type_joins(type_name))

    def is_interface_object(self, type_name: str, graph: str) -> bool:
        return any(j.graph == graph and j.is_interface_object for j in self.type_joins(type_name))

    def resolvers(self, type_name: str, field_name: str) -> tuple[FieldJoin, ...]:
        """The joins of the graphs that can resolve the field (not external, not overridden)."""
        cached = self._resolvers.get((type_name, field_name))
        if cached is not None:
            return cached
        raw = self.supergraph.field_joins.get((type_name, field_name), ())
        joins = [j for j in raw if j.graph is not None]
        if raw and not joins:
            # `@join__field` without a graph: contributed by an @interfaceObject.
            result = tuple(
                j
                for interface in self.interfaces(type_name)
                for j in self.resolvers(interface, field_name)
                if j.graph is not None and self.is_interface_object(interface, j.graph)
            )
        elif joins:
            result = tuple(
                j
                for j in joins
                if not j.external and not j.used_overridden and _in_effect(j, self.active_labels)
            )
        else:
            result = tuple(
                FieldJoin(graph=t.graph)
                for t in self.type_joins(type_name)
                if not t.is_interface_object or self._declares_interface_field(type_name)
            )
            result = tuple(dict.fromkeys(result))
        self._resolvers[(type_name, field_name)] = result
        return result

    def _declares_interface_field(self, type_name: str) -> bool:
        return isinstance(self.supergraph.schema.get_type(type_name), GraphQLInterfaceType)

    def interfaces(self, type_name: str) -> list[str]:
        type_ = self.supergraph.schema.get_type(type_name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            return [i.name for i in type_.interfaces]
        return []

    def join_in(self, type_name: str, field_name: str, graph: str) -> FieldJoin | None:
        return next((j for j in self.resolvers(type_name, field_name) if j.graph == graph), None)

    def possible_types(self, abstract: GraphQLAbstractType, graph: str) -> list[GraphQLObjectType]:
        """The object types `graph` may return where the schema says `abstract`."""
        schema = self.supergraph.schema
        if isinstance(abstract, GraphQLUnionType):
            members = self.supergraph.union_members.get(abstract.name, {}).get(graph)
            candidates = list(abstract.types)
            if members is not None:
                return [t for t in candidates if t.name in members]
            return [t for t in candidates if self.in_graph(t.name, graph)]
        candidates = list(schema.get_possible_types(abstract))
        if self.is_interface_object(abstract.name, graph):
            return candidates
        return [
            t
            for t in candidates
            if abstract.name in self.supergraph.implements.get(t.name, {}).get(graph, frozenset())
            or (not self.supergraph.implements and self.in_graph(t.name, graph))
        ]
