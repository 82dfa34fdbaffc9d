"""Planner behaviours end to end on canned subgraph answers: keys mapped back, hidden values."""

from __future__ import annotations

from typing import Any

from tests.router.execution.canned import run


def test_an_aliased_response_key_is_answered_under_the_clients_key() -> None:
    def answer(_subgraph: str, body: dict[str, Any]) -> dict[str, Any]:
        assert "__hb_id_1: id" in body["query"]
        things = [{"__typename": "Post", "id": "p1"}, {"__typename": "Note", "__hb_id_1": None}]
        return {"data": {"things": things}}

    body, calls = run("conflicts", "{ things { ... on Post { id } ... on Note { id } } }", answer)
    assert body == {"data": {"things": [{"id": "p1"}, {"id": None}]}}
    assert len(calls) == 1


def test_required_fields_with_other_arguments_reach_the_representation() -> None:
    def answer(subgraph: str, body: dict[str, Any]) -> dict[str, Any]:
        if subgraph == "posts":
            post = {
                "__typename": "Post",
                "pid": "1",
                "comments": ["a", "b", "c"],
                "__hb_comments_f846db3e": ["a"],
            }
            return {"data": {"posts": [post]}}
        (representation,) = body["variables"]["representations"]
        assert representation == {"__typename": "Post", "pid": "1", "comments": ["a"]}
        return {"data": {"_entities": [{"summary": "1 comment"}]}}

    body, _ = run("conflicts", "{ posts { comments(limit: 3) summary } }", answer)
    assert body == {"data": {"posts": [{"comments": ["a", "b", "c"], "summary": "1 comment"}]}}


def test_objects_of_a_hidden_type_become_null() -> None:
    def answer(_subgraph: str, _body: dict[str, Any]) -> dict[str, Any]:
        pets = [{"__typename": "Cat", "name": "Tom"}, {"__typename": "Robot", "name": "R2"}]
        return {"data": {"pets": pets}}

    body, _ = run("hidden", "{ pets { ... on Cat { name } } }", answer)
    assert body == {"data": {"pets": [{"name": "Tom"}, None]}}


def test_a_hidden_type_where_null_is_not_allowed_nulls_the_parent_with_an_error() -> None:
    def answer(_subgraph: str, _body: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"pet": {"__typename": "Robot", "name": "R2"}}}

    body, _ = run("hidden", "{ pet { ... on Cat { name } } }", answer)
    assert body["data"] is None
    assert [e["path"] for e in body["errors"]] == [["pet"]]


def test_hidden_enum_values_become_null_and_null_propagates() -> None:
    def answer(_subgraph: str, _body: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"mood": "SECRET", "moods": ["HAPPY", "SECRET"]}}

    body, _ = run("hidden", "{ mood moods }", answer)
    assert body["data"] == {"mood": None, "moods": None}
    assert [e["path"] for e in body["errors"]] == [["moods", 1]]


def test_a_required_fragment_is_projected_into_the_representation() -> None:
    media = [{"__typename": "Foo", "foo": "f"}, {"__typename": "Bar"}]

    def answer(subgraph: str, body: dict[str, Any]) -> dict[str, Any]:
        if subgraph == "things":
            things = [
                {"__typename": "Thing", "id": str(i), "media": m} for i, m in enumerate(media)
            ]
            return {"data": {"things": things}}
        assert body["variables"]["representations"] == [
            {"__typename": "Thing", "id": "0", "media": {"__typename": "Foo", "foo": "f"}},
            {"__typename": "Thing", "id": "1", "media": {"__typename": "Bar"}},
        ]
        return {"data": {"_entities": [{"label": "foo f"}, {"label": "bar"}]}}

    body, _ = run("requires", "{ things { label } }", answer)
    assert body == {"data": {"things": [{"label": "foo f"}, {"label": "bar"}]}}


def test_one_entity_request_per_distinct_context_value() -> None:
    users = [
        {"id": "1", "locale": "de", "orders": [{"__typename": "Order", "id": "a"}]},
        {"id": "2", "locale": "en", "orders": [{"__typename": "Order", "id": "b"}]},
        {"id": "3", "locale": "de", "orders": [{"__typename": "Order", "id": "c"}]},
    ]
    words = {"de": "Hallo", "en": "Hello"}

    def answer(subgraph: str, body: dict[str, Any]) -> dict[str, Any]:
        if subgraph == "users":
            return {"data": {"users": users}}
        variables = body["variables"]
        word = words[variables["__hb_ctx_0"]]
        reps = variables["representations"]
        return {"data": {"_entities": [{"greeting": f"{word} {r['id']}"} for r in reps]}}

    body, calls = run("context", "{ users { id orders { greeting } } }", answer)
    greetings = [u["orders"][0]["greeting"] for u in body["data"]["users"]]
    assert greetings == ["Hallo a", "Hello b", "Hallo c"]
    contexts = sorted(b["variables"]["__hb_ctx_0"] for s, b in calls if s == "greetings")
    assert contexts == ["de", "en"]


def test_each_ancestor_type_gives_its_own_context_field() -> None:
    places = [
        {"__typename": "Shop", "currency": "EUR", "items": [{"__typename": "Item", "id": "a"}]},
        {"__typename": "Market", "money": "NOK", "items": [{"__typename": "Item", "id": "b"}]},
        {"__typename": "Shop", "currency": "NOK", "items": [{"__typename": "Item", "id": "c"}]},
    ]

    def answer(subgraph: str, body: dict[str, Any]) -> dict[str, Any]:
        if subgraph == "shops":
            return {"data": {"places": places}}
        currency = body["variables"]["__hb_ctx_0"]
        reps = body["variables"]["representations"]
        return {"data": {"_entities": [{"price": f"{r['id']} in {currency}"} for r in reps]}}

    body, calls = run("context_types", "{ places { items { price } } }", answer)
    prices = [p["items"][0]["price"] for p in body["data"]["places"]]
    assert prices == ["a in EUR", "b in NOK", "c in NOK"]
    asked = [
        (b["variables"]["__hb_ctx_0"], [r["id"] for r in b["variables"]["representations"]])
        for s, b in calls
        if s == "prices"
    ]
    assert sorted(asked) == [("EUR", ["a"]), ("NOK", ["b", "c"])]


def test_objects_read_the_context_of_their_nearest_ancestor_setting_it() -> None:
    owners = [
        {
            "currency": "EUR",
            "places": [
                {"__typename": "Stall", "items": [{"__typename": "Item", "id": "a"}]},
                {
                    "__typename": "Market",
                    "money": "NOK",
                    "items": [{"__typename": "Item", "id": "b"}],
                },
            ],
        }
    ]

    def answer(subgraph: str, body: dict[str, Any]) -> dict[str, Any]:
        if subgraph == "shops":
            return {"data": {"owners": owners}}
        currency = body["variables"]["__hb_ctx_0"]
        reps = body["variables"]["representations"]
        return {"data": {"_entities": [{"price": f"{r['id']} in {currency}"} for r in reps]}}

    body, _ = run("context_depths", "{ owners { places { items { price } } } }", answer)
    places = body["data"]["owners"][0]["places"]
    assert [p["items"][0]["price"] for p in places] == ["a in EUR", "b in NOK"]
