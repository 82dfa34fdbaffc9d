"""The client API changes compatibly: every breaking change since the released API is listed
with a reason (`healthbook.api_compatibility`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema

from healthbook import api_compatibility
from healthbook.cli import main

RELEASED = build_schema("""
type Query { doctor(id: ID!): Doctor  doctors: [Doctor!]! }
type Doctor { id: ID!  name: String!  city: String! }
""")


def test_every_breaking_change_since_the_released_api_is_listed_with_a_reason() -> None:
    report = api_compatibility.check()
    assert report.unacknowledged == [], "change the API compatibly, or list the change"
    assert report.stale == [], "remove the listed changes that no longer happen"


def test_a_removed_field_and_a_loosened_output_type_are_breaking() -> None:
    current = build_schema("""
    type Query { doctor(id: ID!): Doctor  doctors: [Doctor!]! }
    type Doctor { id: ID!  name: String }
    """)
    report = api_compatibility.compare(RELEASED, current, {})
    assert sorted(report.unacknowledged) == [
        "Doctor.city was removed.",
        "Doctor.name changed type from String! to String.",
    ]
    assert not report.ok


def test_added_fields_and_optional_arguments_are_compatible() -> None:
    current = build_schema("""
    type Query { doctor(id: ID!): Doctor  doctors(city: String): [Doctor!]! }
    type Doctor { id: ID!  name: String!  city: String!  languages: [String!]! }
    """)
    report = api_compatibility.compare(RELEASED, current, {})
    assert report.ok
    assert report.unacknowledged == []
    assert report.dangerous == ["An optional arg city on Query.doctors was added."]


def test_a_listed_change_passes_and_a_listed_change_that_no_longer_happens_fails() -> None:
    loosened = build_schema("""
    type Query { doctor(id: ID!): Doctor  doctors: [Doctor!]! }
    type Doctor { id: ID!  name: String!  city: String }
    """)
    change = "Doctor.city changed type from String! to String."
    assert api_compatibility.compare(RELEASED, loosened, {change: "why"}).ok
    stale = api_compatibility.compare(RELEASED, RELEASED, {change: "why"})
    assert stale.stale == [change]
    assert not stale.ok


def test_a_listed_change_needs_its_reason(tmp_path: Path) -> None:
    listed = tmp_path / "breaking-changes.txt"
    listed.write_text(
        "# comment | not a change\n"
        "Doctor.city was removed.\n"
        "Doctor.name was removed. |  \n"
        "Doctor.id was removed. | clients never read it\n"
    )
    assert api_compatibility.read_acknowledged(listed) == {
        "Doctor.id was removed.": "clients never read it"
    }


def test_the_command_prints_the_listed_changes_and_succeeds_when_all_are_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema", "compatibility"]) == 0
    printed = capsys.readouterr().out
    for change in api_compatibility.read_acknowledged():
        assert f"breaking, listed: {change}" in printed
