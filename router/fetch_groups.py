"""Fetch groups: what the planner accumulates per subgraph fetch, and how it becomes a plan.

The planner adds fields to a group's selections while it walks the operation; once done,
`to_fetches` orders the groups by their dependencies and prints each one as the frozen
`Fetch` of the plan (a root operation, or an `_entities` operation with representations).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphql import OperationDefinitionNode, print_ast

from router.plan import ContextValue, Fetch, Representation
from router.restore import needs_restore
from router.selection import FieldSelection, PlanningError, SelectionBuilder, print_selections

__all__ = ["FetchGroup", "RepresentationBuilder", "to_fetches"]


@dataclass
class RepresentationBuilder:
    """How objects of one type are represented to the group's subgraph."""

    as_typename: str
    key: SelectionBuilder = field(default_factory=SelectionBuilder)
    requires: SelectionBuilder = field(default_factory=SelectionBuilder)


@dataclass
class FetchGroup:
    """One fetch being planned: root fields (`root` set) or entities at `path`."""

    id: int
    graph: str
    path: tuple[str, ...]
    root: str | None
    selection: SelectionBuilder = field(default_factory=SelectionBuilder)
    reps: dict[str, RepresentationBuilder] = field(default_factory=dict)
    depends_on: set[int] = field(default_factory=set)
    variables: set[str] = field(default_factory=set)
    contexts: list[ContextValue] = field(default_factory=list)
    context_types: dict[str, str] = field(default_factory=dict)  # variable -> GraphQL type
    # (field name, argument name) -> variable: one variable per context argument of a field
    context_variables: dict[tuple[str, str], str] = field(default_factory=dict)


def to_fetches(
    groups: list[FetchGroup], operation: OperationDefinitionNode, names: Mapping[str, str]
) -> tuple[Fetch, ...]:
    """The plan's fetches, numbered in dependency order."""
    order = _topological(groups)
    number = {g.id: i for i, g in enumerate(order)}
    return tuple(_fetch(g, number, operation, names) for g in order)


def _fetch(
    group: FetchGroup,
    number: dict[int, int],
    operation: OperationDefinitionNode,
    names: Mapping[str, str],
) -> Fetch:
    selections = group.selection.freeze()
    definitions = {
        d.variable.name.value: print_ast(d)
        for d in operation.variable_definitions or ()
        if d.variable.name.value in group.variables
    }
    variables = tuple(sorted(definitions))
    entity_selection = ""
    if group.root:
        header = group.root
        if definitions:
            header += "(" + ", ".join(definitions[v] for v in variables) + ")"
        text = f"{header} {print_selections(selections)}"
    else:
        entity_selection = print_selections(selections)
        params = ", ".join(
            [
                "$representations: [_Any!]!",
                *(definitions[v] for v in variables),
                *(f"${v}: {t}" for v, t in group.context_types.items()),
            ]
        )
        body = print_selections(
            (
                FieldSelection(
                    "_entities",
                    arguments="(representations: $representations)",
                    selections=selections,
                ),
            )
        )
        text = f"query({params}) {body}"
    return Fetch(
        id=number[group.id],
        subgraph=names[group.graph],
        path=group.path,
        operation=text,
        variables=variables,
        representations=tuple(
            Representation(t, r.as_typename, r.key.freeze(), r.requires.freeze())
            for t, r in group.reps.items()
        ),
        depends_on=tuple(sorted(number[d] for d in group.depends_on)),
        entity_selection=entity_selection,
        variable_definitions=tuple(definitions[v] for v in variables),
        restores=selections if needs_restore(selections) else (),
        contexts=tuple(group.contexts),
    )


def _topological(groups: list[FetchGroup]) -> list[FetchGroup]:
    done: set[int] = set()
    order: list[FetchGroup] = []
    pending = list(groups)
    while pending:
        ready = [g for g in pending if g.depends_on <= done]
        if not ready:
            raise PlanningError("the fetches depend on each other in a cycle")
        for g in ready:
            done.add(g.id)
            order.append(g)
        pending = [g for g in pending if g.id not in done]
    return order
