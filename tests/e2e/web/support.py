"""Running one journey script in Chromium and reading its report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.web.conftest import Running, require_browser
from tests.support.node import require_node_package

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts" / "web"
WEB_MODULES = REPO / "web" / "node_modules"
# The README's screenshots of the three roles' main pages, refreshed by the journeys that take
# them when WEB_DOCS_SCREENSHOTS=1 (`make web-screenshots`); committed in web/docs/.
DOCS = REPO / "web" / "docs"
DOC_SHOTS = {  # in web/docs/: taken as
    "patient-search.png": "patient-search.png",
    "patient-doctor-375.png": "patient-doctor-375.png",
    "doctor-calendar.png": "doctor-calendar.png",
    "admin-dashboard.png": "admin-dashboard-overview.png",  # its first screen, not the full page
}


def journey(name: str, app: Running, *, seconds: float = 170, **args: Any) -> dict[str, Any]:
    """Run `name` (steps.mjs, keyboard.mjs, resilience.mjs); fail with its report when it
    throws. `seconds` bounds the browser process (a hang, not a speed check)."""
    require_browser()
    playwright = require_node_package("playwright-core")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    process = subprocess.run(
        [
            "node",
            str(Path(__file__).with_name("journeys.mjs")),
            name,
            str(playwright.parent),
            str(WEB_MODULES),
            app.base,
            str(ARTIFACTS),
            json.dumps(args),
        ],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
    try:
        report: dict[str, Any] = json.loads(process.stdout)
    except json.JSONDecodeError:
        raise AssertionError(process.stdout + process.stderr) from None
    assert "error" not in report, json.dumps(report, indent=1)
    if os.environ.get("WEB_DOCS_SCREENSHOTS") == "1":
        _refresh_docs(report)
    return report


def _refresh_docs(report: dict[str, Any]) -> None:
    taken = {f"{page['name']}{suffix}.png" for page in report["pages"] for suffix in ("", "-375")}
    taken |= set(report["notes"].get("shots", []))  # screenshots a journey takes itself
    for name, shot in DOC_SHOTS.items():
        if shot in taken:
            shutil.copyfile(ARTIFACTS / shot, DOCS / name)


def assert_clean(report: dict[str, Any]) -> None:
    """No axe violation that is serious or critical, nothing offsite, no console error
    (a CSP refusal shows as one), and no horizontal scrolling at 375 px, neither of the page
    nor of a table inside its box."""
    assert report["offsite"] == [], report["offsite"]
    assert report["consoleErrors"] == [], report["consoleErrors"]
    for page in report["pages"]:
        assert page["serious"] == [], page
        assert page["overflow375"] is False, page
        assert page["tables375"] == 0, page
