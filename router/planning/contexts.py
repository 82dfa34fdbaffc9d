"""`@fromContext` arguments: a value selected on an ancestor, passed to a descendant's field.

The nearest ancestor place whose type sets the context (`@context`) gets the selection as
internal fields; the field's entity fetch waits for the fetches they landed in, declares one
variable per context argument and says (`ContextValue`) where the executor finds each
object's value: the executor sends one request per distinct value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import FieldNode, GraphQLInterfaceType, GraphQLObjectType
from graphql.execution.collect_fields import collect_fields

from router.ownership import parse_field_set
from router.plan import ContextValue
from router.selection import PlanningError
from router.supergraph import ContextArgument

if TYPE_CHECKING:
    from router.planning.walk import Holder, Place, Walk

__all__ = ["context_value", "pass_contexts"]


def context_value(
    walk: Walk, place: Place, argument: ContextArgument
) -> tuple[ContextValue, set[int]]:
    """Plan the argument's selection on the nearest ancestor setting its context."""
    ancestor: Place | None = place
    while ancestor is not None and not _sets(walk, ancestor.type, argument.context):
        ancestor = ancestor.parent
    if ancestor is None:
        raise PlanningError(f"no ancestor sets the context {argument.context}")
    selection = parse_field_set(argument.selection)
    first = next((s for s in selection.selections if isinstance(s, FieldNode)), None)
    if first is None:
        raise PlanningError(f"unsupported context selection {argument.selection!r}")
    fields = collect_fields(walk.schema, {}, {}, ancestor.type, selection)
    walk.touched.append(set())
    walk.plan_fields(ancestor, fields, internal=True)
    landed = walk.touched.pop()
    return ContextValue("", len(ancestor.path), first.name.value), landed


def pass_contexts(
    holder: Holder,
    name: str,
    arguments: tuple[ContextArgument, ...],
    values: list[ContextValue],
) -> None:
    """Declare the variables on the fetch and add the arguments to the field there."""
    group = holder.group
    parts: list[str] = []
    for argument, value in zip(arguments, values, strict=True):
        variable = f"__hb_ctx_{len(group.contexts)}"
        group.contexts.append(ContextValue(variable, value.depth, value.field))
        group.context_types[variable] = argument.type
        parts.append(f"{argument.name}: ${variable}")
    holder.added_arguments[name] = ", ".join(parts)


def _sets(walk: Walk, type_: GraphQLObjectType | GraphQLInterfaceType, context: str) -> bool:
    contexts = walk.ctx.supergraph.contexts
    if context in contexts.get(type_.name, frozenset()):
        return True
    return any(context in contexts.get(i.name, frozenset()) for i in type_.interfaces)
