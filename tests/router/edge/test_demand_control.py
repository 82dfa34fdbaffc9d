"""Demand control: costs from the supergraph's @cost/@listSize, refusal above ROUTER_MAX_COST."""

from __future__ import annotations

import dataclasses

import httpx
import orjson
from graphql import parse
from starlette.testclient import TestClient

from router.app import create_app
from router.config import RouterConfig
from router.edge.config import EdgeConfig
from router.edge.demand_control import CostModel
from router.edge.guard import Edge
from router.testing.servers import running, subgraphs_app
from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios.edge import edge_scenarios

COSTED = next(s for s in edge_scenarios() if s.name == "dir_cost_list_size")
# slots: @cost(weight: 2), @listSize(slicingArguments: ["first"]); Slot.at @cost(weight: 1);
# Slot.doctor a Medic (an object: 1); Medic.name @cost(weight: 5).
QUERY = "query($n: Int) { slots(first: $n) { at doctor { name } } }"


def _model() -> CostModel:
    return CostModel.from_schema(COSTED.supergraph().schema)


def test_the_estimate_multiplies_a_sliced_list_by_the_argument_given() -> None:
    model = _model()
    # per slot: 2 (slots) + 1 (at) + 1 (doctor) + 5 (name) = 9
    assert model.estimate(parse(QUERY), {"n": 5}) == 45
    assert model.estimate(parse("{ slots(first: 2) { at } }")) == 6
    assert model.estimate(parse("{ slots(first: 2) { __typename } }")) == 4


def test_without_a_slicing_argument_the_default_list_size_counts() -> None:
    model = _model()
    assert model.estimate(parse("{ slots { at } }"), default_list_size=3) == 9
    assert model.estimate(parse(QUERY), {}, default_list_size=1) == 9


def test_fragments_count_like_the_fields_they_hold() -> None:
    model = _model()
    spread = (
        "{ slots(first: 2) { ...S } } fragment S on Slot { at doctor { ... on Medic { name } } }"
    )
    assert model.estimate(parse(spread)) == model.estimate(
        parse("{ slots(first: 2) { at doctor { name } } }")
    )


def _app(max_cost: int) -> TestClient:
    def medics(request: httpx.Request) -> httpx.Response:
        body = orjson.loads(request.content)
        if "_entities" in body["query"]:
            reps = body["variables"]["representations"]
            return httpx.Response(
                200, json={"data": {"_entities": [{"name": "Dr B"} for _ in reps]}}
            )
        slot = {
            "__typename": "Slot",
            "id": "s1",
            "at": "09:00",
            "doctor": {"__typename": "Medic", "id": "m1"},
        }
        return httpx.Response(200, json={"data": {"slots": [slot]}})

    edge = Edge(dataclasses.replace(EdgeConfig(), max_cost=max_cost))
    app = create_app(
        RouterConfig(),
        supergraph=COSTED.supergraph(),
        transport=httpx.MockTransport(medics),
        edge=edge,
    )
    return TestClient(app)


def test_operations_above_the_limit_are_refused_with_a_stable_code() -> None:
    headers = {"x-healthbook-csrf": "1"}
    with _app(max_cost=40) as client:
        refused = client.post(
            "/graphql", json={"query": QUERY, "variables": {"n": 5}}, headers=headers
        )
        assert refused.status_code == 400
        error = refused.json()["errors"][0]
        assert error["extensions"]["code"] == "COST_ESTIMATED_TOO_EXPENSIVE"
        assert "45" in error["message"]
        admitted = client.post(
            "/graphql", json={"query": QUERY, "variables": {"n": 4}}, headers=headers
        )
        assert admitted.status_code == 200
        assert admitted.json() == {"data": {"slots": [{"at": "09:00", "doctor": {"name": "Dr B"}}]}}


def test_demand_control_is_off_by_default() -> None:
    assert EdgeConfig().max_cost == 0
    assert EdgeConfig.from_env({"ROUTER_MAX_COST": "250"}).max_cost == 250
    with _app(max_cost=0) as client:
        response = client.post(
            "/graphql",
            json={"query": QUERY, "variables": {"n": 1000}},
            headers={"x-healthbook-csrf": "1"},
        )
        assert response.status_code == 200


def test_an_over_cost_operation_is_refused_before_any_subgraph_call() -> None:
    # The scenario's real subgraphs on loopback, the router over HTTP: requests are counted
    # where they arrive, at the subgraph servers.
    specs = [s for s in COSTED.build() if isinstance(s, SubgraphSpec)]
    with running(subgraphs_app(specs)) as base:
        edge = Edge(dataclasses.replace(EdgeConfig(), max_cost=40))
        app = create_app(RouterConfig(), supergraph=COSTED.supergraph(base), edge=edge)
        with running(app) as router, httpx.Client(timeout=30) as http:
            refused = http.post(
                f"{router}/graphql",
                json={"query": QUERY, "variables": {"n": 5}},
                headers={"x-healthbook-csrf": "1"},
            )
            assert refused.status_code == 400
            assert refused.json()["errors"][0]["extensions"]["code"] == (
                "COST_ESTIMATED_TOO_EXPENSIVE"
            )
            assert "data" not in refused.json()
            assert len(specs) == 2
            assert [len(s.received) for s in specs] == [0, 0]
            admitted = http.post(
                f"{router}/graphql",
                json={"query": QUERY, "variables": {"n": 4}},
                headers={"x-healthbook-csrf": "1"},
            )
            assert admitted.json() == {
                "data": {"slots": [{"at": "09:00", "doctor": {"name": "Dr B"}}]}
            }
            assert [len(s.received) for s in specs] == [1, 1]
