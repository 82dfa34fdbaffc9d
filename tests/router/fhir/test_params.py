"""FHIR search parameters: date prefixes become half-open ranges; bad input is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.datastructures import QueryParams

from router.fhir.outcome import FhirError
from router.fhir.params import SearchParams


def params(query: str, *supported: str) -> SearchParams:
    return SearchParams(QueryParams(query), supported)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_day_with_ge_and_lt_is_the_range_between_the_two_midnights() -> None:
    found = params("start=ge2027-01-05&start=lt2027-01-07", "start").dates("start")
    assert (found.start, found.end) == (
        at("2027-01-05T00:00:00+00:00"),
        at("2027-01-07T00:00:00+00:00"),
    )


def test_le_a_day_includes_that_whole_day_and_eq_is_the_day_itself() -> None:
    assert params("date=le2027-01-05", "date").dates("date").end == at("2027-01-06T00:00:00+00:00")
    day = params("date=2027-01-05", "date").dates("date")
    assert (day.start, day.end) == (
        at("2027-01-05T00:00:00+00:00"),
        at("2027-01-06T00:00:00+00:00"),
    )


def test_instants_keep_their_offset_and_gt_excludes_the_instant() -> None:
    found = params("start=gt2027-01-05T09:00:00%2B01:00", "start").dates("start")
    assert found.start == at("2027-01-05T08:00:01+00:00")


def test_several_bounds_narrow_the_range() -> None:
    found = params("date=ge2027-01-01&date=ge2027-01-03&date=lt2027-02-01", "date").dates("date")
    assert found.start == at("2027-01-03T00:00:00+00:00")


@pytest.mark.parametrize(
    "query",
    [
        "date=ge2027-13-01",
        "date=ge2027-01-05T09:00:00",  # no offset
        "date=xx2027-01-05",
        "date=ge0001-01-01T00:00:00%2B14:00",
    ],
)
def test_a_bad_date_is_a_400_invalid(query: str) -> None:
    with pytest.raises(FhirError) as refused:
        params(query, "date").dates("date")
    assert (refused.value.status, refused.value.code) == (400, "invalid")


def test_an_unknown_parameter_is_refused_naming_the_supported_ones() -> None:
    with pytest.raises(FhirError) as refused:
        params("birthdate=2000-01-01", "name")
    assert refused.value.code == "not-supported"
    assert "name" in refused.value.diagnostics


def test_a_reference_to_another_resource_type_is_refused() -> None:
    assert params("patient=Patient/42", "patient").reference("patient", "Patient") == "42"
    assert params("patient=42", "patient").reference("patient", "Patient") == "42"
    with pytest.raises(FhirError):
        params("patient=Practitioner/42", "patient").reference("patient", "Patient")


def test_control_characters_and_huge_pages_are_refused() -> None:
    with pytest.raises(FhirError):
        params("name=a%00b", "name").text("name")
    with pytest.raises(FhirError):
        params("_count=1000").page()
    assert params("_count=5&_offset=10").page().count == 5
