"""Objects an `@interfaceObject` subgraph returns: its fields there, the rest from the owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import FieldNode, GraphQLInterfaceType, GraphQLObjectType
from graphql.execution.collect_fields import collect_sub_fields

from router.planning.walk import Holder, Place, Step
from router.selection import PlanningError, SelectionBuilder

if TYPE_CHECKING:
    from router.fetch_groups import FetchGroup
    from router.planning.jumps import Jumps

__all__ = ["plan_interface_object"]


def plan_interface_object(
    jumps: Jumps,
    parent: Place,
    step: Step,
    group: FetchGroup,
    interface: GraphQLInterfaceType,
    nodes: list[FieldNode],
    target: SelectionBuilder,
    path: tuple[str, ...],
) -> None:
    """Objects of an @interfaceObject: its own fields here, the rest from the interface's
    owner, which also tells each object's concrete type."""
    w = jumps.walk
    place = Place(interface, path, [Holder(group, target)], parent, step)  # type: ignore[arg-type]
    local: dict[str, list[FieldNode]] = {}
    elsewhere: dict[str, dict[str, list[FieldNode]]] = {}
    for runtime in w.schema.get_possible_types(interface):
        fields = collect_sub_fields(w.schema, w.fragments, w.variables, runtime, nodes)
        for key, field_nodes in fields.items():
            name = field_nodes[0].name.value
            if name != "__typename" and name in interface.fields:
                # Interface fields stay on the interface: here, or from any subgraph
                # reachable by the interface's keys (another interface object included).
                local.setdefault(key, field_nodes)
            else:
                elsewhere.setdefault(runtime.name, {})[key] = field_nodes
    w.plan_fields(place, local)
    if not elsewhere:
        return
    owner = next(
        (
            e.tail.graph
            for e in jumps.graph.entries.get(interface.name, ())
            if not jumps.graph.is_interface_object(interface.name, e.tail.graph)
        ),
        None,
    )
    held = next((h for h in place.holders if h.group.graph == owner), None)
    route = None if owner is None else jumps.search.route(interface.name, place.holding(), owner)
    if held is None and route is None:
        raise PlanningError(f"no subgraph resolves the concrete types of {interface.name}")
    holder = held or jumps.take(place, route or ())
    holder.target.field("__typename", internal=True)
    for runtime_name, fields in elsewhere.items():
        member = w.schema.get_type(runtime_name)
        assert isinstance(member, GraphQLObjectType)
        remaining = {k: v for k, v in fields.items() if k not in local}
        if any(v[0].name.value != "__typename" for v in remaining.values()):
            typed = Step(step.key, step.name, step.arguments, step.shape, runtime_name)
            fragment = holder.target.fragment(member.name)
            member_place = Place(member, path, [Holder(holder.group, fragment)], parent, typed)
            w.plan_fields(member_place, remaining)
