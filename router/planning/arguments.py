"""Field arguments as the planner sends them, and the list depth of a field's type."""

from __future__ import annotations

from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    VariableNode,
    print_ast,
    visit,
)
from graphql.language import Visitor

__all__ = ["arguments_of", "list_depth", "with_added"]


def arguments_of(node: FieldNode, variables: set[str]) -> str:
    """`(a: 1, b: $x)` or "", adding the variables used to `variables`."""
    if not node.arguments:
        return ""
    for argument in node.arguments:
        visit(argument, _VariableCollector(variables))
    return "(" + ", ".join(print_ast(a) for a in node.arguments) + ")"


class _VariableCollector(Visitor):
    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def enter_variable(self, node: VariableNode, *_args: object) -> None:
        self.names.add(node.name.value)


def with_added(arguments: str, added: str | None) -> str:
    if not added:
        return arguments
    inner = [arguments[1:-1]] if arguments else []
    return "(" + ", ".join([*inner, added]) + ")"


def list_depth(type_: GraphQLOutputType) -> int:
    depth = 0
    while True:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        elif isinstance(type_, GraphQLList):
            depth += 1
            type_ = type_.of_type
        else:
            return depth
