"""Identity's lists as Relay cursor connections: `first`/`after`, edges, pageInfo, totalCount."""

from __future__ import annotations

from typing import Any

from subgraphs.shared.connections import encode_cursor
from tests.integration.identity.conftest import Api
from tests.integration.identity.test_admin import admin_token
from tests.integration.identity.test_audit_trail import _seed

USERS = """query($first: Int, $after: String, $o: Int, $l: Int) {
  users(first: $first, after: $after, offset: $o, limit: $l) {
    totalCount edges { cursor node { name } } nodes { name }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    items { name } total
  }
}"""
TRAIL = """query($first: Int, $after: String) {
  auditTrail(first: $first, after: $after) {
    totalCount nodes { seq } pageInfo { hasNextPage endCursor }
  }
}"""
EVENTS = """query($first: Int, $after: String) {
  auditEvents(first: $first, after: $after) {
    totalCount nodes { action } pageInfo { hasNextPage endCursor }
  }
}"""


async def _walk(api: Api, query: str, field: str, token: str) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = (await api.ok(query, {"first": 2, "after": after}, token=token))[field]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


async def test_users_page_forward_by_end_cursor_to_the_last_page(api: Api) -> None:
    token = await admin_token(api)
    for name in ("Cleo", "Abe", "Bea", "Dan"):
        await api.register(f"{name.lower()}@example.org", name=name)
    first = (await api.ok(USERS, {"first": 2}, token=token))["users"]
    assert first["totalCount"] == 5
    assert [e["node"]["name"] for e in first["edges"]] == ["Abe", "Bea"]
    assert first["nodes"] == first["items"] == [{"name": "Abe"}, {"name": "Bea"}]
    info = first["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    assert (info["startCursor"], info["endCursor"]) == (
        first["edges"][0]["cursor"],
        first["edges"][-1]["cursor"],
    )
    pages = await _walk(api, USERS, "users", token)
    assert [n["name"] for p in pages for n in p["nodes"]] == ["Abe", "Bea", "Cleo", "Dan", "Root"]
    last = pages[-1]["pageInfo"]
    assert (last["hasNextPage"], last["hasPreviousPage"]) == (False, True)
    beyond = await api.ok(USERS, {"first": 2, "after": last["endCursor"]}, token=token)
    assert beyond["users"]["nodes"] == []
    assert beyond["users"]["pageInfo"]["endCursor"] is None


async def test_the_deprecated_offset_and_limit_still_page_users(api: Api) -> None:
    token = await admin_token(api)
    for name in ("Abe", "Bea"):
        await api.register(f"{name.lower()}@example.org", name=name)
    page = (await api.ok(USERS, {"o": 1, "l": 1}, token=token))["users"]
    assert page["items"] == page["nodes"] == [{"name": "Bea"}]
    assert page["total"] == page["totalCount"] == 3
    assert page["pageInfo"]["hasPreviousPage"] is True
    after = await api.ok(USERS, {"first": 1, "after": page["pageInfo"]["endCursor"]}, token=token)
    assert after["users"]["nodes"] == [{"name": "Root"}]


async def test_a_forged_foreign_or_mixed_page_request_is_bad_user_input(api: Api) -> None:
    token = await admin_token(api)
    good = (await api.ok(USERS, {"first": 1}, token=token))["users"]["pageInfo"]["endCursor"]
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    foreign = encode_cursor("identity.auditTrail", 0)
    for variables in (
        {"first": 1, "after": forged},
        {"first": 1, "after": foreign},
        {"first": 1, "after": "not a cursor"},
        {"first": 0},
        {"first": 1, "o": 0},
    ):
        error = await api.error(USERS, variables, token=token)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", variables


async def test_the_audit_lists_page_by_cursor_without_repeats(api: Api) -> None:
    token = await admin_token(api)
    for name in ("abe", "bea", "cleo"):
        await api.register(f"{name}@example.org", name=name.title())
        await api.login(f"{name}@example.org")
    events = await _walk(api, EVENTS, "auditEvents", token)
    seen = [n["action"] for p in events for n in p["nodes"]]
    assert len(seen) == events[0]["totalCount"] >= 4
    await _seed(api)
    trail = await _walk(api, TRAIL, "auditTrail", token)
    seqs = [n["seq"] for p in trail for n in p["nodes"]]
    assert len(seqs) == len(set(seqs)) == trail[0]["totalCount"]
    assert len(trail) > 1
    assert seqs == sorted(seqs, reverse=True)  # newest first
