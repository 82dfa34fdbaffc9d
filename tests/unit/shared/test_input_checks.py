from __future__ import annotations

import pytest
from graphql import DocumentNode, GraphQLSchema, build_schema, parse

from subgraphs.shared import input_checks
from subgraphs.shared.input_checks import Problem, input_problems, problem_with


@pytest.mark.parametrize("text", ["a\x00b", "\x1b[2J", "x\x7f", "\x85", "\ud800", "\x0c"])
def test_control_characters_and_surrogates_are_refused(text: str) -> None:
    assert problem_with("String", text) is not None


@pytest.mark.parametrize("text", ["Ann", "Zoë Ünal", "line one\nline two\tend\r\n", "日本"])
def test_ordinary_text_with_tabs_and_line_breaks_is_accepted(text: str) -> None:
    assert problem_with("String", text) is None


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "1899-12-31T23:00:00Z",
        "2201-01-01T00:00:00+00:00",
    ],
)
def test_datetimes_outside_the_supported_years_are_refused(value: str) -> None:
    assert problem_with("DateTime", value) is not None


def test_dates_are_range_checked_and_unparsable_ones_left_to_the_scalar() -> None:
    assert problem_with("Date", "0001-01-01") is not None
    assert problem_with("Date", "1980-02-29") is None
    assert problem_with("DateTime", "2030-06-01T09:00:00+02:00") is None
    assert problem_with("DateTime", "not a date") is None


SDL = """
input Visit { start: DateTime! note: String }
scalar DateTime
type Query { book(visit: Visit!, note: String): Boolean }
"""
LITERAL = 'query($v: Visit!) { book(visit: $v, note: "a\\u0000b") }'


def test_the_literals_of_a_document_are_walked_once_and_variables_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schema = build_schema(SDL)
    walks: list[DocumentNode] = []
    real = input_checks.literal_problems

    def counted(schema: GraphQLSchema, document: DocumentNode) -> list[Problem]:
        walks.append(document)
        return real(schema, document)

    monkeypatch.setattr(input_checks, "literal_problems", counted)
    fine = {"v": {"start": "2030-01-01T09:00:00+00:00"}}
    late = {"v": {"start": "2300-01-01T09:00:00+00:00"}}
    first = input_problems(schema, parse(LITERAL), fine, query=LITERAL)
    again = input_problems(schema, parse(LITERAL), late, query=LITERAL)
    assert [field for _message, field in first] == ["note"]
    assert [field for _message, field in again] == ["note", "start"]  # the variable still
    assert len(walks) == 1
    # Another text is walked on its own; so is a document without its text.
    other = 'query($v: Visit!) { book(visit: $v, note: "fine") }'
    assert input_problems(schema, parse(other), fine, query=other) == []
    assert [f for _m, f in input_problems(schema, parse(LITERAL), fine)] == ["note"]
    assert len(walks) == 3
