"""Parse and validate a client's operation against the API schema (the first pipeline stages)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.execution.values import get_variable_values
from graphql.language import Visitor

__all__ = ["PreparedOperation", "RequestError", "coerce_variables", "prepare_operation"]


class RequestError(Exception):
    """The request cannot be executed at all (syntax, validation, variables): no `data`."""

    def __init__(self, errors: list[GraphQLError], *, code: str) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors
        self.code = code


@dataclass(frozen=True)
class PreparedOperation:
    """A parsed, validated operation, ready to be planned."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    # Variables deciding `@skip`/`@include`; the plan depends on their values.
    condition_variables: tuple[str, ...]
    # Hash of the normalized (printed) document and the operation name.
    key: str
    # Response shaping worked out per @skip/@include values (see router.response).
    shapes: dict[tuple[bool, ...], Any] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> OperationType:
        return self.operation.operation

    @property
    def name(self) -> str | None:
        return self.operation.name.value if self.operation.name else None


def prepare_operation(
    schema: GraphQLSchema, query: str, operation_name: str | None
) -> PreparedOperation:
    """Parse, validate and select the operation to run, or raise `RequestError`."""
    try:
        document = parse(query)
    except GraphQLError as error:
        raise RequestError([error], code="GRAPHQL_PARSE_FAILED") from None
    errors = validate(schema, document)
    if errors:
        raise RequestError(errors, code="GRAPHQL_VALIDATION_FAILED")
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            raise RequestError(
                [
                    GraphQLError(
                        "Must provide operation name if query contains multiple operations."
                    )
                ],
                code="BAD_REQUEST",
            )
        operation = operations[0]
    else:
        found = [o for o in operations if o.name and o.name.value == operation_name]
        if not found:
            raise RequestError(
                [GraphQLError(f"Unknown operation named '{operation_name}'.")], code="BAD_REQUEST"
            )
        operation = found[0]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    normalized = print_ast(document) + "\n#" + (operation_name or "")
    conditions = _ConditionVariables()
    visit(document, conditions)
    return PreparedOperation(
        document=document,
        operation=operation,
        fragments=fragments,
        condition_variables=tuple(sorted(conditions.names)),
        key=hashlib.sha256(normalized.encode()).hexdigest(),
    )


def coerce_variables(
    schema: GraphQLSchema, prepared: PreparedOperation, inputs: dict[str, Any] | None
) -> dict[str, Any]:
    """The operation's variables coerced by the API schema, or `RequestError`."""
    result = get_variable_values(
        schema, prepared.operation.variable_definitions or (), inputs or {}
    )
    if isinstance(result, list):
        raise RequestError(result, code="BAD_USER_INPUT")
    return result


class _ConditionVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_args: object) -> None:
        if node.name.value not in ("skip", "include"):
            return
        for argument in node.arguments or ():
            if isinstance(argument.value, VariableNode):
                self.names.add(argument.value.name.value)
            elif not isinstance(argument.value, BooleanValueNode):
                continue
