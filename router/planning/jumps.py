"""Fields no holder resolves: routes over key edges, re-entry at an ancestor, `@requires`.

For a field at a place, every subgraph resolving it is a candidate; `PathSearch.routes`
gives the shortest chain of key jumps from the place's holders to each. Candidates are
compared by (new fetches, jumps, fields below the subgraph cannot resolve itself, the
supergraph's order): a jump into a subgraph already fetched at the same place costs no new
fetch, so work already in the plan is reused. A field of a value type that no key reaches
is resolved by re-entering a subgraph at the nearest ancestor it can be reached at (an
entity by key, or the root for queries) and selecting the path down to it again.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graphql import (
    FieldNode,
    GraphQLObjectType,
    OperationType,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields

from router.fetch_groups import RepresentationBuilder
from router.ownership import FieldSetTree, field_set_tree, parse_field_set
from router.planning.contexts import context_source, pass_contexts
from router.planning.field_sets import field_set_selections
from router.planning.walk import Holder, Place, Step
from router.query_graph import Jump, Route
from router.selection import (
    FieldSelection,
    PlanningError,
    Selection,
)

if TYPE_CHECKING:
    from router.fetch_groups import FetchGroup
    from router.planning.walk import Walk

__all__ = ["Jumps"]


class Jumps:
    """The query-graph moves of one planning run (see the module docstring)."""

    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.ctx = walk.ctx
        self.graph = walk.ctx.graph
        self.search = walk.ctx.search
        self.order = list(self.graph.graphs)

    # -- root fields ---------------------------------------------------------------------

    def choose_root(
        self, root: GraphQLObjectType, name: str, nodes: list[FieldNode], prefer: FetchGroup | None
    ) -> str:
        """Among the subgraphs resolving a root field, the one needing fewest fetches."""
        edges = self.graph.resolvers(root.name, name)
        if not edges:
            raise PlanningError(f"no subgraph can resolve {root.name}.{name}")
        mutation = self.walk.operation.operation == OperationType.MUTATION

        def cost(graph: str) -> tuple[int, bool, int]:
            opened = mutation or any(g.root and g.graph == graph for g in self.walk.groups)
            new = 0 if opened else 1
            return (
                new + self.below(root.name, name, nodes, graph, None),
                prefer is None or graph != prefer.graph,
                self.order.index(graph),
            )

        return min((e.head.graph for e in edges), key=cost)

    def below(
        self,
        type_name: str,
        name: str,
        nodes: list[FieldNode],
        graph: str,
        provided: FieldSetTree | None,
    ) -> int:
        """How many fields below this one `graph` cannot resolve itself (a fetch count proxy),
        through abstract types too, `@provides` counted."""
        edge = self.graph.edge_for(type_name, graph, name)
        if edge is None or edge.tail is None:
            return 0
        if edge.provides:
            provided = field_set_tree(edge.provides)
        tail = self.ctx.schema.get_type(edge.tail.type_name)
        if isinstance(tail, GraphQLObjectType):
            runtimes = [tail]
        elif self.graph.is_interface_object(edge.tail.type_name, graph):
            runtimes = [t for t in self.ctx.schema.get_possible_types(tail)]  # type: ignore[arg-type]
        else:
            runtimes = [
                t
                for t in (
                    self.ctx.schema.get_type(n)
                    for n in self.graph.possible_types(edge.tail.type_name, graph)
                )
                if isinstance(t, GraphQLObjectType)
            ]
        total = 0
        w = self.walk
        for runtime in runtimes:
            fields = collect_sub_fields(w.schema, w.fragments, w.variables, runtime, nodes)
            for sub_nodes in fields.values():
                sub_name = sub_nodes[0].name.value
                if sub_name.startswith("__"):
                    continue
                known = self.graph.node(runtime.name, graph) is not None
                holder_type = runtime.name if known else edge.tail.type_name
                if self.search.local(holder_type, graph, sub_name, provided):
                    sub_provided = provided.get(sub_name) if provided else None
                    total += self.below(holder_type, sub_name, sub_nodes, graph, sub_provided)
                else:
                    total += 1
        return total

    # -- a field no holder resolves ------------------------------------------------------

    def reach(self, place: Place, name: str, nodes: list[FieldNode]) -> Holder:
        """A holder, in a subgraph resolving the field, reached from the place's holders."""
        type_name = place.type.name
        holding = place.holding()
        best: tuple[tuple[int, int, int, int], str, Route] | None = None
        for edge in self.graph.resolvers(type_name, name):
            graph = edge.head.graph
            route: Route | None
            if graph in holding:
                if not edge.conditional:
                    continue  # `local_holder` would have found it
                jump = self.search.jump_into(type_name, holding, graph)
                route = None if jump is None else (jump,)
            else:
                route = self.search.route(type_name, holding, graph)
            if route is None:
                continue
            new = sum(1 for j in route if not self._opened(j.edge.tail.graph, place.path))
            cost = (
                new,
                len(route),
                self.below(type_name, name, nodes, graph, None),
                self.order.index(graph),
            )
            if best is None or cost < best[0]:
                best = (cost, graph, route)
        if best is None:
            return self.reenter(place, name)
        _, graph, route = best
        chosen = self.graph.edge_for(type_name, graph, name)
        assert chosen is not None
        depends_on: set[int] = set()
        requires: tuple[Selection, ...] = ()
        if chosen.requires:
            self._select_keys(place, route[0])  # keys first, then what the field requires
            requires = field_set_selections(chosen.requires)
            required = collect_fields(
                self.ctx.schema, {}, {}, place.type, parse_field_set(chosen.requires)
            )
            self.walk.touched.append(set())
            self.walk.plan_fields(place, required, internal=True)
            depends_on |= self.walk.touched.pop()
        contexts = [context_source(self.walk, place, c) for c in chosen.context_arguments]
        for _, landed in contexts:
            depends_on |= landed
        holder = self.take(place, route, depends_on)
        if contexts:
            pass_contexts(holder, name, chosen.context_arguments, [c for c, _ in contexts])
        if requires:
            rep = holder.group.reps[type_name]
            rep.requires.add(requires, internal=True)
        return holder

    def _opened(self, graph: str, path: tuple[str, ...]) -> bool:
        return any(not g.root and g.graph == graph and g.path == path for g in self.walk.groups)

    def take(self, place: Place, route: Route, depends_on: set[int] | None = None) -> Holder:
        """Make the route's jumps: key fields selected where they are given, one entity
        fetch per jump (an existing one at the place when it may wait for the new keys)."""
        holder: Holder | None = None
        for n, jump in enumerate(route):
            key = field_set_selections(jump.edge.key)
            waits = set(depends_on or ()) if n == len(route) - 1 else set()
            waits |= self._select_keys(place, jump)
            tail = jump.edge.tail
            group = self.walk.find_group(tail.graph, place.path, waits)
            rep = group.reps.setdefault(
                place.type.name, RepresentationBuilder(as_typename=tail.type_name)
            )
            rep.key.add(key)
            holder = place.add(Holder(group, group.selection.fragment(tail.type_name)))
        assert holder is not None
        return holder

    def _select_keys(self, place: Place, jump: Jump) -> set[int]:
        """Select the jump's key fields in the holders giving them; their groups' ids."""
        key = field_set_selections(jump.edge.key)
        givers: set[int] = set()
        for field_name, source in jump.sources:
            giver = next(h for h in place.holders if h.group.graph == source)
            giver.target.field("__typename", internal=True)
            edge = self.graph.edge_for(place.type.name, source, field_name)
            shapes = {field_name: edge.subgraph_type} if edge else None
            giver.target.add(
                [s for s in key if _named(s) == field_name], internal=True, shapes=shapes
            )
            givers.add(giver.group.id)
        return givers

    # -- re-entering at an ancestor ------------------------------------------------------

    def reenter(self, place: Place, name: str) -> Holder:
        """Reach the field through the nearest ancestor some subgraph resolving the whole
        path from there can be reached at (a parent entity by key, or the query root)."""
        steps: list[Step] = []
        current = place
        while current.parent is not None and current.step is not None:
            steps.insert(0, current.step)
            ancestor = current.parent
            found = self._entry(ancestor, steps, place.type.name, name)
            if found is not None:
                holder = found
                for step in steps:
                    holder = self._descend(holder, step)
                return place.add(holder)
            current = ancestor
        raise PlanningError(f"no subgraph can resolve {place.type.name}.{name} here")

    def _entry(
        self, ancestor: Place, steps: list[Step], type_name: str, name: str
    ) -> Holder | None:
        options: list[tuple[tuple[int, int, int], str, Route | None]] = []
        root = ancestor.parent is None
        if root and self.walk.operation.operation != OperationType.QUERY:
            return None
        for graph in self.order:
            if not self._chain_in(graph, ancestor.type.name, steps, type_name, name):
                continue
            held = next((h for h in ancestor.holders if h.group.graph == graph), None)
            if held is not None:
                return Holder(held.group, held.target)
            if root:
                opened = any(g.root and g.graph == graph for g in self.walk.groups)
                options.append(((0 if opened else 1, 0, self.order.index(graph)), graph, None))
                continue
            route = self.search.route(ancestor.type.name, ancestor.holding(), graph)
            if route is not None:
                new = sum(1 for j in route if not self._opened(j.edge.tail.graph, ancestor.path))
                options.append(((new, len(route), self.order.index(graph)), graph, route))
        if not options:
            return None
        _, graph, route = min(options, key=lambda o: o[0])
        if route is None:
            group = self.walk.root_group(graph)
            return Holder(group, group.selection)
        entered = self.take(ancestor, route)
        return Holder(entered.group, entered.target)

    def _chain_in(
        self, graph: str, start: str, steps: list[Step], type_name: str, name: str
    ) -> bool:
        current = start
        for step in steps:
            edge = self.graph.edge_for(current, graph, step.name)
            if edge is None or edge.conditional or edge.tail is None:
                return False
            current = step.type_condition or edge.tail.type_name
        edge = self.graph.edge_for(type_name, graph, name)
        return edge is not None and not edge.conditional

    def _descend(self, holder: Holder, step: Step) -> Holder:
        group = holder.group
        group.variables |= _variables(step.arguments)
        edge_shape = step.shape
        sub = holder.target.field(
            step.name, alias=step.key, arguments=step.arguments, composite=True, shape=edge_shape
        )
        assert sub is not None
        if step.type_condition:
            sub.field("__typename", internal=True)
            sub = sub.fragment(step.type_condition)
        return Holder(group, sub)


def _named(selection: Selection) -> str:
    return selection.name if isinstance(selection, FieldSelection) else ""


def _variables(arguments: str) -> set[str]:
    return set(re.findall(r"\$([_A-Za-z][_0-9A-Za-z]*)", arguments))
