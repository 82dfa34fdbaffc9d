"""Errors of fields the client did not ask for (fetched only for the plan) are left out."""

from __future__ import annotations

from typing import Any

from router.response import asked_errors

SHAPED = {"baskets": [{"id": "b1", "total": 5}, {"id": "b3", "total": None}], "me": None}


def test_an_error_of_a_field_fetched_only_for_a_requires_is_left_out() -> None:
    error = {"message": "lines unavailable", "path": ["baskets", 1, "lines"]}
    assert asked_errors([error], SHAPED) == []


def test_errors_at_asked_fields_at_objects_and_without_path_stay() -> None:
    errors: list[dict[str, Any]] = [
        {"message": "no total", "path": ["baskets", 1, "total"]},
        {"message": "entity failed", "path": ["baskets", 0]},
        {"message": "subgraph down"},
    ]
    assert asked_errors(errors, SHAPED) == errors


def test_an_error_below_a_null_stays_it_explains_the_null() -> None:
    errors = [{"message": "name failed", "path": ["me", "profile", "name"]}]
    assert asked_errors(errors, SHAPED) == errors


def test_nothing_is_left_out_when_there_is_no_data() -> None:
    errors = [{"message": "x", "path": ["baskets", 0, "lines"]}]
    assert asked_errors(errors, None) == errors
