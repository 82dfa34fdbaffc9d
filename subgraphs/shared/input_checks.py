"""Every string and date a client sends is checked once, before any resolver runs.

Control characters (other than tab, line feed and carriage return) and lone surrogates
are refused: PostgreSQL cannot store a NUL byte, and no field of the API means one.
`DateTime` and `Date` values must lie between the years 1900 and 2200, so that converting
them to UTC can never overflow. A refusal is `BAD_USER_INPUT` for the whole operation,
whichever field or variable carried the value: the check lives in one schema extension,
not in each resolver.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, Final

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    type_from_ast,
    visit,
)
from strawberry.extensions import SchemaExtension

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
EARLIEST_YEAR: Final = 1900
LATEST_YEAR: Final = 2200


def problem_with(scalar: str, value: str) -> str | None:
    """Why a client's `value` for a `scalar` input is refused, or None when it is fine."""
    if _CONTROL.search(value):
        return "Text input must not contain control characters."
    if scalar not in ("DateTime", "Date"):
        return None
    try:
        parsed: date = (
            datetime.fromisoformat(value) if scalar == "DateTime" else date.fromisoformat(value)
        )
    except (ValueError, OverflowError):
        return None  # not a date at all: the scalar's own coercion reports it
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return f"Dates must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR}."
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        try:
            parsed.astimezone(UTC)
        except OverflowError:
            return f"Dates must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR}."
    return None


def _scalar_name(type_: Any) -> str:
    named = get_named_type(type_) if type_ is not None else None
    return named.name if isinstance(named, GraphQLScalarType) else ""


Problem = tuple[str, str]  # (message, the input field or argument that carried the value)


def _walk(value: Any, type_: GraphQLInputType | None, name: str) -> Iterator[Problem]:
    """The problems with a raw variable value, following its declared input type."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(value, str):
        if (problem := problem_with(_scalar_name(type_), value)) is not None:
            yield problem, name
    elif isinstance(value, list):
        item_type = type_.of_type if isinstance(type_, GraphQLList) else type_
        for item in value:
            yield from _walk(item, item_type, name)
    elif isinstance(value, dict):
        fields = type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        for key, item in value.items():
            field = fields.get(key)
            yield from _walk(key, None, str(key))
            yield from _walk(item, field.type if field is not None else None, str(key))


class _Literals(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.problems: list[Problem] = []

    def enter_string_value(
        self, node: StringValueNode, _key: object, parent: object, *_args: object
    ) -> None:
        problem = problem_with(_scalar_name(self.type_info.get_input_type()), node.value)
        if problem is not None:
            name = getattr(getattr(parent, "name", None), "value", "")
            self.problems.append((problem, str(name)))


# Literal problems remembered per (schema, document text); the oldest go first.
LITERAL_CACHE_SIZE: Final = 1000
_literals: dict[tuple[GraphQLSchema, str], tuple[Problem, ...]] = {}


def literal_problems(schema: GraphQLSchema, document: DocumentNode) -> list[Problem]:
    """Every problem with the string literals of `document`."""
    type_info = TypeInfo(schema)
    literals = _Literals(type_info)
    visit(document, TypeInfoVisitor(type_info, literals))
    return literals.problems


def _remembered_literal_problems(
    schema: GraphQLSchema, document: DocumentNode, query: str
) -> list[Problem]:
    """`literal_problems`, walked once per schema and document text: the answer depends on
    nothing else, and the walk with type information cost ~0.4 ms on every request
    (bench/SUBGRAPHS.md)."""
    key = (schema, query)
    found = _literals.get(key)
    if found is None:
        found = tuple(literal_problems(schema, document))
        if len(_literals) >= LITERAL_CACHE_SIZE:
            del _literals[next(iter(_literals))]
        _literals[key] = found
    return list(found)


def input_problems(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    *,
    query: str | None = None,
) -> list[Problem]:
    """Every problem with the string literals of `document` and its `variables`; given the
    `query` text `document` was parsed from, the literals' part is remembered for it."""
    if query is None:
        problems = literal_problems(schema, document)
    else:
        problems = _remembered_literal_problems(schema, document, query)
    given = variables or {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for variable in definition.variable_definitions or ():
            name = variable.variable.name.value
            if name in given:
                declared = type_from_ast(schema, variable.type)
                problems += _walk(given[name], declared, name)  # type: ignore[arg-type]
    return problems


class InputChecks(SchemaExtension):
    """Refuse the operation with BAD_USER_INPUT when any input fails `problem_with`."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            problems = input_problems(
                context.schema._schema, document, context.variables, query=context.query
            )
            if problems:
                message, field = problems[0]
                extensions = {"code": "BAD_USER_INPUT", "field": field}
                error = GraphQLError(message, extensions=extensions)
                context.result = ExecutionResult(data=None, errors=[error])
        yield
