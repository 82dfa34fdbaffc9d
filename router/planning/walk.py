"""Plan an operation into subgraph fetches by walking it over the query graph.

The walk goes down the operation field by field. Every object position (`Place`) knows the
fetches holding it (`Holder`s: the fetch it came from, and the entity fetches already made
for it at that place). A field goes into a holder whose subgraph resolves it (the current
one first, then earlier ones: a fetch already in the plan is reused); otherwise
`router.planning.jumps` finds it a way through the query graph: the cheapest route of key
jumps from the holders to a subgraph that resolves it, or, for fields of value types that
no key can reach, re-entering that subgraph at the nearest ancestor it can reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields

from router.fetch_groups import FetchGroup
from router.ownership import FieldSetTree, field_set_tree
from router.planning.arguments import arguments_of, list_depth, with_added
from router.planning.context import PlanningContext
from router.selection import PlanningError, SelectionBuilder

__all__ = ["Fields", "Holder", "Place", "Step", "Walk"]

Fields = Mapping[str, list[FieldNode]]


@dataclass
class Holder:
    """A fetch selecting the object at a place, and where its fields go in that fetch."""

    group: FetchGroup
    target: SelectionBuilder
    provided: FieldSetTree | None = None
    # Arguments the planner adds to a field here (`@fromContext` values), by field name.
    added_arguments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """How a place is reached from its parent: the field, and the fragment on the way."""

    key: str
    name: str
    arguments: str
    shape: str
    type_condition: str | None  # set when the parent selection was abstract


@dataclass
class Place:
    """An object position in the response: its type, path and holders."""

    type: GraphQLObjectType
    path: tuple[str, ...]
    holders: list[Holder]
    parent: Place | None = None
    step: Step | None = None
    graphs: dict[str, Holder] = field(default_factory=dict)

    def holding(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.group.graph for h in self.holders))

    def add(self, holder: Holder) -> Holder:
        self.holders.append(holder)
        return holder


class Walk:
    """One planning run: the fetch groups made so far and the walk over the operation."""

    def __init__(
        self,
        ctx: PlanningContext,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        from router.planning.jumps import Jumps  # the two halves of one run call each other

        self.ctx = ctx
        self.schema = ctx.schema
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.groups: list[FetchGroup] = []
        self.touched: list[set[int]] = []
        self.jumps = Jumps(self)

    # -- the operation's root ------------------------------------------------------------

    def run(self) -> list[FetchGroup]:
        kind = self.operation.operation
        root_type = self.schema.get_root_type(kind)
        if root_type is None:
            raise PlanningError(f"the schema has no {kind.value} type")
        fields = collect_fields(
            self.schema, self.fragments, self.variables, root_type, self.operation.selection_set
        )
        last: FetchGroup | None = None
        root = Place(root_type, (), [])
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name.startswith("__"):
                continue  # __typename and introspection are answered by the router itself
            graph = self.jumps.choose_root(root_type, name, nodes, prefer=last)
            if kind == OperationType.MUTATION:
                if last is None or last.graph != graph:
                    last = self.new_group(graph, (), "mutation", {g.id for g in self.groups})
                group = last
            else:
                group = self.root_group(graph)
                last = group
            holder = Holder(group, group.selection)
            self.complete_field(root, holder, key, nodes)
        return self.groups

    def root_group(self, graph: str) -> FetchGroup:
        found = next((g for g in self.groups if g.root and g.graph == graph), None)
        return found or self.new_group(graph, (), "query", set())

    # -- fields --------------------------------------------------------------------------

    def plan_fields(self, place: Place, fields: Fields, internal: bool = False) -> None:
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name.startswith("__"):
                continue
            holder = self.local_holder(place, name)
            if holder is None:
                holder = self.jumps.reach(place, name, nodes)
            self.complete_field(place, holder, key, nodes, internal)

    def local_holder(self, place: Place, name: str) -> Holder | None:
        """The holder resolving the field itself: the latest one, else the earliest."""
        local = [
            h
            for h in place.holders
            if self.ctx.search.local(place.type.name, h.group.graph, name, h.provided)
        ]
        if not local:
            return None
        return local[-1] if local[-1] is place.holders[-1] else local[0]

    def complete_field(
        self,
        place: Place,
        holder: Holder,
        key: str,
        nodes: list[FieldNode],
        internal: bool = False,
    ) -> None:
        for touched in self.touched:
            touched.add(holder.group.id)
        node = nodes[0]
        name = node.name.value
        parent = place.type
        field_def = parent.fields[name]
        edge = self.ctx.graph.edge_for(parent.name, holder.group.graph, name)
        shape = edge.subgraph_type if edge else str(field_def.type)
        named = get_named_type(field_def.type)
        arguments = with_added(self.arguments(node, holder.group), holder.added_arguments.get(name))
        key, sub = holder.target.add_field(
            name,
            alias=key,
            arguments=arguments,
            composite=is_composite_type(named),
            internal=internal,
            shape=shape,
        )
        if sub is None:
            return
        if edge is not None and edge.tail is not None:
            named = self.schema.get_type(edge.tail.type_name) or named  # the subgraph's type
        sub_path = (*place.path, key, *("@",) * list_depth(field_def.type))
        if edge is not None and edge.provides:
            provided: FieldSetTree | None = field_set_tree(edge.provides)
        else:
            provided = holder.provided.get(name) if holder.provided else None
        step = Step(key, name, arguments, shape, None)
        self.plan_selection(
            place, step, holder.group, named, nodes, sub, sub_path, provided, internal
        )

    def plan_selection(
        self,
        parent: Place,
        step: Step,
        group: FetchGroup,
        type_: Any,
        nodes: list[FieldNode],
        target: SelectionBuilder,
        path: tuple[str, ...],
        provided: FieldSetTree | None,
        internal: bool = False,
    ) -> None:
        if isinstance(type_, GraphQLObjectType):
            if is_abstract_type(get_named_type(parent.type.fields[step.name].type)):
                target.field("__typename", internal=True)  # the subgraph's type is narrower
            fields = collect_sub_fields(self.schema, self.fragments, self.variables, type_, nodes)
            place = Place(type_, path, [Holder(group, target, provided)], parent, step)
            self.plan_fields(place, fields, internal)
            return
        assert is_abstract_type(type_)
        if self.ctx.graph.is_interface_object(type_.name, group.graph):
            from router.planning.interface_objects import plan_interface_object

            plan_interface_object(self.jumps, parent, step, group, type_, nodes, target, path)
            return
        target.field("__typename", internal=True)
        for runtime_name in self.ctx.graph.possible_types(type_.name, group.graph):
            runtime = self.schema.get_type(runtime_name)
            assert isinstance(runtime, GraphQLObjectType)
            fields = collect_sub_fields(self.schema, self.fragments, self.variables, runtime, nodes)
            if all(n[0].name.value == "__typename" for n in fields.values()):
                continue
            fragment = target.fragment(runtime.name)
            typed_step = Step(step.key, step.name, step.arguments, step.shape, runtime.name)
            place = Place(runtime, path, [Holder(group, fragment, provided)], parent, typed_step)
            self.plan_fields(place, fields, internal)

    # -- groups --------------------------------------------------------------------------

    def find_group(self, graph: str, path: tuple[str, ...], depends_on: set[int]) -> FetchGroup:
        """An entity fetch to `graph` at `path` that may wait for `depends_on`, or a new one."""
        for candidate in self.groups:
            if candidate.root or candidate.graph != graph or candidate.path != path:
                continue
            if candidate.id in depends_on or any(self.depends(d, candidate.id) for d in depends_on):
                continue
            candidate.depends_on |= depends_on
            return candidate
        return self.new_group(graph, path, None, depends_on)

    def depends(self, group_id: int, on: int) -> bool:
        seen: set[int] = set()
        stack = [group_id]
        while stack:
            current = stack.pop()
            if current == on:
                return True
            if current not in seen:
                seen.add(current)
                stack.extend(self.groups[current].depends_on)
        return False

    def new_group(
        self, graph: str, path: tuple[str, ...], root: str | None, depends_on: set[int]
    ) -> FetchGroup:
        group = FetchGroup(id=len(self.groups), graph=graph, path=path, root=root)
        group.depends_on = set(depends_on)
        self.groups.append(group)
        return group

    def arguments(self, node: FieldNode, group: FetchGroup) -> str:
        """The field's arguments as sent; their variables become the fetch's."""
        return arguments_of(node, group.variables)

    def interface(self, name: str) -> GraphQLInterfaceType:
        type_ = self.schema.get_type(name)
        assert isinstance(type_, GraphQLInterfaceType)
        return type_
