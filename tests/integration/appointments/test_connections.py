"""The appointment lists as Relay cursor connections: `first`/`after`, edges, pageInfo."""

from __future__ import annotations

import uuid
from typing import Any

from subgraphs.appointments.domain import Actor
from subgraphs.shared.auth import Role
from subgraphs.shared.connections import encode_cursor
from tests.integration.appointments.api import Api
from tests.integration.appointments.support import FakeAvailability, at, patient

MINE = """query($first: Int, $after: String) {
  myAppointments(first: $first, after: $after) {
    totalCount edges { cursor node { id } } nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
SEARCH = """query($first: Int, $after: String) {
  appointments(first: $first, after: $after) {
    totalCount nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""
OF_USER = """query($reps: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $reps) {
    ... on User { appointments(first: $first, after: $after) {
      totalCount nodes { id } pageInfo { hasNextPage endCursor } } }
  }
}"""


async def _book_five(api: Api, availability: FakeAvailability, who: Actor) -> list[str]:
    doctor = availability.add()
    return [
        await api.book(who, doctor, at(day, 9).isoformat(), key=f"k{day}") for day in range(1, 6)
    ]


async def _walk(api: Api, query: str, field: str, as_: Actor, **extra: Any) -> list[Any]:
    pages: list[Any] = []
    after: str | None = None
    while True:
        data = await api.data(query, {"first": 2, "after": after, **extra}, as_=as_)
        page = data[field] if field != "_entities" else data[field][0]["appointments"]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


async def test_my_appointments_page_forward_by_end_cursor_to_the_last_page(
    api: Api, availability: FakeAvailability
) -> None:
    who = patient()
    booked = await _book_five(api, availability, who)
    first = (await api.data(MINE, {"first": 2}, as_=who))["myAppointments"]
    assert first["totalCount"] == 5
    assert [e["node"]["id"] for e in first["edges"]] == [n["id"] for n in first["nodes"]]
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    pages = await _walk(api, MINE, "myAppointments", who)
    assert [len(p["nodes"]) for p in pages] == [2, 2, 1]
    assert [n["id"] for p in pages for n in p["nodes"]] == booked  # soonest first, no repeats
    last = pages[-1]["pageInfo"]
    assert (last["hasNextPage"], last["hasPreviousPage"]) == (False, True)
    beyond = await api.data(MINE, {"first": 2, "after": last["endCursor"]}, as_=who)
    assert beyond["myAppointments"]["nodes"] == []
    assert beyond["myAppointments"]["pageInfo"]["endCursor"] is None


async def test_an_edited_or_foreign_cursor_is_bad_user_input(
    api: Api, availability: FakeAvailability
) -> None:
    who = patient()
    await _book_five(api, availability, who)
    page = (await api.data(MINE, {"first": 2}, as_=who))["myAppointments"]
    good = page["pageInfo"]["endCursor"]
    forged = encode_cursor("appointments.mine.UPCOMING", 1)[:-2] + "AA"
    foreign = encode_cursor("appointments.search", 1)
    for cursor in (good[:-3], "not-a-cursor", forged, foreign, ""):
        assert await api.error_code(MINE, {"first": 2, "after": cursor}, as_=who) == (
            "BAD_USER_INPUT"
        )
    assert await api.error_code(MINE, {"first": 0}, as_=who) == "BAD_USER_INPUT"


async def test_the_deprecated_page_argument_still_works_but_not_with_first(
    api: Api, availability: FakeAvailability
) -> None:
    who = patient()
    await _book_five(api, availability, who)
    old = """{ myAppointments(page: {offset: 4, limit: 2}) {
      items { id } total hasMore pageInfo { hasPreviousPage hasNextPage } } }"""
    page = (await api.data(old, as_=who))["myAppointments"]
    assert (len(page["items"]), page["total"], page["hasMore"]) == (1, 5, False)
    assert page["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": False}
    mixed = "{ myAppointments(page: {limit: 2}, first: 2) { totalCount } }"
    assert await api.error_code(mixed, as_=who) == "BAD_USER_INPUT"


async def test_the_admin_search_and_a_users_list_are_connections_too(
    api: Api, availability: FakeAvailability
) -> None:
    who = patient()
    booked = await _book_five(api, availability, who)
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    pages = await _walk(api, SEARCH, "appointments", admin)
    assert sorted(n["id"] for p in pages for n in p["nodes"]) == sorted(booked)
    reps = [{"__typename": "User", "id": str(who.user_id)}]
    pages = await _walk(api, OF_USER, "_entities", who, reps=reps)
    assert [len(p["nodes"]) for p in pages] == [2, 2, 1]
    # A cursor of one user's list is not one of another's.
    other = [{"__typename": "User", "id": str(uuid.uuid4())}]
    cursor = pages[0]["pageInfo"]["endCursor"]
    code = await api.error_code(OF_USER, {"reps": other, "first": 2, "after": cursor}, as_=admin)
    assert code == "BAD_USER_INPUT"
