"""`@fromContext` arguments: a value selected on an ancestor, passed to a descendant's field.

The nearest ancestor place whose type sets the context (`@context` on the object type, an
interface it implements or a union it belongs to) gets the selection as internal fields.
The selection may carry type conditions (`... on Shop { currency } ... on Market { money }`)
when the context is set on several types: each ancestor type gets the fields its own
conditions select. The field's entity fetch waits for the fetches they landed in, declares
one variable per context argument and says (`ContextValue`, one `ContextSource` per ancestor
type met) where the executor finds each object's value: the executor sends one request per
distinct value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLInterfaceType, GraphQLObjectType, GraphQLUnionType
from graphql.execution.collect_fields import collect_fields

from router.ownership import parse_field_set
from router.plan import ContextSource, ContextValue
from router.selection import PlanningError
from router.supergraph import ContextArgument

if TYPE_CHECKING:
    from router.planning.walk import Holder, Place, Walk

__all__ = ["context_source", "pass_contexts"]


def context_source(
    walk: Walk, place: Place, argument: ContextArgument
) -> tuple[ContextSource | None, set[int]]:
    """Plan the argument's selection on the nearest ancestor setting its context: where the
    value is (None when no type condition of the selection matches that ancestor's type),
    and the fetches it landed in."""
    ancestor: Place | None = place
    while ancestor is not None and not _sets(walk, ancestor.type, argument.context):
        ancestor = ancestor.parent
    if ancestor is None:
        raise PlanningError(f"no ancestor sets the context {argument.context}")
    selection = parse_field_set(argument.selection)
    fields = collect_fields(walk.schema, {}, {}, ancestor.type, selection)
    if len(fields) > 1:
        raise PlanningError(
            f"the context selection {argument.selection!r} selects more than one field "
            f"on {ancestor.type.name}"
        )
    if not fields:
        return None, set()
    walk.touched.append(set())
    walk.plan_fields(ancestor, fields, internal=True)
    landed = walk.touched.pop()
    # Under an abstract field the ancestor's `__typename` is selected: the executor checks it.
    typed = ancestor.step is not None and ancestor.step.type_condition is not None
    typename = ancestor.type.name if typed else None
    return ContextSource(len(ancestor.path), next(iter(fields)), typename), landed


def pass_contexts(
    holder: Holder,
    name: str,
    arguments: tuple[ContextArgument, ...],
    sources: list[ContextSource | None],
) -> None:
    """Declare the variables on the fetch and add the arguments to the field there.

    The same field reached at one fetch through ancestors of different types (a context set
    on several types, under an abstract field) shares one variable: its sources are merged.
    """
    group = holder.group
    parts: list[str] = []
    for argument, source in zip(arguments, sources, strict=True):
        variable = group.context_variables.get((name, argument.name))
        if variable is None:
            variable = f"__hb_ctx_{len(group.contexts)}"
            group.context_variables[(name, argument.name)] = variable
            group.contexts.append(ContextValue(variable, ()))
            group.context_types[variable] = argument.type
        if source is not None:
            index = next(i for i, c in enumerate(group.contexts) if c.variable == variable)
            known = group.contexts[index]
            if source not in known.sources:
                merged = sorted((*known.sources, source), key=lambda s: -s.depth)
                group.contexts[index] = ContextValue(variable, tuple(merged))
        parts.append(f"{argument.name}: ${variable}")
    holder.added_arguments[name] = ", ".join(parts)


def _sets(walk: Walk, type_: GraphQLObjectType | GraphQLInterfaceType, context: str) -> bool:
    contexts = walk.ctx.supergraph.contexts
    if context in contexts.get(type_.name, frozenset()):
        return True
    if any(context in contexts.get(i.name, frozenset()) for i in type_.interfaces):
        return True
    return any(
        context in contexts.get(union.name, frozenset())
        and isinstance(union, GraphQLUnionType)
        and type_ in union.types
        for union in (walk.schema.get_type(n) for n in contexts)
        if union is not None
    )
