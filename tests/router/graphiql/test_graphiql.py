"""GraphiQL served by the router itself, checked in real headless Chromium (Debian's
chromium driven by playwright-core): the page loads with no network beyond localhost, a query
runs and its result is shown; the screenshot is kept in test-artifacts/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from router.graphiql import ASSETS, CSP, VENDOR_FILES
from router.testing.servers import running
from tests.router.edge.support import edge_app
from tests.support.node import require_node_package

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    message = "chromium is needed (scripts/ensure-tools.sh installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _require_assets() -> None:
    if all((ASSETS / "vendor" / name).is_file() for name in VENDOR_FILES):
        return
    message = "GraphiQL's assets are not copied (run `make node`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_browsers_get_graphiql_with_a_strict_policy_and_no_inline_script() -> None:
    _require_assets()
    with TestClient(edge_app()) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert page.headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP
        assert "<script>" not in page.text
        assert "http://" not in page.text
        assert "https://" not in page.text
        for asset in ("/graphiql/vendor/graphiql.min.js", "/graphiql/app/graphiql.js"):
            assert client.get(asset).status_code == 200
        # API clients still get GraphQL, not HTML.
        assert client.get("/graphql", headers={"x-healthbook-csrf": "1"}).status_code == 400


def test_without_copied_assets_the_page_names_the_build_step(tmp_path: Path) -> None:
    from router.graphiql import graphiql_page

    response = graphiql_page(assets=tmp_path)
    assert response.status_code == 503
    assert b"make node" in response.body


@pytest.mark.browser
@pytest.mark.node
@pytest.mark.timeout(180)
def test_graphiql_runs_a_query_in_headless_chromium(tmp_path: Path) -> None:
    _require_chromium()
    _require_assets()
    playwright = require_node_package("playwright-core")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "graphiql.png"
    with running(edge_app()) as base:
        assert httpx.get(f"{base}/health/live").status_code == 200
        url = f"{base}/graphql?query=" + "%7B%20me%20%7B%20id%20name%20%7D%20%7D"
        process = subprocess.run(
            [
                "node",
                str(Path(__file__).with_name("browser.mjs")),
                str(playwright.parent),
                url,
                str(screenshot),
                str(tmp_path / "profile"),
            ],
            capture_output=True,
            text=True,
            timeout=150,
            check=False,
        )
    assert process.returncode == 0, process.stdout + process.stderr
    report = json.loads(process.stdout)
    assert report["offsite"] == []
    assert '"name": "Ada"' in report["result"]
    assert "Query" in report["docs"]
    assert "me" in report["explorer"]
    assert report["consoleErrors"] == []
    assert screenshot.stat().st_size > 10_000
