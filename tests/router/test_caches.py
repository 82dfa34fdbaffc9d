"""Document and plan caches."""

from __future__ import annotations

import httpx

from router.cache import LRUCache
from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import SubgraphClient
from tests.router.planner.federations import supergraph
from tests.router.scenarios import all_scenarios


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)


def _gateway() -> Gateway:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    client = SubgraphClient(httpx.AsyncClient(), {})
    return Gateway(shop.supergraph(), client, plan_cache_size=10)


def test_documents_and_plans_are_parsed_and_planned_once() -> None:
    gateway = _gateway()
    request = GraphQLRequest(query="{ me { id } }")
    first = gateway.plan(gateway.prepare(request), {})
    second = gateway.plan(gateway.prepare(request), {})
    assert first is second
    assert (gateway.documents.hits, gateway.plans.hits) == (1, 1)


def test_the_same_document_spelled_differently_shares_a_plan() -> None:
    gateway = _gateway()
    a = gateway.plan(gateway.prepare(GraphQLRequest(query="{ me { id } }")), {})
    b = gateway.plan(gateway.prepare(GraphQLRequest(query="query {\n  me {\n    id\n  }\n}")), {})
    assert a is b


def test_plans_differ_by_skip_and_include_values() -> None:
    gateway = _gateway()
    prepared = gateway.prepare(
        GraphQLRequest(query="query Q($a: Boolean!) { me { id name @include(if: $a) } }")
    )
    assert gateway.plan(prepared, {"a": True}) is not gateway.plan(prepared, {"a": False})
    assert gateway.plan(prepared, {"a": True}) is gateway.plan(prepared, {"a": True})


def test_plans_are_cached_per_set_of_active_override_labels() -> None:
    rolls = iter([0.1, 0.9, 0.2])  # percent(50): active, not, active
    client = SubgraphClient(httpx.AsyncClient(), {})
    gateway = Gateway(supergraph("labels"), client, roll=lambda: next(rolls))
    prepared = gateway.prepare(GraphQLRequest(query="{ posts { shares } }"))
    rolled = [gateway.plan(prepared, {}) for _ in range(3)]
    assert rolled[0] is rolled[2]
    assert rolled[0] is not rolled[1]
    assert [len(p.fetches) for p in rolled] == [2, 1, 2]
    assert sorted(k[2] for k in gateway.plans._entries) == [
        ("percent(100)",),
        ("percent(100)", "percent(50)"),
    ]


def test_a_label_switched_on_by_configuration_is_in_every_plan() -> None:
    client = SubgraphClient(httpx.AsyncClient(), {})
    gateway = Gateway(
        supergraph("labels"), client, override_labels={"beta-views"}, roll=lambda: 0.99
    )
    prepared = gateway.prepare(GraphQLRequest(query="{ posts { views } }"))
    plan = gateway.plan(prepared, {})
    assert [f.subgraph for f in plan.fetches] == ["blog", "social"]
