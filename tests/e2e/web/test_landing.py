"""The app the router serves at `/`, in headless Chromium: the search page lists the seeded
doctors with their next free slot, a deep link opens the doctor's page, the emailed
reset-password link opens its form; every page passes axe-core (no serious/critical) at
desktop and 375 px, loads nothing from outside and breaks no CSP rule."""

from __future__ import annotations

import pytest

from tests.e2e.web.conftest import Running
from tests.e2e.web.support import assert_clean, journey

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.timeout(200)]


def test_a_visitor_finds_doctors_and_opens_deep_links(web_app: Running) -> None:
    report = journey("landing", web_app)
    assert_clean(report)
    assert report["notes"]["title"] == "Healthbook"
    assert report["notes"]["doctorCards"] >= 10
    assert "Next free slot" in report["notes"]["firstNext"]
    assert report["notes"]["doctorHeading"].startswith("Dr. ")
    assert [p["name"] for p in report["pages"]] == ["search", "doctor", "reset-password", "sign-in"]
