"""The HTTP server: GraphQL over HTTP, GET rules, status codes, health, metrics, plan header."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import orjson
import pytest

from router.app import create_app
from router.config import RouterConfig
from router.testing.servers import running
from tests.router.scenarios import all_scenarios

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _subgraphs(request: httpx.Request) -> httpx.Response:
    """Stands in for the shop subgraphs: accounts answers `me`, nothing else is asked."""
    body = orjson.loads(request.content)
    if "mutation" in body["query"]:
        return httpx.Response(200, json={"data": {"appendLog": ["x"]}})
    return httpx.Response(200, json={"data": {"me": {"id": "1", "name": "Ada"}}})


def _serve(config: RouterConfig) -> Iterator[str]:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    app = create_app(
        config, supergraph=shop.supergraph(), transport=httpx.MockTransport(_subgraphs)
    )
    with running(app) as base:
        yield base


@pytest.fixture(scope="module")
def router() -> Iterator[str]:
    yield from _serve(RouterConfig(expose_query_plan=True))


def test_post_json_answers_with_data(router: str) -> None:
    response = httpx.post(f"{router}/graphql", json={"query": "{ me { id name } }"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"data": {"me": {"id": "1", "name": "Ada"}}}


def test_graphql_response_json_is_used_when_accepted(router: str) -> None:
    response = httpx.post(
        f"{router}/graphql", json={"query": "{ me { id } }"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE


def test_invalid_operations_are_400_with_graphql_response_json(router: str) -> None:
    response = httpx.post(
        f"{router}/graphql", json={"query": "{ nope }"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_invalid_operations_are_200_with_legacy_json(router: str) -> None:
    response = httpx.post(f"{router}/graphql", json={"query": "{ me { "})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_get_serves_queries(router: str) -> None:
    response = httpx.get(
        f"{router}/graphql",
        params={
            "query": "query Me($x: Boolean!) { me { id @include(if: $x) } }",
            "variables": '{"x": true}',
        },
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"me": {"id": "1"}}}


def test_get_refuses_mutations_with_405(router: str) -> None:
    response = httpx.get(f"{router}/graphql", params={"query": 'mutation { appendLog(text: "x") }'})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_post_runs_mutations(router: str) -> None:
    response = httpx.post(f"{router}/graphql", json={"query": 'mutation { appendLog(text: "x") }'})
    assert response.json() == {"data": {"appendLog": ["x"]}}


@pytest.mark.parametrize(
    ("content", "headers", "status"),
    [
        (b"not json", {"content-type": "application/json"}, 400),
        (b"[1]", {"content-type": "application/json"}, 400),
        (b'{"query": 1}', {"content-type": "application/json"}, 400),
        (
            b'{"query": "{ me { id } }", "variables": [1]}',
            {"content-type": "application/json"},
            400,
        ),
        (b"{ me { id } }", {"content-type": "text/plain"}, 415),
        (
            b'{"query": "{ me { id } }"}',
            {"content-type": "application/json", "accept": "text/html"},
            406,
        ),
    ],
)
def test_malformed_requests_get_their_status(
    router: str, content: bytes, headers: dict[str, str], status: int
) -> None:
    assert httpx.post(f"{router}/graphql", content=content, headers=headers).status_code == status


def test_other_methods_are_not_allowed(router: str) -> None:
    assert httpx.put(f"{router}/graphql", json={"query": "{ me { id } }"}).status_code == 405


def test_health_endpoints(router: str) -> None:
    assert httpx.get(f"{router}/health/live").json() == {"status": "ok"}
    assert httpx.get(f"{router}/health/ready").json() == {"status": "ready"}


def test_metrics_count_requests_per_operation_and_subgraph_fetches(router: str) -> None:
    httpx.post(f"{router}/graphql", json={"query": "query Dashboard { me { id } }"})
    text = httpx.get(f"{router}/metrics").text
    assert 'router_requests_total{operation="Dashboard",status="200"}' in text
    assert 'router_request_duration_seconds_count{operation="Dashboard"}' in text
    assert 'router_subgraph_fetch_duration_seconds_count{subgraph="accounts"}' in text


def test_the_plan_header_adds_the_query_plan(router: str) -> None:
    response = httpx.post(
        f"{router}/graphql", json={"query": "{ me { id } }"}, headers={"x-healthbook-plan": "1"}
    )
    plan = response.json()["extensions"]["queryPlan"]
    assert plan["fetches"][0]["subgraph"] == "accounts"
    assert "#0 accounts first" in plan["text"]


def test_the_plan_header_is_ignored_unless_enabled() -> None:
    for base in _serve(RouterConfig(expose_query_plan=False)):
        response = httpx.post(
            f"{base}/graphql", json={"query": "{ me { id } }"}, headers={"x-healthbook-plan": "1"}
        )
        assert "extensions" not in response.json()


def test_readiness_can_require_every_subgraph_to_answer() -> None:
    shop = next(s for s in all_scenarios() if s.name == "shop")

    def down(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/reviews":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"data": {"__typename": "Query"}})

    config = RouterConfig(ready_checks_subgraphs=True)
    app = create_app(config, supergraph=shop.supergraph(), transport=httpx.MockTransport(down))
    with running(app) as base:
        response = httpx.get(f"{base}/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "unreachable": ["reviews"]}


def test_subgraphs_learn_the_client_address_not_the_routers() -> None:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    seen: list[httpx.Headers] = []

    def subgraph(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return _subgraphs(request)

    app = create_app(
        RouterConfig(), supergraph=shop.supergraph(), transport=httpx.MockTransport(subgraph)
    )
    with running(app) as base:
        # A client cannot choose the address the subgraphs see by sending the header itself.
        httpx.post(
            f"{base}/graphql",
            json={"query": "{ me { id } }"},
            headers={"x-forwarded-for": "203.0.113.9"},
        )
    (headers,) = seen
    assert headers["x-forwarded-for"] == "127.0.0.1"


def test_every_subgraph_call_of_a_request_carries_one_fresh_request_id() -> None:
    shop = next(s for s in all_scenarios() if s.name == "shop")
    seen: list[tuple[str, str]] = []

    def subgraph(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers["x-request-id"]))
        if "topProducts" in orjson.loads(request.content)["query"]:
            return httpx.Response(200, json={"data": {"topProducts": []}})
        return _subgraphs(request)

    app = create_app(
        RouterConfig(), supergraph=shop.supergraph(), transport=httpx.MockTransport(subgraph)
    )
    with running(app) as base:
        for _ in range(2):  # the client's own id is not believed: audit entries key on it
            response = httpx.post(
                f"{base}/graphql",
                json={"query": "{ me { id } topProducts { upc } }"},
                headers={"x-request-id": "chosen-by-client"},
            )
            assert "errors" not in response.json()
    first, second = seen[:2], seen[2:]
    assert len({path for path, _ in first}) == 2  # two subgraphs called
    assert len({rid for _, rid in first}) == 1  # with one id
    assert len({rid for _, rid in second}) == 1
    assert {rid for _, rid in first} != {rid for _, rid in second}
    assert "chosen-by-client" not in {rid for _, rid in seen}
