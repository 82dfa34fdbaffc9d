"""The router serves the built web app at `/`: build files as they are, the app's page for
deep links, never for the API's own paths, always under a strict policy with no inline script."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from router.webapp import CSP, web_routes


def _build(root: Path) -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(
        '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1.js"></script>'
    )
    (root / "assets" / "app-1.js").write_text("console.log(1)")
    (root / "favicon.svg").write_text("<svg/>")
    return root


def _client(assets: Path) -> TestClient:
    return TestClient(Starlette(routes=web_routes(assets)))


def test_deep_links_get_the_app_page_under_a_strict_policy(tmp_path: Path) -> None:
    client = _client(_build(tmp_path))
    for path in (
        "/",
        "/doctors/42",
        "/reset-password?token=abc",
        "/invitation?token=x",
        "/admin/users",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert '<div id="root">' in page.text
        assert page.headers["content-security-policy"] == CSP
        assert page.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP
    assert "'unsafe-inline'" not in CSP.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in CSP


def test_hashed_assets_are_cached_for_good_and_unknown_ones_are_missing(tmp_path: Path) -> None:
    client = _client(_build(tmp_path))
    asset = client.get("/assets/app-1.js")
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert client.get("/assets/gone.js").status_code == 404
    assert client.get("/favicon.svg").text == "<svg/>"


def test_api_paths_are_never_answered_with_the_page(tmp_path: Path) -> None:
    client = _client(_build(tmp_path))
    for path in ("/graphql", "/graphiql/x.js", "/health/whatever", "/metrics", "/auth/session/x"):
        assert client.get(path).status_code == 404, path


def test_without_a_build_the_page_names_the_build_step(tmp_path: Path) -> None:
    page = _client(tmp_path).get("/doctors/1")
    assert page.status_code == 503
    assert "make node" in page.text
