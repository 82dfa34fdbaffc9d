"""`join__FieldSet`s (keys, `@requires`) as the selections the planner sends and projects."""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, InlineFragmentNode, SelectionNode, print_ast

from router.ownership import parse_field_set
from router.selection import FieldSelection, FragmentSelection, Selection, internal_alias

__all__ = ["field_set_selections"]


def field_set_selections(field_set: str) -> tuple[Selection, ...]:
    """A `join__FieldSet` as selections: fields with arguments under their internal alias,
    inline fragments kept (with `__typename` beside them)."""
    return _selections(parse_field_set(field_set).selections)


def _selections(nodes: Any) -> tuple[Selection, ...]:
    out: list[Selection] = []
    selection: SelectionNode
    for selection in nodes:
        if isinstance(selection, FieldNode):
            subs = (
                _selections(selection.selection_set.selections) if selection.selection_set else None
            )
            args = (
                "(" + ", ".join(print_ast(a) for a in selection.arguments) + ")"
                if selection.arguments
                else ""
            )
            alias = internal_alias(selection.name.value, args) if args else None
            out.append(FieldSelection(selection.name.value, alias, args, subs))
        elif isinstance(selection, InlineFragmentNode):
            subs = _selections(selection.selection_set.selections)
            if selection.type_condition is None:
                out.extend(subs)
                continue
            if not any(isinstance(s, FieldSelection) and s.name == "__typename" for s in out):
                out.insert(0, FieldSelection("__typename"))
            out.append(FragmentSelection(selection.type_condition.name.value, subs))
    return tuple(out)
