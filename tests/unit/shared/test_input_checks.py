from __future__ import annotations

import pytest

from subgraphs.shared.input_checks import problem_with


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
