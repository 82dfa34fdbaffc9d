"""Hypothesis inputs for every argument of every root field of a subgraph, from its schema.

`operations(schema)` draws one operation per call: a query or mutation root field with all
its arguments passed as variables, filled with generated values of the declared types —
strings with control characters and surrogates among them, datetimes from any year and
offset, out-of-range dates, and odd but well-typed values elsewhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, timedelta, timezone
from typing import Any, Final

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
)
from hypothesis import strategies as st

# The codes the API documents (DESIGN.md §5 and the subgraphs' READMEs); anything else,
# INTERNAL_SERVER_ERROR above all, is a bug.
DOCUMENTED_CODES: Final = frozenset(
    {
        "BAD_USER_INPUT",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "CONFLICT",
        "SLOT_TAKEN",
        "OUTSIDE_AVAILABILITY",
        "RATE_LIMITED",
        "SERVICE_UNAVAILABLE",
        "INVALID_TOKEN",
        "DOCTOR_NOT_BOOKABLE",
        "RESCHEDULE_LIMIT_REACHED",
        "TOO_LATE",
    }
)
Post = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]

_ODD_TEXT = st.sampled_from(["a\x00b", "\x1b[31m", "\ud800", "x\x7f", "\u0085", "", " ", "é"])
_TEXT = st.one_of(st.text(max_size=40), _ODD_TEXT, st.text(st.characters(codec="utf-8")))
_ZONES = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-14 * 60, 14 * 60)
)
_DATETIMES = st.one_of(
    st.datetimes(timezones=st.one_of(st.just(UTC), _ZONES)).map(lambda d: d.isoformat()),
    st.sampled_from(
        ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-13-01T00:00:00Z"]
    ),
    _TEXT,
)
_DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), st.just("0001-01-01"), _TEXT)
_SCALARS: Final[dict[str, st.SearchStrategy[Any]]] = {
    "String": _TEXT,
    "ID": st.one_of(st.uuids().map(str), _TEXT),
    "UUID": st.one_of(st.uuids().map(str), _TEXT),
    "Int": st.integers(-(2**31), 2**31 - 1),
    "Float": st.floats(allow_nan=False, allow_infinity=False),
    "Boolean": st.booleans(),
    "DateTime": _DATETIMES,
    "Date": _DATES,
    "Time": st.one_of(st.times().map(lambda t: t.isoformat()), _TEXT),
    "Decimal": st.one_of(st.decimals(allow_nan=False, allow_infinity=False).map(str), _TEXT),
}


async def introspect(post: Post) -> GraphQLSchema:
    body = await post(get_introspection_query(), {})
    return build_client_schema(body["data"])


def values(type_: GraphQLInputType) -> st.SearchStrategy[Any]:
    """Values of an input type (None allowed where the type is nullable)."""
    if isinstance(type_, GraphQLNonNull):
        return _non_null(type_.of_type)
    return st.one_of(st.none(), _non_null(type_))


def _non_null(type_: Any) -> st.SearchStrategy[Any]:
    if isinstance(type_, GraphQLList):
        return st.lists(values(type_.of_type), max_size=3)
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from(sorted(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        required = {n: values(f.type) for n, f in type_.fields.items() if _required(f.type)}
        optional = {n: values(f.type) for n, f in type_.fields.items() if not _required(f.type)}
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(type_, GraphQLScalarType)
    return _SCALARS.get(type_.name, _TEXT)


def _required(type_: Any) -> bool:
    return isinstance(type_, GraphQLNonNull)


def root_fields(schema: GraphQLSchema) -> list[tuple[str, str, GraphQLField]]:
    """(operation, name, field) for every query and mutation field that takes arguments."""
    found = []
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        for name, field in (root.fields if root else {}).items():
            if field.args and not name.startswith("_"):
                found.append((kind, name, field))
    return found


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    return "" if is_leaf_type(named) else " { __typename }"


@st.composite
def operations(draw: st.DrawFn, schema: GraphQLSchema) -> tuple[str, str, dict[str, Any]]:
    """(field name, operation text, variables) for one root field with drawn arguments."""
    kind, name, field = draw(st.sampled_from(root_fields(schema)))
    declared = ", ".join(f"${a}: {arg.type}" for a, arg in field.args.items())
    passed = ", ".join(f"{a}: ${a}" for a in field.args)
    text = f"{kind} Fuzz({declared}) {{ {name}({passed}){_selection(field)} }}"
    variables = {a: draw(values(arg.type)) for a, arg in field.args.items()}
    return name, text, variables


def undocumented_codes(body: dict[str, Any]) -> list[str]:
    """The codes of `body`'s errors that are not documented (a missing code counts)."""
    codes = [str((e.get("extensions") or {}).get("code")) for e in body.get("errors") or ()]
    return [c for c in codes if c not in DOCUMENTED_CODES]


__all__ = ["DOCUMENTED_CODES", "GraphQLObjectType", "introspect", "operations", "root_fields"]
