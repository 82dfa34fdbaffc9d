"""Plan an operation into subgraph fetches.

The planner walks the operation over the supergraph schema, keeping each field in the fetch
of the subgraph it is planning for when that subgraph can resolve it, and otherwise opening
(or joining) an `_entities` fetch to a subgraph that can, through a key both sides know.
Required fields (`@requires`) are planned first at the same place and the entity fetch
waits for every fetch they landed in. Fetches at the same place to the same subgraph are
merged, so each subgraph gets one `_entities` call per place in the response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    print_ast,
    visit,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields
from graphql.language import Visitor

from router.fetch_groups import FetchGroup, RepresentationBuilder, to_fetches
from router.ownership import FieldSetTree, Ownership, field_set_tree, parse_field_set
from router.plan import Fetch, QueryPlan
from router.selection import (
    FieldSelection,
    PlanningError,
    Selection,
    SelectionBuilder,
)
from router.supergraph import Supergraph

__all__ = ["Planner", "PlanningError"]

Fields = Mapping[str, list[FieldNode]]


class Planner:
    """Turns operations into `QueryPlan`s for one supergraph."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.ownership = Ownership(supergraph)

    def plan(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> QueryPlan:
        """Plan `operation`; `variables` decide its `@skip`/`@include` conditions."""
        return _Build(self, operation, dict(fragments), dict(variables)).run()


class _Build:
    def __init__(
        self,
        planner: Planner,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.own = planner.ownership
        self.schema = planner.supergraph.schema
        self.names = {g.id: g.name for g in planner.supergraph.graphs.values()}
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.groups: list[FetchGroup] = []
        self.touched: list[set[int]] = []

    # -- the operation's root ------------------------------------------------------------

    def run(self) -> QueryPlan:
        kind = self.operation.operation
        root_type = self.schema.get_root_type(kind)
        if root_type is None:
            raise PlanningError(f"the schema has no {kind.value} type")
        fields = collect_fields(
            self.schema, self.fragments, self.variables, root_type, self.operation.selection_set
        )
        last: FetchGroup | None = None
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name.startswith("__"):
                continue  # __typename and introspection are answered by the router itself
            graph = self.choose_graph(root_type, name, nodes, prefer=last.graph if last else None)
            if kind == OperationType.MUTATION:
                if last is None or last.graph != graph:
                    last = self.new_group(graph, (), "mutation", {g.id for g in self.groups})
                group = last
            else:
                found = next((g for g in self.groups if g.root and g.graph == graph), None)
                group = found or self.new_group(graph, (), "query", set())
                last = group
            self.complete_field(group, root_type, key, nodes, group.selection, (), None)
        return QueryPlan(kind=kind.value, fetches=self.fetches())

    # -- fields --------------------------------------------------------------------------

    def plan_fields(
        self,
        group: FetchGroup,
        parent: GraphQLObjectType,
        fields: Fields,
        target: SelectionBuilder,
        path: tuple[str, ...],
        provided: FieldSetTree | None,
        internal: bool = False,
    ) -> None:
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name.startswith("__"):
                continue
            if self.local(group.graph, parent.name, name, provided):
                self.complete_field(group, parent, key, nodes, target, path, provided, internal)
                continue
            graph = self.choose_graph(parent, name, nodes, prefer=None, source=group.graph)
            dep, dep_target = self.entity_group(group, parent, target, path, graph, name)
            self.complete_field(dep, parent, key, nodes, dep_target, path, None, internal)

    def local(
        self, graph: str, type_name: str, field_name: str, provided: FieldSetTree | None
    ) -> bool:
        join = self.own.join_in(type_name, field_name, graph)
        if join is not None:
            return join.requires is None
        return (
            provided is not None
            and field_name in provided.names()
            and self.own.in_graph(type_name, graph)
        )

    def complete_field(
        self,
        group: FetchGroup,
        parent: GraphQLObjectType,
        key: str,
        nodes: list[FieldNode],
        target: SelectionBuilder,
        path: tuple[str, ...],
        provided: FieldSetTree | None,
        internal: bool = False,
    ) -> None:
        for touched in self.touched:
            touched.add(group.id)
        node = nodes[0]
        name = node.name.value
        field_def = parent.fields[name]
        named = get_named_type(field_def.type)
        key, sub = target.add_field(
            name,
            alias=key,
            arguments=self.arguments(node, group),
            composite=is_composite_type(named),
            internal=internal,
        )
        if sub is None:
            return
        sub_path = (*path, key, *("@",) * _list_depth(field_def.type))
        join = self.own.join_in(parent.name, name, group.graph)
        if join is not None and join.provides:
            sub_provided: FieldSetTree | None = field_set_tree(join.provides)
        else:
            sub_provided = provided.get(name) if provided else None
        self.plan_selection(group, named, nodes, sub, sub_path, sub_provided, internal)

    def plan_selection(
        self,
        group: FetchGroup,
        type_: Any,
        nodes: list[FieldNode],
        target: SelectionBuilder,
        path: tuple[str, ...],
        provided: FieldSetTree | None,
        internal: bool = False,
    ) -> None:
        if isinstance(type_, GraphQLObjectType):
            fields = collect_sub_fields(self.schema, self.fragments, self.variables, type_, nodes)
            self.plan_fields(group, type_, fields, target, path, provided, internal)
            return
        assert is_abstract_type(type_)
        abstract: GraphQLAbstractType = type_
        if self.own.is_interface_object(abstract.name, group.graph):
            self.plan_interface_object(group, type_, nodes, target, path, provided)
            return
        target.field("__typename", internal=True)
        for runtime in self.own.possible_types(abstract, group.graph):
            fields = collect_sub_fields(self.schema, self.fragments, self.variables, runtime, nodes)
            if all(n[0].name.value == "__typename" for n in fields.values()):
                continue
            self.plan_fields(
                group, runtime, fields, target.fragment(runtime.name), path, provided, internal
            )

    def plan_interface_object(
        self,
        group: FetchGroup,
        interface: GraphQLInterfaceType,
        nodes: list[FieldNode],
        target: SelectionBuilder,
        path: tuple[str, ...],
        provided: FieldSetTree | None,
    ) -> None:
        """Objects of an @interfaceObject: its own fields here, the rest from the interface's
        owner, which also tells each object's concrete type."""
        local: dict[str, list[FieldNode]] = {}
        elsewhere: dict[str, dict[str, list[FieldNode]]] = {}
        for runtime in self.schema.get_possible_types(interface):
            fields = collect_sub_fields(self.schema, self.fragments, self.variables, runtime, nodes)
            for key, field_nodes in fields.items():
                name = field_nodes[0].name.value
                if (
                    name != "__typename"
                    and name in interface.fields
                    and self.local(group.graph, interface.name, name, provided)
                ):
                    local.setdefault(key, field_nodes)
                else:
                    elsewhere.setdefault(runtime.name, {})[key] = field_nodes
        self.plan_fields(group, interface, local, target, path, provided)  # type: ignore[arg-type]
        if not elsewhere:
            return
        owner = next(
            (
                j.graph
                for j in self.own.type_joins(interface.name)
                if j.key and j.resolvable and not j.is_interface_object
            ),
            None,
        )
        if owner is None:
            raise PlanningError(f"no subgraph resolves the concrete types of {interface.name}")
        dep, dep_target = self.jump(group, interface, target, path, owner, None)  # type: ignore[arg-type]
        dep_target.field("__typename", internal=True)
        for runtime_name, fields in elsewhere.items():
            member = self.schema.get_type(runtime_name)
            assert isinstance(member, GraphQLObjectType)
            remaining = {k: v for k, v in fields.items() if k not in local}
            if any(v[0].name.value != "__typename" for v in remaining.values()):
                self.plan_fields(
                    dep, member, remaining, dep_target.fragment(member.name), path, None
                )

    # -- choosing subgraphs --------------------------------------------------------------

    def choose_graph(
        self,
        parent: GraphQLObjectType,
        name: str,
        nodes: list[FieldNode],
        *,
        prefer: str | None,
        source: str | None = None,
    ) -> str:
        """Among the subgraphs that resolve the field, the one needing fewest further fetches."""
        joins = self.own.resolvers(parent.name, name)
        if source is not None:
            joins = tuple(
                j for j in joins if self.own.reachable(parent.name, source, j.graph or "")
            )
        if not joins:
            raise PlanningError(f"no subgraph can resolve {parent.name}.{name} here")
        order = self.own.graph_order

        def cost(graph: str) -> tuple[int, int, int]:
            join = self.own.join_in(parent.name, name, graph)
            extra = 1 if join is not None and join.requires else 0
            return (
                extra + self.cost(parent, name, nodes, graph),
                graph != prefer,
                order.index(graph),
            )

        return min((j.graph for j in joins if j.graph), key=cost)

    def cost(self, parent: GraphQLObjectType, name: str, nodes: list[FieldNode], graph: str) -> int:
        """How many fields below this one `graph` cannot resolve itself (a fetch count proxy)."""
        named = get_named_type(parent.fields[name].type)
        if not isinstance(named, GraphQLObjectType):
            return 0
        total = 0
        fields = collect_sub_fields(self.schema, self.fragments, self.variables, named, nodes)
        join = self.own.join_in(parent.name, name, graph)
        provided = field_set_tree(join.provides) if join and join.provides else None
        for sub_nodes in fields.values():
            sub_name = sub_nodes[0].name.value
            if sub_name.startswith("__"):
                continue
            if self.local(graph, named.name, sub_name, provided):
                total += self.cost(named, sub_name, sub_nodes, graph)
            else:
                total += 1
        return total

    # -- entity fetches ------------------------------------------------------------------

    def entity_group(
        self,
        group: FetchGroup,
        parent: GraphQLObjectType,
        target: SelectionBuilder,
        path: tuple[str, ...],
        graph: str,
        field_name: str,
    ) -> tuple[FetchGroup, SelectionBuilder]:
        key = self.own.pick_key(parent.name, group.graph, graph)
        if key is None:
            mid = next(
                m
                for m in self.own.graph_order
                if m not in (group.graph, graph)
                and self.own.pick_key(parent.name, group.graph, m)
                and self.own.pick_key(parent.name, m, graph)
            )
            group, target = self.jump(group, parent, target, path, mid, None)
        return self.jump(group, parent, target, path, graph, field_name)

    def jump(
        self,
        group: FetchGroup,
        parent: GraphQLObjectType,
        target: SelectionBuilder,
        path: tuple[str, ...],
        graph: str,
        field_name: str | None,
    ) -> tuple[FetchGroup, SelectionBuilder]:
        key = self.own.pick_key(parent.name, group.graph, graph)
        assert key is not None
        join = self.own.join_in(parent.name, field_name, graph) if field_name else None
        key_selections = self.field_set_selections(parent, key)
        target.field("__typename", internal=True)
        target.add(key_selections, internal=True)
        depends_on = {group.id}
        requires: tuple[Selection, ...] = ()
        if join is not None and join.requires:
            requires = self.field_set_selections(parent, join.requires)
            required = collect_fields(self.schema, {}, {}, parent, parse_field_set(join.requires))
            self.touched.append(set())
            self.plan_fields(group, parent, required, target, path, None, internal=True)
            depends_on |= self.touched.pop()
        dep = self.find_group(graph, path, depends_on)
        known_as = self.own.entity_type_in(parent.name, graph) or parent.name
        rep = dep.reps.setdefault(parent.name, RepresentationBuilder(as_typename=known_as))
        rep.key.add(key_selections)
        rep.requires.add(requires)
        return dep, dep.selection.fragment(rep.as_typename)

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

    def field_set_selections(
        self, parent: GraphQLObjectType, field_set: str
    ) -> tuple[Selection, ...]:
        return _selections(parse_field_set(field_set).selections)

    # -- output --------------------------------------------------------------------------

    def arguments(self, node: FieldNode, group: FetchGroup) -> str:
        if not node.arguments:
            return ""
        for argument in node.arguments:
            visit(argument, _VariableCollector(group.variables))
        return "(" + ", ".join(print_ast(a) for a in node.arguments) + ")"

    def fetches(self) -> tuple[Fetch, ...]:
        return to_fetches(self.groups, self.operation, self.names)


class _VariableCollector(Visitor):
    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def enter_variable(self, node: VariableNode, *_args: object) -> None:
        self.names.add(node.name.value)


def _selections(nodes: Any) -> tuple[Selection, ...]:
    out: list[Selection] = []
    for node in nodes:
        if isinstance(node, FieldNode):
            subs = _selections(node.selection_set.selections) if node.selection_set else None
            args = (
                "(" + ", ".join(print_ast(a) for a in node.arguments) + ")"
                if node.arguments
                else ""
            )
            out.append(FieldSelection(node.name.value, None, args, subs))
    return tuple(out)


def _list_depth(type_: GraphQLOutputType) -> int:
    depth = 0
    while True:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        elif isinstance(type_, GraphQLList):
            depth += 1
            type_ = type_.of_type
        else:
            return depth
