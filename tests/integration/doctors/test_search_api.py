"""Search through the API: filters, sorting, paging, bad filters, and cache invalidation."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.doctors.helpers import (
    PROFILE,
    SET_RULES,
    Api,
    NewDoctor,
    approved_doctor,
    error_code,
    weekdays,
)

SEARCH = """query($filter: DoctorFilter, $sort: DoctorSort! = NAME, $page: PageInput) {
  doctors(filter: $filter, sort: $sort, page: $page) {
    totalCount
    pageInfo { hasNextPage endCursor offset }
    nodes { name fee nextAvailable { start } specializations { code name } }
  } }"""


async def names(api: Api, filter: dict[str, Any] | None = None, **extra: Any) -> list[str]:
    data = await api.data(SEARCH, {"filter": filter, **extra})
    return [node["name"] for node in data["doctors"]["nodes"]]


async def catalogue(api: Api) -> dict[str, NewDoctor]:
    """Three approved doctors with distinct profiles and schedules."""
    return {
        "Ana Silva": await approved_doctor(
            api,
            "Ana Silva",
            profile={
                "specializations": ["cardiology"],
                "languages": ["pt", "en"],
                "acceptedInsurance": ["AOK", "TK"],
                "fee": "120.00",
                "city": "Berlin",
            },
            rules=weekdays("09:00", "12:00", 30),
        ),
        "Ben Okafor": await approved_doctor(
            api,
            "Ben Okafor",
            profile={
                "specializations": ["dermatology"],
                "languages": ["en"],
                "acceptedInsurance": ["Barmer"],
                "fee": "60.50",
                "city": "Munich",
                "acceptingNewPatients": False,
            },
            # Fridays only: first open slot on Friday 8 January.
            rules=[{"weekday": "FRIDAY", "start": "10:00", "end": "12:00", "slotMinutes": 60}],
        ),
        "Chie Tanaka": await approved_doctor(
            api,
            "Chie Tanaka",
            profile={
                "specializations": ["cardiology", "general-practice"],
                "languages": ["ja", "en"],
                "acceptedInsurance": ["tk"],
                "fee": "90",
                "city": "berlin",
                "timeZone": "Asia/Tokyo",
            },
            rules=[],
        ),
    }


async def test_filters_combine_and_match_case_insensitively(api: Api) -> None:
    await catalogue(api)
    assert await names(api) == ["Ana Silva", "Ben Okafor", "Chie Tanaka"]
    assert await names(api, {"specialization": "Cardiology"}) == ["Ana Silva", "Chie Tanaka"]
    assert await names(api, {"city": "BERLIN"}) == ["Ana Silva", "Chie Tanaka"]
    assert await names(api, {"text": "oka"}) == ["Ben Okafor"]
    assert await names(api, {"language": "ja"}) == ["Chie Tanaka"]
    assert await names(api, {"insurance": "TK"}) == ["Ana Silva", "Chie Tanaka"]
    assert await names(api, {"acceptingNewPatients": False}) == ["Ben Okafor"]
    assert await names(api, {"city": "berlin", "language": "pt"}) == ["Ana Silva"]


async def test_availability_filters_use_open_slots(api: Api) -> None:
    await catalogue(api)
    assert await names(api, {"availableOn": "2027-01-05"}) == ["Ana Silva"]
    assert await names(api, {"availableOn": "2027-01-08"}) == ["Ana Silva", "Ben Okafor"]
    assert await names(api, {"availableWithinDays": 2}) == ["Ana Silva"]
    assert await names(api, {"availableWithinDays": 7}) == ["Ana Silva", "Ben Okafor"]
    within = {"availableFrom": "2027-01-09", "availableTo": "2027-01-10"}  # a weekend
    assert await names(api, within) == []


async def test_sorting_by_fee_and_next_available(api: Api) -> None:
    await catalogue(api)
    assert await names(api, sort="FEE") == ["Ben Okafor", "Chie Tanaka", "Ana Silva"]
    data = await api.data(SEARCH, {"sort": "NEXT_AVAILABLE"})
    nodes = data["doctors"]["nodes"]
    assert [n["name"] for n in nodes] == ["Ana Silva", "Ben Okafor", "Chie Tanaka"]
    assert nodes[0]["nextAvailable"]["start"] == "2027-01-04T08:00:00+00:00"
    assert nodes[2]["nextAvailable"] is None
    assert nodes[1]["fee"] == "60.50"
    assert nodes[2]["specializations"] == [
        {"code": "cardiology", "name": "Cardiology"},
        {"code": "general-practice", "name": "General practice"},
    ]


async def test_pages_with_cursor_or_offset_and_total_count(api: Api) -> None:
    await catalogue(api)
    first = (await api.data(SEARCH, {"page": {"first": 2}}))["doctors"]
    assert [n["name"] for n in first["nodes"]] == ["Ana Silva", "Ben Okafor"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    cursor = first["pageInfo"]["endCursor"]
    second = (await api.data(SEARCH, {"page": {"first": 2, "after": cursor}}))["doctors"]
    assert [n["name"] for n in second["nodes"]] == ["Chie Tanaka"]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "endCursor": second["pageInfo"]["endCursor"],
        "offset": 2,
    }
    by_offset = await names(api, sort="NEXT_AVAILABLE", page={"first": 1, "offset": 1})
    assert by_offset == ["Ben Okafor"]


async def test_bad_filters_are_bad_user_input(api: Api) -> None:
    await catalogue(api)
    for variables in (
        {"filter": {"specialization": "astrology"}},
        {"filter": {"availableFrom": "2027-01-10", "availableTo": "2027-01-01"}},
        {"page": {"first": 1000}},
        {"page": {"after": "garbage"}},
        {"filter": {"availableWithinDays": -1}},
    ):
        assert error_code(await api.call(SEARCH, variables)) == "BAD_USER_INPUT", variables


async def test_a_profile_change_is_visible_to_the_next_search(api: Api) -> None:
    doctors = await catalogue(api)
    assert await names(api, {"city": "Hamburg"}) == []
    await api.admin(PROFILE, {"id": doctors["Ben Okafor"].id, "input": {"city": "Hamburg"}})
    assert await names(api, {"city": "Hamburg"}) == ["Ben Okafor"]


async def test_an_availability_change_is_visible_to_the_next_search(api: Api) -> None:
    doctors = await catalogue(api)
    assert await names(api, {"availableOn": "2027-01-05"}) == ["Ana Silva"]
    await doctors["Chie Tanaka"].call(api, SET_RULES, {"rules": weekdays("09:00", "10:00", 60)})
    assert await names(api, {"availableOn": "2027-01-05"}) == ["Ana Silva", "Chie Tanaka"]


async def test_busy_time_is_visible_to_the_next_search(api: Api) -> None:
    doctors = await catalogue(api)
    ben = doctors["Ben Okafor"]
    assert await names(api, {"availableOn": "2027-01-08"}) == ["Ana Silva", "Ben Okafor"]
    for hour in (9, 10):  # both of Friday's slots (10:00 and 11:00 Berlin)
        await api.deliver(
            "AppointmentBooked",
            {
                "appointment_id": str(uuid.uuid4()),
                "doctor_id": ben.id,
                "start": f"2027-01-08T{hour:02d}:00:00+00:00",
                "end": f"2027-01-08T{hour + 1:02d}:00:00+00:00",
            },
            source="appointments",
        )
    assert await names(api, {"availableOn": "2027-01-08"}) == ["Ana Silva"]


async def test_a_suspended_doctor_leaves_the_results_at_once(api: Api) -> None:
    doctors = await catalogue(api)
    assert len(await names(api)) == 3
    await api.admin(
        "mutation($id: ID!) { suspendDoctor(id: $id) { id } }", {"id": doctors["Ana Silva"].id}
    )
    assert await names(api) == ["Ben Okafor", "Chie Tanaka"]
