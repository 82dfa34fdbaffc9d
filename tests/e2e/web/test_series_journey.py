"""Recurring visits in headless Chromium against `healthbook up --seed`: a booking made to
repeat with the dry run's report first, each visit showing its series, the rest moved and
then cancelled; every page checked by axe-core at desktop and 375 px (screenshots in
test-artifacts/web/patient-series-*.png)."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.web.conftest import Running
from tests.e2e.web.support import assert_clean, journey

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.timeout(200)]


def test_a_patient_books_a_weekly_series_moves_the_rest_and_cancels_it(web_app: Running) -> None:
    email = f"series-{uuid.uuid4().hex[:8]}@example.org"
    report = journey("patientBooksASeries", web_app, email=email)
    assert_clean(report)
    notes = report["notes"]
    assert notes["singleBookHidden"] is True  # one Book button at a time: the series' own
    dates = notes["report"]
    assert len(dates) == 3
    assert all(line.startswith("Tue") for line in dates), dates  # weekly, on the first's weekday
    assert notes["free"].endswith("of 3 dates are free.")
    assert notes["booked"].startswith("Booked ")
    lines = notes["seriesLines"]
    assert lines, notes
    assert set(lines) == {"Part of a series: weekly on Tuesday"}, lines
    moves = notes["moveReport"]
    assert moves, notes
    assert all(" → Wed" in line for line in moves), moves  # from the 2nd on, a day later
    assert notes["after"][0] == notes["before"][0]  # the first visit stays
    assert notes["after"][1:] != notes["before"][1:]
    assert set(notes["statuses"]) == {"CANCELLED"}
