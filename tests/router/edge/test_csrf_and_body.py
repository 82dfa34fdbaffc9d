"""CSRF prevention and the body cap refuse what they must, and only that."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.router.edge.support import CSRF, edge_app


def test_get_query_without_a_preflight_header_is_refused_as_csrf() -> None:
    with TestClient(edge_app()) as client:
        response = client.get("/graphql", params={"query": "{ me { id } }"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTED"


def test_get_query_with_the_csrf_header_runs() -> None:
    with TestClient(edge_app()) as client:
        response = client.get("/graphql", params={"query": "{ me { id } }"}, headers=CSRF)
        assert response.json() == {"data": {"me": {"id": "1"}}}


def test_simple_content_types_are_refused_as_csrf() -> None:
    with TestClient(edge_app()) as client:
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            response = client.post(
                "/graphql",
                content=b'{"query": "mutation { appendLog(text: \\"x\\") }"}',
                headers={"content-type": content_type},
            )
            assert response.status_code == 400
            assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTED"


def test_json_posts_and_apollo_preflight_header_pass_csrf() -> None:
    with TestClient(edge_app()) as client:
        assert client.post("/graphql", json={"query": "{ me { id } }"}).status_code == 200
        response = client.get(
            "/graphql",
            params={"query": "{ me { id } }"},
            headers={"apollo-require-preflight": "true"},
        )
        assert response.status_code == 200


def test_bodies_over_the_cap_are_refused_with_413() -> None:
    with TestClient(edge_app(max_body_bytes=1000)) as client:
        padding = "#" + "x" * 2000 + "\n"
        response = client.post("/graphql", json={"query": padding + "{ me { id } }"})
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_the_default_cap_is_two_megabytes() -> None:
    with TestClient(edge_app()) as client:
        big = b'{"query": "{ me { id } }", "x": "' + b"a" * (2 * 1024 * 1024) + b'"}'
        response = client.post(
            "/graphql", content=big, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        small = b'{"query": "{ me { id } }", "x": "' + b"a" * (1024 * 1024) + b'"}'
        response = client.post(
            "/graphql", content=small, headers={"content-type": "application/json"}
        )
        assert response.status_code == 200


def test_a_chunked_body_over_the_cap_is_refused() -> None:
    def chunks() -> object:
        for _ in range(20):
            yield b"x" * 100

    with TestClient(edge_app(max_body_bytes=1000)) as client:
        response = client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
