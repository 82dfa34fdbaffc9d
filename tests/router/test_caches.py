"""Document and plan caches."""

from __future__ import annotations

import httpx

from router.cache import LRUCache
from router.gateway import Gateway, GraphQLRequest
from router.subgraph_client import SubgraphClient
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
