"""The doctor search as a Relay cursor connection: `first`/`after`, edges, pageInfo."""

from __future__ import annotations

from typing import Any

from subgraphs.doctors.domain.search import encode_cursor as old_offset_cursor
from subgraphs.shared.connections import encode_cursor
from tests.integration.doctors.helpers import Api, approved_doctor, error_code

NAMES = ["Ana Silva", "Ben Okafor", "Chie Tanaka", "Dara Novak", "Eli Haddad"]
SEARCH = """query($first: Int, $after: String) {
  doctors(first: $first, after: $after) {
    totalCount edges { cursor node { name } } nodes { name }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }"""
OLD = """query($page: PageInput) {
  doctors(page: $page) { totalCount nodes { name } pageInfo { hasNextPage endCursor offset } } }"""


async def _five(api: Api) -> None:
    for name in NAMES:
        await approved_doctor(api, name)


async def _page(api: Api, first: int, after: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = (await api.data(SEARCH, {"first": first, "after": after}))["doctors"]
    return page


async def test_pages_forward_by_end_cursor_to_the_last_page(api: Api) -> None:
    await _five(api)
    first = await _page(api, 2)
    assert first["totalCount"] == 5
    assert [e["node"]["name"] for e in first["edges"]] == [n["name"] for n in first["nodes"]]
    info = first["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    assert info["startCursor"] == first["edges"][0]["cursor"]
    assert info["endCursor"] == first["edges"][-1]["cursor"]
    pages = [first]
    while pages[-1]["pageInfo"]["hasNextPage"]:
        pages.append(await _page(api, 2, pages[-1]["pageInfo"]["endCursor"]))
    assert [len(p["nodes"]) for p in pages] == [2, 2, 1]
    assert [n["name"] for p in pages for n in p["nodes"]] == NAMES  # by name, no repeats
    last = pages[-1]["pageInfo"]
    assert (last["hasNextPage"], last["hasPreviousPage"]) == (False, True)
    beyond = await _page(api, 2, last["endCursor"])
    assert beyond["nodes"] == []
    assert beyond["edges"] == []
    assert (beyond["pageInfo"]["startCursor"], beyond["pageInfo"]["endCursor"]) == (None, None)


async def test_an_edited_or_foreign_cursor_is_bad_user_input_on_after(api: Api) -> None:
    await _five(api)
    good = (await _page(api, 2))["pageInfo"]["endCursor"]
    forged = encode_cursor("doctors.search", 1)[:-2] + "AA"
    foreign = encode_cursor("appointments.search", 1)
    for cursor in (good[:-3], "not-a-cursor", forged, foreign, old_offset_cursor(2), ""):
        result = await api.call(SEARCH, {"first": 2, "after": cursor})
        assert error_code(result) == "BAD_USER_INPUT", cursor
        assert result["errors"][0]["extensions"]["field"] == "after", cursor
        assert result["data"] is None
    for size in (0, 1000):
        assert error_code(await api.call(SEARCH, {"first": size})) == "BAD_USER_INPUT"


async def test_the_deprecated_page_argument_and_old_cursors_still_work(api: Api) -> None:
    await _five(api)
    old = (await api.data(OLD, {"page": {"first": 2, "after": old_offset_cursor(3)}}))["doctors"]
    assert [n["name"] for n in old["nodes"]] == NAMES[3:]
    assert (old["totalCount"], old["pageInfo"]["hasNextPage"], old["pageInfo"]["offset"]) == (
        5,
        False,
        3,
    )
    # What `pageInfo.endCursor` gives out now continues through the old argument too.
    start = (await api.data(OLD, {"page": {"first": 2}}))["doctors"]
    cursor = start["pageInfo"]["endCursor"]
    after = (await api.data(OLD, {"page": {"first": 2, "after": cursor}}))["doctors"]
    assert [n["name"] for n in after["nodes"]] == NAMES[2:4]
    assert after["pageInfo"]["offset"] == 2
    by_offset = (await api.data(OLD, {"page": {"first": 1, "offset": 4}}))["doctors"]
    assert [n["name"] for n in by_offset["nodes"]] == NAMES[4:]


async def test_mixing_the_page_argument_with_first_or_after_is_bad_user_input(api: Api) -> None:
    await _five(api)
    cursor = (await _page(api, 2))["pageInfo"]["endCursor"]
    mixed = """query($after: String) {
      doctors(page: {first: 2}, first: 2, after: $after) { totalCount } }"""
    for after in (None, cursor):
        assert error_code(await api.call(mixed, {"after": after})) == "BAD_USER_INPUT"
